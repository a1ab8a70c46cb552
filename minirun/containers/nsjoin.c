/*
 * minirun/containers/nsjoin.c - --pid, --ipc, --uts container:NAME|ID: which namespaces to
 * join, and the checks docker makes on the container named.
 *
 * Joining "a container's namespace" means joining its init's: /proc/PID/ns/pid (ipc, uts)
 * of the process the OCI runtime started, which is what `readlink /proc/1/ns/pid` shows
 * inside both containers afterwards. The path is found at each start (X gets a new init,
 * with a new PID, each time it starts) and handed to the bundle (struct container_paths,
 * bundle/nsmodes.c puts it in linux.namespaces[].path). The OCI runtime then setns()es into
 * it before its init forks (a pid namespace is entered by the children of the caller of
 * setns, never by the caller itself: see pid_namespaces(7)).
 *
 * Docker's rules: the container named must exist (create says "No such container: X"), must
 * be running when this one starts ("container ID is not running"), and, for
 * --ipc, must have been made --ipc shareable (its default, private, can't be joined). `run`
 * checks the running part before anything is made, so a refusal leaves nothing; `create`
 * checks it at the start, as docker does.
 *
 * See: setns(2), pid_namespaces(7), ipc_namespaces(7); bundle/nsmodes.c; opts_ns.c.
 * Try: id=$(minirun run -d busybox sleep 60)
 *      minirun run --rm --pid container:$id busybox ps     # sleep is there, as pid 1
 */
#include "lib/err.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

/* The three joinable modes (the record's PidMode, IpcMode, UTSMode, in this order): the
 * flag, docker's word in messages, the /proc/PID/ns file. */
static const struct {
	const char *flag, *word, *ns;
} joins[] = {
	{"pid", "PID", "pid"},
	{"ipc", "IPC", "ipc"},
	{"uts", "UTS", "uts"},
};

/* check_target - REF (the X of container:X) for the mode of joins[K]: exists, is not the
 * container itself (SELF, may be NULL), for ipc is shareable, and (RUNNING) runs. Its init's
 * PID to *PID when it runs (0 otherwise). -1 with docker's words. */
static int check_target(const char *root, size_t k, const char *ref, const char *self, bool running,
			pid_t *pid, struct mr_err *err)
{
	struct container x;
	if (container_open(root, ref, false, &x, err) < 0)
		return -1;
	int rc = 0;
	if (self && !strcmp(x.id, self))
		rc = mr_failk(err, MR_E_INVALID, 0, "cannot join own %s namespace: %s",
			      joins[k].word, ref);
	const char *ipc = x.r.host.ipc_mode;
	if (!rc && k == 1 && (!ipc || (strcmp(ipc, "shareable") && strcmp(ipc, "host"))))
		rc = mr_failk(err, MR_E_INVALID, 0,
			      "can't join IPC of container %s: non-shareable IPC (hint: use "
			      "IpcMode:shareable for the donor container)",
			      x.id);
	*pid = 0;
	if (!rc) {
		enum container_state s = container_status(&x);
		if (s == CONTAINER_RUNNING || s == CONTAINER_PAUSED)
			*pid = container_pid(&x);
		if (running && *pid <= 0)
			rc = mr_fail(err, 0, "container %s is not running", x.id);
	}
	container_close(&x);
	return rc;
}

/* --ipc shareable: a tmpfs of its own at RUN/containers/ID/shm, bound on /dev/shm, so that a
 * container joining this one's ipc namespace can bind the same one (a mount of another mount
 * namespace can't be bound: the kernel refuses it, open_tree(2) included, which is why docker
 * keeps a donor's shm on the host too). Unmounted with the rootfs (bundle_rootfs_umount). */
static int shareable_shm(struct container *c, struct container_paths *p, struct container_nsjoin *j,
			 struct mr_err *err)
{
	const char *mode = c->r.host.ipc_mode;
	if (!mode || strcmp(mode, "shareable") != 0)
		return 0;
	char run[4096], opts[128];
	snprintf(j->shm, sizeof(j->shm), "%s/shm",
		 containers_run_dir(c->root, c->id, run, sizeof(run)));
	long long size = c->r.host.shm_size;
	snprintf(opts, sizeof(opts), "mode=1777,size=%lld", size > 0 ? size : 64LL << 20);
	if (mkdir(j->shm, 0700) < 0 && errno != EEXIST)
		return mr_fail(err, errno, "--ipc shareable: mkdir '%s'", j->shm);
	umount2(j->shm, MNT_DETACH); /* one a killed monitor left */
	mr_say("--ipc shareable: mount tmpfs on %s (%s)", j->shm, opts);
	if (mount("shm", j->shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0)
		return mr_fail(err, errno, "--ipc shareable: mount tmpfs on '%s'", j->shm);
	p->shm = j->shm;
	return 0;
}

static const char *mode_of(const struct container_opts *o, size_t k)
{
	return k == 0 ? o->pid_mode : k == 1 ? o->ipc_mode : o->uts_mode;
}

int container_ns_targets_check(const char *root, const struct container_opts *o, bool running,
			       struct mr_err *err)
{
	for (size_t k = 0; k < sizeof(joins) / sizeof(joins[0]); k++) {
		const char *mode = mode_of(o, k);
		pid_t pid;
		if (mode && !strncmp(mode, "container:", 10) &&
		    check_target(root, k, mode + 10, NULL, running, &pid, err) < 0)
			return -1;
	}
	return 0;
}

int container_ns_joins(struct container *c, struct container_paths *p, struct container_nsjoin *j,
		       struct mr_err *err)
{
	char *bufs[] = {j->pid, j->ipc, j->uts};
	const char **paths[] = {&p->pidns, &p->ipcns, &p->utsns};
	const char *modes[] = {c->r.host.pid_mode, c->r.host.ipc_mode, c->r.host.uts_mode};
	for (size_t k = 0; k < sizeof(joins) / sizeof(joins[0]); k++) {
		const char *mode = modes[k];
		pid_t pid;
		if (!mode || strncmp(mode, "container:", 10) != 0)
			continue;
		if (check_target(c->root, k, mode + 10, c->id, true, &pid, err) < 0)
			return -1;
		snprintf(bufs[k], sizeof(j->pid), "/proc/%d/ns/%s", (int)pid, joins[k].ns);
		*paths[k] = bufs[k];
		mr_say("--%s %s: join %s", joins[k].flag, mode, bufs[k]);
		if (k == 1) { /* its /dev/shm too: the tmpfs shareable_shm mounted for it */
			struct container x;
			if (container_open(c->root, mode + 10, false, &x, err) < 0)
				return -1;
			char run[4096];
			snprintf(j->shm, sizeof(j->shm), "%s/shm",
				 containers_run_dir(c->root, x.id, run, sizeof(run)));
			container_close(&x);
			p->shm = j->shm;
		}
	}
	return shareable_shm(c, p, j, err);
}
