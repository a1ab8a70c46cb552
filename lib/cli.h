/*
 * lib/cli.h - the command-line conventions of minirun's verbs: --help, and a refused flag
 * in docker's words.
 *
 * Every front-end verb (`minirun network ls`, `minirun ps`, ...) takes -h/--help, prints
 * its usage on stdout and exits 0; a flag it does not know is refused before anything is
 * done, as docker's CLI refuses it, with status 125 (a wrong operand count: status 1):
 *
 *	$ minirun network ls --bogus
 *	minirun: unknown flag: --bogus
 *	See 'minirun network ls --help'.
 *
 * The tiny programs (ns/, cgroups/, netns/, unionfs/) keep their own one line and exit 2
 * (ns/uts.c is the template). The table of exit codes is in docs/HACKING.md.
 *
 * See: getopt_long(3); https://docs.docker.com/reference/cli/docker/ (pflag's messages).
 */
#ifndef MR_CLI_H
#define MR_CLI_H

#include <getopt.h>
#include <stdbool.h>

/*
 * mr_flag_error - report the flag getopt_long() just refused, called from its '?' or ':'
 * case with opterr = 0 (CH is what getopt returned: ':' means a missing value, which
 * getopt tells apart only when the optstring starts with ':'). Prints on stderr
 *	PROG: unknown flag: --bogus         (or: flag needs an argument: --name)
 *	See 'PROG VERB --help'.
 * and returns MR_EXIT_RUNTIME (125), docker's status for a usage error.
 */
int mr_flag_error(int ch, const char *verb, char **argv);

/* mr_confirm - docker's prune question: print the warning FMT (with its own line ends),
 * then "Are you sure you want to continue? [y/N] ", and read the answer from stdin: true
 * for y or Y; false for anything else, an empty line or EOF (the prunes' -f skips it) */
bool mr_confirm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The status for a wrong operand count ("\"logs\" requires exactly 1 argument."): docker's
 * CLI checks the count with cobra's Args, whose error is a plain one, so it exits 1, where
 * a flag pflag refuses is a StatusError and exits 125.
 */
#define MR_EXIT_OPERANDS 1

/*
 * mr_operand_error - refuse a wrong operand count: prints on stderr
 *	PROG: MSG
 *	See 'PROG VERB --help'.
 * (MSG from FMT, docker's "\"VERB\" requires exactly 1 argument.") and returns
 * MR_EXIT_OPERANDS (1).
 */
int mr_operand_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What mr_verb_opt returns when the verb is done: *rc holds the status to return. */
#define MR_OPT_DONE (-2)

/*
 * mr_verb_opt - getopt_long() for a verb that also takes -h/--help (LONGS need not list
 * it; at most 30 entries): returns the next flag of SHORTS/LONGS, -1 after the last, or
 * MR_OPT_DONE after printing HELP on stdout (*rc = 0) or refusing a flag with
 * mr_flag_error (*rc = 125). Flags and operands may be mixed, as docker allows. Set
 * optind = 0 before the first call.
 */
int mr_verb_opt(int argc, char **argv, const char *verb, const char *shorts,
		const struct option *longs, const char *help, int *rc);

/*
 * mr_verb_operands - mr_verb_opt for a verb with no flags of its own ("network rm"): 0 with
 * optind at the first operand, or -1 after --help (*rc = 0) or a refused flag (*rc = 125).
 * Sets optind itself.
 */
int mr_verb_operands(int argc, char **argv, const char *verb, const char *help, int *rc);

#endif
