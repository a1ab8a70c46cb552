# labs/lib.sh - the shell helpers every lab helper shares: sourced by
# labs/01-fundamentals/mrlab.sh (the container labs) and labs/04-networking/netlab.sh (the
# namespace labs) once they have set MR_TOP and LAB_STATE; not a lab itself.
# labs/02-internals/cglab.sh (the cgroup labs, 11-15) sources it too, for fail.
#
#	realtool NAME       the path of the real NAME on the PATH, not a busybox applet
#	starttime PID       field 22 of /proc/PID/stat: with the PID, it names a process uniquely
#	remember PID FILE   note a process we started in $LAB_STATE/FILE ("PID STARTTIME")
#	kill_remembered     kill the processes noted in $LAB_STATE/all.pids, each only if it is
#	                    still the one we started (same start time: never a reused PID)
#	pid NAME            the PID holding the lab's namespace NAME ($LAB_STATE/NAME.pid)
#	expect WHAT CMD...  one assertion of check: run CMD (output hidden); print "  ok   WHAT"
#	                    when it succeeds, else "  FAIL WHAT", the lab's hint, and exit 1
#	expect_or WHAT WHY CMD...  the same, with WHY (what was found instead) after the FAIL
#	pass WHAT           print "  ok   WHAT": an assertion check tested itself (a loop, a pipe)
#	fail MSG            print "  FAIL MSG" and the lab's hint, exit 1 (a check's computed verdict)
#	not CMD...          true when CMD fails: `expect "veth0p left the host" not ip link ...`
#	BB                  a busybox binary (for wget, nc, ping), or empty
#
# realtool, starttime and BB come from tests/lib/tools.sh, which the test suites source
# too (tests/integration/netns/lib.sh); the rest is the labs' own.
# POSIX sh: runs under dash and busybox ash.

. "$MR_TOP/tests/lib/tools.sh" # realtool, starttime, BB: shared with the test suites

# remember PID FILE - record a process we started, to kill it (and only it) at teardown
remember() { echo "$1 $(starttime "$1")" >>"$LAB_STATE/$2"; }

# kill_remembered - SIGTERM every process of $LAB_STATE/all.pids that is still ours
kill_remembered() {
	[ -f "$LAB_STATE/all.pids" ] || return 0
	while read -r _p _t; do
		[ -n "$_t" ] && [ "$(starttime "$_p")" = "$_t" ] && kill "$_p" 2>/dev/null
	done <"$LAB_STATE/all.pids"
	return 0
}

# pid NAME - the PID holding NAME's namespace
pid() { cut -d' ' -f1 "$LAB_STATE/$1.pid"; }

# A check prints one line per assertion, in the learner's terms (what the lab asked for),
# so a learner sees what was checked and which one failed; its last line stays
# "check: ok - SUMMARY" (tests and READMEs look for it).

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
