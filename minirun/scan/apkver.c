/*
 * minirun/scan/apkver.c - apk's version ordering (Alpine), as apk-tools defines it.
 *
 * An Alpine version is  digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}:
 *
 *   1.2.3      numbers, compared as numbers ... except a component after a '.' that
 *              starts with '0' (1.02), which compares as a string against its peer
 *   1.2.3a     one lowercase letter
 *   1.2_rc1    suffixes: _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p
 *   1.2~3ab4   a commit hash (hex), compared as a string
 *   1.2-r4     the package revision
 *
 * Both versions are cut into tokens and compared token by token while the kinds agree.
 * When one runs out (or changes kind) first, the longer one is newer, unless what it has
 * next is a pre-release suffix (_alpha _beta _pre _rc): 1.2 < 1.2.1, 1.2 < 1.2-r1,
 * 1.2 < 1.2_p1, but 1.2_rc1 < 1.2. Between two different kinds, the kind that comes later
 * in the grammar sorts first: 1.2a < 1.2.1 (a letter against a further number).
 *
 * See: apk-tools src/version.c and apk-package(5) ("pkgver"); tests/unit/test_scan_version.c.
 */
#include <ctype.h>
#include <string.h>

#include "minirun/scan/scan.h"

/* the token kinds, in the grammar's order (the order decides between unlike kinds) */
enum tok_kind { T_FIRST, T_DIGIT, T_LETTER, T_SUFFIX, T_SUFFIX_NO, T_HASH, T_REV, T_END, T_BAD };

/* the suffixes in their order; SUFFIX_NONE sits between the pre- and post-releases */
static const char *const suffixes[] = {"alpha", "beta", "pre", "rc", "",
				       "cvs",   "svn",  "git", "hg", "p"};
enum { SUFFIX_NONE = 4 };

struct tok {
	enum tok_kind kind;
	const char *s; /* the token's text (digits, letter, suffix name, hash) */
	size_t n;
	unsigned long long num;
	int suffix;
};

static void digits(struct tok *t, const char **p)
{
	t->s = *p;
	t->num = 0;
	while (isdigit((unsigned char)**p))
		t->num = t->num * 10 + (unsigned)(*(*p)++ - '0');
	t->n = (size_t)(*p - t->s);
	if (t->n == 0)
		t->kind = T_BAD;
}

/* next - the token after T at *P (T holds the previous one, whose kind says what may
 * follow); advances *P */
static void next(struct tok *t, const char **p)
{
	const char *c = *p;
	enum tok_kind prev = t->kind;
	if (!*c) {
		t->kind = T_END;
		return;
	}
	if (*c >= 'a' && *c <= 'z') {
		t->kind = prev <= T_DIGIT ? T_LETTER : T_BAD;
		t->s = c, t->n = 1;
		*p = c + 1;
	} else if (*c == '.' || isdigit((unsigned char)*c)) {
		if (*c == '.' && prev > T_DIGIT) {
			t->kind = T_BAD;
			return;
		}
		*p = c + (*c == '.');
		if (prev == T_FIRST || prev == T_DIGIT)
			t->kind = T_DIGIT;
		else if (prev == T_SUFFIX && *c != '.')
			t->kind = T_SUFFIX_NO;
		else {
			t->kind = T_BAD;
			return;
		}
		digits(t, p);
	} else if (*c == '_' && prev <= T_SUFFIX_NO) {
		t->s = ++c;
		while (*c >= 'a' && *c <= 'z')
			c++;
		t->n = (size_t)(c - t->s);
		*p = c;
		t->kind = T_BAD;
		for (int i = 0; i < (int)(sizeof(suffixes) / sizeof(suffixes[0])); i++)
			if (i != SUFFIX_NONE && strlen(suffixes[i]) == t->n &&
			    !memcmp(suffixes[i], t->s, t->n)) {
				t->kind = T_SUFFIX;
				t->suffix = i;
			}
	} else if (*c == '~' && prev < T_HASH) {
		t->s = ++c;
		while (isxdigit((unsigned char)*c))
			c++;
		t->n = (size_t)(c - t->s);
		*p = c;
		t->kind = t->n ? T_HASH : T_BAD;
	} else if (*c == '-' && c[1] == 'r' && prev < T_REV) {
		*p = c + 2;
		t->kind = T_REV;
		digits(t, p);
	} else
		t->kind = T_BAD;
}

static int str_cmp(const struct tok *a, const struct tok *b)
{
	int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
	if (c)
		return c < 0 ? -1 : 1;
	return a->n == b->n ? 0 : a->n < b->n ? -1 : 1;
}

/* tok_cmp - two tokens of the same kind */
static int tok_cmp(const struct tok *a, const struct tok *b)
{
	unsigned long long x, y;
	switch (a->kind) {
	case T_DIGIT:
		/* "1.02" against "1.1": a leading zero makes the pair compare as strings */
		if (a->s[0] == '0' || b->s[0] == '0')
			return str_cmp(a, b);
		/* fall through */
	case T_FIRST:
	case T_SUFFIX_NO:
	case T_REV: x = a->num, y = b->num; break;
	case T_LETTER: x = (unsigned char)a->s[0], y = (unsigned char)b->s[0]; break;
	case T_SUFFIX: x = (unsigned)a->suffix, y = (unsigned)b->suffix; break;
	default: return str_cmp(a, b);
	}
	return x == y ? 0 : x < y ? -1 : 1;
}

int apk_version_cmp(const char *a, const char *b)
{
	struct tok ta = {.kind = T_FIRST}, tb = {.kind = T_FIRST};
	digits(&ta, &a);
	digits(&tb, &b);
	while (ta.kind == tb.kind && ta.kind < T_END) {
		int c = tok_cmp(&ta, &tb);
		if (c)
			return c;
		next(&ta, &a);
		next(&tb, &b);
	}
	if (ta.kind == tb.kind)
		return 0;
	/* one goes on where the other stopped: the longer is newer, unless a pre-release */
	if (ta.kind == T_SUFFIX && ta.suffix < SUFFIX_NONE)
		return -1;
	if (tb.kind == T_SUFFIX && tb.suffix < SUFFIX_NONE)
		return 1;
	return ta.kind > tb.kind ? -1 : 1;
}

int apk_version_valid(const char *v)
{
	struct tok t = {.kind = T_FIRST};
	for (digits(&t, &v); t.kind < T_END; next(&t, &v))
		;
	return t.kind == T_END;
}
