#!/bin/sh
# tests/integration/ns/uts.t - ns/uts: a hostname of one's own in a new UTS namespace.
#
# Run: sh tests/integration/ns/uts.t (as root; `make ns` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
UTS=$MR_TOP/ns/uts

# one_line TEXT - fail unless TEXT is exactly one line (a bad-input message)
one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
ino() { stat -L -c %i "/proc/self/ns/$1"; }

setup() { t_need_root; [ -x "$UTS" ] || t_fail "$UTS is not built; run 'make ns'"; }

hostname_inside_only() {
	setup
	host=$(cat /proc/sys/kernel/hostname)
	out=$("$UTS" -n box -- hostname) || t_fail "ns/uts exited $?"
	t_eq "$out" box "stdout of ns/uts -n box -- hostname"
	t_eq "$(cat /proc/sys/kernel/hostname)" "$host" "the host's hostname afterwards"
}

report_shows_both_sides() {
	setup
	host=$(cat /proc/sys/kernel/hostname)
	out=$("$UTS" -n box -d lab.test) || t_fail "ns/uts exited $?"
	echo "$out"
	t_match "$out" "^outside: hostname=$host +domainname=.* uts:\[$(ino uts)\]$"
	inside=$(echo "$out" | sed -n 's/^inside: .*uts:\[\([0-9]*\)\]$/\1/p')
	[ -n "$inside" ] || t_fail "no inside line"
	t_ne "$inside" "$(ino uts)" "the uts inode inside"
	t_match "$out" '^inside:  hostname=box +domainname=lab.test '
	t_match "$out" "^outside, after the child's change: hostname=$host \(unchanged\)$"
}

domainname_inside_only() {
	setup
	host=$(cat /proc/sys/kernel/domainname)
	out=$("$UTS" -d lab.test -- cat /proc/sys/kernel/domainname) || t_fail "exited $?"
	t_eq "$out" lab.test "domainname inside"
	t_eq "$(cat /proc/sys/kernel/domainname)" "$host" "the host's domainname afterwards"
}

command_runs_in_new_namespace() {
	setup
	out=$("$UTS" -- readlink /proc/self/ns/uts) || t_fail "exited $?"
	t_match "$out" '^uts:\[[0-9]+\]$'
	t_ne "$out" "uts:[$(ino uts)]" "the command's uts namespace"
	# without -n the new namespace starts as a copy of the old one's strings
	t_eq "$("$UTS" -- cat /proc/sys/kernel/hostname)" "$(cat /proc/sys/kernel/hostname)"
}

verbose_narrates_on_stderr() {
	setup
	out=$("$UTS" -v -n box -- hostname 2>"$T_DIR/err") || t_fail "exited $?"
	t_eq "$out" box "stdout stays clean with -v"
	t_match "$(cat "$T_DIR/err")" '^=> unshare\(CLONE_NEWUTS\)$'
	t_match "$(cat "$T_DIR/err")" '^=> sethostname\("box"\)$'
}

exit_status_is_the_commands() {
	setup
	t_status 7 "$UTS" -- sh -c 'exit 7'
	t_status 127 "$UTS" -n box -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
}

bad_input() {
	setup
	host=$(cat /proc/sys/kernel/hostname)
	t_status 2 "$UTS" -x
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '-x'; see 'uts -h'"
	t_status 2 "$UTS" --bogus -- hostname
	t_match "$T_OUT" "unknown option '--bogus'"
	t_status 2 "$UTS" -n
	one_line "$T_OUT"
	t_match "$T_OUT" "option '-n' needs an argument"
	long=$(printf '%070d' 0)
	t_status 2 "$UTS" -n "$long" -- hostname
	one_line "$T_OUT"
	t_match "$T_OUT" "hostname '0+' must be 1 to 64 characters"
	t_status 0 "$UTS" -h
	t_match "$T_OUT" '^usage: uts '
	t_eq "$(cat /proc/sys/kernel/hostname)" "$host" "the host's hostname afterwards"
}

t "ns/uts -n box -- hostname prints box; the host's hostname is unchanged" hostname_inside_only
t "the report shows hostname and uts inode outside vs inside" report_shows_both_sides
t "-d sets the NIS domain name inside only" domainname_inside_only
t "CMD runs in a new UTS namespace that starts as a copy" command_runs_in_new_namespace
t "-v narrates the syscalls on stderr, CMD's stdout stays clean" verbose_narrates_on_stderr
t "the exit status is CMD's; 127 and one line for a command not found" exit_status_is_the_commands
t "bad flags and names: exit 2, one line naming the input" bad_input
t_end
