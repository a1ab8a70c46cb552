/*
 * minirun/scan/osrelease.c - which distribution an image is: etc/os-release.
 *
 * os-release(5) is a list of shell-compatible KEY=VALUE assignments; a value may be
 * quoted with " or ' (with \ escapes inside double quotes). Only the keys an SBOM needs
 * are kept: ID (debian, alpine, ubuntu), VERSION_ID (12, 3.19.1), VERSION_CODENAME and
 * PRETTY_NAME. Lines that are not assignments are ignored, as systemd ignores them.
 *
 * See: os-release(5).
 */
#include <stdio.h>
#include <string.h>

#include "minirun/scan/scan.h"

/* unquote - the value V (up to END) without its quotes and escapes, into BUF */
static void unquote(const char *v, const char *end, char *buf, size_t len)
{
	size_t n = 0;
	char q = 0;
	if (v < end && (*v == '"' || *v == '\'')) {
		q = *v++;
		if (end > v && end[-1] == q)
			end--;
	}
	for (; v < end && n + 1 < len; v++) {
		if (q == '"' && *v == '\\' && v + 1 < end)
			v++;
		buf[n++] = *v;
	}
	buf[n] = 0;
}

void os_release_parse(const char *text, struct os_release *os)
{
	static const struct {
		const char *key;
		size_t off, len;
	} keys[] = {
		{"ID", offsetof(struct os_release, id), sizeof(os->id)},
		{"VERSION_ID", offsetof(struct os_release, version_id), sizeof(os->version_id)},
		{"VERSION_CODENAME", offsetof(struct os_release, codename), sizeof(os->codename)},
		{"PRETTY_NAME", offsetof(struct os_release, pretty), sizeof(os->pretty)},
	};
	memset(os, 0, sizeof(*os));
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		const char *eq = memchr(line, '=', (size_t)(end - line));
		for (size_t k = 0; eq && k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strlen(keys[k].key) == (size_t)(eq - line) &&
			    !strncmp(line, keys[k].key, (size_t)(eq - line))) {
				const char *vend = end;
				while (vend > eq + 1 && (vend[-1] == ' ' || vend[-1] == '\r'))
					vend--;
				unquote(eq + 1, vend, (char *)os + keys[k].off, keys[k].len);
			}
		line = *end ? end + 1 : NULL;
	}
}
