#!/bin/sh
# labs/04-networking/04-published-port/lab.sh - a container's port published on the host,
# reached from another machine and from the host's own loopback (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab published-port STEP`)
. "$(dirname "$0")/../netlab.sh"

hint() {
	cat <<'HINT'
hint: publish host port 8080 to c1's port 80, then connect to the host from both sides:
  nsenter -t $host -n ./netns/publish 8080:10.88.0.2:80/tcp
  nsenter -t $other -n busybox nc -w 3 198.51.100.1 8080 < /dev/null > $LAB_STATE/outside.txt
  nsenter -t $host -n busybox nc -w 3 127.0.0.1 8080 < /dev/null > $LAB_STATE/loopback.txt
HINT
}

setup_() {
	holder host && holder c1 && holder other || return 1
	inns host ./netns/bridge -m mrbr0 10.88.0.1/24 >/dev/null &&
		inns host ./netns/connect "$(pid c1)" mrbr0 10.88.0.2/24 10.88.0.1 >/dev/null &&
		inns host ./netns/veth -a 198.51.100.1/24 -n "$(pid other)" -r eth0 -A 198.51.100.2/24 uplink uplinkp >/dev/null ||
		return 1
	serve c1 "$BB" nc -ll -p 80 -e echo hello-from-c1
	echo "host: NAT bridge mrbr0 with c1 (10.88.0.2, serving tcp 80); uplink 198.51.100.1 <==> other machine 198.51.100.2"
}

run_() {
	inns host ./netns/publish -v 8080:10.88.0.2:80/tcp
	inns other "$BB" nc -w 3 198.51.100.1 8080 </dev/null | tee "$LAB_STATE/outside.txt"
	inns host "$BB" nc -w 3 127.0.0.1 8080 </dev/null | tee "$LAB_STATE/loopback.txt"
	inns host ./netns/publish -l
}

check_() {
	[ -f "$LAB_STATE/outside.txt" ] || fail "$LAB_STATE/outside.txt is missing: do the steps first"
	expect "the other machine got c1's answer on 198.51.100.1:8080" grep -q hello-from-c1 "$LAB_STATE/outside.txt"
	expect "the host got c1's answer on 127.0.0.1:8080" grep -q hello-from-c1 "$LAB_STATE/loopback.txt"
	expect "8080 is published to 10.88.0.2:80" eval 'inns host ./netns/publish -l | grep -q "^8080:10.88.0.2:80/tcp\$"'
	echo "check: ok - c1's port 80 answers on the host's 8080, from the other machine and from 127.0.0.1"
}

steps "$@"
