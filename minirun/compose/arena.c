/*
 * minirun/compose/arena.c - the memory of a compose project: one arena, freed at once.
 *
 * A compose model is hundreds of small strings and arrays that all live exactly as long as
 * the project. Rather than an owner and a free() for each, they are chained into the
 * project's arena and compose_project_free() lets them all go: the loader can then copy a
 * value from one file's service into another's by pointer, which is what a merge does.
 *
 * See: compose.h.
 */
#include "minirun/compose/compose.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct compose_block {
	struct compose_block *next;
	max_align_t data[];
};

void *compose_alloc(struct compose_arena *a, size_t n)
{
	struct compose_block *b = calloc(1, sizeof(*b) + n);
	if (!b) {
		fprintf(stderr, "minirun: out of memory\n");
		abort();
	}
	b->next = a->blocks;
	a->blocks = b;
	return b->data;
}

char *compose_strndup(struct compose_arena *a, const char *s, size_t n)
{
	char *d = compose_alloc(a, n + 1);
	memcpy(d, s, n);
	return d;
}

char *compose_strdup(struct compose_arena *a, const char *s)
{
	return s ? compose_strndup(a, s, strlen(s)) : NULL;
}

char *compose_printf(struct compose_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = compose_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* The old array stays in the arena until the end: a compose file is small, and it keeps
 * every pointer a caller took into the array valid until then. */
void *compose_push(struct compose_arena *a, void *array_ptr, size_t *n, size_t size)
{
	void **arr = array_ptr;
	char *grown = compose_alloc(a, (*n + 1) * size);
	if (*n)
		memcpy(grown, *arr, *n * size);
	*arr = grown;
	return grown + (*n)++ * size;
}

void compose_arena_free(struct compose_arena *a)
{
	while (a->blocks) {
		struct compose_block *next = a->blocks->next;
		free(a->blocks);
		a->blocks = next;
	}
}

struct compose_kv *compose_kv_find(const struct compose_kvs *kvs, const char *key)
{
	for (size_t i = 0; i < kvs->n; i++)
		if (strcmp(kvs->v[i].key, key) == 0)
			return &kvs->v[i];
	return NULL;
}

void compose_kv_set(struct compose_arena *a, struct compose_kvs *kvs, const char *key,
		    const char *value)
{
	struct compose_kv *kv = compose_kv_find(kvs, key);
	if (!kv) {
		kv = compose_push(a, &kvs->v, &kvs->n, sizeof(*kv));
		kv->key = compose_strdup(a, key);
	}
	kv->value = compose_strdup(a, value);
}
