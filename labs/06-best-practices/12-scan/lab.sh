#!/bin/sh
# labs/06-best-practices/12-scan/lab.sh - scanning an image and reading the report: advisories
# imported, findings fixed and unfixed, what to fix first, a CI gate, an accepted risk.
#
#   sh lab.sh setup|run|check|hint|teardown     (usually through `labs/lab scan STEP`)
#
# setup writes advisories in OSV's format about real packages of debian:slim (this
# machine's versions, read from the image with sbom): a fix above the installed version
# for glibc (CRITICAL) and bash (HIGH), a fix coreutils already has (MEDIUM), none yet for
# tar (CRITICAL) and util-linux (LOW). check compares the learner's saved files with what
# minirun reports. Everything runs in a store and a namespace of the lab's own (mrlab.sh):
# exit 0 pass, 1 fail (after a hint), 77 skip (reason last).
LAB_NAME=scan
. "$(dirname "$0")/../bplab.sh"

hint() {
	cat <<'HINT'
hint: after '. $LAB_STATE/env':
  minirun scan db import $LAB_STATE/advisories.json
  minirun scan --format json debian:slim > $LAB_STATE/report.json
  the one to fix first: the most severe finding that has a fixed version; its id into
  $LAB_STATE/fix-first.txt
  minirun scan --severity CRITICAL --ignore-unfixed --exit-code 1 debian:slim; echo $? > $LAB_STATE/exit.txt
  echo 'ID  # why' > $LAB_STATE/.minirunignore (the unfixed CRITICAL one), then
  minirun scan --ignorefile $LAB_STATE/.minirunignore debian:slim
HINT
}

# srcver SOURCE - the version debian:slim has of source package SOURCE
srcver() {
	minirun sbom --format cyclonedx-json debian:slim | jq -r --arg s "$1" '[.components[] |
		select(any(.properties[]?; .name == "minirun:package:source" and .value == $s)) |
		.properties[] | select(.name == "minirun:package:source-version") | .value][0] // empty'
}

# adv ID SOURCE SEVERITY EVENTS SUMMARY - one OSV record for Debian 12
adv() {
	printf '  {"id": "%s", "summary": "%s", "affected": [{"package": {"ecosystem": "Debian:12", "name": "%s"}, "ranges": [{"type": "ECOSYSTEM", "events": [%s]}]}], "database_specific": {"severity": "%s"}}' \
		"$1" "$5" "$2" "$4" "$3"
}

setup_() {
	need_dpkg
	command -v jq >/dev/null || { echo "needs jq (apt-get install jq)"; exit 77; }
	deb_image debian:slim slim || return 1
	g=$(srcver glibc) b=$(srcver bash) c=$(srcver coreutils)
	[ -n "$g" ] && [ -n "$b" ] && [ -n "$c" ] && [ -n "$(srcver tar)" ] && [ -n "$(srcver util-linux)" ] ||
		{ echo "setup: debian:slim lacks glibc, bash, coreutils, tar or util-linux"; return 1; }
	{
		echo '['
		adv DSA-9301-1 glibc CRITICAL "{\"introduced\": \"0\"}, {\"fixed\": \"$g+lab1\"}" \
			'glibc - a buffer overflow in the dynamic loader (lab advisory)'
		echo ','
		adv DSA-9302-1 bash HIGH "{\"introduced\": \"0\"}, {\"fixed\": \"$b+lab1\"}" \
			'bash - code execution through crafted environment (lab advisory)'
		echo ','
		adv DSA-9303-1 coreutils MEDIUM "{\"introduced\": \"0\"}, {\"fixed\": \"$c\"}" \
			'coreutils - already fixed in the installed version (lab advisory)'
		echo ','
		adv DEBIAN-CVE-2099-1001 tar CRITICAL '{"introduced": "0"}' \
			'tar - path traversal when extracting (lab advisory, no fix yet)'
		echo ','
		adv DEBIAN-CVE-2099-1002 util-linux LOW '{"introduced": "0"}' \
			'util-linux - a local information leak (lab advisory, no fix yet)'
		echo ']'
	} >"$LAB_STATE/advisories.json"
}

run_() {
	minirun scan db import "$LAB_STATE/advisories.json" || return 1
	minirun scan debian:slim
	minirun scan --format json debian:slim >"$LAB_STATE/report.json"
	minirun scan --ignore-unfixed debian:slim
	echo DSA-9301-1 >"$LAB_STATE/fix-first.txt"
	minirun scan --severity CRITICAL --ignore-unfixed --exit-code 1 debian:slim
	echo $? >"$LAB_STATE/exit.txt"
	echo 'DEBIAN-CVE-2099-1001  # no fix yet; our app never extracts tar files' >"$LAB_STATE/.minirunignore"
	minirun scan --ignorefile "$LAB_STATE/.minirunignore" debian:slim
}

check_() {
	out=$(minirun scan debian:slim 2>&1) || fail "'minirun scan debian:slim' works: $out"
	expect "scan without --db finds DSA-9301-1: the advisories are imported ('minirun scan db import')" \
		eval 'printf "%s\n" "$out" | grep -q DSA-9301-1'
	echo "check: ok - the advisories are in the store's database (scan db import)"
	have report.json
	want=$(minirun scan --format json debian:slim | jq -c '[.findings[] | [.package, .id]] | sort')
	got=$(jq -c '[.findings[] | [.package, .id]] | sort' "$LAB_STATE/report.json" 2>/dev/null)
	expect "report.json is the JSON report of debian:slim's scan (--format json)" [ "$got" = "$want" ]
	n=$(printf '%s' "$want" | jq length)
	unfixed=$(jq '[.findings[] | select(.fixed == null)] | length' "$LAB_STATE/report.json")
	echo "check: ok - report.json: $n findings, $unfixed of them without a fix yet"
	have fix-first.txt
	expect "fix-first.txt is the most severe finding that CAN be fixed now" [ "$(tr -d ' \n' <"$LAB_STATE/fix-first.txt")" = DSA-9301-1 ]
	echo "check: ok - fix first: DSA-9301-1, CRITICAL and fixed (upgrade glibc's packages)"
	have exit.txt
	expect "exit.txt: the CI gate (--severity CRITICAL --ignore-unfixed --exit-code 1) exits 1 here" [ "$(cat "$LAB_STATE/exit.txt")" = 1 ]
	echo "check: ok - the CI gate fails the build (exit 1) on a fixable CRITICAL"
	have .minirunignore
	expect ".minirunignore accepts the unfixed CRITICAL one, DEBIAN-CVE-2099-1001" \
		grep -q '^DEBIAN-CVE-2099-1001' "$LAB_STATE/.minirunignore"
	expect ".minirunignore says why it is accepted, after a '#'" grep -q '#' "$LAB_STATE/.minirunignore"
	out=$(minirun scan --ignorefile "$LAB_STATE/.minirunignore" debian:slim)
	expect "the ignore file hides DEBIAN-CVE-2099-1001" not eval 'printf "%s\n" "$out" | grep -q DEBIAN-CVE-2099-1001'
	echo "check: ok - .minirunignore accepts DEBIAN-CVE-2099-1001, with a reason"
}

steps "$@"
