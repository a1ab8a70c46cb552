#!/bin/bash
# tests/vm/kernel.sh - fetch Debian's own kernel for the test VM, once, with apt.
#
#   tests/vm/kernel.sh CACHE-DIR      prints the unpacked kernel's directory on stdout
#
# The VM boots the kernel that Debian's `linux-image-amd64` depends on today (found with
# `apt-cache depends`; `apt-get update` runs first only if that lookup fails). The package
# is fetched with `apt-get download` into CACHE-DIR (no install: the host keeps its own
# kernel), unpacked with `dpkg-deb -x` and given a modules.dep with `depmod -b`, because
# the package ships none and busybox modprobe needs one. The result is
#
#   CACHE-DIR/linux-VERSION/vmlinuz                    the kernel qemu boots
#   CACHE-DIR/linux-VERSION/lib/modules/VERSION/       its modules, with modules.dep
#
# and a second run finds it there and downloads nothing. Nothing is fetched from anywhere
# but the Debian mirror apt is configured with.
# See: apt-get(8) (download), dpkg-deb(1) (-x), depmod(8) (-b), tests/vm/README.md
set -euo pipefail
cache=$1
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

say() { echo "vm: $*" >&2; }

# kernel_version - the ABI name linux-image-amd64 depends on, e.g. 6.1.0-56-amd64
kernel_version() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | head -n 1
}

kver=$(kernel_version || true)
if [ -z "$kver" ]; then
	# no package lists yet: a cached kernel is good enough; else ask the mirror
	cached=$(ls -d "$cache"/linux-*/.ready 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -n "$cached" ]; then
		dirname "$cached"
		exit 0
	fi
	say "apt-cache does not know linux-image-amd64: running apt-get update"
	apt-get update -qq >&2
	kver=$(kernel_version || true)
	[ -n "$kver" ] || { say "apt-cache depends linux-image-amd64 names no kernel; is the Debian mirror in /etc/apt/sources.list?"; exit 1; }
fi

dir=$cache/linux-$kver
if [ -f "$dir/.ready" ]; then
	echo "$dir"
	exit 0
fi

deb=$(ls "$cache"/linux-image-"$kver"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	size=$(apt-cache show "linux-image-$kver" 2>/dev/null | sed -n 's/^Size: //p' | head -n 1)
	say "downloading linux-image-$kver${size:+ ($((size / 1048576)) MiB)} with apt-get download, once: it stays in $cache (make clean keeps it, make distclean removes it)"
	# apt drops to the _apt user to download; it warns and goes on as root when _apt cannot
	# write here, which is fine for a build folder
	(cd "$cache" && apt-get download -q "linux-image-$kver" 2>&1 | grep -v 'unsandboxed' >&2) || true
	deb=$(ls "$cache"/linux-image-"$kver"_*.deb 2>/dev/null | head -n 1 || true)
	[ -n "$deb" ] || { say "apt-get download linux-image-$kver failed (see above)"; exit 1; }
fi

say "unpacking $(basename "$deb")"
tmp=$dir.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
dpkg-deb -x "$deb" "$tmp/pkg"
mkdir -p "$tmp/lib/modules"
mv "$tmp/pkg/boot/vmlinuz-$kver" "$tmp/vmlinuz"
mv "$tmp/pkg/lib/modules/$kver" "$tmp/lib/modules/"
rm -rf "$tmp/pkg" # System.map, config and docs: the VM needs none of them
depmod -b "$tmp" "$kver"
touch "$tmp/.ready"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "$dir"
