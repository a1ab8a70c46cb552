#!/bin/sh
# labs/05-compose/03-volumes-and-down/lab.sh - a project's named volume outlives down and
# goes with down -v; a bind mount is the host's and stays (README.md tells the story).
#
#   sh lab.sh setup|run|check|hint|teardown  (usually through `labs/lab volumes-and-down STEP`)
#
# The lab's store and host namespace come from mrlab.sh (through composelab.sh): exit 0
# pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=volumes-and-down
. "$(dirname "$0")/../composelab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  mkdir -p $LAB_STATE/notes; cp labs/05-compose/03-volumes-and-down/compose.yaml $LAB_STATE/notes/
  cd $LAB_STATE/notes; minirun compose up -d
  minirun compose exec db sh -c 'echo first note >> /var/lib/db/notes'
  minirun compose exec db cp /var/lib/db/notes /backup/notes
  minirun inspect -f '{{.Id}}' notes-db-1 > $LAB_STATE/id-before.txt
  minirun compose down; minirun volume ls > $LAB_STATE/vols-down.txt
  minirun compose up -d; minirun inspect -f '{{.Id}}' notes-db-1 > $LAB_STATE/id-after.txt
  minirun compose exec db cat /var/lib/db/notes > $LAB_STATE/after-down.txt
  minirun compose down -v > $LAB_STATE/down-v.txt 2>&1
HINT
}

setup_() { :; }

run_() {
	need_compose
	mkdir -p "$LAB_STATE/notes"
	cp labs/05-compose/03-volumes-and-down/compose.yaml "$LAB_STATE/notes/"
	cd "$LAB_STATE/notes" || exit 1
	cat compose.yaml
	minirun compose up -d
	minirun volume ls
	minirun compose exec db sh -c 'echo first note >> /var/lib/db/notes'
	minirun compose exec db cp /var/lib/db/notes /backup/notes
	ls backup/
	minirun inspect -f '{{.Id}}' notes-db-1 | tee "$LAB_STATE/id-before.txt"
	minirun compose down
	minirun volume ls | tee "$LAB_STATE/vols-down.txt"
	minirun compose up -d
	minirun inspect -f '{{.Id}}' notes-db-1 | tee "$LAB_STATE/id-after.txt"
	minirun compose exec db cat /var/lib/db/notes | tee "$LAB_STATE/after-down.txt"
	minirun volume inspect notes_dbdata
	cat "$(minirun volume inspect -f '{{.Mountpoint}}' notes_dbdata)/notes"
	minirun compose down -v 2>&1 | tee "$LAB_STATE/down-v.txt"
	minirun volume ls | tee "$LAB_STATE/vols-after.txt"
	cat backup/notes
}

check_() {
	need_compose
	for f in id-before.txt vols-down.txt id-after.txt after-down.txt down-v.txt; do have $f; done
	expect "vols-down.txt ('minirun volume ls' after 'minirun compose down') lists notes_dbdata" \
		awk '$2 == "notes_dbdata" { f = 1 } END { exit !f }' "$LAB_STATE/vols-down.txt"
	ok "down left the volume notes_dbdata (vols-down.txt)"
	before=$(cat "$LAB_STATE/id-before.txt") after=$(cat "$LAB_STATE/id-after.txt")
	expect "id-before.txt and id-after.txt each hold notes-db-1's 64-hex ID" eval 'echo "$before$after" | grep -Eqx "[0-9a-f]{128}"'
	expect "id-before.txt and id-after.txt are two containers: the project went down between them" [ "$before" != "$after" ]
	expect "after-down.txt is 'first note': the new container read the note from the volume" \
		[ "$(cat "$LAB_STATE/after-down.txt")" = "first note" ]
	ok "a new container (another ID) read 'first note' from it after down and up"
	expect "down-v.txt says 'Volume notes_dbdata  Removed'" grep -Eq 'Volume notes_dbdata +Removed' "$LAB_STATE/down-v.txt"
	expect "the volume notes_dbdata is gone ('minirun compose down -v')" not eval 'minirun volume ls -q | grep -qx notes_dbdata'
	left=$(minirun ps -a --filter label=com.docker.compose.project=notes -q | wc -l)
	expect_or "no container of project notes is left" "$left are" [ "$left" = 0 ]
	expect "the network notes_default is gone" not eval 'minirun network ls --format "{{.Name}}" | grep -qx notes_default'
	ok "down -v removed the volume notes_dbdata, and nothing of project notes is left"
	expect "\$LAB_STATE/notes/backup/notes is 'first note' (copied to /backup in step 3)" \
		[ "$(cat "$LAB_STATE/notes/backup/notes" 2>/dev/null)" = "first note" ]
	ok "the bind mount's backup/notes is still on the host: first note"
}

lab_steps "$@"
