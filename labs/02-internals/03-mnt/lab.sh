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

fail() { echo "check: $*"; hint; exit 1; }

need() {
	[ "$(id -u)" = 0 ] || { echo "needs root: creating a mount namespace needs CAP_SYS_ADMIN (use sudo)"; exit 77; }
	[ -x ns/mnt ] || { echo "ns/mnt is not built: run 'make ns' first"; exit 1; }
}

# mounted PATH - true if PATH is a mount point in this (the host's) mount namespace
mounted() { awk -v p="$1" '$5 == p { found = 1 } END { exit !found }' /proc/self/mountinfo; }

# expect FILE IN OUT - FILE shows the child's tmpfs IN outside and the parent's OUT inside
expect() {
	[ -s "$LAB_STATE/$1" ] || fail "$LAB_STATE/$1 is missing: do the steps first"
	grep -q "^outside: the child's tmpfs on .*: $2 here$" "$LAB_STATE/$1" ||
		fail "$1: the child's mount should be '$2' outside"
	grep -q "^inside:  the parent's tmpfs on .*: $3 here$" "$LAB_STATE/$1" ||
		fail "$1: the parent's mount should be '$3' inside"
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
	expect private.txt "not visible" "not visible"
	expect shared.txt visible visible
	expect slave.txt "not visible" visible
	[ -s "$LAB_STATE/inside.txt" ] || fail "$LAB_STATE/inside.txt is missing: do step 3"
	grep -qx hello "$LAB_STATE/inside.txt" || fail "inside.txt does not list the file 'hello' written into the tmpfs"
	[ -e "$LAB_STATE/outside.txt" ] || fail "$LAB_STATE/outside.txt is missing: do step 4"
	[ ! -s "$LAB_STATE/outside.txt" ] || fail "outside.txt lists '$(cat "$LAB_STATE/outside.txt")': the outside should see an empty box"
	! mounted "$LAB_STATE/box" || fail "$LAB_STATE/box is a mount point on the host: a mount leaked out"
	[ ! -e "$LAB_STATE/box/hello" ] || fail "hello was written to the host's directory, not the tmpfs"
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
