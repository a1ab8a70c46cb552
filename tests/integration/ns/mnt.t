#!/bin/sh
# tests/integration/ns/mnt.t - ns/mnt: a private copy of the mount table, and propagation
# private / shared / slave shown in a scratch directory that is removed afterwards.
#
# Run: sh tests/integration/ns/mnt.t (as root; `make ns` first). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
MNT=$MR_TOP/ns/mnt

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
ino() { stat -L -c %i "/proc/self/ns/$1"; }

# our mounts in the host's table: ns/mnt's scratch dirs, its tmpfs (source "ns-mnt"), and
# anything below this test's directory. Other people's mounts made meanwhile don't count.
ours() { grep -E " /tmp/ns-mnt\.| ns-mnt | $T_TMP" /proc/self/mountinfo | awk '{print $5}' | sort; }
scratch() { ls -d /tmp/ns-mnt.* 2>/dev/null | sort; }

setup() {
	t_need_root
	[ -x "$MNT" ] || t_fail "$MNT is not built; run 'make ns'"
	ours >"$T_DIR/mounts.before"
	scratch >"$T_DIR/scratch.before"
	t_defer 'ours | diff "$T_DIR/mounts.before" - || { echo "FAIL: a mount was left behind"; false; }'
	t_defer 'scratch | diff "$T_DIR/scratch.before" - || { echo "FAIL: a scratch dir was left behind"; false; }'
}

# demo MODE IN OUT - run ns/mnt --propagation MODE, expect the child's tmpfs to be IN
# ("visible"/"not visible") outside and the parent's OUT inside
demo() {
	out=$("$MNT" --propagation "$1") || t_fail "ns/mnt exited $?: $out"
	echo "$out"
	t_match "$out" "^outside: the child's tmpfs on /tmp/ns-mnt\.[^/]*/in: $2 here$"
	t_match "$out" "^inside:  the parent's tmpfs on /tmp/ns-mnt\.[^/]*/out: $3 here$"
	t_match "$out" "^propagation $1: "
	s=$(echo "$out" | sed -n 's|^outside: .*tmpfs on \(/tmp/ns-mnt\.[^/]*\)/in:.*|\1|p')
	[ ! -e "$s" ] || t_fail "the scratch dir $s is still there"
}

private() { setup; demo private "not visible" "not visible"; }
shared() { setup; demo shared visible visible; }
slave() { setup; demo slave "not visible" visible; }

copy_of_the_table() {
	setup
	out=$("$MNT") || t_fail "ns/mnt exited $?"
	n_out=$(echo "$out" | sed -n 's/^outside: mnt:\[\([0-9]*\)\]  \([0-9]*\) mounts.*/\1 \2/p')
	n_in=$(echo "$out" | sed -n 's/^inside:  mnt:\[\([0-9]*\)\]  \([0-9]*\) mounts.*/\1 \2/p')
	set -- $n_out $n_in
	[ $# = 4 ] || t_fail "no outside/inside lines: $out"
	t_eq "$1" "$(ino mnt)" "the mount namespace outside"
	t_ne "$3" "$1" "the mount namespace inside"
	t_eq "$4" "$2" "the number of mounts inside (a copy of the outside's)"
}

# On a host whose / is shared (systemd; here a sandbox mount namespace with / rshared), a
# mount made by CMD inside stays inside with the default propagation, and leaks out with
# --propagation shared: that is the leak the default protects from.
cmd_mount_stays_inside() {
	setup
	t_need unshare mount umount
	mkdir "$T_DIR/m"
	out=$(unshare -m --propagation shared sh -c '
		mnt=$1 dir=$2
		seen() { awk -v d="$dir" "\$5 == d" /proc/self/mountinfo | grep -c .; }
		"$mnt" -- mount -t tmpfs mr-in "$dir" || exit 1
		echo "private: $(seen)"
		"$mnt" --propagation shared -- mount -t tmpfs mr-in "$dir" || exit 1
		echo "shared: $(seen)"
		umount "$dir"' sh "$MNT" "$T_DIR/m") || t_fail "sandbox: $out"
	echo "$out"
	t_match "$out" '^private: 0$'
	t_match "$out" '^shared: 1$'
}

exit_status_and_bad_input() {
	setup
	t_status 5 "$MNT" -- sh -c 'exit 5'
	t_status 127 "$MNT" -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
	t_status 2 "$MNT" --propagation bogus
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown propagation 'bogus' \(use private, shared or slave\)"
	t_status 2 "$MNT" -p
	one_line "$T_OUT"
	t_match "$T_OUT" "option '-p' needs an argument"
	t_status 2 "$MNT" -z
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '-z'; see 'mnt -h'"
	t_status 0 "$MNT" -h
	t_match "$T_OUT" '^usage: mnt '
}

t "--propagation private: neither side sees the other's tmpfs; nothing left behind" private
t "--propagation shared: each side sees the other's tmpfs; nothing left behind" shared
t "--propagation slave: mounts come in but do not go out; nothing left behind" slave
t "the new mount namespace starts as a copy of the caller's table" copy_of_the_table
t "on a shared / a mount made by CMD stays inside (and leaks with 'shared')" cmd_mount_stays_inside
t "the exit status is CMD's; bad flags exit 2 with one line" exit_status_and_bad_input
t_end
