#!/bin/sh
# labs/02-internals/16-oci/lab.sh - the OCI specifications by hand: an image layout walked
# with jq and sha256sum, a bundle made from its layer, the runtime's verbs and states, two
# hooks, and the same bundle under runc (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab oci STEP`)
#
# setup imports the built-in busybox image into a store of the lab's own ($LAB_STATE/root)
# and writes $LAB_STATE/env: `mr` is minirun on that store, `oci` is minirun-oci with its
# state in $LAB_STATE/oci. runc keeps its state in $LAB_STATE/runc (--root). Nothing here
# touches the machine's store, its runtimes' state or its network (the bundle's spec asks
# for a network namespace of its own, which holds only lo). teardown deletes both
# containers (--force) and removes $LAB_STATE.
# check: exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-16-oci}
export MR_TOP LAB_STATE
cd "$MR_TOP" || exit 1
. "$MR_TOP/labs/lib.sh" # fail, expect, expect_or

OCI="$MR_TOP/minirun/minirun-oci --root $LAB_STATE/oci"
RUNC="runc --root $LAB_STATE/runc"

hint() {
	cat <<'HINT'
hint: after '. /tmp/minirun-lab/02-internals-16-oci/env':
  walk index.json -> .manifests[0].digest -> that blob's .config.digest and .layers[].digest;
  'sha256sum' the three blobs into $LAB_STATE/sums.txt.
  bundle: rootfs/ from the layer's tar, 'oci spec -b $LAB_STATE/bundle', jq the config
  (terminal false, a sleeping process, hooks prestart and poststart appending their stdin
  to $LAB_STATE/prestart.jsonl and poststart.jsonl).
  after create, start and kill (once stopped) append 'oci state box | jq -r .status' to
  states.txt; delete; the same with runc --root $LAB_STATE/runc, id rbox, into runc-states.txt.
HINT
}

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: the runtime makes namespaces and cgroups (use sudo)"; exit 77; }
	[ -x minirun/minirun ] && [ -x minirun/minirun-oci ] || { echo "minirun is not built: run 'make minirun' first"; exit 1; }
	[ -f build/images/busybox.tar ] || { echo "no built-in image at build/images/busybox.tar: run 'make busybox-image' first"; exit 1; }
	command -v jq >/dev/null || { echo "needs jq: apt-get install jq"; exit 77; }
	command -v runc >/dev/null || { echo "needs runc for the comparison (apt-get install runc); 'make vm' has none: this lab runs on a host with it"; exit 77; }
}

teardown() {
	$OCI delete --force box >/dev/null 2>&1
	$RUNC delete --force rbox >/dev/null 2>&1
	rm -rf "$LAB_STATE"
	echo "torn down: box and rbox deleted, $LAB_STATE removed"
}

setup() {
	need
	teardown >/dev/null
	mkdir -p "$LAB_STATE" || exit 1
	SOURCE_DATE_EPOCH=0 minirun/minirun --root "$LAB_STATE/root" import -c 'CMD ["sh"]' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		build/images/busybox.tar busybox:latest >/dev/null ||
		{ echo "setup: importing build/images/busybox.tar into the lab's store failed"; exit 1; }
	cat >"$LAB_STATE/env" <<ENV
# made by 'labs/lab oci setup': source it with  . $LAB_STATE/env
export LAB_STATE=$LAB_STATE
# mr ARGS... - minirun on the lab's own store
mr() { $MR_TOP/minirun/minirun --root $LAB_STATE/root "\$@"; }
# oci ARGS... - minirun's OCI runtime, its containers' state in $LAB_STATE/oci
oci() { $OCI "\$@"; }
ENV
	echo "lab ready: busybox:latest in $LAB_STATE/root; in your shell:  . $LAB_STATE/env"
}

run() {
	need
	. "$LAB_STATE/env"
	mr save --format oci-archive -o "$LAB_STATE/busybox.tar" busybox:latest
	mkdir -p "$LAB_STATE/image" && tar -C "$LAB_STATE/image" -xf "$LAB_STATE/busybox.tar"
	cd "$LAB_STATE/image" || exit 1
	m=$(jq -r '.manifests[0].digest' index.json | cut -d: -f2)
	c=$(jq -r '.config.digest' "blobs/sha256/$m" | cut -d: -f2)
	l=$(jq -r '.layers[0].digest' "blobs/sha256/$m" | cut -d: -f2)
	jq '.config.Cmd, .rootfs' "blobs/sha256/$c"
	(cd blobs/sha256 && sha256sum "$m" "$c" "$l") | tee "$LAB_STATE/sums.txt"
	mkdir -p "$LAB_STATE/bundle/rootfs"
	tar -C "$LAB_STATE/bundle/rootfs" -xf "blobs/sha256/$l"
	cd "$LAB_STATE/bundle" || exit 1
	oci spec
	jq --arg s "$LAB_STATE" '
		  .process.terminal = false
		| .process.args = ["sh", "-c", "echo started > /started; exec sleep 1000"]
		| .root.readonly = false
		| .hostname = "bundle"
		| .hooks.prestart = [{"path": "/bin/sh", "args": ["sh", "-c", "cat >> \($s)/prestart.jsonl; echo >> \($s)/prestart.jsonl"]}]
		| .hooks.poststart = [{"path": "/bin/sh", "args": ["sh", "-c", "cat >> \($s)/poststart.jsonl; echo >> \($s)/poststart.jsonl"]}]
	' config.json >config.new && mv config.new config.json
	for rt in oci runc; do
		if [ $rt = oci ]; then R=oci id=box f=states.txt; else R="runc --root $LAB_STATE/runc" id=rbox f=runc-states.txt; fi
		rm -f rootfs/started
		$R create --bundle . $id >"$LAB_STATE/$id.log" 2>&1
		$R state $id | jq -r .status | tee -a "$LAB_STATE/$f"
		$R start $id
		$R state $id | jq -r .status | tee -a "$LAB_STATE/$f"
		until [ -f rootfs/started ]; do sleep 0.1; done
		$R kill $id KILL
		until [ "$($R state $id | jq -r .status)" = stopped ]; do sleep 0.1; done
		$R state $id | jq -r .status | tee -a "$LAB_STATE/$f"
		$R delete $id
	done
	cd "$MR_TOP" || exit 1
}

check() {
	need
	for f in sums.txt states.txt runc-states.txt prestart.jsonl poststart.jsonl bundle/config.json; do
		[ -f "$LAB_STATE/$f" ] || fail "$LAB_STATE/$f is missing: do the steps first"
	done
	img=$LAB_STATE/image
	expect "image/index.json is there: the image saved as an oci-archive and untarred" [ -f "$img/index.json" ]
	m=$(jq -r '.manifests[0].digest' "$img/index.json" | cut -d: -f2)
	want=$(printf '%s\n' "$m" "$(jq -r '.config.digest, .layers[].digest' "$img/blobs/sha256/$m" | cut -d: -f2)" | sort)
	expect "sums.txt is the sha256sum of the manifest, the config and the layer" \
		[ "$(awk '{ print $2 }' "$LAB_STATE/sums.txt" | sed 's|.*/||' | sort)" = "$want" ]
	expect "sums.txt: each blob's sha256 is its name" \
		awk '{ n = $2; sub(/.*\//, "", n); if ($1 != n) exit 1 }' "$LAB_STATE/sums.txt"
	cfg=$LAB_STATE/bundle/config.json
	expect "bundle/config.json: terminal is false, with a prestart and a poststart hook" \
		jq -e '.process.terminal == false and (.hooks.prestart | length) > 0 and (.hooks.poststart | length) > 0' "$cfg"
	expect "bundle/rootfs has bin/busybox: the image's layer untarred into it" [ -x "$LAB_STATE/bundle/rootfs/bin/busybox" ]
	expect "bundle/rootfs/started is there: the container's process ran" [ -f "$LAB_STATE/bundle/rootfs/started" ]
	for f in states.txt runc-states.txt; do
		got=$(tr '\n' ' ' <"$LAB_STATE/$f")
		expect_or "$f reads 'created running stopped'" "it reads '$got'" [ "$got" = "created running stopped " ]
	done
	for id in box rbox; do
		expect "prestart.jsonl has a state of $id: the prestart hook ran for it" \
			jq -se --arg id "$id" 'map(select(.id == $id)) | length >= 1' "$LAB_STATE/prestart.jsonl"
		expect "poststart.jsonl has a state of $id: the poststart hook ran for it" \
			jq -se --arg id "$id" 'map(select(.id == $id)) | length >= 1' "$LAB_STATE/poststart.jsonl"
	done
	expect "poststart.jsonl: minirun-oci's poststart hook saw box running" \
		jq -se 'map(select(.id == "box"))[0].status == "running"' "$LAB_STATE/poststart.jsonl"
	expect "minirun-oci lists no container: box is deleted" [ -z "$($OCI list -q 2>/dev/null)" ]
	expect "runc lists no container: rbox is deleted" [ -z "$($RUNC list -q 2>/dev/null)" ]
	echo "check: ok - index.json -> manifest $(echo "$m" | cut -c1-12) -> config and layer, each blob named by its sha256"
	echo "check: ok - box and rbox went created -> running -> stopped and were deleted; both hooks ran under both runtimes"
}

case "${1:-}" in
setup) setup ;;
run) run ;;
check) check ;;
hint) hint ;;
teardown) teardown ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
