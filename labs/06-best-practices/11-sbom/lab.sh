#!/bin/sh
# labs/06-best-practices/11-sbom/lab.sh - what is in an image: `minirun sbom` lists the
# packages of three bases (busybox, a slim Debian, a full one), as a table and as SPDX.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab sbom STEP`)
#
# check recomputes each count and list with minirun and compares them with the files the
# learner saved. Everything runs in a store and a namespace of the lab's own (mrlab.sh):
# exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=sbom
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  for i in busybox debian:full debian:slim; do minirun sbom $i | head -n 1; done > $LAB_STATE/counts.txt
  minirun sbom --format spdx-json debian:slim > $LAB_STATE/slim.spdx.json
  minirun sbom debian:slim | awk '$4 == "glibc" { print $1 }' > $LAB_STATE/glibc.txt
HINT
}

setup_() {
	need_dpkg
	deb_image debian:full full && deb_image debian:slim slim
}

run_() {
	for i in busybox debian:full debian:slim; do minirun sbom $i | head -n 1; done | tee "$LAB_STATE/counts.txt"
	minirun sbom debian:slim | head -n 12
	minirun sbom --format spdx-json debian:slim >"$LAB_STATE/slim.spdx.json"
	jq -r '.packages[] | select(.name == "bash") | .externalRefs[0].referenceLocator' "$LAB_STATE/slim.spdx.json"
	minirun sbom debian:slim | awk '$4 == "glibc" { print $1 }' | tee "$LAB_STATE/glibc.txt"
}

# count IMAGE - the package count sbom's first line gives
count() { minirun sbom "$1" | sed -n '1s/.*: \([0-9]*\) packages$/\1/p'; }

check_() {
	have counts.txt
	for i in busybox debian:full debian:slim; do
		want=$(minirun sbom "$i" | head -n 1)
		expect_or "counts.txt has sbom's first line for $i" "it lacks '$want'" grep -qxF "$want" "$LAB_STATE/counts.txt"
	done
	b=$(count busybox) f=$(count debian:full) s=$(count debian:slim)
	expect_or "busybox has 0 packages: it has no package database" "it has $b" [ "$b" = 0 ]
	expect_or "debian:slim has fewer packages than debian:full" "$s, debian:full $f" [ "$s" -lt "$f" ]
	echo "check: ok - counts.txt: busybox $b packages, debian:slim $s, debian:full $f"
	have slim.spdx.json
	expect "slim.spdx.json is an SPDX 2.3 JSON document (--format spdx-json)" jq -e '.spdxVersion == "SPDX-2.3"' "$LAB_STATE/slim.spdx.json"
	n=$(jq '[.packages[] | select(.SPDXID | startswith("SPDXRef-Package-"))] | length' "$LAB_STATE/slim.spdx.json")
	expect_or "slim.spdx.json has debian:slim's $s packages" "it has $n" [ "$n" = "$s" ]
	echo "check: ok - slim.spdx.json: SPDX 2.3, the $s packages of debian:slim, each with its purl"
	have glibc.txt
	want=$(minirun sbom debian:slim | awk '$4 == "glibc" { print $1 }')
	[ -n "$want" ] || fail "debian:slim has packages built from glibc (the SOURCE column)"
	expect_or "glibc.txt lists the packages whose SOURCE is glibc" "they are: $(echo $want)" [ "$(cat "$LAB_STATE/glibc.txt")" = "$want" ]
	echo "check: ok - glibc.txt: $(echo $want) come from the source package glibc"
}

steps "$@"
