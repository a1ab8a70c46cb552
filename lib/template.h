/*
 * lib/template.h - Go's text/template, the subset docker's CLI documents, over JSON values:
 * what `inspect -f`, `ps --format`, `images --format`, `network/volume inspect -f` and the
 * `ls --format` of every verb execute.
 *
 *	{{.State.Status}}  {{json .Config}}  {{index .Config.Labels "a.b"}}
 *	{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}
 *	{{if eq .State.Status "running"}}up{{else}}down{{end}}
 *	table {{.ID}}\t{{.Names}}
 *
 * The language: text and actions, "{{- " and " -}}" trimming, comments, fields .A.B, $,
 * variables ($x := ..., $x = ...), range (arrays, maps in sorted key order, integers;
 * {{else}}, {{break}}, {{continue}}), if / else if / else, with / else with / else, end,
 * pipelines a | b, (sub expressions), string / raw string / char / number / bool / nil
 * literals. Functions: Go's and or not len index slice print printf println eq ne lt le gt
 * ge, and docker's json join split upper lower title truncate pad. Messages are Go's
 * ("template: :1: unexpected \"}\" in operand", "template: :1:2: executing \"\" at <.Foo>:
 * map has no entry for key \"Foo\""), so a learner can search for them.
 *
 * Values are jansson values: a JSON document (a container's record) or a row a verb builds
 * with docker's field names. Go prints a map as map[k:v] (keys sorted), an array as [a b],
 * and an absent value as <no value>; so does this.
 *
 * Why in lib/: four front-end folders execute templates (minirun/containers, image, network,
 * volume) and none of them sits below all the others, so the engine lives below them all.
 * libmr is a static archive: the small programs that link it and never call mr_tmpl_* pull
 * none of these objects, and so need no jansson.
 *
 * Files: template_lex.c (tokens), template_parse.c (the tree), template.c (execution),
 * template_funcs.c (the functions, how values print), template_printf.c (printf),
 * template_table.c (docker's --format: the table prefix, the header row, the tabwriter).
 * template_impl.h is what those share.
 *
 * See: https://pkg.go.dev/text/template, docs.docker.com "Format command and log output",
 *      docker/cli templates/templates.go and cli/command/formatter/formatter.go
 */
#ifndef MR_TEMPLATE_H
#define MR_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "lib/err.h"

struct mr_tmpl; /* a parsed template */

/* mr_tmpl_parse - parse TEXT. A new template (free with mr_tmpl_free), or NULL with ERR
 * holding Go's message: "template: :1: unclosed action". */
struct mr_tmpl *mr_tmpl_parse(const char *text, struct mr_err *err);
void mr_tmpl_free(struct mr_tmpl *t);

/* What a field that is not there does. Go knows a struct's fields from its type; JSON
 * does not say whether an object was a Go struct or a map, so the caller says. */
enum mr_tmpl_missing {
	/* inspect: an object whose keys all look like Go field names (a capital first) is a
	 * struct, and a field it lacks is an error ("map has no entry for key \"Foo\"", docker's
	 * fallback message); any other object is a map, where a missing key is <no value> */
	MR_TMPL_MISSING_GUESS,
	/* a missing key is always <no value> (Go's map[string]interface{}) */
	MR_TMPL_MISSING_NOVALUE,
	/* the rows of ps, images ...: every object is a Go struct of type TYPE_NAME, and a
	 * field it lacks is "can't evaluate field Foo in type *formatter.ContainerContext" */
	MR_TMPL_MISSING_FIELD,
};

/* a method of the row (docker's `.Label "key"`): ARGS are NARGS values (borrowed); return
 * a new reference, or NULL for <no value> */
struct mr_tmpl_method {
	const char *name;
	size_t nargs;
	json_t *(*call)(void *ctx, json_t *const *args);
};

/* mr_tmpl_label_methods - docker's `.Label "KEY"` of a row (ps, network ls, volume ls): the
 * value of label KEY in the labels object given as the options' ctx, "" when it has none */
extern const struct mr_tmpl_method mr_tmpl_label_methods[];

struct mr_tmpl_opts {
	enum mr_tmpl_missing missing;
	const char *type_name; /* for MR_TMPL_MISSING_FIELD's message, and GUESS's at the top
				  ("can't evaluate field Foo in type volume.Volume"); may be NULL */
	const struct mr_tmpl_method *methods; /* ended by a NULL name; may be NULL */
	void *ctx;                            /* given to the methods */
	bool header; /* docker's HeaderFunctions: json, join, split, upper, lower, title and
			truncate give back their first argument (a column title) untouched */
};

/* mr_tmpl_exec - execute T over DATA (borrowed; "." and "$"), writing to OUT. 0, or -1 with
 * Go's message in ERR ("template: :1:2: executing \"\" at <.Foo>: ..."): what was written
 * before the error stays written, as Go leaves it. OPTS may be NULL (MISSING_GUESS). */
int mr_tmpl_exec(const struct mr_tmpl *t, json_t *data, const struct mr_tmpl_opts *opts, FILE *out,
		 struct mr_err *err);
/* mr_tmpl_render - mr_tmpl_exec into a new string (the caller frees it); NULL with ERR */
char *mr_tmpl_render(const struct mr_tmpl *t, json_t *data, const struct mr_tmpl_opts *opts,
		     struct mr_err *err);

/* ---- docker's --format (template_table.c) ------------------------------------------------- */

/*
 * A --format value, read as docker's formatter reads it: "table" (alone: DEFAULT, itself a
 * "table ..." format) or "table TEMPLATE" prints a header row and aligned columns; "json"
 * is {{json .}}; anything else is a TEMPLATE executed once per row, each row ended by a
 * newline. Spaces around the template are trimmed, and the two characters \t and \n are a
 * tab and a newline.
 */
struct mr_format {
	bool table;
	struct mr_tmpl *tmpl;
	char *buf; /* the rows so far */
	size_t len;
	FILE *rows;
};

/* mr_format_open - parse FORMAT (NULL or "": DEFAULT) into F. -1 with Go's parse error in ERR;
 * F needs mr_format_close either way. */
int mr_format_open(struct mr_format *f, const char *format, const char *dflt, struct mr_err *err);
/* mr_format_row - execute the template over ROW and add the output and a newline. -1 with
 * ERR (the row is left out). */
int mr_format_row(struct mr_format *f, json_t *row, const struct mr_tmpl_opts *opts,
		  struct mr_err *err);
/* mr_format_print - write the rows to OUT: for a table, first the header (the template over
 * HEADER, a {Field: "COLUMN TITLE"} object, with docker's header functions; an error there
 * ends the header where it happened, as docker's does), then everything through
 * mr_tabwrite. */
void mr_format_print(struct mr_format *f, json_t *header, FILE *out);
void mr_format_close(struct mr_format *f);

/* mr_tabwrite - write TEXT to OUT as Go's text/tabwriter with docker's settings (minwidth
 * 10, padding 3, spaces): a cell ends at a tab, a column of consecutive lines is as wide as
 * its widest cell plus 3 (at least 10), the last cell of a line is not padded. Widths
 * count UTF-8 characters. */
void mr_tabwrite(const char *text, size_t len, FILE *out);

#endif
