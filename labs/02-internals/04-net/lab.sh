#!/bin/sh
# labs/02-internals/04-net/lab.sh - the network namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab net STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE: exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-04-net}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  ./ns/net -- ls /sys/class/net > "$LAB_STATE/links.txt"
  ./ns/net -- sh -c 'cat /sys/class/net/lo/flags; ip link set lo up; cat /sys/class/net/lo/flags' > "$LAB_STATE/lo.txt"
Bit 0 of a device's flags is IFF_UP: 0x8 is a loopback that is down, 0x9 one that is up.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating a network namespace needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x ns/net ] || { echo "ns/net is not built: run 'make ns' first"; exit 1; }
	command -v ip >/dev/null || { echo "needs the ip command (iproute2 or busybox)"; exit 77; }
}

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	./ns/net -v
	./ns/net -- ls /sys/class/net >"$LAB_STATE/links.txt"
	./ns/net -- sh -c 'cat /sys/class/net/lo/flags; ip link set lo up; cat /sys/class/net/lo/flags' >"$LAB_STATE/lo.txt"
	cat "$LAB_STATE/links.txt" "$LAB_STATE/lo.txt"
	;;
check)
	need
	for f in links.txt lo.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	links=$(cat "$LAB_STATE/links.txt")
	expect_or "links.txt lists only lo (a fresh sysfs inside)" "it lists '$(echo $links)'" [ "$links" = lo ]
	before=$(sed -n 1p "$LAB_STATE/lo.txt") after=$(sed -n 2p "$LAB_STATE/lo.txt")
	expect_or "lo.txt holds two flag values like 0x8" "it holds '$before' '$after'" \
		eval 'case "$before$after" in 0x*0x*) ;; *) false ;; esac'
	expect_or "lo starts down in the new namespace" "its flags were $before" [ $((before & 1)) = 0 ]
	expect_or "lo is up after 'ip link set lo up'" "its flags are $after" [ $((after & 1)) = 1 ]
	echo "check: ok - a new network namespace has only lo, down ($before), until you bring it up ($after)"
	;;
hint) hint ;;
teardown) rm -f "$LAB_STATE/links.txt" "$LAB_STATE/lo.txt" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
