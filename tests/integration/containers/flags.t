# tests/integration/containers/flags.t - docker's run flags that hand a container part of
# the host, each seen from inside the container: --pull (never, missing, always against a
# real registry on loopback), --group-add (id -G), --shm-size (/dev/shm's size=), --ulimit
# (ulimit -n/-Hn/-c), --device (the node's major:minor, its cgroup rule, what its PERMS
# refuse), and the "flags" of a --security-opt seccomp=FILE profile. Bad input for each: one
# line, exit 125, nothing left. Each test runs in a namespace playing the host.
# Run: sh tests/integration/containers/flags.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

pull_never_and_missing() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --pull never nosuchimage true 2>&1); rc=$?
		[ $rc = 125 ] || die "--pull never, no image: exit $rc: $out"
		[ "$out" = "minirun: No such image: nosuchimage:latest
See '"'"'minirun run --help'"'"'." ] || die "never: $out"
		out=$(mr run --rm --network none --pull never busybox echo here 2>&1) ||
			die "--pull never, image here: $out"
		[ "$out" = here ] || die "never, here: $out"
		out=$(mr run --rm --network none --pull missing busybox echo here 2>&1) ||
			die "--pull missing, image here: $out"
		[ "$out" = here ] || die "missing, here: said more than the output (a pull?): $out"
		out=$(mr create --pull=never --network none nosuchimage 2>&1); rc=$?
		[ $rc = 125 ] || die "create --pull=never: exit $rc: $out"
		ct_noleaks
	'
}
t "--pull never: an image not here is docker's 'No such image', 125; missing and never run what is here" pull_never_and_missing

pull_from_a_registry() {
	ct_need
	t_need docker-registry skopeo
	ct_host '
		# the registry lives in this namespace: its 127.0.0.1 is the test'"'"'s own
		mkdir -p "$R.reg"
		printf "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:5000\n" \
			"$R.reg" >"$R.reg.yml"
		docker-registry serve "$R.reg.yml" >"$R.reg.log" 2>&1 &
		reg=$!
		i=0
		until wget -q -O /dev/null http://127.0.0.1:5000/v2/ 2>/dev/null ||
			curl -s -o /dev/null http://127.0.0.1:5000/v2/; do
			i=$((i + 1)); [ $i -lt 50 ] || die "the registry did not answer"; sleep 0.1
		done
		img=127.0.0.1:5000/test/bb:1
		# the registry holds WHO=registry; the store, under the same name, WHO=local
		mr import -c "ENV WHO=registry" -c "CMD [\"sh\"]" "$CT_IMAGE_TAR" src/reg:1 >/dev/null &&
			mr save --format oci-archive -o "$R.reg.tar" src/reg:1 &&
			skopeo copy -q --dest-tls-verify=false "oci-archive:$R.reg.tar" "docker://$img" ||
			die "pushing $img"
		mr import -c "ENV WHO=local" -c "CMD [\"sh\"]" "$CT_IMAGE_TAR" "$img" >/dev/null ||
			die "import $img"
		gets() { grep -c "GET /v2/test/bb/manifests/" "$R.reg.log"; }
		n0=$(gets)
		out=$(mr run --rm --network none "$img" sh -c "echo \$WHO" 2>"$R.err") || die "missing: $(cat "$R.err")"
		[ "$out" = local ] || die "--pull missing ran the $out image"
		[ "$(gets)" = "$n0" ] || die "--pull missing asked the registry for an image it had"
		out=$(mr run --rm --network none --pull always "$img" sh -c "echo \$WHO" 2>"$R.err") ||
			die "always: $(cat "$R.err")"
		[ "$out" = registry ] || die "--pull always ran the $out image (stdout holds only the container'"'"'s output): $(cat "$R.err")"
		# docker pull'"'"'s lines, on stderr: Pulling from, the layers, Digest, then Status
		grep -qx "1: Pulling from test/bb" "$R.err" || die "always: no Pulling from: $(cat "$R.err")"
		digest=$(mr image inspect -f "{{json .RepoDigests}}" "$img" | sed -n "s/^\[\"127.0.0.1:5000\/test\/bb@\(sha256:[0-9a-f]\{64\}\)\"\]$/\1/p")
		[ -n "$digest" ] || die "RepoDigests: $(mr image inspect -f "{{json .RepoDigests}}" "$img")"
		[ "$(tail -n 2 "$R.err")" = "Digest: $digest
Status: Downloaded newer image for $img" ] || die "always: the last lines on stderr: $(cat "$R.err")"
		# create prints the ID alone on stdout: the pull says what it did on stderr
		id=$(mr create --pull always --network none "$img" 2>"$R.err") || die "create: $(cat "$R.err")"
		case $id in *"
"*) die "create --pull always printed more than the ID: $id" ;; esac
		echo "$id" | grep -Eqx "[0-9a-f]{64}" || die "create --pull always printed: $id"
		[ "$(tail -n 2 "$R.err")" = "Digest: $digest
Status: Image is up to date for $img" ] || die "create: the last lines on stderr: $(cat "$R.err")"
		mr rm "$id" >/dev/null || die "rm $id"
		# not here at all: missing pulls it, saying so first, as docker
		mr rmi -f "$img" >/dev/null || die "rmi"
		out=$(mr run --rm --network none "$img" sh -c "echo \$WHO" 2>"$R.err") || die "pull: $(cat "$R.err")"
		[ "$out" = registry ] || die "missing, not here: ran $out"
		head -n 1 "$R.err" | grep -q "^Unable to find image .$img. locally$" || die "$(cat "$R.err")"
		[ "$(tail -n 2 "$R.err")" = "Digest: $digest
Status: Downloaded newer image for $img" ] || die "missing: the last lines on stderr: $(cat "$R.err")"
		# a name the registry does not have: 125, the pull'"'"'s reason, nothing left
		out=$(mr run --rm --network none 127.0.0.1:5000/test/nope:1 true 2>&1); rc=$?
		[ $rc = 125 ] || die "unknown repository: exit $rc: $out"
		echo "$out" | grep -q "^minirun: No such image: 127.0.0.1:5000/test/nope:1 (and pulling it failed: " ||
			die "unknown repository: $out"
		kill "$reg" && wait "$reg" 2>/dev/null # the registry: the test'"'"'s own, not a leak
		ct_noleaks
	'
}
t "--pull always takes the registry's image over the store's; missing pulls only what is not here; the pull's lines (Digest, Status) on stderr, stdout the container's" pull_from_a_registry

group_add() {
	ct_need
	ct_host '
		gid=$(mr run --rm --network none busybox sed -n "s/^nogroup:[^:]*:\([0-9]*\):.*/\1/p" /etc/group)
		[ -n "$gid" ] || die "the image has no nogroup"
		out=$(mr run --rm --network none --group-add nogroup --group-add 4321 busybox id -G) ||
			die "run: $out"
		# setgroups(2) keeps the list sorted: id -G shows it by number
		[ "$out" = "$(printf "0\n%s\n4321\n" "$gid" | sort -n | tr "\n" " " | sed "s/ $//")" ] ||
			die "id -G: $out (want 0, $gid and 4321)"
		out=$(mr run --rm --network none -u nobody --group-add 0 busybox id -G) || die "run -u: $out"
		echo " $out " | grep -q " 0 " || die "-u nobody --group-add 0: $out"
		out=$(mr run --rm --network none --group-add nosuchgroup busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "unknown group: exit $rc: $out"
		[ "$out" = "minirun: Unable to find group nosuchgroup: no matching entries in group file" ] ||
			die "unknown group: $out"
		ct_noleaks
	'
}
t "--group-add: a name from the image's /etc/group and a number join id -G; an unknown name is 125" group_add

shm_size() {
	ct_need
	ct_host '
		sz() { mr run --rm --network none "$@" busybox sh -c "grep \" /dev/shm \" /proc/mounts" |
			sed -n "s/.*size=\([0-9]*k\).*/\1/p"; }
		[ "$(sz)" = 65536k ] || die "default /dev/shm: $(sz)"
		[ "$(sz --shm-size 8m)" = 8192k ] || die "--shm-size 8m: $(sz --shm-size 8m)"
		[ "$(sz --shm-size=1g)" = 1048576k ] || die "--shm-size=1g: $(sz --shm-size=1g)"
		out=$(mr run --rm --network none --shm-size 8m busybox sh -c \
			"dd if=/dev/zero of=/dev/shm/f bs=1M count=16 2>&1; ls -l /dev/shm/f")
		echo "$out" | grep -q "No space left on device" || die "8m of /dev/shm took 16m: $out"
		ct_noleaks
	'
}
t "--shm-size sets /dev/shm's size (default 64m), and writing past it fails" shm_size

ulimits() {
	ct_need
	ct_host '
		out=$(mr run --rm --network none --ulimit nofile=100:200 --ulimit core=0 busybox \
			sh -c "ulimit -n; ulimit -Hn; ulimit -c" | tr "\n" " ") || die "run: $out"
		[ "$out" = "100 200 0 " ] || die "nofile=100:200 core=0: $out"
		out=$(mr run --rm --network none --ulimit nproc=50 busybox sh -c "ulimit -u; ulimit -Hu" |
			tr "\n" " ")
		[ "$out" = "50 50 " ] || die "nproc=50 (hard = soft): $out"
		out=$(mr run --rm --network none --ulimit nofile=1:2 --ulimit nofile=64 busybox sh -c "ulimit -n")
		[ "$out" = 64 ] || die "the last --ulimit of a name wins: $out"
		ct_noleaks
	'
}
t "--ulimit NAME=SOFT[:HARD] sets the container's limits (lowering them)" ulimits

ulimit_unlimited() {
	ct_need
	[ "$(ulimit -Hc)" = unlimited ] || t_skip "the hard core limit here is $(ulimit -Hc), not unlimited"
	ct_host '
		out=$(mr run --rm --network none --ulimit core=-1 busybox sh -c "ulimit -c; ulimit -Hc" 2>&1 |
			tr "\n" " ")
		[ "$out" = "unlimited unlimited " ] || die "core=-1: $out"
		ct_noleaks
	'
}
t "--ulimit core=-1 is unlimited" ulimit_unlimited

# a character device of the host that no container may open by default (not /dev/null,
# zero, full, random, urandom, tty, console, ptmx, pts/*): opening it tells the rule works
pick_device() {
	for DEV in /dev/fuse /dev/loop-control; do
		[ -c "$DEV" ] && export DEV && return 0
	done
	t_skip "needs /dev/fuse or /dev/loop-control on the host"
}

devices() {
	ct_need
	pick_device
	ct_host '
		want=$(stat -c "%t:%T" "$DEV")
		maj=$(printf %d "0x${want%%:*}"); min=$(printf %d "0x${want##*:}")
		id=$(mr run -d --network none --device "$DEV:/dev/dv:r" busybox sleep 300) || die "run -d"
		out=$(mr exec "$id" sh -c "stat -c %t:%T /dev/dv; (exec 3</dev/dv) && echo read=ok
			(exec 3>/dev/dv) 2>/dev/null && echo write=ok || echo write=refused" | tr "\n" " ")
		echo "$out" | grep -q "^$want read=ok " || die "node or read: $out (want $want)"
		# the OCI config: the node, and after the deny-all the rule with PERMS
		cfg=$(tr -d " \n\t" <"$R/run/containers/$id/bundle/config.json")
		echo "$cfg" | grep -q "{\"path\":\"/dev/dv\",\"type\":\"c\",\"major\":$maj,\"minor\":$min," ||
			die "no linux.devices entry for /dev/dv"
		echo "$cfg" | grep -q "{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":$maj,\"minor\":$min,\"access\":\"r\"}" ||
			die "no allow rule r for c $maj:$min"
		mr rm -f "$id" >/dev/null
		case $out in
		*write=refused*) ;;
		*) die "--device ...:r: the write went through: $out" ;;
		esac
		# the same node without --device: made with mknod, refused by the cgroup
		out=$(mr run --rm --network none busybox sh -c "[ -e /dev/dv ] && echo there
			mknod /dev/dv c $maj $min && (exec 3</dev/dv) 2>/dev/null && echo opened || echo refused")
		[ "$out" = refused ] || die "without --device: $out"
		# HOST alone: the same path inside, rwm
		out=$(mr run --rm --network none --device "$DEV" busybox sh -c "(exec 3<>$DEV) && echo rw=ok")
		[ "$out" = rw=ok ] || die "--device $DEV: $out"
		# a directory: every node under it, at the same place below CONTAINER
		if [ -c /dev/net/tun ]; then
			out=$(mr run --rm --network none --device /dev/net:/dev/xnet busybox stat -c %t:%T /dev/xnet/tun)
			[ "$out" = "$(stat -c %t:%T /dev/net/tun)" ] || die "--device /dev/net:/dev/xnet: $out"
		fi
		ct_noleaks
	'
}
t "--device HOST:CONTAINER:PERMS: the node with the host's major:minor, its cgroup rule, PERMS honoured" devices

seccomp_flags() {
	ct_need
	ct_host '
		echo "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]}" >"$R.p1"
		echo "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_NOPE\"]}" >"$R.p2"
		mr run --name sc --network none --security-opt "seccomp=$R.p1" busybox true || die "run p1"
		cfg=$R/run/containers/$(ct_field sc Id)/bundle/config.json
		tr -d " \n" <"$cfg" | grep -q "\"flags\":\[\"SECCOMP_FILTER_FLAG_LOG\"\]" ||
			die "the profile'"'"'s flags are not in the OCI config"
		mr rm sc >/dev/null
		# an unknown flag reaches the runtime, which refuses it by name
		out=$(mr run --rm --network none --security-opt "seccomp=$R.p2" busybox true 2>&1); rc=$?
		[ $rc = 125 ] || die "unknown flag: exit $rc: $out"
		echo "$out" | grep -q SECCOMP_FILTER_FLAG_NOPE || die "unknown flag: $out"
		ct_noleaks
	'
}
t "--security-opt seccomp=FILE keeps the profile's flags" seccomp_flags

env_file_of_100k_variables() {
	ct_need
	# short entries: 100,000 of them must fit in execve's limit (a quarter of the stack)
	awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "V%x=%d\n", i, i % 10 }' >"$T_DIR/env"
	out=$(ct_host '
		mr run --rm --network none --env-file "'"$T_DIR"'/env" -e V2=minus busybox awk "BEGIN {
			for (k in ENVIRON) if (k ~ /^V[0-9a-f]+\$/) n++
			print n, ENVIRON[\"V1\"], ENVIRON[\"V2\"], ENVIRON[\"V186a0\"]
			print (ENVIRON[\"PATH\"] != \"\")
		}"
		ct_noleaks
	') || t_fail "$out"
	t_eq "$out" "100000 1 minus 0
1" "every variable arrives, -e replaces the file's entry, PATH is still set"
}
t "--env-file with 100,000 variables: every one arrives in the container (bench/env.sh times it)" \
	env_file_of_100k_variables

# bad ARGS... - run them; print "rc=N", each stderr line as "err: LINE" (docker's "See
# 'minirun run --help'." after a flag's error not counted), and what is left
BAD='
# NOCAP: a prefix that runs minirun without CAP_SYS_RESOURCE (as this kind of machine is;
# in the VM, root has it: setpriv drops it from the bounding set for the exec)
NOCAP=
if [ $((0x$(sed -n "s/^CapEff:\t//p" /proc/self/status) >> 24 & 1)) = 1 ]; then
	NOCAP="setpriv --bounding-set -sys_resource --"
fi
bad() {
	$NOCAP "$MINIRUN" --root "$R" run --rm --network none "$@" >"$R.out" 2>"$R.err"
	echo "rc=$?"
	sed "s/^/err: /" "$R.err"
	echo "lines: $(grep -vc "^See '\''minirun run --help'\''\.$" "$R.err")"
	[ -s "$R.out" ] && sed "s/^/stdout: /" "$R.out"
	ct_leaks
	true
}'

bad_input() {
	ct_need
	out=$(ct_host "$BAD"'
		bad --shm-size 12q busybox true
		bad --ulimit nofiles=1 busybox true
		bad --ulimit nofile=1024 --ulimit nofile=1024:99999999 busybox true
		bad --ulimit nofile=1024:$(($(ulimit -Hn) + 1)) busybox true
		bad --ulimit nofile=20:10 busybox true
		bad --ulimit nofile busybox true
		bad --device /dev/nosuchdevice busybox true
		bad --device /etc/passwd busybox true
		bad --device /dev/null:dev/x busybox true
		bad --device /dev/null:/dev/x:rwx busybox true
		bad --group-add nosuchgroup busybox true
		bad --pull sometimes busybox true
		bad --pull never nosuchimage true
	') || t_fail "$out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^rc=125$')" 13 "each exits 125: $out"
	t_eq "$(printf '%s\n' "$out" | grep -c '^lines: 1$')" 13 "each says one line: $out"
	t_nomatch "$out" '^leak:'
	t_nomatch "$out" '^stdout:'
	t_match "$out" "^err: minirun: invalid argument \"12q\" for \"--shm-size\" flag: invalid size: '12q'$"
	t_match "$out" '^err: minirun: invalid argument "nofiles=1" for "--ulimit" flag: invalid ulimit type: nofiles '
	t_match "$out" '^err: minirun: --ulimit nofile=1024:99999999: the nofile limit is above this host.s fs.nr_open \([0-9]+\); ask for at most that$'
	t_match "$out" '^err: minirun: --ulimit nofile=1024:[0-9]+: the hard limit [0-9]+ is above this host.s [0-9]+, and raising it needs CAP_SYS_RESOURCE'
	t_match "$out" '^err: minirun: invalid argument "nofile=20:10" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 20 > 10$'
	t_match "$out" '^err: minirun: invalid argument "nofile" for "--ulimit" flag: invalid ulimit argument: nofile$'
	t_match "$out" '^err: minirun: error gathering device information while adding custom device "/dev/nosuchdevice": no such file or directory$'
	t_match "$out" '^err: minirun: error gathering device information while adding custom device "/etc/passwd": not a device node$'
	t_match "$out" '^err: minirun: invalid argument "/dev/null:dev/x" for "--device" flag: dev/x is not an absolute path$'
	t_match "$out" '^err: minirun: invalid argument "/dev/null:/dev/x:rwx" for "--device" flag: bad mode specified: rwx$'
	t_match "$out" '^err: minirun: Unable to find group nosuchgroup: no matching entries in group file$'
	t_match "$out" "^err: minirun: invalid pull option: 'sometimes'"
	t_match "$out" '^err: minirun: No such image: nosuchimage:latest$'
}
t "bad --shm-size, --ulimit, --device, --group-add, --pull: one line each, 125, nothing left" bad_input

t_end
