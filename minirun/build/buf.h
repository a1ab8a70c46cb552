/*
 * minirun/build/buf.h - the growable string and string list the build's parsers share
 * (internal to minirun/build/).
 *
 * An allocation failure does not stop the caller mid-way: the buffer remembers it (`oom`)
 * and the caller checks once, at the end, turning it into ENOMEM. So a parser reads as
 * the grammar it implements, not as a chain of allocation checks.
 */
#ifndef MR_BUILD_BUF_H
#define MR_BUILD_BUF_H

#include <stdlib.h>
#include <string.h>

struct sb {
	char *s;
	size_t len, cap;
	int oom;
};

static inline void sb_putn(struct sb *b, const char *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static inline void sb_putc(struct sb *b, char c)
{
	sb_putn(b, &c, 1);
}

static inline void sb_puts(struct sb *b, const char *p)
{
	sb_putn(b, p, strlen(p));
}

/* the text so far ("" when empty); valid until the next put */
static inline const char *sb_str(const struct sb *b)
{
	return b->s ? b->s : "";
}

static inline void sb_reset(struct sb *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* sb_take - hand the text to the caller (malloc'd; NULL after an allocation failure) and
 * leave the buffer empty. */
static inline char *sb_take(struct sb *b)
{
	char *s = b->oom ? NULL : (b->s ? b->s : strdup(""));
	if (b->oom)
		free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
	return s;
}

static inline void sb_free(struct sb *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* A list of malloc'd strings, kept NULL-terminated. */
struct strv {
	char **v;
	size_t n, cap;
	int oom;
};

/* strv_push - append S, taking ownership (S NULL means its allocation failed). */
static inline void strv_push(struct strv *l, char *s)
{
	if (!s || l->oom) {
		free(s);
		l->oom = 1;
		return;
	}
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			l->oom = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static inline void strv_pushn(struct strv *l, const char *p, size_t n)
{
	strv_push(l, strndup(p, n));
}

static inline void strv_free(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

#endif
