# tests/integration/containers/orphan.t - a container whose monitor was killed (issue 13,
# finding 4): its state comes from its own process, not from the monitor's absence. `ps`
# says running, `inspect` gives its pid, `exec` works, `start` refuses clearly, and
# `stop`, `kill` and `rm -f` act on the process and then clean up fully (mount, cgroup,
# veth, nft element, lease, state dir). Also: the temp files a killed writer of the
# network store or of a container's record left (bridge.json.tmp.PID,
# container.json.PID.tmp) are swept by the next writer.
# Run: sh tests/integration/containers/orphan.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the monitor's pid, from monitor.pid ("PID STARTTIME")
ORPHAN_HELPERS='
monitor_of() { cut -d" " -f1 "$R/run/containers/$(cat "$R/containers/.names/$1")/monitor.pid"; }
# orphan NAME: kill -9 the monitor of NAME and wait for it to go (it is not our child)
orphan() {
	_m=$(monitor_of "$1") || die "no monitor.pid for $1"
	kill -9 "$_m"
	_i=0
	while kill -0 "$_m" 2>/dev/null && ! _ct_zombie "/proc/$_m"; do
		_i=$((_i + 1)); [ $_i -lt 300 ] || die "monitor $_m still there"; sleep 0.01
	done
}
# alive PID: true while PID runs (a zombie has ended)
alive() { kill -0 "$1" 2>/dev/null && ! _ct_zombie "/proc/$1"; }
'

orphan_state_from_process() {
	ct_need
	ct_host "$ORPHAN_HELPERS"'
		mr run -d --name orph busybox sleep 600 >/dev/null || die "run -d exited $?"
		pid=$(ct_field orph State.Pid)
		orphan orph
		alive "$pid" || die "the container died with its monitor: nothing to test"
		[ "$(ct_status orph)" = running ] || die "status $(ct_status orph), want running"
		[ "$(ct_field orph State.Pid)" = "$pid" ] || die "inspect Pid $(ct_field orph State.Pid), want $pid"
		mr ps --format "{{.Names}} {{.Status}}" | grep -q "^orph Up" || die "ps: $(mr ps)"
		out=$(mr exec orph echo inside 2>&1) || die "exec exited $?: $out"
		[ "$out" = inside ] || die "exec printed $out"
		out=$(mr start orph 2>&1) && die "start of an orphan succeeded: $out"
		echo "$out" | grep -q "without its monitor" || die "start: $out"
		out=$(mr rm orph 2>&1) && die "rm without -f removed a running orphan: $out"
		alive "$pid" || die "a refused rm killed the process"
		mr stop -t 1 orph >/dev/null || die "stop exited $?"
		alive "$pid" && die "stop exited 0 and the process $pid keeps running"
		[ "$(ct_status orph)" = exited ] || die "after stop: $(ct_status orph)"
		[ "$(ct_field orph State.ExitCode)" = 255 ] || die "ExitCode $(ct_field orph State.ExitCode), want 255 (lost)"
		grep -qF "$R/run/containers" /proc/self/mountinfo && die "the rootfs is still mounted after stop"
		mr start orph >/dev/null || die "start after stop exited $?"
		[ "$(ct_status orph)" = running ] || die "restarted: $(ct_status orph)"
		mr rm -f orph >/dev/null || die "rm -f exited $?"
		ct_noleaks
	'
}
t "a killed monitor: ps says running, inspect has the pid, exec works, start refuses, stop stops it and cleans up" orphan_state_from_process

orphan_rm_f_and_kill() {
	ct_need
	ct_host "$ORPHAN_HELPERS"'
		mr run -d --name ca busybox sleep 600 >/dev/null || die "run a"
		mr run -d --name cb busybox sleep 600 >/dev/null || die "run b"
		pa=$(ct_field ca State.Pid) pb=$(ct_field cb State.Pid)
		orphan ca
		orphan cb
		mr rm -f ca >/dev/null || die "rm -f exited $?"
		alive "$pa" && die "rm -f exited 0 and the process $pa keeps running"
		mr kill cb >/dev/null || die "kill exited $?"
		alive "$pb" && die "kill exited 0 and the process $pb keeps running"
		[ "$(ct_status cb)" = exited ] || die "after kill: $(ct_status cb)"
		out=$(mr wait cb) || die "wait exited $?"
		[ "$out" = 255 ] || die "wait printed $out, want 255 (the exit nobody saw)"
		mr rm cb >/dev/null || die "rm of the killed orphan exited $?"
		ct_noleaks
	'
}
t "a killed monitor: rm -f and kill act on the process; rm leaves nothing" orphan_rm_f_and_kill

orphan_wait_returns() {
	ct_need
	ct_host "$ORPHAN_HELPERS"'
		mr run -d --name ww busybox sleep 600 >/dev/null || die "run"
		# run -d returns once the command runs, not while its init still waits on
		# exec.fifo: a monitor killed from then on leaves the command running
		for f in "$R"/run/oci/*/exec.fifo; do
			[ -e "$f" ] && die "run -d returned before the start: $f is still there"
		done
		pid=$(ct_field ww State.Pid)
		orphan ww
		mr wait ww >"$R.wait" 2>&1 &
		wpid=$!
		sleep 0.3
		alive "$wpid" || die "wait returned while the container runs: $(cat "$R.wait")"
		kill -9 "$pid"
		i=0
		while alive "$wpid"; do
			i=$((i + 1)); [ $i -lt 500 ] || { kill "$wpid"; die "wait did not return"; }
			sleep 0.01
		done
		[ "$(cat "$R.wait")" = 255 ] || die "wait printed $(cat "$R.wait")"
		mr rm ww >/dev/null || die "rm exited $?"
		ct_noleaks
	'
}
t "a killed monitor: wait returns when the container's process ends (255: its code is lost)" orphan_wait_returns

orphan_network() {
	ct_need net
	ct_host "$ORPHAN_HELPERS"'
		ct_www web -p 8080:80 >/dev/null || die "run exited $?"
		ip=$(ct_field web NetworkSettings.Networks.bridge.IPAddress)
		ct_wait_http "$ip:80" || die "httpd never answered"
		orphan web
		[ "$(ct_status web)" = running ] || die "status $(ct_status web)"
		ct_get "$ip:80" | grep -q hello-web || die "the orphan no longer serves"
		mr stop -t 1 web >/dev/null || die "stop exited $?"
		nt_settle
		ip -o link | grep -q mrv && die "stop left a veth: $(ip -o link | grep mrv)"
		nft list map ip minirun published 2>/dev/null | grep -q "8080" &&
			die "stop left the published port: $(nft list map ip minirun published)"
		mr start web >/dev/null || die "start exited $?"
		ct_wait_http "$ip:80" || ct_wait_http "$(ct_field web NetworkSettings.Networks.bridge.IPAddress):80" ||
			die "no answer after start"
		orphan web
		mr rm -f web >/dev/null || die "rm -f exited $?"
		ct_noleaks
	'
}
t "a killed monitor of a bridge container with -p: stop and rm -f leave no veth, nft element or lease" orphan_network

orphan_pid_reused() {
	ct_need
	ct_host "$ORPHAN_HELPERS"'
		mr run -d --name re busybox sleep 600 >/dev/null || die "run"
		id=$(cat "$R/containers/.names/re")
		pid=$(ct_field re State.Pid)
		orphan re
		kill -9 "$pid"
		# another process now holds a pid the state names (a reused pid): the start time
		# recorded with it tells them apart
		sleep 600 &
		other=$!
		sed -i "s/\"realPid\": *$pid/\"realPid\":$other/" "$R/run/oci/$id/state.json"
		grep -q "\"realPid\":$other" "$R/run/oci/$id/state.json" || die "state.json: $(cat "$R/run/oci/$id/state.json")"
		[ "$(ct_status re)" = exited ] || die "a reused pid read as the container: $(ct_status re)"
		mr stop re >/dev/null || die "stop exited $?"
		mr rm -f re >/dev/null || die "rm -f exited $?"
		alive "$other" || die "stop or rm -f killed the process that reused the pid"
		kill "$other"
		wait "$other" 2>/dev/null
		ct_noleaks
	'
}
t "a killed monitor: a pid reused by another process is not taken for the container's" orphan_pid_reused

dead_writers_temps_swept() {
	ct_need
	ct_host '
		mr run --rm busybox true >/dev/null || die "run"
		[ -f "$R/networks/bridge.json" ] || die "no bridge.json"
		sleep 600 &
		live=$!
		echo "{" >"$R/networks/bridge.json.tmp.2147483646" # no pid is that high: dead
		echo "{" >"$R/networks/bridge.json.tmp.$live"
		mr create --name sw busybox true >/dev/null || die "create"
		d=$R/containers/$(cat "$R/containers/.names/sw")
		echo "{" >"$d/container.json.2147483646.tmp"
		echo "{" >"$d/container.json.$live.tmp"
		mr start sw >/dev/null || die "start"
		[ -e "$d/container.json.2147483646.tmp" ] && die "a dead writer s temp record was kept"
		[ -e "$d/container.json.$live.tmp" ] || die "a live writer s temp record was removed"
		mr rm -f sw >/dev/null || die "rm -f"
		mr run --rm busybox true >/dev/null || die "run"
		[ -e "$R/networks/bridge.json.tmp.2147483646" ] && die "a dead writer s temp file was kept"
		[ -e "$R/networks/bridge.json.tmp.$live" ] || die "a live writer s temp file was removed"
		kill "$live"
		wait "$live" 2>/dev/null
		rm -f "$R/networks/bridge.json.tmp.$live"
		ct_noleaks
	'
}
t "the next writer of the network store or of a container removes dead writers' temp files, not live ones" dead_writers_temps_swept

t_end
