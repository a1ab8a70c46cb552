#!/bin/sh
# labs/04-networking/07-vxlan-overlay/lab.sh - one subnet across two hosts over VXLAN
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab vxlan-overlay STEP`)
. "$(dirname "$0")/../netlab.sh"

hint() {
	cat <<'HINT'
hint: netns/overlay -k builds the two hosts and keeps them; its last line names the PIDs:
  nsenter -t $machine -n ./netns/overlay -v -k | tee $LAB_STATE/overlay.txt
then from c2 (host B) ping c1 (host A):
  nsenter -t $c2 -n busybox ping -c 1 10.77.0.2 > $LAB_STATE/c2ping.txt
(step 3 of the README reads $c2 and the others from overlay.txt's last line)
HINT
}

setup_() { holder machine; }

run_() {
	inns machine ./netns/overlay -v -k | tee "$LAB_STATE/overlay.txt"
	set -- $(sed -n 's/^kept: host A pid \([0-9]*\), host B pid \([0-9]*\), c1 pid \([0-9]*\), c2 pid \([0-9]*\).*/\1 \2 \3 \4/p' "$LAB_STATE/overlay.txt")
	[ $# = 4 ] || { echo "overlay did not keep its namespaces"; return 1; }
	for n in hostA hostB c1 c2; do
		remember "$1" all.pids
		echo "$1 $(starttime "$1")" >"$LAB_STATE/$n.pid"
		shift
	done
	echo "== host A"
	inns hostA ./netns/show | tee "$LAB_STATE/showA.txt"
	inns hostA ip -d -o link show vxlan42 | grep -o 'vxlan id [0-9]* remote [0-9.]* .*dstport [0-9]*'
	echo "== c2 (host B) pings c1 (host A)"
	inns c2 "$BB" ping -c 1 -W 2 10.77.0.2 | tee "$LAB_STATE/c2ping.txt"
}

check_() {
	[ -s "$LAB_STATE/overlay.txt" ] || fail "$LAB_STATE/overlay.txt is missing: do the steps first"
	expect "overlay's ping from c1 to c2 got a reply" grep -q 'reply in' "$LAB_STATE/overlay.txt"
	expect "c2 got a reply from c1 (c2ping.txt)" grep -q '1 packets received' "$LAB_STATE/c2ping.txt"
	expect "vxlan42 is a port of host A's br0" grep -Eq '^    [|`]-- vxlan42 +UP +vxlan' "$LAB_STATE/showA.txt"
	echo "check: ok - c1 (host A) and c2 (host B) share 10.77.0.0/24 through VXLAN 42"
}

# kill_kept - the four holders `overlay -k` kept, read from overlay.txt's last line: a learner
# who followed the README (not `run`) has them in no *.pid file. Only a process still named as
# overlay names its holders (ovl-hostA ...) is ours to kill.
kill_kept() {
	[ -f "$LAB_STATE/overlay.txt" ] || return 0
	for _p in $(sed -n 's/^kept: host A pid \([0-9]*\), host B pid \([0-9]*\), c1 pid \([0-9]*\), c2 pid \([0-9]*\).*/\1 \2 \3 \4/p' "$LAB_STATE/overlay.txt"); do
		case $(cat "/proc/$_p/comm" 2>/dev/null) in ovl-*) kill "$_p" ;; esac
	done
}

[ "${1:-}" = teardown ] && kill_kept
steps "$@"
