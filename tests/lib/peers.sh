# tests/lib/peers.sh - docker's engine and buildah as oracles, started privately (POSIX sh).
#
# The differential suites (build, compose, docker parity) run the same input through minirun
# and through Debian's docker.io / buildah, then compare what users see. This file starts
# those peers so that they leave the machine as they found it (MACHINE.md, "Docker itself"):
#
#	. "$MR_TOP/tests/lib/t.sh"; . "$MR_TOP/tests/lib/peers.sh"
#	pk_dockerd_start "$T_TMP/dk"   # once per suite; sets DOCKER_HOST; skips if no docker.io
#	pk_docker import "$MR_TOP/build/images/busybox.tar" busybox:latest
#	...
#	pk_dockerd_stop                # at the suite's end (also from an EXIT trap)
#
# dockerd runs in a mount and network namespace of its own (unshare -m -n): its overlay
# mounts, bridges, sysctls and iptables rules live and die there, and it never sees the
# machine's interfaces. Its containerd is its own too (under the exec-root, with a
# namespace name of its own). It is given --bridge=none --iptables=false --ip-forward=false,
# so `docker run` and the classic builder's RUN steps run with no network (like minirun's
# --network none); `docker network create` still works inside its namespace.
#
# What it leaves that the namespace cannot hold: cgroup directories (`docker/` at the root
# of each v1 hierarchy on this hybrid host), and /run/docker (its plugins dir) and
# /run/containerd (containerd 1.6's shims put their sockets in /run/containerd/s whatever the
# exec-root): pk_dockerd_stop removes each of those two only when it made it.
# pk_cgroups_before records the engines' part of the tree and pk_cgroups_cleanup removes the
# new ones once empty (deepest first), and then any empty one when no engine runs at all.

PK_DK=""

# pk_cgroups_before DIR - note the engines' cgroup directories that exist now (in DIR/cg.before)
pk_cgroups_before() { pk_cgroups >"$1/cg.before"; }

# pk_cgroups - the cgroup directories the engines make (docker/, libpod*, buildah*, and what
# is below them), deepest first; nothing else in the tree is ever touched here (it belongs to
# the machine's supervisor, or to minirun containers of concurrent runs)
pk_cgroups() {
	find /sys/fs/cgroup -depth -type d \( -path '*/docker' -o -path '*/docker/*' \
		-o -path '*/libpod*' -o -path '*/buildah*' \) 2>/dev/null
}

# pk_cgroups_cleanup DIR - remove the engines' cgroup directories made since
# pk_cgroups_before, when empty; waits up to 5 s for a peer's last process to leave them
pk_cgroups_cleanup() {
	[ -f "$1/cg.before" ] || return 0
	_i=0
	while [ "$_i" -lt 50 ]; do
		for _d in $(pk_cgroups | grep -vxF -f "$1/cg.before"); do
			[ -s "$_d/cgroup.procs" ] || rmdir "$_d" 2>/dev/null
		done
		if [ -z "$(pk_cgroups | grep -vxF -f "$1/cg.before")" ]; then
			pk_cgroups_orphans
			return 0
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "pk: cgroups left by a peer:" $(pk_cgroups | grep -vxF -f "$1/cg.before")
	return 1
}

# pk_cgroups_orphans - remove the engines' empty cgroup directories when no engine runs at
# all. Why: two tests whose engines overlap each see the other's `docker/` in cg.before, so
# neither removes it; the last one out does it here. While any engine process lives, its
# directories are left alone (an engine may be about to use one).
pk_cgroups_orphans() {
	for _e in dockerd containerd podman buildah conmon; do
		pgrep -x "$_e" >/dev/null && return 0
	done
	for _d in $(pk_cgroups); do
		[ -s "$_d/cgroup.procs" ] || rmdir "$_d" 2>/dev/null
	done
	return 0
}

# pk_podman_setup - podman as a peer in the current test: its store, runroot, tmpdir and
# its runtime's state (runc's --root) under $T_DIR, through pk_podman. Skips without
# podman. At the test's end (t_defer): the cgroup directories it made are removed, and
# /run/runc and /run/libpod when it made them (podman 4.3 makes both whatever its flags).
# DOCKER_CONFIG becomes an empty config of the test's own (podman reads its auths too).
pk_podman_setup() {
	t_need podman
	pk_cgroups_before "$T_DIR"
	t_defer "pk_cgroups_cleanup '$T_DIR' >/dev/null || true"
	for _r in /run/runc /run/libpod; do
		[ -e "$_r" ] || t_defer "rm -rf '$_r'"
	done
	t_defer "rm -rf '$T_DIR/proot' '$T_DIR/prun' 2>/dev/null || true"
	DOCKER_CONFIG=$T_DIR/docker
	export DOCKER_CONFIG
	mkdir -p "$DOCKER_CONFIG" && echo '{}' >"$DOCKER_CONFIG/config.json"
}

# pk_podman ARGS - podman with the test's own store (pk_podman_setup), cgroupfs (no systemd
# here), the vfs driver and no event log
pk_podman() {
	podman --root "$T_DIR/proot" --runroot "$T_DIR/prun" --tmpdir "$T_DIR/ptmp" \
		--runtime-flag "root=$T_DIR/rtroot" \
		--cgroup-manager=cgroupfs --storage-driver=vfs --events-backend=none "$@"
}

# pk_dockerd_start DIR [bridge] - start a private dockerd with its state under DIR; export
# DOCKER_HOST. With `bridge` it makes its default bridge docker0 (172.17.0.1/16) as a stock
# dockerd does, so `docker run` without --network behaves as a tutorial shows: the bridge,
# its veths and docker-proxy for -p all live in dockerd's own network namespace, and
# --ip-forward=false / --iptables=false still keep it off the machine's sysctls and rules.
# Skips the current test (t_skip) when docker.io is not installed; fails when it does not
# answer within 30 s (its log is printed).
pk_dockerd_start() {
	command -v dockerd >/dev/null 2>&1 || t_skip "needs dockerd (Debian's docker.io), not installed"
	command -v docker >/dev/null 2>&1 || t_skip "needs docker (Debian's docker.io), not installed"
	PK_DK=$1
	_bridge=--bridge=none
	[ "${2:-}" = bridge ] && _bridge=--bip=172.17.0.1/16
	mkdir -p "$PK_DK"
	pk_cgroups_before "$PK_DK"
	: >"$PK_DK/run.new"
	for _r in /run/docker /run/containerd; do
		[ -e "$_r" ] || echo "$_r" >>"$PK_DK/run.new"
	done
	# the namespace's own loopback up, then dockerd in place of the shell: $! is its PID
	# (with the bridge, forwarding on in that namespace only, as on a docker host: else every
	# `docker run` warns "IPv4 forwarding is disabled" on stderr)
	_fwd=true
	[ "${2:-}" = bridge ] && _fwd="echo 1 >/proc/sys/net/ipv4/ip_forward"
	unshare -m -n sh -c "ip link set lo up && $_fwd && exec dockerd --data-root '$PK_DK/root' \
		--exec-root '$PK_DK/exec' -H 'unix://$PK_DK/sock' --pidfile '$PK_DK/pid' \
		--iptables=false --ip6tables=false --ip-forward=false $_bridge \
		--containerd-namespace mrtest --containerd-plugins-namespace mrtest-plugins" \
		>"$PK_DK/log" 2>&1 &
	echo $! >"$PK_DK/unshare.pid"
	DOCKER_HOST="unix://$PK_DK/sock"
	export DOCKER_HOST
	_i=0
	until docker version >/dev/null 2>&1; do
		_i=$((_i + 1))
		if [ "$_i" -gt 300 ] || ! kill -0 "$(cat "$PK_DK/unshare.pid")" 2>/dev/null; then
			tail -n 20 "$PK_DK/log"
			pk_dockerd_stop
			t_fail "dockerd did not answer on $PK_DK/sock"
		fi
		sleep 0.1
	done
}

# pk_dockerd_stop - stop the dockerd pk_dockerd_start started (by its PID), wait for it and
# for its containerd, then remove the cgroups they made. Harmless when none runs.
pk_dockerd_stop() {
	[ -n "$PK_DK" ] || return 0
	_pid=$(cat "$PK_DK/unshare.pid" 2>/dev/null)
	if [ -n "$_pid" ] && kill -0 "$_pid" 2>/dev/null; then
		kill "$_pid"
		_i=0
		# dockerd stops its containers, then its containerd: up to 20 s
		while kill -0 "$_pid" 2>/dev/null && [ "$_i" -lt 200 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		kill -0 "$_pid" 2>/dev/null && kill -9 "$_pid"
	fi
	pk_cgroups_cleanup "$PK_DK"
	# what it made in /run, only when it was not there before it started
	[ -f "$PK_DK/run.new" ] && while read -r _r; do
		rm -rf "$_r"
	done <"$PK_DK/run.new"
	# the data root holds root-owned overlay dirs: gone with the suite's temp dir
	PK_DK=""
}

# pk_docker ARGS... - the docker client against the private daemon
pk_docker() { docker "$@"; }

# pk_buildah DIR ARGS... - buildah with its storage under DIR (vfs: plain copies), in a mount
# and network namespace of its own: its mounts never reach the machine's table, and a RUN
# under --isolation chroot (which keeps the caller's network) sees only a loopback that is down
pk_buildah() {
	command -v buildah >/dev/null 2>&1 || t_skip "needs buildah, not installed"
	_bd=$1
	shift
	mkdir -p "$_bd"
	unshare -m -n buildah --root "$_bd/root" --runroot "$_bd/run" --storage-driver vfs "$@"
}
