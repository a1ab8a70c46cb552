#!/bin/sh
# tests/integration/unionfs/diff.t - unionfs/diff and unionfs/show read an upper directory:
# the layer tar is sorted, spells whiteouts the OCI way and is byte-for-byte reproducible
# with a fixed mtime; show prints A/C/D like docker diff and where each visible file is from.
#
# Run: sh tests/integration/unionfs/diff.t (as root; `make unionfs` first). Also runs under
# busybox sh. The upper directories are made by a real overlay, in a private namespace.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/unionfs/lib.sh"

# container: a two-layer image and a container that adds, changes and deletes
container() {
	uf_need
	uf_need_overlay
	t_defer uf_no_overlay_left
	mkdir -p l1/etc l1/bin l1/tmp/cache l2/etc upper work merged
	echo base >l1/etc/motd
	echo sh >l1/bin/sh
	echo 1 >l1/tmp/cache/1
	echo conf >l2/etc/app.conf
	"$UF/mount" -l l2 -l l1 -u upper -w work merged -- sh -c '
		cd merged
		echo hello >etc/motd
		echo new >etc/new.conf
		rm etc/app.conf
		rm -rf tmp/cache && mkdir tmp/cache
		mkdir -p srv/www && echo page >srv/www/index.html' || t_fail "the container's changes failed"
}

show_like_docker_diff() {
	container
	t_status 0 "$UF/show" upper l2 l1
	t_eq "$T_OUT" "C /etc
D /etc/app.conf
C /etc/motd
A /etc/new.conf
A /srv
A /srv/www
A /srv/www/index.html
C /tmp
C /tmp/cache   (opaque: what the lowers had here is hidden)"
}
t "show prints A/C/D for a container's change, as docker diff does" show_like_docker_diff

show_origins() {
	container
	t_status 0 "$UF/show" -o upper l2 l1
	t_match "$T_OUT" "^lower 2  /bin/sh$"
	t_match "$T_OUT" "^upper    /etc/motd$"
	t_match "$T_OUT" "^upper    /tmp/cache$"
	t_nomatch "$T_OUT" "/etc/app.conf|/tmp/cache/1" "deleted or hidden paths"
}
t "show -o names the layer each visible path comes from, hiding whiteouts and opaque contents" show_origins

diff_spells_oci() {
	container
	t_status 0 "$UF/diff" -t 0 upper layer.tar
	t_need tar
	t_eq "$(tar -tf layer.tar 2>/dev/null | tr '\n' ' ')" \
		"etc/ etc/.wh.app.conf etc/motd etc/new.conf srv/ srv/www/ srv/www/index.html tmp/ tmp/cache/ tmp/cache/.wh..wh..opq " \
		"entries, in order"
}
t "diff writes whiteouts as .wh.NAME and opaque dirs as DIR/.wh..wh..opq, sorted" diff_spells_oci

diff_reproducible() {
	container
	"$UF/diff" -t 1700000000 upper a.tar >a.out || t_fail "diff a"
	touch upper/etc/motd # a new mtime: must not matter with -t
	sleep 1
	"$UF/diff" -t 1700000000 upper b.tar >b.out || t_fail "diff b"
	cmp -s a.tar b.tar || t_fail "two diffs with -t differ"
	t_eq "$(cut -d' ' -f1 a.out)" "sha256:$(sha256sum a.tar | cut -d' ' -f1)" "printed digest"
	"$UF/diff" -t 1 upper c.tar >c.out || t_fail "diff c"
	t_ne "$(cut -d' ' -f1 c.out)" "$(cut -d' ' -f1 a.out)" "digest with another mtime"
	"$UF/diff" -z -t 1700000000 upper a.tar.gz >az.out && sleep 1 &&
		"$UF/diff" -z -t 1700000000 upper b.tar.gz >bz.out || t_fail "diff -z"
	cmp -s a.tar.gz b.tar.gz || t_fail "two gzip diffs differ (timestamp in the gzip header?)"
	t_eq "$(cut -d' ' -f2 az.out)" "$(cut -d' ' -f2 a.out)" "diffID of the gzip layer"
	t_ne "$(cut -d' ' -f1 az.out)" "$(cut -d' ' -f1 a.out)" "digest of the gzip layer"
}
t "diff -t gives the same bytes and digest every time; gzip keeps the diffID" diff_reproducible

diff_refuses_redirect() {
	uf_need
	mkdir -p upper/moved
	"$TT" setxattr upper/moved trusted.overlay.redirect /old || t_skip "no trusted xattrs here"
	t_status 1 "$UF/diff" upper out.tar
	t_match "$T_OUT" "diff 'upper': 'moved' is a renamed directory \(redirect_dir=on\)"
	[ ! -e out.tar ] || t_fail "out.tar written"
	ls | grep -q unionfs-tmp && t_fail "temp file left"
	true
}
t "diff refuses a redirect_dir upper (a tar can't say 'renamed') and writes nothing" diff_refuses_redirect

diff_bad_upper() {
	uf_need
	t_status 1 "$UF/diff" nosuch out.tar
	t_match "$T_OUT" "diff 'nosuch': upper 'nosuch': No such file or directory"
}
t "diff of a missing upper says so in one line" diff_bad_upper

t_end
