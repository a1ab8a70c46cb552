#!/bin/sh
# labs/01-fundamentals/07-stop-signals/lab.sh - stop's SIGTERM, the timeout, SIGKILL; PID 1
# ignores what it does not handle (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab stop-signals STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=stop-signals
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', start stubborn (sleep 1000), trapper (a sh with
'trap "echo caught TERM, cleaning up; exit 0" TERM') and initd (--init, sleep 1000) with -d;
then for each: t0=$(date +%s); minirun stop -t 5 NAME; t1=$(date +%s)
and append "NAME $(minirun wait NAME) $((t1 - t0))s" to $LAB_STATE/stop.txt
HINT
}

setup_() { :; }

run_() {
	need_verbs run stop wait logs
	minirun run -d --name stubborn busybox sleep 1000
	minirun run -d --name trapper busybox sh -c \
		'trap "echo caught TERM, cleaning up; exit 0" TERM; while :; do sleep 0.1; done'
	minirun run -d --init --name initd busybox sleep 1000
	sleep 0.5
	: >"$LAB_STATE/stop.txt"
	for c in stubborn trapper initd; do
		t0=$(date +%s)
		minirun stop -t 5 $c
		t1=$(date +%s)
		echo "$c $(minirun wait $c) $((t1 - t0))s" | tee -a "$LAB_STATE/stop.txt"
	done
	minirun logs trapper
}

# line NAME - "CODE SECONDS" the learner saved for NAME
line() { sed -n "s/^$1 \([0-9]*\) \([0-9]*\)s$/\1 \2/p" "$LAB_STATE/stop.txt" | tail -n 1; }

check_() {
	need_verbs run stop wait logs
	have stop.txt
	set -- $(line stubborn)
	expect_or "stubborn's code is 137: PID 1 ignored SIGTERM, SIGKILL came after -t" "it is '${1:-}'" [ "${1:-}" = 137 ]
	slow=${2:-0}
	expect_or "stubborn took the 5s timeout to stop" "it stopped in ${slow}s" [ "$slow" -ge 4 ]
	# the others end before the timeout: well under stubborn's time (a slow machine, such
	# as an emulated VM, adds the same few seconds of its own to every stop)
	set -- $(line trapper)
	expect_or "trapper's code is 0: its trap exits 0" "it is '${1:-}'" [ "${1:-}" = 0 ]
	expect_or "trapper stopped at once, well before stubborn" "it took ${2:-?}s, stubborn ${slow}s" \
		[ "${2:-99}" -le $((slow - 2)) ]
	expect "trapper's log has 'caught TERM, cleaning up'" eval 'minirun logs trapper 2>&1 | grep -q "caught TERM, cleaning up"'
	set -- $(line initd)
	expect_or "initd's code is 143: with --init, sleep is not PID 1 and dies of SIGTERM" "it is '${1:-}'" [ "${1:-}" = 143 ]
	expect_or "initd stopped at once: the init forwards SIGTERM" "it took ${2:-?}s, stubborn ${slow}s" \
		[ "${2:-99}" -le $((slow - 2)) ]
	echo "check: ok - stubborn: 137 after the timeout; trapper: its trap ran, 0 at once; initd: 143 at once"
}

steps "$@"
