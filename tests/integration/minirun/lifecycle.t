#!/bin/sh
# tests/integration/minirun/lifecycle.t - the OCI verbs: spec, create, start, state, kill,
# delete, run, exec, ps, list, pause/resume, features, --version; state transitions and
# runc's error words. Every test checks that nothing (state dir, cgroup, mount, process) is
# left behind.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/minirun/lib.sh"

spec_writes_a_default_config() {
	mr_need
	mr spec || t_fail "spec exited $?"
	t_match "$(cat config.json)" '"ociVersion"'
	t_match "$(cat config.json)" '"CAP_NET_BIND_SERVICE"'
	t_status 1 mr spec
	t_match "$T_OUT" "config.json.*exists"
	mkdir r && mr spec --rootless --bundle r || t_fail "spec --rootless"
	t_match "$(cat r/config.json)" '"uidMappings"'
}

create_start_state_delete() {
	mr_need
	id=$(mr_id life)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr create --bundle b --pid-file pid "$id" || t_fail "create exited $?"
	t_eq "$(mr_field "$id" status)" created "status after create"
	t_eq "$(mr_field "$id" pid)" "$(cat pid)" "pid in state = --pid-file"
	t_eq "$(mr_field "$id" bundle)" "$(cd b && pwd)" "bundle"
	t_match "$(mr state "$id")" '"created": "20'
	t_match "$(readlink /proc/"$(cat pid)"/exe)" "minirun" "the init waits before exec (still the runtime, not sleep)"
	mr start "$id" || t_fail "start exited $?"
	mr_wait_status "$id" running
	i=0 # start returns once the init has its byte; the exec follows at once
	while [ "$(cat /proc/"$(cat pid)"/comm)" != sleep ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
	t_eq "$(cat /proc/"$(cat pid)"/comm)" sleep "the process after start"
	t_status 1 mr start "$id"
	t_match "$T_OUT" "already running"
	t_status 1 mr delete "$id"
	t_match "$T_OUT" "cannot delete container $id that is not stopped: running"
	mr kill "$id" KILL || t_fail "kill exited $?"
	mr_wait_status "$id" stopped
	t_eq "$(mr_field "$id" pid)" 0 "pid of a stopped container"
	t_status 1 mr kill "$id"
	t_match "$T_OUT" "container not running"
	t_status 1 mr start "$id"
	t_match "$T_OUT" "cannot start a container that has stopped"
	mr delete "$id" || t_fail "delete of a stopped container exited $?"
	t_status 1 mr state "$id"
	t_match "$T_OUT" "container with id $id does not exist"
}

delete_a_created_container() {
	mr_need
	id=$(mr_id created)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr create --bundle b --pid-file pid "$id" || t_fail "create"
	pid=$(cat pid)
	mr delete "$id" || t_fail "delete of a created container exited $?"
	mr_gone "$pid" || t_fail "the waiting init $pid is still there"
}

kill_a_created_container() {
	mr_need
	id=$(mr_id killcreated)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr create --bundle b "$id" || t_fail "create"
	mr kill "$id" 9 || t_fail "kill by number exited $?"
	mr_wait_status "$id" stopped
}

delete_force_a_running_container() {
	mr_need
	id=$(mr_id force)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr create --bundle b --pid-file pid "$id" && mr start "$id" || t_fail "create/start"
	mr delete --force "$id" || t_fail "delete --force exited $?"
	mr_gone "$(cat pid)" || t_fail "the process survived delete --force"
}

kill_sends_the_named_signal() {
	mr_need
	id=$(mr_id sig)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sh", "-c", "trap \"echo got-usr1; exit 3\" USR1; while :; do sleep 0.05; done"]'
	mr create --bundle b "$id" >out 2>&1 && mr start "$id" || t_fail "create/start"
	sleep 0.3
	mr kill "$id" SIGUSR1 || t_fail "kill SIGUSR1"
	mr_wait_status "$id" stopped
	t_match "$(cat out)" got-usr1 "the container's stdout (passed straight through)"
}

run_returns_the_exit_status() {
	mr_need
	id=$(mr_id run)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sh", "-c", "echo out; echo err >&2; exit 7"]'
	mr run --bundle b "$id" >o 2>e
	t_eq "$?" 7 "run's exit status"
	t_eq "$(cat o)" out "stdout"
	t_eq "$(cat e)" err "stderr"
	mr_leaks "$id"
}

run_detach_then_exec() {
	mr_need
	id=$(mr_id exec)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr run --detach --bundle b "$id" || t_fail "run --detach exited $?"
	mr_wait_status "$id" running
	out=$(mr exec "$id" sh -c 'echo $$; hostname; cat /proc/1/comm') || t_fail "exec exited $?"
	t_match "$out" '^minirun$' "hostname seen by exec"
	t_match "$out" '^sleep$' "pid 1 of the container, seen by exec"
	mr exec "$id" sh -c 'exit 5'
	t_eq "$?" 5 "exec's exit status"
	mr exec --env FOO=bar --cwd /etc "$id" sh -c 'echo $FOO $(pwd)' >o || t_fail "exec --env --cwd"
	t_eq "$(cat o)" "bar /etc"
	mr exec --user 65534:65534 "$id" id -u >o || t_fail "exec --user"
	t_eq "$(cat o)" 65534
	cat >p.json <<EOF
{"args": ["sh", "-c", "echo from-process-file"], "cwd": "/", "env": ["PATH=/bin"]}
EOF
	t_eq "$(mr exec --process p.json "$id")" from-process-file "exec --process"
	t_status 127 mr exec "$id" no-such-command
	t_match "$T_OUT" "executable file not found"
	mr exec --detach --pid-file xp "$id" sleep 50 || t_fail "exec --detach"
	[ -d /proc/"$(cat xp)" ] || t_fail "exec --detach --pid-file names a live process"
}

ps_and_list() {
	mr_need
	id=$(mr_id ps)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr run --detach --bundle b --pid-file pid "$id" || t_fail "run --detach"
	pid=$(cat pid)
	t_eq "$(mr ps --format json "$id")" "[$pid]" "ps --format json: the pid array"
	# the table is ps -ef's: its header, then only the container's rows
	out=$(mr ps "$id")
	t_match "$(echo "$out" | head -n 1)" "PID" "ps's header"
	t_eq "$(echo "$out" | sed 1d | wc -l | tr -d ' ')" 1 "rows: the container's one process"
	t_match "$(echo "$out" | sed 1d)" "(^| )$pid .*sleep 100" "ps -ef's row of the init"
	# options after the ID go to ps(1)
	out=$(mr ps "$id" -o pid,args)
	t_eq "$(echo "$out" | sed 1d | tr -s ' ' | sed 's/^ //')" "$pid sleep 100" "ps ID -o pid,args"
	t_status 1 mr ps "$id" -o args
	t_match "$T_OUT" "no PID column" "ps options without a PID column"
	t_status 2 mr ps --format json "$id" -ef
	t_match "$(mr list)" "^$id +$(cat pid) +running"
	t_match "$(mr list -q)" "^$id\$"
	t_match "$(mr list --format json)" "\"id\":\"$id\""
}

pause_and_resume() {
	mr_need
	id=$(mr_id pause)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr run --detach --bundle b --pid-file pid "$id" || t_fail "run --detach"
	mr pause "$id" || t_fail "pause exited $?"
	t_eq "$(mr_field "$id" status)" paused
	state=$(awk '{print $3}' /proc/"$(cat pid)"/stat)
	t_eq "$state" S "a frozen task sleeps in the freezer"
	t_status 1 mr pause "$id"
	t_match "$T_OUT" "not running"
	mr resume "$id" || t_fail "resume exited $?"
	t_eq "$(mr_field "$id" status)" running
	mr pause "$id" && mr delete --force "$id" || t_fail "delete --force of a paused container"
}

kill_all_reaches_every_process() {
	mr_need
	id=$(mr_id killall)
	t_defer "mr_cleanup $id"
	NAMESPACES='[{"type": "mount"}, {"type": "uts"}]' mr_bundle b '["sh", "-c", "sleep 100 & sleep 100 & wait"]'
	mr run --detach --bundle b "$id" || t_fail "run --detach"
	sleep 0.3
	n=$(mr ps --format json "$id" | tr ',' '\n' | grep -c '[0-9]')
	[ "$n" -ge 3 ] || t_fail "expected 3 processes in the cgroup, ps says $n"
	mr kill --all "$id" KILL || t_fail "kill --all"
	mr_wait_status "$id" stopped
	sleep 0.2
	left=$(mr_procs_in_rootfs)
	[ -z "$left" ] || t_fail "processes left after kill --all: $left"
}

features_and_version() {
	mr_need
	t_match "$(mr features)" '"ociVersionMax"'
	t_match "$(mr features)" '"SCMP_ACT_ERRNO"'
	t_match "$("$MR_TOP/minirun/minirun" --version)" "minirun version"
	t_match "$("$MR" --version)" "spec: 1\\."
	t_match "$("$MR_TOP/minirun/minirun" oci --help)" "create"
}

log_json_and_systemd_refused() {
	mr_need
	"$MR" --root "$MR_STATE" --log log.json --log-format json state nosuch 2>/dev/null
	t_match "$(cat log.json)" '"level":"error".*"msg":"container with id nosuch does not exist"'
	t_status 1 "$MR" --systemd-cgroup --root "$MR_STATE" list
	t_match "$T_OUT" "systemd-cgroup is not supported"
}

debug_goes_into_the_log() {
	mr_need
	id=$(mr_id debug)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sh", "-c", "echo out; echo err >&2; exit 3"]'
	"$MR" --debug --log debug.json --log-format json --root "$MR_STATE" run --bundle b "$id" \
		>out 2>err
	t_eq "$?" 3 "run's exit status"
	t_eq "$(cat out)" "out" "the container's stdout"
	t_eq "$(cat err)" "err" "stderr: the container's alone, no narration"
	# the logger writes what reached it before the last writer closed its pipe
	sleep 0.2
	t_eq "$(grep -cvE '^\{"level":"[a-z]+","msg":".*","time":"[0-9T:.-]+Z"\}$' debug.json)" 0 \
		"lines of the log that are not {level,msg,time} records"
	t_match "$(cat debug.json)" '"level":"debug","msg":"re-exec from ' "the runtime's narration"
	t_match "$(cat debug.json)" '"msg":"pivot_root' "the init's own narration is in the log"
	t_nomatch "$(grep -v '"level":"debug"' debug.json)" . "lines that are not debug records"
	# text format: runc's key=value lines
	"$MR" --debug --log debug.txt --root "$MR_STATE" state nosuch 2>/dev/null
	sleep 0.2
	t_match "$(cat debug.txt)" '^time="[^"]+" level=error msg="container with id nosuch does not exist"$' \
		"--log text: the error"
}

t "spec writes a default config.json (and --rootless one), never over an existing one" spec_writes_a_default_config
t "create -> created, start -> running, kill -> stopped, delete -> gone, with runc's errors" create_start_state_delete
t "delete removes a created container and its waiting init" delete_a_created_container
t "kill stops a created container (signal by number)" kill_a_created_container
t "delete --force kills a running container" delete_force_a_running_container
t "kill delivers the named signal; stdio passes straight through" kill_sends_the_named_signal
t "run passes stdout/stderr and returns the process's exit status" run_returns_the_exit_status
t "exec runs in the container's namespaces: args, --env, --cwd, --user, --process, 127, --detach" run_detach_then_exec
t "ps lists the container's pids, list shows it running" ps_and_list
t "pause freezes, resume thaws, state says paused" pause_and_resume
t "kill --all signals every process of the cgroup" kill_all_reaches_every_process
t "features prints JSON, --version the versions" features_and_version
t "--log --log-format json gets the error; --systemd-cgroup is refused" log_json_and_systemd_refused
t "--debug --log: the narration goes into the log (JSON lines), stderr stays the container's" debug_goes_into_the_log
t_end
