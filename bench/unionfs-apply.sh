#!/bin/sh
# bench/unionfs-apply.sh - applying a 100 MB layer of many small files: unionfs/apply
# against GNU tar -x on the same file, side by side in one run. A benchmark, not a test:
# it prints the times and the ratio (the target is apply <= 1.2 x tar).
#
#   sh bench/unionfs-apply.sh [MB] [FILE-KB]      default 100 MB of 4 KB files (25600 files)
#   UNIONFS_BENCH_TMPFS=1 sh bench/unionfs-apply.sh   the same on a tmpfs, in a private
#                                                     mount namespace (CPU cost, no disk)
#
# Both extract as root onto the same filesystem (a scratch dir in $TMPDIR or /tmp), owners
# and modes preserved (tar as root does --same-owner --preserve-permissions by default);
# each run's output is removed before the next, outside the timing. unionfs/apply does
# more per entry (openat2 beneath the target, O_EXCL creation, whiteout checks, a
# temporary directory renamed into place), so this measures what that safety costs.
# Uses hyperfine when installed, else a loop of 5 runs with `date +%s%N`.
set -eu
MR_TOP=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-100} kb=${2:-4}
[ -x "$MR_TOP/unionfs/apply" ] && [ -x "$MR_TOP/tests/unionfs/tartool" ] || {
	echo "unionfs-apply.sh: build first: make unionfs" >&2
	exit 2
}
command -v tar >/dev/null || { echo "unionfs-apply.sh: needs GNU tar" >&2; exit 2; }
if [ "${UNIONFS_BENCH_TMPFS:-0}" = 1 ] && [ -z "${UNIONFS_BENCH_INNER:-}" ]; then
	# re-run this script in a mount namespace of its own with a tmpfs on its scratch dir
	export UNIONFS_BENCH_INNER=1
	exec unshare -m sh -c 'mount --make-rprivate / && d=$(mktemp -d /tmp/unionfs-bench.XXXXXX) &&
		mount -t tmpfs -o size=1g unionfs-bench "$d" && TMPDIR=$d sh "$0" "$@"; rc=$?;
		umount "$d"; rmdir "$d"; exit $rc' "$0" "$@"
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/unionfs-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir"

files=$((mb * 1024 / kb))
echo "making a layer of $files files of $kb KB in $((files / 100 + 1)) directories ..."
awk -v n="$files" -v size=$((kb * 1024)) 'BEGIN {
	for (i = 0; i < n; i++) {
		if (i % 100 == 0) printf "dir d%03d mode=0755\n", i / 100
		printf "file d%03d/f%05d size=%d mode=0644\n", i / 100, i, size
	}
}' | "$MR_TOP/tests/unionfs/tartool" mktar layer.tar
echo "layer.tar: $(($(wc -c <layer.tar) / 1048576)) MiB, $files files"

APPLY="$MR_TOP/unionfs/apply -q layer.tar out"
TAR="mkdir out && tar -xf layer.tar -C out"
if command -v hyperfine >/dev/null; then
	hyperfine --warmup 1 --runs ${UNIONFS_BENCH_RUNS:-5} --prepare 'rm -rf out; sync' --export-csv times.csv \
		-n "unionfs/apply" "$APPLY" -n "tar -x" "$TAR"
	apply=$(awk -F, '$1 == "unionfs/apply" { print $2 }' times.csv)
	tarx=$(awk -F, '$1 == "tar -x" { print $2 }' times.csv)
	# CPU time (user + system): steadier than wall time on a machine shared with others
	cpu_apply=$(awk -F, '$1 == "unionfs/apply" { print $5 + $6 }' times.csv)
	cpu_tar=$(awk -F, '$1 == "tar -x" { print $5 + $6 }' times.csv)
else
	best() { # best of 5 runs of CMD, in seconds
		b=""
		for _ in 1 2 3 4 5; do
			rm -rf out && sync
			s=$(date +%s%N) && sh -c "$1" && e=$(date +%s%N)
			t=$(((e - s) / 1000)) && { [ -z "$b" ] || [ "$t" -lt "$b" ]; } && b=$t
		done
		awk -v us="$b" 'BEGIN { printf "%.4f", us / 1e6 }'
	}
	apply=$(best "$APPLY")
	tarx=$(best "$TAR")
fi
rm -rf out
awk -v a="$apply" -v t="$tarx" 'BEGIN {
	printf "\nwall: unionfs/apply %.3f s   tar -x %.3f s   ratio %.2fx (target <= 1.20x): %s\n",
		a, t, a / t, a / t <= 1.2 ? "within target" : "OVER target"
}'
[ -n "${cpu_apply:-}" ] && awk -v a="$cpu_apply" -v t="$cpu_tar" 'BEGIN {
	printf "cpu:  unionfs/apply %.3f s   tar -x %.3f s   ratio %.2fx (user + system)\n", a, t, a / t
}'
uptime | sed 's/.*load/load/; s/^/(machine /; s/$/: wall times under load are noisy)/'
