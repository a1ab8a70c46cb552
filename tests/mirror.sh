#!/bin/sh
# tests/mirror.sh - make DIR a tree of symbolic links to this tree's source files, so a
# second build (sanitizers, fuzzing) can run the same Makefile there with other compiler
# flags and never touch the normal objects.
#
#   tests/mirror.sh DIR        (run from the top of the tree; DIR is usually build/NAME)
#
# Every file git knows or would add (tracked, or untracked and not ignored) gets a link in
# DIR; links to files that are gone are removed. Objects, archives and programs made by
# `make -C DIR ...` are real files in DIR, beside the links. Make follows the links for
# timestamps, so an edited source is rebuilt there as here.
#
# Used by `make asan-test-unit`, `make asan-test-host`, `make fuzz` (tests/fuzz/build.mk).
# See: make(1) "-C"; the Makefile's own pattern rules.
set -eu
[ $# = 1 ] || {
	echo "usage: tests/mirror.sh DIR" >&2
	exit 2
}
dir=$1
top=$(pwd)
files=$(git ls-files --cached --others --exclude-standard) || {
	echo "tests/mirror.sh: needs a git checkout (git ls-files failed in $top)" >&2
	exit 1
}
mkdir -p "$dir"
# The files not linked yet, one mkdir and one ln a directory (a mkdir and an ln a file took
# 20 s for a first mirror of 5000 files); a file git still lists but that is gone makes a
# dangling link, removed below. Names are single-quoted for the sh that runs the commands.
have=$(cd "$dir" && find . -type l | sed 's|^\./||')
{
	printf '%s\n' "$files" | grep -v '^build/' | sort -u
	[ -z "$have" ] || printf '%s\n%s\n' "$have" "$have"
} | sort | uniq -u | awk -v top="$top" -v dir="$dir" '
	function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
	{
		d = $0
		if (!sub(/\/[^\/]*$/, "", d)) d = "."
		links[d] = links[d] " " q(top "/" $0)
	}
	END { for (d in links) print "mkdir -p " q(dir "/" d) " && ln -s" links[d] " " q(dir "/" d "/") }' | sh -e
# links whose file was removed or renamed since the last mirror
find "$dir" -xtype l -delete
