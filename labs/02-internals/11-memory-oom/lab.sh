#!/bin/sh
# labs/02-internals/11-memory-oom/lab.sh - the memory limit and OOM killer lab (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab memory-oom STEP`)
#
# run does the README's steps; check verifies the reports they left in $LAB_STATE: exit 0
# pass, 1 fail (after a hint), 77 skip (reason last). cglab.sh has the rest.
CG=mr-lab-oom
NEEDS=memory
FILES="oom.txt fits.txt"
. "$(dirname "$0")/../cglab.sh"

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-oom -m 16m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2> "$LAB_STATE/oom.txt"
  cgroups/run -c mr-lab-oom -m 128m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2> "$LAB_STATE/fits.txt"
dd's 64M buffer does not fit under a 16M memory.max, and with no swap allowed the kernel
has nothing left to reclaim: the OOM killer picks a task in the cgroup and SIGKILLs it.
HINT
}

run_() {
	cgroups/run -v -c $CG -m 16m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2>"$LAB_STATE/oom.txt"
	cgroups/run -c $CG -m 128m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null' 2>"$LAB_STATE/fits.txt"
	cat "$LAB_STATE/oom.txt" "$LAB_STATE/fits.txt"
}

check_() {
	have oom.txt fits.txt
	oom=$(cat "$LAB_STATE/oom.txt") fits=$(cat "$LAB_STATE/fits.txt")
	expect "oom.txt: the command was SIGKILLed (exit status 137)" eval 'echo "$oom" | grep -q "exit status 137: killed by signal 9"'
	expect "oom.txt says the OOM killer struck" \
		eval 'echo "$oom" | grep -Eq "the OOM killer killed [1-9][0-9]* process.*oom_kill [1-9]"'
	expect "fits.txt: dd under 128m succeeded" eval 'echo "$fits" | grep -q "^run: exit status 0\$"'
	expect "fits.txt: the OOM killer did not strike under 128m" not eval 'echo "$fits" | grep -q "OOM killer"'
	passed "64M under 16M: $(echo "$oom" | grep -o 'the OOM killer killed [^;]*'); under 128M it fit"
}

steps "$@"
