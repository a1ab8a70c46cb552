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
	expect "missing.txt has the error for the missing GREETING (config run before writing .env)" \
		says missing.txt 'compose.yaml:[0-9]+: services.web.environment.GREETING: required variable GREETING is missing a value'
	ok "without a value, config refused: required variable GREETING is missing a value"
	expect "config-dev.txt (both files, no -f) has 'MODE: development'" says config-dev.txt '^ +MODE: development$'
	expect "config-dev.txt publishes 127.0.0.1:8080: the override's port" \
		eval "says config-dev.txt '^ +host_ip: 127\.0\.0\.1$' && says config-dev.txt '^ +published: \"8080\"$'"
	expect "config-dev.txt: GREETING is 'hello from .env'" says config-dev.txt '^ +GREETING: hello from \.env$'
	expect "config-dev.txt: image is busybox:latest (TAG's default)" says config-dev.txt '^ +image: busybox:latest$'
	ok "development (both files): MODE development, port 127.0.0.1:8080, GREETING from .env, image busybox:latest"
	expect "config-prod.txt (-f compose.yaml) has 'MODE: production'" says config-prod.txt '^ +MODE: production$'
	expect "config-prod.txt has no ports: production is compose.yaml alone" not says config-prod.txt '^ +ports:'
	ok "production (-f compose.yaml): MODE production, no ports"
	expect "config-shell.txt: GREETING is 'hello from the shell'" says config-shell.txt '^ +GREETING: hello from the shell$'
	ok "the shell's GREETING won over .env's"
	expect "services.txt is just 'web': without the profile, debug is left out" [ "$(cat "$LAB_STATE/services.txt")" = web ]
	expect "services-debug.txt is debug and web" [ "$(sort "$LAB_STATE/services-debug.txt" | tr '\n' ' ')" = "debug web " ]
	ok "debug is a service only with --profile debug"
	expect "site-web-1 is running (minirun compose --profile debug up -d, in \$LAB_STATE/site)" \
		[ "$(minirun inspect -f '{{.State.Status}}' site-web-1 2>/dev/null)" = running ]
	expect "site-web-1's MODE is development: started with the override file" \
		[ "$(in_project site minirun compose exec -T web sh -c 'echo $MODE')" = development ]
	expect "page.txt is 'hello from .env'" [ "$(cat "$LAB_STATE/page.txt")" = "hello from .env" ]
	expect "http://127.0.0.1:8080/ on the host answers 'hello from .env' now" [ "$(onhost_fetch http://127.0.0.1:8080/)" = "hello from .env" ]
	ok "site-web-1 runs as development, its page on the host's 127.0.0.1:8080 says 'hello from .env'"
	expect "site-debug-1 is running (up with --profile debug)" [ "$(minirun inspect -f '{{.State.Status}}' site-debug-1 2>/dev/null)" = running ]
	ok "site-debug-1 runs: the debug profile was on"
}

lab_steps "$@"
