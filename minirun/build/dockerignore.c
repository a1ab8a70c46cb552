/*
 * minirun/build/dockerignore.c - .dockerignore patterns and the matching of context paths.
 *
 * Each pattern is compiled once into one of four kinds, as docker's matcher sorts them:
 *
 *   exact    no wildcard at all             node_modules       the path, compared whole
 *   prefix   plain text, then ** at the end "build/" + "**"     the path starts "build/"
 *   suffix   ** at the start, then plain    "**" + "/.env"     it ends "/.env", or is .env
 *   glob     anything else                  "src/" + "*.o"     matched token by token
 *
 * and a glob becomes a list of tokens matched by backtracking (no regular expressions
 * here): a literal byte, `*` (a run without /), `?` (one character but /), `[set]`, and
 * the two forms of `**`: in the middle it is "any directories, or none" (so "a/" "**" "/b"
 * is a/b and a/x/y/b), at the end "anything". A path is then tested with every
 * pattern in order, and against its parent directories too, which is how `build` leaves
 * out build/a/b.o and `!build/keep` takes build/keep/x back.
 *
 * See: dockerignore.h; moby/patternmatcher and its ignorefile (behaviour, not code).
 */
#include "minirun/build/dockerignore.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/file.h"
#include "minirun/build/buf.h"

enum match_kind { MATCH_EXACT, MATCH_PREFIX, MATCH_SUFFIX, MATCH_GLOB };

enum tok_kind {
	T_LIT,        /* one byte */
	T_STAR,       /* [^/]* */
	T_ONE,        /* [^/] (one UTF-8 character) */
	T_SET,        /* [...] */
	T_DSTAR_DIRS, /* (.* /)? : nothing, or anything ending in / */
	T_DSTAR_REST, /* .* */
};

struct tok {
	enum tok_kind kind;
	unsigned char c;       /* T_LIT */
	bool negate;           /* T_SET: [^...] */
	unsigned char set[32]; /* T_SET: a bit per byte */
};

struct ignore_pattern {
	char *text; /* cleaned, without its ! */
	bool exception;
	enum match_kind kind;
	struct tok *toks;
	size_t ntoks;
};

void ignore_clean_path(char *path)
{
	bool rooted = path[0] == '/';
	char *out = path, *p = path;
	size_t len = 0, dotdot = 0; /* dotdot: where ".." may no longer be backed over */
	if (rooted) {
		out[len++] = '/';
		dotdot = 1;
	}
	while (*p) {
		char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t n = p - seg;
		while (*p == '/')
			p++;
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (len > dotdot) { /* back over the last element */
				while (len > dotdot && out[len - 1] != '/')
					len--;
				if (len > dotdot)
					len--;
				else if (len && out[len - 1] == '/' && !rooted)
					len--;
				continue;
			}
			if (rooted)
				continue; /* /.. is / */
			if (len)
				out[len++] = '/';
			out[len++] = '.';
			out[len++] = '.';
			dotdot = len;
			continue;
		}
		if (len && out[len - 1] != '/')
			out[len++] = '/';
		memmove(out + len, seg, n);
		len += n;
	}
	if (len == 0)
		out[len++] = '.';
	out[len] = '\0';
}

static void set_add(struct tok *t, unsigned char c)
{
	t->set[c / 8] |= (unsigned char)(1u << (c % 8));
}

static bool set_has(const struct tok *t, unsigned char c)
{
	return t->set[c / 8] & (1u << (c % 8));
}

/* read a [set] at P (just after the '['); returns the end, or NULL when it does not close */
static const char *read_set(const char *p, struct tok *t)
{
	t->kind = T_SET;
	if (*p == '^') {
		t->negate = true;
		p++;
	}
	bool any = false;
	while (*p && *p != ']') {
		unsigned char lo = (unsigned char)*p++;
		if (lo == '\\') {
			if (!*p)
				return NULL;
			lo = (unsigned char)*p++;
		}
		unsigned char hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			hi = (unsigned char)*p++;
			if (hi == '\\') {
				if (!*p)
					return NULL;
				hi = (unsigned char)*p++;
			}
			if (hi < lo)
				return NULL;
		}
		for (unsigned c = lo; c <= hi; c++)
			set_add(t, (unsigned char)c);
		any = true;
	}
	return *p == ']' && any ? p + 1 : NULL;
}

/* compile P->text into its kind and, for a glob, its tokens; -1 on a malformed pattern */
static int compile(struct ignore_pattern *pat)
{
	const char *p = pat->text;
	size_t cap = strlen(p) + 1;
	pat->toks = calloc(cap, sizeof(*pat->toks));
	if (!pat->toks)
		return -1;
	enum match_kind kind = MATCH_EXACT;
	for (size_t i = 0; *p; i++) {
		struct tok *t = &pat->toks[pat->ntoks++];
		char c = *p++;
		if (c == '*' && *p == '*') {
			p++;
			if (*p == '/')
				p++; /* "** /" is "**" */
			if (!*p) {
				t->kind = T_DSTAR_REST;
				kind = kind == MATCH_EXACT ? MATCH_PREFIX : MATCH_GLOB;
			} else {
				t->kind = T_DSTAR_DIRS;
				kind = MATCH_GLOB;
			}
			if (i == 0)
				kind = MATCH_SUFFIX;
		} else if (c == '*') {
			t->kind = T_STAR;
			kind = MATCH_GLOB;
		} else if (c == '?') {
			t->kind = T_ONE;
			kind = MATCH_GLOB;
		} else if (c == '\\') {
			if (!*p)
				return -1; /* a trailing backslash escapes nothing */
			t->kind = T_LIT;
			t->c = (unsigned char)*p++;
			kind = MATCH_GLOB;
		} else if (c == '[') {
			p = read_set(p, t);
			if (!p)
				return -1;
			kind = MATCH_GLOB;
		} else if (c == ']') {
			return -1;
		} else {
			t->kind = T_LIT;
			t->c = (unsigned char)c;
		}
	}
	pat->kind = kind;
	return 0;
}

static size_t utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* do the tokens T[0..n) match the whole of S? */
static bool glob(const struct tok *t, size_t n, const char *s)
{
	for (; n; t++, n--) {
		switch (t->kind) {
		case T_LIT:
			if ((unsigned char)*s != t->c)
				return false;
			s++;
			break;
		case T_ONE:
			if (!*s || *s == '/')
				return false;
			s += utf8_len(s);
			break;
		case T_SET:
			if (!*s || set_has(t, (unsigned char)*s) == t->negate)
				return false;
			s++;
			break;
		case T_STAR:
			for (;; s++) {
				if (glob(t + 1, n - 1, s))
					return true;
				if (!*s || *s == '/')
					return false;
			}
		case T_DSTAR_DIRS:
			if (glob(t + 1, n - 1, s))
				return true;
			for (; *s; s++)
				if (*s == '/' && glob(t + 1, n - 1, s + 1))
					return true;
			return false;
		case T_DSTAR_REST: return true;
		}
	}
	return *s == '\0';
}

static bool pattern_match(const struct ignore_pattern *p, const char *path)
{
	size_t plen = strlen(path), tlen = strlen(p->text);
	switch (p->kind) {
	case MATCH_EXACT: return strcmp(path, p->text) == 0;
	case MATCH_PREFIX: return strncmp(path, p->text, tlen - 2) == 0;
	case MATCH_SUFFIX: {
		const char *suffix = p->text + 2;
		size_t slen = tlen - 2;
		if (plen >= slen && strcmp(path + plen - slen, suffix) == 0)
			return true;
		return suffix[0] == '/' && strcmp(path, suffix + 1) == 0;
	}
	case MATCH_GLOB: return glob(p->toks, p->ntoks, path);
	}
	return false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* trim - blanks off both ends of [*s, *s + *n) */
static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

static int add_n(struct dockerignore *di, const char *s, size_t n, struct mr_err *err)
{
	trim(&s, &n);
	if (n == 0)
		return 0;
	bool exception = s[0] == '!';
	if (exception) {
		s++;
		n--;
		trim(&s, &n);
		if (n == 0)
			return mr_fail(err, 0, "illegal exclusion pattern: \"!\"");
	}
	char *text = strndup(s, n);
	if (!text)
		return mr_fail(err, ENOMEM, ".dockerignore");
	ignore_clean_path(text);
	if (text[0] == '/' && text[1]) /* relative to the context's root either way */
		memmove(text, text + 1, strlen(text));
	struct ignore_pattern *v = realloc(di->patterns, (di->n + 1) * sizeof(*v));
	if (!v) {
		free(text);
		return mr_fail(err, ENOMEM, ".dockerignore");
	}
	di->patterns = v;
	struct ignore_pattern *p = &di->patterns[di->n];
	memset(p, 0, sizeof(*p));
	p->text = text;
	p->exception = exception;
	if (compile(p) < 0) {
		int oom = !p->toks;
		free(p->toks);
		free(p->text);
		if (oom)
			return mr_fail(err, ENOMEM, ".dockerignore");
		return mr_fail(err, 0, "%s%.*s: syntax error in pattern", exception ? "!" : "",
			       (int)n, s);
	}
	di->exceptions |= exception;
	di->n++;
	return 0;
}

int dockerignore_add(struct dockerignore *di, const char *pattern, struct mr_err *err)
{
	if (pattern[0] == '#')
		return 0;
	return add_n(di, pattern, strlen(pattern), err);
}

int dockerignore_parse(const char *text, size_t len, struct dockerignore *di, struct mr_err *err)
{
	const char *p = text, *end = text + len;
	memset(di, 0, sizeof(*di));
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* a comment is a line that starts with #, before any trimming */
		if ((n == 0 || p[0] != '#') && add_n(di, p, n, err) < 0) {
			dockerignore_free(di);
			return -1;
		}
		p += n + (nl ? 1 : 0);
	}
	return 0;
}

int dockerignore_load(const char *context_dir, struct dockerignore *di, struct mr_err *err)
{
	char path[PATH_MAX];
	char *text = NULL;
	size_t len = 0;
	memset(di, 0, sizeof(*di));
	snprintf(path, sizeof(path), "%s/.dockerignore", context_dir);
	if (mr_read_file(path, &text, &len, err) < 0)
		return errno == ENOENT ? 0 : -1;
	int rc = dockerignore_parse(text, len, di, err);
	free(text);
	if (rc < 0)
		mr_prefix(err, "%s: ", path);
	return rc;
}

bool dockerignore_excludes(const struct dockerignore *di, const char *path)
{
	char *clean = strdup(path);
	bool matched = false;
	if (!clean)
		return false;
	ignore_clean_path(clean);
	if (strcmp(clean, ".") == 0) {
		free(clean);
		return false; /* the context itself is never left out */
	}
	for (size_t i = 0; i < di->n; i++) {
		const struct ignore_pattern *p = &di->patterns[i];
		/* an exclusion can only change a path not yet left out, an exception one that
		 * is */
		if (p->exception != matched)
			continue;
		bool m = pattern_match(p, clean);
		/* or one of the directories above it: `build` leaves out build/x/y */
		for (char *s = clean; !m && (s = strchr(s, '/')); s++) {
			*s = '\0';
			m = pattern_match(p, clean);
			*s = '/';
		}
		if (m)
			matched = !p->exception;
	}
	free(clean);
	return matched;
}

void dockerignore_free(struct dockerignore *di)
{
	for (size_t i = 0; i < di->n; i++) {
		free(di->patterns[i].text);
		free(di->patterns[i].toks);
	}
	free(di->patterns);
	memset(di, 0, sizeof(*di));
}
