# tests/integration/containers/volumes.t - `minirun run -v` and `--mount`: a named volume made
# on first use and kept after rm, an anonymous one removed by `rm -v` only, bind mounts
# read-write and read-only, --mount type=bind|volume|tmpfs, and docker's Mounts in inspect;
# an image's VOLUMEs as anonymous volumes, populated from the image as docker does.
# Each test runs in a throwaway namespace playing the host (the mounts die with it).
#   MR_TOP=$PWD sh tests/integration/containers/volumes.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

named_volume_kept() {
	ct_need
	out=$(ct_host '
		mr run --rm -v data:/data busybox sh -c "echo kept >/data/f" || die "run 1"
		mr volume ls | sed "s/^/ls: /"
		mr run --rm -v data:/data busybox cat /data/f | sed "s/^/second run: /"
		id=$(mr run -d --name user1 -v data:/data:ro busybox sleep 60) || die "run -d"
		mr exec user1 sh -c "echo x >/data/g" 2>&1 | sed "s/^/ro: /"
		ct_inspect user1 | tr -d " \n" | grep -o "\"Mounts\":\[{[^]]*\]" | sed "s/^/inspect: /"
		mr volume rm data 2>&1 | sed "s/^/in use: /"
		mr rm -f -v user1 >/dev/null || die "rm -f -v"
		mr volume inspect data >/dev/null && echo "named volume kept after rm -v"
		[ -e "$R/volumes/data/users" ] || echo "no users left"
		mr volume rm data >/dev/null && echo "volume rm works now"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^ls: local +data$' "-v data:/data creates the volume on first use"
	t_match "$out" '^second run: kept$' "its content outlives the container"
	t_match "$out" '^ro: .*Read-only file system' ":ro mounts it read-only"
	t_match "$out" '"Type":"volume","Name":"data"|"Name":"data".*"Type":"volume"' "inspect lists the volume"
	t_match "$out" '"Destination":"/data"'
	t_match "$out" '"RW":false' "read-only shows RW false"
	t_match "$out" '^in use: .*remove data: volume is in use - \[[0-9a-f]{64}\]' "volume rm refuses a volume in use"
	t_match "$out" '^named volume kept after rm -v$' "rm -v keeps named volumes, as docker"
	t_match "$out" '^no users left$'
	t_match "$out" '^volume rm works now$'
	t_nomatch "$out" '^leak:'
}

anonymous_volume() {
	ct_need
	out=$(ct_host '
		a=$(mr run -d -v /scratch busybox sleep 60) && b=$(mr run -d -v /scratch busybox sleep 60) ||
			die "run -d"
		va=$(ct_inspect "$a" | tr -d " \n" | grep -oE "\"Name\":\"[0-9a-f]{64}\"" | cut -d\" -f4)
		vb=$(ct_inspect "$b" | tr -d " \n" | grep -oE "\"Name\":\"[0-9a-f]{64}\"" | cut -d\" -f4)
		[ -n "$va" ] && [ -n "$vb" ] || die "no anonymous volume in inspect"
		mr rm -f "$a" >/dev/null || die "rm a"
		mr volume inspect "$va" >/dev/null 2>&1 && echo "kept without -v"
		mr rm -f -v "$b" >/dev/null || die "rm -v b"
		mr volume inspect "$vb" >/dev/null 2>&1 || echo "removed with -v"
		mr volume prune -f >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^kept without -v$' "rm keeps an anonymous volume"
	t_match "$out" '^removed with -v$' "rm -v removes it"
	t_nomatch "$out" '^leak:'
}

bind_mounts() {
	ct_need
	out=$(ct_host '
		mkdir -p "$R/../host" && echo from-host >"$R/../host/in"
		h=$(cd "$R/.." && pwd)/host
		mr run --rm -v "$h:/h" busybox sh -c "cat /h/in; echo from-container >/h/out" | sed "s/^/rw: /"
		cat "$h/out" | sed "s/^/host reads: /"
		mr run --rm -v "$h:/h:ro" busybox sh -c "touch /h/x" 2>&1 | sed "s/^/ro: /"
		mr run --rm -v "$h/new/dir:/n" busybox true && [ -d "$h/new/dir" ] && echo "-v made the missing source"
		mr run --rm -v "$h/in:/etc/in-file:ro" busybox cat /etc/in-file | sed "s/^/file: /"
		mr run --rm --mount "type=bind,source=$h,target=/m,readonly" busybox cat /m/in | sed "s/^/mount bind: /"
		mr run --rm --mount type=volume,source=mv,target=/v busybox sh -c "echo in-mv >/v/f"
		cat "$R/volumes/mv/_data/f" | sed "s/^/mount volume: /"
		mr run --rm --mount type=tmpfs,target=/t,tmpfs-size=1m busybox sh -c \
			"grep \" /t \" /proc/mounts; echo x >/t/f" | sed "s/^/mount tmpfs: /"
		mr volume rm mv >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^rw: from-host$' "-v /host:/path shows the host's files"
	t_match "$out" '^host reads: from-container$' "and the container's writes reach the host"
	t_match "$out" '^ro: .*Read-only file system' ":ro refuses writes"
	t_match "$out" '^-v made the missing source$' "-v creates a missing host directory, as docker"
	t_match "$out" '^file: from-host$' "-v /host/file:/path binds an existing file (it was refused: mkdir)"
	t_match "$out" '^mount bind: from-host$' "--mount type=bind"
	t_match "$out" '^mount volume: in-mv$' "--mount type=volume (created on first use)"
	t_match "$out" '^mount tmpfs: tmpfs /t tmpfs .*size=1024k' "--mount type=tmpfs with its size"
	t_nomatch "$out" '^leak:'
}

bad_volumes() {
	ct_need
	out=$(ct_host '
		mr run --rm -v data:relative busybox true 2>&1; echo "rc=$?"
		mr run --rm --mount type=bind,source=/nonexistent-mrw,target=/x busybox true 2>&1; echo "rc=$?"
		mr volume ls -q | sed "s/^/volume: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" "^minirun: invalid volume specification: 'data:relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute" "docker's message for a relative target"
	t_match "$out" '^minirun: .*invalid mount config for type "bind": bind source path does not exist: /nonexistent-mrw' "a missing --mount bind source"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 2 "both exit 125"
	t_nomatch "$out" '^volume: ' "no volume was made"
	t_nomatch "$out" '^leak:'
}

# VIMG - ct_host script lines that make the image "vimg": busybox with /data (seed, sub/f; owned
# 1000:1000, mode 750) and /lnk -> /etc, whose config.Volumes names /data and /lnk
# (commit -c 'VOLUME ...', as a Dockerfile's VOLUME would)
VIMG='
	mr run --network none --name seed busybox sh -c "mkdir -p /data/sub && echo from-image >/data/seed &&
		echo deep >/data/sub/f && chown 1000:1000 /data && chmod 750 /data && ln -s /etc /lnk" ||
		die "seed"
	mr commit -c "VOLUME [\"/data\", \"/lnk\"]" seed vimg >/dev/null && mr rm seed >/dev/null ||
		die "commit"
'

image_volumes() {
	ct_need
	out=$(ct_host "$VIMG"'
		mr image inspect -f "{{json .Config.Volumes}}" vimg | sed "s/^/image: /"
		mr run --network none --name v1 vimg sh -c "cat /data/seed /data/sub/f; stat -c %u:%g:%a /data
			grep -q \" /data \" /proc/mounts && echo mounted; ls /lnk; echo mine >/data/new" |
			sed "s/^/v1: /"
		ct_inspect v1 | tr -d " \n" | grep -oE "\"Name\":\"[0-9a-f]{64}\",\"Source\":\"[^\"]*\",\"Destination\":\"/data\"" |
			sed "s/^/inspect: /"
		mr volume ls -q | grep -cE "^[0-9a-f]{64}$" | sed "s/^/volumes after run: /"
		mr rm v1 >/dev/null
		mr volume ls -q | grep -cE "^[0-9a-f]{64}$" | sed "s/^/volumes after rm: /"
		mr volume prune -f | grep -cE "^[0-9a-f]{64}$" | sed "s/^/pruned: /"
		mkdir -p "$R/../host" && echo on-host >"$R/../host/h"
		mr run --rm --network none -v "$R/../host:/data" vimg ls /data | sed "s/^/explicit -v: /"
		mr run --rm --network none -v named:/data vimg sh -c "cat /data/seed; echo changed >/data/seed"
		mr run --rm --network none -v named:/data vimg cat /data/seed | sed "s/^/named again: /"
		mr run --rm --network none -v empty:/data:nocopy vimg ls -A /data | sed "s/^/nocopy: /"
		id=$(mr create --network none vimg true) && mr rm -v "$id" >/dev/null || die "create, rm -v"
		mr volume ls -q | sed "s/^/left: /"
		mr volume rm named empty >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^image: \{"/data":\{\},"/lnk":\{\}\}$' "the test image has config.Volumes"
	t_match "$out" '^v1: from-image$' "the anonymous volume starts with the image's files"
	t_match "$out" '^v1: deep$' "subdirectories too"
	t_match "$out" '^v1: 1000:1000:750$' "with the image's owner and mode on its top directory"
	t_match "$out" '^v1: mounted$' "mounted on the VOLUME path"
	t_match "$out" '^v1: group$' "a VOLUME through a symlink is populated from the image's target"
	t_nomatch "$out" '^v1: shadow$' "never from the host's (/lnk -> /etc is the image's /etc)"
	t_match "$out" '^inspect: "Name":"[0-9a-f]{64}","Source":".*/volumes/[0-9a-f]{64}/_data","Destination":"/data"' "inspect lists it as a volume with a 64-hex name"
	t_match "$out" '^volumes after run: 2$'
	t_match "$out" '^volumes after rm: 2$' "plain rm keeps them"
	t_match "$out" '^pruned: 2$' "volume prune removes them"
	t_match "$out" '^explicit -v: h$' "an explicit -v on the same path wins"
	t_nomatch "$out" '^explicit -v: seed$'
	t_match "$out" '^from-image$' "a new named volume is populated too"
	t_match "$out" '^named again: changed$' "a volume that holds anything is left alone"
	t_nomatch "$out" '^nocopy: ' ":nocopy leaves it empty"
	t_nomatch "$out" '^left: [0-9a-f]{64}$' "rm -v and run --rm remove the image's anonymous volumes"
	t_match "$out" '^left: named$'
	t_nomatch "$out" '^leak:'
}

tmpfs_volume() {
	ct_need
	out=$(ct_host '
		mr volume create --opt type=tmpfs --opt device=tmpfs --opt o=size=1m tv >/dev/null ||
			die "volume create"
		mr run --rm --network none -v tv:/t busybox sh -c "grep \" /t \" /proc/mounts; echo x >/t/f; ls /t" |
			sed "s/^/in: /"
		mr volume rm tv >/dev/null || die "volume rm"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^in: tmpfs /t tmpfs rw,.*size=1024k' "the device mounted with its options"
	t_match "$out" '^in: f$' "writable"
	t_nomatch "$out" '^leak:'
}

t "-v NAME:/path: created on first use, kept after rm (even -v), read-only with :ro" named_volume_kept
t "-v /path: an anonymous volume, kept by rm, removed by rm -v" anonymous_volume
t "-v /host:/path[:ro] (a directory or a file) and --mount type=bind|volume|tmpfs" bind_mounts
t "bad -v / --mount: docker's message, exit 125, nothing made" bad_volumes
t "an image's VOLUME: an anonymous volume populated from the image; rm keeps it, rm -v and --rm don't" image_volumes
t "volume create --opt type=tmpfs: the container mounts a tmpfs of that size" tmpfs_volume
t_end
