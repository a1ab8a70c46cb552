# tests/integration/scan/rpm.t - RPM images: `minirun sbom` reads the SQLite rpmdb
# (var/lib/rpm/rpmdb.sqlite, usr/lib/sysimage/rpm/rpmdb.sqlite) of an image, and `minirun
# scan` matches Rocky Linux's OSV records by rpm's version ordering.
#
# No RPM distribution image can be had offline, so the fixture is made here with real rpm
# tools (Debian's `rpm` package): rpmbuild builds tiny packages (no files, real headers:
# name, epoch, version, release, arch, license, source rpm) from specs written below,
# `rpm --dbpath DIR --initdb` makes an SQLite rpmdb and `rpm -i --justdb` records them in
# it, exactly as dnf would have in a Rocky 9 image. The tree (os-release and the database)
# is imported as a one-layer image. Also: a damaged database (one line naming it), and a
# RHEL 8-style Berkeley DB one (not read; -v says so).
# Run: sh tests/integration/scan/rpm.t (as root; make minirun; apt-get install rpm)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"

. "$MR_TOP/tests/integration/scan/lib.sh"

sbom_rpm() {
	rpm_image rk:1
	out=$(ms sbom rk:1) || t_fail "sbom exited $?: $out"
	t_match "$out" '^rk:1 \(rocky 9\.3\): 3 packages$' "the first line"
	t_match "$out" '^openssl-libs +1:3\.0\.7-18\.el9_2 +rpm +openssl +pkg:rpm/rocky/openssl-libs@3\.0\.7-18\.el9_2\?arch=x86_64&epoch=1&distro=rocky-9\.3$' \
		"a package with an epoch, from another source"
	t_match "$out" '^bash +5\.1\.8-6\.el9_1 +rpm +- +pkg:rpm/rocky/bash@5\.1\.8-6\.el9_1\?arch=x86_64&distro=rocky-9\.3$'
	t_match "$out" '^tzdata +2023c-1\.el9 +rpm .*arch=noarch' "a noarch package"
	# the same packages rpm itself lists
	want=$(rpm --dbpath "$T_DIR/tree/var/lib/rpm" -qa --qf '%{NAME}\n' | sort | tr '\n' ' ')
	got=$(ms sbom rk:1 | awk 'NR > 3 { print $1 }' | sort | tr '\n' ' ')
	t_eq "$got" "$want" "the packages rpm -qa lists"
}
t "sbom: an SQLite rpmdb's packages, EVR, source rpm and purl" sbom_rpm

sbom_rpm_formats() {
	t_need jq
	rpm_image rk:1
	ms sbom --format cyclonedx-json rk:1 >"$T_DIR/cdx.json" || t_fail "cyclonedx exited $?"
	t_eq "$(jq -r '.components[] | select(.name == "bash") | .licenses[0].license.name' "$T_DIR/cdx.json")" \
		"GPLv3+" "the rpm LICENSE tag"
	t_eq "$(jq -r '.components[] | select(.name == "openssl-libs") | .purl' "$T_DIR/cdx.json")" \
		"pkg:rpm/rocky/openssl-libs@3.0.7-18.el9_2?arch=x86_64&epoch=1&distro=rocky-9.3"
	ms sbom --format spdx-json rk:1 >"$T_DIR/spdx.json" || t_fail "spdx exited $?"
	t_match "$(jq -r '.packages[] | select(.name == "tzdata") | .licenseComments' "$T_DIR/spdx.json")" \
		'Public Domain$' "the license as a comment"
}
t "sbom: rpm's license in CycloneDX and SPDX, the epoch as a purl qualifier" sbom_rpm_formats

sbom_rpm_sysimage() {
	rpm_image rk:2 usr/lib/sysimage/rpm
	out=$(ms sbom rk:2) || t_fail "sbom exited $?: $out"
	t_match "$out" ': 3 packages$' "the first line"
	t_match "$out" 'usr/lib/sysimage|^openssl-libs ' "a package"
}
t "sbom: the rpmdb under usr/lib/sysimage/rpm (Fedora's place) is read too" sbom_rpm_sysimage

# osv ID ECOSYSTEM NAME EVENTS - one OSV record
osv() {
	printf '{"id": "%s", "summary": "%s test", "affected": [{"package": {"ecosystem": "%s", "name": "%s"}, "ranges": [{"type": "ECOSYSTEM", "events": [%s]}]}], "database_specific": {"severity": "HIGH"}}\n' \
		"$1" "$3" "$2" "$3" "$4"
}

scan_rpm() {
	rpm_image rk:1
	mkdir -p "$T_DIR/db"
	# fixed above the installed EVR (the epoch makes 1:3.0.7-24 newer than 3.1.0)
	osv RLSA-2024:0001 'Rocky Linux:9' openssl-libs '{"introduced": "0"}, {"fixed": "1:3.0.7-24.el9"}' >"$T_DIR/db/1.json"
	# fixed below it: 1:3.0.7-18.el9_2 is past 1:3.0.7-18.el9 (release segments)
	osv RLSA-2024:0002 'Rocky Linux:9' openssl-libs '{"introduced": "0"}, {"fixed": "1:3.0.7-18.el9"}' >"$T_DIR/db/2.json"
	# without the epoch 3.1.0 would be newer: rpm's order says it is not
	osv RLSA-2024:0003 'Rocky Linux:9' openssl-libs '{"introduced": "0"}, {"fixed": "3.1.0-1.el9"}' >"$T_DIR/db/3.json"
	# unfixed
	osv RLSA-2024:0004 'Rocky Linux:9' bash '{"introduced": "0"}' >"$T_DIR/db/4.json"
	# another distribution's record, and one for Rocky 8
	osv ALSA-2024:0005 'AlmaLinux:9' bash '{"introduced": "0"}' >"$T_DIR/db/5.json"
	osv RLSA-2024:0006 'Rocky Linux:8' bash '{"introduced": "0"}' >"$T_DIR/db/6.json"
	# a '~' pre-release fix below the installed tzdata
	osv RLSA-2024:0007 'Rocky Linux:9' tzdata '{"introduced": "0"}, {"fixed": "2023c-1.el9~rc1"}' >"$T_DIR/db/7.json"
	out=$(ms scan --db "$T_DIR/db" rk:1) || t_fail "scan exited $?: $out"
	t_match "$out" 'openssl-libs +1:3\.0\.7-18\.el9_2 +1:3\.0\.7-24\.el9 +RLSA-2024:0001' "the fixed one"
	t_match "$out" 'bash +5\.1\.8-6\.el9_1 .*RLSA-2024:0004' "the unfixed one"
	t_nomatch "$out" 'RLSA-2024:0002|RLSA-2024:0003|ALSA-2024:0005|RLSA-2024:0006|RLSA-2024:0007' \
		"records fixed below the installed EVR, or of another release"
	ms scan --db "$T_DIR/db" --ignore-unfixed --format json rk:1 >"$T_DIR/r.json" ||
		t_fail "scan --format json exited $?"
	t_need jq
	t_eq "$(jq -r '[.. | objects | select(has("id")) | .id] | unique | join(" ")' "$T_DIR/r.json" 2>/dev/null |
		grep -o 'RLSA-[0-9:]*' | sort -u | tr '\n' ' ')" "RLSA-2024:0001 " "json, fixed only"
}
t "scan: Rocky Linux records by package and rpm's order (epochs, releases, ~)" scan_rpm

bad_rpmdb() {
	R=$T_DIR/root
	mkdir -p "$T_DIR/tree/etc" "$T_DIR/tree/var/lib/rpm"
	printf 'ID=rocky\nVERSION_ID=9.3\n' >"$T_DIR/tree/etc/os-release"
	head -c 4096 /dev/urandom >"$T_DIR/tree/var/lib/rpm/rpmdb.sqlite"
	(cd "$T_DIR/tree" && tar -cf "$T_DIR/tree.tar" .) || t_fail "tar"
	ms import "$T_DIR/tree.tar" bad:1 >/dev/null || t_fail "import"
	out=$(ms sbom bad:1 2>&1) && t_fail "sbom of a damaged rpmdb succeeded: $out"
	t_eq "$(printf '%s\n' "$out" | wc -l)" 1 "one line"
	t_match "$out" "image 'bad:1': var/lib/rpm/rpmdb.sqlite: not an rpm SQLite database" "the message"
}
t "sbom: a damaged rpmdb.sqlite is one line naming the image and the file" bad_rpmdb

bdb_said() {
	R=$T_DIR/root
	mkdir -p "$T_DIR/tree/etc" "$T_DIR/tree/var/lib/rpm"
	printf 'ID="rocky"\nVERSION_ID="8.9"\n' >"$T_DIR/tree/etc/os-release"
	# where RHEL 8 keeps its Berkeley DB rpmdb: sbom only notes that the file is there
	head -c 4096 /dev/zero >"$T_DIR/tree/var/lib/rpm/Packages"
	(cd "$T_DIR/tree" && tar -cf "$T_DIR/tree.tar" .) || t_fail "tar"
	ms import "$T_DIR/tree.tar" rk:8 >/dev/null || t_fail "import"
	out=$(ms -v sbom rk:8 2>&1) || t_fail "sbom exited $?: $out"
	t_match "$out" '^rk:8 \(rocky 8\.9\): 0 packages$' "no packages read"
	t_match "$out" 'var/lib/rpm/Packages: an rpm database in Berkeley DB or ndb form, not read' \
		"-v says why"
}
t "sbom: an older Berkeley DB rpmdb is not read, and -v says so" bdb_said

t_end
