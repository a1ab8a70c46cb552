#!/bin/bash
# tests/vm/initramfs.sh - pack the test VM's whole world into one initramfs.
#
#   tests/vm/initramfs.sh KERNEL-DIR OUT.cpio        (run from the project's top directory)
#
# The VM has no disk: everything it runs is in this archive, unpacked by the kernel into
# memory at boot. It holds
#   /init                  tests/vm/init, the VM's PID 1
#   /usr/bin/busybox       Debian's static busybox, with a symlink per applet (sh, mount,
#                          modprobe, switch_root ...); /bin /sbin /lib /lib64 are symlinks
#                          into /usr as on Debian 12 ("merged /usr")
#   the host tools         each program in tests/vm/tools.list at the path `command -v`
#                          finds it (replacing busybox's applet of that name), and dash
#                          as /bin/sh (see below why not busybox ash)
#   their libraries        every shared library `ldd` names for the tools and the project's
#                          programs, and the dynamic loader
#   /lib/modules/VERSION/  the modules in tests/vm/modules.list and those modules.dep says
#                          they need (only those: the whole tree is 120 MB and slow to boot);
#                          a line "kernel/DIR/" there carries a whole directory of the tree,
#                          for the kernel to load on demand (through modprobe)
#   /mr                    the project as the tests see it (MR_TOP): every directory with a
#                          build.mk (its programs, sources and scripts; no .o/.a/.d), and
#                          the paths in tests/vm/files.list (tests/ but for its unit tests,
#                          labs/, the busybox rootfs ...)
#   /etc/mr-modules        the module names the init loads
#   /etc/mr-tools          the host tools' paths (the shell of `make vm` aliases them)
#
# It is rebuilt only when an input changed: OUT.stamp keeps a fingerprint of the inputs
# (path, size, mtime of every file going in, the lists, the kernel), so an unchanged tree
# costs one `find`. Packed with `busybox cpio -o -H newc` (Debian has no cpio binary).
# See: Documentation/filesystems/ramfs-rootfs-initramfs.rst, tests/vm/README.md
set -euo pipefail
kdir=$1 out=$2
here=tests/vm
kver=$(basename "$(ls -d "$kdir"/lib/modules/*/ | head -n 1)")
mods=$kdir/lib/modules/$kver

say() { echo "vm: $*" >&2; }
die() { say "$*"; exit 1; }

# list FILE - the entries of a tests/vm/*.list file: no comments, no blank lines
list() { sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1"; }

# the directories holding programs: every top-level directory with a build.mk
progdirs=()
for f in */build.mk; do
	d=${f%/build.mk}
	case $d in lib | tests) ;; *) progdirs+=("$d") ;; esac
done
extra=()
for p in $(list "$here/files.list"); do [ -e "$p" ] && extra+=("$p"); done

tools=()
for t in $(list "$here/tools.list"); do
	p=$(command -v "$t" 2>/dev/null) || { say "warning: tool '$t' (tests/vm/tools.list) is not installed; the VM goes without it"; continue; }
	tools+=("$p")
done

# ---- is the archive up to date? ------------------------------------------------------
fingerprint() {
	echo "kernel $kdir"
	ls -lL /bin/busybox /bin/dash "${tools[@]}" "$0" "$here"/init "$here"/*.list
	find "${progdirs[@]}" "${extra[@]}" \( -name '*.o' -o -name '*.a' -o -name '*.d' -o -path tests/unit \) -prune \
		-o -printf '%p %s %T@ %l\n' | sort
}
stamp=$(fingerprint | md5sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

started=$(date +%s.%N)
stage=$(dirname "$out")/stage
rm -rf "$stage"
mkdir -p "$stage"/usr/{bin,sbin,lib,lib64} "$stage"/mr
for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done
for d in proc sys dev tmp run etc root mnt newroot home var/tmp; do mkdir -p "$stage/$d"; done
chmod 1777 "$stage/tmp" "$stage/var/tmp"
# the kernel opens /dev/console for PID 1 before any devtmpfs is mounted
mknod -m 600 "$stage/dev/console" c 5 1
mknod -m 666 "$stage/dev/null" c 1 3

# ---- busybox and its applets, then the host tools over them -----------------------------
cp /bin/busybox "$stage/usr/bin/busybox"
for a in $(/bin/busybox --list-full); do
	[ -e "$stage/$a" ] || [ -L "$stage/$a" ] || ln -s /usr/bin/busybox "$stage/$a"
done
for p in "${tools[@]}"; do
	for d in bin sbin usr/bin usr/sbin; do rm -f "$stage/$d/$(basename "$p")"; done
	cp -L "$p" "$stage$p"
	echo "$p" >>"$stage/etc/mr-tools"
done
# /bin/sh is dash, Debian's own /bin/sh, not busybox ash: Debian's busybox is built with
# FEATURE_SH_STANDALONE, so its ash runs its own applet for any name it knows (ip,
# unshare, nsenter, setpriv ...) before looking at the PATH, and the host tools above
# would never run from a script. (MR_VM_SH=ash in the VM's settings switches back.)
rm -f "$stage/bin/sh"
cp -L /bin/dash "$stage/usr/bin/dash"
ln -s dash "$stage/usr/bin/sh"
install -m 755 "$here/init" "$stage/init"

# ---- the project, as /mr ------------------------------------------------------------------
tar -cf - --exclude='*.o' --exclude='*.a' --exclude='*.d' --exclude=tests/unit "${progdirs[@]}" "${extra[@]}" |
	tar -C "$stage/mr" -xf -

# ---- shared libraries of every ELF program in the archive -------------------------------
elfs=()
while IFS= read -r -d '' f; do
	IFS= read -r -n 4 magic <"$f" || true
	[ "$magic" = $'\x7fELF' ] && elfs+=("$f")
done < <(find "$stage/usr" "$stage/mr" -type f -perm -u+x -print0)
# libraries the project opens with dlopen(3), which ldd can't see: libcurl (only `pull`
# needs it: minirun/image/curl_dl.c), libarchive, libnftables and libcrypto (minirun opens
# them on first use: minirun/lazy/lazylib.h); they and their own libraries come along too
dl=()
# (awk reads to the end: had it left at the first match, ldconfig could be writing still,
# die of SIGPIPE, and under pipefail end this script without a word, as seen at load 10)
for so in libcurl.so.4 libarchive.so.13 libnftables.so.1 libcrypto.so.3; do
	p=$(ldconfig -p | awk -v n="$so" '$1 == n && /x86-64/ && p == "" { p = $NF } END { print p }')
	[ -n "$p" ] && dl+=("$p")
done
# one ldd for all: it prints "FILE:" then a tab-indented line per library (and fails for
# the static ones, busybox first)
libs=$({ ldd "${elfs[@]}" "${dl[@]}" 2>/dev/null || true; } | awk '/^\t/ { for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | sort -u)
for l in $libs "${dl[@]}"; do
	mkdir -p "$stage$(dirname "$l")"
	cp -L "$l" "$stage$l"
done

# ---- kernel modules: the listed ones and what modules.dep says they need -----------------
# carry MODULE-FILE... - copy modules (paths relative to the module tree) with their deps
carry() {
	local m line f
	for m; do
		line=$(grep -m 1 "^$m:" "$mods/modules.dep")
		for f in ${line//:/}; do
			[ -f "$stage/lib/modules/$kver/$f" ] && continue
			mkdir -p "$stage/lib/modules/$kver/$(dirname "$f")"
			cp "$mods/$f" "$stage/lib/modules/$kver/$f"
		done
	done
}
mkdir -p "$stage/lib/modules/$kver"
: >"$stage/etc/mr-modules"
for m in $(list "$here/modules.list"); do
	case $m in
	*/) # a directory of the tree: all of it, loaded on demand by the kernel's requests
		[ -d "$mods/$m" ] || die "'$m' (tests/vm/modules.list) is not a directory of kernel $kver's modules ($mods)"
		carry $(cd "$mods" && find "$m" -name '*.ko*' | sort)
		continue
		;;
	esac
	n=$(echo "$m" | tr - _)
	if tr - _ <"$mods/modules.builtin" | grep -q "/$n\.ko"; then
		continue # built into this kernel: nothing to load
	fi
	f=$(awk -F: -v m="$n" '{ b = $1; sub(/.*\//, "", b); sub(/\.ko.*$/, "", b); gsub(/-/, "_", b);
		if (b == m) { print $1; exit } }' "$mods/modules.dep")
	[ -n "$f" ] || die "module '$m' (tests/vm/modules.list) is not in kernel $kver; check its name with: find $mods -name '$m.ko*'"
	carry "$f"
	echo "$m" >>"$stage/etc/mr-modules"
done
cp "$mods"/modules.{order,builtin,builtin.modinfo} "$stage/lib/modules/$kver/"
depmod -b "$stage" "$kver"

# ---- /etc ---------------------------------------------------------------------------------
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$stage/etc/hosts"
echo mr-vm >"$stage/etc/hostname"

# ---- pack -----------------------------------------------------------------------------------
# not compressed: the kernel then copies instead of inflating, which under TCG boots
# 1.6 s sooner (60 MB: "up" after 4.4 s rather than 6.1 s), and packing takes no time
(cd "$stage" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$stamp" >"$out.stamp"
say "initramfs rebuilt: $(du -sh "$stage" | cut -f1) in the stage, a $(du -h "$out" | cut -f1) archive," \
	"in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
