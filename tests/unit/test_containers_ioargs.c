/*
 * tests/unit/test_containers_ioargs.c - the command line of the stdio verbs
 * (minirun/containers/io_args.c): one option table per verb, the shared options parsed
 * once, the verb's own handed to it, the operands counted, usage() aligned as docker's.
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/io_args.h"
#include "lib/cli.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* what the test verb's own options saw */
struct seen {
	char got[256];
};

enum { OPT_LONG_ONLY = IO_OPT_OWN };

static int own(void *ctx, int val, const char *arg)
{
	struct seen *s = ctx;
	size_t n = strlen(s->got);
	if (val == 'x')
		return -1; /* the verb refuses it (after its message, in a real verb) */
	snprintf(s->got + n, sizeof(s->got) - n, "%s%d=%s", n ? " " : "", val, arg ? arg : "");
	return 0;
}

static const struct io_flag flags[] = {
	IO_FLAG_DETACH,
	IO_FLAG_DETACH_KEYS,
	{"env", 'e', required_argument, 'e', "list", "Set environment variables"},
	{"long-only", 0, required_argument, OPT_LONG_ONLY, "string", "First line\nsecond line"},
	IO_FLAG_INTERACTIVE,
	IO_FLAG_SIG_PROXY,
	{"refused", 'x', no_argument, 'x', NULL, "The verb says no"},
	{NULL, 0, 0, 0, NULL, NULL},
};

static struct seen seen;
static const struct io_verb verb = {
	.name = "try",
	.synopsis = "[OPTIONS] CONTAINER COMMAND [ARG...]",
	.about = "Try the options",
	.min_operands = 2,
	.max_operands = -1,
	.flags = flags,
	.own = own,
	.ctx = &seen,
};

/* io_parse_args with our stdout and stderr (usage, messages) sent to /dev/null */
static bool parse(char **argv, struct io_args *a, int *status)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	fflush(stdout), fflush(stderr);
	int out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 1), dup2(null, 2);
	memset(&seen, 0, sizeof(seen));
	bool ok = io_parse_args(&verb, argc, argv, a, status);
	fflush(stdout), fflush(stderr);
	dup2(out, 1), dup2(err, 2);
	close(out), close(err), close(null);
	return ok;
}

static void shared_and_own_options(void)
{
	char *argv[] = {"try",           "-d",          "-e",
			"A=1",           "--long-only", "v",
			"--detach-keys", "ctrl-a,x",    "--sig-proxy=false",
			"box",           "sh",          "-c",
			"echo",          NULL};
	struct io_args a;
	int status = -1;
	CU_ASSERT_TRUE(parse(argv, &a, &status));
	CU_ASSERT_TRUE(a.detach);
	CU_ASSERT_FALSE(a.interactive);
	CU_ASSERT_FALSE(a.sig_proxy);
	CU_ASSERT_STRING_EQUAL(a.detach_keys, "ctrl-a,x");
	/* the verb's own, in order, with their vals: the letter, or IO_OPT_OWN + n */
	char want[64];
	snprintf(want, sizeof(want), "%d=A=1 %d=v", 'e', OPT_LONG_ONLY);
	CU_ASSERT_STRING_EQUAL(seen.got, want);
	/* options stop at the first operand: the command keeps its own -c */
	CU_ASSERT_EQUAL(a.noperands, 4);
	CU_ASSERT_STRING_EQUAL(a.operands[0], "box");
	CU_ASSERT_STRING_EQUAL(a.operands[2], "-c");
}

static void defaults(void)
{
	char *argv[] = {"try", "box", "true", NULL};
	struct io_args a;
	int status = -1;
	CU_ASSERT_TRUE(parse(argv, &a, &status));
	CU_ASSERT_FALSE(a.detach || a.interactive || a.tty || a.no_stdin);
	CU_ASSERT_TRUE(a.sig_proxy); /* docker's default */
	CU_ASSERT_PTR_NULL(a.detach_keys);
	CU_ASSERT_STRING_EQUAL(seen.got, "");
}

static void refusals_are_125_help_is_0(void)
{
	struct io_args a;
	int status = -1;
	char *few[] = {"try", "box", NULL};
	CU_ASSERT_FALSE(parse(few, &a, &status));
	CU_ASSERT_EQUAL(status, MR_EXIT_OPERANDS); /* docker's CLI: 1 for a count */
	char *unknown[] = {"try", "--no-such", "box", "true", NULL};
	status = -1;
	CU_ASSERT_FALSE(parse(unknown, &a, &status));
	CU_ASSERT_EQUAL(status, MR_EXIT_RUNTIME);
	char *keys[] = {"try", "--detach-keys", "ctrl-1", "box", "true", NULL};
	status = -1;
	CU_ASSERT_FALSE(parse(keys, &a, &status));
	CU_ASSERT_EQUAL(status, MR_EXIT_RUNTIME);
	char *proxy[] = {"try", "--sig-proxy=maybe", "box", "true", NULL};
	status = -1;
	CU_ASSERT_FALSE(parse(proxy, &a, &status));
	CU_ASSERT_EQUAL(status, MR_EXIT_RUNTIME);
	char *refused[] = {"try", "-x", "box", "true", NULL};
	status = -1;
	CU_ASSERT_FALSE(parse(refused, &a, &status));
	CU_ASSERT_EQUAL(status, MR_EXIT_RUNTIME);
	char *help[] = {"try", "--help", NULL};
	status = -1;
	CU_ASSERT_FALSE(parse(help, &a, &status));
	CU_ASSERT_EQUAL(status, 0);
}

static void usage_is_an_aligned_table(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	io_usage(&verb, f);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(
		text,
		"Usage:  minirun try [OPTIONS] CONTAINER COMMAND [ARG...]\n\n"
		"Try the options\n\n"
		"Options:\n"
		"  -d, --detach               Detached mode: run command in the background\n"
		"      --detach-keys string   Override the key sequence for detaching a container\n"
		"  -e, --env list             Set environment variables\n"
		"      --long-only string     First line\n"
		"                             second line\n"
		"  -i, --interactive          Keep STDIN open even if not attached\n"
		"      --sig-proxy            Proxy all received signals to the process (default "
		"true)\n"
		"  -x, --refused              The verb says no\n");
	free(text);
}

static CU_TestInfo tests[] = {
	{"stdio verbs: shared options parsed once, the verb's own handed to it, in order",
	 shared_and_own_options},
	{"stdio verbs: docker's defaults (--sig-proxy true)", defaults},
	{"stdio verbs: a wrong count is 1, an unknown or bad option 125; --help is 0",
	 refusals_are_125_help_is_0},
	{"stdio verbs: usage() is an aligned option table, continuation lines under the text",
	 usage_is_an_aligned_table},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers io args", tests)
