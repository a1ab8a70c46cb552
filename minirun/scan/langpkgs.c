/*
 * minirun/scan/langpkgs.c - language packages an image carries beside its OS packages:
 * what pip and npm installed, found where those tools leave their own records.
 *
 *   .../site-packages/requests-2.31.0.dist-info/METADATA    pip (wheels): "Name:" and
 *   .../dist-packages/six-1.16.0.egg-info/PKG-INFO           "Version:" headers (RFC 822,
 *                                                            up to the first empty line)
 *   .../node_modules/express/package.json                   npm: "name" and "version"
 *   .../node_modules/@babel/core/package.json                 (a scope is one level more)
 *
 * The whole merged tree is walked (rootview.c: whiteouts honoured, symlinked directories
 * not followed, so the walk ends), except the kernel's filesystems a container mounts
 * (proc, sys, dev) which hold nothing in an image anyway, and the few directories the
 * FHS gives to documentation and data that no package manager installs code into
 * (unwalked[] below): in a Debian base they are most of its directories (locales, man
 * pages, time zones), and skipping them is what keeps sbom near dpkg-query's speed. Only installed metadata is read:
 * a requirements.txt or package-lock.json says what an app wants, not what is there.
 *
 * scan does not match these against advisories yet: PyPI and npm order versions by their
 * own rules (PEP 440, semver), which are not written here (README.md).
 *
 * See: https://packaging.python.org/en/latest/specifications/core-metadata/,
 *      https://docs.npmjs.com/cli/configuring-npm/package-json, purl-spec (pypi, npm).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/cleanup.h"
#include "minirun/scan/scan.h"

#define MAX_DIRS 200000 /* a walk that would visit more directories stops, saying so */

/* directories never holding a dist-info, egg-info or node_modules: documentation and
 * locale data (FHS 4.11), C headers, dpkg's own per-package files */
static const char *const unwalked[] = {
	"dev",
	"proc",
	"sys",
	"usr/include",
	"usr/lib/locale",
	"usr/share/doc",
	"usr/share/i18n",
	"usr/share/info",
	"usr/share/locale",
	"usr/share/man",
	"usr/share/zoneinfo",
	"var/lib/dpkg/info",
};

static int unwalked_dir(const char *path)
{
	for (size_t i = 0; i < sizeof(unwalked) / sizeof(unwalked[0]); i++)
		if (!strcmp(path, unwalked[i]))
			return 1;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix);
}

/* header - the value of "KEY: value" among the RFC 822 headers of TEXT, into BUF */
static int header(const char *text, const char *key, char *buf, size_t len)
{
	size_t k = strlen(key);
	for (const char *line = text; line && *line && *line != '\n';) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (n > k + 1 && !strncasecmp(line, key, k) && line[k] == ':') {
			const char *v = line + k + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vn = n - (size_t)(v - line);
			while (vn && (v[vn - 1] == '\r' || v[vn - 1] == ' '))
				vn--;
			snprintf(buf, len, "%.*s", (int)vn, v);
			return 1;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

/* python - the package whose metadata directory is DIR (FILE: METADATA or PKG-INFO) */
static int python(const struct rootview *v, const char *dir, const char *file, struct sbom *s,
		  struct mr_err *err)
{
	char path[PATH_MAX], name[256], version[256];
	_cleanup_free_ char *text = NULL;
	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return 0;
	int r = rootview_read(v, path, &text, NULL, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (!header(text, "Name", name, sizeof(name)) ||
	    !header(text, "Version", version, sizeof(version)))
		return 0; /* not metadata pip wrote: nothing to say */
	struct pkg p = {PKG_PYPI, name, version, "", name, version, path, NULL};
	return sbom_add(s, &p, err);
}

/* npm - the package whose directory is DIR (its package.json) */
static int npm(const struct rootview *v, const char *dir, struct sbom *s, struct mr_err *err)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (snprintf(path, sizeof(path), "%s/package.json", dir) >= (int)sizeof(path))
		return 0;
	int r = rootview_read(v, path, &text, &len, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	json_t *doc = json_loadb(text, len, 0, NULL);
	const char *name = json_string_value(json_object_get(doc, "name"));
	const char *version = json_string_value(json_object_get(doc, "version"));
	int rc = 0;
	if (name && version && *name && *version) {
		struct pkg p = {PKG_NPM, (char *)name, (char *)version,
				"",      (char *)name, (char *)version,
				path,    NULL};
		rc = sbom_add(s, &p, err);
	}
	json_decref(doc);
	return rc;
}

struct walk {
	const struct rootview *v;
	struct sbom *s;
	size_t dirs;
	struct mr_err *err;
};

/* visit - one directory DIR of the walk: its package records, and where to go on */
static int visit(const char *dir, struct rootview_entry *e, size_t n, void *arg)
{
	struct walk *w = arg;
	const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	/* the directory above: "node_modules" for a scope "@babel" */
	char parent[NAME_MAX + 1] = "";
	if (base > dir) {
		const char *p = base - 1;
		while (p > dir && p[-1] != '/')
			p--;
		snprintf(parent, sizeof(parent), "%.*s", (int)(base - 1 - p), p);
	}
	int modules = !strcmp(base, "node_modules");
	int scope = base[0] == '@' && !strcmp(parent, "node_modules");
	if (++w->dirs > MAX_DIRS) {
		mr_say("language packages: more than %d directories, the walk stops", MAX_DIRS);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		int rc = 0;
		if (!e[i].isdir || e[i].skip ||
		    snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", e[i].name) >=
			    (int)sizeof(path))
			continue;
		if (unwalked_dir(path)) {
			e[i].skip = 1;
			continue;
		}
		if (ends_with(e[i].name, ".dist-info"))
			rc = python(w->v, path, "METADATA", w->s, w->err);
		else if (ends_with(e[i].name, ".egg-info"))
			rc = python(w->v, path, "PKG-INFO", w->s, w->err);
		else if ((modules && e[i].name[0] != '.' && e[i].name[0] != '@') || scope)
			rc = npm(w->v, path, w->s, w->err);
		if (rc < 0)
			return -1;
	}
	return 1;
}

int lang_collect(const struct rootview *v, struct sbom *s, struct mr_err *err)
{
	struct walk w = {v, s, 0, err};
	size_t before = s->n;
	int rc = rootview_walk(v, visit, &w, err);
	mr_say("language packages: %zu, in %zu directories", s->n - before, w.dirs);
	return rc;
}
