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
	grep -qx 0 "$LAB_STATE/ro.txt" || fail "ro.txt does not show uid 0: the point is that even root cannot write"
	grep -q "touch: /etc/x: Read-only file system" "$LAB_STATE/ro.txt" || fail "ro.txt: touch /etc/x was not refused as Read-only"
	grep -qx "exit 1" "$LAB_STATE/ro.txt" || fail "ro.txt: writing /tmp/x without --tmpfs should fail (exit 1)"
	grep -qx scratch "$LAB_STATE/writable.txt" || fail "writable.txt: /tmp was not writable with --tmpfs /tmp"
	grep -qx kept "$LAB_STATE/writable.txt" || fail "writable.txt: the volume at /var/cache was not writable"
	grep -Eq '^[^ ]+ / overlay ro[, ]' "$LAB_STATE/writable.txt" || fail "writable.txt: / is not an overlay mounted ro"
	grep -Eq '^[^ ]+ /tmp tmpfs rw,' "$LAB_STATE/writable.txt" || fail "writable.txt: /tmp is not a tmpfs mounted rw"
	grep ' /tmp ' "$LAB_STATE/writable.txt" | grep -q noexec || fail "writable.txt: docker's --tmpfs is noexec"
	echo "check: ok - --read-only refused writes to / (even as root); --tmpfs /tmp and the volume took theirs"
}

steps "$@"
