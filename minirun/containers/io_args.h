/*
 * minirun/containers/io_args.h - the command line of the stdio verbs: exec, attach, logs.
 *
 * Each verb describes its options once, in a table of struct io_flag; io_parse_args makes
 * getopt_long's table and short-option string from it, io_usage the aligned option list,
 * and the options the verbs share with docker's meaning are parsed here, once:
 *
 *	-d, --detach           a.detach
 *	-i, --interactive      a.interactive
 *	-t, --tty              a.tty          ("the input device is not a TTY" for -it, unless -d)
 *	    --detach-keys K    a.detach_keys  (checked with io_parse_detach_keys)
 *	    --no-stdin         a.no_stdin
 *	    --sig-proxy[=B]    a.sig_proxy    (true or false; default true)
 *
 * Any other row is the verb's own: its `own` function gets the row's val and the argument.
 * The operands are counted too, with docker's message ("\"exec\" requires at least 2
 * arguments.", status 1 as docker's), so that the verb itself starts at what it is for.
 *
 * See: getopt_long(3); https://docs.docker.com/reference/cli/docker/container/exec/
 */
#ifndef MR_CONTAINERS_IO_ARGS_H
#define MR_CONTAINERS_IO_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* the vals of the shared options; a verb's own long-only options use IO_OPT_OWN + n */
enum {
	IO_OPT_DETACH = 0x100,
	IO_OPT_INTERACTIVE,
	IO_OPT_TTY,
	IO_OPT_DETACH_KEYS,
	IO_OPT_NO_STDIN,
	IO_OPT_SIG_PROXY,
	IO_OPT_OWN = 0x200,
};

/* One option of a verb: what getopt_long needs and usage()'s line. */
struct io_flag {
	const char *name; /* --NAME */
	char letter;      /* -L, or 0 */
	int has_arg;      /* no_argument, required_argument, optional_argument */
	int val;          /* what the verb's `own` gets: IO_OPT_*, or its own code */
	const char *type; /* usage's word for the value ("string", "list"); NULL: a switch */
	const char *help; /* usage's text; each '\n' continues it on a line of its own */
};

/* the shared rows, with docker's help (a verb may write its own row with the same val) */
/* clang-format off */
#define IO_FLAG_DETACH      {"detach", 'd', no_argument, IO_OPT_DETACH, NULL, \
			     "Detached mode: run command in the background"}
#define IO_FLAG_INTERACTIVE {"interactive", 'i', no_argument, IO_OPT_INTERACTIVE, NULL, \
			     "Keep STDIN open even if not attached"}
#define IO_FLAG_TTY         {"tty", 't', no_argument, IO_OPT_TTY, NULL, "Allocate a pseudo-TTY"}
#define IO_FLAG_DETACH_KEYS {"detach-keys", 0, required_argument, IO_OPT_DETACH_KEYS, "string", \
			     "Override the key sequence for detaching a container"}
#define IO_FLAG_NO_STDIN    {"no-stdin", 0, no_argument, IO_OPT_NO_STDIN, NULL, \
			     "Do not attach STDIN"}
#define IO_FLAG_SIG_PROXY   {"sig-proxy", 0, optional_argument, IO_OPT_SIG_PROXY, NULL, \
			     "Proxy all received signals to the process (default true)"}
/* clang-format on */

/* What a verb tells io_parse_args about itself. */
struct io_verb {
	const char *name;            /* "exec" */
	const char *synopsis;        /* "[OPTIONS] CONTAINER COMMAND [ARG...]" */
	const char *about;           /* "Execute a command in a running container" */
	int min_operands;            /* CONTAINER [COMMAND...]: at least this many */
	int max_operands;            /* at most (-1: no limit) */
	const struct io_flag *flags; /* ends with a row whose name is NULL */
	/* own - one of the verb's own options (VAL, its argument or NULL); 0, or -1 after
	 * printing what is wrong */
	int (*own)(void *ctx, int val, const char *arg);
	void *ctx;
};

/* The shared options, and where the operands start. */
struct io_args {
	bool detach, interactive, tty, no_stdin, sig_proxy;
	const char *detach_keys; /* as given (valid), or NULL */
	char **operands;         /* argv's, after the options */
	int noperands;
};

/*
 * io_parse_args - parse ARGV (argv[0]: the verb's name) as V says. Options stop at the
 * first operand (exec's COMMAND keeps its own). True when the verb goes on with *A; false
 * when it returns *STATUS at once: 0 after --help, 125 after a message on stderr.
 */
bool io_parse_args(const struct io_verb *v, int argc, char **argv, struct io_args *a, int *status);

/* io_usage - V's usage(): synopsis, what it does, the option table (aligned, as docker's) */
void io_usage(const struct io_verb *v, FILE *out);

#endif
