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
BENCH=push
. "$MR_TOP/bench/registry.sh"
cleanup() {
	bench_registry_stop
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

# ---- the registry (no blob descriptor cache: emptying its directory empties it) ----
bench_registry_start
NAME=$REG/bench/multi:1

# ---- the image: an OCI layout written by hand, LAYERS gzip'd layers ----
bench_oci_layout "$LAYERS" "$MB" "$NAME"
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
