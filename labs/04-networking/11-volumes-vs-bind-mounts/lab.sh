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
	expect "volume.txt is 'kept': the second container read the volume" [ "$(cat "$LAB_STATE/volume.txt")" = kept ]
	expect "writer is removed: the data outlives 'rm writer'" not eval 'minirun ps -a --format "{{.Names}}" | grep -qx writer'
	expect "there is a volume 'data'" eval 'minirun volume ls -q | grep -qx data'
	expect "site/new.txt is 'from the container': the bind mount's writes are the host's files" \
		[ "$(cat "$LAB_STATE/site/new.txt" 2>/dev/null)" = "from the container" ]
	expect "readonly.txt: the container read site/index.html" grep -qx 'from the host' "$LAB_STATE/readonly.txt"
	expect "readonly.txt: the write was refused as 'Read-only file system'" grep -q 'Read-only file system' "$LAB_STATE/readonly.txt"
	expect "site/x does not exist: the readonly mount let no write through" [ ! -e "$LAB_STATE/site/x" ]
	echo "check: ok - the volume 'data' kept /data/file after rm; the bind mount shared site/ both ways; --mount readonly refused the write"
}

steps "$@"
