/*
 * minirun/containers/info_commands.c - the verb table container_info_commands[]: ps inspect
 * top stats port diff cp commit rename update export (their code: one file each), and the
 * `container` management command (with `container prune`); the helpers those
 * verbs share (opening a container, usage errors). The pure formatting is info_format.c.
 *
 *   minirun container ls|ps|inspect|rm|run|logs|...   docker's management-command names:
 *                                                       the same verbs, from all three tables
 *
 * minirun/main.c dispatches the table; each row is a verb, its function and its one-line help.
 *
 * See: info.h; docker-container(1)
 */
#include "minirun/containers/info.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct mr_command container_info_commands[] = {
	{"ps", cmd_ps, "List containers (-a -q -s --filter --format)"},
	{"inspect", cmd_inspect, "Show the record of containers (or images) as JSON (-f)"},
	{"top", cmd_top, "Display the running processes of a container"},
	{"stats", cmd_stats, "Display containers' resource usage (--no-stream)"},
	{"port", cmd_port, "List the port mappings of a container"},
	{"diff", cmd_diff, "Show the files a container added, changed, deleted"},
	{"cp", cmd_cp, "Copy files between a container and the host (-a, -L, -)"},
	{"commit", cmd_commit, "Create a new image from a container's changes (-m -a)"},
	{"rename", cmd_rename, "Rename a container"},
	{"update", cmd_update, "Update the limits and restart policy of containers"},
	{"export", cmd_export, "Export a container's filesystem as a tar archive"},
	{"container", cmd_container, "Manage containers (container ls, inspect, rm, ...)"},
	{NULL, NULL, NULL},
};

/* ---- the container group ------------------------------------------------------------------- */

/* docker's names that are not a verb's own */
static const struct {
	const char *alias, *verb;
} container_aliases[] = {
	{"ls", "ps"},
	{"list", "ps"},
	{"remove", "rm"},
};

static const struct mr_command *find_verb(const char *name)
{
	const struct mr_command *const tables[] = {container_commands, container_io_commands,
						   container_info_commands};
	for (size_t i = 0; i < sizeof(container_aliases) / sizeof(container_aliases[0]); i++)
		if (!strcmp(name, container_aliases[i].alias))
			name = container_aliases[i].verb;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct mr_command *c = tables[t]; c->name; c++)
			if (!strcmp(c->name, name) && c->fn != cmd_container)
				return c;
	return NULL;
}

static void container_usage(FILE *out)
{
	const struct mr_command *const tables[] = {container_commands, container_io_commands,
						   container_info_commands};
	fprintf(out, "Usage:  minirun container COMMAND\n\nManage containers\n\nCommands:\n"
		     "  ls          List containers (= ps)\n"
		     "  prune       Remove all stopped containers\n");
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct mr_command *c = tables[t]; c->name; c++)
			if (c->fn != cmd_container && c->name[0] != '_')
				fprintf(out, "  %-11s %s\n", c->name, c->help ? c->help : "");
	fprintf(out, "\nRun 'minirun container COMMAND --help' for more information on a "
		     "command.\n");
}

int cmd_container(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		container_usage(argc < 2 ? stderr : stdout);
		return 0; /* as docker: the group alone prints its usage, status 0 */
	}
	if (!strcmp(argv[1], "prune")) /* docker has no top-level `prune` */
		return cmd_container_prune(argc - 1, argv + 1);
	const struct mr_command *c = find_verb(argv[1]);
	if (!c) {
		info_usage_error("container", "unknown command \"%s\" for \"minirun container\"",
				 argv[1]);
		return 1; /* docker's status for an unknown command */
	}
	return c->fn(argc - 1, argv + 1);
}

/* ---- shared helpers ---------------------------------------------------------------------- */

int info_usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "minirun: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nSee 'minirun %s --help'.\n", verb);
	return MR_EXIT_RUNTIME;
}

int info_open(const char *ref, bool lock, struct container *c)
{
	struct mr_err err = {0};
	if (container_open(containers_root(), ref, lock, c, &err) < 0) {
		/* docker's words, without strerror's "No such file or directory" */
		if (err.kind == MR_E_NOT_FOUND)
			fprintf(stderr, "minirun: No such container: %s\n", ref);
		else
			fprintf(stderr, "minirun: %s\n", err.msg);
		return -1;
	}
	return 0;
}
