#!/bin/sh
# tests/integration/ns/join.t - ns/join: setns into a running process's namespaces (nsenter).
#
# Run: sh tests/integration/ns/join.t (as root; `make ns` first). Also runs under busybox sh.
# Each test starts its own target with unshare(1) and kills it by PID when done.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
JOIN=$MR_TOP/ns/join
PATH=/usr/sbin:/usr/bin:/sbin:/bin

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
setup() { t_need_root; t_need unshare; [ -x "$JOIN" ] || t_fail "$JOIN is not built; run 'make ns'"; }
dead_pid() { sh -c 'exit 0' & _p=$!; wait "$_p"; echo "$_p"; }
# wait_ready - wait (up to 5 s) for the target to touch ./ready
wait_ready() {
	_i=0
	while [ ! -e ready ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
	[ -e ready ] || t_fail "the target did not start"
}
# start_uts_target - a process in new uts and ipc namespaces, hostname mr-nsb-join; sets $TARGET
start_uts_target() {
	unshare --uts --ipc sh -c 'hostname mr-nsb-join; touch ready; exec sleep 60' &
	TARGET=$!
	t_defer "kill $TARGET 2>/dev/null; wait $TARGET 2>/dev/null; true"
	wait_ready
}
# start_pid_target - PID 1 (sleep) of new pid and mount namespaces; sets $TARGET to its
# PID as we see it (unshare --fork's child) and $UNSHARE to unshare's
start_pid_target() {
	unshare --pid --fork --mount-proc sh -c 'touch ready; exec sleep 60' &
	UNSHARE=$!
	t_defer "kill $UNSHARE 2>/dev/null; wait $UNSHARE 2>/dev/null; true"
	wait_ready
	TARGET=$(cat "/proc/$UNSHARE/task/$UNSHARE/children" | tr -d ' ')
	# runs first (registered last); SIGKILL, since a namespace's PID 1 ignores any signal
	# from outside that it has no handler for, and sleep has none for SIGTERM
	t_defer "kill -KILL $TARGET 2>/dev/null; true"
	[ -n "$TARGET" ] || t_fail "no child of unshare $UNSHARE"
}

joins_uts_of_a_pid() {
	setup
	start_uts_target
	host=$(hostname)
	out=$("$JOIN" -t uts "$TARGET" -- hostname) || t_fail "ns/join exited $?"
	t_eq "$out" mr-nsb-join "hostname inside the target's uts namespace"
	out=$("$JOIN" "$TARGET" -t uts -- hostname) || t_fail "-t after the PID: exited $?"
	t_eq "$out" mr-nsb-join "with -t after the PID, as the synopsis writes it"
	t_eq "$(hostname)" "$host" "our own hostname"
}

all_namespaces_by_default() {
	setup
	start_uts_target
	out=$("$JOIN" "$TARGET" -- sh -c 'for t in uts ipc net mnt; do readlink /proc/self/ns/$t; done') ||
		t_fail "exited $?"
	want=$(for t in uts ipc net mnt; do readlink "/proc/$TARGET/ns/$t"; done)
	t_eq "$out" "$want" "the joined command's namespaces"
	t_ne "$(readlink /proc/self/ns/uts)" "$(readlink "/proc/$TARGET/ns/uts")" "our uts afterwards"
}

pid_namespace_needs_a_fork() {
	setup
	start_pid_target
	out=$("$JOIN" -t pid,mnt "$TARGET" -- sh -c 'echo $$; cat /proc/1/comm') || t_fail "exited $?"
	echo "$out"
	pid=$(echo "$out" | sed -n 1p)
	[ "$pid" -ge 2 ] && [ "$pid" -lt 10 ] || t_fail "pid inside is '$pid', expected a small number"
	t_eq "$(echo "$out" | sed -n 2p)" sleep "PID 1 of the joined namespace"
	err=$("$JOIN" -v -t pid "$TARGET" -- true 2>&1) || t_fail "exited $?"
	t_match "$err" '^=> fork: only a child enters the pid/time namespace'
	t_status 7 "$JOIN" -t pid "$TARGET" -- sh -c 'exit 7'
}

namespace_files() {
	setup
	start_uts_target
	out=$("$JOIN" --ns "/proc/$TARGET/ns/uts" -- hostname) || t_fail "--ns FILE exited $?"
	t_eq "$out" mr-nsb-join "--ns FILE"
	out=$("$JOIN" --ns "uts=/proc/$TARGET/ns/uts" --ns "ipc=/proc/$TARGET/ns/ipc" -- \
		readlink /proc/self/ns/ipc) || t_fail "--ns TYPE=FILE exited $?"
	t_eq "$out" "$(readlink "/proc/$TARGET/ns/ipc")" "--ns ipc=FILE"
	t_status 1 "$JOIN" --ns "net=/proc/$TARGET/ns/uts" -- hostname
	one_line "$T_OUT"
	t_match "$T_OUT" "is a uts namespace, not net$"
	t_status 1 "$JOIN" --ns /etc/passwd -- hostname
	one_line "$T_OUT"
	t_match "$T_OUT" "'/etc/passwd': not a namespace file"
	t_status 1 "$JOIN" --ns /no/such/file -- hostname
	one_line "$T_OUT"
	t_status 2 "$JOIN" --ns "/proc/$TARGET/ns/uts" -t uts -- hostname
	one_line "$T_OUT"
}

bad_input() {
	setup
	gone=$(dead_pid)
	t_status 1 "$JOIN" "$gone" -- true
	t_eq "$T_OUT" "join: no such process $gone"
	t_status 1 "$JOIN" -t uts "$gone"
	t_eq "$T_OUT" "join: no such process $gone"
	t_status 2 "$JOIN" -t uts,bogus $$ -- true
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown namespace type 'bogus'"
	t_status 2 "$JOIN" abc -- true
	one_line "$T_OUT"
	t_match "$T_OUT" "PID 'abc' is not a process ID"
	t_status 2 "$JOIN" $$ hostname
	one_line "$T_OUT"
	t_match "$T_OUT" "put '--' before the command"
	t_status 2 "$JOIN"
	one_line "$T_OUT"
	t_status 2 "$JOIN" -x
	one_line "$T_OUT"
	t_status 127 "$JOIN" -t uts $$ -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
}

becomes_root_of_a_user_namespace() {
	setup
	[ -x "$MR_TOP/ns/user" ] || t_fail "ns/user is not built; run 'make ns'"
	# ns/user's child maps 0:100000:65536 and runs sleep as root of its user namespace
	(cd / && exec "$MR_TOP/ns/user" -- sleep 60) >/dev/null 2>&1 &
	parent=$!
	t_defer "kill $parent 2>/dev/null; wait $parent 2>/dev/null; true"
	TARGET="" i=0
	while [ $i -lt 50 ]; do
		TARGET=$(tr -d ' ' <"/proc/$parent/task/$parent/children" 2>/dev/null)
		[ -n "$TARGET" ] && [ "$(cat "/proc/$TARGET/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$TARGET" ] || t_fail "the target did not start"
	t_defer "kill -KILL $TARGET 2>/dev/null; true"
	out=$("$JOIN" -t user "$TARGET" -- sh -c 'id -u; id -g; cat /proc/self/uid_map') || t_fail "exited $?"
	echo "$out"
	t_eq "$(echo "$out" | sed -n 1p)" 0 "uid after joining the user namespace"
	t_eq "$(echo "$out" | sed -n 2p)" 0 "gid after joining the user namespace"
	t_match "$out" '^ +0 +100000 +65536$' "the joined namespace's uid_map"
}

nothing_left_behind() {
	setup
	start_pid_target
	"$JOIN" -t pid "$TARGET" -- sh -c 'exit 0' || t_fail "exited $?"
	# the only process in the target's pid namespace is still its own PID 1
	ns=$(readlink "/proc/$TARGET/ns/pid")
	n=0
	for p in /proc/[0-9]*; do [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] && n=$((n + 1)); done
	t_eq "$n" 1 "processes in the joined pid namespace after ns/join returned"
}

t "ns/join -t uts PID -- hostname runs in the target's uts namespace" joins_uts_of_a_pid
t "without -t it joins every namespace of the target" all_namespaces_by_default
t "joining a pid namespace forks: the command gets a pid inside, its status comes back" pid_namespace_needs_a_fork
t "--ns [TYPE=]FILE joins a namespace file; wrong type or not a namespace: one line" namespace_files
t "bad input: a gone PID, a bad type or PID, no '--', 127: one line each" bad_input
t "joining a user namespace makes the command its root (uid and gid 0), as nsenter does" becomes_root_of_a_user_namespace
t "after ns/join returns, nothing of it is left in the joined namespace" nothing_left_behind
t_end
