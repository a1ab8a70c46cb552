# labs/lib.sh - the shell helpers every lab helper shares: sourced by
# labs/01-fundamentals/mrlab.sh (the container labs) and labs/04-networking/netlab.sh (the
# namespace labs) once they have set MR_TOP and LAB_STATE; not a lab itself.
# labs/02-internals/cglab.sh (the cgroup labs, 11-17) sources it too, for the assertions.
#
#	realtool NAME       the path of the real NAME on the PATH, not a busybox applet
#	starttime PID       field 22 of /proc/PID/stat: with the PID, it names a process uniquely
#	remember PID FILE   note a process we started in $LAB_STATE/FILE ("PID STARTTIME")
#	kill_remembered     kill the processes noted in $LAB_STATE/all.pids, each only if it is
#	                    still the one we started (same start time: never a reused PID)
#	pid NAME            the PID holding the lab's namespace NAME ($LAB_STATE/NAME.pid)
#	expect, expect_or, pass, fail, not   check's assertions, from labs/check.sh
#	BB                  a busybox binary (for wget, nc, ping), or empty
#
# realtool, starttime and BB come from tests/lib/tools.sh, which the test suites source
# too (tests/integration/netns/lib.sh); the rest is the labs' own.
# POSIX sh: runs under dash and busybox ash.

. "$MR_TOP/tests/lib/tools.sh" # realtool, starttime, BB: shared with the test suites
. "$MR_TOP/labs/check.sh"       # expect, expect_or, pass, fail, not

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

