# tests/integration/containers/monitor-death.t - a monitor that dies before the container
# ran makes `run` say why (issue 13, section 8): the signal that ended it, the step it had
# reached and its last error (monitor.err, its last words), or SIGKILL when it left none;
# an unexpected exit(3), its status. MINIRUN_TEST_DIE_AT=STEP[:SIG|:exit=N] ends it there
# (minirun/containers/step.c).
# Run: sh tests/integration/containers/monitor-death.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

monitor_death_says_why() {
	ct_need
	ct_host '
		out=$(MINIRUN_TEST_DIE_AT=files mr run -d --name kk busybox true 2>&1) && die "run succeeded"
		echo "$out" | grep -q "died before the container ran: killed by SIGKILL" ||
			die "a SIGKILL: $out"
		mr rm -f kk >/dev/null || die "rm -f kk"
		out=$(MINIRUN_TEST_DIE_AT=config:SEGV mr run -d --name ss busybox true 2>&1) && die "run succeeded"
		echo "$out" | grep -q "died before the container ran: killed by signal 11 (SIGSEGV) at step config" ||
			die "a crash: $out"
		mr rm -f ss >/dev/null || die "rm -f ss"
		out=$(MINIRUN_TEST_DIE_AT=files:exit=7 mr run -d --name ee busybox true 2>&1) && die "run succeeded"
		echo "$out" | grep -q "died before the container ran: exited with status 7 at step files" ||
			die "an exit: $out"
		mr rm -f ee >/dev/null || die "rm -f ee"
		ct_noleaks
	'
}
t "a monitor that dies before the container ran: run says why (the signal or exit status, the step)" monitor_death_says_why

# run -d waits for the monitor's answer on a socket the container's init holds too, so it
# watches the monitor's pidfd as well; here run stalls after the monitor's hello (as on a
# loaded machine) while the monitor dies at start and is reaped: the pidfd can't be opened
# any more, and run must still say the monitor died, not wait for good
monitor_reaped_before_watched() {
	ct_need
	ct_host '
		# (into a file: the orphaned init, waiting for a start that never comes, holds
		# the stderr of the caller until rm -f ends it)
		MINIRUN_TEST_STALL_AT=hello:1500 MINIRUN_TEST_DIE_AT=start \
			timeout 20 "$MINIRUN" --root "$R" run -d --name rr busybox true >"$R.rr" 2>&1
		rc=$?
		_ct_seen
		out=$(cat "$R.rr"); rm -f "$R.rr"
		[ $rc = 124 ] && die "run waited for good for a monitor already gone"
		[ $rc = 125 ] || die "run exited $rc: $out"
		echo "$out" | grep -q "died before the container ran: killed by SIGKILL" ||
			die "the message: $out"
		mr rm -f rr >/dev/null || die "rm -f rr"
		ct_noleaks
	'
}
t "a monitor dead and reaped before run watches it: run says so at once" monitor_reaped_before_watched

t_end
