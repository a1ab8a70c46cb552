#!/bin/sh
# labs/03-images/04-layers-in-order/lab.sh - two layers applied in order, out of order, and
# stacked as overlay lowers.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab layers-in-order STEP`)
#
# check: right/ reflects layer 2's delete and change, wrong/ does not, stacked.txt lists the
# same tree as right/: exit 0 pass, 1 fail (after a hint), 77 skip.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/03-images-04-layers-in-order}
UF=$MR_TOP/unionfs
S=$LAB_STATE

hint() {
	cat <<'HINT'
hint: layer 2 comes from `unionfs/diff -t 0 $S/upper $S/layer2.tar` after the changes;
right/ is layer1 then layer2, wrong/ is layer2 then layer1 (both with unionfs/apply), and
stacked.txt is `find . | sort` inside the overlay of layers/2 over layers/1 (apply -o).
HINT
}
. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions
need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: overlay mounts and whiteouts need CAP_SYS_ADMIN and CAP_MKNOD (use sudo)"; exit 77; }
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
	grep -qw overlay /proc/filesystems || { echo "this kernel has no overlayfs"; exit 77; }
	[ -x "$UF/apply" ] || { echo "unionfs is not built: run 'make unionfs' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	rm -rf "$S" && mkdir -p "$S/base/etc" "$S/base/app" "$S/upper" "$S/work" "$S/merged" || exit 1
	echo welcome >"$S/base/etc/motd"
	echo 'NAME=lab' >"$S/base/etc/os-release"
	echo debug=0 >"$S/base/app/config"
	(cd "$S/base" && tar -cf "$S/layer1.tar" .) || exit 1
	echo "lab ready; in your shell:  export LAB_STATE=$S"
	;;
run)
	need
	"$UF/mount" -l "$S/base" -u "$S/upper" -w "$S/work" "$S/merged" -- sh -c \
		"rm $S/merged/etc/motd; echo debug=1 > $S/merged/app/config; echo v2 > $S/merged/app/new"
	"$UF/diff" -t 0 "$S/upper" "$S/layer2.tar" && tar -tvf "$S/layer2.tar"
	"$UF/apply" "$S/layer1.tar" "$S/right" && "$UF/apply" "$S/layer2.tar" "$S/right"
	"$UF/apply" "$S/layer2.tar" "$S/wrong" && "$UF/apply" "$S/layer1.tar" "$S/wrong"
	mkdir -p "$S/layers"
	"$UF/apply" -o "$S/layer1.tar" "$S/layers/1" && "$UF/apply" -o "$S/layer2.tar" "$S/layers/2"
	"$UF/mount" -l "$S/layers/2" -l "$S/layers/1" "$S/merged" -- \
		sh -c "cd $S/merged && find . | sort" >"$S/stacked.txt"
	(cd "$S/right" && find . | sort) | diff - "$S/stacked.txt" && echo same tree
	;;
check)
	need
	[ -d "$S/right" ] && [ -d "$S/wrong" ] || fail "right/ and wrong/ are missing: do step 3"
	expect "right/etc/motd is gone: layer 2's whiteout removed it" [ ! -e "$S/right/etc/motd" ]
	expect "right/app/config is layer 2's debug=1" [ "$(cat "$S/right/app/config" 2>/dev/null)" = debug=1 ]
	expect "right/app/new is there" [ -f "$S/right/app/new" ]
	expect "wrong/etc/motd is there: applied out of order, layer 1 brings it back" [ -f "$S/wrong/etc/motd" ]
	expect "wrong/app/config is layer 1's debug=0" [ "$(cat "$S/wrong/app/config")" = debug=0 ]
	[ -s "$S/stacked.txt" ] || fail "stacked.txt is missing: do step 4"
	expect "the stacked layers list the files of right/" eval '(cd "$S/right" && find . | sort) | cmp -s - "$S/stacked.txt"'
	echo "check: ok - right/ has no etc/motd and app/config says debug=1; wrong/ brought etc/motd back; the stack matches right/"
	;;
hint) hint ;;
teardown) rm -rf "$S" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
