#!/bin/sh
# labs/06-best-practices/13-lint/lab.sh - linting a bad Dockerfile with `minirun lint`
# (hadolint's rules) and fixing each finding until it is clean.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab lint STEP`)
#
# check lints the learner's Dockerfile (it must be clean, shellcheck's findings on RUN lines
# included when shellcheck is installed), checks it still does the same job, and reads
# the first report they saved. Everything runs in a store and a namespace of the lab's own
# (mrlab.sh): exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=lint
. "$(dirname "$0")/../bplab.sh"

# the rules the bad Dockerfile breaks, one finding each at least
RULES="DL3006 DL4000 DL3008 DL3009 DL3015 DL3059 DL3003 DL3020"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and 'cd $LAB_STATE/app':
  minirun lint Dockerfile > $LAB_STATE/findings.txt   (the first report, before any fix)
then fix one finding at a time, linting again after each: a tag on FROM, LABEL instead of
MAINTAINER, one RUN for update + install (pinned: curl=VERSION, --no-install-recommends,
&& rm -rf /var/lib/apt/lists/*), WORKDIR instead of cd, COPY instead of ADD. Keep curl,
app.sh in /app and the CMD.
HINT
}

setup_() {
	a=$LAB_STATE/app
	mkdir -p "$a" || return 1
	printf '#!/bin/sh\ncurl -fsS "${URL:-http://example.invalid/}" || echo "no network"\n' >"$a/app.sh"
	cat >"$a/Dockerfile" <<'DOCKERFILE'
FROM debian
MAINTAINER ops@example.com
RUN apt-get update
RUN apt-get install -y curl
RUN mkdir -p /app
RUN cd /app && touch installed
ADD app.sh /app/app.sh
CMD ["sh", "/app/app.sh"]
DOCKERFILE
}

run_() {
	cd "$LAB_STATE/app" || return 1
	minirun lint Dockerfile | tee "$LAB_STATE/findings.txt"
	cat >Dockerfile <<'DOCKERFILE'
FROM debian:12.8-slim
LABEL maintainer="ops@example.com"
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN touch installed
COPY app.sh /app/app.sh
CMD ["sh", "/app/app.sh"]
DOCKERFILE
	minirun lint Dockerfile && echo "lint: clean"
}

check_() {
	have findings.txt
	for r in $RULES; do
		expect "findings.txt (the first report, of the Dockerfile as setup wrote it) lists $r" grep -q " $r " "$LAB_STATE/findings.txt"
	done
	echo "check: ok - findings.txt: the first report, with $(grep -c ' DL[0-9]* ' "$LAB_STATE/findings.txt") findings ($RULES)"
	f=$LAB_STATE/app/Dockerfile
	out=$(minirun lint "$f" 2>&1)
	rc=$?
	expect_or "minirun lint Dockerfile finds nothing, exit 0" "exit $rc: $out" eval '[ $rc = 0 ] && [ -z "$out" ]'
	echo "check: ok - minirun lint Dockerfile: no finding, exit 0"
	expect "the Dockerfile still starts FROM debian (with a tag now)" grep -Eq '^FROM +debian[:@]' "$f"
	expect "the Dockerfile still installs curl" grep -Eq 'apt-get +install.*curl' "$f"
	expect "the Dockerfile still puts app.sh in /app (with COPY)" grep -Eq '^COPY +app\.sh +/app/' "$f"
	expect "the Dockerfile keeps its CMD" grep -Eq '^CMD +\["sh", *"/app/app\.sh"\]' "$f"
	expect "the Dockerfile keeps the maintainer, as a LABEL" grep -Eq '^LABEL +maintainer=' "$f"
	echo "check: ok - it still installs curl, copies app.sh into /app, and runs it"
}

steps "$@"
