#!/bin/sh
# labs/06-best-practices/14-shrink/lab.sh - shrinking an image: a fat single-stage build
# whose "cleanup" RUN frees nothing, measured with `image layers` and `history`, rewritten
# as a multi-stage build.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab shrink STEP`)
#
# check runs both images, compares their sizes and layer reports with the ones saved, and
# looks for the SDK in the slim one. Everything runs in a store and a namespace of the
# lab's own (mrlab.sh): exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=shrink
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and 'cd $LAB_STATE/app':
  minirun build -f Dockerfile.fat -t app:fat .
  minirun image layers app:fat > $LAB_STATE/fat-layers.txt
write Dockerfile.slim: a first stage (FROM busybox AS build) with the SDK and the build,
a second (FROM busybox) with COPY --from=build /usr/local/bin/app /usr/local/bin/app and
CMD ["app"]; then
  minirun build -f Dockerfile.slim -t app:slim .
  minirun image layers app:slim > $LAB_STATE/slim-layers.txt
HINT
}

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
	cat >"$a/Dockerfile.fat" <<'DOCKERFILE'
FROM busybox
# the SDK: 8 MB the build needs, and the program doesn't
RUN mkdir -p /opt/sdk && head -c 8000000 /dev/urandom > /opt/sdk/compiler
WORKDIR /src
COPY . .
RUN mkdir -p /usr/local/bin && sh build.sh > /usr/local/bin/app && chmod 755 /usr/local/bin/app
# "clean up": does this make the image smaller?
RUN rm -rf /opt/sdk /src
CMD ["app"]
DOCKERFILE
}

run_() {
	cd "$LAB_STATE/app" || return 1
	minirun build -f Dockerfile.fat -t app:fat . || return 1
	minirun history app:fat
	minirun image layers app:fat | tee "$LAB_STATE/fat-layers.txt"
	cat >Dockerfile.slim <<'DOCKERFILE'
FROM busybox AS build
RUN mkdir -p /opt/sdk && head -c 8000000 /dev/urandom > /opt/sdk/compiler
WORKDIR /src
COPY . .
RUN mkdir -p /usr/local/bin && sh build.sh > /usr/local/bin/app && chmod 755 /usr/local/bin/app

FROM busybox
COPY --from=build /usr/local/bin/app /usr/local/bin/app
CMD ["app"]
DOCKERFILE
	minirun build -f Dockerfile.slim -t app:slim . || return 1
	minirun image layers app:slim | tee "$LAB_STATE/slim-layers.txt"
	minirun images app
	minirun run --rm app:slim
}

size() { minirun image inspect -f '{{.Size}}' "app:$1"; }
total() { minirun image layers "app:$1" | grep '^Total: '; }

check_() {
	for i in fat slim; do
		expect "there is an image app:$i" minirun image inspect app:$i
	done
	have fat-layers.txt
	expect "fat-layers.txt is 'minirun image layers app:fat' of the app:fat you have" grep -qxF "$(total fat)" "$LAB_STATE/fat-layers.txt"
	wasted=$(total fat | sed -n 's/.*, \([0-9.]*[kMG]*B\) wasted.*/\1/p')
	expect_or "app:fat wastes bytes (built from Dockerfile.fat as setup wrote it)" "it wastes '$wasted'" \
		eval 'case $wasted in 0B | "") false ;; esac'
	echo "check: ok - fat-layers.txt: app:fat wastes $wasted (the SDK, deleted by a later layer but still shipped)"
	out=$(minirun run --rm app:slim 2>&1)
	expect_or "app:slim prints 'hello from app'" "it prints '$out'" [ "$out" = "hello from app" ]
	expect "app:slim has no /opt/sdk: only the program copied out of the build stage" not minirun run --rm app:slim test -e /opt/sdk
	expect "app:slim has no sources in /src: only the program copied" not minirun run --rm app:slim test -e /src
	echo "check: ok - app:slim prints 'hello from app', without the SDK or the sources"
	have slim-layers.txt
	expect "slim-layers.txt is 'minirun image layers app:slim' of the app:slim you have" \
		grep -qxF "$(total slim)" "$LAB_STATE/slim-layers.txt"
	expect_or "app:slim wastes 0B" "$(total slim)" eval 'total slim | grep -q ", 0B wasted"'
	fat=$(size fat) slim=$(size slim)
	expect_or "app:slim is over 7 MB smaller than app:fat" "$slim bytes, app:fat $fat" [ "$slim" -lt $((fat - 7000000)) ]
	echo "check: ok - app:slim: $slim bytes, 0B wasted; app:fat: $fat bytes ($((fat / slim))x bigger)"
}

steps "$@"
