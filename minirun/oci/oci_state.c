/*
 * minirun/oci/oci_state.c - `minirun oci state ID`: print the container's OCI state.
 *
 * The state document of runtime-spec runtime.md ("ociVersion", "id", "status", "pid",
 * "bundle", "annotations") plus runc's "rootfs", "created" and "owner", which engines
 * read too. The status is computed now from the live process, never trusted from disk.
 *
 * See: runc-state(8); state.c.
 */
#include "minirun/oci/oci.h"
#include "minirun/oci/state.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

int oci_state(struct oci_global *g, int argc, char **argv)
{
	struct mr_err err = {0};
	struct ctr_state st;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: minirun oci state ID\n");
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--")) {
		fprintf(stderr, "minirun: unknown flag '%s'; usage: minirun oci state ID\n",
			argv[1]);
		return 2;
	}
	optind = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
	const char *id = oci_need_id(g, argc, argv, optind, "state");
	if (!id)
		return 2;
	if (state_load(g->root, id, &st, &err) < 0)
		return oci_fail(g, &err);
	json_t *j = state_json(&st);
	char *text = json_dumps(j, JSON_INDENT(2));
	printf("%s\n", text);
	free(text);
	json_decref(j);
	state_free(&st);
	return 0;
}
