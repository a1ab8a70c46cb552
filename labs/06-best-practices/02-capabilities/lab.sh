#!/bin/sh
# labs/06-best-practices/02-capabilities/lab.sh - docker's default capabilities, --cap-drop
# ALL and what breaks, --cap-add of the one capability needed.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab capabilities STEP`)
#
# check reads the learner's saved outputs: default.txt, dropped.txt, chown.txt.
# Exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=capabilities
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', save each run's output (2>&1 | tee FILE):
  minirun run --rm busybox grep ^Cap /proc/self/status                        > default.txt
  minirun run --rm --cap-drop ALL busybox sh -c 'grep ^CapEff /proc/self/status; chown nobody /etc/passwd; echo "chown exit $?"'  > dropped.txt
  the same with --cap-drop ALL --cap-add CHOWN, and 'hostname other' last       > chown.txt
HINT
}

setup_() { :; }

run_() {
	minirun run --rm busybox grep ^Cap /proc/self/status | tee "$LAB_STATE/default.txt"
	minirun run --rm --cap-drop ALL busybox sh -c \
		'id -u; grep ^CapEff /proc/self/status; chown nobody /etc/passwd; echo "chown exit $?"' \
		2>&1 | tee "$LAB_STATE/dropped.txt"
	minirun run --rm --cap-drop ALL --cap-add CHOWN busybox sh -c \
		'grep ^CapEff /proc/self/status; chown nobody /etc/passwd; echo "chown exit $?"; hostname other' \
		2>&1 | tee "$LAB_STATE/chown.txt"
}

check_() {
	have default.txt
	have dropped.txt
	have chown.txt
	expect_or "default.txt shows docker's default set, CapEff 00000000a80425fb" "it shows $(grep CapEff "$LAB_STATE/default.txt")" \
		grep -q "^CapEff:.*00000000a80425fb" "$LAB_STATE/default.txt"
	echo "check: ok - default.txt: docker's default set, CapEff 00000000a80425fb"
	expect "dropped.txt: CapEff is all zeros" grep -q "^CapEff:.*0000000000000000" "$LAB_STATE/dropped.txt"
	expect "dropped.txt shows chown refused (Operation not permitted, exit 1)" \
		eval 'grep -q "Operation not permitted" "$LAB_STATE/dropped.txt" && grep -q "chown exit 1" "$LAB_STATE/dropped.txt"'
	echo "check: ok - dropped.txt: no capability, and chown refused (Operation not permitted)"
	expect "chown.txt: CapEff is CAP_CHOWN alone (1)" grep -q "^CapEff:.*0000000000000001" "$LAB_STATE/chown.txt"
	expect "chown.txt: chown works with CAP_CHOWN" grep -q "chown exit 0" "$LAB_STATE/chown.txt"
	expect "chown.txt: 'hostname other' is still refused" grep -qi "hostname.*not permitted" "$LAB_STATE/chown.txt"
	echo "check: ok - chown.txt: CAP_CHOWN alone (CapEff 0000000000000001), chown works, hostname still refused"
}

steps "$@"
