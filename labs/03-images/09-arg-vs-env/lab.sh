#!/bin/sh
# labs/03-images/09-arg-vs-env/lab.sh - ARG is for the build, ENV stays in the image;
# --build-arg sets an ARG, and the history remembers it.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab arg-vs-env STEP`)
#
# check inspects and runs the images the learner built, and reads the history saved.
# Everything runs in a store and a namespace of the lab's own (mrlab.sh): exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=arg-vs-env
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and 'cd $LAB_STATE/app':
  minirun build -t app:1 .
  minirun build --build-arg VERSION=2.0 --build-arg API_TOKEN=tok-12345 -t app:2 .
  minirun history --no-trunc app:2 > $LAB_STATE/history.txt
HINT
}

# setup_ - a Dockerfile with two ARGs, one passed on to an ENV, and a RUN that uses both
setup_() {
	mkdir -p "$LAB_STATE/app" || return 1
	cat >"$LAB_STATE/app/Dockerfile" <<'DOCKERFILE'
FROM busybox
ARG VERSION=1.0
ARG API_TOKEN
ENV APP_VERSION=$VERSION
RUN echo "built $VERSION with token ${API_TOKEN:-none}" > /build-info && echo "RUN sees: VERSION=$VERSION API_TOKEN=$API_TOKEN APP_VERSION=$APP_VERSION"
CMD ["sh", "-c", "cat /build-info; echo \"at run time: VERSION=$VERSION API_TOKEN=$API_TOKEN APP_VERSION=$APP_VERSION\""]
DOCKERFILE
}

run_() {
	cd "$LAB_STATE/app" || return 1
	minirun build -t app:1 . || return 1
	minirun build --build-arg VERSION=2.0 --build-arg API_TOKEN=tok-12345 -t app:2 . || return 1
	minirun run --rm app:1
	minirun run --rm app:2
	minirun image inspect -f '{{json .Config.Env}}' app:2
	minirun run --rm -e APP_VERSION=9.9 app:2
	minirun history --no-trunc app:2 | tee "$LAB_STATE/history.txt"
}

check_() {
	for i in app:1 app:2; do
		minirun image inspect $i >/dev/null 2>&1 || fail "there is no image $i: build it (step 2 or 3)"
	done
	env1=$(minirun image inspect -f '{{json .Config.Env}}' app:1)
	env2=$(minirun image inspect -f '{{json .Config.Env}}' app:2)
	echo "$env1" | grep -q '"APP_VERSION=1.0"' || fail "app:1's Env is $env1: no APP_VERSION=1.0 (the ARG's default)"
	echo "$env2" | grep -q '"APP_VERSION=2.0"' || fail "app:2's Env is $env2: no APP_VERSION=2.0 (--build-arg VERSION=2.0)"
	echo "check: ok - Env: app:1 has APP_VERSION=1.0 (the default), app:2 APP_VERSION=2.0 (--build-arg)"
	echo "$env2" | grep -Eq '"(VERSION|API_TOKEN)=' && fail "app:2's Env is $env2: an ARG is not kept in the image"
	out=$(minirun run --rm app:2 2>&1)
	[ "$out" = "built 2.0 with token tok-12345
at run time: VERSION= API_TOKEN= APP_VERSION=2.0" ] ||
		fail "app:2 prints '$out': build it with --build-arg VERSION=2.0 --build-arg API_TOKEN=tok-12345"
	echo "check: ok - app:2: RUN saw VERSION and API_TOKEN, the container sees only APP_VERSION"
	have history.txt
	grep -q "RUN |2 VERSION=2.0 API_TOKEN=tok-12345 /bin/sh -c " "$LAB_STATE/history.txt" ||
		fail "history.txt has no 'RUN |2 VERSION=2.0 API_TOKEN=tok-12345': save 'minirun history --no-trunc app:2'"
	echo "check: ok - history.txt: the RUN's build args, the token with them, are in the image's history"
}

steps "$@"
