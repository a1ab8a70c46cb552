/*
 * lib/template_lex.c - the template's lexer: text and {{actions}} into tokens.
 *
 * It follows Go's text/template/parse (lex.go) state for state, so the tokens, and the
 * messages for what cannot be a token ("{{.A}" is `bad character U+007D '}'`, "{{" alone
 * `unclosed action`), are Go's. It runs over the whole text before the parser starts; an
 * error becomes an error token where it happened, so the parser reports it only when it
 * gets there, as it would behind Go's concurrent lexer. Trim markers are done here: "{{- "
 * drops the spaces before it from the text token, " -}}" those after it.
 *
 *	"a {{- .X | printf "%q" -}} b"  ->  TEXT "a"  LEFT  FIELD .X  SPACE  PIPE  SPACE
 *	                                    IDENT printf  SPACE  STRING "%q"  RIGHT  TEXT "b"
 *
 * See: template_impl.h (the tokens); https://pkg.go.dev/text/template/parse (lex.go)
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/template_impl.h"

static const struct {
	const char *word;
	enum item_type type;
} keywords[] = {
	{"if", I_IF},
	{"else", I_ELSE},
	{"end", I_END},
	{"range", I_RANGE},
	{"with", I_WITH},
	{"break", I_BREAK},
	{"continue", I_CONTINUE},
	{"define", I_DEFINE},
	{"template", I_TEMPLATE},
	{"block", I_BLOCK},
	{"nil", I_NIL},
	{"true", I_BOOL},
	{"false", I_BOOL},
};

static void emit_at(struct lexer *l, enum item_type t, size_t start, size_t end)
{
	if (l->nitems == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (!l->items)
			abort();
	}
	l->items[l->nitems++] = (struct item){t, start, end - start, NULL};
}

/* an error token at the current place; the lexer stops there */
static void lex_error(struct lexer *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lex_error(struct lexer *l, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	emit_at(l, I_ERROR, l->pos, l->pos);
	l->items[l->nitems - 1].msg = msg;
	l->done = true;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* letters, digits, '_'; bytes of UTF-8 sequences count as letters */
static bool is_alnum(int c)
{
	return c == '_' || isalnum(c) || c >= 0x80;
}

static int peekc(const struct lexer *l, size_t at)
{
	return at < l->n ? (unsigned char)l->src[at] : -1;
}

static bool at_right_delim(const struct lexer *l, size_t at, bool *trim)
{
	*trim = is_space(peekc(l, at)) && peekc(l, at + 1) == '-' &&
		!strncmp(l->src + at + 2, "}}", 2) && at + 4 <= l->n;
	if (*trim)
		return true;
	return at + 2 <= l->n && !strncmp(l->src + at, "}}", 2);
}

/* what may follow a field, a variable or an identifier */
static bool at_terminator(const struct lexer *l)
{
	int c = peekc(l, l->pos);
	bool trim;
	if (is_space(c) || c == -1 || strchr(".,|:)(", c))
		return true;
	return at_right_delim(l, l->pos, &trim) && !trim;
}

/* Go's %#U: U+007D '}' */
static void bad_char(struct lexer *l)
{
	int c = peekc(l, l->pos);
	if (c >= 0x20 && c < 0x7f)
		lex_error(l, "bad character U+%04X '%c'", c, c);
	else
		lex_error(l, "bad character U+%04X", c < 0 ? 0 : c);
}

static void skip_spaces(struct lexer *l)
{
	while (is_space(peekc(l, l->pos)))
		l->pos++;
}

static void lex_number(struct lexer *l)
{
	size_t start = l->pos;
	const char *digits = "0123456789_";
	if (peekc(l, l->pos) == '+' || peekc(l, l->pos) == '-')
		l->pos++;
	if (peekc(l, l->pos) == '0' && l->pos + 1 < l->n && strchr("xXoObB", l->src[l->pos + 1])) {
		char b = (char)tolower(l->src[l->pos + 1]);
		l->pos += 2;
		digits = b == 'x' ? "0123456789abcdefABCDEF_" : b == 'o' ? "01234567_" : "01_";
	}
	while (peekc(l, l->pos) > 0 && strchr(digits, peekc(l, l->pos)))
		l->pos++;
	if (peekc(l, l->pos) == '.') {
		l->pos++;
		while (peekc(l, l->pos) > 0 && strchr(digits, peekc(l, l->pos)))
			l->pos++;
	}
	if (strlen(digits) == 11 && peekc(l, l->pos) > 0 && strchr("eE", peekc(l, l->pos))) {
		l->pos++;
		if (peekc(l, l->pos) == '+' || peekc(l, l->pos) == '-')
			l->pos++;
		while (isdigit(peekc(l, l->pos)) || peekc(l, l->pos) == '_')
			l->pos++;
	}
	if (is_alnum(peekc(l, l->pos))) {
		l->pos++;
		lex_error(l, "bad number syntax: \"%.*s\"", (int)(l->pos - start), l->src + start);
		return;
	}
	emit_at(l, I_NUMBER, start, l->pos);
}

/* after '.' or '$': a field, a variable, or "." / "$" alone */
static void lex_field_or_var(struct lexer *l, enum item_type t, size_t start)
{
	if (at_terminator(l)) {
		emit_at(l, t == I_VAR ? I_VAR : I_DOT, start, l->pos);
		return;
	}
	while (is_alnum(peekc(l, l->pos)))
		l->pos++;
	if (!at_terminator(l)) {
		bad_char(l);
		return;
	}
	emit_at(l, t, start, l->pos);
}

static void lex_identifier(struct lexer *l)
{
	size_t start = l->pos;
	while (is_alnum(peekc(l, l->pos)))
		l->pos++;
	if (!at_terminator(l)) {
		bad_char(l);
		return;
	}
	enum item_type t = I_IDENT;
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].word) == l->pos - start &&
		    !strncmp(keywords[i].word, l->src + start, l->pos - start))
			t = keywords[i].type;
	emit_at(l, t, start, l->pos);
}

/* a quoted string, raw string or character constant, from its opening quote Q */
static void lex_quote(struct lexer *l, char q)
{
	size_t start = l->pos++;
	for (;;) {
		int c = peekc(l, l->pos++);
		if (c == '\\' && q != '`') {
			c = peekc(l, l->pos++);
			if (c != -1 && c != '\n')
				continue;
		}
		if (c == -1 || (c == '\n' && q != '`')) {
			l->pos--;
			lex_error(l, q == '"'   ? "unterminated quoted string"
				     : q == '`' ? "unterminated raw quoted string"
						: "unterminated character constant");
			return;
		}
		if (c == q)
			break;
	}
	emit_at(l, q == '"' ? I_STRING : q == '`' ? I_RAWSTRING : I_CHARCONST, start, l->pos);
}

/* inside {{ }}: up to and including the right delimiter; false at the end of the input */
static void lex_action(struct lexer *l)
{
	while (!l->done) {
		bool trim;
		if (at_right_delim(l, l->pos, &trim)) {
			size_t start = l->pos;
			if (l->paren_depth) {
				lex_error(l, "unclosed left paren");
				return;
			}
			l->pos += trim ? 4 : 2;
			emit_at(l, I_RIGHT, start, l->pos);
			if (trim)
				skip_spaces(l);
			return;
		}
		int c = peekc(l, l->pos);
		size_t start = l->pos;
		if (c == -1) {
			lex_error(l, "unclosed action");
		} else if (is_space(c)) {
			skip_spaces(l);
			/* " -}}": the space belongs to the trim marker */
			if (peekc(l, l->pos) == '-' && !strncmp(l->src + l->pos + 1, "}}", 2)) {
				l->pos--;
				if (l->pos == start)
					continue;
			}
			emit_at(l, I_SPACE, start, l->pos);
		} else if (c == '=') {
			l->pos++;
			emit_at(l, I_ASSIGN, start, l->pos);
		} else if (c == ':') {
			l->pos++;
			if (peekc(l, l->pos) != '=') {
				lex_error(l, "expected :=");
				return;
			}
			l->pos++;
			emit_at(l, I_DECLARE, start, l->pos);
		} else if (c == '|') {
			l->pos++;
			emit_at(l, I_PIPE, start, l->pos);
		} else if (c == '"' || c == '`' || c == '\'') {
			lex_quote(l, (char)c);
		} else if (c == '$') {
			l->pos++;
			lex_field_or_var(l, I_VAR, start);
		} else if (c == '.' && !isdigit(peekc(l, l->pos + 1))) {
			l->pos++;
			lex_field_or_var(l, I_FIELD, start);
		} else if (c == '.' || c == '+' || c == '-' || isdigit(c)) {
			lex_number(l);
		} else if (is_alnum(c)) {
			lex_identifier(l);
		} else if (c == '(') {
			l->pos++;
			l->paren_depth++;
			emit_at(l, I_LPAREN, start, l->pos);
		} else if (c == ')') {
			l->pos++;
			if (--l->paren_depth < 0) {
				lex_error(l, "unexpected right paren");
				return;
			}
			emit_at(l, I_RPAREN, start, l->pos);
		} else if (c < 0x7f && c >= 0x20) {
			l->pos++;
			emit_at(l, I_CHAR, start, l->pos);
		} else {
			lex_error(l, "unrecognized character in action: U+%04X", c);
		}
	}
}

/* the whole input into L->items, ended by I_EOF or I_ERROR */
void tlex(struct lexer *l)
{
	while (!l->done) {
		const char *open = strstr(l->src + l->pos, "{{");
		if (!open) {
			if (l->pos < l->n)
				emit_at(l, I_TEXT, l->pos, l->n);
			emit_at(l, I_EOF, l->n, l->n);
			return;
		}
		size_t at = (size_t)(open - l->src), end = at;
		bool trim_left = open[2] == '-' && is_space((unsigned char)open[3]);
		if (trim_left)
			while (end > l->pos && is_space((unsigned char)l->src[end - 1]))
				end--;
		if (end > l->pos)
			emit_at(l, I_TEXT, l->pos, end);
		l->pos = at + 2 + (trim_left ? 2 : 0);
		if (!strncmp(l->src + l->pos, "/*", 2)) {
			const char *close = strstr(l->src + l->pos + 2, "*/");
			if (!close) {
				lex_error(l, "unclosed comment");
				return;
			}
			l->pos = (size_t)(close - l->src) + 2;
			bool trim;
			if (!at_right_delim(l, l->pos, &trim)) {
				lex_error(l, "comment ends before closing delimiter");
				return;
			}
			l->pos += trim ? 4 : 2;
			if (trim)
				skip_spaces(l);
			continue;
		}
		emit_at(l, I_LEFT, at, at + 2);
		l->paren_depth = 0;
		lex_action(l);
	}
}
