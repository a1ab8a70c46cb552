#!/bin/sh
# tests/integration/build/builder.t - `minirun builder du` and `minirun builder prune`: the
# cache's records with their sizes and totals (a record whose layer an image has is shared,
# marked *, not reclaimable); prune removes what no image uses (a builder stage's layers),
# -a everything, --filter until= only what was not used for that long, and asks first
# unless -f; the cache still works after it.
# Run: sh tests/integration/build/builder.t (as root; make minirun busybox-image)
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

need() {
	need_cli
	import_busybox busybox >/dev/null
	mkdir -p "$T_DIR/ctx"
	head -c 100000 /dev/urandom >"$T_DIR/ctx/big"
	echo app >"$T_DIR/ctx/app"
	# the builder stage's COPY is in no image at the end: a private record
	cat >"$T_DIR/ctx/Dockerfile" <<'XEOF'
FROM busybox AS build
COPY big /big
FROM busybox
COPY --from=build /big /big2
COPY app /app
XEOF
}

# lines of `builder du`'s table, header and totals aside
du_rows() { mi builder du | sed '1d; /^[A-Z][a-z]*: /d'; }

# total NAME - the value of du's "NAME:" line
total() { mi builder du | sed -n "s/^$1: *//p"; }

du_lists_the_records() {
	need
	t_eq "$(du_rows)" "" "du of an empty cache"
	t_eq "$(total Total)" 0B "Total of an empty cache"
	mi build -q -t app "$T_DIR/ctx" >/dev/null 2>"$T_DIR/out" || t_fail "build: $(cat "$T_DIR/out")"
	out=$(mi builder du)
	t_eq "$(echo "$out" | head -1 | tr -s ' ')" "ID RECLAIMABLE SIZE LAST ACCESSED" "header"
	# three steps and the exported config: the builder stage's COPY alone is private
	t_eq "$(du_rows | wc -l | tr -d ' ')" 4 "records: $out"
	t_eq "$(du_rows | grep -c '^[0-9a-f]\{25\}\* *false ')" 3 "shared records: $out"
	t_eq "$(du_rows | grep -c '^[0-9a-f]\{25\} *true *10[0-9]\(\.[0-9]\)\{0,1\}kB *[A-Za-z0-9 ]*seconds\{0,1\} ago$')" 1 \
		"the private record (the 100kB file): $out"
	t_match "$(total Private)" '^10[0-9](\.[0-9])?kB$' "Private"
	t_eq "$(total Reclaimable)" "$(total Private)" "Reclaimable"
	t_match "$(total Total)" '^[0-9.]+kB$' "Total"
	t_match "$(mi builder du -v)" "Description: +COPY big /big # buildkit" "du -v"
	t_status 1 mi builder du extra
	t_match "$T_OUT" '"builder du" accepts no arguments'
}
t "builder du: a record per step and export, shared ones marked *, the totals" du_lists_the_records

prune_dangling_then_all() {
	need
	mi build -q -t app "$T_DIR/ctx" >/dev/null 2>&1 || t_fail "build"
	private=$(du_rows | grep -v '\*' | cut -d' ' -f1)
	# asks first: no answer, nothing removed
	out=$(echo n | mi builder prune)
	t_eq "$out" "WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] " "the question"
	t_eq "$(du_rows | wc -l | tr -d ' ')" 4 "records after answering n"
	out=$(echo y | mi builder prune) || t_fail "prune: $out"
	t_match "$out" "\[y/N\] Deleted build cache objects:$"
	t_match "$out" "^$private$"
	t_match "$out" '^Total reclaimed space: [0-9.]+kB$'
	t_eq "$(du_rows | wc -l | tr -d ' ')" 3 "records after prune"
	t_eq "$(total Private)" 0B "Private after prune"
	# the blob is gone with it; a rebuild makes the builder stage's layer again, and only it
	mi build -t app "$T_DIR/ctx" 2>"$T_DIR/out" >/dev/null || t_fail "rebuild"
	t_eq "$(grep -c '^#[0-9]* CACHED$' "$T_DIR/out")" 2 "CACHED after prune: $(cat "$T_DIR/out")"
	out=$(mi builder prune -a -f) || t_fail "prune -a: $out"
	t_eq "$(echo "$out" | sed -n '/^[0-9a-f]\{25\}$/p' | wc -l | tr -d ' ')" 4 "-a deleted: $out"
	t_eq "$(du_rows)" "" "du after prune -a"
	mi save -o "$T_DIR/app.tar" app || t_fail "the image lost its blobs"
	mi build -t app "$T_DIR/ctx" 2>"$T_DIR/out" >/dev/null || t_fail "build after prune -a"
	t_eq "$(grep -c '^#[0-9]* CACHED$' "$T_DIR/out")" 0 "CACHED after prune -a"
	blobs_verify
}
t "builder prune: dangling records (asks first), then -a all; the cache works after" prune_dangling_then_all

prune_until() {
	need
	mi build -q -t app "$T_DIR/ctx" >/dev/null 2>&1 || t_fail "build"
	out=$(mi builder prune -af --filter until=1h) || t_fail "prune --filter: $out"
	t_eq "$out" "Total reclaimed space: 0B" "records used a moment ago are kept"
	t_eq "$(du_rows | wc -l | tr -d ' ')" 4 "records after prune --filter until=1h"
	# two hours ago, as far as the cache can tell (its records' mtimes)
	touch -d "2 hours ago" "$T_DIR"/root/build/cache/*.json
	t_match "$(du_rows | head -1)" "2 hours ago$" "LAST ACCESSED"
	out=$(mi builder prune -af --filter until=1h) || t_fail "prune --filter: $out"
	t_eq "$(echo "$out" | sed -n '/^[0-9a-f]\{25\}$/p' | wc -l | tr -d ' ')" 4 "deleted: $out"
	t_status 125 mi builder prune -f --filter label=x
	t_match "$T_OUT" "^minirun: invalid filter 'label=x'"
	t_status 125 mi builder prune -f --filter until=3d
	t_match "$T_OUT" 'unknown unit "d"'
}
t "builder prune --filter until=D: only records not used for D; bad filters refused" prune_until

hit_is_a_use() {
	need
	mi build -q -t app "$T_DIR/ctx" >/dev/null 2>&1 || t_fail "build"
	touch -d "2 hours ago" "$T_DIR"/root/build/cache/*.json
	mi build -q -t app "$T_DIR/ctx" >/dev/null 2>&1 || t_fail "rebuild"
	t_eq "$(du_rows | grep -c 'seconds\{0,1\} ago$')" 4 "records a rebuild hit: $(mi builder du)"
}
t "a cache hit counts as a use: LAST ACCESSED is the rebuild's" hit_is_a_use

t_end
