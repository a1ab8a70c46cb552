#!/bin/sh
# tests/integration/minirun/help.t - one command-line convention everywhere: every tiny
# program (ns/, cgroups/, netns/, unionfs/) and every minirun verb and sub-verb answers
# --help with its usage on stdout and status 0, and refuses a bogus flag in one line
# naming it, with the status docs/HACKING.md's table gives (2 for a tiny program, 125 for
# minirun, in docker's two lines; one line and 2 for the OCI runtime's verbs, as before).
#
#   sh tests/integration/minirun/help.t
#
# The verbs are read from `minirun --help` and each group's --help, so a new verb is walked
# without editing this file. See: lib/cli.h, ns/uts.c (the tiny programs' template).
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
. "$MR_TOP/tests/lib/t.sh"

MR=$MR_TOP/minirun/minirun
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
BOGUS=--bogus-flag

need_built() { [ -x "$MR" ] || t_skip "minirun/minirun is not built (make)"; }

# the tiny programs: every built PROG next to a PROG.c that has a main()
tiny_programs() {
	for d in ns cgroups netns unionfs; do
		for c in "$MR_TOP/$d"/*.c; do
			p=${c%.c}
			[ -x "$p" ] && grep -q '^int main(' "$c" && echo "$d/${p##*/}"
		done
	done
}

# check_tiny PROG - --help: 0, "usage:" on stdout, nothing on stderr; a bogus flag: 2, one
# line on stderr naming it, nothing on stdout
check_tiny() {
	out=$("$MR_TOP/$1" --help 2>"$T_DIR/err")
	rc=$?
	[ $rc = 0 ] || echo "$1 --help exited $rc"
	case $out in usage:*) ;; *) echo "$1 --help: no usage on stdout: $(echo "$out" | head -1)" ;; esac
	[ -s "$T_DIR/err" ] && echo "$1 --help wrote on stderr: $(head -1 "$T_DIR/err")"
	out=$("$MR_TOP/$1" $BOGUS 2>"$T_DIR/err")
	rc=$?
	[ $rc = 2 ] || echo "$1 $BOGUS exited $rc, not 2"
	[ -z "$out" ] || echo "$1 $BOGUS wrote on stdout"
	[ "$(wc -l <"$T_DIR/err")" = 1 ] || echo "$1 $BOGUS: $(wc -l <"$T_DIR/err") lines on stderr"
	grep -q -- "$BOGUS" "$T_DIR/err" || echo "$1 $BOGUS: the line does not name it: $(cat "$T_DIR/err")"
}

tiny_help_and_bogus_flag() {
	n=0 bad=""
	for p in $(tiny_programs); do
		n=$((n + 1))
		r=$(check_tiny "$p")
		[ -z "$r" ] || bad="$bad
$r"
	done
	[ $n -ge 25 ] || t_fail "only $n tiny programs found: are they built?"
	[ -z "$bad" ] || t_fail "$bad"
	echo "$n programs walked"
}

# names listed under the headings of a --help text (two-space indented words)
listed() { sed -n 's/^  \([a-z][a-z-]*\)  *[^ ].*$/\1/p; s/^  \([a-z][a-z-]*\)$/\1/p'; }

# minirun_verbs - "VERB" and "GROUP VERB", from minirun --help and each group's --help
minirun_verbs() {
	for v in $("$MR" --help | sed -n '/^Options:/,/^$/d; /:$/,/^$/p' | listed); do
		case $v in
		builder | container | image | network | system | volume) echo "$v"
			for s in $("$MR" "$v" --help | sed -n '/^Commands:/,/^$/p' | listed); do
				echo "$v $s"
			done ;;
		oci) for s in $("$MR" oci --help | sed -n '/^verbs:/,/^$/p' | listed); do
				echo "oci $s"
			done ;;
		*) echo "$v" ;;
		esac
	done
}

# check_verb WORDS - the verb WORDS (word-split on purpose) against the table's codes
check_verb() {
	# shellcheck disable=SC2086
	out=$("$MR" --root "$T_DIR/root" $1 --help 2>"$T_DIR/err")
	rc=$?
	[ $rc = 0 ] || echo "minirun $1 --help exited $rc"
	case $out in [Uu]sage:*) ;; *) echo "minirun $1 --help: no usage on stdout" ;; esac
	[ -s "$T_DIR/err" ] && echo "minirun $1 --help wrote on stderr: $(head -1 "$T_DIR/err")"
	# shellcheck disable=SC2086
	out=$("$MR" --root "$T_DIR/root" $1 $BOGUS 2>"$T_DIR/err")
	rc=$?
	[ -z "$out" ] || echo "minirun $1 $BOGUS wrote on stdout: $out"
	case $1 in
	oci*)
		[ $rc = 2 ] || echo "minirun $1 $BOGUS exited $rc, not 2"
		[ "$(wc -l <"$T_DIR/err")" = 1 ] || echo "minirun $1 $BOGUS: $(wc -l <"$T_DIR/err") lines"
		grep -q -- "$BOGUS" "$T_DIR/err" || echo "minirun $1 $BOGUS: not named: $(cat "$T_DIR/err")"
		;;
	builder | container | image | network | system | volume) # a group: BOGUS is an unknown command to it
		[ $rc = 1 ] || echo "minirun $1 $BOGUS exited $rc, not 1"
		t_eq "$(sed -n 1p "$T_DIR/err")" "minirun: unknown command \"$BOGUS\" for \"minirun $1\"" \
			"minirun $1 $BOGUS" 2>&1 | sed 's/^FAIL: //'
		;;
	*)
		[ $rc = 125 ] || echo "minirun $1 $BOGUS exited $rc, not 125"
		[ "$(sed -n 1p "$T_DIR/err")" = "minirun: unknown flag: $BOGUS" ] ||
			echo "minirun $1 $BOGUS: first line: $(sed -n 1p "$T_DIR/err")"
		[ "$(sed -n 2p "$T_DIR/err")" = "See 'minirun $1 --help'." ] ||
			case $1 in container\ * | image\ *) ;; # an alias names the verb it stands for
			*) echo "minirun $1 $BOGUS: second line: $(sed -n 2p "$T_DIR/err")" ;; esac
		[ "$(wc -l <"$T_DIR/err")" = 2 ] || echo "minirun $1 $BOGUS: $(wc -l <"$T_DIR/err") lines"
		;;
	esac
}

walk_verbs() {
	n=0 bad=""
	verbs=$(minirun_verbs)
	IFS='
'
	for v in $verbs; do
		unset IFS
		n=$((n + 1))
		r=$(check_verb "$v")
		[ -z "$r" ] || bad="$bad
$r"
	done
	unset IFS
	[ $n -ge 80 ] || t_fail "only $n verbs walked: $verbs"
	[ -z "$bad" ] || t_fail "$bad"
	[ ! -e "$T_DIR/root" ] || t_fail "--help or a bogus flag made something: $(find "$T_DIR/root")"
	echo "$n verbs walked"
}

minirun_help_and_bogus_flag() {
	need_built
	# a verb that did something despite --help would do it in a network namespace of its own
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
		MR_TOP=$MR_TOP MR_HELP_WALK=$T_DIR unshare -n sh "$SELF" || t_fail "the walk failed"
	else
		walk_verbs
	fi
}

minirun_groups_in_one_voice() {
	need_built
	out=$("$MR" --help) || t_fail "minirun --help exited $?"
	for g in "Containers:" "Images:" "Networks and volumes:" "The OCI runtime:" "System:"; do
		t_match "$out" "^$g\$" "minirun --help's groups"
	done
	lower=$(echo "$out" | sed -n '/^Options:/,/^$/d; /:$/,/^$/p' | grep -E '^  [a-z-]+ +[a-z]')
	[ -z "$lower" ] || t_fail "help lines not in sentence case: $lower"
}

unknown_command_and_global_flag() {
	need_built
	t_status 1 "$MR" no-such-verb
	t_eq "$T_OUT" "minirun: 'no-such-verb' is not a minirun command.
See 'minirun --help'."
	t_status 125 "$MR" $BOGUS
	t_eq "$T_OUT" "minirun: unknown flag: $BOGUS
See 'minirun --help'."
	t_status 1 "$MR" network no-such-verb
	t_match "$T_OUT" "^minirun: unknown command \"no-such-verb\" for \"minirun network\"$"
}

alone_is_usage() {
	need_built
	for g in "" container image network system volume; do
		# shellcheck disable=SC2086
		out=$("$MR" --root "$T_DIR/root" $g 2>&1)
		rc=$?
		[ $rc = 0 ] || t_fail "minirun $g alone exited $rc"
		t_match "$out" "^Usage: " "minirun $g alone"
	done
	[ ! -e "$T_DIR/root" ] || t_fail "a group alone made something: $(find "$T_DIR/root")"
}

if [ -n "${MR_HELP_WALK:-}" ]; then # the walk, inside its own network namespace
	T_DIR=$MR_HELP_WALK
	walk_verbs
	exit
fi
t "tiny programs: --help is 0 with usage on stdout, a bogus flag is one line and 2" tiny_help_and_bogus_flag
t "every minirun verb and sub-verb: --help is 0, a bogus flag 125 in docker's two lines (oci: one line, 2)" minirun_help_and_bogus_flag
t "minirun --help lists its commands in docker's groups, in sentence case" minirun_groups_in_one_voice
t "an unknown command (1) or global flag (125): docker's words and statuses" unknown_command_and_global_flag
t "minirun and each group alone print their usage and exit 0, as docker's" alone_is_usage
t_end
