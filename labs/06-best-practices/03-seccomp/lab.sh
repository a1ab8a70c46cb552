#!/bin/sh
# labs/06-best-practices/03-seccomp/lab.sh - the default seccomp profile refusing unshare,
# seccomp=unconfined to compare, and a profile of the learner's own refusing mkdir.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab seccomp STEP`)
#
# check reads default.txt, unconfined.txt and custom.txt, and runs the learner's profile
# ($LAB_STATE/no-mkdir.json) once more. Exit 0 pass, 1 fail (after a hint), 77 skip.
LAB_NAME=seccomp
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', save each output (2>&1 | tee FILE):
  minirun run --rm busybox sh -c 'grep ^Seccomp: /proc/self/status; unshare -r id -u'    > default.txt
  the same with --security-opt seccomp=unconfined                                         > unconfined.txt
  a profile $LAB_STATE/no-mkdir.json (defaultAction SCMP_ACT_ALLOW, mkdir and mkdirat
  SCMP_ACT_ERRNO), run with --security-opt seccomp=$LAB_STATE/no-mkdir.json: 'mkdir /made;
  echo "mkdir exit $?"; touch /file; echo "touch exit $?"'                                 > custom.txt
HINT
}

setup_() { :; }

run_() {
	minirun run --rm busybox sh -c 'grep ^Seccomp: /proc/self/status; unshare -r id -u; echo "unshare exit $?"' \
		2>&1 | tee "$LAB_STATE/default.txt"
	minirun run --rm --security-opt seccomp=unconfined busybox sh -c \
		'grep ^Seccomp: /proc/self/status; unshare -r id -u; echo "unshare exit $?"' \
		2>&1 | tee "$LAB_STATE/unconfined.txt"
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}\n' \
		>"$LAB_STATE/no-mkdir.json"
	minirun run --rm --security-opt "seccomp=$LAB_STATE/no-mkdir.json" busybox sh -c \
		'mkdir /made; echo "mkdir exit $?"; touch /file; echo "touch exit $?"' 2>&1 | tee "$LAB_STATE/custom.txt"
}

check_() {
	have default.txt
	have unconfined.txt
	have custom.txt
	f=$LAB_STATE/default.txt
	expect_or "default.txt shows Seccomp 2 and unshare refused (Operation not permitted)" "it shows: $(cat "$f")" \
		eval 'grep -q "^Seccomp:.*2" "$f" && grep -q "unshare.*Operation not permitted" "$f" && grep -q "unshare exit 1" "$f"'
	echo "check: ok - default.txt: Seccomp 2, unshare refused (Operation not permitted)"
	f=$LAB_STATE/unconfined.txt
	expect_or "unconfined.txt shows Seccomp 0 and unshare -r printing uid 0" "it shows: $(cat "$f")" \
		eval 'grep -q "^Seccomp:.*0" "$f" && grep -qx 0 "$f" && grep -q "unshare exit 0" "$f"'
	echo "check: ok - unconfined.txt: Seccomp 0, unshare -r went through (uid 0 in a new user namespace)"
	f=$LAB_STATE/custom.txt
	expect_or "custom.txt shows mkdir refused (Operation not permitted) and touch working" "it shows: $(cat "$f")" \
		eval 'grep -q "mkdir exit 1" "$f" && grep -q "Operation not permitted" "$f" && grep -q "touch exit 0" "$f"'
	[ -f "$LAB_STATE/no-mkdir.json" ] || fail "$LAB_STATE/no-mkdir.json is missing"
	out=$(minirun run --rm --security-opt "seccomp=$LAB_STATE/no-mkdir.json" busybox sh -c 'mkdir /m && echo MADE; touch /f && echo TOUCHED' 2>&1)
	expect "your profile (no-mkdir.json) refuses mkdir" not eval 'echo "$out" | grep -q MADE'
	expect_or "your profile blocks nothing more than mkdir: touch works" "it printed: $out" eval 'echo "$out" | grep -q TOUCHED'
	echo "check: ok - custom.txt: your profile refused mkdir (EPERM) and let touch through"
}

steps "$@"
