# tests/integration/scan/schema.t - `minirun sbom`'s SPDX 2.3 and CycloneDX 1.5 documents
# validate against JSON schemas of the two formats, for images of every kind sbom reads:
# Debian (status and status.d/, and the same after a whiteout), Alpine, RPM, language
# packages, and an image with no package database at all.
#
# The schemas are tests/integration/scan/schemas/*.schema.json, written for these tests
# from the specifications (no Debian package ships them): objects allow only the fields
# the formats define, values the shapes the specifications state. The validator is
# python3-jsonschema (Draft 7). The first test proves the validator can fail: documents
# broken on purpose are refused. debootstrap.t validates a real Debian image's too.
# Run: sh tests/integration/scan/schema.t (as root; make minirun)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/scan/lib.sh"

S=$MR_TOP/tests/integration/scan/schemas

# both_valid REF - REF's SPDX and CycloneDX documents are valid, and their ids unique
both_valid() {
	ms sbom --format spdx-json "$1" >"$T_DIR/spdx.json" || t_fail "sbom --format spdx-json $1 exited $?"
	ms sbom --format cyclonedx-json "$1" >"$T_DIR/cdx.json" || t_fail "sbom --format cyclonedx-json $1 exited $?"
	out=$(sc_validate "$S/spdx-2.3.schema.json" "$T_DIR/spdx.json") || t_fail "$1: SPDX: $out"
	out=$(sc_validate "$S/cyclonedx-1.5.schema.json" "$T_DIR/cdx.json") || t_fail "$1: CycloneDX: $out"
	# what a schema cannot say: identifiers unique within the document
	t_need jq
	t_eq "$(jq '[.packages[].SPDXID] | length - (unique | length)' "$T_DIR/spdx.json")" 0 \
		"$1: duplicate SPDXIDs"
	t_eq "$(jq '[.components[]."bom-ref"] | length - (unique | length)' "$T_DIR/cdx.json")" 0 \
		"$1: duplicate bom-refs"
}

validator_fails() {
	t_need jq
	R=$T_DIR/root
	mkdir -p "$T_DIR/t/etc" && printf 'ID=debian\nVERSION_ID=12\n' >"$T_DIR/t/etc/os-release"
	(cd "$T_DIR/t" && tar -cf "$T_DIR/t.tar" .) && ms import "$T_DIR/t.tar" e:1 >/dev/null ||
		t_fail "import"
	ms sbom --format spdx-json e:1 >"$T_DIR/good.json" && ms sbom --format cyclonedx-json e:1 >"$T_DIR/cgood.json" ||
		t_fail "sbom"
	sc_validate "$S/spdx-2.3.schema.json" "$T_DIR/good.json" >/dev/null || t_fail "the good SPDX document"
	sc_validate "$S/cyclonedx-1.5.schema.json" "$T_DIR/cgood.json" >/dev/null || t_fail "the good CycloneDX document"
	# each a field the specification requires, misspelt or of the wrong shape: every
	# broken document must be refused, each with an error naming it
	i=0
	for f in 'del(.documentNamespace)' '.spdxVersion = "SPDX-2.2"' '.packages[0].SPDXID = "Image"' \
		'.creationInfo.created = "2026-12-06 08:00"' '.relationships[0].relationshipType = "HAS"' \
		'.packages[0].lisenceDeclared = "MIT"'; do
		i=$((i + 1))
		jq "$f" "$T_DIR/good.json" >"$T_DIR/bad$i.json" || t_fail "jq $f"
	done
	sc_validate "$S/spdx-2.3.schema.json" "$T_DIR"/bad?.json >"$T_DIR/out"
	t_eq $? 6 "SPDX documents refused, of 6 broken ones: $(cat "$T_DIR/out")"
	for k in 1 2 3 4 5 6; do
		grep -q "bad$k.json: " "$T_DIR/out" || t_fail "no error printed for bad$k.json"
	done
	i=0
	for f in 'del(.bomFormat)' '.specVersion = "1.4"' '.serialNumber = "1234"' \
		'.components[0].type = "package"' '.metadata.component |= del(.name)' '.version = 0'; do
		i=$((i + 1))
		jq "$f" "$T_DIR/cgood.json" >"$T_DIR/cbad$i.json" || t_fail "jq $f"
	done
	sc_validate "$S/cyclonedx-1.5.schema.json" "$T_DIR"/cbad?.json >"$T_DIR/out"
	t_eq $? 6 "CycloneDX documents refused, of 6 broken ones: $(cat "$T_DIR/out")"
	return 0
}
t "the schemas and the validator refuse documents broken on purpose" validator_fails

debian_valid() {
	sc_image
	both_valid fx:1
	both_valid fx:2
}
t "SPDX and CycloneDX validate: a Debian image, and one with a whiteout" debian_valid

alpine_lang_valid() {
	R=$T_DIR/root
	P=$T_DIR/a
	mkdir -p "$P/etc" "$P/lib/apk/db" "$P/usr/lib/python3.11/site-packages/requests-2.31.0.dist-info" \
		"$P/app/node_modules/@babel/core" "$P/app/node_modules/express"
	printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n' >"$P/etc/os-release"
	printf 'P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n' \
		>"$P/lib/apk/db/installed"
	printf 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n' \
		>"$P/usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA"
	echo '{"name": "@babel/core", "version": "7.23.0"}' >"$P/app/node_modules/@babel/core/package.json"
	echo '{"name": "express", "version": "4.18.2"}' >"$P/app/node_modules/express/package.json"
	(cd "$P" && tar -cf "$T_DIR/a.tar" .) && ms import "$T_DIR/a.tar" alp:1 >/dev/null || t_fail "import"
	t_eq "$(ms sbom alp:1 | head -n 1)" "alp:1 (alpine 3.19.1): 5 packages"
	both_valid alp:1
}
t "SPDX and CycloneDX validate: Alpine with Python and npm packages" alpine_lang_valid

rpm_valid() {
	rpm_image rk:1
	both_valid rk:1
}
t "SPDX and CycloneDX validate: an RPM image with licenses and epochs" rpm_valid

empty_valid() {
	R=$T_DIR/root
	mkdir -p "$T_DIR/e/bin" && echo x >"$T_DIR/e/bin/x"
	(cd "$T_DIR/e" && tar -cf "$T_DIR/e.tar" .) && ms import "$T_DIR/e.tar" none:1 >/dev/null || t_fail "import"
	both_valid none:1
}
t "SPDX and CycloneDX validate: an image with no OS and no packages" empty_valid

t_end
