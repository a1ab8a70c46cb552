/*
 * minirun/main.c - `minirun COMMAND ...`: the one binary's entry point.
 *
 * The commands: `oci`, the runc-compatible OCI runtime (oci.c); the image store's commands
 * (images, pull, push, login, logout, import, load, save, tag, rmi, history, image:
 * minirun/image/); `network` and `volume` (minirun/network/, minirun/volume/); the
 * container verbs (run, ps, logs, ...: minirun/containers/, three tables); sbom, scan and
 * lint (minirun/scan/). Installed or linked under the name `minirun-oci`, the binary is the
 * OCI runtime directly, which is how podman (--runtime) and containerd (--runc-binary) are
 * handed it.
 *
 * This file reads the global flags (-v, --root, --runroot), enters the user's namespace
 * for a user other than root, and finds the command; the tables it looks in, the groups'
 * dispatchers and `minirun --help` are commands.c's.
 *
 *   minirun oci run --bundle DIR ID
 *   minirun-oci --root /run/x create --bundle DIR ID
 *   minirun --root /tmp/store images        (the store: --root, else $MINIRUN_ROOT,
 *                                             else /var/lib/minirun)
 *
 * See: docs/HACKING.md; DESIGN.md "The layers of minirun".
 */
#include "minirun/commands.h"
#include "lib/err.h"
#include "minirun/containers/containers.h"
#include "minirun/image/image.h"
#include "minirun/network/network.h"
#include "minirun/oci/runtime.h"
#include "minirun/rootless/rootless.h"
#include "minirun/scan/scan.h"
#include "minirun/volume/volume.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* set_root - the front end's --root: one store for images, networks and volumes */
static void set_root(const char *dir)
{
	image_root_opt = network_root_opt = volume_root_opt = containers_root_opt = dir;
}

/* rootless - for a user other than root: the store in the user's own home unless --root or
 * MINIRUN_ROOT chose one, then into the user's namespace, where the rest runs as root
 * (minirun/rootless/rootless.h). `minirun oci` is left alone: an OCI runtime is given its
 * rootless config by the engine that calls it. */
static int rootless(bool root_given)
{
	struct mr_err err = {0};
	if (geteuid() == 0) /* root, or minirun re-executed inside the namespace already */
		return rootless_enter(&err);
	const char *env = getenv("MINIRUN_ROOT");
	if (!root_given && !(env && *env)) {
		const char *dir = rootless_data_dir(&err);
		if (!dir)
			return mr_err_report(&err, -1);
		set_root(dir);
		/* and for minirun's own re-executions (the monitor, exec): inside the user
		 * namespace they are root, and would otherwise take root's store */
		setenv("MINIRUN_ROOT", dir, 1);
		/* the run files on the user's runtime dir (a tmpfs under pam_systemd), as
		 * podman's runroot; ROOT/run would be on disk */
		const char *run = getenv("MINIRUN_RUNROOT");
		if (!(run && *run) && (run = rootless_runtime_dir(&err)) == NULL)
			return mr_err_report(&err, -1);
		setenv("MINIRUN_RUNROOT", run, 1);
	}
	if (rootless_enter(&err) < 0)
		return mr_err_report(&err, -1);
	return 0;
}

int main(int argc, char **argv)
{
	mr_err_exit_code = MR_EXIT_RUNTIME;
	opterr = 0; /* every verb reports a refused flag itself, in one voice (lib/cli.h) */
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (strcmp(base, "minirun-oci") == 0)
		return oci_main(argc, argv, argv);
	int i = 1;
	bool root_given = false;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0)
			mr_verbose = 1;
		else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			set_root(argv[++i]), root_given = true;
		else if (strncmp(argv[i], "--root=", 7) == 0)
			set_root(argv[i] + 7), root_given = true;
		/* --runroot: through the environment, which the monitor's re-exec keeps */
		else if (strcmp(argv[i], "--runroot") == 0 && i + 1 < argc)
			setenv("MINIRUN_RUNROOT", argv[++i], 1);
		else if (strncmp(argv[i], "--runroot=", 10) == 0)
			setenv("MINIRUN_RUNROOT", argv[i] + 10, 1);
		else if (strcmp(argv[i], "--root") == 0 || strcmp(argv[i], "--runroot") == 0) {
			fprintf(stderr,
				"minirun: flag needs an argument: %s\n"
				"See 'minirun --help'.\n",
				argv[i]);
			return MR_EXIT_RUNTIME;
		} else
			break;
	}
	if (i >= argc) { /* as docker: the usage on stderr, status 0 */
		minirun_usage(stderr);
		return 0;
	}
	if (strcmp(argv[i], "--version") == 0) {
		printf("minirun version %s\nspec: %s\n", MINIRUN_VERSION, MINIRUN_SPEC_VERSION);
		return 0;
	}
	if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		minirun_usage(stdout);
		return 0;
	}
	for (size_t k = 0; k < minirun_ncommands; k++)
		if (strcmp(minirun_commands[k].name, argv[i]) == 0) {
			/* `oci` runs as called: an engine gives its runtime a rootless config */
			if (strcmp(argv[i], "oci") != 0 && rootless(root_given) < 0)
				return MR_EXIT_RUNTIME;
			return minirun_commands[k].fn(argc - i, argv + i, argv);
		}
	if (rootless(root_given) < 0)
		return MR_EXIT_RUNTIME;
	for (size_t t = 0; t < minirun_ncontainer_tables; t++)
		for (const struct mr_command *c = minirun_container_tables[t]; c->name; c++)
			if (strcmp(c->name, argv[i]) == 0)
				return c->fn(argc - i, argv + i);
	/* `image layers` reads the layers as scan does (minirun/scan/layers.c), a layer above
	 * the image store's own verbs */
	if (strcmp(argv[i], "image") == 0 && i + 1 < argc && strcmp(argv[i + 1], "layers") == 0)
		return cmd_image_layers(argc - i - 1, argv + i + 1);
	for (const struct mr_command *c = image_commands; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			return c->fn(argc - i, argv + i);
	for (const struct mr_command *c = scan_commands; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			return c->fn(argc - i, argv + i);
	if (argv[i][0] == '-') {
		fprintf(stderr, "minirun: unknown flag: %s\nSee 'minirun --help'.\n", argv[i]);
		return MR_EXIT_RUNTIME;
	}
	fprintf(stderr, "minirun: '%s' is not a minirun command.\nSee 'minirun --help'.\n",
		argv[i]);
	return 1; /* docker's status for an unknown command */
}
