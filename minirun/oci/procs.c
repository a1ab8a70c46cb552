/*
 * minirun/oci/procs.c - the processes of a container, and ps(1)'s rows of them: what `minirun
 * oci ps` (runc's ps, oci_ps.c) and `minirun top` (docker's top, containers/top.c) show.
 *
 * Which processes are "in" a container? Those of its cgroup (cgroup.procs: children and
 * exec'd processes included); without a cgroup, those that share its init's pid namespace.
 * Their table is ps(1)'s own, as runc and docker make it: `ps ARGS` (default -ef) runs on
 * the host, the column headed PID is found in its header, and only the header and the rows
 * whose PID is one of the container's are kept. So any ps options work (`aux`, `-o
 * pid,comm`, `-eLf`) as long as they show a PID column; the pids and user names are the
 * host's.
 *
 * See: runc-ps(8), docker-top(1), ps(1); cgroups(7) "cgroup.procs"; proc(5) /proc/PID/ns.
 */
#include "minirun/oci/runtime.h"
#include "lib/cleanup.h"
#include "minirun/oci/cgstep.h"
#include "minirun/oci/debuglog.h"
#include "ns/ns.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The pids whose pid namespace is the init's (no cgroup to ask). */
static int procs_by_pidns(pid_t init, pid_t **out, size_t *n)
{
	const struct ns_type *t = ns_by_flag(CLONE_NEWPID);
	unsigned long want = init > 0 ? ns_inode(init, t, NULL) : 0;
	_cleanup_closedir_ DIR *d = want ? opendir("/proc") : NULL;
	struct dirent *e;
	*out = NULL, *n = 0;
	if (!d)
		return -1;
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
	return 0;
}

int procs_list(const char *cgroup, pid_t init, pid_t **pids, size_t *n, struct mr_err *err)
{
	if (cgroup && *cgroup && cgstep_procs(cgroup, pids, n, err) == 0)
		return 0;
	if (procs_by_pidns(init, pids, n) == 0)
		return 0;
	return mr_fail(err, 0, "container not running");
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

/* The index of the word "PID" in the header LINE, or -1 (ps -ef: 1, ps -o pid,...: 0). */
static int pid_column(const char *line)
{
	int i = 0;
	for (const char *p = line + strspn(line, " \t"); *p; p += strspn(p, " \t"), i++) {
		size_t len = strcspn(p, " \t");
		if (len == 3 && strncmp(p, "PID", 3) == 0)
			return i;
		p += len;
	}
	return -1;
}

static int keep_line(struct procs_table *t, const char *line)
{
	char **l = realloc(t->lines, (t->n + 1) * sizeof(char *));
	if (!l)
		return -1;
	t->lines = l;
	if (!(l[t->n] = strndup(line, strcspn(line, "\n"))))
		return -1;
	t->n++;
	return 0;
}

void procs_table_free(struct procs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	t->lines = NULL, t->n = 0;
}

int procs_ps(char *const *args, int nargs, const pid_t *pids, size_t npids, struct procs_table *t,
	     struct mr_err *err)
{
	static char *const def[] = {"-ef"};
	char *argv[64] = {"ps"};
	int fds[2];
	*t = (struct procs_table){.pid_col = -1};
	if (nargs == 0)
		args = def, nargs = 1;
	if (nargs > 62)
		return mr_fail(err, E2BIG, "ps: %d options are too many", nargs);
	memcpy(argv + 1, args, (size_t)nargs * sizeof(char *));
	if (pipe2(fds, O_CLOEXEC) < 0)
		return mr_fail(err, errno, "pipe");
	fflush(stdout);
	pid_t child = fork();
	if (child < 0) {
		close(fds[0]), close(fds[1]);
		return mr_fail(err, errno, "fork");
	}
	if (child == 0) {
		dup2(fds[1], 1);
		debuglog_stdio(); /* ps's complaints go to the caller's stderr, not a --log */
		execvp("ps", argv);
		fprintf(stderr, "minirun: run ps: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	char *line = NULL;
	size_t cap = 0;
	int rc = in ? 0 : mr_fail(err, errno, "read ps's output");
	for (bool header = true; in && getline(&line, &cap, in) > 0; header = false) {
		if (rc < 0)
			continue; /* read ps to its end: it must not die of a broken pipe */
		if (header && (t->pid_col = pid_column(line)) < 0)
			rc = mr_fail(err, 0, "ps: no PID column in its output (add pid to -o)");
		else if ((header || has_pid(pids, npids, field_num(line, t->pid_col))) &&
			 keep_line(t, line) < 0)
			rc = mr_fail(err, ENOMEM, "ps's output");
	}
	free(line);
	if (in)
		fclose(in);
	else
		close(fds[0]);
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = mr_fail(err, 0, "ps %s failed (exit status %d)", argv[1],
			     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (rc == 0 && t->n == 0)
		rc = mr_fail(err, 0, "ps %s printed nothing", argv[1]);
	if (rc < 0)
		procs_table_free(t);
	return rc;
}
