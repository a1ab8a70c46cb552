#!/bin/sh
# tests/integration/cgroups/v1.t - the v1 fallback: on a hybrid or legacy host the limits
# go into the v1 controller hierarchies (memory.limit_in_bytes, memory.memsw.*, pids.max,
# cpu.cfs_quota_us ...), below our own v1 cgroups, and are removed from every hierarchy.
# A pure v2 host (the VM tier) has no v1 hierarchy: these tests skip there.
#
# Run: sh tests/integration/cgroups/v1.t (`make cgroups` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/cgroups/lib.sh"

need_v1() { # need_v1 CONTROLLER
	cg_setup
	[ "$(cg_mode)" != unified ] || t_skip "a pure cgroup v2 host: no v1 hierarchy (the v1 fallback serves hybrid hosts)"
	cg_v1_dir "$1" x >/dev/null || t_skip "no v1 $1 hierarchy mounted here"
}

limits_land_in_v1_files() {
	need_v1 memory
	need_v1 pids
	need_v1 cpu
	t_defer cg_cleanup
	name=$(cg_name files)
	mem=$(cg_v1_dir memory "$name") pids=$(cg_v1_dir pids "$name") cpu=$(cg_v1_dir cpu "$name")
	out=$("$CGB/run" -c "$name" -m 16m --swap 0 --pids 8 --cpus 0.5 --cpu-weight 100 -- \
		cat "$mem/memory.limit_in_bytes" "$pids/pids.max" "$cpu/cpu.cfs_quota_us" \
		"$cpu/cpu.cfs_period_us" "$cpu/cpu.shares" 2>/dev/null) || t_fail "run exited $?: $out"
	t_eq "$(echo $out)" "16777216 8 50000 100000 2597" "limit_in_bytes pids.max quota period shares"
	[ -e "$mem" ] && t_fail "$mem is still there"
	cg_assert_clean
}

swap_zero_sets_memsw_to_the_limit() {
	need_v1 memory
	t_defer cg_cleanup
	name=$(cg_name memsw)
	mem=$(cg_v1_dir memory "$name")
	[ -e "$(dirname "$mem")/memory.memsw.limit_in_bytes" ] ||
		t_skip "no memory.memsw.* here (kernel without swap accounting)"
	out=$("$CGB/run" -v -c "$name" -m 16m --swap 0 -- cat "$mem/memory.memsw.limit_in_bytes" 2>&1) ||
		t_fail "run exited $?: $out"
	echo "$out"
	t_match "$out" '^=> v1 counts memory\+swap together: memsw = 16777216 \+ 0$'
	t_match "$out" '^16777216$' "memory.memsw.limit_in_bytes"
	cg_assert_clean
}

oom_counted_in_oom_control() {
	need_v1 memory
	t_defer cg_cleanup
	t_status 137 "$CGB/run" -c "$(cg_name oom)" -m 16m --swap 0 -- \
		sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null'
	echo "$T_OUT"
	t_match "$T_OUT" 'the OOM killer killed 1 process \(memory.oom_control oom_kill 1\)'
	cg_assert_clean
}

pids_refused_in_v1_pids_events() {
	need_v1 pids
	t_defer cg_cleanup
	out=$("$CGB/run" -c "$(cg_name pids)" --pids 4 -- sh -c 'for i in 1 2 3 4 5 6; do sleep 1 & done; wait' 2>&1)
	echo "$out"
	t_match "$out" 'forks refused: [1-9][0-9]* at pids.max 4 \(pids.events max [1-9]'
	cg_assert_clean
}

only_below_our_own_cgroups() {
	need_v1 memory
	t_defer cg_cleanup
	name=$(cg_name own)
	# an absolute path is still placed below our own v1 cgroup, never at the root
	out=$("$CGB/run" -c "/$name" -m 32m -- cat /proc/self/cgroup 2>/dev/null) || t_fail "run exited $?"
	echo "$out"
	own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
	t_match "$out" "^[0-9]+:memory:$(echo "$own/$name" | sed 's://*:/:g')\$" "the memory line"
	cg_assert_clean
}

freezer_or_v2_freeze() {
	need_v1 memory
	t_defer cg_cleanup
	name=$(cg_name fz)
	"$CGB/run" -c "$name" -- sleep 30 2>/dev/null &
	held=$!
	t_defer "kill $held 2>/dev/null; wait $held 2>/dev/null; true"
	cg_wait_for "$name"
	out=$("$CGB/freeze" -v "$name" 2>&1) || t_fail "freeze exited $?: $out"
	echo "$out"
	if [ -n "$(cg_v2_mount)" ]; then # hybrid: the v2 tree's core cgroup.freeze
		t_match "$out" '/cgroup.freeze$'
	else
		t_match "$out" '^=> echo FROZEN > .*/freezer.state$'
	fi
	"$CGB/kill" "$name" >/dev/null
	wait $held
	cg_assert_clean
}

io_max_lands_in_blkio_throttle() {
	need_v1 blkio
	t_defer cg_cleanup
	dev=$(for d in /sys/block/*/dev; do [ -e "$d" ] && cat "$d" && break; done)
	[ -n "$dev" ] || t_skip "no block device in this machine to throttle"
	name=$(cg_name io)
	blk=$(cg_v1_dir blkio "$name")
	out=$("$CGB/run" -c "$name" --io-max "$dev wbps=1m riops=100" -- \
		cat "$blk/blkio.throttle.write_bps_device" "$blk/blkio.throttle.read_iops_device" 2>/dev/null) ||
		t_fail "run exited $?: $out"
	echo "$out"
	t_eq "$(echo $out)" "$dev 1048576 $dev 100" "write_bps_device read_iops_device"
	cg_assert_clean
}

t "-m 16m --swap 0 --pids 8 --cpus 0.5 land in the v1 files below our own cgroups" limits_land_in_v1_files
t "--swap 0 sets memory.memsw.limit_in_bytes to the memory limit" swap_zero_sets_memsw_to_the_limit
t "the OOM kill is counted in memory.oom_control" oom_counted_in_oom_control
t "refused forks are counted in the v1 pids.events" pids_refused_in_v1_pids_events
t "an absolute path lands below our own v1 cgroup" only_below_our_own_cgroups
t "freeze uses the v2 tree's cgroup.freeze on hybrid, the v1 freezer on legacy" freezer_or_v2_freeze
t "--io-max 'DEV wbps=1m riops=100' lands in blkio.throttle.*_device" io_max_lands_in_blkio_throttle
t_end
