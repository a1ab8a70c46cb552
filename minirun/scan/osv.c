/*
 * minirun/scan/osv.c - advisories in the OSV format, read from files the user downloaded.
 *
 * An OSV record names what is affected by ecosystem, package and version ranges:
 *
 *   {"id": "DSA-5532-1", "summary": "openssl - security update",
 *    "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
 *                  "ranges": [{"type": "ECOSYSTEM",
 *                              "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}],
 *                  "ecosystem_specific": {"urgency": "high"}}],
 *    "database_specific": {"severity": "HIGH"}}
 *
 * Only ECOSYSTEM ranges are read (a Debian, Alpine or RPM version is only ordered by its
 * own ecosystem's rules: debver.c, apkver.c, rpmver.c); SEMVER and GIT ranges name upstream code, not
 * packages. A severity level is taken from, in order: the package's ecosystem_specific
 * "severity" or "urgency" (Debian's), its database_specific "severity", the record's
 * database_specific "severity" (GitHub's CRITICAL/HIGH/MODERATE/LOW). Records that carry
 * only a CVSS vector are UNKNOWN: no score is computed here.
 *
 * Inputs: a directory of *.json (one record each, as osv.dev's all.zip unpacks), a .json
 * file holding one record or an array of them, or a .zip of records (osv.dev's
 * per-ecosystem all.zip, read with libarchive, which minirun opens only then).
 *
 * See: https://ossf.github.io/osv-schema/ ("affected", "ranges", "events"), README.md.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/scan/scan.h"

#define MAX_MEMBER (64 << 20) /* one record file in a zip: osv.dev's are a few KiB */

static const char *const sev_names[SEV_COUNT] = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

const char *severity_name(enum severity s)
{
	return s < SEV_COUNT ? sev_names[s] : "UNKNOWN";
}

int severity_parse(const char *name)
{
	static const struct {
		const char *word;
		enum severity sev;
	} words[] = {
		{"critical", SEV_CRITICAL}, {"high", SEV_HIGH},       {"medium", SEV_MEDIUM},
		{"moderate", SEV_MEDIUM},   {"low", SEV_LOW},         {"unimportant", SEV_LOW},
		{"negligible", SEV_LOW},    {"unknown", SEV_UNKNOWN},
	};
	size_t n = strcspn(name, "*"); /* Debian marks some urgencies "low*", "medium**" */
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == n && !strncasecmp(words[i].word, name, n))
			return (int)words[i].sev;
	return -1;
}

/* level - the severity named by O's KEY (o may be NULL); -1 if none */
static int level(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? severity_parse(v) : -1;
}

void osv_db_free(struct osv_db *db)
{
	for (size_t i = 0; i < db->nadvs; i++) {
		free(db->advs[i].id);
		free(db->advs[i].summary);
	}
	for (size_t i = 0; i < db->naff; i++) {
		struct osv_affected *a = &db->aff[i];
		free(a->ecosystem);
		free(a->name);
		for (size_t k = 0; k < a->nevents; k++)
			free(a->events[k].version);
		free(a->events);
		for (size_t k = 0; k < a->nversions; k++)
			free(a->versions[k]);
		free(a->versions);
	}
	free(db->advs);
	free(db->aff);
	memset(db, 0, sizeof(*db));
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? 2 * *cap : 64;
	void *nv = realloc(*v, c * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = c;
	return 0;
}

/* affected - one element A of a record's "affected" into DB (advisory index ADV) */
static int affected(struct osv_db *db, size_t adv, json_t *a, const char *where, const char *id,
		    struct mr_err *err)
{
	json_t *pkg = json_object_get(a, "package"), *ranges = json_object_get(a, "ranges"), *r;
	const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
	const char *name = json_string_value(json_object_get(pkg, "name"));
	size_t i;
	if (!json_is_object(a) || !eco || !name)
		return mr_failk(err, MR_E_INVALID, 0,
				"%s: %s: each \"affected\" needs a \"package\" with \"ecosystem\" "
				"and \"name\" strings",
				where, id);
	if (ranges && !json_is_array(ranges))
		return mr_failk(err, MR_E_INVALID, 0, "%s: %s: \"ranges\" must be an array", where,
				id);
	json_t *versions = json_object_get(a, "versions");
	if (versions && !json_is_array(versions))
		return mr_failk(err, MR_E_INVALID, 0, "%s: %s: \"versions\" must be an array",
				where, id);
	int sev = level(json_object_get(a, "ecosystem_specific"), "severity");
	if (sev < 0)
		sev = level(json_object_get(a, "ecosystem_specific"), "urgency");
	if (sev < 0)
		sev = level(json_object_get(a, "database_specific"), "severity");
	/* one entry per ECOSYSTEM range; an entry of its own for a bare "versions" list */
	size_t nr = json_array_size(ranges), made = 0;
	for (size_t k = 0; k <= nr; k++) {
		r = json_array_get(ranges, k);
		const char *type = json_string_value(json_object_get(r, "type"));
		json_t *events = json_object_get(r, "events"), *e;
		if (k < nr && (!type || !json_is_array(events)))
			return mr_failk(err, MR_E_INVALID, 0,
					"%s: %s: each range needs a \"type\" and an \"events\" "
					"array",
					where, id);
		if (k < nr && strcmp(type, "ECOSYSTEM"))
			continue;
		if (k == nr && (made || !json_array_size(versions)))
			break;
		if (grow((void **)&db->aff, &db->capaff, db->naff, sizeof(*db->aff)) < 0)
			return mr_fail(err, ENOMEM, "%s", where);
		struct osv_affected *o = &db->aff[db->naff];
		memset(o, 0, sizeof(*o));
		o->adv = adv;
		o->severity = sev < 0 ? db->advs[adv].severity : (enum severity)sev;
		o->ecosystem = strdup(eco);
		o->name = strdup(name);
		db->naff++;
		if (!o->ecosystem || !o->name)
			return mr_fail(err, ENOMEM, "%s", where);
		made++;
		o->events = calloc(json_array_size(events) + 1, sizeof(*o->events));
		o->versions = calloc(json_array_size(versions) + 1, sizeof(*o->versions));
		if (!o->events || !o->versions)
			return mr_fail(err, ENOMEM, "%s", where);
		json_array_foreach(events, i, e)
		{
			static const struct {
				const char *key;
				char kind;
			} kinds[] = {{"introduced", 'i'}, {"fixed", 'f'}, {"last_affected", 'l'}};
			for (size_t t = 0; t < 3; t++) {
				const char *v = json_string_value(json_object_get(e, kinds[t].key));
				if (!v)
					continue;
				if (!(o->events[o->nevents].version = strdup(v)))
					return mr_fail(err, ENOMEM, "%s", where);
				o->events[o->nevents++].kind = kinds[t].kind;
			}
		}
		json_t *v;
		json_array_foreach(versions, i, v)
		{
			if (json_is_string(v) &&
			    !(o->versions[o->nversions++] = strdup(json_string_value(v))))
				return mr_fail(err, ENOMEM, "%s", where);
		}
	}
	return 0;
}

/* record - one OSV record REC into DB */
static int record(struct osv_db *db, json_t *rec, const char *where, size_t nth, struct mr_err *err)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	json_t *aff = json_object_get(rec, "affected"), *a;
	size_t i;
	if (!json_is_object(rec) || !id)
		return mr_failk(err, MR_E_INVALID, 0,
				"%s: record %zu has no \"id\" string: not an OSV record (see "
				"minirun/scan/README.md for the format)",
				where, nth + 1);
	if (aff && !json_is_array(aff))
		return mr_failk(err, MR_E_INVALID, 0, "%s: %s: \"affected\" must be an array",
				where, id);
	if (grow((void **)&db->advs, &db->capadvs, db->nadvs, sizeof(*db->advs)) < 0)
		return mr_fail(err, ENOMEM, "%s", where);
	struct osv_advisory *adv = &db->advs[db->nadvs];
	const char *summary = json_string_value(json_object_get(rec, "summary"));
	if (!summary)
		summary = json_string_value(json_object_get(rec, "details"));
	int sev = level(json_object_get(rec, "database_specific"), "severity");
	adv->id = strdup(id);
	adv->summary = strndup(summary ? summary : "", 200);
	adv->severity = sev < 0 ? SEV_UNKNOWN : (enum severity)sev;
	db->nadvs++;
	if (!adv->id || !adv->summary)
		return mr_fail(err, ENOMEM, "%s", where);
	/* a summary is one line in a table */
	for (char *c = adv->summary; *c; c++)
		if (*c == '\n' || *c == '\t')
			*c = ' ';
	json_array_foreach(aff, i, a)
	{
		if (affected(db, db->nadvs - 1, a, where, id, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * The Debian security tracker's JSON (security-tracker.debian.org/tracker/data/json) says
 * the same things per source package, CVE and release, and is turned into OSV records here:
 *
 *   {"openssl": {"CVE-2023-5678": {"description": "...",
 *       "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1",
 *                                 "urgency": "low"}}}}}
 *
 * becomes {"id": "CVE-2023-5678", "affected": [{"package": {"ecosystem": "Debian:12",
 * "name": "openssl"}, "ranges": [... introduced 0, fixed 3.0.13-1~deb12u1]}]}; "open" and
 * "undetermined" are unfixed; "resolved" at version 0 means the release never had the bug.
 */
static const struct {
	const char *codename, *number;
} debian_releases[] = {
	{"buster", "10"}, {"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},
};

/* tracker_like - is DOC the tracker's {package: {CVE: {"releases": ...}}}? */
static int tracker_like(json_t *doc)
{
	void *it = json_object_iter(doc);
	if (!it || json_object_get(doc, "id"))
		return 0;
	json_t *cves = json_object_iter_value(it);
	void *c = json_is_object(cves) ? json_object_iter(cves) : NULL;
	return c && json_is_object(json_object_get(json_object_iter_value(c), "releases"));
}

/* tracker_record - the OSV record of package PKG's entry ENT about CVE (NULL: nothing
 * affected in a release known here) */
static json_t *tracker_record(const char *pkg, const char *cve, json_t *ent)
{
	json_t *aff = json_array();
	for (size_t r = 0; r < sizeof(debian_releases) / sizeof(debian_releases[0]); r++) {
		json_t *rel = json_object_get(json_object_get(ent, "releases"),
					      debian_releases[r].codename);
		const char *status = json_string_value(json_object_get(rel, "status"));
		const char *fixed = json_string_value(json_object_get(rel, "fixed_version"));
		const char *urgency = json_string_value(json_object_get(rel, "urgency"));
		if (!status || !strcmp(status, "not-affected") ||
		    (!strcmp(status, "resolved") && (!fixed || !strcmp(fixed, "0"))))
			continue;
		char eco[32];
		snprintf(eco, sizeof(eco), "Debian:%s", debian_releases[r].number);
		json_t *events = json_pack("[{s:s}]", "introduced", "0");
		if (!strcmp(status, "resolved"))
			json_array_append_new(events, json_pack("{s:s}", "fixed", fixed));
		json_array_append_new(aff, json_pack("{s:{s:s, s:s}, s:[{s:s, s:o}], s:{s:s}}",
						     "package", "ecosystem", eco, "name", pkg,
						     "ranges", "type", "ECOSYSTEM", "events",
						     events, "ecosystem_specific", "urgency",
						     urgency ? urgency : "unknown"));
	}
	if (!json_array_size(aff)) {
		json_decref(aff);
		return NULL;
	}
	const char *desc = json_string_value(json_object_get(ent, "description"));
	return json_pack("{s:s, s:s, s:o}", "id", cve, "summary", desc ? desc : "", "affected",
			 aff);
}

static int tracker_load(struct osv_db *db, json_t *doc, const char *where, struct mr_err *err)
{
	const char *pkg, *cve;
	json_t *cves, *ent;
	size_t nth = 0;
	json_object_foreach(doc, pkg, cves)
	{
		json_object_foreach(cves, cve, ent)
		{
			json_t *rec = tracker_record(pkg, cve, ent);
			int rc = rec ? record(db, rec, where, nth++, err) : 0;
			json_decref(rec);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

int osv_load_json(struct osv_db *db, const char *text, size_t len, const char *where,
		  struct mr_err *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, 0, &je), *rec;
	size_t i;
	int rc = 0;
	if (!doc)
		return mr_failk(err, MR_E_INVALID, 0, "%s:%d:%d: %s: not JSON", where, je.line,
				je.column, je.text);
	if (json_is_array(doc)) {
		json_array_foreach(doc, i, rec)
		{
			if ((rc = record(db, rec, where, i, err)) < 0)
				break;
		}
	} else if (tracker_like(doc))
		rc = tracker_load(db, doc, where, err);
	else
		rc = record(db, doc, where, 0, err);
	json_decref(doc);
	db->files++;
	return rc;
}

/* load_zip - every *.json member of the zip PATH */
static int load_zip(struct osv_db *db, const char *path, struct mr_err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int rc = 0, r;
	if (!a)
		return mr_fail(err, ENOMEM, "%s", path);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 64 << 10) != ARCHIVE_OK) {
		rc = mr_failk(err, MR_E_INVALID, archive_errno(a), "%s: %s", path,
			      archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		size_t n = name ? strlen(name) : 0, len = 0, cap = 0;
		char where[4400], *buf = NULL;
		la_ssize_t got;
		if (n < 5 || strcmp(name + n - 5, ".json"))
			continue;
		snprintf(where, sizeof(where), "%s:%s", path, name);
		/* read to the member's end, not to the size its header claims: a zip written
		 * as a stream has no size there, and a header may lie */
		do {
			if (len == cap) {
				char *nb = cap >= MAX_MEMBER ? NULL
							     : realloc(buf, cap ? 2 * cap : 8192);
				if (!nb) {
					free(buf);
					rc = mr_failk(
						err, MR_E_INVALID, cap >= MAX_MEMBER ? 0 : ENOMEM,
						"%s: larger than %d MiB", where, MAX_MEMBER >> 20);
					break;
				}
				buf = nb;
				cap = cap ? 2 * cap : 8192;
			}
			got = archive_read_data(a, buf + len, cap - len);
			if (got > 0)
				len += (size_t)got;
		} while (got > 0);
		if (rc < 0)
			break;
		if (got < 0) {
			rc = mr_failk(err, MR_E_INVALID, 0, "%s: %s", where,
				      archive_error_string(a));
			free(buf);
			break;
		}
		rc = osv_load_json(db, buf ? buf : "", len, where, err);
		free(buf);
		if (rc < 0)
			break;
	}
	if (rc == 0 && r != ARCHIVE_EOF)
		rc = mr_failk(err, MR_E_INVALID, 0, "%s: %s", path, archive_error_string(a));
	archive_read_free(a);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static int load_file(struct osv_db *db, const char *path, struct mr_err *err)
{
	if (ends_with(path, ".zip"))
		return load_zip(db, path, err);
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (mr_read_file(path, &text, &len, err) < 0)
		return -1;
	return osv_load_json(db, text, len, path, err);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int osv_load_path(struct osv_db *db, const char *path, struct mr_err *err)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return mr_failk(err, errno == ENOENT ? MR_E_NOT_FOUND : MR_E_SYSTEM, errno,
				"advisories '%s'", path);
	if (!S_ISDIR(st.st_mode))
		return load_file(db, path, err);
	_cleanup_closedir_ DIR *d = opendir(path);
	if (!d)
		return mr_fail(err, errno, "advisories '%s'", path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    !(ends_with(e->d_name, ".json") || ends_with(e->d_name, ".zip")))
			continue;
		if (grow((void **)&names, &cap, n, sizeof(*names)) < 0 ||
		    !(names[n] = strdup(e->d_name))) {
			rc = mr_fail(err, ENOMEM, "%s", path);
			break;
		}
		n++;
	}
	if (names)
		qsort(names, n, sizeof(*names), by_str);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char file[4400];
		snprintf(file, sizeof(file), "%s/%s", path, names[i]);
		rc = load_file(db, file, err);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
