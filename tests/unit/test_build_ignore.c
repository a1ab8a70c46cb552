/*
 * tests/unit/test_build_ignore.c - minirun/build's .dockerignore matcher, with the rules of
 * docs.docker.com/build/concepts/context/#dockerignore-files: one case a .dockerignore
 * text, a path, and whether the build context leaves that path out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/build/dockerignore.h"
#include "tests/unit/unit.h"

struct ignore_case {
	const char *file, *path;
	bool excluded;
};

static void check(const struct ignore_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct dockerignore di = {0};
		struct mr_err err = {0};
		if (dockerignore_parse(c[i].file, strlen(c[i].file), &di, &err) < 0) {
			fprintf(stderr, "\n.dockerignore %s: %s\n", c[i].file, err.msg);
			CU_FAIL(c[i].file);
			continue;
		}
		bool got = dockerignore_excludes(&di, c[i].path);
		if (got != c[i].excluded) {
			fprintf(stderr, "\n.dockerignore \"%s\", %s: want %s\n", c[i].file,
				c[i].path, c[i].excluded ? "excluded" : "kept");
			CU_FAIL(c[i].path);
		} else {
			CU_PASS(c[i].path);
		}
		dockerignore_free(&di);
	}
}

#define CHECK(cases) check(cases, sizeof(cases) / sizeof((cases)[0]))

static void wildcards(void)
{
	static const struct ignore_case cases[] = {
		{"*.o", "a.o", true},
		{"*.o", "src/a.o", false}, /* * does not cross / */
		{"*/*.o", "src/a.o", true},
		{"**/*.o", "a.o", true}, /* ** is any directories, even none */
		{"**/*.o", "src/x/a.o", true},
		{"?.txt", "a.txt", true},
		{"?.txt", "ab.txt", false},
		{"[ab].c", "a.c", true},
		{"[ab].c", "c.c", false},
		{"[^a].c", "b.c", true},
		{"[a-c]x", "bx", true},
		{"\\*", "*", true},
		{"\\*", "x", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/xb", false},
		{"**", "anything/at/all", true},
		{"**/.git", ".git/config", true}, /* a suffix, and the path's parent matches */
		{"**/.git", "a/.git", true},
		{"dir/**", "dir/x", true},
		{"dir/**", "dirx", false},
		{"a.(b)+c", "a.(b)+c", true}, /* regexp characters are plain text */
	};
	CHECK(cases);
}

static void directories_and_paths(void)
{
	static const struct ignore_case cases[] = {
		{"build", "build", true},
		{"build", "build/x/y.o", true}, /* a directory takes what is under it */
		{"build", "builder", false},
		{"/secret", "secret", true}, /* a leading / is the context's root */
		{"./a//b/", "a/b/c", true},  /* patterns are cleaned */
		{"a/../b", "b", true},
		{"*.o", "./src/../a.o", true}, /* so are paths */
		{"**", ".", false},            /* the context itself never is */
	};
	CHECK(cases);
}

static void exceptions_and_order(void)
{
	static const struct ignore_case cases[] = {
		{"*.md\n!README.md\n", "a.md", true},
		{"*.md\n!README.md\n", "README.md", false},
		{"!README.md\n*.md\n", "README.md", true}, /* the last pattern that matches wins */
		{"build\n!build/keep\n", "build/keep/x", false},
		{"build\n!build/keep\n", "build/other", true},
		{"*\n!src\n", "src/main.c", false},
		{"*\n!src\nsrc/*.o\n", "src/main.o", true},
		{"# a comment\n  spaced.txt  \n", "spaced.txt", true},
		{"# a.txt\n", "# a.txt", false}, /* a comment is no pattern */
		{"a.txt\r\n", "a.txt", true},
		{"! kept\nkept\n!  kept\n", "kept", false},
	};
	CHECK(cases);
}

static void bad_patterns(void)
{
	static const struct {
		const char *file, *msg;
	} cases[] = {
		{"!\n", "illegal exclusion pattern: \"!\""},
		{"a[b\n", "syntax error in pattern"},
		{"a\\\n", "syntax error in pattern"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof((cases)[0]); i++) {
		struct dockerignore di = {0};
		struct mr_err err = {0};
		CU_ASSERT_EQUAL(dockerignore_parse(cases[i].file, strlen(cases[i].file), &di, &err),
				-1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i].msg));
	}
}

static void cleaning(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"a/./b//", "a/b"}, {"a/../../b", "../b"}, {"/../a", "/a"}, {"", "."},
		{"./", "."},        {"a/b/..", "a"},       {"..", ".."},    {"/", "/"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof((cases)[0]); i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		ignore_clean_path(buf);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].out);
	}
}

static CU_TestInfo tests[] = {
	{"* ? [set] \\ and ** match as docker's matcher does", wildcards},
	{"a directory pattern takes what is under it; paths are cleaned", directories_and_paths},
	{"! exceptions, order, comments and blanks", exceptions_and_order},
	{"a lone ! and a broken pattern are refused", bad_patterns},
	{"paths are cleaned as Go's path.Clean does", cleaning},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("build: .dockerignore", tests)
