/*
 * minirun/oci/oci_delete.c - `minirun oci delete [--force] ID`: remove a container.
 *
 * A stopped or created container is removed at once; a running one only with --force,
 * which kills it first. Deleting removes the processes, the cgroup and the state
 * directory, then runs the poststop hooks.
 *
 * See: runc-delete(8); container.c (ctr_delete).
 */
#include "minirun/oci/runtime.h"
#include "minirun/oci/oci.h"

#include <getopt.h>
#include <stdio.h>

int oci_delete(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct mr_err err = {0};
	bool force = false;
	int c;
	while ((c = getopt_long(argc, argv, "+:fh", opts, NULL)) != -1) {
		if (c == 'f')
			force = true;
		else
			return oci_flag_other(g, c, argv,
					      "usage: minirun oci delete [--force] ID\n\n"
					      "  -f, --force   kill a running container first\n");
	}
	const char *id = oci_need_id(g, argc, argv, optind, "delete");
	if (!id)
		return 2;
	if (ctr_delete(g->root, id, force, &err) < 0)
		return oci_fail(g, &err);
	return 0;
}
