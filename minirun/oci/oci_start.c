/*
 * minirun/oci/oci_start.c - `minirun oci start ID`: let a created container's process run.
 *
 * The container's init has been waiting on exec.fifo since create; start writes the byte
 * it waits for, and the init executes process.args. The poststart hooks run here.
 *
 * See: runc-start(8); container.c (ctr_start).
 */
#include "minirun/oci/runtime.h"
#include "minirun/oci/oci.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int oci_start(struct oci_global *g, int argc, char **argv)
{
	struct mr_err err = {0};
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: minirun oci start ID\n");
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--")) {
		fprintf(stderr, "minirun: unknown flag '%s'; usage: minirun oci start ID\n",
			argv[1]);
		return 2;
	}
	optind = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
	const char *id = oci_need_id(g, argc, argv, optind, "start");
	if (!id)
		return 2;
	if (ctr_start(g->root, id, &err) < 0)
		return oci_fail(g, &err);
	return 0;
}
