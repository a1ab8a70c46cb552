#!/bin/sh
# tests/integration/labs/progress.t - labs/lab keeps a learner's progress in the learner's own
# state file: `next` names the first lab not passed in course order, `progress` counts per
# module, `reset` forgets, and nothing is written into the checkout.
#
#   sh tests/integration/labs/progress.t
# See: labs/lab
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
. "$MR_TOP/tests/lib/t.sh"

LAB=$MR_TOP/labs/lab

first_lab() { "$LAB" list | awk 'NR == 1 { print $1 }'; }

passing_check_is_recorded_and_next_moves_on() {
	t_need_root
	export MR_LAB_PROGRESS="$T_DIR/state/labs.progress"
	first=$(first_lab)
	out=$("$LAB" next) || t_fail "next: $out"
	t_match "$out" "^next: $first " "next on a fresh state"
	# the first lab passed by hand, as a learner would: setup, run, check
	t_defer "'$LAB' '$first' teardown >/dev/null 2>&1"
	"$LAB" "$first" setup >/dev/null 2>&1 || t_fail "setup of $first"
	"$LAB" "$first" run >/dev/null 2>&1 || t_fail "run of $first"
	out=$("$LAB" "$first" check 2>&1) || t_fail "check of $first: $out"
	t_match "$(cat "$MR_LAB_PROGRESS")" "^$first passed [0-9]+$" "the state file"
	"$LAB" "$first" teardown >/dev/null 2>&1 || t_fail "teardown of $first"
	scratch=/tmp/minirun-lab/$(echo "$first" | tr / -)
	[ ! -e "$scratch" ] || t_fail "teardown left $scratch"
	out=$("$LAB" next)
	t_nomatch "$out" "^next: $first " "next after passing $first"
	module=${first%%/*}
	total=$("$LAB" list | awk -v m="$module/" 'index($1, m) == 1' | wc -l | tr -d ' ')
	t_match "$("$LAB" progress)" "^$module: 1 / $total passed$" "progress of $module"
	t_match "$("$LAB" progress)" "^  \[x\] ${first#*/} +\([0-9]+m [0-9]+s\)$" "the lab's line and time"
}

reset_forgets_one_lab_or_all() {
	export MR_LAB_PROGRESS="$T_DIR/labs.progress"
	first=$(first_lab)
	printf '%s passed 1\nother/lab passed 2\n' "$first" >"$MR_LAB_PROGRESS"
	"$LAB" reset "$first" >/dev/null || t_fail "reset $first"
	t_eq "$(cat "$MR_LAB_PROGRESS")" "other/lab passed 2" "after reset of one lab"
	"$LAB" reset >/dev/null || t_fail "reset"
	[ ! -e "$MR_LAB_PROGRESS" ] || t_fail "reset left $MR_LAB_PROGRESS"
	t_status 2 "$LAB" reset no-such-lab
}

progress_lists_every_module_on_a_fresh_state() {
	export MR_LAB_PROGRESS="$T_DIR/none/labs.progress"
	out=$("$LAB" progress) || t_fail "progress: $out"
	for m in $(ls -d "$MR_TOP"/labs/[0-9][0-9]-*/ | xargs -n1 basename); do
		n=$(find "$MR_TOP/labs/$m" -mindepth 2 -maxdepth 2 -name lab.sh | wc -l | tr -d ' ')
		[ "$n" = 0 ] && continue
		t_match "$out" "^$m: 0 / $n passed$" "progress of $m"
	done
	[ ! -e "$MR_LAB_PROGRESS" ] || t_fail "progress wrote a state file"
}

nothing_written_into_the_checkout() {
	command -v git >/dev/null && [ -d "$MR_TOP/.git" ] || t_skip "needs a git checkout"
	export MR_LAB_PROGRESS="$T_DIR/labs.progress"
	before=$(git -C "$MR_TOP" status --porcelain --ignored labs)
	"$LAB" next >/dev/null
	"$LAB" progress >/dev/null
	t_eq "$(git -C "$MR_TOP" status --porcelain --ignored labs)" "$before" "git status of labs/"
}

t "a passing check is recorded in the learner's state, next moves on, teardown leaves no scratch dir" passing_check_is_recorded_and_next_moves_on
t "reset forgets one lab, or every lab" reset_forgets_one_lab_or_all
t "progress lists every module's labs on a fresh state, writing nothing" progress_lists_every_module_on_a_fresh_state
t "next and progress write nothing into the checkout" nothing_written_into_the_checkout
t_end
