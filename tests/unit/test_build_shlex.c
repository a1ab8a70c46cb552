/*
 * tests/unit/test_build_shlex.c - minirun/build's shell lexer: the variable substitutions
 * the Dockerfile reference lists ("Environment replacement"), quotes and escapes, the
 * splitting into words, and BuildKit's error messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/build/shlex.h"
#include "tests/unit/unit.h"

static char *const env_kv[] = {
	"A=a", "P=a/b/c", "V=foo boo", "E=", "L=x  y", "HOME=/root", "U",
};
static struct shlex_list env_list = {env_kv, sizeof(env_kv) / sizeof(env_kv[0])};

struct word_case {
	const char *in, *out; /* out NULL: an error, whose message contains err */
	const char *err;
};

static void check_words(const struct word_case *c, size_t n, int escape, unsigned opts)
{
	struct shlex_env env = SHLEX_ENV_LIST(&env_list);
	for (size_t i = 0; i < n; i++) {
		struct mr_err err = {0};
		char *out = NULL;
		int rc = shlex_word(c[i].in, escape, opts, &env, &out, &err);
		int ok = c[i].out ? rc == 0 && strcmp(out, c[i].out) == 0
				  : rc < 0 && strstr(err.msg, c[i].err) != NULL;
		if (!ok) {
			fprintf(stderr, "\nshlex %s: want %s got %s\n", c[i].in,
				c[i].out ? c[i].out : c[i].err, rc == 0 ? out : err.msg);
			CU_FAIL(c[i].in);
		} else {
			CU_PASS(c[i].in);
		}
		free(out);
	}
}

#define CHECK_WORDS(cases, escape, opts)                                                           \
	check_words(cases, sizeof(cases) / sizeof((cases)[0]), escape, opts)

static void plain_substitution(void)
{
	static const struct word_case cases[] = {
		{"$A", "a", NULL},       {"${A}", "a", NULL}, {"${A}b", "ab", NULL},
		{"$Ab", "", NULL}, /* the name is Ab */
		{"x$A.y", "xa.y", NULL}, {"$NOPE", "", NULL}, {"$", "$", NULL},
		{"a$", "a$", NULL},      {"$1", "", NULL},    {"${A}${HOME}", "a/root", NULL},
		{"$U", "", NULL}, /* set, empty */
	};
	CHECK_WORDS(cases, '\\', 0);
}

static void modifiers(void)
{
	static const struct word_case cases[] = {
		{"${NOPE:-def}", "def", NULL},
		{"${E:-def}", "def", NULL}, /* : counts empty as unset */
		{"${A:-def}", "a", NULL},
		{"${E-def}", "", NULL}, /* without : only unset counts */
		{"${NOPE-def}", "def", NULL},
		{"${A:+alt}", "alt", NULL},
		{"${E:+alt}", "", NULL},
		{"${E+alt}", "alt", NULL},
		{"${NOPE+alt}", "", NULL},
		{"${NOPE:-$A}", "a", NULL}, /* the word is expanded too */
		{"${A:?must be set}", "a", NULL},
		{"${NOPE:?must be set}", NULL, "NOPE: must be set"},
		{"${NOPE?}", NULL, "NOPE: is not allowed to be unset"},
		{"${E:?}", NULL, "E: is not allowed to be empty"},
		{"${E?}", "", NULL},
		{"${P#*/}", "b/c", NULL},
		{"${P##*/}", "c", NULL},
		{"${P%/*}", "a/b", NULL},
		{"${P%%/*}", "a", NULL},
		{"${P#x}", "a/b/c", NULL},
		{"${P/b/B}", "a/B/c", NULL},
		{"${V/o/0}", "f0o boo", NULL},
		{"${V//o/0}", "f00 b00", NULL},
		{"${V//o*/X}", "fX", NULL}, /* * is greedy in a replacement */
		{"${P#a?}", "b/c", NULL},
		{"${A:#x}", NULL, "unsupported modifier (:#) in substitution"},
		{"${A:0:1}", NULL, "unsupported modifier (:0) in substitution"},
	};
	CHECK_WORDS(cases, '\\', 0);
}

static void quotes_and_escapes(void)
{
	static const struct word_case cases[] = {
		{"'$A'", "$A", NULL},
		{"\"$A\"", "a", NULL},
		{"\\$A", "$A", NULL},
		{"\"\\$A\"", "$A", NULL},
		{"\"a\\nb\"", "a\\nb", NULL}, /* only \" \$ \\ escape inside "" */
		{"\"a\\\"b\"", "a\"b", NULL},
		{"'a\\'", "a\\", NULL}, /* nothing escapes inside '' */
		{"a\\ b", "a b", NULL},
		{"\"'\"", "'", NULL},
		{"'abc", NULL, "looking for matching single-quote"},
		{"\"abc", NULL, "looking for matching double-quote"},
		{"${}", NULL, "bad substitution"},
		{"${:a}", NULL, "bad substitution"},
		{"${A", NULL, "missing '}'"},
		{"${A:-x", NULL, "missing '}'"},
	};
	CHECK_WORDS(cases, '\\', 0);

	static const struct word_case backtick[] = {
		{"a`$b", "a$b", NULL},
		{"c:\\dir", "c:\\dir", NULL}, /* with escape=` a backslash is just a character */
	};
	CHECK_WORDS(backtick, '`', 0);

	static const struct word_case skip[] = {
		{"$NOPE ${NOPE:-x} $A", "$NOPE ${NOPE:-x} a", NULL},
		{"${NOPE}", "${NOPE}", NULL},
	};
	CHECK_WORDS(skip, '\\', SHLEX_SKIP_UNSET);

	static const struct word_case raw[] = {
		{"'a' \"b\" \\c", "'a' \"b\" \\c", NULL},
	};
	CHECK_WORDS(raw, '\\', SHLEX_RAW_QUOTES | SHLEX_RAW_ESCAPES);

	struct mr_err err = {0};
	char *out = NULL;
	CU_ASSERT_EQUAL(shlex_word("${NOPE:?}", '\\', 0, NULL, &out, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "failed to process \"${NOPE:?}\": NOPE: is not allowed to be unset");
}

static void splitting_into_words(void)
{
	static const struct {
		const char *in;
		const char *words[4];
	} cases[] = {
		{"a \"b c\" d", {"a", "b c", "d"}},
		{"  a   b  ", {"a", "b"}},
		{"$L", {"x", "y"}},   /* a bare variable splits */
		{"\"$L\"", {"x  y"}}, /* a quoted one does not */
		{"a\\ b c", {"a b", "c"}},
		{"\"\" a", {"a"}}, /* an empty word is dropped, as BuildKit drops it */
		{"x$A'y z'", {"xay z"}},
		{"", {NULL}},
	};
	struct shlex_env env = SHLEX_ENV_LIST(&env_list);
	for (size_t i = 0; i < sizeof(cases) / sizeof((cases)[0]); i++) {
		struct mr_err err = {0};
		char **w = NULL;
		size_t n = 0, want = 0;
		while (want < 4 && cases[i].words[want])
			want++;
		CU_ASSERT_EQUAL_FATAL(shlex_words(cases[i].in, '\\', 0, &env, &w, &n, &err), 0);
		CU_ASSERT_EQUAL(n, want);
		for (size_t k = 0; k < n && k < want; k++)
			CU_ASSERT_STRING_EQUAL(w[k], cases[i].words[k]);
		CU_ASSERT_PTR_NULL(w[n]);
		shlex_free_words(w);
	}
}

static void glob_patterns(void)
{
	CU_ASSERT_EQUAL(shlex_glob_match("a*c", "abbbc", 5), 1);
	CU_ASSERT_EQUAL(shlex_glob_match("a?c", "abc", 3), 1);
	CU_ASSERT_EQUAL(shlex_glob_match("a?c", "ac", 2), 0);
	CU_ASSERT_EQUAL(shlex_glob_match("a\\*", "a*", 2), 1);
	CU_ASSERT_EQUAL(shlex_glob_match("a\\*", "ab", 2), 0);
	CU_ASSERT_EQUAL(shlex_glob_match("\\q", "q", 1), -1); /* BuildKit: invalid escape */
	CU_ASSERT_EQUAL(shlex_glob_match("*\\}", "a}", 2), 1);
	CU_ASSERT_EQUAL(shlex_glob_match("*b*b*", "abcb", 4), 1);
	CU_ASSERT_EQUAL(shlex_glob_match("", "", 0), 1);
	CU_ASSERT_EQUAL(shlex_glob_match("**", "", 0), 1);
	/* many stars against a long text that does not match: linear, not exponential (this
	 * ran for minutes before; tests/fuzz/crashes/dockerfile/timeout-0e80dd...) */
	char text[4001];
	memset(text, 'a', 4000);
	text[4000] = '\0';
	CU_ASSERT_EQUAL(shlex_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", text, 4000), 0);
}

static CU_TestInfo tests[] = {
	{"$V and ${V} take the value, unset is empty", plain_substitution},
	{"${V:-w} ${V+w} ${V:?m} ${V#p} ${V%%p} ${V/p/r}", modifiers},
	{"quotes, escapes, the escape directive, errors", quotes_and_escapes},
	{"words split at bare blanks after expansion", splitting_into_words},
	{"the glob of ${V#p}: * ? and escapes", glob_patterns},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("build: shell lexer", tests)
