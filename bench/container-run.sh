#!/bin/sh
# bench/container-run.sh - `minirun run --rm busybox true` against `podman run --rm` of the
# same image, and minirun's --network none against its default bridge, side by side.
#
#   bench/container-run.sh [RUNS]     (root; needs hyperfine, podman, runc; `make minirun
#                                      busybox-image`; MINIRUN=PATH picks another binary)
#
# Both tools run the built-in busybox image (build/images/busybox.tar, imported into each):
#   minirun  a store of its own under a temp dir (--root)
#   podman   its own storage root and runroot there too (overlay, its default driver; events
#            to a file; the mount namespace below keeps its mounts private), runc as the
#            runtime, --cgroup-manager=cgroupfs (no systemd here) and the rlimit flags this
#            machine needs (no CAP_SYS_RESOURCE: MACHINE.md)
# Everything runs inside a throwaway namespace that plays the host (new network, mount and
# PID namespaces): minirun's default bridge mr0, its veths and nft table are made and die
# there, never on the machine's own network. podman runs with --network none (its bridge
# would need netavark and the host's firewall), so the like-for-like row is minirun's
# --network none; the bridge row shows what a network costs.
# Prints hyperfine's table, then the means and the ratios: the targets are podman / minirun
# >= 10 and bridge / none <= 2. MR_BENCH_V2=1 runs both on a pure cgroup v2 view of
# /sys/fs/cgroup (see below), what most hosts have; the default is this machine's layout.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-20}
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
for c in hyperfine podman runc unshare; do
	command -v $c >/dev/null || { echo "container-run.sh: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "container-run.sh: run 'make minirun busybox-image' first" >&2; exit 1; }

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	# the namespace that plays the host; when it ends, every process it started goes too
	exec unshare -n -m -p -f --mount-proc env MR_BENCH_INNER=1 sh "$0" "$@"
fi
ip link set lo up
if [ "${MR_BENCH_V2:-}" = 1 ]; then
	# a pure cgroup v2 view, as on a systemd host (oci-run.sh does the same for crun): in
	# this private mount namespace only, the v1 trees go and cgroup2 takes /sys/fs/cgroup.
	# Both engines see the same tree; a hybrid host's v1 costs (a migration per hierarchy,
	# a cgroup mount per hierarchy in each container) are what this row leaves out.
	umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup
fi

W=$(mktemp -d /tmp/mr-crun-bench.XXXXXX)
# --tmpdir and runc's own --root there too: left to their defaults, podman and runc make
# /run/libpod and /run/runc on the machine
POD="podman --root $W/pod/storage --runroot $W/pod/run --tmpdir $W/pod/tmp"
POD="$POD --runtime-flag root=$W/pod/runc --cgroup-manager=cgroupfs"
POD="$POD --storage-driver overlay --events-backend file --runtime $(command -v runc)"
PODRUN="--rm --network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000"
# podman's default pids limit needs the pids controller, which the v2 view may not offer
[ "${MR_BENCH_V2:-}" = 1 ] && PODRUN="$PODRUN --pids-limit -1"
# podman leaves cgroups (libpod_parent/...) at the hierarchies' roots: remove the new empty
# ones of podman's when done, deepest first (MACHINE.md); never one that was there before,
# nor one of another name (other tests make cgroups on this machine at the same time)
find /sys/fs/cgroup -type d 2>/dev/null | sort >"$W/cg.before"
# podman still runs runc once without its --runtime-flag (so with runc's default root,
# /run/runc): if that directory is new, it goes when empty
[ -e /run/runc ] && runc_was=1 || runc_was=
new_libpod_cgroups() {
	find /sys/fs/cgroup -depth -type d -path '*libpod*' 2>/dev/null | grep -vxF -f "$W/cg.before"
}
cleanup() {
	$POD rm -af >/dev/null 2>&1 || true
	# the last conmon may still be on its way out: a few tries, 200 ms apart
	for _try in 1 2 3 4 5 6 7 8 9 10; do
		for d in $(new_libpod_cgroups); do
			[ -z "$(cat "$d/cgroup.procs" 2>/dev/null)" ] && rmdir "$d" 2>/dev/null
		done
		[ -z "$(new_libpod_cgroups)" ] && break
		sleep 0.2
	done
	[ -n "$runc_was" ] || rmdir /run/runc 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

"$MR" --root "$W/mr" import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
$POD import "$TAR" busybox >/dev/null 2>&1
# one run each first, so a broken setup fails here with its message, not inside hyperfine
"$MR" --root "$W/mr" run --rm busybox true
"$MR" --root "$W/mr" run --rm --network none busybox true
$POD run $PODRUN busybox true

hyperfine -N -w 3 -r "$RUNS" --export-csv "$W/run.csv" \
	-n "minirun --network none" "$MR --root $W/mr run --rm --network none busybox true" \
	-n "minirun (bridge)" "$MR --root $W/mr run --rm busybox true" \
	-n "podman --network none" "$POD run $PODRUN busybox true"

# the means (ms) from hyperfine's CSV (command,mean,stddev,median,user,system,min,max)
mean() { awk -F, -v n="$1" '$1 == n { printf "%.2f", $2 * 1000 }' "$W/run.csv"; }
none=$(mean "minirun --network none")
bridge=$(mean "minirun (bridge)")
pod=$(mean "podman --network none")
echo "== run --rm busybox true, mean of $RUNS runs"
echo "  minirun --network none  $none ms"
echo "  minirun (bridge)        $bridge ms"
echo "  podman --network none   $pod ms"
awk -v p="$pod" -v n="$none" -v b="$bridge" 'BEGIN {
	printf "  podman / minirun (none):   %5.1fx   (target >= 10x)\n", p / n
	printf "  podman / minirun (bridge): %5.1fx\n", p / b
	printf "  bridge / none (minirun):   %5.2fx   (target <= 2x)\n", b / n }'
