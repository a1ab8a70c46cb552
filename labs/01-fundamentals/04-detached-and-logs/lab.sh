#!/bin/sh
# labs/01-fundamentals/04-detached-and-logs/lab.sh - run -d, and logs, logs -f, --tail, and
# a log rotated by --log-opt max-size/max-file (README.md tells the story).
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
  minirun run --name chatty --log-opt max-size=100k --log-opt max-file=3 busybox seq 1 100000 >/dev/null
  ls -l $(dirname $(minirun inspect -f '{{.LogPath}}' chatty))/ctr.log* > $LAB_STATE/files.txt
  minirun logs chatty > $LAB_STATE/chatty.txt
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
	minirun run --name chatty --log-opt max-size=100k --log-opt max-file=3 \
		busybox seq 1 100000 >/dev/null
	minirun inspect -f '{{json .HostConfig.LogConfig}}' chatty
	ls -l "$(dirname "$(minirun inspect -f '{{.LogPath}}' chatty)")"/ctr.log* | tee "$LAB_STATE/files.txt"
	minirun logs chatty >"$LAB_STATE/chatty.txt"
	head -n 1 "$LAB_STATE/chatty.txt"
	tail -n 1 "$LAB_STATE/chatty.txt"
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
	for f in files.txt chatty.txt; do have $f; done
	expect_or "files.txt lists ctr.log, ctr.log.1 and ctr.log.2, no more" "it holds: $(cat "$LAB_STATE/files.txt")" \
		[ "$(sed 's|.*/||' "$LAB_STATE/files.txt" | sort | tr '\n' ' ')" = "ctr.log ctr.log.1 ctr.log.2 " ]
	dir=$(dirname "$(minirun inspect -f '{{.LogPath}}' chatty)")
	bytes=$(cat "$dir"/ctr.log* | wc -c)
	expect_or "chatty's log files hold at most 300 kB" "they hold $bytes bytes" [ "$bytes" -le 300000 ]
	first=$(head -n 1 "$LAB_STATE/chatty.txt")
	expect_or "chatty.txt ends with 100000, starts past 1, every number in between once" \
		"it starts at '$first' and ends at '$(tail -n 1 "$LAB_STATE/chatty.txt")'" \
		eval '[ "$first" -gt 1 ] && seq "$first" 100000 | cmp -s - "$LAB_STATE/chatty.txt"'
	echo "check: ok - ticker ran detached, logs -f followed it to the end, --tail 2 and the stderr line are right; chatty's log rotated"
}

steps "$@"
