#!/bin/sh
# tests/integration/minirun/cve.t - CVE-2019-5736 against minirun-oci as engines run it:
# a container that tries to rewrite, through /proc/PID/exe, every runtime process that
# `minirun-oci exec` puts into it. The front end's side (minirun exec), and the other CVEs,
# are in tests/integration/containers/cve.t; the waiting init's exe in security.t here.
# Run: sh tests/integration/minirun/cve.t (as root; make minirun rootfs)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/minirun/lib.sh"

# own_rootfs: a writable private rootfs for this test, in $ROOTFS (the attack logs there)
own_rootfs() {
	ROOTFS=$T_DIR/rootfs
	cp -a "$MR_TOP/build/rootfs/busybox" "$ROOTFS" || t_fail "copy the rootfs"
}

cve_2019_5736_oci_exec() {
	mr_need
	id=$(mr_id exe5736)
	t_defer "mr_cleanup $id"
	# The attack (runc < 1.0-rc6): `runc exec` joins the container's PID namespace before
	# it execs the command, so for a moment the container sees it in /proc; it opens that
	# process's /proc/PID/exe read-only (a handle on the host's runtime binary), waits until
	# the runtime has exec'd (no ETXTBSY any more) and reopens the handle for writing
	# through /proc/self/fd/3: the host's runtime is the attacker's at its next run.
	# Without the guard the loop below ends with "EVIL" appended to minirun-oci; with it
	# the exe is a read-only overlay or a sealed memfd copy (minirun/oci/clone_exe.c).
	own_rootfs
	ROOT_RO=false
	mr_bundle b '["sh", "-c", "while :; do for e in /proc/[0-9]*/exe; do [ \"$(readlink $e)\" = /bin/busybox ] && continue; echo SEEN $e >>/tmp/cve5736.log; ( exec 3<$e || exit; sleep 0.05; echo EVIL >>/proc/self/fd/3 && echo WROTE $e >>/tmp/cve5736.log ) 2>/dev/null & done; sleep 0.01; done"]'
	sum=$(md5sum <"$MR")
	mr create --bundle b "$id" && mr start "$id" || t_fail "create/start"
	# 30 execs at least; then on until the container has seen one (an exec of `true` is
	# brief: on a busy machine the watcher's loop may miss the first 30), 300 at most
	i=0 ok=0
	while [ $i -lt 30 ] || { [ $i -lt 300 ] && ! grep -q SEEN "$ROOTFS/tmp/cve5736.log" 2>/dev/null; }; do
		mr exec "$id" true && ok=$((ok + 1))
		i=$((i + 1))
	done
	[ $ok -gt 0 ] || t_fail "no exec went through: the attack had no target"
	sleep 0.3
	t_eq "$(md5sum <"$MR")" "$sum" "minirun-oci after $ok execs under attack"
	# the race was run: the container saw runtime processes (and could not open their exe:
	# they are not dumpable, and their exe is not the host's binary anyway)
	grep -q SEEN "$ROOTFS/tmp/cve5736.log" || t_fail "the container never saw a runtime process: no attack"
	grep WROTE "$ROOTFS/tmp/cve5736.log" && t_fail "the container wrote a runtime's exe"
	return 0
}

t "CVE-2019-5736: a container rewriting every /proc/PID/exe during minirun-oci exec leaves the binary unchanged" \
	cve_2019_5736_oci_exec
t_end
