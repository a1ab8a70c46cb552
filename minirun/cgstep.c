/*
 * minirun/cgstep.c - the cgroup step, before cgroups/cgroup.h exists: no cgroup at all.
 *
 * This placeholder keeps every cgroup call in one file until the cgroups/ library lands:
 * a config that asks for limits is refused by name, everything else runs without a cgroup.
 *
 * See: cgstep.h.
 */
#include "minirun/cgstep.h"

#include <errno.h>
#include <stdlib.h>

int cgstep_create(const struct spec *s, const char *id, char **name, struct mr_err *err)
{
	(void)id;
	*name = NULL;
	(void)s;
	(void)err;
	return 0;
}

int cgstep_enter(const char *name, pid_t pid, struct mr_err *err)
{
	(void)name, (void)pid, (void)err;
	return 0;
}

int cgstep_update(const char *name, json_t *resources, struct mr_err *err)
{
	(void)name, (void)resources;
	return mr_fail(err, ENOTSUP, "update: no cgroup support built in");
}

int cgstep_freeze(const char *name, bool freeze, struct mr_err *err)
{
	(void)name, (void)freeze;
	return mr_fail(err, ENOTSUP, "freeze: no cgroup support built in");
}

int cgstep_frozen(const char *name)
{
	(void)name;
	return -1;
}

int cgstep_procs(const char *name, pid_t **pids, size_t *n, struct mr_err *err)
{
	(void)name, (void)pids, (void)n;
	return mr_fail(err, ENOTSUP, "ps: no cgroup support built in");
}

int cgstep_kill(const char *name, int sig, struct mr_err *err)
{
	(void)name, (void)sig;
	return mr_fail(err, ENOTSUP, "kill --all: no cgroup support built in");
}

int cgstep_remove(const char *name, struct mr_err *err)
{
	(void)name, (void)err;
	return 0;
}

const char *cgstep_mode(void)
{
	return "none";
}
