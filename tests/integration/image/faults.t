#!/bin/sh
# tests/integration/image/faults.t - `minirun pull` SIGKILLed at pseudo-random moments drawn
# from one seed (printed; MR_FAULT_SEED=N repeats a run), from Debian's docker-registry on
# 127.0.0.1: after each kill `images` works, every blob hashes to its name, every image
# listed inspects, and the next pull succeeds with the layer whole; what killed pulls left
# in the store's .tmp/ is swept by the next store_gc (rmi), leaving nothing. And a pull into
# a store whose disk fills up: one line naming it, the store whole, the next pull works.
#
#   MR_FAULT_SEED=1733480000 MR_FAULT_ROUNDS=10 sh tests/integration/image/faults.t
#
# MR_FAULT_ROUNDS (default 4) is the number of killed pulls.
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/image/lib.sh"

SEED=${MR_FAULT_SEED:-$(date +%s)}
ROUNDS=${MR_FAULT_ROUNDS:-4}
echo "# faults: seed $SEED, $ROUNDS rounds (MR_FAULT_SEED=$SEED repeats them)"

# delay K MAX - the K-th delay of the seed, in [0, MAX) seconds
delay() { awk -v s="$SEED" -v k="$1" -v m="$2" 'BEGIN { srand(s * 1000 + k); printf "%.3f", rand() * m }'; }

# consistent WHEN - fail unless images lists, every blob is whole and every image inspects
consistent() {
	out=$(mi images -q 2>&1) || t_fail "images after $1: $out"
	blobs_verify
	for _i in $out; do
		mi image inspect "$_i" >/dev/null 2>&1 || t_fail "image $_i does not inspect after $1"
	done
}

pulls_killed_at_random_moments() {
	need_cli
	t_need docker-registry skopeo curl
	registry_start
	push_busybox test/busybox:1
	ref=$REG/test/busybox:1
	i=0 hits=0
	while [ $i -lt "$ROUNDS" ]; do
		# from nothing each time, so that every pull downloads and unpacks
		mi rmi -f "$ref" >/dev/null 2>&1
		d=$(delay $i 0.6)
		"$MI" --root "$T_DIR/root" pull -q "$ref" >/dev/null 2>&1 &
		p=$!
		sleep "$d"
		kill -9 $p 2>/dev/null && hits=$((hits + 1))
		wait $p 2>/dev/null
		consistent "the kill of pull $i after $d s"
		i=$((i + 1))
	done
	echo "pulls killed: $hits of $ROUNDS"
	out=$(mi pull -q "$ref" 2>&1) || t_fail "pull after the kills: $out"
	consistent "the pull after the kills"
	layer=$(sha256sum "$T_DIR/busybox.tar" | cut -d' ' -f1)
	[ -x "$T_DIR/root/layers/sha256/$layer/bin/busybox" ] || t_fail "the layer is not whole"
	mi rmi "$ref" >/dev/null || t_fail "rmi"
	left=$( (cd "$T_DIR/root" && find images/.tmp layers images/blobs -mindepth 1 ! -type d -o -mindepth 2 -type d 2>/dev/null) )
	[ -z "$left" ] || t_fail "left in the store after rmi: $left"
}

# a full disk mid-pull: the store on a 16 MiB tmpfs in a mount namespace of its own, a
# filler leaving 512 KiB (less than the layer unpacked)
pull_on_a_full_disk() {
	need_cli
	t_need docker-registry skopeo curl unshare fallocate
	[ "$(id -u)" = 0 ] || t_skip "needs root (a tmpfs in a mount namespace of its own)"
	registry_start
	push_busybox test/busybox:1
	out=$(unshare -m sh -c '
		d=$1/small M="$2 --root $1/small/root" ref=$3
		mkdir -p "$d" && mount -t tmpfs -o size=16m tmpfs "$d" || exit 1
		$M images >/dev/null
		free=$(df -k "$d" | awk "NR == 2 { print \$4 }")
		fallocate -l $(((free - 512) * 1024)) "$d/filler"
		$M pull -q "$ref" >/dev/null 2>"$1/err"
		echo "pull exited $?: $(wc -l <"$1/err") lines: $(cat "$1/err")"
		$M images -q >/dev/null && echo "images work"
		for b in "$d"/root/images/blobs/sha256/*; do
			[ -f "$b" ] || continue
			[ "$(sha256sum "$b" | cut -d" " -f1)" = "${b##*/}" ] || echo "broken: blob ${b##*/}"
		done
		rm "$d/filler"
		$M pull -q "$ref" >/dev/null && echo "pull again: $($M images -q | wc -l) image"
		ls -A "$d/root/images/.tmp" | sed "s/^/left: /"
		umount "$d"' - "$T_DIR" "$MI" "$REG/test/busybox:1" 2>&1)
	t_match "$out" '^pull exited [1-9][0-9]*: 1 lines: .*No space left on device' \
		"pull fails with one line naming the full disk"
	t_match "$out" '^images work$' "images still works"
	t_nomatch "$out" '^broken: ' "every blob hashes to its name"
	t_match "$out" '^pull again: 1 image$' "the next pull succeeds once space is freed"
	t_nomatch "$out" '^left: ' "no temp file is left"
}

t "SIGKILL at random moments of pull: the store stays whole, the next pull works" \
	pulls_killed_at_random_moments
t "a full disk mid-pull: one line, the store whole, the next pull works" pull_on_a_full_disk
t_end
