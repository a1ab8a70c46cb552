#!/bin/sh
# labs/03-images/03-whiteouts/lab.sh - deletions in an overlay: whiteouts and opaque dirs,
# and their OCI spelling in a layer tar.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab whiteouts STEP`)
#
# check verifies the upper's whiteout (c 0,0) and opaque directory (through unionfs/show)
# and the layer tar's .wh. entries: exit 0 pass, 1 fail (after a hint), 77 skip.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/03-images-03-whiteouts}
UF=$MR_TOP/unionfs
S=$LAB_STATE

hint() {
	cat <<'HINT'
hint: delete through the mount, then read the upper layer:
  unionfs/mount -l $S/lower -u $S/upper -w $S/work $S/merged -- sh -c \
      "rm $S/merged/etc/motd; rm -rf $S/merged/var/cache; mkdir $S/merged/var/cache"
  unionfs/show $S/upper $S/lower > $S/show.txt
  unionfs/diff -t 0 $S/upper $S/layer.tar
HINT
}
. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions
need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: overlay mounts and whiteouts need CAP_SYS_ADMIN and CAP_MKNOD (use sudo)"; exit 77; }
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
	grep -qw overlay /proc/filesystems || { echo "this kernel has no overlayfs"; exit 77; }
	[ -x "$UF/mount" ] || { echo "unionfs is not built: run 'make unionfs' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	rm -rf "$S" && mkdir -p "$S/lower/etc" "$S/lower/var/cache" "$S/upper" "$S/work" "$S/merged"
	echo welcome >"$S/lower/etc/motd"
	echo x >"$S/lower/etc/hosts"
	echo 1 >"$S/lower/var/cache/pkg1.deb"
	echo 2 >"$S/lower/var/cache/pkg2.deb"
	echo "lab ready; in your shell:  export LAB_STATE=$S"
	;;
run)
	need
	"$UF/mount" -l "$S/lower" -u "$S/upper" -w "$S/work" "$S/merged" -- sh -c \
		"rm $S/merged/etc/motd; rm -rf $S/merged/var/cache; mkdir $S/merged/var/cache; ls -R $S/merged"
	ls -l "$S/upper/etc" "$S/lower/etc"
	"$UF/show" "$S/upper" "$S/lower" | tee "$S/show.txt"
	"$UF/diff" -t 0 "$S/upper" "$S/layer.tar"
	tar -tvf "$S/layer.tar"
	;;
check)
	need
	[ -d "$S/upper" ] || fail "no lab state: run 'labs/lab whiteouts setup' first"
	expect "upper/etc/motd is a character device 0,0 (a whiteout)" \
		eval '[ -c "$S/upper/etc/motd" ] && [ "$(stat -c %t,%T "$S/upper/etc/motd")" = 0,0 ]'
	expect "lower/etc/motd is still there: the lower layer is unchanged" [ -f "$S/lower/etc/motd" ]
	[ -s "$S/show.txt" ] || fail "show.txt is missing"
	expect "show.txt has 'D /etc/motd'" grep -qx "D /etc/motd" "$S/show.txt"
	expect "show.txt shows var/cache as opaque" grep -q "^C /var/cache .*opaque" "$S/show.txt"
	[ -s "$S/layer.tar" ] || fail "layer.tar is missing: make it with unionfs/diff"
	list=$(tar -tf "$S/layer.tar" 2>/dev/null)
	expect "layer.tar has etc/.wh.motd" eval 'echo "$list" | grep -qx "etc/.wh.motd"'
	expect "layer.tar has var/cache/.wh..wh..opq" eval 'echo "$list" | grep -qx "var/cache/.wh..wh..opq"'
	echo "check: ok - etc/motd is a whiteout (c 0,0), var/cache is opaque, layer.tar has etc/.wh.motd and var/cache/.wh..wh..opq"
	;;
hint) hint ;;
teardown) rm -rf "$S" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
