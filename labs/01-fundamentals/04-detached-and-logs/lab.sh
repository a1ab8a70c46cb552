#!/bin/sh
# labs/01-fundamentals/04-detached-and-logs/lab.sh - run -d, and logs, logs -f, --tail
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab detached-and-logs STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=detached-and-logs
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run -d --name ticker busybox sh -c \
      'for i in 1 2 3 4 5; do echo tick $i; sleep 0.5; done; echo done >&2' > $LAB_STATE/id.txt
  minirun ps > $LAB_STATE/ps.txt            (at once, while it runs)
  minirun logs -f ticker > $LAB_STATE/follow.txt 2>&1
  minirun logs --tail 2 ticker > $LAB_STATE/tail.txt 2>&1
  minirun logs ticker 2>/dev/null > $LAB_STATE/stdout.txt
HINT
}

setup_() { :; }

run_() {
	need_verbs run logs ps inspect
	minirun run -d --name ticker busybox sh -c \
		'for i in 1 2 3 4 5; do echo tick $i; sleep 0.5; done; echo done >&2' | tee "$LAB_STATE/id.txt"
	minirun ps | tee "$LAB_STATE/ps.txt"
	minirun logs -f ticker 2>&1 | tee "$LAB_STATE/follow.txt"
	minirun logs --tail 2 ticker 2>&1 | tee "$LAB_STATE/tail.txt"
	minirun logs ticker 2>/dev/null | tee "$LAB_STATE/stdout.txt"
	minirun logs -t ticker
	minirun ps -a
	cat "$(minirun inspect -f '{{.LogPath}}' ticker)"
}

check_() {
	need_verbs run logs ps inspect
	for f in id.txt ps.txt follow.txt tail.txt stdout.txt; do have $f; done
	id=$(cat "$LAB_STATE/id.txt")
	expect_or "id.txt is the 64-hex ID 'run -d' printed" "it holds '$id'" eval 'echo "$id" | grep -Eqx "[0-9a-f]{64}"'
	expect "ticker's ID is the one in id.txt" [ "$(minirun inspect -f '{{.Id}}' ticker)" = "$id" ]
	expect "ps.txt shows ticker 'Up' (saved while it ran)" eval 'grep ticker "$LAB_STATE/ps.txt" | grep -q " Up "'
	want="tick 1
tick 2
tick 3
tick 4
tick 5
done"
	expect_or "follow.txt (logs -f) is tick 1..5 and done" "it holds: $(cat "$LAB_STATE/follow.txt")" \
		[ "$(cat "$LAB_STATE/follow.txt")" = "$want" ]
	expect "tail.txt (--tail 2) is the last two lines, tick 5 and done" [ "$(cat "$LAB_STATE/tail.txt")" = "tick 5
done" ]
	expect "stdout.txt has no 'done', which the container wrote to stderr" not grep -q done "$LAB_STATE/stdout.txt"
	expect "stdout.txt has the five ticks" [ "$(grep -c tick "$LAB_STATE/stdout.txt")" = 5 ]
	expect "ticker has exited" [ "$(minirun inspect -f '{{.State.Status}}' ticker)" = exited ]
	echo "check: ok - ticker ran detached, logs -f followed it to the end, --tail 2 and the stderr line are right"
}

steps "$@"
