# tests/integration/containers/health.t - docker's health checks: --health-* flags and the
# image's HEALTHCHECK, run by a checker beside the container's monitor, with docker's state
# machine in State.Health (starting -> healthy / unhealthy, FailingStreak, the last 5 results),
# shown by ps ("Up 3 seconds (healthy)"), filtered by ps --filter health=, and read by inspect.
# Every test ends with lib.sh's leak check: no checker, probe, mount or cgroup left. The last
# compares the JSON with a private dockerd's (tests/lib/peers.sh; skipped without docker.io).
# Run: sh tests/integration/containers/health.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"

# the helpers every test's script uses (inside the host namespace)
HELPERS='
# health NAME - State.Health.Status as inspect prints it
health() { mr inspect -f "{{.State.Health.Status}}" "$1"; }
# wait_health NAME STATUS SECS - until State.Health.Status is STATUS, else die
wait_health() {
	_i=0
	while [ "$(health "$1")" != "$2" ]; do
		[ $_i -ge $(($3 * 10)) ] && die "$1: health $(health "$1") after $3 s, want $2"
		sleep 0.1
		_i=$((_i + 1))
	done
}
# hjson NAME - State.Health as JSON
hjson() { mr inspect -f "{{json .State.Health}}" "$1"; }
# (printf, not echo: dash'"'"'s echo would turn the JSON'"'"'s \n into a newline)
# children PID - the pids whose parent is PID
children() {
	for _q in /proc/[0-9]*; do
		[ "$(sed "s/.*) [A-Z] \([0-9]*\).*/\1/" "$_q/stat" 2>/dev/null)" = "$1" ] && echo "${_q#/proc/}"
	done
}
'

healthy() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name ok --health-cmd "echo fine" --health-interval 1s busybox \
			sleep 100 >/dev/null || die run
		[ "$(health ok)" = starting ] || die "a new container says $(health ok)"
		mr ps --format "{{.Status}}" | grep -q "(health: starting)$" || die "ps: $(mr ps)"
		wait_health ok healthy 5
		mr ps --format "{{.Status}}" | grep -q "^Up .* (healthy)$" || die "ps: $(mr ps)"
		j=$(hjson ok)
		printf "%s\n" "$j" | grep -q "\"FailingStreak\":0" || die "streak: $j"
		printf "%s\n" "$j" | grep -q "\"ExitCode\":0,\"Output\":\"fine\\\\n\"" || die "log: $j"
		printf "%s\n" "$j" | grep -q "\"Start\":\"20[0-9-]*T[0-9:.]*Z\",\"End\":\"20" || die "times: $j"
		mr rm -f ok >/dev/null || die rm
		ct_noleaks
	'
}
t "--health-cmd 'echo fine' --health-interval 1s: starting, then healthy, with the output logged" healthy

unhealthy() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name bad --health-cmd "echo no; exit 3" --health-interval 1s \
			--health-retries 2 busybox sleep 100 >/dev/null || die run
		sleep 1.6
		j=$(hjson bad)
		# one failure of two: still starting, with the streak counted
		printf "%s\n" "$j" | grep -q "\"Status\":\"starting\",\"FailingStreak\":1" || die "after 1: $j"
		wait_health bad unhealthy 4
		j=$(hjson bad)
		printf "%s\n" "$j" | grep -q "\"FailingStreak\":2" || die "streak: $j"
		printf "%s\n" "$j" | grep -q "\"ExitCode\":3,\"Output\":\"no\\\\n\"" || die "log: $j"
		mr ps --format "{{.Status}}" | grep -q "(unhealthy)$" || die "ps: $(mr ps)"
		mr rm -f bad >/dev/null || die rm
		ct_noleaks
	'
}
t "a check failing twice with --health-retries 2: starting with FailingStreak 1, then unhealthy" unhealthy

timeout() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name slow --health-cmd "sleep 7" --health-interval 1s \
			--health-timeout 1s --health-retries 1 busybox sleep 100 >/dev/null || die run
		wait_health slow unhealthy 5
		j=$(hjson slow)
		printf "%s\n" "$j" | grep -q "\"ExitCode\":-1,\"Output\":\"Health check exceeded timeout (1s)\"" ||
			die "log: $j"
		# the killed probe is gone: at most the next probe (a new sleep 7) runs
		n=$(grep -l "^sleep$" /proc/[0-9]*/comm 2>/dev/null | while read -r f; do
			tr "\0" " " <"${f%/comm}/cmdline"; echo; done | grep -c "^sleep 7")
		[ "$n" -le 1 ] || die "$n probes run: the timed-out one was not killed"
		mr rm -f slow >/dev/null || die rm
		ct_noleaks
	'
}
t "a probe past --health-timeout 1s is killed and logged as exit -1, docker's message" timeout

start_period() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name sp --health-cmd false --health-interval 500ms --health-retries 1 \
			--health-start-period 3s --health-start-interval 500ms busybox sleep 100 \
			>/dev/null || die run
		sleep 2
		j=$(hjson sp)
		# failures in the start period are logged but do not count
		printf "%s\n" "$j" | grep -q "\"Status\":\"starting\",\"FailingStreak\":0" || die "in it: $j"
		printf "%s\n" "$j" | grep -q "\"ExitCode\":1" || die "no result logged in the start period: $j"
		wait_health sp unhealthy 4
		mr rm -f sp >/dev/null || die rm
		ct_noleaks
	'
}
t "failures within --health-start-period are logged but leave it starting; after it they count" start_period

start_interval() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name si --health-cmd false --health-interval 1h --health-start-period 1h \
			--health-start-interval 200ms busybox sleep 100 >/dev/null || die run
		sleep 1.5
		n=$(hjson si | grep -o "\"ExitCode\":1" | wc -l)
		[ "$n" -ge 3 ] || die "$n probes in 1.5 s with a 200ms start interval"
		[ "$(health si)" = starting ] || die "health $(health si)"
		mr rm -f si >/dev/null || die rm
		ct_noleaks
	'
}
t "--health-start-interval paces the probes while starting in the start period" start_interval

log_and_output() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name big --health-interval 200ms \
			--health-cmd "head -c 5000 /dev/zero | tr \"\\\\0\" x" busybox sleep 100 \
			>/dev/null || die run
		sleep 2.5
		j=$(hjson big)
		n=$(printf "%s\n" "$j" | grep -o "\"ExitCode\"" | wc -l)
		[ "$n" = 5 ] || die "$n results kept, want the last 5"
		printf "%s\n" "$j" | grep -q "\"Output\":\"x\{4096\}\.\.\.\"" || die "output not cut at 4096: $(printf "%s\n" "$j" | head -c 300)"
		mr rm -f big >/dev/null || die rm
		ct_noleaks
	'
}
t "State.Health.Log keeps the last 5 results, each output cut at 4096 bytes then ..." log_and_output

image_check() {
	ct_need
	ct_host "$HELPERS"'
		mr commit -c "HEALTHCHECK --interval=1s --retries=1 CMD [\"cat\", \"/etc/hostname\"]" \
			$(mr create busybox true) hc >/dev/null || die commit
		[ "$(mr image inspect -f "{{json .Config.Healthcheck}}" hc)" = \
			"{\"Test\":[\"CMD\",\"cat\",\"/etc/hostname\"],\"Interval\":1000000000,\"Retries\":1}" ] ||
			die "the image: $(mr image inspect -f "{{json .Config.Healthcheck}}" hc)"
		mr run -d --name img hc sleep 100 >/dev/null || die run
		[ "$(mr inspect -f "{{json .Config.Healthcheck}}" img)" = \
			"{\"Test\":[\"CMD\",\"cat\",\"/etc/hostname\"],\"Interval\":1000000000,\"Retries\":1}" ] ||
			die "Config.Healthcheck $(mr inspect -f "{{json .Config.Healthcheck}}" img)"
		wait_health img healthy 5
		# a flag overrides one field; the rest stays the image'\''s
		mr run -d --name over --health-cmd "exit 1" hc sleep 100 >/dev/null || die run
		[ "$(mr inspect -f "{{json .Config.Healthcheck}}" over)" = \
			"{\"Test\":[\"CMD-SHELL\",\"exit 1\"],\"Interval\":1000000000,\"Retries\":1}" ] ||
			die "merged $(mr inspect -f "{{json .Config.Healthcheck}}" over)"
		wait_health over unhealthy 5
		# --no-healthcheck: no check at all, no State.Health, and no checker process
		mr run -d --name off --no-healthcheck hc sleep 100 >/dev/null || die run
		[ "$(mr inspect -f "{{json .Config.Healthcheck}}" off)" = "{\"Test\":[\"NONE\"]}" ] ||
			die "off: $(mr inspect -f "{{json .Config.Healthcheck}}" off)"
		sleep 1.5
		[ "$(mr inspect -f "{{json .State.Health}}" off)" = null ] ||
			die "State.Health $(mr inspect -f "{{json .State.Health}}" off)"
		mon=$(mr inspect -f "{{.Minirun.MonitorPid}}" off)
		[ "$(children "$mon" | wc -l)" = 1 ] || die "the monitor has children $(children "$mon")"
		mr ps --format "{{.Names}} {{.Status}}" | grep -q "^off Up [^(]*$" || die "ps: $(mr ps)"
		mr rm -f img over off >/dev/null || die rm
		mr rm -f $(mr ps -aq) >/dev/null
		ct_noleaks
	'
}
t "the image's HEALTHCHECK (commit -c) applies; a flag overrides a field; --no-healthcheck turns it off" image_check

filters() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name fh --health-cmd true --health-interval 500ms busybox sleep 100 >/dev/null &&
			mr run -d --name fu --health-cmd false --health-interval 500ms --health-retries 1 \
				busybox sleep 100 >/dev/null &&
			mr run -d --name fs --health-cmd true --health-interval 1h busybox sleep 100 >/dev/null &&
			mr run -d --name fn busybox sleep 100 >/dev/null || die run
		wait_health fh healthy 4
		wait_health fu unhealthy 4
		for s in healthy:fh unhealthy:fu starting:fs none:fn; do
			got=$(mr ps --filter "health=${s%%:*}" --format "{{.Names}}" | tr "\n" " ")
			[ "$got" = "${s#*:} " ] || die "health=${s%%:*}: \"$got\", want ${s#*:}"
		done
		out=$(mr ps --filter health=ill 2>&1) && die "health=ill was taken"
		[ "$out" = "minirun: Unrecognised filter value for health: ill" ] || die "said: $out"
		# the check costs nothing without one: the monitor of fn has the init only
		mon=$(mr inspect -f "{{.Minirun.MonitorPid}}" fn)
		[ "$(children "$mon" | wc -l)" = 1 ] || die "the monitor has children $(children "$mon")"
		mr rm -f fh fu fs fn >/dev/null || die rm
		ct_noleaks
	'
}
t "ps --filter health=healthy|unhealthy|starting|none picks the containers in that state" filters

stop_kills_probe() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name st --health-cmd "sleep 60" --health-interval 200ms \
			--health-timeout 1m busybox sleep 100 >/dev/null || die run
		sleep 1
		probes() {
			for f in /proc/[0-9]*/cmdline; do
				[ "$(tr "\0" " " <"$f" 2>/dev/null)" = "sleep 60 " ] && echo "$f"
			done
		}
		[ -n "$(probes)" ] || die "no probe runs"
		mr stop -t 1 st >/dev/null || die stop
		# docker says unhealthy once the check has stopped with the container
		[ "$(health st)" = unhealthy ] || die "after stop: $(health st)"
		mr ps -a --format "{{.Status}}" | grep -q "^Exited" || die "ps: $(mr ps -a)"
		[ -z "$(probes)" ] || die "the probe outlived the container: $(probes)"
		ct_leaks | grep -v "state dir\|run dir\|name claim" | grep . && die "a stopped container left the above"
		# a restart starts over from starting
		mr start st >/dev/null || die start
		[ "$(health st)" = starting ] || die "after start: $(health st)"
		mr rm -f st >/dev/null || die rm
		ct_noleaks
	'
}
t "stop kills a running probe and the checker, and leaves State.Health unhealthy; start: starting" stop_kills_probe

paused() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name pz --health-cmd true --health-interval 200ms busybox sleep 100 \
			>/dev/null || die run
		wait_health pz healthy 3
		mr pause pz >/dev/null || die pause
		# docker stops the check while paused, and says unhealthy
		[ "$(health pz)" = unhealthy ] || die "paused: $(health pz)"
		mr ps --format "{{.Status}}" | grep -q "^Up .* (Paused)$" || die "ps: $(mr ps)"
		n=$(hjson pz | grep -o "\"Start\"" | wc -l)
		last=$(hjson pz | grep -o "\"End\":\"[^\"]*\"" | tail -n 1)
		sleep 1
		[ "$(hjson pz | grep -o "\"End\":\"[^\"]*\"" | tail -n 1)" = "$last" ] ||
			die "probed while paused: $(hjson pz)"
		mr unpause pz >/dev/null || die unpause
		wait_health pz healthy 3
		mr rm -f pz >/dev/null || die rm
		ct_noleaks
	'
}
t "pause stops the probes and says unhealthy (as docker); unpause probes again: healthy" paused

probe_edges() {
	ct_need
	ct_host "$HELPERS"'
		# a probe whose program is not there: exit -1 and the runtime'\''s error, as docker
		mr run -d --name nx --health-cmd x --health-interval 300ms --health-retries 1 busybox \
			sleep 100 >/dev/null || die run
		mr commit -c "HEALTHCHECK --interval=300ms --retries=1 CMD [\"nonexistent\"]" nx nximg \
			>/dev/null || die commit
		mr rm -f nx >/dev/null
		mr run -d --name nx nximg sleep 100 >/dev/null || die run
		wait_health nx unhealthy 3
		hjson nx | grep -q "\"ExitCode\":-1,\"Output\":\"OCI runtime exec failed: .*nonexistent.*not found" ||
			die "not found: $(hjson nx)"
		# a probe that leaves a process behind holding its output is not waited for
		mr run -d --name bg --health-cmd "sleep 30 & echo hi" --health-interval 300ms busybox \
			sleep 100 >/dev/null || die run
		wait_health bg healthy 3
		hjson bg | grep -q "\"ExitCode\":0,\"Output\":\"hi\\\\n\"" || die "bg: $(hjson bg)"
		mr rm -f nx bg >/dev/null || die rm
		ct_noleaks
	'
}
t "a probe not found is exit -1 with the runtime's error; one leaving a child behind still ends" probe_edges

monitor_killed() {
	ct_need
	ct_host "$HELPERS"'
		mr run -d --name mk --health-cmd "sleep 60" --health-interval 200ms --health-timeout 1m \
			busybox sleep 100 >/dev/null || die run
		mon=$(mr inspect -f "{{.Minirun.MonitorPid}}" mk)
		sleep 1
		checker=$(children "$mon" | while read -r p; do
			[ "$(cat /proc/$p/comm)" = mr-health ] && echo "$p"; done)
		[ -n "$checker" ] || die "no checker among the monitor'\''s children: $(children "$mon")"
		kill -9 "$mon"
		# the checker follows its monitor (PR_SET_PDEATHSIG), killing its probe
		i=0
		while [ -d "/proc/$checker" ] && ! _ct_zombie "/proc/$checker" && [ $i -lt 30 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -d "/proc/$checker" ] && ! _ct_zombie "/proc/$checker" && die "the checker outlived its monitor"
		mr rm -f mk >/dev/null || die rm
		ct_noleaks
	'
}
t "a checker dies with its monitor (kill -9), and rm -f then leaves nothing" monitor_killed

bad_flags() {
	ct_need
	ct_host '
		out=$(mr run -d --health-interval 5 busybox true 2>&1)
		[ $? = 125 ] || die "exit $?"
		[ "$out" = "minirun: invalid argument \"5\" for \"--health-interval\" flag: time: missing unit in duration \"5\"
See '\''minirun run --help'\''." ] || die "said: $out"
		out=$(mr run -d --no-healthcheck --health-cmd true busybox true 2>&1) && die "ran"
		echo "$out" | grep -q "conflicts with --health-\* options" || die "said: $out"
		[ -z "$(ct_ids)" ] || die "a container was made"
		ct_noleaks
	'
}
t "a bad --health-* value or --no-healthcheck with --health-cmd fails with 125, nothing made" bad_flags

# shape - State.Health's JSON with the times as T, the first result only, and (for an
# unhealthy one, whose streak depends on timing) FailingStreak as N
shape() {
	sed -e 's/"\(Start\|End\)":"[^"]*"/"\1":"T"/g' -e 's/},{.*/}]}/' \
		-e 's/"unhealthy","FailingStreak":[0-9]*/"unhealthy","FailingStreak":N/'
}

# the runs both engines get; each prints, per container, Config.Healthcheck and the shape of
# State.Health once the check has settled
DIFF_RUNS='
run_all() {
	$E run -d --name ok --health-cmd "echo fine" --health-interval 1s busybox sleep 100
	$E run -d --name bad --health-cmd "echo no; exit 3" --health-interval 1s \
		--health-retries 2 busybox sleep 100
	$E run -d --name slow --health-cmd "sleep 7" --health-interval 1s --health-timeout 1500ms \
		--health-retries 1 busybox sleep 100
	$E run -d --name nf --health-cmd "x" --health-interval 1s --health-retries 1 busybox sleep 100
} >/dev/null
settle() {
	for c in ok:healthy bad:unhealthy slow:unhealthy nf:unhealthy; do
		i=0
		while [ "$($E inspect -f "{{.State.Health.Status}}" ${c%%:*})" != "${c#*:}" ]; do
			[ $i -ge 100 ] && break
			sleep 0.1
			i=$((i + 1))
		done
		$E inspect -f "{{json .Config.Healthcheck}}" ${c%%:*}
		$E inspect -f "{{json .State.Health}}" ${c%%:*}
	done
	$E rm -f ok bad slow nf >/dev/null
}
'

docker_shape() {
	ct_need
	pk_dockerd_start "$T_DIR/dk"
	t_defer pk_dockerd_stop
	docker import -c 'CMD ["sh"]' "$CT_IMAGE_TAR" busybox:latest >/dev/null || t_fail "docker import"
	E=docker
	eval "$DIFF_RUNS"
	run_all
	want=$(settle | shape)
	printf "%s\n" "$want" | grep -q '"Output":"fine' || t_fail "docker said: $want"
	got=$(ct_host "$DIFF_RUNS"'
		E=mr
		run_all
		settle
		ct_noleaks
	' | shape) || t_fail "minirun: $got"
	[ "$got" = "$want" ] || t_fail "minirun:
$got
docker:
$want"
}
t "Config.Healthcheck and State.Health have dockerd's shape (healthy, unhealthy, timeout, not found)" docker_shape

t_end
