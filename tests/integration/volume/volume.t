# tests/integration/volume/volume.t - `minirun volume`: create (named, random, labels),
# ls, inspect in docker's shape, rm refused while a container uses the volume (unless -f),
# prune (anonymous only, -a for all unused), -v / --mount resolved into OCI mounts with
# volumes created on first use, and bad input: one line, exit 125 (a refused rm: 1, as
# docker), nothing left behind.
# Every test uses a root of its own under its temp dir.
. "$MR_TOP/tests/lib/t.sh"

MINIRUN=${MINIRUN:-$MR_TOP/minirun/minirun}

vol_need() {
	[ -x "$MINIRUN" ] || t_fail "$MINIRUN is not built (make minirun)"
	R=$T_DIR/root
}
mrv() { "$MINIRUN" --root "$R" volume "$@"; }
# state - everything under the root, for before/after comparisons
state() { (cd "$R" 2>/dev/null && find . -path ./volumes/.lock -prune -o -print | sort && cat volumes/*/volume.json volumes/*/users 2>/dev/null); }

create_ls_inspect_rm() {
	vol_need
	t_eq "$(mrv create data)" data "create prints the name"
	t_eq "$(mrv create data)" data "creating it again is fine (docker)"
	anon=$(mrv create) || t_fail "create without a name"
	t_match "$anon" '^[0-9a-f]{64}$' "a random name"
	mrv create --label team=web lab >/dev/null || t_fail "create --label"
	out=$(mrv ls)
	t_match "$out" '^DRIVER +VOLUME NAME$' "ls header"
	t_match "$out" '^local +data$'
	t_match "$out" "^local +$anon\$"
	out=$(mrv inspect lab) || t_fail "inspect: $out"
	t_match "$out" '"Driver": "local"'
	t_match "$out" "\"Mountpoint\": \"$R/volumes/lab/_data\"" "docker's layout"
	t_match "$out" '"team": "web"' "labels kept"
	t_match "$out" '"CreatedAt": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"'
	[ -d "$R/volumes/lab/_data" ] || t_fail "no _data directory"
	t_eq "$(mrv rm data lab "$anon")" "data
lab
$anon" "rm prints each name"
	t_eq "$(mrv ls -q)" "" "nothing left in ls"
	t_eq "$(ls "$R/volumes")" "" "no directory left"
}

in_use_refused() {
	vol_need
	mrv resolve -v data:/srv c1 >/dev/null || t_fail "resolve"
	t_eq "$(cat "$R/volumes/data/users")" c1 "the users file names the container"
	t_status 1 mrv rm data # docker: 1
	t_eq "$T_OUT" "minirun: remove data: volume is in use - [c1]"
	[ -d "$R/volumes/data/_data" ] || t_fail "refused rm removed it anyway"
	out=$(mrv prune -a)
	t_eq "$out" "Total reclaimed space: 0B" "prune -a skips a volume in use"
	mrv release data c1 || t_fail "release"
	[ ! -e "$R/volumes/data/users" ] || t_fail "an empty users file is removed"
	t_eq "$(mrv rm data)" data "rm once nobody uses it"
	mrv resolve -v busy:/srv c2 >/dev/null || t_fail "resolve busy"
	t_eq "$(mrv rm -f busy)" busy "rm -f removes a volume in use"
	t_eq "$(ls "$R/volumes")" "" "nothing left"
}

prune_anonymous() {
	vol_need
	mrv create named >/dev/null || t_fail create
	anon=$(mrv resolve -v /cache c1 | sed 's|.*/volumes/\([0-9a-f]*\)/_data.*|\1|')
	t_match "$anon" '^[0-9a-f]{64}$' "-v /path makes an anonymous volume"
	unused=$(mrv resolve -v /tmpdata c2 | sed 's|.*/volumes/\([0-9a-f]*\)/_data.*|\1|')
	mrv release "$unused" c2 || t_fail release
	echo 12345 >"$R/volumes/$unused/_data/f"
	out=$(mrv prune)
	t_eq "$out" "Deleted Volumes:
$unused

Total reclaimed space: 6B" "prune removes the unused anonymous volume only"
	t_eq "$(mrv ls -q | sort)" "$(printf '%s\n' "$anon" named | sort)"
	mrv release "$anon" c1 || t_fail release
	out=$(mrv prune -a)
	t_match "$out" "^$anon\$"
	t_match "$out" '^named$' "-a: named volumes too"
	t_eq "$(ls "$R/volumes")" "" "nothing left"
}

mounts_resolved() {
	vol_need
	out=$(mrv resolve -v data:/srv:ro c1) || t_fail "$out"
	t_eq "$out" "{\"destination\":\"/srv\",\"type\":\"bind\",\"source\":\"$R/volumes/data/_data\",\"options\":[\"rbind\",\"rprivate\",\"ro\"]}" "a named volume, created on first use"
	out=$(mrv resolve -v "$T_DIR/host/dir:/x" c1) || t_fail "$out"
	[ -d "$T_DIR/host/dir" ] || t_fail "-v creates a missing host directory, as docker"
	t_match "$out" "\"source\":\"$T_DIR/host/dir\""
	out=$(mrv resolve --mount "type=bind,source=$T_DIR/host,target=/h,readonly" c1) || t_fail "$out"
	t_match "$out" '"options":\["rbind","rprivate","ro"\]'
	out=$(mrv resolve --mount type=tmpfs,target=/run,tmpfs-size=1m c1) || t_fail "$out"
	t_match "$out" '"type":"tmpfs".*"size=1048576"'
	out=$(mrv resolve --mount src=other,dst=/o c1) || t_fail "$out"
	[ -d "$R/volumes/other/_data" ] || t_fail "--mount type=volume creates on first use"
}

bad_input() {
	vol_need
	mrv create keep >/dev/null || t_fail create
	before=$(state)
	for args in "create a/b" "create x" "create --label =v y" "rm nosuch" "inspect nosuch" \
		"resolve -v rel/path:/x c1" "resolve -v ./d:/x c1" "resolve -v data:x c1" \
		"resolve -v data:/x:bad c1" "resolve -v data:/ c1" "resolve -v a:b:c:d c1" \
		"resolve --mount type=bind,src=/nonexistent-mr,dst=/x c1" \
		"resolve --mount type=volume,src=v c1" "resolve --mount type=nfs,dst=/x c1" \
		"resolve --mount type=volume,foo=bar,dst=/x c1" "release ../x c1"; do
		# shellcheck disable=SC2086 # split on purpose
		mrv $args >/dev/null 2>"$T_DIR/err"
		rc=$?
		want=125
		case $args in # docker's CLI: 1 for the daemon's refusal
		"rm nosuch" | "inspect nosuch") want=1 ;;
		esac
		t_eq "$rc" "$want" "exit of volume $args"
		t_eq "$(wc -l <"$T_DIR/err" | tr -d ' ')" 1 "lines from volume $args"
		t_match "$(cat "$T_DIR/err")" '^minirun: ' "message of volume $args"
	done
	t_eq "$(state)" "$before" "nothing made, nothing removed"
	t_status 125 mrv resolve -v rel/path:/x c1
	t_match "$T_OUT" 'create rel/path: "rel/path" includes invalid characters for a local volume name, only "\[a-zA-Z0-9\]\[a-zA-Z0-9_.-\]" are allowed. If you intended to pass a host directory, use absolute path'
	t_status 125 mrv resolve -v data:x c1
	t_match "$T_OUT" "invalid volume specification: 'data:x': invalid mount config for type \"volume\": invalid mount path: 'x' mount path must be absolute"
	t_status 1 mrv inspect nosuch
	t_match "$T_OUT" 'No such volume: nosuch'
}

t "volume create/ls/inspect/rm in docker's shape and layout" create_ls_inspect_rm
t "rm is refused while a container uses the volume, unless -f" in_use_refused
t "prune removes unused anonymous volumes; -a every unused one" prune_anonymous
t "-v and --mount become OCI mounts; volumes are created on first use" mounts_resolved
t "bad input: one line, exit 125, nothing left behind" bad_input

driver_options() {
	vol_need
	mrv create --opt type=tmpfs --opt device=tmpfs -o o=size=1m,mode=0700 --label a=b tv \
		>/dev/null || t_fail "create --opt"
	t_eq "$(mrv inspect -f '{{json .Labels}} {{json .Options}}' tv)" \
		'{"a":"b"} {"device":"tmpfs","o":"size=1m,mode=0700","type":"tmpfs"}' \
		"Options as docker shows them (sorted)"
	t_eq "$(mrv inspect -f '{{json .Options}}' "$(mrv create)")" '{}' "no options: {}"
	out=$(mrv resolve -v tv:/t c1) || t_fail "resolve: $out"
	t_match "$out" '"type": *"tmpfs"' "a container mounts the device, not _data: $out"
	t_match "$out" '"source": *"tmpfs"'
	t_match "$out" '"size=1m", *"mode=0700", *"rw"' "o= split into mount options"
	before=$(state)
	t_status 125 mrv create --opt size=1m x1
	t_eq "$T_OUT" 'minirun: invalid option key: "size" (the local driver knows type, device and o)'
	t_status 125 mrv create --opt type=tmpfs x2
	t_eq "$T_OUT" 'minirun: missing required option: "device"'
	t_status 125 mrv create --opt o=size=1m --opt device=tmpfs x3
	t_eq "$T_OUT" 'minirun: missing required option: "type"'
	t_eq "$(state)" "$before" "a refused create makes nothing"
}
t "create --opt type=,device=,o=: kept in Options, mounted by the container, checked" driver_options
t_end
