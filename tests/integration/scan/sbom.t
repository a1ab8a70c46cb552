# tests/integration/scan/sbom.t - `minirun sbom`: an image's OS and packages read from its
# layers without running it: dpkg's status and status.d/ (installed packages only, with
# their source), a file a later layer deleted left out, each package's purl; the table,
# SPDX 2.3 and CycloneDX 1.5 with the fields their specifications require; bad input.
# Run: sh tests/integration/scan/sbom.t (as root; make minirun)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/scan/lib.sh"

sbom_table() {
	sc_image
	out=$(ms sbom fx:1) || t_fail "sbom exited $?: $out"
	t_match "$out" '^fx:1 \(debian 12\): 6 packages$' "the first line"
	t_match "$out" '^libc6 +2\.36-9\+deb12u4 +deb +glibc +pkg:deb/debian/libc6@2\.36-9%2Bdeb12u4\?arch=amd64&distro=debian-12$'
	t_match "$out" '^bash +5\.2\.15-2\+b2 +deb +bash \(5\.2\.15-2\) ' "a binNMU's source version"
	t_match "$out" '^libgcc-s1 +12\.2\.0-14 +deb +gcc-12 ' "status.d/ with a Source"
	t_match "$out" '^tzdata +2024a-0\+deb12u1 +deb +- +pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1\?arch=all&distro=debian-12$'
	t_match "$out" '^zlib1g +1:1\.2\.13\.dfsg-1 .*zlib1g@1%3A1\.2\.13\.dfsg-1\?' "an epoch, encoded in the purl"
	t_nomatch "$out" 'libpcre3|not-a-package|md5sums' "removed packages and other lines"
}
t "sbom: dpkg's status and status.d/, installed only, with source and purl" sbom_table

sbom_whiteout() {
	sc_image
	out=$(ms sbom fx:2) || t_fail "sbom fx:2 exited $?: $out"
	t_match "$out" '^fx:2 \(debian 12\): 5 packages$' "the first line"
	t_nomatch "$out" '^tzdata ' "the package whose status.d file the second layer deleted"
	t_match "$out" '^libgcc-s1 ' "the other status.d file"
	ms history fx:2 | grep -q . || t_fail "fx:2 has no history"
	[ "$(ms image inspect -f '{{json .RootFS.Layers}}' fx:2 | tr , '\n' | wc -l)" = 2 ] ||
		t_fail "fx:2 should have two layers: $(ms image inspect -f '{{json .RootFS.Layers}}' fx:2)"
}
t "sbom: a file deleted by a later layer (a whiteout from commit) does not count" sbom_whiteout

sbom_spdx() {
	t_need jq
	sc_image
	ms sbom --format spdx-json fx:1 >"$T_DIR/spdx.json" || t_fail "sbom --format spdx-json exited $?"
	# SPDX 2.3's required document fields (clause 6) and package fields (clause 7)
	jq -e '.spdxVersion == "SPDX-2.3" and .dataLicense == "CC0-1.0" and
		.SPDXID == "SPDXRef-DOCUMENT" and .name == "fx:1" and
		(.documentNamespace | test("^https://[^ #]+$")) and
		(.creationInfo.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")) and
		(.creationInfo.creators | length >= 1) and
		(.creationInfo.creators[0] | test("^Tool: "))' "$T_DIR/spdx.json" >/dev/null ||
		t_fail "document fields: $(head -c 600 "$T_DIR/spdx.json")"
	jq -e 'all(.packages[]; (.SPDXID | test("^SPDXRef-[A-Za-z0-9.-]+$")) and
		(.name | length > 0) and .downloadLocation != null and .filesAnalyzed == false)' \
		"$T_DIR/spdx.json" >/dev/null || t_fail "a package lacks a required field"
	t_eq "$(jq '[.packages[].SPDXID] | unique | length' "$T_DIR/spdx.json")" \
		"$(jq '.packages | length' "$T_DIR/spdx.json")" "unique SPDXIDs"
	t_eq "$(jq '.packages | length' "$T_DIR/spdx.json")" 8 "the image, the OS and 6 packages"
	t_eq "$(jq -r '.packages[] | select(.name == "libssl3") | .externalRefs[0] |
		.referenceCategory + " " + .referenceType + " " + .referenceLocator' "$T_DIR/spdx.json")" \
		"PACKAGE-MANAGER purl pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"
	t_eq "$(jq -r '.relationships[] | select(.relationshipType == "DESCRIBES") |
		.spdxElementId + " " + .relatedSpdxElement' "$T_DIR/spdx.json")" "SPDXRef-DOCUMENT SPDXRef-Image"
	t_eq "$(jq '[.relationships[] | select(.relationshipType == "CONTAINS")] | length' "$T_DIR/spdx.json")" 7
	# every relationship names an element of the document
	jq -e '[.packages[].SPDXID] as $ids | all(.relationships[]; .relatedSpdxElement as $r |
		$ids | index($r))' "$T_DIR/spdx.json" >/dev/null || t_fail "a relationship names nothing"
	ns1=$(jq -r .documentNamespace "$T_DIR/spdx.json")
	ns2=$(ms sbom --format spdx-json fx:1 | jq -r .documentNamespace)
	t_ne "$ns2" "$ns1" "a second document's namespace"
}
t "sbom --format spdx-json: SPDX 2.3's required fields, purls, DESCRIBES/CONTAINS" sbom_spdx

sbom_cyclonedx() {
	t_need jq
	sc_image
	ms sbom -f cyclonedx-json fx:2 >"$T_DIR/cdx.json" || t_fail "sbom --format cyclonedx-json exited $?"
	jq -e '.bomFormat == "CycloneDX" and .specVersion == "1.5" and .version == 1 and
		(.serialNumber | test("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")) and
		(.metadata.timestamp | test("Z$")) and .metadata.component.type == "container" and
		.metadata.component.name == "fx:2"' "$T_DIR/cdx.json" >/dev/null ||
		t_fail "BOM fields: $(head -c 600 "$T_DIR/cdx.json")"
	jq -e 'all(.components[]; (.type | IN("library", "operating-system")) and (.name | length > 0))' \
		"$T_DIR/cdx.json" >/dev/null || t_fail "a component lacks type or name"
	t_eq "$(jq '[.components[]."bom-ref"] | unique | length' "$T_DIR/cdx.json")" 6 "unique bom-refs"
	t_eq "$(jq -r '.components[] | select(.type == "operating-system") | .name + " " + .version' \
		"$T_DIR/cdx.json")" "debian 12"
	t_eq "$(jq -r '.components[] | select(.name == "bash") | .purl' "$T_DIR/cdx.json")" \
		"pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"
	t_eq "$(jq -r '.components[] | select(.name == "bash") | .properties[] |
		select(.name == "minirun:package:source-version") | .value' "$T_DIR/cdx.json")" "5.2.15-2"
	t_eq "$(jq '[.components[] | select(.name == "tzdata")] | length' "$T_DIR/cdx.json")" 0 \
		"tzdata in fx:2"
}
t "sbom --format cyclonedx-json: CycloneDX 1.5's fields, the OS, purls and properties" sbom_cyclonedx

sbom_agrees_with_dpkg_query() {
	t_need dpkg-query
	[ -s /var/lib/dpkg/status ] || t_skip "needs a dpkg database on this machine"
	sc_image
	# an image holding this machine's own dpkg database: hundreds of real stanzas
	mkdir -p "$T_DIR/h/var/lib/dpkg" "$T_DIR/h/etc"
	cp /var/lib/dpkg/status "$T_DIR/h/var/lib/dpkg/status"
	printf 'ID=debian\nVERSION_ID="12"\n' >"$T_DIR/h/etc/os-release"
	(cd "$T_DIR/h" && tar -cf "$T_DIR/h.tar" .) || t_fail "tar"
	ms import "$T_DIR/h.tar" host:db >/dev/null || t_fail "import"
	ms sbom host:db | sed '1,3d' | awk '{ print $1, $2 }' | sort >"$T_DIR/ours"
	dpkg-query --admindir="$T_DIR/h/var/lib/dpkg" -W -f '${db:Status-Status} ${Package} ${Version}\n' |
		awk '$1 == "installed" { print $2, $3 }' | sort >"$T_DIR/theirs"
	[ -s "$T_DIR/theirs" ] || t_fail "dpkg-query listed nothing"
	diff "$T_DIR/theirs" "$T_DIR/ours" >"$T_DIR/diff" ||
		t_fail "sbom and dpkg-query differ (< dpkg-query, > sbom): $(head -n 20 "$T_DIR/diff")"
	echo "$(wc -l <"$T_DIR/ours") packages, the same as dpkg-query's"
}
t "sbom: the same installed packages and versions as dpkg-query, on this machine's dpkg database" sbom_agrees_with_dpkg_query

sbom_language_packages() {
	t_need jq
	sc_image
	P=$T_DIR/py
	mkdir -p "$P/etc" "$P/usr/lib/python3/dist-packages/requests-2.28.1.egg-info" \
		"$P/usr/local/lib/python3.11/site-packages/Flask_Login-0.6.3.dist-info" \
		"$P/app/node_modules/express/node_modules/debug" "$P/app/node_modules/@babel/core" \
		"$P/app/node_modules/.bin"
	printf 'ID=debian\nVERSION_ID="12"\n' >"$P/etc/os-release"
	printf 'Metadata-Version: 1.2\nName: requests\nVersion: 2.28.1\n\nVersion: 9.9 (the body)\n' \
		>"$P/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO"
	printf 'Metadata-Version: 2.1\nName: Flask-Login\nVersion: 0.6.3\n' \
		>"$P/usr/local/lib/python3.11/site-packages/Flask_Login-0.6.3.dist-info/METADATA"
	echo '{"name": "express", "version": "4.18.2"}' >"$P/app/node_modules/express/package.json"
	echo '{"name": "debug", "version": "2.6.9"}' >"$P/app/node_modules/express/node_modules/debug/package.json"
	echo '{"name": "@babel/core", "version": "7.23.0"}' >"$P/app/node_modules/@babel/core/package.json"
	ln -s .. "$P/app/node_modules/loop" # a walk that followed it would never end
	(cd "$P" && tar -cf "$T_DIR/py.tar" .) || t_fail tar
	ms import "$T_DIR/py.tar" lang:1 >/dev/null || t_fail import
	out=$(ms sbom lang:1) || t_fail "sbom exited $?: $out"
	t_match "$out" '^lang:1 \(debian 12\): 5 packages$'
	t_match "$out" '^requests +2\.28\.1 +python +- +pkg:pypi/requests@2\.28\.1$'
	t_match "$out" '^Flask-Login +0\.6\.3 +python +- +pkg:pypi/flask-login@0\.6\.3$'
	t_match "$out" '^express +4\.18\.2 +npm +- +pkg:npm/express@4\.18\.2$'
	t_match "$out" '^debug +2\.6\.9 +npm .*pkg:npm/debug@2\.6\.9$' "a nested node_modules"
	t_match "$out" '^@babel/core +7\.23\.0 +npm .*pkg:npm/%40babel/core@7\.23\.0$' "a scoped package"
	t_eq "$(ms sbom -f cyclonedx-json lang:1 | jq -r '.components[] | select(.name == "express") |
		.properties[] | select(.name == "minirun:package:database") | .value')" \
		"app/node_modules/express/package.json"
	# a Debian advisory about the source package "requests" is not about pip's requests
	mkdir "$T_DIR/db"
	osv DSA-9100-1 Debian:12 requests '{"introduced": "0"}' >"$T_DIR/db/a.json"
	out=$(ms scan --db "$T_DIR/db" lang:1) || t_fail "scan exited $?"
	t_match "$out" '^Total: 0 '
}
t "sbom: Python (dist-info, egg-info) and npm (nested, scoped) packages, purls; not OS-matched" sbom_language_packages

sbom_bad_input() {
	sc_image
	t_status 125 ms sbom nosuch
	t_eq "$T_OUT" "minirun: No such image: nosuch"
	t_status 125 ms sbom --format xml fx:1
	t_eq "$(echo "$T_OUT" | head -n 1)" "minirun: invalid --format 'xml': use table, spdx-json or cyclonedx-json"
	t_status 1 ms sbom
	t_match "$T_OUT" "requires exactly 1 argument"
	t_status 0 ms sbom --help
	t_match "$T_OUT" "^Usage:  minirun sbom"
}
t "sbom bad input: no such image, a bad --format, no image: one line, 125 (no image: 1)" sbom_bad_input

t_end
