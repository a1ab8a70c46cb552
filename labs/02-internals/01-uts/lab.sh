#!/bin/sh
# labs/02-internals/01-uts/lab.sh - the UTS namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab uts STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE and that the
# host kept its hostname: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-01-uts}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: run the steps from the top of the checkout, as root, with LAB_STATE set:
  ./ns/uts -- sh -c 'hostname lab-box; hostname; readlink /proc/self/ns/uts' > "$LAB_STATE/inside.txt"
  hostname > "$LAB_STATE/outside.txt"; readlink /proc/self/ns/uts >> "$LAB_STATE/outside.txt"
The hostname set inside a new UTS namespace changes only that namespace's copy.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating a UTS namespace needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x ns/uts ] || { echo "ns/uts is not built: run 'make ns' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	./ns/uts -n box
	./ns/uts -- sh -c 'hostname lab-box; hostname; readlink /proc/self/ns/uts' >"$LAB_STATE/inside.txt"
	{ hostname; readlink /proc/self/ns/uts; } >"$LAB_STATE/outside.txt"
	cat "$LAB_STATE/inside.txt" "$LAB_STATE/outside.txt"
	;;
check)
	need
	for f in inside.txt outside.txt; do
		[ -s "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	in_name=$(sed -n 1p "$LAB_STATE/inside.txt") in_ns=$(sed -n 2p "$LAB_STATE/inside.txt")
	out_name=$(sed -n 1p "$LAB_STATE/outside.txt") out_ns=$(sed -n 2p "$LAB_STATE/outside.txt")
	expect_or "inside.txt says hostname lab-box" "it says '$in_name'" [ "$in_name" = lab-box ]
	expect_or "inside.txt's second line is a uts namespace" "it is '$in_ns'" eval 'case "$in_ns" in uts:\[*\]) ;; *) false ;; esac'
	expect_or "inside and outside are two uts namespaces" "both are $in_ns" [ "$in_ns" != "$out_ns" ]
	expect "outside.txt's namespace is the host's" [ "$out_ns" = "$(readlink /proc/self/ns/uts)" ]
	expect_or "outside.txt says the host's hostname, '$(hostname)'" "it says '$out_name'" [ "$out_name" = "$(hostname)" ]
	expect "the host's hostname is not lab-box: it was set only in the new namespace" [ "$(hostname)" != lab-box ]
	echo "check: ok - lab-box lived in $in_ns only; the host kept '$out_name' in $out_ns"
	;;
hint) hint ;;
teardown) rm -f "$LAB_STATE/inside.txt" "$LAB_STATE/outside.txt" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
