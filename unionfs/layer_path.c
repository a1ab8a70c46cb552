/*
 * unionfs/layer_path.c - the pure string rules of OCI layers: whiteout names and the
 * canonical form of a tar entry's path.
 *
 * A layer tar names its entries with relative paths ("./usr/bin/ls", "usr/bin/ls"); a
 * hostile one names "../../etc/passwd" or "/etc/passwd". Every path is cleaned here
 * first, lexically, so that the extraction code only ever sees "a/b/c" or "" (the
 * target itself). Lexical cleaning is not enough on its own (a symlink in the tree can
 * still lead out): layer_apply.c resolves what is left with openat2(RESOLVE_BENEATH).
 *
 * See: https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts
 */
#include "unionfs/layer.h"
#include "lib/printable.h"

#include <errno.h>
#include <string.h>

enum layer_wh_kind layer_whiteout_kind(const char *base, const char **target)
{
	size_t n = strlen(LAYER_WH_PREFIX);
	if (strncmp(base, LAYER_WH_PREFIX, n) != 0)
		return LAYER_WH_NONE;
	if (strcmp(base, LAYER_WH_OPAQUE) == 0)
		return LAYER_WH_OPQ;
	const char *t = base + n;
	/* ".wh." alone, ".wh..", ".wh..." and other ".wh..wh.*" meta names (AUFS's ".wh..wh.plnk"
	 * and friends) name nothing a layer may remove */
	if (!*t || strcmp(t, ".") == 0 || strcmp(t, "..") == 0 ||
	    strncmp(t, LAYER_WH_PREFIX, n) == 0 || strchr(t, '/'))
		return LAYER_WH_BAD;
	if (target)
		*target = t;
	return LAYER_WH_FILE;
}

int layer_whiteout_name(const char *name, char *buf, size_t size)
{
	size_t need = strlen(LAYER_WH_PREFIX) + strlen(name) + 1;
	if (need > size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, LAYER_WH_PREFIX);
	strcat(buf, name);
	return 0;
}

/* failx - record a failure that is a rule, not a syscall: no strerror, but errno is set */
static int failx(struct mr_err *err, int errnum, const char *what, const char *in)
{
	char shown[300]; /* a tar's name: escaped, it may hold anything (lib/printable.h) */
	mr_fail(err, 0, "'%s': %s", mr_printable(in, shown, sizeof(shown)), what);
	if (err)
		err->errnum = errnum;
	errno = errnum;
	return -1;
}

int layer_clean_path(const char *in, char *out, size_t size, struct mr_err *err)
{
	if (!in || !*in)
		return failx(err, EINVAL, "empty path", "");
	if (in[0] == '/')
		return failx(err, EINVAL, "absolute path", in);

	/* walk the components: drop "" (from "//") and ".", refuse "..", copy the rest */
	size_t len = 0;
	const char *p = in;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t clen = (size_t)(end - p);
		if (clen == 2 && p[0] == '.' && p[1] == '.')
			return failx(err, EINVAL, "path climbs out with '..'", in);
		if (clen > 0 && !(clen == 1 && p[0] == '.')) {
			if (len + (len > 0) + clen + 1 > size)
				return failx(err, ENAMETOOLONG, "path too long", in);
			if (len > 0)
				out[len++] = '/';
			memcpy(out + len, p, clen);
			len += clen;
		}
		p = *end ? end + 1 : end;
	}
	if (size == 0)
		return failx(err, ENAMETOOLONG, "path too long", in);
	out[len] = '\0';
	return 0;
}
