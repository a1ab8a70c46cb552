# tests/lib/tools.sh - the shell helpers the labs and the test suites share: sourced by
# labs/lib.sh and tests/integration/netns/lib.sh (after MR_TOP is set). It defines only
# what both want under the same name, and nothing that prints, exits or clashes with a
# lab's own fail/pid or a suite's t_fail/die. POSIX sh: dash and busybox ash.
#
#	realtool NAME    the path of the real NAME on the PATH, not a busybox applet
#	starttime PID    field 22 of /proc/PID/stat: with the PID, it names a process uniquely
#	BB               a busybox binary (for wget, nc, ping), or empty

# realtool NAME - the real NAME on the PATH, not a busybox applet: busybox ash runs its own
# applet for a bare name (`ip`, `nsenter`, `unshare`), and those lack options the labs and
# tests use. NAME itself when there is no other.
realtool() {
	for _d in $(echo "$PATH" | tr : ' '); do
		[ -x "$_d/$1" ] || continue
		case $(readlink -f "$_d/$1") in */busybox*) continue ;; esac
		echo "$_d/$1"
		return 0
	done
	echo "$1"
}

# starttime PID - field 22 of /proc/PID/stat: with the PID, it names a process uniquely
starttime() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

BB=
for _b in /bin/busybox /usr/bin/busybox /usr/sbin/busybox "$MR_TOP/build/rootfs/busybox/bin/busybox"; do
	[ -x "$_b" ] && BB=$_b && break
done
