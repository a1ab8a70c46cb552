#!/bin/sh
# tests/integration/unionfs/apply.t - unionfs/apply: layer tars applied with everything a
# root filesystem needs (owners, modes, xattrs, devices, hard links, times), whiteouts in
# both modes, compression detected, and bad input refused with the target left as it was.
#
# Run: sh tests/integration/unionfs/apply.t (as root; `make unionfs` first). Also runs
# under busybox sh. Layers are built with tests/unionfs/tartool mktar.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/unionfs/lib.sh"

# a base layer with one of everything
base_spec() {
	XA=${XA:-$(uf_xattr_ns)}
	cat <<SPEC
dir etc mode=0755
dir home mtime=1000000000
dir usr mtime=1000000000
dir usr/bin mtime=1000000000
dir run mtime=1000000000
file etc/passwd data=root:x:0:0 mode=0644
file etc/shadow data=secret mode=0640 uid=0 gid=42
dir home/user mode=0700 uid=1000 gid=1000 mtime=1200000000
file home/user/notes data=hello uid=1000 gid=1000 mtime=1300000000
file usr/bin/su data=ELF mode=4755
hardlink usr/bin/su-again usr/bin/su
symlink usr/bin/sh busybox mtime=1100000000
file usr/bin/busybox size=10000 mode=0755 xattr=$XA.note=hi
dir dev
chr dev/null 1 3 mode=0666
blk dev/loop0 7 0 mode=0660 gid=6
fifo run/initctl mode=0600
dir data mode=01777
file data/a data=a
file data/b data=b
dir cache
file cache/x data=x
SPEC
}

preserves_everything() {
	uf_need
	base_spec | mktar base.tar
	t_status 0 "$UF/apply" base.tar root
	t_match "$T_OUT" "base.tar -> root: 22 entries \\(8 files, 9 dirs, 1 hard links"
	m=$(manifest -t root)
	t_match "$m" "^/etc/shadow - 0640 0:42 6 "
	t_match "$m" "^/home/user d 0700 1000:1000 mtime=1200000000$"
	t_match "$m" "^/home/user/notes - 0644 1000:1000 5 .* mtime=1300000000$"
	t_match "$m" "^/usr/bin/su - 4755 0:0 3 "
	t_match "$m" "^/usr/bin/sh l .* -> busybox mtime=1100000000$"
	t_match "$m" "^/usr/bin/busybox - 0755 0:0 10000 .* $(uf_xattr_ns).note=hi"
	t_match "$m" "^/dev/null c 0666 0:0 1,3 "
	t_match "$m" "^/dev/loop0 b 0660 0:6 7,0 "
	t_match "$m" "^/run/initctl p 0600 "
	t_match "$m" "^/data d 1777 "
	# a hard link is one inode with two names
	t_eq "$(ls -i root/usr/bin/su | cut -d' ' -f1)" "$(ls -i root/usr/bin/su-again | cut -d' ' -f1)" "inode of su-again"
	t_eq "$(stat -c %h root/usr/bin/su)" 2 "link count of su"
}
t "owners, modes, setuid, xattrs, devices, fifos, hard links and mtimes are preserved" preserves_everything

compressions_agree() {
	uf_need
	t_need gzip zstd
	base_spec | mktar plain.tar
	gzip -c plain.tar >l.tar.gz
	zstd -q -c plain.tar >l.tar.zst
	for l in plain.tar l.tar.gz l.tar.zst; do
		t_status 0 "$UF/apply" "$l" "out-$l"
		manifest -t "out-$l" >"m-$l"
	done
	cmp -s m-plain.tar m-l.tar.gz || t_fail "gzip layer gave another tree: $(diff m-plain.tar m-l.tar.gz)"
	cmp -s m-plain.tar m-l.tar.zst || t_fail "zstd layer gave another tree: $(diff m-plain.tar m-l.tar.zst)"
	# and the diffID is the same for all three; the digests differ
	d1=$("$UF/digest" plain.tar | cut -d' ' -f2)
	t_eq "$("$UF/digest" l.tar.gz | cut -d' ' -f2)" "$d1" "diffID of the gzip layer"
	t_eq "$("$UF/digest" l.tar.zst | cut -d' ' -f2)" "$d1" "diffID of the zstd layer"
	t_match "$("$UF/digest" l.tar.zst)" " zstd l.tar.zst$"
	t_eq "$("$UF/digest" plain.tar | cut -d' ' -f1)" "sha256:$(sha256sum plain.tar | cut -d' ' -f1)" "digest"
}
t "plain, gzip and zstd layers give the same tree and the same diffID" compressions_agree

upper_spec() {
	cat <<'SPEC'
file etc/.wh.shadow
file etc/motd data=new
dir cache
file cache/.wh..wh..opq
file cache/y data=y
file data/.wh.a
file data/c data=c
file data/.wh.c
SPEC
}

whiteouts_plain() {
	uf_need
	base_spec | mktar base.tar
	upper_spec | mktar top.tar
	"$UF/apply" -q base.tar root || t_fail "base layer"
	t_status 0 "$UF/apply" top.tar root
	[ ! -e root/etc/shadow ] || t_fail "etc/.wh.shadow did not remove etc/shadow"
	[ -e root/etc/passwd ] || t_fail "etc/passwd went too"
	t_eq "$(ls root/cache)" y "cache after its opaque marker"
	t_eq "$(ls root/data | tr '\n' ' ')" "b c " "data after .wh.a and .wh.c"
	ls -a root | grep -q unionfs-undo && t_fail "the undo directory was left"
	true
}
t "plain mode: .wh.NAME removes NAME, an opaque dir loses the lower contents, the layer's own files stay" whiteouts_plain

whiteouts_overlay() {
	uf_need
	upper_spec | mktar top.tar
	t_status 0 "$UF/apply" -o top.tar layer
	m=$(manifest -a layer)
	t_match "$m" "^/etc/shadow c 0000 0:0 0,0$" "etc/shadow whiteout"
	t_match "$m" "^/data/a c 0000 0:0 0,0$" "data/a whiteout"
	t_match "$m" "^/data/c - " "data/c (this layer's own, spared by its .wh.c)"
	t_match "$m" "^/cache d 0755 0:0 trusted.overlay.opaque=y$" "opaque cache"
	t_status 1 "$UF/apply" -o top.tar layer
	t_match "$T_OUT" "an overlay layer directory is made fresh"
}
t "overlay mode: whiteouts become c 0 0 and opaque dirs get trusted.overlay.opaque=y" whiteouts_overlay

# bad LAYER-FILE REGEX - applying must fail with one line matching REGEX, leaving a fresh
# target absent and an existing one as it was (mtimes included)
bad() {
	rm -rf fresh
	t_status 1 "$UF/apply" "$1" fresh
	t_match "$T_OUT" "$2"
	[ "$(echo "$T_OUT" | wc -l)" = 1 ] || t_fail "more than one line: $T_OUT"
	[ ! -e fresh ] || t_fail "a fresh target was left behind"
	ls -a | grep -q unionfs-tmp && t_fail "a temporary directory was left behind"
	manifest -t root >before
	t_status 1 "$UF/apply" "$1" root
	t_match "$T_OUT" "$2"
	manifest -t root >after
	cmp -s before after || t_fail "the existing target changed: $(diff before after)"
	ls -a root | grep -q unionfs-undo && t_fail "the undo directory was left"
	true
}

bad_input() {
	uf_need
	base_spec | mktar base.tar
	"$UF/apply" -q base.tar root || t_fail "base layer"
	# a layer that changes a lot before it breaks: replace, whiteout, opaque, new dirs
	{ upper_spec; echo "dir home/user mode=0755 uid=5"; echo "file usr/bin/su data=replaced"
	  i=0; while [ $i -lt 50 ]; do echo "file new/f$i size=3000"; i=$((i + 1)); done; } | mktar big.tar
	size=$(wc -c <big.tar)
	head -c $((size - 3000)) big.tar >truncated.tar
	bad truncated.tar "layer 'truncated.tar': .*(Truncated|truncated)"
	gzip -c big.tar >big.tar.gz
	gsize=$(wc -c <big.tar.gz)
	head -c $((gsize - 10)) big.tar.gz >truncated.tar.gz
	bad truncated.tar.gz "layer 'truncated.tar.gz': .*truncated gzip input"
	# corrupt gzip: garbage in the middle of the deflate stream
	cp big.tar.gz corrupt.tar.gz
	printf 'garbagegarbagegarbage' | dd of=corrupt.tar.gz bs=1 seek=$((gsize / 2)) conv=notrunc 2>/dev/null
	bad corrupt.tar.gz "layer 'corrupt.tar.gz': "
	# an lz4 frame, a format this tool does not take
	printf '\004\042\115\030\144\100\247\000\000\000\000' >layer.lz4
	bad layer.lz4 "layer 'layer.lz4': not a tar layer \(plain, gzip, zstd"
	head -c 3000 /dev/urandom >random.bin
	bad random.bin "layer 'random.bin': "
	bad missing.tar "layer 'missing.tar': No such file or directory"
}
t "truncated, corrupt, unknown-compression and missing layers: one line, exit 1, target unchanged" bad_input

rollback_on_refusal() {
	uf_need
	base_spec | mktar base.tar
	"$UF/apply" -q base.tar root || t_fail "base layer"
	# many real changes first, then one hostile entry at the very end
	{ upper_spec; echo "file etc/passwd data=changed"; echo "dir etc mode=0700"
	  echo "file ../escape data=x"; } | mktar late.tar
	bad late.tar "entry '../escape': refused"
}
t "a refusal at the last entry rolls back every earlier change of an in-place apply" rollback_on_refusal

type_changes() {
	uf_need
	# a file becomes a directory, a directory a file, a symlink a directory: in one layer,
	# and across two layers applied in place
	printf 'file x data=1\ndir x\nfile x/y data=2\ndir d\nfile d/f data=3\nfile d data=4\nsymlink s x\ndir s\n' |
		mktar one.tar
	t_status 0 "$UF/apply" one.tar fresh
	t_eq "$(cat fresh/x/y):$(cat fresh/d)" "2:4" "fresh/x/y and fresh/d"
	[ -d fresh/s ] && [ ! -L fresh/s ] || t_fail "fresh/s is not a directory"
	printf 'file x data=1\ndir d\nfile d/f data=3\nsymlink s x\n' | mktar lower.tar
	printf 'dir x\nfile x/y data=2\nfile d data=4\ndir s\n' | mktar upper.tar
	"$UF/apply" -q lower.tar tree && t_status 0 "$UF/apply" upper.tar tree
	t_eq "$(cat tree/x/y):$(cat tree/d)" "2:4" "tree/x/y and tree/d"
	[ -d tree/s ] && [ ! -L tree/s ] || t_fail "tree/s is not a directory"
}
t "entries that change a path's type (file <-> dir, symlink -> dir) replace it" type_changes

target_is_a_file() {
	uf_need
	base_spec | mktar base.tar
	echo x >afile
	t_status 1 "$UF/apply" base.tar afile
	t_match "$T_OUT" "target 'afile': Not a directory"
	t_eq "$(cat afile)" x
}
t "a target that is a file is refused" target_is_a_file

t_end
