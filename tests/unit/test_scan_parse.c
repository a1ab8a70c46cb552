/*
 * tests/unit/test_scan_parse.c - what scan reads from an image (minirun/scan/): dpkg's
 * status file and status.d/, apk's installed database, RPM headers (built here byte by
 * byte, as rpm's header.c lays them out), os-release, the merged view of
 * layers with whiteouts and opaque directories, OSV records and how they match.
 *
 * Run with `make test-unit` (as root: the whiteouts are character devices 0/0 and the
 * opaque directories carry a trusted.* xattr, as the image store makes them). The layer
 * trees live under /tmp and are removed.
 */
#include "minirun/scan/scan.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/file.h"

static const char status_text[] =
	"Package: libc6\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: glibc\n"
	"Version: 2.36-9+deb12u4\n"
	"Description: GNU C Library: Shared libraries\n"
	" Contains the standard libraries.\n"
	" .\n"
	" Package: not-a-package-but-a-description-line\n"
	"Conffiles:\n"
	" /etc/ld.so.conf 0123456789abcdef\n"
	"\n"
	"Package: libgcc-s1\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: gcc-12 (12.2.0-14)\n"
	"Version: 12.2.0-14+b1\n"
	"\n"
	"Package: removed\n"
	"Status: deinstall ok config-files\n"
	"Version: 1.0-1\n"
	"\n"
	"Package: half\n"
	"Status: install reinstreq half-installed\n"
	"Version: 2.0-1\n"
	"\n"
	"Package: tzdata\n"
	"status: install ok installed\n" /* field names are case-insensitive */
	"Version: 2024a-0+deb12u1\n"
	"Architecture: all\n";

static void dpkg_status_installed_only(void)
{
	struct sbom s = {0};
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(dpkg_parse_status(status_text, "status", &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 3);
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].name, "libc6");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].version, "2.36-9+deb12u4");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].source, "glibc");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].source_version, "2.36-9+deb12u4");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].arch, "amd64");
	/* "Source: NAME (VERSION)": the source's own version */
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].name, "libgcc-s1");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].source, "gcc-12");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].source_version, "12.2.0-14");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].version, "12.2.0-14+b1");
	/* no Source: the package is its own source */
	CU_ASSERT_STRING_EQUAL(s.pkgs[2].name, "tzdata");
	CU_ASSERT_STRING_EQUAL(s.pkgs[2].source, "tzdata");
	CU_ASSERT_STRING_EQUAL(s.pkgs[2].where, "status");
	sbom_free(&s);
}

static void dpkg_status_bad_input_named(void)
{
	struct sbom s = {0};
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(dpkg_parse_status("Package: a\nVersion: 1.0\n\nPackage: b\nStatus: install "
					  "ok installed\n",
					  "var/lib/dpkg/status", &s, &err),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "var/lib/dpkg/status:4: a package stanza without "
					       "Version"));
	sbom_free(&s);
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(dpkg_parse_status("Package: a\nVersion: x.y\n", "st", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "st:1: package a: invalid version 'x.y'"));
	sbom_free(&s);
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(dpkg_parse_status("Package: a\nthis is no field\n", "st", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "st:2:"));
	CU_ASSERT_EQUAL(err.kind, MR_E_INVALID);
	sbom_free(&s);
}

static void apk_installed_with_origin(void)
{
	struct sbom s = {0};
	struct mr_err err = {0};
	const char *text = "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\nF:lib\n\n"
			   "P:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\n";
	CU_ASSERT_EQUAL_FATAL(apk_parse_installed(text, "lib/apk/db/installed", &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 2);
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].name, "musl");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].version, "1.2.4_git20230717-r4");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].name, "libcrypto3");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].source, "openssl");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].arch, "x86_64");
	CU_ASSERT_EQUAL(s.pkgs[1].type, PKG_APK);
	sbom_free(&s);
	CU_ASSERT_EQUAL(apk_parse_installed("P:x\nA:x86_64\n", "db", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "db:1: a package record without V:"));
	sbom_free(&s);
}

static void os_release_quoted_values(void)
{
	struct os_release os;
	os_release_parse(
		"NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
		"VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n# comment\n",
		&os);
	CU_ASSERT_STRING_EQUAL(os.id, "debian");
	CU_ASSERT_STRING_EQUAL(os.version_id, "12");
	CU_ASSERT_STRING_EQUAL(os.codename, "bookworm");
	CU_ASSERT_STRING_EQUAL(os.pretty, "Debian GNU/Linux 12 (bookworm)");
	os_release_parse("ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME='Alpine Linux v3.19'", &os);
	CU_ASSERT_STRING_EQUAL(os.id, "alpine");
	CU_ASSERT_STRING_EQUAL(os.version_id, "3.19.1");
	CU_ASSERT_STRING_EQUAL(os.pretty, "Alpine Linux v3.19");
	char eco[64];
	osv_ecosystem(&os, eco, sizeof(eco));
	CU_ASSERT_STRING_EQUAL(eco, "Alpine:v3.19");
}

/* ---- layers ------------------------------------------------------------------------------ */

static char top[64];

static void put(const char *path, const char *text)
{
	char full[512], dir[512];
	snprintf(full, sizeof(full), "%s/%s", top, path);
	snprintf(dir, sizeof(dir), "%s", full);
	*strrchr(dir, '/') = 0;
	mr_mkdir_p(dir, 0755, NULL);
	FILE *f = fopen(full, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* a whiteout as the store makes it: a character device 0/0 */
static int whiteout(const char *path)
{
	char full[512];
	snprintf(full, sizeof(full), "%s/%s", top, path);
	return mknod(full, S_IFCHR | 0, makedev(0, 0));
}

static void rm_tree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (top[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", top);
}

/* walk_record - a rootview_walk visitor: "DIR: NAME NAME/ ..." per directory, into ARG */
static int walk_record(const char *dir, struct rootview_entry *e, size_t n, void *arg)
{
	char *out = arg;
	size_t len = strlen(out);
	len += (size_t)snprintf(out + len, 4096 - len, "%s:", dir);
	for (size_t i = 0; i < n && len < 4000; i++)
		len += (size_t)snprintf(out + len, 4096 - len, " %s%s", e[i].name,
					e[i].isdir ? "/" : "");
	snprintf(out + len, 4096 - len, "\n");
	return 1;
}

static void layers_whiteouts_and_opaque_dirs(void)
{
	strcpy(top, "/tmp/scan-unit.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(top));
	/* layer 1 (bottom): a status.d with three packages, a dir later made opaque */
	put("l1/var/lib/dpkg/status.d/a", "Package: a\nVersion: 1.0\n");
	put("l1/var/lib/dpkg/status.d/b", "Package: b\nVersion: 1.0\n");
	put("l1/var/lib/dpkg/status.d/c", "Package: c\nVersion: 1.0\n");
	put("l1/opq/old", "old\n");
	put("l1/etc/real-os-release", "ID=debian\nVERSION_ID=12\n");
	char link[512];
	snprintf(link, sizeof(link), "%s/l1/etc/os-release", top);
	CU_ASSERT_EQUAL(symlink("../etc/./real-os-release", link), 0);
	/* layer 2: b whited out, c replaced, opq made opaque with a new file */
	put("l2/var/lib/dpkg/status.d/c", "Package: c\nVersion: 2.0\n");
	put("l2/opq/new", "new\n");
	char opq[512];
	snprintf(opq, sizeof(opq), "%s/l2/opq", top);
	int x = setxattr(opq, "trusted.overlay.opaque", "y", 1, 0);
	if (whiteout("l2/var/lib/dpkg/status.d/b") < 0 || x < 0) {
		printf("    # cannot make whiteouts or trusted xattrs here (not root?): skipped\n");
		rm_tree();
		return;
	}
	/* layer 3 (top): the status.d file of a removed again, and a re-added */
	put("l3/var/lib/dpkg/status.d/d", "Package: d\nVersion: 1.0\n");
	CU_ASSERT_EQUAL(whiteout("l3/var/lib/dpkg/status.d/a"), 0);

	char d1[128], d2[128], d3[128];
	snprintf(d1, sizeof(d1), "%s/l1", top);
	snprintf(d2, sizeof(d2), "%s/l2", top);
	snprintf(d3, sizeof(d3), "%s/l3", top);
	char *dirs[] = {d3, d2, d1, NULL};
	struct rootview v = {dirs, 3};
	struct mr_err err = {0};
	char **names = NULL, *text = NULL;

	CU_ASSERT_EQUAL_FATAL(rootview_list(&v, "var/lib/dpkg/status.d", &names, &err), 0);
	CU_ASSERT_STRING_EQUAL(names[0], "c");
	CU_ASSERT_STRING_EQUAL(names[1], "d");
	CU_ASSERT_PTR_NULL(names[2]); /* a and b were whited out */
	rootview_names_free(names);
	CU_ASSERT_EQUAL(rootview_read(&v, "var/lib/dpkg/status.d/b", &text, NULL, &err), 1);
	CU_ASSERT_EQUAL(rootview_read(&v, "/var/lib/dpkg/status.d/a", &text, NULL, &err), 1);
	CU_ASSERT_EQUAL(rootview_read(&v, "var/lib/dpkg/status.d/c", &text, NULL, &err), 0);
	CU_ASSERT_STRING_EQUAL(text, "Package: c\nVersion: 2.0\n"); /* the upper copy wins */
	free(text);
	/* the opaque directory hides the lower layer's files */
	CU_ASSERT_EQUAL(rootview_read(&v, "opq/old", &text, NULL, &err), 1);
	CU_ASSERT_EQUAL_FATAL(rootview_list(&v, "opq", &names, &err), 0);
	CU_ASSERT_STRING_EQUAL(names[0], "new");
	CU_ASSERT_PTR_NULL(names[1]);
	rootview_names_free(names);
	/* a symlink is followed inside the image; a missing directory lists as empty */
	CU_ASSERT_EQUAL_FATAL(rootview_read(&v, "etc/os-release", &text, NULL, &err), 0);
	CU_ASSERT_STRING_EQUAL(text, "ID=debian\nVERSION_ID=12\n");
	free(text);
	CU_ASSERT_EQUAL_FATAL(rootview_list(&v, "no/such/dir", &names, &err), 0);
	CU_ASSERT_PTR_NULL(names[0]);
	rootview_names_free(names);

	/* the whole merged tree, walked once: the same view */
	char tree[4096] = "";
	CU_ASSERT_EQUAL_FATAL(rootview_walk(&v, walk_record, tree, &err), 0);
	CU_ASSERT_STRING_EQUAL(tree, ": etc/ opq/ var/\n"
				     "etc: os-release real-os-release\n"
				     "opq: new\n"
				     "var: lib/\n"
				     "var/lib: dpkg/\n"
				     "var/lib/dpkg: status.d/\n"
				     "var/lib/dpkg/status.d: c d\n");

	/* and the inventory drawn from it */
	struct sbom s = {0};
	CU_ASSERT_EQUAL_FATAL(sbom_collect(&v, &s, &err), 0);
	CU_ASSERT_STRING_EQUAL(s.os.id, "debian");
	CU_ASSERT_EQUAL_FATAL(s.n, 2);
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].name, "c");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].version, "2.0");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].name, "d");
	char purl[256];
	pkg_purl(&s, &s.pkgs[0], purl, sizeof(purl));
	CU_ASSERT_STRING_EQUAL(purl, "pkg:deb/debian/c@2.0?arch=&distro=debian-12");
	sbom_free(&s);
	rm_tree();
}

/* ---- advisories -------------------------------------------------------------------------- */

static const char osv_text[] =
	"[{\"id\": \"DSA-1\", \"summary\": \"glibc - fixed\", \"database_specific\": "
	"{\"severity\": \"HIGH\"},"
	"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"glibc\"},"
	"    \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, "
	"{\"fixed\": \"2.36-9+deb12u5\"}]}]}]},"
	" {\"id\": \"CVE-UNFIXED\", \"summary\": \"glibc - no fix yet\","
	"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"glibc\"},"
	"    \"ecosystem_specific\": {\"urgency\": \"low\"},"
	"    \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]},"
	" {\"id\": \"DSA-OLD\", \"summary\": \"glibc - fixed long ago\","
	"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"glibc\"},"
	"    \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, "
	"{\"fixed\": \"2.36-9+deb12u4\"}]}]}]},"
	" {\"id\": \"DSA-11\", \"summary\": \"other release\","
	"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:11\", \"name\": \"glibc\"},"
	"    \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]},"
	" {\"id\": \"DSA-BIN\", \"summary\": \"binary name, not source\","
	"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"libc6\"},"
	"    \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]}]";

static void osv_ranges_and_source_matching(void)
{
	struct osv_db db = {0};
	struct sbom s = {0};
	struct findings f = {0};
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(osv_load_json(&db, osv_text, strlen(osv_text), "t.json", &err), 0);
	CU_ASSERT_EQUAL(db.nadvs, 5);
	CU_ASSERT_EQUAL_FATAL(dpkg_parse_status(status_text, "status", &s, &err), 0);
	strcpy(s.os.id, "debian");
	strcpy(s.os.version_id, "12");
	struct match_opts o = {0};
	CU_ASSERT_EQUAL_FATAL(scan_match(&s, &db, &o, &f, &err), 0);
	/* libc6 (source glibc 2.36-9+deb12u4): DSA-1 (fixed above), CVE-UNFIXED; not DSA-OLD
	 * (fixed at exactly this version), not DSA-11 (Debian 11), not DSA-BIN (a binary name) */
	CU_ASSERT_EQUAL_FATAL(f.n, 2);
	CU_ASSERT_STRING_EQUAL(f.v[0].adv->id, "DSA-1"); /* HIGH sorts first */
	CU_ASSERT_STRING_EQUAL(f.v[0].fixed, "2.36-9+deb12u5");
	CU_ASSERT_EQUAL(f.v[0].severity, SEV_HIGH);
	CU_ASSERT_STRING_EQUAL(f.v[1].adv->id, "CVE-UNFIXED");
	CU_ASSERT_PTR_NULL(f.v[1].fixed);
	CU_ASSERT_EQUAL(f.v[1].severity, SEV_LOW); /* Debian's urgency */
	findings_free(&f);
	char *ignore[] = {"DSA-1", NULL};
	o = (struct match_opts){.ignore_unfixed = 1, .ignore = ignore};
	CU_ASSERT_EQUAL(scan_match(&s, &db, &o, &f, &err), 0);
	CU_ASSERT_EQUAL(f.n, 0);
	findings_free(&f);
	o = (struct match_opts){.severities = 1u << SEV_LOW};
	CU_ASSERT_EQUAL(scan_match(&s, &db, &o, &f, &err), 0);
	CU_ASSERT_EQUAL_FATAL(f.n, 1);
	CU_ASSERT_STRING_EQUAL(f.v[0].adv->id, "CVE-UNFIXED");
	findings_free(&f);
	sbom_free(&s);
	osv_db_free(&db);
}

static void osv_event_walk(void)
{
	struct osv_event ev[] = {{'i', "0"}, {'f', "1.5-1"}, {'i', "2.0-1"}, {'f', "2.3-1"}};
	struct osv_affected a = {.events = ev, .nevents = 4};
	const char *fixed = NULL;
	CU_ASSERT_TRUE(osv_affects(&a, "Debian:12", "1.2-1", &fixed));
	CU_ASSERT_STRING_EQUAL(fixed, "1.5-1");
	CU_ASSERT_FALSE(osv_affects(&a, "Debian:12", "1.8-1", &fixed));
	CU_ASSERT_TRUE(osv_affects(&a, "Debian:12", "2.1-1", &fixed));
	CU_ASSERT_STRING_EQUAL(fixed, "2.3-1");
	CU_ASSERT_FALSE(osv_affects(&a, "Debian:12", "2.3-1", &fixed));
	CU_ASSERT_TRUE(osv_affects(&a, "Debian:12", "2.3~rc1-1", &fixed)); /* '~' sorts before */
	/* Alpine's ordering for an Alpine ecosystem */
	struct osv_event ev2[] = {{'i', "0"}, {'f', "1.0_p1-r0"}};
	struct osv_affected b = {.events = ev2, .nevents = 2};
	CU_ASSERT_TRUE(osv_affects(&b, "Alpine:v3.19", "1.0-r9", &fixed));
	CU_ASSERT_FALSE(osv_affects(&b, "Alpine:v3.19", "1.0.1-r0", &fixed));
	/* last_affected: at it is affected, above it not */
	struct osv_event ev3[] = {{'i', "1.0"}, {'l', "1.4"}};
	struct osv_affected c = {.events = ev3, .nevents = 2};
	CU_ASSERT_FALSE(osv_affects(&c, "Debian:12", "0.9", &fixed));
	CU_ASSERT_TRUE(osv_affects(&c, "Debian:12", "1.4", &fixed));
	CU_ASSERT_PTR_NULL(fixed);
	CU_ASSERT_FALSE(osv_affects(&c, "Debian:12", "1.4.1", &fixed));
}

static void osv_malformed_named(void)
{
	struct osv_db db = {0};
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(osv_load_json(&db, "{\"id\": 1}", 9, "bad.json", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad.json: record 1 has no \"id\" string"));
	osv_db_free(&db);
	CU_ASSERT_EQUAL(osv_load_json(&db, "[{\"id\": \"X\"}, {", 15, "cut.json", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cut.json:1:"));
	osv_db_free(&db);
	const char *noname =
		"{\"id\": \"X\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian\"}}]}";
	CU_ASSERT_EQUAL(osv_load_json(&db, noname, strlen(noname), "n.json", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "n.json: X: each \"affected\" needs"));
	osv_db_free(&db);
}

/* ---- RPM headers ------------------------------------------------------------------------ */

/* a header being built: the index entries and the data store, big-endian */
struct hb {
	unsigned char index[16 * 16], data[1024];
	unsigned il, dl;
};
static void be(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}
static void hb_entry(struct hb *h, unsigned tag, unsigned type, const void *val, size_t len)
{
	unsigned char *e = h->index + 16 * h->il++;
	be(e, tag), be(e + 4, type), be(e + 8, h->dl), be(e + 12, 1);
	memcpy(h->data + h->dl, val, len);
	h->dl += (unsigned)len;
}
static void hb_str(struct hb *h, unsigned tag, const char *s)
{
	hb_entry(h, tag, 6, s, strlen(s) + 1);
}
/* hb_blob - the header as the Packages table's blob into OUT; its length */
static size_t hb_blob(const struct hb *h, unsigned char *out)
{
	be(out, h->il), be(out + 4, h->dl);
	memcpy(out + 8, h->index, 16 * h->il);
	memcpy(out + 8 + 16 * h->il, h->data, h->dl);
	return 8 + 16 * h->il + h->dl;
}

static void rpm_header_fields(void)
{
	struct hb h = {0};
	unsigned char blob[2048], epoch[4] = {0, 0, 0, 1};
	hb_entry(&h, 63, 7, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16); /* a region: skipped */
	hb_str(&h, 1000, "openssl-libs");
	hb_str(&h, 1001, "3.0.7");
	hb_str(&h, 1002, "18.el9_2");
	hb_entry(&h, 1003, 4, epoch, 4);
	hb_str(&h, 1014, "ASL 2.0");
	hb_str(&h, 1022, "x86_64");
	hb_str(&h, 1044, "openssl-3.0.7-18.el9_2.src.rpm");
	size_t n = hb_blob(&h, blob);
	struct sbom s = {0};
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(rpm_parse_header(blob, n, "rpmdb", &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 1);
	CU_ASSERT_EQUAL(s.pkgs[0].type, PKG_RPM);
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].name, "openssl-libs");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].version, "1:3.0.7-18.el9_2");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].arch, "x86_64");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].source, "openssl");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].source_version, "1:3.0.7-18.el9_2");
	CU_ASSERT_STRING_EQUAL(s.pkgs[0].license, "ASL 2.0");
	char purl[512];
	snprintf(s.os.id, sizeof(s.os.id), "rocky");
	snprintf(s.os.version_id, sizeof(s.os.version_id), "9.3");
	pkg_purl(&s, &s.pkgs[0], purl, sizeof(purl));
	CU_ASSERT_STRING_EQUAL(purl, "pkg:rpm/rocky/openssl-libs@3.0.7-18.el9_2?arch=x86_64&"
				     "epoch=1&distro=rocky-9.3");
	char eco[80];
	osv_ecosystem(&s.os, eco, sizeof(eco));
	CU_ASSERT_STRING_EQUAL(eco, "Rocky Linux:9");

	/* no epoch, no source rpm: the package is its own source */
	struct hb g = {0};
	hb_str(&g, 1000, "bash");
	hb_str(&g, 1001, "5.1.8");
	hb_str(&g, 1002, "6.el9_1");
	n = hb_blob(&g, blob);
	CU_ASSERT_EQUAL(rpm_parse_header(blob, n, "rpmdb", &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 2);
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].version, "5.1.8-6.el9_1");
	CU_ASSERT_STRING_EQUAL(s.pkgs[1].source, "bash");

	/* a gpg-pubkey "package" is a key rpm trusts: left out */
	struct hb k = {0};
	hb_str(&k, 1000, "gpg-pubkey");
	hb_str(&k, 1001, "8483c65d");
	hb_str(&k, 1002, "5ccc5b19");
	n = hb_blob(&k, blob);
	CU_ASSERT_EQUAL(rpm_parse_header(blob, n, "rpmdb", &s, &err), 0);
	CU_ASSERT_EQUAL(s.n, 2);
	sbom_free(&s);
}

static void rpm_header_damaged_named(void)
{
	struct hb h = {0};
	unsigned char blob[2048];
	hb_str(&h, 1000, "bash");
	hb_str(&h, 1001, "5.1.8");
	size_t n = hb_blob(&h, blob);
	struct sbom s = {0};
	struct mr_err err = {0};
	/* cut short: the index says more data than there is */
	CU_ASSERT_EQUAL(rpm_parse_header(blob, n - 3, "db: package 7", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "db: package 7: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not an RPM header"));
	/* too short for even the counts */
	CU_ASSERT_EQUAL(rpm_parse_header(blob, 5, "db", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "too short"));
	/* a string's offset past the data store */
	be(blob + 8 + 16 + 8, 0xfff0);
	CU_ASSERT_EQUAL(rpm_parse_header(blob, n, "db", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "runs past"));
	/* a string without its NUL at the end of the data store */
	hb_blob(&h, blob);
	blob[n - 1] = 'x';
	CU_ASSERT_EQUAL(rpm_parse_header(blob, n, "db", &s, &err), -1);
	/* no VERSION: not a package */
	struct hb g = {0};
	hb_str(&g, 1000, "bash");
	n = hb_blob(&g, blob);
	CU_ASSERT_EQUAL(rpm_parse_header(blob, n, "db", &s, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "without VERSION"));
	CU_ASSERT_EQUAL(s.n, 0);
	sbom_free(&s);
}

/* RPM distributions: Red Hat's records are per product stream, all of release 9 fit */
static const char rpm_osv_text[] =
	"[{\"id\": \"RHSA-1\", \"affected\": [{\"package\": {\"ecosystem\": "
	"  \"Red Hat:enterprise_linux:9::appstream\", \"name\": \"openssl-libs\"},"
	"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"},"
	"  {\"fixed\": \"1:3.0.7-24.el9\"}]}]}]},"
	" {\"id\": \"RHSA-8\", \"affected\": [{\"package\": {\"ecosystem\": "
	"  \"Red Hat:enterprise_linux:8::baseos\", \"name\": \"openssl-libs\"},"
	"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]},"
	" {\"id\": \"ALSA-1\", \"affected\": [{\"package\": {\"ecosystem\": \"AlmaLinux:9\","
	"  \"name\": \"openssl-libs\"},"
	"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]},"
	" {\"id\": \"RHSA-SRC\", \"affected\": [{\"package\": {\"ecosystem\": "
	"  \"Red Hat:enterprise_linux:9::baseos\", \"name\": \"openssl\"},"
	"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]}]";

static void osv_rpm_ecosystems(void)
{
	struct osv_db db = {0};
	struct sbom s = {0};
	struct findings f = {0};
	struct mr_err err = {0};
	struct pkg p = {PKG_RPM,  "openssl-libs", "1:3.0.7-18.el9_2",
			"x86_64", "openssl",      "1:3.0.7-18.el9_2",
			"rpmdb",  "ASL 2.0"};
	CU_ASSERT_EQUAL_FATAL(
		osv_load_json(&db, rpm_osv_text, strlen(rpm_osv_text), "r.json", &err), 0);
	CU_ASSERT_EQUAL_FATAL(sbom_add(&s, &p, &err), 0);
	strcpy(s.os.id, "rhel");
	strcpy(s.os.version_id, "9.4");
	char eco[80];
	osv_ecosystem(&s.os, eco, sizeof(eco));
	CU_ASSERT_STRING_EQUAL(eco, "Red Hat:enterprise_linux:9");
	struct match_opts o = {0};
	CU_ASSERT_EQUAL_FATAL(scan_match(&s, &db, &o, &f, &err), 0);
	/* RHSA-1 only: not release 8's, not AlmaLinux's, not one naming the source package */
	CU_ASSERT_EQUAL_FATAL(f.n, 1);
	CU_ASSERT_STRING_EQUAL(f.v[0].adv->id, "RHSA-1");
	CU_ASSERT_STRING_EQUAL(f.v[0].fixed, "1:3.0.7-24.el9");
	findings_free(&f);
	/* the same package on AlmaLinux 9.3: ALSA-1 only */
	strcpy(s.os.id, "almalinux");
	strcpy(s.os.version_id, "9.3");
	CU_ASSERT_EQUAL_FATAL(scan_match(&s, &db, &o, &f, &err), 0);
	CU_ASSERT_EQUAL_FATAL(f.n, 1);
	CU_ASSERT_STRING_EQUAL(f.v[0].adv->id, "ALSA-1");
	CU_ASSERT_PTR_NULL(f.v[0].fixed);
	findings_free(&f);
	/* a distribution OSV has no records for (Fedora): nothing is matched */
	strcpy(s.os.id, "fedora");
	strcpy(s.os.version_id, "39");
	osv_ecosystem(&s.os, eco, sizeof(eco));
	CU_ASSERT_STRING_EQUAL(eco, "");
	sbom_free(&s);
	osv_db_free(&db);
}

static CU_TestInfo tests[] = {
	{"dpkg status: installed stanzas only, multi-line fields, Source (version)",
	 dpkg_status_installed_only},
	{"dpkg status: a stanza without Version, a bad version or line: named with file:line",
	 dpkg_status_bad_input_named},
	{"apk installed: P/V/A/o records; a record without V: named", apk_installed_with_origin},
	{"rpm header: name, EVR, arch, license, source rpm; purl; gpg-pubkey left out",
	 rpm_header_fields},
	{"rpm header: short, inconsistent or unterminated headers named, nothing added",
	 rpm_header_damaged_named},
	{"os-release: quoted and bare values; OSV's ecosystem name", os_release_quoted_values},
	{"layers: whiteouts and opaque dirs hide lower files; status.d merged; symlinks followed",
	 layers_whiteouts_and_opaque_dirs},
	{"OSV: fixed, unfixed, other release, binary name; ignore, --ignore-unfixed, severity",
	 osv_ranges_and_source_matching},
	{"OSV: the events walk (introduced, fixed, re-introduced, last_affected), per ecosystem",
	 osv_event_walk},
	{"OSV: malformed records are named with file and id", osv_malformed_named},
	{"OSV: RPM distributions by binary package and EVR; Red Hat's product streams fit",
	 osv_rpm_ecosystems},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("scan parse", tests)
