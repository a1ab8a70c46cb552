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
#	rpm_image REF [DBDIR]  a Rocky Linux 9.3 image REF in $R (default $T_DIR/root) whose
#	                rpmdb.sqlite (in DBDIR, default var/lib/rpm) rpmbuild and rpm made:
#	                openssl-libs 1:3.0.7-18.el9_2 (from openssl), bash, tzdata (noarch)
#	sc_validate SCHEMA FILE...  each FILE against the JSON schema SCHEMA (schemas/ here)
#	                with python3-jsonschema: every error printed (file: path: message),
#	                the exit status how many FILEs are invalid
#
# No network: the images are made from files, the advisories are written here. The real
# debootstrap image is debootstrap.t's (tests/lib/debootstrap.sh caches it).
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

# rpm_pkg NAME EPOCH VERSION RELEASE ARCH LICENSE SOURCE - build one empty package into
# $T_DIR/top/RPMS (EPOCH "" for none); SOURCE names the source package (its .src.rpm)
rpm_pkg() {
	mkdir -p "$T_DIR/top/SPECS"
	# the spec is the source package's (its Name names the .src.rpm); the binary package
	# is the spec's main package when the names agree, else a subpackage named in full
	{
		echo "Name: $7"
		[ -n "$2" ] && echo "Epoch: $2"
		echo "Version: $3"
		echo "Release: $4"
		echo "License: $6"
		echo "Summary: $7, a test package with no files"
		echo "BuildArch: $5"
		echo "%description"
		echo "$7 for tests/integration/scan"
		if [ "$7" = "$1" ]; then
			echo "%files"
		else
			echo "%package -n $1"
			echo "Summary: $1 from $7"
			echo "%description -n $1"
			echo "$1 from $7"
			echo "%files -n $1"
		fi
	} >"$T_DIR/top/SPECS/$1.spec"
	rpmbuild --define "_topdir $T_DIR/top" --define '_build_id_links none' \
		-bb "$T_DIR/top/SPECS/$1.spec" >"$T_DIR/rpmbuild.log" 2>&1 ||
		t_fail "rpmbuild $1: $(tail -n 5 "$T_DIR/rpmbuild.log")"
}

# rpm_image REF [DBDIR] - a Rocky Linux 9.3 image REF whose rpmdb (in DBDIR, default
# var/lib/rpm) holds openssl-libs (epoch 1, from openssl), bash and tzdata (noarch)
rpm_image() {
	t_need rpm rpmbuild
	R=${R:-$T_DIR/root}
	dbdir=${2:-var/lib/rpm}
	rm -rf "$T_DIR/top" "$T_DIR/tree"
	rpm_pkg openssl-libs 1 3.0.7 18.el9_2 x86_64 'ASL 2.0' openssl
	rpm_pkg bash "" 5.1.8 6.el9_1 x86_64 'GPLv3+' bash
	rpm_pkg tzdata "" 2023c 1.el9 noarch 'Public Domain' tzdata
	mkdir -p "$T_DIR/tree/etc" "$T_DIR/tree/$dbdir"
	cat >"$T_DIR/tree/etc/os-release" <<-'END'
		NAME="Rocky Linux"
		VERSION="9.3 (Blue Onyx)"
		ID="rocky"
		ID_LIKE="rhel centos fedora"
		VERSION_ID="9.3"
		PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
	END
	rpm --dbpath "$T_DIR/tree/$dbdir" --initdb || t_fail "rpm --initdb"
	# --justdb: record, unpack nothing; --ignorearch: x86_64 packages on any host
	rpm --dbpath "$T_DIR/tree/$dbdir" -i --nodeps --justdb --ignorearch --ignoreos \
		"$T_DIR"/top/RPMS/*/*.rpm 2>"$T_DIR/rpm.log" || t_fail "rpm -i: $(cat "$T_DIR/rpm.log")"
	[ -s "$T_DIR/tree/$dbdir/rpmdb.sqlite" ] || t_fail "rpm made no rpmdb.sqlite in $dbdir"
	rm -f "$T_DIR/tree/$dbdir/.rpm.lock" "$T_DIR/tree/$dbdir"/rpmdb.sqlite-*
	(cd "$T_DIR/tree" && tar -cf "$T_DIR/tree.tar" .) || t_fail "tar of the tree"
	ms import "$T_DIR/tree.tar" "$1" >/dev/null || t_fail "import $1"
}

# sc_validate SCHEMA FILE... - each FILE against SCHEMA (draft-07), every error on its own
# line ("FILE: PATH: message"); the exit status is how many FILEs are invalid (one python
# start for them all: the schema tests validate dozens of documents)
sc_validate() {
	python3 -c 'import jsonschema' 2>/dev/null || t_skip "needs python3-jsonschema, not installed"
	python3 - "$@" <<-'END'
		import json, sys
		import jsonschema
		schema = json.load(open(sys.argv[1]))
		jsonschema.Draft7Validator.check_schema(schema)
		validator = jsonschema.Draft7Validator(schema)
		bad = 0
		for name in sys.argv[2:]:
		    errors = sorted(validator.iter_errors(json.load(open(name))), key=lambda e: list(e.absolute_path))
		    for e in errors[:20]:
		        print("%s: %s: %s" % (name, "/".join(str(p) for p in e.absolute_path) or "(top)", e.message[:300]))
		    bad += 1 if errors else 0
		sys.exit(min(bad, 100))
	END
}
