#!/bin/sh
# labs/06-best-practices/06-limits/lab.sh - a fork bomb stopped by --pids-limit, a memory hog
# OOM-killed by -m (exit 137, OOMKilled true), the rest of the machine unharmed.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab limits STEP`)
#
# check reads bomb.txt and hog.txt. Exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=limits
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run -d --name bomb --pids-limit 50 busybox sh -c 'b() { b | b & }; b; sleep 1000'
  then (a few seconds later) save 'minirun stats --no-stream bomb', its logs
  ('minirun logs bomb 2>&1 | sort | uniq -c') and a new container's echo in bomb.txt;
  then 'minirun rm -f bomb'.
  minirun run --name hog -m 32m --memory-swap 32m busybox tail /dev/zero; echo "hog: exit $?"
  and 'minirun inspect -f OOMKilled={{.State.OOMKilled}} hog' in hog.txt; 'minirun rm hog'.
HINT
}

setup_() {
	for _c in pids memory; do
		awk -v c=$_c '$1 == c && $4 == 1 { f = 1 } END { exit !f }' /proc/cgroups ||
			{ echo "needs the cgroup $_c controller (this kernel has it off)"; exit 77; }
	done
}

run_() {
	minirun run -d --name bomb --pids-limit 50 busybox sh -c 'b() { b | b & }; b; sleep 1000'
	sleep 3
	minirun stats --no-stream bomb | tee "$LAB_STATE/bomb.txt"
	minirun logs bomb 2>&1 | sort | uniq -c | tee -a "$LAB_STATE/bomb.txt"
	minirun run --rm busybox echo "another container still starts" | tee -a "$LAB_STATE/bomb.txt"
	minirun rm -f bomb
	minirun run --name hog -m 32m --memory-swap 32m busybox tail /dev/zero
	echo "hog: exit $?" | tee "$LAB_STATE/hog.txt"
	minirun inspect -f 'OOMKilled={{.State.OOMKilled}}' hog | tee -a "$LAB_STATE/hog.txt"
	minirun rm hog
}

check_() {
	have bomb.txt
	have hog.txt
	f=$LAB_STATE/bomb.txt
	pids=$(awk '$2 == "bomb" { print $NF }' "$f")
	expect_or "bomb.txt: the stats line shows PIDS 50 at most" "it shows '$pids'" eval '[ -n "$pids" ] && [ "$pids" -le 50 ]'
	expect "bomb.txt: the bomb's log shows its forks refused (can't fork: Resource temporarily unavailable)" \
		grep -q "can't fork: Resource temporarily unavailable" "$f"
	expect "bomb.txt: another container still starts" grep -q "another container still starts" "$f"
	echo "check: ok - bomb.txt: the bomb's forks were refused at the limit (PIDS $pids of 50); another container started"
	f=$LAB_STATE/hog.txt
	expect_or "hog.txt shows exit 137 and OOMKilled=true" "it shows: $(cat "$f")" \
		eval 'grep -q "hog: exit 137" "$f" && grep -q "OOMKilled=true" "$f"'
	echo "check: ok - hog.txt: the hog was OOM-killed (exit 137, OOMKilled=true)"
}

steps "$@"
