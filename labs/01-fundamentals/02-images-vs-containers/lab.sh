#!/bin/sh
# labs/01-fundamentals/02-images-vs-containers/lab.sh - one image, two containers, each its
# own writable layer (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab images-vs-containers STEP`)
#
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=images-vs-containers
. "$(dirname "$0")/../mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run --name one busybox sh -c 'echo written by one > /etc/motd; rm /bin/vi'
  minirun run --name two busybox sh -c 'mkdir /data && echo written by two > /data/file'
  minirun diff one > $LAB_STATE/diff-one.txt; minirun diff two > $LAB_STATE/diff-two.txt
  minirun run --rm busybox sh -c 'cat /etc/motd; ls /bin/vi' > $LAB_STATE/fresh.txt 2>&1
Each container writes only to its own upper directory; the image's layers stay read-only.
HINT
}

setup_() { :; }

run_() {
	need_verbs run diff inspect
	minirun run --name one busybox sh -c 'echo written by one > /etc/motd; rm /bin/vi'
	minirun run --name two busybox sh -c 'mkdir /data && echo written by two > /data/file'
	minirun diff one | tee "$LAB_STATE/diff-one.txt"
	minirun diff two | tee "$LAB_STATE/diff-two.txt"
	minirun run --rm busybox sh -c 'cat /etc/motd; ls /bin/vi' >"$LAB_STATE/fresh.txt" 2>&1
	cat "$LAB_STATE/fresh.txt"
	up=$(minirun inspect -f '{{.GraphDriver.Data.UpperDir}}' one)
	echo "one's upper directory: $up"
	ls -la "$up/etc" "$up/bin"
}

check_() {
	need_verbs run diff inspect
	have diff-one.txt
	have diff-two.txt
	have fresh.txt
	for l in "A /etc/motd" "D /bin/vi"; do
		grep -qx "$l" "$LAB_STATE/diff-one.txt" || fail "diff-one.txt has no line '$l'"
	done
	grep -qx "A /data/file" "$LAB_STATE/diff-two.txt" || fail "diff-two.txt has no line 'A /data/file'"
	grep -q "/data" "$LAB_STATE/diff-one.txt" && fail "one's diff lists /data: that was two's write"
	grep -q "/etc/motd" "$LAB_STATE/diff-two.txt" && fail "two's diff lists /etc/motd: that was one's write"
	grep -q "written by" "$LAB_STATE/fresh.txt" && fail "a fresh container sees /etc/motd: the image changed?"
	grep -qx "/bin/vi" "$LAB_STATE/fresh.txt" || fail "a fresh container has no /bin/vi (fresh.txt): the image changed?"
	# and in the store: each change is in its own container's upper directory
	up1=$(minirun inspect -f '{{.GraphDriver.Data.UpperDir}}' one) || fail "no container 'one'"
	up2=$(minirun inspect -f '{{.GraphDriver.Data.UpperDir}}' two) || fail "no container 'two'"
	[ "$(cat "$up1/etc/motd" 2>/dev/null)" = "written by one" ] || fail "one's upper dir $up1 has no etc/motd"
	[ -c "$up1/bin/vi" ] || fail "one's upper dir has no whiteout (a 0/0 character device) for bin/vi"
	[ -e "$up2/etc/motd" ] && fail "two's upper dir has etc/motd"
	[ "$(cat "$up2/data/file" 2>/dev/null)" = "written by two" ] || fail "two's upper dir $up2 has no data/file"
	[ "$(minirun images -q | sort -u | grep -c .)" = 1 ] || fail "the store should still hold one image"
	echo "check: ok - one's layer holds /etc/motd and the whiteout of /bin/vi, two's holds /data/file; the image is unchanged"
}

steps "$@"
