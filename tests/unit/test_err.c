/*
 * tests/unit/test_err.c - lib/err.c's error kinds (mr_failk) and lib/cli.c's refused-flag
 * line: what a caller decides by, and what a user reads.
 */
#include "lib/cli.h"
#include "lib/err.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void failk_sets_the_kind_and_fail_resets_it(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(err.kind, MR_E_SYSTEM);
	CU_ASSERT_EQUAL(mr_failk(&err, MR_E_NOT_FOUND, 0, "No such image: %s", "x"), -1);
	CU_ASSERT_EQUAL(err.kind, MR_E_NOT_FOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "No such image: x");
	mr_prefix(&err, "run: ");
	CU_ASSERT_EQUAL(err.kind, MR_E_NOT_FOUND); /* context does not change what it is */
	mr_fail(&err, EACCES, "open '%s'", "/x");
	CU_ASSERT_EQUAL(err.kind, MR_E_SYSTEM);
	CU_ASSERT_EQUAL(err.errnum, EACCES);
	CU_ASSERT_EQUAL(mr_failk(NULL, MR_E_CONFLICT, 0, "no err to fill"), -1);
}

/* run getopt_long over ARGV as a verb would, return what mr_flag_error printed */
static const char *refused(char **argv, int argc, const char *shorts, int *rc)
{
	static char line[256];
	static const struct option lo[] = {{"name", required_argument, 0, 'n'}, {0, 0, 0, 0}};
	FILE *tmp = tmpfile();
	int saved = dup(2), ch;
	fflush(stderr);
	dup2(fileno(tmp), 2);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1)
		if (ch == '?' || ch == ':') {
			*rc = mr_flag_error(ch, "ls", argv);
			break;
		}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(line, 1, sizeof(line) - 1, tmp);
	line[n] = '\0';
	fclose(tmp);
	return line;
}

static void flag_error_names_the_flag_in_dockers_words(void)
{
	char *a[] = {"ls", "--bogus", NULL}, *b[] = {"ls", "-x", NULL},
	     *c[] = {"ls", "--name", NULL}, *d[] = {"ls", "--bogus=1", NULL};
	int rc = 0;
	const char *p = program_invocation_short_name;
	char want[256];
	snprintf(want, sizeof(want), "%s: unknown flag: --bogus\nSee '%s ls --help'.\n", p, p);
	CU_ASSERT_STRING_EQUAL(refused(a, 2, ":n:", &rc), want);
	CU_ASSERT_EQUAL(rc, MR_EXIT_RUNTIME);
	snprintf(want, sizeof(want), "%s: unknown flag: -x\nSee '%s ls --help'.\n", p, p);
	CU_ASSERT_STRING_EQUAL(refused(b, 2, ":n:", &rc), want);
	snprintf(want, sizeof(want), "%s: flag needs an argument: --name\nSee '%s ls --help'.\n", p,
		 p);
	CU_ASSERT_STRING_EQUAL(refused(c, 2, ":n:", &rc), want);
	snprintf(want, sizeof(want), "%s: unknown flag: --bogus\nSee '%s ls --help'.\n", p, p);
	CU_ASSERT_STRING_EQUAL(refused(d, 2, ":n:", &rc), want);
}

static CU_TestInfo tests[] = {
	{"mr_failk sets the kind; mr_prefix keeps it; mr_fail resets it",
	 failk_sets_the_kind_and_fail_resets_it},
	{"mr_flag_error names the refused flag in docker's two lines, 125",
	 flag_error_names_the_flag_in_dockers_words},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib err and cli", tests)
