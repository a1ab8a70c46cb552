#!/bin/sh
# labs/04-networking/05-host-network/lab.sh - `--network host` compared with a bridge:
# a container that shares the host's network namespace (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab host-network STEP`)
. "$(dirname "$0")/../netlab.sh"

hint() {
	cat <<'HINT'
hint: a host-network container is a process that joined the host's network namespace
instead of getting a new one. Compare, for hostnet and c1:
  readlink /proc/PID/ns/net        (the same as the host's, or not?)
  nsenter -t PID -n ip -o link     (which interfaces it sees)
and connect from the other machine to 198.51.100.1:8081 (hostnet) and :80 (c1, unpublished).
HINT
}

setup_() {
	holder host && holder c1 && holder other || return 1
	inns host ./netns/bridge -m mrbr0 10.88.0.1/24 >/dev/null &&
		inns host ./netns/connect "$(pid c1)" mrbr0 10.88.0.2/24 10.88.0.1 >/dev/null &&
		inns host ./netns/veth -a 198.51.100.1/24 -n "$(pid other)" -r eth0 -A 198.51.100.2/24 uplink uplinkp >/dev/null ||
		return 1
	# "containers": c1 on the bridge serves port 80; hostnet, in the host's namespace, 8081
	serve c1 "$BB" nc -ll -p 80 -e echo hello-from-c1
	serve host "$BB" nc -ll -p 8081 -e echo hello-from-hostnet
	tail -n 1 "$LAB_STATE/all.pids" >"$LAB_STATE/hostnet.pid"
	echo "c1 on bridge mrbr0 serves tcp 80; hostnet (pid $(pid hostnet)) in the host's namespace serves tcp 8081"
}

run_() {
	for n in host hostnet c1; do
		echo "$n $(readlink /proc/"$(pid $n)"/ns/net)"
	done | tee "$LAB_STATE/ids.txt"
	for n in hostnet c1; do
		echo "$n sees: $(inns $n ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' ' | tr '\n' ' ')"
	done | tee "$LAB_STATE/links.txt"
	echo "other -> :8081 (hostnet): $(inns other "$BB" nc -w 2 198.51.100.1 8081 </dev/null 2>&1)" |
		tee "$LAB_STATE/reach.txt"
	echo "other -> :80 (c1, not published): $(inns other "$BB" nc -w 2 198.51.100.1 80 </dev/null 2>&1)" |
		tee -a "$LAB_STATE/reach.txt"
}

check_() {
	[ -s "$LAB_STATE/ids.txt" ] || fail "$LAB_STATE/ids.txt is missing: do the steps first"
	h=$(sed -n 's/^host //p' "$LAB_STATE/ids.txt")
	expect "hostnet is in the host's network namespace" [ "$(sed -n 's/^hostnet //p' "$LAB_STATE/ids.txt")" = "$h" ]
	expect "c1 has a network namespace of its own" [ "$(sed -n 's/^c1 //p' "$LAB_STATE/ids.txt")" != "$h" ]
	expect "hostnet sees the host's uplink" grep -q '^hostnet sees: .*uplink' "$LAB_STATE/links.txt"
	expect "c1 sees only lo and eth0" grep -q '^c1 sees: lo eth0 $' "$LAB_STATE/links.txt"
	expect "hostnet's port is reachable on the host" grep -q '(hostnet): hello-from-hostnet' "$LAB_STATE/reach.txt"
	expect "c1's unpublished port does not answer" not grep -q 'not published): .*hello' "$LAB_STATE/reach.txt"
	echo "check: ok - hostnet shares the host's namespace, interfaces and ports; c1 has its own"
}

steps "$@"
