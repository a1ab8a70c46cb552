#!/bin/sh
# labs/03-images/05-deleted-secret/lab.sh - a key deleted in layer 2 is still in layer 1.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab deleted-secret STEP`)
#
# check: the flattened rootfs has no key, layer2.tar holds only a whiteout for it, and
# recovered.txt is the key read back from layer1.tar: exit 0 pass, 1 fail (after a hint),
# 77 skip.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/03-images-05-deleted-secret}
UF=$MR_TOP/unionfs
S=$LAB_STATE
KEY="-----BEGIN LAB KEY----- s3cr3t-deploy-key -----END LAB KEY-----"

hint() {
	cat <<'HINT'
hint: layer 2 is the diff of an upper after `rm merged/app/deploy.key`; rootfs/ is layer1
then layer2 applied with unionfs/apply; recovered.txt is what
  tar -xOf $S/layer1.tar ./app/deploy.key
prints.
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
	rm -rf "$S" && mkdir -p "$S/src/app" "$S/layers" "$S/upper" "$S/work" "$S/merged" || exit 1
	echo 'echo deploying' >"$S/src/app/deploy.sh"
	echo "$KEY" >"$S/src/app/deploy.key"
	chmod 0600 "$S/src/app/deploy.key"
	(cd "$S/src" && tar -cf "$S/layer1.tar" .) && rm -rf "$S/src" || exit 1
	echo "lab ready; in your shell:  export LAB_STATE=$S"
	;;
run)
	need
	"$UF/apply" -o "$S/layer1.tar" "$S/layers/1"
	"$UF/mount" -l "$S/layers/1" -u "$S/upper" -w "$S/work" "$S/merged" -- rm "$S/merged/app/deploy.key"
	"$UF/diff" -t 0 "$S/upper" "$S/layer2.tar" && tar -tvf "$S/layer2.tar"
	"$UF/apply" "$S/layer1.tar" "$S/rootfs" && "$UF/apply" "$S/layer2.tar" "$S/rootfs"
	ls -la "$S/rootfs/app"
	tar -xOf "$S/layer1.tar" ./app/deploy.key | tee "$S/recovered.txt"
	"$UF/digest" "$S/layer1.tar" "$S/layer2.tar"
	;;
check)
	need
	[ -d "$S/rootfs/app" ] || fail "rootfs/app is missing: do step 3"
	expect "rootfs/app/deploy.key is gone: layer2.tar applied after layer1.tar" [ ! -e "$S/rootfs/app/deploy.key" ]
	[ -s "$S/layer2.tar" ] || fail "layer2.tar is missing: do step 2"
	expect "layer2.tar has app/.wh.deploy.key" eval 'tar -tf "$S/layer2.tar" | grep -qx "app/.wh.deploy.key"'
	expect "layer2.tar does not hold the key itself" not eval 'tar -xOf "$S/layer2.tar" 2>/dev/null | grep -q s3cr3t'
	expect "recovered.txt is the key, from layer1.tar" [ "$(cat "$S/recovered.txt" 2>/dev/null)" = "$KEY" ]
	echo "check: ok - rootfs/ has no app/deploy.key, yet layer1.tar still gave up the key (recovered.txt)"
	;;
hint) hint ;;
teardown) rm -rf "$S" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
