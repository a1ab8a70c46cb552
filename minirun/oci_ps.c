/*
 * minirun/oci_ps.c - `minirun oci ps [--format table|json] ID`: the container's processes.
 *
 * The processes are those of the container's cgroup (cgroup.procs). Without a cgroup they
 * are found as the processes that share the init's pid namespace. JSON is an array of
 * host pids, as runc prints it; the table shows PID and command line.
 *
 * See: runc-ps(8); proc(5) /proc/PID/cmdline.
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/cgstep.h"
#include "minirun/oci.h"
#include "minirun/state.h"
#include "ns/ns.h"

#include <ctype.h>
#include <dirent.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pids whose pid namespace is the init's (no cgroup to ask). */
static int procs_by_pidns(pid_t init, pid_t **out, size_t *n)
{
	const struct ns_type *t = ns_by_flag(CLONE_NEWPID);
	unsigned long want = ns_inode(init, t, NULL);
	DIR *d = opendir("/proc");
	struct dirent *e;
	*out = NULL, *n = 0;
	if (!d || !want)
		return d ? closedir(d), -1 : -1;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = atoi(e->d_name);
		if (ns_inode(pid, t, NULL) != want)
			continue;
		pid_t *p = realloc(*out, (*n + 1) * sizeof(pid_t));
		if (!p)
			break;
		*out = p;
		(*out)[(*n)++] = pid;
	}
	closedir(d);
	return 0;
}

int oci_ps(struct oci_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct mr_err err = {0};
	struct ctr_state st;
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
			json = optarg[0] == 'j';
		else {
			fprintf(c == 'h' ? stdout : stderr,
				"usage: minirun oci ps [--format table|json] ID\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc)
		return oci_failx(g, 2, "ps needs a container id");
	if (state_load(g->root, argv[optind], &st, &err) < 0)
		return oci_fail(g, &err);
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int rc = 0;
	if (strcmp(st.status, "stopped") == 0)
		rc = oci_failx(g, 1, "container not running");
	else if (st.cgroup && *st.cgroup) {
		if (cgstep_procs(st.cgroup, &pids, &n, &err) < 0)
			rc = oci_fail(g, &err);
	} else if (procs_by_pidns(st.pid, &pids, &n) < 0)
		rc = oci_failx(g, 1, "container not running");
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
	printf("%-8s %s\n", "PID", "CMD");
	for (size_t i = 0; i < n; i++) {
		char path[64];
		_cleanup_free_ char *cmd = NULL;
		size_t len = 0;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pids[i]);
		if (mr_read_file(path, &cmd, &len, NULL) < 0)
			continue;
		for (size_t k = 0; k + 1 < len; k++)
			if (!cmd[k])
				cmd[k] = ' ';
		printf("%-8d %s\n", (int)pids[i], cmd);
	}
	return 0;
}
