#!/bin/sh
# tests/lib/debootstrap.sh - a Debian bookworm minbase tree made by debootstrap, as a tar,
# cached between runs outside the checkout (the first run downloads ~40 MB from the
# mirror the host's apt uses and takes a minute or two; later runs reuse the tar).
#
#   tests/lib/debootstrap.sh            print the cached tar's path, making it if need be
#   MR_DEBOOTSTRAP_CACHE=DIR            where the cache lives (/var/cache/minirun-tests)
#   DEBIAN_MIRROR=URL                   the mirror (the host's first deb.debian.org-like
#                                       source, else http://deb.debian.org/debian)
#
# Exit 0 and the path on stdout; exit 2 and one line on stderr saying why when it can't be
# had (no debootstrap, mirror unreachable): callers skip with that line. The tar is made
# under a temp name and renamed, so an interrupted run leaves no half tar; the unpacked
# tree is removed either way. Used by tests/integration/scan/debootstrap.t and bench/scan.sh.
set -eu
CACHE=${MR_DEBOOTSTRAP_CACHE:-/var/cache/minirun-tests}
SUITE=bookworm
TAR=$CACHE/debian-$SUITE-minbase.tar
if [ -s "$TAR" ]; then
	echo "$TAR"
	exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap not installed (apt-get install debootstrap)" >&2; exit 2; }
if [ -z "${DEBIAN_MIRROR:-}" ]; then
	DEBIAN_MIRROR=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p; s/^deb \(http[^ ]*\/debian\) .*/\1/p' \
		/etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n 1)
	DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
fi
mkdir -p "$CACHE"
W=$(mktemp -d "$CACHE/.work.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
if ! debootstrap --variant=minbase "$SUITE" "$W/root" "$DEBIAN_MIRROR" >"$W/log" 2>&1; then
	echo "debootstrap of $SUITE from $DEBIAN_MIRROR failed (mirror unreachable?): $(tail -n 1 "$W/log")" >&2
	exit 2
fi
# the apt caches debootstrap leaves are not part of an image
rm -rf "$W/root/var/cache/apt/archives/"*.deb "$W/root/var/lib/apt/lists/"*_* 2>/dev/null || true
tar --sort=name --numeric-owner -C "$W/root" -cf "$W/tar" .
mv "$W/tar" "$TAR"
echo "$TAR"
