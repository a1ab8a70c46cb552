/*
 * minirun/compose/interp.c - variables in a compose project: interpolation and .env files.
 *
 * Interpolation happens on every scalar of a compose file before it is typed, so that
 * `ports: ["${PORT:-8080}:80"]` is a port and `replicas: ${N}` a number:
 *
 *	$V ${V}          the value of V (empty when unset)
 *	${V:-d} ${V-d}   d when V is unset or empty (:-) / unset (-)
 *	${V:?m} ${V?m}   an error "required variable V is missing a value: m" likewise
 *	${V:+r} ${V+r}   r when V is set and not empty (:+) / set (+), else empty
 *	$$               a literal $
 *
 * d, m and r are interpolated themselves, so defaults nest: ${A:-${B:-c}}.
 *
 * The .env reader follows docker compose's dotenv rules (compose_dotenv_parse in compose.h).
 *
 * See: https://docs.docker.com/reference/compose-file/interpolation/,
 *      https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/
 */
#include "minirun/compose/compose.h"

#include <ctype.h>
#include <string.h>

/* a growing string in the arena */
struct sbuf {
	struct compose_arena *a;
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *grown = compose_alloc(b->a, cap);
		if (b->len)
			memcpy(grown, b->s, b->len);
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static char *sb_str(struct sbuf *b)
{
	return b->s ? b->s : compose_strdup(b->a, "");
}

static int name_start(char c)
{
	return c == '_' || isalpha((unsigned char)c);
}

static int name_char(char c)
{
	return c == '_' || isalnum((unsigned char)c);
}

/* the end of a ${...} that starts at P (just past "${"): the matching '}', or NULL */
static const char *closing_brace(const char *p)
{
	int depth = 1;
	for (; *p; p++) {
		if (p[0] == '$' && p[1] == '$') {
			p++;
		} else if (p[0] == '$' && p[1] == '{') {
			depth++;
			p++;
		} else if (*p == '}' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* ${NAME OP WORD}: the operators, longest first */
static const char *const ops[] = {":-", ":?", ":+", "-", "?", "+"};

/* docker compose's warning for a variable used bare and unset: once per variable */
static void warn_unset(struct compose_arena *a, struct compose_strv *warnings, const char *name,
		       const char *where)
{
	if (!warnings)
		return;
	char *prefix = compose_printf(a, "The \"%s\" variable", name);
	for (size_t i = 0; i < warnings->n; i++)
		if (!strncmp(warnings->v[i], prefix, strlen(prefix)))
			return;
	*(char **)compose_push(a, &warnings->v, &warnings->n, sizeof(char *)) = compose_printf(
		a, "%s is not set. Defaulting to a blank string. (%s)", prefix, where);
}

char *compose_interpolate(struct compose_arena *a, const char *in, compose_lookup_fn lookup,
			  void *data, const char *where, struct mr_err *err)
{
	return compose_interpolate_warn(a, in, lookup, data, where, NULL, err);
}

char *compose_interpolate_warn(struct compose_arena *a, const char *in, compose_lookup_fn lookup,
			       void *data, const char *where, struct compose_strv *warnings,
			       struct mr_err *err)
{
	struct sbuf out = {.a = a};
	const char *p = in;
	while (*p) {
		const char *dollar = strchr(p, '$');
		if (!dollar) {
			sb_add(&out, p, strlen(p));
			break;
		}
		sb_add(&out, p, (size_t)(dollar - p));
		p = dollar + 1;
		if (*p == '$') { /* $$: the escape of a literal $ */
			sb_add(&out, "$", 1);
			p++;
			continue;
		}
		if (name_start(*p)) { /* $NAME */
			const char *end = p;
			while (name_char(*end))
				end++;
			char *name = compose_strndup(a, p, (size_t)(end - p));
			const char *v = lookup(name, data);
			if (v)
				sb_add(&out, v, strlen(v));
			else
				warn_unset(a, warnings, name, where);
			p = end;
			continue;
		}
		const char *close = *p == '{' ? closing_brace(p + 1) : NULL;
		if (!close || !name_start(p[1])) {
			mr_fail(err, 0,
				"%s: invalid interpolation format for \"%s\"; you may need to "
				"escape any $ with another $ ($$)",
				where, in);
			return NULL;
		}
		const char *name_end = p + 1;
		while (name_char(*name_end))
			name_end++;
		char *name = compose_strndup(a, p + 1, (size_t)(name_end - p - 1));
		const char *v = lookup(name, data);
		p = close + 1;
		if (name_end == close) { /* ${NAME} */
			if (v)
				sb_add(&out, v, strlen(v));
			else
				warn_unset(a, warnings, name, where);
			continue;
		}
		const char *op = NULL;
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]) && !op; i++)
			if (strncmp(name_end, ops[i], strlen(ops[i])) == 0)
				op = ops[i];
		if (!op) {
			mr_fail(err, 0, "%s: invalid interpolation format for \"%s\"", where, in);
			return NULL;
		}
		const char *word_at = name_end + strlen(op);
		char *word = compose_strndup(a, word_at, (size_t)(close - word_at));
		int colon = op[0] == ':';
		int unset = !v || (colon && !*v); /* ":" also treats empty as unset */
		char kind = op[colon];
		if (kind == '?' && unset) {
			char *msg = compose_interpolate_warn(a, word, lookup, data, where, warnings,
							     err);
			if (!msg)
				return NULL;
			mr_fail(err, 0, "%s: required variable %s is missing a value%s%s", where,
				name, *msg ? ": " : "", msg);
			return NULL;
		}
		const char *use = v;
		if ((kind == '-' && unset) || (kind == '+' && !unset)) {
			use = compose_interpolate_warn(a, word, lookup, data, where, warnings, err);
			if (!use)
				return NULL;
		} else if (kind == '+') {
			use = NULL;
		}
		if (use)
			sb_add(&out, use, strlen(use));
	}
	return sb_str(&out);
}

/* ---- .env ----------------------------------------------------------------------------- */

/* dotenv's own lookup: the shell first (compose's rule), then the file's earlier lines */
struct dotenv_scope {
	compose_lookup_fn lookup;
	void *data;
	const struct compose_kvs *so_far;
};

static const char *dotenv_lookup(const char *name, void *data)
{
	const struct dotenv_scope *s = data;
	const char *v = s->lookup ? s->lookup(name, s->data) : NULL;
	if (v)
		return v;
	const struct compose_kv *kv = compose_kv_find(s->so_far, name);
	return kv ? kv->value : NULL;
}

static int dotenv_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

int compose_dotenv_parse(struct compose_arena *a, const char *text, const char *file,
			 compose_lookup_fn lookup, void *data, struct compose_kvs *out,
			 struct mr_err *err)
{
	struct dotenv_scope scope = {lookup, data, out};
	const char *p = text;
	int line = 1;
	while (*p) {
		/* blank space, empty lines and whole-line comments */
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		int key_line = line;
		if (strncmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t'))
			for (p += 6; *p == ' ' || *p == '\t';)
				p++;
		const char *key = p;
		while (dotenv_key_char(*p))
			p++;
		char *name = compose_strndup(a, key, (size_t)(p - key));
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*name || (*p && *p != '=' && *p != '\n' && *p != '#')) {
			return mr_fail(err, 0,
				       "%s:%d: unexpected character '%c' in variable name; a line "
				       "is KEY=VALUE",
				       file, key_line, *name ? *p : *key);
		}
		if (*p != '=') { /* a bare KEY: the shell's value, if it has one */
			const char *v = lookup ? lookup(name, data) : NULL;
			if (v)
				compose_kv_set(a, out, name, v);
			continue;
		}
		for (p++; *p == ' ' || *p == '\t';)
			p++;
		struct sbuf val = {.a = a};
		int expand = 1;
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			expand = q == '"';
			while (*p && *p != q) {
				if (*p == '\n')
					line++;
				if (q == '"' && *p == '\\' && p[1]) {
					/* \$ becomes $$ so that the expansion below keeps it
					 * literal */
					static const char from[] = "ntr\"\\$",
							  *to[] = {"\n", "\t", "\r",
								   "\"", "\\", "$$"};
					const char *hit = strchr(from, p[1]);
					if (hit)
						sb_add(&val, to[hit - from],
						       strlen(to[hit - from]));
					else
						sb_add(&val, p, 2);
					p += 2;
					continue;
				}
				if (q == '"' && *p == '$' && p[1] != '{' && !name_start(p[1]))
					sb_add(&val, "$", 1); /* a lone $ stays itself */
				sb_add(&val, p++, 1);
			}
			if (!*p)
				return mr_fail(err, 0, "%s:%d: %s has an unterminated %s quote",
					       file, key_line, name,
					       q == '"' ? "double" : "single");
			p++;
			while (*p && *p != '\n') /* after the quote: only blanks or a comment */
				p++;
		} else {
			const char *start = p;
			while (*p && *p != '\n' &&
			       !(*p == '#' && p > start && isspace((unsigned char)p[-1])))
				p++;
			const char *end = p;
			while (end > start && isspace((unsigned char)end[-1]))
				end--;
			for (const char *c = start; c < end; c++) {
				if (*c == '$' && c[1] != '{' && c[1] != '$' && !name_start(c[1]))
					sb_add(&val, "$", 1); /* a lone $ stays itself */
				sb_add(&val, c, 1);
			}
			while (*p && *p != '\n')
				p++;
		}
		char *value = sb_str(&val);
		if (expand) {
			char where[256];
			snprintf(where, sizeof(where), "%s:%d", file, key_line);
			value = compose_interpolate(a, value, dotenv_lookup, &scope, where, err);
			if (!value)
				return -1;
		}
		compose_kv_set(a, out, name, value);
	}
	return 0;
}
