#!/bin/sh
# tests/integration/cgroups/run.t - cgroups/run: a command in a fresh cgroup with limits,
# and the report of what the kernel counted. The same behaviours on every host: through
# the v1 fallback on a hybrid host, through v2 controllers in the VM tier.
#
# Run: sh tests/integration/cgroups/run.t (`make cgroups` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/cgroups/lib.sh"

oom_kills_past_memory_limit() {
	cg_setup
	t_defer cg_cleanup
	t_status 137 "$CGB/run" -c "$(cg_name oom)" -m 16m --swap 0 -- \
		sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null'
	echo "$T_OUT"
	t_match "$T_OUT" 'run: exit status 137: killed by signal 9 \(SIGKILL\)'
	t_match "$T_OUT" 'the OOM killer killed 1 process \((memory.events|memory.oom_control) oom_kill 1\)'
	t_match "$T_OUT" 'memory: peak 16.0M of 16.0M'
	cg_assert_clean
}

pids_limit_refuses_forks() {
	cg_setup
	t_defer cg_cleanup
	out=$("$CGB/run" -c "$(cg_name pids)" --pids 8 -- \
		sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done; wait' 2>&1)
	echo "$out"
	t_match "$out" 'run: pids: forks refused: [1-9][0-9]* at pids.max 8 \(pids.events max [1-9]'
	t_match "$out" "fork" "the shell's own complaint"
	cg_assert_clean
}

cpus_tenth_throttles_a_busy_loop() {
	cg_setup
	t_defer cg_cleanup
	# a tenth of a CPU: the loop wants more than its 10 ms in every 100 ms period, so it is
	# throttled (the 50% accuracy test is v2.t's, in the quiet VM). On a machine loaded
	# past its cores the loop may not even get its 10 ms in any period of one second (seen
	# at load 10: 0.02 s in 2.9 s): then it has not asked for more than the quota, and the
	# try says nothing; up to three tries, each in a new cgroup.
	want='cpu: [0-9.]+ s used in [0-9.]+ s; throttled in [1-9][0-9]* of [0-9]+ periods'
	for try in 1 2 3; do
		out=$("$CGB/run" -c "$(cg_name cpu$try)" --cpus 0.1 -- \
			timeout 1 sh -c 'while :; do :; done' 2>&1)
		echo "$out"
		echo "$out" | grep -Eq "$want" && break
	done
	t_match "$out" "$want"
	cg_assert_clean
}

command_runs_inside_the_cgroup() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name inside)
	out=$("$CGB/run" -c "$name" -- cat /proc/self/cgroup 2>/dev/null) || t_fail "run exited $?"
	echo "$out"
	t_match "$out" "/$name\$" "/proc/self/cgroup of the command"
	cg_assert_clean
}

exit_status_is_the_commands() {
	cg_setup
	t_defer cg_cleanup
	t_status 3 "$CGB/run" -c "$(cg_name st3)" -- sh -c 'exit 3'
	t_status 127 "$CGB/run" -c "$(cg_name st127)" -- /nonexistent/cmd
	t_match "$T_OUT" "command not found"
	t_status 0 "$CGB/run" -c "$(cg_name st0)" -- true
	cg_assert_clean
}

leftover_processes_are_killed_and_cgroup_removed() {
	cg_setup
	t_defer cg_cleanup
	# the shell exits at once, leaving a sleeper behind: run must kill it and still
	# remove the cgroup (the odd number marks our sleeper among the machine's processes)
	n=3$$
	t_status 0 "$CGB/run" -c "$(cg_name orphan)" -- sh -c "sleep $n >/dev/null 2>&1 &"
	cg_assert_clean
	for f in /proc/[0-9]*/cmdline; do
		[ "$(tr '\0' ' ' <"$f" 2>/dev/null)" = "sleep $n " ] && t_fail "the sleeper survived: $f"
	done
	return 0
}

closed_pipe_or_term_still_cleans_up() {
	cg_setup
	t_defer cg_cleanup
	# the report goes into a pipe whose reader is gone: no SIGPIPE death before rmdir
	"$CGB/run" -c "$(cg_name pipe)" -- sh -c 'sleep 0.3' 2>&1 | true
	cg_assert_clean
	# SIGTERM to run (as `kill` or a supervisor sends it) is passed on to the command,
	# and run still removes the cgroup
	"$CGB/run" -c "$(cg_name term)" -- sleep 30 2>/dev/null &
	pid=$!
	cg_wait_for "$(cg_name term)"
	kill -TERM $pid
	wait $pid
	t_eq "$?" 143 "run's exit status (sleep died of SIGTERM)"
	cg_assert_clean
}

cpuset_pins_to_one_cpu() {
	cg_setup
	t_defer cg_cleanup
	out=$("$CGB/run" -c "$(cg_name cpuset)" --cpuset 0 -- grep Cpus_allowed_list /proc/self/status 2>&1) ||
		t_fail "run exited $?: $out"
	echo "$out"
	t_match "$out" '^Cpus_allowed_list:[[:space:]]+0$'
	cg_assert_clean
}

verbose_narrates_the_files() {
	cg_setup
	t_defer cg_cleanup
	out=$("$CGB/run" -v -c "$(cg_name verbose)" --pids 5 -- true 2>&1) || t_fail "run exited $?"
	echo "$out"
	t_match "$out" '^=> cgroup mode: (unified|hybrid|legacy)'
	t_match "$out" '^=> mkdir /.*/mr-cgt-'
	t_match "$out" '^=> echo 5 > /.*/pids.max$'
	t_match "$out" '^=> rmdir /'
	cg_assert_clean
}

# A unified host is known by one statfs of /sys/fs/cgroup (detect.c): on this hybrid host, a
# mount namespace of the test's own with cgroup2 on /sys/fs/cgroup plays one (as
# bench/oci-run.sh does); the mounts must not be read there, the caller's cgroup still is.
unified_known_by_statfs() {
	cg_setup
	t_need strace unshare
	out=$(unshare -m --propagation private sh -c '
		if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
			umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 99
		fi
		exec strace -f -qq -e trace=open,openat -o "$1" "$2/tree" -v -d 0' \
		sh "$T_DIR/trace" "$CGB" 2>&1) || t_fail "tree exited $?: $out"
	echo "$out"
	t_match "$out" '^=> cgroup mode: unified \(v2 at /sys/fs/cgroup, 0 v1 hierarchies\)'
	trace=$(cat "$T_DIR/trace")
	t_nomatch "$trace" '"/proc/self/mounts"' "the calls"
	t_match "$trace" '"/proc/self/cgroup"' "the calls"
}

t "run -m 16m --swap 0: a 64M allocation is OOM-killed and the report says so" oom_kills_past_memory_limit
t "run --pids 8: the 9th task's fork is refused and the report counts it" pids_limit_refuses_forks
t "run --cpus 0.1: a busy loop is throttled" cpus_tenth_throttles_a_busy_loop
t "run: the command's /proc/self/cgroup names the new cgroup" command_runs_inside_the_cgroup
t "run: the exit status is the command's (3, 127, 0)" exit_status_is_the_commands
t "run: a process left behind is killed and the cgroup removed" leftover_processes_are_killed_and_cgroup_removed
t "run: a closed report pipe or SIGTERM still removes the cgroup" closed_pipe_or_term_still_cleans_up
t "run --cpuset 0: the command may run on CPU 0 only" cpuset_pins_to_one_cpu
t "run -v narrates mkdir, the limit written and rmdir" verbose_narrates_the_files
t "a unified host is known by statfs: /proc/self/mounts is not read" unified_known_by_statfs
t_end
