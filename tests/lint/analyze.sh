#!/bin/sh
# tests/lint/analyze.sh - clang's static analyzer (the checker engine of scan-build) over
# every C file of the libraries and programs; part of `make lint`, and `make analyze`.
#
#   tests/lint/analyze.sh          only the files changed since their last analysis
#   tests/lint/analyze.sh --full   every file again (after a clang upgrade, say)
#
# Run from the top of the tree. tests/lint/analyze.mk analyses one file per job (-j2), each
# file's findings kept in build/analyze/FILE.txt and remade only when the file or a header
# it includes changed, so a lint run after an edit analyses that file (and what includes
# what changed) instead of the whole tree. Measured on this project's machine (2 cores,
# shared): the whole tree (248 files) 5 CPU-minutes, 4m49s wall; nothing changed, 1 s; one
# .c file changed, 3.6 s; netns/nat.h changed (7 files include it), 16 s. scan-build over
# the same files took 8 CPU-minutes (it compiles each file with gcc too) and found the same
# 63 findings.
#
# Why not scan-build itself, as before: scan-build reports only what the build it wraps
# compiles, so it needed a build from scratch (build/scan, ~6 minutes) on every run. It
# runs `clang --analyze` on each file with clang's default checkers; analyze.mk runs the
# same, and keeps each result. For the HTML reports with each finding's path, run scan-build
# on one program: `scan-build make -B netns/bridge`.
#
# Every finding "FILE:LINE:COL: warning: MESSAGE [CHECKER]" must be either fixed or listed,
# with its reason, in tests/lint/analyze.supp as "FILE: MESSAGE [CHECKER]: SOURCE LINE" (the
# source line trimmed, not its number, so that edits elsewhere in the file keep it matched).
# Prints each finding not listed, with its line, and exits 1 if there is any.
#
# See: clang(1) --analyze, scan-build(1), https://clang-analyzer.llvm.org/;
# tests/lint/analyze.mk, tests/lint/analyze.supp.
set -u
dir=build/analyze supp=tests/lint/analyze.supp
command -v clang >/dev/null || {
	echo "analyze: clang is missing (apt-get install clang, or make deps)" >&2
	exit 2
}
[ "${1:-}" = --full ] && rm -rf "$dir"
mkdir -p "$dir"
: >"$dir/.start"
if ! make --no-print-directory -s -f tests/lint/analyze.mk -j2 ANALYZE_DIR="$dir"; then
	echo "analyze: a file did not compile (above)" >&2
	exit 1
fi
files=$(git ls-files '*.c' | grep -v -e '^tests/unit/' -e '^tests/fuzz/')
redone=$(find "$dir" -name '*.txt' -newer "$dir/.start" | wc -l | tr -d ' ')
found=0 listed=0
: >"$dir/.matched"
# shellcheck disable=SC2086 # $files: one path a word (the tree has no spaces in names)
for f in $files; do cat "$dir/${f%.c}.txt"; done |
	grep -E '^[^ ]+:[0-9]+:[0-9]+: warning: .* \[[a-z]+\.[A-Za-z.]+\]$' | sort -u >"$dir/.found"
while IFS= read -r w; do
	file=${w%%:*} rest=${w#*:}
	line=${rest%%:*}
	msg=${w#*: warning: }
	src=$(sed -n "${line}p" "$file" | sed 's/^[[:space:]]*//')
	if grep -qxF -- "$file: $msg: $src" "$supp"; then
		listed=$((listed + 1))
		printf '%s\n' "$file: $msg: $src" >>"$dir/.matched"
		continue
	fi
	found=$((found + 1))
	printf '%s\n' "${w%% warning:*} $msg"
	printf '    %s\n' "$src"
	printf '    (to accept it, add to %s, under its reason: %s)\n' "$supp" "$file: $msg: $src"
done <"$dir/.found"
# a listed finding that is no longer found (fixed, or its line changed): say so, so that the
# list stays the list of what is there (not an error: the line may be another branch's)
grep -v -e '^#' -e '^$' "$supp" | grep -vxF -f "$dir/.matched" | sed 's/^/analyze: listed but not found now (remove it from the list?): /'
echo "analyze: $redone of $(echo "$files" | wc -l | tr -d ' ') files analysed now; $found findings," \
	"$listed suppressed with a reason in $supp"
[ "$found" = 0 ]
