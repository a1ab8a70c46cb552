/*
 * minirun/scan/apk.c - what apk says is installed: lib/apk/db/installed (Alpine).
 *
 * One record per package, records separated by an empty line, each line one letter, a
 * colon and a value:
 *
 *   P:musl             the package's name
 *   V:1.2.4_git20230717-r4
 *   A:x86_64           its architecture
 *   o:musl             its origin: the source package (APKBUILD) it was built from
 *   F:lib              (files, checksums, dependencies ... not needed here)
 *
 * Alpine's advisories (secdb, and OSV's "Alpine:v3.19") name the origin package.
 *
 * See: apk-package(5) (the .PKGINFO fields), apk-tools' src/database.c (this file's
 *      letters); https://wiki.alpinelinux.org/wiki/Apk_spec.
 */
#include <stdio.h>
#include <string.h>

#include "minirun/scan/scan.h"

struct record {
	char name[256], version[256], arch[64], origin[256];
	int line;
};

static int take(const struct record *r, const char *where, struct sbom *s, struct mr_err *err)
{
	if (!r->name[0] && !r->version[0])
		return 0;
	if (!r->name[0] || !r->version[0])
		return mr_failk(err, MR_E_INVALID, 0,
				"%s:%d: a package record without %s: the file is not apk's "
				"installed database",
				where, r->line, r->name[0] ? "V:" : "P:");
	struct pkg p = {PKG_APK,
			(char *)r->name,
			(char *)r->version,
			(char *)r->arch,
			(char *)(r->origin[0] ? r->origin : r->name),
			(char *)r->version,
			(char *)where,
			NULL};
	return sbom_add(s, &p, err);
}

int apk_parse_installed(const char *text, const char *where, struct sbom *s, struct mr_err *err)
{
	struct record r = {.line = 1};
	int lineno = 0;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		int n = (int)(end - line);
		lineno++;
		if (n == 0) {
			if (take(&r, where, s, err) < 0)
				return -1;
			memset(&r, 0, sizeof(r));
			r.line = lineno + 1;
		} else if (n >= 2 && line[1] == ':') {
			char *dst = line[0] == 'P'   ? r.name
				    : line[0] == 'V' ? r.version
				    : line[0] == 'A' ? r.arch
				    : line[0] == 'o' ? r.origin
						     : NULL;
			size_t size = line[0] == 'A' ? sizeof(r.arch) : sizeof(r.name);
			if (dst)
				snprintf(dst, size, "%.*s", n - 2, line + 2);
		} else
			return mr_failk(err, MR_E_INVALID, 0,
					"%s:%d: '%.*s' is no 'X:value' line of apk's database",
					where, lineno, n > 60 ? 60 : n, line);
		line = *end ? end + 1 : end;
	}
	return take(&r, where, s, err);
}
