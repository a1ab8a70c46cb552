/*
 * minirun/network/prune.c - `minirun network prune`: remove the networks no container is
 * connected to.
 *
 * As docker's, "unused" means no endpoint: a network a stopped container names is removed
 * too (its next start then fails with "network x not found"), and the pre-defined networks
 * (bridge, host, none) always stay. --filter until=/label= (lib/prune_filter.h) narrow the
 * set. Each goes as `network rm` takes it (network_remove: its bridge, its NAT elements,
 * then the record), so a network someone connects meanwhile is refused, not torn away.
 *
 *   minirun network prune -f --filter label=env=test
 *
 * See: https://docs.docker.com/reference/cli/docker/network/prune/
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/prune_filter.h"
#include "minirun/network/network.h"

int network_prune(const char *root, const struct mr_prune_filter *f, json_t **removed,
		  struct mr_err *err)
{
	/* the list under the lock (it may write the default network's record); each removal
	 * takes it again */
	int lock = network_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *nets = network_list(root, err), *rec;
	close(lock);
	size_t i;
	if (!nets)
		return -1;
	*removed = json_array();
	json_array_foreach(nets, i, rec)
	{
		const char *name = json_string_value(json_object_get(rec, "Name"));
		const char *created = json_string_value(json_object_get(rec, "Created"));
		struct mr_err why = {0};
		if (!name || network_is_default(rec) ||
		    json_object_size(json_object_get(rec, "Containers")) > 0 ||
		    (f && !mr_prune_filter_match(f, created ? mr_prune_rfc3339(created) : -1,
						 json_object_get(rec, "Labels"))))
			continue;
		if (network_remove(root, name, &why) < 0) {
			/* connected meanwhile, or gone: not ours to remove any more */
			mr_say("network prune: %s stays: %s", name, why.msg);
			continue;
		}
		json_array_append_new(*removed, json_string(name));
	}
	json_decref(nets);
	return 0;
}

int network_cmd_prune(int argc, char **argv)
{
	struct mr_prune_filter f = {0};
	bool force = false;
	int rc = mr_prune_args(argc, argv, "network prune", "Remove all unused networks", &f,
			       &force);
	if (rc >= 0)
		return rc;
	if (optind != argc) {
		fprintf(stderr, "minirun: \"network prune\" accepts no arguments.\n"
				"See 'minirun network prune --help'.\n");
		return MR_EXIT_RUNTIME;
	}
	if (!force && !mr_confirm("WARNING! This will remove all custom networks not used by at "
				  "least one container.\n"))
		return 0;
	struct mr_err err = {0};
	json_t *removed = NULL, *n;
	size_t i;
	if (network_prune(network_root(), &f, &removed, &err) < 0)
		return mr_err_report(&err, 1);
	if (json_array_size(removed))
		printf("Deleted Networks:\n");
	json_array_foreach(removed, i, n)
	{
		printf("%s\n", json_string_value(n));
	}
	if (json_array_size(removed))
		printf("\n"); /* docker's blank line after the list */
	json_decref(removed);
	return 0;
}
