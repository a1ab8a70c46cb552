#!/bin/sh
# labs/02-internals/12-pids/lab.sh - the pids controller lab: a fork limit (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab pids STEP`)
#
# run does the README's steps; check verifies the reports they left in $LAB_STATE: exit 0
# pass, 1 fail (after a hint), 77 skip (reason last). cglab.sh has the rest.
CG=mr-lab-pids
NEEDS=pids
FILES="refused.txt fits.txt"
. "$(dirname "$0")/../cglab.sh"

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-pids --pids 8 -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & done; wait' 2> "$LAB_STATE/refused.txt"
  cgroups/run -c mr-lab-pids --pids 8 -- sh -c 'for i in 1 2 3 4 5; do sleep 2 & done; wait' 2> "$LAB_STATE/fits.txt"
The shell itself is one of the 8 tasks; the 8th sleep's fork() gets EAGAIN.
HINT
}

run_() {
	cgroups/run -c $CG --pids 8 -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & done; wait' 2>"$LAB_STATE/refused.txt"
	cgroups/run -c $CG --pids 8 -- sh -c 'for i in 1 2 3 4 5; do sleep 2 & done; wait' 2>"$LAB_STATE/fits.txt"
	cat "$LAB_STATE/refused.txt" "$LAB_STATE/fits.txt"
}

check_() {
	have refused.txt fits.txt
	expect "refused.txt reports forks refused at pids.max 8" \
		grep -Eq 'forks refused: [1-9][0-9]* at pids.max 8' "$LAB_STATE/refused.txt"
	expect "fits.txt: no fork was refused with 6 tasks under 8" grep -q 'no fork refused' "$LAB_STATE/fits.txt"
	passed "10 sleeps under pids.max 8: $(grep -o 'forks refused: [0-9]*' "$LAB_STATE/refused.txt"); 5 fit"
}

steps "$@"
