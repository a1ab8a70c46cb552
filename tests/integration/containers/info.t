# tests/integration/containers/info.t - the verbs that look at containers, against real ones:
# ps (columns, -a -q -l -n --no-trunc, filters, --format), inspect (State refreshed, -f,
# several names, images, unknown names), port, diff, top, stats --no-stream, and the
# `container` group; each test checks that nothing is left behind.
# Run: sh tests/integration/containers/info.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

ps_columns() {
	ct_need
	ct_host '
		mr run -d --name web busybox sleep 300 >/dev/null || die "run -d"
		mr run --name gone busybox sh -c "exit 3"
		out=$(mr ps) || die "ps exited $?"
		echo "$out" | head -n 1 | grep -Eq "^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$" ||
			die "header: $out"
		echo "$out" | grep -Eq "^[0-9a-f]{12} +busybox +\"sleep 300\" +.* ago +Up .* +web$" ||
			die "running row: $out"
		echo "$out" | grep -q gone && die "ps without -a shows an exited container: $out"
		out=$(mr ps -a)
		echo "$out" | grep -Eq "^[0-9a-f]{12} +busybox +\"sh -c '"'"'exit 3'"'"'\" +.* ago +Exited \(3\) .* ago +gone$" ||
			die "exited row: $out"
		[ "$(mr ps -a | wc -l)" = 3 ] || die "ps -a: $(mr ps -a)"
		mr ps -q | grep -Eqx "[0-9a-f]{12}" || die "ps -q: $(mr ps -q)"
		mr ps -q --no-trunc | grep -Eqx "[0-9a-f]{64}" || die "ps -q --no-trunc: $(mr ps -q --no-trunc)"
		[ "$(mr ps -q -a | wc -l)" = 2 ] || die "ps -qa: $(mr ps -qa)"
		[ "$(mr ps -l --format "{{.Names}}")" = gone ] || die "ps -l: $(mr ps -l --format "{{.Names}}")"
		[ "$(mr ps -n 2 --format "{{.Names}}" | tr "\n" " ")" = "gone web " ] ||
			die "ps -n 2: $(mr ps -n 2 --format "{{.Names}}")"
		mr rm -f web gone >/dev/null || die "rm -f"
		[ "$(mr ps -a | wc -l)" = 1 ] || die "after rm: $(mr ps -a)"
		ct_noleaks
	'
}
t "ps: docker's columns, Up/Exited (3) ... ago, -a -q --no-trunc -l -n" ps_columns

ps_command_truncated() {
	ct_need
	ct_host '
		mr create --name long busybox sh -c "echo a long command line here" >/dev/null || die create
		out=$(mr ps -a --format "{{.Command}}|{{.Status}}|{{.State}}")
		[ "$out" = "\"sh -c '"'"'echo a long …\"|Created|created" ] || die "got: $out"
		out=$(mr ps -a --no-trunc --format "{{.Command}}")
		[ "$out" = "\"sh -c '"'"'echo a long command line here'"'"'\"" ] || die "--no-trunc: $out"
		mr rm long >/dev/null
		ct_noleaks
	'
}
t "ps: COMMAND quoted and cut at 20 characters with …, a created container's Status" ps_command_truncated

ps_paused() {
	ct_need
	ct_host '
		mr run -d --name web busybox sleep 300 >/dev/null || die run
		mr pause web >/dev/null || die pause
		out=$(mr ps --format "{{.Status}}|{{.State}}")
		echo "$out" | grep -Eqx "Up .* \(Paused\)\|paused" || die "paused: $out"
		[ "$(mr inspect -f "{{.State.Paused}} {{.State.Running}}" web)" = "true true" ] ||
			die "inspect: $(mr inspect -f "{{.State.Paused}} {{.State.Running}}" web)"
		mr unpause web >/dev/null || die unpause
		mr ps --format "{{.Status}}" | grep -Eqx "Up [^(]*" || die "unpaused: $(mr ps --format "{{.Status}}")"
		mr rm -f web >/dev/null
		ct_noleaks
	'
}
t "ps and inspect of a paused container: Up ... (Paused), State.Paused" ps_paused

ps_filters() {
	ct_need
	ct_host '
		mr run -d --name web -l app=shop -l tier=front busybox sleep 300 >/dev/null || die run
		mr run -d --name db -l app=shop busybox sleep 300 >/dev/null || die run
		mr run --name job busybox true || die run
		f() { mr ps -a --format "{{.Names}}" "$@" | sort | tr "\n" " "; }
		[ "$(f -f name=we)" = "web " ] || die "name=we: $(f -f name=we)"
		[ "$(f -f status=exited)" = "job " ] || die "status=exited: $(f -f status=exited)"
		[ "$(f -f status=running)" = "db web " ] || die "status=running"
		[ "$(f -f label=app=shop)" = "db web " ] || die "label=app=shop"
		[ "$(f -f label=tier)" = "web " ] || die "label=tier"
		[ "$(f -f label=app=shop -f name=db)" = "db " ] || die "two keys are and"
		[ "$(f -f name=db -f name=job)" = "db job " ] || die "one key twice is or"
		[ "$(f -f ancestor=busybox)" = "db job web " ] || die "ancestor=busybox"
		[ "$(f -f ancestor=busybox:latest)" = "db job web " ] || die "ancestor=busybox:latest"
		[ "$(f -f ancestor=nosuch)" = "" ] || die "ancestor=nosuch"
		[ "$(f -f exited=0)" = "job " ] || die "exited=0"
		id=$(mr ps -q -f name=db)
		[ "$(f -f id=$id)" = "db " ] || die "id=$id"
		[ "$(f -f before=db)" = "web " ] || die "before=db: $(f -f before=db)"
		[ "$(f -f since=web)" = "db job " ] || die "since=web: $(f -f since=web)"
		out=$(mr ps -f bogus=1 2>&1); rc=$?
		[ $rc = 1 ] || die "bad filter: exit $rc (docker: 1)"
		echo "$out" | grep -q "Invalid filter .bogus." || die "bad filter message: $out"
		mr rm -f web db job >/dev/null
		ct_noleaks
	'
}
t "ps -f: name= status= label= ancestor= exited= id= before= since=; keys and, values or; a bad filter is 1, as docker" ps_filters

ps_filters_ports_networks_volumes() {
	ct_need
	ct_host '
		mr network create shopnet >/dev/null || die "network create"
		mr run -d --name web -p 8080:80 --network shopnet busybox sleep 300 >/dev/null || die run
		mr run -d --name db -v dbdata:/data busybox sleep 300 >/dev/null || die "run -v"
		f() { mr ps -a --format "{{.Names}}" "$@" | sort | tr "\n" " "; }
		[ "$(f -f publish=80)" = "web " ] || die "publish=80: $(f -f publish=80)"
		[ "$(f -f publish=80/udp)" = "" ] || die "publish=80/udp"
		[ "$(f -f expose=80/tcp)" = "web " ] || die "expose=80/tcp"
		[ "$(f -f network=shopnet)" = "web " ] || die "network=shopnet: $(f -f network=shopnet)"
		[ "$(f -f network=bridge)" = "db " ] || die "network=bridge: $(f -f network=bridge)"
		[ "$(f -f volume=dbdata)" = "db " ] || die "volume=dbdata: $(f -f volume=dbdata)"
		[ "$(f -f volume=/data)" = "db " ] || die "volume=/data"
		mr rm -f -v web db >/dev/null
		mr volume rm dbdata >/dev/null 2>&1
		mr network rm shopnet >/dev/null || die "network rm"
		ct_noleaks
	'
}
t "ps -f: publish= expose= network= volume=" ps_filters_ports_networks_volumes

ps_format() {
	ct_need
	ct_host '
		mr run -d --name web busybox sleep 300 >/dev/null || die run
		[ "$(mr ps --format "{{.Names}} {{.Image}} {{.State}}")" = "web busybox running" ] ||
			die "template: $(mr ps --format "{{.Names}} {{.Image}} {{.State}}")"
		out=$(mr ps --format "table {{.Names}}\t{{.Status}}")
		echo "$out" | head -n 1 | grep -Eq "^NAMES +STATUS$" || die "table header: $out"
		echo "$out" | tail -n 1 | grep -Eq "^web +Up " || die "table row: $out"
		out=$(mr ps --format json)
		echo "$out" | grep -q "\"Names\": *\"web\"" || die "json: $out"
		echo "$out" | grep -q "\"State\": *\"running\"" || die "json: $out"
		mr ps --format "{{.CreatedAt}}" | grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} \+0000 UTC$" ||
			die "CreatedAt: $(mr ps --format "{{.CreatedAt}}")"
		mr ps -s --format "{{.Size}}" | grep -Eq "^[0-9.]+k?B \(virtual [0-9.]+[kM]?B\)$" ||
			die "size: $(mr ps -s --format "{{.Size}}")"
		mr rm -f web >/dev/null
		ct_noleaks
	'
}
t "ps --format: a template, table with a header, json, CreatedAt, -s sizes" ps_format

inspect_record() {
	ct_need
	ct_host '
		id=$(mr run -d --name web busybox sleep 300) || die run
		mr run --name gone busybox sh -c "exit 7"
		out=$(mr inspect -f "{{.State.Status}} {{.State.Running}} {{.Name}} {{.Config.Image}}" web gone)
		[ "$out" = "running true /web busybox
exited false /gone busybox" ] || die "inspect -f: $out"
		pid=$(mr inspect -f "{{.State.Pid}}" web)
		[ "$pid" -gt 0 ] && [ -d /proc/$pid ] || die "State.Pid $pid is not a live process"
		[ "$(mr inspect -f "{{.State.ExitCode}}" gone)" = 7 ] || die ExitCode
		# the image'"'"'s layers, as run resolved them: what the monitor mounts
		low=$(mr inspect -f "{{.GraphDriver.Data.LowerDir}}" web)
		case $low in "$R"/layers/sha256/*) ;; *) die "LowerDir: $low" ;; esac
		[ -d "$low/bin" ] || die "LowerDir $low holds no bin/"
		mr inspect -s -f "{{.SizeRw}} {{.SizeRootFs}}" gone | grep -Eqx "0 [1-9][0-9]+" ||
			die "inspect -s: $(mr inspect -s -f "{{.SizeRw}} {{.SizeRootFs}}" gone)"
		[ "$(mr inspect -f "{{.Id}}" "$(echo $id | cut -c1-8)")" = "$id" ] || die "by ID prefix"
		out=$(mr inspect web) || die "inspect exited $?"
		echo "$out" | head -n 1 | grep -qx "\[" || die "not a JSON array: $out"
		echo "$out" | grep -q "\"Id\": \"$id\"" || die "no Id: $out"
		out=$(mr inspect nosuch 2>&1 >/dev/null); rc=$?
		[ $rc = 1 ] || die "unknown name: exit $rc"
		[ "$out" = "minirun: No such object: nosuch" ] || die "unknown name: $out"
		[ "$(mr inspect nosuch 2>/dev/null)" = "[]" ] || die "unknown name prints []"
		out=$(mr inspect -f "{{.RepoTags}}" busybox) || die "image fall-through exited $?"
		[ "$out" = "[busybox:latest]" ] || die "image fall-through: $out"
		mr rm -f web gone >/dev/null
		ct_noleaks
	'
}
t "inspect: the record with State from the processes, -f, several names, images, No such object" inspect_record

port_lines() {
	ct_need
	ct_host '
		mr run -d --name web -p 8080:80 -p 127.0.0.1:5353:53/udp busybox sleep 300 >/dev/null ||
			die "run -p"
		out=$(mr port web)
		[ "$out" = "53/udp -> 127.0.0.1:5353
80/tcp -> 0.0.0.0:8080" ] || die "port: $out"
		[ "$(mr port web 80)" = "0.0.0.0:8080" ] || die "port web 80: $(mr port web 80)"
		[ "$(mr port web 53/udp)" = "127.0.0.1:5353" ] || die "port web 53/udp"
		out=$(mr port web 81 2>&1); rc=$?
		[ $rc = 1 ] || die "unpublished port: exit $rc"
		[ "$out" = "minirun: No public port '"'"'81/tcp'"'"' published for web" ] || die "$out"
		mr ps --format "{{.Ports}}" | grep -qx "127.0.0.1:5353->53/udp, 0.0.0.0:8080->80/tcp" ||
			die "ps PORTS: $(mr ps --format "{{.Ports}}")"
		mr stop -t 0 web >/dev/null
		[ -z "$(mr port web)" ] || die "a stopped container publishes nothing: $(mr port web)"
		mr rm -f web >/dev/null
		ct_noleaks
	'
}
t "port: PORT/proto -> HOST:PORT lines, one port, an unpublished one is an error" port_lines

ps_port_ranges() {
	ct_need
	ct_host '
		mr run -d --name rg -p 8000-8002:8000-8002 -p 9000-9001:90-91 -p 127.0.0.1:5353:53/udp \
			busybox sleep 300 >/dev/null || die "run -p ranges"
		want="0.0.0.0:8000-8002->8000-8002/tcp, 127.0.0.1:5353->53/udp, 0.0.0.0:9000->90/tcp, 0.0.0.0:9001->91/tcp"
		out=$(mr ps --format "{{.Ports}}")
		[ "$out" = "$want" ] || die "ps --format {{.Ports}}: $out"
		mr ps | grep -qF "   $want   rg" || die "the PORTS column: $(mr ps)"
		out=$(mr port rg)
		[ "$(echo "$out" | wc -l)" = 6 ] || die "port: one line a port: $out"
		echo "$out" | grep -qx "8001/tcp -> 0.0.0.0:8001" || die "port: 8001 on its own line: $out"
		echo "$out" | grep -qx "91/tcp -> 0.0.0.0:9001" || die "port: 91 on its own line: $out"
		mr rm -f rg >/dev/null
		ct_noleaks
	'
}
t "ps: ports published on the same host ports collapse to 0.0.0.0:8000-8002->8000-8002/tcp, others one each, as docker's; port keeps a line each" ps_port_ranges

diff_changes() {
	ct_need
	ct_host '
		mr run --name dd busybox sh -c "echo hi >/etc/motd; rm /etc/group; mkdir -p /srv/www; echo x >/srv/www/i" ||
			die run
		out=$(mr diff dd)
		[ "$out" = "C /etc
D /etc/group
A /etc/motd
A /srv
A /srv/www
A /srv/www/i" ] || die "diff: $out"
		mr run --name clean busybox true || die run
		[ -z "$(mr diff clean)" ] || die "a container that changed nothing: $(mr diff clean)"
		mr rm dd clean >/dev/null
		ct_noleaks
	'
}
t "diff: A added, C changed (and the parents), D deleted; nothing for a container that changed nothing" diff_changes

top_processes() {
	ct_need
	ct_host '
		mr run -d --name web busybox sh -c "sleep 301 & sleep 302 & wait" >/dev/null || die run
		sleep 0.3
		out=$(mr top web) || die "top exited $?"
		echo "$out" | head -n 1 | grep -Eq "^UID +PID +PPID +C +STIME +TTY +TIME +CMD$" || die "header: $out"
		pid=$(mr inspect -f "{{.State.Pid}}" web)
		echo "$out" | grep -Eq "^root +$pid +[0-9]+ +[0-9]+ +[0-9:A-Za-z]+ +\? +00:00:00 +sh -c sleep 301 & sleep 302 & wait$" ||
			die "the init row: $out"
		echo "$out" | grep -Eq "^root +[0-9]+ +$pid .* sleep 301$" || die "the child row: $out"
		[ "$(echo "$out" | wc -l)" = 4 ] || die "three processes: $out"
		# other ps options go to ps(1); still only the rows of the container
		out=$(mr top web aux) || die "top aux exited $?"
		echo "$out" | head -n 1 | grep -Eq "^USER +PID +%CPU +%MEM .* +COMMAND$" || die "aux header: $out"
		[ "$(echo "$out" | wc -l)" = 4 ] || die "aux: three processes: $out"
		echo "$out" | grep -Eq "^root +$pid .* sh -c sleep 301 & sleep 302 & wait$" || die "aux: the init row: $out"
		out=$(mr top web -o pid,comm) || die "top -o pid,comm exited $?"
		[ "$(echo "$out" | head -n 1)" = "PID                 COMMAND" ] || die "-o pid,comm header: $out"
		echo "$out" | sed 1d | awk "{ print \$2 }" | sort | tr "\n" " " | grep -qx "sh sleep sleep " ||
			die "-o pid,comm rows: $out"
		echo "$out" | grep -Eq "^$pid +sh$" || die "-o pid,comm: the init row: $out"
		out=$(mr top web -o comm 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "no PID column" || die "ps options without a PID column: $rc $out"
		out=$(mr top web --no-such-ps-option 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "minirun: ps --no-such-ps-option failed" || die "a bad ps option: $rc $out"
		mr stop -t 0 web >/dev/null
		out=$(mr top web 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "is not running" || die "top of a stopped one: $rc $out"
		mr rm web >/dev/null
		ct_noleaks
	'
}
t "top: ps -ef (or any ps options: aux, -o pid,comm) for the container's processes only, host pids; stopped is an error" top_processes

stats_no_stream() {
	ct_need
	ct_host '
		mr run -d --name web busybox sh -c "sleep 300 & sleep 300 & wait" >/dev/null || die run
		mr run -d --name lim -m 64m busybox sleep 300 >/dev/null || die "run -m"
		out=$(mr stats --no-stream) || die "stats exited $?"
		echo "$out" | head -n 1 | grep -Eq "^CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS$" ||
			die "header: $out"
		echo "$out" | grep -Eq "^[0-9a-f]{12} +web +[0-9.]+% +[0-9.]+[KM]iB / [0-9.]+GiB +[0-9.]+% +[0-9.]+k?B / [0-9.]+k?B +[0-9.]+k?B / [0-9.]+k?B +3$" ||
			die "web row: $out"
		echo "$out" | grep -Eq "^[0-9a-f]{12} +lim +[0-9.]+% +[0-9.]+[KM]iB / 64MiB +" ||
			die "the -m limit is the LIMIT: $out"
		out=$(mr stats --no-stream --format "{{.Name}}:{{.PIDs}}" web)
		[ "$out" = "web:3" ] || die "format: $out"
		# streaming: redrawn every second until interrupted; the SIGINT comes once it has
		# redrawn (or after 10 s), through timeout, which hands it on (what & started in a
		# shell without job control ignores SIGINT: timeout sets it back for stats)
		timeout --preserve-status -s INT 10 "$MINIRUN" --root "$R" stats web >"$R.stats" &
		sp=$!
		i=0
		until [ "$(grep -c "CONTAINER ID" "$R.stats")" -ge 2 ] || [ $i -ge 100 ]; do
			i=$((i + 1)); sleep 0.1
		done
		kill -INT $sp
		wait $sp; rc=$?
		out=$(cat "$R.stats")
		[ $rc = 0 ] || die "stats ended by SIGINT: exit $rc"
		[ "$(echo "$out" | grep -c "CONTAINER ID")" -ge 2 ] || die "not redrawn: $out"
		mr rm -f web lim >/dev/null
		ct_noleaks
	'
}
t "stats: docker's columns from the cgroup (PIDS, -m as LIMIT), --format; redrawn until Ctrl-C" stats_no_stream

container_group() {
	ct_need
	ct_host '
		mr container run -d --name web busybox sleep 300 >/dev/null || die "container run"
		mr container ls | grep -Eq " web$" || die "container ls: $(mr container ls)"
		[ "$(mr container inspect -f "{{.State.Status}}" web)" = running ] || die "container inspect"
		mr container rm -f web >/dev/null || die "container rm -f"
		[ "$(mr container ls -a -q)" = "" ] || die "after rm"
		out=$(mr container frob 2>&1); rc=$?
		[ $rc = 1 ] && echo "$out" | grep -q "unknown command" || die "unknown: $rc $out"
		ct_noleaks
	'
}
t "container ls|run|inspect|rm: docker's management names reach the same verbs" container_group

t_end
