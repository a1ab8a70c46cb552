/*
 * lib/template_parse.c - the template's parser: the tokens of template_lex.c into the tree
 * template.c executes.
 *
 * It follows Go's text/template/parse (parse.go) closely, function for function, so that a
 * mistake gets the message Go (and so docker) prints for it: "{{.Name }" is `unexpected "}"
 * in operand`, a missing {{end}} is `unexpected EOF`, "{{.A | 3}}" is `non executable
 * command in pipeline stage 2`; the message names the line ("template: :2: ..."). A parse
 * error unwinds with longjmp; every node is on the template's list, so nothing leaks.
 *
 *	{{if eq .A 1}}x{{else}}y{{end}}  ->  IF (PIPE (CMD eq .A 1)) (LIST "x") (LIST "y")
 *
 * See: template.h; https://pkg.go.dev/text/template/parse (parse.go, node.go)
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/template_impl.h"

/* ---- the parser -------------------------------------------------------------------------- */

struct parser {
	struct mr_tmpl *t;
	struct lexer lx;
	size_t next;       /* the next item */
	size_t last;       /* the item read last (for the line of a message) */
	const char **vars; /* the variables in scope */
	size_t nvars, capvars;
	int range_depth;
	jmp_buf fail;
	struct mr_err *err;
};

static int line_of(const char *src, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos && src[i]; i++)
		line += src[i] == '\n';
	return line;
}

static void perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void perr(struct parser *p, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mr_fail(p->err, 0, "template: :%d: %s", line_of(p->t->src, p->lx.items[p->last].pos), msg);
	longjmp(p->fail, 1);
}

static struct item *next_item(struct parser *p)
{
	p->last = p->next;
	if (p->next + 1 < p->lx.nitems)
		p->next++;
	else
		p->next = p->lx.nitems; /* past the last (EOF or ERROR): stays there */
	return &p->lx.items[p->last];
}

static struct item *peek_item(struct parser *p)
{
	return &p->lx.items[p->next < p->lx.nitems ? p->next : p->lx.nitems - 1];
}

static void backup(struct parser *p, size_t n)
{
	p->next -= n;
}

static struct item *next_nonspace(struct parser *p)
{
	struct item *it;
	do
		it = next_item(p);
	while (it->type == I_SPACE);
	return it;
}

static struct item *peek_nonspace(struct parser *p)
{
	struct item *it = next_nonspace(p);
	backup(p, 1);
	return it;
}

/* how Go's item.String() shows a token in "unexpected ..." */
static void item_string(const struct parser *p, const struct item *it, char *buf, size_t len)
{
	const char *s = p->t->src + it->pos;
	if (it->type == I_EOF) {
		snprintf(buf, len, "EOF");
	} else if (it->type == I_ERROR) {
		snprintf(buf, len, "%s", it->msg ? it->msg : "error");
	} else if (it->type > I_KEYWORD) {
		snprintf(buf, len, "<%.*s>", (int)it->len, s);
	} else {
		size_t o = 0, n = it->len > 10 ? 10 : it->len;
		o += (size_t)snprintf(buf + o, len - o, "\"");
		for (size_t i = 0; i < n && o + 8 < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '"' || c == '\\')
				o += (size_t)snprintf(buf + o, len - o, "\\%c", c);
			else if (c == '\n')
				o += (size_t)snprintf(buf + o, len - o, "\\n");
			else if (c == '\t')
				o += (size_t)snprintf(buf + o, len - o, "\\t");
			else if (c < 0x20)
				o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
			else
				buf[o++] = (char)c;
		}
		snprintf(buf + o, len - o, "\"%s", it->len > 10 ? "..." : "");
	}
}

static void unexpected(struct parser *p, const struct item *it, const char *context)
{
	char s[128];
	item_string(p, it, s, sizeof(s));
	if (it->type == I_ERROR)
		perr(p, "%s", s);
	perr(p, "unexpected %s in %s", s, context);
}

static struct tnode *new_node(struct parser *p, enum tnode_type type, size_t pos)
{
	struct mr_tmpl *t = p->t;
	struct tnode *n = calloc(1, sizeof(*n));
	if (!n)
		abort();
	if (t->nall == t->capall) {
		t->capall = t->capall ? 2 * t->capall : 64;
		t->all = realloc(t->all, t->capall * sizeof(*t->all));
		if (!t->all)
			abort();
	}
	t->all[t->nall++] = n;
	n->type = type;
	n->pos = pos;
	return n;
}

static void add_kid(struct tnode ***v, size_t *n, struct tnode *kid)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	if (!*v)
		abort();
	(*v)[(*n)++] = kid;
}

static void add_ident(struct tnode *n, const char *s, size_t len)
{
	n->idents = realloc(n->idents, (n->nidents + 1) * sizeof(*n->idents));
	if (!n->idents || !(n->idents[n->nidents++] = strndup(s, len)))
		abort();
}

/* ".A.B" or "$x.A" split at the dots into N's idents ("$x" keeps its '$') */
static void add_path(struct tnode *n, const char *s, size_t len)
{
	size_t i = 0;
	if (s[0] == '.')
		i = 1;
	while (i <= len) {
		size_t j = i;
		while (j < len && s[j] != '.')
			j++;
		if (j > i || s[0] == '$')
			add_ident(n, s + i, j - i);
		i = j + 1;
	}
}

static void push_var(struct parser *p, const char *name)
{
	if (p->nvars == p->capvars) {
		p->capvars = p->capvars ? 2 * p->capvars : 16;
		p->vars = realloc(p->vars, p->capvars * sizeof(*p->vars));
		if (!p->vars)
			abort();
	}
	p->vars[p->nvars++] = name;
}

static struct tnode *use_var(struct parser *p, const struct item *it)
{
	struct tnode *n = new_node(p, N_VAR, it->pos);
	add_ident(n, p->t->src + it->pos, it->len);
	for (size_t i = 0; i < p->nvars; i++)
		if (!strcmp(p->vars[i], n->idents[0]))
			return n;
	perr(p, "undefined variable \"%s\"", n->idents[0]);
}

/* Go's strconv.Unquote of a "..." or `...` literal */
static char *unquote(struct parser *p, const struct item *it, size_t *outlen)
{
	const char *s = p->t->src + it->pos + 1;
	size_t n = it->len - 2, o = 0;
	char *out = malloc(n + 1);
	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (it->type == I_RAWSTRING || s[i] != '\\') {
			if (it->type == I_RAWSTRING && s[i] == '\r')
				continue; /* raw strings drop carriage returns */
			out[o++] = s[i];
			continue;
		}
		char c = s[++i];
		static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
		const char *k = strchr(from, c);
		if (k && c) {
			out[o++] = to[k - from];
		} else if (c == 'x' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
			   isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else if ((c == 'u' || c == 'U') && i + (c == 'u' ? 4 : 8) < n) {
			size_t nd = c == 'u' ? 4 : 8;
			char hex[9] = {0};
			memcpy(hex, s + i + 1, nd);
			unsigned long cp = strtoul(hex, NULL, 16);
			i += nd;
			/* at most 4 bytes for 6 or 10 characters: OUT is long enough */
			if (cp < 0x80) {
				out[o++] = (char)cp;
			} else {
				if (cp < 0x800) {
					out[o++] = (char)(0xC0 | (cp >> 6));
				} else {
					if (cp < 0x10000) {
						out[o++] = (char)(0xE0 | (cp >> 12));
					} else {
						out[o++] = (char)(0xF0 | (cp >> 18));
						out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
					}
					out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				}
				out[o++] = (char)(0x80 | (cp & 0x3F));
			}
		} else {
			free(out);
			perr(p, "invalid syntax");
		}
	}
	out[o] = 0;
	*outlen = o;
	return out;
}

/* a number or character constant: Go keeps an integer an int, and makes a float64 of what
 * has a '.' or an exponent */
static struct tnode *number(struct parser *p, const struct item *it)
{
	struct tnode *n = new_node(p, N_NUMBER, it->pos);
	const char *s = p->t->src + it->pos;
	n->text = strndup(s, it->len);
	if (it->type == I_CHARCONST) {
		size_t len;
		char *v = unquote(p, &(struct item){I_STRING, it->pos, it->len, NULL}, &len);
		unsigned char *u = (unsigned char *)v;
		long cp = u[0];
		if (u[0] >= 0xF0 && len >= 4)
			cp = ((u[0] & 7L) << 18) | ((u[1] & 63L) << 12) | ((u[2] & 63L) << 6) |
			     (u[3] & 63);
		else if (u[0] >= 0xE0 && len >= 3)
			cp = ((u[0] & 15L) << 12) | ((u[1] & 63L) << 6) | (u[2] & 63);
		else if (u[0] >= 0xC0 && len >= 2)
			cp = ((u[0] & 31L) << 6) | (u[1] & 63);
		free(v);
		n->value = json_integer(cp);
		return n;
	}
	char clean[128];
	size_t o = 0;
	for (size_t i = 0; i < it->len && o + 1 < sizeof(clean); i++)
		if (s[i] != '_')
			clean[o++] = s[i];
	clean[o] = 0;
	bool hex = strstr(clean, "0x") || strstr(clean, "0X");
	char *end = NULL;
	if (!hex && strpbrk(clean, ".eE")) {
		double d = strtod(clean, &end);
		if (*end)
			perr(p, "illegal number syntax: \"%s\"", n->text);
		n->value = json_real(d);
		return n;
	}
	const char *digits = clean + (clean[0] == '+' || clean[0] == '-');
	int base = 10;
	if (digits[0] == '0' && digits[1] && strchr("xXoObB", digits[1])) {
		base = strchr("xX", digits[1]) ? 16 : strchr("oO", digits[1]) ? 8 : 2;
		digits += 2;
	} else if (digits[0] == '0' && digits[1]) {
		base = 8;
	}
	long long v = strtoll(digits, &end, base);
	if (*end || !*digits)
		perr(p, "illegal number syntax: \"%s\"", n->text);
	n->value = json_integer(clean[0] == '-' ? -v : v);
	return n;
}

static struct tnode *pipeline(struct parser *p, const char *context, enum item_type end);

static struct tnode *term(struct parser *p)
{
	struct item *it = next_nonspace(p);
	const char *s = p->t->src + it->pos;
	struct tnode *n;
	switch (it->type) {
	case I_IDENT:
		if (!tfunc_find(strndupa(s, it->len)))
			perr(p, "function \"%.*s\" not defined", (int)it->len, s);
		n = new_node(p, N_IDENT, it->pos);
		n->text = strndup(s, it->len);
		return n;
	case I_DOT: return new_node(p, N_DOT, it->pos);
	case I_NIL: return new_node(p, N_NIL, it->pos);
	case I_VAR: return use_var(p, it);
	case I_FIELD:
		n = new_node(p, N_FIELD, it->pos);
		add_path(n, s, it->len);
		return n;
	case I_BOOL:
		n = new_node(p, N_BOOL, it->pos);
		n->value = json_boolean(s[0] == 't');
		return n;
	case I_NUMBER:
	case I_CHARCONST: return number(p, it);
	case I_LPAREN: return pipeline(p, "parenthesized pipeline", I_RPAREN);
	case I_STRING:
	case I_RAWSTRING: {
		size_t len;
		char *v = unquote(p, it, &len);
		n = new_node(p, N_STRING, it->pos);
		n->text = strndup(s, it->len);
		n->value = json_stringn(v, len);
		free(v);
		if (!n->value) /* not UTF-8: jansson refuses it */
			n->value = json_string("");
		return n;
	}
	default: backup(p, 1); return NULL;
	}
}

static struct tnode *operand(struct parser *p)
{
	struct tnode *n = term(p);
	if (!n || peek_item(p)->type != I_FIELD)
		return n;
	if (n->type == N_BOOL || n->type == N_STRING || n->type == N_NUMBER || n->type == N_NIL ||
	    n->type == N_DOT) {
		char s[128];
		FILE *f = fmemopen(s, sizeof(s), "w");
		tnode_string(n, f);
		fputc(0, f);
		fclose(f);
		perr(p, "unexpected . after term \"%s\"", s);
	}
	struct tnode *chain = n;
	if (n->type != N_FIELD && n->type != N_VAR) {
		chain = new_node(p, N_CHAIN, n->pos);
		chain->pipe = n;
	}
	/* Go's node for ".A.B" (and "$x.B", "(...).B") is placed at ".B": messages say so */
	chain->pos = peek_item(p)->pos;
	while (peek_item(p)->type == I_FIELD) {
		struct item *f = next_item(p);
		add_path(chain, p->t->src + f->pos, f->len);
	}
	return chain;
}

static struct tnode *command(struct parser *p)
{
	struct tnode *cmd = new_node(p, N_CMD, peek_nonspace(p)->pos);
	for (;;) {
		peek_nonspace(p);
		struct tnode *op = operand(p);
		if (op)
			add_kid(&cmd->kids, &cmd->nkids, op);
		struct item *it = next_item(p);
		if (it->type == I_SPACE)
			continue;
		if (it->type == I_RIGHT || it->type == I_RPAREN)
			backup(p, 1);
		else if (it->type != I_PIPE)
			unexpected(p, it, "operand");
		break;
	}
	if (!cmd->nkids)
		perr(p, "empty command");
	return cmd;
}

static struct tnode *pipeline(struct parser *p, const char *context, enum item_type end)
{
	struct tnode *pipe = new_node(p, N_PIPE, peek_nonspace(p)->pos);
	/* declarations: "$x :=", "$x =", "$i, $v :=" (range) */
	for (;;) {
		struct item *v = peek_nonspace(p);
		if (v->type != I_VAR)
			break;
		size_t mark = p->next;
		next_nonspace(p);
		struct item *nx = peek_nonspace(p);
		const char *name = strndupa(p->t->src + v->pos, v->len);
		if (nx->type == I_ASSIGN || nx->type == I_DECLARE) {
			pipe->is_assign = nx->type == I_ASSIGN;
			next_nonspace(p);
			if (pipe->is_assign)
				use_var(p, v);
			struct tnode *var = new_node(p, N_VAR, v->pos);
			add_ident(var, name, strlen(name));
			add_kid(&pipe->decl, &pipe->ndecl, var);
			push_var(p, var->idents[0]);
			break;
		}
		if (nx->type == I_CHAR && p->t->src[nx->pos] == ',') {
			next_nonspace(p);
			struct tnode *var = new_node(p, N_VAR, v->pos);
			add_ident(var, name, strlen(name));
			add_kid(&pipe->decl, &pipe->ndecl, var);
			push_var(p, var->idents[0]);
			if (!strcmp(context, "range") && pipe->ndecl < 2) {
				enum item_type t = peek_nonspace(p)->type;
				if (t == I_VAR || t == I_RIGHT || t == I_RPAREN)
					continue;
				perr(p, "range can only initialize variables");
			}
			perr(p, "too many declarations in %s", context);
		}
		p->next = mark; /* "$x foo": $x is an argument */
		break;
	}
	for (;;) {
		struct item *it = next_nonspace(p);
		if (it->type == end) {
			if (!pipe->nkids)
				perr(p, "missing value for %s", context);
			for (size_t i = 1; i < pipe->nkids; i++) {
				enum tnode_type t = pipe->kids[i]->kids[0]->type;
				if (t == N_BOOL || t == N_DOT || t == N_NIL || t == N_NUMBER ||
				    t == N_STRING)
					perr(p, "non executable command in pipeline stage %zu",
					     i + 1);
			}
			return pipe;
		}
		switch (it->type) {
		case I_BOOL:
		case I_CHARCONST:
		case I_DOT:
		case I_FIELD:
		case I_IDENT:
		case I_NUMBER:
		case I_NIL:
		case I_RAWSTRING:
		case I_STRING:
		case I_VAR:
		case I_LPAREN:
			backup(p, 1);
			add_kid(&pipe->kids, &pipe->nkids, command(p));
			break;
		default: unexpected(p, it, context);
		}
	}
}

static struct tnode *text_or_action(struct parser *p);

/* items up to {{end}} or {{else}}, which is returned in *STOP */
static struct tnode *item_list(struct parser *p, struct tnode **stop)
{
	struct tnode *list = new_node(p, N_LIST, peek_nonspace(p)->pos);
	while (peek_nonspace(p)->type != I_EOF) {
		struct tnode *n = text_or_action(p);
		if (n->type == N_END || n->type == N_ELSE) {
			*stop = n;
			return list;
		}
		add_kid(&list->kids, &list->nkids, n);
	}
	perr(p, "unexpected EOF");
}

static struct tnode *control(struct parser *p, enum tnode_type type, const char *context)
{
	size_t vars = p->nvars;
	struct tnode *n = new_node(p, type, peek_nonspace(p)->pos), *stop = NULL;
	n->pipe = pipeline(p, context, I_RIGHT);
	n->pos = n->pipe->pos;
	p->range_depth += type == N_RANGE;
	n->list = item_list(p, &stop);
	p->range_depth -= type == N_RANGE;
	if (stop->type == N_ELSE) {
		enum item_type t = peek_item(p)->type;
		/* "{{else if b}}" is "{{else}}{{if b}}...{{end}}{{end}}": the inner {{end}} is the
		 * one written, the outer one assumed */
		if ((type == N_IF && t == I_IF) || (type == N_WITH && t == I_WITH)) {
			next_item(p);
			n->else_list = new_node(p, N_LIST, stop->pos);
			add_kid(&n->else_list->kids, &n->else_list->nkids,
				control(p, type, context));
		} else {
			n->else_list = item_list(p, &stop);
			if (stop->type != N_END)
				perr(p, "expected end; found {{else}}");
		}
	}
	p->nvars = vars;
	return n;
}

static struct item *expect(struct parser *p, enum item_type t, const char *context)
{
	struct item *it = next_nonspace(p);
	if (it->type != t)
		unexpected(p, it, context);
	return it;
}

static struct tnode *action(struct parser *p)
{
	struct item *it = next_nonspace(p);
	switch (it->type) {
	case I_ELSE: {
		struct item *pk = peek_nonspace(p);
		if (pk->type == I_IF || pk->type == I_WITH)
			return new_node(p, N_ELSE, pk->pos);
		return new_node(p, N_ELSE, expect(p, I_RIGHT, "else")->pos);
	}
	case I_END: return new_node(p, N_END, expect(p, I_RIGHT, "end")->pos);
	case I_IF: return control(p, N_IF, "if");
	case I_RANGE: return control(p, N_RANGE, "range");
	case I_WITH: return control(p, N_WITH, "with");
	case I_BREAK:
	case I_CONTINUE: {
		const char *what = it->type == I_BREAK ? "{{break}}" : "{{continue}}";
		if (!p->range_depth)
			perr(p, "%s outside {{range}}", what);
		expect(p, I_RIGHT, what);
		return new_node(p, it->type == I_BREAK ? N_BREAK : N_CONTINUE, it->pos);
	}
	case I_DEFINE:
	case I_TEMPLATE:
	case I_BLOCK:
		perr(p, "{{%.*s}} is not supported here (one template, no named ones)",
		     (int)it->len, p->t->src + it->pos);
	default: break;
	}
	backup(p, 1);
	struct tnode *n = new_node(p, N_ACTION, peek_nonspace(p)->pos);
	n->pipe = pipeline(p, "command", I_RIGHT);
	return n;
}

static struct tnode *text_or_action(struct parser *p)
{
	struct item *it = next_nonspace(p);
	if (it->type == I_TEXT) {
		struct tnode *n = new_node(p, N_TEXT, it->pos);
		n->text = p->t->src + it->pos; /* borrowed from the source */
		n->len = it->len;
		return n;
	}
	if (it->type == I_LEFT)
		return action(p);
	unexpected(p, it, "input");
	return NULL;
}

struct mr_tmpl *mr_tmpl_parse(const char *text, struct mr_err *err)
{
	struct mr_tmpl *t = calloc(1, sizeof(*t));
	struct parser p = {.t = t, .err = err};
	if (!t || !(t->src = strdup(text))) {
		free(t);
		mr_fail(err, ENOMEM, "template");
		return NULL;
	}
	p.lx.src = t->src;
	p.lx.n = strlen(t->src);
	tlex(&p.lx);
	if (setjmp(p.fail)) {
		for (size_t i = 0; i < p.lx.nitems; i++)
			free(p.lx.items[i].msg);
		free(p.lx.items);
		free(p.vars);
		mr_tmpl_free(p.t); /* not t: a local may be clobbered by longjmp */
		return NULL;
	}
	push_var(&p, "$");
	p.t->root = new_node(&p, N_LIST, 0);
	while (peek_item(&p)->type != I_EOF) {
		struct tnode *n = text_or_action(&p);
		if (n->type == N_END || n->type == N_ELSE)
			perr(&p, "unexpected %s", n->type == N_END ? "{{end}}" : "{{else}}");
		add_kid(&p.t->root->kids, &p.t->root->nkids, n);
	}
	for (size_t i = 0; i < p.lx.nitems; i++)
		free(p.lx.items[i].msg);
	free(p.lx.items);
	free(p.vars);
	return p.t;
}

void mr_tmpl_free(struct mr_tmpl *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nall; i++) {
		struct tnode *n = t->all[i];
		free(n->kids);
		free(n->decl);
		for (size_t k = 0; k < n->nidents; k++)
			free(n->idents[k]);
		free(n->idents);
		if (n->type != N_TEXT)
			free(n->text);
		json_decref(n->value);
		free(n);
	}
	free(t->all);
	free(t->src);
	free(t);
}

/* ---- nodes as text, for messages ---------------------------------------------------------- */

void tnode_string(const struct tnode *n, FILE *out)
{
	switch (n->type) {
	case N_FIELD:
		for (size_t i = 0; i < n->nidents; i++)
			fprintf(out, ".%s", n->idents[i]);
		break;
	case N_VAR:
		for (size_t i = 0; i < n->nidents; i++)
			fprintf(out, "%s%s", i ? "." : "", n->idents[i]);
		break;
	case N_CHAIN:
		if (n->pipe->type == N_PIPE)
			fputc('(', out);
		tnode_string(n->pipe, out);
		if (n->pipe->type == N_PIPE)
			fputc(')', out);
		for (size_t i = 0; i < n->nidents; i++)
			fprintf(out, ".%s", n->idents[i]);
		break;
	case N_CMD:
		for (size_t i = 0; i < n->nkids; i++) {
			if (i)
				fputc(' ', out);
			bool paren = n->kids[i]->type == N_PIPE;
			fputs(paren ? "(" : "", out);
			tnode_string(n->kids[i], out);
			fputs(paren ? ")" : "", out);
		}
		break;
	case N_PIPE:
		for (size_t i = 0; i < n->ndecl; i++)
			fprintf(out, "%s%s", i ? ", " : "", n->decl[i]->idents[0]);
		if (n->ndecl)
			fputs(n->is_assign ? " = " : " := ", out);
		for (size_t i = 0; i < n->nkids; i++) {
			fputs(i ? " | " : "", out);
			tnode_string(n->kids[i], out);
		}
		break;
	case N_IDENT:
	case N_NUMBER:
	case N_STRING: fputs(n->text, out); break;
	case N_DOT: fputc('.', out); break;
	case N_NIL: fputs("nil", out); break;
	case N_BOOL: fputs(json_is_true(n->value) ? "true" : "false", out); break;
	case N_IF:
	case N_RANGE:
	case N_WITH:
		fprintf(out, "{{%s ",
			n->type == N_IF      ? "if"
			: n->type == N_RANGE ? "range"
					     : "with");
		tnode_string(n->pipe, out);
		fputs("}}", out);
		break;
	default: break;
	}
}
