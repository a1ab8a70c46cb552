#!/bin/sh
# labs/04-networking/11-volumes-vs-bind-mounts/lab.sh - -v NAME:/path survives rm, -v
# /host:/path shares a host directory, --mount readonly (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab volumes-vs-bind-mounts STEP`)
#
# The lab's store and host namespace come from mrlab.sh: exit 0 pass, 1 fail (after a hint),
# 77 skip (reason last).
LAB_NAME=volumes-vs-bind-mounts
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun run --name writer -v data:/data busybox sh -c 'echo kept > /data/file'; minirun rm writer
  minirun run --rm -v data:/data busybox cat /data/file > $LAB_STATE/volume.txt
  mkdir -p $LAB_STATE/site; echo from the host > $LAB_STATE/site/index.html
  minirun run --rm -v $LAB_STATE/site:/site busybox sh -c 'echo from the container > /site/new.txt'
  minirun run --rm --mount type=bind,source=$LAB_STATE/site,target=/site,readonly busybox \
      sh -c 'cat /site/index.html; echo nope > /site/x' > $LAB_STATE/readonly.txt 2>&1
HINT
}

setup_() { :; }

run_() {
	need_verbs run rm volume
	minirun run --name writer -v data:/data busybox sh -c 'echo kept > /data/file'
	minirun rm writer
	minirun volume ls
	minirun run --rm -v data:/data busybox cat /data/file | tee "$LAB_STATE/volume.txt"
	minirun volume inspect data
	mkdir -p "$LAB_STATE/site" && echo from the host >"$LAB_STATE/site/index.html"
	minirun run --rm -v "$LAB_STATE/site:/site" busybox sh -c 'cat /site/index.html; echo from the container > /site/new.txt'
	cat "$LAB_STATE/site/new.txt"
	minirun run --rm --mount "type=bind,source=$LAB_STATE/site,target=/site,readonly" busybox \
		sh -c 'cat /site/index.html; echo nope > /site/x' 2>&1 | tee "$LAB_STATE/readonly.txt"
	minirun run --rm --mount type=volume,source=data,target=/data busybox ls /data
}

check_() {
	need_verbs run rm volume
	for f in volume.txt readonly.txt; do have $f; done
	[ "$(cat "$LAB_STATE/volume.txt")" = kept ] || fail "volume.txt is not 'kept': the second container should read the volume"
	minirun ps -a --format '{{.Names}}' | grep -qx writer && fail "writer still exists: the point is that the data outlives 'rm writer'"
	minirun volume ls -q | grep -qx data || fail "there is no volume 'data'"
	[ "$(cat "$LAB_STATE/site/new.txt" 2>/dev/null)" = "from the container" ] ||
		fail "site/new.txt is not 'from the container': the bind mount's writes are the host's files"
	grep -qx 'from the host' "$LAB_STATE/readonly.txt" || fail "readonly.txt: the container could not read site/index.html"
	grep -q 'Read-only file system' "$LAB_STATE/readonly.txt" || fail "readonly.txt: the write was not refused as 'Read-only file system'"
	[ -e "$LAB_STATE/site/x" ] && fail "site/x exists: the readonly mount let a write through"
	echo "check: ok - the volume 'data' kept /data/file after rm; the bind mount shared site/ both ways; --mount readonly refused the write"
}

steps "$@"
