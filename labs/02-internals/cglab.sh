# labs/02-internals/cglab.sh - what the cgroup labs share (sourced by the lab.sh of
# labs/02-internals/11-15 and 17; not a lab itself).
#
# A cgroup lab runs the cgroups/ tools on cgroups of its own, named after the lab: $CG, or
# $CG-SOMETHING (mr-lab-psi-free). `cgroups/run -c NAME` makes one below the cgroup it runs
# in, in every hierarchy it uses (a hybrid host's v1 trees and its v2 tree), and removes it
# again when its command ends; nothing else of the machine's cgroups is touched. The steps:
#   setup     checks the machine (need), clears what an interrupted run left, makes $LAB_STATE
#   run       does the README's steps (run_), leaving their reports in $LAB_STATE
#   check     the lab's verdict on them (check_), which ends in `passed MSG`: that also
#             fails when a cgroup of the lab is left behind
#   teardown  kills whatever still runs in a cgroup of the lab (an interrupted run, a
#             background loop), removes those cgroups, deepest first, and the lab's files
#
# A lab.sh sets CG (mr-lab-NAME), NEEDS (what its lesson needs of the kernel: controller
# names, freezer, psi; need adds the memory and pids controllers every cgroups/run wants),
# FILES (what its steps leave in $LAB_STATE), sources this file, defines hint, run_ and
# check_, then calls `steps "$@"`.
# POSIX sh: runs under dash and busybox ash.
set -u
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
MR_TOP=${MR_TOP:-$(cd "$LAB_DIR/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-$(basename "$LAB_DIR")}
# the run steps' commands read $LAB_STATE in their own shells (sh -c '... "$LAB_STATE/count"')
export MR_TOP LAB_STATE
cd "$MR_TOP" || exit 1
# expect, expect_or, pass, fail (and starttime, remember, kill_remembered, pid, realtool, BB: unused here)
. "$MR_TOP/labs/lib.sh"

# oneline - its input's lines as one line, space-separated (for messages)
oneline() { tr '\n' ' ' | sed 's/ *$//'; }

# v2_mount - where the cgroup v2 tree is mounted (/sys/fs/cgroup; /sys/fs/cgroup/unified on
# a hybrid host), or nothing
v2_mount() { awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts; }

# v1_controllers - the controllers of the mounted v1 hierarchies, one a line; nothing on a
# pure v2 host (name=systemd is a hierarchy without a controller: not one)
v1_controllers() {
	awk '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) print o[i] }' /proc/self/mounts |
		grep -Ex 'cpu|cpuacct|cpuset|memory|devices|freezer|net_cls|blkio|perf_event|net_prio|hugetlb|pids|rdma|misc'
}

# need_controller NAME - cgroups/run can give the lab's cgroup the controller NAME, else
# exit 77 with the reason. As cgroups/cgroup.c's cg_create decides: where v1 hierarchies
# are mounted (a hybrid or legacy host) the controllers come from them; on a pure v2 host
# from the v2 tree, where our own cgroup's cgroup.controllers lists what it may hand down.
need_controller() {
	_v1=$(v1_controllers)
	if [ -n "$_v1" ]; then
		# io's v1 name is blkio (cgroups/cgroup_v1.c writes io.max as blkio.throttle.*)
		[ "$1" = io ] && set -- blkio
		echo "$_v1" | grep -qx "$1" ||
			{ echo "no v1 hierarchy has the $1 controller here (v1: $(echo "$_v1" | oneline)); see grep $1 /proc/cgroups"; exit 77; }
		return 0
	fi
	_own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ "$_own" != / ] || _own=
	_f=$(v2_mount)$_own/cgroup.controllers
	# unreadable (a cgroup namespace's view, say): cgroups/run will tell
	[ -r "$_f" ] || return 0
	grep -qw "$1" "$_f" ||
		{ echo "the $1 controller is not in $_f ($(cat "$_f")): the kernel lacks it or a parent cgroup did not enable it"; exit 77; }
}

# need - this machine can run the lab (exit 77 with the reason when it cannot; 1 when the
# toolkit is not built yet, which is something to fix, not a missing feature)
need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating cgroups needs write access to /sys/fs/cgroup (use sudo)"; exit 77; }
	[ -x cgroups/run ] || { echo "cgroups/run is not built: run 'make cgroups' first"; exit 1; }
	awk '$3 == "cgroup" || $3 == "cgroup2" { f = 1 } END { exit !f }' /proc/self/mounts ||
		{ echo "no cgroup filesystem is mounted here (mount -t cgroup2 none /sys/fs/cgroup)"; exit 77; }
	# cgroups/run reports the memory and pids counters of every cgroup it makes: it wants
	# both controllers whatever the lab limits
	for _n in memory pids ${NEEDS:-}; do
		case $_n in
		psi)
			[ -r /proc/pressure/cpu ] || { echo "no PSI in this kernel (CONFIG_PSI, or booted with psi=0)"; exit 77; }
			[ -n "$(v2_mount)" ] || { echo "no cgroup v2 tree here: per-cgroup PSI lives in it"; exit 77; }
			;;
		freezer)
			# cgroups/freeze uses the v2 tree's cgroup.freeze wherever there is a v2 tree
			# (a hybrid host's too), the v1 freezer only on a legacy host
			if [ -n "$(v2_mount)" ]; then
				uname -r | awk -F'[.-]' '{ exit !($1 > 5 || ($1 == 5 && $2 >= 2)) }' ||
					{ echo "cgroup.freeze came in Linux 5.2; this kernel is $(uname -r)"; exit 77; }
			else
				need_controller freezer
			fi
			;;
		*) need_controller "$_n" ;;
		esac
	done
}

# leftovers - the lab's cgroups still there, in every hierarchy, one directory a line
leftovers() { find /sys/fs/cgroup -maxdepth 6 -type d \( -name "$CG" -o -name "$CG-*" \) 2>/dev/null; }

# teardown_all - kill what still runs in the lab's cgroups, remove them and the lab's files
teardown_all() {
	for _d in $(leftovers); do
		# thawed first: a v1-frozen task does not die until it is thawed (v2 lets SIGKILL
		# through); then everything in it is killed
		[ -f "$_d/cgroup.freeze" ] && echo 0 >"$_d/cgroup.freeze" 2>/dev/null
		[ -f "$_d/freezer.state" ] && echo THAWED >"$_d/freezer.state" 2>/dev/null
		for _p in $(cat "$_d/cgroup.procs" 2>/dev/null); do kill -KILL "$_p" 2>/dev/null; done
	done
	# deepest first (a cgroup with children cannot go), each once its killed tasks are gone;
	# the cgroups/run that made one may be removing it at the same time
	for _d in $(leftovers | awk '{ print length($0), $0 }' | sort -rn | cut -d' ' -f2-); do
		_i=0
		while grep -q . "$_d/cgroup.procs" 2>/dev/null && [ $_i -lt 20 ]; do sleep 0.1; _i=$((_i + 1)); done
		rmdir "$_d" 2>/dev/null
	done
	for _f in ${FILES:-}; do rm -f "$LAB_STATE/$_f"; done
	rmdir "$LAB_STATE" 2>/dev/null
	[ -z "$(leftovers)" ] || { echo "teardown: cannot remove $(leftovers | oneline)"; return 1; }
	echo "torn down: no cgroup of the lab ($CG) is left, nor its files"
}

# have FILE... - the steps' reports FILE (in $LAB_STATE) are there and not empty, else fail
have() {
	for _f; do
		[ -s "$LAB_STATE/$_f" ] || fail "$LAB_STATE/$_f is missing: do the steps first"
	done
}

# passed MSG - check's last word: "check: ok - MSG", once no cgroup of the lab is left (an
# assertion of its own)
passed() {
	expect_or "no cgroup of the lab is left behind" "left: $(leftovers | oneline)" [ -z "$(leftovers)" ]
	echo "check: ok - $*"
}

# steps - the standard dispatch; a lab.sh defines hint, run_ and check_
steps() {
	case "${1:-}" in
	setup)
		need
		teardown_all >/dev/null ||
			{ echo "setup: a cgroup of the lab, left from before, cannot be removed: $(leftovers | oneline)"; exit 1; }
		mkdir -p "$LAB_STATE" || exit 1
		echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
		;;
	run) need; mkdir -p "$LAB_STATE" && run_ ;;
	check) need; check_ ;;
	hint) hint ;;
	teardown) teardown_all ;;
	*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
	esac
}
