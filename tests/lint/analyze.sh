#!/bin/sh
# tests/lint/analyze.sh - clang's static analyzer (scan-build) over every C file of the
# libraries and programs; `make analyze`. Not part of `make lint`: a full analysis takes
# about 6 minutes of two cores here (lint takes under one).
#
#   tests/lint/analyze.sh TARGET...     (the make targets to build: the Makefile passes
#                                        every program; run from the top of the tree)
#
# The build runs in build/scan, a mirror of the tree (tests/mirror.sh), from scratch each
# time: scan-build reports only what it compiles. The unit tests are not analysed (CUnit's
# CU_ASSERT does not stop a test, so every assert-then-use reads as a NULL dereference).
#
# Every finding "FILE:LINE:COL: MESSAGE [CHECKER]" must be either fixed or listed, with its
# reason, in tests/lint/analyze.supp as "FILE: MESSAGE [CHECKER]: SOURCE LINE" (the source
# line trimmed, not its number, so that edits elsewhere in the file keep it matched).
# Prints each finding not listed, with its line, and exits 1 if there is any; the HTML
# report is in build/scan-report/.
#
# See: scan-build(1), https://clang-analyzer.llvm.org/; tests/lint/analyze.supp.
set -u
dir=build/scan supp=tests/lint/analyze.supp
command -v scan-build >/dev/null || {
	echo "analyze: scan-build is missing (apt-get install clang-tools-14, or make deps)" >&2
	exit 2
}
tests/mirror.sh "$dir" || exit 2
find "$dir" -name '*.o' -delete
rm -rf build/scan-report
log=build/scan.log
# gcc compiles (the build's own warnings stay gcc's); clang only analyses
if ! scan-build -o build/scan-report --use-cc=gcc make --no-print-directory -s -C "$dir" \
	-j2 "$@" >"$log" 2>&1; then
	echo "analyze: the build failed (see $log)" >&2
	exit 1
fi
found=0 listed=0
grep -E '^[^ ]+:[0-9]+:[0-9]+: warning: .* \[[a-z]+\.[A-Za-z.]+\]$' "$log" | sort -u >"$log.found"
while IFS= read -r w; do
	file=${w%%:*} rest=${w#*:}
	line=${rest%%:*}
	msg=${w#*: warning: }
	src=$(sed -n "${line}p" "$file" | sed 's/^[[:space:]]*//')
	if grep -qxF -- "$file: $msg: $src" "$supp"; then
		listed=$((listed + 1))
		continue
	fi
	found=$((found + 1))
	echo "${w%% warning:*} $msg"
	echo "    $src"
	echo "    (to accept it, add to $supp, under its reason: $file: $msg: $src)"
done <"$log.found"
echo "analyze: $found findings, $listed suppressed with a reason in $supp"
[ "$found" = 0 ]
