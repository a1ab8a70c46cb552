/*
 * minirun/scan/outdated.c - `minirun scan --outdated IMAGE`: which of an image's Debian
 * packages have a security update, by the host's own apt package lists. No advisory data
 * is needed: a newer version in the security suite *is* the advisory.
 *
 * apt keeps one index per suite, component and architecture in /var/lib/apt/lists/, named
 * after its URL, often compressed (apt's lz4 or gz):
 *
 *   deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4
 *                                        ^^^^^^^^^^^^^^^^^ the suite
 *
 * Each is deb822 stanzas like dpkg's status file (Package, Version, Architecture; no
 * Status), so dpkg.c reads them. A package of the image is reported when a list of a
 * security suite (a name ending in "-security") has the same package, for its
 * architecture or "all", at a version above the installed one by dpkg's ordering; the
 * newest such version is shown. The lists are as fresh as the host's last `apt-get update`.
 *
 * See: apt-get(8) ("update"), sources.list(5), /usr/share/doc/apt/ ("Acquire::GzipIndexes"),
 *      https://www.debian.org/security/ ("bookworm-security").
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "minirun/scan/scan.h"

#define MAX_INDEX (512u << 20)

/* read_index - PATH, decompressed whatever apt compressed it with, as a new string */
static int read_index(const char *path, char **out, size_t *len, struct mr_err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	la_ssize_t got = 0;
	if (!a)
		return mr_fail(err, ENOMEM, "%s", path);
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, path, 64 << 10) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		int rc = mr_fail(err, archive_errno(a), "read '%s': %s", path,
				 archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	do {
		if (n + 1 >= cap) {
			char *nb = cap >= MAX_INDEX ? NULL : realloc(buf, cap ? 2 * cap : 1 << 20);
			if (!nb) {
				free(buf);
				archive_read_free(a);
				return mr_fail(err, ENOMEM, "read '%s': larger than %u MiB", path,
					       MAX_INDEX >> 20);
			}
			buf = nb;
			cap = cap ? 2 * cap : 1 << 20;
		}
		got = archive_read_data(a, buf + n, cap - n - 1);
		if (got > 0)
			n += (size_t)got;
	} while (got > 0);
	if (got < 0) {
		mr_fail(err, 0, "read '%s': %s", path, archive_error_string(a));
		free(buf);
		archive_read_free(a);
		return -1;
	}
	archive_read_free(a);
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

/* suite_of - "bookworm-security" from an index file's NAME ("" if the name has no
 * "_dists_SUITE_" part) */
static void suite_of(const char *name, char *buf, size_t len)
{
	const char *d = strstr(name, "_dists_");
	if (!d) {
		snprintf(buf, len, "%s", "");
		return;
	}
	d += strlen("_dists_");
	snprintf(buf, len, "%.*s", (int)strcspn(d, "_"), d);
}

static int is_security(const char *suite)
{
	size_t n = strlen(suite), k = strlen("-security");
	return n > k && !strcmp(suite + n - k, "-security");
}

int outdated_check(const struct sbom *s, const char *lists, struct outdated *out,
		   struct mr_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!s->n)
		return 0;
	out->newest = calloc(s->n, sizeof(*out->newest));
	out->suite = calloc(s->n, sizeof(*out->suite));
	out->count = s->n;
	if (!out->newest || !out->suite)
		return mr_fail(err, ENOMEM, "outdated");
	_cleanup_closedir_ DIR *d = opendir(lists);
	if (!d)
		return mr_failk(err, errno == ENOENT ? MR_E_NOT_FOUND : MR_E_SYSTEM, errno,
				"apt lists '%s'", lists);
	struct dirent *e;
	while ((e = readdir(d))) {
		char suite[128], path[4400];
		if (!strstr(e->d_name, "_Packages"))
			continue;
		suite_of(e->d_name, suite, sizeof(suite));
		if (!is_security(suite))
			continue;
		snprintf(path, sizeof(path), "%s/%s", lists, e->d_name);
		_cleanup_free_ char *text = NULL;
		size_t len;
		if (read_index(path, &text, &len, err) < 0)
			return -1;
		struct sbom idx = {0};
		if (dpkg_parse_status(text, path, &idx, err) < 0) {
			sbom_free(&idx);
			return -1;
		}
		out->lists++;
		mr_say("%s: %zu packages (%s)", e->d_name, idx.n, suite);
		/* the image's packages are sorted by name (sbom_collect): a binary search each */
		for (size_t i = 0; i < idx.n; i++) {
			const struct pkg *p = &idx.pkgs[i];
			size_t lo = 0, hi = s->n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (strcmp(s->pkgs[mid].name, p->name) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (size_t k = lo; k < s->n && !strcmp(s->pkgs[k].name, p->name); k++) {
				const struct pkg *q = &s->pkgs[k];
				if (q->type != PKG_DEB ||
				    (strcmp(p->arch, q->arch) && strcmp(p->arch, "all")) ||
				    deb_version_cmp(p->version, q->version) <= 0 ||
				    (out->newest[k] &&
				     deb_version_cmp(p->version, out->newest[k]) <= 0))
					continue;
				free(out->newest[k]);
				free(out->suite[k]);
				out->newest[k] = strdup(p->version);
				out->suite[k] = strdup(suite);
				if (!out->newest[k] || !out->suite[k]) {
					sbom_free(&idx);
					return mr_fail(err, ENOMEM, "outdated");
				}
			}
		}
		sbom_free(&idx);
	}
	for (size_t k = 0; k < s->n; k++)
		out->n += out->newest[k] != NULL;
	return 0;
}

void outdated_free(struct outdated *o)
{
	for (size_t k = 0; k < o->count && o->newest && o->suite; k++) {
		free(o->newest[k]);
		free(o->suite[k]);
	}
	free(o->newest);
	free(o->suite);
	memset(o, 0, sizeof(*o));
}
