# tests/integration/containers/format.t - Go templates in every -f / --format, against a real
# container and the busybox image: the course's inspect idioms (range over the networks,
# json, index, if/else, join, printf), ps --format 'table ...' with .Label, images and
# history --format, network and volume inspect -f and ls --format, and Go's messages and
# docker's exit codes for a template that does not parse or does not run. The same templates
# against a private dockerd: format-docker.t (tests/long.list, `make test-long`).
# Run: sh tests/integration/containers/format.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

inspect_idioms() {
	ct_need
	ct_host '
		mr run -d --name web -l a.b=x -l com.example=y busybox sleep 300 >/dev/null || die run
		ip=$(mr inspect -f "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}" web)
		echo "$ip" | grep -Eqx "[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+" || die "range over Networks: $ip"
		out=$(mr inspect -f "{{json .Config.Labels}}|{{index .Config.Labels \"a.b\"}}" web)
		[ "$out" = "{\"a.b\":\"x\",\"com.example\":\"y\"}|x" ] || die "json, index: $out"
		out=$(mr inspect -f "{{range \$k, \$v := .Config.Labels}}{{\$k}}={{\$v}} {{end}}" web)
		[ "$out" = "a.b=x com.example=y " ] || die "range \$k, \$v: $out"
		out=$(mr inspect -f "{{if eq .State.Status \"running\"}}up{{else}}down{{end}} {{join .Args \" \"}} {{printf \"%-6s|\" .Name}}" web)
		[ "$out" = "up 300 /web  |" ] || die "if eq, join, printf: $out"
		out=$(mr inspect -f "{{.Config.Labels}} {{len .Config.Labels}} {{upper .Config.Image}}" web)
		[ "$out" = "map[a.b:x com.example:y] 2 BUSYBOX" ] || die "map printing, len, upper: $out"
		out=$(mr inspect -f "{{.Config.Labels.nope}}|{{index .Config.Labels \"nope\"}}|" web)
		[ "$out" = "<no value>||" ] || die "a missing label: $out"
		out=$(mr inspect -f "{{with .State}}{{.Pid}}{{end}}" web)
		[ "$out" -gt 0 ] || die "with: $out"
		mr rm -f web >/dev/null
		ct_noleaks
	'
}
t "inspect -f: range over the networks, json, index, range \$k \$v, if eq, join, printf, with" inspect_idioms

inspect_errors() {
	ct_need
	ct_host '
		mr create --name web busybox true >/dev/null || die create
		out=$(mr inspect -f "{{" web 2>&1); rc=$?
		[ $rc = 64 ] || die "parse error: exit $rc, want 64 (docker)"
		[ "$out" = "template parsing error: template: :1: unclosed action" ] || die "parse error: $out"
		out=$(mr inspect -f "{{.Name }" web 2>&1); rc=$?
		[ "$out" = "template parsing error: template: :1: unexpected \"}\" in operand" ] ||
			die "operand: $out"
		err=$(mr inspect -f "{{.Foo}}" web 2>&1 >/dev/null); rc=$?
		[ $rc = 1 ] || die "execution error: exit $rc"
		[ "$err" = "template parsing error: template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"" ] ||
			die "execution error: $err"
		# docker writes one empty line when no object printed
		n=$(mr inspect -f "{{.Foo}}" web 2>/dev/null | wc -c)
		[ "$n" -eq 1 ] || die "stdout of a failed inspect -f: $n bytes, want one newline"
		[ "$(mr inspect -f "" web | head -n 1)" = "[" ] || die "-f \"\" is not the JSON"
		[ "$(mr images --format "" | head -n 1 | cut -c1-10)" = REPOSITORY ] ||
			die "images --format \"\" is not the table"
		out=$(mr inspect -f "{{.Name}}" web nosuch 2>"$R.err"); rc=$?
		[ $rc = 1 ] && [ "$out" = /web ] && [ "$(cat "$R.err")" = "minirun: No such object: nosuch" ] ||
			die "one found, one not: $rc $out $(cat "$R.err")"
		mr rm web >/dev/null
		ct_noleaks
	'
}
t "inspect -f: a parse error is Go's message and status 64, an execution error 1, nothing half printed" inspect_errors

ps_table() {
	ct_need
	ct_host '
		mr run -d --name web -l tier=front busybox sleep 300 >/dev/null || die run
		mr create --name db -l tier=back busybox true >/dev/null || die create
		out=$(mr ps -a --format "table {{.Names}}\t{{.Label \"tier\"}}\t{{.State}}")
		[ "$(echo "$out" | head -n 1)" = "NAMES     tier      STATE" ] || die "header (.Label: the key): $out"
		echo "$out" | grep -qx "web       front     running" || die "web row: $out"
		echo "$out" | grep -qx "db        back      created" || die "db row: $out"
		out=$(mr ps --format "table {{.ID}}\t{{.Image}}\t{{.Labels}}")
		echo "$out" | head -n 1 | grep -qx "CONTAINER ID   IMAGE     LABELS" || die "header: $out"
		echo "$out" | tail -n 1 | grep -Eqx "[0-9a-f]{12}   busybox   tier=front" || die "row: $out"
		out=$(mr ps -a --format "{{.Names}}:{{upper .State}}" | sort | tr "\n" " ")
		[ "$out" = "db:CREATED web:RUNNING " ] || die "plain template: $out"
		mr ps --format json | grep -q "^{\"Command\":\"\\\\\"sleep 300\\\\\"\",\"CreatedAt\":" ||
			die "json (keys sorted, as docker marshals a row): $(mr ps --format json)"
		out=$(mr ps -a --format "{{.Nope}}" 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "failed to execute template: template: :1:2: executing \"\" at <.Nope>: can'"'"'t evaluate field Nope in type *formatter.ContainerContext" ] ||
			die "execution error: $rc $out"
		out=$(mr ps --format "{{.ID}" 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "failed to parse template: template: :1: bad character U+007D '"'"'}'"'"'" ] ||
			die "parse error: $rc $out"
		mr rm -f web db >/dev/null
		ct_noleaks
	'
}
t "ps --format: table with a header and aligned columns, .Label, .Labels, json, Go's errors" ps_table

images_history() {
	ct_need
	ct_host '
		[ "$(mr images --format "{{.Repository}}:{{.Tag}}")" = busybox:latest ] ||
			die "images --format: $(mr images --format "{{.Repository}}:{{.Tag}}")"
		out=$(mr images --format "table {{.Repository}}\t{{.Tag}}\t{{.ID}}")
		echo "$out" | head -n 1 | grep -qx "REPOSITORY   TAG       IMAGE ID" || die "header: $out"
		echo "$out" | tail -n 1 | grep -Eqx "busybox      latest    [0-9a-f]{12}" || die "row: $out"
		mr images --format json | grep -q "^{\"Containers\":\"N/A\",\"CreatedAt\":" ||
			die "images json: $(mr images --format json)"
		out=$(mr history --format "{{.ID}}|{{.Size}}" busybox)
		echo "$out" | grep -Eqx "[0-9a-f]{12}\|[0-9.]+[kM]?B" || die "history --format: $out"
		out=$(mr history --format "table {{.ID}}\t{{.Size}}" busybox | head -n 1)
		[ "$out" = "IMAGE          SIZE" ] || die "history table: $out"
		out=$(mr image inspect -f "{{.Os}}/{{.Architecture}} {{json .Config.Cmd}} {{len .RootFS.Layers}}" busybox)
		[ "$out" = "linux/amd64 [\"sh\"] 1" ] || die "image inspect -f: $out"
		out=$(mr images --format "{{.Repository" 2>&1); rc=$?
		[ $rc = 1 ] && [ "$out" = "template parsing error: template: :1: unclosed action" ] ||
			die "images parse error: $rc $out"
		out=$(mr image inspect -f "{{.Nope}}" busybox 2>&1 >/dev/null); rc=$?
		[ $rc = 1 ] && [ "$out" = "template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"" ] ||
			die "image inspect error: $rc $out"
	'
}
t "images, history and image inspect take templates: table, json, Go's errors" images_history

network_volume() {
	ct_need
	ct_host '
		mr network create --subnet 10.91.0.0/24 front >/dev/null || die "network create"
		out=$(mr network inspect -f "{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}}" front)
		[ "$out" = "front bridge 10.91.0.0/24" ] || die "network inspect -f: $out"
		out=$(mr network ls --format "{{.Name}}/{{.Driver}}" | sort | tr "\n" " ")
		[ "$out" = "bridge/bridge front/bridge host/host none/null " ] || die "network ls --format: $out"
		out=$(mr network ls --format "table {{.Name}}\t{{.Scope}}" | head -n 1)
		[ "$out" = "NAME      SCOPE" ] || die "network ls table: $out"
		mr network inspect -f "{{" front >/dev/null 2>&1; rc=$?
		[ $rc = 64 ] || die "network inspect parse error: exit $rc"
		mr volume create --label color=blue data >/dev/null || die "volume create"
		out=$(mr volume inspect -f "{{.Name}} {{.Driver}} {{.Labels.color}} {{json .Labels}}" data)
		[ "$out" = "data local blue {\"color\":\"blue\"}" ] || die "volume inspect -f: $out"
		out=$(mr volume ls --format "{{.Name}} {{.Label \"color\"}} {{.Labels}}")
		[ "$out" = "data blue color=blue" ] || die "volume ls --format: $out"
		out=$(mr volume ls --format "table {{.Name}}\t{{.Driver}}")
		[ "$out" = "VOLUME NAME   DRIVER
data          local" ] || die "volume ls table: $out"
		[ "$(mr volume ls)" = "DRIVER    VOLUME NAME
local     data" ] || die "volume ls default: $(mr volume ls)"
		mr volume rm data >/dev/null && mr network rm front >/dev/null || die "rm"
		ct_noleaks
	'
}
t "network and volume: inspect -f and ls --format, with tables and .Label" network_volume

t_end
