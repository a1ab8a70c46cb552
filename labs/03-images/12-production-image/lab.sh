#!/bin/sh
# labs/03-images/12-production-image/lab.sh - an image fit to ship: a non-root USER, a
# HEALTHCHECK, and the build's secret left in a stage that is not shipped.
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab production-image STEP`)
#
# check runs the learner's image, asks for its health, and searches its layers for the key.
# Everything runs in a store and a namespace of the lab's own (mrlab.sh): exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=production-image
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

KEY=lab-deploy-key-7f3a9c

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' and 'cd $LAB_STATE/site', build Dockerfile.naive as site:naive
and Dockerfile as site:prod; then start 'minirun run -d --name web site:prod' and wait
until 'minirun inspect -f "{{.State.Health.Status}}" web' says healthy.
HINT
}

# setup_ - a site whose build "fetches" its content with a deploy key, and two Dockerfiles
setup_() {
	s=$LAB_STATE/site
	mkdir -p "$s" || return 1
	echo "$KEY" >"$s/deploy.key"
	chmod 600 "$s/deploy.key"
	# fetch.sh plays a download that needs the key: it refuses to work without it
	cat >"$s/fetch.sh" <<'FETCH'
test -s /tmp/deploy.key || { echo "fetch.sh: no deploy key" >&2; exit 1; }
mkdir -p /site && echo '<h1>hello, production</h1>' > /site/index.html
FETCH
	cat >"$s/Dockerfile.naive" <<'DOCKERFILE'
FROM busybox
COPY deploy.key fetch.sh /tmp/
RUN sh /tmp/fetch.sh && rm /tmp/deploy.key
CMD ["httpd", "-f", "-p", "8080", "-h", "/site"]
DOCKERFILE
	cat >"$s/Dockerfile" <<'DOCKERFILE'
FROM busybox AS fetch
COPY deploy.key fetch.sh /tmp/
RUN sh /tmp/fetch.sh

FROM busybox AS prod
COPY --from=fetch /site /site
USER 65534:65534
HEALTHCHECK --interval=1s --timeout=2s --retries=2 \
    CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1
CMD ["httpd", "-f", "-p", "8080", "-h", "/site"]
DOCKERFILE
}

run_() {
	cd "$LAB_STATE/site" || return 1
	minirun build -t site:naive -f Dockerfile.naive . || return 1
	minirun build -t site:prod . || return 1
	minirun save site:naive | tar -xO | grep -ao "$KEY"
	minirun save site:prod | tar -xO | grep -ao "$KEY"
	minirun run -d --name web site:prod
	i=0
	while [ "$(minirun inspect -f '{{.State.Health.Status}}' web)" != healthy ] && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	minirun ps
	minirun exec web id
}

check_() {
	for i in site:naive site:prod; do
		expect "there is an image $i (built in step 2)" minirun image inspect $i
	done
	expect "a layer of site:naive holds the key (Dockerfile.naive: rm came too late)" \
		eval 'minirun save site:naive | tar -xO | grep -aq "$KEY"'
	expect "no layer of site:prod holds the deploy key: it stayed in the fetch stage" \
		not eval 'minirun save site:prod | tar -xO | grep -aq "$KEY"'
	echo "check: ok - the deploy key is in a layer of site:naive (rm came too late), in none of site:prod"
	u=$(minirun image inspect -f '{{.Config.User}}' site:prod)
	expect_or "site:prod's User is not root" "it is '$u'" eval 'case $u in "" | 0 | 0:* | root | root:*) false ;; esac'
	hc=$(minirun image inspect -f '{{json .Config.Healthcheck}}' site:prod)
	expect_or "site:prod has a HEALTHCHECK that asks the server (wget)" "it has $hc" eval 'case $hc in *CMD-SHELL*wget*) ;; *) false ;; esac'
	echo "check: ok - site:prod's config: User $u, a HEALTHCHECK"
	expect "there is a container web (site:prod run in step 3)" minirun inspect web
	expect "web is a container of site:prod" [ "$(minirun inspect -f '{{.Config.Image}}' web)" = site:prod ]
	h=$(minirun inspect -f '{{.State.Health.Status}}' web)
	expect_or "web is healthy" "it is '$h': is it running? (minirun ps, minirun logs web)" [ "$h" = healthy ]
	id=$(minirun exec web id -u)
	expect_or "web's processes run as uid 65534" "they run as '$id'" [ "$id" = 65534 ]
	echo "check: ok - web is healthy, and its server runs as uid $id"
}

steps "$@"
