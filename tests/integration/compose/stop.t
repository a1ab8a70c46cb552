# tests/integration/compose/stop.t - `compose stop` and `compose down` stop the containers
# of one dependency level at once (reverse dependency order between levels): services that
# ignore SIGTERM cost the stop timeout once, not once per container; -t is honoured.
# Timing is read from the containers' own State.FinishedAt, never from the wall clock of
# this (noisy) machine: the spread of three finish times is compared with the timeout.
# Run: sh tests/integration/compose/stop.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# three services that ignore SIGTERM (sleep inherits the ignored signal), under an init as
# a service that handles signals would be, and db, which api depends on
STUBBORN='
mkdir -p $R/../st && cd $R/../st || die cd
cat >compose.yaml <<EOF2
x-stubborn: &stubborn
  image: busybox
  init: true
  command: sh -c "trap \"\" TERM; echo ready; while :; do sleep 1; done"
services:
  a: *stubborn
  b: *stubborn
  c: *stubborn
EOF2
ready() { for c in "$@"; do ct_wait_log "$c" ready || die "$c never said ready"; done; }
fin() { date -d "$(mr inspect -f "{{.State.FinishedAt}}" "$1")" +%s.%N; }
'

stop_level_at_once() {
	ct_need
	out=$(ct_host "$STUBBORN"'
		mr compose -p st up -d 2>/dev/null || die "up failed"
		ready st-a-1 st-b-1 st-c-1
		mr -v compose -p st stop -t 2 2>&1 | grep -e "^ " -e "^=> minirun stop" | sed "s/^/stop: /"
		for c in a b c; do echo "$c: $(mr inspect -f "{{.State.Status}} {{.State.ExitCode}}" st-$c-1)"; done
		echo "spread: $(printf "%s\n" $(fin st-a-1) $(fin st-b-1) $(fin st-c-1) | sort -n |
			awk "NR == 1 { lo = \$1 } { hi = \$1 } END { print (hi - lo < 2) ? \"under one timeout\" : \"spread \" hi - lo }")"
		mr compose -p st down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^a: exited 137$' "a ignored SIGTERM: SIGKILLed after the timeout"
	t_match "$out" '^b: exited 137$'
	t_match "$out" '^c: exited 137$'
	t_match "$out" '^spread: under one timeout$' \
		"the three finished within one timeout of each other: stopped at once"
	t_match "$out" '^stop: +Container st-a-1 +Stopping$' "docker compose's lines"
	t_match "$out" '^stop: => minirun stop -t 2 st-b-1   \(level 0, at once\)$' \
		"-v: what each container's process does"
	t_match "$out" '^stop: +Container st-c-1 +Stopped$'
	# all three are sent their signal before any of them is done with
	t_eq "$(printf '%s\n' "$out" | grep '^stop:  ' | head -n 3 | grep -c Stopping)" 3 \
		"every Stopping before the first Stopped"
}
t "stop -t 2: three services ignoring SIGTERM are stopped at once" stop_level_at_once

down_reverse_levels() {
	ct_need
	out=$(ct_host "$STUBBORN"'
		cat >>compose.yaml <<EOF2
  db: *stubborn
  api:
    <<: *stubborn
    depends_on: [db]
    deploy: {replicas: 2}
EOF2
		mr compose -p st up -d 2>/dev/null || die "up failed"
		ready st-db-1 st-api-1 st-api-2
		mr compose -p st stop -t 1 api db 2>/dev/null || die "stop failed"
		echo "api before db: $(awk "BEGIN { print ($(fin st-api-1) < $(fin st-db-1) && $(fin st-api-2) < $(fin st-db-1)) ? \"yes\" : \"no\" }")"
		mr compose -p st start 2>/dev/null >/dev/null
		ready st-db-1 st-api-1 st-api-2
		mr compose -p st down -t 1 2>&1 | grep "Container" | sed "s/^/down: /"
		echo "after: $(mr ps -aq | wc -l)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^api before db: yes$' "a dependency is stopped after its dependents"
	# the order of down's lines: every api line before db's Stopping
	order=$(printf '%s\n' "$out" | grep '^down:' | grep -n 'st-db-1 *Stopping' | cut -d: -f1)
	last_api=$(printf '%s\n' "$out" | grep '^down:' | grep -n 'st-api-[12] *Removed' | tail -n 1 | cut -d: -f1)
	[ -n "$order" ] && [ -n "$last_api" ] && [ "$last_api" -lt "$order" ] ||
		t_fail "down did not remove api before stopping db: $out"
	t_match "$out" '^down: +Container st-db-1 +Removed$' "down removes what it stopped"
	t_match "$out" '^after: 0$'
}
t "stop and down: dependents first, a level at a time" down_reverse_levels

stop_bad_input() {
	ct_need
	out=$(ct_host "$STUBBORN"'
		mr compose -p st stop -t soon 2>&1; echo "status $?"
		mr compose -p st stop nosuch 2>&1; echo "status $?"
		mr compose -p st down -t -1 2>&1; echo "status $?"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^minirun: compose stop -t soon: not a number of seconds$' "-t names the input"
	t_match "$out" '^minirun: no such service: nosuch$'
	t_match "$out" '^minirun: compose down -t -1: not a number of seconds$'
	t_nomatch "$out" '^status 0$' "each refused"
}
t "stop -t and a service that is not there are refused" stop_bad_input

t_end
