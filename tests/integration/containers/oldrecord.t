# tests/integration/containers/oldrecord.t - records written by the minirun before the typed
# record (issue 14, "The model": struct container_record, minirun/containers/record_json.c)
# still load: ps lists them, inspect prints exactly what the old minirun printed, start runs
# one, rm removes them and leaves nothing. And a record this minirun writes, by the same
# commands, has the shape of oldrecord/web.shape: the same keys in the same order
# (oldrecord/shape.py). That is old-web's shape with docker 20.10's HostConfig and top-level
# keys added in docker's order, and Init and HostConfig.Mounts left out when not given
# (issue 22); any other change of shape fails here.
#
# oldrecord/NAME.json is container.json as the old minirun wrote it, NAME.inspect what its
# `inspect NAME` printed then (commit d79486b, by `run -d -p 8080:80 -l ... --restart
# on-failure:3 --health-cmd true -v oldvol:/data ...; network connect; stop` for old-web,
# `create -t -i --network none` for old-created, `run --network oldnet sh -c "exit 3"` for
# old-exited), with the store's path, the image ID and its layer replaced by @ROOT@,
# @IMAGE@, @LAYER@. old-secure, whose Minirun has a Seccomp profile, NoNewPrivileges,
# Platform and PullNever, was written by the minirun before those were typed (commit
# 48edd8b, by `create --network none --security-opt seccomp=@ROOT@/prof.json
# --security-opt no-new-privileges --platform linux/amd64 --pull never busybox sh -c ...`,
# the profile denying chmod and fchmodat). Each is installed into this test's store as the old minirun left it
# (the directory, its lock, image mark, diff/ and work/, the name claim).
# Run: sh tests/integration/containers/oldrecord.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

OLD=$MR_TOP/tests/integration/containers/oldrecord

OLD_HELPERS='
OLD='"$OLD"'
image=$(mr image inspect -f "{{.Id}}" busybox) || die "no busybox image"
layer=$(ls "$R/layers/sha256" | head -n 1)
# old FILE: a fixture with this store'"'"'s path, image and layer put in
old() { sed "s|@ROOT@|$R|g; s|@IMAGE@|${image#sha256:}|g; s|@LAYER@|$layer|g" "$OLD/$1"; }
# install NAME: the container NAME as the old minirun left it in the store
install() {
	_id=$(old "$1.json" | sed "s/^{\"Id\":\"\([0-9a-f]*\)\".*/\1/")
	_d=$R/containers/$_id
	mkdir -p "$R/containers/.names" "$_d/diff" "$_d/work" || die "mkdir $_d"
	old "$1.json" >"$_d/container.json"
	: >"$_d/lock"
	printf %s "$image" >"$_d/image"
	: >"$_d/exit-code"
	printf %s "$_id" >"$R/containers/.names/$1"
}
'

old_records_list_and_inspect_as_before() {
	ct_need
	ct_host "$OLD_HELPERS"'
		for n in old-web old-created old-exited old-secure; do install $n; done
		rows=$(mr ps -a --format "{{.Names}}|{{.Status}}|{{.Command}}|{{.Labels}}") ||
			die "ps -a exited $?"
		echo "$rows" | grep -q "^old-web|Exited (137) .* ago|\"sleep 600\"|tier=web,k=v w$" ||
			die "ps -a, old-web: $rows"
		echo "$rows" | grep -q "^old-created|Created|\"sh\"|$" || die "ps -a, old-created: $rows"
		echo "$rows" | grep -q "^old-exited|Exited (3) .* ago|" || die "ps -a, old-exited: $rows"
		mr ps -a -q --filter status=exited --filter label=tier=web | grep -q . ||
			die "ps --filter status=exited,label=tier=web found nothing"
		nets=$(mr ps -a --filter network=oldnet --format "{{.Names}} {{.Networks}}" | sort)
		[ "$nets" = "old-exited oldnet
old-web bridge,oldnet" ] || die "ps --filter network=oldnet: $nets"
		vols=$(mr ps -a --filter volume=oldvol --format "{{.Names}} {{.Mounts}} {{.LocalVolumes}}")
		[ "$vols" = "old-web oldvol 1" ] || die "ps --filter volume=oldvol: $vols"
		for n in old-web old-created old-exited old-secure; do
			mr inspect $n >"$R.$n.now" || die "inspect $n exited $?"
			old $n.inspect | diff - "$R.$n.now" >&2 || die "inspect $n differs from the old minirun'"'"'s"
		done
		[ "$(mr inspect -f "{{.State.Health.Status}} {{.HostConfig.RestartPolicy.Name}}" old-web)" = \
			"unhealthy on-failure" ] || die "health/restart policy of old-web"
		# saved again (update writes the record): the typed parts keep the old shape:
		# its 5 health results, Tmpfs, LogConfig, and no Dns keys it never had
		mr update --restart no old-web >/dev/null || die "update old-web exited $?"
		got=$(mr inspect -f "{{len .State.Health.Log}} {{(index .State.Health.Log 4).End}} {{json .HostConfig.Tmpfs}} {{json .HostConfig.LogConfig}}" old-web)
		[ "$got" = "5 2026-12-06T10:16:23.526243894Z {\"/scratch\":\"\"} {\"Type\":\"json-file\",\"Config\":{}}" ] ||
			die "old-web saved again: $got"
		! grep -q "\"Dns" "$R/containers/$(cat "$R/containers/.names/old-web")/container.json" ||
			die "old-web saved again has Dns keys it never had"
		mr rm old-web old-created old-exited old-secure >/dev/null || die "rm exited $?"
		[ -z "$(mr ps -a -q)" ] || die "left: $(mr ps -a)"
		ct_noleaks
	'
}
t "old records: ps -a lists them, inspect prints what the old minirun printed, rm removes them" old_records_list_and_inspect_as_before

old_record_starts_and_is_removed() {
	ct_need
	ct_host "$OLD_HELPERS"'
		install old-created
		mr start old-created >/dev/null || die "start exited $?"
		[ "$(ct_status old-created)" = running ] || die "status $(ct_status old-created)"
		pid=$(ct_field old-created State.Pid)
		[ "$pid" -gt 0 ] || die "no pid: $pid"
		out=$(mr exec old-created echo inside 2>&1) || die "exec exited $?: $out"
		[ "$out" = inside ] || die "exec printed $out"
		mr ps --format "{{.Names}} {{.Status}}" | grep -q "^old-created Up" || die "ps: $(mr ps)"
		mr stop -t 1 old-created >/dev/null || die "stop exited $?"
		[ "$(ct_status old-created)" = exited ] || die "status after stop $(ct_status old-created)"
		mr start old-created >/dev/null || die "second start exited $?"
		mr rm -f old-created >/dev/null || die "rm -f exited $?"
		ct_noleaks
	'
}
t "an old record starts, execs, stops, starts again and is removed by rm -f, leaving nothing" old_record_starts_and_is_removed

old_record_keeps_its_security() {
	ct_need
	[ -x /usr/bin/python3 ] || t_skip "needs python3 (a part of a JSON document)"
	ct_host "$OLD_HELPERS"'
		install old-secure
		# minirun OBJ FILE: the Minirun part of the record FILE, but for Step and MonitorPid
		# (a start sets them), as one line of JSON
		minirun() {
			/usr/bin/python3 -c "import json, sys
m = json.load(open(sys.argv[1]))[\"Minirun\"]
for k in (\"Step\", \"MonitorPid\"): m.pop(k, None)
print(json.dumps(m))" "$1"
		}
		# its command prints its no_new_privs bit and tries a chmod the profile denies
		out=$(mr start -a old-secure 2>&1) || die "start -a exited $?: $out"
		echo "$out" | grep -q "^NoNewPrivs:[[:space:]]*1$" || die "no no_new_privs: $out"
		echo "$out" | grep -q "^chmod denied$" || die "the profile did not deny chmod: $out"
		# saved by the start: Seccomp, NoNewPrivileges, Platform, PullNever as they were
		old old-secure.json >"$R.secure.old"
		minirun "$R.secure.old" >"$R.secure.want"
		minirun "$R/containers/$(cat "$R/containers/.names/old-secure")/container.json" \
			>"$R.secure.got" || die "read the record"
		diff "$R.secure.want" "$R.secure.got" >&2 || die "Minirun changed by the start"
		mr rm old-secure >/dev/null || die "rm exited $?"
		ct_noleaks
	'
}
t "an old record's seccomp profile and no-new-privileges apply at start and are kept" old_record_keeps_its_security

new_record_has_the_old_shape() {
	ct_need net
	[ -x /usr/bin/python3 ] || t_skip "needs python3 (the shape of a JSON document)"
	ct_host "$OLD_HELPERS"'
		# the commands the old minirun ran for old-web (see the top of this file)
		mr network create --subnet 10.77.0.0/24 oldnet >/dev/null || die "network create"
		mr run -d --name old-web -p 8080:80 -p 9090:90/udp -l tier=web -l "k=v w" \
			--restart on-failure:3 --health-cmd "true" --health-interval 1s \
			-e FOO=bar -w /srv --stop-signal SIGINT --stop-timeout 3 \
			-v oldvol:/data --tmpfs /scratch busybox sleep 600 >/dev/null || die "run"
		i=0
		while [ "$(mr inspect -f "{{len .State.Health.Log}}" old-web)" -lt 1 ]; do
			i=$((i + 1)); [ $i -lt 100 ] || die "no health probe ran"; sleep 0.1
		done
		mr network connect --alias aka oldnet old-web || die "network connect"
		# -t 0: sleep as PID 1 ignores SIGINT, and the shape of the record is the subject,
		# not the stop: one by the 3 s timeout ends in SIGKILL too, the same keys written
		mr stop -t 0 old-web >/dev/null || die "stop"
		id=$(cat "$R/containers/.names/old-web")
		/usr/bin/python3 "$OLD/shape.py" "$R/containers/$id/container.json" >"$R.new" &&
			old old-web.json >"$R.old.json" &&
			/usr/bin/python3 "$OLD/shape.py" "$R.old.json" >"$R.old" || die "shape.py failed"
		diff "$OLD/web.shape" "$R.new" >&2 || die "container.json has another shape than web.shape"
		mr rm old-web >/dev/null && mr volume rm oldvol >/dev/null &&
			mr network rm oldnet >/dev/null || die "clean up"
		ct_noleaks
	'
}
t "a record this minirun writes has web.shape's keys in web.shape's order" new_record_has_the_old_shape

# A new record's HostConfig, for create's flags of every kind: each key in its place, each
# value as the minirun before the typed HostConfig wrote it (null, [] or no key alike):
# oldrecord/hostconfig.inspect, printed by that minirun (commit f316172) for the flags of
# oldrecord/hostconfig.flags
new_hostconfig_is_the_old_one() {
	ct_need
	D=$(disk)
	export D
	ct_host "$OLD_HELPERS"'
		# the cases, their flags with this store and disk put in (no disk: no throttles;
		# no v1 memory hierarchy, as on a pure v2 host: no v1memory)
		v1mem=; grep -q "^[0-9]*:memory:" /proc/self/cgroup && v1mem=1
		grep -v "^#" "$OLD/hostconfig.flags" | sed "s|@ROOT@|$R|g; s|@DISK@|$D|g" |
			{ [ -n "$D" ] && cat || grep -v "^throttles "; } |
			{ [ -n "$v1mem" ] && cat || grep -v "^v1memory "; } >"$R.flags"
		while read -r name flags; do
			mr create --name $name $flags busybox sh >/dev/null || die "create $name: $flags"
			echo "== $name"
			mr inspect $name | sed -n "/^        \"HostConfig\": {/,/^        },/p" |
				sed "s|$R|@ROOT@|g; s|$D|@DISK@|g"
		done <"$R.flags" >"$R.got"
		# hostconfig.inspect, without the cases this host leaves out
		awk -v d="$D" -v m="$v1mem" \
			"/^== /{on = (\$2 != \"throttles\" || d != \"\") && (\$2 != \"v1memory\" || m != \"\")} on" \
			"$OLD/hostconfig.inspect" >"$R.want"
		diff "$R.want" "$R.got" >&2 || die "HostConfig differs from the old minirun'"'"'s"
		mr rm -f -v $(mr ps -a -q) >/dev/null && mr volume rm namedvol mv >/dev/null ||
			die "clean up"
		ct_noleaks
	'
}
t "a new record's HostConfig is the old minirun's, key for key, for create's flags" new_hostconfig_is_the_old_one

# web.shape has a connect's endpoints; these are the other two of docker's shapes (the keys
# of each and their order: record_json.c's endpoint_shapes), as the old minirun wrote them
endpoints_have_the_old_shapes() {
	ct_need net
	[ -x /usr/bin/python3 ] || t_skip "needs python3 (the shape of a JSON document)"
	ct_host "$OLD_HELPERS"'
		# nets NAME: the NetworkSettings part of the shape of NAME'"'"'s record, on one line
		nets() {
			/usr/bin/python3 "$OLD/shape.py" "$R/containers/$(cat "$R/containers/.names/$1")/container.json" |
				grep "^NetworkSettings" | tr "\n" " "
		}
		mr network create --subnet 10.77.1.0/24 shapenet >/dev/null || die "network create"
		mr create --name asked --network shapenet --network-alias al --ip 10.77.1.9 busybox \
			sleep 600 >/dev/null || die "create asked"
		n=NetworkSettings.Networks.shapenet
		[ "$(nets asked)" = "NetworkSettings NetworkSettings.Networks $n $n.IPAMConfig $n.IPAMConfig.IPv4Address $n.Aliases $n.NetworkID $n.IPAddress $n.Gateway $n.IPPrefixLen $n.MacAddress NetworkSettings.Ports " ] ||
			die "create'"'"'s endpoint: $(nets asked)"
		mr run -d --name mode --network none busybox sleep 600 >/dev/null || die "run mode"
		n=NetworkSettings.Networks.none
		[ "$(nets mode)" = "NetworkSettings NetworkSettings.Networks $n $n.Aliases $n.NetworkID $n.IPAddress $n.Gateway $n.IPPrefixLen $n.MacAddress NetworkSettings.Ports " ] ||
			die "none'"'"'s endpoint: $(nets mode)"
		mr rm -f asked mode >/dev/null && mr network rm shapenet >/dev/null || die "clean up"
		ct_noleaks
	'
}
t "create's endpoint and --network none's have the old minirun's keys in its order" endpoints_have_the_old_shapes

t_end
