/*
 * minirun/build/args.c - one Dockerfile instruction: keyword, --flags, and its arguments
 * split by the rule of its kind (the table at the bottom; dockerfile.h shows each rule).
 *
 * The line arrives whole (parse.c joined its continuations and dropped its comments):
 *
 *	COPY --from=build --chown=app:app /out/bin /usr/local/bin/
 *	^keyword ^flags, until the first word without a leading --   ^the arguments
 *
 * Nothing is expanded or checked here: `ENV A=$B` keeps "$B", `COPY --frm=x` keeps its
 * misspelt flag, `FOO bar` is an instruction of unknown kind. Those are for the builder.
 *
 * See: dockerfile.h; https://docs.docker.com/reference/dockerfile/#format
 */
#include "minirun/build/parse_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "minirun/build/buf.h"

static const char *const kind_names[DF_KIND_COUNT] = {
	[DF_UNKNOWN] = "",        [DF_ADD] = "ADD",
	[DF_ARG] = "ARG",         [DF_CMD] = "CMD",
	[DF_COPY] = "COPY",       [DF_ENTRYPOINT] = "ENTRYPOINT",
	[DF_ENV] = "ENV",         [DF_EXPOSE] = "EXPOSE",
	[DF_FROM] = "FROM",       [DF_HEALTHCHECK] = "HEALTHCHECK",
	[DF_LABEL] = "LABEL",     [DF_MAINTAINER] = "MAINTAINER",
	[DF_ONBUILD] = "ONBUILD", [DF_RUN] = "RUN",
	[DF_SHELL] = "SHELL",     [DF_STOPSIGNAL] = "STOPSIGNAL",
	[DF_USER] = "USER",       [DF_VOLUME] = "VOLUME",
	[DF_WORKDIR] = "WORKDIR",
};

enum df_kind df_kind_of(const char *keyword)
{
	for (int k = 1; k < DF_KIND_COUNT; k++)
		if (strcasecmp(keyword, kind_names[k]) == 0)
			return k;
	return DF_UNKNOWN;
}

const char *df_kind_name(enum df_kind kind)
{
	return kind > DF_UNKNOWN && kind < DF_KIND_COUNT ? kind_names[kind] : "";
}

const char *df_flag(const struct df_instr *in, const char *name)
{
	size_t len = strlen(name);
	const char *found = NULL;
	for (size_t i = 0; i < in->nflags; i++) {
		const char *f = in->flags[i];
		if (strncmp(f, "--", 2) != 0)
			continue;
		f += 2;
		if (strncmp(f, name, len) == 0 && (f[len] == '=' || f[len] == '\0'))
			found = f[len] == '=' ? f + len + 1 : "";
	}
	return found;
}

/* the blanks BuildKit splits words at: [\t\v\f\r ] (not \n: lines are already joined) */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

bool df_is_space(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	*len = 1;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
		return true;
	if (u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0)) { /* NEL, NO-BREAK SPACE */
		*len = 2;
		return true;
	}
	if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) { /* OGHAM SPACE MARK */
		*len = 3;
		return true;
	}
	if (u[0] == 0xe2 &&
	    ((u[1] == 0x80 && (u[2] <= 0x8a || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf)) ||
	     (u[1] == 0x81 && u[2] == 0x9f))) { /* U+2000-200A, 2028, 2029, 202F, 205F */
		*len = 3;
		return true;
	}
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) { /* IDEOGRAPHIC SPACE */
		*len = 3;
		return true;
	}
	return false;
}

/* the length of one UTF-8 character at S (1 for a stray byte) */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/*
 * split_flags - the leading --words of REST into FLAGS (quotes and backslashes removed, as
 * BuildKit's flag splitter does); returns where the arguments start. A bare `--` ends the
 * flags and is dropped.
 */
static const char *split_flags(const char *rest, struct strv *flags)
{
	struct sb word = {0};
	const char *p = rest;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (!(p[0] == '-' && p[1] == '-'))
			break;
		bool quoted = false;
		char quote = 0;
		sb_reset(&word);
		for (; *p && (quote || !is_blank(*p)); p++) {
			if (quote && *p == quote) {
				quote = 0;
				continue;
			}
			if (!quote && (*p == '\'' || *p == '"')) {
				quote = *p;
				quoted = true;
				continue;
			}
			if (*p == '\\') {
				if (!p[1])
					continue; /* a trailing backslash is dropped */
				p++;
			}
			sb_putc(&word, *p);
		}
		if (word.len == 2 && strcmp(word.s, "--") == 0)
			break; /* "--": the end of the flags */
		if (word.len || quoted)
			strv_pushn(flags, sb_str(&word), word.len);
	}
	sb_free(&word);
	return p;
}

/*
 * parse_words - REST split at blanks, quotes and escapes kept as written but honoured: a
 * blank inside '...' or "..." or after the escape character does not split (ENV, LABEL, ARG).
 */
static void parse_words(const char *rest, char escape, struct strv *out)
{
	struct sb word = {0};
	const char *p = rest;
	char quote = 0;
	bool in_word = false, blank_ok = false;
	while (*p) {
		size_t n;
		bool space = df_is_space(p, &n);
		if (!in_word) {
			if (space) {
				p += n;
				continue;
			}
			in_word = true;
		}
		if (!quote) {
			if (space) {
				if (blank_ok || word.len)
					strv_pushn(out, sb_str(&word), word.len);
				sb_reset(&word);
				in_word = blank_ok = false;
				p += n;
				continue;
			}
			if (*p == '\'' || *p == '"') {
				quote = *p;
				blank_ok = true;
			} else if (*p == escape) {
				if (!p[1]) { /* an escape at the very end is dropped */
					p++;
					continue;
				}
				sb_putc(&word, *p++);
			}
		} else {
			if (*p == quote) {
				quote = 0;
			} else if (*p == escape && quote != '\'') {
				if (!p[1]) {
					quote = 0;
					p++;
					continue;
				}
				sb_putc(&word, *p++);
			}
		}
		n = char_len(p);
		sb_putn(&word, p, n);
		p += n;
	}
	if (in_word && (blank_ok || word.len))
		strv_pushn(out, sb_str(&word), word.len);
	sb_free(&word);
}

/* words at runs of blanks (FROM, EXPOSE, and COPY/ADD/VOLUME's shell form) */
static void split_blanks(const char *rest, struct strv *out)
{
	const char *p = rest;
	while (*p) {
		const char *s = p;
		while (*p && !is_blank(*p))
			p++;
		strv_pushn(out, s, p - s);
		while (is_blank(*p))
			p++;
	}
}

enum json_result { JSON_NOT, JSON_OK, JSON_NOT_STRINGS };

/* REST as a JSON array of strings (the exec form), or not JSON at all */
static enum json_result parse_json(const char *rest, struct strv *out)
{
	size_t n;
	while (df_is_space(rest, &n))
		rest += n;
	if (*rest != '[')
		return JSON_NOT;
	json_t *a = json_loads(rest, JSON_DECODE_ANY, NULL);
	if (!a || !json_is_array(a)) {
		json_decref(a);
		return JSON_NOT;
	}
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v)) {
			json_decref(a);
			strv_free(out);
			return JSON_NOT_STRINGS;
		}
		strv_pushn(out, json_string_value(v), json_string_length(v));
	}
	json_decref(a);
	return JSON_OK;
}

static const char not_strings[] =
	"when using JSON array syntax, arrays must be comprised of strings only";

/* RUN CMD ENTRYPOINT SHELL: JSON, else the whole rest as one string */
static int maybe_json(const char *rest, struct df_instr *in, struct strv *args, struct mr_err *err)
{
	if (!*rest)
		return 0;
	switch (parse_json(rest, args)) {
	case JSON_OK: in->json = true; return 0;
	case JSON_NOT_STRINGS: return mr_fail(err, 0, "%s", not_strings);
	case JSON_NOT: break;
	}
	strv_push(args, strdup(rest));
	return 0;
}

/* COPY ADD VOLUME: JSON, else words at blanks */
static int maybe_json_list(const char *rest, struct df_instr *in, struct strv *args,
			   struct mr_err *err)
{
	switch (parse_json(rest, args)) {
	case JSON_OK: in->json = true; return 0;
	case JSON_NOT_STRINGS: return mr_fail(err, 0, "%s", not_strings);
	case JSON_NOT: break;
	}
	split_blanks(rest, args);
	return 0;
}

/* ENV LABEL: KEY=VALUE... as (key, value, "=") triples, or the old `KEY VALUE...` form */
static int name_val(const char *rest, char escape, struct df_instr *in, struct strv *args,
		    struct mr_err *err)
{
	struct strv words = {0};
	int rc = 0;
	parse_words(rest, escape, &words);
	if (words.n == 0)
		goto out;
	if (!strchr(words.v[0], '=')) { /* the old form: one key, the rest is its value */
		const char *p = rest;
		while (*p && !is_blank(*p))
			p++;
		const char *v = p;
		while (is_blank(*v))
			v++;
		if (p == v) {
			rc = mr_fail(err, 0, "%s must have two arguments", df_kind_name(in->kind));
			goto out;
		}
		strv_pushn(args, rest, p - rest);
		strv_push(args, strdup(v));
		strv_push(args, strdup(""));
		goto out;
	}
	for (size_t i = 0; i < words.n; i++) {
		char *eq = strchr(words.v[i], '=');
		if (!eq) {
			char *q = df_go_quote(words.v[i]);
			rc = mr_fail(err, 0,
				     "Syntax error - can't find = in %s. Must be of the form: "
				     "name=value",
				     q ? q : words.v[i]);
			free(q);
			goto out;
		}
		strv_pushn(args, words.v[i], eq - words.v[i]);
		strv_push(args, strdup(eq + 1));
		strv_push(args, strdup("="));
	}
out:
	strv_free(&words);
	return rc;
}

/* HEALTHCHECK: the type (NONE, CMD, ...) then the command by RUN's rule */
static int health(const char *rest, struct df_instr *in, struct strv *args, struct mr_err *err)
{
	const char *p = rest;
	while (*p && !is_blank(*p) && *p != '\n')
		p++;
	if (p == rest)
		return 0;
	strv_pushn(args, rest, p - rest);
	while (is_blank(*p) || *p == '\n')
		p++;
	return maybe_json(p, in, args, err);
}

/*
 * df_instr_from_line - see parse_int.h. The keyword is the first word; the flags follow;
 * what remains, trimmed, goes to the kind's rule.
 */
int df_instr_from_line(const char *line, char escape, struct df_instr *in, struct mr_err *err)
{
	struct strv flags = {0}, args = {0};
	size_t n;
	int rc = 0;
	memset(in, 0, sizeof(*in));
	while (df_is_space(line, &n))
		line += n;
	const char *kw = line;
	while (*line && !is_blank(*line))
		line++;
	in->keyword = strndup(kw, line - kw);
	in->original = strdup(kw);
	if (!in->keyword || !in->original)
		goto oom;
	/* drop trailing blanks of the original (BuildKit keeps the line it split, trimmed) */
	for (size_t l = strlen(in->original); l && df_is_space(in->original + l - 1, &n); l--)
		in->original[l - 1] = '\0';
	in->kind = df_kind_of(in->keyword);
	const char *rest = split_flags(line, &flags);
	while (df_is_space(rest, &n))
		rest += n;
	char *body = strdup(rest);
	if (!body)
		goto oom;
	for (size_t l = strlen(body); l && df_is_space(body + l - 1, &n); l--)
		body[l - 1] = '\0';

	switch (in->kind) {
	case DF_FROM:
	case DF_EXPOSE: split_blanks(body, &args); break;
	case DF_RUN:
	case DF_CMD:
	case DF_ENTRYPOINT:
	case DF_SHELL: rc = maybe_json(body, in, &args, err); break;
	case DF_COPY:
	case DF_ADD:
	case DF_VOLUME: rc = maybe_json_list(body, in, &args, err); break;
	case DF_ENV:
	case DF_LABEL: rc = name_val(body, escape, in, &args, err); break;
	case DF_ARG: parse_words(body, escape, &args); break;
	case DF_HEALTHCHECK: rc = health(body, in, &args, err); break;
	case DF_MAINTAINER:
	case DF_STOPSIGNAL:
	case DF_USER:
	case DF_WORKDIR:
		if (*body)
			strv_push(&args, strdup(body));
		break;
	case DF_ONBUILD:
		if (!*body)
			break;
		in->sub = calloc(1, sizeof(*in->sub));
		if (!in->sub) {
			free(body);
			goto oom;
		}
		rc = df_instr_from_line(body, escape, in->sub, err);
		break;
	case DF_UNKNOWN:
	case DF_KIND_COUNT: break; /* ignored here; the builder says "unknown instruction" */
	}
	free(body);
	if (rc < 0)
		goto fail;
	if (flags.oom || args.oom)
		goto oom;
	in->flags = flags.v;
	in->nflags = flags.n;
	in->args = args.v;
	in->nargs = args.n;
	return 0;
oom:
	mr_fail(err, ENOMEM, "parse '%s'", kw);
fail:
	strv_free(&flags);
	strv_free(&args);
	df_instr_clear(in);
	return -1;
}

void df_instr_clear(struct df_instr *in)
{
	free(in->keyword);
	free(in->original);
	for (size_t i = 0; i < in->nflags; i++)
		free(in->flags[i]);
	free(in->flags);
	for (size_t i = 0; i < in->nargs; i++)
		free(in->args[i]);
	free(in->args);
	if (in->sub) {
		df_instr_clear(in->sub);
		free(in->sub);
	}
	for (size_t i = 0; i < in->nheredocs; i++) {
		free(in->heredocs[i].name);
		free(in->heredocs[i].content);
	}
	free(in->heredocs);
	for (size_t i = 0; i < in->ncomments; i++)
		free(in->comments[i]);
	free(in->comments);
	memset(in, 0, sizeof(*in));
}
