/*
 * minirun/oci/spec_impl.h - what the parts of the config parser share (spec.c, spec_get.c,
 * spec_process.c): the parse context and the typed getters. Not for other modules.
 */
#ifndef MR_SPEC_IMPL_H
#define MR_SPEC_IMPL_H

#include "minirun/oci/spec.h"

/* A parse in progress: the text (to locate values) and the error to fill. */
struct pctx {
	const char *text, *name;
	struct mr_err *err;
};

/* bad - fail with "NAME:LINE:COL: PATH WHAT" (PATH located in the text); returns -1. */
int bad(struct pctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Typed getters of member KEY of object O (whose path is PATH, for messages). Each returns
 * 0 when the member is absent (unless REQUIRED) or of the right type, -1 with c->err
 * naming it otherwise. Strings point into O. */
void join_path(char *buf, size_t n, const char *path, const char *key);
int get_str(struct pctx *c, json_t *o, const char *path, const char *key, bool required,
	    const char **out);
int get_bool(struct pctx *c, json_t *o, const char *path, const char *key, bool *out);
int get_int(struct pctx *c, json_t *o, const char *path, const char *key, long long min,
	    long long max, long long *out, bool *present);
int get_obj(struct pctx *c, json_t *o, const char *path, const char *key, json_t **out);
int get_arr(struct pctx *c, json_t *o, const char *path, const char *key, json_t **out);
/* An array of strings as a new NULL-terminated vector of borrowed strings (free it). */
int get_strv(struct pctx *c, json_t *o, const char *path, const char *key, char ***out);

#endif
