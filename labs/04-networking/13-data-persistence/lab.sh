#!/bin/sh
# labs/04-networking/13-data-persistence/lab.sh - a database-like container's data in a
# named volume: removed and recreated, backed up with tar, lost, restored (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab data-persistence STEP`)
#
# The "database" is a busybox shell loop: it reads its last row number from count, then
# appends "row N" to rows and N to count every 0.2 s until SIGTERM. A restart that keeps
# the data goes on from where the last one stopped, so rows stays 1, 2, 3 ... with no gap
# and no repeat. The lab's store and host namespace come from mrlab.sh (module 1): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=data-persistence
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

DB='trap "exit 0" TERM; i=$(cat /var/lib/db/count 2>/dev/null || echo 0)
while :; do i=$((i + 1)); echo "row $i" >> /var/lib/db/rows; echo $i > /var/lib/db/count; sleep 0.2; done'

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env' (DB is the README's loop):
  minirun run -d --name db -v dbdata:/var/lib/db busybox sh -c "$DB"; sleep 1; minirun stop db; minirun rm db
  again, then  minirun run --rm -v dbdata:/data busybox cat /data/rows > $LAB_STATE/rows.txt
  backup: minirun run --rm -v dbdata:/dbdata -v $LAB_STATE/backup:/backup busybox tar cf /backup/db.tar -C /dbdata .
  minirun volume rm dbdata; restore: the same with -v dbrestored:/dbdata and 'tar xf /backup/db.tar -C /dbdata'
  then db on dbrestored once more, and cat its rows > $LAB_STATE/final.txt; rm every container.
HINT
}

setup_() { :; }

# db_round VOLUME - run the database on VOLUME for about a second, stop it, remove it
db_round() {
	minirun run -d --name db -v "$1":/var/lib/db busybox sh -c "$DB" >/dev/null
	sleep 1
	minirun stop db >/dev/null
	minirun rm db >/dev/null
}

run_() {
	need_verbs run stop rm volume
	db_round dbdata
	minirun run --rm -v dbdata:/data busybox wc -l /data/rows | tee "$LAB_STATE/first.txt"
	db_round dbdata
	minirun run --rm -v dbdata:/data busybox cat /data/rows | tee "$LAB_STATE/rows.txt"
	mkdir -p "$LAB_STATE/backup"
	minirun run --rm -v dbdata:/dbdata -v "$LAB_STATE/backup":/backup busybox tar cvf /backup/db.tar -C /dbdata .
	minirun volume rm dbdata
	minirun run --rm -v dbrestored:/dbdata -v "$LAB_STATE/backup":/backup busybox tar xvf /backup/db.tar -C /dbdata
	db_round dbrestored
	minirun run --rm -v dbrestored:/data busybox cat /data/rows | tee "$LAB_STATE/final.txt"
}

# consecutive FILE - FILE is "row 1" ... "row N", nothing missing or repeated: prints N
consecutive() { awk '$0 != "row " NR { bad = 1 } END { if (!bad && NR) print NR }' "$LAB_STATE/$1"; }

check_() {
	need_verbs run stop rm volume
	for f in first.txt rows.txt final.txt backup/db.tar; do have $f; done
	first=$(awk '{ print $1 }' "$LAB_STATE/first.txt")
	n=$(consecutive rows.txt)
	expect "rows.txt is row 1, row 2, ... without a gap: the second db started from the volume's count" [ -n "$n" ]
	expect_or "rows.txt has more rows than the first run: the second db added to them" "$n rows, the first run $first" \
		eval '[ -n "$first" ] && [ "$n" -gt "$first" ]'
	expect "backup/db.tar holds rows and count" \
		eval 'tar -tf "$LAB_STATE/backup/db.tar" | grep -q "rows\$" && tar -tf "$LAB_STATE/backup/db.tar" | grep -q "count\$"'
	b=$(tar -xOf "$LAB_STATE/backup/db.tar" ./count 2>/dev/null || tar -xOf "$LAB_STATE/backup/db.tar" count)
	expect_or "the backup's count is the $n rows rows.txt had" "it is '$b'" [ "$b" = "$n" ]
	expect "the volume dbdata is gone (the 'disaster') before the restore" not minirun volume inspect dbdata
	expect "there is a volume dbrestored, the backup restored into it" minirun volume inspect dbrestored
	f=$(consecutive final.txt)
	expect "final.txt is row 1, row 2, ... without a gap: the backup restored before the db ran on dbrestored" [ -n "$f" ]
	expect_or "final.txt has more rows than the backup's $n" "it has $f" [ "$f" -gt "$n" ]
	expect "no container is left (minirun rm)" [ -z "$(minirun ps -a -q)" ]
	echo "check: ok - the db's rows outlived two containers (1..$first, then 1..$n), no gap, no repeat"
	echo "check: ok - tar backed the volume up, the volume went, the restore into dbrestored went on to row $f"
}

steps "$@"
