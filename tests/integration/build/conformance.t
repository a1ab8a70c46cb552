#!/bin/sh
# tests/integration/build/conformance.t - the build conformance suite: every case under
# conformance/cases/ is built by `minirun build`, by `docker build` (the classic builder,
# DOCKER_BUILDKIT=0, of a private dockerd) and by `buildah bud --layers --isolation chroot
# --format docker` (its own --root/--runroot), all FROM the same busybox image (one
# docker-archive loaded into all three), and the three images are compared: the config
# fields and the merged filesystem (conformance/lib.sh). A difference fails the case unless
# the case's `deliberate` file (or the suite's, conformance/deliberate) names it with its
# reason. The format of a case: conformance/README.md.
#
#   sh tests/integration/build/conformance.t            every case (minutes: in tests/long.list)
#   CF_CASES='copy-|env' sh .../conformance.t           the cases whose name matches (grep -E)
#   CF_PEERS=none sh .../conformance.t                  minirun alone (conformance-fast.t):
#                                                       each case against its golden and
#                                                       its `expect` lines
#   CF_RECORD=1 sh .../conformance.t                    also write each passing case's golden
#   make test-build-conformance                         the same as the first, with a longer limit
. "${MR_TOP:=$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/lib/peers.sh"
. "$MR_TOP/tests/integration/build/conformance/lib.sh"

CF=$MR_TOP/tests/integration/build/conformance
M=${MINIRUN:-$MR_TOP/minirun/minirun}
BASE_TAR=$MR_TOP/build/images/busybox.tar
# Debian's docker.io client (20.10, the daemon's own version) when there is one: a newer
# client earlier in PATH talks to it too, but prints the classic builder's deprecation
DK=docker
[ -x /usr/bin/docker ] && DK=/usr/bin/docker
PEERS=${CF_PEERS:-docker buildah}
[ "$PEERS" = none ] && PEERS=""
MR=$T_TMP/mr
BH=$T_TMP/bh
SUMMARY=$T_TMP/summary

# what the whole suite needs; a missing piece skips every case, saying what it is
cf_missing() {
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	[ -x "$M" ] || { echo "$M is not built (make minirun)"; return; }
	[ -f "$BASE_TAR" ] || { echo "$BASE_TAR is missing (make busybox-image)"; return; }
	for _c in jq tar unshare; do
		command -v $_c >/dev/null 2>&1 || { echo "needs $_c"; return; }
	done
	for _p in $PEERS; do
		case $_p in
		docker) command -v dockerd >/dev/null 2>&1 || { echo "needs dockerd (docker.io)"; return; } ;;
		buildah) command -v buildah >/dev/null 2>&1 || { echo "needs buildah"; return; } ;;
		esac
	done
}

# cf_setup - the base image (busybox.tar with PATH and CMD as busybox's own image has
# them) in minirun's store, saved, and loaded from that one archive into docker and buildah
cf_setup() {
	"$M" --root "$MR" import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		-c 'CMD ["sh"]' "$BASE_TAR" busybox:latest >/dev/null || return 1
	"$M" --root "$MR" save -o "$T_TMP/base.tar" busybox:latest || return 1
	cf_canon "$T_TMP/base.tar" "$T_TMP/base.txt" || return 1
	for _p in $PEERS; do
		case $_p in
		docker)
			pk_dockerd_start "$T_TMP/dk"
			"$DK" load -q -i "$T_TMP/base.tar" >/dev/null || return 1
			;;
		buildah) pk_buildah "$BH" pull -q "docker-archive:$T_TMP/base.tar" >/dev/null || return 1 ;;
		esac
	done
}

# cf_build BUILDER TAG DIR [FLAGS...] - build the context DIR (cwd there) as TAG; the log
# in $T_DIR/BUILDER.log
cf_build() {
	_b=$1 _tag=$2 _dir=$3
	shift 3
	(
		cd "$_dir" || exit 1
		case $_b in
		minirun) unshare -m -n -p -f --mount-proc "$M" --root "$MR" build -t "$_tag" "$@" . ;;
		docker) DOCKER_BUILDKIT=0 "$DK" build --force-rm -t "$_tag" "$@" . ;;
		buildah) pk_buildah "$BH" bud --layers --isolation chroot --format docker -t "$_tag" "$@" . ;;
		esac
	) >>"$T_DIR/$_b.log" 2>&1
}

# cf_save BUILDER TAG FILE - the image as a docker-archive
cf_save() {
	case $1 in
	minirun) "$M" --root "$MR" save -o "$3" "$2" ;;
	docker) "$DK" save -o "$3" "$2" ;;
	buildah) pk_buildah "$BH" push -q "$2" "docker-archive:$3:$2" ;;
	esac >>"$T_DIR/$1.log" 2>&1
}

# cf_one BUILDER - build the case with BUILDER (its pre/ image first, when it has one) and
# write the canonical text in $T_DIR/BUILDER.txt
cf_one() {
	if [ -d "$T_DIR/pre" ]; then
		cf_build "$1" cfpre "$T_DIR/pre" || return 1
	fi
	_t0=$(date +%s.%N)
	eval "cf_build $1 cf-$CASE '$T_DIR/ctx' $ARGS" || return 1
	# the build's own time (not the save and the listing), summed per builder for the summary
	echo "$_t0 $(date +%s.%N)" | awk '{ print $2 - $1 }' >>"$SUMMARY.time.$1"
	cf_save "$1" "cf-$CASE" "$T_DIR/$1.tar" || return 1
	cf_canon "$T_DIR/$1.tar" "$T_DIR/$1.txt"
	rm -f "$T_DIR/$1.tar"
}

# cf_explained PEER FILE - the diff lines of FILE that no deliberate entry for PEER names;
# each entry that names one is noted in the summary, and a case's entry that names none
# is reported as stale
cf_explained() {
	cp "$2" "$T_DIR/left"
	for _f in "$CF/deliberate" "$CASE_DIR/deliberate"; do
		[ -f "$_f" ] || continue
		grep -v '^#' "$_f" | while read -r _peer _re _why; do
			[ -n "$_peer" ] || continue
			case $_peer in "$1" | peers) ;; *) continue ;; esac
			if grep -Eq -- "$_re" "$T_DIR/left"; then
				grep -Ev -- "$_re" "$T_DIR/left" >"$T_DIR/left.new"
				mv "$T_DIR/left.new" "$T_DIR/left"
				if [ "$_f" = "$CF/deliberate" ]; then
					echo "(any case) $1: $_why" >>"$SUMMARY.deliberate"
				else
					echo "$CASE $1: $_why" >>"$SUMMARY.deliberate"
				fi
			elif [ "$_f" = "$CASE_DIR/deliberate" ] && ! grep -Eq -- "$_re" "$2"; then
				echo "stale deliberate entry (no such difference): $_peer $_re"
			fi
		done
	done
	cat "$T_DIR/left"
}

cf_case() {
	ARGS=$(cat "$CASE_DIR/args" 2>/dev/null)
	cp -a "$CASE_DIR/ctx" "$T_DIR/ctx" || t_fail "no ctx/ in $CASE_DIR"
	[ -d "$CASE_DIR/pre" ] && cp -a "$CASE_DIR/pre" "$T_DIR/pre"
	# git keeps only the x bit: the modes of a checkout made with umask 022 whatever its umask
	chmod -R go-w "$T_DIR/ctx"
	if [ -f "$CASE_DIR/setup" ]; then
		(cd "$T_DIR/ctx" && sh -e "$CASE_DIR/setup") || t_fail "the case's setup failed"
	fi
	# the three builds at once (each its own store and log): a case takes the slowest one's time
	_built=""
	for _p in minirun $PEERS; do
		if [ "$_p" != minirun ] && grep -Eq "^($_p|none):" "$CASE_DIR/peers" 2>/dev/null; then
			# a peer the case leaves out ("PEER: why", or "none: why" for both)
			echo "$CASE $_p: not built by $_p: $(grep -E "^($_p|none):" "$CASE_DIR/peers" |
				head -n 1 | cut -d: -f2- | sed 's/^ //')" >>"$SUMMARY.deliberate"
			continue
		fi
		_built="$_built $_p"
		(cf_one "$_p" && touch "$T_DIR/$_p.ok") &
	done
	wait
	for _p in $_built; do
		[ -f "$T_DIR/$_p.ok" ] || t_fail "$_p build failed: $(tail -n 15 "$T_DIR/$_p.log")"
	done
	# the lines the reference says minirun's image has (for what no peer can check)
	if [ -f "$CASE_DIR/expect" ]; then
		grep -v '^#' "$CASE_DIR/expect" | while IFS= read -r _l; do
			case $_l in
			"") ;;
			"! "*) cut -d' ' -f1 "$T_DIR/minirun.txt" | grep -qxF -- "${_l#! }" &&
				echo "expected absent, in minirun's image: ${_l#! }" ;;
			*) grep -qxF -- "$_l" "$T_DIR/minirun.txt" ||
				echo "expected, not in minirun's image: $_l" ;;
			esac
		done >"$T_DIR/missing"
		[ -s "$T_DIR/missing" ] && t_fail "$(cat "$T_DIR/missing")"
	fi
	_bad=""
	for _p in ${_built# minirun}; do
		# "< X": only the peer's image has X; "> X": only minirun's
		diff "$T_DIR/$_p.txt" "$T_DIR/minirun.txt" | grep '^[<>]' >"$T_DIR/$_p.diff"
		cf_explained "$_p" "$T_DIR/$_p.diff" >"$T_DIR/$_p.left"
		if [ -s "$T_DIR/$_p.left" ]; then
			echo "$_p vs minirun (< only $_p's, > only minirun's):"
			head -n 30 "$T_DIR/$_p.left"
			_bad="$_bad $_p"
		fi
	done
	[ -z "$_bad" ] || t_fail "differences with:$_bad"
	# the golden: how minirun's image differs from the base, as recorded by a run that
	# matched it against the peers (CF_RECORD=1 writes it); any other run checks it
	diff "$T_TMP/base.txt" "$T_DIR/minirun.txt" | grep '^[<>]' >"$T_DIR/golden"
	if [ "${CF_RECORD:-}" = 1 ] && [ -n "$PEERS" ]; then
		cp "$T_DIR/golden" "$CASE_DIR/golden"
	elif [ -f "$CASE_DIR/golden" ] && ! cmp -s "$CASE_DIR/golden" "$T_DIR/golden"; then
		echo "minirun's image is not the one recorded in golden (< recorded, > now):"
		diff "$CASE_DIR/golden" "$T_DIR/golden" | grep '^[<>]' | head -n 30
		t_fail "golden differs (after a change that is right: CF_RECORD=1, with the peers)"
	fi
}

cf_skip() { t_skip "$_why"; }

trap 'pk_dockerd_stop >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
_why=$(cf_missing)
if [ -z "$_why" ] && ! cf_setup >"$T_TMP/setup.log" 2>&1; then
	_why="the base image could not be loaded into every builder: $(tail -n 5 "$T_TMP/setup.log")"
fi
for CASE_DIR in "$CF"/cases/*/; do
	CASE_DIR=${CASE_DIR%/}
	CASE=$(basename "$CASE_DIR")
	[ -n "${CF_CASES:-}" ] && ! echo "$CASE" | grep -Eq "$CF_CASES" && continue
	if [ -n "$_why" ]; then
		t "$CASE" cf_skip
		continue
	fi
	export CASE CASE_DIR
	t "$CASE: $(head -n 1 "$CASE_DIR/about" 2>/dev/null)" cf_case
done
pk_dockerd_stop
for _p in minirun $PEERS; do
	[ -f "$SUMMARY.time.$_p" ] && awk -v p="$_p" '{ s += $1; n++ }
		END { printf "# %s: %d builds, %.1f s in all (run side by side, per case)\n", p, n, s }' \
		"$SUMMARY.time.$_p"
done
if [ -f "$SUMMARY.deliberate" ]; then
	echo "# deliberate differences:"
	sort -u "$SUMMARY.deliberate" | sed 's/^/#   /'
fi
t_end
