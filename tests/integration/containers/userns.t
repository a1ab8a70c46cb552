# tests/integration/containers/userns.t - --userns=auto: root in the container is a range of
# unprivileged host ids of its own. Seen for real: /proc/self/uid_map, the image's files still
# owned by root inside (idmapped layers), a file root makes on a bind-mounted host dir owned
# by the mapped uid on the host, a host file owned by root seen as nobody and not writable
# (the class of "--userns containers unable to write host files they map to nobody"), two
# containers with disjoint ranges and a range freed by rm, minirun.conf's userns-remap
# default (MINIRUN_CONFIG) and --userns=host opting out, and the refusals: one line, 125,
# nothing left. The ranges come from a subuid file of the test's own (minirun.conf's
# subuid-file), never the machine's /etc/subuid.
# Run: sh tests/integration/containers/userns.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# us_conf [LINES...] - a minirun.conf of the test's own, with a subuid/subgid file giving
# "containers" 300000 ids from 1000000, and LINES added; exported as MINIRUN_CONFIG
us_conf() {
	printf 'containers:1000000:300000\n' >"$T_DIR/subid"
	{
		echo "# minirun.conf of $T_NAME"
		echo "subuid-file = $T_DIR/subid"
		echo "subgid-file = $T_DIR/subid"
		for _l; do echo "$_l"; done
	} >"$T_DIR/minirun.conf"
	MINIRUN_CONFIG=$T_DIR/minirun.conf
	export MINIRUN_CONFIG
	# the remapped root passes through the test's dirs to its rootfs (minirun makes the
	# store's own dirs o+x, and names any dir above the store it can't pass)
	chmod o+x "$T_TMP" "$T_DIR"
}

# US_LIB - us_need_idmap, for ct_host scripts (they run in a shell of their own): skip when
# this kernel or the store's file system can't mount the layers idmapped (the refusal names
# the step: bundle/idmap.c)
US_LIB='
us_need_idmap() {
	_o=$(mr run --rm --userns=auto --network none busybox true 2>&1) && return 0
	case $_o in
	*"layers idmapped"*) echo "skip: $_o"; exit 77 ;;
	esac
	die "a plain --userns=auto run failed: $_o"
}
'

root_is_a_mapped_uid() {
	ct_need
	us_conf
	mkdir -p "$T_DIR/vol" && echo host-root >"$T_DIR/vol/rootfile" && chmod 644 "$T_DIR/vol/rootfile"
	chmod 777 "$T_DIR/vol"
	ct_host "$US_LIB"'
		us_need_idmap
		out=$(mr run --rm --userns=auto --network none -v "'"$T_DIR"'/vol:/vol" busybox sh -c "
			cat /proc/self/uid_map /proc/self/gid_map | tr -s \" \"
			id -u; stat -c %u:%g /bin/busybox /vol/rootfile
			echo made >/vol/made-inside
			(echo owned >>/vol/rootfile) 2>/dev/null && echo WROTE || echo refused
			echo copied-up >>/etc/passwd && echo rootfs-writable" 2>&1) || die "run: $out"
		want=" 0 1000000 65536
 0 1000000 65536
0
0:0
65534:65534
refused
rootfs-writable"
		[ "$out" = "$want" ] || die "inside: got
$out
want
$want"
		[ "$(stat -c %u:%g "'"$T_DIR"'/vol/made-inside")" = 1000000:1000000 ] ||
			die "the file root made is $(stat -c %u:%g "'"$T_DIR"'/vol/made-inside") on the host"
		[ "$(cat "'"$T_DIR"'/vol/rootfile")" = host-root ] || die "the host file was written"
		[ -z "$(ls "$R/userns" | grep -v lock)" ] || die "--rm left its range: $(ls "$R/userns")"
		ct_noleaks
	'
}
t "--userns=auto: root inside is host uid 1000000; a host root file is nobody and not writable" \
	root_is_a_mapped_uid

ranges_are_disjoint_and_freed() {
	ct_need
	us_conf
	ct_host "$US_LIB"'
		us_need_idmap
		a=$(mr run -d --userns=auto --network none busybox sleep 60) || die "run a"
		b=$(mr run -d --userns=auto --network none busybox sleep 60) || die "run b"
		ma=$(mr exec "$a" cat /proc/self/uid_map | tr -s " ")
		mb=$(mr exec "$b" cat /proc/self/uid_map | tr -s " ")
		[ "$ma" = " 0 1000000 65536" ] || die "a: $ma"
		[ "$mb" = " 0 1065536 65536" ] || die "b: $mb (must not overlap a)"
		[ "$(mr inspect -f "{{.HostConfig.UsernsMode}} {{json .Minirun.IdMap}}" "$b")" = \
			"auto {\"HostUID\":1065536,\"HostGID\":1065536,\"Size\":65536}" ] ||
			die "inspect: $(mr inspect -f "{{.HostConfig.UsernsMode}} {{json .Minirun.IdMap}}" "$b")"
		# its own dirs are its root group'"'"'s only; the shared ones above are passable, not listable
		[ "$(stat -c %a:%g "$R/containers/$a" "$R/run/containers/$a" | tr "\n" " ")" = "710:1000000 710:1000000 " ] ||
			die "own dirs: $(stat -c %a:%g "$R/containers/$a" "$R/run/containers/$a")"
		for d in "$R" "$R/containers" "$R/run/containers"; do
			m=$(stat -c %A "$d"); case $m in *x) ;; *) die "$d is not o+x: $m" ;; esac
			case $m in *r??) die "$d is o+r: $m" ;; esac
		done
		# the process itself runs as the mapped uid on the host
		[ "$(stat -c %u /proc/$(ct_field "$a" State.Pid))" = 1000000 ] || die "a runs as $(stat -c %u /proc/$(ct_field "$a" State.Pid))"
		mr rm -f "$a" >/dev/null || die "rm a"
		[ -e "$R/userns/$a" ] && die "rm left the range of a"
		c=$(mr run -d --userns=auto --network none busybox sleep 60) || die "run c"
		[ "$(mr exec "$c" cat /proc/self/uid_map | tr -s " ")" = " 0 1000000 65536" ] ||
			die "c did not take the range a freed"
		mr rm -f "$c" >/dev/null || die "rm c"
		# three creates at once (b holds the fourth range of the file) take three
		# different ranges (under the store lock)
		for i in 1 2 3; do mr create --userns=auto --network none busybox true >"$R.par$i" & done
		wait
		starts=$(for i in 1 2 3; do cut -d" " -f1 "$R/userns/$(cat "$R.par$i")"; done | sort -u | wc -l)
		[ "$starts" = 3 ] || die "parallel creates shared a range: $(cat "$R"/userns/[0-9a-f]*)"
		for i in 1 2 3; do mr rm "$(cat "$R.par$i")" >/dev/null || die "rm par$i"; done
		c=$(mr run -d --userns=auto --network none busybox sleep 60) || die "run c again"
		# a fifth range does not fit in 300000 ids: refused, nothing left
		d=$(mr run -d --userns=auto --network none busybox sleep 60) || die "run d"
		e=$(mr run -d --userns=auto --network none busybox sleep 60) || die "run e"
		n=$(ct_ids | wc -l)
		out=$(mr run --rm --userns=auto --network none busybox true 2>&1); rc=$?
		[ $rc = 125 ] && echo "$out" | grep -q "no free range of 65536 ids" || die "full: $rc $out"
		[ "$(ct_ids | wc -l)" = "$n" ] || die "the refusal left a container"
		mr rm -f "$b" "$c" "$d" "$e" >/dev/null || die rm
		ct_noleaks
	'
}
t "--userns=auto: two containers get disjoint ranges, rm frees one, a full subuid file refuses" \
	ranges_are_disjoint_and_freed

default_from_minirun_conf() {
	ct_need
	us_conf "userns-remap = auto"
	ct_host "$US_LIB"'
		us_need_idmap
		out=$(mr run --rm --network none busybox cat /proc/self/uid_map | tr -s " ")
		[ "$out" = " 0 1000000 65536" ] || die "userns-remap = auto: $out"
		out=$(mr run --rm --network none --userns=host busybox cat /proc/self/uid_map | tr -s " ")
		[ "$out" = " 0 0 4294967295" ] || die "--userns=host: $out"
		# the default bridge network works in a remapped container
		out=$(mr run --rm busybox ip -o -4 addr show eth0) || die "bridge: $out"
		echo "$out" | grep -q "inet [0-9]" || die "no address on eth0: $out"
		ct_noleaks
	'
}
t "minirun.conf userns-remap = auto remaps every container; --userns=host opts out" \
	default_from_minirun_conf

userns_refusals() {
	ct_need
	us_conf
	ct_host '
		refuse() { # WANT FLAGS...
			want=$1; shift
			out=$(mr run --rm --network none "$@" busybox true 2>&1); rc=$?
			[ $rc = 125 ] || die "$*: exit $rc: $out"
			[ "$(echo "$out" | grep -c .)" -le 2 ] || die "$*: more than one line: $out"
			echo "$out" | head -1 | grep -q -- "$want" || die "$*: $out"
		}
		refuse "privileged mode is incompatible with user namespaces" --userns=auto --privileged
		refuse "can.t share the host.s pid" --userns=auto --pid host
		refuse "invalid USER mode" --userns=bogus
		refuse "oom-score-adj and --userns=auto conflict" --userns=auto --oom-score-adj 500
		refuse "keep-id" --userns=keep-id
		echo "nobody:5:5" >"'"$T_DIR"'/subid"
		refuse "containers has no range in" --userns=auto
		echo "userns-remap = maybe" >>"$MINIRUN_CONFIG"
		refuse "minirun.conf:4: userns-remap takes host|auto, not .maybe." 
		echo "userns-rmap = auto" >"$MINIRUN_CONFIG"
		refuse "minirun.conf:1: unknown key .userns-rmap." --userns=host
		[ -z "$(ct_ids)" ] || die "a refusal left a container"
		[ -z "$(ls "$R/userns" 2>/dev/null | grep -v lock)" ] || die "a refusal left a range"
		ct_noleaks
	'
}
t "--userns refusals: privileged, a host namespace, no subuid range, a bad minirun.conf (125, nothing left)" \
	userns_refusals

commit_writes_the_containers_own_ids() {
	ct_need
	us_conf
	ct_host "$US_LIB"'
		us_need_idmap
		mr run --name made --userns=auto --network none busybox sh -c \
			"echo x >/root-file; mkdir /app; chown 1000:1000 /app" || die "run"
		up=$(mr inspect -f "{{.GraphDriver.Data.UpperDir}}" made)
		[ "$(stat -c %u:%g "$up/root-file" "$up/app" | tr "\n" " ")" = "1000000:1000000 1001000:1001000 " ] ||
			die "upper: $(stat -c %u:%g "$up/root-file" "$up/app")"
		echo copied >"$R.cpfile"
		mr cp "$R.cpfile" made:/copied || die "cp into it"
		[ "$(stat -c %u:%g "$up/copied")" = 1000000:1000000 ] ||
			die "cp: $(stat -c %u:%g "$up/copied") on the host, not the container root"
		# export and cp to a tar name the container'"'"'s own ids too, stopped (its overlay
		# mounted here, lowers not idmapped) as running
		out=$(mr export made | tar -tvf - root-file app copied 2>&1 | awk "{print \$2, \$NF}" | sort -k2)
		[ "$out" = "1000/1000 app/
0/0 copied
0/0 root-file" ] || die "export: $out"
		out=$(mr cp made:/bin/busybox - | tar -tvf - | awk "{print \$2}")
		[ "$out" = 0/0 ] || die "cp to a tar: $out"
		mr commit made made:1 >/dev/null || die commit
		out=$(mr run --rm --userns=host --network none made:1 stat -c "%u:%g %n" /root-file /app /copied) ||
			die "run the commit: $out"
		[ "$out" = "0:0 /root-file
1000:1000 /app
0:0 /copied" ] || die "the committed layer: $out"
		mr rm made >/dev/null && mr rmi made:1 >/dev/null || die "rm, rmi"
		ct_noleaks
	'
}
t "--userns=auto: the upper dir holds host ids (cp in too), commit writes the container's own (0, 1000)" \
	commit_writes_the_containers_own_ids

volumes_belong_to_the_remapped_root() {
	ct_need
	us_conf
	ct_host "$US_LIB"'
		us_need_idmap
		out=$(mr run --rm --userns=auto --network none -v data:/data -v etcv:/etc -v /scratch \
			-w /srv/app busybox sh -c "echo w >/data/f && echo w >/scratch/f && echo w >f &&
				stat -c %u:%g /data/f /etc/passwd /etc /srv/app" 2>&1) || die "run: $out"
		[ "$out" = "0:0
0:0
0:0
0:0" ] || die "inside: $out"
		[ "$(stat -c %u "$R/volumes/data/_data/f" "$R/volumes/etcv/_data/passwd" | tr "\n" " ")" = "1000000 1000000 " ] ||
			die "on the host: $(stat -c %u "$R/volumes/data/_data/f" "$R/volumes/etcv/_data/passwd")"
		mr volume rm data etcv >/dev/null || die "volume rm"
		ct_noleaks
	'
}
t "--userns=auto: a volume only it uses (named, populated, anonymous) and a -w dir made for it are its root's" \
	volumes_belong_to_the_remapped_root
