#!/bin/sh
# tests/integration/unionfs/roundtrip.t - the round trip an image store and `commit` make:
# layers applied as overlay lowers -> a container changes the merged view -> its upper is
# diffed into a new layer -> that layer applied onto the old layers gives exactly the tree
# the container saw (content, mode, owner, xattrs, mtimes).
#
# Run: sh tests/integration/unionfs/roundtrip.t (as root; `make unionfs` first). Also runs
# under busybox sh. Mounts are made in private mount namespaces (unionfs/mount -- CMD).
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/unionfs/lib.sh"

layers() {
	XA=$(uf_xattr_ns)
	# every directory a layer touches has its own entry, as image builders write them
	mktar l1.tar <<SPEC
dir etc mtime=1000
file etc/passwd data=root:x:0:0 mtime=1000
file etc/group data=root:x:0 mtime=1000
file etc/motd data=welcome mtime=1000 xattr=$XA.lang=en
dir usr mtime=1000
dir usr/bin mtime=1000
file usr/bin/tool size=20000 mode=0755 mtime=1000
hardlink usr/bin/tool2 usr/bin/tool
symlink usr/bin/sh tool mtime=1000
dir var mtime=1000
dir var/cache mtime=1000
file var/cache/a data=a mtime=1000
file var/cache/b data=b mtime=1000
dir var/log mtime=1000
file var/log/old data=old mtime=1000
dir home mtime=1000
dir home/u mode=0700 uid=1000 gid=1000 mtime=1000
file home/u/.profile data=x uid=1000 gid=1000 mtime=1000
SPEC
	mktar l2.tar <<SPEC
dir etc mtime=2000
file etc/.wh.group
file etc/hosts data=127.0.0.1 mtime=2000
dir var mtime=2000
dir var/cache mtime=2000
file var/cache/.wh..wh..opq
file var/cache/c data=c mtime=2000
dir usr mtime=2000
dir usr/bin mtime=2000
file usr/bin/extra data=e mode=0700 mtime=2000
SPEC
	mkdir layers
	"$UF/apply" -q -o l1.tar layers/1 && "$UF/apply" -q -o l2.tar layers/2 || t_fail "apply -o failed"
	mkdir -p upper work merged
}

# the container's changes: every kind of change a RUN step makes
CHANGES='set -e
cd merged
echo changed >etc/motd                  # modify a lower file (copy-up)
chmod 0600 etc/passwd                   # metadata only
chown 1000:1000 etc/hosts
rm etc/hosts.none 2>/dev/null || true
rm usr/bin/sh                           # delete a lower symlink
rm -r var/log                           # delete a lower directory
rm -rf var/cache && mkdir var/cache && echo d >var/cache/d   # remade: opaque
mkdir -p opt/app/bin && echo app >opt/app/bin/run && chmod 0755 opt/app/bin/run
ln opt/app/bin/run opt/app/bin/run2     # a new hard link
ln -s ../app/bin/run opt/app/link
mkfifo opt/app/fifo
mknod opt/app/null c 1 3
mv etc/passwd etc/passwd.moved         # rename = delete + add
"$TT" setxattr home/u/.profile $XA.owner u1
echo grown >>usr/bin/tool               # a hard-linked lower file
'

roundtrip() {
	uf_need
	uf_need_overlay
	t_defer uf_no_overlay_left
	layers
	"$UF/mount" -l layers/2 -l layers/1 -u upper -w work merged -- \
		env TT="$TT" XA="$XA" sh -c "$CHANGES"'"$TT" manifest -t .' >merged.m ||
		t_fail "the container's changes failed"
	t_status 0 "$UF/diff" upper change.tar
	# the image store's way: the new layer as a third lower, mounted read-only
	t_status 0 "$UF/apply" -o change.tar layers/3
	"$UF/mount" -l layers/3 -l layers/2 -l layers/1 merged -- "$TT" manifest -t merged >stacked.m ||
		t_fail "mounting the three layers failed"
	diff merged.m stacked.m >d1 || t_fail "layers 1+2+change as an overlay differ from what the container saw: $(cat d1)"
	# the flattening way: each layer applied in order onto one plain tree
	for l in l1.tar l2.tar change.tar; do
		"$UF/apply" -q "$l" flat || t_fail "plain apply of $l failed"
	done
	manifest -t flat >flat.m
	diff merged.m flat.m >d2 || t_fail "layers 1+2+change flattened differ from what the container saw: $(cat d2)"
	# the things that must have crossed over
	t_match "$(cat merged.m)" "^/var/cache d .*"
	t_nomatch "$(cat merged.m)" "^/var/cache/a "
	t_nomatch "$(cat merged.m)" "^/etc/passwd "
	t_match "$(cat merged.m)" "^/home/u/.profile .* $XA.owner=u1"
	t_match "$(cat merged.m)" "^/opt/app/null c 0644 0:0 1,3"
}
t "apply layers -> overlay -> change -> diff -> apply gives the same tree, stacked or flattened" roundtrip

t_end
