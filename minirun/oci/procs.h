/*
 * minirun/procs.h - a container's processes, and ps(1)'s rows of them: what `minirun oci
 * ps` (runc's ps) and `minirun top` (docker's top) show. See procs.c.
 */
#ifndef MR_PROCS_H
#define MR_PROCS_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"

/*
 * procs_list - the host pids of a container: those of its cgroup CGROUP (the OCI state's
 * path; children and exec'd processes included), or, when CGROUP is NULL or "" or can't be
 * read, those sharing the pid namespace of its init INIT. *pids is malloc'd (the caller
 * frees it). Returns 0, or -1 with err ("container not running": INIT is gone).
 */
int procs_list(const char *cgroup, pid_t init, pid_t **pids, size_t *n, struct mr_err *err);

/* ps(1)'s table, cut to a container's processes */
struct procs_table {
	char **lines; /* the header, then the rows; each without its newline */
	size_t n;
	int pid_col; /* which whitespace-separated word of a line is the PID */
};

/*
 * procs_ps - run `ps ARGS` (NARGS of them; none: -ef) and keep its header and the rows whose
 * PID column holds one of PIDS, into *t (free with procs_table_free). ps's errors go to our
 * stderr. Returns 0, or -1 with err: ps failed or is missing, or its header has no PID
 * column (ps options without one, as `-o comm`).
 */
int procs_ps(char *const *args, int nargs, const pid_t *pids, size_t npids, struct procs_table *t,
	     struct mr_err *err);

void procs_table_free(struct procs_table *t);

#endif
