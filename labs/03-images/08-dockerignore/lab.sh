#!/bin/sh
# labs/03-images/08-dockerignore/lab.sh - the build context is every file of the folder
# unless .dockerignore leaves it out: a .env secret, .git and node_modules kept out.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab dockerignore STEP`)
#
# check looks in the image the learner built (its files and its saved layers) and at the
# sizes. Everything runs in a store and a namespace of the lab's own (mrlab.sh): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=dockerignore
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

SECRET=hunter2-lab-db-password

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env', write $LAB_STATE/site/.dockerignore with one pattern a line:
  .git
  node_modules
  .env
then build the same context again as site:clean and save
  minirun run --rm site:clean find /site > $LAB_STATE/clean.txt
HINT
}

# setup_ - a web site's folder as it sits on a laptop: sources, and much that is not
setup_() {
	s=$LAB_STATE/site
	mkdir -p "$s/src" "$s/.git/objects/4b" "$s/node_modules/left-pad" || return 1
	echo '<h1>hello</h1>' >"$s/src/index.html"
	echo 'console.log("hi")' >"$s/src/app.js"
	echo 'ref: refs/heads/main' >"$s/.git/HEAD"
	head -c 300000 /dev/urandom >"$s/.git/objects/4b/pack"
	head -c 2000000 /dev/urandom >"$s/node_modules/left-pad/index.node"
	echo "DB_PASSWORD=$SECRET" >"$s/.env"
	chmod 600 "$s/.env"
	printf 'FROM busybox\nCOPY . /site\nCMD ["httpd", "-f", "-h", "/site/src"]\n' >"$s/Dockerfile"
}

run_() {
	cd "$LAB_STATE/site" || return 1
	minirun build -t site:leaky . || return 1
	minirun run --rm site:leaky find /site
	minirun run --rm site:leaky cat /site/.env
	printf '.git\nnode_modules\n.env\n' >.dockerignore
	minirun build -t site:clean . || return 1
	minirun run --rm site:clean find /site | tee "$LAB_STATE/clean.txt"
	minirun images site
}

# size IMAGE - the image's size in bytes
size() { minirun image inspect -f '{{.Size}}' "$1"; }

check_() {
	expect "there is a site/.dockerignore" [ -f "$LAB_STATE/site/.dockerignore" ]
	expect "there is an image site:clean (built in step 4)" minirun image inspect site:clean
	files=$(minirun run --rm site:clean find /site 2>&1)
	for f in /site/src/index.html /site/src/app.js; do
		expect "site:clean has $f: the sources stay in" eval 'echo "$files" | grep -qx "$f"'
	done
	echo "check: ok - site:clean has the sources (src/index.html, src/app.js)"
	for f in /site/.env /site/.git /site/node_modules; do
		expect "site:clean has no $f: .dockerignore left it out of the context" not eval 'echo "$files" | grep -qx "$f"'
	done
	echo "check: ok - site:clean has no .env, .git or node_modules"
	expect "no layer of site:clean holds the password of .env" not eval 'minirun save site:clean | tar -xO | grep -aq "$SECRET"'
	echo "check: ok - no layer of site:clean holds the password (minirun save | tar -xO | grep)"
	have clean.txt
	expect "clean.txt is the listing of site:clean ('find /site' run in it)" \
		eval 'grep -qx /site/src/index.html "$LAB_STATE/clean.txt" && ! grep -q "/site/\.env" "$LAB_STATE/clean.txt"'
	echo "check: ok - clean.txt lists site:clean's /site"
	if minirun image inspect site:leaky >/dev/null 2>&1; then
		l=$(size site:leaky) c=$(size site:clean)
		expect_or "site:clean is over 2 MB (node_modules) smaller than site:leaky" "$c bytes, site:leaky $l" \
			[ "$c" -lt $((l - 2000000)) ]
		echo "check: ok - site:clean is $c bytes, site:leaky $l: $((l - c)) bytes never sent"
	fi
}

steps "$@"
