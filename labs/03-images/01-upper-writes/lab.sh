#!/bin/sh
# labs/03-images/01-upper-writes/lab.sh - writes through an overlay land in the upper layer.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab upper-writes STEP`)
#
# setup makes two small lower layers in $LAB_STATE; run does the README's steps; check
# verifies the upper holds both writes and the lowers are unchanged: exit 0 pass, 1 fail
# (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/03-images-01-upper-writes}
UF=$MR_TOP/unionfs

hint() {
	cat <<'HINT'
hint: from $LAB_STATE, mount the stack with a command and write through merged/:
  unionfs/mount -l app -l base -u upper -w work merged -- sh -c \
      'echo hello > merged/etc/greeting; echo "maintenance tonight" >> merged/etc/motd'
then save `unionfs/show upper app base` to show.txt. Only upper/ may change.
HINT
}
. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions
need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: mounting overlayfs needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
	grep -qw overlay /proc/filesystems || { echo "this kernel has no overlayfs"; exit 77; }
	[ -x "$UF/mount" ] || { echo "unionfs is not built: run 'make unionfs' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	rm -rf "$LAB_STATE" && mkdir -p "$LAB_STATE" && cd "$LAB_STATE" || exit 1
	mkdir -p base/etc base/bin app/etc app/srv upper work merged
	echo "welcome" >base/etc/motd
	echo "root:x:0:0:root:/root:/bin/sh" >base/etc/passwd
	echo "#!/bin/sh" >base/bin/tool
	echo "port=8080" >app/etc/app.conf
	echo "<h1>hi</h1>" >app/srv/index.html
	manifest() { find base app | sort | while read -r f; do stat -c '%n %a %s %Y' "$f"; done; cat base/etc/motd; }
	manifest >lowers.before
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	cd "$LAB_STATE" || exit 1
	"$UF/mount" -l app -l base -u upper -w work merged -- sh -c 'ls merged/etc; cat merged/etc/motd'
	"$UF/mount" -l app -l base -u upper -w work merged -- sh -c \
		'echo hello > merged/etc/greeting; echo "maintenance tonight" >> merged/etc/motd'
	ls -lR upper
	"$UF/show" upper app base >show.txt
	cat show.txt
	;;
check)
	need
	cd "$LAB_STATE" 2>/dev/null || fail "no lab state: run 'labs/lab upper-writes setup' first"
	expect "upper/etc/greeting is 'hello'" [ "$(cat upper/etc/greeting 2>/dev/null)" = hello ]
	expect "upper/etc/motd is the whole changed file" [ "$(cat upper/etc/motd 2>/dev/null)" = "welcome
maintenance tonight" ]
	manifest() { find base app | sort | while read -r f; do stat -c '%n %a %s %Y' "$f"; done; cat base/etc/motd; }
	expect "the lower layers (base/, app/) are unchanged: never written" eval 'manifest | cmp -s - lowers.before'
	[ -s show.txt ] || fail "show.txt is missing: save the output of unionfs/show"
	expect "show.txt says 'A /etc/greeting' and 'C /etc/motd'" \
		eval 'grep -qx "A /etc/greeting" show.txt && grep -qx "C /etc/motd" show.txt'
	expect "merged/ is unmounted in this namespace" not grep -q " $LAB_STATE/merged " /proc/self/mountinfo
	echo "check: ok - both writes are in upper/ (etc/greeting, etc/motd), base/ and app/ are unchanged"
	;;
hint) hint ;;
teardown) rm -rf "$LAB_STATE" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
