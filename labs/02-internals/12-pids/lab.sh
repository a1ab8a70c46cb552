#!/bin/sh
# labs/02-internals/12-pids/lab.sh - the pids controller lab: a fork limit (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab pids STEP`)
#
# run does the README's steps; check verifies the reports they left in $LAB_STATE and that
# no lab cgroup is left: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-12-pids}
cd "$MR_TOP" || exit 1
CG=mr-lab-pids

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-pids --pids 8 -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & done; wait' 2> "$LAB_STATE/refused.txt"
  cgroups/run -c mr-lab-pids --pids 8 -- sh -c 'for i in 1 2 3 4 5; do sleep 2 & done; wait' 2> "$LAB_STATE/fits.txt"
The shell itself is one of the 8 tasks; the 8th sleep's fork() gets EAGAIN.
HINT
}

fail() { echo "check: $*"; hint; exit 1; }

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating cgroups needs write access to /sys/fs/cgroup (use sudo)"; exit 77; }
	[ -x cgroups/run ] || { echo "cgroups/run is not built: run 'make cgroups' first"; exit 1; }
}

leftovers() { find /sys/fs/cgroup -maxdepth 6 -type d -name "$CG*" 2>/dev/null; }

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	cgroups/run -c $CG --pids 8 -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & done; wait' 2>"$LAB_STATE/refused.txt"
	cgroups/run -c $CG --pids 8 -- sh -c 'for i in 1 2 3 4 5; do sleep 2 & done; wait' 2>"$LAB_STATE/fits.txt"
	cat "$LAB_STATE/refused.txt" "$LAB_STATE/fits.txt"
	;;
check)
	need
	for f in refused.txt fits.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	grep -Eq 'forks refused: [1-9][0-9]* at pids.max 8' "$LAB_STATE/refused.txt" ||
		fail "refused.txt does not report refused forks"
	grep -q 'no fork refused' "$LAB_STATE/fits.txt" || fail "fits.txt: forks were refused with 6 tasks under 8"
	[ -z "$(leftovers)" ] || fail "lab cgroups are left behind: $(leftovers)"
	echo "check: ok - 10 sleeps under pids.max 8: $(grep -o 'forks refused: [0-9]*' "$LAB_STATE/refused.txt"); 5 fit"
	;;
hint) hint ;;
teardown)
	for d in $(leftovers); do for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p"; done; done
	sleep 0.2
	for d in $(leftovers | awk '{ print length($0), $0 }' | sort -rn | cut -d' ' -f2-); do rmdir "$d"; done
	rm -f "$LAB_STATE/refused.txt" "$LAB_STATE/fits.txt"
	;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
