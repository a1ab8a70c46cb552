# tests/integration/demo/demo.t - the README's first command: `make demo` runs ./demo.sh.
#
# The tour must run every step it has without a failure, say so on its last line, and
# leave no mount behind.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"

tour_runs_clean() {
	t_need_root
	before=$(t_mounts)
	# the images step imports the built-in image into a store of the test's own
	out=$(MINIRUN_ROOT=$T_DIR/store "$MR_TOP/demo.sh" 2>&1) || t_fail "demo.sh exited $?: $(printf '%s\n' "$out" | grep '!!' | head -5)"
	last=$(printf '%s\n' "$out" | tail -n 1)
	t_match "$last" '^demo: [0-9]+ steps ok, 0 failed, 0 skipped$' "the last line"
	t_eq "$(t_mounts)" "$before" "the mount table after the tour"
	t_match "$(MINIRUN_ROOT=$T_DIR/store "$MR_TOP/minirun/minirun" images)" '^busybox +latest' "minirun images after the tour"
}

one_section_by_name() {
	t_need_root
	out=$("$MR_TOP/demo.sh" uts 2>&1) || t_fail "demo.sh uts exited $?"
	t_match "$out" '^demo: 1 steps? ok, 0 failed' "the last line"
	t_match "$out" 'ns/uts' "the command shown"
}

unknown_step_is_refused() {
	t_status 2 "$MR_TOP/demo.sh" no-such-step
	t_match "$T_OUT" "no-such-step" "the message"
}

t "the guided tour (make demo) runs every step without a failure" tour_runs_clean
t "one step of the tour runs by name" one_section_by_name
t "an unknown step name is refused" unknown_step_is_refused
t_end
