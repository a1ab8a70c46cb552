#!/bin/sh
# bench/build.sh - `minirun build` against `docker build` (the classic builder, as Debian's
# docker.io ships no buildx) and `buildah bud --layers`, side by side: a cold build
# (--no-cache) and a warm, all-cached rebuild of the same 12-instruction Dockerfile.
#
#   bench/build.sh [RUNS]        (root; needs hyperfine, docker.io, buildah, podman;
#                                 `make minirun busybox-image`; MINIRUN=PATH for another
#                                 binary)
#
# The three start from the same base, the built-in busybox tarball (build/images/
# busybox.tar) imported into each one's own store under a temp dir:
#   minirun  --root there
#   docker   a dockerd started here with its own --data-root, --exec-root and socket,
#            --bridge=none --iptables=false (nothing on the machine's network), stopped
#            by its PID at the end; DOCKER_BUILDKIT=0
#   buildah  its own --root and --runroot, --isolation chroot (the base imported by podman
#            into the same storage)
# Everything runs inside a throwaway namespace that plays the host (new network, mount and
# PID namespaces): every mount and process the three make dies with it.
# Prints hyperfine's means and the ratios; the goals (issue 15): the warm rebuild at most
# 0.2x the faster peer's, the cold build at most 0.5x.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-10}
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
for c in hyperfine dockerd docker buildah podman unshare bc; do
	command -v $c >/dev/null || { echo "build.sh: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "build.sh: run 'make minirun busybox-image' first" >&2; exit 1; }

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	exec unshare -n -m -p -f --mount-proc env MR_BENCH_INNER=1 sh ${MR_BENCH_X:+-x} "$0" "$@"
fi
ip link set lo up
W=$(mktemp -d /tmp/mr-bench-build.XXXXXX)
DPID=
cleanup() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && sleep 1
	rm -rf "$W"
}
trap cleanup EXIT

# the context: 3 RUN, 2 COPY and 7 metadata instructions after FROM
mkdir -p "$W/ctx"
echo a >"$W/ctx/a.txt"
echo b >"$W/ctx/b.txt"
cat >"$W/ctx/Dockerfile" <<'EOF'
FROM busybox
ENV APP=/app
WORKDIR /app
RUN echo one > one
COPY a.txt .
RUN echo two > two
COPY b.txt .
LABEL x=y
EXPOSE 80
RUN echo three > three
USER 1000
CMD ["cat", "one"]
EOF
sed 's|^FROM busybox|FROM localhost/busybox|' "$W/ctx/Dockerfile" >"$W/Dockerfile.buildah"

# minirun
"$MR" --root "$W/mr" import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
MRB="$MR --root $W/mr build -q NC -t b $W/ctx"

# docker, classic builder
dockerd --data-root "$W/docker" --exec-root "$W/docker-exec" -H "unix://$W/docker.sock" \
	--pidfile "$W/docker.pid" --bridge=none --iptables=false --ip6tables=false \
	>"$W/dockerd.log" 2>&1 &
DPID=$!
D="docker -H unix://$W/docker.sock"
for _i in $(seq 100); do $D info >/dev/null 2>&1 && break; sleep 0.1; done
$D import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
DKB="env DOCKER_BUILDKIT=0 $D build -q NC --network none -t b $W/ctx"

# buildah, the base imported by podman into the same storage
BS="--root $W/buildah --runroot $W/buildah-run --storage-driver overlay"
podman $BS --cgroup-manager=cgroupfs --events-backend=file import -c 'CMD ["sh"]' "$TAR" \
	localhost/busybox:latest >/dev/null 2>&1
BHB="buildah $BS bud --layers --isolation chroot -q NC -f $W/Dockerfile.buildah -t b $W/ctx"

mean() { # hyperfine's mean in seconds of COMMAND
	hyperfine -N -w 1 -r "$RUNS" --export-json "$W/h.json" "$1" >/dev/null 2>&1
	sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' "$W/h.json" | head -n 1
}
printf '%-10s %12s %12s\n' "" "cold (s)" "warm (s)"
for tool in minirun docker buildah; do
	case $tool in
	minirun) cmd=$MRB ;;
	docker) cmd=$DKB ;;
	buildah) cmd=$BHB ;;
	esac
	# NC: where --no-cache goes for the cold runs
	warmcmd=$(echo "$cmd" | sed 's/ NC / /') coldcmd=$(echo "$cmd" | sed 's/ NC / --no-cache /')
	$warmcmd >/dev/null 2>&1 # one build, so that the warm runs are all cached
	cold=$(mean "$coldcmd")
	warm=$(mean "$warmcmd")
	eval "${tool}_cold=$cold ${tool}_warm=$warm"
	printf '%-10s %12.3f %12.3f\n' "$tool" "$cold" "$warm"
done
# shellcheck disable=SC2154 # set by the eval above
{
	fc=$(echo "if ($docker_cold < $buildah_cold) $docker_cold else $buildah_cold" | bc -l)
	fw=$(echo "if ($docker_warm < $buildah_warm) $docker_warm else $buildah_warm" | bc -l)
	printf 'minirun / faster peer: cold %.2fx (goal <= 0.5), warm %.2fx (goal <= 0.2)\n' \
		"$(echo "$minirun_cold / $fc" | bc -l)" "$(echo "$minirun_warm / $fw" | bc -l)"
}
