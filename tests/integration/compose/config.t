# tests/integration/compose/config.t - `minirun compose config`: small projects resolved by
# minirun and by Debian's docker-compose 1.29 (its `config` needs no daemon), compared
# field by field after norm.py gives both outputs one shape: the merge of several files,
# interpolation from the shell, .env and --env-file, env_file, extends, anchors, profiles,
# the short and long syntaxes. Where compose v1 does not follow the Compose Specification
# (no top-level `name:`, no !reset/!override, no project name in its output), the
# case checks minirun against the specification alone and says so.
# Run: sh tests/integration/compose/config.t (no root, no daemon; docker-compose for the
# differential cases)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"

MR=$MR_TOP/minirun/minirun
NORM=$MR_TOP/tests/integration/compose/norm.py
# Debian's python3 has the yaml module docker-compose itself uses
PY=/usr/bin/python3

need_tools() {
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	$PY -c 'import yaml' 2>/dev/null || t_skip "python3-yaml not installed"
}

need_v1() {
	need_tools
	command -v docker-compose >/dev/null || t_skip "docker-compose (Debian's 1.29) not installed"
}

# same [ARGS...] - run `config` of both in the current directory (with ARGS before it)
# and compare their normalized models; $MR_ARGS goes to minirun alone
same() {
	# shellcheck disable=SC2086
	"$MR" compose $MR_ARGS "$@" config --format json >mr.json ||
		t_fail "minirun compose config failed"
	docker-compose "$@" config >v1.yaml 2>v1.err || t_fail "docker-compose config: $(cat v1.err)"
	$PY "$NORM" json <mr.json >mr.norm || t_fail "minirun's output is not JSON: $(cat mr.json)"
	$PY "$NORM" yaml <v1.yaml >v1.norm || t_fail "docker-compose's output is not YAML"
	diff -u v1.norm mr.norm || t_fail "the resolved models differ (- docker-compose, + minirun)"
}

# jget FILTER - a field of minirun's JSON model
jget() { "$MR" compose config --format json | jq -r "$1"; }

interpolation() {
	need_v1
	cat >compose.yaml <<-'EOF2'
	services:
	  web:
	    image: "busybox:${TAG:-latest}"
	    command: sh -c 'echo "$${HOME}" ${GREETING:-hi}'
	    environment:
	      URL: "http://${HOST:?set HOST}:${PORT-80}/"
	      FROM_SHELL:
	      EMPTY_ALT: "[${EMPTY-dflt}][${EMPTY:-dflt}]"
	EOF2
	printf 'TAG=1.36\nHOST=from-dotenv\n# comment\nexport PORT=8080\nEMPTY=\n' >.env
	HOST=from-shell FROM_SHELL=yes same
	t_eq "$(HOST=from-shell jget .services.web.environment.URL)" "http://from-shell:8080/"
	# ${V:+r}, ${V+r} and nested defaults are the specification's; compose v1 has neither
	printf 'services:\n  w:\n    image: "x${SET:+-r}${EMPTY:+-no}${EMPTY+-e}${UNSET+-no}"\n' \
		>compose.yaml
	t_eq "$(SET=1 EMPTY= jget .services.w.image)" "x-r-e" "the + operators"
	printf 'services:\n  w:\n    image: "${UNSET:-${SET:-none}}"\n' >compose.yaml
	t_eq "$(SET=inner jget .services.w.image)" "inner" "a nested default"
}
t "interpolation: the shell over .env, defaults, nesting, \$\$ (as docker-compose)" interpolation

env_file_flag() {
	need_v1
	printf 'services:\n  w:\n    image: ${IMG}\n    environment: ["A=${A:-none}"]\n' >compose.yaml
	printf 'IMG=dotenv\n' >.env
	printf 'IMG=prod\nA="quoted # kept"\n' >prod.env
	same --env-file prod.env
	t_eq "$("$MR" compose --env-file prod.env config --format json | jq -r .services.w.image)" prod
}
t "--env-file replaces .env; quoted values keep their #" env_file_flag

override_merge() {
	need_v1
	cat >compose.yaml <<-'EOF2'
	services:
	  web:
	    image: busybox
	    command: [httpd, -f]
	    environment: [A=1, B=2]
	    labels: {tier: front}
	    ports: ["8080:80", "127.0.0.1:53:53/udp"]
	    volumes: ["./site:/www:ro", "data:/data"]
	volumes:
	  data:
	EOF2
	cat >compose.override.yaml <<-'EOF2'
	services:
	  web:
	    command: [httpd, -f, -v]
	    environment: {B: 3, C: 4}
	    labels: {dev: "true"}
	    ports: ["8080:80", "3000:3000"]
	    volumes: ["./dev-site:/www"]
	  tools:
	    image: busybox
	EOF2
	same
	t_eq "$(jget '.services.web.command | join(" ")')" "httpd -f -v" "command replaced"
	t_eq "$(jget '.services.web.ports | length')" 3 "ports merged by key"
}
t "compose.yaml + compose.override.yaml merge as docker-compose merges them" override_merge

three_files() {
	need_v1
	printf 'services:\n  a:\n    image: one\n    environment: [X=1]\n' >base.yaml
	printf 'services:\n  a:\n    image: two\n    environment: [Y=2]\n' >mid.yaml
	printf 'services:\n  a:\n    environment: [X=3]\n    entrypoint: ["/bin/sh"]\n' >top.yaml
	same -f base.yaml -f mid.yaml -f top.yaml
}
t "-f three times: merged in order" three_files

stdin_file() {
	need_v1
	printf 'services:\n  a:\n    image: busybox\n    volumes: ["./d:/d"]\n' >in.yaml
	"$MR" compose -f - config --format json <in.yaml >mr.json || t_fail "minirun -f - failed"
	docker-compose -f - config <in.yaml >v1.yaml 2>v1.err || t_fail "$(cat v1.err)"
	t_eq "$($PY "$NORM" json <mr.json)" "$($PY "$NORM" yaml <v1.yaml)" "-f - (stdin)"
	t_eq "$(jq -r '.services.a.volumes[0].source' mr.json)" "$PWD/d" "paths from the cwd"
}
t "-f - reads the standard input, paths relative to the working directory" stdin_file

extends_file() {
	need_v1
	mkdir common
	cat >common/base.yaml <<-'EOF2'
	services:
	  app:
	    image: busybox
	    volumes: ["./conf:/conf:ro"]
	    environment: {LEVEL: base, KEEP: kept}
	EOF2
	cat >compose.yaml <<-'EOF2'
	services:
	  web:
	    extends: {file: common/base.yaml, service: app}
	    environment: {LEVEL: web}
	  worker:
	    extends: web
	    command: sleep 1
	EOF2
	same
	t_match "$(jget '.services.web.volumes[0].source')" "/common/conf$" "extends' own paths"
}
t "extends from another file (its relative paths) and in the same file" extends_file

anchors() {
	need_v1
	cat >compose.yaml <<-'EOF2'
	x-base: &base
	  image: busybox
	  environment: &env
	    COMMON: "1"
	  restart: always
	services:
	  a:
	    <<: *base
	  b:
	    <<: *base
	    environment:
	      <<: *env
	      OWN: "2"
	EOF2
	same
}
t "anchors, aliases and << merge keys" anchors

long_syntax() {
	need_v1
	cat >compose.yaml <<-'EOF2'
	services:
	  web:
	    image: busybox
	    ports:
	      - target: 80
	        published: "8081"
	        protocol: tcp
	      - "9000-9001:90-91"
	    volumes:
	      - type: bind
	        source: ./src
	        target: /src
	        read_only: true
	      - type: volume
	        source: data
	        target: /data
	    depends_on:
	      db: {condition: service_healthy}
	  db:
	    image: busybox
	    healthcheck:
	      test: nc -z localhost 5432
	      interval: 5s
	volumes:
	  data: {}
	EOF2
	same
}
t "long syntax ports/volumes, port ranges, depends_on conditions, healthcheck" long_syntax

env_file_service() {
	need_v1
	printf 'services:\n  w:\n    image: x\n    env_file: [a.env, b.env]\n    environment: [B=env]\n' \
		>compose.yaml
	printf 'A=a\nB=a\nC="multi\nline"\n' >a.env
	printf 'A=b\n' >b.env
	same
	t_eq "$(jget .services.w.environment.A)" b "a later env_file wins"
}
t "env_file read into environment, environment over it" env_file_service

profiles() {
	need_v1
	cat >compose.yaml <<-'EOF2'
	services:
	  web: {image: busybox}
	  debug: {image: busybox, profiles: [dev]}
	  db: {image: busybox, profiles: [backend, dev]}
	volumes:
	  z: {}
	  a: {}
	EOF2
	# compose v1's config ignores profiles (it shows every service); the specification
	# leaves a service out unless one of its profiles is active: compared with all active
	t_eq "$("$MR" compose --profile '*' config --services)" \
		"$(docker-compose config --services | sort)"
	MR_ARGS="--profile dev --profile backend" same
	t_eq "$("$MR" compose config --volumes)" "$(docker-compose config --volumes | sort)"
	t_eq "$("$MR" compose config --services)" "web" "no profile active"
	t_eq "$("$MR" compose --profile backend config --services | tr '\n' ' ')" "db web "
	t_eq "$(COMPOSE_PROFILES=dev "$MR" compose config --services | tr '\n' ' ')" "db debug web "
	t_eq "$("$MR" compose config --services debug | tr '\n' ' ')" "debug " "named service"
	t_eq "$("$MR" compose config --profiles | tr '\n' ' ')" "backend dev "
}
t "profiles (spec: v1 ignores them), --services, --volumes, --profiles" profiles

errors_both() {
	need_v1
	printf 'services:\n  w:\n    image: ${IMG:?give an image}\n' >compose.yaml
	docker-compose config >/dev/null 2>&1 && t_fail "docker-compose accepted a missing IMG"
	out=$("$MR" compose config 2>&1) && t_fail "minirun accepted a missing IMG"
	t_match "$out" "compose.yaml:3: services.w.image: required variable IMG is missing a value: give an image"
	printf 'services:\n  w:\n    image: x\n    volumez: []\n' >compose.yaml
	docker-compose config >/dev/null 2>&1 && t_fail "docker-compose accepted volumez"
	out=$("$MR" compose config 2>&1) && t_fail "minirun accepted volumez"
	t_match "$out" "compose.yaml:4: services.w.volumez: unknown key"
	printf 'services:\n  w:\n    image: x\n    ports: 80\n' >compose.yaml
	docker-compose config >/dev/null 2>&1 && t_fail "docker-compose accepted ports: 80"
	out=$("$MR" compose config 2>&1) && t_fail "minirun accepted ports: 80"
	t_match "$out" "compose.yaml:4: services.w.ports: must be a list"
	return 0
}
t "bad files fail in both, minirun naming file:line and the key path" errors_both

# ---- the specification alone (compose v1 has no name:, no tags, no name in its output) ----

project_name() {
	need_tools
	mkdir "My Proj.2" && cd "My Proj.2" || t_fail cd
	printf 'services:\n  w:\n    image: x\n    volumes: [d:/d]\nvolumes:\n  d:\n' >compose.yaml
	t_eq "$(jget .name)" "myproj2" "the directory's name, normalized"
	t_eq "$(jget .networks.default.name)" "myproj2_default"
	t_eq "$(jget .volumes.d.name)" "myproj2_d"
	printf 'name: fromfile\n' | cat - compose.yaml >c2.yaml && mv c2.yaml compose.yaml
	t_eq "$(jget .name)" fromfile "top-level name:"
	t_eq "$(COMPOSE_PROJECT_NAME=fromenv jget .name)" fromenv "COMPOSE_PROJECT_NAME over name:"
	t_eq "$("$MR" compose -p flag config --format json | jq -r .name)" flag "-p over all"
	out=$("$MR" compose -p "Not Valid" config 2>&1) && t_fail "an invalid -p was accepted"
	t_match "$out" 'invalid project name "Not Valid"'
}
t "project name: -p, COMPOSE_PROJECT_NAME, name:, the directory (spec only)" project_name

reset_override() {
	need_tools
	printf 'services:\n  w:\n    image: x\n    ports: ["80:80"]\n    environment: {A: 1, B: 2}\n' \
		>compose.yaml
	printf 'services:\n  w:\n    ports: !reset []\n    environment: !override {C: 3}\n' \
		>compose.override.yaml
	t_eq "$(jget '.services.w.ports // [] | length')" 0 "!reset"
	t_eq "$(jget '.services.w.environment | keys | join(",")')" C "!override"
}
t "!reset and !override in an override file (spec only: v1 has no tags)" reset_override

yaml_output() {
	need_tools
	printf 'services:\n  w:\n    image: busybox\n    ports: ["8080:80"]\n    environment: [FLAG=true]\n' \
		>compose.yaml
	"$MR" compose config >out.yaml || t_fail "config failed"
	# what a YAML reader reads back is the JSON model
	$PY -c 'import yaml,json,sys; print(json.dumps(yaml.safe_load(open("out.yaml")), sort_keys=True))' \
		>a.json || t_fail "the YAML output does not parse: $(cat out.yaml)"
	"$MR" compose config --format json | jq -S -c . >b.json
	t_eq "$(jq -S -c . a.json)" "$(cat b.json)" "YAML and JSON outputs"
	t_match "$(cat out.yaml)" 'published: "8080"' "a string that looks like a number is quoted"
}
t "the YAML output reads back as the JSON model" yaml_output

t_end
