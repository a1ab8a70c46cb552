#!/bin/sh
# bench/push.sh - push and pull of a multi-layer image against a local registry: `minirun push`
# against `skopeo copy` of the same image to the same registry, then `minirun pull` (into an
# empty store: download, verify and unpack) against `skopeo copy` to an OCI layout, alone and
# followed by `umoci unpack` (the same work as minirun's), side by side, in one run.
#
#   bench/push.sh [LAYERS] [MB_PER_LAYER]      (default 5 layers of 10 MB: ~50 MB)
#
# The image is made here (no network): a busybox layer plus LAYERS-1 layers of random files
# (gzip'd), written as an OCI layout, loaded into minirun's store (`minirun load`) and read
# by skopeo from the layout. The registry is Debian's docker-registry on 127.0.0.1 (a
# throwaway config and storage); before every push run its storage is emptied, so each push
# sends every blob (hyperfine --prepare). Prints each mean and the ratios; the goal is
# minirun at most 0.8x skopeo's time.
set -eu
MR_TOP=$(cd "$(dirname "$0")/.." && pwd)
MI=${MR_IMAGE_CLI:-$MR_TOP/minirun/minirun}
LAYERS=${1:-5}
MB=${2:-10}
RUNS=${RUNS:-5}
for c in docker-registry skopeo umoci hyperfine curl; do
	command -v $c >/dev/null || { echo "push: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MI" ] || { echo "push: build $MI first (make minirun/image)" >&2; exit 1; }

W=$(mktemp -d /tmp/mrpush-bench.XXXXXX)
REG_PID=
cleanup() {
	if [ -n "$REG_PID" ]; then
		kill "$REG_PID" 2>/dev/null || true
		wait "$REG_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

# ---- the registry (no blob descriptor cache: emptying its directory empties it) ----
PORT=$((20000 + $$ % 30000))
while grep -qi ":$(printf '%04X' $PORT) " /proc/net/tcp; do PORT=$((PORT + 1)); done
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/reg\nhttp:\n  addr: 127.0.0.1:%s\n' \
	"$W" "$PORT" >"$W/reg.yml"
docker-registry serve "$W/reg.yml" >"$W/reg.log" 2>&1 &
REG_PID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/"; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "push: the registry did not start" >&2; exit 1; }
	sleep 0.1
done
REG=127.0.0.1:$PORT
NAME=$REG/bench/multi:1

# ---- the image: an OCI layout written by hand, LAYERS gzip'd layers ----
L=$W/layout
mkdir -p "$L/blobs/sha256"
blob() { h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$L/blobs/sha256/$h"; echo "$h"; }
sh "$MR_TOP/tests/rootfs.sh" "$W/l0" >/dev/null
layers="" diffs=""
n=0
while [ $n -lt "$LAYERS" ]; do
	d=$W/l$n
	if [ $n -gt 0 ]; then
		mkdir -p "$d/data/$n"
		k=0
		while [ $k -lt "$MB" ]; do
			head -c 1048576 /dev/urandom >"$d/data/$n/f$k"
			k=$((k + 1))
		done
	fi
	tar -C "$d" -cf "$W/t" .
	diff=$(sha256sum "$W/t" | cut -d' ' -f1)
	gzip -1 -c "$W/t" >"$W/g"
	size=$(wc -c <"$W/g" | tr -d ' ')
	h=$(blob "$W/g")
	layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$h\",\"size\":$size}"
	diffs="$diffs${diffs:+,}\"sha256:$diff\""
	rm -rf "$d" "$W/t"
	n=$((n + 1))
done
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
	"$diffs" >"$W/c"
csize=$(wc -c <"$W/c" | tr -d ' ')
c=$(blob "$W/c")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
	"$c" "$csize" "$layers" >"$W/m"
msize=$(wc -c <"$W/m" | tr -d ' ')
m=$(blob "$W/m")
printf '{"imageLayoutVersion":"1.0.0"}' >"$L/oci-layout"
# ref.name "1" for skopeo (oci:DIR:1), the full name for minirun load
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1","io.containerd.image.name":"%s"}}]}' \
	"$m" "$msize" "$NAME" >"$L/index.json"
(cd "$L" && tar -cf "$W/img.tar" .)
"$MI" --root "$W/src" load -i "$W/img.tar" >/dev/null
total=$(du -sm "$L/blobs" | cut -f1)
echo "image: $NAME, $LAYERS layers, ${total} MB compressed; $RUNS runs each"

# ---- push, side by side: each run into an empty registry ----
hyperfine --style basic --runs "$RUNS" --export-json "$W/push.json" \
	--prepare "rm -rf $W/reg/docker" \
	-n "minirun push" "$MI --root $W/src push -q $NAME" \
	-n "skopeo copy (push)" "skopeo copy -q --dest-tls-verify=false oci:$L:1 docker://$NAME"

# ---- pull, side by side: each run into an empty destination ----
skopeo copy -q --dest-tls-verify=false "oci:$L:1" "docker://$NAME"
hyperfine --style basic --runs "$RUNS" --export-json "$W/pull.json" \
	--prepare "rm -rf $W/mr $W/sk $W/sk.bundle" \
	-n "minirun pull (and unpack)" "$MI --root $W/mr pull -q $NAME" \
	-n "skopeo copy (pull, no unpack)" \
	"skopeo copy -q --src-tls-verify=false docker://$NAME oci:$W/sk:1" \
	-n "skopeo copy + umoci unpack" \
	"skopeo copy -q --src-tls-verify=false docker://$NAME oci:$W/sk:1 && umoci unpack --image $W/sk:1 $W/sk.bundle >/dev/null"

mean() { sed -n 's/^ *"mean": \([0-9.e-]*\),*$/\1/p' "$1" | sed -n "$2p"; }
awk -v a="$(mean "$W/push.json" 1)" -v b="$(mean "$W/push.json" 2)" \
	-v c="$(mean "$W/pull.json" 1)" -v d="$(mean "$W/pull.json" 2)" \
	-v e="$(mean "$W/pull.json" 3)" 'BEGIN {
	printf "minirun push:                  %8.1f ms\n", a * 1000
	printf "skopeo copy (push):            %8.1f ms\n", b * 1000
	printf "minirun pull (and unpack):     %8.1f ms\n", c * 1000
	printf "skopeo copy (pull, no unpack): %8.1f ms\n", d * 1000
	printf "skopeo copy + umoci unpack:    %8.1f ms\n", e * 1000
	printf "ratio push minirun / skopeo:              %.2f (goal <= 0.8)\n", a / b
	printf "ratio pull minirun / skopeo (no unpack):  %.2f (minirun also unpacks)\n", c / d
	printf "ratio pull minirun / skopeo+umoci unpack: %.2f (goal <= 0.8)\n", c / e
}'
