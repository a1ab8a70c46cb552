#!/bin/sh
# labs/02-internals/02-pid/lab.sh - the PID namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab pid STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE, and that the
# host's /proc is still the host's: exit 0 pass, 1 fail (after a hint), 77 skip.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-02-pid}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  ./ns/pid -- sh -c 'echo "my pid: $$"; ps; true' > "$LAB_STATE/inside.txt"
  ./ns/pid --show-init-death > "$LAB_STATE/init-death.txt"
The command given after -- is the first process forked into the new PID namespace: PID 1.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating a PID namespace needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x ns/pid ] || { echo "ns/pid is not built: run 'make ns' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	./ns/pid -v
	./ns/pid -- sh -c 'echo "my pid: $$"; ps; true' >"$LAB_STATE/inside.txt"
	./ns/pid --show-init-death >"$LAB_STATE/init-death.txt"
	cat "$LAB_STATE/inside.txt" "$LAB_STATE/init-death.txt"
	;;
check)
	need
	for f in inside.txt init-death.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	first=$(sed -n 1p "$LAB_STATE/inside.txt")
	expect_or "inside.txt begins 'my pid: 1': the command is PID 1" "it begins '$first'" [ "$first" = "my pid: 1" ]
	# ps inside lists only the namespace's processes: the shell (1) and ps itself (2)
	pids=$(sed -n '3,$p' "$LAB_STATE/inside.txt" | awk '{ print $1 }' | tr '\n' ' ')
	expect_or "ps inside lists just PIDs 1 and 2 (a fresh /proc)" "it lists '$pids'" [ "$pids" = "1 2 " ]
	expect "init-death.txt shows the second process killed with PID 1" grep -q 'is gone too' "$LAB_STATE/init-death.txt"
	second=$(sed -n 's/^outside: the second process is pid \([0-9]*\) here.*/\1/p' "$LAB_STATE/init-death.txt")
	expect_or "the second process is gone" "pid '$second' is still running" eval '[ -n "$second" ] && [ ! -d "/proc/$second" ]'
	expect "the host's /proc still shows this shell: no /proc mount leaked" [ -d "/proc/$$" ]
	echo "check: ok - the command was PID 1 with a /proc of its own; PID 1's death took pid $second with it"
	;;
hint) hint ;;
teardown) rm -f "$LAB_STATE/inside.txt" "$LAB_STATE/init-death.txt" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
