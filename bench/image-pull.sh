#!/bin/sh
# bench/image-pull.sh - pull + unpack of a multi-layer image from a local registry:
# `minirun pull` (into an empty store: download, verify, unpack each layer once) against
# `skopeo copy` to an OCI layout + `umoci unpack` of the same image, side by side, in one run.
#
#   bench/image-pull.sh [LAYERS] [MB_PER_LAYER]      (default 6 layers of 8 MB)
#
# The image is made here (no network): a busybox layer plus LAYERS-1 layers of random files
# (gzip'd), pushed with skopeo to Debian's docker-registry on 127.0.0.1 (a throwaway config
# and storage). Each side starts from an empty destination every run (hyperfine --prepare).
# Prints each mean and the ratio; the target is minirun faster (ratio < 1).
set -eu
MR_TOP=$(cd "$(dirname "$0")/.." && pwd)
MI=${MR_IMAGE_CLI:-$MR_TOP/minirun/minirun}
LAYERS=${1:-6}
MB=${2:-8}
RUNS=${RUNS:-5}
for c in docker-registry skopeo umoci hyperfine curl; do
	command -v $c >/dev/null || { echo "image-pull: needs $c (make deps)" >&2; exit 1; }
done
[ -x "$MI" ] || { echo "image-pull: build $MI first (make minirun/image)" >&2; exit 1; }

W=$(mktemp -d /tmp/mrimg-bench.XXXXXX)
REG_PID=
cleanup() {
	if [ -n "$REG_PID" ]; then
		kill "$REG_PID" 2>/dev/null || true
		wait "$REG_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

# ---- the registry ----
PORT=$((20000 + $$ % 30000))
while grep -qi ":$(printf '%04X' $PORT) " /proc/net/tcp; do PORT=$((PORT + 1)); done
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/reg\nhttp:\n  addr: 127.0.0.1:%s\n' \
	"$W" "$PORT" >"$W/reg.yml"
docker-registry serve "$W/reg.yml" >"$W/reg.log" 2>&1 &
REG_PID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/"; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "image-pull: the registry did not start" >&2; exit 1; }
	sleep 0.1
done
REG=127.0.0.1:$PORT

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
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
	"$m" "$msize" >"$L/index.json"
skopeo copy -q --dest-tls-verify=false "oci:$L:1" "docker://$REG/bench/multi:1"
total=$(du -sm "$L/blobs" | cut -f1)
echo "image: $REG/bench/multi:1, $LAYERS layers, ${total} MB compressed; $RUNS runs each"

# ---- side by side ----
hyperfine --style basic --runs "$RUNS" --export-json "$W/result.json" \
	--prepare "rm -rf $W/mr $W/sk" \
	-n "minirun pull" "$MI --root $W/mr pull -q $REG/bench/multi:1" \
	-n "skopeo copy + umoci unpack" \
	"mkdir -p $W/sk && skopeo copy -q --src-tls-verify=false docker://$REG/bench/multi:1 oci:$W/sk/layout:1 && umoci unpack --image $W/sk/layout:1 $W/sk/bundle >/dev/null"

means=$(sed -n 's/^ *"mean": \([0-9.e-]*\),*$/\1/p' "$W/result.json")
a=$(echo "$means" | sed -n 1p)
b=$(echo "$means" | sed -n 2p)
awk -v a="$a" -v b="$b" 'BEGIN {
	printf "minirun pull:               %8.1f ms\n", a * 1000
	printf "skopeo copy + umoci unpack: %8.1f ms\n", b * 1000
	printf "ratio minirun / skopeo+umoci: %.2f (%s)\n", a / b, a < b ? "minirun faster" : "minirun slower"
}'
