#!/bin/sh
# labs/05-compose/01-first-app/lab.sh - a two-service compose project: compose up -d makes
# PROJECT-SERVICE-N containers on PROJECT_default, and the client reaches the web server by
# its service name (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab first-app STEP`)
#
# The lab's store and host namespace come from mrlab.sh (through composelab.sh): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=first-app
. "$(dirname "$0")/../composelab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', in the project directory $LAB_STATE/hello:
  mkdir -p $LAB_STATE/hello; cp labs/05-compose/01-first-app/compose.yaml $LAB_STATE/hello/
  cd $LAB_STATE/hello
  minirun -v compose up -d 2>&1 | grep -e '^=> minirun run' -e '^ ' > $LAB_STATE/up.txt
  minirun compose ps > $LAB_STATE/ps.txt
  minirun compose exec client wget -q -O - http://web/ > $LAB_STATE/byname.txt
  minirun compose logs client | tail -n 3 > $LAB_STATE/logs.txt   (once it has run 3 s)
HINT
}

setup_() { :; }

run_() {
	need_compose
	mkdir -p "$LAB_STATE/hello"
	cp labs/05-compose/01-first-app/compose.yaml "$LAB_STATE/hello/"
	cd "$LAB_STATE/hello" || exit 1
	cat compose.yaml
	minirun -v compose up -d 2>&1 | grep -e '^=> minirun run' -e '^ ' | tee "$LAB_STATE/up.txt"
	minirun compose ps | tee "$LAB_STATE/ps.txt"
	minirun ps
	minirun network ls
	fetch http://web/ | tee "$LAB_STATE/byname.txt"
	minirun compose exec client cat /etc/hosts
	# the client fetches once a second: wait for three lines of it
	_i=0
	until [ "$(minirun compose logs client | grep -c 'hello from web')" -ge 3 ] || [ $_i -gt 50 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	minirun compose logs client | tail -n 3 | tee "$LAB_STATE/logs.txt"
}

check_() {
	need_compose
	for f in up.txt ps.txt byname.txt logs.txt; do have $f; done
	names=$(minirun ps --filter label=com.docker.compose.project=hello --format '{{.Names}}' | sort | tr '\n' ' ')
	[ "$names" = "hello-client-1 hello-web-1 " ] ||
		fail "the running containers of project hello are '$names', not hello-client-1 and hello-web-1: 'minirun compose up -d' in \$LAB_STATE/hello"
	ok "hello-web-1 and hello-client-1 are running, made by compose for project hello"
	for c in hello-web-1 hello-client-1; do
		n=$(minirun inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' $c)
		[ "$n" = "hello_default " ] || fail "$c is on '$n', not on the project network hello_default"
	done
	ok "they share the network hello_default"
	grep -q '^=> minirun run -d --name hello-web-1 .* busybox sh -c ' "$LAB_STATE/up.txt" ||
		fail "up.txt has no '=> minirun run -d --name hello-web-1 ...' line: save what 'minirun -v compose up -d' narrates (do 'minirun compose down' first, or it has nothing to make)"
	ok "up.txt shows the 'minirun run -d --name hello-web-1' compose stood for"
	got=$(in_project hello fetch http://web/)
	[ "$got" = "hello from web" ] || fail "the client does not get 'hello from web' from http://web/ now (got '$got')"
	ok "the client reaches http://web/ by name: $got"
	[ "$(cat "$LAB_STATE/byname.txt")" = "hello from web" ] || fail "byname.txt is not 'hello from web'"
	grep -Eq '^hello-client-1 +\| hello from web$' "$LAB_STATE/logs.txt" ||
		fail "logs.txt has no 'hello-client-1 | hello from web' line"
	ok "byname.txt and logs.txt have the client's 'hello from web'"
}

lab_steps "$@"
