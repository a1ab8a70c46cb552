#!/bin/sh
# tests/integration/cgroups/tools.t - set, stat, freeze, kill and tree on a cgroup that a
# background `cgroups/run -c NAME` holds open.
#
# Run: sh tests/integration/cgroups/tools.t (`make cgroups` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/cgroups/lib.sh"

# hold NAME [RUN-OPTIONS] -- CMD: run CMD in cgroup NAME in the background; $HELD is run's pid
hold() {
	name=$1
	shift
	"$CGB/run" -c "$name" "$@" 2>"$T_DIR/run.err" &
	HELD=$!
	t_defer "kill $HELD 2>/dev/null; wait $HELD 2>/dev/null; true"
	cg_wait_for "$name"
}

set_writes_and_reads_back() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name set)
	hold "$name" -m 16m --pids 10 -- sleep 30
	out=$("$CGB/set" "$name" memory.max=32m pids.max=20 2>&1) || t_fail "set exited $?: $out"
	echo "$out"
	t_match "$out" '^memory.max = 33554432$'
	t_match "$out" '^pids.max = 20$'
	out=$("$CGB/stat" "$name") || t_fail "stat exited $?"
	t_match "$out" 'max 32.0M'
	t_match "$out" '^pids +current 1 +max 20'
	"$CGB/kill" "$name" >/dev/null || t_fail "kill exited $?"
	wait "$HELD"
	cg_assert_clean
}

set_moves_a_process_in() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name procs)
	hold "$name" -- sleep 30
	sleep 30 &
	pid=$!
	t_defer "kill $pid 2>/dev/null; true"
	out=$("$CGB/set" "$name" cgroup.procs=$pid 2>&1) || t_fail "set exited $?: $out"
	t_match "$(cat /proc/$pid/cgroup)" "/$name\$" "/proc/$pid/cgroup"
	out=$("$CGB/kill" "$name") || t_fail "kill exited $?"
	echo "$out"
	t_match "$out" 'sent SIGKILL to 2 processes; the cgroup is empty'
	wait "$HELD"
	cg_assert_clean
}

stat_shows_readings() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name stat)
	hold "$name" -m 64m --pids 10 -- sleep 30
	out=$("$CGB/stat" "$name") || t_fail "stat exited $?"
	echo "$out"
	t_match "$out" "^cgroup +/.*$name \((unified|hybrid|legacy)\)"
	t_match "$out" '^memory +current [0-9.]+[BKM] +peak .* max 64.0M'
	t_match "$out" '^pids +current 1 +max 10 +refused 0'
	t_match "$out" '^cpu +used [0-9.]+s'
	"$CGB/kill" "$name" >/dev/null
	wait "$HELD"
	cg_assert_clean
}

freeze_stops_and_thaw_resumes() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name freeze)
	f=$T_DIR/count
	hold "$name" -- sh -c "i=0; while :; do i=\$((i+1)); echo \$i >$f.tmp; mv $f.tmp $f; sleep 0.02; done"
	sleep 0.3
	out=$("$CGB/freeze" "$name") || t_fail "freeze exited $?"
	t_eq "$out" "$name: frozen"
	a=$(cat "$f")
	sleep 0.5
	b=$(cat "$f")
	t_eq "$b" "$a" "the count while frozen"
	t_eq "$("$CGB/freeze" --state "$name")" "$name: frozen"
	out=$("$CGB/freeze" --thaw "$name") || t_fail "thaw exited $?"
	t_eq "$out" "$name: thawed"
	sleep 0.5
	c=$(cat "$f")
	[ "$c" -gt "$b" ] || t_fail "the count did not move after thaw: $b -> $c"
	"$CGB/kill" "$name" >/dev/null
	wait "$HELD"
	cg_assert_clean
}

kill_empties_the_cgroup() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name kill)
	hold "$name" -- sh -c 'sleep 100 & sleep 100 & wait'
	sleep 0.2
	out=$("$CGB/kill" "$name") || t_fail "kill exited $?: $out"
	echo "$out"
	t_match "$out" "^$name: sent SIGKILL to 3 processes; the cgroup is empty\$"
	wait "$HELD"
	t_eq "$?" 137 "run's exit status (the shell was SIGKILLed)"
	cg_assert_clean
}

kill_with_term_signals_each() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name term)
	hold "$name" -- sleep 100
	out=$("$CGB/kill" -s TERM "$name") || t_fail "kill exited $?: $out"
	t_match "$out" "sent SIGTERM to 1 process"
	wait "$HELD"
	t_eq "$?" 143 "run's exit status (sleep got SIGTERM)"
	cg_assert_clean
}

tree_shows_limits() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name tree)
	hold "$name" -m 16m --pids 8 -- sleep 30
	out=$("$CGB/tree") || t_fail "tree exited $?"
	echo "$out"
	t_match "$out" "^(├|└)── $name  procs 1  \[[a-z ]*memory[a-z ]*\]  memory.max=16.0M  pids.max=8"
	out=$("$CGB/tree" "$name") || t_fail "tree $name exited $?"
	t_match "$out" "^/.*$name \((unified|hybrid|legacy)\)  procs 1"
	"$CGB/kill" "$name" >/dev/null
	wait "$HELD"
	cg_assert_clean
}

t "set memory.max=32m pids.max=20 writes and reads back" set_writes_and_reads_back
t "set cgroup.procs=PID moves a process in" set_moves_a_process_in
t "stat shows memory, pids and cpu readings" stat_shows_readings
t "freeze stops a counting process and thaw resumes it" freeze_stops_and_thaw_resumes
t "kill SIGKILLs every process and waits until the cgroup is empty" kill_empties_the_cgroup
t "kill -s TERM signals each process" kill_with_term_signals_each
t "tree shows the cgroup with its controllers and limits" tree_shows_limits
t_end
