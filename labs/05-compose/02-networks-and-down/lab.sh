#!/bin/sh
# labs/05-compose/02-networks-and-down/lab.sh - a project's own networks draw who reaches
# whom; an external network joins it to the outside; down removes only what the project
# made (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab networks-and-down STEP`)
#
# The lab's store and host namespace come from mrlab.sh (through composelab.sh): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=networks-and-down
. "$(dirname "$0")/../composelab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun network create shared
  minirun run -d --name outsider --network shared busybox sleep 1000
  mkdir -p $LAB_STATE/shop; cp labs/05-compose/02-networks-and-down/compose.yaml $LAB_STATE/shop/
  cd $LAB_STATE/shop; minirun compose up -d; minirun network ls > $LAB_STATE/nets-up.txt
  minirun compose exec api ping -c 1 -W 2 db > $LAB_STATE/api-db.txt
  minirun compose exec api ping -c 1 -W 2 outsider > $LAB_STATE/api-outsider.txt
  minirun compose exec web ping -c 1 -W 2 db > $LAB_STATE/web-db.txt 2>&1
  minirun compose down > $LAB_STATE/down.txt 2>&1; minirun network ls > $LAB_STATE/nets-down.txt
HINT
}

setup_() { :; }

run_() {
	need_compose
	minirun network create shared
	minirun run -d --name outsider --network shared busybox sleep 1000
	mkdir -p "$LAB_STATE/shop"
	cp labs/05-compose/02-networks-and-down/compose.yaml "$LAB_STATE/shop/"
	cd "$LAB_STATE/shop" || exit 1
	cat compose.yaml
	minirun compose up -d
	minirun network ls | tee "$LAB_STATE/nets-up.txt"
	minirun compose exec api ping -c 1 -W 2 db | tee "$LAB_STATE/api-db.txt"
	minirun compose exec api ping -c 1 -W 2 outsider | tee "$LAB_STATE/api-outsider.txt"
	minirun compose exec web ping -c 1 -W 2 db 2>&1 | tee "$LAB_STATE/web-db.txt"
	minirun compose exec web cat /etc/hosts
	minirun compose down 2>&1 | tee "$LAB_STATE/down.txt"
	minirun network ls | tee "$LAB_STATE/nets-down.txt"
	minirun ps -a
}

# has_net FILE NAME - FILE (a 'network ls') lists the network NAME
has_net() { awk -v n="$2" '$2 == n { f = 1 } END { exit !f }' "$LAB_STATE/$1"; }

check_() {
	need_compose
	for f in nets-up.txt api-db.txt api-outsider.txt web-db.txt down.txt nets-down.txt; do have $f; done
	for n in shop_front shop_back shared; do
		expect "nets-up.txt ('minirun network ls' while shop is up) lists $n" has_net nets-up.txt $n
	done
	expect "nets-up.txt lists no shop_shared: 'shared' is external, compose does not make it" not has_net nets-up.txt shop_shared
	ok "up made shop_front and shop_back beside the external shared"
	expect "api-db.txt: api got an answer from db" grep -q '1 packets received' "$LAB_STATE/api-db.txt"
	expect "api-outsider.txt: api got an answer from outsider" grep -q '1 packets received' "$LAB_STATE/api-outsider.txt"
	ok "api reached db (back) and outsider (shared)"
	expect "web-db.txt says ping: bad address 'db'" grep -q "bad address 'db'" "$LAB_STATE/web-db.txt"
	ok "web could not resolve db: they share no network"
	left=$(minirun ps -a --filter label=com.docker.compose.project=shop -q | wc -l)
	expect_or "no container of project shop is left ('minirun compose down' in \$LAB_STATE/shop)" "$left are" [ "$left" = 0 ]
	for n in shop_front shop_back; do
		expect "the network $n is gone: down removes the project's networks" \
			not eval 'minirun network ls --format "{{.Name}}" | grep -qx $n'
		expect "down.txt says 'Network $n  Removed'" grep -Eq "Network $n +Removed" "$LAB_STATE/down.txt"
	done
	ok "down removed shop's containers and its networks shop_front and shop_back"
	expect "the network shared is still there: down leaves an external network alone" \
		eval 'minirun network ls --format "{{.Name}}" | grep -qx shared'
	expect "down.txt does not name shared: down did not touch it" not grep -q shared "$LAB_STATE/down.txt"
	expect "outsider is still running: down leaves containers that are not the project's" \
		[ "$(minirun inspect -f '{{.State.Status}}' outsider 2>/dev/null)" = running ]
	ok "down left the external network shared and the container outsider"
}

lab_steps "$@"
