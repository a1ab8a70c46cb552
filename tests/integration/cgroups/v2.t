#!/bin/sh
# tests/integration/cgroups/v2.t - the v2 controllers: memory.max and memory.swap.max,
# pids.max, cpu.max, cpuset.cpus, io.max, enabled top-down through cgroup.subtree_control.
# They need a v2 tree that carries controllers: the VM tier (pure v2) runs them; on a
# hybrid host they skip, saying so (the v1 fallback has its own suite, v1.t).
#
# Run: sh tests/integration/cgroups/v2.t (`make cgroups` first), or `MR_SUITES=cgroups make
# test-vm` for the VM. Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/cgroups/lib.sh"

memory_max_oom_kills_and_events_count_it() {
	cg_setup
	cg_need_v2 memory
	t_defer cg_cleanup
	name=$(cg_name mem)
	dir=$(cg_v2_dir "$name")
	t_status 137 "$CGB/run" -v -c "$name" -m 16m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null'
	echo "$T_OUT"
	t_match "$T_OUT" "^=> echo 16777216 > $dir/memory.max\$"
	t_match "$T_OUT" "^=> echo 0 > $dir/memory.swap.max\$"
	t_match "$T_OUT" 'the OOM killer killed 1 process \(memory.events oom_kill 1\)'
	cg_assert_clean
}

subtree_control_enables_top_down() {
	cg_setup
	cg_need_v2 pids
	t_defer cg_cleanup
	name=$(cg_name sub)
	# a nested path: each level hands pids down to the next through cgroup.subtree_control
	out=$("$CGB/run" -v -c "$name/inner" --pids 5 -- cat "$(cg_v2_dir "$name/inner")/pids.max" \
		"$(cg_v2_dir "$name")/cgroup.subtree_control" 2>&1) || t_fail "run exited $?: $out"
	echo "$out"
	t_match "$out" "^=> echo \+pids > $(cg_v2_dir "$name")/cgroup.subtree_control\$"
	t_match "$out" '^5$' "inner pids.max"
	t_match "$out" '^([a-z]+ )*pids( [a-z]+)*$' "the middle level's cgroup.subtree_control"
	t_match "$out" "^=> rmdir $(cg_v2_dir "$name")\$" "the intermediate level run made"
	cg_assert_clean
}

pids_max_fork_fails_with_eagain() {
	cg_setup
	cg_need_v2 pids
	t_defer cg_cleanup
	t_need busybox
	# busybox sh prints fork's errno (dash says only "Cannot fork")
	out=$("$CGB/run" -c "$(cg_name pids)" --pids 8 -- \
		busybox sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done; wait' 2>&1)
	echo "$out"
	t_match "$out" "can't fork: Resource temporarily unavailable" "the shell's fork error (EAGAIN)"
	t_match "$out" 'forks refused: [1-9][0-9]* at pids.max 8 \(pids.events max [1-9]'
	cg_assert_clean
}

cpu_max_half_throttles_within_20_percent() {
	cg_setup
	cg_need_v2 cpu
	t_defer cg_cleanup
	out=$("$CGB/run" -c "$(cg_name cpu)" --cpus 0.5 -- timeout 2 sh -c 'while :; do :; done' 2>&1)
	echo "$out"
	line=$(echo "$out" | grep '^run: cpu: ') || t_fail "no cpu line in the report"
	set -- $(echo "$line" | sed 's/^run: cpu: \([0-9.]*\) s used in \([0-9.]*\) s; throttled in \([0-9]*\) of.*/\1 \2 \3/')
	[ "${3:-0}" -gt 0 ] || t_fail "nr_throttled is ${3:-?}: $line"
	# over the wall time W the quota allows 0.5 W of CPU; the use must be within +-20%
	awk -v u="$1" -v w="$2" 'BEGIN { q = 0.5 * w; exit !(u >= 0.8 * q && u <= 1.2 * q) }' ||
		t_fail "used $1 s of CPU in $2 s: not within 20% of half ($line)"
	cg_assert_clean
}

cpuset_pins_through_v2() {
	cg_setup
	cg_need_v2 cpuset
	t_defer cg_cleanup
	name=$(cg_name cpuset)
	out=$("$CGB/run" -c "$name" --cpuset 0 -- sh -c "grep Cpus_allowed_list /proc/self/status; cat $(cg_v2_dir "$name")/cpuset.cpus.effective" 2>&1) ||
		t_fail "run exited $?: $out"
	echo "$out"
	t_match "$out" '^Cpus_allowed_list:[[:space:]]+0$'
	t_match "$out" '^0$' "cpuset.cpus.effective"
	cg_assert_clean
}

io_max_throttles_a_device() {
	cg_setup
	cg_need_v2 io
	t_defer cg_cleanup
	dev=$(for d in /sys/block/*/dev; do [ -e "$d" ] && cat "$d" && break; done)
	[ -n "$dev" ] || t_skip "no block device in this machine to throttle"
	name=$(cg_name io)
	out=$("$CGB/run" -c "$name" --io-max "$dev wbps=1m" -- cat "$(cg_v2_dir "$name")/io.max" 2>&1) ||
		t_fail "run exited $?: $out"
	echo "$out"
	t_match "$out" "^$dev rbps=max wbps=1048576 riops=max wiops=max"
	cg_assert_clean
}

enabling_a_controller_names_it_when_refused() {
	cg_setup
	cg_need_v2 memory
	t_defer cg_cleanup
	name=$(cg_name busy)
	dir=$(cg_v2_dir "$name")
	mkdir "$dir" || t_fail "mkdir $dir"
	sleep 30 &
	t_defer "kill $! 2>/dev/null; true"
	echo $! >"$dir/cgroup.procs" || t_fail "move our sleep into $dir"
	# $name holds a process, so v2 refuses to hand memory down to children of it
	t_status 125 "$CGB/run" -c "$name/inner" -m 16m -- true
	echo "$T_OUT"
	t_eq "$(printf '%s\n' "$T_OUT" | wc -l)" 1 "lines of output"
	t_match "$T_OUT" "^run: create cgroup '$name/inner': enable controller 'memory': $dir holds processes of its own"
	[ -e "$dir/inner" ] && t_fail "$dir/inner was created"
	t_nomatch "$(cat "$dir/cgroup.subtree_control")" memory "$name's cgroup.subtree_control"
	kill $!
	cg_cleanup
	cg_assert_clean
}

t "memory.max 16M with swap.max 0 OOM-kills a 64M allocation; memory.events counts it" memory_max_oom_kills_and_events_count_it
t "controllers are enabled top-down through cgroup.subtree_control" subtree_control_enables_top_down
t "pids.max 8: fork fails with EAGAIN and pids.events max > 0" pids_max_fork_fails_with_eagain
t "cpu.max 50%: a busy loop is throttled and uses half a CPU within 20%" cpu_max_half_throttles_within_20_percent
t "cpuset.cpus 0 pins the command to CPU 0" cpuset_pins_through_v2
t "io.max limits a block device's writes" io_max_throttles_a_device
t "a controller v2 refuses to enable (no internal processes) is named in one line" enabling_a_controller_names_it_when_refused
t_end
