/*
 * minirun/build/parse.c - a Dockerfile's lines: directives, comments, continuations and
 * heredocs, turned into one logical line per instruction (args.c splits each one).
 *
 * The reading order, as BuildKit reads a file:
 *
 *  1. Parser directives come first: `# escape=``, `# syntax=...`, `# check=...` lines
 *     before anything else. The first line that is not one (an instruction, a blank line,
 *     any other comment) ends them; an unknown `# key=value` is an ordinary comment, and a
 *     directive given twice is an error. Only escape changes the parse; syntax and check
 *     are noted (no frontend image is fetched here).
 *  2. A line whose first non-blank is `#` is a comment, wherever it is; a `#` later in a
 *     line is part of the instruction (`RUN echo # not a comment`).
 *  3. A line ending in the escape character (blanks after it allowed) continues on the
 *     next. Continuation lines keep their indentation; comment lines between them are
 *     skipped; an empty one is skipped with a warning ("Empty continuation line").
 *  4. RUN, COPY and ADD in shell form (and ONBUILD carrying one) may name here-documents:
 *     each word `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF` takes the lines after the
 *     instruction up to a line that is exactly EOF (after leading tabs, with <<-), in the
 *     order the words appear. The words are found with the shell lexer, so a `<<EOF`
 *     inside quotes is not one.
 *
 * See: dockerfile.h; https://docs.docker.com/reference/dockerfile/#parser-directives,
 *      .../#here-documents
 */
#include "minirun/build/parse_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/file.h"
#include "minirun/build/buf.h"
#include "minirun/build/shlex.h"

struct reader {
	const char *p, *end;
	int line; /* lines read so far */
};

/* the next physical line, with its newline; false at the end of the text */
static bool next_line(struct reader *r, const char **s, size_t *n)
{
	if (r->p >= r->end)
		return false;
	const char *nl = memchr(r->p, '\n', r->end - r->p);
	*s = r->p;
	*n = nl ? (size_t)(nl + 1 - r->p) : (size_t)(r->end - r->p);
	r->p += *n;
	r->line++;
	return true;
}

static size_t trim_newline(const char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

static size_t skip_space(const char *s, size_t n)
{
	size_t i = 0, w;
	while (i < n && df_is_space(s + i, &w))
		i += w;
	return i;
}

static bool is_comment(const char *s, size_t n)
{
	size_t i = skip_space(s, n);
	return i < n && s[i] == '#';
}

struct parser {
	struct dockerfile *df;
	bool directives_done;
	bool seen_escape, seen_syntax, seen_check;
	char msg[512];
};

static bool re_space(char c) /* the \s of Go's regexp: [\t\n\f\r ] */
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/*
 * directive - is TOK (a first line, leading blanks and newline gone) a parser directive?
 * `#` blanks NAME blanks `=` blanks VALUE, NAME one of escape/syntax/check in any case.
 * Returns 1 (taken), 0 (not one: directives are over), -1 (bad one, ps->msg set).
 */
static int directive(struct parser *ps, const char *tok, size_t n)
{
	if (ps->directives_done)
		return 0;
	ps->directives_done = true; /* until this line proves to be one */
	if (n == 0 || tok[0] != '#')
		return 0;
	size_t i = 1 + skip_space(tok + 1, n - 1);
	size_t name = i;
	if (i >= n || !isalpha((unsigned char)tok[i]))
		return 0;
	while (i < n && isalnum((unsigned char)tok[i]))
		i++;
	size_t name_len = i - name;
	while (i < n && re_space(tok[i]))
		i++;
	if (i >= n || tok[i] != '=')
		return 0;
	i++;
	while (i < n && re_space(tok[i]))
		i++;
	size_t end = n;
	while (end > i && re_space(tok[end - 1]))
		end--;
	if (end == i)
		return 0;
	char key[16];
	if (name_len >= sizeof(key))
		return 0;
	for (size_t k = 0; k < name_len; k++)
		key[k] = (char)tolower((unsigned char)tok[name + k]);
	key[name_len] = '\0';
	bool *seen = !strcmp(key, "escape")   ? &ps->seen_escape
		     : !strcmp(key, "syntax") ? &ps->seen_syntax
		     : !strcmp(key, "check")  ? &ps->seen_check
					      : NULL;
	if (!seen)
		return 0; /* an unknown directive is a comment */
	if (*seen) {
		snprintf(ps->msg, sizeof(ps->msg), "only one %s parser directive can be used", key);
		return -1;
	}
	*seen = true;
	ps->directives_done = false;
	const char *val = tok + i;
	size_t vlen = end - i;
	if (seen == &ps->seen_escape) {
		if (vlen != 1 || (val[0] != '`' && val[0] != '\\')) {
			snprintf(ps->msg, sizeof(ps->msg),
				 "invalid escape token '%.*s' does not match ` or \\", (int)vlen,
				 val);
			return -1;
		}
		ps->df->escape = val[0];
	} else {
		char **slot = seen == &ps->seen_syntax ? &ps->df->syntax : &ps->df->check;
		*slot = strndup(val, vlen);
		if (!*slot) {
			snprintf(ps->msg, sizeof(ps->msg), "%s", strerror(ENOMEM));
			return -1;
		}
	}
	return 1;
}

/*
 * continues - strip a trailing escape character (and blanks after it) from LINE[0..*n):
 * true when the line continues on the next. An escape that is itself escaped (`\\`) does
 * not continue the line, as BuildKit's rule has it: the character before must be another.
 */
static bool continues(const char *line, size_t *n, char escape)
{
	size_t e = *n;
	while (e && (line[e - 1] == ' ' || line[e - 1] == '\t'))
		e--;
	if (e == 0 || line[e - 1] != escape)
		return false;
	if (e >= 2 && line[e - 2] == escape)
		return false;
	*n = e - 1;
	return true;
}

static bool can_have_heredoc(const struct df_instr *in)
{
	if (in->kind == DF_ONBUILD && in->sub)
		in = in->sub;
	return (in->kind == DF_RUN || in->kind == DF_COPY || in->kind == DF_ADD) && !in->json;
}

static int count_quotes(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\'' || *s == '"';
	return n;
}

/*
 * heredoc_word - is WORD (from the line, quotes and escapes kept) a `N<<-NAME` opener?
 * Returns 1 with *h filled (name, fd, chomp, expand), 0 if not, -1 with err.
 */
static int heredoc_word(const char *word, struct df_heredoc *h, struct mr_err *err)
{
	const char *p = word;
	unsigned fd = 0;
	while (*p >= '0' && *p <= '9')
		fd = fd * 10 + (unsigned)(*p++ - '0');
	if (strncmp(p, "<<", 2) != 0)
		return 0;
	p += 2;
	bool chomp = *p == '-';
	if (chomp)
		p++;
	if (!*p || strchr(p, '<'))
		return 0;
	/* The word twice: quotes removed, and kept. A quote that is removed in the first means
	 * part of the word was quoted: then the content is taken literally (no $ expansion). */
	char **plain = NULL, **raw = NULL;
	size_t np = 0, nr = 0;
	int rc = 0;
	if (shlex_words(p, '\\', SHLEX_SKIP_UNSET, NULL, &plain, &np, err) < 0)
		return -1;
	if (np != 1)
		goto out;
	if (shlex_words(p, '\\', SHLEX_SKIP_UNSET | SHLEX_RAW_QUOTES, NULL, &raw, &nr, err) < 0) {
		rc = -1;
		goto out;
	}
	if (nr != np) {
		rc = mr_fail(err, 0, "internal lexing of heredoc produced inconsistent results: %s",
			     p);
		goto out;
	}
	h->name = strdup(plain[0]);
	if (!h->name) {
		rc = mr_fail(err, ENOMEM, "heredoc");
		goto out;
	}
	h->fd = fd;
	h->chomp = chomp;
	h->expand = count_quotes(plain[0]) == count_quotes(raw[0]);
	rc = 1;
out:
	shlex_free_words(plain);
	shlex_free_words(raw);
	return rc;
}

/* read the bodies of the heredocs LINE opens into IN, from the lines after it */
static int read_heredocs(struct reader *r, const char *line, struct df_instr *in,
			 struct mr_err *err)
{
	char **words = NULL;
	size_t n = 0;
	struct mr_err ignored = {0};
	/* the whole line, lexed the way BuildKit finds the words: a line that does not lex
	 * (an open quote) simply has no heredocs */
	if (shlex_words(line, '\\', SHLEX_RAW_QUOTES | SHLEX_RAW_ESCAPES | SHLEX_SKIP_UNSET, NULL,
			&words, &n, &ignored) < 0)
		return 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct df_heredoc h = {0};
		int m = heredoc_word(words[i], &h, err);
		if (m <= 0) {
			rc = m;
			continue;
		}
		struct sb body = {0};
		bool terminated = false;
		const char *s;
		size_t len;
		while (next_line(r, &s, &len)) {
			size_t t = trim_newline(s, len), k = 0;
			if (h.chomp)
				while (k < t && s[k] == '\t')
					k++;
			if (t - k == strlen(h.name) && memcmp(s + k, h.name, t - k) == 0) {
				terminated = true;
				break;
			}
			sb_putn(&body, s, len);
		}
		h.content = sb_take(&body);
		struct df_heredoc *v = realloc(in->heredocs, (in->nheredocs + 1) * sizeof(*v));
		if (!terminated || !h.content || !v) {
			rc = !terminated ? mr_fail(err, 0, "unterminated heredoc")
					 : mr_fail(err, ENOMEM, "heredoc");
			free(h.name);
			free(h.content);
			if (v)
				in->heredocs = v;
			break;
		}
		in->heredocs = v;
		in->heredocs[in->nheredocs++] = h;
	}
	shlex_free_words(words);
	return rc;
}

static int add_instr(struct dockerfile *df, struct df_instr *in)
{
	struct df_instr *v = realloc(df->instrs, (df->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	df->instrs = v;
	df->instrs[df->n++] = *in;
	return 0;
}

/* fail_at - the error of a parse that stopped at LINE, in the form "NAME:LINE: what" */
static int fail_at(struct dockerfile *df, const char *name, int line, struct mr_err *err)
{
	char msg[sizeof(err->msg)];
	snprintf(msg, sizeof(msg), "%s", err->msg);
	dockerfile_free(df);
	df->error_line = line;
	if (line > 0)
		return mr_fail(err, 0, "%s:%d: %s", name, line, msg);
	return mr_fail(err, 0, "%s: %s", name, msg);
}

int dockerfile_parse(const char *text, size_t len, const char *name, struct dockerfile *df,
		     struct mr_err *err)
{
	struct reader r = {text, text + len, 0};
	struct parser ps = {.df = df};
	struct strv comments = {0}, warnings = {0};
	struct sb line = {0};
	const char *s;
	size_t n;

	memset(df, 0, sizeof(*df));
	df->escape = '\\';
	while (next_line(&r, &s, &n)) {
		if (r.line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3; /* a UTF-8 byte-order mark */
			n -= 3;
		}
		size_t t = trim_newline(s, n);
		size_t lead = skip_space(s, t);
		const char *tok = s + lead;
		size_t tlen = t - lead;
		if (is_comment(s, t)) {
			size_t c = 1 + skip_space(tok + 1, tlen - 1), e = tlen;
			size_t w;
			while (e > c && df_is_space(tok + e - 1, &w))
				e--;
			if (e == c)
				strv_free(&comments); /* an empty comment ends a comment block */
			else
				strv_pushn(&comments, tok + c, e - c);
		}
		int d = directive(&ps, tok, tlen);
		if (d < 0) {
			mr_fail(err, 0, "%s", ps.msg);
			goto fail_line;
		}
		if (d > 0 && comments.n) { /* a directive is not a comment of the next line */
			free(comments.v[--comments.n]);
			comments.v[comments.n] = NULL;
		}
		if (is_comment(tok, tlen))
			tlen = 0;
		int start = r.line;
		bool more = continues(tok, &tlen, df->escape);
		if (!more && tlen == 0)
			continue;
		sb_reset(&line);
		sb_putn(&line, tok, tlen);
		bool empty_continuation = false;
		while (more && next_line(&r, &s, &n)) {
			t = trim_newline(s, n);
			if (is_comment(s, t))
				continue;
			if (skip_space(s, t) == t) {
				empty_continuation = true;
				continue;
			}
			more = continues(s, &t, df->escape);
			sb_putn(&line, s, t);
		}
		if (line.oom)
			goto oom;
		if (empty_continuation) {
			struct sb w = {0};
			sb_puts(&w, "Empty continuation line found in: ");
			sb_puts(&w, sb_str(&line));
			strv_push(&warnings, sb_take(&w));
		}
		struct df_instr in;
		if (df_instr_from_line(sb_str(&line), df->escape, &in, err) < 0) {
			r.line = start;
			goto fail_line;
		}
		if (can_have_heredoc(&in) && strstr(sb_str(&line), "<<") &&
		    read_heredocs(&r, sb_str(&line), &in, err) < 0) {
			df_instr_clear(&in);
			r.line = start;
			goto fail_line;
		}
		in.start_line = start;
		in.end_line = r.line;
		if (in.sub) { /* ONBUILD's instruction is on the same lines */
			in.sub->start_line = start;
			in.sub->end_line = r.line;
		}
		in.comments = comments.v;
		in.ncomments = comments.n;
		if (comments.oom || add_instr(df, &in) < 0) {
			in.comments = NULL;
			in.ncomments = 0;
			df_instr_clear(&in);
			goto oom;
		}
		memset(&comments, 0, sizeof(comments));
	}
	sb_free(&line);
	strv_free(&comments);
	if (warnings.oom)
		goto oom_nolines;
	df->warnings = warnings.v;
	df->nwarnings = warnings.n;
	if (df->n == 0) {
		mr_fail(err, 0, "file with no instructions");
		return fail_at(df, name, r.line, err);
	}
	return 0;
oom:
	mr_fail(err, ENOMEM, "parse");
fail_line:
	sb_free(&line);
	strv_free(&comments);
	strv_free(&warnings);
	return fail_at(df, name, r.line, err);
oom_nolines:
	strv_free(&warnings);
	mr_fail(err, ENOMEM, "parse");
	return fail_at(df, name, 0, err);
}

int dockerfile_parse_file(const char *path, struct dockerfile *df, struct mr_err *err)
{
	char *text = NULL;
	size_t len = 0;
	if (strcmp(path, "-") == 0) {
		struct sb in = {0};
		char buf[8192];
		size_t got;
		while ((got = fread(buf, 1, sizeof(buf), stdin)) > 0)
			sb_putn(&in, buf, got);
		if (ferror(stdin) || in.oom) {
			sb_free(&in);
			return mr_fail(err, errno ? errno : ENOMEM,
				       "read the Dockerfile from stdin");
		}
		len = in.len;
		text = sb_take(&in);
		if (!text)
			return mr_fail(err, ENOMEM, "read the Dockerfile from stdin");
	} else if (mr_read_file(path, &text, &len, err) < 0) {
		return -1;
	}
	int rc = dockerfile_parse(text, len, path, df, err);
	free(text);
	return rc;
}

void dockerfile_free(struct dockerfile *df)
{
	for (size_t i = 0; i < df->n; i++)
		df_instr_clear(&df->instrs[i]);
	free(df->instrs);
	free(df->syntax);
	free(df->check);
	for (size_t i = 0; i < df->nwarnings; i++)
		free(df->warnings[i]);
	free(df->warnings);
	char escape = df->escape;
	memset(df, 0, sizeof(*df));
	df->escape = escape;
}

char *df_heredoc_text(const struct df_heredoc *h)
{
	if (!h->chomp)
		return strdup(h->content);
	struct sb out = {0};
	bool bol = true;
	for (const char *p = h->content; *p; p++) {
		if (bol && *p == '\t')
			continue;
		bol = *p == '\n';
		sb_putc(&out, *p);
	}
	return sb_take(&out);
}
