/*
 * minirun/oci/oci_ps.c - `minirun oci ps [--format table|json] ID [PS OPTIONS]`: the processes.
 *
 * The processes are those of the container's cgroup (cgroup.procs). Without a cgroup they
 * are found as the processes that share the init's pid namespace. As runc does it, the
 * table is ps(1)'s own: `ps PS OPTIONS` (default -ef) runs on the host, the column headed
 * PID is found in its header, and only the header and the container's rows are printed.
 * --format json prints the array of host pids instead (no ps run, as runc). Both halves
 * are procs.c's, which `minirun top` shares.
 *
 *   minirun oci ps ID               ps -ef, the container's rows
 *   minirun oci ps ID -o pid,stat,args
 *   minirun oci ps --format json ID
 *
 * See: runc-ps(8); ps(1); procs.c.
 */
#include "lib/cleanup.h"
#include "minirun/oci/oci.h"
#include "minirun/oci/runtime.h"
#include "minirun/oci/state.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int oci_ps(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct mr_err err = {0};
	struct ctr_state st;
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "+:f:h", opts, NULL)) != -1) {
		if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
			json = optarg[0] == 'j';
		else
			return oci_flag_other(
				g, c, argv,
				"usage: minirun oci ps [OPTIONS] ID [PS OPTIONS]\n\n"
				"  -f, --format FORMAT   table (ps's own, default) or json (the pids)\n"
				"  PS OPTIONS            passed to ps(1) (default -ef)\n");
	}
	if (optind >= argc)
		return oci_failx(g, 2, "ps needs a container id");
	if (json && optind + 1 < argc)
		return oci_failx(g, 2, "ps --format json takes no ps options ('%s')",
				 argv[optind + 1]);
	if (state_load(g->root, argv[optind], &st, &err) < 0)
		return oci_fail(g, &err);
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int rc = 0;
	if (strcmp(st.status, "stopped") == 0)
		rc = oci_failx(g, 1, "container not running");
	else if (procs_list(st.cgroup, st.pid, &pids, &n, &err) < 0)
		rc = oci_fail(g, &err);
	state_free(&st);
	if (rc)
		return rc;
	if (json) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
		return 0;
	}
	/* ps's own lines, unchanged, as runc prints them */
	struct procs_table t;
	if (procs_ps(argv + optind + 1, argc - optind - 1, pids, n, &t, &err) < 0)
		return oci_fail(g, &err);
	for (size_t i = 0; i < t.n; i++)
		puts(t.lines[i]);
	procs_table_free(&t);
	return 0;
}
