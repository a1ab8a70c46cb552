#!/bin/sh
# tests/integration/minirun/lazylib.t - minirun loads libarchive, libnftables, libcrypto,
# libsqlite3, ldns and libcurl only when a verb calls into them (minirun/lazy/lazylib.h, minirun/image/curl_dl.c):
# none is linked, and the verbs that need them still work through the forwarders. (jansson,
# libseccomp and libcap are linked in whole: minirun/build.mk.)
. "$MR_TOP/tests/lib/t.sh"

MINIRUN=$MR_TOP/minirun/minirun
TAR=$MR_TOP/build/images/busybox.tar

need() {
	[ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"
	command -v ldd >/dev/null || t_skip "needs ldd (libc-bin)"
}

not_linked() {
	need
	libs=$(ldd "$MINIRUN") || t_fail "ldd $MINIRUN failed"
	for lib in libarchive libnftables libcrypto libsqlite3 libldns libcurl libxml2 libicu; do
		t_nomatch "$libs" "$lib" "$lib is not linked (loaded on first use, if at all)"
	done
	t_match "$libs" "libc\.so" "libc is (ldd read the binary)"
}
t "minirun links none of libarchive, libnftables, libcrypto, libsqlite3, ldns, libcurl (nor libxml2/ICU)" not_linked

verbs_still_work() {
	need
	[ -f "$TAR" ] || t_fail "$TAR is missing (make busybox-image)"
	root=$T_DIR/root
	# import: libarchive reads the tar, libcrypto hashes the layers
	t_status 0 "$MINIRUN" --root "$root" import -c 'CMD ["sh"]' "$TAR" lazy:1
	t_status 0 "$MINIRUN" --root "$root" save -o "$T_DIR/out.tar" lazy:1
	# the saved archive is a tar that holds the image's manifest
	t_match "$(tar -tf "$T_DIR/out.tar")" "manifest.json" "save wrote a docker-archive"
	t_status 0 "$MINIRUN" --root "$root" rmi lazy:1
	t_status 0 "$MINIRUN" --root "$root" load -i "$T_DIR/out.tar"
	t_match "$("$MINIRUN" --root "$root" images)" "lazy" "load read it back"
}
t "import, save and load work through the forwarders" verbs_still_work

run_loads_none() {
	need
	command -v unshare >/dev/null || t_skip "needs unshare (util-linux)"
	root=$T_DIR/root
	"$MINIRUN" --root "$root" import -c 'CMD ["sh"]' "$TAR" busybox >/dev/null || t_fail "import"
	# a namespace of its own: --network none needs no bridge, but the run stays off the
	# machine's own network all the same
	out=$(unshare -n -m -p -f --mount-proc sh -c '
		M=$1; R=$2
		id=$("$M" --root "$R" run -d --network none busybox sleep 30) || exit 1
		mon=$("$M" --root "$R" inspect -f "{{.Minirun.MonitorPid}}" "$id")
		echo "monitor: $(grep -oE "lib(archive|crypto|nftables|sqlite3|ldns|curl|xml2)[^ /]*" /proc/$mon/maps | sort -u | tr "\n" " ")."
		"$M" --root "$R" rm -f "$id" >/dev/null
	' sh "$MINIRUN" "$root") || t_fail "run -d: $out"
	t_eq "$out" "monitor: ." "a running container's monitor has mapped none of them"
}
t "a container's monitor (run --network none) maps no libarchive, libcrypto, libnftables, libsqlite3, libcurl" run_loads_none
