#!/bin/sh
# tests/integration/unionfs/interop.t - umoci, an independent OCI implementation, unpacks an
# image made of the same layers to the same tree unionfs/apply makes (and the same tree the
# overlay of unionfs/apply -o layers shows). Digests and diffIDs come from unionfs/digest,
# so umoci's own digest checks also check ours.
#
# Run: sh tests/integration/unionfs/interop.t (as root; `make unionfs` first). Also runs
# under busybox sh; skipped where umoci is not installed (the VM).
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/unionfs/lib.sh"

# blob FILE MEDIATYPE - put FILE into the image layout's blobs; print its descriptor JSON
blob() {
	set -- "$1" "$2" "$(sha256sum "$1" | cut -d' ' -f1)" "$(wc -c <"$1" | tr -d ' ')"
	cp "$1" "img/blobs/sha256/$3"
	printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$2" "$3" "$4"
}

# image LAYER... - an OCI image layout img/ tagged "test" with these gzip layers
image() {
	mkdir -p img/blobs/sha256
	echo '{"imageLayoutVersion":"1.0.0"}' >img/oci-layout
	descs="" diffids=""
	for l; do
		d=$(blob "$l" application/vnd.oci.image.layer.v1.tar+gzip)
		descs="$descs${descs:+,}$d"
		diffids="$diffids${diffids:+,}\"$("$UF/digest" "$l" | cut -d' ' -f2)\""
	done
	printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$diffids" >config.json
	cfg=$(blob config.json application/vnd.oci.image.config.v1+json)
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s]}' \
		"$cfg" "$descs" >manifest.json
	man=$(blob manifest.json application/vnd.oci.image.manifest.v1+json)
	printf '{"schemaVersion":2,"manifests":[%s]}' \
		"$(echo "$man" | sed 's/}$/,"annotations":{"org.opencontainers.image.ref.name":"test"}}/')" >img/index.json
}

umoci_agrees() {
	uf_need
	t_need umoci gzip
	XA=$(uf_xattr_ns)
	mktar l1.tar <<SPEC
dir etc mtime=1000
file etc/passwd data=root:x:0:0 mtime=1000
file etc/shadow data=s mode=0640 gid=42 mtime=1000
dir bin mtime=1000
file bin/busybox size=50000 mode=0755 mtime=1000 xattr=$XA.k=v
hardlink bin/ls bin/busybox
symlink bin/sh busybox mtime=1000
dir dev mtime=1000
chr dev/null 1 3 mode=0666 mtime=1000
dir tmp mode=01777 mtime=1000
dir var mtime=1000
dir var/cache mtime=1000
file var/cache/old data=o mtime=1000
dir home mtime=1000
dir home/u mode=0700 uid=1000 gid=1000 mtime=1000
SPEC
	mktar l2.tar <<SPEC
dir etc mtime=2000
file etc/.wh.shadow
file etc/hostname data=box mtime=2000
dir var mtime=2000
dir var/cache mtime=2000
file var/cache/.wh..wh..opq
file var/cache/new data=n mtime=2000
dir bin mtime=2000
file bin/extra data=x mode=0755 mtime=2000
SPEC
	gzip -n l1.tar && gzip -n l2.tar || t_fail gzip
	image l1.tar.gz l2.tar.gz
	umoci raw unpack --image img:test theirs >umoci.log 2>&1 || t_fail "umoci unpack failed: $(cat umoci.log)"
	"$UF/apply" -q l1.tar.gz ours && "$UF/apply" -q l2.tar.gz ours || t_fail "unionfs/apply failed"
	manifest -t theirs >theirs.m
	manifest -t ours >ours.m
	diff theirs.m ours.m >d || t_fail "umoci and unionfs/apply disagree: $(cat d)"
	t_match "$(cat ours.m)" "^/var/cache/new "
	t_nomatch "$(cat ours.m)" "^/etc/shadow |^/var/cache/old "
	# and the same layers as overlay lowers show the same tree
	uf_need_overlay
	t_defer uf_no_overlay_left
	mkdir layers merged
	"$UF/apply" -q -o l1.tar.gz layers/1 && "$UF/apply" -q -o l2.tar.gz layers/2 || t_fail "apply -o failed"
	"$UF/mount" -l layers/2 -l layers/1 merged -- "$TT" manifest -t merged >stacked.m || t_fail "mount failed"
	diff theirs.m stacked.m >d || t_fail "umoci's tree and the overlay of the layers disagree: $(cat d)"
}
t "umoci unpacks an image of the same layers to the same tree as unionfs/apply" umoci_agrees

t_end
