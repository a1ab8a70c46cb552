#!/bin/sh
# labs/06-best-practices/05-no-new-privileges/lab.sh - a setuid su in an image made by the
# lab gives uid 1000 root; --security-opt no-new-privileges takes it away.
#
#   sh lab.sh setup|run|check|hint|teardown   (usually through `labs/lab no-new-privileges STEP`)
#
# check reads setuid.txt and nnp.txt, and runs the image suid:1 once more with the flag.
# Exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=no-new-privileges
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env': build suid:1 (step 2: a setuid copy of busybox at
/usr/local/bin/su, root's password emptied, committed), then save (2>&1 | tee FILE)
  minirun run --rm -u 1000 suid:1 sh -c '/usr/local/bin/su -c "id -u" root; echo "su exit $?"'    > setuid.txt
  the same with --security-opt no-new-privileges, and 'grep ^NoNewPrivs /proc/self/status'  > nnp.txt
HINT
}

setup_() { :; }

run_() {
	minirun run --name build busybox sh -c \
		'mkdir -p /usr/local/bin && cp /bin/busybox /usr/local/bin/su && chmod 4755 /usr/local/bin/su &&
		 sed -i "s/^root:x:/root::/" /etc/passwd && ls -l /usr/local/bin/su'
	minirun commit build suid:1
	minirun rm build
	minirun run --rm -u 1000 suid:1 sh -c \
		'id -u; grep ^NoNewPrivs /proc/self/status; /usr/local/bin/su -c "id -u" root; echo "su exit $?"' \
		2>&1 | tee "$LAB_STATE/setuid.txt"
	minirun run --rm -u 1000 --security-opt no-new-privileges suid:1 sh -c \
		'id -u; grep ^NoNewPrivs /proc/self/status; /usr/local/bin/su -c "id -u" root; echo "su exit $?"' \
		2>&1 | tee "$LAB_STATE/nnp.txt"
}

check_() {
	have setuid.txt
	have nnp.txt
	f=$LAB_STATE/setuid.txt
	expect_or "setuid.txt shows uid 1000, then 0 from su (exit 0)" "it shows: $(cat "$f")" \
		eval 'grep -qx 1000 "$f" && grep -qx 0 "$f" && grep -q "su exit 0" "$f"'
	echo "check: ok - setuid.txt: uid 1000 became uid 0 through the setuid su"
	f=$LAB_STATE/nnp.txt
	expect_or "nnp.txt shows NoNewPrivs 1 and su failing (exit 1)" "it shows: $(cat "$f")" \
		eval 'grep -q "^NoNewPrivs:.*1" "$f" && grep -q "su exit 1" "$f" && ! grep -qx 0 "$f"'
	out=$(minirun run --rm -u 1000 --security-opt no-new-privileges suid:1 /usr/local/bin/su -c "id -u" root 2>&1)
	expect "suid:1 gives no root with no-new-privileges" [ "$out" != 0 ]
	echo "check: ok - nnp.txt: with no-new-privileges (NoNewPrivs 1) su stayed uid 1000 and failed"
}

steps "$@"
