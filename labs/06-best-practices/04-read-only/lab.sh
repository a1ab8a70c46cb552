#!/bin/sh
# labs/06-best-practices/04-read-only/lab.sh - a dropped binary runs on a writable root; on
# --read-only it can't be written, and in the noexec tmpfs mounts it can't be run.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab read-only STEP`)
#
# check reads writable.txt and readonly.txt. Exit 0 pass, 1 fail (after a hint), 77 skip.
LAB_NAME=read-only
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', save each output (2>&1 | tee FILE):
  a plain 'minirun run --rm busybox sh -c ...' copying /bin/busybox to /usr/local/bin/id
  and running '/usr/local/bin/id -un'                                                 > writable.txt
  the same with --read-only --tmpfs /tmp, then into /tmp/bin and /dev/shm/bin, echoing
  "root: exit $?", "tmp: exit $?", "shm: exit $?" after each try                       > readonly.txt
HINT
}

setup_() { :; }

run_() {
	minirun run --rm busybox sh -c \
		'mkdir -p /usr/local/bin && cp /bin/busybox /usr/local/bin/id && /usr/local/bin/id -un && echo "dropped tool ran"' \
		2>&1 | tee "$LAB_STATE/writable.txt"
	minirun run --rm --read-only --tmpfs /tmp busybox sh -c '
		mkdir -p /usr/local/bin; cp /bin/busybox /usr/local/bin/id; echo "root: exit $?"
		mkdir /tmp/bin && cp /bin/busybox /tmp/bin/id && /tmp/bin/id -un; echo "tmp: exit $?"
		mkdir /dev/shm/bin && cp /bin/busybox /dev/shm/bin/id && /dev/shm/bin/id -un; echo "shm: exit $?"
		grep -E " /tmp | /dev/shm " /proc/mounts' 2>&1 | tee "$LAB_STATE/readonly.txt"
}

check_() {
	have writable.txt
	have readonly.txt
	expect_or "writable.txt shows the dropped tool running" "it shows: $(cat "$LAB_STATE/writable.txt")" \
		grep -q "dropped tool ran" "$LAB_STATE/writable.txt"
	echo "check: ok - writable.txt: on a writable root the dropped tool ran"
	f=$LAB_STATE/readonly.txt
	expect "readonly.txt shows the copy into /usr/local/bin refused (Read-only file system)" \
		eval 'grep -q "Read-only file system" "$f" && grep -q "root: exit 1" "$f"'
	echo "check: ok - readonly.txt: the root refused it (Read-only file system)"
	expect "readonly.txt shows the tool copied to /tmp and /dev/shm failing to run (exit 126)" \
		eval 'grep -q "tmp: exit 126" "$f" && grep -q "shm: exit 126" "$f" && grep -q "Permission denied" "$f"'
	expect "readonly.txt: /tmp is a noexec tmpfs" grep -q " /tmp tmpfs .*noexec" "$f"
	echo "check: ok - readonly.txt: written to /tmp and /dev/shm it would not run (Permission denied: noexec)"
}

steps "$@"
