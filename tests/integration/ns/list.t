#!/bin/sh
# tests/integration/ns/list.t - ns/list: a process's namespaces, inodes, and who shares them.
#
# Run: sh tests/integration/ns/list.t (`make ns` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
LIST=$MR_TOP/ns/list

# one_line TEXT - fail unless TEXT is exactly one line (a bad-input message)
one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
# ino PID TYPE - the namespace inode, from the kernel's own "uts:[4026531838]" link
ino() { readlink "/proc/$1/ns/$2" | sed 's/.*\[\([0-9]*\)\]/\1/'; }
setup() { [ -x "$LIST" ] || t_fail "$LIST is not built; run 'make ns'"; }
# need_setpriv - set SETPRIV to util-linux setpriv (busybox's applet has no --reuid), or skip
need_setpriv() {
	t_need_root
	for SETPRIV in /usr/bin/setpriv /bin/setpriv ''; do
		[ -x "$SETPRIV" ] && "$SETPRIV" --help 2>&1 | grep -q -- --reuid && return 0
	done
	t_skip "needs util-linux setpriv to run as uid 65534"
}
# as_nobody CMD... - run CMD as uid and gid 65534 with no groups, from /
as_nobody() { (cd / && "$SETPRIV" --reuid=65534 --regid=65534 --clear-groups "$@"); }
# a PID that no process has: one that just exited
dead_pid() { sh -c 'exit 0' & _p=$!; wait "$_p"; echo "$_p"; }

all_eight_types_with_inodes() {
	setup
	out=$("$LIST" $$) || t_fail "ns/list exited $?"
	echo "$out"
	t_match "$out" '^TYPE +INODE +NPROCS +PIDS$' "the header"
	n=0
	for type in cgroup ipc mnt net pid time user uts; do
		t_match "$out" "^$type +$(ino $$ "$type") +[0-9]+ " "the $type row"
		n=$((n + 1))
	done
	t_eq "$(echo "$out" | grep -cE '^(cgroup|ipc|mnt|net|pid|time|user|uts) ')" 8 "rows"
	# we are in the same namespaces as our own shell: $$ is in every row's PID list
	t_eq "$("$LIST" -a $$ | grep -cE " $$( |$)")" 8 "rows listing PID $$"
}

default_is_self() {
	setup
	out=$("$LIST" -t uts) || t_fail "exited $?"
	t_match "$out" "^uts +$(ino $$ uts) "
}

alone_in_a_new_namespace() {
	t_need_root
	t_need unshare
	setup
	unshare --uts sh -c 'touch ready; exec sleep 60' &
	pid=$!
	t_defer "kill $pid; wait $pid 2>/dev/null; true"
	i=0
	# ready, and the shell has become sleep: touch (its child, in the namespace too) is
	# reaped by then; "ready" alone could be seen while touch was still a zombie there
	while { [ ! -e ready ] || [ "$(cat /proc/$pid/comm 2>/dev/null)" != sleep ]; } &&
		[ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	out=$("$LIST" -t uts,net "$pid") || t_fail "exited $?"
	echo "$out"
	t_match "$out" "^uts +$(ino "$pid" uts) +1 +$pid$" "the new uts namespace holds only $pid"
	t_ne "$(ino "$pid" uts)" "$(ino $$ uts)" "its uts inode"
	t_match "$out" "^net +$(ino $$ net) +[0-9]+ " "it still shares our net namespace"
	t_nomatch "$out" '^(cgroup|ipc|mnt|pid|time|user) ' "-t uts,net output"
	t_nomatch "$out" '^net +[0-9]+ +1 ' "the shared net namespace's count"
}

unprivileged_counts_what_it_may_see() {
	need_setpriv
	setup
	out=$(as_nobody "$LIST") ||
		t_fail "ns/list as uid 65534 exited $?"
	echo "$out"
	t_eq "$(echo "$out" | grep -cE '^(cgroup|ipc|mnt|net|pid|time|user|uts) ')" 8 "rows"
	t_match "$out" '^\([0-9]+ process(es)? not counted: permission denied' "the note"
}

bad_input() {
	setup
	gone=$(dead_pid)
	t_status 1 "$LIST" "$gone"
	t_eq "$T_OUT" "list: no such process $gone"
	t_status 2 "$LIST" abc
	one_line "$T_OUT"
	t_match "$T_OUT" "PID 'abc' is not a process ID"
	t_status 2 "$LIST" -t uts,bogus
	one_line "$T_OUT"
	t_match "$T_OUT" "'bogus'"
	t_status 2 "$LIST" -x
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '-x'"
	t_status 2 "$LIST" 1 2
	one_line "$T_OUT"
	t_status 0 "$LIST" -h
	t_match "$T_OUT" '^usage: ns/list'
}

t "ns/list \$\$ shows the 8 types, each with its inode, and \$\$ in each" all_eight_types_with_inodes
t "without a PID it lists its own namespaces" default_is_self
t "a process alone in a new uts namespace: 1 process there, many in net" alone_in_a_new_namespace
t "as uid 65534 it lists 8 types and says how many processes it could not see" unprivileged_counts_what_it_may_see
t "bad input: a gone PID, a bad PID, a bad type, a bad flag: one line, exit 1 or 2" bad_input
t_end
