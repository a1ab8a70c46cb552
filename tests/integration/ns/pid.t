#!/bin/sh
# tests/integration/ns/pid.t - ns/pid: PID 1, a fresh /proc, the caller left outside, and
# the kernel killing the namespace when its init dies.
#
# Run: sh tests/integration/ns/pid.t (as root; `make ns` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
PID=$MR_TOP/ns/pid

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
ino() { stat -L -c %i "/proc/self/ns/$1"; }

setup() {
	t_need_root
	[ -x "$PID" ] || t_fail "$PID is not built; run 'make ns'"
	# the host's proc mounts before and after: ns/pid must leave none behind (only proc
	# ones are compared, so other people's tests mounting things meanwhile don't count)
	t_mounts | grep ' proc$' >"$T_DIR/mounts.before"
	t_defer 't_mounts | grep " proc$" | diff "$T_DIR/mounts.before" - || { echo "FAIL: a proc mount was left behind"; false; }'
}

command_is_pid_1() {
	setup
	out=$("$PID" -- sh -c 'echo $$') || t_fail "ns/pid exited $?"
	t_eq "$out" 1 "\$\$ inside"
}

fresh_proc_inside() {
	setup
	# ls is PID 1 and alone in the namespace: its /proc lists exactly one process
	out=$("$PID" -- ls /proc) || t_fail "ns/pid exited $?"
	t_eq "$(echo "$out" | grep -c '^[0-9][0-9]*$')" 1 "processes in /proc inside"
	t_eq "$(echo "$out" | grep '^[0-9][0-9]*$')" 1 "the one process in /proc inside"
	# and the host's /proc still shows the host's processes
	[ -d "/proc/$$" ] || t_fail "/proc/$$ vanished from the host's /proc"
}

caller_is_not_moved_in() {
	setup
	out=$("$PID") || t_fail "ns/pid exited $?"
	echo "$out"
	host=$(ino pid)
	t_match "$out" "^outside: pid=[0-9]+  pid:\[$host\]$"
	t_match "$out" "^after unshare\(CLONE_NEWPID\): pid=[0-9]+ still, pid:\[$host\] still; pid_for_children: \(none until PID 1 is forked\)$"
	inside=$(echo "$out" | sed -n 's/^inside:  pid=1  ppid=0  pid:\[\([0-9]*\)\].*/\1/p')
	[ -n "$inside" ] || t_fail "no 'inside: pid=1 ppid=0' line"
	t_ne "$inside" "$host" "the pid namespace inside"
	t_match "$out" "^outside: pid_for_children:\[$inside\] now; the child is pid [0-9]+ here \(NSpid: [0-9]+ 1\)$"
	t_match "$out" '/proc lists 1 process\(es\)'
}

init_death_kills_the_rest() {
	setup
	out=$("$PID" --show-init-death) || t_fail "ns/pid exited $?: $out"
	echo "$out"
	t_match "$out" '^inside:  PID 1 started a second process, pid 2$'
	second=$(echo "$out" | sed -n 's/^outside: the second process is pid \([0-9]*\) here (NSpid: [0-9]* 2)$/\1/p')
	[ -n "$second" ] || t_fail "no host pid for the second process"
	t_match "$out" "^outside: PID 1 exited; pid $second is gone too"
	# checked here too, not only by the program: the host's /proc has no such process
	[ ! -d "/proc/$second" ] || t_fail "pid $second is still alive: $(cat /proc/"$second"/status)"
}

no_leak_on_a_shared_root() {
	setup
	t_need unshare
	# A host whose / is shared, as systemd makes it: a sandbox mount namespace of our own.
	# A /proc mounted by ns/pid without making its mounts private first would appear here.
	out=$(unshare -m --propagation shared sh -c '
		before=$(wc -l </proc/self/mountinfo)
		"$1" -- true || exit 1
		after=$(wc -l </proc/self/mountinfo)
		grep -q " / / .*shared:" /proc/self/mountinfo || { echo "/ is not shared here"; exit 1; }
		echo "$before $after"' sh "$PID") || t_fail "sandbox: $out"
	set -- $out
	t_eq "$2" "$1" "mounts in the shared sandbox after ns/pid"
}

exit_status_and_bad_input() {
	setup
	t_status 3 "$PID" -- sh -c 'exit 3'
	t_status 127 "$PID" -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
	t_status 2 "$PID" -x
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '-x'; see 'pid -h'"
	t_status 2 "$PID" --show-init-death -- true
	one_line "$T_OUT"
	t_match "$T_OUT" 'takes no CMD'
	t_status 0 "$PID" --help
	t_match "$T_OUT" '^usage: pid '
}

t "ns/pid -- sh -c 'echo \$\$' prints 1" command_is_pid_1
t "the command sees a fresh /proc with only itself; the host's /proc is untouched" fresh_proc_inside
t "unshare(CLONE_NEWPID) leaves the caller outside; its first child is PID 1" caller_is_not_moved_in
t "--show-init-death: when PID 1 exits the kernel kills the other process" init_death_kills_the_rest
t "on a shared / (systemd-like) the fresh /proc does not leak out" no_leak_on_a_shared_root
t "the exit status is CMD's; bad flags exit 2 with one line" exit_status_and_bad_input
t_end
