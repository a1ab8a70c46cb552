# labs/01-fundamentals/mrlab.sh - what the container labs share (sourced by the lab.sh of
# module 1's labs and of labs/04-networking/08-12; not a lab itself).
#
# A container lab never touches your machine's store or your machine's network. `setup`:
#   - makes a store of the lab's own, $LAB_STATE/root, and imports the built-in busybox
#     image into it as busybox:latest (build/images/busybox.tar; `make busybox-image`);
#   - starts a small "holder" process (unshare -n sleep) in a network namespace of its own
#     that plays the host: minirun's default bridge mr0, its veths, its nft rules and every
#     published port are made in there, and vanish with it;
#   - writes $LAB_STATE/env. Source it in your shell (`. $LAB_STATE/env`) and `minirun`
#     means `minirun/minirun --root $LAB_STATE/root`, run inside that namespace; `onhost
#     CMD` runs any other command there (`innet NAME CMD` in a lab's other namespaces,
#     like the "internet" that `uplink` makes). The lab's own steps use the very same functions,
#     so lab.sh reads like the README.
# `teardown` removes every container of the store (`minirun rm -f`), kills the holders (and
# with them the namespaces, bridges and rules), and removes $LAB_STATE.
#
# A lab.sh sets LAB_NAME (the short name `labs/lab` knows it by), defines setup_ (extra
# setup, may be empty), run_, check_ and hint, then calls `steps "$@"`.
# POSIX sh: runs under dash and busybox ash.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
cd "$MR_TOP" || exit 1
LAB_STATE=${LAB_STATE:?set LAB_STATE, or run the lab through labs/lab}
export MR_TOP LAB_STATE
MR_BIN=$MR_TOP/minirun/minirun
MR_IMAGE_TAR=$MR_TOP/build/images/busybox.tar
# realtool, starttime, remember, kill_remembered, pid, fail, BB
. "$MR_TOP/labs/lib.sh"
# the real nsenter and unshare on the PATH, not busybox applets (busybox ash runs its own
# applet for a bare name, and those lack the options used here)
NSENTER=$(realtool nsenter) UNSHARE=$(realtool unshare)

# need - this machine can run the lab (exit 77 with the reason when it cannot; 1 when the
# toolkit is not built yet, which is something to fix, not a missing feature)
need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: containers need CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x "$MR_BIN" ] || { echo "minirun is not built: run 'make minirun' first"; exit 1; }
	[ -f "$MR_IMAGE_TAR" ] || { echo "no built-in image at $MR_IMAGE_TAR: run 'make busybox-image' first"; exit 1; }
	[ -n "$BB" ] || { echo "needs busybox on the host (for wget and nc): apt-get install busybox-static"; exit 77; }
	"$UNSHARE" -n true 2>/dev/null || { echo "cannot create a network namespace here"; exit 77; }
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
	grep -qw overlay /proc/filesystems || { echo "this kernel has no overlayfs"; exit 77; }
}

# need_verbs VERB... - fail (exit 1) naming the first container verb minirun does not have
need_verbs() {
	for _v; do
		"$MR_BIN" "$_v" --help >/dev/null 2>&1 ||
			{ echo "check: minirun has no working '$_v' command yet (minirun/containers, issue #8)"; exit 1; }
	done
}

# holder NAME - start a process in a network namespace of its own, with lo up; remember it
holder() {
	"$UNSHARE" -n sleep 1000000 </dev/null >/dev/null 2>&1 &
	_p=$!
	_i=0
	while [ "$(readlink "/proc/$_p/ns/net")" = "$(readlink /proc/self/ns/net)" ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "the holder $_p never entered its namespace"; return 1; }
		sleep 0.05
	done
	echo "$_p $(starttime "$_p")" >"$LAB_STATE/$1.pid"
	remember "$_p" all.pids
	"$NSENTER" -t "$_p" -n ip link set lo up
}

# inns NAME CMD... - run CMD in NAME's network namespace
inns() { _n=$1; shift; "$NSENTER" -t "$(pid "$_n")" -n "$@"; }

# write_env - $LAB_STATE/env: the functions a learner sources (see the top of this file)
write_env() {
	cat >"$LAB_STATE/env" <<ENV
# made by 'labs/lab $LAB_NAME setup': source it with  . $LAB_STATE/env
export LAB_STATE=$LAB_STATE
# minirun ARGS... - the lab's minirun: its own store, in the namespace that plays the host
minirun() { $NSENTER -t $(pid host) -n $MR_BIN --root $LAB_STATE/root "\$@"; }
# onhost CMD... - run CMD in the namespace that plays the host
onhost() { $NSENTER -t $(pid host) -n "\$@"; }
# innet NAME CMD... - run CMD in the lab's other namespace NAME (internet, ...)
innet() { _n=\$1; shift; $NSENTER -t \$(cut -d' ' -f1 $LAB_STATE/\$_n.pid) -n "\$@"; }
ENV
}

# uplink - an "internet" namespace behind the host's veth 'uplink': the host is
# 198.51.100.1, the internet 198.51.100.2 (TEST-NET-2: never a real address)
uplink() {
	[ -x netns/veth ] || { echo "the netns programs are not built: run 'make netns' first"; return 1; }
	holder internet &&
		inns host ./netns/veth -a 198.51.100.1/24 -n "$(pid internet)" -r eth0 -A 198.51.100.2/24 uplink uplinkp >/dev/null
}

# mr_import - busybox:latest in the lab's store, made as 'make busybox-image-import' makes it
mr_import() {
	SOURCE_DATE_EPOCH=0 minirun import -c 'CMD ["sh"]' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		"$MR_IMAGE_TAR" busybox:latest >/dev/null
}

# mounts_below DIR - the mount points under DIR, deepest first
mounts_below() { awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r; }

# teardown_all - remove every container of the store, kill what the lab started, remove files
teardown_all() {
	if [ -f "$LAB_STATE/env" ]; then
		. "$LAB_STATE/env"
		for _d in "$LAB_STATE"/root/containers/*/; do
			_id=$(basename "$_d")
			case $_id in *[!0-9a-f]*) continue ;; esac
			minirun rm -f -v "$_id" >/dev/null 2>&1
		done
	fi
	# what a broken `rm -f` may have left: monitors ("PID STARTTIME" files), the
	# containers' processes (in their cgroups, minirun-ID: ours, by ID), mounts
	for _m in "$LAB_STATE"/root/run/containers/*/monitor.pid; do
		[ -f "$_m" ] || continue
		read -r _p _t <"$_m" && [ -n "$_t" ] && [ "$(starttime "$_p")" = "$_t" ] && kill -KILL "$_p" 2>/dev/null
	done
	for _d in "$LAB_STATE"/root/containers/*/; do
		_id=$(basename "$_d")
		case $_id in *[!0-9a-f]*) continue ;; esac
		for _g in $(find /sys/fs/cgroup -maxdepth 3 -type d -name "minirun-$_id" 2>/dev/null); do
			for _p in $(cat "$_g/cgroup.procs" 2>/dev/null); do kill -KILL "$_p" 2>/dev/null; done
			_i=0
			while grep -q . "$_g/cgroup.procs" 2>/dev/null && [ $_i -lt 20 ]; do sleep 0.1; _i=$((_i + 1)); done
			rmdir "$_g" 2>/dev/null
		done
	done
	kill_remembered
	for _m in $(mounts_below "$LAB_STATE"); do umount -l "$_m" 2>/dev/null; done
	rm -rf "$LAB_STATE"
	echo "torn down: the lab's containers, store and namespaces are gone"
}

# have FILE - the learner's saved output FILE (in $LAB_STATE) exists, else fail
have() { [ -f "$LAB_STATE/$1" ] || fail "$LAB_STATE/$1 is missing: do the steps first"; }

# steps - the standard dispatch; run and check get the env's functions
steps() {
	case "${1:-}" in
	setup)
		need
		teardown_all >/dev/null
		mkdir -p "$LAB_STATE/root" && holder host && write_env && . "$LAB_STATE/env" || exit 1
		mr_import || { echo "setup: importing $MR_IMAGE_TAR into the lab's store failed"; exit 1; }
		setup_ || exit 1
		echo "lab ready: a store in $LAB_STATE/root with busybox:latest, and a namespace playing the host"
		echo "in your shell:  . $LAB_STATE/env"
		;;
	run | check)
		need
		[ -f "$LAB_STATE/env" ] || { echo "no lab state: run 'labs/lab $LAB_NAME setup' first"; exit 1; }
		. "$LAB_STATE/env"
		if [ "$1" = run ]; then run_; else check_; fi
		;;
	hint) hint ;;
	teardown) teardown_all ;;
	*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
	esac
}
