# tests/integration/containers/restart.t - docker's restart policies, applied by the
# container's monitor: on-failure:N restarts a failing container N times (RestartCount),
# always restarts whatever the exit code, an explicit stop prevents any restart, and a
# container that exits 0 under on-failure stays exited. Back-off: 100 ms, doubling.
# `logs -f` follows a restarting container's log across its runs.
# Run: sh tests/integration/containers/restart.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

on_failure_counts() {
	ct_need
	ct_host '
		mr run -d --name of --restart on-failure:2 busybox sh -c "echo run; exit 3" \
			>/dev/null || die run
		# wait returns once the container is exited and not coming back
		code=$(mr wait of) || die "wait exited $?"
		[ "$code" = 3 ] || die "wait printed $code"
		[ "$(ct_field of RestartCount)" = 2 ] || die "RestartCount $(ct_field of RestartCount)"
		[ "$(ct_status of)" = exited ] || die "status $(ct_status of)"
		runs=$(grep -c "run" "$(ct_field of LogPath)" 2>/dev/null || echo "?")
		[ "$runs" = 3 ] || die "the command ran $runs times, want 3 (1 + 2 restarts)"
		mr rm of >/dev/null || die rm
		ct_noleaks
	'
}
t "--restart on-failure:2: a command failing with 3 runs 3 times, RestartCount 2, exit 3" on_failure_counts

on_failure_success() {
	ct_need
	ct_host '
		mr run -d --name ok --restart on-failure busybox true >/dev/null || die run
		[ "$(mr wait ok)" = 0 ] || die wait
		[ "$(ct_field ok RestartCount)" = 0 ] || die "RestartCount $(ct_field ok RestartCount)"
		mr rm ok >/dev/null
		ct_noleaks
	'
}
t "--restart on-failure: a command exiting 0 is not restarted" on_failure_success

always_restarts() {
	ct_need
	ct_host '
		mr run -d --name al --restart always busybox true >/dev/null || die run
		n=0
		# 100 + 200 + 400 ms of back-off: three restarts within about a second
		for i in $(seq 50); do
			n=$(ct_field al RestartCount)
			[ "${n:-0}" -ge 3 ] && break
			sleep 0.1
		done
		[ "${n:-0}" -ge 3 ] || die "RestartCount $n after 5 s"
		mr stop -t 1 al >/dev/null || die stop
		[ "$(ct_status al)" = exited ] || die "after stop: $(ct_status al)"
		n=$(ct_field al RestartCount)
		sleep 1
		[ "$(ct_field al RestartCount)" = "$n" ] || die "restarted after stop"
		[ "$(ct_status al)" = exited ] || die "a second after stop: $(ct_status al)"
		mr rm al >/dev/null || die rm
		ct_noleaks
	'
}
t "--restart always restarts a command that exits 0; stop (even mid-back-off) ends it for good" always_restarts

stop_prevents() {
	ct_need
	ct_host '
		mr run -d --name sp --restart always busybox sleep 100 >/dev/null || die run
		mr stop -t 0 sp >/dev/null || die stop
		sleep 0.5
		[ "$(ct_status sp)" = exited ] || die "status $(ct_status sp)"
		[ "$(ct_field sp RestartCount)" = 0 ] || die "RestartCount $(ct_field sp RestartCount)"
		# an explicit start clears the stop: the policy applies again
		mr start sp >/dev/null || die start
		[ "$(ct_status sp)" = running ] || die "after start: $(ct_status sp)"
		mr kill sp >/dev/null || die kill
		n=0
		for i in $(seq 50); do
			n=$(ct_field sp RestartCount)
			[ "${n:-0}" -ge 1 ] && [ "$(ct_status sp)" = running ] && break
			sleep 0.1
		done
		[ "${n:-0}" -ge 1 ] || die "kill (not stop) did not restart it: RestartCount $n"
		mr rm -f sp >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "--restart always: stop prevents the restart; after start, a kill is restarted; rm -f ends it" stop_prevents

unless_stopped() {
	ct_need
	ct_host '
		mr run -d --name us --restart unless-stopped busybox sh -c "exit 1" >/dev/null || die run
		for i in $(seq 50); do
			[ "$(ct_field us RestartCount)" -ge 1 ] 2>/dev/null && break
			sleep 0.1
		done
		[ "$(ct_field us RestartCount)" -ge 1 ] || die "not restarted"
		mr stop us >/dev/null || die stop
		[ "$(ct_status us)" = exited ] || die "after stop: $(ct_status us)"
		mr rm us >/dev/null || die rm
		ct_noleaks
	'
}
t "--restart unless-stopped restarts until stopped" unless_stopped

logs_follow_restarts() {
	ct_need
	ct_host '
		mr run -d --name lf --restart always busybox sh -c "echo run; exit 1" >/dev/null || die run
		# a long back-off (after the 4th exit: 800 ms, then 1.6 s): follow from inside it
		for i in $(seq 200); do
			[ "$(ct_field lf RestartCount)" -ge 4 ] && [ "$(ct_status lf)" = restarting ] && break
			sleep 0.05
		done
		[ "$(ct_status lf)" = restarting ] || die "never seen restarting: $(ct_status lf)"
		before=$(mr logs lf | grep -c run)
		"$MINIRUN" --root "$R" logs -f lf >"$R.follow" 2>&1 &
		f=$!
		n=0
		for i in $(seq 100); do
			n=$(grep -c run "$R.follow")
			[ "$n" -gt "$before" ] && break
			sleep 0.1
		done
		[ "$n" -gt "$before" ] || die "logs -f did not follow past the gap: $n lines, $before before"
		kill -0 $f 2>/dev/null || die "logs -f ended at a restart"
		mr stop -t 1 lf >/dev/null || die stop
		for i in $(seq 50); do kill -0 $f 2>/dev/null || break; sleep 0.1; done
		if kill -0 $f 2>/dev/null; then kill $f; die "logs -f still follows a stopped container"; fi
		wait $f || die "logs -f exited $?"
		# removed while followed: that ends it too
		mr start lf >/dev/null || die start
		"$MINIRUN" --root "$R" logs -f lf >/dev/null 2>&1 &
		f=$!
		sleep 0.3
		kill -0 $f 2>/dev/null || die "logs -f of a restarting container ended at once"
		mr rm -f lf >/dev/null || die "rm -f"
		for i in $(seq 50); do kill -0 $f 2>/dev/null || break; sleep 0.1; done
		if kill -0 $f 2>/dev/null; then kill $f; die "logs -f still follows a removed container"; fi
		rm -f "$R.follow"
		ct_noleaks
	'
}
t "logs -f follows across --restart (from inside a back-off), ends at stop and at rm -f" logs_follow_restarts

t_end
