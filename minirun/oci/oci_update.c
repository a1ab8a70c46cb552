/*
 * minirun/oci/oci_update.c - `minirun oci update --resources FILE|- ID`: change the limits.
 *
 * FILE holds a linux.resources object (memory, cpu, pids, blockIO ...), as engines send
 * it; its values are written to the container's cgroup while it runs. A "devices" array
 * replaces the device policy whole (runc's defaults and the config's linux.devices are
 * kept): v1 rewrites devices.deny/allow, v2 swaps the eBPF filter in one step.
 *
 * See: runc-update(8); runtime-spec config-linux.md "Control groups"; cgstep.h.
 */
#include "minirun/oci/cgstep.h"
#include "lib/jsonfile.h"
#include "minirun/oci/oci.h"
#include "minirun/oci/state.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int oci_update(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"resources", required_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct mr_err err = {0};
	const char *file = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "+:r:h", opts, NULL)) != -1) {
		if (c == 'r')
			file = optarg;
		else
			return oci_flag_other(
				g, c, argv,
				"usage: minirun oci update --resources FILE|- ID\n\n"
				"  -r, --resources FILE   a linux.resources JSON object ('-': stdin);\n"
				"                         a \"devices\" array in it replaces the rules\n");
	}
	const char *id = oci_need_id(g, argc, argv, optind, "update");
	if (!id)
		return 2;
	if (!file)
		return oci_failx(g, 2, "update needs --resources FILE (a linux.resources object)");
	json_error_t je;
	json_t *r = strcmp(file, "-") == 0 ? json_loadf(stdin, 0, &je)
					   : mr_json_load_file(file, 0, &je);
	if (!r || !json_is_object(r)) {
		json_decref(r);
		return oci_failx(g, 1, "%s:%d:%d: %s", strcmp(file, "-") ? file : "stdin", je.line,
				 je.column, r ? "must hold a JSON object" : je.text);
	}
	struct ctr_state st;
	int rc = 0;
	if (state_load(g->root, id, &st, &err) < 0)
		rc = oci_fail(g, &err);
	else if (strcmp(st.status, "stopped") == 0)
		rc = oci_failx(g, 1, "container not running");
	else if (!st.cgroup || !*st.cgroup)
		rc = oci_failx(g, 1, "container %s has no cgroup to update", id);
	else {
		/* the config's linux.devices come first again when "devices" replaces the rules
		 * (cgstep_res.c: the new rules may narrow them) */
		struct spec *s = json_object_get(r, "devices") && st.bundle
					 ? spec_load(st.bundle, NULL)
					 : NULL;
		char *grown = NULL;
		if (cgstep_update(st.cgroup, r, s, &grown, &err) < 0)
			rc = oci_fail(g, &err);
		if (grown) { /* a controller added: delete must find its directory too */
			free(st.cgroup);
			st.cgroup = grown;
			if (state_save(g->root, &st, &err) < 0)
				rc = oci_fail(g, &err);
		}
		spec_free(s);
	}
	if (rc == 0 || st.id[0])
		state_free(&st);
	json_decref(r);
	return rc;
}
