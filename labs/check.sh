# labs/check.sh - the assertions of a lab's check step, one line printed per assertion so a
# learner sees what was checked and which one failed. Sourced by labs/lib.sh (so by every
# module helper) and by the labs that stand alone (labs/02-internals/01-uts ...), which
# define hint first; not a lab itself. POSIX sh: runs under dash and busybox ash.
#
#	expect WHAT CMD...         run CMD (output hidden); "  ok   WHAT" when it succeeds,
#	                           else "  FAIL WHAT", the lab's hint, exit 1
#	expect_or WHAT WHY CMD...  the same, and a failure says WHY ("  FAIL WHAT: WHY", WHY
#	                           being what was found instead)
#	pass WHAT                  "  ok   WHAT": an assertion the check tested itself (a loop)
#	fail MSG                   "  FAIL MSG", the hint, exit 1: a verdict the check computed
#	not CMD...                 true when CMD fails ('!' is no command for expect to run)
#
# CMD is one simple command (a function too); a pipe or a list goes in as
# `eval 'A | B'`, which sees the check's variables. WHAT is in the learner's terms: what
# the lab asked for ("c1's eth0 has 10.88.1.2/24"), so the FAIL line names what is missing.
# A check's last line stays "check: ok - SUMMARY": the tests and READMEs look for it.

# pass WHAT - an assertion held: "  ok   WHAT"
pass() { echo "  ok   $*"; }

# fail MSG - an assertion did not hold: "  FAIL MSG", the hint, exit 1
fail() { echo "  FAIL $*"; hint; exit 1; }

# expect WHAT CMD... - assert CMD succeeds (its output hidden: the line is the report)
expect() {
	_what=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$_what"; else fail "$_what"; fi
}

# expect_or WHAT WHY CMD... - expect, and when CMD fails say WHY ("FAIL WHAT: WHY")
expect_or() {
	_what=$1 _why=$2
	shift 2
	if "$@" >/dev/null 2>&1; then pass "$_what"; else fail "$_what: $_why"; fi
}

# not CMD... - true when CMD fails (expect takes a command, and '!' is not one)
not() { ! "$@"; }
