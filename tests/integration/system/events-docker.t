# tests/integration/system/events-docker.t - `minirun events` against a private dockerd's
# `docker events --since ... --until ... --format '{{json .}}'` for the same short sequence
# (create, start, die, destroy; run --rm; kill, pause, unpause, rename, exec, stop, restart,
# commit, rm -f; a volume, a network and a tag made and removed):
# the same events, each with the same Type, Action, top-level keys and attribute keys.
# In tests/long.list (dockerd takes seconds to start and stop); skipped without docker.io.
# Run: sh tests/integration/system/events-docker.t (as root; make minirun busybox-image)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/containers/lib.sh"
. "$MR_TOP/tests/lib/peers.sh"

# the sequence, run by $E (docker, or mr inside ct_host); then the events from $S to now
SEQUENCE='
sequence() {
	sleep 1 # --since is a whole second too: the image import before it left out
	S=$(date +%s)
	$E create --name evx --label tier=web --network none busybox sh -c "exit 3"
	$E start evx
	$E wait evx
	$E rm evx
	$E run --rm --name evy --network none busybox true
	$E run -d --name evz --network none busybox sleep 100
	$E kill -s USR1 evz
	$E pause evz
	$E unpause evz
	$E rename evz evz2
	$E exec evz2 true
	$E stop -t 1 evz2
	$E restart -t 1 evz2
	$E commit -m note evz2 evc:1
	$E rm -f evz2
	$E rmi evc:1
	$E volume create evv
	$E volume rm evv
	$E network create evn
	$E network rm evn
	$E tag busybox evt:1
	$E rmi evt:1
	sleep 1.2 # --until is a whole second for docker: the last events inside it
	$E events --since "$S" --until "$(date +%s)" --format "{{json .}}" >$T_DIR/events.json
} >/dev/null 2>&1
# one line an event: TYPE ACTION KEYS ATTRIBUTE-KEYS, in the order of the events per actor
shape() {
	jq -r "[.Type, .Action, (keys_unsorted | join(\",\")), (.Actor.Attributes | keys | join(\",\"))] | join(\" \")" \
		$T_DIR/events.json | sort
}
'

docker_events() {
	ct_need
	command -v jq >/dev/null || t_skip "needs jq (make deps)"
	pk_dockerd_start "$T_DIR/dk"
	t_defer pk_dockerd_stop
	docker import -c 'CMD ["sh"]' "$CT_IMAGE_TAR" busybox:latest >/dev/null || t_fail "docker import"
	E=docker
	eval "$SEQUENCE"
	sequence
	want=$(shape)
	[ -n "$want" ] || t_fail "docker logged no events"
	got=$(ct_host "$SEQUENCE"'
		E=mr
		sequence
		shape
		ct_noleaks
	') || t_fail "minirun: $got"
	[ "$got" = "$want" ] || t_fail "differs (< docker, > minirun):
$(printf "%s\n" "$want" >"$T_DIR/w"; printf "%s\n" "$got" >"$T_DIR/g"; diff "$T_DIR/w" "$T_DIR/g")"
}
t "the events of the lifecycle verbs, exec, a volume, a network and a tag: dockerd's types, actions and keys" docker_events
