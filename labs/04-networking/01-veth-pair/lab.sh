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
	grep -q '1 packets received' "$LAB_STATE/ping.txt" || fail "c1 got no reply from 10.88.1.1"
	inns c1 ip -o -4 addr show dev eth0 2>/dev/null | grep -q ' 10.88.1.2/24 ' ||
		fail "c1 has no eth0 with 10.88.1.2/24"
	inns host ip -o link show veth0 >/dev/null 2>&1 || fail "the host has no veth0"
	inns host ip -o link show veth0p >/dev/null 2>&1 && fail "veth0p is still in the host: move it with -n"
	echo "check: ok - c1's eth0 (10.88.1.2) answers the host's veth0 (10.88.1.1) over the pair"
}

steps "$@"
