# tests/integration/compose/health.t - `minirun compose` with health checks and builds: a
# service's healthcheck runs as the container's check (`ps` shows "(healthy)"), a
# depends_on condition service_healthy makes up wait for the dependency, an unhealthy
# dependency fails up with docker compose's message and exit 1, `up --wait` returns with
# every check healthy; a service built from a Dockerfile in the project (PROJECT-SERVICE,
# or its image key), `compose build`, and `up --build` rebuilding and recreating. Each test
# runs in a throwaway namespace playing the host (containers/lib.sh's ct_host). Checks run
# every 200-300 ms so that the suite stays short.
# Run: sh tests/integration/compose/health.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# web + api + db: db answers on 5432 (busybox httpd standing in for a database) only after
# two seconds; api fetches db's answer once, at its start, and serves what it got; web
# serves a page. db's check is the exec form, web's the string form.
STACK='
mkdir -p $R/../stack && cd $R/../stack || die cd
cat >compose.yaml <<EOF2
services:
  db:
    image: busybox
    command: sh -c "sleep 2; mkdir -p /w && echo db-ready >/w/ping && exec httpd -f -p 5432 -h /w"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:5432/ping"]
      interval: 300ms
      timeout: 2s
      retries: 20
  api:
    image: busybox
    command: sh -c "mkdir -p /w && (wget -q -O /w/index.html http://db:5432/ping || echo db-down >/w/index.html) && exec httpd -f -p 80 -h /w"
    depends_on:
      db: {condition: service_healthy}
  web:
    image: busybox
    command: sh -c "mkdir -p /w && echo web-page >/w/index.html && exec httpd -f -p 80 -h /w"
    depends_on: [api]
    healthcheck:
      test: wget -q -O /dev/null http://127.0.0.1/
      interval: 200ms
      start_period: 5s
      start_interval: 200ms
EOF2
'

health_stack() {
	ct_need net
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	out=$(ct_host "$STACK"'
		mr -v compose -p stack up -d --wait >"$R.up" 2>&1 || die "up exited $?: $(cat "$R.up")"
		grep "^ Container" "$R.up" | sed "s/^/up: /"
		grep "^=> minirun run" "$R.up" | grep -o -- "--health.* busybox" | sed "s/^/flags: /"
		mr ps --format "{{.Names}} {{.Status}}" | sort | sed "s/ Up [^(]*/ /; s/^/ps: /"
		echo "api got: $(mr exec stack-api-1 cat /w/index.html)"
		echo "db test: $(mr inspect stack-db-1 | jq -c .[0].Config.Healthcheck.Test)"
		echo "web test: $(mr inspect stack-web-1 | jq -c .[0].Config.Healthcheck.Test)"
		echo "db interval: $(mr inspect stack-db-1 | jq .[0].Config.Healthcheck.Interval)"
		echo "web start interval: $(mr inspect stack-web-1 | jq .[0].Config.Healthcheck.StartInterval)"
		mr compose -p stack up -d 2>&1 | sed "s/^/second: /"
		mr compose -p stack down -t 1 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^up: +Container stack-db-1 +Waiting$' "up waits for db before making api"
	t_match "$out" '^up: +Container stack-db-1 +Healthy$' "and says when db is healthy"
	t_match "$out" "^flags: --health-cmd 'wget -q -O /dev/null http://127.0.0.1:5432/ping' --health-interval 300ms --health-timeout 2s --health-retries 20 busybox$" \
		"-v: the exec-form check as the --health-cmd a reader could type"
	t_match "$out" "^flags: --health-cmd 'wget -q -O /dev/null http://127.0.0.1/' --health-interval 200ms --health-start-period 5s --health-start-interval 200ms busybox$" \
		"the string form and the start_* keys as run's flags"
	t_match "$out" '^ps: stack-api-1 $' "api has no check"
	t_match "$out" '^ps: stack-db-1 \(healthy\)$' "ps shows db (healthy)"
	t_match "$out" '^ps: stack-web-1 \(healthy\)$' "up --wait returned with web healthy"
	t_match "$out" '^api got: db-ready$' "api started only once db answered"
	t_match "$out" '^db test: \["CMD","wget","-q","-O","/dev/null","http://127.0.0.1:5432/ping"\]$' \
		"the list form stays the exec form (no shell)"
	t_match "$out" '^web test: \["CMD-SHELL","wget -q -O /dev/null http://127.0.0.1/"\]$' \
		"a string is the shell form"
	t_match "$out" '^db interval: 300000000$' "interval in nanoseconds, as docker's"
	t_match "$out" '^web start interval: 200000000$' "start_interval"
	t_match "$out" '^second: +Container stack-db-1 +Running$' "a second up keeps db"
	t_match "$out" '^second: +Container stack-db-1 +Healthy$' "and finds it healthy at once"
}
t "web + api + db: api waits for db to be healthy, ps shows (healthy), up --wait" health_stack

health_unhealthy() {
	ct_need
	out=$(ct_host '
		mkdir -p $R/../uh && cd $R/../uh || die cd
		cat >compose.yaml <<EOF2
services:
  db:
    image: busybox
    command: sleep 300
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD-SHELL", "echo no; exit 1"]
      interval: 200ms
      retries: 2
  api:
    image: busybox
    command: sleep 300
    depends_on:
      db: {condition: service_healthy}
EOF2
		mr compose -p uh up -d >"$R.up" 2>&1
		echo "rc: $?"
		sed "s/^/up: /" "$R.up"
		echo "made: $(mr ps -a --format "{{.Names}}" | sort | tr "\n" " ")"
		echo "db: $(mr ps --format "{{.Status}}" --filter name=uh-db-1 | sed "s/Up [^(]*//")"
		echo "log: $(mr inspect -f "{{(index .State.Health.Log 0).Output}}" uh-db-1)"
		mr compose -p uh down -t 1 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^rc: 1$' "an unhealthy dependency fails up with exit 1"
	t_match "$out" '^up: minirun: dependency failed to start: container uh-db-1 is unhealthy$' \
		"with docker compose's message"
	t_match "$out" '^made: uh-db-1 $' "api is not made; db stays, as docker compose leaves it"
	t_match "$out" '^db: \(unhealthy\)$' "ps shows db (unhealthy)"
	t_match "$out" '^log: no$' "the probe's output is in State.Health.Log"
}
t "an unhealthy dependency fails up with docker compose's message and exit 1" health_unhealthy

health_disabled() {
	ct_need
	command -v jq >/dev/null || t_skip "jq not installed (make deps)"
	out=$(ct_host '
		mkdir -p $R/../off && cd $R/../off || die cd
		cat >compose.yaml <<EOF2
services:
  quiet:
    image: busybox
    command: sleep 300
    healthcheck:
      disable: true
  none:
    image: busybox
    command: sleep 300
    healthcheck:
      test: ["NONE"]
  plain:
    image: busybox
    command: sleep 300
    depends_on:
      quiet: {condition: service_healthy}
EOF2
		mr -v compose -p off up -d quiet none >"$R.up" 2>&1 || die "up failed: $(cat "$R.up")"
		grep -c -- "--no-healthcheck" "$R.up" | sed "s/^/no-healthcheck flags: /"
		echo "quiet: $(mr inspect off-quiet-1 | jq -c .[0].Config.Healthcheck.Test)"
		echo "none: $(mr inspect off-none-1 | jq -c .[0].Config.Healthcheck.Test)"
		mr compose -p off up -d plain 2>&1 | grep minirun: | sed "s/^/plain: /"
		mr compose -p off down -t 1 2>/dev/null || die "down failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^no-healthcheck flags: 2$' "disable: true and test NONE are --no-healthcheck"
	t_match "$out" '^quiet: \["NONE"\]$' "recorded as docker records it"
	t_match "$out" '^none: \["NONE"\]$'
	t_match "$out" '^plain: minirun: dependency failed to start: container off-quiet-1 has no healthcheck configured$' \
		"service_healthy on a service without a check fails as docker compose's does"
}
t "healthcheck disable and NONE; service_healthy on a service without a check" health_disabled

# a project with two services built from its own Dockerfiles: app (named PROJECT-SERVICE)
# and tool (a second Dockerfile, a target stage, and an image key naming it)
BUILT='
mkdir -p $R/../bproj/tools && cd $R/../bproj || die cd
cat >Dockerfile <<EOF2
FROM busybox
ARG GREETING=hi
RUN echo "\$GREETING v1" >/greeting
CMD ["sleep", "300"]
EOF2
cat >tools/Tool.Dockerfile <<EOF2
FROM busybox AS base
RUN echo base >/stage
FROM base AS final
RUN echo final >/stage
FROM final AS extra
RUN echo extra >/stage
EOF2
cat >compose.yaml <<EOF2
services:
  app:
    build:
      context: .
      args:
        GREETING: hello-build
  tool:
    image: mytool:1
    command: sleep 300
    build:
      context: ./tools
      dockerfile: Tool.Dockerfile
      target: final
EOF2
'

build_up() {
	ct_need
	out=$(ct_host "$BUILT"'
		mr compose -p bproj up -d >"$R.up" 2>&1 || die "up failed: $(cat "$R.up")"
		grep "Service" "$R.up" | sed "s/^/up: /"
		echo "images: $(mr images --format "{{.Repository}}:{{.Tag}}" | grep -v busybox | sort | tr "\n" " ")"
		echo "greeting: $(mr exec bproj-app-1 cat /greeting)"
		echo "stage: $(mr exec bproj-tool-1 cat /stage)"
		echo "image of app: $(mr ps --format "{{.Names}} {{.Image}}" | grep bproj-app-1)"
		mr compose -p bproj up -d 2>&1 | sed "s/^/second: /"
		sed -i "s/v1/v2/" Dockerfile
		mr compose -p bproj up -d 2>&1 | grep -c Building | sed "s/^/unchanged builds: /"
		echo "still: $(mr exec bproj-app-1 cat /greeting)"
		mr compose -p bproj up -d --build >"$R.up2" 2>&1 || die "up --build failed: $(cat "$R.up2")"
		grep "Container" "$R.up2" | sed "s/^/rebuilt: /"
		echo "now: $(mr exec bproj-app-1 cat /greeting)"
		mr compose -p bproj build >"$R.b" 2>&1 || die "compose build failed: $(cat "$R.b")"
		grep "Service" "$R.b" | sed "s/^/build: /"
		mr compose -p bproj up -d --no-build 2>&1 | sed "s/^/no-build: /"
		mr compose -p bproj down -t 1 2>/dev/null || die "down failed"
		mr rmi bproj-app mytool:1 >/dev/null || die "rmi failed"
		mr compose -p bproj up -d --no-build 2>&1 | sed "s/^/missing: /"
		echo "made: $(mr ps -aq | wc -l)"
		mr compose -p bproj run --rm app cat /greeting 2>"$R.run" | sed "s/^/run: /"
		grep "Service app" "$R.run" | sed "s/^/run: /"
		mr compose -p bproj down -t 1 2>/dev/null || die "down after run failed"
		mr rmi bproj-app >/dev/null || die "rmi after run failed"
		ct_noleaks') || t_fail "$out"
	t_match "$out" '^up: +Service app +Built$' "a missing image is built by up"
	t_match "$out" '^up: +Service tool +Built$'
	t_match "$out" '^images: bproj-app:latest mytool:1 $' \
		"named PROJECT-SERVICE, or by the image key when both are given"
	t_match "$out" '^greeting: hello-build v1$' "build.args reach the Dockerfile's ARG"
	t_match "$out" '^stage: final$' "build.dockerfile relative to the context, build.target"
	t_match "$out" '^image of app: bproj-app-1 bproj-app$' "the container runs the built image"
	t_nomatch "$out" '^second: .*Build' "an image already there is not built again"
	t_match "$out" '^second: +Container bproj-app-1 +Running$'
	t_match "$out" '^unchanged builds: 0$' "an edited Dockerfile alone does not rebuild"
	t_match "$out" '^still: hello-build v1$'
	t_match "$out" '^rebuilt: +Container bproj-app-1 +Recreate$' \
		"up --build rebuilds, and a container over the old image is recreated"
	t_match "$out" '^rebuilt: +Container bproj-tool-1 +Running$' "an image rebuilt the same keeps its container"
	t_match "$out" '^now: hello-build v2$' "the new container runs the new image"
	t_match "$out" '^build: +Service app +Built$' "compose build"
	t_match "$out" '^build: +Service tool +Built$'
	t_match "$out" '^no-build: +Container bproj-app-1 +Running$' "--no-build with the image there"
	t_match "$out" "^missing: minirun: service \"app\": image bproj-app is not built and --no-build was given: run 'minirun compose build app' first$" \
		"--no-build with the image missing: one line saying what to do"
	t_match "$out" '^made: 0$' "and nothing made"
	t_match "$out" '^run: hello-build v2$' "compose run builds a missing image first"
	t_match "$out" '^run: +Service app +Built$'
}
t "build: images built by up (PROJECT-SERVICE or image:), up --build, compose build" build_up

t_end
