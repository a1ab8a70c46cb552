/*
 * minirun/scan/match.c - which installed packages an advisory is about, and which of
 * them are below the version that fixes it.
 *
 * A package and an advisory meet when all three agree:
 *
 *   the ecosystem   the image's OS as OSV names it: Debian 12 is "Debian:12", Alpine
 *                   3.19.1 is "Alpine:v3.19" (a record for plain "Debian" fits any release)
 *   the name        Debian's advisories are about source packages: libc6 is matched as
 *                   glibc (its Source:), at the source's version; Alpine's are about the
 *                   origin (o:), at the package's version; Red Hat's, Rocky's and
 *                   AlmaLinux's about the binary package, at its [EPOCH:]VERSION-RELEASE
 *   the version     inside one of the record's ECOSYSTEM ranges, ordered by that
 *                   ecosystem's rules (debver.c, apkver.c, rpmver.c), or listed in
 *                   "versions"
 *
 * A range is a list of events in version order; walking it, "introduced" at or below the
 * installed version opens an affected interval, "fixed" at or below it closes it again
 * (and the first "fixed" above it is the version to upgrade to), "last_affected" below
 * it closes it too. An interval that never closes is unfixed: no fixed version exists.
 *
 * See: https://ossf.github.io/osv-schema/#evaluation (the same walk, as pseudo-code).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/scan/scan.h"

/* the RPM distributions OSV has records for: os-release's ID, the ecosystem's name */
static const struct {
	const char *id, *eco;
} rpm_ecos[] = {
	{"rocky", "Rocky Linux"},
	{"almalinux", "AlmaLinux"},
	{"rhel", "Red Hat:enterprise_linux"},
};

void osv_ecosystem(const struct os_release *os, char *buf, size_t len)
{
	size_t major = strcspn(os->version_id, ".");
	snprintf(buf, len, "%s", "");
	if (!strcmp(os->id, "debian") && os->version_id[0])
		snprintf(buf, len, "Debian:%.*s", (int)major, os->version_id);
	else if (!strcmp(os->id, "alpine") && os->version_id[0]) {
		size_t minor = os->version_id[major]
				       ? major + 1 + strcspn(os->version_id + major + 1, ".")
				       : major;
		snprintf(buf, len, "Alpine:v%.*s", (int)minor, os->version_id);
	} else if (os->version_id[0])
		for (size_t i = 0; i < sizeof(rpm_ecos) / sizeof(rpm_ecos[0]); i++)
			if (!strcmp(os->id, rpm_ecos[i].id))
				snprintf(buf, len, "%s:%.*s", rpm_ecos[i].eco, (int)major,
					 os->version_id);
}

/* eco_type - the package type an ecosystem's records are about */
static enum pkg_type eco_type(const char *eco)
{
	if (!strncmp(eco, "Alpine", 6))
		return PKG_APK;
	if (!strncmp(eco, "Debian", 6))
		return PKG_DEB;
	return PKG_RPM;
}

static int eco_cmp(const char *eco, const char *a, const char *b)
{
	switch (eco_type(eco)) {
	case PKG_APK: return apk_version_cmp(a, b);
	case PKG_RPM: return rpm_version_cmp(a, b);
	default: return deb_version_cmp(a, b);
	}
}

int osv_affects(const struct osv_affected *a, const char *eco, const char *version,
		const char **fixed)
{
	int aff = 0;
	const char *fx = NULL;
	for (size_t i = 0; i < a->nevents; i++) {
		const struct osv_event *e = &a->events[i];
		switch (e->kind) {
		case 'i':
			if (!strcmp(e->version, "0") || eco_cmp(eco, version, e->version) >= 0) {
				aff = 1;
				fx = NULL;
			}
			break;
		case 'f':
			if (!aff)
				break;
			if (eco_cmp(eco, version, e->version) >= 0)
				aff = 0;
			else if (!fx)
				fx = e->version;
			break;
		case 'l':
			if (aff && eco_cmp(eco, version, e->version) > 0)
				aff = 0;
			break;
		}
	}
	for (size_t i = 0; !aff && i < a->nversions; i++)
		aff = eco_cmp(eco, version, a->versions[i]) == 0;
	if (aff && fixed)
		*fixed = fx;
	return aff;
}

void findings_free(struct findings *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* the advisories' entries sorted by name, for a binary search per package */
static const struct osv_db *sort_db;
static int aff_by_name(const void *a, const void *b)
{
	return strcmp(sort_db->aff[*(const size_t *)a].name, sort_db->aff[*(const size_t *)b].name);
}

/* eco_fits - does the record's ecosystem A cover the image's ECO: the same, the
 * distribution alone ("Debian" covers "Debian:12"), or a part of the release (Red Hat's
 * "Red Hat:enterprise_linux:9::appstream" covers "Red Hat:enterprise_linux:9") */
static int eco_fits(const char *a, const char *eco)
{
	size_t n = strcspn(eco, ":"), e = strlen(eco);
	return !strcmp(a, eco) || (strlen(a) == n && !strncmp(a, eco, n)) ||
	       (!strncmp(a, eco, e) && a[e] == ':');
}

static int by_severity(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	int c = strcmp(x->pkg->name, y->pkg->name);
	return c ? c : strcmp(x->adv->id, y->adv->id);
}

static int ignored(const struct match_opts *o, const char *id)
{
	for (size_t i = 0; o->ignore && o->ignore[i]; i++)
		if (!strcmp(o->ignore[i], id))
			return 1;
	return 0;
}

int scan_match(const struct sbom *s, const struct osv_db *db, const struct match_opts *o,
	       struct findings *out, struct mr_err *err)
{
	char eco[80];
	memset(out, 0, sizeof(*out));
	osv_ecosystem(&s->os, eco, sizeof(eco));
	if (!eco[0] || !db->naff)
		return 0;
	_cleanup_free_ size_t *idx = malloc(db->naff * sizeof(*idx));
	if (!idx)
		return mr_fail(err, ENOMEM, "match");
	for (size_t i = 0; i < db->naff; i++)
		idx[i] = i;
	sort_db = db;
	qsort(idx, db->naff, sizeof(*idx), aff_by_name);
	for (size_t p = 0; p < s->n; p++) {
		const struct pkg *pkg = &s->pkgs[p];
		const char *name = pkg->source, *version = pkg->source_version;
		/* the OS's advisories are about the OS's packages, not pip's or npm's */
		if (pkg->type != eco_type(eco))
			continue;
		/* RPM distributions' records name the binary package, at its own EVR */
		if (pkg->type == PKG_RPM)
			name = pkg->name, version = pkg->version;
		/* the first entry of this name: a lower bound by binary search */
		size_t lo = 0, hi = db->naff;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(db->aff[idx[mid]].name, name) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t first = out->n; /* this package's findings start here */
		for (size_t k = lo; k < db->naff && !strcmp(db->aff[idx[k]].name, name); k++) {
			const struct osv_affected *a = &db->aff[idx[k]];
			const struct osv_advisory *adv = &db->advs[a->adv];
			const char *fixed = NULL;
			if (!eco_fits(a->ecosystem, eco) || !osv_affects(a, eco, version, &fixed))
				continue;
			if (ignored(o, adv->id) || (o->ignore_unfixed && !fixed) ||
			    (o->severities && !(o->severities & (1u << a->severity))))
				continue;
			int dup = 0; /* one row per package and advisory */
			for (size_t f = first; f < out->n; f++)
				dup |= out->v[f].adv == adv;
			if (dup)
				continue;
			if (out->n == out->cap) {
				size_t cap = out->cap ? 2 * out->cap : 32;
				struct finding *nv = realloc(out->v, cap * sizeof(*nv));
				if (!nv)
					return mr_fail(err, ENOMEM, "match");
				out->v = nv;
				out->cap = cap;
			}
			out->v[out->n++] = (struct finding){pkg, adv, fixed, a->severity};
		}
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), by_severity);
	return 0;
}

int ignore_file_load(const char *path, int required, char ***ids, struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	*ids = NULL;
	if (mr_read_file(path, &text, NULL, err) < 0) {
		if (!required && errno == ENOENT)
			return 0;
		return -1;
	}
	size_t n = 0;
	char **list = calloc(strlen(text) / 2 + 2, sizeof(*list));
	if (!list)
		return mr_fail(err, ENOMEM, "%s", path);
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "#")] = 0; /* "CVE-2023-1234  # why" */
		line += strspn(line, " \t\r");
		line[strcspn(line, " \t\r")] = 0;
		if (*line && !(list[n++] = strdup(line))) {
			for (size_t i = 0; i < n - 1; i++)
				free(list[i]);
			free(list);
			return mr_fail(err, ENOMEM, "%s", path);
		}
	}
	*ids = list;
	return 0;
}
