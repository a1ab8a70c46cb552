/*
 * minirun/containers/prune.c - `minirun container prune`: remove every stopped container.
 *
 * "Stopped" is docker's: every container not running, paused or restarting (created,
 * exited, dead). Each is removed as `rm` removes it (container_remove: its overlay dirs,
 * its network endpoints, its anonymous volumes stay, as with docker); what its upper dir
 * held is the space reclaimed. --filter until=/label= (lib/prune_filter.h) narrow the set.
 *
 *   minirun container prune -f --filter label=env=test
 *
 * See: https://docs.docker.com/reference/cli/docker/container/prune/
 */
#include "minirun/containers/info.h"
#include "minirun/image/image.h" /* fmt_size, parse_rfc3339 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/prune_filter.h"

int container_prune(const struct mr_prune_filter *f, bool quiet, unsigned long long *reclaimed)
{
	struct mr_err err = {0};
	char **ids = container_ids(containers_root(), &err);
	if (!ids)
		return mr_err_report(&err, -1);
	int rc = 0, n = 0;
	for (char **id = ids; *id; id++) {
		struct container c;
		if (container_open(containers_root(), *id, true, &c, &err) < 0)
			continue; /* removed meanwhile */
		enum container_state st = container_status(&c);
		long long created = parse_rfc3339(c.r.created ? c.r.created : "");
		json_t *labels = container_labels_json(&c.r);
		bool match = mr_prune_filter_match(f, created, labels);
		json_decref(labels);
		if (st == CONTAINER_RUNNING || st == CONTAINER_PAUSED ||
		    st == CONTAINER_RESTARTING || !match) {
			container_close(&c);
			continue;
		}
		uint64_t rw = 0, all = 0;
		info_sizes(&c, &rw, &all);
		if (container_remove(&c, false, false, &err) < 0) {
			fprintf(stderr, "minirun: %s\n", err.msg);
			rc = -1;
		} else {
			if (!quiet && !n++)
				printf("Deleted Containers:\n");
			if (!quiet)
				printf("%s\n", *id);
			*reclaimed += rw;
		}
		container_close(&c);
	}
	if (!quiet && n)
		printf("\n");
	container_ids_free(ids);
	return rc;
}

int cmd_container_prune(int argc, char **argv)
{
	struct mr_prune_filter f = {0};
	bool force = false;
	int rc = mr_prune_args(argc, argv, "container prune", "Remove all stopped containers", &f,
			       &force);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return info_usage_error("container prune", "\"container prune\" accepts no "
							   "arguments.");
	if (!force && !mr_confirm("WARNING! This will remove all stopped containers.\n"))
		return 0;
	unsigned long long bytes = 0;
	rc = container_prune(&f, false, &bytes);
	char size[32];
	fmt_size(bytes, size, sizeof(size));
	printf("Total reclaimed space: %s\n", size);
	return rc < 0 ? 1 : 0;
}
