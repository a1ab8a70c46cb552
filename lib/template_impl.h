/*
 * lib/template_impl.h - what the template engine's files share: the tokens the lexer
 * (template_lex.c) makes, the parse tree the parser (template_parse.c) builds and the
 * executor (template.c) walks, and the functions and value printing (template_funcs.c,
 * template_printf.c) the executor calls. Not for the engine's users: they include
 * lib/template.h.
 *
 * See: template.h; Go's text/template/parse (node.go) for the node kinds
 */
#ifndef MR_TEMPLATE_IMPL_H
#define MR_TEMPLATE_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/template.h"

/* ---- tokens (template_lex.c) ----------------------------------------------------------- */

enum item_type {
	I_ERROR, /* text: the message */
	I_EOF,
	I_TEXT,
	I_LEFT,  /* {{ */
	I_RIGHT, /* }} */
	I_SPACE,
	I_FIELD, /* .Name */
	I_VAR,   /* $x or $ */
	I_IDENT, /* a function's name */
	I_STRING,
	I_RAWSTRING,
	I_CHARCONST, /* 'a' */
	I_NUMBER,
	I_BOOL,
	I_PIPE,
	I_LPAREN,
	I_RPAREN,
	I_DECLARE, /* := */
	I_ASSIGN,  /* = */
	I_CHAR,    /* any other printable character */
	I_KEYWORD, /* the keywords follow: Go prints them as <name> */
	I_DOT,
	I_NIL,
	I_IF,
	I_ELSE,
	I_END,
	I_RANGE,
	I_WITH,
	I_BREAK,
	I_CONTINUE,
	I_DEFINE,
	I_TEMPLATE,
	I_BLOCK,
};

struct item {
	enum item_type type;
	size_t pos, len; /* the text in the source */
	char *msg;       /* I_ERROR */
};

struct lexer {
	const char *src;
	size_t n, pos;
	int paren_depth;
	struct item *items;
	size_t nitems, cap;
	bool done;
};

/* tlex - the whole of L->src (L->n bytes) into L->items, ended by I_EOF or I_ERROR */
void tlex(struct lexer *l);

/* ---- the parse tree (template_parse.c) ------------------------------------------------------ */

enum tnode_type {
	N_LIST,     /* kids: the items */
	N_TEXT,     /* text, len */
	N_ACTION,   /* pipe: {{pipeline}} */
	N_IF,       /* pipe, list, else_list */
	N_RANGE,    /* pipe, list, else_list */
	N_WITH,     /* pipe, list, else_list */
	N_BREAK,    /* {{break}} */
	N_CONTINUE, /* {{continue}} */
	N_PIPE,     /* decl (variables), kids (commands), is_assign */
	N_CMD,      /* kids: the arguments; the first is the function or the operand */
	N_FIELD,    /* idents: .A.B -> "A" "B" */
	N_VAR,      /* idents: $x.A -> "$x" "A" */
	N_CHAIN,    /* pipe (a term: a parenthesized pipeline ...), idents: the fields after it */
	N_IDENT,    /* text: a function's name */
	N_DOT,
	N_NIL,
	N_BOOL,   /* value */
	N_NUMBER, /* value (an integer or a real), text: as written */
	N_STRING, /* value, text: as written, with its quotes */
	N_END,    /* {{end}}: only while parsing */
	N_ELSE,   /* {{else}}: only while parsing */
};

struct tnode {
	enum tnode_type type;
	size_t pos; /* byte offset of the node in the template (for messages) */
	struct tnode **kids;
	size_t nkids;
	struct tnode **decl;
	size_t ndecl;
	bool is_assign;
	char **idents;
	size_t nidents;
	struct tnode *pipe, *list, *else_list;
	char *text;
	size_t len;
	json_t *value;
};

struct mr_tmpl {
	char *src; /* the template's text */
	struct tnode *root;
	struct tnode **all; /* every node, to free them (and to unwind a parse error) */
	size_t nall, capall;
};

/* tnode_string - NODE as Go's String() writes it ("index .A 5", "$x.Name"), for messages;
 * written to OUT */
void tnode_string(const struct tnode *node, FILE *out);

/* ---- the executor's state, as the functions see it ------------------------------------------ */

struct texec;
/* texec_fail - record Go's "error calling NAME: MSG"-style message (the executor adds the
 * "template: :L:C: executing ..." prefix); always returns NULL */
json_t *texec_fail(struct texec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* texec_opts - the options the template runs with (never NULL) */
const struct mr_tmpl_opts *texec_opts(const struct texec *s);
/* texec_at_arg - place the next message at argument I of the function being called */
void texec_at_arg(struct texec *s, size_t i);
/* texec_arg_string - argument I of the function being called, as written ("", .Name) */
void texec_arg_string(const struct texec *s, size_t i, char *buf, size_t len);
/* texec_type - V's Go type for a message: as tval_type, but a number of inspect's JSON is
 * "json.Number" (docker's raw fallback decodes numbers so, and its message is the one shown) */
const char *texec_type(const struct texec *s, json_t *v);

/* a function: ARGS are ARGC values (borrowed; NULL is "no value"); returns a new reference,
 * NULL for no value, or NULL after texec_fail */
typedef json_t *(*tfunc_fn)(struct texec *s, json_t *const *args, size_t argc);
struct tfunc {
	const char *name;
	int min, max; /* the number of arguments (max -1: any) */
	tfunc_fn fn;
	bool header_identity; /* docker's HeaderFunctions: the header gets its first argument */
};
/* tfunc_find - the function NAME, or NULL; "and" and "or" are found but run by the
 * executor, which evaluates their arguments one at a time */
const struct tfunc *tfunc_find(const char *name);

/* tval_print - V as Go's fmt prints it with %v: strings bare, [a b], map[k:v], <nil>
 * inside a collection; TOP: an absent or null V is "<no value>" (the executor's rule);
 * STRUCTS (inspect's JSON): an object that looks like a Go struct prints as {v1 v2} */
void tval_print(FILE *out, json_t *v, bool top, bool structs);
/* tval_struct_like - does OBJ look like a Go struct? every key starts with a capital (Go's
 * exported fields), as docker's JSON of a struct does; a map's keys seldom all do */
bool tval_struct_like(json_t *obj);
/* tval_format_real - F as Go's %v prints a float64: the fewest digits that read back as F,
 * %e form below 1e-4 and from 1e+06 on ("0.5", "1.5e+07") */
void tval_format_real(double f, char *buf, size_t len);
/* tfunc_printf - Go's printf (template_printf.c) */
json_t *tfunc_printf(struct texec *s, json_t *const *args, size_t argc);
/* tval_truth - Go's truth: false, 0, "", empty array or object, null and no value are false */
bool tval_truth(json_t *v);
/* tval_type - the Go type a JSON value stands for, for messages: "string", "int",
 * "float64", "bool", "[]interface {}", "map[string]interface {}", "<nil>" */
const char *tval_type(json_t *v);
/* tval_keys - OBJ's keys sorted (Go's order for maps); a new array of borrowed strings */
const char **tval_keys(json_t *obj, size_t *n);

#endif
