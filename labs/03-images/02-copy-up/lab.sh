#!/bin/sh
# labs/03-images/02-copy-up/lab.sh - one appended byte copies a whole lower file up.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab copy-up STEP`)
#
# run does the README's steps; check reads copyup.txt and the kept directories: exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/03-images-02-copy-up}
UF=$MR_TOP/unionfs

hint() {
	cat <<'HINT'
hint: run the demo with its directories kept and its output saved:
  ./unionfs/copyup -k -s 64 $LAB_STATE/cu | tee $LAB_STATE/copyup.txt
lower/big must stay 64 MiB; upper/big is the copied-up file plus one byte... twice.
HINT
}
. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions
need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: mounting overlayfs needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
	grep -qw overlay /proc/filesystems || { echo "this kernel has no overlayfs"; exit 77; }
	[ -x "$UF/copyup" ] || { echo "unionfs is not built: run 'make unionfs' first"; exit 1; }
}

case "${1:-}" in
setup)
	need
	rm -rf "$LAB_STATE" && mkdir -p "$LAB_STATE"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	"$UF/copyup" -v -k -s 64 "$LAB_STATE/cu" | tee "$LAB_STATE/copyup.txt"
	ls -l "$LAB_STATE/cu/lower/big" "$LAB_STATE/cu/upper/big"
	;;
check)
	need
	out=$LAB_STATE/copyup.txt
	[ -s "$out" ] || fail "$out is missing: save the demo's output there"
	first=$(sed -n 's/^1st append of 1 byte: *\([0-9.]*\) ms.*upper\/big is now \([0-9.]*\) MiB.*/\1 \2/p' "$out")
	second=$(sed -n 's/^2nd append of 1 byte: *\([0-9.]*\) ms.*/\1/p' "$out")
	expect "copyup.txt has both append lines" eval '[ -n "$first" ] && [ -n "$second" ]'
	set -- $first
	expect_or "upper/big was the whole 64.0 MiB after the first append: copied up" "it was $2 MiB" [ "$2" = 64.0 ]
	lower=$(stat -c %s "$LAB_STATE/cu/lower/big" 2>/dev/null) || fail "the directories are kept (-k)"
	upper=$(stat -c %s "$LAB_STATE/cu/upper/big" 2>/dev/null) || fail "upper/big is there"
	expect_or "lower/big is unchanged, 64 MiB" "it is $lower bytes" [ "$lower" = $((64 * 1048576)) ]
	expect_or "upper/big is lower/big + the 2 appended bytes" "it is $upper bytes" [ "$upper" = $((64 * 1048576 + 2)) ]
	echo "check: ok - the first append copied 64 MiB up ($1 ms), the second took $second ms; lower/big unchanged"
	;;
hint) hint ;;
teardown) rm -rf "$LAB_STATE" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
