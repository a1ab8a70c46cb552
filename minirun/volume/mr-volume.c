/*
 * minirun/volume/mr-volume.c - a stand-in for `minirun volume ...` until minirun's
 * dispatcher takes volume_commands[]: global options, then one verb of the table.
 *
 *	mr-volume [--root DIR] [-v] create data
 *	mr-volume ls
 *	mr-volume resolve -v data:/srv CONTAINER-ID
 *
 * Messages say "minirun:" and failures exit 125, as they will from minirun itself.
 * See: volume.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "minirun/volume/volume.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage:  minirun volume [OPTIONS] COMMAND\n\n"
		   "Options:\n"
		   "      --root DIR   State root (default $MINIRUN_ROOT, else /var/lib/minirun)\n"
		   "  -v, --verbose    Narrate each step on stderr\n\n"
		   "Commands:\n");
	for (const struct volume_command *c = volume_commands; c->name; c++)
		fprintf(f, "  %-11s %s\n", c->name, c->help);
}

int main(int argc, char **argv)
{
	int i = 1;
	program_invocation_short_name = "minirun";
	mr_err_exit_code = MR_EXIT_RUNTIME;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--root") && i + 1 < argc)
			volume_root_opt = argv[++i];
		else if (!strncmp(argv[i], "--root=", 7))
			volume_root_opt = argv[i] + 7;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			mr_verbose = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "minirun: unknown flag: %s\n", argv[i]);
			return MR_EXIT_RUNTIME;
		}
	}
	if (i == argc) {
		usage(stderr);
		return MR_EXIT_RUNTIME;
	}
	for (const struct volume_command *c = volume_commands; c->name; c++)
		if (!strcmp(argv[i], c->name))
			return c->fn(argc - i, argv + i);
	fprintf(stderr,
		"minirun: 'volume %s' is not a minirun command.\n"
		"See 'minirun volume --help'\n",
		argv[i]);
	return MR_EXIT_RUNTIME;
}
