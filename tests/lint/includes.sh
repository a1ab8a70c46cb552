#!/bin/sh
# tests/lint/includes.sh - the layers stay true: no #include "..." points upward, or into
# another layer's internals. Part of `make lint`.
#
#   tests/lint/includes.sh [TOP]     (TOP: the tree to check, default .)
#
# The layers, lowest first; a file may include its own layer and any layer below it
# (docs/HACKING.md "minirun's layers" says why each is where it is):
#
#   0  lib/                                   error objects, file I/O, signals
#   1  ns/ cgroups/ unionfs/ netns/           the mechanism libraries
#   2  minirun/lazy/ minirun/rootless/        libraries opened on first use; the user's namespace
#      minirun/events/                        the event journal every store and verb appends to
#   3  minirun/oci/                           the OCI runtime
#   4  minirun/image/ network/ volume/        the stores: images, networks, volumes
#   5  minirun/bundle/                        image config + run options -> OCI bundle
#   6  minirun/containers/                    docker's containers
#   7  minirun/build/ minirun/compose/        build and compose, over the front end
#      minirun/scan/                          sbom and scan: an image's contents, read from the store
#      minirun/system/                        system df/prune/info, info, version: over all the stores
#   8  minirun/*.c                            main.c, commands.c: the dispatcher
#
# And from outside minirun/oci/ only minirun/oci/runtime.h may be included, from outside
# minirun/bundle/ only minirun/bundle/bundle.h, from outside minirun/events/ only
# minirun/events/events.h: the rest of those folders is theirs to change. tests/ is not
# checked (unit tests include what they test). A folder of C files not in the table is an
# error too: a new folder gets its place here deliberately.
#
# Prints one line per wrong include (FILE:LINE: what is wrong) and exits 1; exits 0 and
# prints nothing when every include is right.
#
# See: docs/HACKING.md; tests/integration/minirun/layers.t (plants wrong includes).
set -u
cd "${1:-.}" || exit 2

dirs=""
for d in lib ns cgroups unionfs netns minirun; do
	[ -d "$d" ] && dirs="$dirs $d"
done
[ -n "$dirs" ] || {
	echo "includes.sh: no source folders in $(pwd)" >&2
	exit 2
}

# awk reads "FILE" lines (every source file) and "FILE:LINE:#include ..." lines (every
# include), and prints what is wrong; the layer table is its function layer()
# shellcheck disable=SC2086 # dirs is a list of words
files=$(find $dirs -name '*.[ch]' | sort)
bad=$(
	{
		printf '%s\n' "$files"
		# shellcheck disable=SC2086
		grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $files
	} | awk '
	# layer(path) - "RANK NAME" of the layer PATH is in; "" for none
	function layer(p, d) {
		if (p ~ /^lib\//) return "0 lib"
		if (p ~ /^(ns|cgroups|unionfs|netns)\//) { sub(/\/.*/, "", p); return "1 " p }
		if (p ~ /^minirun\/lazy\//) return "2 minirun/lazy"
		if (p ~ /^minirun\/rootless\//) return "2 minirun/rootless"
		if (p ~ /^minirun\/events\//) return "2 minirun/events"
		if (p ~ /^minirun\/oci\//) return "3 minirun/oci"
		if (p ~ /^minirun\/(image|network|volume)\//) {
			d = p; sub(/^minirun\//, "", d); sub(/\/.*/, "", d); return "4 minirun/" d
		}
		if (p ~ /^minirun\/bundle\//) return "5 minirun/bundle"
		if (p ~ /^minirun\/containers\//) return "6 minirun/containers"
		if (p ~ /^minirun\/(build|compose|scan|system)\//) {
			d = p; sub(/^minirun\//, "", d); sub(/\/.*/, "", d); return "7 minirun/" d
		}
		if (p ~ /^minirun\/[^\/]+$/) return "8 minirun"
		return ""
	}
	# the one header of a folder that the others may include ("": no such rule)
	function public_header(name) {
		if (name == "minirun/oci") return "minirun/oci/runtime.h"
		if (name == "minirun/bundle") return "minirun/bundle/bundle.h"
		if (name == "minirun/events") return "minirun/events/events.h"
		return ""
	}
	function rank(l) { return substr(l, 1, index(l, " ") - 1) + 0 }
	function lname(l) { return substr(l, index(l, " ") + 1) }
	index($0, ":") == 0 {
		if (layer($0) == "")
			print $0 ": its folder is no layer of tests/lint/includes.sh: add it to the table"
		next
	}
	{
		file = $0; sub(/:.*/, "", file)
		rest = substr($0, length(file) + 2)
		line = rest; sub(/:.*/, "", line)
		inc = rest; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
		if (inc !~ /\//) { dir = file; sub(/\/[^\/]*$/, "", dir); inc = dir "/" inc }
		from = layer(file); to = layer(inc)
		if (from == "") next # said once above
		if (to == "") { print file ":" line ": includes " inc ", which is in no layer"; next }
		if (rank(to) > rank(from)) {
			print file ":" line ": includes " inc ": " lname(from) " may not include " \
				lname(to) ", a layer above it"
			next
		}
		pub = public_header(lname(to))
		if (pub != "" && lname(from) != lname(to) && inc != pub)
			print file ":" line ": includes " inc ": from outside " lname(to) \
				"/ only " pub " may be included"
	}'
)
if [ -n "$bad" ]; then
	printf '%s\n' "$bad"
	echo "includes.sh: $(printf '%s\n' "$bad" | wc -l) include(s) break the layers;" \
		"see docs/HACKING.md \"minirun's layers\""
	exit 1
fi
exit 0
