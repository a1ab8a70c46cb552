# tests/integration/containers/lifecycle.t - a container's life as docker shows it: run
# and its exit codes (the command's own, 125, 126, 127), run -d, create/start, stop's
# SIGTERM then SIGKILL (143 / 137), kill -s, pause/unpause, restart, wait, rm and rm -f,
# --rm, names and their conflicts; each test checks that nothing is left behind.
# Run: sh tests/integration/containers/lifecycle.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

run_output_and_code() {
	ct_need
	ct_host '
		out=$(mr run --rm busybox echo hello) || die "run exited $?"
		[ "$out" = hello ] || die "output: $out"
		mr run --rm busybox sh -c "exit 3"; rc=$?
		[ $rc = 3 ] || die "exit 3 came back as $rc"
		ct_noleaks
	'
}
t "run prints the command's output and exits with its code (0, 3); --rm leaves nothing" run_output_and_code

unknown_image_125() {
	ct_need
	ct_host '
		out=$(mr run --rm nosuchimage true 2>&1); rc=$?
		[ $rc = 125 ] || die "exit $rc, want 125: $out"
		echo "$out" | grep -q "Unable to find image .nosuchimage:latest. locally" || die "$out"
		echo "$out" | grep -q "No such image: nosuchimage:latest" || die "$out"
		ct_noleaks
	'
}
t "run of an unknown image: docker's messages, exit 125, nothing left" unknown_image_125

not_found_127_126() {
	ct_need
	ct_host '
		out=$(mr run --rm busybox nosuchcmd 2>&1); rc=$?
		[ $rc = 127 ] || die "not found: exit $rc, want 127: $out"
		echo "$out" | grep -q nosuchcmd || die "the message does not name the command: $out"
		out=$(mr run --rm busybox /etc/passwd 2>&1); rc=$?
		[ $rc = 126 ] || die "not executable: exit $rc, want 126: $out"
		ct_noleaks
	'
}
t "a command not found exits 127, one not executable 126 (with --rm: nothing left)" not_found_127_126

not_found_stays_created() {
	ct_need
	ct_host '
		mr run --name nf busybox nosuchcmd 2>/dev/null; rc=$?
		[ $rc = 127 ] || die "exit $rc"
		[ "$(ct_field nf State.Status)" = created ] || die "status $(ct_field nf State.Status)"
		[ "$(ct_field nf State.ExitCode)" = 127 ] || die "ExitCode $(ct_field nf State.ExitCode)"
		mr rm nf >/dev/null || die "rm"
		ct_noleaks
	'
}
t "a container whose command is not found stays created with ExitCode 127, as docker's" not_found_stays_created

# the bundle's config.json is written while the init sets up (monitor.c, write_config_file:
# the runtime's while_init): a write that fails there fails the start, as one written before
# the create did, and takes the init, its cgroup and the OCI state with it
config_write_fails_start() {
	ct_need
	ct_host '
		id=$(mr create --name cw --network none busybox sleep 100) || die "create"
		mkdir -p "$R/run/containers/$id/bundle/config.json/x"
		mr start cw >/dev/null 2>"$T_DIR/err"; rc=$?
		[ $rc != 0 ] || die "start succeeded with config.json unwritable"
		grep -q "config\.json.*Is a directory" "$T_DIR/err" || die "message: $(cat "$T_DIR/err")"
		[ "$(ct_field cw State.Status)" = created ] || die "status $(ct_field cw State.Status)"
		ls "$R/run/oci" 2>/dev/null | grep -q "$id" && die "OCI state left"
		_ct_cgroups | grep -q . && die "cgroup left: $(_ct_cgroups)"
		_ct_live sleep && die "the init was left running"
		rm -rf "$R/run/containers/$id/bundle/config.json"
		mr start cw >/dev/null || die "start once writable"
		grep -q "\"sleep\"" "$R/run/containers/$id/bundle/config.json" || die "config.json not written"
		mr exec cw true || die "exec (reads config.json)"
		mr rm -f cw >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "a config.json that can't be written fails the start: created, no init, cgroup or OCI state" \
	config_write_fails_start

detach_prints_id() {
	ct_need
	ct_host '
		id=$(mr run -d --name web busybox sleep 100) || die "run -d exited $?"
		echo "$id" | grep -Eq "^[0-9a-f]{64}$" || die "not an ID: $id"
		[ "$(ct_status web)" = running ] || die "status $(ct_status web)"
		[ "$(ct_field web Name)" = /web ] || die "Name $(ct_field web Name)"
		pid=$(ct_field web State.Pid)
		kill -0 "$pid" 2>/dev/null || die "State.Pid $pid is not alive"
		mr rm -f web >/dev/null || die "rm -f"
		kill -0 "$pid" 2>/dev/null && die "pid $pid still alive after rm -f"
		ct_noleaks
	'
}
t "run -d prints the 64-hex ID, the container runs (State.Pid alive); rm -f kills and removes it" detach_prints_id

stop_137() {
	ct_need
	ct_host '
		mr run -d --name s1 busybox sleep 100 >/dev/null || die run
		t0=$(date +%s)
		out=$(mr stop -t 1 s1) || die "stop exited $?"
		t1=$(date +%s)
		[ "$out" = s1 ] || die "stop printed $out"
		[ $((t1 - t0)) -le 4 ] || die "stop -t 1 took $((t1 - t0)) s"
		[ "$(ct_status s1)" = exited ] || die "status $(ct_status s1)"
		# sleep as pid 1 has no SIGTERM handler: the kernel ignores it, SIGKILL follows
		[ "$(ct_field s1 State.ExitCode)" = 137 ] || die "ExitCode $(ct_field s1 State.ExitCode)"
		[ "$(mr wait s1)" = 137 ] || die "wait printed $(mr wait s1)"
		mr rm s1 >/dev/null || die rm
		ct_noleaks
	'
}
t "stop -t 1: SIGTERM ignored by pid 1, SIGKILL after 1 s: exited, 137" stop_137

stop_143() {
	ct_need
	ct_host '
		mr run -d --name s1 busybox sh -c "trap \"exit 143\" TERM; echo ready; while :; do sleep 0.1; done" \
			>/dev/null || die run
		ct_wait_log s1 ready || die "the container never said ready"
		t0=$(date +%s)
		mr stop -t 30 s1 >/dev/null || die "stop exited $?"
		t1=$(date +%s)
		[ $((t1 - t0)) -le 5 ] || die "the SIGTERM was not delivered: stop took $((t1 - t0)) s"
		[ "$(ct_field s1 State.ExitCode)" = 143 ] || die "ExitCode $(ct_field s1 State.ExitCode)"
		mr rm s1 >/dev/null || die rm
		ct_noleaks
	'
}
t "stop sends SIGTERM first: a process that handles it ends at once with 143" stop_143

states() {
	ct_need
	ct_host '
		id=$(mr create --name st busybox sleep 100) || die create
		echo "$id" | grep -Eq "^[0-9a-f]{64}$" || die "create printed $id"
		[ "$(ct_status st)" = created ] || die "after create: $(ct_status st)"
		[ -d "$R/containers/$id/diff" ] || die "no diff/ after create"
		[ "$(cat "$R/containers/$id/image")" = "$(ct_field st Image)" ] || die "image mark"
		[ "$(mr start st)" = st ] || die start
		[ "$(ct_status st)" = running ] || die "after start: $(ct_status st)"
		mr pause st >/dev/null || die pause
		[ "$(ct_status st)" = paused ] || die "after pause: $(ct_status st)"
		[ "$(ct_field st State.Paused)" = true ] || die "State.Paused"
		out=$(mr kill st 2>&1) && die "kill of a paused container succeeded"
		echo "$out" | grep -q "is paused. Unpause the container" || die "kill: $out"
		out=$(mr start st 2>&1) && die "start of a paused container succeeded"
		echo "$out" | grep -q "cannot start a paused container" || die "start: $out"
		mr unpause st >/dev/null || die unpause
		[ "$(ct_status st)" = running ] || die "after unpause: $(ct_status st)"
		mr kill st >/dev/null || die kill
		[ "$(mr wait st)" = 137 ] || die "wait after kill"
		[ "$(ct_status st)" = exited ] || die "after kill: $(ct_status st)"
		mr rm st >/dev/null || die rm
		ct_noleaks
	'
}
t "create -> start -> pause (kill and start refused) -> unpause -> kill: created, running, paused, running, exited (137)" states

kill_signal() {
	ct_need
	ct_host '
		mr run -d --name k1 busybox sh -c "trap \"exit 42\" USR1; echo ready; while :; do sleep 0.1; done" \
			>/dev/null || die run
		ct_wait_log k1 ready || die "the container never said ready"
		mr kill -s USR1 k1 >/dev/null || die "kill -s USR1"
		[ "$(mr wait k1)" = 42 ] || die "the USR1 handler did not run"
		out=$(mr kill k1 2>&1) && die "kill of an exited container succeeded"
		echo "$out" | grep -q "is not running" || die "message: $out"
		mr rm k1 >/dev/null || die rm
		ct_noleaks
	'
}
t "kill -s USR1 delivers USR1; kill of an exited container says it is not running" kill_signal

restart_verb() {
	ct_need
	ct_host '
		mr run -d --name r1 busybox sleep 100 >/dev/null || die run
		p1=$(ct_field r1 State.Pid)
		[ "$(mr restart -t 0 r1)" = r1 ] || die restart
		p2=$(ct_field r1 State.Pid)
		[ "$(ct_status r1)" = running ] || die "after restart: $(ct_status r1)"
		[ "$p1" != "$p2" ] && kill -0 "$p2" || die "not a new process: $p1 -> $p2"
		mr rm -f r1 >/dev/null || die rm
		ct_noleaks
	'
}
t "restart: stop then start, a new process, running" restart_verb

start_keeps_changes() {
	ct_need
	ct_host '
		out=$(mr run --name keep busybox sh -c "echo kept >>/data; cat /data") || die run
		[ "$out" = kept ] || die "first run: $out"
		out=$(mr start -a keep) || die "start -a exited $?"
		[ "$(echo $out)" = "kept kept" ] || die "second start: /data is $out"
		id=$(cat "$R/containers/.names/keep")
		[ "$(cat "$R/containers/$id/diff/data")" = "$(printf "kept\nkept")" ] || die "diff/data"
		mr rm keep >/dev/null || die rm
		ct_noleaks
	'
}
t "start -a runs an exited container again, attached; its writes (in diff/) survive" start_keeps_changes

wait_code() {
	ct_need
	ct_host '
		mr run -d --name w1 busybox sh -c "sleep 0.3; exit 7" >/dev/null || die run
		[ "$(mr wait w1)" = 7 ] || die "wait"
		[ "$(ct_status w1)" = exited ] || die "status $(ct_status w1)"
		mr rm w1 >/dev/null
		ct_noleaks
	'
}
t "wait blocks until the container exits and prints its code (7)" wait_code

name_conflict() {
	ct_need
	ct_host '
		id=$(mr create --name dup busybox true) || die create
		n=$(ls "$R/containers" | wc -l)
		out=$(mr run --name dup busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "exit $rc"
		echo "$out" | grep -q "Conflict. The container name \"/dup\" is already in use by container \"$id\". You have to remove (or rename) that container to be able to reuse that name.$" ||
			die "message: $out"
		[ "$(ls "$R/containers" | wc -l)" = "$n" ] || die "the failed run left a directory"
		out=$(mr run --name "bad name" busybox true 2>&1) && die "a bad name was taken"
		mr rm dup >/dev/null
		ct_noleaks
	'
}
t "a name in use: docker's Conflict message, exit 125, nothing new left" name_conflict

rm_running() {
	ct_need
	ct_host '
		mr run -d --name busy busybox sleep 100 >/dev/null || die run
		out=$(mr rm busy 2>&1) && die "rm of a running container succeeded"
		echo "$out" | grep -q "You cannot remove a running container [0-9a-f]\{64\}. Stop the container before attempting removal or force remove$" ||
			die "message: $out"
		[ "$(ct_status busy)" = running ] || die "rm hurt it: $(ct_status busy)"
		[ "$(mr rm busy -f)" = busy ] || die "rm busy -f (flags after the name, as docker allows)"
		out=$(mr rm busy 2>&1) && die "rm of a removed container succeeded"
		[ "$out" = "minirun: No such container: busy" ] || die "message: $out"
		ct_noleaks
	'
}
t "rm refuses a running container (docker's message), rm -f removes it; then No such container" rm_running

id_prefix() {
	ct_need
	ct_host '
		id=$(mr create busybox true) || die create
		name=$(ct_field "$id" Name)
		echo "$name" | grep -Eq "^/[a-z]+_[a-z]+[0-9]?$" || die "generated name: $name"
		mr rm "$(echo "$id" | cut -c1-12)" >/dev/null || die "rm by short ID"
		ct_noleaks
	'
}
t "a generated adjective_surname name; a container found by its short ID" id_prefix

stop_signal_flag() {
	ct_need
	ct_host '
		mr run -d --name ss busybox sh -c "trap \"exit 10\" USR1; echo ready; while :; do sleep 0.1; done" \
			>/dev/null || die run
		ct_wait_log ss ready || die "the container never said ready"
		mr stop -s USR1 -t 30 ss >/dev/null || die "stop -s USR1"
		[ "$(ct_field ss State.ExitCode)" = 10 ] || die "ExitCode $(ct_field ss State.ExitCode)"
		mr rm ss >/dev/null
		ct_noleaks
	'
}
t "stop -s USR1 sends USR1 instead of SIGTERM" stop_signal_flag

parallel_runs() {
	ct_need
	ct_host '
		for i in 1 2 3 4 5 6 7 8; do
			mr run -d --name par$i busybox sleep 100 >"$R.out$i" 2>&1 &
		done
		wait
		for i in 1 2 3 4 5 6 7 8; do
			[ "$(ct_status par$i)" = running ] || die "par$i: $(ct_status par$i): $(cat "$R.out$i")"
		done
		addrs=$(for i in 1 2 3 4 5 6 7 8; do mr inspect --format "{{.NetworkSettings.Networks.bridge.IPAddress}}" par$i; done | sort -u | wc -l)
		[ "$addrs" = 8 ] || die "$addrs distinct addresses for 8 containers"
		mr rm -f par1 par2 par3 par4 par5 par6 par7 par8 >/dev/null || die "rm -f"
		ct_noleaks
	'
}
t "8 containers started in parallel all run (distinct addresses); rm -f of all leaves nothing" parallel_runs

signals_reset() {
	ct_need
	ct_host '
		# a background job starts with SIGINT ignored, and a shell can not trap a signal
		# ignored on entry: the monitor must give the container default dispositions
		(mr run -d --name bg busybox sh -c "trap \"exit 5\" INT; echo ready; while :; do sleep 0.1; done" \
			>/dev/null) &
		wait
		ct_wait_log bg ready || die "the container never said ready"
		mr kill -s INT bg >/dev/null || die "kill -s INT"
		code=$(timeout 5 "$MINIRUN" --root "$R" wait bg)
		[ "$code" = 5 ] || die "the container could not trap SIGINT (wait: $code)"
		mr rm bg >/dev/null
		ct_noleaks
	'
}
t "a container run from a background job (SIGINT ignored there) can still trap SIGINT" signals_reset

image_in_use() {
	ct_need
	ct_host '
		mr create --name user busybox true >/dev/null || die create
		out=$(mr rmi busybox 2>&1) && die "rmi of an image in use succeeded"
		echo "$out" | grep -q "$(ct_field user Id | cut -c1-12)" || die "rmi does not name the container: $out"
		mr rm user >/dev/null || die rm
		mr rmi busybox >/dev/null || die "rmi after rm"
		ct_noleaks
	'
}
t "an image a container uses (its image file) can't be removed until the container is" image_in_use

detached_rm() {
	ct_need
	ct_host '
		# the container lives 2 s after run returns: wait must find it before the monitor
		# removes it (a removed one is not found, by docker either), and 0.3 s was once
		# too short for the next process to start under the load of make test
		id=$(mr run -d --rm --name drm busybox sh -c "sleep 2; exit 4") || die run
		code=$(mr wait drm) || die "wait exited $?"
		[ "$code" = 4 ] || die "wait printed $code"
		# the monitor removes it once it exits: poll (at most 10 s) for the directory to go
		for i in $(seq 100); do
			[ -d "$R/containers/$id" ] || break
			sleep 0.1
		done
		[ -d "$R/containers/$id" ] && die "still there 10 s after its exit"
		ct_noleaks
	'
}
t "run -d --rm: wait prints its exit code (4); the monitor removes it, leaving nothing" detached_rm

run_it_without_a_terminal() {
	ct_need
	ct_host '
		out=$(echo hi | mr run -it busybox cat 2>&1); rc=$?
		[ $rc = 1 ] || die "exit $rc, want 1: $out"
		echo "$out" | grep -q "the input device is not a TTY" || die "$out"
		[ -z "$(mr ps -aq)" ] || die "a container was made"
		ct_noleaks
	'
}
t "run -it with stdin not a terminal: docker's message before anything is made" \
	run_it_without_a_terminal
t_end
