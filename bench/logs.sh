#!/bin/sh
# bench/logs.sh - the cost of keeping a container's log: 100 MB of 60-byte lines written by a
# busybox container through `run --rm` (attached, its output discarded by hyperfine), by
# minirun's monitor (json-file, json-file rotated at 10m x 3, local), docker's daemon (the
# same three) and podman's conmon (k8s-file), side by side in one hyperfine run.
#
#   bench/logs.sh [RUNS] [MB]     (root; needs hyperfine, podman, runc; docker.io for the
#                                  docker rows (left out, with a note, without it);
#                                  `make minirun busybox-image`; MINIRUN=PATH picks another
#                                  binary, e.g. an older build to compare with)
#
# Each engine keeps its store under a temp dir and its run files on a tmpfs /run of a
# throwaway namespace that plays the host (as bench/container-run.sh does, whose setup this
# copies: see there for why each engine is started as it is). The monitor's write path is
# minirun/containers/logwrite.c: a line an entry, one write(2) per chunk read.
# Prints hyperfine's table, then the means and minirun's ratio to each peer.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
MB=${2:-100}
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
for c in hyperfine podman runc unshare; do
	command -v $c >/dev/null || { echo "logs.sh: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "logs.sh: run 'make minirun busybox-image' first" >&2; exit 1; }

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	# the namespace that plays the host; when it ends, every process it started goes too
	exec unshare -n -m -p -f --mount-proc env MR_BENCH_INNER=1 sh "$0" "$@"
fi
ip link set lo up
mount -t tmpfs -o mode=755 tmpfs /run

W=$(mktemp -d /tmp/mr-logs-bench.XXXXXX)
POD="podman --root $W/pod/storage --runroot /run/pod --tmpdir /run/pod/tmp"
POD="$POD --runtime-flag root=/run/pod/runc --cgroup-manager=cgroupfs"
POD="$POD --storage-driver overlay --events-backend file --runtime $(command -v runc)"
PODRUN="--rm --network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000"
find /sys/fs/cgroup -type d 2>/dev/null | sort >"$W/cg.before"
new_libpod_cgroups() {
	find /sys/fs/cgroup -depth -type d -path '*libpod*' 2>/dev/null | grep -vxF -f "$W/cg.before"
}
t_skip() { echo "logs.sh: $*" >&2; exit 1; }
t_fail() { echo "logs.sh: $*" >&2; exit 1; }
. "$TOP/tests/lib/peers.sh"
DK=
if command -v dockerd >/dev/null && command -v docker >/dev/null; then
	DK=1
else
	echo "logs.sh: no docker rows: docker.io is not installed (make deps)" >&2
fi
cleanup() {
	[ -n "$DK" ] && pk_dockerd_stop >/dev/null 2>&1
	$POD rm -af >/dev/null 2>&1 || true
	for _try in 1 2 3 4 5 6 7 8 9 10; do
		for d in $(new_libpod_cgroups); do
			[ -z "$(cat "$d/cgroup.procs" 2>/dev/null)" ] && rmdir "$d" 2>/dev/null
		done
		[ -z "$(new_libpod_cgroups)" ] && break
		sleep 0.2
	done
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

MRR="$MR --root $W/mr --runroot /run/minirun"
$MRR import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
$POD import "$TAR" busybox >/dev/null 2>&1
[ -n "$DK" ] && pk_dockerd_start /run/dk
[ -n "$DK" ] && { docker import "$TAR" busybox >/dev/null || t_fail "docker import failed"; }

# the container's command: MB megabytes of 60-byte lines
CMD="busybox sh -c \"yes 'a line of output as a web server would write it, sixty-ish' | head -c ${MB}000000\""
ROT="--log-opt max-size=10m --log-opt max-file=3"
$MRR run --rm --network none busybox true
set -- -n "minirun json-file" "$MRR run --rm --network none $CMD" \
	-n "minirun json-file 10m x 3" "$MRR run --rm --network none $ROT $CMD" \
	-n "minirun local" "$MRR run --rm --network none --log-driver local $CMD" \
	-n "podman k8s-file" "$POD run $PODRUN $CMD"
if [ -n "$DK" ]; then
	docker run --rm --network none busybox true
	set -- "$@" -n "docker json-file" "docker run --rm --network none $CMD" \
		-n "docker json-file 10m x 3" "docker run --rm --network none $ROT $CMD" \
		-n "docker local" "docker run --rm --network none --log-driver local $CMD"
fi
hyperfine -w 1 -r "$RUNS" --export-csv "$W/logs.csv" "$@"

mean() { awk -F, -v n="$1" '$1 == n { printf "%.2f", $2 }' "$W/logs.csv"; }
echo "== run --rm, $MB MB of 60-byte lines, mean of $RUNS runs (s)"
for row in "minirun json-file" "minirun json-file 10m x 3" "minirun local" \
	"docker json-file" "docker json-file 10m x 3" "docker local" "podman k8s-file"; do
	m=$(mean "$row")
	[ -n "$m" ] && printf '  %-28s %s s\n' "$row" "$m"
done
mj=$(mean "minirun json-file")
for peer in "docker json-file" "podman k8s-file"; do
	p=$(mean "$peer")
	[ -n "$p" ] && awk -v a="$mj" -v b="$p" -v n="$peer" \
		'BEGIN { printf "  minirun json-file / %-16s %5.2fx\n", n ":", a / b }'
done
exit 0
