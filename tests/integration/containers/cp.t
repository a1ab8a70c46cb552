# tests/integration/containers/cp.t - `minirun cp` both ways, for running and stopped
# containers: docker's naming rules for files and directories, "-" tar streams, -a owners,
# and hostile symlinks in the container that point out of it (resolved inside its root,
# never on the host); no mount is left after copying from a stopped container, whose
# volumes and bind mounts cp reads and writes as docker's does.
# Run: sh tests/integration/containers/cp.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

cp_running() {
	ct_need
	ct_host '
		H=$R/../host; mkdir -p $H/dir/sub && echo one >$H/file && echo two >$H/dir/sub/f
		mr run -d --name web busybox sleep 300 >/dev/null || die run
		mr cp $H/file web:/tmp/ || die "cp file into a dir"
		[ "$(mr exec web cat /tmp/file)" = one ] || die "DEST/NAME"
		mr cp $H/file web:/tmp/renamed || die "cp file to a new name"
		[ "$(mr exec web cat /tmp/renamed)" = one ] || die "DEST as the name"
		mr cp $H/dir web:/srv || die "cp dir to a new path"
		[ "$(mr exec web cat /srv/sub/f)" = two ] || die "a new DEST is the copy of the dir"
		mr cp $H/dir web:/srv || die "cp dir into an existing dir"
		[ "$(mr exec web cat /srv/dir/sub/f)" = two ] || die "an existing DEST takes DEST/NAME"
		mr cp web:/etc/passwd $H/pw || die "cp out"
		grep -q "^root:" $H/pw || die "copied passwd: $(cat $H/pw)"
		mr cp web:/srv $H/out || die "cp a dir out"
		[ "$(cat $H/out/sub/f)" = two ] || die "dir out"
		mkdir $H/into && mr cp web:/srv/. $H/into || die "cp SRC/. out"
		[ "$(cat $H/into/sub/f)" = two ] && [ -d $H/into/dir ] || die "contents of SRC/."
		mr rm -f web >/dev/null
		ct_noleaks
	'
}
t "cp into and out of a running container: docker's rules for files, dirs and SRC/." cp_running

cp_stopped() {
	ct_need
	ct_host '
		H=$R/../host; mkdir -p $H && echo one >$H/file
		mr run --name st busybox sh -c "echo made >/made" || die run
		before=$(awk "{ print \$5 }" /proc/self/mountinfo | sort)
		mr cp st:/made $H/made || die "cp out of a stopped container"
		[ "$(cat $H/made)" = made ] || die "out: $(cat $H/made)"
		mr cp $H/file st:/root/ || die "cp into a stopped container"
		[ "$(awk "{ print \$5 }" /proc/self/mountinfo | sort)" = "$before" ] || die "a mount was left"
		[ "$(cat $R/containers/$(mr inspect -f "{{.Id}}" st)/diff/root/file)" = one ] ||
			die "the file is not in the upper dir"
		[ "$(mr start -a st >/dev/null; mr diff st | grep root)" = "C /root
A /root/file" ] || die "diff: $(mr diff st)"
		mr create --name fresh busybox true >/dev/null || die create
		mr cp $H/file fresh:/f || die "cp into a created container"
		[ "$(mr start -a fresh >/dev/null; mr diff fresh)" = "A /f" ] || die "created: $(mr diff fresh)"
		mr rm st fresh >/dev/null
		ct_noleaks
	'
}
t "cp to and from stopped and created containers, through the overlay in cp's own mount namespace" cp_stopped

cp_stopped_volumes() {
	ct_need
	ct_host '
		H=$R/../host; mkdir -p $H/bind $H/robind && echo one >$H/file && echo hostsecret >$H/secret
		echo in-bind >$H/bind/b
		# a volume holding a link out of it, a bind mount, a read-only volume
		mr run --network none --name sv -v data:/data -v $H/bind:/b -v rodata:/ro:ro busybox sh -c \
			"echo in-volume >/data/v; ln -s /../../../../../../../../$H /data/out" || die run
		before=$(awk "{ print \$5 }" /proc/self/mountinfo | sort)
		id=$(mr inspect -f "{{.Id}}" sv)
		mr cp sv:/data/v $H/got-v || die "cp out of a volume"
		[ "$(cat $H/got-v)" = in-volume ] || die "out of the volume: $(cat $H/got-v)"
		mr cp sv:/b/b $H/got-b || die "cp out of a bind mount"
		[ "$(cat $H/got-b)" = in-bind ] || die "out of the bind mount: $(cat $H/got-b)"
		mr cp $H/file sv:/data/in || die "cp into a volume"
		[ "$(cat $R/volumes/data/_data/in)" = one ] || die "not in the volume"
		[ -e $R/containers/$id/diff/data/in ] && die "written to the upper dir, under the volume"
		mr cp $H/file sv:/b/in || die "cp into a bind mount"
		[ "$(cat $H/bind/in)" = one ] || die "not in the bind mount source"
		out=$(mr cp $H/file sv:/ro/in 2>&1) && die "cp into a read-only volume succeeded"
		echo "$out" | grep -q "Read-only file system" || die "read-only: $out"
		[ -e $R/volumes/rodata/_data/in ] && die "written into the read-only volume"
		mr cp $H/file sv:/data/out/pwned 2>/dev/null && die "cp through a link in the volume"
		[ -e $H/pwned ] && die "a link in the volume led cp to the host"
		mr cp sv:/data/out/secret $H/got 2>/dev/null && die "read through a link in the volume"
		[ "$(awk "{ print \$5 }" /proc/self/mountinfo | sort)" = "$before" ] || die "a mount was left"
		[ "$(mr start -a sv >/dev/null; mr run --rm --network none -v data:/data busybox cat /data/in)" = one ] ||
			die "the volume does not hold the copy"
		mr rm -v sv >/dev/null && mr volume rm data rodata >/dev/null || die "rm"
		ct_noleaks
	'
}
t "cp on a stopped container reads and writes its volumes and bind mounts (read-only stays so; links stay inside)" cp_stopped_volumes

cp_tar_streams() {
	ct_need
	ct_host '
		H=$R/../host; mkdir -p $H/t/d && echo a >$H/t/d/a && ln -s d/a $H/t/link
		mr run -d --name web busybox sleep 300 >/dev/null || die run
		list=$(mr cp web:/etc - | tar tf -) || die "cp to -"
		echo "$list" | grep -qx "etc/passwd" || die "tar of /etc: $list"
		mr cp web:/etc/passwd - | tar xOf - passwd | grep -q "^root:" || die "a file as a tar"
		tar cf - -C $H t | mr cp - web:/tmp || die "cp - into a dir"
		[ "$(mr exec web cat /tmp/t/d/a)" = a ] || die "extracted file"
		[ "$(mr exec web readlink /tmp/t/link)" = d/a ] || die "extracted symlink"
		out=$(echo x | mr cp - web:/nosuchdir 2>&1); rc=$?
		[ $rc = 1 ] || die "cp - into a missing dir: exit $rc ($out)"
		mr rm -f web >/dev/null
		ct_noleaks
	'
}
t "cp with - : a tar of SRC on stdout, a tar on stdin extracted into a directory" cp_tar_streams

cp_owners() {
	ct_need
	ct_host '
		H=$R/../host; mkdir -p $H && echo x >$H/f && chown 1234:2345 $H/f && chmod 640 $H/f
		mr run -d --name web busybox sleep 300 >/dev/null || die run
		mr cp $H/f web:/plain || die cp
		mr cp -a $H/f web:/kept || die "cp -a"
		[ "$(mr exec web stat -c "%u:%g %a" /plain)" = "0:0 640" ] || die "plain: $(mr exec web stat -c "%u:%g %a" /plain)"
		[ "$(mr exec web stat -c "%u:%g %a" /kept)" = "1234:2345 640" ] || die "-a: $(mr exec web stat -c "%u:%g %a" /kept)"
		mr exec web chown 77:88 /plain
		mr cp web:/plain $H/back && mr cp -a web:/plain $H/back-a || die "cp out"
		[ "$(stat -c %u:%g $H/back)" = "$(id -u):$(id -g)" ] || die "out: $(stat -c %u:%g $H/back)"
		[ "$(stat -c %u:%g $H/back-a)" = 77:88 ] || die "out -a: $(stat -c %u:%g $H/back-a)"
		mr rm -f web >/dev/null
		ct_noleaks
	'
}
t "cp: files in belong to root, out to the caller; -a keeps uid/gid; modes kept" cp_owners

cp_hostile_symlinks() {
	ct_need
	ct_host '
		H=$R/../host; mkdir -p $H && echo hostsecret >$H/secret && echo payload >$H/payload
		# links that point at the host paths, climbing with ../ from the container root
		mr run -d --name evil busybox sh -c "ln -s /../../../../../../../../$H /evil; ln -s /../../../../../../../../$H/secret /etc/evil; exec sleep 300" >/dev/null ||
			die run
		for _i in 1 2 3 4 5 6 7 8 9 10; do
			mr exec evil test -L /etc/evil 2>/dev/null && break
			sleep 0.2
		done
		for state in running stopped; do
			want=running
			[ $state = stopped ] && want=exited && mr stop -t 0 evil >/dev/null
			[ "$(mr inspect -f "{{.State.Status}}" evil)" = $want ] || die "not $want"
			mr cp $H/payload evil:/evil/pwned 2>/dev/null && die "$state: cp through /evil succeeded"
			[ -e $H/pwned ] && die "$state: cp wrote $H/pwned on the host"
			mr cp evil:/evil/secret $H/got 2>/dev/null && die "$state: read through /evil"
			mr cp -L evil:/etc/evil $H/got 2>/dev/null && die "$state: -L followed /etc/evil out"
			[ -e $H/got ] && die "$state: $H/got exists: $(cat $H/got)"
			mr cp evil:/etc/evil $H/link || die "$state: copying the link itself"
			[ -L $H/link ] && [ "$(readlink $H/link)" = "/../../../../../../../../$H/secret" ] ||
				die "$state: the link is not copied as a link"
			rm -f $H/link
		done
		[ "$(cat $H/secret)" = hostsecret ] || die "the host file changed"
		mr rm -f evil >/dev/null
		ct_noleaks
	'
}
t "cp resolves paths inside the container's root: a symlink out of it reaches no host file" cp_hostile_symlinks

cp_bad_input() {
	ct_need
	ct_host '
		out=$(mr cp /etc/passwd /tmp/x 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "at least one container" || die "no container: $rc $out"
		out=$(mr cp a:/x b:/y 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "between containers" || die "two containers: $rc $out"
		out=$(mr cp nosuch:/x /tmp/x 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "minirun: No such container:path: nosuch:/x" ] || die "unknown: $rc $out"
		mr create --name c1 busybox true >/dev/null
		out=$(mr cp c1:/nosuchfile $R/x 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "nosuchfile" || die "missing source: $rc $out"
		[ -e $R/x ] && die "something was written"
		mr rm c1 >/dev/null
		ct_noleaks
	'
}
t "cp bad input: no container, two containers, an unknown one, a missing path; exit 125/1" cp_bad_input

t_end
