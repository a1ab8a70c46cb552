#!/bin/sh
# tests/integration/ns/ipc.t - ns/ipc: SysV and POSIX IPC objects made outside are invisible
# inside a new IPC namespace, and ns/ipc removes them afterwards.
#
# Run: sh tests/integration/ns/ipc.t (as root; `make ns` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
IPC=$MR_TOP/ns/ipc

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
ino() { stat -L -c %i "/proc/self/ns/$1"; }
# ids FILE - the ids /proc/sysvipc/FILE lists (shm and msg: the second column)
ids() { awk 'NR > 1 { print $2 }' "/proc/sysvipc/$1"; }
# host_mqueues - the POSIX message queues of the host's IPC namespace, seen through an
# mqueue filesystem mounted in a throwaway mount namespace (the host may have none mounted)
host_mqueues() {
	mkdir -p "$T_DIR/mq"
	unshare -m sh -c 'mount -t mqueue mr-mq "$1" && ls "$1"' sh "$T_DIR/mq"
}

setup() {
	t_need_root
	[ -x "$IPC" ] || t_fail "$IPC is not built; run 'make ns'"
	t_mounts | grep ' mqueue$' >"$T_DIR/mounts.before"
	t_defer 't_mounts | grep " mqueue$" | diff "$T_DIR/mounts.before" - || { echo "FAIL: an mqueue mount was left behind"; false; }'
}

invisible_inside_then_removed() {
	setup
	out=$("$IPC") || t_fail "ns/ipc exited $?: $out"
	echo "$out"
	line=$(echo "$out" | grep '^outside: ')
	shm=$(echo "$line" | sed -n 's/.* shm id \([0-9]*\),.*/\1/p')
	msg=$(echo "$line" | sed -n 's/.* msg queue id \([0-9]*\),.*/\1/p')
	mq=$(echo "$line" | sed -n 's|.* mq /\(ns-ipc\.[0-9]*\) .*|\1|p')
	[ -n "$shm" ] && [ -n "$msg" ] && [ -n "$mq" ] || t_fail "no ids on the outside line"
	t_match "$out" "^outside: ipc:\[$(ino ipc)\]"
	t_match "$out" "^inside:  ipc:\[[0-9]+\]  shm id $shm: not found  msg queue id $msg: not found  mq /$mq: not found  \(0 shm, 0 msg in /proc/sysvipc\)$"
	t_nomatch "$out" "^inside:  ipc:\[$(ino ipc)\]"
	# removed afterwards (ids are reused only after they cycle; no one else got them yet)
	t_nomatch "$(ids shm)" "^$shm\$" "shm ids left on the host"
	t_nomatch "$(ids msg)" "^$msg\$" "msg ids left on the host"
	if command -v unshare >/dev/null; then
		t_nomatch "$(host_mqueues)" "^$mq\$" "POSIX message queues left on the host"
	fi
}

command_sees_none() {
	setup
	# during CMD the outside holds ns/ipc's segment and queue, the inside nothing
	out=$("$IPC" -v -- sh -c 'echo shm $(($(wc -l </proc/sysvipc/shm) - 1)) msg $(($(wc -l </proc/sysvipc/msg) - 1))' 2>"$T_DIR/err") ||
		t_fail "ns/ipc exited $?: $(cat "$T_DIR/err")"
	t_eq "$out" "shm 0 msg 0" "SysV objects the command sees"
	t_match "$(cat "$T_DIR/err")" '^outside: .*\(([1-9][0-9]*) shm, ([1-9][0-9]*) msg in /proc/sysvipc\)$'
	t_match "$(cat "$T_DIR/err")" '^=> unshare\(CLONE_NEWIPC\|CLONE_NEWNS\)$'
	out=$("$IPC" -- readlink /proc/self/ns/ipc) || t_fail "ns/ipc exited $?"
	t_ne "$out" "ipc:[$(ino ipc)]" "the command's IPC namespace"
}

exit_status_and_bad_input() {
	setup
	shm_before=$(ids shm | sort)
	t_status 6 "$IPC" -- sh -c 'exit 6'
	t_status 127 "$IPC" -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
	t_status 2 "$IPC" -k
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '-k'; see 'ipc -h'"
	t_status 0 "$IPC" -h
	t_match "$T_OUT" '^usage: ipc '
	# the failed runs removed their objects too
	t_eq "$(ids shm | sort)" "$shm_before" "shm ids after the failed runs"
}

t "objects made outside are not found inside, and are removed afterwards" invisible_inside_then_removed
t "CMD inside sees no SysV objects while the outside has some" command_sees_none
t "the exit status is CMD's; bad flags exit 2 with one line; nothing left" exit_status_and_bad_input
t_end
