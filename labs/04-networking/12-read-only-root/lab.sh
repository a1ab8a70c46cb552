#!/bin/sh
# labs/04-networking/12-read-only-root/lab.sh - --read-only, and --tmpfs / a volume for the
# places that must be written (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab read-only-root STEP`)
#
# The lab's store and host namespace come from mrlab.sh: exit 0 pass, 1 fail (after a hint),
# 77 skip (reason last).
LAB_NAME=read-only-root
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run --rm --read-only busybox sh -c 'id -u; touch /etc/x' > $LAB_STATE/ro.txt 2>&1
  minirun run --rm --read-only busybox sh -c 'echo > /tmp/x'; echo "exit $?" >> $LAB_STATE/ro.txt
  minirun run --rm --read-only --tmpfs /tmp -v cache:/var/cache busybox sh -c \
      'echo scratch > /tmp/x && cat /tmp/x; echo kept > /var/cache/y && cat /var/cache/y;
       grep -E " / | /tmp " /proc/mounts' > $LAB_STATE/writable.txt
HINT
}

setup_() { :; }

run_() {
	need_verbs run
	minirun run --rm --read-only busybox sh -c 'id -u; touch /etc/x' 2>&1 | tee "$LAB_STATE/ro.txt"
	minirun run --rm --read-only busybox sh -c 'echo > /tmp/x'
	echo "exit $?" | tee -a "$LAB_STATE/ro.txt"
	minirun run --rm --read-only --tmpfs /tmp -v cache:/var/cache busybox sh -c \
		'echo scratch > /tmp/x && cat /tmp/x; echo kept > /var/cache/y && cat /var/cache/y; grep -E " / | /tmp " /proc/mounts' |
		tee "$LAB_STATE/writable.txt"
}

check_() {
	need_verbs run
	for f in ro.txt writable.txt; do have $f; done
	expect "ro.txt shows uid 0: even root cannot write" grep -qx 0 "$LAB_STATE/ro.txt"
	expect "ro.txt: touch /etc/x was refused as Read-only" grep -q "touch: /etc/x: Read-only file system" "$LAB_STATE/ro.txt"
	expect "ro.txt: writing /tmp/x without --tmpfs failed (exit 1)" grep -qx "exit 1" "$LAB_STATE/ro.txt"
	expect "writable.txt: /tmp was writable with --tmpfs /tmp" grep -qx scratch "$LAB_STATE/writable.txt"
	expect "writable.txt: the volume at /var/cache was writable" grep -qx kept "$LAB_STATE/writable.txt"
	expect "writable.txt: / is an overlay mounted ro" grep -Eq '^[^ ]+ / overlay ro[, ]' "$LAB_STATE/writable.txt"
	expect "writable.txt: /tmp is a tmpfs mounted rw" grep -Eq '^[^ ]+ /tmp tmpfs rw,' "$LAB_STATE/writable.txt"
	expect "writable.txt: /tmp is noexec, as docker's --tmpfs" eval 'grep " /tmp " "$LAB_STATE/writable.txt" | grep -q noexec'
	echo "check: ok - --read-only refused writes to / (even as root); --tmpfs /tmp and the volume took theirs"
}

steps "$@"
