# tests/integration/scan/scan.t - `minirun scan`: an image's Debian packages matched,
# offline, against OSV advisories written for the test (lib.sh): by source package and
# release, below the fixed version by dpkg's ordering; unfixed ones said so; the table
# sorted by severity; JSON and SARIF; --severity, --ignore-unfixed, --exit-code, a
# .minirunignore; `scan db import` and the default database; bad input in one line.
# Run: sh tests/integration/scan/scan.t (as root; make minirun)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/scan/lib.sh"

# the findings table's rows (after the header), as "PACKAGE FIXED ID SEVERITY"
rows() { sed -n '/^PACKAGE /,$p' | sed 1d | awk '{ print $1, $3, $4, $5 }'; }

scan_table() {
	sc_image
	sc_advisories "$T_DIR/db"
	echo "DSA-9006-1   # zlib: accepted risk, see ticket 12" >.minirunignore
	out=$(ms scan --db "$T_DIR/db" fx:1) || t_fail "scan exited $?: $out"
	t_match "$out" '^fx:1 \(debian 12\)$'
	t_match "$out" '^Total: 5 \(CRITICAL: 1, HIGH: 1, MEDIUM: 2, LOW: 1, UNKNOWN: 0\)$'
	t_eq "$(echo "$out" | rows)" "libssl3 3.0.13-1~deb12u1 DSA-9001-1 CRITICAL
libc6 2.36-9+deb12u7 DSA-9002-1 HIGH
bash 5.2.15-3 DSA-9004-1 MEDIUM
tzdata 2024b-0+deb12u1 DSA-9005-1 MEDIUM
zlib1g (unfixed) DEBIAN-CVE-2023-45853 LOW" "the findings, highest severity first"
	t_match "$out" '^PACKAGE +INSTALLED +FIXED +ID +SEVERITY +TITLE$'
	t_match "$out" '^libssl3 +3\.0\.11-1~deb12u2 +3\.0\.13-1~deb12u1 +DSA-9001-1 +CRITICAL +openssl - test advisory'
	# not: fixed at the installed version (DSA-9003-1), Debian 11 (DSA-9007-1), a binary
	# name (DSA-9008-1), and the ignored one
	t_nomatch "$out" 'DSA-9003-1|DSA-9007-1|DSA-9008-1|DSA-9006-1'
	rm .minirunignore
	out=$(ms scan --db "$T_DIR/db" fx:1) || t_fail "scan exited $?"
	t_match "$out" '^zlib1g +1:1\.2\.13\.dfsg-1 +1:1\.3-1 +DSA-9006-1 +CRITICAL' "without the ignore file"
}
t "scan: by source package and release, below the fixed version; unfixed said; sorted; ignored" scan_table

scan_whiteout() {
	sc_image
	sc_advisories "$T_DIR/db"
	out=$(ms scan --db "$T_DIR/db" fx:2) || t_fail "scan exited $?"
	t_nomatch "$out" 'tzdata' "fx:2, whose later layer deleted tzdata's status.d file"
	t_match "$out" '^Total: 5 '
}
t "scan: a package a later layer removed is not reported" scan_whiteout

scan_filters_and_exit_code() {
	sc_image
	sc_advisories "$T_DIR/db"
	t_status 3 ms scan --db "$T_DIR/db" --exit-code 3 fx:1
	t_status 0 ms scan --db "$T_DIR/db" fx:1
	out=$(ms scan --db "$T_DIR/db" --severity HIGH,CRITICAL fx:1) || t_fail "exited $?"
	t_eq "$(echo "$out" | rows | cut -d' ' -f3 | tr '\n' ' ')" "DSA-9001-1 DSA-9006-1 DSA-9002-1 " "HIGH,CRITICAL, by severity then package"
	out=$(ms scan --db "$T_DIR/db" --severity low --ignore-unfixed fx:1) || t_fail "exited $?"
	t_match "$out" '^Total: 0 ' "LOW and fixed: nothing"
	t_status 0 ms scan --db "$T_DIR/db" --severity low --ignore-unfixed --exit-code 4 fx:1
	t_status 4 ms scan --db "$T_DIR/db" --severity LOW --exit-code 4 fx:1
	printf 'DSA-9001-1\n\n# a comment\nDSA-9002-1\n' >"$T_DIR/ign"
	out=$(ms scan --db "$T_DIR/db" --ignorefile "$T_DIR/ign" -s CRITICAL,HIGH fx:1) || t_fail "exited $?"
	t_eq "$(echo "$out" | rows | cut -d' ' -f3)" "DSA-9006-1" "--ignorefile"
}
t "scan: --severity, --ignore-unfixed, --ignorefile, --exit-code N only when something is found" scan_filters_and_exit_code

scan_json_sarif() {
	t_need jq
	sc_image
	sc_advisories "$T_DIR/db"
	ms scan --db "$T_DIR/db" --format json fx:1 >"$T_DIR/r.json" || t_fail "--format json exited $?"
	t_eq "$(jq -r '.os.id + " " + .os.versionId + " " + (.findings | length | tostring)' "$T_DIR/r.json")" "debian 12 6"
	t_eq "$(jq -r '.findings[] | select(.id == "DEBIAN-CVE-2023-45853") | .status + " " + (.fixed | tostring) + " " + .source' "$T_DIR/r.json")" \
		"unfixed null zlib"
	t_eq "$(jq -r '.findings[] | select(.package == "bash") | .sourceVersion + " " + .fixed' "$T_DIR/r.json")" "5.2.15-2 5.2.15-3"
	ms scan --db "$T_DIR/db" --format sarif fx:1 >"$T_DIR/r.sarif" || t_fail "--format sarif exited $?"
	jq -e '.version == "2.1.0" and (.["$schema"] | test("sarif")) and
		(.runs | length == 1) and .runs[0].tool.driver.name == "minirun" and
		(.runs[0].results | length == 6) and
		all(.runs[0].results[]; .ruleId != null and (.level | IN("error", "warning", "note")) and
			(.message.text | length > 0) and
			.locations[0].physicalLocation.artifactLocation.uri != null) and
		([.runs[0].tool.driver.rules[].id] | length == 6)' "$T_DIR/r.sarif" >/dev/null ||
		t_fail "SARIF: $(head -c 800 "$T_DIR/r.sarif")"
	t_eq "$(jq -r '.runs[0].results[] | select(.ruleId == "DSA-9001-1") | .level + " " +
		.locations[0].physicalLocation.artifactLocation.uri' "$T_DIR/r.sarif")" "error var/lib/dpkg/status"
	t_eq "$(jq -r '.runs[0].results[] | select(.ruleId == "DSA-9005-1") | .locations[0].physicalLocation.artifactLocation.uri' \
		"$T_DIR/r.sarif")" "var/lib/dpkg/status.d/tzdata"
	# every result's ruleIndex points at its rule
	jq -e '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)' \
		"$T_DIR/r.sarif" >/dev/null || t_fail "a ruleIndex points at another rule"
}
t "scan --format json and sarif: the same findings, fixed/unfixed, SARIF 2.1.0's fields" scan_json_sarif

scan_db_import() {
	sc_image
	sc_advisories "$T_DIR/db"
	# one file holding an array of records, into the default database under the store
	{ printf '['; sep=''; for f in "$T_DIR"/db/*.json; do printf '%s' "$sep"; cat "$f"; sep=','; done; printf ']'; } >"$T_DIR/all.json"
	t_status 125 ms scan fx:1
	t_match "$T_OUT" "^minirun: no advisories at '$R/scan/osv': download osv.dev's all.zip"
	t_eq "$(echo "$T_OUT" | wc -l)" 1 "the hint is one line"
	mkdir "$T_DIR/empty"
	t_status 125 ms scan --db "$T_DIR/empty" fx:1
	t_match "$T_OUT" "^minirun: no advisories at '$T_DIR/empty'" "an empty database is no database"
	out=$(ms scan db import "$T_DIR/all.json") || t_fail "db import exited $?: $out"
	t_match "$out" "^imported 9 advisories \(9 package entries\) from .*all.json into $R/scan/osv$"
	[ -f "$R/scan/osv/all.json" ] || t_fail "the file is not in the database"
	out=$(ms scan fx:1) || t_fail "scan with the default database exited $?"
	t_match "$out" '^Total: 6 '
	if command -v python3 >/dev/null 2>&1; then # a zip, as osv.dev publishes all.zip
		python3 -c 'import sys, zipfile, glob, os
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
for f in sorted(glob.glob(sys.argv[2] + "/*.json")): z.write(f, os.path.basename(f))' \
			"$T_DIR/all.zip" "$T_DIR/db" || t_fail "python3 zipfile"
		out=$(ms scan --db "$T_DIR/all.zip" --format json fx:1) || t_fail "scan --db ZIP exited $?"
		t_match "$out" 'DSA-9001-1' "findings from the zip"
		rm -rf "$R/scan/osv"
		ms scan db import "$T_DIR/all.zip" >/dev/null || t_fail "db import of a zip"
		t_status 0 ms scan fx:1
		t_match "$T_OUT" '^Total: 6 '
	fi
}
t "scan db import: a JSON array or a zip into ROOT/scan/osv; without a database, a hint" scan_db_import

scan_alpine() {
	sc_image
	# an Alpine image by hand: os-release and apk's installed database, one layer
	mkdir -p "$T_DIR/a/etc" "$T_DIR/a/lib/apk/db"
	printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n' \
		>"$T_DIR/a/etc/os-release"
	printf 'C:Q1x=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n' \
		>"$T_DIR/a/lib/apk/db/installed"
	printf 'P:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\n\n' \
		>>"$T_DIR/a/lib/apk/db/installed"
	(cd "$T_DIR/a" && tar -cf "$T_DIR/a.tar" .) || t_fail tar
	ms import "$T_DIR/a.tar" alp:1 >/dev/null || t_fail "import"
	out=$(ms sbom alp:1) || t_fail "sbom exited $?"
	t_match "$out" '^alp:1 \(alpine 3\.19\.1\): 3 packages$'
	t_match "$out" '^libcrypto3 +3\.1\.4-r5 +apk +openssl +pkg:apk/alpine/libcrypto3@3\.1\.4-r5\?arch=x86_64&distro=3\.19$'
	mkdir "$T_DIR/adb"
	# openssl fixed in 3.1.4-r6 (> r5: found); busybox fixed in 1.36.1-r7 (< r15: not);
	# musl fixed in its _git snapshot's -r5 (found); the same openssl for Alpine:v3.18 (not)
	osv ALPINE-1 Alpine:v3.19 openssl '{"introduced": "0"}, {"fixed": "3.1.4-r6"}' \
		', "database_specific": {"severity": "HIGH"}' >"$T_DIR/adb/1.json"
	osv ALPINE-2 Alpine:v3.19 busybox '{"introduced": "0"}, {"fixed": "1.36.1-r7"}' >"$T_DIR/adb/2.json"
	osv ALPINE-3 Alpine:v3.19 musl '{"introduced": "0"}, {"fixed": "1.2.4_git20230717-r5"}' >"$T_DIR/adb/3.json"
	osv ALPINE-4 Alpine:v3.18 openssl '{"introduced": "0"}' >"$T_DIR/adb/4.json"
	out=$(ms scan --db "$T_DIR/adb" alp:1) || t_fail "scan exited $?: $out"
	t_eq "$(echo "$out" | rows)" "libcrypto3 3.1.4-r6 ALPINE-1 HIGH
musl 1.2.4_git20230717-r5 ALPINE-3 UNKNOWN" "Alpine findings by origin and apk's ordering"
}
t "Alpine: apk's database, apk purls, advisories by origin, release and apk's ordering" scan_alpine

scan_outdated() {
	sc_image
	# apt's lists, as `apt-get update` leaves them: one per suite, compressed or not
	L=$T_DIR/lists
	mkdir "$L"
	printf 'Package: libc6\nSource: glibc\nVersion: 2.36-9+deb12u7\nArchitecture: amd64\nDescription: C\n library\n\nPackage: libc6\nVersion: 2.36-9+deb12u9\nArchitecture: arm64\n\nPackage: bash\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n\nPackage: tzdata\nVersion: 2024b-0+deb12u1\nArchitecture: all\n' \
		>"$L/deb.example_debian-security_dists_bookworm-security_main_binary-amd64_Packages"
	printf 'Package: libssl3\nVersion: 3.0.13-1~deb12u1\nArchitecture: amd64\n\nPackage: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\n' |
		gzip >"$L/deb.example_debian-security_dists_bookworm-security_updates_binary-amd64_Packages.gz"
	# a newer zlib1g in the main suite is no security update
	printf 'Package: zlib1g\nVersion: 1:1.3-1\nArchitecture: amd64\n' \
		>"$L/deb.example_debian_dists_bookworm_main_binary-amd64_Packages"
	out=$(ms scan --outdated --lists "$L" fx:1) || t_fail "scan --outdated exited $?: $out"
	t_match "$out" '^fx:1 \(debian 12\): 3 of 6 packages have a security update \(2 list\(s\) in '
	t_eq "$(echo "$out" | sed -n '/^PACKAGE /,$p' | sed 1d | awk '{ print $1, $2, $3, $4 }')" \
		"libc6 2.36-9+deb12u4 2.36-9+deb12u7 bookworm-security
libssl3 3.0.11-1~deb12u2 3.0.15-1~deb12u1 bookworm-security
tzdata 2024a-0+deb12u1 2024b-0+deb12u1 bookworm-security" \
		"newest security version per package (not arm64's, not bash's equal one, not main's zlib1g)"
	t_status 5 ms scan --outdated --lists "$L" --exit-code 5 fx:1
	out=$(ms scan --outdated --lists "$L" --format json fx:2) || t_fail "--format json exited $?"
	t_nomatch "$out" tzdata "fx:2, without tzdata"
	rm "$L"/*security*
	t_status 125 ms scan --outdated --lists "$L" fx:1
	t_eq "$T_OUT" "minirun: no package list of a *-security suite in '$L': add the security suite to apt's sources and run 'apt-get update'"
	t_status 125 ms scan --outdated --lists "$T_DIR/none" fx:1
	t_match "$T_OUT" "^minirun: apt lists '$T_DIR/none': No such file or directory$"
}
t "scan --outdated: security updates from apt's lists (plain, gzip), by arch and dpkg's order" scan_outdated

scan_outdated_host() {
	t_need apt-cache jq dpkg
	ls /var/lib/apt/lists/*-security_*Packages* >/dev/null 2>&1 ||
		t_skip "no security suite in this machine's apt lists (apt-get update)"
	sc_image
	out=$(ms scan --outdated --format json fx:1) || t_fail "scan --outdated exited $?: $out"
	# what apt itself says is the newest version of libc6 in a -security suite
	want=$(apt-cache madison libc6 | awk -F' *[|] *' '$3 ~ /-security\// { print $2 }' |
		while read -r v; do echo "$v"; done | sort -V | tail -n 1)
	got=$(echo "$out" | jq -r '.outdated[] | select(.package == "libc6") | .available')
	[ -n "$want" ] || { [ -z "$got" ] && return 0; t_fail "apt-cache knows no security libc6 but we found $got"; }
	if dpkg --compare-versions "$want" gt 2.36-9+deb12u4; then
		t_eq "$got" "$want" "libc6's security update, as apt-cache madison lists it"
	else
		t_eq "$got" "" "libc6 (apt's security version $want is not newer)"
	fi
}
t "scan --outdated on this machine's own apt lists (lz4): libc6's update as apt-cache says" scan_outdated_host

scan_debian_tracker() {
	sc_image
	# the Debian security tracker's JSON: per source package, CVE and release
	cat >"$T_DIR/tracker.json" <<-'END'
		{"openssl": {"CVE-2024-0001": {"description": "openssl: a bug",
		   "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1", "urgency": "high"},
		                "bullseye": {"status": "open", "urgency": "low"}}},
		             "CVE-2024-0002": {"description": "never in bookworm",
		   "releases": {"bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"}}}},
		 "zlib": {"CVE-2023-45853": {"description": "zlib: minizip overflow",
		   "releases": {"bookworm": {"status": "open", "urgency": "low**"}}}},
		 "glibc": {"CVE-2024-0003": {"description": "glibc: fixed before this version",
		   "releases": {"bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u3", "urgency": "medium"}}}}}
	END
	out=$(ms scan db import "$T_DIR/tracker.json") || t_fail "db import of the tracker's JSON exited $?: $out"
	out=$(ms scan fx:1) || t_fail "scan exited $?"
	t_eq "$(echo "$out" | rows)" "libssl3 3.0.13-1~deb12u1 CVE-2024-0001 HIGH
zlib1g (unfixed) CVE-2023-45853 LOW" "findings from the tracker's JSON"
	t_match "$out" 'zlib: minizip overflow' "the description as the title"
}
t "scan: the Debian security tracker's JSON, as a database file: fixed, open, not affected" scan_debian_tracker

scan_bad_input() {
	sc_image
	sc_advisories "$T_DIR/db"
	t_status 125 ms scan --db "$T_DIR/db" nosuch
	t_eq "$T_OUT" "minirun: No such image: nosuch"
	# a malformed advisory file: one line naming it, nothing half-done
	printf '{"id": "X-1", "affected": [{"package": {"name": "zlib"}}]}\n' >"$T_DIR/db/zz-bad.json"
	t_status 125 ms scan --db "$T_DIR/db" fx:1
	t_eq "$T_OUT" "minirun: $T_DIR/db/zz-bad.json: X-1: each \"affected\" needs a \"package\" with \"ecosystem\" and \"name\" strings"
	printf '[{"id": "X-2"},' >"$T_DIR/cut.json"
	t_status 125 ms scan db import "$T_DIR/cut.json"
	t_match "$T_OUT" "^minirun: $T_DIR/cut.json:1:[0-9]+: .*: not JSON$"
	t_eq "$(echo "$T_OUT" | wc -l)" 1 "one line"
	[ ! -e "$R/scan/osv/cut.json" ] || t_fail "a malformed file entered the database"
	t_status 125 ms scan db import "$T_DIR/nothere.json"
	t_match "$T_OUT" "nothere.json"
	t_status 125 ms scan --severity SEVERE fx:1
	t_eq "$(echo "$T_OUT" | head -n 1)" "minirun: invalid --severity 'SEVERE': a comma-separated list of UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL"
	t_status 125 ms scan --exit-code -1 fx:1
	t_status 125 ms scan --format xml fx:1
	t_status 125 ms scan --db "$T_DIR/db" --ignorefile "$T_DIR/none" fx:1
	t_match "$T_OUT" "none"
	t_status 1 ms scan db frobnicate
	t_status 0 ms scan db --help
}
t "scan bad input: no such image, a malformed advisory, bad flags: one line, 125" scan_bad_input

t_end
