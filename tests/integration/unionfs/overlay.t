#!/bin/sh
# tests/integration/unionfs/overlay.t - unionfs/mount: what an overlay stack does with
# writes, deletes and directories made again, read-only stacks, long lower lists, and the
# workdir and filesystem rules refused up front.
#
# Run: sh tests/integration/unionfs/overlay.t (as root; `make unionfs` first). Also runs
# under busybox sh. Every mount is made by `unionfs/mount ... TARGET -- CMD`, in a private
# mount namespace that ends with CMD, and each test checks that no mount is left.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/unionfs/lib.sh"

# two lower layers: l1 (bottom) and l2 (top), and an empty upper/work/merged
stack() {
	uf_need
	uf_need_overlay
	mkdir -p l1/etc l1/var/cache/apt l2/etc upper work merged
	echo base >l1/etc/motd
	echo one >l1/etc/hosts
	echo pkg >l1/var/cache/apt/pkg1
	echo pkg >l1/var/cache/apt/pkg2
	echo top >l2/etc/hosts
	t_defer uf_no_overlay_left
}

in_stack() { "$UF/mount" -l l2 -l l1 -u upper -w work merged -- sh -c "$1"; }

write_lands_in_upper() {
	stack
	in_stack 'echo hi >merged/new; echo more >>merged/etc/motd' || t_fail "writes failed"
	t_eq "$(cat upper/new)" hi "upper/new"
	t_eq "$(cat upper/etc/motd)" "base
more" "upper/etc/motd (copied up, then appended)"
	t_eq "$(cat l1/etc/motd)" base "l1/etc/motd (the lower is never written)"
	[ ! -e l1/new ] && [ ! -e l2/new ] || t_fail "a new file appeared in a lower layer"
}
t "a write lands in the upper layer; a changed lower file is copied up, the lower stays" write_lands_in_upper

top_lower_wins() {
	stack
	t_eq "$(in_stack 'cat merged/etc/hosts')" top "etc/hosts seen through the stack"
	t_eq "$("$UF/mount" -l l1 -l l2 -u upper -w work merged -- cat merged/etc/hosts)" one \
		"etc/hosts with the order swapped"
}
t "the first lower given is the top: it hides the same path below it" top_lower_wins

delete_makes_whiteout() {
	stack
	in_stack 'rm merged/etc/motd merged/etc/hosts; ls merged/etc' >ls.out || t_fail "rm failed"
	t_eq "$(cat ls.out)" "" "merged/etc after the deletes"
	m=$(manifest -a upper)
	t_match "$m" "^/etc/motd c 0000 0:0 0,0" "whiteout for etc/motd"
	t_match "$m" "^/etc/hosts c 0000 0:0 0,0" "whiteout for etc/hosts (in both lowers)"
	[ -f l1/etc/motd ] || t_fail "the lower file was removed"
}
t "deleting a lower file leaves a whiteout (c 0 0) in the upper and hides it" delete_makes_whiteout

remade_dir_is_opaque() {
	stack
	in_stack 'rm -rf merged/var/cache/apt && mkdir merged/var/cache/apt && echo fresh >merged/var/cache/apt/new && ls merged/var/cache/apt' >ls.out ||
		t_fail "rm -rf / mkdir failed"
	t_eq "$(cat ls.out)" new "the remade directory shows only its new file"
	t_eq "$("$TT" getxattr upper/var/cache/apt trusted.overlay.opaque)" y "trusted.overlay.opaque"
	t_eq "$(in_stack 'ls merged/var/cache/apt')" new "seen again through a new mount"
}
t "a directory deleted and made again is opaque: the lowers' contents stay hidden" remade_dir_is_opaque

read_only_stack() {
	stack
	t_status 0 "$UF/mount" -l l2 -l l1 merged -- sh -c 'cat merged/etc/hosts; touch merged/x 2>&1; true'
	t_match "$T_OUT" "Read-only file system"
	t_match "$T_OUT" "^top$"
	t_status 0 "$UF/mount" -v -l l1 merged -- sh -c 'cat merged/etc/motd; touch merged/x 2>&1; true'
	t_match "$T_OUT" "read-only bind mount"
	t_match "$T_OUT" "Read-only file system"
	t_status 0 "$UF/mount" -r -l l1 -u upper -w work merged -- sh -c 'touch merged/x 2>&1; true'
	t_match "$T_OUT" "Read-only file system"
	[ ! -e l1/x ] && [ ! -e upper/x ] || t_fail "a read-only stack was written"
}
t "a stack without an upper (or with -r) is read-only" read_only_stack

# long_stack N - N lowers whose paths are 200+ characters: N * 200 > one page
long_stack() {
	stack
	long=$T_DIR/$(printf '%0180d' 0)
	i=1
	lowers=""
	while [ $i -le 60 ]; do
		mkdir -p "$long/layer$i"
		echo $i >"$long/layer$i/f$i"
		lowers="-l $long/layer$i $lowers" # the last made is the top
		i=$((i + 1))
	done
}

long_lowerdir_list() {
	long_stack
	kernel_has_plus=1
	for m in lowerdir+ short; do
		out=$("$UF/mount" -v -m $m $lowers -u upper -w work merged -- sh -c 'ls merged | wc -l' 2>&1)
		rc=$?
		if [ $m = lowerdir+ ] && [ $rc != 0 ] && echo "$out" | grep -q 'no "lowerdir+"'; then
			kernel_has_plus=0 # Linux < 6.8: the next method must do it
			continue
		fi
		[ $rc = 0 ] || t_fail "-m $m: $out"
		t_match "$out" "^60$" "files seen with -m $m"
	done
	# without -m the best method is chosen by itself
	out=$("$UF/mount" $lowers -u upper -w work merged -- sh -c 'cat merged/f1 merged/f60')
	t_eq "$(echo $out)" "1 60"
	t_status 1 "$UF/mount" -m mount $lowers -u upper -w work merged -- true
	t_match "$T_OUT" "does not fit in mount\(2\)'s one page"
	ls /tmp | grep -q unionfs-lowers && t_fail "the short-names directory was left in /tmp"
	[ $kernel_has_plus = 1 ] || echo "note: kernel without lowerdir+, short names used"
	true
}
t "60 lowers with 200-character paths (> one page) mount: lowerdir+ where the kernel has it, short names always" long_lowerdir_list

long_upper_path() {
	stack
	deep=$T_DIR/$(printf '%0200d' 0)/$(printf '%0100d' 1)
	mkdir -p "$deep/upper" "$deep/work"
	t_status 0 "$UF/mount" -l l2 -l l1 -u "$deep/upper" -w "$deep/work" merged -- sh -c 'echo x >merged/new'
	t_eq "$(cat "$deep/upper/new")" x "the write in the 300-character upper"
}
t "an upper and work with 300-character paths (over fsconfig's 256-byte values) mount" long_upper_path

short_list_plain_mount() {
	stack
	t_status 0 "$UF/mount" -v -m mount -l l2 -l l1 -u upper -w work merged -- cat merged/etc/hosts
	t_match "$T_OUT" 'mount\("overlay", merged, "lowerdir=l2:l1,upperdir=upper,workdir=work"\)'
	t_match "$T_OUT" "^top$"
}
t "a short list goes through mount(2) as one lowerdir= string" short_list_plain_mount

refused_up_front() {
	stack
	mkdir upper/w
	for case in \
		"-l l2 -l nosuch -u upper -w work|lowerdir 'nosuch': No such file or directory" \
		"-l l1 -u upper|upperdir given without workdir" \
		"-l l1 -u upper -w upper/w|workdir 'upper/w' and upperdir 'upper' must be separate" \
		"-l l1 -u /proc/sys -w work|upperdir '/proc/sys' is on proc, which overlay can't use" \
		"-l l1 -u l1/etc/motd -w work|upperdir 'l1/etc/motd': Not a directory"; do
		args=${case%%|*} want=${case#*|}
		# shellcheck disable=SC2086
		t_status 1 "$UF/mount" $args merged -- true
		t_match "$T_OUT" "^mount: overlay 'merged': $want"
		[ "$(echo "$T_OUT" | wc -l)" = 1 ] || t_fail "more than one line: $T_OUT"
	done
}
t "a missing lower, a lone upper, workdir inside upper, upper on /proc: one line each" refused_up_front

# the kernel's own line for a refused option: read from the fs context's log, which the
# probe for overlay's own parser (native_fs_context) also writes to; its line must not be
# the one reported (where the kernel has no native parser, mount(2) has no log to read)
kernel_line_reported() {
	stack
	t_status 1 "$UF/mount" -l l2 -l l1 -u upper -w work -o bogus=1 merged -- true
	[ "$(echo "$T_OUT" | wc -l)" = 1 ] || t_fail "more than one line: $T_OUT"
	t_match "$T_OUT" "^mount: overlay 'merged': "
	case $T_OUT in *unionfs-probe*) t_fail "the probe's line was reported: $T_OUT" ;; esac
	case $T_OUT in
	*"(kernel: "*) t_match "$T_OUT" "option 'bogus' \\(kernel: overlay: Unknown parameter 'bogus'\\)" ;;
	*) echo "note: no kernel log line (overlay without fsconfig parameters: mount(2))" ;;
	esac
}
t "an option the kernel refuses: one line; where the kernel logs why, its words, not the probe's" kernel_line_reported

upper_on_overlay() {
	stack
	t_status 0 "$UF/mount" -l l2 -l l1 -u upper -w work merged -- sh -c \
		"mkdir -p merged/u merged/w m2 && '$UF/mount' -l l1 -u merged/u -w merged/w m2 -- true; echo rc=\$?"
	t_match "$T_OUT" "upperdir 'merged/u' is on overlay, which overlay can't use as an upper layer"
	t_match "$T_OUT" "rc=1"
}
t "an upper on an overlay filesystem is refused with the reason" upper_on_overlay

mount_and_umount() {
	stack
	t_need unshare
	out=$(unshare -m sh -c "mount --make-rprivate / 2>/dev/null
		'$UF/mount' -q -l l2 -l l1 -u upper -w work merged || exit 1
		grep -c \" \$(pwd)/merged \" /proc/self/mountinfo
		'$UF/mount' -U merged || exit 1
		grep -c \" \$(pwd)/merged \" /proc/self/mountinfo; true") || t_fail "mount/umount failed: $out"
	t_eq "$(echo $out)" "1 0" "overlay mounts in the namespace before and after -U"
}
t "mount without a command stays mounted until mount -U" mount_and_umount

copyup_demo() {
	stack
	t_status 0 "$UF/copyup" -s 8 cu
	t_match "$T_OUT" "1st append of 1 byte: .* ms   \(copy-up: upper/big is now 8.0 MiB\)"
	t_match "$T_OUT" "lower/big is unchanged: 8.0 MiB"
	[ ! -e cu ] || t_fail "copyup left its scratch directory"
}
t "copyup: appending one byte to an 8 MiB lower file copies all of it up" copyup_demo

t_end
