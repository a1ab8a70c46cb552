#!/bin/sh
# labs/02-internals/11-memory-oom/lab.sh - the memory limit and OOM killer lab (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab memory-oom STEP`)
#
# run does the README's steps; check verifies the reports they left in $LAB_STATE and that
# no lab cgroup is left: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-11-memory-oom}
cd "$MR_TOP" || exit 1
CG=mr-lab-oom

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-oom -m 16m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2> "$LAB_STATE/oom.txt"
  cgroups/run -c mr-lab-oom -m 128m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2> "$LAB_STATE/fits.txt"
dd's 64M buffer does not fit under a 16M memory.max, and with no swap allowed the kernel
has nothing left to reclaim: the OOM killer picks a task in the cgroup and SIGKILLs it.
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
	cgroups/run -v -c $CG -m 16m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2>"$LAB_STATE/oom.txt"
	cgroups/run -c $CG -m 128m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2>"$LAB_STATE/fits.txt"
	cat "$LAB_STATE/oom.txt" "$LAB_STATE/fits.txt"
	;;
check)
	need
	for f in oom.txt fits.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	oom=$(cat "$LAB_STATE/oom.txt") fits=$(cat "$LAB_STATE/fits.txt")
	echo "$oom" | grep -q 'exit status 137: killed by signal 9' || fail "oom.txt: the command was not SIGKILLed"
	echo "$oom" | grep -Eq 'the OOM killer killed [1-9][0-9]* process.*oom_kill [1-9]' ||
		fail "oom.txt does not say the OOM killer struck"
	echo "$fits" | grep -q '^run: exit status 0$' || fail "fits.txt: dd under 128m did not succeed"
	echo "$fits" | grep -q 'OOM killer' && fail "fits.txt: the OOM killer struck under 128m"
	[ -z "$(leftovers)" ] || fail "lab cgroups are left behind: $(leftovers)"
	echo "check: ok - 64M under 16M: $(echo "$oom" | grep -o 'the OOM killer killed [^;]*'); under 128M it fit"
	;;
hint) hint ;;
teardown)
	for d in $(leftovers); do for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p"; done; done
	sleep 0.2
	for d in $(leftovers | awk '{ print length($0), $0 }' | sort -rn | cut -d' ' -f2-); do rmdir "$d"; done
	rm -f "$LAB_STATE/oom.txt" "$LAB_STATE/fits.txt"
	;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
