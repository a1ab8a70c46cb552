/*
 * minirun/lazy/sqlite_dl.c - libsqlite3, opened on the first call into it (lazylib.h says
 * why).
 *
 * Only `minirun sbom` and `minirun scan` of an image with an rpm database read SQLite (the
 * rpmdb.sqlite of Fedora, RHEL 9 and its rebuilds: minirun/scan/rpm.c); every other start
 * of minirun should not pay for mapping the library. Only minirun/minirun links this file;
 * the unit tests link -lsqlite3.
 *
 * See: https://www.sqlite.org/c3ref/intro.html (the functions below), lazylib.h.
 */
#include "minirun/lazy/lazylib.h"

#include <stddef.h>

#include <sqlite3.h>

static struct mr_lazylib sqlite = {MR_LIB_SQLITE, NULL, NULL};

/* clang-format off */
MR_LAZY(sqlite, void *, sqlite3_malloc64, (sqlite3_uint64 n), (n))
MR_LAZY_VOID(sqlite, sqlite3_free, (void *p), (p))
MR_LAZY(sqlite, int, sqlite3_open_v2, (const char *filename, sqlite3 **db, int flags,
	const char *vfs), (filename, db, flags, vfs))
MR_LAZY(sqlite, int, sqlite3_deserialize, (sqlite3 *db, const char *schema,
	unsigned char *data, sqlite3_int64 size, sqlite3_int64 bufsize, unsigned flags),
	(db, schema, data, size, bufsize, flags))
MR_LAZY(sqlite, int, sqlite3_prepare_v2, (sqlite3 *db, const char *sql, int n,
	sqlite3_stmt **stmt, const char **tail), (db, sql, n, stmt, tail))
MR_LAZY(sqlite, int, sqlite3_step, (sqlite3_stmt *stmt), (stmt))
MR_LAZY(sqlite, sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *stmt, int col), (stmt, col))
MR_LAZY(sqlite, const void *, sqlite3_column_blob, (sqlite3_stmt *stmt, int col), (stmt, col))
MR_LAZY(sqlite, int, sqlite3_column_bytes, (sqlite3_stmt *stmt, int col), (stmt, col))
MR_LAZY(sqlite, const char *, sqlite3_errmsg, (sqlite3 *db), (db))
MR_LAZY(sqlite, int, sqlite3_finalize, (sqlite3_stmt *stmt), (stmt))
MR_LAZY(sqlite, int, sqlite3_close, (sqlite3 *db), (db))
/* clang-format on */
