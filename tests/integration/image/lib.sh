# tests/integration/image/lib.sh - what the image suites share (sourced after t.sh).
#
# MI is the image front end, minirun/minirun (MR_IMAGE_CLI=/path/to/minirun to test another). Every test has its
# own store (mi = MI --root $T_DIR/root), so suites never meet each other or the real store.

MI=${MR_IMAGE_CLI:-$MR_TOP/minirun/minirun}

mi() { "$MI" --root "$T_DIR/root" "$@"; }

# need_cli - skip unless the front end is built
need_cli() { [ -x "$MI" ] || t_fail "$MI is not built: run 'make minirun'"; }

# busybox_tar [DEST] - a busybox root filesystem tarball (tests/rootfs.sh, no network)
busybox_tar() {
	_dest=${1:-$T_DIR/busybox.tar}
	[ -f "$_dest" ] && return 0
	# made once per suite (in the suite's temp dir), copied for each test
	if [ ! -f "$T_TMP/busybox.tar" ]; then
		sh "$MR_TOP/tests/rootfs.sh" "$T_TMP/bb.root" >/dev/null || t_fail "tests/rootfs.sh failed"
		(cd "$T_TMP/bb.root" && tar -cf "$T_TMP/busybox.tar.part" .) &&
			mv "$T_TMP/busybox.tar.part" "$T_TMP/busybox.tar" ||
			t_fail "tar of the busybox rootfs failed"
		rm -rf "$T_TMP/bb.root"
	fi
	cp "$T_TMP/busybox.tar" "$_dest"
}

# import_busybox NAME - import the busybox tarball as NAME; prints the image ID
import_busybox() {
	busybox_tar
	mi import -c 'CMD ["sh"]' "$T_DIR/busybox.tar" "$1" || t_fail "import $1 exited $?"
}

# store_files - every file of the store's blobs/ and layers/ (for "nothing left" checks)
store_files() { (cd "$T_DIR/root" && find images/blobs layers -type f 2>/dev/null | sort); }

# blobs_verify - every blob's sha256 is its name
blobs_verify() {
	for _b in "$T_DIR"/root/images/blobs/sha256/*; do
		[ -f "$_b" ] || continue
		_h=$(sha256sum "$_b" | cut -d' ' -f1)
		[ "$_h" = "$(basename "$_b")" ] || t_fail "blob $(basename "$_b") hashes to $_h"
	done
}

# free_port - a TCP port nothing on this machine listens on
free_port() {
	_p=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000))
	while grep -qi ":$(printf '%04X' "$_p") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
		_p=$((_p + 1))
	done
	echo "$_p"
}

# wait_port PORT - until something answers HTTP on 127.0.0.1:PORT (5 s at most)
wait_port() {
	_i=0
	while [ $_i -lt 50 ]; do
		curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	t_fail "nothing answers on 127.0.0.1:$1"
}

# registry_start - Debian's docker-registry on 127.0.0.1:$REG_PORT, storage in $T_DIR/reg,
# its log in $T_DIR/reg.log; stopped by its PID when the test ends. $REG_YML_EXTRA, if set,
# is appended to its config (the http section is last: "  tls: ..." lands in it, "auth: ..."
# at the top level).
registry_start() {
	t_need docker-registry curl
	REG_PORT=$(free_port)
	mkdir -p "$T_DIR/reg"
	cat >"$T_DIR/reg.yml" <<YML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $T_DIR/reg
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
${REG_YML_EXTRA:-}
YML
	docker-registry serve "$T_DIR/reg.yml" >"$T_DIR/reg.log" 2>&1 &
	REG_PID=$!
	t_defer "kill $REG_PID; wait $REG_PID 2>/dev/null; true"
	wait_port "$REG_PORT"
	REG=127.0.0.1:$REG_PORT
}

# push_busybox REPO:TAG - import busybox into a store of its own ($T_DIR/srcroot, image
# local/src:1), save it, and push it to $REG with skopeo
push_busybox() {
	t_need skopeo
	busybox_tar
	src() { "$MI" --root "$T_DIR/srcroot" "$@"; }
	[ -f "$T_DIR/src.tar" ] || {
		src import -c 'CMD ["sh"]' "$T_DIR/busybox.tar" local/src:1 >/dev/null &&
			src save --format oci-archive -o "$T_DIR/src.tar" local/src:1
	} || t_fail "import and save of local/src:1 failed"
	skopeo copy -q --dest-tls-verify=false "oci-archive:$T_DIR/src.tar" "docker://$REG/$1" ||
		t_fail "skopeo copy to $REG/$1 failed"
}
