/*
 * minirun/compose/load.c - one compose file, from YAML to the typed model.
 *
 * libfyaml parses the file (YAML 1.2) and resolves its anchors, aliases and `<<` merge
 * keys; then one walk types the tree: every scalar is interpolated (interp.c) and then
 * read as what the specification says that key holds, and a key the specification does
 * not know, or a value of the wrong type, stops the load with the file, the line and the
 * key path:
 *
 *	minirun: compose.yaml:7:5: services.web.portz: unknown key (not in the Compose
 *	Specification)
 *
 * Keys starting with "x-" are extensions: allowed at the top level and in a service, and
 * ignored. The top level is read here; a service by service.c's table.
 *
 * See: https://docs.docker.com/reference/compose-file/ ; libfyaml's libfyaml.h.
 */
#include "minirun/compose/parse.h"
#include "lib/file.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- where a node is ---------------------------------------------------------------- */

/* The line of N (1-based): a scalar's own token; a collection's first scalar inside. */
int cy_line(struct fy_node *n)
{
	if (!n)
		return 0;
	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR: {
		struct fy_token *t = fy_node_get_scalar_token(n);
		const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
		return m ? m->line + 1 : 0;
	}
	case FYNT_MAPPING: {
		void *it = NULL;
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
		return p ? cy_line(fy_node_pair_key(p)) : 0;
	}
	case FYNT_SEQUENCE: {
		void *it = NULL;
		return cy_line(fy_node_sequence_iterate(n, &it));
	}
	}
	return 0;
}

int cy_fail(const struct pctx *pc, struct fy_node *n, struct mr_err *err, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int line = cy_line(n);
	if (line)
		return mr_fail(err, 0, "%s:%d: %s: %s", pc->c->file, line, pc->path, msg);
	return mr_fail(err, 0, "%s: %s: %s", pc->c->file, pc->path, msg);
}

size_t cy_push(struct pctx *pc, const char *key)
{
	size_t len = strlen(pc->path);
	snprintf(pc->path + len, sizeof(pc->path) - len, "%s%s", len ? "." : "", key);
	return len;
}

size_t cy_push_index(struct pctx *pc, size_t i)
{
	char n[32];
	snprintf(n, sizeof(n), "%zu", i);
	return cy_push(pc, n);
}

void cy_pop(struct pctx *pc, size_t len)
{
	pc->path[len] = '\0';
}

int cy_is_null(struct fy_node *n)
{
	if (!n)
		return 1;
	if (fy_node_get_type(n) != FYNT_SCALAR || fy_node_get_style(n) != FYNS_PLAIN)
		return 0;
	const char *s = fy_node_get_scalar0(n);
	return !s || !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

int cy_tag(const struct pctx *pc, struct fy_node *n, struct mr_err *err)
{
	size_t len = 0;
	const char *tag = n ? fy_node_get_tag(n, &len) : NULL;
	if (!tag)
		return TAG_NONE;
	if (len == 6 && !strncmp(tag, "!reset", len))
		return TAG_RESET;
	if (len == 9 && !strncmp(tag, "!override", len))
		return TAG_OVERRIDE;
	if (!strncmp(tag, "tag:yaml.org,2002:", 18))
		return TAG_NONE;
	return cy_fail(pc, n, err, "unknown tag '%.*s' (compose knows !reset and !override)",
		       (int)len, tag);
}

int cy_unknown(const struct pctx *pc, struct fy_node *key, struct mr_err *err)
{
	return cy_fail(pc, key, err, "unknown key (not in the Compose Specification)");
}

int cy_need_map(const struct pctx *pc, struct fy_node *n, struct mr_err *err)
{
	if (fy_node_get_type(n) == FYNT_MAPPING)
		return 0;
	return cy_fail(pc, n, err, "must be a mapping");
}

/* ---- typed scalars ------------------------------------------------------------------- */

static const char *type_name(struct fy_node *n)
{
	switch (fy_node_get_type(n)) {
	case FYNT_MAPPING: return "a mapping";
	case FYNT_SEQUENCE: return "a list";
	default: return "a scalar";
	}
}

int cy_str(struct pctx *pc, struct fy_node *n, char **out, struct mr_err *err)
{
	*out = NULL; /* on every return: a failure leaves no garbage for the caller */
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_SCALAR)
		return cy_fail(pc, n, err, "must be a string, not %s", type_name(n));
	char where[700];
	snprintf(where, sizeof(where), "%s:%d: %s", pc->c->file, cy_line(n), pc->path);
	*out = compose_interpolate_warn(pc->c->a, fy_node_get_scalar0(n), pc->c->lookup,
					pc->c->data, where, pc->c->warnings, err);
	return *out ? 0 : -1;
}

/* a scalar that must have a value */
static int get_value(struct pctx *pc, struct fy_node *n, char **out, struct mr_err *err)
{
	if (cy_str(pc, n, out, err) < 0)
		return -1;
	if (!*out) { /* -1 here, not cy_fail's return: callers use *out on 0 */
		cy_fail(pc, n, err, "must have a value");
		return -1;
	}
	return 0;
}

int cy_bool(struct pctx *pc, struct fy_node *n, int *out, struct mr_err *err)
{
	static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False",
										  "FALSE"};
	char *s;
	if (get_value(pc, n, &s, err) < 0)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		if (!strcmp(s, yes[i]))
			return *out = 1, 0;
		if (!strcmp(s, no[i]))
			return *out = 0, 0;
	}
	return cy_fail(pc, n, err, "must be a boolean (true or false), not \"%s\"", s);
}

int cy_int(struct pctx *pc, struct fy_node *n, long long *out, struct mr_err *err)
{
	char *s, *end;
	if (get_value(pc, n, &s, err) < 0)
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return cy_fail(pc, n, err, "must be an integer, not \"%s\"", s);
	return 0;
}

/* "512m", "1g", "1.5GB", 1048576: bytes, docker's units (powers of 1024) */
int cy_bytes(struct pctx *pc, struct fy_node *n, long long *out, struct mr_err *err)
{
	static const struct {
		const char *unit;
		long long mult;
	} units[] = {{"", 1},          {"b", 1},          {"k", 1024},      {"kb", 1024},
		     {"m", 1LL << 20}, {"mb", 1LL << 20}, {"g", 1LL << 30}, {"gb", 1LL << 30},
		     {"t", 1LL << 40}, {"tb", 1LL << 40}};
	char *s, *end;
	if (get_value(pc, n, &s, err) < 0)
		return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (!errno && end != s && v >= 0)
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcasecmp(end, units[i].unit))
				return *out = (long long)(v * (double)units[i].mult), 0;
	return cy_fail(pc, n, err, "must be a size in bytes (e.g. 512m, 1g), not \"%s\"", s);
}

/* "1m30s", "500ms", "10s": Go's duration syntax, as the specification uses */
int cy_duration(struct pctx *pc, struct fy_node *n, char **out, struct mr_err *err)
{
	static const char *const units[] = {"ns", "us", "ms", "s", "m", "h"};
	if (get_value(pc, n, out, err) < 0)
		return -1;
	const char *p = *out;
	if (!strcmp(p, "0"))
		return 0;
	while (*p) {
		const char *num = p;
		while (isdigit((unsigned char)*p) || *p == '.')
			p++;
		size_t best = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strncmp(p, units[i], strlen(units[i])) && strlen(units[i]) > best &&
			    !(units[i][0] == 'm' && !units[i][1] && p[1] == 's'))
				best = strlen(units[i]);
		if (p == num || !best)
			return cy_fail(pc, n, err,
				       "must be a duration (e.g. 30s, 1m30s), not \"%s\"", *out);
		p += best;
	}
	return 0;
}

int cy_strv(struct pctx *pc, struct fy_node *n, int one_ok, struct compose_strv *out,
	    struct mr_err *err)
{
	struct compose_arena *a = pc->c->a;
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (one_ok && fy_node_get_type(n) == FYNT_SCALAR) {
		char **slot = compose_push(a, &out->v, &out->n, sizeof(char *));
		return cy_str(pc, n, slot, err);
	}
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cy_fail(pc, n, err, "must be a list%s, not %s", one_ok ? " or a string" : "",
			       type_name(n));
	void *it = NULL;
	struct fy_node *item;
	for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)); i++) {
		size_t len = cy_push_index(pc, i);
		char **slot = compose_push(a, &out->v, &out->n, sizeof(char *));
		if (get_value(pc, item, slot, err) < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

int cy_kvs(struct pctx *pc, struct fy_node *n, const char *seps, struct compose_kvs *out,
	   struct mr_err *err)
{
	struct compose_arena *a = pc->c->a;
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	void *it = NULL;
	if (fy_node_get_type(n) == FYNT_MAPPING) {
		struct fy_node_pair *pair;
		while ((pair = fy_node_mapping_iterate(n, &it))) {
			const char *key = fy_node_get_scalar0(fy_node_pair_key(pair));
			size_t len = cy_push(pc, key ? key : "?");
			struct fy_node *v = fy_node_pair_value(pair);
			char *value;
			if (v && fy_node_get_type(v) != FYNT_SCALAR)
				return cy_fail(pc, v, err,
					       "must be a string, a number, a boolean or null, "
					       "not %s",
					       type_name(v));
			if (cy_str(pc, v, &value, err) < 0)
				return -1;
			compose_kv_set(a, out, key, value);
			cy_pop(pc, len);
		}
		return 0;
	}
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cy_fail(pc, n, err, "must be a mapping or a list of \"KEY%cVALUE\", not %s",
			       seps[0], type_name(n));
	struct fy_node *item;
	for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)); i++) {
		size_t len = cy_push_index(pc, i);
		char *s;
		if (get_value(pc, item, &s, err) < 0)
			return -1;
		char *sep = strpbrk(s, seps);
		if (sep == s)
			return cy_fail(pc, item, err, "\"%s\" has no name before '%c'", s, *sep);
		if (sep) {
			*sep = '\0';
			compose_kv_set(a, out, s, sep + 1);
		} else {
			compose_kv_set(a, out, s, NULL);
		}
		cy_pop(pc, len);
	}
	return 0;
}

char *cy_path(const struct pctx *pc, const char *path)
{
	struct compose_arena *a = pc->c->a;
	if (path[0] == '/')
		return compose_strdup(a, path);
	if (path[0] == '~' && (path[1] == '/' || !path[1])) {
		const char *home = pc->c->lookup("HOME", pc->c->data);
		return compose_printf(a, "%s%s", home ? home : "", path + 1);
	}
	/* "./x" and "x" name the same place; "." alone is the directory itself */
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (!strcmp(path, ".") || !*path)
		return compose_strdup(a, pc->c->dir);
	return compose_printf(a, "%s/%s", pc->c->dir, path);
}

/* ---- the top level: name, services, networks, volumes ------------------------------------ */

/* the keys of a top-level network or volume; the ones marked ignored are in the
 * specification but mean nothing to a single-host runtime without plugins */
static int parse_network(struct pctx *pc, const char *key, struct fy_node *n,
			 struct compose_network *out, struct mr_err *err)
{
	out->key = compose_strdup(pc->c->a, key);
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cy_fail(pc, n, err, "must be a mapping, not %s", type_name(n));
	void *it = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(n, &it))) {
		const char *k = fy_node_get_scalar0(fy_node_pair_key(pair));
		struct fy_node *v = fy_node_pair_value(pair);
		if (!k) /* `? [a]: x` or `? {a: b}`: a key that is not text (found by fuzz_compose) */
			return cy_fail(pc, fy_node_pair_key(pair) ? fy_node_pair_key(pair) : n, err,
				       "a key must be a string");
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "driver"))
			rc = cy_str(pc, v, &out->driver, err);
		else if (!strcmp(k, "name"))
			rc = cy_str(pc, v, &out->name, err), out->name_set = 1;
		else if (!strcmp(k, "external"))
			rc = cy_bool(pc, v, &out->external, err);
		else if (!strcmp(k, "internal"))
			rc = cy_bool(pc, v, &out->internal, err);
		else if (!strcmp(k, "labels"))
			rc = cy_kvs(pc, v, "=", &out->labels, err);
		else if (strcmp(k, "driver_opts") && strcmp(k, "attachable") &&
			 strcmp(k, "enable_ipv6") && strcmp(k, "ipam") && strncmp(k, "x-", 2))
			rc = cy_fail(pc, fy_node_pair_key(pair), err,
				     "unknown key (not in the Compose Specification)");
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

static int parse_volume(struct pctx *pc, const char *key, struct fy_node *n,
			struct compose_volume *out, struct mr_err *err)
{
	out->key = compose_strdup(pc->c->a, key);
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cy_fail(pc, n, err, "must be a mapping, not %s", type_name(n));
	void *it = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(n, &it))) {
		const char *k = fy_node_get_scalar0(fy_node_pair_key(pair));
		struct fy_node *v = fy_node_pair_value(pair);
		if (!k) /* `? [a]: x` or `? {a: b}`: a key that is not text (found by fuzz_compose) */
			return cy_fail(pc, fy_node_pair_key(pair) ? fy_node_pair_key(pair) : n, err,
				       "a key must be a string");
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "driver"))
			rc = cy_str(pc, v, &out->driver, err);
		else if (!strcmp(k, "name"))
			rc = cy_str(pc, v, &out->name, err), out->name_set = 1;
		else if (!strcmp(k, "external"))
			rc = cy_bool(pc, v, &out->external, err);
		else if (!strcmp(k, "labels"))
			rc = cy_kvs(pc, v, "=", &out->labels, err);
		else if (strcmp(k, "driver_opts") && strncmp(k, "x-", 2))
			rc = cy_fail(pc, fy_node_pair_key(pair), err,
				     "unknown key (not in the Compose Specification)");
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

/* each entry of the mapping N, as PARSE of one element of *ARR */
static int parse_section(struct pctx *pc, struct fy_node *n, const char *what, void *arr,
			 size_t *count, size_t size,
			 int (*parse)(struct pctx *, const char *, struct fy_node *, void *,
				      struct mr_err *),
			 struct mr_err *err)
{
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cy_fail(pc, n, err, "must be a mapping of %s by name, not %s", what,
			       type_name(n));
	void *it = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *key = fy_node_pair_key(pair);
		const char *k = fy_node_get_scalar0(key);
		if (!k || fy_node_get_type(key) != FYNT_SCALAR)
			return cy_fail(pc, key, err, "%s must be named by strings", what);
		if (!strncmp(k, "x-", 2) && strcmp(what, "services"))
			continue;
		size_t len = cy_push(pc, k);
		void *elem = compose_push(pc->c->a, arr, count, size);
		if (parse(pc, k, fy_node_pair_value(pair), elem, err) < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

static int service_cb(struct pctx *pc, const char *k, struct fy_node *n, void *out,
		      struct mr_err *err)
{
	return cy_service(pc, k, n, out, err);
}

static int network_cb(struct pctx *pc, const char *k, struct fy_node *n, void *out,
		      struct mr_err *err)
{
	return parse_network(pc, k, n, out, err);
}

static int volume_cb(struct pctx *pc, const char *k, struct fy_node *n, void *out,
		     struct mr_err *err)
{
	return parse_volume(pc, k, n, out, err);
}

/* include: a list of paths, or of {path: ...} (path a string or a list) */
static int parse_include(struct pctx *pc, struct fy_node *n, struct compose_strv *out,
			 struct mr_err *err)
{
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cy_fail(pc, n, err, "must be a list, not %s", type_name(n));
	void *it = NULL;
	struct fy_node *item;
	for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)); i++) {
		size_t len = cy_push_index(pc, i);
		struct compose_strv paths;
		struct fy_node *p = item;
		if (fy_node_get_type(item) == FYNT_MAPPING) {
			p = fy_node_mapping_lookup_by_string(item, "path", -1);
			if (!p)
				return cy_fail(pc, item, err, "needs a path");
		}
		if (cy_strv(pc, p, 1, &paths, err) < 0)
			return -1;
		for (size_t k = 0; k < paths.n; k++)
			*(char **)compose_push(pc->c->a, &out->v, &out->n, sizeof(char *)) =
				cy_path(pc, paths.v[k]);
		cy_pop(pc, len);
	}
	return 0;
}

static int parse_root(const struct compose_ctx *ctx, struct fy_node *root, struct compose_file *out,
		      struct mr_err *err)
{
	struct pctx pc = {.c = ctx};
	memset(out, 0, sizeof(*out));
	if (cy_is_null(root))
		return 0; /* an empty file is an empty project (an override may be) */
	if (fy_node_get_type(root) != FYNT_MAPPING)
		return cy_fail(&pc, root, err, "a compose file must be a mapping, not %s",
			       type_name(root));
	void *it = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *key = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
		const char *k = fy_node_get_scalar0(key);
		size_t len = cy_push(&pc, k ? k : "?");
		int rc = 0;
		if (!k)
			rc = cy_fail(&pc, key, err, "keys must be strings");
		else if (!strcmp(k, "services"))
			rc = parse_section(&pc, v, "services", &out->services, &out->nservices,
					   sizeof(*out->services), service_cb, err);
		else if (!strcmp(k, "networks"))
			rc = parse_section(&pc, v, "networks", &out->networks, &out->nnetworks,
					   sizeof(*out->networks), network_cb, err);
		else if (!strcmp(k, "volumes"))
			rc = parse_section(&pc, v, "volumes", &out->volumes, &out->nvolumes,
					   sizeof(*out->volumes), volume_cb, err);
		else if (!strcmp(k, "name"))
			rc = cy_str(&pc, v, &out->name, err), out->name_set = 1;
		else if (!strcmp(k, "include"))
			rc = parse_include(&pc, v, &out->include, err);
		/* version is obsolete and ignored, as docker compose v2 does; secrets and
		 * configs are the specification's but not modelled here yet */
		else if (strcmp(k, "version") && strcmp(k, "secrets") && strcmp(k, "configs") &&
			 strncmp(k, "x-", 2))
			rc = cy_fail(&pc, key, err,
				     "unknown key (not in the Compose Specification: services, "
				     "networks, volumes, name, include, secrets, configs, x-*)");
		if (rc < 0)
			return -1;
		cy_pop(&pc, len);
	}
	return 0;
}

/* the first error libfyaml collected, as "FILE:LINE:COL: MSG"; 0 when there is none */
static int yaml_fail(const char *file, struct fy_diag *diag, struct mr_err *err)
{
	void *it = NULL;
	struct fy_diag_error *e = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
	if (!e)
		return 0;
	return mr_fail(err, 0, "%s:%d:%d: invalid YAML: %s", file, e->line + 1, e->column + 1,
		       e->msg);
}

/* Where TEXT first breaks UTF-8 (line and column, 1-based), or 0 when it is all UTF-8. YAML
 * is UTF-8 text (docker compose's parser refuses other bytes too), and libfyaml 0.7 loops
 * forever on a bad byte in a %directive line (found by fuzz_compose): it never sees one. */
static int bad_utf8(const char *text, int *line, int *col)
{
	const unsigned char *s = (const unsigned char *)text;
	*line = 1;
	*col = 1;
	while (*s) {
		size_t n = *s < 0x80                  ? 1
			   : *s >= 0xc2 && *s <= 0xdf ? 2
			   : *s >= 0xe0 && *s <= 0xef ? 3
			   : *s >= 0xf0 && *s <= 0xf4 ? 4
						      : 0;
		if (!n)
			return 1;
		for (size_t i = 1; i < n; i++)
			if ((s[i] & 0xc0) != 0x80)
				return 1;
		/* overlong 3- and 4-byte forms, surrogates, above U+10FFFF */
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
		    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 1;
		if (*s == '\n') {
			(*line)++;
			*col = 0;
		}
		(*col)++;
		s += n;
	}
	return 0;
}

static int parse_doc(const struct compose_ctx *ctx, const char *text, struct compose_file *out,
		     struct mr_err *err)
{
	int line, col;
	if (bad_utf8(text, &line, &col))
		return mr_fail(err, 0,
			       "%s:%d:%d: invalid YAML: not UTF-8 text (save the file as UTF-8)",
			       ctx->file, line, col);
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.level = FYET_ERROR;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	if (diag)
		fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT | FYPCF_DEFAULT_VERSION_1_2,
		.diag = diag,
	};
	struct fy_document *doc = fy_document_build_from_string(&cfg, text, FY_NT);
	int rc;
	if (!doc) /* no document and no error: a file of nothing but comments */
		rc = yaml_fail(ctx->file, diag, err) < 0 ? -1 : parse_root(ctx, NULL, out, err);
	else
		rc = parse_root(ctx, fy_document_root(doc), out, err);
	fy_document_destroy(doc);
	fy_diag_destroy(diag);
	return rc;
}

int compose_parse_file(const struct compose_ctx *ctx, struct compose_file *out, struct mr_err *err)
{
	char *text;
	if (mr_read_file(ctx->file, &text, NULL, err) < 0) {
		mr_prefix(err, "compose file: ");
		return -1;
	}
	int rc = parse_doc(ctx, text, out, err);
	free(text);
	return rc;
}

int compose_parse_text(const struct compose_ctx *ctx, const char *text, struct compose_file *out,
		       struct mr_err *err)
{
	return parse_doc(ctx, text, out, err);
}
