/*
 * minirun/containers/top.c - `minirun top`: the processes of a running container.
 *
 *   minirun top CONTAINER [ps OPTIONS]       (default -ef)
 *
 *   UID                 PID                 PPID                C                   STIME  ...
 *   root                41022               41010               0                   21:30  ...
 *
 * As docker's daemon does, top runs ps(1) on the host with the options given (`top C aux`,
 * `top C -o pid,comm`), and keeps the header and the rows of the container's processes:
 * those of its cgroup (the OCI state, RUN/oci/ID/state.json, names it), else those that
 * share its init's pid namespace. The pids and user names are the host's. Both halves are
 * minirun/oci/procs.c, which `minirun oci ps` (runc's ps) shares. The rows are then cut into
 * the header's columns (the last one, CMD, takes the rest of the line) and aligned as
 * docker's client does.
 *
 * See: docker-top(1), ps(1); minirun/oci/procs.c.
 */
#include "minirun/containers/info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"
#include "minirun/oci/runtime.h"

/* LINE cut into NCOLS whitespace-separated cells (the last takes the rest), tab-separated,
 * as a new string; NCOLS 0: as many cells as LINE has words (the header) */
static char *cells(const char *line, size_t *ncols)
{
	size_t len = strlen(line), k = 0, o = 0;
	char *row = malloc(len + 1);
	if (!row)
		return NULL;
	const char *p = line + strspn(line, " \t");
	while (*p) {
		size_t w = strcspn(p, " \t");
		if (*ncols && k + 1 == *ncols)
			w = strlen(p); /* the last column: the rest, as docker keeps CMD whole */
		if (k++)
			row[o++] = '\t';
		memcpy(row + o, p, w), o += w;
		p += w;
		p += strspn(p, " \t");
	}
	while (o > 0 && row[o - 1] == ' ')
		o--;
	row[o] = '\0';
	if (!*ncols)
		*ncols = k;
	return row;
}

/* the container's pids, from its cgroup (the OCI state) or its init's pid namespace */
static int top_pids(struct container *c, pid_t init, pid_t **pids, size_t *n, struct mr_err *err)
{
	char oci[4200];
	struct ctr_state st;
	container_oci_root(c->root, oci, sizeof(oci));
	if (state_load(oci, c->id, &st, NULL) < 0)
		return procs_list(NULL, init, pids, n, err);
	int rc = procs_list(st.cgroup, init, pids, n, err);
	state_free(&st);
	return rc;
}

int cmd_top(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage:  minirun top CONTAINER [ps OPTIONS]\n\n"
		       "Display the running processes of a container\n\n"
		       "The options go to ps(1) (default -ef): `minirun top web aux`,\n"
		       "`minirun top web -o pid,comm` (its output needs a PID column).\n");
		return 0;
	}
	if (argc >= 2 && argv[1][0] == '-') /* no flag of its own */
		return info_usage_error("top", "unknown flag: %s", argv[1]);
	if (argc < 2)
		return mr_operand_error("top", "\"top\" requires at least 1 argument.");
	struct container c;
	struct mr_err err = {0};
	if (info_open(argv[1], false, &c) < 0)
		return 1;
	pid_t init = container_pid(&c);
	if (!init) {
		fprintf(stderr, "minirun: Container %s is not running\n", c.id);
		container_close(&c);
		return 1;
	}
	pid_t *pids = NULL;
	size_t n = 0;
	struct procs_table t = {0};
	if (top_pids(&c, init, &pids, &n, &err) < 0 ||
	    procs_ps(argv + 2, argc - 2, pids, n, &t, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		free(pids);
		container_close(&c);
		return 1;
	}
	char **rows = calloc(t.n, sizeof(*rows));
	size_t nr = 0, ncols = 0;
	for (size_t i = 0; rows && i < t.n; i++)
		if ((rows[nr] = cells(t.lines[i], &ncols)))
			nr++;
	/* docker 20's client writes top's table with a tabwriter of minimum width 20 (ps and
	 * the other lists use 10) */
	info_print_rows_min(rows, nr, 20);
	for (size_t i = 0; i < nr; i++)
		free(rows[i]);
	free(rows);
	procs_table_free(&t);
	free(pids);
	container_close(&c);
	return 0;
}
