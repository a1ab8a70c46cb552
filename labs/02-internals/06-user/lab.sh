#!/bin/sh
# labs/02-internals/06-user/lab.sh - the user namespace lab (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab user STEP`)
#
# run does the README's steps; check verifies what they left in $LAB_STATE: exit 0 pass,
# 1 fail (after a hint), 77 skip (reason last).
set -u
MR_TOP=${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
LAB_STATE=${LAB_STATE:-/tmp/minirun-lab/02-internals-06-user}
cd "$MR_TOP" || exit 1

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, after 'labs/lab user setup', with LAB_STATE set:
  setpriv --reuid=65534 --regid=65534 --clear-groups "$LAB_STATE/user" -- \
      sh -c 'id -u; cat /proc/self/uid_map; stat -c %u /; cat "$1" 2>/dev/null || echo "cannot read the secret"' \
      sh "$LAB_STATE/secret" > "$LAB_STATE/inside.txt"
Root inside a user namespace has capabilities over the namespace's own objects only;
files are still checked against the uid outside (65534).
HINT
}

. "$MR_TOP/labs/check.sh" # expect, expect_or, pass, fail, not: check's assertions

# setpriv from util-linux (busybox's applet has no --reuid)
SETPRIV=
for p in /usr/bin/setpriv /bin/setpriv; do
	[ -x "$p" ] && "$p" --help 2>&1 | grep -q -- --reuid && { SETPRIV=$p; break; }
done

need() {
	[ "$(id -u)" = 0 ] || { echo "this lab's script drops from root to uid 65534: run it as root (use sudo)"; exit 77; }
	[ -n "$SETPRIV" ] || { echo "needs util-linux setpriv (package util-linux)"; exit 77; }
	[ -x ns/user ] || { echo "ns/user is not built: run 'make ns' first"; exit 1; }
}

nobody() { (cd / && "$SETPRIV" --reuid=65534 --regid=65534 --clear-groups "$@"); }

case "${1:-}" in
setup)
	need
	mkdir -p "$LAB_STATE"
	chmod 755 "$LAB_STATE"
	cp ns/user "$LAB_STATE/user"
	chmod 755 "$LAB_STATE/user"
	echo "only root may read this" >"$LAB_STATE/secret"
	chmod 600 "$LAB_STATE/secret"
	echo "lab ready; in your shell:  export LAB_STATE=$LAB_STATE"
	;;
run)
	need
	./ns/user -v
	nobody "$LAB_STATE/user"
	nobody "$LAB_STATE/user" -- \
		sh -c 'id -u; cat /proc/self/uid_map; stat -c %u /; cat "$1" 2>/dev/null || echo "cannot read the secret"' \
		sh "$LAB_STATE/secret" >"$LAB_STATE/inside.txt"
	cat "$LAB_STATE/inside.txt"
	;;
check)
	need
	f=$LAB_STATE/inside.txt
	[ -s "$f" ] || fail "$f is missing: do the steps first"
	uid=$(sed -n 1p "$f") map=$(sed -n 2p "$f" | tr -s ' \t' '  ' | sed 's/^ //') owner=$(sed -n 3p "$f") secret=$(sed -n 4p "$f")
	expect_or "the uid inside is 0" "it was '$uid'" [ "$uid" = 0 ]
	expect_or "uid_map inside is '0 65534 1' (run as uid 65534)" "it was '$map'" [ "$map" = "0 65534 1" ]
	expect_or "/ is owned by 65534 inside (root is not mapped)" "it was '$owner'" [ "$owner" = 65534 ]
	expect_or "root inside cannot read the root-only secret" "the fourth line is '$secret'" [ "$secret" = "cannot read the secret" ]
	expect "the secret is still owned by root" [ "$(stat -c %u "$LAB_STATE/secret")" = 0 ]
	echo "check: ok - uid 0 inside is uid 65534 outside (map '$map'); / shows as 65534; the secret stayed secret"
	;;
hint) hint ;;
teardown) rm -f "$LAB_STATE/inside.txt" "$LAB_STATE/user" "$LAB_STATE/secret" ;;
*) echo "usage: lab.sh setup|run|check|hint|teardown" >&2; exit 2 ;;
esac
