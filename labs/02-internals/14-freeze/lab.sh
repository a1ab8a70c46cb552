#!/bin/sh
# labs/02-internals/14-freeze/lab.sh - the freezer lab: pause and resume a cgroup (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab freeze STEP`)
#
# run does the README's steps; check verifies the counts they left in $LAB_STATE and that
# no lab cgroup is left: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-14-freeze}
cd "$MR_TOP" || exit 1
CG=mr-lab-freeze

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-freeze -- sh -c 'i=0; while :; do i=$((i+1)); echo $i > "$LAB_STATE/count.new"; mv "$LAB_STATE/count.new" "$LAB_STATE/count"; sleep 0.1; done' &
  cgroups/freeze mr-lab-freeze; cat "$LAB_STATE/count" >> "$LAB_STATE/seen"; sleep 1; cat "$LAB_STATE/count" >> "$LAB_STATE/seen"
  cgroups/freeze --thaw mr-lab-freeze; sleep 1; cat "$LAB_STATE/count" >> "$LAB_STATE/seen"
  cgroups/kill mr-lab-freeze
"$LAB_STATE/seen" then holds three counts: the first two equal (frozen), the third larger.
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
	rm -f "$LAB_STATE/seen" "$LAB_STATE/count" "$LAB_STATE/count.new"
	export LAB_STATE
	cgroups/run -c $CG -- sh -c 'i=0; while :; do i=$((i+1)); echo $i > "$LAB_STATE/count.new"; mv "$LAB_STATE/count.new" "$LAB_STATE/count"; sleep 0.1; done' 2>/dev/null &
	i=0
	until [ -s "$LAB_STATE/count" ] || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 0.5
	cgroups/freeze -v $CG
	cat "$LAB_STATE/count" >>"$LAB_STATE/seen"
	sleep 1
	cat "$LAB_STATE/count" >>"$LAB_STATE/seen"
	cgroups/freeze -v --thaw $CG
	sleep 1
	cat "$LAB_STATE/count" >>"$LAB_STATE/seen"
	cgroups/kill $CG
	wait
	cat "$LAB_STATE/seen"
	;;
check)
	need
	[ -s "$LAB_STATE/seen" ] || fail "$LAB_STATE/seen is missing: do the steps first"
	set -- $(cat "$LAB_STATE/seen")
	[ $# = 3 ] || fail "seen holds $# counts, not 3"
	[ "$1" = "$2" ] || fail "the count moved while frozen: $1 -> $2"
	[ "$3" -gt "$2" ] || fail "the count did not move after thaw: $2 -> $3"
	[ -z "$(leftovers)" ] || fail "lab cgroups are left behind: $(leftovers)"
	echo "check: ok - frozen at $1 for a second, counting on to $3 once thawed"
	;;
hint) hint ;;
teardown)
	for d in $(leftovers); do for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p"; done; done
	sleep 0.2
	for d in $(leftovers | awk '{ print length($0), $0 }' | sort -rn | cut -d' ' -f2-); do rmdir "$d"; done
	rm -f "$LAB_STATE/seen" "$LAB_STATE/count" "$LAB_STATE/count.new"
	;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
