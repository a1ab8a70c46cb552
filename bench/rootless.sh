#!/bin/sh
# bench/rootless.sh - minirun as an ordinary user, against its peers, side by side:
#   1. `run --rm --network none busybox true`: rootless minirun vs rootless podman (runc);
#   2. port-forwarding throughput, iperf3 (TCP, host 127.0.0.1:PORT -> the container's
#      network namespace, iperf3 -s there), through each way a port reaches a container:
#        rootful veth   minirun as root: a veth on a bridge, nft DNAT (the reference)
#        pasta          rootless minirun's default network (-p: pasta's loopback splice)
#        pasta+bridge   rootless minirun on a user network: pasta into the user's network
#                       namespace, then DNAT and the bridge there (minirun/rootless/netns.c)
#        slirp4netns    a namespace given slirp4netns as minirun starts it (--mtu=65520),
#                       the port added through its API socket by this script (minirun
#                       itself publishes ports through pasta only)
#
#   bench/rootless.sh [RUNS [SECONDS]]   (root, to make the user; needs hyperfine, podman,
#                                         runc, useradd, iperf3, pasta, slirp4netns, jq;
#                                         `make minirun busybox-image`; defaults 20 and 5)
#
# Everything runs in a throwaway namespace that plays the host (new network, mount and PID
# namespaces; an eth0 with a default route, for pasta to copy; a /dev/net/tun users may open,
# bound over the host's node in that mount namespace only). A user mrbench-XXXX is made for
# the run (a range in /etc/subuid and /etc/subgid, a runtime dir of its own) and removed
# afterwards with every process it has. podman: storage and runroot in the user's home, runc
# (crun refuses this hybrid cgroup host), --cgroup-manager=cgroupfs, the rlimit flags this
# machine needs (MACHINE.md), events to a file. iperf3's server is the host's binary, run in
# the container's network namespace by nsenter (the busybox image has none): what is
# measured is the network path, not the program. Prints the means and the ratios; the
# issue's target for 1. is podman / minirun >= 10.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-20}
SECS=${2:-5}
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
for c in hyperfine podman runc useradd userdel usermod su iperf3 pasta slirp4netns jq \
	python3 unshare nsenter ip; do
	command -v $c >/dev/null || { echo "rootless.sh: needs $c (make deps)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "rootless.sh: run as root (it makes a user)" >&2; exit 1; }
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "rootless.sh: run 'make minirun busybox-image' first" >&2; exit 1; }

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	# the namespace that plays the host; when it ends, every process it started goes too,
	# and only then is the work dir removed (a monitor may still be writing in it before)
	W=$(mktemp -d /tmp/mr-rl-bench.XXXXXX)
	rc=0
	unshare -n -m -p -f --mount-proc env MR_BENCH_INNER=1 MR_BENCH_W="$W" sh "$0" "$@" ||
		rc=$?
	rm -rf "$W"
	exit "$rc"
fi
mount --make-rprivate /
ip link set lo up
ip link add eth0 type veth peer name eth0p
ip link set eth0p up
ip addr add 192.0.2.2/24 dev eth0
ip link set eth0 up
ip route add default via 192.0.2.1

U=mrbench-$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')
W=$MR_BENCH_W
chmod 755 "$W"
cleanup() {
	set +e           # every step below is tried, whatever the one before did
	exec 2>/dev/null # the shell's "Killed" for the user's processes killed below
	"$MR" --root "$W/root" rm -f veth >/dev/null 2>&1 || true
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		_p=$(ps -u "$U" -o pid= -o stat= 2>/dev/null | awk '$2 !~ /^Z/ { print $1 }')
		[ -z "$_p" ] && break
		# shellcheck disable=SC2086 # a list of pids
		kill -9 $_p 2>/dev/null || true
		sleep 0.2
	done
	[ -z "${SLIRP_NS:-}" ] || kill "$SLIRP_NS" 2>/dev/null
	userdel -r "$U" >/dev/null 2>&1 || true
	umount -R "$W/dev" "$W/root/overlay" 2>/dev/null || true
	umount /dev/net/tun 2>/dev/null || true
}
trap cleanup EXIT INT TERM
mkdir "$W/dev" "$W/run"
mount -t tmpfs -o mode=755 tmpfs "$W/dev"
mknod -m 666 "$W/dev/tun" c 10 200
mount --bind "$W/dev/tun" /dev/net/tun

useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$U"
UID_=$(id -u "$U")
HOME_=$(getent passwd "$U" | cut -d: -f6)
SUB=$((450000000 + (UID_ % 2000) * 65536))
RUN=$W/run
usermod --add-subuids "$SUB-$((SUB + 65535))" --add-subgids "$SUB-$((SUB + 65535))" "$U"
chown "$U:" "$RUN"
chmod 700 "$RUN"
cp "$TAR" "$HOME_/busybox.tar"
chown "$U:" "$HOME_/busybox.tar"
# as USER: SCRIPT with $MR, the user's runtime dir, in its home
as_user() { su -s /bin/sh "$U" -c "export XDG_RUNTIME_DIR=$RUN && cd && $1"; }

# ---- 1. run --rm, minirun vs podman --------------------------------------------------------
POD="podman --root $HOME_/pod/storage --runroot $HOME_/pod/run --tmpdir $HOME_/pod/tmp"
POD="$POD --cgroup-manager=cgroupfs --events-backend file --runtime $(command -v runc)"
PODRUN="--rm --network none --ulimit nofile=20000:20000 --ulimit nproc=1000:1000"
as_user "$MR import busybox.tar busybox >/dev/null && $POD import busybox.tar busybox >/dev/null 2>&1"
# one run each first, so a broken setup fails here with its message, not inside hyperfine
as_user "$MR run --rm --network none busybox true && $POD run $PODRUN busybox true"
as_user "hyperfine -N -w 3 -r $RUNS --export-csv $HOME_/run.csv \
	-n 'minirun rootless' '$MR run --rm --network none busybox true' \
	-n 'podman rootless (runc)' '$POD run $PODRUN busybox true'"

mean() { awk -F, -v n="$1" '$1 == n { printf "%.2f", $2 * 1000 }' "$HOME_/run.csv"; }
mr=$(mean "minirun rootless")
pod=$(mean "podman rootless (runc)")

# ---- 2. port forwarding -----------------------------------------------------------------
# gbits NETNS PORT - iperf3 -s in the network namespace file NETNS (one client, port 5201),
# the client here to 127.0.0.1:PORT for SECS seconds; prints Gbit/s received
gbits() {
	nsenter --net="$1" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	_s=$!
	_i=0
	until nsenter --net="$1" sh -c 'grep -q ":1451 00000000:0000 0A" /proc/net/tcp' ||
		[ $_i -ge 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	iperf3 -c 127.0.0.1 -p "$2" -t "$SECS" -J >"$W/iperf.json" 2>&1 || true
	wait "$_s" 2>/dev/null || true
	jq -r '(.end.sum_received.bits_per_second // 0) / 1e9' "$W/iperf.json"
}

pid_of() { as_user "$MR inspect -f '{{.State.Pid}}' $1"; }

# rootful veth: a store of its own under W, the default bridge, -p
"$MR" --root "$W/root" import "$TAR" busybox >/dev/null
"$MR" --root "$W/root" run -d --name veth -p 127.0.0.1:40001:5201 busybox sleep 600 >/dev/null
veth=$(gbits "/proc/$("$MR" --root "$W/root" inspect -f '{{.State.Pid}}' veth)/ns/net" 40001)
"$MR" --root "$W/root" rm -f veth >/dev/null

# pasta: rootless, the default network
as_user "$MR run -d --name pasta -p 127.0.0.1:40002:5201 busybox sleep 600 >/dev/null"
pasta=$(gbits "/proc/$(pid_of pasta)/ns/net" 40002)
as_user "$MR rm -f pasta >/dev/null"

# pasta + bridge: rootless, a user network
as_user "$MR network create bench >/dev/null &&
	$MR run -d --name br --network bench -p 127.0.0.1:40003:5201 busybox sleep 600 >/dev/null"
bridge=$(gbits "/proc/$(pid_of br)/ns/net" 40003)
as_user "$MR rm -f br >/dev/null && $MR network rm bench >/dev/null"

# slirp4netns: a namespace of the user's (an unprivileged user + network namespace)
su -s /bin/sh "$U" -c "exec unshare -r -n sleep 600" 2>/dev/null &  # (su says "Killed" at the end)
SLIRP_NS=$!
sleep 0.3
nspid=$(ps -o pid= --ppid "$SLIRP_NS" | tr -d ' ')
[ -n "$nspid" ] || nspid=$SLIRP_NS
su -s /bin/sh "$U" -c "exec slirp4netns --configure --mtu=65520 --disable-host-loopback \
	--api-socket $RUN/slirp.sock $nspid tap0" >/dev/null 2>&1 &
_i=0
until [ -S "$RUN/slirp.sock" ] || [ $_i -ge 50 ]; do sleep 0.1; _i=$((_i + 1)); done
su -s /bin/sh "$U" -c "python3 -c '
import json, socket
s = socket.socket(socket.AF_UNIX); s.connect(\"$RUN/slirp.sock\")
s.sendall(json.dumps({\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"tcp\",
	\"host_addr\": \"127.0.0.1\", \"host_port\": 40004, \"guest_port\": 5201}}).encode())
print(s.recv(4096).decode())'" >/dev/null
slirp=$(gbits "/proc/$nspid/ns/net" 40004)

echo
echo "== rootless run --rm --network none busybox true, mean of $RUNS runs"
echo "  minirun   $mr ms"
echo "  podman    $pod ms"
awk -v p="$pod" -v m="$mr" 'BEGIN {
	printf "  podman / minirun: %5.1fx   (target >= 10x)\n", p / m }'
echo "== port forwarding, TCP 127.0.0.1:PORT -> iperf3 -s in the container, $SECS s each"
for row in "rootful veth (nft DNAT):$veth" "pasta (rootless default):$pasta" \
	"pasta + user network bridge:$bridge" "slirp4netns (API hostfwd):$slirp"; do
	awk -v n="${row%%:*}" -v g="${row##*:}" -v r="$veth" 'BEGIN {
		printf "  %-30s %7.2f Gbit/s   %5.2fx of rootful\n", n, g, (r > 0 ? g / r : 0) }'
done
