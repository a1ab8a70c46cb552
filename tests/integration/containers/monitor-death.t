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

t_end
