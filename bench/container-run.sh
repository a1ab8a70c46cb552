#!/bin/sh
# bench/container-run.sh - `minirun run --rm busybox true` against `podman run --rm` and
# `docker run --rm` of the same image, and minirun's --network none against its default
# bridge, side by side in one hyperfine run; and a before-and-after of two minirun binaries,
# run alternately.
#
#   bench/container-run.sh [RUNS]     (root; needs hyperfine, podman, runc; docker.io for the
#                                      docker row (left out, with a note, without it);
#                                      `make minirun busybox-image`; MINIRUN=PATH picks
#                                      another binary; MINIRUN_BASE=PATH adds a row for a
#                                      second one, and the interleaved section below)
#   MINIRUN_BASE=PATH bench/container-run.sh --interleave [RUNS]
#                                     (root; only the interleaved section: no peers, no
#                                      hyperfine)
#
# Every engine runs the built-in busybox image (build/images/busybox.tar, imported into each),
# and each keeps its store on disk and its run files on a tmpfs, as on a usual host
# (/var/lib/X on disk, /run a tmpfs); this machine's /run is on disk, so the namespace below
# mounts a tmpfs on /run, as systemd does at boot:
#   minirun  its store under a temp dir (--root), its run root on /run (--runroot: the files
#            of one start, minirun/containers/root.c)
#   podman   its storage root under the temp dir, its runroot and runc's root on /run
#            (overlay, its default driver; events to a file), runc as the runtime,
#            --cgroup-manager=cgroupfs (no systemd here) and the rlimit flags this machine
#            needs (no CAP_SYS_RESOURCE: MACHINE.md)
#   docker   dockerd 20.10 started as the tests start it (tests/lib/peers.sh: a namespace of
#            its own, --bridge=none, its containerd and runc), its data root and exec-root
#            on /run: the tmpfs favours it a little (its data root is on disk elsewhere)
# Everything runs inside a throwaway namespace that plays the host (new network, mount and
# PID namespaces): minirun's default bridge mr0, its veths and nft table are made and die
# there, never on the machine's own network. podman and docker run with --network none
# (podman's bridge would need netavark and the host's firewall), so the like-for-like row is
# minirun's --network none; the bridge row shows what a network costs.
# Prints hyperfine's table, then the means and the ratios: the targets are minirun / podman
# and minirun / docker <= 0.05 (issue 14), bridge / none <= 2. MR_BENCH_V2=1 runs all on a
# pure cgroup v2 view of /sys/fs/cgroup (see below), what most hosts have; the default is
# this machine's layout.
#
# Interleaved (with MINIRUN_BASE, after the table; alone with --interleave): hyperfine runs
# its rows one after another, so the base row meets other moments of the machine than the
# new one, and differences under ~1 ms drown in the load's drift. This section runs the two
# binaries' `run --rm --network none busybox true` alternately instead, RUNS each, the order
# flipped every pair (new, base; base, new; ...), so both meet the same moments, and prints
# each one's median, mean and min and the ratios new / base. The timing loop is bash's
# (EPOCHREALTIME, microseconds, no fork for the clock; bash is Essential on Debian).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
ONLY_AB=
RUNS=${1:-20}
if [ "${1:-}" = --interleave ]; then
	ONLY_AB=1
	RUNS=${2:-20}
fi
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
NEEDS="unshare bash"
[ -z "$ONLY_AB" ] && NEEDS="$NEEDS hyperfine podman runc"
for c in $NEEDS; do
	command -v $c >/dev/null || { echo "container-run.sh: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "container-run.sh: run 'make minirun busybox-image' first" >&2; exit 1; }
[ -n "$ONLY_AB" ] && [ ! -x "${MINIRUN_BASE:-}" ] &&
	{ echo "container-run.sh: --interleave needs MINIRUN_BASE=PATH, a second binary" >&2; exit 1; }

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	# the namespace that plays the host; when it ends, every process it started goes too
	exec unshare -n -m -p -f --mount-proc env MR_BENCH_INNER=1 sh "$0" "$@"
fi
ip link set lo up
# /run a tmpfs, as on a systemd host (here it is on the root disk): private to this namespace
mount -t tmpfs -o mode=755 tmpfs /run
if [ "${MR_BENCH_V2:-}" = 1 ]; then
	# a pure cgroup v2 view, as on a systemd host (oci-run.sh does the same for crun): in
	# this private mount namespace only, the v1 trees go and cgroup2 takes /sys/fs/cgroup.
	# Both engines see the same tree; a hybrid host's v1 costs (a migration per hierarchy,
	# a cgroup mount per hierarchy in each container) are what this row leaves out.
	umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup
fi

W=$(mktemp -d /tmp/mr-crun-bench.XXXXXX)
MRR="$MR --root $W/mr --runroot /run/minirun"
$MRR import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
BASE=
if [ -n "${MINIRUN_BASE:-}" ]; then
	BASE="$MINIRUN_BASE --root $W/mr-base --runroot /run/minirun-base"
	$BASE import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
	$BASE run --rm --network none busybox true
fi

# interleave: the two binaries' runs alternately, RUNS each, the order flipped every pair;
# each run's microseconds to $W/ab (`new US` or `base US`), then the summary
interleave() {
	LC_ALL=C bash -c '
	runs=$1; new=$2; base=$3
	for ((i = 0; i < runs; i++)); do
		order="new base"
		((i % 2)) && order="base new"
		for x in $order; do
			[ $x = new ] && cmd=$new || cmd=$base
			s=$EPOCHREALTIME
			$cmd run --rm --network none busybox true ||
				{ echo "container-run.sh: $x run failed" >&2; exit 1; }
			e=$EPOCHREALTIME
			echo "$x $((${e/./} - ${s/./}))"
		done
	done' interleave "$RUNS" "$MRR" "$BASE" >"$W/ab"
	# median, mean, min (ms) of one binary's runs
	stats() { awk -v x="$1" '$1 == x { print $2 / 1000 }' "$W/ab" | sort -n | awk '
		{ v[NR] = $1; s += $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.2f %.2f %.2f", m, s / NR, v[1] }'; }
	echo "== interleaved: run --rm --network none busybox true, $RUNS runs each, alternately"
	awk -v n="$(stats new)" -v b="$(stats base)" -v p="$MINIRUN_BASE" 'BEGIN {
		split(n, N, " "); split(b, B, " ")
		printf "                          median     mean      min (ms)\n"
		printf "  minirun (none)        %8.2f %8.2f %8.2f\n", N[1], N[2], N[3]
		printf "  base (none)           %8.2f %8.2f %8.2f  (%s)\n", B[1], B[2], B[3], p
		printf "  minirun / base        %7.3fx %7.3fx %7.3fx\n", N[1] / B[1], N[2] / B[2], N[3] / B[3] }'
}
cleanup_ab() { rm -rf "$W"; }
if [ -n "$ONLY_AB" ]; then
	trap cleanup_ab EXIT INT TERM
	# three runs each first: the page cache and the seccomp cache warm for both
	for _i in 1 2 3; do
		$MRR run --rm --network none busybox true
		$BASE run --rm --network none busybox true
	done
	interleave
	exit 0
fi

# podman's store on disk under W, its runroot, --tmpdir and runc's --root on the tmpfs
POD="podman --root $W/pod/storage --runroot /run/pod --tmpdir /run/pod/tmp"
POD="$POD --runtime-flag root=/run/pod/runc --cgroup-manager=cgroupfs"
POD="$POD --storage-driver overlay --events-backend file --runtime $(command -v runc)"
PODRUN="--rm --network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000"
# podman's default pids limit needs the pids controller, which the v2 view may not offer
[ "${MR_BENCH_V2:-}" = 1 ] && PODRUN="$PODRUN --pids-limit -1"
# podman leaves cgroups (libpod_parent/...) at the hierarchies' roots: remove the new empty
# ones of podman's when done, deepest first (MACHINE.md); never one that was there before,
# nor one of another name (other tests make cgroups on this machine at the same time)
find /sys/fs/cgroup -type d 2>/dev/null | sort >"$W/cg.before"
new_libpod_cgroups() {
	find /sys/fs/cgroup -depth -type d -path '*libpod*' 2>/dev/null | grep -vxF -f "$W/cg.before"
}
# docker's engine, as the tests start it (peers.sh's pk_* want t.sh's t_skip and t_fail)
t_skip() { echo "container-run.sh: $*" >&2; exit 1; }
t_fail() { echo "container-run.sh: $*" >&2; exit 1; }
. "$TOP/tests/lib/peers.sh"
DK=
if command -v dockerd >/dev/null && command -v docker >/dev/null; then
	DK=1
else
	echo "container-run.sh: no docker row: docker.io is not installed (make deps)" >&2
fi
cleanup() {
	[ -n "$DK" ] && pk_dockerd_stop >/dev/null 2>&1
	$POD rm -af >/dev/null 2>&1 || true
	# the last conmon may still be on its way out: a few tries, 200 ms apart
	for _try in 1 2 3 4 5 6 7 8 9 10; do
		for d in $(new_libpod_cgroups); do
			[ -z "$(cat "$d/cgroup.procs" 2>/dev/null)" ] && rmdir "$d" 2>/dev/null
		done
		[ -z "$(new_libpod_cgroups)" ] && break
		sleep 0.2
	done
	# what the engines made in /run (podman's runc without its --runtime-flag uses
	# /run/runc) goes with this namespace's tmpfs
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

$POD import "$TAR" busybox >/dev/null 2>&1
[ -n "$DK" ] && pk_dockerd_start /run/dk
[ -n "$DK" ] && { docker import "$TAR" busybox >/dev/null || t_fail "docker import failed"; }
# one run each first, so a broken setup fails here with its message, not inside hyperfine
$MRR run --rm busybox true
$MRR run --rm --network none busybox true
$POD run $PODRUN busybox true
[ -n "$DK" ] && docker run --rm --network none busybox true

set -- -n "minirun --network none" "$MRR run --rm --network none busybox true" \
	-n "minirun (bridge)" "$MRR run --rm busybox true" \
	-n "podman --network none" "$POD run $PODRUN busybox true"
[ -n "$DK" ] && set -- "$@" -n "docker --network none" "docker run --rm --network none busybox true"
[ -n "$BASE" ] && set -- "$@" -n "minirun base --network none" \
	"$BASE run --rm --network none busybox true"
hyperfine -N -w 3 -r "$RUNS" --export-csv "$W/run.csv" "$@"

# the means (ms) from hyperfine's CSV (command,mean,stddev,median,user,system,min,max)
mean() { awk -F, -v n="$1" '$1 == n { printf "%.2f", $2 * 1000 }' "$W/run.csv"; }
none=$(mean "minirun --network none")
bridge=$(mean "minirun (bridge)")
pod=$(mean "podman --network none")
dk=$(mean "docker --network none")
base=$(mean "minirun base --network none")
echo "== run --rm busybox true, mean of $RUNS runs"
echo "  minirun --network none  $none ms"
echo "  minirun (bridge)        $bridge ms"
echo "  podman --network none   $pod ms"
[ -n "$dk" ] && echo "  docker --network none   $dk ms"
[ -n "$base" ] && echo "  minirun base (none)     $base ms  ($MINIRUN_BASE)"
awk -v p="$pod" -v d="${dk:-0}" -v n="$none" -v b="$bridge" -v o="${base:-0}" 'BEGIN {
	printf "  minirun (none) / podman:   %5.3fx  (target <= 0.05x)\n", n / p
	if (d > 0) printf "  minirun (none) / docker:   %5.3fx  (target <= 0.05x)\n", n / d
	if (o > 0) printf "  base (none) / podman:      %5.3fx\n", o / p
	if (o > 0 && d > 0) printf "  base (none) / docker:      %5.3fx\n", o / d
	printf "  minirun (bridge) / podman: %5.3fx\n", b / p
	printf "  bridge / none (minirun):   %5.2fx   (target <= 2x)\n", b / n }'
# the same two binaries again, run by run (the engines are warm: hyperfine's runs)
[ -n "$BASE" ] && interleave
exit 0
