#!/bin/sh
# labs/02-internals/15-psi/lab.sh - the pressure (PSI) lab: reading stall time (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab psi STEP`)
#
# run does the README's steps; check verifies the readings they left in $LAB_STATE and that
# no lab cgroup is left: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-15-psi}
cd "$MR_TOP" || exit 1
CG=mr-lab-psi

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-psi --cpus 0.2 -- timeout 4 sh -c 'while :; do :; done' &
  sleep 3; cgroups/stat mr-lab-psi > "$LAB_STATE/throttled.txt"; wait
  cgroups/run -c mr-lab-psi-free -- timeout 4 sh -c 'while :; do :; done' &
  sleep 3; cgroups/stat mr-lab-psi-free > "$LAB_STATE/free.txt"; wait
A throttled task is runnable but may not run: that is CPU pressure, counted in cpu.pressure.
HINT
}

fail() { echo "check: $*"; hint; exit 1; }

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating cgroups needs write access to /sys/fs/cgroup (use sudo)"; exit 77; }
	[ -x cgroups/run ] || { echo "cgroups/run is not built: run 'make cgroups' first"; exit 1; }
	[ -r /proc/pressure/cpu ] || { echo "no PSI in this kernel (CONFIG_PSI, or booted with psi=0)"; exit 77; }
	grep -q '^cgroup2 ' /proc/self/mounts || { echo "no cgroup v2 tree here: per-cgroup PSI lives in it"; exit 77; }
}

leftovers() { find /sys/fs/cgroup -maxdepth 6 -type d -name "$CG*" 2>/dev/null; }

# stalled FILE - the cpu "some" total, in seconds, from a cgroups/stat reading
stalled() { sed -n 's/^pressure  cpu *some .* total \([0-9.]*\)s .*/\1/p' "$1"; }

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	cgroups/run -c $CG --cpus 0.2 -- timeout 4 sh -c 'while :; do :; done' 2>/dev/null &
	sleep 3
	cgroups/stat $CG >"$LAB_STATE/throttled.txt"
	wait
	cgroups/run -c $CG-free -- timeout 4 sh -c 'while :; do :; done' 2>/dev/null &
	sleep 3
	cgroups/stat $CG-free >"$LAB_STATE/free.txt"
	wait
	cat "$LAB_STATE/throttled.txt" "$LAB_STATE/free.txt"
	;;
check)
	need
	for f in throttled.txt free.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	t=$(stalled "$LAB_STATE/throttled.txt") f=$(stalled "$LAB_STATE/free.txt")
	[ -n "$t" ] && [ -n "$f" ] || fail "a reading has no 'pressure  cpu ... total Ns' line"
	# 3 s at a fifth of a CPU: the loop waited about 2.4 s of them. (The free loop's stall
	# is shown, not judged: on a busy machine it waits for CPUs too.)
	awk -v t="$t" 'BEGIN { exit !(t >= 0.8) }' || fail "the throttled loop stalled only $t s in 3 s"
	grep -Eq 'throttled [1-9][0-9]*/' "$LAB_STATE/throttled.txt" || fail "throttled.txt shows no throttled period"
	[ -z "$(leftovers)" ] || fail "lab cgroups are left behind: $(leftovers)"
	echo "check: ok - under --cpus 0.2 the loop stalled $t s in 3 s (cpu.pressure); unlimited $f s"
	;;
hint) hint ;;
teardown)
	for d in $(leftovers); do for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p"; done; done
	sleep 0.2
	for d in $(leftovers | awk '{ print length($0), $0 }' | sort -rn | cut -d' ' -f2-); do rmdir "$d"; done
	rm -f "$LAB_STATE/throttled.txt" "$LAB_STATE/free.txt"
	;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
