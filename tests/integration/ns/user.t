#!/bin/sh
# tests/integration/ns/user.t - ns/user: uid/gid maps; root inside, unprivileged outside.
#
# Run: sh tests/integration/ns/user.t (`make ns` first; as root, which also runs the
# unprivileged cases through setpriv). Also runs under busybox sh.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
USER_NS=$MR_TOP/ns/user
PATH=/usr/sbin:/usr/bin:/sbin:/bin # a mapped uid may not search root's own PATH entries

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
setup() { [ -x "$USER_NS" ] || t_fail "$USER_NS is not built; run 'make ns'"; }
# need_setpriv - set SETPRIV to util-linux setpriv (busybox's applet has no --reuid), or skip
need_setpriv() {
	t_need_root
	for SETPRIV in /usr/bin/setpriv /bin/setpriv ''; do
		[ -x "$SETPRIV" ] && "$SETPRIV" --help 2>&1 | grep -q -- --reuid && return 0
	done
	t_skip "needs util-linux setpriv to run as uid 65534"
}
# as_nobody CMD... - run CMD as uid and gid 65534 with no groups, from /
as_nobody() { (cd / && "$SETPRIV" --reuid=65534 --regid=65534 --clear-groups "$@"); }
# row TABLE LABEL - the "outside inside" columns of one row of the report
row() { printf '%s\n' "$1" | sed -n "s/^$2  *//p"; }

nonroot_is_root_inside() {
	need_setpriv
	setup
	t_eq "$(as_nobody id -u)" 65534 "uid outside (the test's setup)"
	out=$(as_nobody "$USER_NS" -- id -u) || t_fail "ns/user as uid 65534 exited $?"
	t_eq "$out" 0 "id -u inside, run as uid 65534"
	out=$(as_nobody "$USER_NS" -- cat /proc/self/uid_map /proc/self/setgroups) || t_fail "exited $?"
	t_match "$out" '^ +0 +65534 +1$' "uid_map inside"
	t_match "$out" '^deny$' "setgroups inside (an unprivileged gid_map needs it denied)"
}

nonroot_report_inside_vs_outside() {
	need_setpriv
	setup
	out=$(as_nobody "$USER_NS") || t_fail "ns/user as uid 65534 exited $?"
	echo "$out"
	t_match "$out" '^ +outside +inside$' "the header"
	t_match "$(row "$out" uid)" '^65534 +0$' "uid: outside inside"
	t_match "$(row "$out" gid)" '^65534 +0$' "gid: outside inside"
	t_match "$(row "$out" CapEff)" '^0000000000000000 +0*[1-9a-f][0-9a-f]*$' \
		"CapEff: none outside, some inside"
	t_match "$(row "$out" uid_map)" '^0 0 4294967295 +0 65534 1$' "uid_map"
	t_match "$(row "$out" setgroups)" ' deny$' "setgroups inside"
	t_match "$(row "$out" 'owner of \/')" '^0 +65534 \(nobody: uid 0 outside is not mapped\)$' \
		"a root-owned / seen from inside"
	userns=$(row "$out" 'user ns')
	t_match "$userns" "^$(readlink /proc/self/ns/user | sed 's/[][]/\\&/g') +user:\[[0-9]+\]$" \
		"user ns outside is ours"
}

root_default_is_a_subordinate_range() {
	t_need_root
	setup
	out=$("$USER_NS" -- sh -c 'id -u; cat /proc/self/uid_map; stat -c %u /') || t_fail "exited $?"
	echo "$out"
	t_eq "$(echo "$out" | sed -n 1p)" 0 "uid inside"
	t_match "$out" '^ +0 +100000 +65536$' "the default map for root"
	t_eq "$(echo "$out" | sed -n 3p)" 65534 "owner of / inside (root outside is unmapped)"
}

explicit_maps() {
	t_need_root
	setup
	out=$("$USER_NS" -m 0:100000:1 -m 1:200000:10 -- cat /proc/self/uid_map /proc/self/gid_map) ||
		t_fail "exited $?"
	echo "$out"
	t_eq "$(echo "$out" | grep -cE '^ +0 +100000 +1$')" 2 "the 0:100000:1 line in uid_map and gid_map"
	t_eq "$(echo "$out" | grep -cE '^ +1 +200000 +10$')" 2 "the 1:200000:10 line in both"
	out=$("$USER_NS" -r -- cat /proc/self/uid_map) || t_fail "-r exited $?"
	t_match "$out" "^ +0 +$(id -u) +1$" "-r maps root to our own uid"
}

verbose_narrates_the_handshake() {
	t_need_root
	setup
	out=$("$USER_NS" -v -- true 2>&1 >/dev/null) || t_fail "exited $?"
	echo "$out"
	t_match "$out" '^=> child: unshare\(CLONE_NEWUSER\)$'
	t_match "$out" '^=> parent: write the maps for child [0-9]+: 0 100000 65536$'
	t_match "$out" '^uid +0 +0$' "-v prints the table on stderr when CMD is given"
	# the maps are written after the unshare and before anything runs inside
	t_eq "$(echo "$out" | grep -n '^=> ' | sed -n '1s/:.*//p;2s/:.*//p' | tr '\n' ' ')" "1 2 " \
		"unshare, then maps"
}

unprivileged_may_map_only_itself() {
	need_setpriv
	setup
	t_status 1 as_nobody "$USER_NS" -m 0:4242:1 -- true
	one_line "$T_OUT"
	t_match "$T_OUT" "uid_map.*Operation not permitted.*use -r"
	# the child that waited for its maps is gone too
	left=$(grep -l '0:424[2]:1' /proc/[0-9]*/cmdline 2>/dev/null)
	t_eq "$left" "" "processes left with our map on their command line"
}

exit_status_and_bad_input() {
	t_need_root
	setup
	t_status 7 "$USER_NS" -- sh -c 'exit 7'
	t_status 127 "$USER_NS" -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
	t_status 2 "$USER_NS" -m 1:2
	one_line "$T_OUT"
	t_match "$T_OUT" "-m '1:2': expected INSIDE:OUTSIDE:COUNT"
	t_status 2 "$USER_NS" -m 0:x:1
	t_status 2 "$USER_NS" -r -m 0:1:1
	one_line "$T_OUT"
	t_status 2 "$USER_NS" -x
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '-x'"
	t_status 0 "$USER_NS" -h
	t_match "$T_OUT" '^usage: ns/user'
}

t "ns/user run as uid 65534 prints uid 0 inside, with its own uid mapped" nonroot_is_root_inside
t "the report as uid 65534: ids, CapEff, maps, setgroups, a root-owned / as 65534" nonroot_report_inside_vs_outside
t "as root, the default maps 0:100000:65536 and / shows as 65534" root_default_is_a_subordinate_range
t "-m lines reach uid_map and gid_map; -r maps root to our own uid" explicit_maps
t "-v narrates unshare in the child, then the parent writing the maps" verbose_narrates_the_handshake
t "unprivileged, mapping someone else's uid fails in one line; no child left" unprivileged_may_map_only_itself
t "CMD's exit status, 127 for not found, bad maps and flags: one line, exit 2" exit_status_and_bad_input
t_end
