#!/bin/sh
# tests/integration/peers/peers.t - the oracles the differential suites compare minirun with
# start here and leave the machine as they found it: a private dockerd (in namespaces of its
# own, MACHINE.md) runs and builds the test image, and buildah builds it too.
#
#   sh tests/integration/peers/peers.t
#
# If this suite fails, read it before any differential failure: the oracle is broken, not
# minirun. See: tests/lib/peers.sh
: "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}"
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/lib/peers.sh"

IMG=$MR_TOP/build/images/busybox.tar

# the machine's state a peer could change: mounts, interfaces, ip_forward, /run's engine
# directories, and the cgroups
# the engines make (docker/, libpod*, buildah*: the rest of the tree is the machine's own
# supervisor's and minirun's, which change on their own)
machine_state() {
	t_mounts
	ip -o link show | awk -F': ' '{ print $2 }'
	cat /proc/sys/net/ipv4/ip_forward
	ls -d /run/docker /run/containerd /run/libpod /run/runc /run/crun 2>/dev/null
	find /sys/fs/cgroup -type d \( -name 'docker*' -o -name 'libpod*' -o -name 'buildah*' \) | sort
}

dockerd_runs_and_builds_then_leaves_nothing() {
	[ -f "$IMG" ] || t_skip "needs $IMG (make rootfs)"
	before=$(machine_state)
	t_defer pk_dockerd_stop
	pk_dockerd_start "$T_DIR/dk"
	pk_docker import "$IMG" busybox:latest >/dev/null || t_fail "docker import"
	# stdout only: dockerd warns on stderr when its namespace has ip_forward off
	t_eq "$(pk_docker run --rm busybox:latest echo hi)" hi "docker run output"
	mkdir ctx
	printf 'FROM busybox\nRUN echo built >/x\nCMD ["cat", "/x"]\n' >ctx/Dockerfile
	out=$(DOCKER_BUILDKIT=0 pk_docker build -q -t t1 ctx 2>&1) || t_fail "docker build: $out"
	t_eq "$(pk_docker run --rm t1)" built "the built image's CMD"
	pk_dockerd_stop
	t_eq "$(machine_state)" "$before" "the machine's mounts, links, ip_forward and cgroups"
}

buildah_builds_then_leaves_nothing() {
	[ -f "$IMG" ] || t_skip "needs $IMG (make rootfs)"
	t_need buildah
	before=$(machine_state)
	b=$T_DIR/bh
	mkdir ctx
	printf 'FROM busybox\nRUN echo built >/x\n' >ctx/Dockerfile
	# the test image is a root filesystem tar: made into an image as `docker import` does
	c=$(pk_buildah "$b" from scratch) || t_fail "buildah from scratch"
	pk_buildah "$b" add "$c" "$IMG" / >/dev/null || t_fail "buildah add"
	pk_buildah "$b" commit -q "$c" docker.io/library/busybox:latest >/dev/null ||
		t_fail "buildah commit"
	pk_buildah "$b" rm "$c" >/dev/null
	out=$(pk_buildah "$b" bud --layers --isolation chroot -q -t t1 ctx 2>&1) ||
		t_fail "buildah bud: $out"
	t_eq "$(machine_state)" "$before" "the machine's mounts, links, ip_forward and cgroups"
}

t "a private dockerd runs and builds the test image, then leaves nothing" dockerd_runs_and_builds_then_leaves_nothing
t "buildah bud builds from the test image, then leaves nothing" buildah_builds_then_leaves_nothing
t_end
