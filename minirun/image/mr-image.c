/*
 * minirun/image/mr-image.c - a stand-in front end for the image commands, until minirun's
 * own dispatcher takes image_commands[] (then `minirun images` = `mr-image images`).
 *
 *   minirun/image/mr-image [--root DIR] [-v] COMMAND [ARGS...]
 *
 * It does what the real dispatcher will do: take the global options, then find argv[1]
 * in image_commands[] and hand it the rest. Tests call ${MR_IMAGE_CLI:-.../mr-image}.
 *
 * See: image.h (the commands and the store), docs/HACKING.md
 */
#include "minirun/image/image.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "Usage:  minirun [OPTIONS] COMMAND\n\n"
		   "Options:\n"
		   "      --root DIR   Store root (default $MINIRUN_ROOT, else /var/lib/minirun)\n"
		   "  -v, --verbose    Narrate each step on stderr\n\n"
		   "Commands:\n");
	for (const struct image_command *c = image_commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->help);
}

int main(int argc, char **argv)
{
	int i = 1;
	/* every message says "minirun:", as it will once this is minirun itself */
	program_invocation_short_name = "minirun";
	mr_err_exit_code = MR_EXIT_RUNTIME;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--root") && i + 1 < argc)
			image_root_opt = argv[++i];
		else if (!strncmp(argv[i], "--root=", 7))
			image_root_opt = argv[i] + 7;
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
	for (const struct image_command *c = image_commands; c->name; c++)
		if (!strcmp(argv[i], c->name))
			return c->fn(argc - i, argv + i);
	fprintf(stderr, "minirun: '%s' is not a minirun command.\nSee 'minirun --help'\n", argv[i]);
	return MR_EXIT_RUNTIME;
}
