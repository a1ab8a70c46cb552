#!/bin/sh
# labs/05-compose/04-dependencies/lab.sh - depends_on: service_started orders but does not
# wait for readiness, service_completed_successfully waits for a one-shot migration (and a
# failing one stops up) (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab dependencies STEP`)
#
# The lab's store and host namespace come from mrlab.sh (through composelab.sh): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=dependencies
. "$(dirname "$0")/../composelab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  mkdir -p $LAB_STATE/orders; cp labs/05-compose/04-dependencies/compose.yaml $LAB_STATE/orders/
  cd $LAB_STATE/orders; minirun compose up -d > $LAB_STATE/up.txt 2>&1
  sleep 1; minirun compose logs migrate app > $LAB_STATE/first.txt
  sleep 6; minirun compose logs worker > $LAB_STATE/worker.txt
  minirun compose exec app wget -q -O - http://db/ > $LAB_STATE/later.txt
  minirun compose down -v; MIGRATE_EXIT=3 minirun compose up -d > $LAB_STATE/failed.txt 2>&1
  and leave the project as that failed up left it
HINT
}

setup_() { :; }

run_() {
	need_compose
	mkdir -p "$LAB_STATE/orders"
	cp labs/05-compose/04-dependencies/compose.yaml "$LAB_STATE/orders/"
	cd "$LAB_STATE/orders" || exit 1
	cat compose.yaml
	minirun compose up -d 2>&1 | tee "$LAB_STATE/up.txt"
	minirun compose ps -a
	# instead of the README's 'sleep 1': until the app has said both its lines (5 s at most)
	_i=0
	until [ "$(minirun compose logs app | wc -l)" -ge 2 ] || [ $_i -gt 25 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	minirun compose logs migrate app | tee "$LAB_STATE/first.txt"
	# instead of the README's 'sleep 6': until the worker has its answer (20 s at most)
	_i=0
	until minirun compose logs worker | grep -q 'db answered' || [ $_i -gt 100 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	minirun compose logs worker | tee "$LAB_STATE/worker.txt"
	minirun compose exec app wget -q -O - http://db/ | tee "$LAB_STATE/later.txt"
	minirun compose down -v
	MIGRATE_EXIT=3 minirun compose up -d 2>&1 | tee "$LAB_STATE/failed.txt"
	minirun compose ps -a
}

check_() {
	need_compose
	for f in up.txt first.txt worker.txt later.txt failed.txt; do have $f; done
	expect "first.txt (the first up's 'minirun compose logs migrate app') has 'orders-app-1 | app sees schema v2'" \
		grep -q '^orders-app-1 *| app sees schema v2$' "$LAB_STATE/first.txt"
	expect "up.txt says orders-app-1 started" grep -Eq 'Container orders-app-1 +Started' "$LAB_STATE/up.txt"
	ok "app started after migrate completed: it saw 'schema v2'"
	expect "first.txt has the app's 'db not answering yet': db was started, not ready (it sleeps 6 s)" \
		grep -q '^orders-app-1 *| db not answering yet$' "$LAB_STATE/first.txt"
	ok "but db was only started, not ready: app printed 'db not answering yet'"
	n=$(grep -c '^orders-worker-1 *| waiting for db$' "$LAB_STATE/worker.txt")
	expect "worker.txt has 'waiting for db': the worker waited" [ "$n" -ge 1 ]
	expect "worker.txt has 'db answered' (the database given its 6 s)" grep -q '^orders-worker-1 *| db answered$' "$LAB_STATE/worker.txt"
	expect "later.txt is 'db is ready'" [ "$(cat "$LAB_STATE/later.txt")" = "db is ready" ]
	ok "the worker waited ($n x 'waiting for db') until db answered; later the app got 'db is ready'"
	expect "failed.txt says 'service \"migrate\" didn't complete successfully: exit 3' (MIGRATE_EXIT=3)" \
		grep -q "service \"migrate\" didn't complete successfully: exit 3" "$LAB_STATE/failed.txt"
	ok "with MIGRATE_EXIT=3, up failed: service \"migrate\" didn't complete successfully: exit 3"
	expect "orders-migrate-1 exited 3 (the project left as the failed up left it)" \
		[ "$(minirun inspect -f '{{.State.ExitCode}}' orders-migrate-1 2>/dev/null)" = 3 ]
	for c in orders-db-1 orders-worker-1; do
		expect "$c is running: a failed up leaves what it started" [ "$(minirun inspect -f '{{.State.Status}}' $c 2>/dev/null)" = running ]
	done
	expect "orders-app-1 was never made: the migration failed" not minirun inspect orders-app-1
	ok "orders-migrate-1 exited 3, db and worker run, and orders-app-1 was never made"
}

lab_steps "$@"
