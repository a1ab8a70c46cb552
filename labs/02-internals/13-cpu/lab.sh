#!/bin/sh
# labs/02-internals/13-cpu/lab.sh - the cpu bandwidth lab: --cpus 0.5 (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab cpu STEP`)
#
# run does the README's steps; check verifies the reports they left in $LAB_STATE: exit 0
# pass, 1 fail (after a hint), 77 skip (reason last). cglab.sh has the rest.
CG=mr-lab-cpu
NEEDS=cpu
FILES="half.txt free.txt"
. "$(dirname "$0")/../cglab.sh"

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-cpu --cpus 0.5 -- timeout 2 sh -c 'while :; do :; done' 2> "$LAB_STATE/half.txt"
  cgroups/run -c mr-lab-cpu -- timeout 2 sh -c 'while :; do :; done' 2> "$LAB_STATE/free.txt"
--cpus 0.5 writes "50000 100000" to cpu.max: 50 ms of CPU time in every 100 ms period;
a task that used its 50 ms is throttled until the next period starts.
HINT
}

# used FILE - the CPU seconds a report says were used
used() { sed -n 's/^run: cpu: \([0-9.]*\) s used.*/\1/p' "$1"; }

run_() {
	cgroups/run -v -c $CG --cpus 0.5 -- timeout 2 sh -c 'while :; do :; done' 2>"$LAB_STATE/half.txt"
	cgroups/run -c $CG -- timeout 2 sh -c 'while :; do :; done' 2>"$LAB_STATE/free.txt"
	cat "$LAB_STATE/half.txt" "$LAB_STATE/free.txt"
}

check_() {
	have half.txt free.txt
	half=$(used "$LAB_STATE/half.txt") free=$(used "$LAB_STATE/free.txt")
	expect "both reports have a 'cpu: N s used' line" eval '[ -n "$half" ] && [ -n "$free" ]'
	if ! grep -Eq 'throttled in [1-9][0-9]* of' "$LAB_STATE/half.txt"; then
		# on a machine busy with other work the loop may never get its 50 ms in a period
		awk -v h="$half" 'BEGIN { exit !(h < 0.8) }' &&
			{ echo "the machine is too busy: the loop got only $half s of CPU in 2 s, never its quota; run the lab again when it is idle"; exit 77; }
		fail "half.txt shows throttled periods"
	fi
	pass "half.txt shows throttled periods"
	# two seconds at half a CPU is one second; allow for a busy machine
	expect_or "--cpus 0.5 used about 1 s of CPU in 2 s" "it used $half s" \
		awk -v h="$half" 'BEGIN { exit !(h >= 0.6 && h <= 1.3) }'
	# no quota, no periods: cgroups/run reports throttling only where cpu.max has a quota
	expect "unlimited was never throttled" not grep -q 'throttled in' "$LAB_STATE/free.txt"
	# what an unlimited loop gets is what other work leaves it (about 2 s in 2 s on an idle
	# machine): less than the capped loop got means step 3 ran beside other work, which
	# says nothing of the cgroup
	awk -v h="$half" -v f="$free" 'BEGIN { exit !(f <= h) }' &&
		{ echo "the machine was busy during step 3: the unlimited loop got only $free s of CPU in 2 s (about 2 on an idle machine), $half s under --cpus 0.5; run step 3 again when it is idle"; exit 77; }
	pass "unlimited used more CPU than --cpus 0.5"
	passed "a busy loop used $half s of CPU in 2 s under --cpus 0.5, $free s unlimited"
}

steps "$@"
