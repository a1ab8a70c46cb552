#!/bin/sh
# tests/integration/minirun/security.t - safe by construction: each guard of the runtime,
# attacked the way a hostile image or config would.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/minirun/lib.sh"

# own_rootfs: a writable private rootfs for this test, in $ROOTFS
own_rootfs() {
	ROOTFS=$T_DIR/rootfs
	cp -a "$MR_TOP/build/rootfs/busybox" "$ROOTFS" || t_fail "copy the rootfs"
}

# not_the_host_binary PID BIN: PID's exe is another file than BIN, it can't be written
# through /proc/PID/exe, and BIN is unchanged
not_the_host_binary() {
	sum=$(md5sum <"$2")
	t_ne "$(stat -L -c %d:%i /proc/"$1"/exe)" "$(stat -L -c %d:%i "$2")" \
		"/proc/PID/exe of the waiting init (device:inode)"
	if (printf 'trojan' >>/proc/"$1"/exe) 2>/dev/null; then
		t_fail "the init's /proc/PID/exe could be written"
	fi
	t_eq "$(md5sum <"$2")" "$sum" "the host binary"
}

init_runs_from_a_read_only_overlay() {
	mr_need
	id=$(mr_id exe)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	mr create --bundle b --pid-file pid "$id" || t_fail "create"
	pid=$(cat pid)
	# 794c7630: OVERLAYFS_SUPER_MAGIC (statfs(2)); busybox's stat names no such type
	t_eq "$(stat -f -L -c %t /proc/"$pid"/exe)" "794c7630" "the filesystem of /proc/PID/exe"
	not_the_host_binary "$pid" "$MR"
}

init_runs_from_a_sealed_memfd_without_overlay() {
	mr_need
	id=$(mr_id memfd)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	# MINIRUN_SEAL=memfd: the way taken where overlayfs can't be mounted
	MINIRUN_SEAL=memfd mr create --bundle b --pid-file pid "$id" || t_fail "create"
	pid=$(cat pid)
	t_match "$(readlink /proc/"$pid"/exe)" "^/memfd:minirun" "/proc/PID/exe of the waiting init"
	not_the_host_binary "$pid" "$MR"
}

# An exe on a read-only overlay that is attached somewhere is not the sealed copy (anyone
# who can reach its mount point could unmount it and put something else there): only a
# detached one is (clone_exe.c: statmount(2) says so, or /proc/self/mountinfo where that
# call is refused). Started from such a mount, create re-executes from an overlay of its own.
attached_overlay_is_not_the_seal() {
	mr_need
	t_need strace
	id=$(mr_id attov)
	# lazily: a process that still runs from the mount (a create that took it for the seal,
	# the failure this test looks for) keeps it busy a moment after its delete
	t_defer "umount -l $T_DIR/ovl 2>/dev/null"
	t_defer "mr_cleanup $id"
	mkdir ovl
	mount -t overlay -o ro,lowerdir="$(dirname "$MR")":/dev overlay ovl || t_skip "no overlayfs"
	mr_bundle b '["sleep", "100"]'
	# -v: the early re-exec (early_seal.c) leaves it to clone_exe.c, whose check this is
	strace -o tr -e trace=execveat ovl/minirun-oci -v --root "$MR_STATE" create --bundle b \
		--pid-file pid "$id" 2>/dev/null || t_fail "create from the mount"
	t_eq "$(grep -c 'execveat(' tr)" 1 "re-executions"
	t_eq "$(stat -f -L -c %t /proc/"$(cat pid)"/exe)" "794c7630" "the init's exe's filesystem"
	t_ne "$(stat -L -c %d /proc/"$(cat pid)"/exe)" "$(stat -c %d ovl/minirun-oci)" \
		"the init's exe is on another overlay than the attached one"
}

# first_exec TRACE - which of glibc's start (arch_prctl) and a re-exec (execveat) came
# first in TRACE (strace of one process, both traced), or "none"
first_exec() { grep -m1 -oE '^(execveat|arch_prctl)' "$1" || echo none; }

re_exec_comes_before_libc() {
	mr_need
	t_need strace
	[ "$(uname -m)" = x86_64 ] || t_skip "early_seal.c's entry point is x86-64's alone"
	id=$(mr_id early)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	# the entry point of the static x86-64 build (early_seal.c) re-executes create, run and
	# exec from the overlay before glibc's start; its first syscall is then an execveat
	strace -o create.tr -e trace=execveat,arch_prctl "$MR" --root "$MR_STATE" create \
		--bundle b --pid-file pid "$id" || t_fail "create under strace"
	t_eq "$(first_exec create.tr)" execveat "create: before glibc's start"
	t_eq "$(stat -f -L -c %t /proc/"$(cat pid)"/exe)" "794c7630" "the init's exe: the overlay"
	not_the_host_binary "$(cat pid)" "$MR"
	# -v wants the re-exec narrated: clone_exe.c makes it, after glibc's start
	strace -o exec.tr -e trace=execveat,arch_prctl "$MR" -v --root "$MR_STATE" exec "$id" \
		true 2>/dev/null || t_fail "exec -v under strace"
	t_eq "$(first_exec exec.tr)" arch_prctl "exec -v: glibc first"
	t_eq "$(grep -c '^execveat' exec.tr)" 1 "exec -v: re-executions (clone_exe.c's)"
	# a verb that does nothing for a container is not re-executed at all
	strace -o state.tr -e trace=execveat,arch_prctl "$MR" --root "$MR_STATE" state "$id" \
		>/dev/null || t_fail "state under strace"
	t_eq "$(grep -c '^execveat' state.tr)" 0 "state: re-executions"
}

fds_are_closed_before_exec() {
	mr_need
	id=$(mr_id fds)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sh", "-c", "ls /proc/self/fd | tr \"\\n\" \" \""]'
	out=$(mr run --bundle b "$id" 5</etc/hostname 7</etc/hostname)
	t_eq "$out" "0 1 2 3 " "fds in the container (3 is ls's own)"
	out=$(mr run --preserve-fds 1 --bundle b "$id" 3</etc/hostname 7</etc/hostname)
	t_eq "$out" "0 1 2 3 4 " "with --preserve-fds 1"
}

cwd_through_a_magic_link_is_refused() {
	mr_need
	id=$(mr_id cwd)
	t_defer "mr_cleanup $id"
	CWD=/proc/self/fd/5 mr_bundle b '["pwd"]'
	t_status 1 mr create --bundle b "$id" 5<"$T_TMP"
	t_match "$T_OUT" "process.cwd '/proc/self/fd/5' goes through a magic link"
	mr_leaks "$id"
}

mount_through_a_symlink_stays_in_the_rootfs() {
	mr_need
	own_rootfs
	mkdir "$T_DIR/outside"
	ln -s "$T_DIR/outside" "$ROOTFS/mnt/escape"
	id=$(mr_id symlink)
	t_defer "mr_cleanup $id"
	ROOT_RO=false MOUNTS_EXTRA=',{"destination": "/mnt/escape/deeper", "type": "tmpfs", "source": "tmpfs"}' \
		mr_bundle b '["sh", "-c", "touch /mnt/escape/deeper/x && grep -c \" [^ ]*outside/deeper tmpfs\" /proc/self/mounts"]'
	out=$(mr run --bundle b "$id" 2>&1) || t_fail "run: $out"
	t_eq "$out" 1 "the tmpfs is mounted inside"
	[ ! -e "$T_DIR/outside/deeper" ] || t_fail "the mount followed the symlink out of the rootfs"
	[ -d "$ROOTFS/$T_DIR/outside/deeper" ] || t_fail "the destination was not made inside the rootfs"
}

proc_symlink_is_refused() {
	mr_need
	own_rootfs
	rmdir "$ROOTFS/proc" && ln -s /tmp "$ROOTFS/proc"
	id=$(mr_id procsym)
	t_defer "mr_cleanup $id"
	mr_bundle b
	t_status 1 mr create --bundle b "$id"
	t_match "$T_OUT" "mount destination '/proc' is a symlink; refusing"
	mr_leaks "$id"
}

mounts_over_proc_are_refused() {
	mr_need
	id=$(mr_id overproc)
	t_defer "mr_cleanup $id"
	# runc's rule: over /proc only a proc (a bind of the host's /proc shows the host's
	# processes and their /proc/PID/root), inside /proc only what lxcfs emulates. The output
	# goes to a file: a create that wrongly succeeds leaves an init holding it, not a pipe.
	MOUNTS_EXTRA=',{"destination": "/proc", "type": "bind", "source": "/proc", "options": ["rbind"]}' \
		mr_bundle b
	mr create --bundle b "$id" >"$T_DIR/out" 2>&1 && t_fail "created with the host's /proc bound"
	t_match "$(cat "$T_DIR/out")" "mounts\[[0-9]+\]: mount destination '/proc': cannot be mounted because it is not of type proc$"
	mr_leaks "$id"
	MOUNTS_EXTRA=',{"destination": "/proc/sys", "type": "tmpfs", "source": "tmpfs"}' mr_bundle c
	mr create --bundle c "$id" >"$T_DIR/out" 2>&1 && t_fail "created with a tmpfs on /proc/sys"
	t_match "$(cat "$T_DIR/out")" "mount destination '/proc/sys': cannot be mounted because it is inside /proc$"
	mr_leaks "$id"
	MOUNTS_EXTRA=',{"destination": "/proc/uptime", "type": "bind", "source": "/proc/uptime", "options": ["bind"]}' \
		mr_bundle d '["cat", "/proc/uptime"]'
	out=$(mr run --bundle d "$id" 2>&1) || t_fail "a bind on /proc/uptime (lxcfs's kind): $out"
}

dev_null_symlink_does_not_redirect_masking() {
	mr_need
	own_rootfs
	echo SECRET >"$ROOTFS/etc/secret"
	echo visible >"$ROOTFS/etc/masked"
	ln -s /etc/secret "$ROOTFS/dev/null"
	id=$(mr_id devnull)
	t_defer "mr_cleanup $id"
	LINUX_EXTRA=',"maskedPaths": ["/etc/masked"]' mr_bundle b '["sh", "-c", "echo [$(cat /etc/masked)]"]'
	# no /dev tmpfs: the image's own /dev (with the symlink) is what the container sees
	grep -v '"/dev"\|"mode=755", "size=65536k"\]}' b/config.json | sed 's/"maskedPaths": \["\/proc\/kcore"[^]]*\],//' >b/c && mv b/c b/config.json
	out=$(mr run --bundle b "$id" 2>&1) || t_fail "run: $out"
	t_eq "$out" "[]" "the masked file reads empty, not the symlink's target"
}

mounts_do_not_reach_a_shared_host() {
	mr_need
	t_need unshare
	id=$(mr_id shared)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sleep", "100"]'
	# a mount namespace of our own whose / is shared, as on a systemd host
	out=$(unshare -m --propagation shared sh -c "
		. '$MR_TOP/tests/lib/t.sh' >/dev/null 2>&1
		'$MR' --root '$MR_STATE' create --bundle b '$id' || exit 9
		grep -c '$ROOTFS' /proc/self/mountinfo
		'$MR' --root '$MR_STATE' delete --force '$id'")
	t_eq "$out" 0 "container mounts seen in the shared parent namespace"
}

old_root_is_detached() {
	mr_need
	id=$(mr_id oldroot)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sh", "-c", "awk \"\\$5 == \\\"/\\\"\" /proc/self/mountinfo | wc -l; ls /proc/1/root/ | grep -c work"]'
	out=$(mr run --bundle b "$id" 2>&1)
	t_eq "$(echo "$out" | sed -n 1p)" 1 "mounts on / inside (the old root is gone)"
	t_eq "$(echo "$out" | sed -n 2p)" 0 "the host's /work seen from inside"
}

t "the waiting init runs from a private read-only overlay; the host binary can't be written through it" init_runs_from_a_read_only_overlay
t "without that overlay, from a sealed memfd copy; the host binary can't be written through it" init_runs_from_a_sealed_memfd_without_overlay
t "an exe on an attached read-only overlay is not the seal: create re-executes" attached_overlay_is_not_the_seal
t "create, run and exec re-execute from the overlay before glibc starts; -v leaves it to clone_exe.c" \
	re_exec_comes_before_libc
t "every fd but stdio (and --preserve-fds) is closed before exec" fds_are_closed_before_exec
t "cwd = /proc/self/fd/N is refused" cwd_through_a_magic_link_is_refused
t "a mount destination through a symlink resolves inside the rootfs" mount_through_a_symlink_stays_in_the_rootfs
t "a /proc that is a symlink is refused" proc_symlink_is_refused
t "a mount over /proc that is not a proc, or inside /proc, is refused (runc's rule); lxcfs's files may be bound" \
	mounts_over_proc_are_refused
t "a /dev/null symlink in the image can't redirect masking" dev_null_symlink_does_not_redirect_masking
t "mounts are private before pivot_root: nothing reaches a shared parent" mounts_do_not_reach_a_shared_host
t "the old root is detached after pivot_root" old_root_is_detached
t_end
