#!/bin/sh
# tests/integration/ns/time.t - ns/time: CLOCK_MONOTONIC and CLOCK_BOOTTIME offsets seen by
# the children in a new time namespace, the caller's own clocks untouched.
#
# Run: sh tests/integration/ns/time.t (as root; `make ns` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
TIME=$MR_TOP/ns/time

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
ino() { stat -L -c %i "/proc/self/ns/$1"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

setup() {
	t_need_root
	[ -x "$TIME" ] || t_fail "$TIME is not built; run 'make ns'"
	[ -e /proc/self/ns/time ] ||
		t_skip "this kernel has no time namespaces (/proc/self/ns/time missing; Linux 5.6+, CONFIG_TIME_NS)"
}

uptime_shifted_inside() {
	setup
	before=$(uptime_s)
	inside=$("$TIME" --boottime 86400 -- sh -c 'cut -d" " -f1 /proc/uptime') || t_fail "exited $?"
	after=$(uptime_s)
	# a child of the command (cut, forked by sh) sees the shifted uptime too
	# (in hundredths, /proc/uptime's resolution, with half of one to spare: 17269.04 + 86400
	# is not exactly 103669.04 in floating point)
	awk -v b="$before" -v i="$inside" -v a="$after" \
		'BEGIN { exit !(i >= b + 86400 - 0.005 && i <= a + 86400 + 0.005) }' ||
		t_fail "uptime inside $inside is not 86400 s more than outside ($before .. $after)"
	awk -v b="$before" -v a="$after" 'BEGIN { exit !(a - b < 86400) }' ||
		t_fail "the host's uptime jumped: $before -> $after"
}

report_shows_offsets() {
	setup
	out=$("$TIME" --monotonic 3600 --boottime -1) || t_fail "ns/time exited $?: $out"
	echo "$out"
	host=$(ino time)
	t_match "$out" "^outside: time:\[$host\]  monotonic [0-9.]+ s  boottime [0-9.]+ s"
	t_match "$out" "^after unshare\(CLONE_NEWTIME\): time:\[$host\] still, time_for_children:\[[0-9]+\]$"
	kids=$(echo "$out" | sed -n 's/.*time_for_children:\[\([0-9]*\)\]$/\1/p')
	t_ne "$kids" "$host" "time_for_children after unshare"
	# the differences also hold the time the fork took: allow a second on a slow (TCG) VM
	t_match "$out" "^inside:  time:\[$kids\]  monotonic [0-9.]+ s \(\+360[01]\)  boottime [0-9.]+ s \((-1|0|\+0)\)  uptime "
}

defaults_and_narration() {
	setup
	"$TIME" -v -- true 2>"$T_DIR/err" || t_fail "ns/time exited $?: $(cat "$T_DIR/err")"
	err=$(cat "$T_DIR/err")
	t_match "$err" '^=> unshare\(CLONE_NEWTIME\)$'
	t_match "$err" '^=> write\("/proc/self/timens_offsets", "monotonic 0 0"\)$'
	t_match "$err" '^=> write\("/proc/self/timens_offsets", "boottime 86400 0"\)$'
	t_match "$err" '\(\+[01]\)  boottime [0-9.]+ s \(\+8640[01]\)'
	out=$("$TIME" -- readlink /proc/self/ns/time) || t_fail "exited $?"
	t_ne "$out" "time:[$(ino time)]" "the command's time namespace"
}

exit_status_and_bad_input() {
	setup
	t_status 9 "$TIME" -- sh -c 'exit 9'
	t_status 127 "$TIME" -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
	t_status 2 "$TIME" --monotonic abc
	one_line "$T_OUT"
	t_match "$T_OUT" "--monotonic 'abc': expected whole seconds"
	t_status 2 "$TIME" --boottime -999999999
	one_line "$T_OUT"
	t_match "$T_OUT" "would put the clock before zero"
	t_status 2 "$TIME" -b
	one_line "$T_OUT"
	t_match "$T_OUT" "option '-b' needs an argument"
	t_status 2 "$TIME" --bogus
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '--bogus'; see 'time -h'"
	t_status 0 "$TIME" -h
	t_match "$T_OUT" '^usage: time '
}

t "--boottime 86400: /proc/uptime is a day ahead for CMD and its children" uptime_shifted_inside
t "the report shows the offsets, and the caller left outside" report_shows_offsets
t "default offsets and -v narration of the offsets write" defaults_and_narration
t "the exit status is CMD's; bad offsets and flags exit 2 with one line" exit_status_and_bad_input
t_end
