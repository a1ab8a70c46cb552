/*
 * minirun/oci/oci_pause.c - `minirun oci pause ID` and `resume ID`: freeze and thaw.
 *
 * The cgroup freezer stops every process of the container where it stands, without a
 * signal it could see or catch; resume lets them go on. `state` says "paused" meanwhile.
 *
 * See: runc-pause(8); the kernel's cgroup-v2.rst "cgroup.freeze"; cgstep.h.
 */
#include "minirun/oci/runtime.h"
#include "minirun/oci/oci.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int pause_or_resume(struct oci_global *g, int argc, char **argv, bool pause)
{
	struct mr_err err = {0};
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: minirun oci %s ID\n", argv[0]);
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--")) {
		fprintf(stderr, "minirun: unknown flag '%s'; usage: minirun oci %s ID\n", argv[1],
			argv[0]);
		return 2;
	}
	optind = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
	const char *id = oci_need_id(g, argc, argv, optind, argv[0]);
	if (!id)
		return 2;
	if (ctr_pause(g->root, id, pause, &err) < 0)
		return oci_fail(g, &err);
	return 0;
}

int oci_pause(struct oci_global *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, true);
}

int oci_resume(struct oci_global *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, false);
}
