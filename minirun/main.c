/*
 * minirun/main.c - `minirun COMMAND ...`: the one binary, a table of top-level commands.
 *
 * Today's command is `oci`, the runc-compatible OCI runtime (oci.c). The docker-like front
 * end (run, images, ps, build, compose ...) adds its rows to the same table. Installed or
 * linked under the name `minirun-oci`, the binary is the OCI runtime directly, which is how
 * podman (--runtime) and containerd (--runc-binary) are handed it.
 *
 *   minirun oci run --bundle DIR ID
 *   minirun-oci --root /run/x create --bundle DIR ID
 *
 * See: docs/HACKING.md; DESIGN.md "The layers of minirun".
 */
#include "lib/err.h"
#include "minirun/oci.h"

#include <stdio.h>
#include <string.h>

static int cmd_oci(int argc, char **argv, char **full)
{
	return oci_main(argc, argv, full);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, char **full);
	const char *what;
} commands[] = {
	{"oci", cmd_oci, "the OCI runtime: runc's verbs over a bundle (create, start, ...)"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: minirun [-v] COMMAND [ARGS...]\n"
		     "       minirun-oci VERB ...    (= minirun oci VERB ...)\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].what);
	fprintf(out, "\n  --version  print the version\n");
}

int main(int argc, char **argv)
{
	mr_err_exit_code = MR_EXIT_RUNTIME;
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (strcmp(base, "minirun-oci") == 0)
		return oci_main(argc, argv, argv);
	int i = 1;
	for (; i < argc && (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0); i++)
		mr_verbose = 1;
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[i], "--version") == 0) {
		printf("minirun version %s\nspec: %s\n", MINIRUN_VERSION, MINIRUN_SPEC_VERSION);
		return 0;
	}
	if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(commands[k].name, argv[i]) == 0)
			return commands[k].fn(argc - i, argv + i, argv);
	fprintf(stderr, "minirun: unknown command '%s'; see 'minirun --help'\n", argv[i]);
	return 2;
}
