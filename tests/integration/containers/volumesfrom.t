# tests/integration/containers/volumesfrom.t - `minirun run --volumes-from CONTAINER[:ro|:rw]`:
# the new container mounts the other's volumes and bind mounts (not its tmpfs ones) at the
# same destinations, read-only with :ro, its own -v winning; inspect's HostConfig.VolumesFrom
# and Mounts; an unknown container refused before anything is made; a shared volume stays
# in use while either container exists (minirun/containers/volfrom.c).
# Each test runs in a throwaway namespace playing the host (the mounts die with it).
#   MR_TOP=$PWD sh tests/integration/containers/volumesfrom.t
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

shared_mounts() {
	ct_need
	out=$(ct_host '
		mkdir -p "$R/../host" && echo from-host >"$R/../host/in"
		h=$(cd "$R/.." && pwd)/host
		mr create --network none --name src -v named:/named -v /anon -v "$h:/bound:ro" \
			--mount type=tmpfs,target=/scratch busybox true >/dev/null || die "create src"
		mr run --rm --network none --volumes-from src busybox sh -c "
			echo via-named >/named/f && echo via-anon >/anon/f && cat /bound/in
			grep -q \" /scratch \" /proc/mounts && echo tmpfs-shared
			touch /bound/x 2>&1 | grep -q Read-only && echo bound-still-ro" | sed "s/^/w: /"
		mr run --rm --network none --volumes-from src busybox cat /named/f /anon/f |
			sed "s/^/r: /"
		mr run --rm --network none --volumes-from src:ro busybox sh -c \
			"cat /named/f; echo x >/named/g" 2>&1 | sed "s/^/ro: /"
		mr run --rm --network none --volumes-from src -v other:/named busybox ls /named |
			sed "s/^/own -v: /"
		mr create --network none --name dst --volumes-from src:ro busybox true >/dev/null ||
			die "create dst"
		mr inspect -f "{{json .HostConfig.VolumesFrom}}" dst | sed "s/^/from: /"
		mr inspect -f "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}};{{end}}" dst |
			tr ";" "\n" | sort | sed "/^$/d; s/^/mount: /"
		mr inspect -f "{{json .HostConfig.Binds}}" dst | sed "s/^/binds: /"
		ct_inspect dst | grep -c "\"Target\"" | sed "s/^/hc mounts: /"
		mr rm -v src >/dev/null || die "rm src"
		anon=$(mr inspect -f "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}" dst)
		mr volume rm named 2>&1 | sed "s/^/named in use: /"
		mr volume rm "$anon" 2>&1 | sed "s/^/anon in use: /"
		mr start -a dst >/dev/null && echo "dst starts with src gone"
		mr rm -v dst >/dev/null || die "rm dst"
		mr volume ls -q | sed "s/^/left: /"
		mr volume rm named other >/dev/null
		ct_leaks') || t_fail "$out"
	t_match "$out" '^w: from-host$' "a bind mount follows"
	t_nomatch "$out" '^w: tmpfs-shared$' "a tmpfs mount does not"
	t_match "$out" '^w: bound-still-ro$' "each mount keeps its own mode: the read-only bind stays so"
	t_match "$out" '^r: via-named$' "a file written through one container's named volume is read through another's"
	t_match "$out" '^r: via-anon$' "anonymous volumes are shared too"
	t_match "$out" '^ro: via-named$' ":ro still reads"
	t_match "$out" '^ro: .*Read-only file system' ":ro refuses writes"
	t_nomatch "$out" '^own -v: f$' "the container's own -v at the same destination wins"
	t_match "$out" '^from: \["src:ro"\]$' "inspect shows HostConfig.VolumesFrom as given"
	t_match "$out" '^mount: bind /bound false$' "Mounts: the bind"
	t_match "$out" '^mount: volume /anon false$' "Mounts: the anonymous volume, read-only by :ro"
	t_match "$out" '^mount: volume /named false$' "Mounts: the named volume"
	t_nomatch "$out" '^mount: tmpfs' "Mounts: no tmpfs"
	t_match "$out" '^binds: null$' "not in HostConfig.Binds, as docker"
	t_match "$out" '^hc mounts: 0$' "nor in HostConfig.Mounts"
	t_match "$out" '^named in use: .*volume is in use' "rm of the source leaves the named volume in use"
	t_match "$out" '^anon in use: .*volume is in use' "rm -v of the source leaves the anonymous volume in use"
	t_match "$out" '^dst starts with src gone$'
	t_match "$out" '^left: named$'
	t_nomatch "$out" '^left: [0-9a-f]{64}$' "rm -v of the last user removes the anonymous volume"
	t_nomatch "$out" '^leak:'
}

unknown_source() {
	ct_need
	out=$(ct_host '
		mr run --rm --network none --name nf --volumes-from nosuch busybox true 2>&1; echo "rc=$?"
		mr create --network none --name nf --volumes-from nosuch busybox true 2>&1; echo "rc=$?"
		mr create --network none --name src busybox true >/dev/null || die "create src"
		mr create --network none --name nf --volumes-from src:xyz busybox true 2>&1; echo "rc=$?"
		mr create --network none --name nf --volumes-from src:rshared busybox true 2>&1; echo "rc=$?"
		mr rm src >/dev/null
		mr ps -aq | sed "s/^/left: /"
		mr volume ls -q | sed "s/^/volume: /"
		ct_leaks') || t_fail "$out"
	t_match "$out" '^minirun: No such container: nosuch$' "docker's words for an unknown container"
	t_match "$out" '^rc=125$' "run exits 125"
	t_match "$out" '^rc=1$' "create exits 1 (docker's daemon calls it a bad parameter)"
	t_match "$out" '^minirun: invalid mode: xyz$' "docker's words for a bad mode"
	t_match "$out" '^minirun: invalid mode: rshared$' "a propagation mode is one too (docker 20.10)"
	t_nomatch "$out" '^left: ' "no container is left"
	t_nomatch "$out" '^volume: ' "no volume is made"
	t_nomatch "$out" '^leak:'
}

t "--volumes-from: the volumes and binds of another container, :ro, own -v wins, in use" shared_mounts
t "--volumes-from an unknown container or with a bad mode: refused, nothing made" unknown_source
t_end
