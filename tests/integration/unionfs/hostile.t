#!/bin/sh
# tests/integration/unionfs/hostile.t - hostile layer tars are refused, nothing is written
# outside the target, and the target is left as it was.
#
# Each case builds a tar with tests/unionfs/tartool (entries written exactly as given),
# applies it next to a canary directory, and checks: unionfs/apply exits non-zero with one
# line naming the entry, the canary is byte-for-byte unchanged, and the target is as before
# (absent for a fresh target; the same manifest for an existing one).
#
# And the other way: unionfs/diff of an upper dir that a hostile process changes meanwhile
# (a container committed with --pause=false) never walks out of it.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/unionfs/lib.sh"

# setup: a canary beside the target, and an existing target with some content
setup() {
	uf_need
	mkdir -p canary/sub existing/etc
	echo secret >canary/file
	echo keep >canary/sub/f
	echo old >existing/etc/passwd
	ln -s ../canary existing/up # a symlink already in the tree, pointing out
	manifest canary >canary.before
	manifest existing >existing.before
}

# refused SPEC-FILE WHAT-THE-MESSAGE-SAYS - apply the tar to a fresh and to an existing
# target, in plain and overlay mode; each must fail and change nothing
refused() {
	mktar hostile.tar <"$1" || t_fail "mktar failed"
	# plain and overlay mode, resolving with openat2 and with the by-hand walk
	for mode in "" -o "-o UNIONFS_NO_OPENAT2=1" "UNIONFS_NO_OPENAT2=1"; do
		rm -rf fresh
		t_status 1 env ${mode#-o} "$UF/apply" ${mode%%UNIONFS*} hostile.tar fresh
		t_match "$T_OUT" "$2" "apply $mode message"
		[ "$(echo "$T_OUT" | wc -l)" = 1 ] || t_fail "more than one line: $T_OUT"
		[ ! -e fresh ] || t_fail "apply $mode left a target behind"
		ls -a | grep -q unionfs-tmp && t_fail "apply $mode left its temporary directory"
	done
	t_status 1 "$UF/apply" hostile.tar existing
	t_match "$T_OUT" "$2" "apply onto an existing tree"
	manifest existing >existing.after
	cmp -s existing.before existing.after || t_fail "existing target changed: $(diff existing.before existing.after)"
	manifest canary >canary.after
	cmp -s canary.before canary.after || t_fail "canary changed: $(diff canary.before canary.after)"
	[ ! -e canary/pwned ] && [ ! -e pwned ] || t_fail "a file was written outside the target"
}

dotdot() {
	setup
	printf 'file ok data=fine\nfile ../pwned data=x\n' >spec
	refused spec "entry '../pwned': refused: path climbs out with '..'"
}
t "an entry '../pwned' is refused" dotdot

dotdot_inner() {
	setup
	printf 'dir a\nfile a/../../canary/file data=x\n' >spec
	refused spec "climbs out with '..'"
}
t "an entry 'a/../../canary/file' is refused" dotdot_inner

absolute() {
	setup
	printf 'file %s/canary/file data=x\n' "$T_DIR" >spec
	refused spec "refused: absolute path"
}
t "an absolute path is refused" absolute

symlink_then_file() {
	setup
	printf 'symlink evil %s/canary\nfile evil/pwned data=x\n' "$T_DIR" >spec
	refused spec "'evil' is a symlink or not a directory: refusing to write through it"
}
t "a symlink to outside followed by a file through it is refused" symlink_then_file

relative_symlink_then_file() {
	setup
	printf 'symlink evil ../canary\nfile evil/file data=x\n' >spec
	refused spec "refusing to write through it"
}
t "a relative symlink '../canary' followed by a file through it is refused" relative_symlink_then_file

existing_symlink() {
	setup
	printf 'file up/pwned data=x\n' >spec
	mktar hostile.tar <spec
	t_status 1 "$UF/apply" hostile.tar existing
	t_match "$T_OUT" "'up' is a symlink"
	manifest canary >canary.after
	cmp -s canary.before canary.after || t_fail "canary changed"
}
t "a symlink already in the target is not followed either" existing_symlink

dir_replaced_by_symlink() {
	setup
	printf 'dir d\nfile d/ok data=1\nsymlink d %s/canary\nfile d/pwned data=x\n' "$T_DIR" >spec
	refused spec "'d' is a symlink or not a directory"
}
t "a symlink replacing a parent directory between entries is refused" dir_replaced_by_symlink

hardlink_outside() {
	setup
	printf 'hardlink h ../canary/file\n' >spec
	refused spec "hard link target"
}
t "a hard link to '../canary/file' is refused" hardlink_outside

hardlink_absolute() {
	setup
	printf 'hardlink h %s/canary/file\n' "$T_DIR" >spec
	refused spec "hard link target .*absolute path"
}
t "a hard link to an absolute path is refused" hardlink_absolute

hardlink_through_symlink() {
	setup
	printf 'symlink s %s/canary\nhardlink h s/file\n' "$T_DIR" >spec
	refused spec "hard link target 's/file' goes through a symlink"
}
t "a hard link through a symlink to outside is refused" hardlink_through_symlink

whiteout_through_symlink() {
	setup
	printf 'symlink s ../canary\nfile s/.wh.file\n' >spec
	refused spec "'s' is a symlink"
}
t "a whiteout through a symlink ('s/.wh.file') is refused" whiteout_through_symlink

opaque_through_symlink() {
	setup
	printf 'symlink s ../canary\nfile s/.wh..wh..opq\n' >spec
	refused spec "'s' is a symlink"
}
t "an opaque marker through a symlink is refused" opaque_through_symlink

whiteout_dotdot() {
	setup
	printf 'file .wh...\n' >spec
	refused spec "a whiteout that names nothing removable"
}
t "a whiteout '.wh..' (removing the parent) is refused" whiteout_dotdot

file_over_symlink() {
	setup
	# not refused: a file entry replaces a symlink in its place, it never writes through it
	printf 'symlink link %s/canary/file\nfile link data=replaced\n' "$T_DIR" >spec
	mktar t.tar <spec
	t_status 0 "$UF/apply" t.tar out
	[ -f out/link ] && [ ! -L out/link ] || t_fail "out/link is not a plain file"
	t_eq "$(cat out/link)" replaced
	t_eq "$(cat canary/file)" secret "canary/file"
}
t "a file entry replaces a symlink to outside instead of writing through it" file_over_symlink

hardlink_to_symlink() {
	setup
	printf 'symlink s %s/canary/file\nhardlink h s\nfile h data=x\n' "$T_DIR" >spec
	mktar t.tar <spec
	t_status 0 "$UF/apply" t.tar out
	t_eq "$(cat canary/file)" secret "canary/file"
	[ -L out/s ] || t_fail "out/s is no longer the symlink"
}
t "a hard link to a symlink links the symlink, and a later file replaces it" hardlink_to_symlink

overlay_xattr_smuggled() {
	setup
	xa=$(uf_xattr_ns)
	printf 'dir d xattr=trusted.overlay.opaque=y xattr=%s.ok=1\n' "$xa" >spec
	mktar t.tar <spec
	t_status 0 "$UF/apply" -o t.tar out
	"$TT" getxattr out/d trusted.overlay.opaque && t_fail "trusted.overlay.opaque came from the tar"
	t_eq "$("$TT" getxattr out/d "$xa.ok")" 1 "$xa.ok xattr (the others still apply)"
}
t "trusted.overlay.* xattrs in a tar are not applied (no fake opaque dirs)" overlay_xattr_smuggled

diff_walk_swapped() {
	uf_need
	SW=$MR_TOP/tests/containers/swapper
	[ -x "$SW" ] || t_fail "$SW is not built (make tests/containers/swapper)"
	mkdir -p canary/dir upper/zz/dir
	echo hostonly-canary >canary/secret && echo hostonly-content >canary/dir/f
	chmod 700 canary canary/dir && chmod 600 canary/secret canary/dir/f
	# 300 files before zz: diff stats zz, writes them, then opens zz; meanwhile zz and a
	# link to the canary trade places (renameat2 RENAME_EXCHANGE in a loop). zz mirrors the
	# canary (names and sizes), so a walk by path through the link goes on without an error
	i=0; while [ $i -lt 300 ]; do echo a >upper/a$i; i=$((i + 1)); done
	echo inside-canary-- >upper/zz/secret && echo inside-content-- >upper/zz/dir/f
	ln -s "$T_DIR/canary" upper/link
	"$SW" upper/zz upper/link &
	sw=$!
	t_defer "kill $sw; wait $sw 2>/dev/null; true"
	i=0 ok=0
	while [ $i -lt 40 ]; do
		"$UF/diff" upper out.tar >/dev/null 2>&1 && ok=$((ok + 1))
		[ -f out.tar ] && grep -q hostonly-c out.tar && t_fail "the layer holds a host file (run $i)"
		rm -f out.tar
		i=$((i + 1))
	done
	echo "$ok of 40 diffs went through"
	[ $ok -gt 0 ] || t_fail "no diff went through: the race was never run"
	ls -a | grep -q unionfs-tmp && t_fail "diff left its temporary file"
	t_eq "$(stat -c %a canary canary/dir canary/secret canary/dir/f | tr '\n' ' ')" "700 700 600 600 " \
		"the canary's modes"
}
t "diff walks the upper dir by fd: a directory swapped for a symlink to a host dir is not followed" diff_walk_swapped

t_end
