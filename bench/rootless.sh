#!/bin/sh
# bench/rootless.sh - rootless `minirun run --rm --network none busybox true` against
# rootless `podman run --rm` of the same image, side by side, as an ordinary user.
#
#   bench/rootless.sh [RUNS]     (root, to make the user; needs hyperfine, podman, runc,
#                                 useradd; `make minirun busybox-image`)
#
# A user mrbench-XXXX is made for the run (with a range in /etc/subuid and /etc/subgid
# and a runtime dir of its own) and removed afterwards, with every process it has.
#   minirun  its default rootless store (~/.local/share/minirun) and its kept namespace
#   podman   storage and runroot in the user's home, runc as the runtime (crun refuses
#            this hybrid cgroup host), --cgroup-manager=cgroupfs (no systemd here), the
#            rlimit flags this machine needs (MACHINE.md), events to a file
# Prints hyperfine's table, the means and the ratio; the issue's target is podman /
# minirun >= 10. Not measured yet: port-forwarding throughput through pasta vs
# slirp4netns (needs iperf3, and a /dev/net/tun users may open).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-20}
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
for c in hyperfine podman runc useradd userdel usermod su; do
	command -v $c >/dev/null || { echo "rootless.sh: needs $c (make deps)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "rootless.sh: run as root (it makes a user)" >&2; exit 1; }
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "rootless.sh: run 'make minirun busybox-image' first" >&2; exit 1; }

U=mrbench-$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')
useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$U"
UID_=$(id -u "$U")
HOME_=$(getent passwd "$U" | cut -d: -f6)
SUB=$((450000000 + (UID_ % 2000) * 65536))
RUN=$(mktemp -d /tmp/mr-bench-run.XXXXXX)
cleanup() {
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		_p=$(ps -u "$U" -o pid= -o stat= | awk '$2 !~ /^Z/ { print $1 }')
		[ -z "$_p" ] && break
		# shellcheck disable=SC2086 # a list of pids
		kill -9 $_p 2>/dev/null || true
		sleep 0.2
	done
	userdel -r "$U" >/dev/null 2>&1 || true
	rm -rf "$RUN"
}
trap cleanup EXIT INT TERM
usermod --add-subuids "$SUB-$((SUB + 65535))" --add-subgids "$SUB-$((SUB + 65535))" "$U"
chown "$U:" "$RUN"
chmod 700 "$RUN"
cp "$TAR" "$HOME_/busybox.tar"
chown "$U:" "$HOME_/busybox.tar"

POD="podman --root $HOME_/pod/storage --runroot $HOME_/pod/run --tmpdir $HOME_/pod/tmp"
POD="$POD --cgroup-manager=cgroupfs --events-backend file --runtime $(command -v runc)"
PODRUN="--rm --network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000"
cat >"$HOME_/bench.sh" <<EOF
set -e
export XDG_RUNTIME_DIR=$RUN
cd
$MR import busybox.tar busybox >/dev/null
$POD import busybox.tar busybox >/dev/null 2>&1
# one run each first, so a broken setup fails here with its message, not inside hyperfine
$MR run --rm --network none busybox true
$POD run $PODRUN busybox true
hyperfine -N -w 3 -r $RUNS --export-csv $HOME_/run.csv \\
	-n "minirun rootless" "$MR run --rm --network none busybox true" \\
	-n "podman rootless (runc)" "$POD run $PODRUN busybox true"
EOF
chown "$U:" "$HOME_/bench.sh"
su -s /bin/sh "$U" -c "sh $HOME_/bench.sh"

mean() { awk -F, -v n="$1" '$1 == n { printf "%.2f", $2 * 1000 }' "$HOME_/run.csv"; }
mr=$(mean "minirun rootless")
pod=$(mean "podman rootless (runc)")
echo "== rootless run --rm --network none busybox true, mean of $RUNS runs"
echo "  minirun   $mr ms"
echo "  podman    $pod ms"
awk -v p="$pod" -v m="$mr" 'BEGIN {
	printf "  podman / minirun: %5.1fx   (target >= 10x)\n", p / m }'
