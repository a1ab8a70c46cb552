# tests/integration/containers/monitor-death.t - a monitor that dies before the container
# ran makes `run` say why (issue 13, section 8): the signal that ended it, the step it had
# reached and its last error (monitor.err, its last words), or SIGKILL when it left none;
# an unexpected exit(3), its status. MINIRUN_TEST_DIE_AT=STEP[:SIG|:exit=N] ends it there
# (minirun/containers/step.c). And run's monitor, started before the container is made,
# names its container once told, and none is left waiting when the create fails.
# Run: sh tests/integration/containers/monitor-death.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

monitor_death_says_why() {
	ct_need
	ct_host '
		# run -d with its monitor ended at $1 (MINIRUN_TEST_DIE_AT) fails, saying
		# "died before the container ran: $2"; rm -f clears what it left
		run_says() {
			out=$(MINIRUN_TEST_DIE_AT=$1 mr run -d --name md busybox true 2>&1) &&
				die "run succeeded (monitor ended at $1)"
			echo "$out" | grep -qF "died before the container ran: $2" || die "$1: $out"
			mr rm -f md >/dev/null || die "rm -f md ($1)"
		}
		run_says files "killed by SIGKILL"
		run_says config:SEGV "killed by signal 11 (SIGSEGV) at step config"
		run_says files:exit=7 "exited with status 7 at step files"
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

# run starts its monitor before it makes the container (minirun/containers/monitor_spawn.c,
# "The early monitor"): the monitor waits as `__monitor <64 dashes>` until run sends it the
# ID, which it writes over the dashes; a create that fails leaves no monitor waiting
early_monitor() {
	ct_need
	ct_host '
		d=--------; dashes=$d$d$d$d$d$d$d$d
		# the ID argument of each live monitor, one a line
		monitor_args() {
			for _p in /proc/[0-9]*; do
				_ct_zombie "$_p" && continue
				tr "\0" "\n" <"$_p/cmdline" 2>/dev/null | sed -n "/^__monitor$/{n;p;}"
			done
		}
		mr run -d --name aa busybox sleep 30 >/dev/null || die "run -d aa"
		id=$(mr inspect -f "{{.Id}}" aa) || die "inspect aa"
		mon=$(cut -d" " -f1 "$R/run/containers/$id/monitor.pid") || die "no monitor.pid"
		arg=$(tr "\0" "\n" <"/proc/$mon/cmdline" | sed -n "/^__monitor$/{n;p;}")
		[ "$arg" = "$id" ] || die "the monitor of aa says __monitor $arg, not its ID $id"
		out=$(mr run --name aa busybox true 2>&1) && die "a run of a name in use succeeded"
		echo "$out" | grep -q "Conflict" || die "a run of a name in use: $out"
		_i=0
		while monitor_args | grep -qx -- "$dashes" && [ $_i -lt 300 ]; do
			sleep 0.01
			_i=$((_i + 1))
		done
		monitor_args | grep -qx -- "$dashes" &&
			die "a monitor still waits for the container of a create that failed"
		[ "$(monitor_args)" = "$id" ] || die "monitors: $(monitor_args | tr "\n" " ")"
		mr rm -f aa >/dev/null || die "rm -f aa"
		ct_noleaks
	'
}
t "run's monitor, started before the create, names its container once told; a failed create leaves none" early_monitor

t_end
