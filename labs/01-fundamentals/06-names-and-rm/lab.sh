#!/bin/sh
# labs/01-fundamentals/06-names-and-rm/lab.sh - --name, the name conflict, rm, rm -f, --rm
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab names-and-rm STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=names-and-rm
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run --name web busybox true; minirun run busybox true
  minirun run --name web busybox true 2> $LAB_STATE/conflict.txt; echo "code $?" >> $LAB_STATE/conflict.txt
  minirun run -d --name busy busybox sleep 1000; minirun rm busy; minirun rm -f busy
  minirun rm web; minirun run --name web busybox echo second web
  minirun run --rm --name temp busybox echo gone when done; minirun ps -a > $LAB_STATE/ps.txt
HINT
}

setup_() { :; }

run_() {
	need_verbs run rm ps logs
	minirun run --name web busybox true
	minirun run busybox true
	minirun ps -a
	minirun run --name web busybox true 2>"$LAB_STATE/conflict.txt"
	echo "code $?" >>"$LAB_STATE/conflict.txt"
	cat "$LAB_STATE/conflict.txt"
	minirun run -d --name busy busybox sleep 1000
	minirun rm busy
	echo "rm: $?"
	minirun rm -f busy
	minirun rm web
	minirun run --name web busybox echo second web
	minirun run --rm --name temp busybox echo gone when done
	minirun ps -a | tee "$LAB_STATE/ps.txt"
}

check_() {
	need_verbs run rm ps logs
	have conflict.txt
	have ps.txt
	expect "conflict.txt has the 'Conflict. The container name \"/web\" is already in use' message" \
		grep -q 'Conflict. The container name "/web" is already in use by container' "$LAB_STATE/conflict.txt"
	expect "conflict.txt ends with 'code 125'" grep -qx 'code 125' "$LAB_STATE/conflict.txt"
	ps=$(minirun ps -a --format '{{.Names}}')
	expect "there is a container named web" eval 'echo "$ps" | grep -qx web'
	expect "web is the second one (its log is 'second web')" [ "$(minirun logs web)" = "second web" ]
	expect "temp removed itself (--rm)" not eval 'echo "$ps" | grep -qx temp'
	expect "busy is gone ('rm -f')" not eval 'echo "$ps" | grep -qx busy'
	expect "a container has a generated name (adjective_surname)" eval 'echo "$ps" | grep -Eqx "[a-z]+_[a-z0-9]+"'
	expect "ps.txt does not list temp" not grep -q temp "$LAB_STATE/ps.txt"
	echo "check: ok - the second --name web was a 125 Conflict; web was reused after rm, temp removed itself, busy is gone"
}

steps "$@"
