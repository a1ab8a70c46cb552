#!/bin/sh
# labs/04-networking/01-veth-pair/lab.sh - two namespaces joined by a veth pair
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab veth-pair STEP`)
. "$(dirname "$0")/../netlab.sh"

hint() {
	cat <<'HINT'
hint: with H and C the PIDs in $LAB_STATE/host.pid and c1.pid:
  nsenter -t $H -n ./netns/veth -a 10.88.1.1/24 -n $C -r eth0 -A 10.88.1.2/24 veth0 veth0p
  nsenter -t $C -n busybox ping -c 1 10.88.1.1 > $LAB_STATE/ping.txt
A veth is a cable: what one end sends the other receives. Each end needs an address in
the same subnet, and both ends must be up.
HINT
}

setup_() { holder host && holder c1; }

run_() {
	inns host ./netns/veth -v -a 10.88.1.1/24 -n "$(pid c1)" -r eth0 -A 10.88.1.2/24 veth0 veth0p
	inns c1 "$BB" ping -c 1 -W 2 10.88.1.1 | tee "$LAB_STATE/ping.txt"
	inns host ./netns/show | tee "$LAB_STATE/show.txt"
}

check_() {
	[ -s "$LAB_STATE/ping.txt" ] || fail "$LAB_STATE/ping.txt is missing: do the steps first"
	expect "c1 got a reply from the host's 10.88.1.1 (ping.txt)" grep -q '1 packets received' "$LAB_STATE/ping.txt"
	expect "c1 has eth0 with 10.88.1.2/24" eval 'inns c1 ip -o -4 addr show dev eth0 | grep -q " 10.88.1.2/24 "'
	expect "the host has veth0" inns host ip -o link show veth0
	expect "veth0p left the host: moved into c1 with -n" not inns host ip -o link show veth0p
	echo "check: ok - c1's eth0 (10.88.1.2) answers the host's veth0 (10.88.1.1) over the pair"
}

steps "$@"
