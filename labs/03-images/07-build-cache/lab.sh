#!/bin/sh
# labs/03-images/07-build-cache/lab.sh - the build cache: the order of the instructions
# decides what an edit rebuilds; content and mode invalidate a COPY, an mtime does not.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab build-cache STEP`)
#
# check reads the CACHED lines of the builds the learner saved. Everything runs in a store
# and a namespace of the lab's own (mrlab.sh): exit 0 pass, 1 fail (after a hint), 77 skip.
LAB_NAME=build-cache
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and 'cd $LAB_STATE/app', save each build's progress (2>&1):
  slow-edit.txt  Dockerfile.slow rebuilt after an edit of app.sh (its RUN runs again)
  fast-edit.txt  Dockerfile rebuilt after an edit of app.sh (its RUN is CACHED)
  touch.txt      Dockerfile rebuilt after 'touch requirements.txt app.sh' (all CACHED)
  mode.txt       Dockerfile rebuilt after 'chmod 600 requirements.txt' (nothing CACHED)
and tag the last build app:fast. The README's steps 2-5 have the commands.
HINT
}

# setup_ - the context: a list of "dependencies", an app, the two Dockerfiles
setup_() {
	a=$LAB_STATE/app
	mkdir -p "$a" || return 1
	printf 'left-pad 1.3.0\nis-odd 3.0.1\n' >"$a/requirements.txt"
	printf '#!/bin/sh\necho "app v1, with $(wc -l < /deps/installed) packages"\n' >"$a/app.sh"
	cat >"$a/Dockerfile.slow" <<'DOCKERFILE'
FROM busybox
WORKDIR /src
COPY . ./
RUN sleep 1 && mkdir /deps && cp requirements.txt /deps/installed && echo installed
CMD ["sh", "app.sh"]
DOCKERFILE
	cat >"$a/Dockerfile" <<'DOCKERFILE'
FROM busybox
WORKDIR /src
COPY requirements.txt ./
RUN sleep 1 && mkdir /deps && cp requirements.txt /deps/installed && echo installed
COPY app.sh ./
CMD ["sh", "app.sh"]
DOCKERFILE
}

# bump - the next version of app.sh (an edit of the source, not of the dependencies)
bump() {
	v=$(sed -n 's/.*app v\([0-9]*\).*/\1/p' app.sh)
	sed -i "s/app v$v/app v$((v + 1))/" app.sh
}

run_() {
	cd "$LAB_STATE/app" || return 1
	minirun build -f Dockerfile.slow -t app:slow . || return 1
	bump
	minirun build -f Dockerfile.slow -t app:slow . 2>&1 | tee "$LAB_STATE/slow-edit.txt"
	minirun build -t app:fast . || return 1
	bump
	minirun build -t app:fast . 2>&1 | tee "$LAB_STATE/fast-edit.txt"
	touch requirements.txt app.sh
	minirun build -t app:fast . 2>&1 | tee "$LAB_STATE/touch.txt"
	chmod 600 requirements.txt
	minirun build -t app:fast . 2>&1 | tee "$LAB_STATE/mode.txt"
	minirun run --rm app:fast
}

# steps FILE - "cached|built TITLE" for each build step of the saved progress FILE
steps_of() {
	awk '/^#[0-9]+ \[[0-9]+\/[0-9]+\] / { n = $1; sub(/^#[0-9]+ \[[0-9]+\/[0-9]+\] /, ""); t[n] = $0; o[++k] = n }
		/^#[0-9]+ CACHED$/ { c[$1] = 1 }
		END { for (i = 1; i <= k; i++) if (t[o[i]] !~ /^FROM /) print (c[o[i]] ? "cached" : "built") " " t[o[i]] }' "$1"
}
# state FILE PREFIX - "cached" or "built": the first step of FILE whose title starts PREFIX
state() { steps_of "$LAB_STATE/$1" | while read -r s t; do case $t in "$2"*) echo "$s"; break ;; esac; done; }

# step_was FILE PREFIX STATE WHY - assert that step of FILE was STATE (WHY: why it should be)
step_was() {
	_s=$(state "$1" "$2")
	[ -n "$_s" ] || fail "$1 has a step '$2': save the whole progress (2>&1) of that build"
	expect_or "$1: '$2' was $3: $4" "it was $_s" [ "$_s" = "$3" ]
}

check_() {
	for f in slow-edit.txt fast-edit.txt touch.txt mode.txt; do have $f; done
	step_was slow-edit.txt "COPY . ./" built "the edit of app.sh changed the context COPY . copies"
	step_was slow-edit.txt "RUN " built "with COPY . before it, an edit of app.sh invalidates the RUN"
	echo "check: ok - slow-edit.txt: COPY . and the RUN after it were rebuilt for an edit of app.sh"
	step_was fast-edit.txt "COPY requirements.txt" cached "requirements.txt did not change"
	step_was fast-edit.txt "RUN " cached "the RUN only sees requirements.txt, which did not change"
	step_was fast-edit.txt "COPY app.sh" built "app.sh changed, so its COPY is a miss"
	echo "check: ok - fast-edit.txt: the RUN was CACHED, only COPY app.sh rebuilt"
	n=$(steps_of "$LAB_STATE/touch.txt" | grep -c '^built')
	expect_or "touch.txt: no step rebuilt after a touch: the cache key hashes no mtime" "$n were" [ "$n" = 0 ]
	expect "touch.txt is a build of Dockerfile, 3 steps CACHED" [ "$(steps_of "$LAB_STATE/touch.txt" | grep -c '^cached')" = 3 ]
	echo "check: ok - touch.txt: all 3 steps CACHED after touch: an mtime is not a change"
	step_was mode.txt "COPY requirements.txt" built "a mode is part of the key"
	step_was mode.txt "RUN " built "the step before it was rebuilt, so every later one is"
	step_was mode.txt "COPY app.sh" built "the step before it was rebuilt, so every later one is"
	echo "check: ok - mode.txt: chmod rebuilt COPY requirements.txt and every step after it"
	v=$(sed -n 's/.*app v\([0-9]*\).*/\1/p' "$LAB_STATE/app/app.sh")
	out=$(minirun run --rm app:fast 2>&1)
	expect_or "app:fast prints 'app v$v, with 2 packages': the latest app.sh" "it prints '$out'" [ "$out" = "app v$v, with 2 packages" ]
	echo "check: ok - app:fast runs the latest app.sh: '$out'"
}

steps "$@"
