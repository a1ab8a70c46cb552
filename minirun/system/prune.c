/*
 * minirun/system/prune.c - `minirun system prune [-a] [--volumes] [-f] [--filter F]`: the
 * prunes of every kind, in docker's order, under one prompt and one total:
 *
 *   1. stopped containers            (container_prune: what their layers held)
 *   2. networks no container uses    (network_prune: no bytes, as docker counts them)
 *   3. --volumes: unused anonymous volumes (volume_prune)
 *   4. dangling images, -a: every image no container uses (image prune's own code)
 *   5. the build cache no image shares, -a: all of it (builder prune's own code)
 *
 * Containers go first so that what they held (images, networks, volumes) is unused when
 * its turn comes. Steps 4 and 5 run the `image prune` and `builder prune` verbs with -f;
 * their output is passed on, but for their "Total reclaimed space" lines, which are summed
 * into the one total (read back from their printed sizes, so to three or four digits).
 * --filter until=/label= goes to every step (the build cache takes only until=).
 *
 * See: https://docs.docker.com/reference/cli/docker/system/prune/
 */
#include "minirun/system/system.h"

#include "lib/cli.h"
#include "lib/prune_filter.h"
#include "minirun/build/build.h"
#include "minirun/containers/containers.h"
#include "minirun/image/image.h"
#include "minirun/network/network.h"
#include "minirun/volume/volume.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "4.261MB" -> bytes (docker's decimal units), 0 when unreadable */
static uint64_t parse_size(const char *s)
{
	static const struct {
		const char *unit;
		double mul;
	} u[] = {{"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15}, {"B", 1}};
	char *end;
	double v = strtod(s, &end);
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (!strncmp(end, u[i].unit, strlen(u[i].unit)))
			return (uint64_t)(v * u[i].mul + 0.5);
	return 0;
}

/*
 * captured - run the verb FN(ARGV) with its stdout in a temporary file, then copy that out
 * but for "Total reclaimed space: X" lines, whose X is added to *BYTES. FN's status.
 */
static int captured(int (*fn)(int, char **), int argc, char **argv, uint64_t *bytes)
{
	static const char total[] = "Total reclaimed space: ";
	fflush(stdout);
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	if (!tmp || saved < 0 || dup2(fileno(tmp), STDOUT_FILENO) < 0) {
		if (tmp)
			fclose(tmp);
		if (saved >= 0)
			close(saved);
		return fn(argc, argv); /* as it is, with its own total */
	}
	int rc = fn(argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	char line[4096];
	while (fgets(line, sizeof(line), tmp)) {
		if (!strncmp(line, total, sizeof(total) - 1))
			*bytes += parse_size(line + sizeof(total) - 1);
		else
			fputs(line, stdout);
	}
	fclose(tmp);
	return rc;
}

/* the builder's prune verb */
static int (*builder_prune(void))(int, char **)
{
	for (const struct mr_command *c = builder_commands; c->name; c++)
		if (!strcmp(c->name, "prune"))
			return c->fn;
	return NULL;
}

static bool confirm(bool all, bool volumes)
{
	printf("WARNING! This will remove:\n"
	       "  - all stopped containers\n"
	       "  - all networks not used by at least one container\n");
	if (volumes)
		printf("  - all anonymous volumes not used by at least one container\n");
	printf(all ? "  - all images without at least one container associated to them\n"
		     "  - all build cache\n"
		   : "  - all dangling images\n  - unused build cache\n");
	return mr_confirm("\n");
}

int system_cmd_prune(int argc, char **argv)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
					     {"force", no_argument, NULL, 'f'},
					     {"volumes", no_argument, NULL, 'V'},
					     {"filter", required_argument, NULL, 'F'},
					     {NULL, 0, NULL, 0}};
	static const char help[] =
		"Usage:  minirun system prune [OPTIONS]\n\n"
		"Remove unused data\n\n"
		"Options:\n"
		"  -a, --all             Remove all unused images not just dangling ones\n"
		"      --filter filter   Provide filter values (e.g. \"label=<key>=<value>\",\n"
		"                        \"until=<timestamp|duration>\")\n"
		"  -f, --force           Do not prompt for confirmation\n"
		"      --volumes         Prune anonymous volumes\n";
	struct mr_prune_filter f = {0};
	char *filters[MR_PRUNE_FILTER_MAX + 1];
	int nfilters = 0;
	bool all = false, force = false, volumes = false;
	int ch, rc = 0;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, "system prune", "af", opts, help, &rc)) != -1)
		switch (ch) {
		case MR_OPT_DONE: return rc;
		case 'a': all = true; break;
		case 'f': force = true; break;
		case 'V': volumes = true; break;
		case 'F':
			if (nfilters == MR_PRUNE_FILTER_MAX) {
				fprintf(stderr, "minirun: at most %d --filter\n",
					MR_PRUNE_FILTER_MAX);
				return MR_EXIT_RUNTIME;
			}
			if ((rc = mr_prune_filter_flag(&f, optarg, "system prune")) != 0)
				return rc;
			filters[nfilters++] = optarg;
			break;
		}
	if (optind != argc) {
		fprintf(stderr, "minirun: \"system prune\" accepts no arguments.\n"
				"See 'minirun system prune --help'.\n");
		return MR_EXIT_RUNTIME;
	}
	if (!force && !confirm(all, volumes))
		return 0;
	struct mr_err err = {0};
	unsigned long long bytes = 0;
	uint64_t more = 0;
	rc = 0;
	/* 1. containers */
	if (container_prune(&f, false, &bytes) < 0)
		rc = 1;
	/* 2. networks */
	json_t *removed = NULL, *n;
	size_t i;
	if (network_prune(network_root(), &f, &removed, &err) < 0)
		rc = mr_err_report(&err, 1);
	if (json_array_size(removed)) {
		printf("Deleted Networks:\n");
		json_array_foreach(removed, i, n)
		{
			printf("%s\n", json_string_value(n));
		}
		printf("\n");
	}
	json_decref(removed);
	/* 3. volumes */
	if (volumes) {
		unsigned long long vb = 0;
		removed = NULL;
		if (volume_prune(volume_root(), 0, &f, &removed, &vb, &err) < 0)
			rc = mr_err_report(&err, 1);
		if (json_array_size(removed)) {
			printf("Deleted Volumes:\n");
			json_array_foreach(removed, i, n)
			{
				printf("%s\n", json_string_value(n));
			}
			printf("\n");
		}
		json_decref(removed);
		bytes += vb;
	}
	/* 4. images and 5. the build cache, through their verbs */
	char *args[4 + 2 * MR_PRUNE_FILTER_MAX];
	int na = 0;
	args[na++] = "prune";
	args[na++] = "-f";
	if (all)
		args[na++] = "-a";
	for (int k = 0; k < nfilters; k++) {
		args[na++] = "--filter";
		args[na++] = filters[k];
	}
	args[na] = NULL;
	if (captured(image_prune, na, args, &more) != 0)
		rc = 1;
	int (*bp)(int, char **) = builder_prune();
	na = 0;
	args[na++] = "prune";
	args[na++] = "-f";
	if (all)
		args[na++] = "-a";
	for (int k = 0; k < nfilters; k++)
		if (!strncmp(filters[k], "until=", 6)) {
			args[na++] = "--filter";
			args[na++] = filters[k];
		}
	args[na] = NULL;
	if (bp && captured(bp, na, args, &more) != 0)
		rc = 1;
	char size[32];
	system_human_size(bytes + more, size, sizeof(size));
	printf("Total reclaimed space: %s\n", size);
	return rc;
}
