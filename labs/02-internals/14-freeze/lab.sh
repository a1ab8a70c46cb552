#!/bin/sh
# labs/02-internals/14-freeze/lab.sh - the freezer lab: pause and resume a cgroup (README.md).
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab freeze STEP`)
#
# run does the README's steps; check verifies the counts they left in $LAB_STATE: exit 0
# pass, 1 fail (after a hint), 77 skip (reason last). cglab.sh has the rest.
CG=mr-lab-freeze
NEEDS=freezer
FILES="seen count count.new"
. "$(dirname "$0")/../cglab.sh"

hint() {
	cat <<'HINT'
hint: from the top of the checkout, as root, with LAB_STATE set:
  cgroups/run -c mr-lab-freeze -- sh -c 'i=0; while :; do i=$((i+1)); echo $i > "$LAB_STATE/count.new"; mv "$LAB_STATE/count.new" "$LAB_STATE/count"; sleep 0.1; done' &
  cgroups/freeze mr-lab-freeze; cat "$LAB_STATE/count" >> "$LAB_STATE/seen"; sleep 1; cat "$LAB_STATE/count" >> "$LAB_STATE/seen"
  cgroups/freeze --thaw mr-lab-freeze; sleep 1; cat "$LAB_STATE/count" >> "$LAB_STATE/seen"
  cgroups/kill mr-lab-freeze
"$LAB_STATE/seen" then holds three counts: the first two equal (frozen), the third larger.
HINT
}

run_() {
	rm -f "$LAB_STATE/seen" "$LAB_STATE/count" "$LAB_STATE/count.new"
	# each count is written to count.new and renamed into place: '>' empties the file
	# before it writes, and a cat in between would read nothing
	cgroups/run -c $CG -- sh -c 'i=0; while :; do i=$((i+1)); echo $i > "$LAB_STATE/count.new"; mv "$LAB_STATE/count.new" "$LAB_STATE/count"; sleep 0.1; done' 2>/dev/null &
	i=0
	until [ -s "$LAB_STATE/count" ] || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 0.5
	cgroups/freeze -v $CG
	cat "$LAB_STATE/count" >>"$LAB_STATE/seen"
	sleep 1
	cat "$LAB_STATE/count" >>"$LAB_STATE/seen"
	cgroups/freeze -v --thaw $CG
	sleep 1
	cat "$LAB_STATE/count" >>"$LAB_STATE/seen"
	cgroups/kill $CG
	wait
	cat "$LAB_STATE/seen"
}

check_() {
	have seen
	set -- $(cat "$LAB_STATE/seen")
	expect_or "seen holds 3 counts" "it holds $#" [ $# = 3 ]
	expect_or "the count stood still while frozen" "it moved: $1 -> $2" [ "$1" = "$2" ]
	expect_or "the count moved on after thaw" "it stayed: $2 -> $3" [ "$3" -gt "$2" ]
	passed "frozen at $1 for a second, counting on to $3 once thawed"
}

steps "$@"
