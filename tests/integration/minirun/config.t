#!/bin/sh
# tests/integration/minirun/config.t - config.json fields, each seen from inside the
# container: hostname, env, cwd, user, umask, capabilities, rlimits, noNewPrivileges,
# oomScoreAdj, sysctl, mounts, masked and read-only paths, devices, hooks, seccomp, user
# namespace mappings, cgroup resources.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/minirun/lib.sh"

# run_in ARGS-JSON: run a container with the current variables; its output in $OUT
run_in() {
	id=$(mr_id "$1")
	t_defer "mr_cleanup $id"
	mr_bundle b "$2"
	OUT=$(mr run --bundle b "$id" 2>&1)
	RC=$?
}

hostname_env_cwd() {
	mr_need
	CWD=/etc TOP_EXTRA=',"domainname": "example.org"' \
		run_in hec '["sh", "-c", "echo $(hostname) $(cat /proc/sys/kernel/domainname) $(pwd) $TERM"]'
	t_eq "$RC" 0 "exit"
	t_eq "$OUT" "minirun example.org /etc xterm"
}

user_groups_umask() {
	mr_need
	USER_JSON='{"uid": 1000, "gid": 100, "additionalGids": [5, 7], "umask": 63}' \
		run_in user '["sh", "-c", "id -u; id -g; id -G; umask"]'
	t_eq "$RC" 0 "exit: $OUT"
	t_eq "$(echo "$OUT" | sed -n 1p)" 1000 uid
	t_eq "$(echo "$OUT" | sed -n 2p)" 100 gid
	t_match "$(echo "$OUT" | sed -n 3p)" "^100 5 7\$" groups
	t_eq "$(echo "$OUT" | sed -n 4p)" 0077 umask
}

capabilities_as_configured() {
	mr_need
	run_in caps '["sh", "-c", "grep -E \"^Cap(Inh|Prm|Eff|Bnd|Amb)\" /proc/self/status"]'
	t_eq "$RC" 0 "exit: $OUT"
	# CAP_KILL(5) CAP_NET_BIND_SERVICE(10) CAP_AUDIT_WRITE(29): 0x20000420
	t_match "$OUT" "CapEff:	0000000020000420"
	t_match "$OUT" "CapPrm:	0000000020000420"
	t_match "$OUT" "CapBnd:	0000000020000420"
	t_match "$OUT" "CapInh:	0000000000000000" "inheritable is never set unless configured"
	t_match "$OUT" "CapAmb:	0000000000000000"
}

no_new_privileges_flag() {
	mr_need
	run_in nnp '["sh", "-c", "grep NoNewPrivs /proc/self/status"]'
	t_match "$OUT" "NoNewPrivs:	1"
	NNP=false run_in nnp0 '["sh", "-c", "grep NoNewPrivs /proc/self/status"]'
	t_match "$OUT" "NoNewPrivs:	0"
}

rlimits_within_hard_limits() {
	mr_need
	hard=$(ulimit -Hn)
	RLIMITS_JSON="[{\"type\": \"RLIMIT_NOFILE\", \"hard\": $hard, \"soft\": 512}, {\"type\": \"RLIMIT_NPROC\", \"hard\": 1000, \"soft\": 900}]" \
		run_in rlim '["sh", "-c", "ulimit -n; ulimit -Hn; ulimit -u"]'
	t_eq "$RC" 0 "exit: $OUT"
	t_eq "$(echo "$OUT" | tr '\n' ' ')" "512 $hard 900 "
}

rlimit_unlimited_as_engines_write_it() {
	mr_need
	[ "$(ulimit -Hc)" = unlimited ] || t_skip "the hard core limit here is $(ulimit -Hc), not unlimited"
	# 2^64-1: the spec's RLIM_INFINITY, as runc's, podman's and containerd's configs say it
	RLIMITS_JSON='[{"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 18446744073709551615}]' \
		run_in rliminf '["sh", "-c", "ulimit -c; ulimit -Hc"]'
	t_eq "$RC" 0 "exit: $OUT"
	t_eq "$(echo "$OUT" | tr '\n' ' ')" "unlimited unlimited "
}

rlimit_above_hard_limit_names_it() {
	mr_need
	hard=$(ulimit -Hn)
	[ "$hard" != unlimited ] || t_skip "the hard nofile limit is unlimited here"
	capeff=$(sed -n 's/^CapEff:\t//p' /proc/self/status)
	drop="" # with CAP_SYS_RESOURCE (the VM) the runtime runs without it, as on the host
	if [ $((0x$capeff >> 24 & 1)) = 1 ]; then
		t_need setpriv
		drop="setpriv --bounding-set -sys_resource --"
	fi
	id=$(mr_id rlimbad)
	t_defer "mr_cleanup $id"
	RLIMITS_JSON="[{\"type\": \"RLIMIT_NOFILE\", \"hard\": $((hard + 1)), \"soft\": 1024}]" \
		mr_bundle b '["true"]'
	OUT=$($drop "$MR" --root "$MR_STATE" run --bundle b "$id" 2>&1)
	RC=$?
	t_ne "$RC" 0 "exit"
	t_match "$OUT" "RLIMIT_NOFILE hard $((hard + 1)) is above this host's hard limit $hard"
	mr_leaks "$id"
}

oom_score_adj() {
	mr_need
	PROC_EXTRA=',"oomScoreAdj": 123' run_in oom '["cat", "/proc/self/oom_score_adj"]'
	t_eq "$OUT" 123
}

sysctl_in_own_namespaces() {
	mr_need
	LINUX_EXTRA=',"sysctl": {"net.ipv4.ip_forward": "1", "kernel.shmmni": "1234"}' \
		run_in sysctl '["sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni"]'
	t_eq "$(echo "$OUT" | tr '\n' ' ')" "1 1234 " "sysctl values inside"
	t_ne "$(cat /proc/sys/kernel/shmmni)" 1234 "the host's kernel.shmmni"
	# the net.* one by the thread that made the network namespace, not again by the init
	id=$(mr_id sysctlv)
	t_defer "mr_cleanup $id"
	OUT=$("$MR" -v --root "$MR_STATE" run --bundle b "$id" 2>&1) || t_fail "run -v: $OUT"
	t_match "$OUT" "sysctl net.ipv4.ip_forward=1: written already, with the namespace"
	t_match "$OUT" "sysctl kernel.shmmni=1234\$"
	LINUX_EXTRA=',"sysctl": {"kernel.pid_max": "4000"}' run_in sysctlbad '["true"]'
	t_ne "$RC" 0 "a host-wide sysctl"
	t_match "$OUT" "kernel.pid_max' is not owned by a namespace"
}

mounts_bind_ro_tmpfs() {
	mr_need
	mkdir -p "$T_DIR/share" && echo shared >"$T_DIR/share/f"
	MOUNTS_EXTRA=",{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$T_DIR/share\", \"options\": [\"rbind\", \"ro\"]}, {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"size=1m\", \"noexec\"]}" \
		run_in mounts '["sh", "-c", "cat /mnt/f; touch /mnt/g 2>&1; grep \" /tmp \" /proc/mounts"]'
	t_match "$OUT" "^shared\$" "the bind mount's file"
	t_match "$OUT" "Read-only file system" "ro bind"
	t_match "$OUT" "^tmpfs /tmp tmpfs rw,.*noexec.*size=1024k" "tmpfs with options"
	[ ! -e "$T_DIR/share/g" ] || t_fail "a file was written through the ro bind"
}

masked_and_readonly_paths() {
	mr_need
	run_in mask '["sh", "-c", "wc -c </proc/keys; ls /sys/firmware | wc -l; echo 1 >/proc/sys/kernel/shmmni 2>&1; grep \" /proc/sys \" /proc/mounts"]'
	t_eq "$(echo "$OUT" | sed -n 1p)" 0 "/proc/keys is masked (empty)"
	t_eq "$(echo "$OUT" | sed -n 2p)" 0 "/sys/firmware is masked (empty directory)"
	t_match "$OUT" "Read-only file system" "/proc/sys is read-only"
	t_match "$OUT" "/proc/sys proc ro," "/proc/sys is mounted ro"
}

# The read-only paths where the kernel has no mount_setattr (before 5.12; strace answers ENOSYS
# for it): mount(2)'s bind and remount make the same mounts as open_tree/mount_setattr do,
# and the new calls are tried once, not for every path.
# run_without_mount_setattr NAME - run bundle b again as container NAME with mount_setattr
# failing ENOSYS (strace injects it; its trace of mount and mount_setattr in $T_DIR/st): the
# output must be the last run_in's ($OUT), and mount_setattr asked once, then never again
run_without_mount_setattr() {
	want=$OUT
	id=$(mr_id "$1")
	t_defer "mr_cleanup $id"
	OUT=$(strace -f -qq -o "$T_DIR/st" -e trace=mount_setattr,mount \
		-e inject=mount_setattr:error=ENOSYS "$MR" --root "$MR_STATE" run --bundle b "$id" 2>&1)
	t_eq "$?" 0 "exit: $OUT"
	t_eq "$OUT" "$want" "the same mounts by mount(2)"
	t_eq "$(grep -c 'mount_setattr.*ENOSYS' "$T_DIR/st")" 1 "mount_setattr asked once"
}

readonly_paths_without_mount_setattr() {
	mr_need
	t_need strace
	cmd='["sh", "-c", "echo 1 >/proc/sys/kernel/shmmni 2>&1; grep -E \" /proc/(sys|sysrq-trigger) \" /proc/mounts"]'
	run_in ronew "$cmd"
	t_eq "$RC" 0 "exit: $OUT"
	t_match "$OUT" "Read-only file system" "/proc/sys is read-only"
	t_match "$OUT" "^proc /proc/sys proc ro," "/proc/sys is mounted ro"
	run_without_mount_setattr roold
	t_eq "$(grep -c 'mount("/proc/self/fd/[0-9]*", "/proc/self/fd/[0-9]*", NULL, MS_BIND|MS_REC' \
		"$T_DIR/st")" "$(echo "$want" | grep -c ' proc ro,')" "each path there bound by mount(2)"
}

# The cgroup mount (read-only in the config): on a v1 or hybrid host a writable tmpfs with one
# read-only cgroup mount per v1 hierarchy, and the host's own mounts of those hierarchies still
# writable (MS_RDONLY in the mount call would have made the shared superblock read-only); on
# pure v2 (the VM) a read-only cgroup2.
cgroup_mount_read_only() {
	mr_need
	run_in cgro '["sh", "-c", "grep \" /sys/fs/cgroup\" /proc/mounts; mkdir /sys/fs/cgroup/x 2>&1; mkdir /sys/fs/cgroup/pids/x 2>&1; true"]'
	t_eq "$RC" 0 "exit: $OUT"
	n=$(grep -c '^[0-9]*:[^:]' /proc/self/cgroup) # the v1 hierarchies; none on pure v2
	if [ "$n" = 0 ]; then
		t_match "$OUT" "^cgroup2? /sys/fs/cgroup cgroup2 ro," "a read-only cgroup2"
		t_match "$OUT" "Read-only file system" "not writable"
		return 0
	fi
	t_match "$OUT" "^tmpfs /sys/fs/cgroup tmpfs rw," "a writable tmpfs"
	t_nomatch "$OUT" "/sys/fs/cgroup/x'" "the tmpfs takes a directory"
	t_match "$OUT" "^cgroup /sys/fs/cgroup/pids cgroup ro,.*pids" "the pids hierarchy, read-only"
	t_match "$OUT" "/sys/fs/cgroup/pids/x': Read-only file system" "not writable"
	t_nomatch "$OUT" " cgroup rw," "no hierarchy writable"
	t_eq "$(echo "$OUT" | grep -c ' cgroup ro,')" "$n" "one mount per v1 hierarchy of /proc/self/cgroup"
	ro=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") break
		if ($(i + 1) == "cgroup" && $(i + 3) !~ /^rw/) print $5, $(i + 3) }' /proc/self/mountinfo)
	t_eq "$ro" "" "the host's hierarchies: no superblock read-only"
}

# The same tree on a kernel without mount_setattr (before 5.12; strace makes it fail with
# ENOSYS): each hierarchy remounted read-only by mount(2), where mount_setattr makes the
# whole tree read-only and the tmpfs writable again in two calls.
cgroup_mount_without_mount_setattr() {
	mr_need
	t_need strace
	n=$(grep -c '^[0-9]*:[^:]' /proc/self/cgroup)
	[ "$n" != 0 ] || t_skip "a v1 or hybrid host: on pure cgroup v2 the mount is one cgroup2, read-only in the mount call"
	cmd='["sh", "-c", "grep \" /sys/fs/cgroup\" /proc/mounts"]'
	run_in cgnew "$cmd"
	t_eq "$RC" 0 "exit: $OUT"
	t_eq "$(echo "$OUT" | grep -c ' cgroup ro,')" "$n" "read-only hierarchies"
	run_without_mount_setattr cgold
	t_eq "$(grep -c 'mount(NULL, "/proc/self/fd/[0-9]*/[^"]*", NULL, MS_RDONLY.*MS_REMOUNT' \
		"$T_DIR/st")" "$n" "each hierarchy remounted"
}

root_readonly() {
	mr_need
	run_in rootro '["sh", "-c", "touch /x 2>&1; echo done"]'
	t_match "$OUT" "Read-only file system"
	ROOT_RO=false run_in rootrw '["sh", "-c", "touch /rw-ok && rm /rw-ok && echo wrote"]'
	t_eq "$OUT" wrote
}

devices_nodes() {
	mr_need
	LINUX_EXTRA=',"devices": [{"path": "/dev/mr-null", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 0, "gid": 0}]' \
		run_in dev '["sh", "-c", "ls -l /dev/null /dev/zero /dev/mr-null /dev/ptmx /dev/fd; echo hi >/dev/mr-null && echo ok"]'
	t_match "$OUT" "^crw-rw-rw- .* 1, +3 .*/dev/null"
	t_match "$OUT" "^crw-rw-rw- .* 1, +3 .*/dev/mr-null"
	t_match "$OUT" "/dev/ptmx -> pts/ptmx"
	t_match "$OUT" "/dev/fd -> /proc/self/fd"
	t_match "$OUT" "^ok\$"
}

# The default nodes come out 0666 and root's whatever mknod alone would give them: with the
# caller's umask 077, and with a /dev tmpfs of group 5 and the set-group-ID bit, where mknod
# gives each node the directory's group (the runtime checks the first node, not assumes).
devices_mode_and_owner_whatever_mknod_gives() {
	mr_need
	nodes='stat -c \"%n %a %u %g\" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty'
	want="/dev/null 666 0 0
/dev/zero 666 0 0
/dev/full 666 0 0
/dev/random 666 0 0
/dev/urandom 666 0 0
/dev/tty 666 0 0"
	id=$(mr_id devumask)
	t_defer "mr_cleanup $id"
	mr_bundle b "[\"sh\", \"-c\", \"$nodes\"]"
	OUT=$(umask 077 && mr run --bundle b "$id" 2>&1)
	t_eq "$OUT" "$want" "the default nodes under the caller's umask 077"
	id=$(mr_id devsgid)
	t_defer "mr_cleanup $id"
	mr_bundle b "[\"sh\", \"-c\", \"stat -c \\\"%n %a %u %g\\\" /dev; $nodes\"]"
	sed -i 's/"mode=755", "size=65536k"/"mode=2775", "gid=5", "size=65536k"/' b/config.json
	OUT=$(umask 077 && mr run --bundle b "$id" 2>&1)
	t_eq "$OUT" "/dev 2775 0 5
$want" "the default nodes in a set-group-ID /dev of group 5"
}

# A mount point the rootfs lacks is made inside it, several levels deep, through a dangling
# symlink (resolved as if the rootfs were /), as a file for a file's bind; nothing is made
# outside the rootfs.
mount_points_made_inside_the_rootfs() {
	mr_need
	mr_rootfs
	t_defer "rm -rf '$ROOTFS/mp' '$ROOTFS/mp-link'"
	ln -s /mp/target "$ROOTFS/mp-link"
	echo bound >"$T_DIR/f"
	MOUNTS_EXTRA=",{\"destination\": \"/mp/a/b/c\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}, {\"destination\": \"/mp-link/d\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}, {\"destination\": \"/mp/e/file\", \"type\": \"bind\", \"source\": \"$T_DIR/f\", \"options\": [\"bind\"]}" \
		run_in mp '["sh", "-c", "cat /mp/e/file; cut -d\" \" -f5 /proc/self/mountinfo | grep ^/mp"]'
	t_eq "$RC" 0 "exit: $OUT"
	t_eq "$OUT" "bound
/mp/a/b/c
/mp/target/d
/mp/e/file" "the mounts inside"
	[ -d "$ROOTFS/mp/a/b/c" ] && [ -d "$ROOTFS/mp/target/d" ] && [ -f "$ROOTFS/mp/e/file" ] ||
		t_fail "the mount points are not in the rootfs: $(find "$ROOTFS/mp" 2>&1)"
	[ ! -e /mp/target ] || t_fail "/mp/target was made on the host"
}

# A masked or read-only path the container lacks is skipped, and not made; the others are
# still masked and read-only.
masked_and_readonly_paths_absent_skipped() {
	mr_need
	id=$(mr_id maskabsent)
	t_defer "mr_cleanup $id"
	mr_bundle b '["sh", "-c", "wc -c </proc/keys; ls /sys/firmware | wc -l; grep -c \" /proc/sys \" /proc/mounts; ls /etc/mr-absent /mr-absent /etc/mr-absent-ro 2>&1 | wc -l"]'
	sed -i -e 's|"maskedPaths": \[|&"/etc/mr-absent", "/mr-absent/x", |' \
		-e 's|"readonlyPaths": \[|&"/etc/mr-absent-ro", |' b/config.json
	OUT=$(mr run --bundle b "$id" 2>&1)
	t_eq "$?" 0 "exit: $OUT"
	t_eq "$OUT" "0
0
1
3" "/proc/keys and /sys/firmware masked, /proc/sys read-only, the absent paths still absent"
	[ ! -e "$ROOTFS/etc/mr-absent" ] && [ ! -e "$ROOTFS/mr-absent" ] &&
		[ ! -e "$ROOTFS/etc/mr-absent-ro" ] || t_fail "an absent masked path was made"
}

# A config with no mount namespace (the spec allows it): the container shares the caller's
# mount table, so nothing may be mounted in it and its root is entered by chroot. The run
# happens inside a mount namespace of the test's own, so that the mountinfo compared before
# and after is not changed by anything else on the machine meanwhile.
no_mount_namespace() {
	mr_need
	t_need unshare
	id=$(mr_id nomnt)
	t_defer "mr_cleanup $id"
	mr_rootfs
	mkdir -p b
	cat >b/config.json <<EOF
{
	"ociVersion": "1.0.2",
	"process": {"user": {"uid": 0, "gid": 0}, "cwd": "/",
		"args": ["sh", "-c", "test -x /bin/busybox && echo in-rootfs; echo \$\$"],
		"env": ["PATH=/bin:/usr/bin"]},
	"root": {"path": "$ROOTFS"},
	"hostname": "nomnt",
	"mounts": [],
	"linux": {"namespaces": [{"type": "pid"}, {"type": "uts"}, {"type": "ipc"}, {"type": "network"}]}
}
EOF
	OUT=$(unshare -m --propagation private sh -c '
		cat /proc/self/mountinfo >"$1/before"
		"$2" --root "$3" run --bundle b "$4" 2>&1 || echo "rc=$?"
		cat /proc/self/mountinfo >"$1/after"' sh "$T_DIR" "$MR" "$MR_STATE" "$id")
	t_eq "$OUT" "in-rootfs
1" "the process ran chrooted in the rootfs, pid 1 of its namespace"
	t_eq "$(diff "$T_DIR/before" "$T_DIR/after")" "" "the caller's mountinfo is unchanged"
	# a field that needs a mount is refused, naming it, and nothing is left
	sed -i 's|"mounts": \[\]|"mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}]|' b/config.json
	OUT=$(mr run --bundle b "$id" 2>&1)
	t_ne $? 0 "a mount without a mount namespace"
	t_match "$OUT" "no \"mount\" namespace, so mounts can't be applied"
	mr_leaks "$id"
}

hooks_in_order_with_state() {
	mr_need
	log=$T_DIR/hooks.log
	: >"$log"
	hook() { printf '{"path": "/bin/sh", "args": ["sh", "-c", "echo %s $(cat | grep -o status...[a-z]*) >>%s"]}' "$1" "$2"; }
	# startContainer runs inside the container, after pivot_root: it writes the same log
	# through a bind mount of its directory
	MOUNTS_EXTRA=",{\"destination\": \"/hooks\", \"type\": \"bind\", \"source\": \"$T_DIR\", \"options\": [\"rbind\"]}" \
		TOP_EXTRA=",\"hooks\": {\"prestart\": [$(hook prestart "$log")], \"createRuntime\": [$(hook createRuntime "$log")], \"createContainer\": [$(hook createContainer "$log")], \"startContainer\": [$(hook startContainer /hooks/hooks.log)], \"poststart\": [$(hook poststart "$log")], \"poststop\": [$(hook poststop "$log")]}" \
		run_in hooks '["sh", "-c", "echo process >>/hooks/hooks.log"]'
	t_eq "$RC" 0 "exit: $OUT"
	# poststart runs once the process was executed: before or after it wrote its line
	t_eq "$(grep -v '^process$' "$log" | tr '\n' ' ')" 'prestart status":"creating createRuntime status":"creating createContainer status":"creating startContainer status":"created poststart status":"running poststop status":"stopped '
	t_match "$(tr '\n' ' ' <"$log")" "startContainer .*process .*poststop" "the process ran after startContainer"
}

# one hook of KIND that fails (exit 3), one poststop hook that records it ran
hooks_with_failing() {
	printf ',"hooks": {"%s": [{"path": "/bin/sh", "args": ["sh", "-c", "exit 3"]}], "poststop": [{"path": "/bin/sh", "args": ["sh", "-c", "echo poststop >>%s"]}]}' "$1" "$2"
}

failing_create_hooks_stop_create() {
	mr_need
	for kind in prestart createRuntime createContainer; do
		: >"$T_DIR/post.log"
		TOP_EXTRA=$(hooks_with_failing $kind "$T_DIR/post.log") run_in "hookfail-$kind" '["true"]'
		t_ne "$RC" 0 "$kind: exit"
		t_match "$OUT" "hooks.$kind\\[0\\] '/bin/sh' exited 3" "$kind: the error"
		t_eq "$(cat "$T_DIR/post.log")" poststop "$kind: poststop ran after the destruction"
		mr_leaks "$id"
	done
}

failing_start_container_hook_fails_start() {
	mr_need
	: >"$T_DIR/post.log"
	id=$(mr_id hookfail-start)
	t_defer "mr_cleanup $id"
	TOP_EXTRA=$(hooks_with_failing startContainer "$T_DIR/post.log") mr_bundle b '["sh", "-c", "echo ran"]'
	mr create --bundle b "$id" >/dev/null 2>&1 || t_fail "create"
	OUT=$(mr start "$id" 2>&1)
	t_ne $? 0 "start fails when startContainer does"
	t_match "$OUT" "hooks.startContainer\\[0\\] '/bin/sh' exited 3"
	mr_wait_status "$id" stopped
	OUT=$(mr delete "$id" 2>&1)
	t_eq $? 0 "delete: $OUT"
	t_eq "$(cat "$T_DIR/post.log")" poststop "poststop ran at delete"
	mr_leaks "$id"
}

failing_post_hooks_only_warn() {
	mr_need
	TOP_EXTRA=',"hooks": {"poststart": [{"path": "/bin/false"}], "poststop": [{"path": "/bin/false"}]}' \
		run_in hookwarn '["sh", "-c", "echo ran"]'
	t_eq "$RC" 0 "exit: $OUT"
	t_match "$OUT" "^ran\$" "the process ran"
	t_match "$OUT" "hooks.poststart\\[0\\] '/bin/false' exited 1" "poststart's warning"
	t_match "$OUT" "hooks.poststop\\[0\\] '/bin/false' exited 1" "poststop's warning"
	mr_leaks "$id"
}

pid_file_at_create() {
	mr_need
	id=$(mr_id pidfile)
	t_defer "mr_cleanup $id"
	mr_bundle b '["true"]'
	mr create --pid-file "$T_DIR/pid" --bundle b "$id" >/dev/null 2>&1 || t_fail "create"
	t_eq "$(cat "$T_DIR/pid")" "$(mr_field "$id" pid)" "--pid-file holds the init's pid after create"
}

seccomp_errno() {
	mr_need
	LINUX_EXTRA=',"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}, {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_NE"}]}]}' \
		run_in seccomp '["sh", "-c", "mkdir /dev/shm/x 2>&1; echo rc=$?; uname -s"]'
	t_match "$OUT" "Operation not permitted" "mkdir gets EPERM"
	t_match "$OUT" "rc=1"
	t_nomatch "$OUT" "^Linux$" "uname with a non-null buffer gets ENOSYS"
}

seccomp_default_errno_without_nnp() {
	mr_need
	NNP=false LINUX_EXTRA=',"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["execve", "brk", "mmap", "munmap", "mprotect", "arch_prctl", "access", "openat", "open", "read", "write", "close", "fstat", "newfstatat", "exit_group", "getuid", "geteuid", "getpid", "set_tid_address", "set_robust_list", "rseq", "prlimit64", "ioctl", "rt_sigaction", "rt_sigprocmask", "getppid", "wait4", "fcntl", "dup2", "getcwd", "stat", "lstat", "uname", "sysinfo", "clone", "fork", "vfork", "exit", "sigaltstack", "rt_sigreturn", "getrandom", "futex", "capget", "capset", "prctl", "setgroups", "setresuid", "setresgid", "close_range", "poll", "dup3", "pipe2", "lseek"], "action": "SCMP_ACT_ALLOW"}]}' \
		run_in seccompd '["sh", "-c", "echo alive; mkdir /dev/shm/y 2>&1"]'
	t_match "$OUT" "^alive\$"
	t_match "$OUT" "Operation not permitted"
}

# Seccomp: and CapBnd: of the created (not yet started) init, "SECCOMP CAPBND"
created_privileges() {
	id=$(mr_id "$1")
	t_defer "mr_cleanup $id"
	mr_bundle b '["true"]'
	mr create --bundle b "$id" >/dev/null 2>&1 || t_fail "create $1"
	pid=$(mr_field "$id" pid)
	PRIV=$(awk '/^Seccomp:/ { s = $2 } /^CapBnd:/ { b = $2 } END { print s, b }' \
		"/proc/$pid/status")
	mr start "$id" >/dev/null 2>&1
	RC=$?
}

# init.c's drop_before_wait: the created init has dropped its privileges already when
# nothing after the drop needs them, and still holds them when the filter would refuse a
# call of its wait (poll), or when a startContainer hook is to run after `start`
privileges_before_start() {
	mr_need
	full=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
	allow='"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	nopoll='"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["poll", "ppoll"], "action": "SCMP_ACT_ERRNO"}]}'
	LINUX_EXTRA=",$allow" created_privileges early
	t_eq "$RC" 0 "start (early drop)"
	t_eq "${PRIV%% *}" 2 "a filter that allows the wait: loaded before start"
	t_ne "${PRIV#* }" "$full" "...and the bounding set dropped before start"
	LINUX_EXTRA=",$nopoll" created_privileges nopoll
	t_eq "$RC" 0 "start (a filter refusing poll)"
	t_eq "$PRIV" "0 $full" "a filter refusing poll: loaded after start, as the bounding set"
	LINUX_EXTRA=",$allow" TOP_EXTRA=',"hooks": {"startContainer": [{"path": "/bin/true"}]}' \
		created_privileges starthook
	t_eq "$RC" 0 "start (a startContainer hook)"
	t_eq "$PRIV" "0 $full" "a startContainer hook: the privileges go after it"
	LINUX_EXTRA=",$nopoll" run_in nopollrun '["sh", "-c", "echo alive"]'
	t_eq "$RC:$OUT" "0:alive" "a container whose filter refuses poll runs"
}

user_namespace_mapping() {
	mr_need
	ROOTFS=$T_DIR/uroot
	chmod 755 "$T_TMP" "$T_DIR" # the mapped root (host uid 100000) walks down to the rootfs
	cp -a "$MR_TOP/build/rootfs/busybox" "$ROOTFS" && chown -R 100000:100000 "$ROOTFS" || t_fail "rootfs"
	NAMESPACES='[{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "network"}, {"type": "user"}]' \
	LINUX_EXTRA=',"uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}], "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]' \
	MOUNTS_EXTRA='' run_in userns '["sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; id -u; ls /sys/class/net; sleep 0.3"]'
	t_eq "$RC" 0 "exit: $OUT"
	# the network namespace belongs to the new user namespace (not made ahead by the
	# create process, which would make it the host's): sysfs mounts only for a process
	# with CAP_SYS_ADMIN over the owner of its network namespace, and shows that one's
	t_match "$OUT" "^lo\$" "/sys mounted, showing the container's network namespace"
	t_match "$OUT" "^ +0 +100000 +65536\$" "uid_map and gid_map"
	t_match "$OUT" "^0\$" "root inside"
}

cgroup_resources() {
	mr_need
	t_in_vm && v=v2 || v=host
	LINUX_EXTRA=',"resources": {"memory": {"limit": 33554432}, "pids": {"limit": 50}, "cpu": {"quota": 50000, "period": 100000}}' \
		run_in cgres '["sh", "-c", "cat /proc/self/cgroup; for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us; do [ -e $f ] && echo $f=$(cat $f); done; true"]'
	t_eq "$RC" 0 "exit: $OUT"
	t_match "$OUT" "memory(.max|/memory.limit_in_bytes)=33554432" "memory limit ($v)"
	t_match "$OUT" "pids(.max|/pids.max)=50" "pids limit ($v)"
	t_match "$OUT" "cpu.max=50000 100000|cpu.cfs_quota_us=50000" "cpu quota ($v)"
	mr_leaks "$id"
}

# linux.resources.memory's v1-only knobs (swappiness, disableOOMKiller), cpu.shares and
# cpu.cpus, as docker's --memory-swappiness, --oom-kill-disable, -c and --cpuset-cpus write
# them: the v1 files on the host; on pure v2 (the VM) the memory knobs are ignored with a -v
# line, as runc does, and the shares become cpu.weight (1 + (512 - 2) * 9999 / 262142 = 20)
memory_knobs_and_shares() {
	mr_need
	id=$(mr_id memknobs)
	t_defer "mr_cleanup $id"
	LINUX_EXTRA=',"resources": {"memory": {"limit": 33554432, "swappiness": 10, "disableOOMKiller": true}, "cpu": {"shares": 512, "cpus": "0"}}' \
		mr_bundle b '["sh", "-c", "cd /sys/fs/cgroup; if [ -f cgroup.controllers ]; then echo $(cat cpu.weight cpuset.cpus); else echo $(cat memory/memory.swappiness) $(grep oom_kill_disable memory/memory.oom_control) $(cat cpu/cpu.shares cpuset/cpuset.cpus); fi"]'
	OUT=$("$MR" -v --root "$MR_STATE" run --bundle b "$id" 2>&1)
	RC=$?
	t_eq "$RC" 0 "exit: $OUT"
	if t_in_vm; then
		t_match "$OUT" "^20 0\$" "v2: cpu.weight and cpuset.cpus"
		t_match "$OUT" "linux.resources.memory.swappiness: ignored on this cgroup v2 host" \
			"v2: the -v line"
	else
		t_match "$OUT" "^10 oom_kill_disable 1 512 0\$" "v1: swappiness, oom_control, shares, cpus"
	fi
	mr_leaks "$id"
}

# A nested cgroupsPath: the create makes the parent too; the delete takes the container's
# cgroup only, and the parent stays, as runc leaves it (other containers may live there).
# `run` removes through the handle its create kept (cgstep.c), so this checks that handle
# forgets the parents it made.
nested_cgroups_path_parent_stays() {
	mr_need
	id=$(mr_id nestc)
	v2=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
	[ -n "$v2" ] || t_skip "no cgroup2 hierarchy mounted"
	parent=$v2$(sed -n 's/^0:://p' /proc/self/cgroup | sed 's,/$,,')/mrt-$$-nestp
	t_defer "rmdir $parent 2>/dev/null"
	t_defer "mr_cleanup $id"
	[ ! -e "$parent" ] || t_fail "$parent is there before the test"
	# `run` to the end: its create makes the parent, and it removes through the handle
	# that create kept (cgstep.c)
	LINUX_EXTRA=",\"cgroupsPath\": \"mrt-$$-nestp/$id\"" mr_bundle b '["true"]'
	out=$(mr run --bundle b "$id" 2>&1) || t_fail "run exited $?: $out"
	[ -d "$parent" ] || t_fail "run: the parent $parent is gone"
	[ ! -e "$parent/$id" ] || t_fail "run: the container's cgroup $parent/$id is left"
	rmdir "$parent" || t_fail "rmdir $parent"
	# create and delete apart, as engines do
	LINUX_EXTRA=",\"cgroupsPath\": \"mrt-$$-nestp/$id\"" mr_bundle b '["sleep", "100"]'
	# detached into a file: the container holds our stdio (see network_resources)
	mr run --detach --bundle b "$id" >run.out 2>&1 </dev/null || t_fail "run: $(cat run.out)"
	[ -d "$parent/$id" ] || t_fail "no cgroup $parent/$id while it runs"
	mr delete --force "$id" || t_fail "delete --force exited $?"
	[ -d "$parent" ] || t_fail "delete: the parent $parent is gone"
	[ ! -e "$parent/$id" ] || t_fail "delete: the container's cgroup $parent/$id is left"
	mr_leaks "$id"
}

# linux.resources.network: v1 net_cls/net_prio where a hierarchy of them is mounted (the
# files read back on the host, at the cgroup the config's cgroupsPath names, with the
# memory limit beside them in the v1 memory tree); refused, naming the field, on a v1 or
# hybrid host without one (this project's host: net_cls is not mounted); ignored with a
# -v line on pure v2 (the VM), as runc and crun do.
network_resources() {
	mr_need
	id=$(mr_id netres)
	t_defer "mr_cleanup $id"
	net='"network": {"classID": 1048577, "priorities": [{"name": "lo", "priority": 5}]}'
	LINUX_EXTRA=",\"cgroupsPath\": \"mrt-$$-netres\", \"resources\": {\"memory\": {\"limit\": 33554432}, $net}" \
		mr_bundle b '["sleep", "100"]'
	# into a file, not $(...): a detached container inherits the caller's stdio (as runc's
	# pass-through), so a pipe would stay open, and $(...) wait, until its sleep ends
	"$MR" -v --root "$MR_STATE" run --detach --bundle b "$id" >run.out 2>&1 </dev/null
	RC=$?
	OUT=$(cat run.out)
	if t_in_vm; then
		t_eq "$RC" 0 "v2: accepted: $OUT"
		t_match "$OUT" "linux.resources.network: ignored on this cgroup v2 host" "v2: the -v line"
		return 0
	fi
	if ! grep -q '[ ,]net_cls[ ,]' /proc/self/mounts; then
		t_ne "$RC" 0 "no net_cls hierarchy: refused"
		t_match "$OUT" "linux.resources.network.classID needs the cgroup v1 net_cls controller"
		mr_leaks "$id"
		# without the network field, the memory limit lands in the v1 memory tree at
		# cgroupsPath, below our own memory cgroup (the spec's relative path rule)
		LINUX_EXTRA=",\"cgroupsPath\": \"mrt-$$-netres\", \"resources\": {\"memory\": {\"limit\": 33554432}}" \
			mr_bundle b '["sleep", "100"]'
		mr run --detach --bundle b "$id" || t_fail "run without network resources"
		own=$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
		f=/sys/fs/cgroup/memory${own%/}/mrt-$$-netres/memory.limit_in_bytes
		t_eq "$(cat "$f" 2>&1)" 33554432 "memory.limit_in_bytes at cgroupsPath ($f)"
		return 0
	fi
	t_eq "$RC" 0 "exit: $OUT"
	for c in net_cls net_prio; do
		mnt=$(awk -v c="$c" '$3 == "cgroup" && $4 ~ "(^|,)" c "(,|$)" {print $2; exit}' /proc/self/mounts)
		own=$(sed -n "s/^[0-9]*:[^:]*\\b$c\\b[^:]*://p" /proc/self/cgroup)
		d=$mnt${own%/}/mrt-$$-netres
		[ $c = net_cls ] && t_eq "$(cat "$d/net_cls.classid")" 1048577 "net_cls.classid"
		[ $c = net_prio ] && t_match "$(cat "$d/net_prio.ifpriomap")" "^lo 5\$" "net_prio.ifpriomap"
	done
}

cgroup_limit_enforced() {
	mr_need
	LINUX_EXTRA=',"resources": {"pids": {"limit": 5}}' \
		run_in pidslim '["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 1 & done 2>&1; wait"]'
	t_match "$OUT" "Resource temporarily unavailable|can.t fork" "pids.max refuses the 6th process"
}

update_resources() {
	mr_need
	id=$(mr_id upd)
	t_defer "mr_cleanup $id"
	LINUX_EXTRA=',"resources": {"pids": {"limit": 50}}' mr_bundle b '["sleep", "100"]'
	mr run --detach --bundle b "$id" || t_fail "run --detach"
	echo '{"pids": {"limit": 77}}' | mr update --resources - "$id" || t_fail "update exited $?"
	out=$(mr exec "$id" sh -c 'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max 2>/dev/null')
	t_eq "$out" 77 "pids.max after update"
}

# devices_run NAME RULES: run a container with CAP_MKNOD and linux.resources.devices RULES
# that reads /dev/zero, mknods /dev/kmsg (c 1:11) as /dev/mrk and opens it write-only (no
# byte is written); its output in $OUT
devices_run() {
	id=$(mr_id "$1")
	t_defer "mr_cleanup $id"
	LINUX_EXTRA=",\"resources\": {\"devices\": $2}" mr_bundle "b$1" \
		'["sh", "-c", "head -c1 /dev/zero | wc -c; echo x >/dev/null && echo null-ok; mknod /dev/mrk c 1 11 && echo mknod-ok; : >/dev/mrk && echo open-ok"]'
	sed -i 's/"CAP_KILL"/"CAP_KILL", "CAP_MKNOD"/g' "b$1/config.json"
	OUT=$(mr run --bundle "b$1" "$id" 2>&1)
	RC=$?
}

resources_devices_enforced() {
	mr_need
	v="eBPF device filter"
	deny='{"allow": false, "access": "rwm"}'
	zero='{"allow": true, "type": "c", "major": 1, "minor": 5, "access": "r"}'
	devices_run devdeny "[$deny, $zero]"
	t_match "$OUT" "^ *1\$" "/dev/zero (allowed) reads ($v)"
	t_match "$OUT" "^null-ok\$" "/dev/null (a default) opens"
	t_match "$OUT" "^mknod-ok\$" "mknod itself is allowed (as in runc)"
	t_match "$OUT" "mrk.*Operation not permitted" "the denied c 1:11 can't be opened ($v)"
	t_nomatch "$OUT" "open-ok" "no open of the denied device"
	mr_leaks "$id"
	kmsg='{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}'
	devices_run devallow "[$deny, $zero, $kmsg]"
	t_match "$OUT" "^open-ok\$" "with a rule allowing c 1:11 w it opens: $OUT"
	mr_leaks "$id"
}

devices_default_policy_without_rules() {
	mr_need
	v="eBPF device filter"
	id=$(mr_id devdef)
	t_defer "mr_cleanup $id"
	mr_bundle bdef '["sh", "-c", "head -c1 /dev/zero | wc -c; echo x >/dev/null && echo null-ok; mknod /dev/mrk c 1 11 && echo mknod-ok; : >/dev/mrk && echo open-ok"]'
	sed -i 's/"CAP_KILL"/"CAP_KILL", "CAP_MKNOD"/g' bdef/config.json
	grep -q '"devices"' bdef/config.json && t_fail "the bundle has device rules"
	out=$(mr run --bundle bdef "$id" 2>&1)
	t_match "$out" "^ *1\$" "/dev/zero (a default) reads ($v)"
	t_match "$out" "^null-ok\$" "/dev/null (a default) opens"
	t_match "$out" "^mknod-ok\$" "mknod is allowed (a default)"
	t_match "$out" "mrk.*Operation not permitted" "c 1:11, not a default, can't be opened ($v)"
	t_nomatch "$out" "open-ok" "no open of c 1:11"
	mr_leaks "$id"
}

update_replaces_device_rules() {
	mr_need
	v="eBPF device filter replaced"
	id=$(mr_id devupd)
	t_defer "mr_cleanup $id"
	mr_bundle bupd '["sleep", "100"]'
	sed -i 's/"CAP_KILL"/"CAP_KILL", "CAP_MKNOD"/g' bupd/config.json
	mr run --detach --bundle bupd "$id" || t_fail "run --detach"
	mr exec "$id" mknod /dev/mrk c 1 11 || t_fail "mknod in the container"
	if [ -d /sys/fs/cgroup/devices ] && [ -d /sys/fs/cgroup/unified ]; then
		# a hybrid host: the filter sits on the unified tree, no v1 devices cgroup is made
		t_eq "$(find /sys/fs/cgroup/devices -name "*$id*")" "" "no v1 devices cgroup (hybrid)"
	fi
	open_kmsg() { mr exec "$id" sh -c ': >/dev/mrk && echo open-ok' 2>&1; }
	t_match "$(open_kmsg)" "Operation not permitted" "c 1:11 before the update"
	echo '{"devices": [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}]}' |
		mr update --resources - "$id" || t_fail "update with an allow rule exited $?"
	t_eq "$(open_kmsg)" "open-ok" "c 1:11 after an update that allows it ($v)"
	t_match "$(mr exec "$id" sh -c 'echo x >/dev/null && echo null-ok' 2>&1)" "^null-ok\$" \
		"/dev/null (a default) still opens"
	echo '{"devices": []}' | mr update --resources - "$id" || t_fail "update with no rules"
	t_match "$(open_kmsg)" "Operation not permitted" "c 1:11 after an update back to none ($v)"
	echo '{"pids": {"limit": 50}}' | mr update --resources - "$id" || t_fail "update pids"
	t_match "$(open_kmsg)" "Operation not permitted" "an update without devices keeps the rules"
	out=$(echo '{"devices": {"allow": true}}' | mr update --resources - "$id" 2>&1)
	t_match "$out" "devices must be an array" "a devices object that is no array is refused"
	mr delete --force "$id" || t_fail "delete"
	mr_leaks "$id"
}

namespace_joined_by_path() {
	mr_need
	a=$(mr_id nsa)
	t_defer "mr_cleanup $a"
	mr_bundle ba '["sleep", "100"]'
	mr run --detach --bundle ba --pid-file apid "$a" || t_fail "run the first container"
	want=$(readlink /proc/"$(cat apid)"/ns/net)
	NAMESPACES="[{\"type\": \"pid\"}, {\"type\": \"mount\"}, {\"type\": \"uts\"}, {\"type\": \"network\", \"path\": \"/proc/$(cat apid)/ns/net\"}]" \
		run_in nsb '["readlink", "/proc/self/ns/net"]'
	t_eq "$RC" 0 "exit: $OUT"
	t_eq "$OUT" "$want" "the second container's network namespace"
}

# The new network namespace is made ahead by a thread of the create process and joined by
# the init (runtime.c): it must be new, one per container, and the one every other party
# (hooks, exec) sees through /proc/PID/ns/net.
new_network_namespace_made_ahead() {
	mr_need
	a=$(mr_id neta) b=$(mr_id netb) log=$T_DIR/netns.log
	t_defer "mr_cleanup $a"
	t_defer "mr_cleanup $b"
	: >"$log"
	hook='{"path": "/bin/sh", "args": ["sh", "-c", "readlink /proc/$(grep -o pid.:[0-9]* | cut -d: -f2)/ns/net >>'"$log"'"]}'
	TOP_EXTRA=",\"hooks\": {\"prestart\": [$hook], \"createRuntime\": [$hook]}" \
		mr_bundle ba '["sleep", "100"]'
	# (into a file: the detached init keeps its stdio, a pipe would wait for it to end)
	mr --debug run --detach --bundle ba --pid-file apid "$a" >"$T_DIR/debug" 2>&1 ||
		t_fail "run: $(cat "$T_DIR/debug")"
	OUT=$(cat "$T_DIR/debug")
	t_match "$OUT" "a thread makes the new network namespace" "made ahead (--debug)"
	t_match "$OUT" "setns\\(the new network namespace made ahead\\)" "the init joined it"
	net=$(readlink /proc/"$(cat apid)"/ns/net)
	t_ne "$net" "$(readlink /proc/self/ns/net)" "the init's network namespace is not the host's"
	t_eq "$(cat "$log")" "$net
$net" "prestart and createRuntime saw the init's namespace"
	t_eq "$(mr exec "$a" readlink /proc/self/ns/net)" "$net" "exec joins the same one"
	t_eq "$(mr exec "$a" sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "')" "lo" \
		"a fresh namespace: only lo"
	mr_bundle bb '["sleep", "100"]'
	mr run --detach --bundle bb --pid-file bpid "$b" || t_fail "run the second container"
	t_ne "$(readlink /proc/"$(cat bpid)"/ns/net)" "$net" "each container has its own"
}

time_namespace_offsets() {
	mr_need
	[ -e /proc/self/ns/time ] || t_skip "this kernel has no time namespaces"
	NAMESPACES='[{"type": "pid"}, {"type": "mount"}, {"type": "uts"}, {"type": "time"}]' \
	LINUX_EXTRA=',"timeOffsets": {"boottime": {"secs": 864000, "nanosecs": 0}}' \
		run_in timens '["cut", "-d.", "-f1", "/proc/uptime"]'
	t_eq "$RC" 0 "exit: $OUT"
	[ "$OUT" -ge 864000 ] || t_fail "uptime inside is $OUT s, not 10 days more"
}

t "hostname, domainname, cwd and env" hostname_env_cwd
t "a namespace joined by path (network of another container)" namespace_joined_by_path
t "a new network namespace, made ahead: the init's, hooks' and exec's, one each" new_network_namespace_made_ahead
t "a time namespace with a boottime offset" time_namespace_offsets
t "user uid/gid, additionalGids and umask" user_groups_umask
t "CapEff/CapPrm/CapBnd as configured, inheritable and ambient empty" capabilities_as_configured
t "noNewPrivileges true and false" no_new_privileges_flag
t "rlimits within the hard limits are set" rlimits_within_hard_limits
t "an rlimit of 2^64-1 (unlimited, as engines write it) is read and set" rlimit_unlimited_as_engines_write_it
t "an rlimit above the hard limit fails, naming the limit" rlimit_above_hard_limit_names_it
t "oomScoreAdj" oom_score_adj
t "sysctl of the container's namespaces; a host-wide one is refused" sysctl_in_own_namespaces
t "mounts: rbind ro and tmpfs with options" mounts_bind_ro_tmpfs
t "maskedPaths are empty, readonlyPaths read-only" masked_and_readonly_paths
t "read-only paths without mount_setattr: the same mounts by mount(2)" readonly_paths_without_mount_setattr
t "the cgroup mount: v1 hierarchies read-only on a tmpfs, the host's still writable; v2 read-only" cgroup_mount_read_only
t "the cgroup mount without mount_setattr: each v1 hierarchy remounted by mount(2), the same mounts" cgroup_mount_without_mount_setattr
t "root.readonly true and false" root_readonly
t "default devices, linux.devices and the /dev symlinks" devices_nodes
t "the default nodes are 0666 root:root under a umask 077 and in a set-gid /dev" devices_mode_and_owner_whatever_mknod_gives
t "mount points are made inside the rootfs: deep, through a dangling symlink, a file" mount_points_made_inside_the_rootfs
t "masked and read-only paths the container lacks are skipped, not made" masked_and_readonly_paths_absent_skipped
t "no mount namespace: chroot, no mounts, the caller's mountinfo unchanged" no_mount_namespace
t "the six kinds of hooks run in order with the state on stdin" hooks_in_order_with_state
t "a failing prestart/createRuntime/createContainer hook fails create, runs poststop, leaves nothing" failing_create_hooks_stop_create
t "a failing startContainer hook fails start; the container stops, delete runs poststop" failing_start_container_hook_fails_start
t "failing poststart and poststop hooks only warn" failing_post_hooks_only_warn
t "--pid-file is written at create" pid_file_at_create
t "a seccomp rule returns EPERM (and one with an argument filter)" seccomp_errno
t "a seccomp default errno filter without no_new_privs" seccomp_default_errno_without_nnp
t "the privileges go before the wait for start unless the filter refuses it" privileges_before_start
t "a user namespace maps 0 to 100000" user_namespace_mapping
t "linux.resources reach the cgroup (v1 on the host, v2 in the VM)" cgroup_resources
t "memory swappiness/disableOOMKiller (v1; ignored on v2), cpu shares and cpus" memory_knobs_and_shares
t "linux.resources.network: v1 net_cls/net_prio, refused without them, ignored on v2" network_resources
t "pids.max is enforced" cgroup_limit_enforced
t "a nested cgroupsPath: delete leaves the parent the create made" nested_cgroups_path_parent_stays
t "update --resources changes a running container's limit" update_resources
t "linux.resources.devices: a denied device can't be opened, an allowed one can" resources_devices_enforced
t "a config without device rules gets runc's default policy (others can't be opened)" devices_default_policy_without_rules
t "update --resources with devices replaces the device policy; without, keeps it" update_replaces_device_rules
t_end
