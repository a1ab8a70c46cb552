# tests/integration/containers/format-docker.t - the same Go templates run by a private
# dockerd and by minirun (inspect -f, ps/images/network/volume ls --format, Go's errors),
# each case's status, stdout and stderr compared. A differential run: tests/long.list
# (`make test-long`); format.t checks the templates themselves in `make test`.
# Run: sh tests/integration/containers/format-docker.t (as root; dockerd, make minirun
# busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"

# the cases the docker comparison runs, one `c ARGS...` each (c: docker's or minirun's)
cat >"$T_TMP/format-cases.sh" <<'CASES'
c inspect -f '{{.Name}} {{.State.Status}} {{.Config.Image}} {{.Path}} {{.Args}} {{json .Config.Cmd}}' web
c inspect -f '{{json .Config.Labels}} {{index .Config.Labels "a.b"}} {{.Config.Labels}}' web
c inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}' web
c inspect -f '{{if eq .State.Status "created"}}new{{else}}old{{end}} {{.State.Running}} {{.State.ExitCode}} {{not .State.Running}}' web
c inspect -f '{{.Config.Labels.nope}}|{{index .Config.Labels "nope"}}|{{len .Config.Labels}}|{{len .Mounts}}' web
c inspect -f '{{join .Config.Cmd "+"}} {{printf "%-6s|%q|%5d" .Name .Path .State.ExitCode}} {{upper .Config.Image}} {{title .State.Status}}' web
c inspect -f '{{range .Mounts}}x{{else}}no mounts{{end}} {{with .State}}{{.Status}}{{end}} {{- " trimmed" -}} !' web
c inspect -f '{{.Foo}}' web
c inspect -f '{{index .Config.Cmd 5}}' web
c inspect -f '{{.Name }' web
c inspect -f '{{' web
c inspect -f '{{.Name}}' web nosuch
c ps -a --format 'table {{.Names}}\t{{.Image}}\t{{.Label "a.b"}}\t{{.State}}'
c ps -a --format 'table {{.Names}}\t{{upper .Image}}\t{{.State}}'
c ps -a --format '{{.Names}}:{{.Label "com.example"}}:{{.State}}:{{.Command}}'
c ps -a --format '{{.Nope}}'
c images --format '{{.Repository}}:{{.Tag}}'
c images --format 'table {{.Repository}}\t{{.Tag}}'
c image inspect -f '{{.Os}}/{{.Architecture}} {{json .Config.Cmd}} {{len .RootFS.Layers}} {{.RootFS.Type}}' busybox
c network inspect -f '{{.Name}} {{.Driver}} {{.Scope}} {{range .IPAM.Config}}{{.Subnet}}{{end}} {{.Internal}}' front
c volume inspect -f '{{.Name}} {{.Driver}} {{.Scope}} {{.Labels.color}} {{json .Labels}}' data
c volume ls --format '{{.Name}} {{.Driver}} {{.Label "color"}} {{.Labels}}'
c volume ls --format 'table {{.Name}}\t{{.Driver}}'
c volume ls --format '{{.Nope}}'
c volume ls --format '{{.Name}'
c volume inspect -f '{{.Nope}} {{.Name}}' data
c network ls --format '{{.Nope}}'
c network ls --format '{{.Name}'
c network inspect -f '{{.Nope}}' front
c network inspect -f '{{.Name' front
c images --format '{{.Nope}}'
c images --format '{{.Repository'
c history --format '{{.Nope}}' busybox
c history --format '{{.ID}' busybox
c history --format 'table {{.CreatedBy}}|' busybox
c image inspect -f '{{.Nope}}' busybox
c image inspect -f '{{.Id' busybox
c ps --format '{{.ID}'
c ps -a --format 'table {{.Names}}\t{{.Label "com.example_x-y"}}'
c inspect -f '{{printf "%v %s %d %x %5.1f %t" .Config.Cmd .Name .State.Pid 255 2.25 true}}' web
c inspect -f '{{range $i, $c := .Config.Cmd}}{{$i}}={{$c}} {{end}}{{$x := .Name}}{{$x}}' web
c inspect -f '{{with .Config.Labels}}{{index . "a.b"}}{{end}} {{or .Config.Domainname "no-domain"}} {{and .State.Running "x"}}' web
c inspect -f '{{.State.Foo.Bar}}' web
c inspect -f '{{.Config.Labels.nope.deeper}}' web
c inspect -f '{{eq .State.ExitCode 0}} {{lt .State.Pid 1}} {{eq .Name "/web" "/x"}}' web
c inspect -f '{{println .Name}}{{print .Name .State.Pid 3 4 "x"}}' web
c inspect -f '{{slice .Name 1 3}} {{len .Name}} {{index .Name 1}} {{slice .Config.Cmd 1}}' web
c inspect -f '{{lower .State.Status | printf "%q"}} {{"a" | printf "%s-%s" "b"}}' web
c inspect -f '{{if and .Config.Labels (not .State.Running)}}y{{else}}n{{end}} {{index .Config.Labels "a.b" | len}}' web
c inspect -f '{{split .Config.Image "u"}} {{$v := index .Config.Cmd 0}}{{$v}} {{$v = "z"}}{{$v}}' web
c inspect -f '{{printf "%v|%s|%d" .Config.Labels .Config.Cmd .State.ExitCode}}' web
c inspect -f '{{printf "%s %d" 3 "x"}} {{printf "%s"}} {{printf "%d" 1 2}}' web
c inspect -f '{{range $i, $e := .Config.Cmd}}{{if $i}},{{end}}{{$e}}{{end}}' web
c inspect -f '{{range .Config.Cmd}}{{break}}{{end}}{{range $x := .Config.Cmd}}{{if eq $x "sleep"}}{{continue}}{{end}}{{$x}}{{end}}' web
c inspect -f '{{with $x := .Config.Labels}}{{len $x}}{{end}} {{with .State.Error}}err{{else}}no error{{end}}' web
c inspect -f '{{json .Config.Cmd}} {{json .State.Running}} {{json .Name}} {{json 3}} {{json "a<b"}}' web
c inspect -f '{{.Config.Cmd | len | printf "%03d"}} {{(index .Config.Cmd 1)}} {{ 1.5 }} {{ 0x1F }} {{ 1e3 }}' web
c inspect -f '{{range .Config.Cmd}}' web
c inspect -f '{{.Name | foo}}' web
c inspect -f '{{.Name | }}' web
c inspect -f '{{slice .Config.Cmd 3}}' web
c inspect -f '{{upper .State.Pid}}' web
c inspect -f '{{.Name 1}}' web
c inspect -f '{{nil}}' web
c inspect -f '{{lt .Name 1}}' web
c inspect -f '{{/* a comment */}}x {{- /* trimmed */ -}} y' web
c inspect -f '{{.HostConfig.Binds}} {{.State.Pid.Foo}}' web
c inspect -f '{{html "<a href='"'"'x'"'"'>&</a>"}} {{js "it'"'"'s <b>=\\"}} {{urlquery "a b&c/d" .Name}} {{call .Name}}' web
c inspect -f '{{printf "%5.2s|%-4d|%+.1e|%x|%X|%o|%c|%U" "abc" 7 1234.5 "hi" 255 8 65 65}}' web
c inspect -f '{{printf "%q %v %t" 65 .Config.Cmd 1}}' web
c inspect -f '{{.HostConfig.RestartPolicy}} {{.HostConfig.LogConfig}} {{.HostConfig.PortBindings}}' web
c inspect -f '{{.Config.ExposedPorts}} {{printf "%v" .HostConfig.RestartPolicy}} {{.HostConfig.RestartPolicy.Name}}' web
c inspect -f '{{range $p, $b := .HostConfig.PortBindings}}{{$p}}->{{(index $b 0).HostPort}}{{end}}' web
CASES

# format_case CMD... - run one case, its status, stdout and stderr into $OUT.N, N counting the
# cases. Docker's prefixes "Error response from daemon: " and "Error: " are left out, and so
# is minirun's "minirun: ": one error voice is a deliberate choice (docs/HACKING.md), the
# words after it must match
cat >"$T_TMP/format-case.sh" <<'FN'
format_case() {
	n=$((n + 1))
	{
		"$@" >"$OUT.o" 2>"$OUT.e"
		echo "status $?"
		echo "stdout:"; cat "$OUT.o"
		echo "stderr:"; sed "s/^Error response from daemon: //; s/^Error: //; s/^minirun: //" "$OUT.e"
	} >"$OUT.$n"
}
FN

same_as_docker() {
	ct_need
	[ -f "$CT_IMAGE_TAR" ] || t_skip "needs $CT_IMAGE_TAR"
	t_defer pk_dockerd_stop
	pk_dockerd_start "$T_DIR/dk"
	docker import -c 'CMD ["sh"]' "$CT_IMAGE_TAR" busybox:latest >/dev/null || t_fail "docker import"
	docker create --name web -l a.b=x -l com.example=y -p 8080:80 --restart on-failure:3 \
		busybox sleep 300 >/dev/null ||
		t_fail "docker create"
	docker network create --subnet 10.91.0.0/24 front >/dev/null || t_fail "docker network create"
	docker volume create --label color=blue data >/dev/null || t_fail "docker volume create"
	. "$T_TMP/format-case.sh"
	OUT=$T_DIR/docker n=0
	c() { format_case docker "$@"; }
	. "$T_TMP/format-cases.sh"
	docker rm web >/dev/null && docker network rm front >/dev/null &&
		docker volume rm data >/dev/null || t_fail "docker cleanup"
	pk_dockerd_stop
	ct_host '
		mr create --name web -l a.b=x -l com.example=y -p 8080:80 --restart on-failure:3 \
			busybox sleep 300 >/dev/null || die create
		mr network create --subnet 10.91.0.0/24 front >/dev/null || die "network create"
		mr volume create --label color=blue data >/dev/null || die "volume create"
		. "'"$T_TMP"'/format-case.sh"
		OUT="'"$T_DIR"'/minirun" n=0
		c() { format_case mr "$@"; }
		. "'"$T_TMP"'/format-cases.sh"
		mr rm web >/dev/null && mr network rm front >/dev/null && mr volume rm data >/dev/null ||
			die "rm"
		ct_noleaks
	' || t_fail "minirun side"
	i=1 bad=0
	while [ -f "$T_DIR/docker.$i" ]; do
		if ! cmp -s "$T_DIR/docker.$i" "$T_DIR/minirun.$i"; then
			echo "case $i: $(sed -n "${i}p" "$T_TMP/format-cases.sh")"
			diff "$T_DIR/docker.$i" "$T_DIR/minirun.$i" | sed "s/^/    /"
			bad=$((bad + 1))
		fi
		i=$((i + 1))
	done
	[ "$i" -gt 20 ] || t_fail "only $((i - 1)) cases ran"
	[ "$bad" = 0 ] || t_fail "$bad of $((i - 1)) cases differ from docker (< docker, > minirun)"
}
t "the same templates on docker and minirun print the same, with the same errors and status" same_as_docker

t_end
