#!/bin/sh
# labs/01-fundamentals/05-exec/lab.sh - exec runs a process in a running container's
# namespaces (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab exec STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=exec
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and
  minirun run -d --name box --hostname box1 busybox sh -c 'echo secret > /tmp/note; exec sleep 1000'
save 'minirun exec box hostname' to hostname.txt, 'cat /tmp/note' to note.txt, 'ps' to ps.txt,
the "N shared" loop of step 4 to ns.txt and the -e/-w line of step 5 to flags.txt (all in $LAB_STATE).
HINT
}

setup_() { :; }

run_() {
	need_verbs run exec top inspect
	minirun run -d --name box --hostname box1 busybox sh -c 'echo secret > /tmp/note; exec sleep 1000'
	sleep 0.3
	minirun exec box hostname | tee "$LAB_STATE/hostname.txt"
	minirun exec box cat /tmp/note | tee "$LAB_STATE/note.txt"
	minirun exec box ps | tee "$LAB_STATE/ps.txt"
	minirun exec box sh -c 'for n in uts ipc net pid mnt; do
	    [ "$(readlink /proc/1/ns/$n)" = "$(readlink /proc/self/ns/$n)" ] && echo "$n shared"; done' |
		tee "$LAB_STATE/ns.txt"
	minirun exec -e WHO=exec -w /tmp box sh -c 'echo "$WHO in $(pwd)"' | tee "$LAB_STATE/flags.txt"
	minirun top box
}

check_() {
	need_verbs run exec top inspect
	for f in hostname.txt note.txt ps.txt ns.txt flags.txt; do have $f; done
	expect "hostname.txt is box1: exec sees the container's hostname" [ "$(cat "$LAB_STATE/hostname.txt")" = box1 ]
	expect "note.txt is 'secret': exec sees the container's files" [ "$(cat "$LAB_STATE/note.txt")" = secret ]
	expect "ps.txt shows 'sleep 1000' as PID 1" eval 'awk "\$1 == 1" "$LAB_STATE/ps.txt" | grep -q "sleep 1000"'
	expect_or "ns.txt says uts, ipc, net, pid and mnt are shared with PID 1" "it says: $(cat "$LAB_STATE/ns.txt")" \
		[ "$(tr '\n' ' ' <"$LAB_STATE/ns.txt")" = "uts shared ipc shared net shared pid shared mnt shared " ]
	expect "flags.txt is 'exec in /tmp' (-w /tmp)" [ "$(cat "$LAB_STATE/flags.txt")" = "exec in /tmp" ]
	# seen from the host: PID 1 of box is another PID, in other namespaces than ours
	p=$(minirun inspect -f '{{.State.Pid}}' box) || fail "there is a container box"
	expect_or "box is running" "State.Pid is '$p'" eval '[ -n "$p" ] && [ "$p" -gt 1 ]'
	expect "box's PID 1 is in its own pid namespace, not the host's" \
		[ "$(readlink "/proc/$p/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]
	echo "check: ok - exec ran in box's uts, ipc, net, pid and mnt namespaces: hostname box1, /tmp/note, PID 1 is sleep"
}

steps "$@"
