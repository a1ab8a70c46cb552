#!/bin/sh
# tests/integration/cgroups/v2core.t - the core files of a cgroup on the v2 hierarchy:
# mkdir, cgroup.procs, cgroup.freeze, cgroup.kill, cgroup.events. They need no controller,
# so they run on this hybrid host's empty v2 tree as well as in the pure v2 VM.
#
# Run: sh tests/integration/cgroups/v2core.t (`make cgroups` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/cgroups/lib.sh"

need_v2() {
	cg_setup
	[ -n "$(cg_v2_mount)" ] || t_skip "no cgroup2 mount (a legacy v1-only host)"
}

hold() {
	name=$1
	shift
	"$CGB/run" -c "$name" "$@" 2>"$T_DIR/run.err" &
	HELD=$!
	t_defer "kill $HELD 2>/dev/null; wait $HELD 2>/dev/null; true"
	cg_wait_for "$name"
	dir=$(cg_v2_dir "$name")
}

created_with_the_process_in_procs() {
	need_v2
	t_defer cg_cleanup
	hold "$(cg_name procs)" -- sleep 30
	[ -d "$dir" ] || t_fail "no v2 directory $dir"
	pid=$(cat "$dir/cgroup.procs")
	t_match "$pid" '^[0-9]+$' "cgroup.procs"
	t_eq "$(cat /proc/$pid/comm)" sleep "the process in cgroup.procs"
	t_match "$(cat "$dir/cgroup.events")" '^populated 1$' "cgroup.events"
	"$CGB/kill" "$name" >/dev/null
	wait "$HELD"
	[ -d "$dir" ] && t_fail "$dir is still there after run ended"
	cg_assert_clean
}

freeze_sets_frozen_in_events() {
	need_v2
	t_defer cg_cleanup
	hold "$(cg_name freeze)" -- sleep 30
	out=$("$CGB/freeze" -v "$name" 2>&1) || t_fail "freeze exited $?: $out"
	echo "$out"
	t_match "$out" "^=> echo 1 > $dir/cgroup.freeze\$"
	t_eq "$(cat "$dir/cgroup.freeze")" 1 "cgroup.freeze"
	t_match "$(cat "$dir/cgroup.events")" '^frozen 1$' "cgroup.events"
	state=$(awk '/^State:/ { print $2 }' "/proc/$(cat "$dir/cgroup.procs")/status")
	echo "the frozen sleep's state: $state"
	"$CGB/freeze" --thaw "$name" >/dev/null || t_fail "thaw exited $?"
	t_match "$(cat "$dir/cgroup.events")" '^frozen 0$' "cgroup.events after thaw"
	"$CGB/kill" "$name" >/dev/null
	wait "$HELD"
	cg_assert_clean
}

kill_uses_cgroup_kill() {
	need_v2
	t_defer cg_cleanup
	hold "$(cg_name kill)" -- sh -c 'while :; do sleep 10 & wait; done'
	[ -e "$dir/cgroup.kill" ] || t_skip "no cgroup.kill in this kernel (Linux 5.14+)"
	out=$("$CGB/kill" -v "$name" 2>&1) || t_fail "kill exited $?: $out"
	echo "$out"
	t_match "$out" "^=> echo 1 > $dir/cgroup.kill\$"
	t_match "$out" 'the cgroup is empty$'
	wait "$HELD"
	cg_assert_clean
}

kill_of_a_frozen_cgroup_empties_it() {
	need_v2
	t_defer cg_cleanup
	hold "$(cg_name fkill)" -- sh -c 'sleep 100 & wait'
	"$CGB/freeze" "$name" >/dev/null || t_fail "freeze exited $?"
	out=$("$CGB/kill" "$name" 2>&1) || t_fail "kill exited $?: $out"
	t_match "$out" 'sent SIGKILL to 2 processes; the cgroup is empty$'
	wait "$HELD"
	cg_assert_clean
}

child_starts_inside() {
	need_v2
	t_defer cg_cleanup
	out=$("$CGB/run" -v -c "$(cg_name clone)" -- true 2>&1) || t_fail "run exited $?: $out"
	echo "$out"
	if [ "$(cg_mode)" = unified ]; then
		t_match "$out" "^=> clone3\(CLONE_INTO_CGROUP /.*$(cg_name clone)\)\$"
	else # v1 directories too: the child waits until it is in all of them
		t_match "$out" "^=> fork -> [0-9]+, moved into /.*$(cg_name clone), released\$"
	fi
	cg_assert_clean
}

t "the v2 cgroup is a directory and the command is in its cgroup.procs" created_with_the_process_in_procs
t "freeze writes cgroup.freeze; cgroup.events says frozen 1, then 0 after thaw" freeze_sets_frozen_in_events
t "kill writes cgroup.kill and waits for populated 0" kill_uses_cgroup_kill
t "kill empties a frozen cgroup" kill_of_a_frozen_cgroup_empties_it
t "the command starts inside: clone3 CLONE_INTO_CGROUP on v2, else moved before it runs" child_starts_inside
t_end
