#!/bin/sh
# bench/scan.sh - `minirun sbom` against the floor: `dpkg-query --admindir` reading the
# same dpkg status file from an unpacked tree, which is all a scanner must do at least.
#
#   bench/scan.sh [RUNS]     (needs hyperfine and dpkg-query; `make minirun`;
#                             MINIRUN=PATH picks another binary)
#
# The image is the debootstrap bookworm minbase that tests/integration/scan/debootstrap.t
# caches (tests/lib/debootstrap.sh; MR_DEBOOTSTRAP_CACHE, default /var/cache/minirun-tests)
# when it is there: a real Debian tree, ~90 packages and every file of them, so sbom also
# walks the whole tree looking for language packages. Without that cache (this script
# downloads nothing) it is this machine's own var/lib/dpkg/status (hundreds of real
# stanzas) alone in a one-layer image. Either way the image sits in a store of its own
# under a temp dir; sbom reads it through the layer store (resolve the image, look the
# files up through the layers, walk, parse, sort, print), dpkg-query reads the unpacked
# var/lib/dpkg. Prints hyperfine's table and the ratio; the goal (issue 18) is sbom within
# 2x of the floor.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-50}
MR=${MINIRUN:-$TOP/minirun/minirun}
for c in hyperfine dpkg-query tar; do
	command -v $c >/dev/null || { echo "scan.sh: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MR" ] || { echo "scan.sh: run 'make minirun' first" >&2; exit 1; }
[ -s /var/lib/dpkg/status ] || { echo "scan.sh: no /var/lib/dpkg/status here" >&2; exit 1; }

D=$(mktemp -d "${TMPDIR:-/tmp}/mr-bench-scan.XXXXXX")
trap 'rm -rf "$D"' EXIT
CACHED=${MR_DEBOOTSTRAP_CACHE:-/var/cache/minirun-tests}/debian-bookworm-minbase.tar
if [ -s "$CACHED" ]; then
	mkdir -p "$D/tree"
	tar -C "$D/tree" -xf "$CACHED" ./var/lib/dpkg
	"$MR" --root "$D/root" import "$CACHED" bench:scan >/dev/null
	echo "the debootstrap bookworm image ($CACHED, $(du -m "$CACHED" | cut -f1) MB)"
else
	mkdir -p "$D/tree/var/lib/dpkg" "$D/tree/etc"
	cp /var/lib/dpkg/status "$D/tree/var/lib/dpkg/status"
	printf 'ID=debian\nVERSION_ID="12"\n' >"$D/tree/etc/os-release"
	(cd "$D/tree" && tar -cf "$D/tree.tar" .)
	"$MR" --root "$D/root" import "$D/tree.tar" bench:scan >/dev/null
	echo "this machine's dpkg status alone (no debootstrap image cached: run" \
		"tests/lib/debootstrap.sh for the real one)"
fi
n=$(grep -c '^Package:' "$D/tree/var/lib/dpkg/status")
echo "an image with $n dpkg stanzas ($(wc -c <"$D/tree/var/lib/dpkg/status") bytes of status)"

hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$D/h.json" \
	-n "minirun sbom" "$MR --root $D/root sbom bench:scan" \
	-n "dpkg-query (floor)" "dpkg-query --admindir=$D/tree/var/lib/dpkg -W -f \${Package}\ \${Version}\\n"
sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' "$D/h.json" | head -n 2 | tr '\n' ' ' |
	awk '{ printf "sbom %.2f ms, dpkg-query %.2f ms: ratio %.2f (goal <= 2)\n", $1 * 1000, $2 * 1000, $1 / $2 }'
