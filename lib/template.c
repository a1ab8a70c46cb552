/*
 * lib/template.c - executing a parsed template over JSON values: Go's text/template exec.go
 * for the subset template.h lists.
 *
 * The walk is Go's: a text node is written; an action evaluates its pipeline (each command's
 * result is the last argument of the next: `.Name | printf "%q"` is `printf "%q" .Name`)
 * and prints it unless it declared variables; if / with / range pick a branch by Go's truth
 * (false, 0, "", empty and absent are false); range gives maps in sorted key order.
 * Variables live on a stack: a control structure's {{end}} drops what it declared.
 *
 * An error stops the walk with Go's message, its place and the node it was at:
 *
 *	template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"
 *
 * Values are jansson references; NULL is Go's "no value" (an absent field), which prints
 * as <no value>, as does a JSON null (Go's nil interface{}).
 *
 * See: template.h; https://pkg.go.dev/text/template (exec.go, funcs.go)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/template_impl.h"

struct tvar {
	const char *name;
	json_t *value; /* owned */
};

struct texec {
	const struct mr_tmpl *t;
	const struct mr_tmpl_opts *o;
	FILE *out;
	struct tvar *vars;
	size_t nvars, cap;
	const struct tnode *at;   /* the node being evaluated, for messages */
	const struct tnode *call; /* the command of the function being called */
	bool failed;
	char msg[800];
	enum { FLOW_NEXT, FLOW_BREAK, FLOW_CONTINUE } flow;
};

json_t *texec_fail(struct texec *s, const char *fmt, ...)
{
	va_list ap;
	if (s->failed)
		return NULL;
	s->failed = true;
	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	return NULL;
}

const struct mr_tmpl_opts *texec_opts(const struct texec *s)
{
	return s->o;
}

void texec_at_arg(struct texec *s, size_t i)
{
	if (s->call && i + 1 < s->call->nkids)
		s->at = s->call->kids[i + 1];
}

void texec_arg_string(const struct texec *s, size_t i, char *buf, size_t len)
{
	FILE *f = len ? fmemopen(buf, len, "w") : NULL;
	if (!f)
		return;
	if (s->call && i + 1 < s->call->nkids)
		tnode_string(s->call->kids[i + 1], f);
	fputc(0, f);
	fclose(f);
	buf[len - 1] = 0;
}

const char *texec_type(const struct texec *s, json_t *v)
{
	/* a number written in the template is Go's int or float64 */
	bool literal = s->at && s->at->type == N_NUMBER;
	if (s->o->missing == MR_TMPL_MISSING_GUESS && json_is_number(v) && !literal)
		return "json.Number";
	return tval_type(v);
}

static json_t *ref(json_t *v)
{
	return v ? json_incref(v) : NULL;
}

/* ---- variables --------------------------------------------------------------------------- */

static void push_var(struct texec *s, const char *name, json_t *value)
{
	if (s->nvars == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->vars = realloc(s->vars, s->cap * sizeof(*s->vars));
		if (!s->vars)
			abort();
	}
	s->vars[s->nvars++] = (struct tvar){name, value};
}

static void pop_vars(struct texec *s, size_t mark)
{
	while (s->nvars > mark)
		json_decref(s->vars[--s->nvars].value);
}

static struct tvar *find_var(struct texec *s, const char *name)
{
	for (size_t i = s->nvars; i-- > 0;)
		if (!strcmp(s->vars[i].name, name))
			return &s->vars[i];
	return NULL;
}

static void set_var(struct texec *s, const char *name, json_t *value)
{
	struct tvar *v = find_var(s, name);
	if (!v) {
		json_decref(value);
		texec_fail(s, "undefined variable: %s", name);
		return;
	}
	json_decref(v->value);
	v->value = value;
}

/* ---- fields ------------------------------------------------------------------------------ */

static json_t *eval_args_call(struct texec *s, json_t *dot, const struct mr_tmpl_method *m,
			      struct tnode *const *args, size_t nargs, json_t *final,
			      bool has_final);

/* RECV.NAME; ARGS (the command's, the first being the field itself) and FINAL are for a
 * method; a new reference or NULL */
static json_t *eval_field(struct texec *s, json_t *dot, const char *name, json_t *recv,
			  struct tnode *const *args, size_t nargs, json_t *final, bool has_final)
{
	bool has_args = nargs > 1 || has_final;
	const struct mr_tmpl_opts *o = s->o;
	if (!recv)
		return NULL; /* Go: a field of nothing is nothing */
	if (o->methods && json_is_object(recv) && recv == find_var(s, "$")->value) {
		for (const struct mr_tmpl_method *m = o->methods; m->name; m++)
			if (!strcmp(m->name, name))
				return eval_args_call(s, dot, m, args, nargs, final, has_final);
	}
	if (json_is_null(recv))
		return texec_fail(s, "nil pointer evaluating interface {}.%s", name);
	if (!json_is_object(recv))
		/* a value of JSON is an interface{} to Go; a row's fields are typed (string) */
		return texec_fail(s, "can't evaluate field %s in type %s", name,
				  o->missing == MR_TMPL_MISSING_FIELD ? tval_type(recv)
								      : "interface {}");
	json_t *v = json_object_get(recv, name);
	if (o->missing == MR_TMPL_MISSING_FIELD) {
		if (!v)
			return texec_fail(s, "can't evaluate field %s in type %s", name,
					  o->type_name ? o->type_name : "interface {}");
		if (has_args)
			return texec_fail(s, "%s has arguments but cannot be invoked as function",
					  name);
		return ref(v);
	}
	if (has_args)
		return texec_fail(s, "%s is not a method but has arguments", name);
	if (!v && o->missing == MR_TMPL_MISSING_GUESS && tval_struct_like(recv)) {
		/* docker: its typed struct's message where it has no raw JSON to fall back on
		 * (volume inspect), else the fallback's */
		if (o->type_name && recv == find_var(s, "$")->value)
			return texec_fail(s, "can't evaluate field %s in type %s", name,
					  o->type_name);
		return texec_fail(s, "map has no entry for key \"%s\"", name);
	}
	return ref(v);
}

/* RECV.A.B...: every ident but the last takes no arguments */
static json_t *eval_field_chain(struct texec *s, json_t *dot, json_t *recv, char *const *idents,
				size_t n, struct tnode *const *args, size_t nargs, json_t *final,
				bool has_final)
{
	json_t *cur = ref(recv);
	for (size_t i = 0; i < n && !s->failed; i++) {
		json_t *next =
			eval_field(s, dot, idents[i], cur, i + 1 < n ? NULL : args,
				   i + 1 < n ? 0 : nargs, final, i + 1 < n ? false : has_final);
		json_decref(cur);
		cur = next;
	}
	if (s->failed) {
		json_decref(cur);
		return NULL;
	}
	return cur;
}

/* ---- commands ---------------------------------------------------------------------------- */

static json_t *eval_pipeline(struct texec *s, json_t *dot, const struct tnode *pipe);
static json_t *eval_command(struct texec *s, json_t *dot, const struct tnode *cmd, json_t *final,
			    bool has_final);

/* an argument of a function: any operand, a function name alone calling it */
static json_t *eval_arg(struct texec *s, json_t *dot, const struct tnode *n)
{
	s->at = n;
	switch (n->type) {
	case N_DOT: return ref(dot);
	case N_NIL: return texec_fail(s, "cannot assign nil to interface {}"), NULL;
	case N_FIELD:
		return eval_field_chain(s, dot, dot, n->idents, n->nidents, NULL, 0, NULL, false);
	case N_VAR: {
		struct tvar *v = find_var(s, n->idents[0]);
		if (!v)
			return texec_fail(s, "undefined variable: %s", n->idents[0]);
		return eval_field_chain(s, dot, v->value, n->idents + 1, n->nidents - 1, NULL, 0,
					NULL, false);
	}
	case N_PIPE: return eval_pipeline(s, dot, n);
	case N_IDENT: {
		struct tnode cmd = {
			.type = N_CMD, .pos = n->pos, .kids = (struct tnode **)&n, .nkids = 1};
		return eval_command(s, dot, &cmd, NULL, false);
	}
	case N_CHAIN: {
		json_t *v = eval_arg(s, dot, n->pipe);
		json_t *r = s->failed ? NULL
				      : eval_field_chain(s, dot, v, n->idents, n->nidents, NULL, 0,
							 NULL, false);
		json_decref(v);
		return r;
	}
	case N_BOOL:
	case N_NUMBER:
	case N_STRING: return ref(n->value);
	default: return texec_fail(s, "can't handle %d for arg", (int)n->type);
	}
}

/* call method M with the command's arguments after the method's name, and FINAL */
static json_t *eval_args_call(struct texec *s, json_t *dot, const struct mr_tmpl_method *m,
			      struct tnode *const *args, size_t nargs, json_t *final,
			      bool has_final)
{
	size_t n = (nargs ? nargs - 1 : 0) + has_final;
	if (n != m->nargs)
		return texec_fail(s, "wrong number of args for %s: want %zu got %zu", m->name,
				  m->nargs, n);
	json_t **v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i + 1 < nargs && !s->failed; i++)
		v[i] = eval_arg(s, dot, args[i + 1]);
	if (has_final)
		v[n - 1] = ref(final);
	json_t *r = s->failed ? NULL : m->call(s->o->ctx, v);
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
	free(v);
	return r;
}

/* "and" / "or": the first false (true) argument, or the last; evaluated one at a time */
static json_t *eval_and_or(struct texec *s, json_t *dot, const struct tnode *cmd, bool is_and,
			   json_t *final, bool has_final)
{
	size_t n = cmd->nkids - 1 + has_final;
	if (n < 1)
		return texec_fail(s, "wrong number of args for %s: want at least 1 got 0",
				  is_and ? "and" : "or");
	json_t *v = NULL;
	for (size_t i = 0; i < n && !s->failed; i++) {
		json_decref(v);
		v = i + 1 < cmd->nkids ? eval_arg(s, dot, cmd->kids[i + 1]) : ref(final);
		if (tval_truth(v) != is_and)
			break;
	}
	if (s->failed) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static json_t *eval_function(struct texec *s, json_t *dot, const struct tnode *cmd, json_t *final,
			     bool has_final)
{
	const char *name = cmd->kids[0]->text;
	const struct tfunc *f = tfunc_find(name);
	s->at = cmd->kids[0];
	if (!strcmp(name, "and") || !strcmp(name, "or"))
		return eval_and_or(s, dot, cmd, name[0] == 'a', final, has_final);
	size_t n = cmd->nkids - 1 + has_final;
	if ((int)n < f->min || (f->max >= 0 && (int)n > f->max)) {
		if (f->max < 0)
			return texec_fail(s,
					  "wrong number of args for %s: want at least %d got %zu",
					  name, f->min, n);
		return texec_fail(s, "wrong number of args for %s: want %d got %zu", name, f->min,
				  n);
	}
	json_t **v = calloc(n + 1, sizeof(*v));
	if (!v)
		abort();
	for (size_t i = 0; i + 1 < cmd->nkids && !s->failed; i++)
		v[i] = eval_arg(s, dot, cmd->kids[i + 1]);
	if (has_final)
		v[n - 1] = ref(final);
	json_t *r = NULL;
	if (!s->failed) {
		s->at = cmd;
		s->call = cmd;
		if (s->o->header && f->header_identity)
			r = ref(v[0]);
		else
			r = f->fn(s, v, n);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
	free(v);
	return r;
}

/* a command whose first word is no function: it takes no arguments */
static bool not_a_function(struct texec *s, const struct tnode *cmd, bool has_final)
{
	if (cmd->nkids > 1 || has_final) {
		char what[256] = "";
		FILE *f = fmemopen(what, sizeof(what) - 1, "w");
		if (f) {
			tnode_string(cmd->kids[0], f);
			fclose(f);
		}
		texec_fail(s, "can't give argument to non-function %s", what);
		return true;
	}
	return false;
}

static json_t *eval_command(struct texec *s, json_t *dot, const struct tnode *cmd, json_t *final,
			    bool has_final)
{
	const struct tnode *first = cmd->kids[0];
	s->at = first;
	switch (first->type) {
	case N_FIELD:
		return eval_field_chain(s, dot, dot, first->idents, first->nidents, cmd->kids,
					cmd->nkids, final, has_final);
	case N_CHAIN: {
		if (first->pipe->type == N_NIL)
			return texec_fail(s, "indirection through explicit nil in (nil)");
		json_t *v = eval_arg(s, dot, first->pipe);
		s->at = first;
		json_t *r = s->failed ? NULL
				      : eval_field_chain(s, dot, v, first->idents, first->nidents,
							 cmd->kids, cmd->nkids, final, has_final);
		json_decref(v);
		return r;
	}
	case N_IDENT: return eval_function(s, dot, cmd, final, has_final);
	case N_PIPE:
		if (not_a_function(s, cmd, has_final))
			return NULL;
		return eval_pipeline(s, dot, first);
	case N_VAR: {
		struct tvar *v = find_var(s, first->idents[0]);
		if (!v)
			return texec_fail(s, "undefined variable: %s", first->idents[0]);
		if (first->nidents == 1)
			return not_a_function(s, cmd, has_final) ? NULL : ref(v->value);
		return eval_field_chain(s, dot, v->value, first->idents + 1, first->nidents - 1,
					cmd->kids, cmd->nkids, final, has_final);
	}
	default: break;
	}
	if (not_a_function(s, cmd, has_final))
		return NULL;
	switch (first->type) {
	case N_DOT: return ref(dot);
	case N_NIL: return texec_fail(s, "nil is not a command");
	default: return ref(first->value); /* bool, number, string */
	}
}

/* a pipeline: each command's value is the next one's last argument; then the declarations */
static json_t *eval_pipeline(struct texec *s, json_t *dot, const struct tnode *pipe)
{
	json_t *v = NULL;
	for (size_t i = 0; i < pipe->nkids && !s->failed; i++) {
		json_t *next = eval_command(s, dot, pipe->kids[i], v, i > 0);
		json_decref(v);
		v = next;
	}
	if (s->failed) {
		json_decref(v);
		return NULL;
	}
	for (size_t i = 0; i < pipe->ndecl; i++) {
		if (pipe->is_assign)
			set_var(s, pipe->decl[i]->idents[0], ref(v));
		else
			push_var(s, pipe->decl[i]->idents[0], ref(v));
	}
	return v;
}

/* ---- the walk ---------------------------------------------------------------------------- */

static void walk(struct texec *s, json_t *dot, const struct tnode *n);

static void walk_list(struct texec *s, json_t *dot, const struct tnode *list)
{
	for (size_t i = 0; list && i < list->nkids && !s->failed && s->flow == FLOW_NEXT; i++)
		walk(s, dot, list->kids[i]);
}

static void walk_if_with(struct texec *s, json_t *dot, const struct tnode *n)
{
	size_t mark = s->nvars;
	json_t *v = eval_pipeline(s, dot, n->pipe);
	if (!s->failed) {
		if (tval_truth(v))
			walk_list(s, n->type == N_WITH ? v : dot, n->list);
		else
			walk_list(s, dot, n->else_list);
	}
	json_decref(v);
	pop_vars(s, mark);
}

/* one pass of a range body, with the range's variables set to KEY and ELEM */
static void range_once(struct texec *s, const struct tnode *n, size_t mark, json_t *key,
		       json_t *elem)
{
	size_t nd = n->pipe->ndecl;
	if (nd == 1) {
		json_decref(s->vars[mark].value);
		s->vars[mark].value = ref(elem);
	} else if (nd == 2) {
		json_decref(s->vars[mark].value);
		s->vars[mark].value = ref(key);
		json_decref(s->vars[mark + 1].value);
		s->vars[mark + 1].value = ref(elem);
	}
	size_t inner = s->nvars;
	walk_list(s, elem, n->list);
	pop_vars(s, inner);
	if (s->flow == FLOW_CONTINUE)
		s->flow = FLOW_NEXT;
}

static void walk_range(struct texec *s, json_t *dot, const struct tnode *n)
{
	size_t mark = s->nvars;
	json_t *v = eval_pipeline(s, dot, n->pipe);
	size_t count = 0;
	if (s->failed)
		goto out;
	if (n->pipe->is_assign) {
		/* "range $i, $v = ...": Go assigns outer variables; keep them on the stack */
		texec_fail(s, "range over assignment is not supported: use :=");
		goto out;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			json_t *k = json_integer((json_int_t)i);
			range_once(s, n, mark, k, e);
			json_decref(k);
			count++;
			if (s->failed || s->flow == FLOW_BREAK)
				break;
		}
	} else if (json_is_object(v)) {
		size_t nk;
		const char **keys = tval_keys(v, &nk);
		for (size_t i = 0; i < nk; i++) {
			json_t *k = json_string(keys[i]);
			range_once(s, n, mark, k, json_object_get(v, keys[i]));
			json_decref(k);
			count++;
			if (s->failed || s->flow == FLOW_BREAK)
				break;
		}
		free(keys);
	} else if (json_is_integer(v)) {
		for (json_int_t i = 0; i < json_integer_value(v); i++) {
			json_t *k = json_integer(i);
			range_once(s, n, mark, k, k);
			json_decref(k);
			count++;
			if (s->failed || s->flow == FLOW_BREAK)
				break;
		}
	} else if (v && !json_is_null(v)) {
		s->at = n->pipe;
		char what[256] = "";
		FILE *f = fmemopen(what, sizeof(what) - 1, "w");
		if (f) {
			tval_print(f, v, true, false);
			fclose(f);
		}
		texec_fail(s, "range can't iterate over %s", what);
		goto out;
	}
	s->flow = FLOW_NEXT;
	if (!count && !s->failed)
		walk_list(s, dot, n->else_list);
out:
	json_decref(v);
	pop_vars(s, mark);
}

static void walk(struct texec *s, json_t *dot, const struct tnode *n)
{
	switch (n->type) {
	case N_TEXT: fwrite(n->text, 1, n->len, s->out); break;
	case N_ACTION: {
		json_t *v = eval_pipeline(s, dot, n->pipe);
		if (!s->failed && !n->pipe->ndecl)
			tval_print(s->out, v, true, s->o->missing == MR_TMPL_MISSING_GUESS);
		json_decref(v);
		break;
	}
	case N_IF:
	case N_WITH: walk_if_with(s, dot, n); break;
	case N_RANGE: walk_range(s, dot, n); break;
	case N_LIST: walk_list(s, dot, n); break;
	case N_BREAK: s->flow = FLOW_BREAK; break;
	case N_CONTINUE: s->flow = FLOW_CONTINUE; break;
	default: break;
	}
}

int mr_tmpl_exec(const struct mr_tmpl *t, json_t *data, const struct mr_tmpl_opts *opts, FILE *out,
		 struct mr_err *err)
{
	static const struct mr_tmpl_opts dflt = {.missing = MR_TMPL_MISSING_GUESS};
	struct texec s = {.t = t, .o = opts ? opts : &dflt, .out = out};
	push_var(&s, "$", ref(data));
	walk_list(&s, data, t->root);
	pop_vars(&s, 0);
	free(s.vars);
	if (!s.failed)
		return 0;
	/* Go's ErrorContext: line and byte in the line of the node, and the node (20 bytes) */
	size_t pos = s.at ? s.at->pos : 0, line_start = 0;
	int line = 1;
	for (size_t i = 0; i < pos && t->src[i]; i++)
		if (t->src[i] == '\n')
			line++, line_start = i + 1;
	char ctx[256] = "";
	FILE *f = s.at ? fmemopen(ctx, sizeof(ctx) - 1, "w") : NULL;
	if (f) {
		tnode_string(s.at, f);
		fclose(f);
	}
	if (strlen(ctx) > 20)
		strcpy(ctx + 20, "...");
	return mr_fail(err, 0, "template: :%d:%zu: executing \"\" at <%s>: %s", line,
		       pos - line_start, ctx, s.msg);
}

char *mr_tmpl_render(const struct mr_tmpl *t, json_t *data, const struct mr_tmpl_opts *opts,
		     struct mr_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out) {
		mr_fail(err, errno, "template output");
		return NULL;
	}
	int rc = mr_tmpl_exec(t, data, opts, out, err);
	fclose(out);
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static json_t *label_of(void *ctx, json_t *const *args)
{
	const char *key = json_string_value(args[0]);
	json_t *v = json_object_get(ctx, key ? key : "");
	return json_is_string(v) ? json_incref(v) : json_string("");
}

const struct mr_tmpl_method mr_tmpl_label_methods[] = {{"Label", 1, label_of}, {NULL, 0, NULL}};
