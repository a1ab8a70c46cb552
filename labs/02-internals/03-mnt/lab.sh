#!/bin/sh
# labs/02-internals/03-mnt/lab.sh - the mount namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab mnt STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE and that no
# mount reached the host: exit 0 pass, 1 fail (after a hint), 77 skip.
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-03-mnt}
export LAB_STATE
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE exported:
  ./ns/mnt > "$LAB_STATE/private.txt"
  ./ns/mnt --propagation shared > "$LAB_STATE/shared.txt"
  ./ns/mnt --propagation slave > "$LAB_STATE/slave.txt"
  ./ns/mnt -- sh -c 'mount -t tmpfs lab "$LAB_STATE/box" && echo hi > "$LAB_STATE/box/hello" && ls "$LAB_STATE/box"' > "$LAB_STATE/inside.txt"
  ls "$LAB_STATE/box" > "$LAB_STATE/outside.txt"
A mount made in a new mount namespace whose mounts are private stays there.
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating a mount namespace needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x ns/mnt ] || { echo "ns/mnt is not built: run 'make ns' first"; exit 1; }
}

# mounted PATH - true if PATH is a mount point in this (the host's) mount namespace
mounted() { awk -v p="$1" '$5 == p { found = 1 } END { exit !found }' /proc/self/mountinfo; }

# seen FILE IN OUT - FILE shows the child's tmpfs IN outside and the parent's OUT inside
seen() {
	[ -s "$LAB_STATE/$1" ] || fail "$LAB_STATE/$1 is missing: do the steps first"
	expect "$1: the child's mount is '$2' outside" grep -q "^outside: the child's tmpfs on .*: $2 here$" "$LAB_STATE/$1"
	expect "$1: the parent's mount is '$3' inside" grep -q "^inside:  the parent's tmpfs on .*: $3 here$" "$LAB_STATE/$1"
}

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE/box"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	./ns/mnt >"$LAB_STATE/private.txt"
	./ns/mnt --propagation shared >"$LAB_STATE/shared.txt"
	./ns/mnt --propagation slave >"$LAB_STATE/slave.txt"
	./ns/mnt -- sh -c 'mount -t tmpfs lab "$LAB_STATE/box" && echo hi > "$LAB_STATE/box/hello" && ls "$LAB_STATE/box"' >"$LAB_STATE/inside.txt"
	ls "$LAB_STATE/box" >"$LAB_STATE/outside.txt"
	cat "$LAB_STATE/private.txt" "$LAB_STATE/shared.txt" "$LAB_STATE/slave.txt" "$LAB_STATE/inside.txt"
	;;
check)
	need
	seen private.txt "not visible" "not visible"
	seen shared.txt visible visible
	seen slave.txt "not visible" visible
	[ -s "$LAB_STATE/inside.txt" ] || fail "$LAB_STATE/inside.txt is missing: do step 3"
	expect "inside.txt lists the file 'hello' written into the tmpfs" grep -qx hello "$LAB_STATE/inside.txt"
	[ -e "$LAB_STATE/outside.txt" ] || fail "$LAB_STATE/outside.txt is missing: do step 4"
	expect_or "outside.txt is empty: the outside sees an empty box" "it lists '$(cat "$LAB_STATE/outside.txt")'" \
		[ ! -s "$LAB_STATE/outside.txt" ]
	expect "box/ is no mount point on the host: no mount leaked out" not mounted "$LAB_STATE/box"
	expect "hello went to the tmpfs, not the host's directory" [ ! -e "$LAB_STATE/box/hello" ]
	echo "check: ok - private, shared and slave behave as they should; your tmpfs stayed inside"
	;;
hint) hint ;;
teardown)
	# a tmpfs that reached the host (say, from an experiment with --propagation shared)
	if mounted "$LAB_STATE/box"; then umount "$LAB_STATE/box"; fi
	rm -rf "$LAB_STATE/box"
	rm -f "$LAB_STATE"/*.txt
	;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
