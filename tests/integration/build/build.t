# tests/integration/build/build.t - `minirun build`: a Dockerfile (ARG, ENV, WORKDIR, RUN,
# COPY, CMD, LABEL, EXPOSE) becomes an image in the store that runs with what it says, with
# BuildKit's history (created_by, empty_layer) and one layer per RUN/COPY; the cache (an
# unchanged rebuild is all CACHED, an mtime is not a change, content and --build-arg are);
# .dockerignore; a failing RUN in docker's words; bad input with FILE:LINE; and nothing
# left behind (no container, mount, temp file or intermediate image).
# Run: sh tests/integration/build/build.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"

# the context every test starts from, in $T_DIR/ctx
context() {
	mkdir -p "$T_DIR/ctx/sub"
	echo hello >"$T_DIR/ctx/a.txt"
	echo s >"$T_DIR/ctx/sub/s.txt"
	echo secret >"$T_DIR/ctx/secret.key"
	printf '*.key\n' >"$T_DIR/ctx/.dockerignore"
	cat >"$T_DIR/ctx/Dockerfile" <<'XEOF'
FROM busybox
ARG GREETING=hi
ENV APP=/app
WORKDIR $APP
RUN echo "$GREETING" > greeting && echo built
COPY . ./
COPY a.txt /etc/a.txt
CMD ["cat", "greeting"]
LABEL org.example.kind=test
EXPOSE 8080
XEOF
	export C="$T_DIR/ctx"
}

build_and_run() {
	ct_need
	context
	ct_host '
		mr build -t hello "$C" 2>"$R.out" || die "build exited $?: $(cat "$R.out")"
		grep -q "^#[0-9]* \[2/4\] RUN echo \"\$GREETING\" > greeting && echo built$" "$R.out" ||
			die "no RUN step in the progress: $(cat "$R.out")"
		grep -Eq "^#[0-9]+ [0-9.]+ built$" "$R.out" || die "the RUN output is not under its step"
		[ "$(mr run --rm hello)" = hi ] || die "CMD: $(mr run --rm hello)"
		out=$(mr run --rm hello sh -c "pwd; cat /etc/a.txt sub/s.txt; ls -a")
		echo "$out" | head -3 | tr "\n" " " | grep -qx "/app hello s " || die "files: $out"
		echo "$out" | grep -q secret.key && die ".dockerignore: secret.key was copied"
		echo "$out" | grep -qx Dockerfile || die "COPY . copies the Dockerfile too: $out"
		[ "$(mr image inspect -f "{{json .Config.Env}}" hello)" = \
		  "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"APP=/app\"]" ] ||
			die "Env: $(mr image inspect -f "{{json .Config.Env}}" hello)"
		[ "$(mr image inspect -f "{{.Config.WorkingDir}}" hello)" = /app ] || die WorkingDir
		mr image inspect hello | grep -q "\"org.example.kind\": \"test\"" || die Labels
		mr image inspect hello | grep -q "\"8080/tcp\": {}" || die ExposedPorts
		# one layer per RUN and COPY, one for WORKDIR (it made /app, as BuildKit does),
		# none for the rest
		n=$(mr image inspect -f "{{json .RootFS.Layers}}" busybox | tr , "\n" | wc -l)
		[ "$(mr image inspect -f "{{json .RootFS.Layers}}" hello | tr , "\n" | wc -l)" = $((n + 4)) ] ||
			die "layers: $(mr image inspect -f "{{json .RootFS.Layers}}" hello)"
		h=$(mr history --no-trunc hello)
		echo "$h" | grep -q "RUN |1 GREETING=hi /bin/sh -c echo \"\$GREETING\" > greeting && echo built # buildkit" ||
			die "RUN created_by: $h"
		echo "$h" | grep -q "CMD \[\"cat\" \"greeting\"\]" || die "CMD created_by: $h"
		echo "$h" | grep -Eq "ENV APP=/app +0B" || die "ENV: $h"
		echo "$h" | grep -q "EXPOSE map\[8080/tcp:{}\]" || die "EXPOSE history: $h"
		# the images RUN needed are gone; so is every container
		[ "$(mr images -q | sort -u | wc -l)" = 2 ] || die "images: $(mr images)"
		[ -z "$(ct_ids)" ] || die "containers left: $(ct_ids)"
		ls $R/images/.tmp 2>/dev/null | grep -q . && die "temp files left: $(ls $R/images/.tmp)"
		ct_noleaks
	'
}
t "build: the image runs with its files and config; history; a layer per RUN/COPY/new WORKDIR" build_and_run

cache() {
	ct_need
	context
	ct_host '
		mr build -t hello "$C" 2>/dev/null || die "first build"
		id1=$(mr image inspect -f "{{.Id}}" hello)
		mr build -t hello "$C" 2>"$R.out" || die "second build"
		[ "$(grep -c "^#[0-9]* CACHED$" "$R.out")" = 3 ] || die "unchanged: not all cached: $(cat "$R.out")"
		[ "$(mr image inspect -f "{{.Id}}" hello)" = "$id1" ] || die "an unchanged rebuild is another image"
		touch -d "2001-01-01" "$C/a.txt"
		mr build -t hello "$C" 2>"$R.out" || die "build after touch"
		[ "$(grep -c "^#[0-9]* CACHED$" "$R.out")" = 3 ] || die "an mtime is no change: $(cat "$R.out")"
		echo changed >"$C/a.txt"
		mr build -t hello "$C" 2>"$R.out" || die "build after a change"
		[ "$(grep -c "^#[0-9]* CACHED$" "$R.out")" = 1 ] || die "content: $(cat "$R.out")"
		[ "$(mr run --rm hello cat /etc/a.txt)" = changed ] || die "the new content is not in"
		mr build --build-arg GREETING=ho -t hello "$C" 2>"$R.out" || die "build with an arg"
		grep -c "CACHED" "$R.out" | grep -qx 0 || die "--build-arg: the RUN after the ARG is cached"
		[ "$(mr run --rm hello)" = ho ] || die "--build-arg did not reach RUN"
		mr build --no-cache -q -t hello "$C" >"$R.id" 2>"$R.out" || die "--no-cache"
		grep -Eqx "sha256:[0-9a-f]{64}" "$R.id" || die "-q prints the ID: $(cat "$R.id")"
		[ -s "$R.out" ] && die "-q printed progress: $(cat "$R.out")"
		ct_noleaks
	'
}
t "cache: unchanged and touched are CACHED; content and --build-arg rebuild; --no-cache" cache

config_fields() {
	ct_need
	context
	cat >"$C/Dockerfile" <<'XEOF'
ARG BASE=busybox
FROM $BASE
ARG BASE
RUN echo "base=$BASE" > /base
SHELL ["/bin/sh", "-ec"]
COPY --chown=1000:1001 --chmod=640 a.txt /owned
USER 1000:1001
ENTRYPOINT ["/bin/cat"]
STOPSIGNAL SIGQUIT
VOLUME /data
HEALTHCHECK --interval=5s --timeout=3s --retries=2 CMD test -e /owned
ONBUILD RUN echo child
XEOF
	ct_host '
		mr build -q -t cfg "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		[ "$(mr run --rm cfg /base)" = "base=busybox" ] || die "ARG before FROM, re-declared"
		[ "$(mr run --rm cfg /owned)" = hello ] || die "ENTRYPOINT with an argument"
		[ "$(mr run --rm --entrypoint stat cfg -c "%u:%g %a" /owned)" = "1000:1001 640" ] ||
			die "--chown/--chmod: $(mr run --rm --entrypoint stat cfg -c "%u:%g %a" /owned)"
		i() { mr image inspect -f "{{json .Config.$1}}" cfg; }
		[ "$(i User)" = "\"1000:1001\"" ] || die "User: $(i User)"
		[ "$(i Shell)" = "[\"/bin/sh\",\"-ec\"]" ] || die "Shell: $(i Shell)"
		[ "$(i StopSignal)" = "\"SIGQUIT\"" ] || die "StopSignal: $(i StopSignal)"
		[ "$(i Volumes)" = "{\"/data\":{}}" ] || die "Volumes: $(i Volumes)"
		[ "$(i OnBuild)" = "[\"RUN echo child\"]" ] || die "OnBuild: $(i OnBuild)"
		i Healthcheck | grep -q "\"Test\":\[\"CMD-SHELL\",\"test -e /owned\"\]" ||
			die "Healthcheck: $(i Healthcheck)"
		i Healthcheck | grep -q "\"Interval\":5000000000" || die "Interval: $(i Healthcheck)"
		i Healthcheck | grep -q "\"Retries\":2" || die "Retries: $(i Healthcheck)"
		h=$(mr history --no-trunc cfg)
		echo "$h" | grep -q "VOLUME \[/data\]" || die "VOLUME history: $h"
		echo "$h" | grep -q "SHELL \[/bin/sh -ec\]" || die "SHELL history: $h"
		[ "$(i Cmd)" = null ] || die "ENTRYPOINT resets the base image CMD: $(i Cmd)"
		printf "FROM busybox\nCMD [\"kept\"]\nENTRYPOINT [\"echo\"]\n" >"$C/Dockerfile"
		mr build -q -t cfg2 "$C" >/dev/null 2>&1 || die "build cfg2"
		[ "$(mr run --rm cfg2)" = kept ] || die "a CMD of the same stage is kept by ENTRYPOINT"
		ct_noleaks
	'
}
t "config: USER SHELL ENTRYPOINT STOPSIGNAL VOLUME HEALTHCHECK ONBUILD, ARG before FROM, --chown" config_fields

onbuild_stdin_label() {
	ct_need
	context
	printf 'FROM busybox\nONBUILD RUN echo fired > /child\nONBUILD COPY a.txt /from-child-context\n' >"$C/Dockerfile"
	ct_host '
		mr build -q -t parent "$C" >/dev/null 2>"$R.out" || die "parent: $(cat "$R.out")"
		mr run --rm parent test -e /child && die "ONBUILD fired in its own build"
		printf "FROM parent\n" | mr build -q -f - --label team=web -t child "$C" >/dev/null 2>"$R.out" ||
			die "-f -: $(cat "$R.out")"
		[ "$(mr run --rm child cat /child /from-child-context)" = "fired
hello" ] || die "the triggers did not fire in the child"
		[ "$(mr image inspect -f "{{json .Config.OnBuild}}" child)" = null ] ||
			die "the child keeps the triggers: $(mr image inspect -f "{{json .Config.OnBuild}}" child)"
		mr image inspect child | grep -q "\"team\": \"web\"" || die "--label"
		ct_noleaks
	'
}
t "ONBUILD fires in the child build (and only there); -f - and --label" onbuild_stdin_label

exclude_parents() {
	ct_need
	context
	mkdir -p "$C/x" "$C/y" "$C/docs" && echo x >"$C/x/a.txt" && echo y >"$C/y/a.txt" &&
		echo d >"$C/docs/d" && echo r >"$C/README.md" && echo h1 >"$C/home1.txt" &&
		echo h2 >"$C/home2.bin"
	printf 'FROM busybox\nCOPY --exclude=*.txt hom* /mydir/\nCOPY --exclude=*.md --exclude=docs . /app/\nCOPY --parents x/a.txt y/a.txt /p/\n' >"$C/Dockerfile"
	ct_host '
		mr build -q -t ex "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		[ "$(mr run --rm ex ls /mydir)" = home2.bin ] || die "--exclude=*.txt: $(mr run --rm ex ls /mydir)"
		out=$(mr run --rm ex ls /app)
		echo "$out" | grep -qx README.md && die "--exclude=*.md: $out"
		echo "$out" | grep -qx docs && die "--exclude=docs: $out"
		echo "$out" | grep -qx a.txt || die "COPY . lost a.txt: $out"
		[ "$(mr run --rm ex cat /p/x/a.txt /p/y/a.txt)" = "x
y" ] || die "--parents: $(mr run --rm ex find /p)"
		ct_noleaks
	'
}
t "COPY --exclude (patterns below the source, several) and --parents (the path kept)" exclude_parents

stdin_context() {
	ct_need
	context
	printf 'FROM busybox\nCOPY a.txt /a.txt\n' >"$C/Dockerfile"
	ct_host '
		tar -C "$C" -cf - . | mr build -q -t fromtar - >/dev/null 2>"$R.out" ||
			die "a tar on stdin: $(cat "$R.out")"
		[ "$(mr run --rm fromtar cat /a.txt)" = hello ] || die "the context of the tar"
		printf "FROM busybox\nRUN echo alone > /alone\n" | mr build -q -t alone - >/dev/null 2>"$R.out" ||
			die "a Dockerfile on stdin: $(cat "$R.out")"
		[ "$(mr run --rm alone cat /alone)" = alone ] || die "the Dockerfile alone"
		out=$(echo x | mr build -q -f - - 2>&1) && die "both on stdin accepted"
		echo "$out" | grep -q "cannot both be read from stdin" || die "$out"
		ls $R/images/.tmp 2>/dev/null | grep -q . && die "temp files left: $(ls $R/images/.tmp)"
		ct_noleaks
	'
}
t "build -: a tar of the context, or a Dockerfile alone, on stdin" stdin_context

copy_destinations() {
	ct_need
	context
	printf 'FROM busybox\nWORKDIR /w\nCOPY a.txt .\nCOPY a.txt /etc\nCOPY a.txt /renamed\nCOPY sub /subdir\nCOPY a.txt sub/s.txt /two/\nCOPY ["a.txt", "/with space"]\nRUN mkdir -p /usr/real && ln -s usr/real /link && ln -s /usr/real /abs\nCOPY a.txt /link/\nCOPY a.txt /abs/sub/b.txt\n' >"$C/Dockerfile"
	ct_host '
		mr build -q -t dest "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		out=$(mr run --rm dest sh -c "cat /w/a.txt /etc/a.txt /renamed /subdir/s.txt /two/a.txt /two/s.txt \"/with space\"")
		[ "$out" = "hello
hello
hello
s
hello
s
hello" ] || die "destinations: $out"
		out=$(mr run --rm dest sh -c "readlink /link; readlink /abs; cat /usr/real/a.txt /usr/real/sub/b.txt" 2>&1)
		[ "$out" = "usr/real
/usr/real
hello
hello" ] || die "through the image'"'"'s symlinks: $out"
		ct_noleaks
	'
}
t "COPY destinations: . is WORKDIR, an image dir takes the file in, symlinked dirs followed" copy_destinations

predefined_args() {
	ct_need
	context
	printf 'FROM busybox\nARG TARGETARCH\nARG UNSET\nRUN echo "$TARGETARCH/$TARGETOS/${UNSET:-none}/$HTTP_PROXY" > /f\n' >"$C/Dockerfile"
	ct_host '
		mr build -q -t args --build-arg HTTP_PROXY=http://proxy:3128 --build-arg NOPE=1 "$C" \
			>/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		arch=$(mr image inspect -f "{{.Architecture}}" busybox)
		[ "$(mr run --rm args cat /f)" = "$arch//none/http://proxy:3128" ] ||
			die "TARGETARCH declared, TARGETOS not, the proxy ARG: $(mr run --rm args cat /f)"
		[ "$(cat "$R.out")" = "[Warning] One or more build-args [NOPE] were not consumed" ] ||
			die "warnings: $(cat "$R.out")"
		mr history --no-trunc args | grep -q proxy && die "the proxy ARG is in the history"
		ct_noleaks
	'
}
t "ARGs: TARGETARCH when declared, proxy ARGs without one (not in history), unused warned" predefined_args

multi_stage() {
	ct_need
	context
	cat >"$C/Dockerfile" <<'XEOF'
FROM busybox AS build
RUN mkdir -p /out && echo built-binary > /out/app && echo second > /out/second
RUN rm /out/second

FROM busybox AS unused
RUN echo unused-stage-ran

FROM build AS test
RUN test -e /out/app

FROM busybox
COPY --from=build /out/ /usr/local/bin/
COPY --from=0 /out/app /app
CMD ["cat", "/usr/local/bin/app"]
XEOF
	ct_host '
		mr build -t multi "$C" 2>"$R.out" || die "build: $(cat "$R.out")"
		grep -q "unused-stage-ran" "$R.out" && die "a stage the target does not need was built"
		grep -q "test 1/2" "$R.out" && die "the test stage is not needed by the last one"
		grep -q "^#[0-9]* \[build 2/3\] RUN mkdir" "$R.out" || die "stage names: $(cat "$R.out")"
		[ "$(mr run --rm multi)" = built-binary ] || die "COPY --from=build"
		[ "$(mr run --rm multi cat /app)" = built-binary ] || die "COPY --from=0"
		mr run --rm multi test -e /usr/local/bin/second && die "the whiteout of /out/second was not seen"
		mr build --target test -t t "$C" 2>"$R.out" || die "--target: $(cat "$R.out")"
		grep -q "^#[0-9]* \[test 2/2\] RUN test -e /out/app" "$R.out" || die "--target test: $(cat "$R.out")"
		[ "$(grep -c CACHED "$R.out")" = 2 ] || die "the build stage is cached: $(cat "$R.out")"
		out=$(mr build -q --target nope "$C" 2>&1) && die "--target nope built"
		[ "$out" = "minirun: target stage \"nope\" could not be found" ] || die "$out"
		ls $R/images/.tmp 2>/dev/null | grep -q . && die "temp files left: $(ls $R/images/.tmp)"
		ct_noleaks
	'
}
t "multi-stage: named and numbered COPY --from, FROM a stage, --target, unused stages skipped" multi_stage

output() {
	ct_need
	context
	printf 'FROM busybox\nRUN echo made > /made && rm /bin/vi\nCOPY a.txt /a.txt\n' >"$C/Dockerfile"
	ct_host '
		mr build -q -o type=local,dest="$R.dir" "$C" >"$R.id" 2>"$R.out" || die "local: $(cat "$R.out")"
		[ "$(cat "$R.dir/made" "$R.dir/a.txt")" = "made
hello" ] || die "the tree: $(ls "$R.dir")"
		[ -e "$R.dir/bin/sh" ] || die "the base is not in the tree"
		[ -e "$R.dir/bin/vi" ] && die "the whiteout of /bin/vi was not applied"
		[ -s "$R.id" ] && die "--output printed an image ID"
		mr build -q --output type=tar,dest="$R.tar" "$C" >/dev/null 2>"$R.out" || die "tar: $(cat "$R.out")"
		tar tf "$R.tar" | grep -qx made || die "the tar: $(tar tf "$R.tar" | head)"
		[ "$(mr images -q | wc -l)" = 1 ] || die "--output stored an image: $(mr images)"
		out=$(mr build -q -o type=zip,dest=x "$C" 2>&1) && die "type=zip accepted"
		echo "$out" | grep -q "give type=local,dest=DIR or type=tar,dest=FILE" || die "$out"
		ct_noleaks
	'
}
t "--output type=local and type=tar write the filesystem, store no image" output

heredocs() {
	ct_need
	context
	printf 'FROM busybox\nARG WHO=world\nRUN <<EOF\necho "script says hi" > /one\necho line2 >> /one\nEOF\nRUN cat <<EOF > /two\nhello $WHO\nEOF\nCOPY <<a.txt <<-"b.txt" /dir/\nA $WHO\na.txt\n\tB $WHO\n\tb.txt\n' >"$C/Dockerfile"
	ct_host '
		mr build -q -t hd "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		out=$(mr run --rm hd cat /one /two /dir/a.txt /dir/b.txt)
		[ "$out" = "script says hi
line2
hello world
A world
B \$WHO" ] || die "the heredocs made: $out"
		ct_noleaks
	'
}
t "heredocs: RUN <<EOF runs its body, cat <<EOF in a script, COPY <<a <<-\"b\" makes files" heredocs

add_archives() {
	ct_need
	context
	mkdir -p "$T_DIR/src/d" && echo inner >"$T_DIR/src/d/f"
	(cd "$T_DIR/src" && tar czf "$C/a.tgz" d && tar cJf "$C/a.txz" d && tar cjf "$C/a.tbz" d &&
		tar cf - d | zstd -q >"$C/a.tzst") 2>/dev/null ||
		t_skip "making the test archives needs tar with gzip, xz, bzip2 and zstd"
	printf 'FROM busybox\nADD a.tgz /gz/\nADD a.txz a.tbz a.tzst /many/\nADD a.txt /plain.txt\n' >"$C/Dockerfile"
	ct_host '
		mr build -q -t add "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		[ "$(mr run --rm add cat /gz/d/f /many/d/f /plain.txt)" = "inner
inner
hello" ] || die "ADD: $(mr run --rm add sh -c "ls -R /gz /many /plain.txt")"
		ct_noleaks
	'
}
t "ADD unpacks local tars (gzip, xz, bzip2, zstd) and copies other files" add_archives

failing_run() {
	ct_need
	context
	printf 'FROM busybox\nRUN echo about to fail; exit 3\n' >"$C/Dockerfile"
	ct_host '
		out=$(mr build -t bad "$C" 2>&1) && die "a failing RUN built"
		echo "$out" | grep -qx "minirun: process \"/bin/sh -c echo about to fail; exit 3\" did not complete successfully: exit code: 3" ||
			die "message: $out"
		echo "$out" | grep -Eq "^#[0-9]+ [0-9.]+ about to fail$" || die "output: $out"
		mr images | grep -q "^bad " && die "an image was named"
		[ -z "$(ct_ids)" ] || die "containers left: $(ct_ids)"
		[ "$(mr images -q | wc -l)" = 1 ] || die "images: $(mr images)"
		ct_noleaks
	'
}
t "a failing RUN: docker's line, exit 1, no image, nothing left" failing_run

interrupted() {
	ct_need
	context
	printf 'FROM busybox\nRUN echo start; sleep 30\n' >"$C/Dockerfile"
	ct_host '
		"$MINIRUN" --root "$R" build -t never "$C" 2>"$R.out" &
		pid=$!
		for _i in $(seq 50); do grep -q " start$" "$R.out" && break; sleep 0.1; done
		grep -q " start$" "$R.out" || die "the RUN did not start: $(cat "$R.out")"
		kill -TERM $pid
		wait $pid && die "an interrupted build succeeded"
		grep -q "exit code: 143" "$R.out" || die "the RUN did not end on SIGTERM: $(cat "$R.out")"
		mr images | grep -q "^never " && die "an image was named"
		[ -z "$(ct_ids)" ] || die "containers left: $(ct_ids)"
		[ "$(mr images -q | wc -l)" = 1 ] || die "images: $(mr images)"
		ls $R/images/.tmp 2>/dev/null | grep -q . && die "temp files left: $(ls $R/images/.tmp)"
		ct_noleaks
	'
}
t "a SIGTERM during RUN ends it: the build fails, nothing is left" interrupted

killed() {
	ct_need
	context
	printf 'FROM busybox\nRUN echo start; sleep 30\n' >"$C/Dockerfile"
	printf 'FROM busybox\nCMD ["true"]\n' >"$C/next"
	ct_host '
		"$MINIRUN" --root "$R" build -t never "$C" 2>"$R.out" &
		pid=$!
		for _i in $(seq 50); do grep -q " start$" "$R.out" && break; sleep 0.1; done
		grep -q " start$" "$R.out" || die "the RUN did not start: $(cat "$R.out")"
		kill -KILL $pid
		wait $pid 2>/dev/null
		[ -n "$(ct_ids)" ] || die "nothing to clean up: the test proves nothing"
		mr build -q -t next -f "$C/next" "$C" >/dev/null 2>&1 || die "the next build"
		[ -z "$(ct_ids)" ] || die "the killed build'"'"'s container is left: $(ct_ids)"
		[ "$(mr images -q | wc -l)" = 2 ] || die "images: $(mr images)"
		ct_noleaks
	'
}
t "a build killed with SIGKILL during RUN: the next build removes what it left" killed

bad_input() {
	ct_need
	context
	printf 'FROM busybox\nCOPY ../x /x\n' >"$C/outside"
	printf 'FROM busybox\nCOPY secret.key /x\n' >"$C/ignored"
	printf 'FROM busybox\n\nFOO bar\n' >"$C/unknown"
	# not in the store: pulled, from a registry on a loopback port nothing listens on
	printf 'FROM 127.0.0.1:1/nothere\n' >"$C/nobase"
	printf 'FROM busybox\nENV x\n' >"$C/parse"
	ct_host '
		b() { mr build -q -f "$C/$1" "$C" 2>&1 && die "$1 built"; }
		t1=$(b outside) ; [ "$t1" = "minirun: $C/outside:2: COPY failed: forbidden path outside the build context: ../x" ] || die "$t1"
		t1=$(b ignored) ; echo "$t1" | grep -q "excluded by .dockerignore" || die "$t1"
		t1=$(b unknown) ; [ "$t1" = "minirun: $C/unknown:3: unknown instruction: FOO" ] || die "$t1"
		t1=$(b nobase) ; echo "$t1" | grep -q "^minirun: $C/nobase:1: FROM 127.0.0.1:1/nothere: not in the store, and the pull failed: .*127.0.0.1:1/v2/nothere" || die "$t1"
		t1=$(b parse) ; [ "$t1" = "minirun: $C/parse:2: ENV must have two arguments" ] || die "$t1"
		out=$(mr build 2>&1) && die "no context accepted"
		[ "$(mr images -q | wc -l)" = 1 ] || die "images: $(mr images)"
		ct_noleaks
	'
}
t "bad input: outside the context, ignored, unknown, no base, parse error: FILE:LINE" bad_input
# an exception (!README.md) makes the copy walk excluded directories for what it brings
# back; a directory that brings nothing back is not copied at all (it was, empty)
ignored_dir_with_exception() {
	ct_need
	mkdir -p "$T_DIR/ig/.git" "$T_DIR/ig/docs"
	echo ref >"$T_DIR/ig/.git/HEAD"
	echo r >"$T_DIR/ig/README.md"
	echo d >"$T_DIR/ig/docs/notes.md"
	printf '.git\n*.md\n!README.md\n' >"$T_DIR/ig/.dockerignore"
	printf 'FROM busybox\nCOPY . /ctx\n' >"$T_DIR/ig/Dockerfile"
	export C="$T_DIR/ig"
	ct_host '
		mr build -q -t ig "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		out=$(mr run --rm ig find /ctx | sort | tr "\n" " ")
		[ "$out" = "/ctx /ctx/.dockerignore /ctx/Dockerfile /ctx/README.md /ctx/docs /ctx/docs/notes.md " ] ||
			die "the copied tree: $out"
		mr rmi ig >/dev/null
	'
}
t ".dockerignore: an excluded dir stays out even when a ! exception is listed" ignored_dir_with_exception

# FROM scratch: the empty image, for a stage that only copies a program in (the classic
# static-binary multi-stage build); a RUN there has nothing to run and says so
from_scratch() {
	ct_need
	mkdir -p "$T_DIR/sc"
	printf 'FROM busybox AS b\nRUN echo built > /out\nFROM scratch\nCOPY --from=b /bin/busybox /bin/busybox\nCOPY --from=b /out /out\nCMD ["/bin/busybox", "cat", "/out"]\n' >"$T_DIR/sc/Dockerfile"
	printf 'FROM scratch\nRUN true\n' >"$T_DIR/sc/Dockerfile.run"
	export C="$T_DIR/sc"
	ct_host '
		mr build -q -t sc "$C" >/dev/null 2>"$R.out" || die "build: $(cat "$R.out")"
		echo "run: $(mr run --rm --network none sc)"
		echo "layers: $(mr image inspect -f "{{len .RootFS.Layers}} {{.Os}}" sc)"
		mr build -f "$C/Dockerfile.run" "$C" >/dev/null 2>"$R.err"
		echo "rc=$?"
		tail -n 1 "$R.err" | sed "s/^/err: /"
		mr rmi sc >/dev/null
		ct_noleaks
	' >"$T_DIR/out" 2>&1 || t_fail "$(cat "$T_DIR/out")"
	out=$(cat "$T_DIR/out")
	t_match "$out" '^run: built$' "the program copied into an empty image runs"
	t_match "$out" '^layers: 2 linux$' "two layers (the two COPYs), the platform in the config"
	t_match "$out" '^rc=1$' "RUN in an empty stage fails the build"
	t_match "$out" "^err: minirun: RUN in an empty image \(FROM scratch\): there is no '/bin/sh' to run"
}
t "FROM scratch: an empty base that COPY fills; RUN there says there is nothing to run" from_scratch
t_end
