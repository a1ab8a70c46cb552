/*
 * minirun/containers/io_args.c - one option table per stdio verb (exec, attach, logs) made
 * into getopt_long's table and usage()'s list, and the options they share parsed once.
 *
 * See io_args.h for the table's rows and the shared options; getopt_long(3).
 */
#include "lib/cli.h"
#include "minirun/containers/io_args.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_proto.h"

#include <string.h>
#include <unistd.h>

#define IO_MAX_FLAGS 32

/* the row of V's table that getopt's answer KEY (a letter, or a long-only val) names */
static const struct io_flag *flag_of(const struct io_verb *v, int key)
{
	for (const struct io_flag *f = v->flags; f->name; f++)
		if (f->letter ? f->letter == key : f->val == key)
			return f;
	return NULL;
}

void io_usage(const struct io_verb *v, FILE *out)
{
	fprintf(out, "Usage:  minirun %s %s\n\n%s\n\nOptions:\n", v->name, v->synopsis, v->about);
	/* docker's columns: the widest "--name type", then three spaces */
	int width = 0;
	for (const struct io_flag *f = v->flags; f->name; f++) {
		int w = 2 + (int)strlen(f->name) + (f->type ? 1 + (int)strlen(f->type) : 0);
		width = w > width ? w : width;
	}
	width += 3;
	for (const struct io_flag *f = v->flags; f->name; f++) {
		char opt[128];
		snprintf(opt, sizeof(opt), "--%s%s%s", f->name, f->type ? " " : "",
			 f->type ? f->type : "");
		if (f->letter)
			fprintf(out, "  -%c, ", f->letter);
		else
			fprintf(out, "      ");
		/* the help, its continuation lines under its first */
		const char *h = f->help;
		for (bool first = true; first || *h; first = false) {
			size_t n = strcspn(h, "\n");
			fprintf(out, "%-*s%.*s\n", width, first ? opt : "", (int)n, h);
			h += n + (h[n] == '\n');
			if (*h)
				fprintf(out, "      ");
		}
	}
}

/* "minirun: \"minirun VERB\" requires ...\nSee 'minirun VERB --help'.\n\nUsage: ...\n\nABOUT":
 * docker's shape for a wrong count (cobra names the command by its whole path) */
static int operand_error(const struct io_verb *v)
{
	int n = v->min_operands;
	const char *how = v->max_operands == n ? "exactly" : "at least";
	fprintf(stderr,
		"minirun: \"minirun %s\" requires %s %d argument%s.\nSee 'minirun %s --help'.\n\n"
		"Usage:  minirun %s %s\n\n%s\n",
		v->name, how, n, n == 1 ? "" : "s", v->name, v->name, v->synopsis, v->about);
	return MR_EXIT_OPERANDS;
}

/* a shared option: into *A; 0, or -1 after a message */
static int shared(struct io_args *a, int val, const char *arg)
{
	struct mr_err err = {0};
	unsigned char keys[IO_MAX_KEYS];
	switch (val) {
	case IO_OPT_DETACH: a->detach = true; return 0;
	case IO_OPT_INTERACTIVE: a->interactive = true; return 0;
	case IO_OPT_TTY: a->tty = true; return 0;
	case IO_OPT_NO_STDIN: a->no_stdin = true; return 0;
	case IO_OPT_DETACH_KEYS:
		/* checked now: a bad sequence is a usage error, before anything is opened */
		if (io_parse_detach_keys(arg, keys, &err) < 0) {
			fprintf(stderr, "minirun: %s\n", err.msg);
			return -1;
		}
		a->detach_keys = arg;
		return 0;
	case IO_OPT_SIG_PROXY:
		if (arg && strcmp(arg, "false") && strcmp(arg, "true")) {
			fprintf(stderr,
				"minirun: invalid argument \"%s\" for \"--sig-proxy\" flag: true "
				"or false\n",
				arg);
			return -1;
		}
		a->sig_proxy = !arg || strcmp(arg, "false") != 0;
		return 0;
	}
	return 1; /* not a shared one */
}

bool io_parse_args(const struct io_verb *v, int argc, char **argv, struct io_args *a, int *status)
{
	struct option opts[IO_MAX_FLAGS + 2];
	/* '+' (stop at the first operand) only for a verb whose operands end in a command,
	 * as docker's exec: `exec c sh -c x` passes -c to sh. Others take their flags
	 * anywhere, as docker's CLI does: `logs web --tail 1`. ':': a missing value is told
	 * apart */
	char letters[3 * IO_MAX_FLAGS + 4] = "+:";
	size_t n = 0, l = 2;
	if (v->max_operands >= 0)
		letters[0] = ':', l = 1;
	for (const struct io_flag *f = v->flags; f->name && n < IO_MAX_FLAGS; f++, n++) {
		opts[n] =
			(struct option){f->name, f->has_arg, NULL, f->letter ? f->letter : f->val};
		if (f->letter) {
			letters[l++] = f->letter;
			if (f->has_arg != no_argument)
				letters[l++] = ':';
			if (f->has_arg == optional_argument)
				letters[l++] = ':';
		}
	}
	opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	opts[n] = (struct option){NULL, 0, NULL, 0};
	letters[l++] = 'h';
	letters[l] = '\0';

	*a = (struct io_args){.sig_proxy = true};
	*status = MR_EXIT_RUNTIME;
	int ch;
	optind = 0; /* 0, not 1: glibc's getopt starts afresh (its permutation state too) */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, letters, opts, NULL)) != -1) {
		const struct io_flag *f = ch == 'h' ? NULL : flag_of(v, ch);
		if (ch == 'h') {
			io_usage(v, stdout);
			*status = 0;
			return false;
		}
		if (!f) {
			mr_flag_error(ch, v->name, argv);
			return false;
		}
		int r = shared(a, f->val, optarg);
		if (r < 0 || (r > 0 && (!v->own || v->own(v->ctx, f->val, optarg) < 0)))
			return false;
	}
	a->operands = argv + optind;
	a->noperands = argc - optind;
	if (a->noperands < v->min_operands ||
	    (v->max_operands >= 0 && a->noperands > v->max_operands)) {
		*status = operand_error(v);
		return false;
	}
	/* docker checks the terminal only for a client that will read it */
	if (a->tty && a->interactive && !a->detach && !isatty(0)) {
		fprintf(stderr, "minirun: the input device is not a TTY\n");
		return false;
	}
	return true;
}
