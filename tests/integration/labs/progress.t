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

# fake_course - a course of three tiny labs in $T_DIR/labs, run by a copy of labs/lab (which
# finds its labs beside itself): the test is about labs/lab, not about any real lab
fake_course() {
	mkdir -p "$T_DIR/labs"
	cp "$LAB" "$T_DIR/labs/lab"
	for l in 01-mod/01-first 01-mod/02-second 02-next/01-third; do
		mkdir -p "$T_DIR/labs/$l"
		echo "# the lab $l" >"$T_DIR/labs/$l/README.md"
		cat >"$T_DIR/labs/$l/lab.sh" <<'LAB'
case $1 in
setup) echo made >"$LAB_STATE/made" ;;
run) cp "$LAB_STATE/made" "$LAB_STATE/done" ;;
check) [ -f "$LAB_STATE/done" ] && echo "check: ok - done" ;;
teardown) rm -f "$LAB_STATE/made" "$LAB_STATE/done" ;;
esac
LAB
	done
	FAKE=$T_DIR/labs/lab
}

passing_check_is_recorded_and_next_moves_on() {
	fake_course
	export MR_LAB_PROGRESS="$T_DIR/state/labs.progress"
	out=$("$FAKE" next) || t_fail "next: $out"
	t_match "$out" "^next: 01-mod/01-first " "next on a fresh state"
	t_defer "'$FAKE' 01-mod/01-first teardown >/dev/null 2>&1"
	"$FAKE" 01-mod/01-first setup >/dev/null 2>&1 || t_fail "setup"
	"$FAKE" 01-mod/01-first run >/dev/null 2>&1 || t_fail "run"
	out=$("$FAKE" 01-mod/01-first check 2>&1) || t_fail "check: $out"
	t_match "$(cat "$MR_LAB_PROGRESS")" "^01-mod/01-first passed [0-9]+$" "the state file"
	"$FAKE" 01-mod/01-first teardown >/dev/null 2>&1 || t_fail "teardown"
	[ ! -e /tmp/minirun-lab/01-mod-01-first ] || t_fail "teardown left its scratch dir"
	t_match "$("$FAKE" next)" "^next: 01-mod/02-second " "next after passing the first"
	t_match "$("$FAKE" progress)" "^01-mod: 1 / 2 passed$" "progress of 01-mod"
	t_match "$("$FAKE" progress)" "^02-next: 0 / 1 passed$" "progress of 02-next"
	t_match "$("$FAKE" progress)" "^  \[x\] 01-first +\([0-9]+m [0-9]+s\)$" "the lab's line and time"
	# a failing check records nothing
	t_defer "'$FAKE' 02-next/01-third teardown >/dev/null 2>&1"
	"$FAKE" 02-next/01-third check >/dev/null 2>&1 && t_fail "a check with nothing done passed"
	t_nomatch "$(cat "$MR_LAB_PROGRESS")" "^02-next/01-third passed" "after a failed check"
}

reset_forgets_one_lab_or_all() {
	fake_course
	export MR_LAB_PROGRESS="$T_DIR/labs.progress"
	printf '01-mod/01-first passed 1\n02-next/01-third passed 2\n' >"$MR_LAB_PROGRESS"
	"$FAKE" reset first >/dev/null || t_fail "reset first"
	t_eq "$(cat "$MR_LAB_PROGRESS")" "02-next/01-third passed 2" "after reset of one lab"
	"$FAKE" reset >/dev/null || t_fail "reset"
	[ ! -e "$MR_LAB_PROGRESS" ] || t_fail "reset left $MR_LAB_PROGRESS"
	t_status 2 "$FAKE" reset no-such-lab
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
