#!/bin/sh
# tests/integration/image/pull.t - pull from a real registry: Debian's docker-registry on
# 127.0.0.1 with a throwaway config and storage, images pushed to it with skopeo.
#
#   sh tests/integration/image/pull.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

need_registry() {
	need_cli
	t_need docker-registry skopeo curl
	registry_start
}

blob_gets() { grep -c "GET /v2/$1/blobs/" "$T_DIR/reg.log" | tr -d ' '; }

pull_by_tag() {
	need_registry
	push_busybox test/busybox:1
	src=$("$MI" --root "$T_DIR/srcroot" image inspect -f '{{.Id}}' local/src:1)
	out=$(mi pull "$REG/test/busybox:1") || t_fail "pull exited $?: $out"
	t_match "$out" '^1: Pulling from test/busybox$'
	t_match "$out" '^[0-9a-f]{12}: Pull complete$'
	t_match "$out" "^Status: Downloaded newer image for $REG/test/busybox:1$"
	t_eq "$(echo "$out" | tail -1)" "$REG/test/busybox:1" "last line"
	# skopeo stored the layer gzip'd; the config, so the image ID, is the same
	t_eq "$(mi image inspect -f '{{.Id}}' "$REG/test/busybox:1")" "$src" "image ID"
	digest=$(skopeo inspect --tls-verify=false "docker://$REG/test/busybox:1" | sed -n 's/^ *"Digest": "\(.*\)",$/\1/p')
	t_match "$out" "^Digest: $digest$"
	t_eq "$(mi image inspect -f '{{json .RepoDigests}}' "$REG/test/busybox:1")" \
		"[\"$REG/test/busybox@$digest\"]" "RepoDigests"
	blobs_verify
	[ -x "$T_DIR/root/layers/sha256/$(sha256sum "$T_DIR/busybox.tar" | cut -d' ' -f1)/bin/busybox" ] ||
		t_fail "the layer is not unpacked under its diffID"
}

pull_by_digest() {
	need_registry
	push_busybox test/busybox:1
	digest=$(skopeo inspect --tls-verify=false "docker://$REG/test/busybox:1" | sed -n 's/^ *"Digest": "\(.*\)",$/\1/p')
	out=$(mi pull "$REG/test/busybox@$digest") || t_fail "pull exited $?: $out"
	t_eq "$(echo "$out" | tail -1)" "$REG/test/busybox@$digest" "last line"
	t_match "$(mi images --digests)" "^$REG/test/busybox +<none> +$digest " "images --digests"
	mi image inspect "$REG/test/busybox@$digest" >/dev/null || t_fail "inspect by digest"
	bad=sha256:0000000000000000000000000000000000000000000000000000000000000000
	t_status 1 mi pull "$REG/test/busybox@$bad"
	t_match "$T_OUT" "manifest for $REG/test/busybox@$bad not found"
}

second_pull_downloads_nothing() {
	need_registry
	push_busybox test/busybox:1
	mi pull -q "$REG/test/busybox:1" >/dev/null || t_fail "first pull"
	n1=$(blob_gets test/busybox)
	t_eq "$n1" 2 "blob GETs of the first pull (config, layer)"
	files=$(store_files)
	out=$(mi pull "$REG/test/busybox:1") || t_fail "second pull"
	t_eq "$(blob_gets test/busybox)" "$n1" "blob GETs after the second pull"
	t_match "$out" '^[0-9a-f]{12}: Already exists$'
	t_match "$out" "^Status: Image is up to date for $REG/test/busybox:1$"
	t_nomatch "$out" 'Download'
	t_eq "$(store_files)" "$files" "store files"
}

# make_multi DIR - an OCI layout with an index of an amd64 and an arm64 image ("multi")
make_multi() {
	mkdir -p "$1" && tar -xf "$T_DIR/src.tar" -C "$1"
	b=$1/blobs/sha256
	man=$(sed 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$1/index.json")
	cfg=$(sed 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$b/$man")
	for arch in amd64 arm64; do
		sed "s/\"architecture\":\"[a-z0-9]*\"/\"architecture\":\"$arch\"/" "$b/$cfg" >"$T_DIR/c"
		c=$(sha256sum "$T_DIR/c" | cut -d' ' -f1)
		cp "$T_DIR/c" "$b/$c"
		sed "s/$cfg/$c/; s/\"size\":[0-9]*},\"layers\"/\"size\":$(wc -c <"$T_DIR/c" | tr -d ' ')},\"layers\"/" \
			"$b/$man" >"$T_DIR/m"
		m=$(sha256sum "$T_DIR/m" | cut -d' ' -f1)
		cp "$T_DIR/m" "$b/$m"
		eval "m_$arch=$m s_$arch=$(wc -c <"$T_DIR/m" | tr -d ' ')"
	done
	mt=application/vnd.oci.image.manifest.v1+json
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"%s","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"%s","digest":"sha256:%s","size":%s,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}' \
		$mt "$m_amd64" "$s_amd64" $mt "$m_arm64" "$s_arm64" >"$T_DIR/i"
	i=$(sha256sum "$T_DIR/i" | cut -d' ' -f1)
	cp "$T_DIR/i" "$b/$i"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"multi"}}]}' \
		"$i" "$(wc -c <"$T_DIR/i" | tr -d ' ')" >"$1/index.json"
}

multi_platform_index() {
	need_registry
	push_busybox test/busybox:1
	make_multi "$T_DIR/multi"
	skopeo copy -q --all --dest-tls-verify=false "oci:$T_DIR/multi:multi" "docker://$REG/test/multi:1" ||
		t_fail "skopeo copy --all of the index failed"
	out=$(mi pull --platform linux/arm64 "$REG/test/multi:1") || t_fail "pull arm64: $out"
	t_eq "$(mi image inspect -f '{{.Architecture}}' "$REG/test/multi:1")" arm64 "--platform linux/arm64"
	if [ "$(uname -m)" = x86_64 ]; then
		"$MI" --root "$T_DIR/r2" pull -q "$REG/test/multi:1" >/dev/null || t_fail "pull default"
		t_eq "$("$MI" --root "$T_DIR/r2" image inspect -f '{{.Architecture}}' "$REG/test/multi:1")" \
			amd64 "this machine's platform"
	fi
	t_status 1 mi pull --platform linux/s390x "$REG/test/multi:1"
	t_match "$T_OUT" 'no matching manifest for linux/s390x in the manifest list entries \(it has: linux/amd64, linux/arm64/v8\)'
}

corrupt_blob_refused() {
	need_registry
	push_busybox test/busybox:1
	# change one byte of the layer in the registry's storage (same size, other content)
	data=$(find "$T_DIR/reg" -path '*/blobs/sha256/*/data' -size +100k | head -1)
	[ -f "$data" ] || t_fail "no layer blob in the registry storage"
	printf 'X' | dd of="$data" bs=1 seek=5000 conv=notrunc 2>/dev/null
	t_status 1 mi pull "$REG/test/busybox:1"
	t_match "$T_OUT" '^minirun: blob sha256:[0-9a-f]{12}: digest mismatch: expected sha256:[0-9a-f]{64}, the [0-9]+ bytes received hash to sha256:[0-9a-f]{64}$'
	t_eq "$(store_files)" "" "files left in the store"
	t_eq "$(ls "$T_DIR/root/images/.tmp")" "" ".tmp leftovers"
	t_eq "$(mi images -q)" "" "images"
}

unknown_repo_and_tag() {
	need_registry
	push_busybox test/busybox:1
	t_status 1 mi pull "$REG/test/busybox:nope"
	t_match "$T_OUT" "^minirun: manifest for $REG/test/busybox:nope not found: manifest unknown"
	t_status 1 mi pull "$REG/nobody/here"
	t_match "$T_OUT" "^minirun: (manifest for $REG/nobody/here:latest not found|pull access denied for $REG/nobody/here)"
	t_eq "$(store_files)" "" "files left in the store"
}

zstd_layers() {
	need_registry
	t_need zstd
	busybox_tar
	zstd -q "$T_DIR/busybox.tar" -o "$T_DIR/bb.tar.zst"
	"$MI" --root "$T_DIR/srcroot" import "$T_DIR/bb.tar.zst" zsrc:1 >/dev/null || t_fail "import"
	"$MI" --root "$T_DIR/srcroot" save --format oci-archive -o "$T_DIR/z.tar" zsrc:1
	skopeo copy -q --dest-tls-verify=false "oci-archive:$T_DIR/z.tar" "docker://$REG/test/zstd:1" ||
		t_fail "skopeo copy"
	skopeo inspect --raw --tls-verify=false "docker://$REG/test/zstd:1" | grep -q 'tar+zstd' ||
		t_skip "skopeo recompressed the zstd layer; no zstd layer in the registry to pull"
	mi pull -q "$REG/test/zstd:1" >/dev/null || t_fail "pull of a zstd layer"
	[ -x "$T_DIR/root/layers/sha256/$(sha256sum "$T_DIR/busybox.tar" | cut -d' ' -f1)/bin/busybox" ] ||
		t_fail "the zstd layer is not unpacked"
}

two_pulls_at_once() {
	need_registry
	push_busybox test/busybox:1
	push_busybox test/busybox:2
	mi pull -q "$REG/test/busybox:1" >"$T_DIR/p1" 2>&1 &
	a=$!
	mi pull -q "$REG/test/busybox:2" >"$T_DIR/p2" 2>&1 &
	b=$!
	mi image prune -f -a >"$T_DIR/p3" 2>&1 &
	c=$!
	wait $a || t_fail "pull 1: $(cat "$T_DIR/p1")"
	wait $b || t_fail "pull 2: $(cat "$T_DIR/p2")"
	wait $c || t_fail "prune: $(cat "$T_DIR/p3")"
	blobs_verify
	t_eq "$(ls "$T_DIR/root/images/.tmp")" "" ".tmp leftovers"
	# whatever prune removed, what remains is whole: every image named has its blobs
	for name in $(mi images --format '{{.Repository}}:{{.Tag}}'); do
		mi save -o "$T_DIR/check.tar" "$name" || t_fail "$name is missing a blob"
	done
	t_eq "$(ls "$T_DIR/root/layers/sha256" | wc -l | tr -d ' ')" \
		"$(mi images -q | grep -c . | sed 's/^[1-9][0-9]*$/1/')" "unpacked layers (shared)"
}

t "pull by tag: progress lines, same image ID, RepoDigests, unpacked" pull_by_tag
t "pull by digest names it NAME@DIGEST" pull_by_digest
t "a second pull downloads nothing" second_pull_downloads_nothing
t "a multi-platform index resolves to --platform or this machine" multi_platform_index
t "a blob altered in the registry is refused, nothing stored" corrupt_blob_refused
t "zstd layers pull and unpack" zstd_layers
t "two pulls and a prune at once leave a consistent store" two_pulls_at_once
t "an unknown tag or repository: docker's message, nothing stored" unknown_repo_and_tag
t_end
