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
	expect_or "hello-web-1 and hello-client-1 run, project hello's ('minirun compose up -d' in \$LAB_STATE/hello)" \
		"the running ones are '$names'" [ "$names" = "hello-client-1 hello-web-1 " ]
	ok "hello-web-1 and hello-client-1 are running, made by compose for project hello"
	for c in hello-web-1 hello-client-1; do
		n=$(minirun inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' $c)
		expect_or "$c is on the project network hello_default" "it is on '$n'" [ "$n" = "hello_default " ]
	done
	ok "they share the network hello_default"
	expect "up.txt has the '=> minirun run -d --name hello-web-1 ...' line 'minirun -v compose up -d' narrates" \
		grep -q '^=> minirun run -d --name hello-web-1 .* busybox sh -c ' "$LAB_STATE/up.txt"
	ok "up.txt shows the 'minirun run -d --name hello-web-1' compose stood for"
	got=$(in_project hello fetch http://web/)
	expect_or "the client gets 'hello from web' from http://web/ now" "it got '$got'" [ "$got" = "hello from web" ]
	ok "the client reaches http://web/ by name: $got"
	expect "byname.txt is 'hello from web'" [ "$(cat "$LAB_STATE/byname.txt")" = "hello from web" ]
	expect "logs.txt has the 'hello-client-1 | hello from web' line" grep -Eq '^hello-client-1 +\| hello from web$' "$LAB_STATE/logs.txt"
	ok "byname.txt and logs.txt have the client's 'hello from web'"
}

lab_steps "$@"
