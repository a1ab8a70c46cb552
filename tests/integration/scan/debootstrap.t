# tests/integration/scan/debootstrap.t - sbom, scan and scan --outdated on a real Debian:
# bookworm's minbase as debootstrap makes it, imported as an image.
#
# The tree comes from tests/lib/debootstrap.sh: made once from the mirror the host's apt
# uses (a minute or two, ~40 MB), then cached as a tar under /var/cache/minirun-tests
# (MR_DEBOOTSTRAP_CACHE moves it); with no debootstrap or no mirror the tests skip, saying
# which. Each test imports the tar into a store of its own (~5 s) and checks minirun
# against the reference tools on the same files:
#
#   sbom        every installed package, with its version, arch and source, as
#               `dpkg-query --admindir` lists them from the image's own dpkg database;
#               the SPDX and CycloneDX documents valid (schemas/, as schema.t)
#   scan        an advisory fixture written here naming real packages of the image: fixed
#               above the installed version (found, with the fix), fixed at it (not found),
#               unfixed (found as such), a binary name where Debian names the source (not
#               found); the versions are the image's own, read with dpkg-query, and each
#               "above"/"at" checked with dpkg --compare-versions before it is used
#   --outdated  the packages the host's apt lists (bookworm-security) have a newer version
#               of, as `apt-cache madison` and dpkg --compare-versions say
#
# Slow the first time (the download), ~30 s after: in tests/long.list.
# Run: sh tests/integration/scan/debootstrap.t (as root; make minirun)
. "${MR_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/lib/t.sh"
. "$MR_TOP/tests/integration/scan/lib.sh"

S=$MR_TOP/tests/integration/scan/schemas

# deb_image - the cached tar imported as deb:bookworm into $R, its dpkg database unpacked
# into $T_DIR/tree (for dpkg-query); skips when the tree can't be had
deb_image() {
	t_need_root
	t_need dpkg-query tar jq
	R=$T_DIR/root
	tar=$(sh "$MR_TOP/tests/lib/debootstrap.sh" 2>"$T_DIR/why") || t_skip "$(tail -n 1 "$T_DIR/why")"
	ms import -c 'CMD ["bash"]' "$tar" deb:bookworm >/dev/null || t_fail "import of $tar"
	mkdir -p "$T_DIR/tree"
	tar -C "$T_DIR/tree" -xf "$tar" ./var/lib/dpkg ./etc/os-release ./usr/lib/os-release 2>/dev/null ||
		tar -C "$T_DIR/tree" -xf "$tar" ./var/lib/dpkg || t_fail "unpacking var/lib/dpkg from $tar"
	[ -s "$T_DIR/tree/var/lib/dpkg/status" ] || t_fail "$tar has no var/lib/dpkg/status"
}

# dq FORMAT - dpkg-query over the image's database, installed packages only
dq() {
	dpkg-query --admindir="$T_DIR/tree/var/lib/dpkg" -W -f "\${db:Status-Abbrev}|$1\n" |
		sed -n 's/^ii *|//p' | sort
}

deb_sbom() {
	deb_image
	want=$(dq '${Package} ${Version} ${Architecture} ${source:Package} ${source:Version}')
	n=$(printf '%s\n' "$want" | wc -l)
	[ "$n" -gt 50 ] || t_fail "a minbase with only $n packages? $want"
	out=$(ms sbom deb:bookworm) || t_fail "sbom exited $?: $out"
	t_match "$out" "^deb:bookworm \\(debian 12\\): $n packages\$" "the first line"
	ms sbom --format cyclonedx-json deb:bookworm >"$T_DIR/cdx.json" || t_fail "cyclonedx exited $?"
	got=$(jq -r '.components[] | select(.type == "library") | [.name, .version,
		(.purl | capture("arch=(?<a>[^&]+)").a),
		(.properties[] | select(.name == "minirun:package:source") | .value),
		(.properties[] | select(.name == "minirun:package:source-version") | .value)] | join(" ")' \
		"$T_DIR/cdx.json" | sort)
	if [ "$got" != "$want" ]; then
		printf '%s\n' "$want" >"$T_DIR/want"
		printf '%s\n' "$got" >"$T_DIR/got"
		t_fail "sbom and dpkg-query differ (- dpkg-query, + sbom): $(diff "$T_DIR/want" "$T_DIR/got" | head -n 20)"
	fi
	ms sbom --format spdx-json deb:bookworm >"$T_DIR/spdx.json" || t_fail "spdx exited $?"
	out=$(sc_validate "$S/spdx-2.3.schema.json" "$T_DIR/spdx.json") || t_fail "SPDX: $out"
	out=$(sc_validate "$S/cyclonedx-1.5.schema.json" "$T_DIR/cdx.json") || t_fail "CycloneDX: $out"
	t_eq "$(jq '.packages | length' "$T_DIR/spdx.json")" "$((n + 2))" "SPDX: the image, the OS and each package"
}
t "sbom of a debootstrap bookworm: the packages dpkg-query lists, valid SPDX and CycloneDX" deb_sbom

# srcver SOURCE - the version of source package SOURCE in the image (its first binary's)
srcver() { dq '${source:Package} ${source:Version}' | awk -v s="$1" '$1 == s { print $2; exit }'; }

deb_scan() {
	t_need dpkg
	deb_image
	glibc=$(srcver glibc) bash=$(srcver bash) tar_v=$(srcver tar) dpkg_v=$(srcver dpkg)
	for v in "$glibc" "$bash" "$tar_v" "$dpkg_v"; do
		[ -n "$v" ] || t_fail "the image lacks glibc, bash, tar or dpkg: $(dq '${source:Package}' | tr '\n' ' ')"
	done
	# fixed above what is installed: +deb12u99 sorts after any deb12uN a point release has
	fix_glibc="$glibc+deb12u99" fix_dpkg="$dpkg_v.99"
	dpkg --compare-versions "$fix_glibc" gt "$glibc" && dpkg --compare-versions "$fix_dpkg" gt "$dpkg_v" ||
		t_fail "the fixture's versions are not above the image's"
	mkdir -p "$T_DIR/db"
	# the fixture: two found with their fix, one unfixed, one fixed at the installed version,
	# one naming the binary libc6 (Debian's records name source packages), one for bullseye
	osv DSA-9101-1 Debian:12 glibc "{\"introduced\": \"0\"}, {\"fixed\": \"$fix_glibc\"}" \
		', "database_specific": {"severity": "HIGH"}' >"$T_DIR/db/DSA-9101-1.json"
	osv DSA-9102-1 Debian:12 dpkg "{\"introduced\": \"0\"}, {\"fixed\": \"$fix_dpkg\"}" \
		', "database_specific": {"severity": "CRITICAL"}' >"$T_DIR/db/DSA-9102-1.json"
	osv DEBIAN-CVE-2099-0001 Debian:12 tar '{"introduced": "0"}' '' \
		', "ecosystem_specific": {"urgency": "low"}' >"$T_DIR/db/DEBIAN-CVE-2099-0001.json"
	osv DSA-9103-1 Debian:12 bash "{\"introduced\": \"0\"}, {\"fixed\": \"$bash\"}" \
		', "database_specific": {"severity": "CRITICAL"}' >"$T_DIR/db/DSA-9103-1.json"
	osv DSA-9104-1 Debian:12 libc6 '{"introduced": "0"}' \
		', "database_specific": {"severity": "CRITICAL"}' >"$T_DIR/db/DSA-9104-1.json"
	osv DSA-9105-1 Debian:11 dpkg '{"introduced": "0"}' \
		', "database_specific": {"severity": "CRITICAL"}' >"$T_DIR/db/DSA-9105-1.json"
	out=$(ms scan --db "$T_DIR/db" --format json deb:bookworm) || t_fail "scan exited $?: $out"
	printf '%s\n' "$out" >"$T_DIR/r.json"
	# one finding per binary package of a matched source: libc6 and libc-bin are glibc's
	glibc_bins=$(dq '${source:Package} ${Package}' | awk '$1 == "glibc" { print $2 }' | tr '\n' ' ')
	dpkg_bins=$(dq '${source:Package} ${Package}' | awk '$1 == "dpkg" { print $2 }' | tr '\n' ' ')
	tar_bins=$(dq '${source:Package} ${Package}' | awk '$1 == "tar" { print $2 }' | tr '\n' ' ')
	want=$( (for p in $dpkg_bins; do echo "$p DSA-9102-1 $fix_dpkg"; done
		for p in $glibc_bins; do echo "$p DSA-9101-1 $fix_glibc"; done
		for p in $tar_bins; do echo "$p DEBIAN-CVE-2099-0001 -"; done) | sort)
	got=$(jq -r '.findings[] | "\(.package) \(.id) \(.fixed // "-")"' "$T_DIR/r.json" | sort)
	t_eq "$got" "$want" "findings (package, id, fixed)"
	out=$(ms scan --db "$T_DIR/db" --ignore-unfixed deb:bookworm) || t_fail "scan --ignore-unfixed exited $?"
	t_nomatch "$out" 'DEBIAN-CVE-2099-0001|DSA-9103-1|DSA-9104-1|DSA-9105-1' "--ignore-unfixed, and those never found"
	t_match "$out" "libc6 +$(printf '%s' "$(dq '${Package} ${Version}' | awk '$1 == "libc6" { print $2 }')" | sed 's/[.+]/\\&/g') +$(printf '%s' "$fix_glibc" | sed 's/[.+]/\\&/g') +DSA-9101-1" \
		"the table row of libc6"
	t_status 3 ms scan --db "$T_DIR/db" --exit-code 3 --severity CRITICAL deb:bookworm
}
t "scan of a debootstrap bookworm: real packages' advisories, fixed, unfixed and not matching" deb_scan

deb_outdated() {
	t_need apt-cache dpkg
	ls /var/lib/apt/lists/*-security_*Packages* >/dev/null 2>&1 ||
		t_skip "no security suite in this machine's apt lists (apt-get update)"
	deb_image
	arch=$(dpkg --print-architecture)
	# the reference: apt-cache madison's -security versions of each installed package,
	# this arch's or all, newer than installed (dpkg's order)
	dq '${Package} ${Version}' >"$T_DIR/installed"
	apt-cache madison $(cut -d' ' -f1 "$T_DIR/installed") 2>/dev/null |
		awk -F' *[|] *' -v a="$arch" '$3 ~ /-security\// && ($3 ~ " " a " " || $3 ~ / all /) {
			gsub(/ /, "", $1); print $1, $2 }' >"$T_DIR/security"
	want=$(while read -r p v; do
		best=
		for s in $(awk -v p="$p" '$1 == p { print $2 }' "$T_DIR/security"); do
			if dpkg --compare-versions "$s" gt "$v" &&
				{ [ -z "$best" ] || dpkg --compare-versions "$s" gt "$best"; }; then
				best=$s
			fi
		done
		[ -n "$best" ] && echo "$p $v $best"
	done <"$T_DIR/installed" | sort)
	out=$(ms scan --outdated --format json deb:bookworm) || t_fail "scan --outdated exited $?: $out"
	got=$(printf '%s\n' "$out" | jq -r '.outdated[] | "\(.package) \(.installed) \(.available)"' | sort)
	t_eq "$got" "$want" "packages with a security update (package installed available)"
	echo "# $(printf '%s\n' "$want" | grep -c .) package(s) with a security update"
}
t "scan --outdated of a debootstrap bookworm: the updates apt-cache madison shows" deb_outdated

t_end
