/*
 * minirun/build/shlex.c - the Dockerfile's shell lexer (see shlex.h for the grammar).
 *
 * One pass over the word, as BuildKit's lexer makes it: ordinary characters are copied,
 * the escape character takes the next one literally, and three characters start their
 * own little parser: ' (to the next '), " (to the next unescaped ", with $ still live
 * inside) and $ (a name, or ${...} with its modifier). The same pass feeds two outputs:
 * the expanded string (`shlex_word`) and the split words (`shlex_words`), where a blank
 * splits only when it was written bare or came out of a bare $VAR.
 *
 * Two of BuildKit's choices a reader may not expect, kept here on purpose:
 *   - in "double quotes" only \" \$ and \\ are escapes; "\n" stays a backslash and an n;
 *   - the pattern of ${V#p} / ${V%p} / ${V/p/r} keeps its backslashes, so \* is a literal
 *     star there, while quotes inside it are removed first ("*" is still a wildcard).
 *
 * See: shlex.h; BuildKit frontend/dockerfile/shell/lex.go (the behaviour, not the code).
 */
#include "minirun/build/shlex.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/build/buf.h"

/* The words being split out while the string is expanded (BuildKit's wordsStruct). */
struct words {
	struct sb cur;
	struct strv list;
	bool in_word;
};

struct lexer {
	const char *p; /* the next character */
	int escape;
	unsigned opts;
	bool raw_escapes; /* SHLEX_RAW_ESCAPES, or a pattern being read */
	const struct shlex_env *env;
	char msg[512]; /* the error, without BuildKit's "failed to process" prefix */
};

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static void words_raw_char(struct words *w, char c)
{
	sb_putc(&w->cur, c);
	w->in_word = true;
}

/* a bare character: a blank ends the word being built, anything else joins it */
static void words_char(struct words *w, char c)
{
	if (is_blank((unsigned char)c)) {
		if (w->in_word && w->cur.len) {
			strv_pushn(&w->list, w->cur.s, w->cur.len);
			sb_reset(&w->cur);
			w->in_word = false;
		}
	} else {
		words_raw_char(w, c);
	}
}

static void words_end(struct words *w)
{
	if (w->cur.len) {
		strv_pushn(&w->list, w->cur.s, w->cur.len);
		sb_reset(&w->cur);
	}
	w->in_word = false;
}

static int fail(struct lexer *lx, const char *fmt, const char *arg)
{
	snprintf(lx->msg, sizeof(lx->msg), fmt, arg);
	return -1;
}

static const char *lookup(struct lexer *lx, const char *name)
{
	return lx->env && lx->env->get ? lx->env->get(lx->env->ctx, name) : NULL;
}

static int read_until(struct lexer *lx, int stop, bool raw_escapes, struct sb *out,
		      struct words *w);

/* 'text' - taken as written; a single quote cannot be escaped inside one */
static int single_quote(struct lexer *lx, struct sb *out)
{
	bool raw = lx->opts & SHLEX_RAW_QUOTES;
	if (raw)
		sb_putc(out, '\'');
	lx->p++;
	for (;; lx->p++) {
		if (!*lx->p)
			return fail(lx, "%s",
				    "unexpected end of statement while looking for matching "
				    "single-quote");
		if (*lx->p == '\'')
			break;
		sb_putc(out, *lx->p);
	}
	if (raw)
		sb_putc(out, '\'');
	lx->p++;
	return 0;
}

static int dollar(struct lexer *lx, struct sb *out);

/* "text" - literal but for $ expansions and the escapes \" \$ \\ (with the file's escape) */
static int double_quote(struct lexer *lx, struct sb *out)
{
	bool raw = lx->opts & SHLEX_RAW_QUOTES;
	if (raw)
		sb_putc(out, '"');
	lx->p++;
	for (;;) {
		char c = *lx->p;
		if (!c)
			return fail(lx, "%s",
				    "unexpected end of statement while looking for matching "
				    "double-quote");
		if (c == '"') {
			lx->p++;
			if (raw)
				sb_putc(out, '"');
			return 0;
		}
		if (c == '$') {
			if (dollar(lx, out) < 0)
				return -1;
			continue;
		}
		lx->p++;
		if (c == lx->escape) {
			if (lx->raw_escapes)
				sb_putc(out, c);
			char n = *lx->p;
			if (!n)
				continue; /* a trailing escape is dropped; the loop then fails */
			if (n == '"' || n == '$' || n == lx->escape)
				c = *lx->p++;
		}
		sb_putc(out, c);
	}
}

/* A name after $: digits ($1), one special parameter ($?, $#, ...), or [A-Za-z0-9_]+.
 * BuildKit also takes non-ASCII letters; this lexer takes ASCII ones only. */
static void read_name(struct lexer *lx, struct sb *name)
{
	const char *p = lx->p;
	if (*p >= '0' && *p <= '9') {
		while (*p >= '0' && *p <= '9')
			p++;
	} else if (*p && strchr("@*#?-$!0", *p)) {
		p++;
	} else {
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9') || *p == '_')
			p++;
	}
	sb_putn(name, lx->p, p - lx->p);
	lx->p = p;
}

/* cut the shortest (or, GREEDY, longest) prefix or suffix of VALUE matching PAT */
static int trim_match(struct lexer *lx, const char *value, const char *pat, bool suffix,
		      bool greedy, struct sb *out)
{
	size_t n = strlen(value);
	for (size_t k = 0; k <= n; k++) {
		size_t len = greedy ? n - k : k;
		const char *start = suffix ? value + n - len : value;
		int m = shlex_glob_match(pat, start, len);
		if (m < 0)
			return fail(lx, "invalid pattern (%s) in substitution", pat);
		if (m) {
			if (suffix)
				sb_putn(out, value, n - len);
			else
				sb_puts(out, value + len);
			return 0;
		}
	}
	sb_puts(out, value);
	return 0;
}

/* ${V/p/r}: the leftmost match (the longest there) of PAT replaced, or every match (ALL) */
static int replace_match(struct lexer *lx, const char *value, const char *pat, const char *rep,
			 bool all, struct sb *out)
{
	size_t n = strlen(value), i = 0;
	bool done = false;
	while (i <= n) {
		size_t len = 0;
		int m = 0;
		if (!done)
			for (len = n - i;; len--) {
				m = shlex_glob_match(pat, value + i, len);
				if (m < 0)
					return fail(lx, "invalid pattern (%s) in substitution",
						    pat);
				if (m || len == 0)
					break;
			}
		if (m) {
			sb_puts(out, rep);
			done = !all;
			if (len) {
				i += len;
				continue;
			}
		}
		if (i < n)
			sb_putc(out, value[i]);
		i++;
	}
	return 0;
}

/* ${NAME...} once NAME has been read: the modifiers */
static int brace_modifier(struct lexer *lx, const char *name, struct sb *out)
{
	struct sb word = {0}, rep = {0};
	int rc = -1;
	char c = *lx->p;
	if (!c) {
		fail(lx, "%s", "syntax error: missing '}'");
		goto out;
	}
	lx->p++;
	const char *value = lookup(lx, name);
	bool skip = !value && (lx->opts & SHLEX_SKIP_UNSET);
	if (c == '}') {
		if (skip) {
			sb_puts(out, "${");
			sb_puts(out, name);
			sb_putc(out, '}');
		} else {
			sb_puts(out, value ? value : "");
		}
		rc = 0;
		goto out;
	}
	if (c == '/') {
		bool all = *lx->p == '/';
		if (all)
			lx->p++;
		if (read_until(lx, '/', true, &word, NULL) < 0) {
			if (!*lx->p)
				fail(lx, "%s", "syntax error: missing '/' in ${}");
			goto out;
		}
		if (read_until(lx, '}', true, &rep, NULL) < 0) {
			if (!*lx->p)
				fail(lx, "%s", "syntax error: missing '}'");
			goto out;
		}
		if (skip) {
			sb_puts(out, "${");
			sb_puts(out, name);
			sb_puts(out, all ? "//" : "/");
			sb_puts(out, sb_str(&word));
			sb_putc(out, '/');
			sb_puts(out, sb_str(&rep));
			sb_putc(out, '}');
			rc = 0;
		} else {
			rc = replace_match(lx, value ? value : "", sb_str(&word), sb_str(&rep), all,
					   out);
		}
		goto out;
	}
	char mod[3] = {c, 0, 0};
	bool colon = c == ':';
	if (colon) {
		if (!*lx->p) {
			fail(lx, "%s", "syntax error: missing '}'");
			goto out;
		}
		c = mod[1] = *lx->p++;
	}
	if (!strchr("+-?#%", c)) {
		fail(lx, "unsupported modifier (%s) in substitution", mod);
		goto out;
	}
	bool pattern = c == '#' || c == '%';
	if (colon && pattern) {
		fail(lx, "unsupported modifier (%s) in substitution", mod);
		goto out;
	}
	if (read_until(lx, '}', pattern, &word, NULL) < 0) {
		if (!*lx->p)
			fail(lx, "%s", "syntax error: missing '}'");
		goto out;
	}
	if (skip) {
		sb_puts(out, "${");
		sb_puts(out, name);
		sb_puts(out, mod);
		sb_puts(out, sb_str(&word));
		sb_putc(out, '}');
		rc = 0;
		goto out;
	}
	/* with ':' an empty value counts as unset */
	bool unset = !value || (colon && !*value);
	const char *w = sb_str(&word);
	rc = 0;
	switch (c) {
	case '-': sb_puts(out, unset ? w : value); break;
	case '+': sb_puts(out, unset ? "" : w); break;
	case '?':
		if (!unset) {
			sb_puts(out, value);
			break;
		}
		snprintf(
			lx->msg, sizeof(lx->msg), "%s: %s", name,
			*w ? w
			   : (value ? "is not allowed to be empty" : "is not allowed to be unset"));
		rc = -1;
		break;
	default: { /* # and %: a doubled one (## %%) is the greedy form */
		bool greedy = *w == c;
		rc = trim_match(lx, value ? value : "", greedy ? w + 1 : w, c == '%', greedy, out);
	}
	}
out:
	sb_free(&word);
	sb_free(&rep);
	return rc;
}

/* $NAME or ${NAME...}; a $ followed by no name is a literal $ */
static int dollar(struct lexer *lx, struct sb *out)
{
	struct sb name = {0};
	int rc = 0;
	lx->p++;
	if (*lx->p != '{') {
		read_name(lx, &name);
		if (!name.len) {
			sb_putc(out, '$');
		} else {
			const char *v = lookup(lx, name.s);
			if (!v && (lx->opts & SHLEX_SKIP_UNSET)) {
				sb_putc(out, '$');
				sb_puts(out, name.s);
			} else {
				sb_puts(out, v ? v : "");
			}
		}
		sb_free(&name);
		return 0;
	}
	lx->p++;
	if (!*lx->p)
		return fail(lx, "%s", "syntax error: missing '}'");
	if (*lx->p == '{' || *lx->p == '}' || *lx->p == ':')
		return fail(lx, "%s", "syntax error: bad substitution");
	read_name(lx, &name);
	rc = brace_modifier(lx, sb_str(&name), out);
	sb_free(&name);
	return rc;
}

/*
 * read_until - expand up to STOP (0: the end of the word) into OUT and, when W is not NULL,
 * the split words into W. RAW_ESCAPES keeps escape characters (the patterns of ${V#p}).
 */
static int read_until(struct lexer *lx, int stop, bool raw_escapes, struct sb *out, struct words *w)
{
	bool saved = lx->raw_escapes;
	bool quotes = !(lx->opts & SHLEX_NO_QUOTES);
	int rc = 0;
	lx->raw_escapes = raw_escapes;
	while (*lx->p) {
		char c = *lx->p;
		if (stop && c == stop) {
			lx->p++;
			goto out;
		}
		if (c == '$' || (quotes && (c == '\'' || c == '"'))) {
			size_t from = out->len;
			rc = c == '$'   ? dollar(lx, out)
			     : c == '"' ? double_quote(lx, out)
					: single_quote(lx, out);
			if (rc < 0)
				goto out;
			for (size_t i = from; w && i < out->len; i++)
				if (c == '$')
					words_char(w, out->s[i]); /* a bare $VAR splits */
				else
					words_raw_char(w, out->s[i]);
			if (w && c != '$')
				w->in_word = true; /* "" is a word start even when empty */
			continue;
		}
		lx->p++;
		if (c == lx->escape) {
			if (lx->raw_escapes) {
				sb_putc(out, c);
				if (w)
					words_raw_char(w, c);
			}
			c = *lx->p;
			if (!c)
				break;
			lx->p++;
			if (w)
				words_raw_char(w, c);
		} else if (w) {
			words_char(w, c);
		}
		sb_putc(out, c);
	}
	if (stop) {
		char s[2] = {(char)stop, 0};
		rc = fail(lx, "unexpected end of statement while looking for matching %s", s);
	}
out:
	lx->raw_escapes = saved;
	return rc;
}

static int run(const char *word, int escape, unsigned opts, const struct shlex_env *env,
	       struct sb *out, struct words *w, struct mr_err *err)
{
	struct lexer lx = {.p = word,
			   .escape = escape,
			   .opts = opts,
			   .raw_escapes = opts & SHLEX_RAW_ESCAPES,
			   .env = env};
	if (read_until(&lx, 0, lx.raw_escapes, out, w) < 0)
		return mr_fail(err, 0, "failed to process \"%s\": %s", word, lx.msg);
	if (out->oom || (w && (w->cur.oom || w->list.oom)))
		return mr_fail(err, ENOMEM, "expand \"%s\"", word);
	return 0;
}

int shlex_word(const char *word, int escape, unsigned opts, const struct shlex_env *env, char **out,
	       struct mr_err *err)
{
	struct sb res = {0};
	if (run(word, escape, opts, env, &res, NULL, err) < 0) {
		sb_free(&res);
		return -1;
	}
	*out = sb_take(&res);
	return *out ? 0 : mr_fail(err, ENOMEM, "expand \"%s\"", word);
}

int shlex_words(const char *word, int escape, unsigned opts, const struct shlex_env *env,
		char ***words, size_t *n, struct mr_err *err)
{
	struct sb res = {0};
	struct words w = {0};
	int rc = run(word, escape, opts, env, &res, &w, err);
	sb_free(&res);
	if (rc == 0)
		words_end(&w);
	sb_free(&w.cur);
	if (rc < 0 || w.list.oom) {
		strv_free(&w.list);
		return rc < 0 ? -1 : mr_fail(err, ENOMEM, "expand \"%s\"", word);
	}
	char **v = w.list.v ? w.list.v : calloc(1, sizeof(char *)); /* the caller's now */
	if (!v)
		return mr_fail(err, ENOMEM, "expand \"%s\"", word);
	*words = v;
	*n = w.list.n;
	return 0;
}

void shlex_free_words(char **words)
{
	for (char **p = words; p && *p; p++)
		free(*p);
	free(words);
}

const char *shlex_list_get(void *ctx, const char *name)
{
	const struct shlex_list *l = ctx;
	size_t len = strlen(name);
	for (size_t i = l->n; i-- > 0;) {
		const char *kv = l->kv[i];
		if (strncmp(kv, name, len) == 0 && (kv[len] == '=' || kv[len] == '\0'))
			return kv[len] == '=' ? kv + len + 1 : "";
	}
	return NULL;
}

int shlex_glob_match(const char *pat, const char *s, size_t len)
{
	/* The pattern as tokens first: a literal byte, '?' (any one) or '*' (any run), runs of
	 * '*' as one. An escape BuildKit refuses is an error wherever it stands, as its regexp
	 * compile is. */
	size_t plen = strlen(pat), n = 0;
	short *tok = malloc((plen + 1) * sizeof(*tok));
	if (!tok)
		return -1;
	enum { ANY = -1, STAR = -2 };
	for (const char *p = pat; *p; p++) {
		if (*p == '\\') {
			/* \} and \/ were escapes for ${...} itself: the backslash is not pattern */
			if (p[1] == '}' || p[1] == '/')
				continue;
			if (p[1] != '*' && p[1] != '?' && p[1] != '\\') {
				free(tok);
				return -1;
			}
			tok[n++] = (unsigned char)*++p;
		} else if (*p == '*') {
			if (!n || tok[n - 1] != STAR)
				tok[n++] = STAR;
		} else {
			tok[n++] = *p == '?' ? ANY : (unsigned char)*p;
		}
	}
	/* Greedy match with one backtrack point (the last '*'): O(len * n), where trying every
	 * split at every '*' recursively was exponential (found by fuzz_dockerfile: a pattern of
	 * many stars ran for minutes). */
	size_t t = 0, i = 0, star = (size_t)-1, mark = 0;
	while (i < len) {
		if (t < n && tok[t] == STAR) {
			star = t++;
			mark = i;
		} else if (t < n && (tok[t] == ANY || tok[t] == (unsigned char)s[i])) {
			t++;
			i++;
		} else if (star != (size_t)-1) {
			t = star + 1;
			i = ++mark;
		} else {
			free(tok);
			return 0;
		}
	}
	while (t < n && tok[t] == STAR)
		t++;
	free(tok);
	return t == n;
}
