#!/bin/sh
# tests/integration/image/pull-errors.t - registries that refuse, fail, hang up, or want a
# token: a tiny fake registry (fake-registry.sh under `busybox nc -ll -e`) answers, inside a
# network namespace of the test's own, so its ports are seen by nothing else.
#
#   sh tests/integration/image/pull-errors.t
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

# fake MODE - a network namespace (held by a sleep) with the fake registry on 127.0.0.1:5000
# and its "cdn" on :5001, serving busybox as test/img:1
fake() {
	need_cli
	t_need_root
	t_need unshare nsenter busybox
	busybox_tar
	F=$T_DIR/fake
	mkdir -p "$F/srv"
	"$MI" --root "$T_DIR/srcroot" import "$T_DIR/busybox.tar" src:1 >/dev/null || t_fail "import"
	"$MI" --root "$T_DIR/srcroot" save --format oci-archive -o "$T_DIR/src.tar" src:1
	tar -xf "$T_DIR/src.tar" -C "$F/srv"
	echo "$1" >"$F/mode"
	: >"$F/log"
	unshare -n sh -c 'ip link set lo up 2>/dev/null || busybox ip link set lo up; exec sleep 600' &
	NSPID=$!
	t_defer "kill $NSPID"
	sleep 0.2
	for srv in reg:5000 cdn:5001; do
		FAKE_DIR=$F FAKE_NAME=${srv%:*} FAKE_PORT=5000 FAKE_CDN_PORT=5001 \
			nsenter -t "$NSPID" -n busybox nc -ll -p "${srv#*:}" \
			-e "$MR_TOP/tests/integration/image/fake-registry.sh" &
		t_defer "kill $!"
	done
	sleep 0.3
}

# pull in the fake's namespace
fpull() { nsenter -t "$NSPID" -n "$MI" --root "$T_DIR/root" pull "$@"; }

nothing_stored() {
	t_eq "$(store_files)" "" "files left in the store"
	t_eq "$(ls "$T_DIR/root/images/.tmp" 2>/dev/null)" "" ".tmp leftovers"
}

denied() {
	fake deny
	t_status 1 fpull 127.0.0.1:5000/test/img:1
	t_eq "$T_OUT" "minirun: pull access denied for 127.0.0.1:5000/test/img, repository does not exist or may require authorization: unauthorized: authentication required" "message"
	grep -q '^reg GET /token' "$F/log" || t_fail "no token was asked for"
	nothing_stored
}

not_found() {
	fake 404
	t_status 1 fpull 127.0.0.1:5000/test/img:1
	t_eq "$T_OUT" "minirun: manifest for 127.0.0.1:5000/test/img:1 not found: manifest unknown: manifest unknown" "message"
	nothing_stored
}

server_error() {
	fake 500
	t_status 1 fpull 127.0.0.1:5000/test/img:1
	t_match "$T_OUT" '^minirun: received unexpected HTTP status: 500: unknown: the disk is on fire'
	nothing_stored
}

closed_mid_blob() {
	fake midblob
	t_status 1 fpull 127.0.0.1:5000/test/img:1
	t_match "$T_OUT" '^minirun: pulling sha256:[0-9a-f]{12}: Get "http://127.0.0.1:5000/v2/test/img/blobs/sha256:[0-9a-f]{64}": connection closed after 1000 of [0-9]+ bytes'
	nothing_stored
}

token_flow() {
	fake token
	mkdir -p "$T_DIR/docker"
	printf '{"auths":{"127.0.0.1:5000":{"auth":"%s"}}}' "$(printf user:pass | base64)" \
		>"$T_DIR/docker/config.json"
	out=$(DOCKER_CONFIG=$T_DIR/docker fpull 127.0.0.1:5000/test/img:1) || t_fail "pull: $out"
	t_match "$out" "^Status: Downloaded newer image for 127.0.0.1:5000/test/img:1$"
	basic=$(printf user:pass | base64)
	grep -q "^reg GET /token?service=fake&scope=repository%3Atest%2Fimg%3Apull auth=\[Basic $basic\]" "$F/log" ||
		t_fail "the token server did not get the basic credentials: $(cat "$F/log")"
	grep -q '^reg GET /v2/test/img/manifests/1 auth=\[Bearer tok123\]' "$F/log" ||
		t_fail "the registry did not get the token"
	grep -q '^cdn GET /cdn/' "$F/log" || t_fail "the blob redirect was not followed"
	t_nomatch "$(grep '^cdn ' "$F/log")" 'auth=\[.+\]' "the cdn's requests"
	blobs_verify
	# without credentials, the token server refuses: access denied, nothing stored
	rm -rf "$T_DIR/root"
	t_status 1 env DOCKER_CONFIG=$T_DIR/none HOME=$T_DIR/none nsenter -t "$NSPID" -n \
		"$MI" --root "$T_DIR/root" pull 127.0.0.1:5000/test/img:1
	t_match "$T_OUT" 'pull access denied for 127.0.0.1:5000/test/img'
	nothing_stored
}

basic_auth() {
	fake basic
	mkdir -p "$T_DIR/docker"
	printf '{"auths":{"http://127.0.0.1:5000":{"username":"user","password":"pass"}}}' \
		>"$T_DIR/docker/config.json"
	out=$(DOCKER_CONFIG=$T_DIR/docker fpull 127.0.0.1:5000/test/img:1) || t_fail "pull: $out"
	t_match "$out" "^Status: Downloaded newer image for 127.0.0.1:5000/test/img:1$"
	grep -q "^reg GET /v2/test/img/manifests/1 auth=\[Basic " "$F/log" || t_fail "no Basic auth sent"
}

login_through_token_server() {
	fake token
	D=$T_DIR/docker
	t_status 1 sh -c "echo wrong | DOCKER_CONFIG=$D nsenter -t $NSPID -n '$MI' login -u user --password-stdin 127.0.0.1:5000"
	t_match "$T_OUT" '^minirun: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized$'
	[ ! -e "$D/config.json" ] || t_fail "a refused login was saved"
	out=$(echo pass | DOCKER_CONFIG=$D nsenter -t "$NSPID" -n "$MI" login -u user --password-stdin \
		127.0.0.1:5000) || t_fail "login: $out"
	t_eq "$out" "Login Succeeded"
	grep -q "^reg GET /token.* auth=\[Basic $(printf user:pass | base64)\]" "$F/log" ||
		t_fail "the token server did not get the basic credentials"
	grep -q '^reg GET /v2/ auth=\[Bearer tok123\]' "$F/log" || t_fail "/v2/ was not asked with the token"
	# and pull uses what login saved
	out=$(DOCKER_CONFIG=$D fpull -q 127.0.0.1:5000/test/img:1) || t_fail "pull after login: $out"
}

t "401 and a token server that refuses: pull access denied, nothing stored" denied
t "404: manifest not found, nothing stored" not_found
t "500: unexpected HTTP status with the registry's message, nothing stored" server_error
t "a connection closed mid-blob: the byte counts, nothing stored" closed_mid_blob
t "bearer token from basic credentials in config.json; the redirect gets no token" token_flow
t "a registry with Basic auth gets config.json's username and password" basic_auth
t "login through a token server: a wrong password refused, the right one saved" login_through_token_server
t_end
