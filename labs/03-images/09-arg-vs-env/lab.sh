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
		expect "there is an image $i (built in step 2 or 3)" minirun image inspect $i
	done
	env1=$(minirun image inspect -f '{{json .Config.Env}}' app:1)
	env2=$(minirun image inspect -f '{{json .Config.Env}}' app:2)
	expect_or "app:1's Env has APP_VERSION=1.0 (the ARG's default)" "it is $env1" eval 'echo "$env1" | grep -q "\"APP_VERSION=1.0\""'
	expect_or "app:2's Env has APP_VERSION=2.0 (--build-arg VERSION=2.0)" "it is $env2" eval 'echo "$env2" | grep -q "\"APP_VERSION=2.0\""'
	echo "check: ok - Env: app:1 has APP_VERSION=1.0 (the default), app:2 APP_VERSION=2.0 (--build-arg)"
	expect_or "app:2's Env keeps no ARG (VERSION, API_TOKEN)" "it is $env2" not eval 'echo "$env2" | grep -Eq "\"(VERSION|API_TOKEN)="'
	out=$(minirun run --rm app:2 2>&1)
	expect_or "app:2's RUN saw the build args; its container sees only APP_VERSION" "it prints '$out'" [ "$out" = "built 2.0 with token tok-12345
at run time: VERSION= API_TOKEN= APP_VERSION=2.0" ]
	echo "check: ok - app:2: RUN saw VERSION and API_TOKEN, the container sees only APP_VERSION"
	have history.txt
	expect "history.txt has 'RUN |2 VERSION=2.0 API_TOKEN=tok-12345' ('minirun history --no-trunc app:2')" \
		grep -q "RUN |2 VERSION=2.0 API_TOKEN=tok-12345 /bin/sh -c " "$LAB_STATE/history.txt"
	echo "check: ok - history.txt: the RUN's build args, the token with them, are in the image's history"
}

steps "$@"
