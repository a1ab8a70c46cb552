#!/bin/sh
# tests/integration/ns/cgroup.t - ns/cgroup: /proc/self/cgroup rooted at our own cgroup.
#
# Run: sh tests/integration/ns/cgroup.t (`make ns` first). Also runs under busybox sh.
# On the host no cgroup is created (the v1 lines of a hybrid host show the re-rooting);
# in the disposable test VM one child cgroup is made, used and removed.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
CG=$MR_TOP/ns/cgroup
PATH=/usr/sbin:/usr/bin:/sbin:/bin

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || t_fail "expected one line, got: $1"; }
setup() { [ -x "$CG" ] || t_fail "$CG is not built; run 'make ns'"; }
need_setpriv() {
	t_need_root
	for SETPRIV in /usr/bin/setpriv /bin/setpriv ''; do
		[ -x "$SETPRIV" ] && "$SETPRIV" --help 2>&1 | grep -q -- --reuid && return 0
	done
	t_skip "needs util-linux setpriv to run as uid 65534"
}
as_nobody() { (cd / && "$SETPRIV" --reuid=65534 --regid=65534 --clear-groups "$@"); }

every_path_is_root_inside() {
	t_need_root
	setup
	out=$("$CG" -- cat /proc/self/cgroup) || t_fail "ns/cgroup exited $?"
	echo "$out"
	t_match "$out" '^0::/$' "the cgroup v2 line inside"
	t_nomatch "$out" ':/.+' "a path other than / inside"
	t_eq "$(echo "$out" | wc -l)" "$(wc -l </proc/self/cgroup)" "lines (one per hierarchy)"
}

report_shows_before_and_after() {
	t_need_root
	setup
	out=$("$CG") || t_fail "exited $?"
	echo "$out"
	ours=$(readlink /proc/self/ns/cgroup | sed 's/[][]/\\&/g')
	t_match "$out" "^cgroup ns +$ours -> cgroup:\[[0-9]+\]$" "the namespace line"
	t_nomatch "$out" "-> $ours$" "a new namespace"
	outside=$(echo "$out" | sed -n '/^\/proc\/self\/cgroup outside:$/,/^\/proc\/self\/cgroup inside:$/p')
	for l in $(cat /proc/self/cgroup); do
		t_match "$outside" "^  $l$" "the outside list"
	done
	inside=$(echo "$out" | sed -n '/^\/proc\/self\/cgroup inside:$/,/^\/proc\/1\//p')
	t_match "$inside" '^  0::/$' "the inside list"
}

own_cgroup_becomes_root() {
	t_need_root
	setup
	if t_in_vm; then
		v2=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup2") { print $5; exit } }' \
			/proc/self/mountinfo)
		[ -n "$v2" ] || t_fail "no cgroup2 mount in the VM"
		cg=$v2$(sed -n 's/^0:://p' /proc/self/cgroup)/mr-nsb-cgroup.$$
		cg=$(echo "$cg" | sed 's://*:/:g')
		mkdir "$cg" || t_fail "mkdir $cg"
		t_defer "rmdir '$cg'"
		out=$(sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2"' sh "$cg" "$CG") ||
			t_fail "ns/cgroup in $cg exited $?"
		echo "$out"
		t_match "$out" '^  0::/.*/?mr-nsb-cgroup\.[0-9]+$' "outside: the child cgroup's path"
	else
		# on the host we create nothing: look for a hierarchy where we are below the root
		grep -q ':/.' /proc/self/cgroup ||
			t_skip "this process is at the root of every cgroup hierarchy: nothing to re-root"
		out=$("$CG") || t_fail "exited $?"
		echo "$out"
		line=$(grep ':/.' /proc/self/cgroup | sed -n 1p)
		t_match "$out" "^  $line$" "outside: $line"
	fi
	inside=$(echo "$out" | sed -n '/^\/proc\/self\/cgroup inside:$/,/^\/proc\/1\//p')
	t_nomatch "$inside" ':/.+' "inside, every path is /"
}

user_namespace_for_non_root() {
	need_setpriv
	setup
	t_status 1 as_nobody "$CG" -- true
	one_line "$T_OUT"
	t_match "$T_OUT" 'needs CAP_SYS_ADMIN: run as root, or add -U'
	out=$(as_nobody "$CG" -U -- cat /proc/self/cgroup) || t_fail "-U as uid 65534 exited $?"
	t_match "$out" '^0::/$' "the v2 line inside, unprivileged"
}

exit_status_and_bad_input() {
	t_need_root
	setup
	t_status 7 "$CG" -- sh -c 'exit 7'
	t_status 127 "$CG" -- no-such-command-mr
	one_line "$T_OUT"
	t_match "$T_OUT" 'no-such-command-mr: command not found'
	t_status 2 "$CG" -x
	one_line "$T_OUT"
	t_match "$T_OUT" "unknown option '-x'"
	t_status 0 "$CG" -h
	t_match "$T_OUT" '^usage: ns/cgroup'
}

t "inside a new cgroup namespace every /proc/self/cgroup path is /" every_path_is_root_inside
t "the report: a new namespace inode, our cgroups outside, 0::/ inside" report_shows_before_and_after
t "the cgroup we are in (below the root) shows as / inside" own_cgroup_becomes_root
t "unprivileged: one line asking for -U; with -U it works" user_namespace_for_non_root
t "CMD's exit status, 127 for not found, bad flags: one line, exit 2" exit_status_and_bad_input
t_end
