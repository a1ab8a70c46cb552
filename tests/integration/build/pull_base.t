#!/bin/sh
# tests/integration/build/pull_base.t - `minirun build` and its base image: a FROM the store
# lacks is pulled from its registry as `minirun pull` does (Debian's docker-registry on
# 127.0.0.1, started and stopped by the test), --pull pulls it again, and FROM NAME@DIGEST
# resolves offline against the store by manifest digest, repo digest or image ID (an
# imported image has no repo digest), or says what is missing.
# Run: sh tests/integration/build/pull_base.t (as root; make minirun)
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

# every test has its own docker config dir: the machine's ~/.docker is never read or written
export DOCKER_CONFIG="$T_TMP/docker-config-unset"

# b ARGS - minirun with the build's store ($T_DIR/b), which starts empty
b() { "$MI" --root "$T_DIR/b" "$@"; }

# ctx FROM - a context whose Dockerfile builds on FROM (no RUN: no container is needed)
ctx() {
	mkdir -p "$T_DIR/ctx"
	echo hi >"$T_DIR/ctx/f"
	printf 'FROM %s\nCOPY f /f\n' "$1" >"$T_DIR/ctx/Dockerfile"
}

# manifest_gets REPO - how many manifest GETs the registry has logged for REPO
manifest_gets() { grep -c "GET /v2/$1/manifests/" "$T_DIR/reg.log" | tr -d ' '; }

missing_base_is_pulled() {
	need_cli
	registry_start
	import_busybox "$REG/test/bb:1" >/dev/null
	mi push -q "$REG/test/bb:1" >/dev/null || t_fail "push of $REG/test/bb:1"
	ctx "$REG/test/bb:1"
	b build -t x "$T_DIR/ctx" 2>"$T_DIR/out" || t_fail "build exited $?: $(cat "$T_DIR/out")"
	t_match "$(cat "$T_DIR/out")" "^#3 \[internal\] load metadata for $REG/test/bb:1$" "progress"
	t_match "$(cat "$T_DIR/out")" "^#3 resolve sha256:[0-9a-f]{64} done$" "progress"
	t_eq "$(b image inspect -f '{{.Id}}' "$REG/test/bb:1")" \
		"$(mi image inspect -f '{{.Id}}' "$REG/test/bb:1")" "the pulled base's ID"
	t_match "$(b image inspect -f '{{json .RepoDigests}}' "$REG/test/bb:1")" "$REG/test/bb@sha256:"
	b image inspect x >/dev/null || t_fail "no image x"
	# present now: no request; --pull asks the registry again
	n=$(manifest_gets test/bb)
	b build -t x "$T_DIR/ctx" 2>"$T_DIR/out" || t_fail "rebuild: $(cat "$T_DIR/out")"
	t_nomatch "$(cat "$T_DIR/out")" "load metadata" "a rebuild's progress"
	t_eq "$(manifest_gets test/bb)" "$n" "manifest requests of a rebuild"
	b build --pull -t x "$T_DIR/ctx" 2>"$T_DIR/out" || t_fail "--pull: $(cat "$T_DIR/out")"
	t_match "$(cat "$T_DIR/out")" "load metadata for $REG/test/bb:1" "--pull's progress"
	t_ne "$(manifest_gets test/bb)" "$n" "manifest requests of --pull"
}
t "FROM an image the store lacks is pulled; present, it is not; --pull asks again" missing_base_is_pulled

pull_takes_the_new_base() {
	need_cli
	registry_start
	import_busybox "$REG/test/bb:1" >/dev/null
	mi push -q "$REG/test/bb:1" >/dev/null || t_fail "push"
	ctx "$REG/test/bb:1"
	b build -q -t x "$T_DIR/ctx" >/dev/null 2>&1 || t_fail "first build"
	old=$(b image inspect -f '{{.Id}}' "$REG/test/bb:1")
	# a new image under the same tag in the registry
	mi import -c 'CMD ["echo", "v2"]' "$T_DIR/busybox.tar" "$REG/test/bb:1" >/dev/null || t_fail "import v2"
	mi push -q "$REG/test/bb:1" >/dev/null || t_fail "push v2"
	b build -q -t x "$T_DIR/ctx" >/dev/null 2>&1 || t_fail "build without --pull"
	t_eq "$(b image inspect -f '{{.Id}}' "$REG/test/bb:1")" "$old" "the base without --pull"
	b build -q --pull -t x "$T_DIR/ctx" >/dev/null 2>"$T_DIR/out" || t_fail "--pull: $(cat "$T_DIR/out")"
	t_ne "$(b image inspect -f '{{.Id}}' "$REG/test/bb:1")" "$old" "the base after --pull"
	t_eq "$(b image inspect -f '{{json .Config.Cmd}}' x)" '["echo","v2"]' "the image built on it"
}
t "--pull takes the registry's new image under the same tag; without it the store's" pull_takes_the_new_base

copy_from_image_is_pulled() {
	need_cli
	registry_start
	import_busybox "$REG/test/bb:1" >/dev/null
	mi push -q "$REG/test/bb:1" >/dev/null || t_fail "push"
	import_busybox busybox >/dev/null
	mi save -o "$T_DIR/bb.tar" busybox && b load -i "$T_DIR/bb.tar" >/dev/null || t_fail "busybox into b"
	mkdir -p "$T_DIR/ctx"
	printf 'FROM busybox AS one\nFROM busybox\nCOPY --from=%s /bin/busybox /bb\nCOPY --from=one /bin/sh /sh\nCOPY --from=0 /bin/sh /sh0\n' \
		"$REG/test/bb:1" >"$T_DIR/ctx/Dockerfile"
	b build -q -o "$T_DIR/out" "$T_DIR/ctx" >/dev/null 2>"$T_DIR/err" || t_fail "build: $(cat "$T_DIR/err")"
	[ -f "$T_DIR/out/bb" ] && [ -e "$T_DIR/out/sh" ] && [ -e "$T_DIR/out/sh0" ] || t_fail "the copied files: $(ls "$T_DIR/out")"
	b image inspect "$REG/test/bb:1" >/dev/null || t_fail "the --from image was not pulled"
	t_eq "$(manifest_gets test/bb)" 1 "manifest requests (a stage's name or number is no image)"
}
t "COPY --from=IMAGE the store lacks is pulled too; stage names and numbers are not" copy_from_image_is_pulled

digest_offline() {
	need_cli
	registry_start
	import_busybox "$REG/test/bb:1" >/dev/null
	mi push -q "$REG/test/bb:1" >/dev/null || t_fail "push"
	b pull -q "$REG/test/bb:1" >/dev/null || t_fail "pull"
	digest=$(b image inspect -f '{{index .RepoDigests 0}}' "$REG/test/bb:1" | cut -d@ -f2)
	kill "$REG_PID"
	wait "$REG_PID" 2>/dev/null
	# pulled: by the repo digest, the registry gone
	ctx "$REG/test/bb@$digest"
	b build -q -t x "$T_DIR/ctx" >/dev/null 2>"$T_DIR/out" || t_fail "by repo digest: $(cat "$T_DIR/out")"
	# imported (no repo digest): by its manifest digest, or its image ID
	import_busybox local/imported:1 >/dev/null
	t_eq "$(mi image inspect -f '{{json .RepoDigests}}' local/imported:1)" "[]" "an import's RepoDigests"
	md=$(mi image inspect -f '{{.Descriptor.digest}}' local/imported:1)
	id=$(mi image inspect -f '{{.Id}}' local/imported:1)
	ctx "local/imported@$md"
	mi build -q -t y "$T_DIR/ctx" >/dev/null 2>"$T_DIR/out" || t_fail "by manifest digest: $(cat "$T_DIR/out")"
	ctx "local/imported@$id"
	mi build -q -t y "$T_DIR/ctx" >/dev/null 2>"$T_DIR/out" || t_fail "by image ID: $(cat "$T_DIR/out")"
	# nowhere: the line names the digest and the failed pull
	zero=sha256:$(printf '%064d' 0)
	ctx "$REG/test/bb@$zero"
	t_status 1 b build -q "$T_DIR/ctx"
	t_match "$T_OUT" "FROM $REG/test/bb@$zero: no image in the store has the manifest digest, repo digest or image ID $zero, and the pull failed: .*$REG"
	# the store is as it was: nothing half-pulled
	t_eq "$(ls "$T_DIR/b/images/.tmp" 2>/dev/null)" "" "temp files"
}
t "FROM NAME@DIGEST offline: repo digest, manifest digest, image ID; missing: says so" digest_offline

t_end
