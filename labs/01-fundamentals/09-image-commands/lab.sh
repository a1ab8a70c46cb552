#!/bin/sh
# labs/01-fundamentals/09-image-commands/lab.sh - pull, tag, history, save, load, rmi, and
# a layer two images share stored once (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown   (usually through `labs/lab image-commands STEP`)
#
# setup starts Debian's docker-registry on 127.0.0.1:5000 inside the lab's namespace that
# plays the host (so no port of the machine's own is used, and it dies with the lab), and
# pushes two images to it: lab/busybox:1 (the built-in busybox) and lab/hello:1 (busybox
# plus one COPY layer); then it removes them from the lab's store, which starts empty.
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last). mrlab.sh has the rest.
LAB_NAME=image-commands
. "$(dirname "$0")/../mrlab.sh"

REG=127.0.0.1:5000

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun pull 127.0.0.1:5000/lab/busybox:1; minirun pull 127.0.0.1:5000/lab/hello:1 | tee $LAB_STATE/pull.txt
  minirun tag 127.0.0.1:5000/lab/hello:1 hello:v1; minirun images > $LAB_STATE/images.txt
  minirun history hello:v1 > $LAB_STATE/history.txt
  each image's layers: its manifest (index.json names it) lists them; the digest in both
  lists goes in $LAB_STATE/shared.txt
  minirun save -o $LAB_STATE/hello.tar hello:v1; minirun rmi 127.0.0.1:5000/lab/busybox:1
  ls $LAB_STATE/root/images/blobs/sha256 > $LAB_STATE/after-rmi.txt
  minirun rmi hello:v1 127.0.0.1:5000/lab/hello:1; minirun load -i $LAB_STATE/hello.tar
  minirun run --rm hello:v1 > $LAB_STATE/run.txt
HINT
}

# wait_registry - until the registry answers /v2/ in the host namespace (10 s at most)
wait_registry() {
	_i=0
	until onhost curl -sf -o /dev/null "http://$REG/v2/"; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "setup: docker-registry never answered on $REG (log: $LAB_STATE/reg.log)"; return 1; }
		sleep 0.1
	done
}

# deps - the registry and the tools the steps use are here, else exit 77 (setup and check:
# a check after a skipped setup skips too)
deps() {
	for t in docker-registry curl jq; do
		command -v $t >/dev/null || { echo "needs $t: apt-get install docker-registry curl jq"; exit 77; }
	done
}

setup_() {
	deps
	mkdir -p "$LAB_STATE/reg" "$LAB_STATE/ctx"
	cat >"$LAB_STATE/reg.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $LAB_STATE/reg
  delete:
    enabled: true
http:
  addr: $REG
YML
	# nsenter execs the registry (no fork for a network namespace): $! is the registry
	"$NSENTER" -t "$(pid host)" -n docker-registry serve "$LAB_STATE/reg.yml" </dev/null >"$LAB_STATE/reg.log" 2>&1 &
	remember $! all.pids
	wait_registry || return 1
	printf 'hello from a layer of its own\n' >"$LAB_STATE/ctx/hello.txt"
	printf 'FROM busybox:latest\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n' >"$LAB_STATE/ctx/Dockerfile"
	{
		minirun tag busybox:latest $REG/lab/busybox:1 &&
			minirun push -q $REG/lab/busybox:1 &&
			minirun build -q -t $REG/lab/hello:1 "$LAB_STATE/ctx" &&
			minirun push -q $REG/lab/hello:1 &&
			minirun rmi busybox:latest $REG/lab/busybox:1 $REG/lab/hello:1
	} >"$LAB_STATE/setup.log" 2>&1 || { cat "$LAB_STATE/setup.log"; echo "setup: pushing the lab's images failed"; return 1; }
	echo "a registry on $REG (in the lab's namespace) holds lab/busybox:1 and lab/hello:1; the lab's store is empty"
}

run_() {
	need_verbs pull tag images history save load rmi
	minirun images
	minirun pull $REG/lab/busybox:1
	minirun pull $REG/lab/hello:1 | tee "$LAB_STATE/pull.txt"
	minirun tag $REG/lab/hello:1 hello:v1
	minirun images | tee "$LAB_STATE/images.txt"
	minirun history hello:v1 | tee "$LAB_STATE/history.txt"
	cd "$LAB_STATE/root/images" || return 1
	for i in busybox hello; do
		m=$(jq -r --arg r "$REG/lab/$i:1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' index.json)
		jq -r '.layers[].digest' "blobs/sha256/${m#sha256:}" | tee "$LAB_STATE/layers-$i.txt"
	done
	grep -xFf "$LAB_STATE/layers-busybox.txt" "$LAB_STATE/layers-hello.txt" | tee "$LAB_STATE/shared.txt"
	cd "$MR_TOP" || return 1
	minirun save -o "$LAB_STATE/hello.tar" hello:v1
	minirun rmi $REG/lab/busybox:1
	ls "$LAB_STATE/root/images/blobs/sha256" | tee "$LAB_STATE/after-rmi.txt"
	minirun rmi hello:v1 $REG/lab/hello:1
	minirun load -i "$LAB_STATE/hello.tar"
	minirun run --rm hello:v1 | tee "$LAB_STATE/run.txt"
}

check_() {
	deps
	need_verbs pull tag images history save load rmi
	for f in pull.txt images.txt history.txt shared.txt after-rmi.txt hello.tar run.txt; do have $f; done
	# the registry's truth: the layers of each image, from the manifests it serves
	mf() { onhost curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REG/v2/lab/$1/manifests/1" | jq -r '.layers[].digest'; }
	bl=$(mf busybox) hl=$(mf hello)
	[ -n "$bl" ] && [ -n "$hl" ] || fail "the lab's registry answers: run 'labs/lab image-commands setup' again"
	shared=$(echo "$hl" | grep -xF "$bl")
	own=$(echo "$hl" | grep -vxF "$bl")
	expect "pull.txt says the shared layer 'Already exists' (lab/busybox:1 pulled first, then lab/hello:1)" \
		grep -q "$(echo "${shared#sha256:}" | cut -c1-12): Already exists" "$LAB_STATE/pull.txt"
	id=$(minirun images -q --no-trunc hello:v1)
	expect "hello:v1 is in the store (loaded back from hello.tar)" [ -n "$id" ]
	short=$(echo "${id#sha256:}" | cut -c1-12)
	expect "images.txt shows hello:v1 and $REG/lab/hello:1 with one IMAGE ID" \
		eval 'grep -E "^hello +v1 +$short " "$LAB_STATE/images.txt" && grep -E "^$REG/lab/hello +1 +$short " "$LAB_STATE/images.txt"'
	expect "history.txt has the 'COPY hello.txt /hello.txt' line" grep -q 'COPY hello.txt /hello.txt' "$LAB_STATE/history.txt"
	expect_or "shared.txt is the one layer both manifests list" "it is '$(cat "$LAB_STATE/shared.txt")', not $shared" \
		[ "$(cat "$LAB_STATE/shared.txt")" = "$shared" ]
	blob=$LAB_STATE/root/images/blobs/sha256/${shared#sha256:}
	expect "the shared layer is one file under images/blobs/sha256" \
		[ "$(find "$LAB_STATE/root" -name "${shared#sha256:}" -path '*/images/blobs/*' | wc -l)" = 1 ]
	expect "the blob's sha256 is its name" [ "sha256:$(sha256sum "$blob" | cut -d' ' -f1)" = "$shared" ]
	expect "after-rmi.txt has the shared layer: 'rmi lab/busybox:1' kept it, hello still uses it" \
		grep -qx "${shared#sha256:}" "$LAB_STATE/after-rmi.txt"
	expect "after-rmi.txt has hello's own layer" grep -qx "${own#sha256:}" "$LAB_STATE/after-rmi.txt"
	expect "$REG/lab/busybox:1 is gone from the store (rmi)" not eval 'minirun images -q $REG/lab/busybox:1 | grep -q .'
	expect "$REG/lab/hello:1 is gone from the store (rmi before the load)" not eval 'minirun images -q $REG/lab/hello:1 | grep -q .'
	expect "hello.tar is a docker-archive (it has a manifest.json)" eval 'tar -tf "$LAB_STATE/hello.tar" | grep -q manifest.json'
	expect "run.txt is the loaded image's output" [ "$(cat "$LAB_STATE/run.txt")" = "hello from a layer of its own" ]
	echo "check: ok - pulled two images sharing layer ${shared#sha256:} (pulled once, stored once: one blob that hashes to its name)"
	echo "check: ok - tag gave one image two names, rmi of busybox kept the shared layer, save/rmi/load/run brought hello:v1 back"
}

steps "$@"
