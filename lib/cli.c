/*
 * lib/cli.c - --help and refused flags, as every minirun verb handles them (see cli.h).
 */
#include "lib/cli.h"
#include "lib/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mr_flag_error(int ch, const char *verb, char **argv)
{
	const char *prog = program_invocation_short_name;
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	char flag[128];

	/* getopt names a refused short flag in optopt (and a long one by 0); a long flag
	 * missing its value sets optopt to the flag's value, so the word on the command
	 * line is what names it then */
	if (strncmp(arg, "--", 2) == 0 && (ch == ':' || optopt == 0))
		snprintf(flag, sizeof(flag), "%.*s", (int)strcspn(arg, "="), arg);
	else
		snprintf(flag, sizeof(flag), "-%c", optopt ? optopt : '?');
	fprintf(stderr, "%s: %s: %s\nSee '%s %s --help'.\n", prog,
		ch == ':' ? "flag needs an argument" : "unknown flag", flag, prog, verb);
	return MR_EXIT_RUNTIME;
}

int mr_operand_error(const char *verb, const char *fmt, ...)
{
	const char *prog = program_invocation_short_name;
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nSee '%s %s --help'.\n", prog, verb);
	return MR_EXIT_OPERANDS;
}

int mr_verb_opt(int argc, char **argv, const char *verb, const char *shorts,
		const struct option *longs, const char *help, int *rc)
{
	struct option all[32];
	char optstring[64];
	size_t n = 0;

	for (; longs && longs[n].name && n < 30; n++)
		all[n] = longs[n];
	all[n] = (struct option){"help", no_argument, NULL, 'h'};
	all[n + 1] = (struct option){0};
	/* ':' first: a missing value comes back as ':', told apart from an unknown flag */
	snprintf(optstring, sizeof(optstring), ":%sh", shorts ? shorts : "");
	opterr = 0;
	int ch = getopt_long(argc, argv, optstring, all, NULL);
	switch (ch) {
	case 'h':
		fputs(help, stdout);
		*rc = 0;
		return MR_OPT_DONE;
	case '?':
	case ':': *rc = mr_flag_error(ch, verb, argv); return MR_OPT_DONE;
	default: return ch;
	}
}

int mr_verb_operands(int argc, char **argv, const char *verb, const char *help, int *rc)
{
	optind = 0;
	/* no flag of its own: anything but -1 is --help or a refused flag */
	return mr_verb_opt(argc, argv, verb, "", NULL, help, rc) == -1 ? 0 : -1;
}

bool mr_confirm(const char *fmt, ...)
{
	char line[16] = "";
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("Are you sure you want to continue? [y/N] ");
	fflush(stdout);
	return fgets(line, sizeof(line), stdin) && (line[0] == 'y' || line[0] == 'Y');
}
