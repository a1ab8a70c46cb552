#!/bin/sh
# labs/05-compose/06-scaling/lab.sh - up -d --scale web=3: three replicas, each reachable
# by its container name, one name 'web' for all; scaling down removes the highest
# (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab scaling STEP`)
#
# The lab's store and host namespace come from mrlab.sh (through composelab.sh): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=scaling
. "$(dirname "$0")/../composelab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  mkdir -p $LAB_STATE/farm; cp labs/05-compose/06-scaling/compose.yaml $LAB_STATE/farm/
  cd $LAB_STATE/farm; minirun compose up -d --scale web=3 > $LAB_STATE/up.txt 2>&1
  for n in 1 2 3; do minirun compose exec client wget -q -O - http://farm-web-$n/; done > $LAB_STATE/replicas.txt
  for i in 1 2 3 4; do minirun compose exec client wget -q -O - http://web/; done > $LAB_STATE/byservice.txt
  minirun compose up -d --scale web=2 > $LAB_STATE/down-to-2.txt 2>&1
HINT
}

setup_() { :; }

run_() {
	need_compose
	mkdir -p "$LAB_STATE/farm"
	cp labs/05-compose/06-scaling/compose.yaml "$LAB_STATE/farm/"
	cd "$LAB_STATE/farm" || exit 1
	cat compose.yaml
	minirun compose up -d --scale web=3 2>&1 | tee "$LAB_STATE/up.txt"
	minirun compose ps
	minirun ps --format '{{.ID}}  {{.Names}}'
	# instead of the README's 'sleep 1': fetch retries while each httpd starts
	for n in 1 2 3; do fetch "http://farm-web-$n/"; done | tee "$LAB_STATE/replicas.txt"
	for i in 1 2 3 4; do fetch http://web/; done | tee "$LAB_STATE/byservice.txt"
	minirun compose exec client grep web /etc/hosts
	minirun compose exec --index 2 web hostname
	minirun compose up -d --scale web=2 2>&1 | tee "$LAB_STATE/down-to-2.txt"
	minirun compose ps
}

# host_of NAME - the hostname of the container NAME (its page), or nothing
host_of() { minirun inspect -f '{{.Config.Hostname}}' "$1" 2>/dev/null; }

check_() {
	need_compose
	for f in up.txt replicas.txt byservice.txt down-to-2.txt; do have $f; done
	for n in 1 2 3; do
		expect "up.txt says farm-web-$n started (minirun compose up -d --scale web=3)" \
			grep -Eq "Container farm-web-$n +Started" "$LAB_STATE/up.txt"
	done
	ok "up --scale web=3 started farm-web-1, farm-web-2 and farm-web-3"
	expect "replicas.txt has 3 lines, one per replica" [ "$(wc -l <"$LAB_STATE/replicas.txt")" = 3 ]
	expect "replicas.txt holds hostnames (12-hex short IDs)" not grep -Evq '^[0-9a-f]{12}$' "$LAB_STATE/replicas.txt"
	expect "replicas.txt has 3 different hostnames" [ "$(sort -u "$LAB_STATE/replicas.txt" | wc -l)" = 3 ]
	for n in 1 2; do
		expect "line $n of replicas.txt is farm-web-$n's hostname" [ "$(sed -n "${n}p" "$LAB_STATE/replicas.txt")" = "$(host_of farm-web-$n)" ]
	done
	ok "each replica answered by its name with its own hostname: 3 different"
	expect "byservice.txt has 4 lines" [ "$(wc -l <"$LAB_STATE/byservice.txt")" = 4 ]
	expect "byservice.txt has one answer 4 times: with a hosts file, 'web' is always the first line's" \
		[ "$(sort -u "$LAB_STATE/byservice.txt" | wc -l)" = 1 ]
	first=$(head -n 1 "$LAB_STATE/byservice.txt")
	expect_or "byservice.txt's answer is one of the replicas" "it is '$first'" grep -qx "$first" "$LAB_STATE/replicas.txt"
	ok "'web' gave the same replica all 4 times: a hosts file's first line (replica $(grep -nx "$first" "$LAB_STATE/replicas.txt" | cut -d: -f1))"
	expect "down-to-2.txt says 'Container farm-web-3  Removed'" grep -Eq 'Container farm-web-3 +Removed' "$LAB_STATE/down-to-2.txt"
	webs=$(minirun ps --filter label=com.docker.compose.service=web --format '{{.Names}}' | sort | tr '\n' ' ')
	expect_or "the running web replicas are farm-web-1 and farm-web-2 (minirun compose up -d --scale web=2)" "they are '$webs'" \
		[ "$webs" = "farm-web-1 farm-web-2 " ]
	expect "farm-web-3 is gone" not minirun inspect farm-web-3
	for n in 1 2; do
		expect "farm-web-$n answers the client with its hostname now" \
			[ "$(in_project farm fetch "http://farm-web-$n/")" = "$(host_of farm-web-$n)" ]
	done
	ok "scaling to 2 removed farm-web-3; farm-web-1 and farm-web-2 run and answer now"
}

lab_steps "$@"
