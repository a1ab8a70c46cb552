#!/bin/sh
# labs/01-fundamentals/01-run-and-exit-codes/lab.sh - run's exit code is the command's, or
# 125/126/127/128+N (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab run-and-exit-codes STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=run-and-exit-codes
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', append one line per case to $LAB_STATE/codes.txt:
  minirun run busybox sh -c 'exit 3'; echo "own $?" >> $LAB_STATE/codes.txt
  ... no-such-command (not-found), /etc/passwd (not-executable), no-such-image:1 (no-image),
  and "killed $(minirun wait victim)" after 'minirun run -d --name victim busybox sleep 1000'
  and 'minirun kill victim'. The codes are docker's: 125, 126, 127, 128+N.
HINT
}

setup_() { :; }

run_() {
	need_verbs run kill wait ps
	: >"$LAB_STATE/codes.txt"
	minirun run busybox echo hello from a container | tee "$LAB_STATE/hello.txt"
	minirun run busybox sh -c 'exit 3'
	echo "own $?" >>"$LAB_STATE/codes.txt"
	minirun run busybox no-such-command
	echo "not-found $?" >>"$LAB_STATE/codes.txt"
	minirun run busybox /etc/passwd
	echo "not-executable $?" >>"$LAB_STATE/codes.txt"
	minirun run no-such-image:1 true
	echo "no-image $?" >>"$LAB_STATE/codes.txt"
	minirun run -d --name victim busybox sleep 1000
	minirun kill victim
	echo "killed $(minirun wait victim)" >>"$LAB_STATE/codes.txt"
	cat "$LAB_STATE/codes.txt"
	minirun ps -a
}

# code WHAT - the code the learner saved for WHAT
code() { sed -n "s/^$1 //p" "$LAB_STATE/codes.txt" | tail -n 1; }

check_() {
	need_verbs run kill wait ps
	have hello.txt
	expect "hello.txt holds the container's output, 'hello from a container'" \
		grep -qx 'hello from a container' "$LAB_STATE/hello.txt"
	have codes.txt
	for want in "own 3" "not-found 127" "not-executable 126" "no-image 125" "killed 137"; do
		got=$(code "${want% *}")
		expect_or "the code saved for ${want% *} is ${want#* }, docker's" "codes.txt says '$got'" \
			[ "$got" = "${want#* }" ]
	done
	ps=$(minirun ps -a)
	expect "'minirun ps -a' shows a container that exited with 3" eval 'echo "$ps" | grep -q "Exited (3)"'
	expect "'minirun ps -a' shows victim as Exited (137)" eval 'echo "$ps" | grep -q "Exited (137).*victim"'
	echo "check: ok - exit codes as docker's: 3 (the command's own), 127, 126, 125 (minirun's), 137 (128+SIGKILL)"
}

steps "$@"
