#!/bin/sh
# labs/02-internals/17-cpuset-io/lab.sh - pin a busy loop to one CPU with cpuset.cpus, and
# throttle a dd to a loop device of the lab's own with io.max (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab cpuset-io STEP`)
#
# The block device is a loop device over $LAB_STATE/disk.img (64 MiB, sparse): the dd
# writes to it and to nothing else. teardown detaches every loop device over that file,
# then cglab.sh removes the lab's cgroups and files. On a hybrid host io.max is the v1
# blkio controller's blkio.throttle.write_bps_device (cgroups/cgroup_v1.c), which throttles
# direct I/O: hence dd's oflag=direct (v1 cannot charge page-cache writeback to a cgroup).
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
CG=mr-lab-cpuset-io
NEEDS="cpuset io"
FILES="pinned.txt free.txt throttled.txt unthrottled.txt loopdev disk.img"
. "$(dirname "$0")/../cglab.sh"

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -v -c mr-lab-cpuset-io --cpuset CPU -- sh -c 'a busy loop in the background; after a
      second its Cpus_allowed_list and "loop PID last ran on CPU N" (/proc/PID/stat field 39)' > $LAB_STATE/pinned.txt 2>&1
  cgroups/run -c mr-lab-cpuset-io -- grep Cpus_allowed_list /proc/self/status > $LAB_STATE/free.txt 2>&1
  a loop device over $LAB_STATE/disk.img; its MAJ:MIN from /sys/block/loopN/dev; then
  cgroups/run -c mr-lab-cpuset-io --io-max "MAJ:MIN wbps=2m" -- dd if=/dev/zero of=DEV bs=1M count=6 oflag=direct
  > $LAB_STATE/throttled.txt 2>&1, the same without --io-max into unthrottled.txt; losetup -d DEV.
HINT
}

# last_cpu - the highest CPU this shell may run on
last_cpu() { awk '/^Cpus_allowed_list/ { n = split($2, a, /[-,]/); print a[n] }' /proc/self/status; }

need_more() {
	command -v losetup >/dev/null || { echo "needs losetup: apt-get install util-linux"; exit 77; }
	[ "$(grep -c '^processor' /proc/cpuinfo)" -ge 2 ] && [ "$(last_cpu)" != 0 ] ||
		{ echo "needs two CPUs to pin one loop to one of them; this machine lets us use $(last_cpu)"; exit 77; }
	[ -e /dev/loop-control ] || modprobe loop 2>/dev/null
	[ -e /dev/loop-control ] || { echo "no loop devices here (/dev/loop-control; modprobe loop)"; exit 77; }
}

# attached - the loop devices over the lab's disk image (from sysfs: util-linux's and
# busybox's losetup list them differently)
attached() {
	for _f in /sys/block/loop*/loop/backing_file; do
		[ "$(cat "$_f" 2>/dev/null)" = "$LAB_STATE/disk.img" ] && echo "/dev/${_f#/sys/block/}" | sed 's|/loop/backing_file$||'
	done
	return 0
}

# detach - every loop device over the lab's disk image
detach() { for _d in $(attached); do losetup -d "$_d"; done; }

run_() {
	cpu=$(last_cpu)
	cgroups/run -v -c $CG --cpuset "$cpu" -- sh -c '
		sh -c "while :; do :; done" & loop=$!
		sleep 1
		grep Cpus_allowed_list /proc/$loop/status
		echo "loop $loop last ran on CPU $(cut -d" " -f39 /proc/$loop/stat)"
		top -b -n 2 -d 1 -1 -w 512 2>/dev/null | awk "/^top -/ { n++ } n == 2 && /%Cpu/"
		kill $loop' >"$LAB_STATE/pinned.txt" 2>&1
	cgroups/run -c $CG -- grep Cpus_allowed_list /proc/self/status >"$LAB_STATE/free.txt" 2>&1
	cat "$LAB_STATE/pinned.txt" "$LAB_STATE/free.txt"
	truncate -s 64M "$LAB_STATE/disk.img"
	dev=$(losetup -f) && losetup "$dev" "$LAB_STATE/disk.img" && echo "$dev" >"$LAB_STATE/loopdev"
	majmin=$(cat "/sys/block/${dev#/dev/}/dev")
	cgroups/run -v -c $CG --io-max "$majmin wbps=2m" -- dd if=/dev/zero of="$dev" bs=1M count=6 oflag=direct >"$LAB_STATE/throttled.txt" 2>&1
	cgroups/run -c $CG -- dd if=/dev/zero of="$dev" bs=1M count=6 oflag=direct >"$LAB_STATE/unthrottled.txt" 2>&1
	cat "$LAB_STATE/throttled.txt" "$LAB_STATE/unthrottled.txt"
	losetup -d "$dev"
}

# secs FILE - the wall time of the report's command, from cgroups/run's "run: cpu: X s used
# in Y s" line (dd's own summary differs between coreutils and busybox, which may omit it)
secs() { sed -n 's/^run: cpu: [0-9.]* s used in \([0-9.]*\) s.*/\1/p' "$LAB_STATE/$1"; }

check_() {
	need_more
	have pinned.txt free.txt throttled.txt unthrottled.txt loopdev
	cpu=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$LAB_STATE/pinned.txt")
	expect_or "pinned.txt: Cpus_allowed_list is one CPU (--cpuset N)" "it is '$cpu'" \
		eval 'case $cpu in "" | *[!0-9]*) false ;; esac'
	expect "pinned.txt has the '=> echo N > .../cpuset.cpus' line (cgroups/run -v)" grep -q "cpuset.cpus" "$LAB_STATE/pinned.txt"
	ran=$(sed -n 's/^loop [0-9]* last ran on CPU \([0-9]*\)$/\1/p' "$LAB_STATE/pinned.txt")
	expect_or "pinned.txt: the loop last ran on its one CPU (field 39 of /proc/PID/stat)" "it ran on '$ran', not $cpu" [ "$ran" = "$cpu" ]
	free=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$LAB_STATE/free.txt")
	expect_or "free.txt: without --cpuset the list is every CPU" "it is '$free'" eval '[ -n "$free" ] && [ "$free" != "$cpu" ]'
	expect "throttled.txt has the '=> echo ... io.max' (or blkio.throttle) line (--io-max with -v)" \
		grep -q 'blkio.throttle.write_bps_device\|io.max' "$LAB_STATE/throttled.txt"
	t=$(secs throttled.txt) u=$(secs unthrottled.txt)
	expect "both dd reports have a 'run: cpu: ... used in N s' line (cgroups/run's)" eval '[ -n "$t" ] && [ -n "$u" ]'
	# 6 MiB at 2 MiB/s is 3 s; the first bytes may pass in the first slice: at least 2 s
	expect_or "the throttled dd took about 3 s: 6 MiB at wbps=2m" "it took $t s" awk -v t="$t" 'BEGIN { exit !(t >= 2) }'
	expect_or "the unthrottled dd took much less time" "$u s, against $t s" awk -v t="$t" -v u="$u" 'BEGIN { exit !(u < t / 2) }'
	dev=$(cat "$LAB_STATE/loopdev")
	expect_or "disk.img is detached (losetup -d)" "$(attached) is still attached: losetup -d $dev" [ -z "$(attached)" ]
	passed "the loop ran only on CPU $cpu (every CPU: $free); dd wrote 6 MiB in $t s under wbps=2m, $u s free"
}

case "${1:-}" in
setup) need_more; detach ;;
check) need_more ;;
teardown) detach ;;
esac
steps "$@"
