/*
 * minirun/scan/dpkg.c - what dpkg says is installed: var/lib/dpkg/status, and the
 * status.d/ directory distroless images use instead.
 *
 * The status file is a list of stanzas separated by empty lines, one per package, each a
 * list of "Field: value" lines (deb822, the format of debian/control). A line that starts
 * with a space or a tab continues the field above it (Description, Conffiles), so a
 * stanza is read field by field, not line by line:
 *
 *   Package: libc6
 *   Status: install ok installed         want / error flag / state: only "installed" counts
 *   Architecture: amd64
 *   Source: glibc                        the source package, when its name differs...
 *   Version: 2.36-9+deb12u4
 *   Description: GNU C Library: Shared libraries
 *    Contains the standard libraries ... (a continuation line)
 *
 *   Package: libgcc-s1
 *   Source: gcc-12 (12.2.0-14)           ... and its version, when that differs too
 *   Version: 12.2.0-14
 *
 * Debian's advisories are about source packages (glibc, not libc6), so the Source line is
 * what a scan matches on. A distroless image has no status file but one small file per
 * package in var/lib/dpkg/status.d/, in the same format and without a Status line (a
 * package there is installed).
 *
 * See: dpkg(1) "INFORMATION ABOUT PACKAGES", deb822(5), deb-control(5) "Source".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "minirun/scan/scan.h"

/* the fields kept from a stanza (pointers into the text, with lengths) */
struct stanza {
	const char *val[5];
	size_t len[5];
	int line; /* where the stanza starts */
};
enum { F_PACKAGE, F_VERSION, F_SOURCE, F_ARCH, F_STATUS };
static const char *const fields[] = {"Package", "Version", "Source", "Architecture", "Status"};

static void copy(char *buf, size_t size, const char *s, size_t n)
{
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	snprintf(buf, size, "%.*s", (int)n, s);
}

/* take - the stanza ST as a package of S, if it is installed */
static int take(const struct stanza *st, const char *where, struct sbom *s, struct mr_err *err)
{
	char name[256], version[256], arch[64], source[256], status[128], srcver[256];
	if (!st->val[F_PACKAGE] && !st->val[F_VERSION] && !st->val[F_STATUS])
		return 0; /* a stanza of only other fields: nothing to say */
	copy(status, sizeof(status), st->val[F_STATUS] ? st->val[F_STATUS] : "", st->len[F_STATUS]);
	/* "install ok installed": the third word is the state; only installed packages
	 * count (not config-files, half-installed, not-installed) */
	const char *state = strrchr(status, ' ');
	if (st->val[F_STATUS] && (!state || strcmp(state + 1, "installed")))
		return 0;
	if (!st->val[F_PACKAGE] || !st->val[F_VERSION])
		return mr_failk(err, MR_E_INVALID, 0,
				"%s:%d: a package stanza without %s: the file is not a dpkg "
				"status file",
				where, st->line, st->val[F_PACKAGE] ? "Version" : "Package");
	copy(name, sizeof(name), st->val[F_PACKAGE], st->len[F_PACKAGE]);
	copy(version, sizeof(version), st->val[F_VERSION], st->len[F_VERSION]);
	if (!deb_version_valid(version))
		return mr_failk(err, MR_E_INVALID, 0, "%s:%d: package %s: invalid version '%s'",
				where, st->line, name, version);
	copy(arch, sizeof(arch), st->val[F_ARCH] ? st->val[F_ARCH] : "", st->len[F_ARCH]);
	snprintf(source, sizeof(source), "%s", name);
	snprintf(srcver, sizeof(srcver), "%s", version);
	if (st->val[F_SOURCE]) {
		/* "gcc-12" or "gcc-12 (12.2.0-14)" */
		copy(source, sizeof(source), st->val[F_SOURCE], st->len[F_SOURCE]);
		char *paren = strchr(source, '(');
		if (paren) {
			char *close = strchr(paren, ')');
			copy(srcver, sizeof(srcver), paren + 1,
			     close ? (size_t)(close - paren - 1) : strlen(paren + 1));
			while (paren > source && paren[-1] == ' ')
				paren--;
			*paren = 0;
		}
	}
	struct pkg p = {PKG_DEB, name, version, arch, source, srcver, (char *)where, NULL};
	return sbom_add(s, &p, err);
}

int dpkg_parse_status(const char *text, const char *where, struct sbom *s, struct mr_err *err)
{
	struct stanza st = {.line = 1};
	int field = -1, lineno = 0;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		size_t n = (size_t)(end - line);
		lineno++;
		if (n == 0 || (n == 1 && line[0] == '\r')) { /* the end of a stanza */
			if (take(&st, where, s, err) < 0)
				return -1;
			memset(&st, 0, sizeof(st));
			st.line = lineno + 1;
			field = -1;
		} else if (line[0] == ' ' || line[0] == '\t') {
			/* a continuation: it belongs to the field above (none of the kept ones
			 * is multi-line in practice, but a long Description must not end the
			 * stanza nor be read as a field of its own) */
			if (field >= 0)
				st.len[field] = (size_t)(end - st.val[field]);
		} else {
			const char *colon = memchr(line, ':', n);
			if (!colon)
				return mr_failk(err, MR_E_INVALID, 0,
						"%s:%d: '%.*s' is no 'Field: value' line", where,
						lineno, (int)(n > 60 ? 60 : n), line);
			field = -1;
			for (int f = 0; f < (int)(sizeof(fields) / sizeof(fields[0])); f++)
				if (strlen(fields[f]) == (size_t)(colon - line) &&
				    !strncasecmp(fields[f], line, (size_t)(colon - line)))
					field = f;
			if (field >= 0) {
				const char *v = colon + 1;
				while (v < end && (*v == ' ' || *v == '\t'))
					v++;
				st.val[field] = v;
				st.len[field] = (size_t)(end - v);
			}
		}
		line = *end ? end + 1 : end;
	}
	return take(&st, where, s, err);
}
