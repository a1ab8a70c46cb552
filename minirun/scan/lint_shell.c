/*
 * minirun/scan/lint_shell.c - the shell splitter the lint rules read RUN commands with.
 *
 * A RUN line is cut into commands at &&, ||, ;, |, & and newlines, each into words with
 * quotes removed and leading VAR=value assignments dropped: enough for rules such as "apt-get
 * install without --no-install-recommends" (lint_rules.c), not a shell. One splitter, used
 * by every rule over RUN.
 *
 * See: lint.h; sh(1) "Lists".
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/scan/lint.h"

struct words {
	char **v;
	size_t n, cap;
	int oom;
};

static void push_word(struct words *w, const char *s, size_t len)
{
	if (w->n + 2 > w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		char **v = realloc(w->v, cap * sizeof(*v));
		if (!v) {
			w->oom = 1;
			return;
		}
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n] = strndup(s, len);
	if (!w->v[w->n]) {
		w->oom = 1;
		return;
	}
	w->v[++w->n] = NULL;
}

/* is_assignment - NAME=value (a shell variable set before a command) */
static bool is_assignment(const char *w)
{
	if (!isalpha((unsigned char)*w) && *w != '_')
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=';
}

static int end_command(struct lint_script *s, struct words *w, bool piped)
{
	if (w->oom)
		return -1;
	size_t skip = 0;
	while (skip < w->n && is_assignment(w->v[skip]))
		free(w->v[skip++]);
	if (skip) {
		memmove(w->v, w->v + skip, (w->n - skip + 1) * sizeof(*w->v));
		w->n -= skip;
	}
	if (w->n == 0) {
		free(w->v);
		*w = (struct words){0};
		return 0;
	}
	struct lint_cmd *c = realloc(s->cmds, (s->n + 1) * sizeof(*c));
	if (!c)
		return -1;
	s->cmds = c;
	s->cmds[s->n++] = (struct lint_cmd){w->v, w->n, piped};
	if (piped)
		s->has_pipe = true;
	*w = (struct words){0};
	return 0;
}

int lint_sh_split(const char *p, struct lint_script *s)
{
	*s = (struct lint_script){0};
	struct words w = {0};
	char *buf = malloc(strlen(p) + 1);
	if (!buf)
		return -1;
	size_t blen = 0;
	bool inword = false;
	char quote = 0;
	for (;; p++) {
		char c = *p;
		if (quote) {
			if (!c)
				quote = 0; /* unterminated: take what there is */
			else if (c == quote)
				quote = 0;
			else if (c == '\\' && quote == '"' && p[1])
				buf[blen++] = *++p;
			else
				buf[blen++] = c;
			if (c)
				continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			inword = true;
			continue;
		}
		if (c == '\\' && p[1] == '\n') {
			p++;
			continue;
		}
		if (c == '\\' && p[1]) {
			buf[blen++] = *++p;
			inword = true;
			continue;
		}
		bool sep = !c || c == ';' || c == '&' || c == '|' || c == '\n';
		if (sep || c == ' ' || c == '\t' || c == '(' || c == ')') {
			if (inword)
				push_word(&w, buf, blen);
			inword = false;
			blen = 0;
		} else {
			buf[blen++] = c;
			inword = true;
		}
		if (sep) {
			bool piped = c == '|' && p[1] != '|';
			if ((c == '|' || c == '&') && p[1] == c)
				p++;
			else if (c == '|' && p[1] == '&')
				p++;
			if (end_command(s, &w, piped) < 0) {
				for (size_t i = 0; i < w.n; i++) /* the words it could not keep */
					free(w.v[i]);
				free(w.v);
				free(buf);
				return -1;
			}
		}
		if (!c)
			break;
	}
	free(buf);
	return 0;
}

void lint_script_free(struct lint_script *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = 0; j < s->cmds[i].nwords; j++)
			free(s->cmds[i].words[j]);
		free(s->cmds[i].words);
	}
	free(s->cmds);
	*s = (struct lint_script){0};
}
