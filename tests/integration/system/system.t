# tests/integration/system/system.t - `minirun system df|prune|info`, `info`, `version`,
# `network prune`: docker's shapes (the df table's rows and columns, info's fields, the
# Client/Server blocks, --format over docker's field names), what each prune removes and
# keeps (a running container and what it uses stay; --volumes, -a, --filter), the prompt
# and its "no"; bad input in docker's words; nothing left behind.
# Run: sh tests/integration/system/system.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

sys_info() {
	ct_need
	ct_host '
		mr create --name ca busybox true >/dev/null || die create
		mr run -d --name cb --network none busybox sleep 300 >/dev/null || die run
		out=$(mr info) || die "info exited $?"
		for f in "Containers: 2" " Running: 1" " Stopped: 1" " Paused: 0" "Images: 1" \
			"Storage Driver: overlay2" "Cgroup Driver: cgroupfs" "Logging Driver: json-file" \
			"Kernel Version: $(uname -r)" "Architecture: $(uname -m)" "Docker Root Dir: $R" \
			"CPUs: $(nproc)"; do
			echo "$out" | grep -qxF " $f" || die "info lacks \" $f\": $out"
		done
		echo "$out" | grep -Eq "^ Cgroup Version: [12]$" || die "cgroup version"
		echo "$out" | grep -Eq "^ Total Memory: [0-9.]+[KMGT]iB$" || die "memory"
		[ "$(mr system info --format "{{.ContainersRunning}}/{{.Containers}} {{.Driver}}")" = "1/2 overlay2" ] ||
			die "info --format"
		mr info --format "{{json .}}" | grep -q "\"DockerRootDir\":\"$R\"" || die "info json"
		out=$(mr info --format "{{.Nope}}" 2>&1); rc=$?
		[ $rc != 0 ] || die "a missing field passed"
		out=$(mr info --format "{{.Containers" 2>&1); rc=$?
		[ $rc = 64 ] && echo "$out" | grep -q "template parsing error" || die "bad template: $rc $out"
		out=$(mr info extra 2>&1); rc=$?
		[ $rc = 125 ] || die "an operand: $rc $out"
		out=$(mr version) || die "version exited $?"
		echo "$out" | grep -q "^Client:" && echo "$out" | grep -q "^Server:" || die "version: $out"
		echo "$out" | grep -Eq "^ OS/Arch: +linux/" || die "OS/Arch: $out"
		[ "$(mr version --format "{{.Client.Version}}={{.Server.Version}}")" = \
		  "$("$MINIRUN" --version | sed -n "s/^minirun version //p")=$("$MINIRUN" --version | sed -n "s/^minirun version //p")" ] ||
			die "version --format"
		mr rm -f ca cb >/dev/null
		ct_noleaks
	'
}
t "info and version: docker's fields and blocks, counts from the store, --format" sys_info

sys_df() {
	ct_need
	ct_host '
		out=$(mr system df) || die "df exited $?"
		[ "$(echo "$out" | head -n 1 | tr -s " ")" = "TYPE TOTAL ACTIVE SIZE RECLAIMABLE" ] || die "header: $out"
		echo "$out" | grep -Eq "^Images +1 +0 +[0-9.]+[kMG]?B +[0-9.]+[kMG]?B \(100%\)$" || die "images row: $out"
		echo "$out" | grep -Eq "^Containers +0 +0 +0B +0B$" || die "containers row: $out"
		echo "$out" | grep -Eq "^Local Volumes +0 +0 +0B +0B$" || die "volumes row: $out"
		echo "$out" | grep -Eq "^Build Cache +0 +0 +0B +0B$" || die "cache row: $out"
		mr run --name w --network none -v $R-v1:/data busybox true >/dev/null 2>&1
		mr rm w >/dev/null 2>&1
		mr run --name f1 --network none -v /anon busybox sh -c "head -c 5000 /dev/zero >/f" || die run
		mr run -d --name live --network none busybox sleep 300 >/dev/null || die run
		out=$(mr system df)
		echo "$out" | grep -Eq "^Images +1 +1 .* 0B \(0%\)$" || die "images in use: $out"
		echo "$out" | grep -Eq "^Containers +2 +1 +5kB +5kB \(100%\)$" || die "containers: $out"
		echo "$out" | grep -Eq "^Local Volumes +1 +1 " || die "volumes: $out"
		[ "$(mr system df --format "{{.Type}}={{.TotalCount}}" | head -n 2 | tr "\n" " ")" = "Images=1 Containers=2 " ] ||
			die "df --format: $(mr system df --format "{{.Type}}={{.TotalCount}}")"
		out=$(mr system df -v) || die "df -v"
		for h in "Images space usage:" "Containers space usage:" "Local Volumes space usage:" "Build cache usage: 0B"; do
			echo "$out" | grep -qxF "$h" || die "df -v lacks $h: $out"
		done
		echo "$out" | grep -Eq "^busybox +latest " || die "df -v images: $out"
		echo "$out" | grep -Eq " live$" || die "df -v containers: $out"
		# a build leaves cache records: the fourth row counts them, -v lists them
		mkdir -p $T_DIR/ctx && printf "FROM busybox\nRUN echo built >/built\n" >$T_DIR/ctx/Dockerfile
		mr build -q -t built:1 $T_DIR/ctx >/dev/null 2>&1 || die "build"
		echo "$(mr system df)" | grep -Eq "^Build Cache +[1-9][0-9]* " || die "cache row: $(mr system df)"
		mr system df -v | grep -Eq "^[0-9a-f]{12} +regular +" || die "df -v cache: $(mr system df -v)"
		out=$(mr system prune -f -a --filter label=nosuch=1)
		mr image inspect built:1 >/dev/null 2>&1 || die "label=nosuch=1 pruned an image"
		mr rmi built:1 >/dev/null
		mr builder prune -f -a >/dev/null
		rm -rf $T_DIR/ctx
		out=$(mr system df --bogus 2>&1); rc=$?
		[ $rc = 125 ] && [ "$out" = "minirun: unknown flag: --bogus
See '"'"'minirun system df --help'"'"'." ] || die "bad flag: $rc $out"
		mr rm -f -v live f1 >/dev/null
		ct_noleaks
	'
}
t "system df: the four rows and their counts and sizes, --format, -v's tables" sys_df

sys_prune() {
	ct_need
	ct_host '
		mr network create keepnet >/dev/null || die "network create"
		mr network create gonet --label env=test >/dev/null 2>&1 || mr network create gonet >/dev/null || die "network create"
		mr run -d --name live --network keepnet -v /anon-live busybox sleep 300 >/dev/null || die run
		mr run --name dead --network none -v /anon-dead busybox true || die run
		mr tag busybox keep:me >/dev/null || die tag
		out=$(echo n | mr system prune)
		echo "$out" | grep -q "^WARNING! This will remove:" && echo "$out" | grep -q "  - all dangling images" ||
			die "prompt: $out"
		[ "$(ct_ids | wc -l)" = 2 ] || die "n removed something"
		out=$(mr system prune -f --volumes) || die "prune exited $?: $out"
		echo "$out" | grep -q "^Deleted Containers:" || die "containers: $out"
		echo "$out" | grep -qx "gonet" || die "networks: $out"
		echo "$out" | grep -q "^Deleted Volumes:" || die "volumes: $out"
		echo "$out" | grep -Eq "^Total reclaimed space: [0-9.]+[kMG]?B$" || die "total: $out"
		[ "$(echo "$out" | grep -c "^Total reclaimed space")" = 1 ] || die "one total: $out"
		[ "$(ct_ids | wc -l)" = 1 ] && [ "$(ct_status live)" = running ] || die "live: $(mr ps -a)"
		mr network inspect keepnet >/dev/null 2>&1 || die "a used network went"
		mr network inspect gonet >/dev/null 2>&1 && die "an unused network stayed"
		[ "$(mr volume ls -q | wc -l)" = 1 ] || die "volumes: $(mr volume ls)"
		mr rm -f -v live >/dev/null
		out=$(mr system prune -f -a) || die "prune -a: $?"
		echo "$out" | grep -q "^Deleted Images:" || die "-a images: $out"
		[ "$(mr images -q | wc -l)" = 0 ] || die "images left: $(mr images)"
		mr network inspect keepnet >/dev/null 2>&1 && die "keepnet stayed"
		out=$(mr system prune -f --filter nope=1 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "Invalid filter" || die "bad filter: $rc $out"
		ct_noleaks
	'
}
t "system prune: stopped containers, unused networks, --volumes, -a images; one total; prompt" sys_prune

sys_network_prune() {
	ct_need
	ct_host '
		mr network create n1 >/dev/null || die create
		mr network create n2 >/dev/null || die create
		mr run -d --name cc --network n2 busybox sleep 300 >/dev/null || die run
		out=$(mr network prune -f --filter until=1h) || die "prune until"
		[ -z "$out" ] || die "until=1h removed: $out"
		out=$(mr network prune -f) || die "prune exited $?"
		[ "$out" = "Deleted Networks:
n1" ] || die "output: $out"
		mr network inspect bridge >/dev/null || die "bridge went"
		mr network inspect n2 >/dev/null || die "a used network went"
		out=$(mr network prune -f --filter label 2>&1); rc=$?
		[ $rc = 125 ] || die "bad filter: $rc $out"
		mr rm -f cc >/dev/null
		mr network rm n2 >/dev/null
		ct_noleaks
	'
}
t "network prune: unused networks go, a used one and the default stay; until=" sys_network_prune

sys_image_volume_filters() {
	ct_need
	ct_host '
		mr volume create --label keep=1 v1 >/dev/null || die "volume create"
		mr run --name ca --network none -v /anon busybox true >/dev/null || die run
		mr rm ca >/dev/null
		out=$(mr volume prune -f --filter label=keep=1) || die "volume prune label"
		[ "$(mr volume ls -q | wc -l)" = 2 ] || die "label=keep=1 removed an anonymous one"
		out=$(mr volume prune -f --filter label!=keep) || die "volume prune label!="
		[ "$(mr volume ls -q)" = v1 ] || die "label!=: $(mr volume ls)"
		out=$(mr image prune -f -a --filter until=2000-01-01T00:00:00Z) || die "image prune until"
		[ "$(mr images -q | wc -l)" = 1 ] || die "until=2000 removed busybox"
		mr volume rm v1 >/dev/null
		ct_noleaks
	'
}
t "volume prune and image prune take --filter label=/label!=/until=" sys_image_volume_filters

t_end
