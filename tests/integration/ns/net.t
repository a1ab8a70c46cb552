#!/bin/sh
# tests/integration/ns/net.t - ns/net: a new network namespace holds only lo, and lo is down.
#
# Run: sh tests/integration/ns/net.t (as root; `make ns` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
NET=$MR_TOP/ns/net

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
ino() { stat -L -c %i "/proc/self/ns/$1"; }

setup() {
	t_need_root
	[ -x "$NET" ] || t_fail "$NET is not built; run 'make ns'"
	# ns/net mounts a sysfs inside: none may be left in the host's table
	t_mounts | grep ' sysfs$' >"$T_DIR/mounts.before"
	t_defer 't_mounts | grep " sysfs$" | diff "$T_DIR/mounts.before" - || { echo "FAIL: a sysfs mount was left behind"; false; }'
}

only_lo_inside() {
	setup
	out=$("$NET" -- ls /sys/class/net) || t_fail "ns/net exited $?"
	t_eq "$out" lo "ls /sys/class/net inside"
}

lo_is_down() {
	setup
	# IFF_UP is bit 0 of the flags; a fresh lo has only IFF_LOOPBACK (0x8)
	out=$("$NET" -- cat /sys/class/net/lo/flags) || t_fail "ns/net exited $?"
	t_eq "$((out & 1))" 0 "IFF_UP of lo inside (flags $out)"
}

report_shows_both_sides() {
	setup
	out=$("$NET") || t_fail "ns/net exited $?"
	echo "$out"
	t_match "$out" "^outside: net:\[$(ino net)\]  .*lo \((up|down)\)"
	t_match "$out" '^inside:  net:\[[0-9]+\]  lo \(down\)$'
	t_nomatch "$out" "^inside:  net:\[$(ino net)\]"
	for l in $(ls /sys/class/net); do
		t_match "$out" "^outside: .* $l \((up|down)\)" "the outside line (device $l)"
	done
}

command_in_new_namespace() {
	setup
	out=$("$NET" -- readlink /proc/self/ns/net) || t_fail "ns/net exited $?"
	t_match "$out" '^net:\[[0-9]+\]$'
	t_ne "$out" "net:[$(ino net)]" "the command's network namespace"
}

exit_status_and_bad_input() {
	setup
	t_status 4 "$NET" -- sh -c 'exit 4'
	t_status 127 "$NET" -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
	t_status 2 "$NET" --nope
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '--nope'; see 'net -h'"
	t_status 0 "$NET" -h
	t_match "$T_OUT" '^usage: net '
}

t "ns/net -- ls /sys/class/net prints only lo" only_lo_inside
t "lo is down inside" lo_is_down
t "the report lists the devices outside vs inside" report_shows_both_sides
t "CMD runs in a new network namespace" command_in_new_namespace
t "the exit status is CMD's; bad flags exit 2 with one line" exit_status_and_bad_input
t_end
