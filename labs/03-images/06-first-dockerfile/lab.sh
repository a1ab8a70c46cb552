#!/bin/sh
# labs/03-images/06-first-dockerfile/lab.sh - a first Dockerfile: one instruction, one
# history entry; RUN and COPY make a layer (WORKDIR too, when it makes its directory), the
# others only change the config.
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab first-dockerfile STEP`)
#
# Everything runs in a store and a namespace of the lab's own (mrlab.sh): exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=first-dockerfile
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', write $LAB_STATE/hello/Dockerfile as the README's step 2
shows (FROM busybox, LABEL, ENV GREETING=hello, WORKDIR /app, COPY hello.sh ./, RUN chmod
+x hello.sh && echo built > built.txt, CMD ["./hello.sh"]), then
  minirun build -t hello:1 $LAB_STATE/hello
  minirun history hello:1 > $LAB_STATE/history.txt
HINT
}

# setup_ - the context: the script the image will run
setup_() {
	mkdir -p "$LAB_STATE/hello" &&
		printf '#!/bin/sh\necho "$GREETING from $(pwd)"\n' >"$LAB_STATE/hello/hello.sh"
}

run_() {
	cat >"$LAB_STATE/hello/Dockerfile" <<'DOCKERFILE'
FROM busybox
LABEL org.example.course=minirun
ENV GREETING=hello
WORKDIR /app
COPY hello.sh ./
RUN chmod +x hello.sh && echo built > built.txt
CMD ["./hello.sh"]
DOCKERFILE
	minirun build -t hello:1 "$LAB_STATE/hello" || return 1
	minirun run --rm hello:1
	minirun history hello:1 | tee "$LAB_STATE/history.txt"
	minirun image inspect -f '{{len .RootFS.Layers}}' busybox
	minirun image inspect -f '{{len .RootFS.Layers}}' hello:1
}

check_() {
	expect "there is an image hello:1 (built in step 3)" minirun image inspect hello:1
	out=$(minirun run --rm hello:1 2>&1)
	expect_or "hello:1 prints 'hello from /app': ENV, WORKDIR, CMD" "it prints '$out'" [ "$out" = "hello from /app" ]
	echo "check: ok - hello:1 runs ./hello.sh in /app with GREETING=hello: 'hello from /app'"
	base=$(minirun image inspect -f '{{len .RootFS.Layers}}' busybox)
	mine=$(minirun image inspect -f '{{len .RootFS.Layers}}' hello:1)
	expect_or "hello:1 has busybox's layers + 3: COPY and RUN add one each, and WORKDIR one (it made /app)" \
		"it has $mine, busybox $base" [ "$mine" = $((base + 3)) ]
	echo "check: ok - hello:1 has busybox's $base layer(s) + 3: WORKDIR's /app, COPY, RUN"
	have history.txt
	for i in LABEL ENV WORKDIR CMD; do
		expect "history.txt has a '$i ... 0B' line ('minirun history hello:1')" \
			grep -Eq "^[<a-z0-9][^ ]* +.* $i .* 0B " "$LAB_STATE/history.txt"
	done
	expect "history.txt has a COPY line with a size above 0B" \
		grep -Eq " COPY hello.sh ./ .* [1-9][0-9.]*[kMG]?B " "$LAB_STATE/history.txt"
	expect "history.txt has a RUN line with a size above 0B" grep -Eq " RUN .* [1-9][0-9.]*[kMG]?B " "$LAB_STATE/history.txt"
	echo "check: ok - history.txt: LABEL, ENV, WORKDIR, CMD are 0B entries; COPY and RUN have a size"
}

steps "$@"
