#!/bin/sh
# labs/02-internals/05-ipc/lab.sh - the IPC namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab ipc STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE and that ns/ipc
# removed its objects: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-05-ipc}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  ./ns/ipc > "$LAB_STATE/report.txt"
  ./ns/ipc -v -- cat /proc/sysvipc/shm > "$LAB_STATE/inside-shm.txt"
/proc/sysvipc/shm lists the shared memory segments of the reader's IPC namespace.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating an IPC namespace needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x ns/ipc ] || { echo "ns/ipc is not built: run 'make ns' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	./ns/ipc >"$LAB_STATE/report.txt"
	./ns/ipc -v -- cat /proc/sysvipc/shm >"$LAB_STATE/inside-shm.txt"
	cat "$LAB_STATE/report.txt" "$LAB_STATE/inside-shm.txt"
	;;
check)
	need
	for f in report.txt inside-shm.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	r=$LAB_STATE/report.txt
	shm=$(sed -n 's/^outside: .* shm id \([0-9]*\),.*/\1/p' "$r")
	expect "report.txt has the 'outside: ... shm id N' line" [ -n "$shm" ]
	expect "report.txt shows all three objects missing inside" \
		grep -q "^inside:  .*shm id $shm: not found  msg queue id [0-9]*: not found  mq /ns-ipc\.[0-9]*: not found  (0 shm, 0 msg" "$r"
	expect "inside-shm.txt lists no segment besides its header (cat ran inside)" [ "$(grep -c . "$LAB_STATE/inside-shm.txt")" = 1 ]
	expect_or "the shm segment is gone from the host: ns/ipc removed it" "shm id $shm is still there" \
		not eval 'awk "NR > 1 { print \$2 }" /proc/sysvipc/shm | grep -qx "$shm"'
	echo "check: ok - shm id $shm, a msg queue and a POSIX mq existed outside and not inside, and are gone"
	;;
hint) hint ;;
teardown) rm -f "$LAB_STATE/report.txt" "$LAB_STATE/inside-shm.txt" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
