#!/bin/sh
# labs/02-internals/18-no-daemon/lab.sh - what outlives the CLI without a daemon: the
# monitor and the container; and what a killed monitor takes with it (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab no-daemon STEP`)
#
# The lab's store and host namespace come from mrlab.sh (module 1): exit 0 pass, 1 fail
# (after a hint), 77 skip (reason last). The monitor the learner kills is the one of the
# lab's own container svc, found by its command line (`__monitor ID`) in the lab's store.
LAB_NAME=no-daemon
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run -d --name svc busybox sh -c 'trap "exit 0" TERM; while :; do sleep 1; done' > $LAB_STATE/id.txt
  init=$(minirun inspect -f '{{.State.Pid}}' svc); mon: the init's parent (field 4 of /proc/$init/stat)
  "PID PPID COMMAND-LINE" of both (from /proc) > $LAB_STATE/ps-before.txt; kill -KILL $mon
  the init's line again > $LAB_STATE/ps-after.txt; minirun ps > $LAB_STATE/minirun-ps.txt
  minirun exec svc echo still here > $LAB_STATE/exec.txt; minirun stop svc
  minirun inspect -f '{{.State.Status}} {{.State.ExitCode}}' svc > $LAB_STATE/orphan-exit.txt
  the same run, stop and inspect for svc2 (monitor alive) into $LAB_STATE/normal-exit.txt; rm both.
HINT
}

setup_() { :; }

# pinfo PID... - "PID PPID COMMAND-LINE" from /proc, as ps reads them (busybox's ps, the
# VM's, has no -p)
pinfo() { for _p; do echo "$_p $(cut -d' ' -f4 "/proc/$_p/stat") $(tr '\0' ' ' <"/proc/$_p/cmdline")"; done; }

run_() {
	need_verbs run ps exec stop inspect rm
	loop='trap "exit 0" TERM; while :; do sleep 1; done'
	minirun run -d --name svc busybox sh -c "$loop" | tee "$LAB_STATE/id.txt"
	id=$(cat "$LAB_STATE/id.txt")
	init=$(minirun inspect -f '{{.State.Pid}}' svc)
	mon=$(cut -d' ' -f4 "/proc/$init/stat")
	pinfo "$mon" "$init" | tee "$LAB_STATE/ps-before.txt"
	ls "$LAB_STATE/root/run/containers/$id"
	kill -KILL "$mon"
	sleep 0.5
	pinfo "$init" | tee "$LAB_STATE/ps-after.txt"
	minirun ps | tee "$LAB_STATE/minirun-ps.txt"
	minirun exec svc echo still here | tee "$LAB_STATE/exec.txt"
	minirun stop svc
	minirun inspect -f '{{.State.Status}} {{.State.ExitCode}}' svc | tee "$LAB_STATE/orphan-exit.txt"
	minirun run -d --name svc2 busybox sh -c "$loop"
	sleep 1
	minirun stop svc2
	minirun inspect -f '{{.State.Status}} {{.State.ExitCode}}' svc2 | tee "$LAB_STATE/normal-exit.txt"
	minirun rm svc svc2
}

check_() {
	need_verbs run ps exec stop inspect rm
	for f in id.txt ps-before.txt ps-after.txt minirun-ps.txt exec.txt orphan-exit.txt normal-exit.txt; do have $f; done
	id=$(cat "$LAB_STATE/id.txt")
	mon=$(awk '/__monitor/ { print $1 }' "$LAB_STATE/ps-before.txt")
	expect "ps-before.txt shows svc's monitor (__monitor ID)" grep -q "__monitor $id" "$LAB_STATE/ps-before.txt"
	init=$(awk -v m="$mon" '$2 == m { print $1 }' "$LAB_STATE/ps-before.txt")
	expect "ps-before.txt shows the container's init as the monitor's child" [ -n "$init" ]
	ppid=$(awk -v p="$init" '$1 == p { print $2 }' "$LAB_STATE/ps-after.txt")
	expect "ps-after.txt shows the init living on after the monitor's death" [ -n "$ppid" ]
	expect_or "ps-after.txt: the init's parent is no longer the monitor (kill -KILL the monitor first)" "it is still $mon" \
		[ "$ppid" != "$mon" ]
	expect "minirun-ps.txt shows svc Up after the monitor died" eval 'grep svc "$LAB_STATE/minirun-ps.txt" | grep -q " Up "'
	expect "exec.txt is 'still here'" [ "$(cat "$LAB_STATE/exec.txt")" = "still here" ]
	expect_or "orphan-exit.txt is 'exited 255' (no parent left to collect the code)" "it is '$(cat "$LAB_STATE/orphan-exit.txt")'" \
		[ "$(cat "$LAB_STATE/orphan-exit.txt")" = "exited 255" ]
	expect_or "normal-exit.txt is 'exited 0' (the trap's exit code, collected by the monitor)" \
		"it is '$(cat "$LAB_STATE/normal-exit.txt")'" [ "$(cat "$LAB_STATE/normal-exit.txt")" = "exited 0" ]
	expect "no container is left (minirun rm svc svc2)" [ -z "$(minirun ps -a -q)" ]
	echo "check: ok - run -d left monitor $mon and init $init; with the monitor killed svc ran on (parent $ppid), exec and stop worked"
	echo "check: ok - the exit code died with the monitor (exited 255); with its monitor alive svc2 exited 0"
}

steps "$@"
