/*
 * cgroups/procs.c - putting processes into a cgroup, and finding the ones inside.
 *
 * A process joins a cgroup when its pid is written into the cgroup's cgroup.procs (all
 * its threads move with it; children forked later are born where their parent is). For a
 * new container's first process that leaves an ordering hazard: between fork() and the
 * write the child runs outside. Linux 5.7 closed it: clone3() with CLONE_INTO_CGROUP and
 * a cgroup directory fd creates the child inside. Where that is missing (older kernels, or
 * v1 hierarchies, which clone3 cannot name) the child waits on a pipe until the parent has
 * moved it.
 *
 *	=> clone3(CLONE_INTO_CGROUP /sys/fs/cgroup/mr-run-4242)          unified
 *	=> echo 4243 > /sys/fs/cgroup/memory/mr-run-4242/cgroup.procs    hybrid, legacy
 *	=> fork -> 4243, moved into /mr-run-4242, released
 *
 * See: clone(2) ("CLONE_INTO_CGROUP"), Documentation/admin-guide/cgroup-v2.rst
 *      ("Organizing Processes and Threads", "cgroup.procs", "cgroup.events").
 */
#include "cgroups/cgroup_impl.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- processes ---------------------------------------------------------------------------- */

int cg_add_pid(struct cg *cg, pid_t pid, struct mr_err *err)
{
	char val[32];

	if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH)
		return cg_failx(err, ESRCH, "no such process %d (it may have exited already)", pid);
	snprintf(val, sizeof(val), "%d", pid);
	for (int i = 0; i < cg->n; i++)
		if (cg_node_write(&cg->node[i], "cgroup.procs", val, err) < 0) {
			if (errno == ESRCH)
				return cg_failx(err, ESRCH,
						"no such process %d (it may have exited "
						"already)",
						pid);
			return -1;
		}
	return 0;
}

/* clone3 with CLONE_INTO_CGROUP: the child is born in the cgroup (Linux 5.7+). Returns
 * like fork; -1 with errno ENOSYS/E2BIG/EINVAL where the kernel lacks it. */
static pid_t clone_into(int cgroup_fd, unsigned long flags)
{
	struct clone_args args;
	memset(&args, 0, sizeof(args));
	args.flags = flags | CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (unsigned)cgroup_fd;
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

pid_t cg_clone(struct cg *cg, unsigned long flags, struct mr_err *err)
{
	int sync[2];
	bool v1 = false;

	for (int i = 0; i < cg->n; i++)
		v1 |= !cg->node[i].v2;
	if (cg->v2_fd >= 0 && !v1) {
		/* said before, not after: once the child runs, its own narration would
		 * interleave with ours on the shared stderr */
		mr_say("clone3(CLONE_INTO_CGROUP %s)", cg_v2_node(cg)->dir);
		pid_t pid = clone_into(cg->v2_fd, flags);
		if (pid >= 0)
			return pid;
		if (errno != ENOSYS && errno != E2BIG && errno != EINVAL)
			return mr_fail(err, errno, "clone3 into cgroup '%s'", cg->path);
		mr_say("clone3(CLONE_INTO_CGROUP): not in this kernel, using cgroup.procs");
	}
	/* The fallback: the child waits on a pipe until the parent has written its pid into
	 * every cgroup.procs, so it runs none of the caller's code outside the cgroup. */
	if (pipe2(sync, O_CLOEXEC) < 0)
		return mr_fail(err, errno, "pipe");
	pid_t pid =
		flags ? (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL) : fork();
	if (pid < 0) {
		int e = errno;
		close(sync[0]);
		close(sync[1]);
		return mr_fail(err, e, "clone");
	}
	if (pid == 0) {
		char c;
		close(sync[1]);
		if (read(sync[0], &c, 1) != 1)
			_exit(MR_EXIT_RUNTIME); /* the parent failed and is reaping us */
		close(sync[0]);
		return 0;
	}
	close(sync[0]);
	if (cg_add_pid(cg, pid, err) < 0) {
		close(sync[1]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	mr_say("fork -> %d, moved into %s, released", pid, cg->path);
	if (write(sync[1], "x", 1) != 1) {
		int e = errno;
		close(sync[1]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return mr_fail(err, e, "release child %d", pid);
	}
	close(sync[1]);
	return pid;
}

/* Append the pids of DIR/cgroup.procs and of every cgroup below DIR to *pids. */
static int collect_pids(const char *dir, pid_t **pids, size_t *n, size_t *cap, struct mr_err *err)
{
	char p[CG_PATHBUF];
	_cleanup_free_ char *text = NULL;
	_cleanup_closedir_ DIR *d = NULL;

	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	if (mr_read_file(p, &text, NULL, err) < 0)
		return cg_gone(errno) ? 0 : -1; /* removed while we walked: nothing in it */
	for (char *s = text, *end; *s; s = end) {
		long v = strtol(s, &end, 10);
		if (end == s)
			break;
		if (*n == *cap) {
			pid_t *bigger =
				realloc(*pids, (*cap = *cap ? *cap * 2 : 64) * sizeof(pid_t));
			if (!bigger)
				return mr_fail(err, ENOMEM, "list pids");
			*pids = bigger;
		}
		(*pids)[(*n)++] = (pid_t)v;
	}
	if (!(d = opendir(dir)))
		return cg_gone(errno) ? 0 : mr_fail(err, errno, "opendir '%s'", dir);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (collect_pids(p, pids, n, cap, err) < 0)
			return -1;
	}
	return 0;
}

int cg_pids(const struct cg *cg, pid_t **pids, size_t *n, struct mr_err *err)
{
	size_t cap = 0;
	*pids = NULL;
	*n = 0;
	if (collect_pids(cg_dir(cg, NULL), pids, n, &cap, err) < 0) {
		free(*pids);
		*pids = NULL;
		return -1;
	}
	return 0;
}

int cg_populated(const struct cg *cg, struct mr_err *err)
{
	const struct cg_node *v2 = cg_v2_node(cg);
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ pid_t *pids = NULL;
	size_t n;

	if (v2) {
		if (cg_node_read(v2, "cgroup.events", &text, err) < 0)
			return cg_gone(errno) ? 0 : -1;
		return cg_keyed_value(text, "populated") > 0;
	}
	if (cg_pids(cg, &pids, &n, err) < 0)
		return -1;
	return n > 0;
}
