/*
 * lib/template_table.c - docker's --format around the template engine: "table", "json",
 * the header row, and the tabwriter that lines the columns up.
 *
 *	$ minirun ps --format 'table {{.ID}}\t{{.Names}}'
 *	CONTAINER ID   NAMES
 *	3f1c0a9d2b7e   web
 *
 * As docker's formatter does it: "table" is cut off the front, the rest trimmed of spaces,
 * and the two characters \t and \n made a tab and a newline; each row is the template's
 * output and a newline. A table's header is the same template run over an object that maps
 * each field to its column title, with the functions that would mangle a title (upper,
 * json, join, ...) giving it back untouched; then header and rows go through Go's
 * text/tabwriter with docker's settings (minwidth 10, padding 3, spaces).
 *
 * See: template.h; docker/cli cli/command/formatter/formatter.go,
 *      https://pkg.go.dev/text/tabwriter
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/template_impl.h"

int mr_format_open(struct mr_format *f, const char *format, const char *dflt, struct mr_err *err)
{
	memset(f, 0, sizeof(*f));
	if (!format || !*format || !strcmp(format, "table"))
		format = dflt ? dflt : "";
	f->table = !strncmp(format, "table", 5);
	const char *body = f->table ? format + 5 : !strcmp(format, "json") ? "{{json .}}" : format;
	/* trim spaces, then \t and \n */
	while (*body == ' ')
		body++;
	size_t n = strlen(body);
	while (n && body[n - 1] == ' ')
		n--;
	char *text = malloc(n + 1);
	size_t o = 0;
	if (!text)
		return mr_fail(err, ENOMEM, "format");
	for (size_t i = 0; i < n; i++) {
		if (body[i] == '\\' && i + 1 < n && (body[i + 1] == 't' || body[i + 1] == 'n')) {
			text[o++] = body[++i] == 't' ? '\t' : '\n';
			continue;
		}
		text[o++] = body[i];
	}
	text[o] = 0;
	f->tmpl = mr_tmpl_parse(text, err);
	free(text);
	if (!f->tmpl)
		return -1;
	f->rows = open_memstream(&f->buf, &f->len);
	if (!f->rows)
		return mr_fail(err, errno, "format");
	return 0;
}

int mr_format_row(struct mr_format *f, json_t *row, const struct mr_tmpl_opts *opts,
		  struct mr_err *err)
{
	char *s = mr_tmpl_render(f->tmpl, row, opts, err);
	if (!s)
		return -1;
	fprintf(f->rows, "%s\n", s);
	free(s);
	return 0;
}

/* a header's .Label "com.example.tier-name": docker's column title is the key's last
 * dotted part, '-' and '_' made spaces ("tier name") */
static json_t *header_label(void *ctx, json_t *const *args)
{
	(void)ctx;
	const char *name = json_string_value(args[0]) ? json_string_value(args[0]) : "";
	const char *dot = strrchr(name, '.');
	char *h = strdup(dot ? dot + 1 : name);
	for (char *p = h; p && *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	json_t *r = json_string(h ? h : "");
	free(h);
	return r;
}

void mr_format_print(struct mr_format *f, json_t *header, FILE *out)
{
	fflush(f->rows);
	if (!f->table) {
		fwrite(f->buf, 1, f->len, out);
		return;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *all = open_memstream(&text, &len);
	if (!all)
		return;
	static const struct mr_tmpl_method methods[] = {{"Label", 1, header_label},
							{NULL, 0, NULL}};
	struct mr_tmpl_opts o = {
		.missing = MR_TMPL_MISSING_NOVALUE, .header = true, .methods = methods};
	mr_tmpl_exec(f->tmpl, header, &o, all, NULL); /* docker ignores a header's error */
	fputc('\n', all);
	fwrite(f->buf, 1, f->len, all);
	fclose(all);
	mr_tabwrite(text, len, out);
	free(text);
}

void mr_format_close(struct mr_format *f)
{
	if (f->rows)
		fclose(f->rows);
	free(f->buf);
	mr_tmpl_free(f->tmpl);
	memset(f, 0, sizeof(*f));
}

/* ---- Go's text/tabwriter ----------------------------------------------------------------- */

struct cell {
	const char *text;
	size_t len, width; /* bytes, characters */
};

struct line {
	struct cell *cells;
	size_t n; /* the last cell is the text after the last tab (not part of a column) */
};

struct tabw {
	struct line *lines;
	size_t nlines;
	size_t *widths, nwidths;
	FILE *out;
};

enum { TAB_MINWIDTH = 10, TAB_PADDING = 3 };

static void write_lines(struct tabw *w, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct line *l = &w->lines[i];
		for (size_t j = 0; j < l->n; j++) {
			const struct cell *c = &l->cells[j];
			fwrite(c->text, 1, c->len, w->out);
			if (j < w->nwidths && j + 1 < l->n)
				for (size_t k = c->width; k < w->widths[j]; k++)
					fputc(' ', w->out);
		}
		if (i + 1 < w->nlines)
			fputc('\n', w->out);
	}
}

/* Go's format(): a column is a run of consecutive lines that have a cell in it; its width
 * is its widest cell's plus the padding; the lines of the run are then laid out for the
 * next column the same way, recursively */
static void format_block(struct tabw *w, size_t from, size_t to)
{
	size_t column = w->nwidths;
	for (size_t i = from; i < to; i++) {
		if (column + 1 >= w->lines[i].n)
			continue;
		write_lines(w, from, i);
		from = i;
		size_t width = TAB_MINWIDTH;
		for (; i < to && column + 1 < w->lines[i].n; i++) {
			size_t cw = w->lines[i].cells[column].width + TAB_PADDING;
			if (cw > width)
				width = cw;
		}
		w->widths[w->nwidths++] = width;
		format_block(w, from, i);
		w->nwidths--;
		from = i;
		i--;
	}
	write_lines(w, from, to);
}

void mr_tabwrite(const char *text, size_t len, FILE *out)
{
	struct tabw w = {.out = out};
	size_t maxcells = 1;
	/* split into lines and cells; a trailing newline ends the last line */
	for (size_t start = 0; start <= len;) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		w.lines = realloc(w.lines, (w.nlines + 1) * sizeof(*w.lines));
		struct line *l = &w.lines[w.nlines++];
		*l = (struct line){0};
		for (size_t c = start;;) {
			const char *tab = memchr(text + c, '\t', end - c);
			size_t ce = tab ? (size_t)(tab - text) : end;
			l->cells = realloc(l->cells, (l->n + 1) * sizeof(*l->cells));
			size_t chars = 0;
			for (size_t k = c; k < ce; k++)
				chars += ((unsigned char)text[k] & 0xC0) != 0x80;
			l->cells[l->n++] = (struct cell){text + c, ce - c, chars};
			if (!tab)
				break;
			c = ce + 1;
		}
		if (l->n > maxcells)
			maxcells = l->n;
		start = end + 1;
		if (!nl)
			break;
	}
	/* a text ending in '\n' has an empty last line: written as the final newline */
	w.widths = calloc(maxcells + 1, sizeof(*w.widths));
	format_block(&w, 0, w.nlines);
	for (size_t i = 0; i < w.nlines; i++)
		free(w.lines[i].cells);
	free(w.lines);
	free(w.widths);
}
