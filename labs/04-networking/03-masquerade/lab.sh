#!/bin/sh
# labs/04-networking/03-masquerade/lab.sh - a container reaches "the internet" through the
# host's masquerade (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab masquerade STEP`)
. "$(dirname "$0")/../netlab.sh"

hint() {
	cat <<'HINT'
hint: the internet has no route back to 10.88.0.0/24, so a connection from c1 only works
once the host rewrites c1's source address to its own uplink address:
  nsenter -t $host -n ./netns/bridge -m mrbr0 10.88.0.1/24
then connect again from c1 and save what the internet saw:
  nsenter -t $c1 -n busybox nc -w 3 198.51.100.2 7001 < /dev/null > $LAB_STATE/after.txt
HINT
}

setup_() {
	holder host && holder c1 && holder inet || return 1
	inns host ./netns/bridge mrbr0 10.88.0.1/24 >/dev/null &&
		inns host ./netns/connect "$(pid c1)" mrbr0 10.88.0.2/24 10.88.0.1 >/dev/null &&
		inns host ./netns/veth -a 198.51.100.1/24 -n "$(pid inet)" -r eth0 -A 198.51.100.2/24 uplink uplinkp >/dev/null ||
		return 1
	# the internet's server answers every connection with its own view of it
	serve inet "$BB" nc -ll -p 7001 -e "$BB" netstat -tn
	echo "host: mrbr0 10.88.0.1/24 with c1 (10.88.0.2); uplink 198.51.100.1 <==> internet 198.51.100.2"
}

run_() {
	# routing alone: the host forwards c1's packets, but the answer has no way back
	inns host sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	inns c1 "$BB" nc -w 3 198.51.100.2 7001 </dev/null >"$LAB_STATE/before.txt" 2>&1
	echo "before NAT: $(grep -c 7001 "$LAB_STATE/before.txt") answer(s)"
	inns host ./netns/bridge -v -m mrbr0 10.88.0.1/24
	inns c1 "$BB" nc -w 3 198.51.100.2 7001 </dev/null | tee "$LAB_STATE/after.txt"
	inns host nft list table ip minirun
}

check_() {
	[ -f "$LAB_STATE/after.txt" ] || fail "$LAB_STATE/after.txt is missing: do the steps first"
	expect "before.txt shows no answer: NAT was not on yet" not grep -q '198\.51\.100\.2:7001' "$LAB_STATE/before.txt"
	expect "after.txt shows the internet seeing the host's 198.51.100.1 as the source" \
		grep -Eq '198\.51\.100\.2:7001 +(::ffff:)?198\.51\.100\.1:' "$LAB_STATE/after.txt"
	echo "check: ok - the internet saw c1's connection come from the host's 198.51.100.1"
}

steps "$@"
