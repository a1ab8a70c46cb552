# tests/integration/compose/up.t - `minirun compose up -d`, `ps` and `down` for image-only
# services: docker compose's names (PROJECT-SERVICE-N, PROJECT_default, PROJECT_VOLUME) and
# labels, services reaching each other by service name and alias on the project network,
# a second `up` that changes nothing, an edited service recreated alone, `down -v` leaving
# nothing. Each test runs in a throwaway namespace playing the host
# (tests/integration/containers/lib.sh's ct_host).
# Run: sh tests/integration/compose/up.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the project every test starts from, written into the current directory by ct_host's script
PROJECT='
mkdir -p $R/../demo && cd $R/../demo || die cd
cat >compose.yaml <<EOF2
services:
  web:
    image: busybox
    command: sh -c "mkdir -p /www && echo hello-web >/www/index.html && exec httpd -f -p 80 -h /www"
    volumes: [data:/data]
    networks:
      default:
        aliases: [www]
  client:
    image: busybox
    command: sleep 300
    depends_on: [web]
    environment:
      ROLE: client
volumes:
  data:
EOF2
mc() { mr compose -p demo "$@"; }
get() { mr exec demo-client-1 sh -c "printf \"GET / HTTP/1.0\r\n\r\n\" | nc -w 3 $1 80" | tail -n 1; }
'

up_names_labels_reach() {
	ct_need net
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	out=$(ct_host "$PROJECT"'
		mc up -d || die "up failed"
		echo "names: $(mr ps --format "{{.Names}}" | sort | tr "\n" " ")"
		echo "net: $(mr network ls | grep -o "demo_[a-z]*")"
		echo "vol: $(mr volume ls -q | grep demo)"
		echo "labels: $(mr inspect demo-web-1 | jq -r ".[0].Config.Labels | [.[\"com.docker.compose.project\"], .[\"com.docker.compose.service\"], .[\"com.docker.compose.container-number\"], .[\"com.docker.compose.oneoff\"]] | join(\" \")")"
		echo "env: $(mr exec demo-client-1 sh -c "echo \$ROLE")"
		i=0; until [ "$(get web)" = hello-web ] || [ $i -gt 30 ]; do sleep 0.2; i=$((i+1)); done
		echo "by name: $(get web)"
		echo "by alias: $(get www)"
		echo "ps: $(mc ps --services | sort | tr "\n" " ")"
		mc down -v || die "down failed"
		echo "after: $(mr ps -aq | wc -l) $(mr network ls -q | wc -l) $(mr volume ls -q | wc -l)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^names: demo-client-1 demo-web-1 $' "PROJECT-SERVICE-N"
	t_match "$out" '^net: demo_default$' "the project network"
	t_match "$out" '^vol: demo_data$' "the project volume"
	t_match "$out" '^labels: demo web 1 False$' "compose's labels"
	t_match "$out" 'Container demo-client-1  Removed' "down names what it removes"
	t_match "$out" '^env: client$' "environment"
	t_match "$out" '^by name: hello-web$' "client reaches web by its service name"
	t_match "$out" '^by alias: hello-web$' "and by its alias"
	t_match "$out" '^ps: client web $' "compose ps --services"
	t_match "$out" '^after: 0 3 0$' "down -v leaves only the predefined networks (bridge, host, none)"
}
t "up -d: compose's names and labels, services reach each other by name; down -v" \
	up_names_labels_reach

up_idempotent_recreate() {
	ct_need net
	out=$(ct_host "$PROJECT"'
		mc up -d 2>/dev/null || die "up failed"
		web1=$(mr inspect -f "{{.Id}}" demo-web-1) client1=$(mr inspect -f "{{.Id}}" demo-client-1)
		mc up -d 2>&1 | sed "s/^/second: /"
		[ "$(mr inspect -f "{{.Id}}" demo-web-1)" = "$web1" ] && echo "web kept"
		sed -i "s/sleep 300/sleep 301/" compose.yaml
		mc up -d 2>&1 | sed "s/^/edited: /"
		[ "$(mr inspect -f "{{.Id}}" demo-web-1)" = "$web1" ] && echo "web still kept"
		[ "$(mr inspect -f "{{.Id}}" demo-client-1)" != "$client1" ] && echo "client recreated"
		mr stop demo-web-1 >/dev/null
		mc up -d 2>&1 | sed "s/^/restarted: /"
		mc up -d --force-recreate web 2>&1 | sed "s/^/forced: /"
		sed -i "s/^  client:/  client2:/" compose.yaml
		mc up -d 2>&1 | grep -i orphan | sed "s/^/orphan: /"
		mc up -d --remove-orphans 2>&1 | grep demo-client-1 | sed "s/^/removed: /"
		mc down -v 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^second: +Container demo-web-1 +Running$' "an unchanged service is left alone"
	t_match "$out" '^web kept$'
	t_match "$out" '^edited: +Container demo-client-1 +Recreate$' "a changed service is recreated"
	t_match "$out" '^web still kept$' "only the changed service"
	t_match "$out" '^client recreated$'
	t_match "$out" '^restarted: +Container demo-web-1 +Started$' "a stopped one is started"
	t_match "$out" '^forced: +Container demo-web-1 +Recreate$' "--force-recreate SERVICE"
	t_nomatch "$out" '^forced: +Container demo-client' "only the service named"
	t_match "$out" '^orphan: .*Found orphan container \(demo-client-1\)' "a renamed service's container"
	t_match "$out" '^removed: +Container demo-client-1 +Removed$' "up --remove-orphans"
}
t "a second up changes nothing; an edited service alone is recreated" up_idempotent_recreate

up_networks() {
	ct_need net
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	out=$(ct_host '
		mkdir -p $R/../nets && cd $R/../nets || die cd
		cat >compose.yaml <<EOF2
services:
  db:
    image: busybox
    command: sh -c "mkdir -p /w && echo hello-db >/w/index.html && exec httpd -f -p 80 -h /w"
    networks: [back]
  api:
    image: busybox
    command: sleep 300
    stop_grace_period: 3s
    networks:
      front:
      back:
        aliases: [backend-api]
  web:
    image: busybox
    command: sleep 300
    networks: [front]
networks:
  front:
  back:
EOF2
		get() { mr exec "$1" sh -c "printf \"GET / HTTP/1.0\r\n\r\n\" | nc -w 2 $2 80" 2>&1 | tail -n 1; }
		mr compose -p shop up -d 2>/dev/null || die "up failed"
		echo "nets: $(mr network ls | grep -o "shop_[a-z]*" | sort | tr "\n" " ")"
		i=0; until [ "$(get shop-api-1 db)" = hello-db ] || [ $i -gt 30 ]; do sleep 0.2; i=$((i+1)); done
		echo "api->db: $(get shop-api-1 db)"
		echo "web->db: $(get shop-web-1 db | grep -c hello)"
		echo "web->api: $(mr exec shop-web-1 ping -c 1 -W 2 api >/dev/null 2>&1 && echo ok)"
		echo "db->alias: $(mr exec shop-db-1 ping -c 1 -W 2 backend-api >/dev/null 2>&1 && echo ok)"
		echo "stop timeout: $(mr inspect shop-api-1 | jq .[0].Config.StopTimeout)"
		mr compose -p shop down -t 1 2>/dev/null || die "down failed"
		echo "after: $(mr network ls | grep -c shop_)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^nets: shop_back shop_front $' "a network per key, PROJECT_KEY"
	t_match "$out" '^api->db: hello-db$' "a service on two networks reaches both"
	t_match "$out" '^web->db: 0$' "a service does not reach a network it is not on"
	t_match "$out" '^web->api: ok$' "peers see it by service name"
	t_match "$out" '^db->alias: ok$' "and on its second network by that network's alias"
	t_match "$out" '^stop timeout: 3$' "stop_grace_period is the stop timeout"
	t_match "$out" '^after: 0$' "down removes both networks"
}
t "services on several networks: reach by network, aliases per network" up_networks

up_override_port() {
	ct_need net
	out=$(ct_host "$PROJECT"'
		printf "services:\n  web:\n    ports: [\"127.0.0.1:8080:80\"]\n" >compose.override.yaml
		mc -f compose.yaml up -d 2>/dev/null || die "up (base only) failed"
		echo "base only: $(mr port demo-web-1 | wc -l)"
		mc up -d 2>&1 | grep demo-web-1 | sed "s/^/with override: /"
		ct_wait_http 127.0.0.1:8080 || echo "no answer on 8080"
		echo "dev port: $(ct_get 127.0.0.1:8080)"
		echo "port: $(mc port web 80)"
		mc down -v 2>/dev/null || die "down failed"
		echo "after: $(ct_get 127.0.0.1:8080 | grep -c hello)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^base only: 0$' "-f compose.yaml alone publishes nothing"
	t_match "$out" '^with override: +Container demo-web-1 +Recreate$' "the override changes web"
	t_match "$out" '^dev port: hello-web$' "the override's port answers"
	t_match "$out" '^port: 127.0.0.1:8080$' "compose port SERVICE 80"
	t_match "$out" '^after: 0$' "down unpublishes it"
}
t "compose.override.yaml adds a dev port; a second up recreates web with it" up_override_port

up_order_replicas() {
	ct_need
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	out=$(ct_host '
		mkdir -p $R/../ord && cd $R/../ord || die cd
		cat >compose.yaml <<EOF2
services:
  migrate:
    image: busybox
    command: sh -c "sleep 1; exit \${CODE:-0}"
  app:
    image: busybox
    command: sleep 300
    depends_on:
      migrate: {condition: service_completed_successfully}
    deploy:
      replicas: 2
EOF2
		mr compose -p ord up -d 2>&1 | sed "s/^/up: /"
		echo "app: $(mr ps --format "{{.Names}}" | sort | tr "\n" " ")"
		echo "migrate: $(mr inspect ord-migrate-1 | jq .[0].State.ExitCode)"
		mr compose -p ord down -t 1 2>/dev/null || die "down failed"
		CODE=3 mr compose -p ord up -d 2>&1 | sed "s/^/failing: /"
		echo "after failure: $(mr ps -a --format "{{.Names}}" | tr "\n" " ")"
		mr compose -p ord down -t 1 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^up: +Container ord-migrate-1 +Started$'
	t_match "$out" '^app: ord-app-1 ord-app-2 $' "deploy.replicas: PROJECT-SERVICE-1 and -2"
	t_match "$out" '^migrate: 0$' "app waited for migrate to complete"
	t_match "$out" "^failing: minirun: service \"migrate\" didn't complete successfully: exit 3$" \
		"a dependency exiting non-zero fails up with docker's message"
	t_match "$out" '^after failure: ord-migrate-1 $' "what was started stays, app is not made"
}
t "service_completed_successfully waits; a failing one stops up; replicas" up_order_replicas

verbs_over_containers() {
	ct_need net
	out=$(ct_host "$PROJECT"'
		mc up -d 2>/dev/null || die "up failed"
		echo "exec: $(mc exec -T client sh -c "echo \$ROLE")"
		mc logs --no-color web >/dev/null 2>&1 || die "logs failed"
		mc stop -t 1 client 2>&1 | sed "s/^/stop: /"
		echo "after stop: $(mc ps --services | tr "\n" " ")"
		mc start client >/dev/null 2>&1 || die "start failed"
		echo "after start: $(mc ps --services | tr "\n" " ")"
		echo "top: $(mc top web | head -n 1)"
		mr compose ls | sed "s/^/ls: /"
		mc down -t 1 -v 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^exec: client$' "exec -T runs in the service's container with its env"
	t_match "$out" '^stop: +Container demo-client-1 +Stopped$' "stop says what it stopped, as v2"
	t_match "$out" '^after stop: web $' "only the named service stopped"
	t_match "$out" '^after start: client web $' "start brings it back"
	t_match "$out" '^top: demo-web-1$' "top heads each container's table with its name"
	t_match "$out" '^ls: demo +running\(2\) +/.*/demo/compose.yaml$' "compose ls, from the labels"
}
t "exec, stop, start, top over a service's containers; ls" verbs_over_containers

scale() {
	ct_need net
	out=$(ct_host "$PROJECT"'
		mc up -d --scale web=3 2>/dev/null || die "up failed"
		echo "webs: $(mr ps --format "{{.Names}}" | grep web | sort | tr "\n" " ")"
		for n in 1 2 3; do
			i=0; until [ "$(get demo-web-$n)" = hello-web ] || [ $i -gt 30 ]; do sleep 0.2; i=$((i+1)); done
			echo "web-$n: $(get demo-web-$n)"
		done
		mc up -d --scale web=1 2>&1 | grep Removed | sed "s/^/down to 1: /"
		echo "left: $(mr ps -a --format "{{.Names}}" | grep web | tr "\n" " ")"
		mc up -d --scale nope=2 2>&1 | sed "s/^/bad: /"
		mc down -t 1 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^webs: demo-web-1 demo-web-2 demo-web-3 $' "--scale web=3"
	t_match "$out" '^web-1: hello-web$' "each reachable by its name"
	t_match "$out" '^web-2: hello-web$'
	t_match "$out" '^web-3: hello-web$'
	t_match "$out" '^down to 1: +Container demo-web-3 +Removed$' "scaling down removes the highest"
	t_match "$out" '^left: demo-web-1 $'
	t_match "$out" '^bad: minirun: --scale nope: no such service$'
}
t "up --scale web=3 gives three reachable containers; scaling down removes" scale

compose_run() {
	ct_need net
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	out=$(ct_host "$PROJECT"'
		echo "out: $(mc run --rm -T -e EXTRA=x client sh -c "echo \$ROLE-\$EXTRA" 2>/dev/null)"
		echo "web started: $(mr ps --format "{{.Names}}" | grep -c demo-web-1)"
		mc run --rm -T --no-deps client sh -c "exit 3" 2>/dev/null
		echo "status: $?"
		echo "one-offs left: $(mr ps -a --format "{{.Names}}" | grep -c run)"
		mc run -T client true 2>/dev/null
		echo "kept: $(mr inspect $(mr ps -aq --filter label=com.docker.compose.oneoff=True) | jq -r ".[0].Name")"
		mc down -t 1 --remove-orphans 2>/dev/null || die "down failed"
		echo "after: $(mr ps -aq | wc -l)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^out: client-x$' "the service's environment, and -e"
	t_match "$out" '^web started: 1$' "its dependency is started first"
	t_match "$out" '^status: 3$' "the one-off's exit status"
	t_match "$out" '^one-offs left: 0$' "--rm removes it"
	t_match "$out" '^kept: /demo-client-run-[0-9a-f]{12}$' "PROJECT-SERVICE-run-HEX, oneoff=True"
	t_match "$out" '^after: 0$' "down removes one-offs too"
}
t "run: a one-off container of a service, its dependencies first" compose_run

logs_prefixed() {
	ct_need
	out=$(ct_host '
		mkdir -p $R/../logs && cd $R/../logs || die cd
		printf "services:\n  a:\n    image: busybox\n    command: sh -c \"echo one; echo two\"\n  bb:\n    image: busybox\n    command: echo three\n" >compose.yaml
		mr -v compose -p lg up -d 2>&1 | grep "^=> minirun run" | sed "s/^/narrated: /"
		mr wait lg-a-1 lg-bb-1 >/dev/null
		mr compose -p lg logs --no-color | sort
		mr compose -p lg logs --no-color bb | sed "s/^/only bb: /"
		mr compose -p lg down 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" "^narrated: => minirun run -d --name lg-a-1 -l com.docker.compose.project=lg .* busybox sh -c 'echo one; echo two'\$" \
		"-v prints the run command a service stands for"
	t_match "$out" '^lg-a-1  \| one$' "each line behind its container's name, padded"
	t_match "$out" '^lg-a-1  \| two$'
	t_match "$out" '^lg-bb-1 \| three$'
	t_match "$out" '^only bb: lg-bb-1 \| three$' "logs SERVICE"
	t_nomatch "$out" '^only bb: lg-a-1' "only that service"
}
t "logs: every container's lines behind its name; -v narrates up as run" logs_prefixed

up_bad_input() {
	ct_need
	out=$(ct_host "$PROJECT"'
		mc up -d --scale nosuch=2 2>&1 && die "accepted --scale of no service"
		mc up -d --build --no-build 2>&1 && die "accepted --build with --no-build"
		echo "containers: $(mr ps -aq | wc -l) networks: $(mr network ls -q | wc -l)"
		ct_noleaks') || t_fail "$out"
	t_match "$out" 'minirun: --scale nosuch: no such service' "refused before anything is made"
	t_match "$out" 'minirun: compose up: --build and --no-build are incompatible' "conflicting flags"
	t_match "$out" '^containers: 0 networks: 3$' "nothing half-made (the networks: the three built in)"
}
t "what up cannot do yet is refused before anything is made" up_bad_input

t_end
