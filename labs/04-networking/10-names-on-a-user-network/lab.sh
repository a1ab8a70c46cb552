#!/bin/sh
# labs/04-networking/10-names-on-a-user-network/lab.sh - containers on a user network find
# each other by DNS (nslookup) and reach each other by name and alias; on the default bridge
# they don't (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab names-on-a-user-network STEP`)
#
# Everything runs in a namespace playing the host (mrlab.sh): exit 0 pass, 1 fail (after a
# hint), 77 skip (reason last).
LAB_NAME=names-on-a-user-network
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun network create labnet
  minirun run -d --name db --network labnet --network-alias database busybox sleep 1000
  minirun run --rm --network labnet busybox nslookup db > $LAB_STATE/lookup.txt
  minirun run --rm --network labnet busybox ping -c 1 -W 2 db > $LAB_STATE/byname.txt
  ... the same with 'database' > $LAB_STATE/byalias.txt
  minirun run -d --name solo busybox sleep 1000
  minirun run --rm busybox ping -c 1 -W 2 solo > $LAB_STATE/bridge.txt 2>&1
HINT
}

setup_() { :; }

run_() {
	need_verbs run network
	minirun network create labnet
	minirun network ls
	minirun run -d --name db --network labnet --network-alias database busybox sleep 1000
	minirun run --rm --network labnet busybox cat /etc/resolv.conf
	minirun run --rm --network labnet busybox nslookup db | tee "$LAB_STATE/lookup.txt"
	minirun run --rm --network labnet busybox ping -c 1 -W 2 db | tee "$LAB_STATE/byname.txt"
	minirun run --rm --network labnet busybox ping -c 1 -W 2 database | tee "$LAB_STATE/byalias.txt"
	minirun run --rm --network labnet busybox cat /etc/hosts
	minirun run -d --name solo busybox sleep 1000
	minirun run --rm busybox ping -c 1 -W 2 solo 2>&1 | tee "$LAB_STATE/bridge.txt"
	true
}

check_() {
	need_verbs run network
	for f in lookup.txt byname.txt byalias.txt bridge.txt; do have $f; done
	expect "there is a network labnet ('minirun network create labnet')" eval 'minirun network ls | grep -q " labnet "'
	expect "lookup.txt: nslookup db was answered by labnet's DNS responder (Server: 10.89.x.1)" grep -Eq '^Server:[[:space:]]+10\.89\.[0-9]+\.1$' "$LAB_STATE/lookup.txt"
	expect "lookup.txt: db has a labnet address (10.89.x.x)" grep -Eq '^Address: 10\.89\.[0-9]+\.[0-9]+$' "$LAB_STATE/lookup.txt"
	expect "byname.txt: 'db' resolved to a labnet address (10.89.x.x)" grep -Eq '^PING db \(10\.89\.' "$LAB_STATE/byname.txt"
	expect "byname.txt: db answered" grep -q '1 packets received' "$LAB_STATE/byname.txt"
	expect "byalias.txt: the alias 'database' answered" grep -q '1 packets received' "$LAB_STATE/byalias.txt"
	expect "bridge.txt says ping: bad address 'solo': no names on the default bridge" grep -q "bad address 'solo'" "$LAB_STATE/bridge.txt"
	echo "check: ok - on labnet, the DNS responder answers db, and db answers by name and by alias; on the default bridge, solo has no name"
}

steps "$@"
