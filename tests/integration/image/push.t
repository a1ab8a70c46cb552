#!/bin/sh
# tests/integration/image/push.t - push, login and logout against Debian's docker-registry on
# 127.0.0.1 (a throwaway config and storage; with htpasswd basic auth, or TLS with a
# certificate the test makes), checked with pull, skopeo and podman.
#
#   sh tests/integration/image/push.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"

# every test has its own docker config dir: the machine's ~/.docker is never read or written
export DOCKER_CONFIG="$T_TMP/docker-config-unset"

need_registry() {
	need_cli
	t_need docker-registry skopeo curl
	DOCKER_CONFIG=$T_DIR/docker
	registry_start
}

# need_auth_registry - a registry that wants user/pass (htpasswd, bcrypt as it requires)
need_auth_registry() {
	need_cli
	t_need htpasswd jq
	htpasswd -Bbn user pass >"$T_DIR/htpasswd" || t_fail "htpasswd failed"
	REG_YML_EXTRA="auth:
  htpasswd:
    realm: test-realm
    path: $T_DIR/htpasswd"
	need_registry
}

# bb NAME - busybox imported as NAME into this test's store
bb() { import_busybox "$1" >/dev/null; }

# layered NAME N - an image of N layers of random data (plus busybox), loaded as NAME:
# a docker-archive made here, one tar per layer
layered() {
	busybox_tar
	d=$T_DIR/layered
	rm -rf "$d" && mkdir -p "$d"
	cp "$T_DIR/busybox.tar" "$d/l0.tar"
	layers='"l0.tar"'
	diffs="\"sha256:$(sha256sum "$d/l0.tar" | cut -d' ' -f1)\""
	i=1
	while [ $i -le "$2" ]; do
		mkdir -p "$d/r$i/data"
		head -c "${LAYER_BYTES:-200000}" /dev/urandom >"$d/r$i/data/f$i"
		tar -C "$d/r$i" -cf "$d/l$i.tar" data
		layers="$layers,\"l$i.tar\""
		diffs="$diffs,\"sha256:$(sha256sum "$d/l$i.tar" | cut -d' ' -f1)\""
		i=$((i + 1))
	done
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$diffs" >"$d/config.json"
	printf '[{"Config":"config.json","RepoTags":["%s"],"Layers":[%s]}]' "$1" "$layers" >"$d/manifest.json"
	(cd "$d" && tar -cf ../layered.tar manifest.json config.json l*.tar) || t_fail "tar of the archive"
	mi load -i "$T_DIR/layered.tar" >/dev/null || t_fail "load of the $2-layer image"
}

# the registry log's requests: "PUT /v2/REPO/blobs/..." lines
reg_requests() { grep -c "$1" "$T_DIR/reg.log" | tr -d ' '; }

manifest_digest() {
	skopeo inspect --tls-verify=false ${2:-} "docker://$REG/$1" | sed -n 's/^ *"Digest": "\(.*\)",$/\1/p'
}

push_then_pull_back() {
	need_registry
	layered "$REG/test/multi:1" 3
	id=$(mi image inspect -f '{{.Id}}' "$REG/test/multi:1")
	out=$(mi push "$REG/test/multi:1") || t_fail "push exited $?: $out"
	t_eq "$(echo "$out" | head -1)" "The push refers to repository [$REG/test/multi]" "first line"
	t_eq "$(echo "$out" | grep -c ': Pushed$')" 4 "layers pushed"
	# the top-most layer first, each by its short diffID, as docker lists them
	top=$(sha256sum "$T_DIR/layered/l3.tar" | cut -c1-12)
	t_eq "$(echo "$out" | sed -n 2p)" "$top: Preparing" "top-most layer first"
	last=$(echo "$out" | tail -1)
	t_match "$last" '^1: digest: sha256:[0-9a-f]{64} size: [0-9]+$' "last line"
	digest=$(echo "$last" | cut -d' ' -f3)
	t_eq "$(manifest_digest test/multi:1)" "$digest" "the digest skopeo reads"
	t_eq "$(mi image inspect -f '{{json .RepoDigests}}' "$REG/test/multi:1")" \
		"[\"$REG/test/multi@$digest\"]" "RepoDigests after the push"
	# pulled back into another store: the same manifest and config, so the same image
	"$MI" --root "$T_DIR/r2" pull -q "$REG/test/multi:1" >/dev/null || t_fail "pull back"
	t_eq "$("$MI" --root "$T_DIR/r2" image inspect -f '{{.Id}}' "$REG/test/multi:1")" "$id" "image ID"
	t_eq "$("$MI" --root "$T_DIR/r2" image inspect -f '{{json .RepoDigests}}' "$REG/test/multi:1")" \
		"[\"$REG/test/multi@$digest\"]" "manifest digest pulled back"
	[ -f "$T_DIR/r2/layers/sha256/$(sha256sum "$T_DIR/layered/l2.tar" | cut -d' ' -f1)/data/f2" ] ||
		t_fail "layer 2 is not unpacked in the second store"
}

push_twice_sends_nothing() {
	need_registry
	bb "$REG/test/bb:1"
	mi push -q "$REG/test/bb:1" >/dev/null || t_fail "first push"
	puts=$(reg_requests 'PUT /v2/test/bb/blobs')
	t_eq "$puts" 2 "blob PUTs of the first push (layer, config)"
	out=$(mi image push "$REG/test/bb:1") || t_fail "second push (image push) exited $?: $out"
	t_match "$out" '^[0-9a-f]{12}: Layer already exists$'
	t_nomatch "$out" 'Pushed'
	t_eq "$(reg_requests 'PUT /v2/test/bb/blobs')" "$puts" "blob PUTs after the second push"
}

push_unknown_image() {
	need_registry
	t_status 1 mi push "$REG/test/nope:1"
	t_match "$T_OUT" "^The push refers to repository \[$REG/test/nope\]$"
	t_match "$T_OUT" "^minirun: An image does not exist locally with the tag: $REG/test/nope$"
	t_eq "$(reg_requests '/v2/test/nope')" 0 "requests to the registry"
	t_status 1 mi push
	t_match "$T_OUT" '"push" requires exactly 1 argument'
}

all_tags_and_the_default_tag() {
	need_registry
	bb "$REG/test/tags:1"
	mi tag "$REG/test/tags:1" "$REG/test/tags:2"
	mi tag "$REG/test/tags:1" "$REG/test/tags:latest"
	mi tag "$REG/test/tags:1" "$REG/test/other:9"
	out=$(mi push -a "$REG/test/tags") || t_fail "push -a: $out"
	t_eq "$(echo "$out" | grep -c '^The push refers to')" 1 "header lines"
	t_eq "$(echo "$out" | sed -n 's/^\([^ ]*\): digest: .*/\1/p' | sort | tr '\n' ' ')" "1 2 latest " "tags pushed"
	t_eq "$(skopeo list-tags --tls-verify=false "docker://$REG/test/tags" | jq -r '.Tags | sort | join(" ")')" \
		"1 2 latest" "tags in the registry"
	t_eq "$(reg_requests '/v2/test/other/')" 0 "another repository's tags"
	out=$(mi push "$REG/test/tags") || t_fail "push without a tag: $out"
	t_eq "$(echo "$out" | head -1)" "Using default tag: latest" "first line"
	t_status 1 mi push -a "$REG/test/tags:1"
	t_match "$T_OUT" "^minirun: tag can't be used with --all-tags/-a"
}

mount_from_another_repository() {
	need_registry
	bb "$REG/test/a:1"
	mi push -q "$REG/test/a:1" >/dev/null || t_fail "push of test/a"
	# the store knows the layer came from test/a: the registry links it, nothing is sent
	mi tag "$REG/test/a:1" "$REG/test/b:1"
	out=$(mi push "$REG/test/b:1") || t_fail "push of test/b: $out"
	t_match "$out" '^[0-9a-f]{12}: Mounted from test/a$'
	t_eq "$(reg_requests 'PATCH /v2/test/b/blobs\|PUT /v2/test/b/blobs.*sha256%3A'"$(sha256sum "$T_DIR/busybox.tar" | cut -c1-12)")" 0 \
		"layer bytes sent to test/b"
	t_eq "$(manifest_digest test/b:1)" "$(manifest_digest test/a:1)" "same manifest in both"
}

chunked_upload() {
	need_registry
	bb "$REG/test/chunks:1"
	MINIRUN_PUSH_CHUNK=500000 mi push -q "$REG/test/chunks:1" >/dev/null || t_fail "chunked push"
	n=$(reg_requests 'PATCH /v2/test/chunks/blobs/uploads/')
	[ "$n" -ge 4 ] || t_fail "$n PATCH requests for a 2 MB layer in 500 kB chunks"
	"$MI" --root "$T_DIR/r2" pull -q "$REG/test/chunks:1" >/dev/null || t_fail "pull back"
	t_eq "$("$MI" --root "$T_DIR/r2" image inspect -f '{{.Id}}' "$REG/test/chunks:1")" \
		"$(mi image inspect -f '{{.Id}}' "$REG/test/chunks:1")" "image ID"
}

login_logout() {
	need_auth_registry
	t_status 1 sh -c "echo wrong | '$MI' login -u user --password-stdin $REG"
	t_match "$T_OUT" "^minirun: login attempt to http://$REG/v2/ failed with status: 401 Unauthorized$"
	[ ! -e "$DOCKER_CONFIG/config.json" ] || t_fail "a wrong password was saved"
	# what other tools keep in the file stays
	mkdir -p "$DOCKER_CONFIG"
	echo '{"auths":{"other.example:5000":{"auth":"eDp5"}},"proxies":{"default":{"noProxy":"*"}}}' \
		>"$DOCKER_CONFIG/config.json"
	out=$(echo pass | "$MI" login -u user --password-stdin "$REG") || t_fail "login exited $?: $out"
	t_eq "$out" "Login Succeeded"
	t_eq "$(stat -c %a "$DOCKER_CONFIG/config.json")" 600 "mode of config.json"
	t_eq "$(jq -r --arg r "$REG" '.auths[$r].auth' "$DOCKER_CONFIG/config.json")" \
		"$(printf user:pass | base64)" "auths.$REG.auth"
	t_eq "$(jq -c '[.auths["other.example:5000"].auth, .proxies.default.noProxy]' "$DOCKER_CONFIG/config.json")" \
		'["eDp5","*"]' "other keys kept"
	t_status 125 "$MI" login --password-stdin "$REG"
	t_match "$T_OUT" 'Must provide --username with --password-stdin'
	t_status 1 "$MI" login -u user "$REG" </dev/null
	t_match "$T_OUT" '^minirun: Cannot perform an interactive login from a non TTY device$'
	# on a terminal it asks (script(1) gives it one)
	if command -v script >/dev/null; then
		out=$( (sleep 0.5; printf 'user\n'; sleep 0.5; printf 'pass\n') |
			DOCKER_CONFIG=$DOCKER_CONFIG timeout 20 script -qec "'$MI' login $REG" /dev/null | tr -d '\r') ||
			t_fail "login on a terminal: $out"
		t_match "$out" '^Username: user$'
		# (echo off is not asserted: a password typed ahead is echoed before it is read)
		t_match "$out" '^Password: '
		t_match "$out" '^Login Succeeded$'
	fi
	# -p works, with docker's warning on stderr
	out=$("$MI" login -u user -p pass "$REG" 2>"$T_DIR/err") || t_fail "login -p: $out"
	t_eq "$out" "Login Succeeded" "login -p"
	t_match "$(cat "$T_DIR/err")" '^WARNING! Using --password via the CLI is insecure. Use --password-stdin.$'
	out=$("$MI" logout "$REG") || t_fail "logout"
	t_eq "$out" "Removing login credentials for $REG"
	t_eq "$(jq -c --arg r "$REG" '[.auths[$r], .auths["other.example:5000"].auth]' "$DOCKER_CONFIG/config.json")" \
		'[null,"eDp5"]' "after logout"
	t_eq "$("$MI" logout "$REG")" "Not logged in to $REG" "second logout"
}

push_and_pull_with_auth() {
	need_auth_registry
	bb "$REG/test/bb:1"
	t_status 1 mi push "$REG/test/bb:1"
	t_match "$T_OUT" "^minirun: no basic auth credentials"
	echo pass | "$MI" login -u user --password-stdin "$REG" >/dev/null || t_fail "login"
	out=$(mi push "$REG/test/bb:1") || t_fail "push after login: $out"
	digest=$(echo "$out" | tail -1 | cut -d' ' -f3)
	# skopeo reads minirun's file, by --authfile and by DOCKER_CONFIG
	t_eq "$(manifest_digest test/bb:1 "--authfile $DOCKER_CONFIG/config.json")" "$digest" \
		"skopeo --authfile"
	t_eq "$(manifest_digest test/bb:1)" "$digest" "skopeo with DOCKER_CONFIG"
	"$MI" --root "$T_DIR/r2" pull -q "$REG/test/bb:1" >/dev/null || t_fail "pull with the saved credentials"
	"$MI" logout "$REG" >/dev/null
	t_status 1 "$MI" --root "$T_DIR/r3" pull "$REG/test/bb:1"
	t_match "$T_OUT" "pull access denied for $REG/test/bb"
}

tls_with_own_ca() {
	t_need openssl
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T_DIR/key.pem" -out "$T_DIR/cert.pem" \
		-days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null ||
		t_fail "openssl could not make a certificate"
	REG_YML_EXTRA="  tls:
    certificate: $T_DIR/cert.pem
    key: $T_DIR/key.pem"
	need_registry
	bb "$REG/test/tls:1"
	# verified, with no CA to trust: refused, saying where the CA goes
	export MINIRUN_CERTS_D="$T_DIR/certs.d"
	t_status 1 mi push --tls-verify=true "$REG/test/tls:1"
	t_match "$T_OUT" "certificate.*$T_DIR/certs.d/$REG/ca.crt"
	mkdir -p "$T_DIR/certs.d/$REG" && cp "$T_DIR/cert.pem" "$T_DIR/certs.d/$REG/ca.crt"
	mi push -q --tls-verify=true "$REG/test/tls:1" >/dev/null || t_fail "push trusting certs.d's CA"
	skopeo inspect --cert-dir "$T_DIR/certs.d/$REG" "docker://$REG/test/tls:1" >/dev/null ||
		t_fail "skopeo, verifying, does not read what was pushed"
	# --tls-verify=false (loopback's default) takes any certificate
	"$MI" --root "$T_DIR/r2" pull -q --tls-verify=false "$REG/test/tls:1" >/dev/null ||
		t_fail "pull with --tls-verify=false"
}

podman_pulls_and_runs() {
	need_registry
	t_need runc
	bb "$REG/test/bb:1"
	mi push -q "$REG/test/bb:1" >/dev/null || t_fail "push"
	pk_podman_setup
	out=$(pk_podman pull -q --tls-verify=false "$REG/test/bb:1" 2>&1) || t_fail "podman pull: $out"
	t_eq "sha256:$(pk_podman image inspect -f '{{.Id}}' "$REG/test/bb:1")" \
		"$(mi image inspect -f '{{.Id}}' "$REG/test/bb:1")" "image ID in podman"
	out=$(pk_podman run --rm --runtime "$(command -v runc)" --network none \
		--ulimit nofile=20000:20000 --ulimit nproc=1000:1000 \
		"$REG/test/bb:1" echo hello from the pushed image 2>&1) || t_fail "podman run: $out"
	t_eq "$out" "hello from the pushed image" "podman run"
}

t "push then pull back: docker's lines, same manifest and image ID" push_then_pull_back
t "a second push sends no blob: every layer already exists" push_twice_sends_nothing
t "push of an image not in the store: docker's line, exit 1" push_unknown_image
t "push -a sends every tag of the repository; no tag means latest" all_tags_and_the_default_tag
t "a blob pulled from another repository is mounted, not sent" mount_from_another_repository
t "a blob over the chunk size goes up in PATCH chunks" chunked_upload
t "login checks the password, saves docker's config.json 0600; logout" login_logout
t "push and pull with saved credentials; skopeo reads the same file" push_and_pull_with_auth
t "TLS with the test's own CA: refused until certs.d has it" tls_with_own_ca
t "podman pulls the pushed image and runs it" podman_pulls_and_runs
t_end
