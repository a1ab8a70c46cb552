#!/bin/sh
# labs/02-internals/15-psi/lab.sh - the pressure (PSI) lab: reading stall time (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab psi STEP`)
#
# run does the README's steps; check verifies the readings they left in $LAB_STATE: exit 0
# pass, 1 fail (after a hint), 77 skip (reason last). cglab.sh has the rest.
CG=mr-lab-psi
NEEDS="cpu psi"
FILES="throttled.txt free.txt"
. "$(dirname "$0")/../cglab.sh"

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-psi --cpus 0.2 -- timeout 4 sh -c 'while :; do :; done' &
  sleep 3; cgroups/stat mr-lab-psi > "$LAB_STATE/throttled.txt"; wait
  cgroups/run -c mr-lab-psi-free -- timeout 4 sh -c 'while :; do :; done' &
  sleep 3; cgroups/stat mr-lab-psi-free > "$LAB_STATE/free.txt"; wait
A throttled task is runnable but may not run: that is CPU pressure, counted in cpu.pressure.
HINT
}

# stalled FILE - the cpu "some" total, in seconds, from a cgroups/stat reading
stalled() { sed -n 's/^pressure  cpu *some .* total \([0-9.]*\)s .*/\1/p' "$1"; }

run_() {
	cgroups/run -c $CG --cpus 0.2 -- timeout 4 sh -c 'while :; do :; done' 2>/dev/null &
	sleep 3
	cgroups/stat $CG >"$LAB_STATE/throttled.txt"
	wait
	cgroups/run -c $CG-free -- timeout 4 sh -c 'while :; do :; done' 2>/dev/null &
	sleep 3
	cgroups/stat $CG-free >"$LAB_STATE/free.txt"
	wait
	cat "$LAB_STATE/throttled.txt" "$LAB_STATE/free.txt"
}

check_() {
	have throttled.txt free.txt
	t=$(stalled "$LAB_STATE/throttled.txt") f=$(stalled "$LAB_STATE/free.txt")
	expect "both readings have a 'pressure  cpu ... total Ns' line" eval '[ -n "$t" ] && [ -n "$f" ]'
	# 3 s at a fifth of a CPU: the loop waited about 2.4 s of them. (The free loop's stall
	# is shown, not judged: on a busy machine it waits for CPUs too.)
	expect_or "the throttled loop stalled for most of its 3 s (cpu.pressure)" "only $t s" \
		awk -v t="$t" 'BEGIN { exit !(t >= 0.8) }'
	expect "throttled.txt shows throttled periods" grep -Eq 'throttled [1-9][0-9]*/' "$LAB_STATE/throttled.txt"
	passed "under --cpus 0.2 the loop stalled $t s in 3 s (cpu.pressure); unlimited $f s"
}

steps "$@"
