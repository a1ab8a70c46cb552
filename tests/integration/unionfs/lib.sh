# tests/integration/unionfs/lib.sh - shared by the unionfs suites (sourced after t.sh).
#
# UF is the unionfs/ directory, TT the test helper (tests/unionfs/tartool: builds tars entry
# by entry, prints tree manifests, gets/sets xattrs - the VM has no python, getfattr or
# setfattr). Overlay mounts are made with `unionfs/mount ... -- CMD`, which mounts inside a
# private mount namespace that dies with CMD: nothing can leak to the host, and
# uf_no_overlay_left checks that nothing did.
UF=$MR_TOP/unionfs
TT=$MR_TOP/tests/unionfs/tartool

# uf_need - skip unless root and the programs are built
uf_need() {
	t_need_root
	[ -x "$UF/apply" ] && [ -x "$TT" ] || t_fail "unionfs not built: run 'make unionfs'"
}

# uf_need_overlay - skip unless the kernel has overlayfs
uf_need_overlay() {
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
	grep -qw overlay /proc/filesystems || t_skip "kernel has no overlayfs (modprobe overlay failed)"
}

# uf_no_overlay_left - fail if an overlay mount under this suite's temp dir is still there
uf_no_overlay_left() {
	! grep -q " ${T_TMP%/}/" /proc/self/mountinfo || t_fail "a mount under $T_TMP was left behind"
}

mktar() { "$TT" mktar "$@"; }
manifest() { "$TT" manifest "$@"; }

# uf_xattr_ns - "user" if this filesystem takes user.* xattrs, else "trusted" (tmpfs before
# Linux 6.6, the VM's root, has only trusted.* and security.*)
uf_xattr_ns() {
	: >.xattr-probe
	if "$TT" setxattr .xattr-probe user.probe 1 2>/dev/null; then echo user; else echo trusted; fi
	rm -f .xattr-probe
}
