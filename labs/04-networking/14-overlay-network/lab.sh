#!/bin/sh
# labs/04-networking/14-overlay-network/lab.sh - `minirun network create -d overlay`: one
# subnet across two "hosts", containers on each reaching the other by name (README.md tells
# the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab overlay-network STEP`)
#
# mrlab.sh gives the lab a store and a namespace playing host A; setup_ adds host B (a
# namespace of its own with a store of its own, $LAB_STATE/root-b), the underlay "wire"
# between them (172.30.0.1 - 172.30.0.2) and `minirun_b` / `onhost_b` in the env. Exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=overlay-network
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' (minirun = host A, minirun_b = host B):
  minirun network create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$LAB_STATE/shared --opt local=172.30.0.1 ov
  minirun_b network create -d overlay --subnet 10.77.0.0/24 --opt peers-dir=$LAB_STATE/shared --opt local=172.30.0.2 ov
  minirun network inspect ov > $LAB_STATE/inspect.txt
  minirun run -d --name web --network ov busybox sleep 1000
  minirun_b run -d --name api --network ov busybox sleep 1000
  minirun exec web ping -c 1 -W 2 api > $LAB_STATE/a-to-b.txt     (and the other way: b-to-a.txt)
  onhost bridge fdb show | grep dst > $LAB_STATE/fdb.txt
  onhost ip neigh show nud permanent > $LAB_STATE/neigh.txt
then remove both containers and 'network rm ov' on both hosts; save what is left:
  onhost ip -o link > $LAB_STATE/links-after.txt; ls $LAB_STATE/shared > $LAB_STATE/shared-after.txt
HINT
}

# host B: a namespace, a store with busybox, the wire to host A, and its functions in env
setup_() {
	holder hostb || return 1
	inns host ip link add wire type veth peer name wire netns "$(pid hostb)" &&
		inns host ip addr add 172.30.0.1/24 dev wire && inns host ip link set wire up &&
		inns hostb ip addr add 172.30.0.2/24 dev wire && inns hostb ip link set wire up ||
		{ echo "setup: the wire between the hosts"; return 1; }
	cat >>"$LAB_STATE/env" <<ENV
# minirun_b ARGS... - minirun on host B: its own store, in host B's namespace
minirun_b() { $NSENTER -t $(pid hostb) -n $MR_BIN --root $LAB_STATE/root-b "\$@"; }
# onhost_b CMD... - run CMD in the namespace that plays host B
onhost_b() { $NSENTER -t $(pid hostb) -n "\$@"; }
ENV
	. "$LAB_STATE/env"
	SOURCE_DATE_EPOCH=0 minirun_b import -c 'CMD ["sh"]' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		"$MR_IMAGE_TAR" busybox:latest >/dev/null || { echo "setup: import on host B"; return 1; }
	echo "host A: 172.30.0.1 (minirun, onhost); host B: 172.30.0.2 (minirun_b, onhost_b)"
}

run_() {
	need_verbs run network
	minirun network create -d overlay --subnet 10.77.0.0/24 --opt peers-dir="$LAB_STATE/shared" --opt local=172.30.0.1 ov
	minirun_b network create -d overlay --subnet 10.77.0.0/24 --opt peers-dir="$LAB_STATE/shared" --opt local=172.30.0.2 ov
	minirun network inspect ov | tee "$LAB_STATE/inspect.txt"
	minirun run -d --name web --network ov busybox sleep 1000
	minirun_b run -d --name api --network ov busybox sleep 1000
	sleep 1
	minirun exec web ping -c 1 -W 2 api | tee "$LAB_STATE/a-to-b.txt"
	minirun_b exec api ping -c 1 -W 2 web | tee "$LAB_STATE/b-to-a.txt"
	onhost bridge fdb show | grep dst | tee "$LAB_STATE/fdb.txt"
	onhost ip neigh show nud permanent | tee "$LAB_STATE/neigh.txt"
	minirun rm -f web
	minirun_b rm -f api
	minirun network rm ov
	minirun_b network rm ov
	onhost ip -o link | tee "$LAB_STATE/links-after.txt"
	ls "$LAB_STATE/shared" | tee "$LAB_STATE/shared-after.txt"
}

check_() {
	need_verbs run network
	for f in inspect.txt a-to-b.txt b-to-a.txt fdb.txt neigh.txt links-after.txt shared-after.txt; do have $f; done
	expect "inspect.txt: ov's driver is overlay" grep -q '"Driver": "overlay"' "$LAB_STATE/inspect.txt"
	expect "inspect.txt: a VXLAN id (vxlanid_list)" grep -Eq '"com.docker.network.driver.overlay.vxlanid_list": "[0-9]+"' "$LAB_STATE/inspect.txt"
	expect "a-to-b.txt: web (host A) reached api (host B) by name" grep -q '1 packets received' "$LAB_STATE/a-to-b.txt"
	expect "b-to-a.txt: api (host B) reached web (host A) by name" grep -q '1 packets received' "$LAB_STATE/b-to-a.txt"
	expect "fdb.txt: host A floods to host B (00:00:00:00:00:00 ... dst 172.30.0.2)" grep -q '^00:00:00:00:00:00 dev mrx.* dst 172.30.0.2' "$LAB_STATE/fdb.txt"
	expect "fdb.txt: api's MAC lives behind host B" grep -Eq '^02:42:0a:4d:00:[0-9a-f]{2} dev mrx.* dst 172.30.0.2' "$LAB_STATE/fdb.txt"
	expect "neigh.txt: host A's VXLAN link answers ARP for api (10.77.0.3)" grep -q '^10.77.0.3 dev mrx.* lladdr 02:42:0a:4d:00:03' "$LAB_STATE/neigh.txt"
	expect_or "links-after.txt: no overlay link left on host A (network rm ov)" "an mro or mrx link is still there" \
		not grep -q ': mr[ox]' "$LAB_STATE/links-after.txt"
	expect_or "shared-after.txt: each host took its file out of the shared directory" "a .json file is still there" \
		not grep -q '\.json' "$LAB_STATE/shared-after.txt"
	echo "check: ok - web (host A) and api (host B) share 10.77.0.0/24 over VXLAN and find each other by name"
}

# kill_watchers - the overlay watchers (minirun-overlay) a learner's networks left running,
# read from each store's pid files ("PID STARTTIME"): they hold the hosts' namespaces, so
# they go before the holders do.
kill_watchers() {
	for _f in "$LAB_STATE"/root/networks/*.overlay.pid "$LAB_STATE"/root-b/networks/*.overlay.pid; do
		[ -f "$_f" ] || continue
		read -r _p _t <"$_f" && [ -n "$_t" ] && [ "$(starttime "$_p")" = "$_t" ] && kill "$_p" 2>/dev/null
	done
	for _d in "$LAB_STATE"/root-b/containers/*/; do
		_id=$(basename "$_d")
		case $_id in *[!0-9a-f]*) continue ;; esac
		[ -f "$LAB_STATE/env" ] && (. "$LAB_STATE/env" && minirun_b rm -f "$_id" >/dev/null 2>&1)
	done
	return 0
}

case ${1:-} in setup | teardown) kill_watchers ;; esac
steps "$@"
