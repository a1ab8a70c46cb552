#!/bin/sh
# tests/integration/unionfs/hostile.t - hostile layer tars are refused, nothing is written
# outside the target, and the target is left as it was.
#
# Each case builds a tar with tests/unionfs/tartool (entries written exactly as given),
# applies it next to a canary directory, and checks: unionfs/apply exits non-zero with one
# line naming the entry, the canary is byte-for-byte unchanged, and the target is as before
# (absent for a fresh target; the same manifest for an existing one).
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

t_end
