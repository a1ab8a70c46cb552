/*
 * minirun/oci_ps.c - `minirun oci ps [--format table|json] ID [PS OPTIONS]`: the processes.
 *
 * The processes are those of the container's cgroup (cgroup.procs). Without a cgroup they
 * are found as the processes that share the init's pid namespace. As runc does it, the
 * table is ps(1)'s own: `ps PS OPTIONS` (default -ef) runs on the host, the column headed
 * PID is found in its header, and only the header and the container's rows are printed.
 * --format json prints the array of host pids instead (no ps run, as runc).
 *
 *   minirun oci ps ID               ps -ef, the container's rows
 *   minirun oci ps ID -o pid,stat,args
 *   minirun oci ps --format json ID
 *
 * See: runc-ps(8); ps(1).
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/cgstep.h"
#include "minirun/debuglog.h"
#include "minirun/oci.h"
#include "minirun/state.h"
#include "ns/ns.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* The FIELDth whitespace-separated word of LINE as a number, or -1. */
static long field_num(const char *line, int field)
{
	const char *p = line;
	for (int i = 0;; i++) {
		p += strspn(p, " \t");
		if (!*p || *p == '\n')
			return -1;
		if (i == field) {
			char *end;
			long v = strtol(p, &end, 10);
			return end != p && (!*end || isspace((unsigned char)*end)) ? v : -1;
		}
		p += strcspn(p, " \t\n");
	}
}

/* Run `ps ARGS` and print its header and the rows whose PID column is one of PIDS.
 * Returns the exit status for main: 0, or 1 after printing what went wrong. */
static int ps_filtered(const struct oci_global *g, char **args, int nargs, const pid_t *pids,
		       size_t n)
{
	static char *def[] = {"-ef"};
	char *argv[64] = {"ps"};
	int fds[2];
	if (nargs == 0)
		args = def, nargs = 1;
	if (nargs > 62)
		return oci_failx(g, 2, "ps: %d options are too many", nargs);
	memcpy(argv + 1, args, (size_t)nargs * sizeof(char *));
	if (pipe2(fds, O_CLOEXEC) < 0)
		return oci_failx(g, 1, "pipe: %s", strerror(errno));
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		return oci_failx(g, 1, "fork: %s", strerror(errno));
	if (child == 0) {
		dup2(fds[1], 1);
		debuglog_stdio();
		execvp("ps", argv);
		fprintf(stderr, "minirun: run ps: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	char *line = NULL;
	size_t cap = 0;
	int col = -1, rc = 0;
	for (bool header = true; in && getline(&line, &cap, in) > 0; header = false) {
		if (header) {
			/* the column whose heading is PID (ps -ef: the 2nd, ps -o pid,...: the 1st)
			 */
			char *save = NULL, *copy = strdup(line);
			int i = 0;
			for (char *w = strtok_r(copy, " \t\n", &save); w;
			     w = strtok_r(NULL, " \t\n", &save), i++)
				if (strcmp(w, "PID") == 0 && col < 0)
					col = i;
			free(copy);
			if (col < 0) {
				rc = oci_failx(g, 1,
					       "ps: no PID column in its output (add pid to -o)");
				break;
			}
			fputs(line, stdout);
		} else if (has_pid(pids, n, field_num(line, col)))
			fputs(line, stdout);
	}
	free(line);
	if (in)
		fclose(in);
	int status;
	waitpid(child, &status, 0);
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = oci_failx(g, 1, "ps %s failed (exit status %d)", argv[1],
			       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return rc;
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
				"usage: minirun oci ps [OPTIONS] ID [PS OPTIONS]\n\n"
				"  -f, --format FORMAT   table (ps's own, default) or json (the pids)\n"
				"  PS OPTIONS            passed to ps(1) (default -ef)\n");
			return c == 'h' ? 0 : 2;
		}
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
	return ps_filtered(g, argv + optind + 1, argc - optind - 1, pids, n);
}
