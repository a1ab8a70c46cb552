# tests/integration/containers/commit.t - `minirun commit`: a container's changes become an
# image that runs with them (added, changed and deleted files), with the container's Config,
# a history entry (-m, -a), the image ID printed as docker prints it; a running container is
# paused for the commit and runs on; bad input; the empty mount points the runtime made
# (/etc/hosts, a volume's or tmpfs's destination) left out of the layer and of diff, as
# docker leaves them out; nothing left behind.
# Run: sh tests/integration/containers/commit.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

commit_round_trip() {
	ct_need
	ct_host '
		mr run --name src -e GREETING=hello -w /tmp -l tier=web --expose 90 --stop-signal SIGINT \
			busybox sh -c "echo committed >/etc/motd; rm /etc/group" ||
			die run
		id=$(mr commit -m "my message" -a "A. Author" src mine:v1) || die "commit exited $?"
		echo "$id" | grep -Eqx "sha256:[0-9a-f]{64}" || die "commit printed: $id"
		[ "$(mr image inspect -f "{{.Id}}" mine:v1)" = "$id" ] || die "the printed ID is not the image ID"
		mr images | grep -Eq "^mine +v1 +$(echo $id | cut -c8-19) " || die "images: $(mr images)"
		out=$(mr run --rm mine:v1 sh -c "cat /etc/motd; test -e /etc/group || echo nogroup; echo \$GREETING; pwd")
		[ "$out" = "committed
nogroup
hello
/tmp" ] || die "the new image runs with: $out"
		out=$(mr image inspect -f "{{.Config.Labels.tier}} {{json .Config.ExposedPorts}} {{.Config.StopSignal}} {{index .Config.Cmd 0}}" mine:v1)
		[ "$out" = "web {\"90/tcp\":{}} SIGINT sh" ] ||
			die "the image config has: $out"
		out=$(mr history mine:v1 | sed -n 2p)
		echo "$out" | grep -q "my message" || die "history comment: $out"
		[ "$(mr image inspect -f "{{.Author}}" mine:v1)" = "A. Author" ] || die "author"
		[ "$(mr image inspect -f "{{json .RootFS.Layers}}" mine:v1 | tr , "\n" | wc -l)" = \
		  "$(( $(mr image inspect -f "{{json .RootFS.Layers}}" busybox | tr , "\n" | wc -l) + 1 ))" ] ||
			die "one layer more than busybox"
		mr rm src >/dev/null
		mr rmi mine:v1 >/dev/null || die "rmi"
		ls $R/images/.tmp 2>/dev/null | grep -q . && die "temp files left: $(ls $R/images/.tmp)"
		ct_noleaks
	'
}
t "commit: the new image runs with the container's files and Config; ID, history, author" commit_round_trip

commit_running() {
	ct_need
	ct_host '
		mr run -d --name live busybox sh -c "echo live >/live; exec sleep 300" >/dev/null || die run
		for _i in 1 2 3 4 5 6 7 8 9 10; do
			mr exec live test -e /live 2>/dev/null && break
			sleep 0.2
		done
		id=$(mr commit live) || die "commit of a running container"
		[ "$(mr inspect -f "{{.State.Status}}" live)" = running ] || die "not running after the commit"
		mr images | grep -Eq "^<none> +<none> +$(echo $id | cut -c8-19) " || die "untagged: $(mr images)"
		[ "$(mr run --rm $id cat /live)" = live ] || die "run by ID"
		mr rm -f live >/dev/null
		mr rmi $id >/dev/null || die rmi
		ct_noleaks
	'
}
t "commit of a running container: paused for it, running after; an untagged image runs by ID" commit_running

commit_bad_input() {
	ct_need
	ct_host '
		out=$(mr commit nosuch 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "minirun: No such container: nosuch" ] || die "unknown: $rc $out"
		mr create --name c1 busybox true >/dev/null
		out=$(mr commit c1 "Bad::Name" 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "invalid reference format" || die "bad name: $rc $out"
		out=$(mr commit 2>&1); rc=$?
		[ $rc = 1 ] || die "no argument (an operand count: 1): $rc $out"
		[ "$(mr images -q | wc -l)" = 1 ] || die "an image was made: $(mr images)"
		mr rm c1 >/dev/null
		ct_noleaks
	'
}
t "commit bad input: an unknown container, a bad name, no argument; no image made" commit_bad_input

commit_change() {
	ct_need
	ct_host '
		mr run --name c1 --network none busybox sh -c "echo hi >/greeting" || die run
		mr commit -c "CMD [\"cat\", \"/greeting\"]" -c "ENV WHO=world" c1 greet:1 >/dev/null ||
			die "commit -c"
		out=$(mr run --rm --network none greet:1) || die "run greet: $out"
		[ "$out" = hi ] || die "the CMD of -c: $out"
		out=$(mr run --rm --network none greet:1 sh -c "echo \$WHO") || die "run env"
		[ "$out" = world ] || die "the ENV of -c: $out"
		out=$(mr commit -c "FROBNICATE x" c1 bad:1 2>&1) && die "a bad -c was accepted"
		echo "$out" | grep -q FROBNICATE || die "the message does not name it: $out"
		mr image inspect bad:1 >/dev/null 2>&1 && die "an image was made"
		mr rm c1 >/dev/null && mr rmi greet:1 >/dev/null || die cleanup
		ct_noleaks
	'
}
t "commit -c: Dockerfile instructions change the new image's config; a bad one makes nothing" \
	commit_change
# TOP_LAYER - ct_host script lines defining top_layer IMAGE: the entries of the image's top
# layer, one a line, read from a docker-archive of it
TOP_LAYER='
	top_layer() {
		_d=$R/../layers-$1
		mkdir -p "$_d" && mr save --format docker-archive "$1" | tar -C "$_d" -xf - || return 1
		tar -tf "$_d/$(sed "s/.*\"Layers\":\[//; s/\].*//; s/.*,//; s/\"//g" "$_d/manifest.json")"
	}
'

commit_mount_points() {
	ct_need
	ct_host "$TOP_LAYER"'
		H=$R/../host; mkdir -p $H/bind && echo mine >$H/hosts
		mr run --network none --name mp -v /newvol/deep -v $H/bind:/hb --tmpfs /scratch busybox \
			sh -c "echo x >/etc/motd" || die run
		id=$(mr inspect -f "{{.Id}}" mp)
		[ -f $R/containers/$id/diff/etc/hosts ] && [ -d $R/containers/$id/diff/newvol/deep ] ||
			die "the runtime made no mount point in the upper dir: the test proves nothing"
		out=$(mr diff mp)
		[ "$out" = "C /etc
A /etc/motd" ] || die "diff lists mount points: $out"
		mr commit mp mp:1 >/dev/null || die commit
		out=$(top_layer mp:1) || die "save mp:1"
		[ "$(echo "$out" | sort | tr "\n" " ")" = "etc/ etc/motd " ] || die "layer of mp:1: $out"
		[ "$(mr run --rm --network none mp:1 sh -c "cat /etc/motd; ls -d /newvol /hb /scratch 2>/dev/null")" = x ] ||
			die "mp:1 runs with mount points in it"
		# a file really written where a mount point was stays: cp into the stopped container
		mr cp $H/hosts mp:/etc/hosts || die "cp"
		mr diff mp | grep -qx "A /etc/hosts" || die "diff hides a written /etc/hosts: $(mr diff mp)"
		mr commit mp mp:2 >/dev/null || die "commit 2"
		top_layer mp:2 | grep -qx "etc/hosts" || die "layer of mp:2: $(top_layer mp:2)"
		mr rm -v mp >/dev/null && mr rmi mp:1 mp:2 >/dev/null || die "rm, rmi"
		ct_noleaks
	'
}
t "commit and diff leave out the empty mount points the runtime made; a file written there stays" \
	commit_mount_points

t_end
