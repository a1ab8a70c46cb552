/*
 * minirun/scan/scan.h - what is in an image, and what in it is vulnerable: `minirun sbom`,
 * `minirun scan` and `minirun image layers`, read from the image's layers without running it.
 *
 *   minirun sbom debian:bookworm --format spdx-json
 *   minirun scan --db ~/osv --severity HIGH,CRITICAL --exit-code 1 debian:bookworm
 *
 * The pieces, each in a file of its own:
 *
 *   rootview.c     an image's merged files, read layer by layer (whiteouts honoured)
 *   rootwalk.c     the whole merged tree, walked once
 *   langpkgs.c     Python (dist-info, egg-info) and npm (node_modules) packages
 *   osrelease.c    etc/os-release: which distribution, which release
 *   dpkg.c, apk.c  the package databases: var/lib/dpkg/status (+ status.d/), and
 *                  lib/apk/db/installed
 *   rpm.c          the SQLite rpmdb (rpmdb.sqlite): RPM headers read through libsqlite3
 *   debver.c       dpkg's version ordering (deb-version(7))
 *   apkver.c       apk's version ordering (apk-tools' version.c rules)
 *   rpmver.c       rpm's version ordering (rpmvercmp, and epoch:version-release)
 *   sbom.c         the inventory: collect, purls, table / SPDX 2.3 / CycloneDX 1.5
 *   osv.c          advisories as OSV records (a directory, a JSON array, a zip), or as
 *                  the Debian security tracker's JSON
 *   match.c        packages x advisories -> findings (by each ecosystem's ordering)
 *   report.c       findings as a table, JSON or SARIF
 *   outdated.c     `scan --outdated`: security updates in the host's apt lists
 *   layers.c       `image layers`: where the bytes go, layer by layer
 *   commands.c     the verbs: sbom, scan, scan db import
 *
 * Errors: library functions return -1 and fill struct mr_err (lib/err.h); the cmd_*
 * functions print one line and return the exit status.
 *
 * See: README.md here; deb-version(7); https://ossf.github.io/osv-schema/;
 *      https://spdx.github.io/spdx-spec/v2.3/; https://cyclonedx.org/docs/1.5/json/
 */
#ifndef MR_SCAN_H
#define MR_SCAN_H

#include <stddef.h>
#include <sys/stat.h>

#include "lib/cmd.h"
#include "lib/err.h"

/* ---- the commands ---------------------------------------------------------------------- */

/* sbom, scan ({NULL}-terminated rows for main.c's dispatcher) */
extern const struct mr_command scan_commands[];
int cmd_sbom(int argc, char **argv);
int cmd_scan(int argc, char **argv); /* also `scan db import FILE` */
/* `image layers IMAGE [--tree N]` (layers.c): where an image's bytes go, layer by layer */
int cmd_image_layers(int argc, char **argv);

/* ---- version ordering ------------------------------------------------------------------ */

/* deb_version_cmp - <0, 0, >0 as A sorts before, with, or after B by dpkg's rules:
 * [epoch:]upstream[-revision], each part compared as deb-version(7) says. A and B should be
 * valid (deb_version_valid); an invalid one is compared as best it can be, never crashes. */
int deb_version_cmp(const char *a, const char *b);
/* deb_version_valid - 1 if V is a version dpkg accepts: an optional numeric epoch, an
 * upstream part starting with a digit, of [A-Za-z0-9.+~-] (a '-' only with a revision),
 * an optional revision of [A-Za-z0-9.+~]. */
int deb_version_valid(const char *v);

/* apk_version_cmp - <0, 0, >0 by apk's rules: digit{.digit}...{letter}{_suffix{#}}...
 * {~hash}{-r#}, suffixes _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg <
 * _p. An invalid version compares as apk compares it: by the tokens before the bad one. */
int apk_version_cmp(const char *a, const char *b);
/* apk_version_valid - 1 if V follows the grammar above */
int apk_version_valid(const char *v);

/* rpm_version_cmp - <0, 0, >0 by rpm's rules over [EPOCH:]VERSION[-RELEASE]: the epoch as a
 * number (none: 0), then version and release by rpmvercmp (segments of digits or letters,
 * '~' before everything, '^' after the end only). Any string compares. */
int rpm_version_cmp(const char *a, const char *b);

/* ---- what is installed ----------------------------------------------------------------- */

enum pkg_type { PKG_DEB = 1, PKG_APK, PKG_PYPI, PKG_NPM, PKG_RPM };

struct pkg {
	enum pkg_type type;
	char *name;
	char *version;
	char *arch;           /* "amd64", "x86_64", "all"; "" if none */
	char *source;         /* deb: Source's name (else the name); apk: o: origin;
				 rpm: SOURCERPM's name */
	char *source_version; /* deb: Source's "(version)" if given, else version; apk: version;
				 rpm: SOURCERPM's version-release (with the epoch) */
	char *where;          /* the database file it came from: "var/lib/dpkg/status" */
	char *license;        /* as the package database says it (rpm's LICENSE); "" if not */
};

struct os_release {
	char id[64];         /* "debian", "alpine", "ubuntu" ("" if unknown) */
	char version_id[64]; /* "12", "3.19.1" */
	char codename[64];   /* "bookworm" */
	char pretty[256];    /* "Debian GNU/Linux 12 (bookworm)" */
};

struct sbom {
	char image[512];   /* as the user named it */
	char image_id[80]; /* "sha256:..." */
	struct os_release os;
	struct pkg *pkgs;
	size_t n, cap;
};

void sbom_free(struct sbom *s);
/* sbom_add - append a copy of P's strings (NULL -> ""); -1 with err on ENOMEM */
int sbom_add(struct sbom *s, const struct pkg *p, struct mr_err *err);

/* os_release_parse - KEY=VALUE lines (values unquoted per os-release(5)) into OS. */
void os_release_parse(const char *text, struct os_release *os);

/* dpkg_parse_status - the installed packages of a dpkg status file TEXT (one stanza per
 * package, RFC 822-like, continuation lines start with a blank) appended to S; WHERE names
 * the file in errors and in pkg.where. Stanzas whose Status is not "... installed" (removed,
 * config-files, half-installed) are skipped. -1 with err naming WHERE and the line for a
 * stanza without Package or Version, or an invalid version. */
int dpkg_parse_status(const char *text, const char *where, struct sbom *s, struct mr_err *err);

/* apk_parse_installed - lib/apk/db/installed (blank-line separated records of "X:value"
 * lines: P name, V version, A arch, o origin) appended to S, as dpkg_parse_status. */
int apk_parse_installed(const char *text, const char *where, struct sbom *s, struct mr_err *err);

/* rpm_parse_header - one RPM header BLOB of LEN bytes (the Packages table's blob: index
 * count, data length, index entries, data store, big-endian) appended to S as a package
 * ([EPOCH:]VERSION-RELEASE, ARCH, SOURCERPM's name and version, LICENSE); a gpg-pubkey
 * header is skipped. -1 with err naming WHERE for a header too short or inconsistent. */
int rpm_parse_header(const unsigned char *blob, size_t len, const char *where, struct sbom *s,
		     struct mr_err *err);
/* rpm_parse_sqlite - every header of the SQLite rpmdb whose bytes are FILE (LEN long),
 * read in memory (the file is not touched); -1 with err naming WHERE and the row. */
int rpm_parse_sqlite(const char *file, size_t len, const char *where, struct sbom *s,
		     struct mr_err *err);

/* ---- reading an image's files ---------------------------------------------------------- */

/* The merged view of an image's unpacked layers (image.h: ROOT/layers/sha256/DIFFID, in
 * overlay form: a whiteout is a char device 0/0, an opaque directory has the xattr
 * trusted.overlay.opaque=y), read the way overlayfs would show it, without mounting. */
struct rootview {
	char **dirs; /* the layer directories, top-most first */
	size_t n;
};

/* rootview_read - the file PATH (relative to the image's /, symlinks followed inside the
 * image, at most 40) into a new NUL-terminated buffer (at most 256 MiB) the caller frees.
 * Returns 0, 1 when the merged tree has no such file (never there, or removed by a later
 * layer), -1 with err for a read error. */
int rootview_read(const struct rootview *v, const char *path, char **out, size_t *len,
		  struct mr_err *err);
/* rootview_list - the names in directory DIR of the merged tree, sorted, as a
 * NULL-terminated array the caller frees with rootview_names_free (an absent DIR: an empty
 * array). -1 with err on a read error. */
int rootview_list(const struct rootview *v, const char *dir, char ***names, struct mr_err *err);
void rootview_names_free(char **names);
/* rootview_lookup - which layer's entry the merged tree shows at PATH (a path as stored in
 * a layer: no symlink is followed, not even on the way): 1 with its index in *layer and
 * its lstat in *st (may be NULL), 0 when the merged tree has nothing there. */
int rootview_lookup(const struct rootview *v, const char *path, size_t *layer, struct stat *st,
		    struct mr_err *err);

/* rootview_walk - every directory of the merged tree, depth first, names in order, from
 * the root (rootwalk.c): VISIT gets the directory's path ("" for the root) and its merged
 * entries (whiteouts dropped, symlinks never followed), and returns 1 to go on into the
 * subdirectories (but those it marks skip), 0 not to, -1 (err filled) to stop the walk. */
struct rootview_entry {
	char *name;
	unsigned char isdir; /* the merged entry is a directory */
	unsigned char skip;  /* set by VISIT: do not descend into this one */
};
typedef int (*rootview_visit)(const char *dir, struct rootview_entry *ents, size_t n, void *arg);
int rootview_walk(const struct rootview *v, rootview_visit visit, void *arg, struct mr_err *err);

/* sbom_collect - fill S from the files of V: os-release, dpkg's status and status.d/,
 * apk's installed, rpm's rpmdb.sqlite, language packages (lang_collect); sorted by name, then version. */
int sbom_collect(const struct rootview *v, struct sbom *s, struct mr_err *err);
/* lang_collect - the language packages of V's whole tree (langpkgs.c): Python's
 * NAME.dist-info/METADATA and NAME.egg-info/PKG-INFO, npm's node_modules/[@SCOPE/]NAME/
 * package.json; appended to S */
int lang_collect(const struct rootview *v, struct sbom *s, struct mr_err *err);
/* sbom_image - resolve IMAGE in the store at ROOT, unpack missing layers, collect. */
int sbom_image(const char *root, const char *image, struct sbom *s, struct mr_err *err);

/* sbom_os_name - "debian 12", or "unknown OS" when the image has no os-release */
void sbom_os_name(const struct sbom *s, char *buf, size_t len);
/* pkg_purl - the package URL of P in S's distribution into BUF:
 * pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12 */
void pkg_purl(const struct sbom *s, const struct pkg *p, char *buf, size_t len);

enum sbom_format { SBOM_TABLE, SBOM_SPDX, SBOM_CYCLONEDX };
/* sbom_print - S on stdout in FORMAT */
int sbom_print(const struct sbom *s, enum sbom_format format, struct mr_err *err);

/* ---- advisories ------------------------------------------------------------------------ */

enum severity { SEV_UNKNOWN, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL, SEV_COUNT };
const char *severity_name(enum severity s);
/* severity_parse - "high" or "HIGH" -> SEV_HIGH; -1 if not a level */
int severity_parse(const char *name);

/* One affected range of one advisory: ECOSYSTEM ("Debian:12"), the package NAME, and the
 * events of one OSV ECOSYSTEM range, in order ("introduced" 0, "fixed" 1.2-3, ...). */
struct osv_event {
	char kind; /* 'i' introduced, 'f' fixed, 'l' last_affected */
	char *version;
};
struct osv_affected {
	size_t adv; /* index into db.advs */
	char *ecosystem, *name;
	struct osv_event *events;
	size_t nevents;
	char **versions; /* the "versions" list: explicitly affected */
	size_t nversions;
	enum severity severity; /* this package's (ecosystem_specific), else the advisory's */
};
struct osv_advisory {
	char *id, *summary;
	enum severity severity;
};
struct osv_db {
	struct osv_advisory *advs;
	size_t nadvs, capadvs;
	struct osv_affected *aff;
	size_t naff, capaff;
	size_t files; /* how many files were read */
};
void osv_db_free(struct osv_db *db);
/* osv_load_json - the OSV record(s) in TEXT (one object, or an array of them) into DB;
 * WHERE names the input in errors ("x.json: line 3: ..."). */
int osv_load_json(struct osv_db *db, const char *text, size_t len, const char *where,
		  struct mr_err *err);
/* osv_load_path - a file (*.json, or *.zip of *.json as osv.dev publishes them), or a
 * directory of such files (not recursive) into DB. */
int osv_load_path(struct osv_db *db, const char *path, struct mr_err *err);

/* ---- matching -------------------------------------------------------------------------- */

struct finding {
	const struct pkg *pkg;
	const struct osv_advisory *adv;
	const char *fixed; /* the first fixed version above the installed one; NULL: unfixed */
	enum severity severity;
};
struct findings {
	struct finding *v;
	size_t n, cap;
};

/* osv_ecosystem - "Debian:12" / "Alpine:v3.19" / "Rocky Linux:9" / "AlmaLinux:9" /
 * "Red Hat:enterprise_linux:9" for OS ("" when no OSV ecosystem fits) */
void osv_ecosystem(const struct os_release *os, char *buf, size_t len);
/* osv_affects - is VERSION (of ecosystem ECO, "Debian:12") inside A's ranges? 1 and the
 * fixed version (or NULL) in *fixed; 0 if not */
int osv_affects(const struct osv_affected *a, const char *eco, const char *version,
		const char **fixed);

struct match_opts {
	unsigned severities; /* a bit per enum severity to keep; 0: all */
	int ignore_unfixed;  /* drop findings without a fixed version */
	char **ignore;       /* ids to drop (NULL-terminated, may be NULL) */
};
/* scan_match - every (package, advisory) pair of S and DB that O keeps, sorted by
 * severity (highest first), package, then id. */
int scan_match(const struct sbom *s, const struct osv_db *db, const struct match_opts *o,
	       struct findings *out, struct mr_err *err);
void findings_free(struct findings *f);

/* ignore_file_load - ids of PATH (one a line, '#' comments) as a NULL-terminated array;
 * a missing file is an empty list unless REQUIRED */
int ignore_file_load(const char *path, int required, char ***ids, struct mr_err *err);

enum report_format { REPORT_TABLE, REPORT_JSON, REPORT_SARIF };
int report_print(const struct sbom *s, const struct findings *f, enum report_format format,
		 struct mr_err *err);

/* ---- security updates in the host's apt lists (outdated.c) ------------------------------ */

struct outdated {
	char **newest; /* per package of the sbom (same index): the newest security version
			  above the installed one, or NULL */
	char **suite;  /* and the suite it is in ("bookworm-security") */
	size_t count;  /* the sbom's package count (the arrays' length) */
	size_t n;      /* how many packages have an update */
	size_t lists;  /* how many security package lists were read */
};
/* outdated_check - S's Debian packages against every *-security Packages list in apt's
 * directory LISTS (/var/lib/apt/lists), compressed or not. -1 with err (MR_E_NOT_FOUND if
 * LISTS is missing); out->lists == 0 means no security suite was found there. */
int outdated_check(const struct sbom *s, const char *lists, struct outdated *out,
		   struct mr_err *err);
void outdated_free(struct outdated *o);

#endif
