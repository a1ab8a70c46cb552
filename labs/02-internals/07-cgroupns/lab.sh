#!/bin/sh
# labs/02-internals/07-cgroupns/lab.sh - the cgroup namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab cgroupns STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE: exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last). Nothing here creates or moves a cgroup.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-07-cgroupns}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  ./ns/cgroup -- sh -c 'readlink /proc/self/ns/cgroup; cat /proc/self/cgroup' > "$LAB_STATE/inside.txt"
The first line is the new namespace; every line after it should end in ":/".
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: a cgroup namespace needs CAP_SYS_ADMIN (use sudo, or ns/cgroup -U by hand)"; exit 77; }
	[ -x ns/cgroup ] || { echo "ns/cgroup is not built: run 'make ns' first"; exit 1; }
	[ -e /proc/self/ns/cgroup ] || { echo "this kernel has no cgroup namespaces (Linux 4.6+)"; exit 77; }
}

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	cat /proc/self/cgroup
	./ns/cgroup -v
	./ns/cgroup -- sh -c 'readlink /proc/self/ns/cgroup; cat /proc/self/cgroup' >"$LAB_STATE/inside.txt"
	cat "$LAB_STATE/inside.txt"
	;;
check)
	need
	f=$LAB_STATE/inside.txt
	[ -s "$f" ] || fail "$f is missing: do the steps first"
	ns=$(sed -n 1p "$f") ours=$(readlink /proc/self/ns/cgroup)
	expect_or "inside.txt's first line is a cgroup namespace" "it is '$ns'" eval 'case "$ns" in cgroup:\[*\]) ;; *) false ;; esac'
	expect "inside.txt was written from a new cgroup namespace, not ours" [ "$ns" != "$ours" ]
	n=$(sed -n '2,$p' "$f" | grep -c .)
	expect_or "inside.txt has as many cgroup lines as /proc/self/cgroup" "$n, not $(grep -c . /proc/self/cgroup)" \
		[ "$n" = "$(grep -c . /proc/self/cgroup)" ]
	bad=$(sed -n '2,$p' "$f" | grep -v ':/$')
	expect_or "every hierarchy is rooted at / inside" "not: $bad" [ -z "$bad" ]
	expect "the cgroup v2 line inside is '0::/'" eval 'sed -n "2,\$p" "$f" | grep -q "^0::/\$"'
	echo "check: ok - in $ns every one of $n hierarchies is rooted at /; we stay in $ours"
	;;
hint) hint ;;
teardown) rm -f "$LAB_STATE/inside.txt" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
