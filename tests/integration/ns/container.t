#!/bin/sh
# tests/integration/ns/container.t - ns/container: every namespace, pivot_root into a rootfs.
#
# Run: sh tests/integration/ns/container.t (as root; `make ns` first). Also runs under
# busybox sh. The suite works on its own copy of the busybox rootfs, in its temp dir.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
CT=$MR_TOP/ns/container
PATH=/usr/sbin:/usr/bin:/sbin:/bin
ROOTFS=$T_TMP/rootfs

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
need_setpriv() {
	for SETPRIV in /usr/bin/setpriv /bin/setpriv ''; do
		[ -x "$SETPRIV" ] && "$SETPRIV" --help 2>&1 | grep -q -- --reuid && return 0
	done
	t_skip "needs util-linux setpriv to run as uid 65534"
}
as_nobody() { (cd / && "$SETPRIV" --reuid=65534 --regid=65534 --clear-groups "$@"); }
setup() {
	t_need_root
	[ -x "$CT" ] || t_fail "$CT is not built; run 'make ns'"
	if [ ! -d "$ROOTFS" ]; then
		# a copy of `make rootfs`'s is quicker (in the VM above all) than making one
		if [ -x "$MR_TOP/build/rootfs/busybox/bin/busybox" ]; then
			# hard links where it can (nothing here writes into a file of the rootfs)
			cp -al "$MR_TOP/build/rootfs/busybox" "$ROOTFS" 2>/dev/null ||
				{ rm -rf "$ROOTFS" && cp -a "$MR_TOP/build/rootfs/busybox" "$ROOTFS"; } ||
				t_fail "copying the rootfs failed"
		else
			"$MR_TOP/tests/rootfs.sh" "$ROOTFS" || t_fail "tests/rootfs.sh $ROOTFS failed"
		fi
	fi
	chmod 755 "$T_TMP" # so that uid 65534 may reach the rootfs too
	T_MOUNTS_BEFORE=$(t_mounts)
	t_defer 'leftovers'
}
# leftovers - (deferred) no mount and no old-root directory may outlive a test
leftovers() {
	[ "$(t_mounts)" = "$T_MOUNTS_BEFORE" ] || { echo "mounts changed:"; t_mounts; return 1; }
	[ -z "$(ls -a "$ROOTFS" | grep mr-oldroot)" ] || { echo "left in rootfs: $(ls -a "$ROOTFS")"; return 1; }
}

shows_only_the_rootfs() {
	setup
	out=$("$CT" "$ROOTFS" -- /bin/sh -c 'ls /') || t_fail "ns/container exited $?"
	t_eq "$out" "$(ls "$ROOTFS")" "ls / inside versus ls ROOTFS outside"
	t_eq "$("$CT" "$ROOTFS" -- /bin/sh -c 'ls -a / | grep -c oldroot')" 0 "old root dirs inside"
	# the host's mounts are gone: only the container's own mount points remain
	out=$("$CT" "$ROOTFS" -- /bin/cat /proc/self/mountinfo) || t_fail "exited $?"
	echo "$out"
	t_eq "$(echo "$out" | awk '{ print $5 }' | tr '\n' ' ')" \
		"/ /proc /sys /dev /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty " \
		"mount points inside"
}

isolated_namespaces() {
	setup
	host=$(hostname)
	out=$("$CT" "$ROOTFS" -- /bin/sh -c 'cat /proc/1/comm; echo $$; hostname') || t_fail "exited $?"
	echo "$out"
	t_eq "$(echo "$out" | sed -n 1p)" sh "PID 1 in the fresh /proc"
	t_eq "$(echo "$out" | sed -n 2p)" 1 "the command's pid"
	t_eq "$(echo "$out" | sed -n 3p)" container "hostname inside"
	t_eq "$(hostname)" "$host" "the host's hostname"
	t_eq "$("$CT" -n box "$ROOTFS" -- /bin/hostname)" box "-n box"
	out=$("$CT" "$ROOTFS" -- /bin/sh -c 'ls /sys/class/net; grep -c : /proc/net/dev') || t_fail "exited $?"
	t_eq "$out" "lo
1" "network devices inside"
	out=$("$CT" "$ROOTFS" -- /bin/sh -c 'for t in uts pid mnt net ipc cgroup user; do readlink /proc/self/ns/$t; done')
	for t in uts pid mnt net ipc cgroup; do
		t_nomatch "$out" "^$(readlink /proc/self/ns/$t | sed 's/[][]/\\&/g')$" "the $t namespace inside"
	done
	t_match "$out" "^$(readlink /proc/self/ns/user | sed 's/[][]/\\&/g')$" "user ns (none without -U)"
}

dev_and_proc_work() {
	setup
	out=$("$CT" "$ROOTFS" -- /bin/sh -c 'echo x >/dev/null && ls /dev && head -c 4 /dev/zero | wc -c') ||
		t_fail "exited $?"
	echo "$out"
	for d in null zero full random urandom tty fd stdin stdout stderr; do
		t_match "$out" "^$d$" "/dev/$d"
	done
	t_match "$out" '^ *4$' "bytes read from /dev/zero"
}

private_before_anything() {
	setup
	t_need unshare
	# a mount namespace of our own with / shared, as systemd hosts have it
	out=$(unshare -m --propagation shared sh -c '
		a=$(grep -c . /proc/self/mountinfo)
		"$1" -v "$2" -- /bin/true 2>"$3/err" || exit 1
		echo "$a $(grep -c . /proc/self/mountinfo)"' sh "$CT" "$ROOTFS" "$T_DIR") ||
		t_fail "ns/container under a shared / exited $?"
	set -- $out
	t_eq "$2" "$1" "mounts in the shared parent namespace after the container"
	cat "$T_DIR/err"
	t_eq "$(grep -n '^=> ' "$T_DIR/err" | grep 'make-rprivate' | cut -d: -f1)" 2 \
		"'mount --make-rprivate /' is the first step inside (after clone)"
	t_match "$(cat "$T_DIR/err")" '^=> pivot_root\(\., \.mr-oldroot\.[0-9]+\)'
	t_match "$(cat "$T_DIR/err")" '^=> umount2\(\.mr-oldroot\.[0-9]+, MNT_DETACH\) and rmdir it$'
}

unprivileged_with_a_user_namespace() {
	setup
	need_setpriv
	t_status 1 as_nobody "$CT" "$ROOTFS" -- /bin/true
	one_line "$T_OUT"
	t_match "$T_OUT" 'needs root: run as root, or add -U'
	out=$(as_nobody "$CT" -U "$ROOTFS" -- /bin/sh -c 'id -u; ls /; echo $$') ||
		t_fail "-U as uid 65534 exited $?"
	echo "$out"
	t_eq "$(echo "$out" | sed -n 1p)" 0 "uid inside"
	t_eq "$(echo "$out" | sed -n '2,$p' | sed '$d')" "$(ls "$ROOTFS")" "ls / inside"
	t_eq "$(echo "$out" | sed -n '$p')" 1 "pid inside"
}

# start_sleeper - ns/container running sleep in the background: sets $PARENT and $CHILD
start_sleeper() {
	"$CT" "$ROOTFS" -- /bin/sleep 60 &
	PARENT=$!
	t_defer "kill -KILL $PARENT 2>/dev/null; wait $PARENT 2>/dev/null; true"
	CHILD="" i=0
	while [ $i -lt 50 ]; do
		CHILD=$(tr -d ' ' <"/proc/$PARENT/task/$PARENT/children" 2>/dev/null)
		[ -n "$CHILD" ] && [ "$(cat "/proc/$CHILD/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$CHILD" ] || t_fail "the container did not start"
	t_defer "kill -KILL $CHILD 2>/dev/null; true"
}

# gone PID - wait up to 2 s for PID to end; fail if it does not
gone() {
	_i=0
	while [ -d "/proc/$1" ] && [ "$(cat "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3)" != Z ]; do
		[ $_i -lt 20 ] || t_fail "process $1 ($(cat "/proc/$1/comm")) is still running"
		sleep 0.1
		_i=$((_i + 1))
	done
}

killed_container_leaves_nothing() {
	setup
	start_sleeper
	kill -TERM "$PARENT"
	wait "$PARENT"
	t_eq "$?" 143 "ns/container's status after SIGTERM"
	gone "$CHILD"
	# SIGKILL can't be caught: PR_SET_PDEATHSIG takes the container down then
	start_sleeper
	kill -KILL "$PARENT"
	gone "$CHILD"
}

exit_status() {
	setup
	t_status 7 "$CT" "$ROOTFS" -- /bin/sh -c 'exit 7'
	t_status 127 "$CT" "$ROOTFS" -- /no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" '/no-such-command-mr: command not found'
}

bad_input() {
	setup
	echo data >"$T_DIR/file"
	t_status 1 "$CT" "$T_DIR/file" -- /bin/true
	t_eq "$T_OUT" "container: rootfs '$T_DIR/file' is not a directory (make one with 'make rootfs')"
	t_status 1 "$CT" "$T_DIR/none" -- /bin/true
	one_line "$T_OUT"
	t_match "$T_OUT" "rootfs '$T_DIR/none': No such file or directory"
	t_status 2 "$CT"
	one_line "$T_OUT"
	t_status 2 "$CT" "$ROOTFS" ls
	one_line "$T_OUT"
	t_match "$T_OUT" "put '--' before the command"
	t_status 2 "$CT" -t uts,pid "$ROOTFS" -- /bin/true
	one_line "$T_OUT"
	t_match "$T_OUT" 'needs its own mount namespace'
	t_status 2 "$CT" -t nope "$ROOTFS"
	one_line "$T_OUT"
	t_status 2 "$CT" -n "$(printf '%070d' 0)" "$ROOTFS" -- /bin/true
	one_line "$T_OUT"
	t_match "$T_OUT" "hostname '0+' must be 1 to 64 characters"
	one_line "$T_OUT"
	t_status 2 "$CT" -x
	one_line "$T_OUT"
	t_status 0 "$CT" -h
	t_match "$T_OUT" '^usage: ns/container'
}

t "ns/container ROOTFS -- /bin/sh -c 'ls /' shows only the rootfs" shows_only_the_rootfs
t "inside: pid 1, its own hostname, only lo, new namespaces of each type" isolated_namespaces
t "/dev has null, zero, tty ... and /proc is the container's" dev_and_proc_work
t "mounts are made private first: nothing leaks into a shared parent" private_before_anything
t "as uid 65534: one line without -U; with -U, root inside the rootfs" unprivileged_with_a_user_namespace
t "killing ns/container (SIGTERM, even SIGKILL) ends the container, leaving nothing" killed_container_leaves_nothing
t "CMD's exit status comes back; 127 and one line for a command not found" exit_status
t "bad input: a file or missing rootfs, no '--', no mnt, bad flags: one line" bad_input
t_end
