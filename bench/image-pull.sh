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
BENCH=image-pull
. "$MR_TOP/bench/registry.sh"
cleanup() {
	bench_registry_stop
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

# ---- the registry ----
bench_registry_start

# ---- the image: an OCI layout written by hand, LAYERS gzip'd layers ----
bench_oci_layout "$LAYERS" "$MB"
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
