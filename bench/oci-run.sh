#!/bin/sh
# bench/oci-run.sh - minirun-oci against runc, crun and a bare unshare, side by side.
#
#   bench/oci-run.sh [RUNS]          (root; needs hyperfine, runc, crun; `make minirun rootfs`)
#
# One bundle whose process is /bin/true (busybox rootfs, read-only, new pid/mount/ipc/uts/
# network namespaces, the usual /proc /dev /sys mounts, no cgroup limits) is run by each
# runtime with `run` (create + start + wait + delete), and then as the three separate
# commands engines use: create, start, delete --force. The floor is
# `unshare -fpmiun --mount-proc /bin/true`: namespaces and a /proc, nothing else.
#
# crun 1.8 refuses hybrid cgroup hosts, so the whole benchmark runs in a mount namespace
# of its own where the v1 trees are unmounted and the pure cgroup v2 hierarchy is mounted
# on /sys/fs/cgroup instead (MACHINE.md):
# every runtime then sees the same v2 tree. Nothing of the host's mounts is changed.
# Each runtime's --root (its state: runc's /run/runc, crun's /run/crun, minirun-oci's
# /run/minirun-oci by default) is on a tmpfs mounted there too, as /run is on a usual host;
# this machine's /run is on its disk.
# Prints hyperfine's table, then each mean, min and CPU time and their ratios to
# minirun-oci's. Load matters: run it when `uptime` says the load is below 1, and compare
# the ratios of one run, not times across runs.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-50}
MR=$TOP/minirun/minirun-oci
for c in hyperfine runc crun unshare; do
	command -v $c >/dev/null || { echo "oci-run.sh: needs $c" >&2; exit 1; }
done
[ -x "$MR" ] && [ -d "$TOP/build/rootfs/busybox" ] || { echo "oci-run.sh: run 'make minirun rootfs' first" >&2; exit 1; }

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	# re-run inside a private mount namespace with cgroup v2 on /sys/fs/cgroup
	exec unshare -m --propagation private sh -c \
		'umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup &&
		 mount -t tmpfs -o mode=755 tmpfs /run && MR_BENCH_INNER=1 exec "$0" "$@"' "$0" "$@"
fi

D=$(mktemp -d /tmp/mr-bench.XXXXXX)
trap 'rm -rf "$D"' EXIT
B=$D/bundle
mkdir -p "$B"
cat >"$B/config.json" <<JSON
{
	"ociVersion": "1.0.2",
	"process": {
		"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["/bin/true"],
		"env": ["PATH=/bin:/sbin"], "cwd": "/",
		"capabilities": {
			"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]
		},
		"rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
		"noNewPrivileges": true
	},
	"root": {"path": "$TOP/build/rootfs/busybox", "readonly": true},
	"hostname": "bench",
	"mounts": [
		{"destination": "/proc", "type": "proc", "source": "proc"},
		{"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755", "size=65536k"]},
		{"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
		{"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]}
	],
	"linux": {
		"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "network"}],
		"maskedPaths": ["/proc/kcore", "/proc/keys", "/sys/firmware"],
		"readonlyPaths": ["/proc/sys", "/proc/sysrq-trigger"]
	}
}
JSON

# the state roots on the tmpfs (/run here is this namespace's own)
run_cmd() { echo "$1 --root /run/$2 run --bundle $B b-$2"; }
cycle_cmd() {
	echo "sh -c '$1 --root /run/$2 create --bundle $B c-$2 && $1 --root /run/$2 start c-$2 && $1 --root /run/$2 delete --force c-$2'"
}

hyperfine -N -w 5 -r "$RUNS" --export-csv "$D/run.csv" \
	-n minirun-oci "$(run_cmd "$MR" mr)" \
	-n crun "$(run_cmd crun cr)" \
	-n runc "$(run_cmd runc rc)" \
	-n unshare "unshare -fpmiun --mount-proc /bin/true"
hyperfine -w 3 -r "$RUNS" --export-csv "$D/cycle.csv" \
	-n "minirun-oci create+start+delete" "$(cycle_cmd "$MR" mr)" \
	-n "crun create+start+delete" "$(cycle_cmd crun cr)" \
	-n "runc create+start+delete" "$(cycle_cmd runc rc)"

# mean, min and CPU time (user + system, ms) and their ratios to the first row
# (minirun-oci), from hyperfine's CSV (command,mean,stddev,median,user,system,min,max).
# On a busy machine the min and the CPU time are the steadier figures: the min is the run
# that waited least for a CPU, and CPU time does not count the waiting at all.
report() {
	echo "== $1"
	awk -F, 'NR == 1 { next } NR == 2 { base = $2; bmin = $7; bcpu = $5 + $6 }
		{ printf "  %-34s mean %6.2f ms (%4.2fx)  min %6.2f ms (%4.2fx)  cpu %6.2f ms (%4.2fx)\n",
			$1, $2 * 1000, $2 / base, $7 * 1000, $7 / bmin, ($5 + $6) * 1000,
			($5 + $6) / bcpu }' "$2"
	echo "  (ratios to minirun-oci's; below 1.00x is faster than minirun-oci)"
}
report "run of a /bin/true bundle" "$D/run.csv"
report "create + start + delete --force" "$D/cycle.csv"
