#!/bin/sh
# bench/env.sh - how `minirun run --env-file` scales with the number of variables: each
# step should cost about the same per variable (linear), not grow with the count.
#
#   bench/env.sh [COUNTS...]          (root; `make minirun busybox-image`; MINIRUN=PATH picks
#                                      another binary; default counts: 5000 20000 100000)
#
# For each count N it writes an env file of N variables (V1=1 ... short, so that 100,000 of
# them fit in execve's limit, a quarter of the 8 MiB stack), runs `minirun run --rm
# --network none --env-file FILE busybox env` once and prints the wall time, the time per
# 1000 variables and how many of the variables the container's env printed (which must be
# N). The command is `env`, not `sh -c 'env | ...'`: busybox sh's own variable table
# grows worse than linearly with this many. The time per 1000 should stay flat as N grows.
# Measured here: before the merge went by a key index (issue 13, finding 7), 5k 0.47 s,
# 20k 4.9 s, 50k 29.5 s (100k over 60 s); after, 5k 0.06 s, 20k 0.14 s, 100k 0.6 s.
#
# Everything runs inside a throwaway namespace that plays the host (new network, mount and
# PID namespaces) with a store of its own under a temp dir, removed at the end.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "env.sh: run 'make minirun busybox-image' first" >&2; exit 1; }
[ $# -gt 0 ] || set -- 5000 20000 100000

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	# the namespace that plays the host; when it ends, every process it started goes too
	exec unshare -n -m -p -f --mount-proc env MR_BENCH_INNER=1 sh "$0" "$@"
fi
mount --make-rprivate /
W=$(mktemp -d /tmp/mr-env-bench.XXXXXX)
trap 'umount -R "$W" 2>/dev/null; rm -rf "$W"' EXIT
"$MR" --root "$W/root" import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null

# now in nanoseconds
now() { date +%s%N; }

printf '%10s %10s %14s %10s\n' variables seconds 's/1000 vars' seen
for n in "$@"; do
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "V%x=%d\n", i, i % 10 }' \
		>"$W/env"
	t0=$(now)
	seen=$("$MR" --root "$W/root" run --rm --network none --env-file "$W/env" busybox \
		env | grep -c '^V[0-9a-f]*=')
	t1=$(now)
	awk -v n="$n" -v ns=$((t1 - t0)) -v seen="$seen" \
		'BEGIN { printf "%10d %10.2f %14.4f %10s\n", n, ns / 1e9, ns / 1e9 / n * 1000, seen }'
done
