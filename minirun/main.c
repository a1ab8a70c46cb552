/*
 * minirun/main.c - `minirun COMMAND ...`: the one binary, a table of top-level commands.
 *
 * The commands: `oci`, the runc-compatible OCI runtime (oci.c); the image store's commands
 * (images, pull, push, login, logout, import, load, save, tag, rmi, history, image:
 * minirun/image/); `network` and `volume` (minirun/network/, minirun/volume/); the
 * container verbs (run, ps, logs, ...: minirun/containers/, three tables); sbom, scan and
 * lint (minirun/scan/). Installed or linked under the name `minirun-oci`, the binary is the
 * OCI runtime directly, which is how podman (--runtime) and containerd (--runc-binary) are
 * handed it.
 *
 *   minirun oci run --bundle DIR ID
 *   minirun-oci --root /run/x create --bundle DIR ID
 *   minirun --root /tmp/store images        (the store: --root, else $MINIRUN_ROOT,
 *                                             else /var/lib/minirun)
 *
 * See: docs/HACKING.md; DESIGN.md "The layers of minirun".
 */
#include "lib/err.h"
#include "minirun/build/build.h"
#include "minirun/compose/compose.h"
#include "minirun/containers/containers.h"
#include "minirun/image/image.h"
#include "minirun/network/network.h"
#include "minirun/oci/runtime.h"
#include "minirun/rootless/rootless.h"
#include "minirun/scan/scan.h"
#include "minirun/system/system.h"
#include "minirun/volume/volume.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmd_oci(int argc, char **argv, char **full)
{
	return oci_main(argc, argv, full);
}

/* A command that is a group of verbs ("network create", "volume ls") dispatches VERBS, a
 * table ending in {NULL} (lib/cmd.h). */
static int group(const char *what, const struct mr_command *verbs, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *out = argc < 2 ? stderr : stdout;
		fprintf(out, "Usage:  minirun %s COMMAND\n\nCommands:\n", what);
		for (const struct mr_command *v = verbs; v->name; v++)
			fprintf(out, "  %-11s %s\n", v->name, v->help);
		return 0; /* as docker: a group alone prints its usage (on stderr), status 0 */
	}
	for (const struct mr_command *v = verbs; v->name; v++)
		if (!strcmp(argv[1], v->name))
			return v->fn(argc - 1, argv + 1);
	fprintf(stderr,
		"minirun: unknown command \"%s\" for \"minirun %s\"\nSee 'minirun %s --help'.\n",
		argv[1], what, what);
	return 1; /* docker's status for an unknown command (an unknown flag is 125) */
}

static int cmd_network(int argc, char **argv, char **full)
{
	(void)full;
	network_containers = &container_network_ops; /* NETWORK CONTAINER: containers/net.c */
	return group("network", network_commands, argc, argv);
}

static int cmd_volume(int argc, char **argv, char **full)
{
	(void)full;
	return group("volume", volume_commands, argc, argv);
}

static int cmd_builder(int argc, char **argv, char **full)
{
	(void)full;
	return group("builder", builder_commands, argc, argv);
}

static int cmd_system(int argc, char **argv, char **full)
{
	(void)full;
	network_containers = &container_network_ops; /* system prune removes networks */
	return group("system", system_commands, argc, argv);
}

static int cmd_info(int argc, char **argv, char **full)
{
	(void)full;
	return system_cmd_info(argc, argv);
}

static int cmd_version(int argc, char **argv, char **full)
{
	(void)full;
	return system_cmd_version(argc, argv);
}

static int cmd_compose(int argc, char **argv, char **full)
{
	(void)full;
	return compose_main(argc, argv);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, char **full);
	const char *what;
} commands[] = {
	{"oci", cmd_oci, "The OCI runtime: runc's verbs over a bundle (create, start, ...)"},
	{"network", cmd_network, "Manage networks (create, ls, rm, inspect, connect, ...)"},
	{"volume", cmd_volume, "Manage volumes (create, ls, rm, inspect, prune)"},
	{"build", build_main, "Build an image from a Dockerfile"},
	{"builder", cmd_builder, "Manage the build cache (du, prune)"},
	{"compose", cmd_compose, "Define and run multi-container applications"},
	{"system", cmd_system, "Manage minirun (df, prune, info)"},
	{"info", cmd_info, "Display system-wide information"},
	{"version", cmd_version, "Show the minirun version information"},
};

/* the container verbs: lifecycle, stdio, and the ones that look at a container */
static const struct mr_command *const container_tables[] = {
	container_commands, container_io_commands, container_info_commands};

/* The groups of `minirun --help`, as docker groups its commands; a name no table has yet
 * (build, compose) is left out until it exists. */
static const struct {
	const char *title, *names;
} groups[] = {
	{"Containers", "run create start stop kill restart rm pause unpause wait logs exec attach "
		       "ps inspect top stats port diff cp commit rename update export container"},
	{"Images", "images pull push import load save tag rmi history image login logout search"},
	{"Networks and volumes", "network volume"},
	{"Build and compose", "build builder compose"},
	{"Image contents and vulnerabilities", "sbom scan lint"},
	{"The OCI runtime", "oci"},
	{"System", "system info version"},
};

/* help_of - the one-line help of command NAME (LEN bytes), NULL if no table has it */
static const char *help_of(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strlen(commands[i].name) == len && !strncmp(commands[i].name, name, len))
			return commands[i].what;
	for (size_t t = 0; t < sizeof(container_tables) / sizeof(container_tables[0]); t++)
		for (const struct mr_command *c = container_tables[t]; c->name; c++)
			if (strlen(c->name) == len && !strncmp(c->name, name, len))
				return c->help;
	for (const struct mr_command *c = image_commands; c->name; c++)
		if (strlen(c->name) == len && !strncmp(c->name, name, len))
			return c->help;
	for (const struct mr_command *c = scan_commands; c->name; c++)
		if (strlen(c->name) == len && !strncmp(c->name, name, len))
			return c->help;
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage:  minirun [OPTIONS] COMMAND [ARGS...]\n"
		     "        minirun-oci VERB ...    (= minirun oci VERB ...)\n\n"
		     "Containers without a daemon, and the OCI runtime under them\n\n"
		     "Options:\n"
		     "  -v, --verbose   Narrate each step on stderr\n"
		     "      --root DIR  The store of containers, images, networks and volumes\n"
		     "                  (default $MINIRUN_ROOT, else /var/lib/minirun; for a user\n"
		     "                  not root, $XDG_DATA_HOME/minirun: minirun/rootless/)\n"
		     "      --runroot DIR  The files of running containers, best on a tmpfs\n"
		     "                  (default $MINIRUN_RUNROOT, else /run/minirun for the\n"
		     "                  default store, else ROOT/run; for a user not root,\n"
		     "                  $XDG_RUNTIME_DIR/minirun)\n"
		     "      --version   Print the version\n");
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		bool title = false;
		for (const char *p = groups[g].names; *p;) {
			size_t len = strcspn(p, " ");
			const char *help = help_of(p, len);
			if (help && !title) {
				fprintf(out, "\n%s:\n", groups[g].title);
				title = true;
			}
			if (help)
				fprintf(out, "  %-10.*s %s\n", (int)len, p, help);
			p += len + (p[len] == ' ');
		}
	}
	fprintf(out, "\nRun 'minirun COMMAND --help' for more information on a command.\n");
}

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
		usage(stderr);
		return 0;
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
		if (strcmp(commands[k].name, argv[i]) == 0) {
			if (commands[k].fn != cmd_oci && rootless(root_given) < 0)
				return MR_EXIT_RUNTIME;
			return commands[k].fn(argc - i, argv + i, argv);
		}
	if (rootless(root_given) < 0)
		return MR_EXIT_RUNTIME;
	for (size_t t = 0; t < sizeof(container_tables) / sizeof(container_tables[0]); t++)
		for (const struct mr_command *c = container_tables[t]; c->name; c++)
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
