/*
 * minirun/oci/spec_get.c - typed access to config.json members, with located errors.
 *
 * Every value the parser takes goes through one of these getters, so every type error
 * reads the same way and carries the value's line and column:
 * "config.json:14:9: process.oomScoreAdj must be an integer".
 *
 * See: spec_impl.h; spec_locate.c (how the position is found); jansson's json_t API.
 */
#include "minirun/oci/spec_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "NAME:LINE:COL" where PATH is in TEXT, into buf; "NAME" with no text (a config given as
 * a tree: ctr_create_opts.config) or PATH not found */
static const char *where(const char *text, const char *name, const char *path, char *buf,
			 size_t len)
{
	int line = 0, col = 0;
	if (text)
		spec_locate(text, path, &line, &col);
	if (line)
		snprintf(buf, len, "%s:%d:%d", name, line, col);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

static int vbad(const char *text, const char *name, struct mr_err *err, const char *path,
		const char *fmt, va_list ap)
{
	char what[512], at[300];
	vsnprintf(what, sizeof(what), fmt, ap);
	return mr_fail(err, 0, "%s: %s %s", where(text, name, path, at, sizeof(at)), path, what);
}

void spec_prefix(const struct spec *s, struct mr_err *err, const char *path)
{
	char at[300];
	mr_prefix(err, "%s: %s: ", where(s->text, s->name, path, at, sizeof(at)), path);
}

int __attribute__((format(printf, 3, 4)))
bad(struct pctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vbad(c->text, c->name, c->err, path, fmt, ap);
	va_end(ap);
	return -1;
}

int spec_bad(const struct spec *s, struct mr_err *err, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vbad(s->text, s->name, err, path, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- typed getters: each returns 0 (absent is fine unless REQUIRED), or -1 ------------ */

void join_path(char *buf, size_t n, const char *path, const char *key)
{
	snprintf(buf, n, "%s%s%s", path, *path ? "." : "", key);
}

int get_str(struct pctx *c, json_t *o, const char *path, const char *key, bool required,
	    const char **out)
{
	char p[256];
	json_t *v = json_object_get(o, key);
	join_path(p, sizeof(p), path, key);
	if (!v || json_is_null(v))
		return required ? bad(c, path[0] ? path : p, "needs \"%s\" (a string)", key) : 0;
	if (!json_is_string(v))
		return bad(c, p, "must be a string");
	*out = json_string_value(v);
	return 0;
}

int get_bool(struct pctx *c, json_t *o, const char *path, const char *key, bool *out)
{
	char p[256];
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	join_path(p, sizeof(p), path, key);
	if (!json_is_boolean(v))
		return bad(c, p, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* An integer in [min, max]; *present tells whether it was there. */
int get_int(struct pctx *c, json_t *o, const char *path, const char *key, long long min,
	    long long max, long long *out, bool *present)
{
	char p[256];
	json_t *v = json_object_get(o, key);
	if (present)
		*present = false;
	if (!v || json_is_null(v))
		return 0;
	join_path(p, sizeof(p), path, key);
	if (!json_is_integer(v))
		return bad(c, p, "must be an integer");
	long long x = json_integer_value(v);
	if (x < min || x > max)
		return bad(c, p, "must be between %lld and %lld", min, max);
	*out = x;
	if (present)
		*present = true;
	return 0;
}

int get_obj(struct pctx *c, json_t *o, const char *path, const char *key, json_t **out)
{
	char p[256];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	join_path(p, sizeof(p), path, key);
	if (!json_is_object(v))
		return bad(c, p, "must be an object");
	*out = v;
	return 0;
}

int get_arr(struct pctx *c, json_t *o, const char *path, const char *key, json_t **out)
{
	char p[256];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	join_path(p, sizeof(p), path, key);
	if (!json_is_array(v))
		return bad(c, p, "must be an array");
	*out = v;
	return 0;
}

/* An array of strings as a new NULL-terminated vector of borrowed strings. */
int get_strv(struct pctx *c, json_t *o, const char *path, const char *key, char ***out)
{
	char p[256];
	json_t *a, *v;
	size_t i;
	*out = NULL;
	if (get_arr(c, o, path, key, &a) < 0)
		return -1;
	if (!a)
		return 0;
	join_path(p, sizeof(p), path, key);
	char **vec = calloc(json_array_size(a) + 1, sizeof(*vec));
	if (!vec)
		return mr_fail(c->err, ENOMEM, "%s", p);
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v)) {
			free(vec);
			char q[300];
			snprintf(q, sizeof(q), "%s[%zu]", p, i);
			return bad(c, q, "must be a string");
		}
		vec[i] = (char *)json_string_value(v);
	}
	*out = vec;
	return 0;
}
