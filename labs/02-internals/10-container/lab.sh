#!/bin/sh
# labs/02-internals/10-container/lab.sh - the container-in-200-lines lab (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab container STEP`)
#
# setup makes a busybox rootfs in $LAB_STATE/rootfs; run does the README's steps; check
# verifies what they left: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-10-container}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, after 'labs/lab container setup', with LAB_STATE set:
  ./ns/container -n lab-box "$LAB_STATE/rootfs" -- /bin/sh -c \
      'echo "pid $$"; hostname; ps | grep -c .; echo hello > /root/from-inside; ls /' > "$LAB_STATE/inside.txt"
The command is PID 1 of a new pid namespace, and "/" is the rootfs after pivot_root.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: the namespaces and mounts need CAP_SYS_ADMIN (use sudo, or ns/container -U by hand)"; exit 77; }
	[ -x ns/container ] || { echo "ns/container is not built: run 'make ns' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	# a copy of the one `make rootfs` made, or a new one (tests/rootfs.sh makes both)
	if [ -x build/rootfs/busybox/bin/busybox ]; then
		rm -rf "$LAB_STATE/rootfs"
		# hard-linked files where it can: quick, and the lab only adds new files
		cp -al build/rootfs/busybox "$LAB_STATE/rootfs" 2>/dev/null ||
			{ rm -rf "$LAB_STATE/rootfs" && cp -a build/rootfs/busybox "$LAB_STATE/rootfs"; } || exit 1
	else
		tests/rootfs.sh "$LAB_STATE/rootfs" || exit 1
	fi
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	[ -d "$LAB_STATE/rootfs" ] || { echo "no rootfs: labs/lab container setup"; exit 1; }
	./ns/container -v "$LAB_STATE/rootfs" -- /bin/sh -c 'ls /; hostname; echo $$; cat /proc/net/dev'
	./ns/container -n lab-box "$LAB_STATE/rootfs" -- /bin/sh -c \
		'echo "pid $$"; hostname; ps | grep -c .; echo hello > /root/from-inside; ls /' >"$LAB_STATE/inside.txt"
	cat "$LAB_STATE/inside.txt"
	cat "$LAB_STATE/rootfs/root/from-inside"
	;;
check)
	need
	f=$LAB_STATE/inside.txt
	[ -s "$f" ] || fail "$f is missing: do the steps first"
	expect_or "the first line is 'pid 1' (a new pid namespace)" "it is '$(sed -n 1p "$f")'" [ "$(sed -n 1p "$f")" = "pid 1" ]
	expect_or "the hostname inside is lab-box (-n lab-box)" "it was '$(sed -n 2p "$f")'" [ "$(sed -n 2p "$f")" = lab-box ]
	nps=$(sed -n 3p "$f")
	# ps prints a header, sh (PID 1) and ps itself (grep may be listed too)
	expect_or "ps inside saw only the container's processes" "it printed $nps lines" \
		eval 'case "$nps" in 3 | 4) ;; *) false ;; esac'
	expect "'ls /' inside is the rootfs's listing" [ "$(sed -n '4,$p' "$f")" = "$(ls "$LAB_STATE/rootfs")" ]
	expect "rootfs/root/from-inside says hello: the file written inside reached the rootfs" \
		[ "$(cat "$LAB_STATE/rootfs/root/from-inside" 2>/dev/null)" = hello ]
	expect "no mount under the rootfs is left on the host" not grep -q " $LAB_STATE/rootfs" /proc/self/mountinfo
	expect "no old-root directory is left in the rootfs" not eval 'ls -a "$LAB_STATE/rootfs" | grep -q mr-oldroot'
	echo "check: ok - lab-box ran as pid 1 seeing only its rootfs ($nps ps lines); from-inside reached the host; no mount left"
	;;
hint) hint ;;
teardown) rm -rf "$LAB_STATE/rootfs" "$LAB_STATE/inside.txt" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
