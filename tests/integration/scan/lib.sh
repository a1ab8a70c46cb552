# tests/integration/scan/lib.sh - what the scan suites share (sourced after t.sh; not a
# suite): a small Debian-like image made by hand, and advisories written for it.
#
#	sc_image        (in a test) $R, a store of the test's own holding
#	                  fx:1  one layer: busybox (for the commit below) and a dpkg database
#	                        naming real bookworm packages: var/lib/dpkg/status (libc6,
#	                        libssl3, zlib1g, bash as a binNMU, a removed package) and
#	                        status.d/ files (tzdata, libgcc-s1), as distroless has them
#	                  fx:2  fx:1 plus a layer made by `minirun commit` of a container
#	                        that deleted status.d/tzdata: a whiteout of that file
#	                made once per suite (the commit runs a container: containers/lib.sh's
#	                throwaway host namespace), copied for each test
#	sc_advisories DIR   OSV records for those packages, one file each: fixed and unfixed
#	                advisories, one fixed below the installed version, one for another
#	                release, one for a binary (not source) name, one to ignore
#	ms ARGS...      `minirun --root $R ARGS`
#
# No network: the image is made from files, the advisories are written here. A real
# debootstrap image (`make debian-image`) needs a Debian mirror and is not used.
# See: minirun/scan/README.md, tests/integration/containers/lib.sh.
. "$MR_TOP/tests/integration/containers/lib.sh"

ms() { "$MINIRUN" --root "$R" "$@"; }

# sc_rootfs DIR - busybox (tests/rootfs.sh) and the dpkg files of a Debian 12 image
sc_rootfs() {
	sh "$MR_TOP/tests/rootfs.sh" "$1" >/dev/null || t_fail "tests/rootfs.sh failed"
	mkdir -p "$1/etc" "$1/usr/lib" "$1/var/lib/dpkg/status.d"
	rm -f "$1/etc/os-release"
	cat >"$1/usr/lib/os-release" <<-'END'
		PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
		NAME="Debian GNU/Linux"
		VERSION_ID="12"
		VERSION="12 (bookworm)"
		VERSION_CODENAME=bookworm
		ID=debian
	END
	ln -s ../usr/lib/os-release "$1/etc/os-release"
	cat >"$1/var/lib/dpkg/status" <<-'END'
		Package: bash
		Essential: yes
		Status: install ok installed
		Priority: required
		Architecture: amd64
		Source: bash (5.2.15-2)
		Version: 5.2.15-2+b2
		Description: GNU Bourne Again SHell
		 Bash is an sh-compatible command language interpreter.
		 .
		 Package: not-a-package (a line of the description)

		Package: libc6
		Status: install ok installed
		Architecture: amd64
		Source: glibc
		Version: 2.36-9+deb12u4
		Conffiles:
		 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab

		Package: libssl3
		Status: install ok installed
		Architecture: amd64
		Source: openssl
		Version: 3.0.11-1~deb12u2

		Package: zlib1g
		Status: install ok installed
		Architecture: amd64
		Source: zlib
		Version: 1:1.2.13.dfsg-1

		Package: libpcre3
		Status: deinstall ok config-files
		Architecture: amd64
		Source: pcre3
		Version: 2:8.39-15
	END
	cat >"$1/var/lib/dpkg/status.d/tzdata" <<-'END'
		Package: tzdata
		Version: 2024a-0+deb12u1
		Architecture: all
	END
	cat >"$1/var/lib/dpkg/status.d/libgcc-s1" <<-'END'
		Package: libgcc-s1
		Source: gcc-12 (12.2.0-14)
		Version: 12.2.0-14
		Architecture: amd64
	END
	printf 'abc  /usr/share/doc/tzdata/copyright\n' >"$1/var/lib/dpkg/status.d/tzdata.md5sums"
}

sc_image() {
	ct_need
	if [ ! -d "$T_TMP/scan-store" ]; then
		sc_rootfs "$T_DIR/fx.root"
		(cd "$T_DIR/fx.root" && tar -cf "$T_DIR/fx.tar" .) || t_fail "tar of the fixture failed"
		out=$(ct_host "
			mr import -c 'CMD [\"sh\"]' '$T_DIR/fx.tar' fx:1 >/dev/null || die 'import fx:1'
			mr run --name wh --network none fx:1 rm /var/lib/dpkg/status.d/tzdata ||
				die 'run: the container that deletes tzdata'
			mr commit wh fx:2 >/dev/null || die 'commit fx:2'
			mr rm wh >/dev/null || die 'rm wh'
			ct_noleaks
		") || t_fail "making the fixture image: $out"
		rm -rf "$T_DIR/fx.root" "$T_DIR/fx.tar"
		cp -a "$R" "$T_TMP/scan-store.part" && mv "$T_TMP/scan-store.part" "$T_TMP/scan-store" ||
			t_fail "keeping the fixture store"
	else
		rm -rf "$R"
		cp -a "$T_TMP/scan-store" "$R" || t_fail "copy of the fixture store"
	fi
}

# osv ID ECOSYSTEM NAME EVENTS [EXTRA] - one OSV record as JSON text
osv() {
	printf '{"id": "%s", "summary": "%s", "affected": [{"package": {"ecosystem": "%s", "name": "%s"}, "ranges": [{"type": "ECOSYSTEM", "events": [%s]}]%s}]%s}\n' \
		"$1" "$3 - test advisory $1" "$2" "$3" "$4" "${6:-}" "${5:-}"
}

sc_advisories() {
	mkdir -p "$1"
	osv DSA-9001-1 Debian:12 openssl '{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}' \
		', "database_specific": {"severity": "CRITICAL"}' >"$1/DSA-9001-1.json"
	osv DSA-9002-1 Debian:12 glibc '{"introduced": "0"}, {"fixed": "2.36-9+deb12u7"}' \
		', "database_specific": {"severity": "HIGH"}' >"$1/DSA-9002-1.json"
	osv DSA-9003-1 Debian:12 glibc '{"introduced": "0"}, {"fixed": "2.36-9+deb12u4"}' \
		', "database_specific": {"severity": "HIGH"}' >"$1/DSA-9003-1.json"
	osv DEBIAN-CVE-2023-45853 Debian:12 zlib '{"introduced": "0"}' '' \
		', "ecosystem_specific": {"urgency": "low"}' >"$1/DEBIAN-CVE-2023-45853.json"
	osv DSA-9004-1 Debian:12 bash '{"introduced": "0"}, {"fixed": "5.2.15-3"}' \
		', "database_specific": {"severity": "MEDIUM"}' >"$1/DSA-9004-1.json"
	osv DSA-9005-1 Debian:12 tzdata '{"introduced": "0"}, {"fixed": "2024b-0+deb12u1"}' \
		', "database_specific": {"severity": "MEDIUM"}' >"$1/DSA-9005-1.json"
	osv DSA-9006-1 Debian:12 zlib '{"introduced": "0"}, {"fixed": "1:1.3-1"}' \
		', "database_specific": {"severity": "CRITICAL"}' >"$1/DSA-9006-1.json"
	osv DSA-9007-1 Debian:11 openssl '{"introduced": "0"}' \
		', "database_specific": {"severity": "CRITICAL"}' >"$1/DSA-9007-1.json"
	osv DSA-9008-1 Debian:12 libc6 '{"introduced": "0"}' \
		', "database_specific": {"severity": "CRITICAL"}' >"$1/DSA-9008-1.json"
	echo "not an advisory" >"$1/README.txt"
}
