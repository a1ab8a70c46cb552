#!/bin/sh
# labs/03-images/11-multi-stage/lab.sh - a multi-stage build: the SDK stays in the build
# stage, the prod image gets the result alone; --target builds the dev stage instead.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab multi-stage STEP`)
#
# check runs the images the learner built, looks into them, and compares their sizes with
# the ones saved. Everything runs in a store and a namespace of the lab's own (mrlab.sh):
# exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=multi-stage
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and 'cd $LAB_STATE/app':
  minirun build -f Dockerfile.single -t app:single .
  minirun build -t app:prod .
  minirun build --target dev -t app:dev .
then save "NAME SIZE" a line for single, prod and dev to $LAB_STATE/sizes.txt, the size
from: minirun image inspect -f '{{.Size}}' app:NAME
HINT
}

# setup_ - an app, its "compiler" (6 MB of SDK), and a one-stage and a multi-stage Dockerfile
setup_() {
	a=$LAB_STATE/app
	mkdir -p "$a/src" || return 1
	echo 'echo "hello from app"' >"$a/src/main.sh"
	cat >"$a/build.sh" <<'BUILD'
# build.sh - "compiles" src/ into one program, on stdout; needs the SDK in /opt/sdk
test -s /opt/sdk/compiler || { echo "build.sh: no compiler in /opt/sdk" >&2; exit 1; }
echo '#!/bin/sh'
cat src/*.sh
BUILD
	sdk='RUN mkdir -p /opt/sdk && head -c 6000000 /dev/urandom > /opt/sdk/compiler'
	make='RUN mkdir -p /usr/local/bin && sh build.sh > /usr/local/bin/app && chmod 755 /usr/local/bin/app'
	cat >"$a/Dockerfile.single" <<DOCKERFILE
FROM busybox
$sdk
WORKDIR /src
COPY . .
$make
CMD ["app"]
DOCKERFILE
	cat >"$a/Dockerfile" <<DOCKERFILE
FROM busybox AS build
$sdk
WORKDIR /src
COPY . .
$make

FROM build AS dev
CMD ["sh"]

FROM busybox AS prod
COPY --from=build /usr/local/bin/app /usr/local/bin/app
USER 65534
CMD ["app"]
DOCKERFILE
}

run_() {
	cd "$LAB_STATE/app" || return 1
	minirun build -f Dockerfile.single -t app:single . || return 1
	minirun build -t app:prod . || return 1
	minirun build --target dev -t app:dev . || return 1
	minirun images app
	for i in single prod dev; do
		echo "$i $(minirun image inspect -f '{{.Size}}' app:$i)"
	done | tee "$LAB_STATE/sizes.txt"
	minirun run --rm app:prod
	minirun run --rm app:dev ls -l /opt/sdk
	minirun history app:prod
}

size() { minirun image inspect -f '{{.Size}}' "app:$1"; }

check_() {
	for i in single prod dev; do
		expect "there is an image app:$i (built in steps 2-4)" minirun image inspect app:$i
	done
	out=$(minirun run --rm app:prod 2>&1)
	expect_or "app:prod prints 'hello from app'" "it prints '$out'" [ "$out" = "hello from app" ]
	expect "app:prod runs as user 65534" [ "$(minirun image inspect -f '{{.Config.User}}' app:prod)" = 65534 ]
	echo "check: ok - app:prod runs the app as user 65534: 'hello from app'"
	expect "app:prod has no /opt/sdk: the prod stage, not the build stage" not minirun run --rm app:prod test -e /opt/sdk
	expect "app:prod has no sources in /src: COPY --from took only the app" not minirun run --rm app:prod test -e /src
	echo "check: ok - app:prod has neither the SDK (/opt/sdk) nor the sources (/src)"
	expect "app:dev has /opt/sdk/compiler (--target dev)" minirun run --rm app:dev test -s /opt/sdk/compiler
	expect "app:dev's Cmd is [\"sh\"] (--target dev)" [ "$(minirun image inspect -f '{{json .Config.Cmd}}' app:dev)" = '["sh"]' ]
	echo "check: ok - app:dev (--target dev) is the build stage with the SDK, and a shell"
	have sizes.txt
	for i in single prod dev; do
		s=$(sed -n "s/^$i \([0-9]*\)$/\1/p" "$LAB_STATE/sizes.txt" | tail -n 1)
		expect_or "sizes.txt has app:$i's size in the store" "it says '$s' bytes, the store $(size $i): save them again" \
			[ "$s" = "$(size $i)" ]
	done
	single=$(size single) prod=$(size prod)
	expect_or "app:prod is over 5 MB smaller than app:single" "$prod bytes, app:single $single" [ "$prod" -lt $((single - 5000000)) ]
	echo "check: ok - sizes.txt: app:single $single bytes, app:prod $prod ($((single / prod))x smaller)"
}

steps "$@"
