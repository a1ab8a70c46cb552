#!/bin/sh
# labs/01-fundamentals/03-lifecycle/lab.sh - one container through create, start, pause,
# unpause, stop, start, stop, rm (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab lifecycle STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=lifecycle
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', create 'life' and append its state after each verb:
  S() { minirun inspect -f '{{.State.Status}}' life | tee -a $LAB_STATE/states.txt; }
  minirun create --name life busybox sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done'; S
  start, pause ('minirun ps -a > $LAB_STATE/ps-paused.txt' then), unpause, stop, start, stop
  (each followed by S), then 'minirun rm life', then
  minirun events --since 10m --until -1s --filter container=life --format '{{.Action}}' |
      tee $LAB_STATE/events.txt
HINT
}

setup_() { :; }

S() { minirun inspect -f '{{.State.Status}}' life | tee -a "$LAB_STATE/states.txt"; }

run_() {
	need_verbs create start pause unpause stop rm ps inspect events
	: >"$LAB_STATE/states.txt"
	minirun create --name life busybox sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done'
	minirun ps -a
	S
	minirun start life
	S
	minirun pause life
	S
	minirun ps -a >"$LAB_STATE/ps-paused.txt"
	cat "$LAB_STATE/ps-paused.txt"
	minirun unpause life
	S
	minirun stop life
	S
	minirun start life
	S
	minirun stop life
	S
	minirun rm life
	minirun inspect life
	minirun events --since 10m --until -1s --filter container=life --format '{{.Action}}' |
		tee "$LAB_STATE/events.txt"
	true
}

check_() {
	need_verbs create start pause unpause stop rm ps inspect events
	have states.txt
	have ps-paused.txt
	got=$(tr '\n' ' ' <"$LAB_STATE/states.txt")
	expect_or "states.txt reads created running paused running exited running exited" "it reads '$got'" \
		[ "$got" = "created running paused running exited running exited " ]
	expect "ps-paused.txt shows life as '(Paused)'" eval 'grep life "$LAB_STATE/ps-paused.txt" | grep -q "(Paused)"'
	out=$(minirun inspect life 2>&1) && fail "life is removed: remove it with 'minirun rm life'"
	expect_or "inspect of the removed life says 'No such container'" "it says: $out" \
		eval 'echo "$out" | grep -Eq "No such (container|object)"'
	have events.txt
	want="create start pause unpause kill die stop start kill die stop destroy "
	got=$(tail -n 12 "$LAB_STATE/events.txt" | tr '\n' ' ')
	expect_or "events.txt ends with ${want% }" "it ends with '$got'" [ "$got" = "$want" ]
	echo "check: ok - life went created -> running -> paused -> running -> exited -> running -> exited, and rm removed it"
}

steps "$@"
