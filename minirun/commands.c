/*
 * minirun/commands.c - the top-level commands of `minirun` and `minirun --help`: the
 * commands that are groups of verbs (network, volume, builder, system) and their
 * dispatchers, the commands that hand over to a layer whole (oci, build, compose, info,
 * version, events), and the help that lists every command in docker's groups.
 *
 * main.c reads the global flags and looks a command up in these tables; a group's verbs
 * are its layer's own table (lib/cmd.h's struct mr_command), dispatched by group() below:
 *
 *   minirun network ls           cmd_network -> group() -> network_commands' "ls"
 *   minirun network              the group's usage on stderr, status 0 (as docker)
 *   minirun --help               minirun_usage: the commands in docker's groups
 *
 * See: main.c (the entry point), commands.h; docs/HACKING.md "minirun's layers".
 */
#include "minirun/commands.h"
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

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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
	/* rootless, the verbs that touch bridges and rules do so in the user's own network
	 * namespace (minirun/rootless/netns.c); ls and inspect only read records */
	static const char *const reads[] = {"ls", "list", "inspect", "-h", "--help", NULL};
	static const char *const removes[] = {"rm", "remove", "prune", "disconnect", NULL};
	bool reading = argc < 2, removing = false;
	for (size_t i = 0; !reading && reads[i]; i++)
		reading = !strcmp(argv[1], reads[i]);
	for (size_t i = 0; !reading && removes[i]; i++)
		removing |= !strcmp(argv[1], removes[i]);
	struct mr_err err = {0};
	if (rootless_active() && !reading &&
	    rootless_netns_join(removing ? RL_NETNS_UNDO : RL_NETNS_MAKE, &err) < 0)
		return mr_err_report(&err, 125);
	int rc = group("network", network_commands, argc, argv);
	if (rootless_active() && !reading) /* the last user network gone: the namespace too */
		rootless_netns_release(network_root());
	return rc;
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
	struct mr_err err = {0};
	bool prune = argc > 1 && !strcmp(argv[1], "prune");
	/* rootless: the networks' bridges and rules are in the user's network namespace */
	if (prune && rootless_active() && rootless_netns_join(RL_NETNS_UNDO, &err) < 0)
		return mr_err_report(&err, 125);
	int rc = group("system", system_commands, argc, argv);
	if (prune && rootless_active())
		rootless_netns_release(network_root());
	return rc;
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

static int cmd_events(int argc, char **argv, char **full)
{
	(void)full;
	return system_cmd_events(argc, argv);
}

static int cmd_compose(int argc, char **argv, char **full)
{
	(void)full;
	return compose_main(argc, argv);
}

const struct minirun_command minirun_commands[] = {
	{"oci", cmd_oci, "The OCI runtime: runc's verbs over a bundle (create, start, ...)"},
	{"network", cmd_network, "Manage networks (create, ls, rm, inspect, connect, ...)"},
	{"volume", cmd_volume, "Manage volumes (create, ls, rm, inspect, prune)"},
	{"build", build_main, "Build an image from a Dockerfile"},
	{"builder", cmd_builder, "Manage the build cache (du, prune)"},
	{"compose", cmd_compose, "Define and run multi-container applications"},
	{"system", cmd_system, "Manage minirun (df, events, prune, info)"},
	{"info", cmd_info, "Display system-wide information"},
	{"version", cmd_version, "Show the minirun version information"},
	{"events", cmd_events, "Get real time events from the store"},
};
const size_t minirun_ncommands = sizeof(minirun_commands) / sizeof(minirun_commands[0]);

const struct mr_command *const minirun_container_tables[] = {
	container_commands, container_io_commands, container_info_commands};
const size_t minirun_ncontainer_tables =
	sizeof(minirun_container_tables) / sizeof(minirun_container_tables[0]);

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
	{"System", "system info version events"},
};

/* help_of - the one-line help of command NAME (LEN bytes), NULL if no table has it */
static const char *help_of(const char *name, size_t len)
{
	for (size_t i = 0; i < minirun_ncommands; i++)
		if (strlen(minirun_commands[i].name) == len &&
		    !strncmp(minirun_commands[i].name, name, len))
			return minirun_commands[i].what;
	for (size_t t = 0; t < minirun_ncontainer_tables; t++)
		for (const struct mr_command *c = minirun_container_tables[t]; c->name; c++)
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

void minirun_usage(FILE *out)
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
