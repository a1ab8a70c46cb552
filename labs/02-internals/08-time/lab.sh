#!/bin/sh
# labs/02-internals/08-time/lab.sh - the time namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab time STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE: exit 0 pass,
# 1 fail (after a hint), 77 skip (the reason last: no root, or no time namespaces).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-08-time}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  ./ns/time --boottime 86400 -- cat /proc/uptime > "$LAB_STATE/uptime-inside.txt"
  cat /proc/uptime > "$LAB_STATE/uptime-outside.txt"
  ./ns/time --monotonic 3600 > "$LAB_STATE/monotonic.txt"
  ./ns/time -- date +%s > "$LAB_STATE/date-inside.txt"; date +%s > "$LAB_STATE/date-outside.txt"
Offsets move CLOCK_MONOTONIC and CLOCK_BOOTTIME (and /proc/uptime) only, never the wall clock.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating a time namespace needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x ns/time ] || { echo "ns/time is not built: run 'make ns' first"; exit 1; }
	[ -e /proc/self/ns/time ] || { echo "this kernel has no time namespaces (Linux 5.6+ with CONFIG_TIME_NS)"; exit 77; }
}

# num FILE - the first number on FILE's first line
num() { sed -n 1p "$LAB_STATE/$1" | cut -d' ' -f1; }

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	./ns/time -v
	./ns/time --boottime 86400 -- cat /proc/uptime >"$LAB_STATE/uptime-inside.txt"
	cat /proc/uptime >"$LAB_STATE/uptime-outside.txt"
	./ns/time --monotonic 3600 >"$LAB_STATE/monotonic.txt"
	./ns/time -- date +%s >"$LAB_STATE/date-inside.txt"
	date +%s >"$LAB_STATE/date-outside.txt"
	cat "$LAB_STATE"/*.txt
	;;
check)
	need
	for f in uptime-inside.txt uptime-outside.txt monotonic.txt date-inside.txt date-outside.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	in=$(num uptime-inside.txt) out=$(num uptime-outside.txt)
	# about a day apart: the two were read a moment (or a few minutes) from each other
	expect_or "uptime inside is about a day (86400 s) more than outside" "inside $in, outside $out" \
		awk -v i="$in" -v o="$out" 'BEGIN { d = i - o - 86400; exit !(d > -600 && d < 600) }'
	expect "monotonic.txt shows CLOCK_MONOTONIC 3600 s ahead inside" \
		grep -Eq '^inside: .* monotonic [0-9.]+ s \(\+360[01]\)' "$LAB_STATE/monotonic.txt"
	din=$(num date-inside.txt) dout=$(num date-outside.txt)
	expect_or "the wall clock inside and outside agree: CLOCK_REALTIME is not namespaced" "inside $din, outside $dout" \
		eval '[ $((dout - din)) -ge 0 ] && [ $((dout - din)) -lt 600 ]'
	echo "check: ok - uptime a day ahead inside, monotonic an hour ahead, the wall clock the same"
	;;
hint) hint ;;
teardown) rm -f "$LAB_STATE"/*.txt ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
