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
		expect "one's diff (diff-one.txt) lists '$l'" grep -qx "$l" "$LAB_STATE/diff-one.txt"
	done
	expect "two's diff (diff-two.txt) lists 'A /data/file'" grep -qx "A /data/file" "$LAB_STATE/diff-two.txt"
	expect "one's diff does not list /data, two's write" not grep -q "/data" "$LAB_STATE/diff-one.txt"
	expect "two's diff does not list /etc/motd, one's write" not grep -q "/etc/motd" "$LAB_STATE/diff-two.txt"
	expect "a fresh container does not see one's /etc/motd" not grep -q "written by" "$LAB_STATE/fresh.txt"
	expect "a fresh container still has /bin/vi (fresh.txt)" grep -qx "/bin/vi" "$LAB_STATE/fresh.txt"
	# and in the store: each change is in its own container's upper directory
	up1=$(minirun inspect -f '{{.GraphDriver.Data.UpperDir}}' one) || fail "there is a container 'one'"
	up2=$(minirun inspect -f '{{.GraphDriver.Data.UpperDir}}' two) || fail "there is a container 'two'"
	expect "one's upper dir holds etc/motd, 'written by one'" [ "$(cat "$up1/etc/motd" 2>/dev/null)" = "written by one" ]
	expect "one's upper dir holds a whiteout (a 0/0 character device) for bin/vi" [ -c "$up1/bin/vi" ]
	expect "two's upper dir has no etc/motd" not [ -e "$up2/etc/motd" ]
	expect "two's upper dir holds data/file, 'written by two'" [ "$(cat "$up2/data/file" 2>/dev/null)" = "written by two" ]
	expect "the store still holds one image" [ "$(minirun images -q | sort -u | grep -c .)" = 1 ]
	echo "check: ok - one's layer holds /etc/motd and the whiteout of /bin/vi, two's holds /data/file; the image is unchanged"
}

steps "$@"
