# tests/integration/cgroups/lib.sh - helpers shared by the cgroups/ suites (sourced, not run).
#
# Every cgroup a suite makes is named mr-cgt-<suite pid>-<what>, so that the leak check
# looks at our own cgroups only: other engineers' tests run on the same machine.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
CGB=$MR_TOP/cgroups
CG_PREFIX=mr-cgt-$$

cg_setup() {
	t_need_root
	[ -x "$CGB/run" ] || t_fail "$CGB/run is not built; run 'make cgroups'"
}

# cg_name WHAT - a cgroup name of this suite
cg_name() { echo "$CG_PREFIX-$1"; }

# cg_mode - unified, hybrid or legacy, as the library says it
cg_mode() {
	if grep -q '^cgroup2 ' /proc/self/mounts; then
		if awk '$3 == "cgroup" && $4 !~ /name=/' /proc/self/mounts | grep -q .; then echo hybrid; else echo unified; fi
	else
		echo legacy
	fi
}

# cg_v2_mount - where cgroup2 is mounted ("" if not)
cg_v2_mount() { awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts; }

# cg_v2_dir NAME - the v2 directory of cgroup NAME made below our own v2 cgroup
cg_v2_dir() {
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	echo "$(cg_v2_mount)$own/$1" | sed 's://*:/:g'
}

# cg_v1_dir CONTROLLER NAME - its v1 directory, below our own cgroup of that hierarchy
cg_v1_dir() {
	mnt=$(awk -v c="$1" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $2; exit } }' /proc/self/mounts)
	[ -n "$mnt" ] || return 1
	own=$(awk -F: -v c="$1" '{ n = split($2, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) print $3 }' /proc/self/cgroup)
	echo "$mnt$own/$2" | sed 's://*:/:g'
}

# cg_v2_has CONTROLLER - the v2 tree offers CONTROLLER to our children
cg_v2_has() {
	[ "$(cg_mode)" = unified ] || return 1
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	grep -qw "$1" "$(cg_v2_mount)$own/cgroup.controllers" 2>/dev/null
}

# cg_need_v2 CONTROLLER - skip unless the v2 tree has CONTROLLER, saying where this runs
cg_need_v2() {
	cg_v2_has "$1" && return 0
	if [ "$(cg_mode)" = hybrid ]; then
		t_skip "the v2 hierarchy here has no $1 controller (hybrid host); runs in the VM tier"
	fi
	t_skip "the v2 hierarchy here has no $1 controller"
}

# cg_leftovers - our cgroup directories still present, in any hierarchy, deepest first
cg_leftovers() {
	find /sys/fs/cgroup -maxdepth 6 -type d -name "$CG_PREFIX-*" 2>/dev/null | awk '{ print length($0), $0 }' |
		sort -rn | cut -d' ' -f2-
}

# cg_assert_clean - fail if any cgroup of this suite is left behind
cg_assert_clean() {
	left=$(cg_leftovers)
	[ -z "$left" ] || t_fail "cgroups left behind: $left"
}

# cg_cleanup - kill what is in our leftover cgroups (ours only) and remove them
cg_cleanup() {
	for d in $(cg_leftovers); do
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	done
	i=0
	while [ -n "$(cg_leftovers)" ] && [ $i -lt 50 ]; do
		for d in $(cg_leftovers); do rmdir "$d" 2>/dev/null; done
		i=$((i + 1))
		sleep 0.1
	done
}

# cg_wait_for NAME - wait until cgroup NAME exists and holds a process (a background
# `run -c NAME` made it and started its command)
cg_wait_for() {
	i=0
	until "$CGB/stat" "$1" 2>/dev/null | grep -Eq '^pids +current [1-9]'; do
		i=$((i + 1))
		[ $i -lt 100 ] || t_fail "cgroup $1 did not appear"
		sleep 0.05
	done
}

# cg_wait_gone PID - wait for background PID to end; its exit status in $CG_STATUS
cg_wait_gone() { wait "$1"; CG_STATUS=$?; }
