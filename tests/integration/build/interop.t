#!/bin/sh
# tests/integration/build/interop.t - images `minirun build` makes cross to other engines,
# and a build starts from an image another tool pushed: an image built here, saved, loads
# and runs under podman (docker-archive, with its Cmd, Env, WorkingDir and files); `FROM` an
# image pulled from Debian's docker-registry on 127.0.0.1 (pushed there by skopeo) builds,
# and the result runs. podman runs with a store, a runtime state and cgroupfs of its own.
# Run: sh tests/integration/build/interop.t (as root; make minirun busybox-image)
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"

# the machine's ~/.docker is never read or written
export DOCKER_CONFIG="$T_TMP/docker-config-unset"

# mb ARGS... - `minirun build` into this test's store, in mount, network and PID namespaces
# of its own (RUN's overlay and container never touch the machine's)
mb() { unshare -m -n -p -f --mount-proc "$MI" --root "$T_DIR/root" build "$@"; }

need_podman() {
	pk_podman_setup
	t_need runc
}

# a context whose image has a file from COPY, one from RUN, and a config to check
context() {
	mkdir -p "$T_DIR/ctx"
	echo "copied in" >"$T_DIR/ctx/msg.txt"
	cat >"$T_DIR/ctx/Dockerfile" <<XEOF
FROM ${1:-busybox}
ENV GREETING=hello
WORKDIR /app
COPY msg.txt .
RUN echo "\$GREETING from RUN" > made.txt
CMD ["sh", "-c", "cat msg.txt made.txt; pwd"]
XEOF
}

built_here_runs_in_podman() {
	need_cli
	need_podman
	import_busybox busybox >/dev/null
	context
	mb -q -t localhost/built:1 "$T_DIR/ctx" >/dev/null 2>"$T_DIR/build.err" ||
		t_fail "build: $(cat "$T_DIR/build.err")"
	mi save -o "$T_DIR/built.tar" localhost/built:1 || t_fail "save"
	out=$(pk_podman load -i "$T_DIR/built.tar" 2>&1) || t_fail "podman load: $out"
	t_match "$out" 'Loaded image.*built:1'
	t_eq "sha256:$(pk_podman image inspect -f '{{.Id}}' localhost/built:1)" \
		"$(mi image inspect -f '{{.Id}}' localhost/built:1)" "image ID in podman"
	out=$(pk_podman run --rm --runtime "$(command -v runc)" --network none \
		--ulimit nofile=20000:20000 --ulimit nproc=1000:1000 localhost/built:1 2>&1) ||
		t_fail "podman run: $out"
	t_eq "$out" "copied in
hello from RUN
/app" "podman run of the built image (CMD, WORKDIR, COPY and RUN layers)"
}

from_registry_image() {
	need_cli
	t_need docker-registry skopeo curl
	DOCKER_CONFIG=$T_DIR/docker
	registry_start
	push_busybox test/base:1
	mi pull -q "$REG/test/base:1" >/dev/null || t_fail "pull of $REG/test/base:1"
	context "$REG/test/base:1"
	mb -t fromreg "$T_DIR/ctx" >"$T_DIR/build.out" 2>&1 || t_fail "build: $(cat "$T_DIR/build.out")"
	t_match "$(cat "$T_DIR/build.out")" "FROM $REG/test/base:1" "the FROM step"
	out=$(unshare -m -n -p -f --mount-proc "$MI" --root "$T_DIR/root" run --rm --network none fromreg 2>&1) ||
		t_fail "run: $out"
	t_eq "$out" "copied in
hello from RUN
/app" "the built image runs"
	# the base's layer is the pulled one, under the built layers
	t_eq "$(mi image inspect -f '{{index .RootFS.Layers 0}}' fromreg)" \
		"$(mi image inspect -f '{{index .RootFS.Layers 0}}' "$REG/test/base:1")" "base layer"
}

t "an image built here, saved, loads and runs under podman" built_here_runs_in_podman
t "FROM an image pulled from the local docker-registry builds and runs" from_registry_image
t_end
