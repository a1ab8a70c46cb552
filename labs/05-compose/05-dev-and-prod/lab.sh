#!/bin/sh
# labs/05-compose/05-dev-and-prod/lab.sh - compose.override.yaml, a profile and .env
# interpolation, read with compose config; the development setup run (README.md tells the
# story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab dev-and-prod STEP`)
#
# The lab's store and host namespace come from mrlab.sh (through composelab.sh): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=dev-and-prod
. "$(dirname "$0")/../composelab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', in $LAB_STATE/site with both files copied:
  minirun compose config > $LAB_STATE/missing.txt 2>&1          (before .env exists)
  echo 'GREETING=hello from .env' > .env
  minirun compose config > $LAB_STATE/config-dev.txt
  minirun compose -f compose.yaml config > $LAB_STATE/config-prod.txt
  GREETING='hello from the shell' minirun compose config | grep GREETING > $LAB_STATE/config-shell.txt
  minirun compose config --services > $LAB_STATE/services.txt
  minirun compose --profile debug config --services > $LAB_STATE/services-debug.txt
  minirun compose --profile debug up -d
  onhost busybox wget -q -O - http://127.0.0.1:8080/ > $LAB_STATE/page.txt
HINT
}

setup_() { :; }

run_() {
	need_compose
	mkdir -p "$LAB_STATE/site"
	cp labs/05-compose/05-dev-and-prod/compose.yaml labs/05-compose/05-dev-and-prod/compose.override.yaml "$LAB_STATE/site/"
	cd "$LAB_STATE/site" || exit 1
	cat compose.yaml compose.override.yaml
	minirun compose config 2>&1 | tee "$LAB_STATE/missing.txt"
	echo 'GREETING=hello from .env' >.env
	minirun compose config | tee "$LAB_STATE/config-dev.txt"
	minirun compose -f compose.yaml config | tee "$LAB_STATE/config-prod.txt"
	GREETING='hello from the shell' minirun compose config | grep GREETING | tee "$LAB_STATE/config-shell.txt"
	minirun compose config --services | tee "$LAB_STATE/services.txt"
	minirun compose --profile debug config --services | tee "$LAB_STATE/services-debug.txt"
	minirun compose config --profiles
	minirun compose --profile debug up -d
	minirun compose ps
	onhost_fetch http://127.0.0.1:8080/ | tee "$LAB_STATE/page.txt"
	minirun compose exec web sh -c 'echo $MODE'
}

# says FILE PATTERN - FILE (in $LAB_STATE) has a line matching the extended regex PATTERN
says() { grep -Eq "$2" "$LAB_STATE/$1"; }

check_() {
	need_compose
	for f in missing.txt config-dev.txt config-prod.txt config-shell.txt services.txt services-debug.txt page.txt; do have $f; done
	says missing.txt 'compose.yaml:[0-9]+: services.web.environment.GREETING: required variable GREETING is missing a value' ||
		fail "missing.txt does not have the error for the missing GREETING: run config before writing .env"
	ok "without a value, config refused: required variable GREETING is missing a value"
	says config-dev.txt '^ +MODE: development$' || fail "config-dev.txt has no 'MODE: development': run config with both files (no -f)"
	{ says config-dev.txt '^ +host_ip: 127\.0\.0\.1$' && says config-dev.txt '^ +published: "8080"$'; } ||
		fail "config-dev.txt does not publish 127.0.0.1:8080: the override's port is missing"
	says config-dev.txt '^ +GREETING: hello from \.env$' || fail "config-dev.txt: GREETING is not 'hello from .env'"
	says config-dev.txt '^ +image: busybox:latest$' || fail "config-dev.txt: image is not busybox:latest (TAG's default)"
	ok "development (both files): MODE development, port 127.0.0.1:8080, GREETING from .env, image busybox:latest"
	says config-prod.txt '^ +MODE: production$' || fail "config-prod.txt has no 'MODE: production': minirun compose -f compose.yaml config"
	says config-prod.txt '^ +ports:' && fail "config-prod.txt has ports: production is compose.yaml alone"
	ok "production (-f compose.yaml): MODE production, no ports"
	says config-shell.txt '^ +GREETING: hello from the shell$' || fail "config-shell.txt: GREETING is not 'hello from the shell'"
	ok "the shell's GREETING won over .env's"
	[ "$(cat "$LAB_STATE/services.txt")" = web ] || fail "services.txt is not just 'web': without the profile, debug is left out"
	[ "$(sort "$LAB_STATE/services-debug.txt" | tr '\n' ' ')" = "debug web " ] || fail "services-debug.txt is not debug and web"
	ok "debug is a service only with --profile debug"
	[ "$(minirun inspect -f '{{.State.Status}}' site-web-1 2>/dev/null)" = running ] ||
		fail "site-web-1 is not running: minirun compose --profile debug up -d (in \$LAB_STATE/site)"
	[ "$(in_project site minirun compose exec -T web sh -c 'echo $MODE')" = development ] ||
		fail "site-web-1's MODE is not development: was it started with the override file?"
	[ "$(cat "$LAB_STATE/page.txt")" = "hello from .env" ] || fail "page.txt is not 'hello from .env'"
	[ "$(onhost_fetch http://127.0.0.1:8080/)" = "hello from .env" ] || fail "http://127.0.0.1:8080/ on the host does not answer 'hello from .env' now"
	ok "site-web-1 runs as development, its page on the host's 127.0.0.1:8080 says 'hello from .env'"
	[ "$(minirun inspect -f '{{.State.Status}}' site-debug-1 2>/dev/null)" = running ] ||
		fail "site-debug-1 is not running: up with --profile debug"
	ok "site-debug-1 runs: the debug profile was on"
}

lab_steps "$@"
