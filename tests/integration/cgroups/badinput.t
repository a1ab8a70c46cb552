#!/bin/sh
# tests/integration/cgroups/badinput.t - bad input to the cgroups/ tools: one line naming
# the input and what to do, a non-zero exit, and no cgroup created or removed.
#
# Run: sh tests/integration/cgroups/badinput.t (`make cgroups` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/cgroups/lib.sh"

one_line() { [ "$(printf '%s\n' "$T_OUT" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $T_OUT"; }

# refused EXIT PATTERN CMD... - CMD exits EXIT with one line matching PATTERN
refused() {
	want=$1 pat=$2
	shift 2
	t_status "$want" "$@"
	echo "$T_OUT"
	one_line
	t_match "$T_OUT" "$pat"
}

bad_sizes_and_cpus() {
	cg_setup
	t_defer cg_cleanup
	refused 2 "^run: -m: '12x' is not a size \(use a number with b, k, m or g: 256m\)\$" \
		"$CGB/run" -c "$(cg_name m)" -m 12x -- true
	refused 2 "^run: --cpus '-1' is not a number of CPUs" \
		"$CGB/run" -c "$(cg_name c)" --cpus -1 -- true
	refused 2 "^run: --swap: '1q' is not a size" "$CGB/run" -c "$(cg_name s)" -m 1g --swap 1q -- true
	refused 2 "^run: --pids '0' is not a number in 1\.\.4194304 or 'max'" \
		"$CGB/run" -c "$(cg_name p)" --pids 0 -- true
	refused 2 "^run: --io-max: io limit 'sda' does not start with a device MAJOR:MINOR" \
		"$CGB/run" -c "$(cg_name i)" --io-max sda -- true
	refused 125 "^run: cpuset.cpus '999' is not a list of CPUs cgroup '/.*$CG_PREFIX-cpuset' may use \(it may use [0-9]" \
		"$CGB/run" -c "$(cg_name cpuset)" --cpuset 999 -- true
	refused 2 "^run: no command given" "$CGB/run" -c "$(cg_name n)"
	refused 2 "^set: 'memory.max' is not KEY=VALUE" "$CGB/set" "$(cg_name x)" memory.max
	refused 2 "^set: memory.max: '1z' is not a size" "$CGB/set" "$(cg_name x)" memory.max=1z
	cg_assert_clean
}

paths_outside_the_hierarchy() {
	cg_setup
	t_defer cg_cleanup
	refused 125 "^run: '/tmp/$CG_PREFIX' is outside the cgroup hierarchy \(give a cgroup path like mr-x" \
		"$CGB/run" -c "/tmp/$CG_PREFIX" -- true
	refused 125 "^set: '/etc' is outside the cgroup hierarchy" "$CGB/set" /etc pids.max=1
	refused 125 "^stat: '/sys/kernel' is outside the cgroup hierarchy" "$CGB/stat" /sys/kernel
	refused 125 "^run: cgroup path '\.\./$CG_PREFIX' holds '\.\.' \(it must stay inside the hierarchy" \
		"$CGB/run" -c "../$CG_PREFIX" -- true
	refused 125 "^freeze: no cgroup '$CG_PREFIX-none' \(cgroups/tree lists them\)\$" \
		"$CGB/freeze" "$CG_PREFIX-none"
	[ -e "/tmp/$CG_PREFIX" ] && t_fail "/tmp/$CG_PREFIX was created"
	cg_assert_clean
}

missing_controller_and_dead_pid() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name held)
	"$CGB/run" -c "$name" -- sleep 30 2>/dev/null &
	held=$!
	t_defer "kill $held 2>/dev/null; wait $held 2>/dev/null; true"
	cg_wait_for "$name"
	# no kernel has a "nosuch" controller
	refused 125 "^set: cgroup '/.*$name' has no 'nosuch' controller \(not in this kernel, or not enabled" \
		"$CGB/set" "$name" nosuch.max=1
	# hugetlb: on a hybrid host no tree gives it to our cgroups (in the VM the init enables
	# every controller at the root, so the cgroup has it there)
	if ! "$CGB/tree" "$name" | grep -q '\[.*hugetlb.*\]'; then
		refused 125 "^set: cgroup '/.*$name' has no 'hugetlb' controller" \
			"$CGB/set" "$name" hugetlb.2MB.max=0
	fi
	sh -c 'exit 0' &
	dead=$!
	wait $dead
	refused 125 "^set: no such process $dead \(it may have exited already\)\$" \
		"$CGB/set" "$name" cgroup.procs=$dead
	# the held cgroup is untouched by all that
	t_match "$("$CGB/stat" "$name")" '^pids +current 1'
	"$CGB/kill" "$name" >/dev/null
	wait $held
	cg_assert_clean
}

existing_cgroup_is_not_taken_over() {
	cg_setup
	t_defer cg_cleanup
	name=$(cg_name busy)
	"$CGB/run" -c "$name" -- sleep 30 2>/dev/null &
	held=$!
	t_defer "kill $held 2>/dev/null; wait $held 2>/dev/null; true"
	cg_wait_for "$name"
	refused 125 "^run: create cgroup '$name': cgroup '/.*$name' already exists \(choose another name\)\$" \
		"$CGB/run" -c "$name" -- true
	# the failed run removed nothing: the first one's cgroup and process are still there
	t_match "$("$CGB/stat" "$name")" '^pids +current 1'
	"$CGB/kill" "$name" >/dev/null
	wait $held
	cg_assert_clean
}

t "-m 12x, --cpus -1, --pids 0 and friends: one line, exit 2, nothing created" bad_sizes_and_cpus
t "a path outside the hierarchy, or climbing out with .., is refused" paths_outside_the_hierarchy
t "a missing controller and a dead pid are named, the cgroup untouched" missing_controller_and_dead_pid
t "run -c on an existing cgroup refuses and removes nothing" existing_cgroup_is_not_taken_over
t_end
