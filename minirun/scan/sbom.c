/*
 * minirun/scan/sbom.c - the inventory of an image: which distribution, which packages.
 *
 * Where each fact comes from, in the image's merged files (rootview.c):
 *
 *   etc/os-release, else usr/lib/os-release     the distribution and release
 *   var/lib/dpkg/status                         Debian and Ubuntu packages
 *   var/lib/dpkg/status.d/NAME                  the same, one file per package (distroless;
 *                                               NAME.md5sums files there are skipped)
 *   lib/apk/db/installed                        Alpine packages
 *   var/lib/rpm/rpmdb.sqlite, or                RPM packages (Fedora, RHEL 9, Rocky,
 *   usr/lib/sysimage/rpm/rpmdb.sqlite           AlmaLinux: rpm.c); the first one found
 *   *.dist-info/, *.egg-info/, node_modules/    Python and npm packages (langpkgs.c)
 *
 * A file a later layer deleted (a whiteout) is not there, so neither are its packages.
 * Each package gets a package URL (purl), the name scanners and SBOM tools agree on:
 *
 *   pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12
 *   pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.19
 *   pkg:rpm/rocky/openssl@3.0.7-18.el9_2?arch=x86_64&epoch=1&distro=rocky-9.3
 *
 * See: https://github.com/package-url/purl-spec (PURL-SPECIFICATION.rst, PURL-TYPES.rst:
 *      deb, apk, rpm), os-release(5), dpkg.c, apk.c, rpm.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "minirun/image/image.h"
#include "minirun/scan/scan.h"

static void pkg_free(struct pkg *p)
{
	free(p->name);
	free(p->version);
	free(p->arch);
	free(p->source);
	free(p->source_version);
	free(p->where);
	free(p->license);
}

void sbom_free(struct sbom *s)
{
	for (size_t i = 0; i < s->n; i++)
		pkg_free(&s->pkgs[i]);
	free(s->pkgs);
	s->pkgs = NULL;
	s->n = s->cap = 0;
}

int sbom_add(struct sbom *s, const struct pkg *p, struct mr_err *err)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct pkg *np = realloc(s->pkgs, cap * sizeof(*np));
		if (!np)
			return mr_fail(err, ENOMEM, "package list");
		s->pkgs = np;
		s->cap = cap;
	}
	struct pkg *q = &s->pkgs[s->n];
	q->type = p->type;
	q->name = strdup(p->name ? p->name : "");
	q->version = strdup(p->version ? p->version : "");
	q->arch = strdup(p->arch ? p->arch : "");
	q->source = strdup(p->source ? p->source : "");
	q->source_version = strdup(p->source_version ? p->source_version : "");
	q->where = strdup(p->where ? p->where : "");
	q->license = strdup(p->license ? p->license : "");
	if (!q->name || !q->version || !q->arch || !q->source || !q->source_version || !q->where ||
	    !q->license) {
		pkg_free(q);
		return mr_fail(err, ENOMEM, "package list");
	}
	s->n++;
	return 0;
}

static int by_name_version(const void *a, const void *b)
{
	const struct pkg *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	c = strcmp(x->arch, y->arch);
	return c ? c : strcmp(x->version, y->version);
}

/* read_db - parse the file PATH of V with PARSE, if the image has it */
static int read_db(const struct rootview *v, const char *path,
		   int (*parse)(const char *, const char *, struct sbom *, struct mr_err *),
		   struct sbom *s, struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	int r = rootview_read(v, path, &text, NULL, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	mr_say("read %s", path);
	return parse(text, path, s, err);
}

/* read_rpmdb - the image's SQLite rpmdb, if it has one (rpm 4.16+ keeps it in one of two
 * places: usr/lib/sysimage/rpm is Fedora's newer one, var/lib/rpm a symlink to it or the
 * database itself) */
static int read_rpmdb(const struct rootview *v, struct sbom *s, struct mr_err *err)
{
	static const char *const dbs[] = {"var/lib/rpm/rpmdb.sqlite",
					  "usr/lib/sysimage/rpm/rpmdb.sqlite"};
	for (size_t i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		_cleanup_free_ char *file = NULL;
		size_t len = 0;
		int r = rootview_read(v, dbs[i], &file, &len, err);
		if (r < 0)
			return -1;
		if (r == 0) {
			mr_say("read %s (%zu bytes)", dbs[i], len);
			return rpm_parse_sqlite(file, len, dbs[i], s, err);
		}
	}
	static const char *const old[] = {"var/lib/rpm/Packages", "var/lib/rpm/Packages.db",
					  "usr/lib/sysimage/rpm/Packages.db"};
	size_t layer;
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		if (rootview_lookup(v, old[i], &layer, NULL, err) == 1)
			mr_say("%s: an rpm database in Berkeley DB or ndb form, not read (only "
			       "rpmdb.sqlite is)",
			       old[i]);
	return 0;
}

int sbom_collect(const struct rootview *v, struct sbom *s, struct mr_err *err)
{
	static const char *const os_files[] = {"etc/os-release", "usr/lib/os-release"};
	memset(&s->os, 0, sizeof(s->os));
	for (size_t i = 0; i < sizeof(os_files) / sizeof(os_files[0]); i++) {
		_cleanup_free_ char *text = NULL;
		int r = rootview_read(v, os_files[i], &text, NULL, err);
		if (r < 0)
			return -1;
		if (r == 0) {
			os_release_parse(text, &s->os);
			mr_say("read %s: %s %s", os_files[i], s->os.id, s->os.version_id);
			break;
		}
	}
	if (read_db(v, "var/lib/dpkg/status", dpkg_parse_status, s, err) < 0)
		return -1;
	char **names = NULL;
	if (rootview_list(v, "var/lib/dpkg/status.d", &names, err) < 0)
		return -1;
	for (size_t i = 0; names[i]; i++) {
		char path[512];
		size_t n = strlen(names[i]), k = strlen(".md5sums");
		if (n > k && !strcmp(names[i] + n - k, ".md5sums"))
			continue; /* distroless ships NAME.md5sums beside NAME: not a stanza */
		snprintf(path, sizeof(path), "var/lib/dpkg/status.d/%s", names[i]);
		if (read_db(v, path, dpkg_parse_status, s, err) < 0) {
			rootview_names_free(names);
			return -1;
		}
	}
	rootview_names_free(names);
	if (read_db(v, "lib/apk/db/installed", apk_parse_installed, s, err) < 0)
		return -1;
	if (read_rpmdb(v, s, err) < 0)
		return -1;
	if (lang_collect(v, s, err) < 0)
		return -1;
	qsort(s->pkgs, s->n, sizeof(*s->pkgs), by_name_version);
	return 0;
}

int sbom_image(const char *root, const char *image, struct sbom *s, struct mr_err *err)
{
	struct store st;
	struct image img = {0};
	struct rootview v = {0};
	int rc = -1;
	if (store_open(&st, root, err) < 0)
		return -1;
	if (image_resolve(&st, image, &img, err) < 0)
		goto out;
	snprintf(s->image, sizeof(s->image), "%s", image);
	snprintf(s->image_id, sizeof(s->image_id), "%s", img.id);
	/* the unpacked layers, top-most first: the order a lookup asks them in */
	if (image_layer_dirs(&st, &img, &v.dirs, err) < 0)
		goto out;
	while (v.dirs[v.n])
		v.n++;
	mr_say("image %s: %zu layer(s)", image, v.n);
	rc = sbom_collect(&v, s, err);
	if (rc < 0)
		mr_prefix(err, "image '%s': ", image);
out:
	if (v.dirs)
		image_lowerdirs_free(v.dirs);
	if (img.manifest || img.config)
		image_free(&img);
	store_close(&st);
	return rc;
}

/* encode - S percent-encoded as a purl component wants it (all but A-Za-z0-9.-_~) */
static void encode(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (; *s && n + 4 < len; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(".-_~", c))
			buf[n++] = (char)c;
		else {
			buf[n++] = '%';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		}
	}
	buf[n] = 0;
}

void sbom_os_name(const struct sbom *s, char *buf, size_t len)
{
	if (!s->os.id[0])
		snprintf(buf, len, "unknown OS");
	else
		snprintf(buf, len, "%s%s%s", s->os.id, s->os.version_id[0] ? " " : "",
			 s->os.version_id);
}

void pkg_purl(const struct sbom *s, const struct pkg *p, char *buf, size_t len)
{
	char name[512], version[512], distro[128];
	encode(p->name, name, sizeof(name));
	encode(p->version, version, sizeof(version));
	if (p->type == PKG_PYPI) {
		/* PyPI names compare lowercased, with runs of -_. as one '-' (PEP 503) */
		size_t n = 0;
		for (const char *c = p->name; *c && n + 1 < sizeof(name); c++)
			if (strchr("-_.", *c)) {
				if (n == 0 || name[n - 1] != '-')
					name[n++] = '-';
			} else
				name[n++] = (char)tolower((unsigned char)*c);
		name[n] = 0;
		snprintf(buf, len, "pkg:pypi/%s@%s", name, version);
		return;
	}
	if (p->type == PKG_NPM) {
		/* "@scope/name": the scope is the purl's namespace, its '@' encoded */
		const char *slash = strchr(p->name, '/');
		char scope[256] = "";
		if (p->name[0] == '@' && slash) {
			snprintf(scope, sizeof(scope), "%%40%.*s/", (int)(slash - p->name - 1),
				 p->name + 1);
			encode(slash + 1, name, sizeof(name));
		}
		snprintf(buf, len, "pkg:npm/%s%s@%s", scope, name, version);
		return;
	}
	if (p->type == PKG_APK) {
		/* Alpine's release as its repositories name it: 3.19 (not 3.19.1) */
		size_t n = strcspn(s->os.version_id, ".");
		if (s->os.version_id[n])
			n += 1 + strcspn(s->os.version_id + n + 1, ".");
		snprintf(distro, sizeof(distro), "%.*s", (int)n, s->os.version_id);
		snprintf(buf, len, "pkg:apk/alpine/%s@%s?arch=%s&distro=%s", name, version, p->arch,
			 distro);
		return;
	}
	if (p->type == PKG_RPM) {
		/* the version without its epoch, which is a qualifier of its own */
		const char *colon = strchr(p->version, ':');
		size_t e = strspn(p->version, "0123456789");
		char epoch[32] = "";
		if (colon && (size_t)(colon - p->version) == e && e > 0) {
			snprintf(epoch, sizeof(epoch), "&epoch=%.*s", (int)e, p->version);
			encode(colon + 1, version, sizeof(version));
		}
		snprintf(buf, len, "pkg:rpm/%s/%s@%s?arch=%s%s&distro=%s-%s",
			 s->os.id[0] ? s->os.id : "redhat", name, version, p->arch, epoch,
			 s->os.id[0] ? s->os.id : "redhat", s->os.version_id);
		return;
	}
	snprintf(distro, sizeof(distro), "%s-%s", s->os.id[0] ? s->os.id : "debian",
		 s->os.version_id);
	snprintf(buf, len, "pkg:deb/%s/%s@%s?arch=%s&distro=%s", s->os.id[0] ? s->os.id : "debian",
		 name, version, p->arch, distro);
}
