#!/bin/sh
# bench/compose.sh - `minirun compose up -d` then `down` of a five-service project against
# Debian's docker-compose 1.29 with a private dockerd doing the same, side by side.
#
#   bench/compose.sh [RUNS]      (root; needs hyperfine, docker.io, docker-compose; `make
#                                 minirun busybox-image`; MINIRUN=PATH for another binary)
#
# The project: five busybox services on the project network, one of them (db) with a health
# check every 200 ms that api waits for (depends_on: condition: service_healthy), web after
# api, and two independent ones; each with `init: true`, so that `down` stops them on
# SIGTERM at once (a busybox PID 1 ignores it, and the ten-second wait would be all that is
# measured). One timed run is `up -d && down` from nothing to nothing.
#   minirun  a store of its own under a temp dir (--root)
#   docker   a dockerd started here with its own --data-root, --exec-root and socket,
#            --bridge=none --iptables=false (the project network is its own bridge in this
#            namespace; nothing on the machine's), stopped by its PID at the end
# Everything runs inside a throwaway namespace that plays the host (new network, mount and
# PID namespaces): every bridge, mount and process the two make dies with it; dockerd's
# new empty cgroups are removed at the end.
# Prints hyperfine's means and the ratio; the goal (issue 16): minirun at most 0.2x
# docker-compose's time.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
MR=${MINIRUN:-$TOP/minirun/minirun}
TAR=$TOP/build/images/busybox.tar
for c in hyperfine dockerd docker docker-compose unshare bc; do
	command -v $c >/dev/null || { echo "compose.sh: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MR" ] && [ -f "$TAR" ] ||
	{ echo "compose.sh: run 'make minirun busybox-image' first" >&2; exit 1; }

if [ "${MR_BENCH_INNER:-}" != 1 ]; then
	exec unshare -n -m -p -f --mount-proc env MR_BENCH_INNER=1 sh ${MR_BENCH_X:+-x} "$0" "$@"
fi
ip link set lo up
W=$(mktemp -d /tmp/mr-bench-compose.XXXXXX)
# dockerd's cgroups (docker/ at the root of each v1 hierarchy) are the one trace the
# namespace can't hold: the new empty ones go at the end (tests/lib/peers.sh's helpers)
. "$TOP/tests/lib/peers.sh"
pk_cgroups_before "$W"
DPID=
cleanup() {
	if [ -n "$DPID" ] && kill "$DPID" 2>/dev/null; then
		wait "$DPID" 2>/dev/null
	fi
	pk_cgroups_cleanup "$W"
	rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/proj"
cat >"$W/proj/compose.yaml" <<'EOF'
x-svc: &svc
  image: busybox
  init: true
  command: sleep 300
services:
  db:
    <<: *svc
    healthcheck:
      test: ["CMD", "true"]
      interval: 200ms
      timeout: 2s
      retries: 10
  api:
    <<: *svc
    depends_on:
      db:
        condition: service_healthy
  web:
    <<: *svc
    ports: ["8080:80"]
    depends_on: [api]
  worker:
    <<: *svc
    environment: [QUEUE=jobs]
  cache:
    <<: *svc
    volumes: [cache:/cache]
volumes:
  cache:
EOF

# minirun
"$MR" --root "$W/mr" import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
MRC="$MR --root $W/mr compose -p bench --project-directory $W/proj -f $W/proj/compose.yaml"

# docker, its own daemon
dockerd --data-root "$W/docker" --exec-root "$W/docker-exec" -H "unix://$W/docker.sock" \
	--pidfile "$W/docker.pid" --bridge=none --iptables=false --ip6tables=false \
	--ip-forward=false >"$W/dockerd.log" 2>&1 &
DPID=$!
export DOCKER_HOST="unix://$W/docker.sock"
for _i in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.1; done
docker import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null
DKC="docker-compose -p bench --project-directory $W/proj -f $W/proj/compose.yaml"

mean() { # hyperfine's mean in seconds of COMMAND
	hyperfine -w 1 -r "$RUNS" --export-json "$W/h.json" "$1" >/dev/null 2>&1 ||
		{ echo "compose.sh: '$1' failed" >&2; exit 1; }
	sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' "$W/h.json" | head -n 1
}
printf '%-16s %14s\n' "" "up -d + down (s)"
mr=$(mean "$MRC up -d 2>/dev/null && $MRC down -v 2>/dev/null")
printf '%-16s %14.3f\n' "minirun" "$mr"
dk=$(mean "$DKC up -d 2>/dev/null && $DKC down -v 2>/dev/null")
printf '%-16s %14.3f\n' "docker-compose" "$dk"
printf 'minirun / docker-compose: %.2fx (goal <= 0.2)\n' "$(echo "$mr / $dk" | bc -l)"
