/*
 * minirun/scan/rpm.c - what rpm says is installed: the SQLite rpmdb (Fedora 33+, RHEL 9,
 * Rocky and AlmaLinux 9, ...), at var/lib/rpm/rpmdb.sqlite or
 * usr/lib/sysimage/rpm/rpmdb.sqlite.
 *
 * The database is SQLite, read through libsqlite3 (opened lazily: minirun/lazy/sqlite_dl.c);
 * its table Packages(hnum INTEGER, blob BLOB) holds one row per installed package, and
 * the blob is that package's RPM header, the same structure as in a .rpm file after its
 * 8-byte magic (all integers big-endian):
 *
 *   int32 il                  how many index entries
 *   int32 dl                  how many bytes of data follow the index
 *   il x { int32 tag,         what the entry is: 1000 NAME, 1001 VERSION, 1002 RELEASE,
 *          int32 type,        1003 EPOCH, 1014 LICENSE, 1022 ARCH, 1044 SOURCERPM ...
 *          int32 offset,      how to read it: 4 INT32, 6 STRING (NUL-terminated) ...
 *          int32 count }      where in the data store it starts, how many values
 *   dl bytes                  the data store
 *
 * Only the header's index and data are read (no signature check: the database is the
 * image's own account of itself, as dpkg's status file is). Every offset and length is
 * checked against the blob: a short or damaged header is one error naming the row.
 *
 * The version recorded is rpm's EVR, [EPOCH:]VERSION-RELEASE ("1:3.0.7-18.el9_2"), as OSV's
 * Red Hat, Rocky Linux and AlmaLinux records write it; SOURCERPM ("openssl-3.0.7-18.el9_2
 * .src.rpm") gives the source package. gpg-pubkey "packages" are the keys rpm trusts, not
 * software, and are left out (as rpm -qa's users and trivy do).
 *
 * The database is read from memory (sqlite3_deserialize), never opened in the image's
 * layer directory: nothing is written beside it, and a database left in WAL mode is read
 * as its main file says (rpm checkpoints when it closes the database, so an image's file
 * is complete). The older Berkeley DB (var/lib/rpm/Packages, RHEL 7/8) and ndb
 * (Packages.db, SUSE) formats are not read; -v says when an image has one.
 *
 * See: rpm's lib/header.c and lib/header_internal.h (the layout), lib/rpmtag.h (the tag
 * and type numbers), lib/backend/sqlite.c (the table); https://www.sqlite.org/c3ref/
 * deserialize.html; rpmver.c (the ordering).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "minirun/scan/scan.h"

/* the header tags and types read here (rpm's lib/rpmtag.h) */
enum {
	TAG_NAME = 1000,
	TAG_VERSION,
	TAG_RELEASE,
	TAG_EPOCH,
	TAG_LICENSE = 1014,
	TAG_ARCH = 1022,
	TAG_SOURCERPM = 1044
};
enum { TYPE_INT32 = 4, TYPE_STRING = 6 };

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* the fields of one header, pointing into its data store ("" when absent) */
struct hdr {
	const char *name, *version, *release, *license, *arch, *sourcerpm;
	long epoch; /* -1: none */
};

/* source_of - SRPM "openssl-3.0.7-18.el9_2.src.rpm" -> "openssl" and "3.0.7-18.el9_2" */
static void source_of(const char *srpm, char *name, size_t nlen, char *vr, size_t vlen)
{
	size_t n = strlen(srpm);
	static const char *const ends[] = {".src.rpm", ".nosrc.rpm"};
	for (size_t i = 0; i < 2; i++) {
		size_t k = strlen(ends[i]);
		if (n > k && !strcmp(srpm + n - k, ends[i])) {
			n -= k;
			break;
		}
	}
	/* the release after the last '-', the version after the one before it */
	size_t r = n, v;
	while (r > 0 && srpm[r - 1] != '-')
		r--;
	v = r > 0 ? r - 1 : 0;
	while (v > 0 && srpm[v - 1] != '-')
		v--;
	if (r == 0 || v == 0) { /* not NAME-VERSION-RELEASE: keep it whole */
		snprintf(name, nlen, "%.*s", (int)n, srpm);
		vr[0] = 0;
		return;
	}
	snprintf(name, nlen, "%.*s", (int)(v - 1), srpm);
	snprintf(vr, vlen, "%.*s", (int)(n - v), srpm + v);
}

/* header - rpm_parse_header, naming ROW ("package 12") after WHERE in errors if not NULL */
static int header(const unsigned char *blob, size_t len, const char *where, const char *row,
		  struct sbom *s, struct mr_err *err)
{
	char name[700];
	snprintf(name, sizeof(name), "%s%s%s", where, row ? ": " : "", row ? row : "");
	const char *at = name;
	if (len < 8)
		return mr_failk(err, MR_E_INVALID, 0,
				"%s: a header of %zu bytes: too short for an RPM header", at, len);
	uint32_t il = be32(blob), dl = be32(blob + 4);
	/* rpm's own limits (header_internal.h): 0xffff entries, 256 MiB of data */
	if (il == 0 || il > 0xffff || dl > 256u << 20 || 8 + (size_t)il * 16 + dl > len)
		return mr_failk(err, MR_E_INVALID, 0,
				"%s: %u index entries and %u data bytes do not fit the header's "
				"%zu bytes: not an RPM header, or a damaged one",
				at, il, dl, len);
	const unsigned char *index = blob + 8, *data = index + (size_t)il * 16;
	struct hdr h = {"", "", "", "", "", "", -1};
	for (uint32_t i = 0; i < il; i++) {
		const unsigned char *e = index + (size_t)i * 16;
		uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8);
		const char **str = tag == TAG_NAME        ? &h.name
				   : tag == TAG_VERSION   ? &h.version
				   : tag == TAG_RELEASE   ? &h.release
				   : tag == TAG_LICENSE   ? &h.license
				   : tag == TAG_ARCH      ? &h.arch
				   : tag == TAG_SOURCERPM ? &h.sourcerpm
							  : NULL;
		if (str && type == TYPE_STRING) {
			if (off >= dl || !memchr(data + off, 0, dl - off))
				return mr_failk(err, MR_E_INVALID, 0,
						"%s: tag %u's string runs past the header's data: "
						"a damaged header",
						at, tag);
			*str = (const char *)data + off;
		} else if (tag == TAG_EPOCH && type == TYPE_INT32) {
			if ((size_t)off + 4 > dl)
				return mr_failk(err, MR_E_INVALID, 0,
						"%s: the epoch lies past the header's data: a "
						"damaged header",
						at);
			h.epoch = (long)be32(data + off);
		}
	}
	if (!h.name[0] || !h.version[0])
		return mr_failk(err, MR_E_INVALID, 0,
				"%s: a header without %s: not a package's header", at,
				h.name[0] ? "VERSION" : "NAME");
	if (!strcmp(h.name, "gpg-pubkey"))
		return 0; /* a trusted key, not a package */
	char evr[600], srcname[256] = "", srcvr[512] = "", srcevr[600];
	char epoch[24] = "";
	if (h.epoch >= 0)
		snprintf(epoch, sizeof(epoch), "%ld:", h.epoch);
	snprintf(evr, sizeof(evr), "%s%s%s%s", epoch, h.version, h.release[0] ? "-" : "",
		 h.release);
	if (h.sourcerpm[0])
		source_of(h.sourcerpm, srcname, sizeof(srcname), srcvr, sizeof(srcvr));
	snprintf(srcevr, sizeof(srcevr), "%s%s", epoch, srcvr);
	struct pkg p = {PKG_RPM,
			(char *)h.name,
			evr,
			(char *)h.arch,
			srcname[0] ? srcname : (char *)h.name,
			srcvr[0] ? srcevr : evr,
			(char *)where,
			(char *)h.license};
	return sbom_add(s, &p, err);
}

int rpm_parse_header(const unsigned char *blob, size_t len, const char *where, struct sbom *s,
		     struct mr_err *err)
{
	return header(blob, len, where, NULL, s, err);
}

int rpm_parse_sqlite(const char *file, size_t len, const char *where, struct sbom *s,
		     struct mr_err *err)
{
	/* a copy the database may own: SQLite reads the bytes in place */
	unsigned char *buf = sqlite3_malloc64(len ? len : 1);
	if (!buf)
		return mr_fail(err, ENOMEM, "%s", where);
	memcpy(buf, file, len);
	/* bytes 18 and 19 are the write and read format: 2 is WAL, which an in-memory
	 * database cannot do; 1 (rollback journal) reads the same main file */
	if (len >= 100 && !memcmp(buf, "SQLite format 3", 16) && buf[18] == 2 && buf[19] == 2)
		buf[18] = buf[19] = 1;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1, r;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_free(buf);
		mr_fail(err, ENOMEM, "%s: sqlite: %s", where,
			db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	r = sqlite3_deserialize(db, "main", buf, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	if (r != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &st,
			       NULL) != SQLITE_OK) {
		mr_failk(err, MR_E_INVALID, 0,
			 "%s: not an rpm SQLite database (%s): the image's rpmdb is damaged", where,
			 sqlite3_errmsg(db));
		goto out;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char row[64];
		snprintf(row, sizeof(row), "package %lld", (long long)sqlite3_column_int64(st, 0));
		const void *blob = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		if (header(blob ? blob : (const void *)"", blob ? (size_t)n : 0, where, row, s,
			   err) < 0)
			goto out;
	}
	if (r != SQLITE_DONE) {
		mr_failk(err, MR_E_INVALID, 0, "%s: reading the Packages table: %s", where,
			 sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
