# tests/differential/docker.t - every case of docker.cases run by docker and by minirun, and
# compared: one result line per case (issue 22's differential suite).
#
# Docker is Debian's docker.io (its CLI, /usr/bin/docker, 20.10: a newer CLI earlier on the
# PATH would print another version's words), a private dockerd started by tests/lib/peers.sh
# in mount and network namespaces of its own, with its default bridge docker0 there (so
# `run` without --network and -p behave as in a tutorial) and no iptables or ip_forward
# change on the machine. minirun runs the same cases in a namespace that plays the host
# (containers/lib.sh's ct_host), its default bridge mr0 there. The same rootfs tar is imported
# into both as busybox:latest with CMD ["sh"].
#
# A case passes when the named parts are the same after dc_norm, or when they differ and the
# case says why the difference is deliberate. Takes minutes (docker's side is most of it):
# run by `make test-docker` and `make test-long`, not by `make test`.
#
#	make test-docker            (or: sh tests/differential/docker.t)
#	DC_ONLY='^lc-' make test-docker   only the cases whose name matches the grep -E pattern
#	DC_SAVE_DOCKER=DIR make test-docker   keep docker's results in DIR, and later
#	DC_DOCKER_RESULTS=DIR sh tests/differential/docker.t   compare minirun with them instead
#	                            of running docker again (minirun's side takes ~40 s)
#
# See: tests/differential/lib.sh (the case format, the runner), docker.cases.
: "${MR_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$MR_TOP/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"
. "$MR_TOP/tests/differential/lib.sh"

DC_CASES=${DC_CASES:-$MR_TOP/tests/differential/docker.cases}
DC_DOCKER=${DC_DOCKER:-/usr/bin/docker}
RES=$T_TMP/res
mkdir -p "$RES"

# the cases to run: all, or those DC_ONLY picks
if [ -n "${DC_ONLY:-}" ]; then
	awk -v re="$DC_ONLY" '/^[ \t]*(#|$)/ || /^[ \t]+deliberate:/ { if (keep) print; next }
		{ split($0, f, " "); keep = (f[1] ~ re) } keep' "$DC_CASES" >"$T_TMP/cases"
else
	cp "$DC_CASES" "$T_TMP/cases"
fi

# docker_side - a private dockerd runs the cases; results in $RES/docker
docker_side() {
	[ -x "$DC_DOCKER" ] || t_skip "needs $DC_DOCKER (Debian's docker.io), not installed"
	t_defer pk_dockerd_stop
	pk_dockerd_start "$T_DIR/dk" bridge
	"$DC_DOCKER" import -c 'CMD ["sh"]' "$CT_IMAGE_TAR" busybox:latest >/dev/null ||
		t_fail "docker import"
	D() { "$DC_DOCKER" "$@"; }
	W=$T_TMP/w-docker IMG=$CT_IMAGE_TAR
	mkdir -p "$W"
	dc_run_all "$T_TMP/cases" docker "$RES/docker" || t_fail "docker side"
	pk_dockerd_stop
	if [ -n "${DC_SAVE_DOCKER:-}" ]; then
		rm -rf "$DC_SAVE_DOCKER" && cp -r "$RES/docker" "$DC_SAVE_DOCKER"
	fi
}

both_engines_run_the_cases() {
	ct_need
	t0=$(date +%s)
	if [ -n "${DC_DOCKER_RESULTS:-}" ]; then
		cp -r "$DC_DOCKER_RESULTS" "$RES/docker" || t_fail "no $DC_DOCKER_RESULTS"
	else
		docker_side
	fi
	t1=$(date +%s)
	ct_host '
		. "$MR_TOP/tests/differential/lib.sh"
		D() { mr "$@"; }
		W='"$T_TMP"'/w-minirun IMG=$CT_IMAGE_TAR
		mkdir -p "$W"
		dc_run_all "'"$T_TMP/cases"'" minirun "'"$RES/minirun"'" || die "minirun side"
		ct_noleaks
	' || t_fail "minirun side"
	echo "# docker $((t1 - t0)) s, minirun $(($(date +%s) - t1)) s" >&2
	echo "docker $((t1 - t0)) s, minirun $(($(date +%s) - t1)) s" >"$RES/times"
}
t "docker and minirun both run the $(dc_parse "$T_TMP/cases" | wc -l | tr -d ' ') cases" \
	both_engines_run_the_cases
[ -f "$RES/times" ] && echo "# times: $(cat "$RES/times")"

# one_case - the test of case $_n: its parts the same, or different and deliberate
one_case() {
	[ -f "$RES/minirun/$_n.rc" ] && [ -f "$RES/docker/$_n.rc" ] || t_fail "the case did not run"
	d=$(dc_compare "$_n" "$_cmp" "$RES/docker" "$RES/minirun")
	if [ -z "$_why" ]; then
		[ -z "$d" ] || t_fail "$_cmd
$d"
	elif [ -z "$d" ]; then
		echo "note: deliberate, yet the same now ($_why)"
	fi
	return 0
}

DC_TAB=$(printf '\t')
dc_parse "$T_TMP/cases" >"$T_TMP/parsed"
while IFS="$DC_TAB" read -r _n _cmp _cmd _why; do
	if [ -n "$_why" ]; then
		t "$_n (deliberate: $_why)" one_case
	else
		t "$_n" one_case
	fi
done <"$T_TMP/parsed"

t_end
