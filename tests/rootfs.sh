#!/bin/sh
# tests/rootfs.sh - make a tiny root filesystem from Debian's busybox-static.
#
#   tests/rootfs.sh DIR
#
# DIR gets /bin/busybox and a symlink per applet, the directories a container expects
# (/proc /sys /dev /tmp /etc /root ...), and /etc/passwd, /etc/group with root and nobody.
# No network is needed: this is what the labs, the tests and the built-in image start from.
# `make rootfs` makes build/rootfs/busybox with it.
set -eu
dir=$1
bb=/bin/busybox
[ -x "$bb" ] || { echo "rootfs.sh: $bb is missing; run 'make deps' (package busybox-static)" >&2; exit 1; }
tmp=$dir.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/usr/bin" "$tmp/usr/sbin"
cp "$bb" "$tmp/bin/busybox"
for a in $("$bb" --list-full); do
	[ -e "$tmp/$a" ] || ln -s /bin/busybox "$tmp/$a"
done
for d in proc sys dev tmp etc root home var/tmp run mnt; do mkdir -p "$tmp/$d"; done
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$tmp/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/etc/group"
echo minirun >"$tmp/etc/hostname"
rm -rf "$dir"
mv "$tmp" "$dir"
