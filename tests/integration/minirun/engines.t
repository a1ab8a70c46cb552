#!/bin/sh
# tests/integration/minirun/engines.t - real engines drive minirun-oci as their runtime:
# podman (--runtime) and a private containerd (ctr run --runc-binary), with and without -t.
#
# Everything the engines keep lives in this suite's temp dir: podman's --root/--runroot/
# --tmpdir and the runtime's own --root (vfs storage, no network: --network none),
# containerd's root, state, sockets and ctr's FIFOs. Both leave cgroups at the roots of the
# hierarchies (libpod_parent/..., default/), and containerd 1.6 puts its shims' sockets in
# /run/containerd/s whatever its state dir; the suite records what is there before and
# removes what is new after, deepest first, never what was there before (MACHINE.md).
# Skipped in the VM: the engines are not there.
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/minirun/lib.sh"

ENG=$T_TMP/engines
POD="podman --root $ENG/storage --runroot $ENG/runroot --tmpdir $ENG/tmp --runtime-flag root=$ENG/rtroot --cgroup-manager=cgroupfs --storage-driver vfs --events-backend file --runtime $MR"
ULIM="--network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000"

engines_need() {
	t_in_vm && t_skip "podman and containerd are not in the VM"
	mr_need
	t_need "$@"
}

# cgroups_before / cgroups_cleanup: the peers' leftovers (only new, empty directories; and
# in /run/containerd, only the new entries: containerd's shim sockets). Not the cgroups of
# minirun's containers (minirun-ID), the cgroup suites and the labs (mr-cgt-*, mr-lab-*):
# those belong to whatever else runs meanwhile (make test runs the labs beside this tier),
# and one just made is empty for a moment
cgroups_before() {
	mkdir -p "$ENG"
	find /sys/fs/cgroup -type d 2>/dev/null | sort >"$ENG/cg.before"
	find /run/containerd 2>/dev/null | sort >"$ENG/run.before"
}
run_new() { find /run/containerd -depth 2>/dev/null | grep -vxF -f "$ENG/run.before"; }
cgroups_new() {
	find /sys/fs/cgroup -depth -type d ! -path '*/minirun-*' ! -path '*/mr-*' 2>/dev/null |
		grep -vxF -f "$ENG/cg.before"
}
cgroups_cleanup() {
	# podman's conmon outlives the container by a moment, in a cgroup of its own
	# (libpod_parent/conmon): wait up to 5 s for the new cgroups to empty
	_i=0
	while [ $_i -lt 50 ]; do
		for d in $(cgroups_new); do
			[ -z "$(cat "$d/cgroup.procs" 2>/dev/null)" ] && rmdir "$d" 2>/dev/null
		done
		[ -z "$(cgroups_new)" ] && break
		sleep 0.1
		_i=$((_i + 1))
	done
	for f in $(run_new); do
		if [ -d "$f" ]; then rmdir "$f" 2>/dev/null; else rm -f "$f"; fi
	done
	return 0
}

# the busybox image, imported once into the suite's podman storage
pod_image() {
	mkdir -p "$ENG"
	[ -e "$ENG/imported" ] && return 0
	tar -C "$MR_TOP/build/rootfs/busybox" -cf "$ENG/bb.tar" . || t_fail "tar the rootfs"
	$POD import "$ENG/bb.tar" mrbusybox >/dev/null 2>&1 || t_fail "podman import"
	touch "$ENG/imported"
}

podman_runs_busybox() {
	engines_need podman
	pod_image
	cgroups_before
	t_defer cgroups_cleanup
	out=$($POD run --rm $ULIM mrbusybox sh -c 'echo hello-from-podman; cat /proc/1/comm' 2>&1)
	t_eq "$?" 0 "podman run: $out"
	t_match "$out" "^hello-from-podman\$"
	$POD run --rm $ULIM mrbusybox sh -c 'exit 5' >/dev/null 2>&1
	t_eq "$?" 5 "podman run's exit status"
}

podman_tty() {
	engines_need podman script
	pod_image
	cgroups_before
	t_defer cgroups_cleanup
	out=$(script -qec "$POD run --rm -t $ULIM mrbusybox tty" /dev/null </dev/null | tr -d '\r\000')
	t_match "$out" "/dev/pts/0\$" "podman run -t"
}

podman_detach_exec_stop_rm() {
	engines_need podman
	pod_image
	cgroups_before
	t_defer cgroups_cleanup
	name=mrt-$$-pod
	t_defer "$POD rm -f $name >/dev/null 2>&1"
	$POD run -d --name "$name" $ULIM mrbusybox sleep 100 >/dev/null 2>&1 || t_fail "podman run -d"
	t_eq "$($POD exec "$name" sh -c 'echo exec-ok' 2>&1)" exec-ok "podman exec"
	$POD stop -t 1 "$name" >/dev/null 2>&1 || t_fail "podman stop"
	$POD rm "$name" >/dev/null 2>&1 || t_fail "podman rm"
	left=$(find /sys/fs/cgroup -type d -name "*libpod-*" 2>/dev/null)
	[ -z "$left" ] || t_fail "the container's cgroup is left: $left"
}

# a private containerd, stopped by its pid when the test ends
ctd_start() {
	D=$ENG/ctd
	mkdir -p "$D"
	cat >"$D/config.toml" <<EOF
version = 2
root = "$D/root"
state = "$D/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$D/sock"
[ttrpc]
  address = "$D/sock.ttrpc"
[debug]
  address = "$D/debug.sock"
EOF
	containerd --config "$D/config.toml" >"$D/log" 2>&1 &
	CTD=$!
	t_defer "kill $CTD; wait $CTD 2>/dev/null; true"
	i=0
	while ! ctr -a "$D/sock" version >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 100 ] || t_fail "containerd did not start: $(tail -3 "$D/log")"
		sleep 0.1
	done
	pod_image
	$POD save --format oci-archive -o "$ENG/img.tar" mrbusybox >/dev/null 2>&1 || t_fail "podman save"
	ctr -a "$D/sock" images import "$ENG/img.tar" >/dev/null 2>&1 || t_fail "ctr images import"
	mkdir -p "$D/fifo"
	CTR="ctr -a $D/sock run --rm --fifo-dir $D/fifo --runc-binary $MR --runc-root $D/runc"
}

ctr_runs_busybox() {
	engines_need podman containerd ctr
	cgroups_before
	t_defer cgroups_cleanup
	ctd_start
	out=$($CTR localhost/mrbusybox:latest mrt-$$-c1 sh -c 'echo hello-from-ctr' 2>&1)
	t_eq "$?" 0 "ctr run: $out"
	t_eq "$out" hello-from-ctr
	$CTR localhost/mrbusybox:latest mrt-$$-c2 sh -c 'exit 6' >/dev/null 2>&1
	t_eq "$?" 6 "ctr run's exit status"
}

ctr_tty() {
	engines_need podman containerd ctr script
	cgroups_before
	t_defer cgroups_cleanup
	ctd_start
	out=$(script -qec "$CTR -t localhost/mrbusybox:latest mrt-$$-c3 tty" /dev/null </dev/null | tr -d '\r\000')
	t_match "$out" "/dev/pts/0\$" "ctr run -t (the tty may echo a ^@ first)"
}

t "podman run --rm busybox with minirun-oci as the runtime, exit status passed on" podman_runs_busybox
t "podman run -t gets a terminal through the console socket" podman_tty
t "podman run -d, exec, stop, rm leave no container cgroup" podman_detach_exec_stop_rm
t "ctr run --rm --runc-binary minirun-oci on a private containerd" ctr_runs_busybox
t "ctr run -t" ctr_tty
t_end
