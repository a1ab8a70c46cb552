# tests/integration/compose/differential.t - the compose projects of differential/ run by
# `minirun compose` and by Debian's docker-compose 1.29 (Python) against a private dockerd,
# and what each made compared: containers and their names, networks, volumes, each
# container's env, command, entrypoint, ports, mounts, labels, resources, health check,
# networks and aliases, state and output (differential/snap.py lists the fields and what is
# normalized away).
#
# Data-driven: each folder differential/NN-name/ is one project and one test. Its `case` file
# (sourced by differential/side.sh) says what it covers in its first comment line and may set
# ARGS (compose's global options), FAILS (a step of it is meant to fail), WAIT (one-shot services to wait for), run_case (the steps:
# `c up -d`, `snap NAME`, edits between them; default one `up -d`), pre/post (external
# networks and volumes). Its `differs` file, when there is one, lists the deliberate
# differences: `PATH  why` a line, PATH a snap.py path removed from both sides (compose v1
# against the Compose Specification: the specification wins, and the line says so).
# Suite-wide: v1 names containers PROJECT_SERVICE_N, the specification's implementations
# PROJECT-SERVICE-N (snap.py reads the first as the second); the config-hash label is each
# tool's own digest of its own model and is not compared.
#
# One dockerd for the whole suite (tests/lib/peers.sh: its own mount and network namespace,
# where `docker network create` and published ports work through docker-proxy); the minirun
# side runs in ct_host's throwaway host namespace, at the same time as the docker side.
# Run: sh tests/integration/compose/differential.t (root; make minirun busybox-image;
# docker.io and docker-compose from make deps). About a minute and a half per ten cases.
# MR_DIFF_CASES=GLOB runs only the matching case folders; MR_DIFF_KEEP=DIR keeps each case's
# records there.
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"

D=$MR_TOP/tests/integration/compose/differential
PY=/usr/bin/python3

# the suite's dockerd, started once outside any test: a reason to skip each case when it
# can't be (pk_dockerd_start's t_skip/t_fail would end the suite, so it runs in a subshell)
DK_WHY=""
if ! command -v docker-compose >/dev/null 2>&1; then
	DK_WHY="needs docker-compose (Debian's 1.29), not installed"
elif ! command -v dockerd >/dev/null 2>&1; then
	DK_WHY="needs dockerd (Debian's docker.io), not installed"
elif [ "$(id -u)" != 0 ]; then
	DK_WHY="needs root"
else
	_why=$( (pk_dockerd_start "$T_TMP/dk" >/dev/null && echo started) 2>&1 | tail -n 1)
	if [ "$_why" = started ]; then
		PK_DK=$T_TMP/dk DOCKER_HOST="unix://$T_TMP/dk/sock"
		export DOCKER_HOST
		trap 'pk_dockerd_stop; rm -rf "$T_TMP"' EXIT
		docker import -c 'CMD ["sh"]' "$CT_IMAGE_TAR" busybox:latest >/dev/null ||
			DK_WHY="docker import of $CT_IMAGE_TAR failed"
	else
		DK_WHY="the private dockerd did not start: $_why"
	fi
fi

# dk_leftovers - what the docker side left in the suite's dockerd (nothing, after `down -v`
# and the case's post)
dk_leftovers() {
	docker ps -aq | sed 's/^/container /'
	docker network ls --format '{{.Name}}' | grep -vxE 'bridge|host|none' | sed 's/^/network /'
	docker volume ls -q | sed 's/^/volume /'
}

run_case() {
	[ -z "$DK_WHY" ] || t_skip "$DK_WHY"
	ct_need net
	$PY -c 'import json' 2>/dev/null || t_skip "needs python3"
	# the docker side in the background while the minirun side runs
	(. "$D/side.sh" && side docker "$CASE" "$T_DIR/dk") >"$T_DIR/dk.log" 2>&1 &
	_dk=$!
	t_defer "kill $_dk 2>/dev/null; wait $_dk 2>/dev/null; true"
	out=$(ct_host ". '$D/side.sh'
		side mr '$CASE' '$T_DIR/mr' || die 'the minirun side did not run'
		ct_noleaks") || t_fail "minirun side: $out"
	wait "$_dk" || t_fail "docker side: $(cat "$T_DIR/dk.log")"
	_left=$(dk_leftovers)
	# the next case must start from an empty daemon
	[ -z "$_left" ] || {
		# shellcheck disable=SC2046 # a list of IDs
		docker rm -f $(docker ps -aq) >/dev/null 2>&1
		docker volume prune -f >/dev/null 2>&1
		docker network prune -f >/dev/null 2>&1
		t_fail "docker-compose down left: $_left"
	}
	# a case is itself checked: docker-compose runs every step of it (unless it says FAILS=)
	if ! grep -q '^FAILS=' "$CASE/case" && grep -q '^exit: [1-9]' "$T_DIR/dk/steps"; then
		for f in "$T_DIR"/dk/step*.out; do sed "s|^|$(basename "$f"): |" "$f"; done
		t_fail "docker-compose failed a step of the case (a case that means it sets FAILS=)"
	fi
	_ign=$(sed 's/#.*//' "$CASE/differs" 2>/dev/null | awk 'NF { print $1 }')
	set -f # the paths are globs for snap.py, not for the shell
	# shellcheck disable=SC2086 # a list of paths
	$PY "$D/snap.py" "$T_DIR/dk" "$T_DIR/dk/proj" $_ign >dk.json || t_fail "snap.py: docker side"
	# shellcheck disable=SC2086
	$PY "$D/snap.py" "$T_DIR/mr" "$T_DIR/mr/proj" $_ign >mr.json || t_fail "snap.py: minirun side"
	set +f
	# MR_DIFF_KEEP=DIR: both sides' records kept there, to read or to write a `differs`
	[ -z "${MR_DIFF_KEEP:-}" ] || { mkdir -p "$MR_DIFF_KEEP/${CASE##*/}" &&
		cp -a dk.json mr.json "$T_DIR/dk" "$T_DIR/mr" "$MR_DIFF_KEEP/${CASE##*/}/"; }
	diff -u dk.json mr.json || {
		echo "--- steps: docker-compose"
		for f in "$T_DIR"/dk/step*.out; do sed "s|^|$(basename "$f"): |" "$f"; done
		echo "+++ steps: minirun"
		for f in "$T_DIR"/mr/step*.out; do sed "s|^|$(basename "$f"): |" "$f"; done
		t_fail "what the two made differs (- docker-compose + dockerd, + minirun)"
	}
}

for CASE in "$D"/*/; do
	CASE=${CASE%/}
	# shellcheck disable=SC2254 # a glob from the caller
	case $(basename "$CASE") in ${MR_DIFF_CASES:-*}) ;; *) continue ;; esac
	[ -f "$CASE/case" ] || continue
	t "$(basename "$CASE"): $(sed -n '1s/^# *//p' "$CASE/case")" run_case
done
# before t_end, which removes $T_TMP and with it the PID file pk_dockerd_stop reads (the
# EXIT trap is for a suite cut short)
pk_dockerd_stop
t_end
