/*
 * minirun/oci/cgstep.c - the cgroup step: linux.cgroupsPath and linux.resources through cgroups/.
 *
 * The container's cgroup is cgroupsPath as the engine gives it ("/libpod_parent/libpod-ID",
 * "/default/ID"), or "minirun-ID" below the caller's own cgroup when the config has none.
 * cgroups/ decides where that lands on this host (v2, or the v1 trees of a hybrid host)
 * and writes every file; this file makes, reopens, enters and removes the cgroup, and
 * keeps the path to reopen it by in later commands. What to write comes from
 * cgstep_res.c, which reads linux.resources.
 *
 * Devices: linux.resources.devices is enforced through cg_devices_apply (an eBPF device
 * filter on the cgroup's v2 directory, hybrid hosts included; the v1 devices hierarchy
 * only where there is no v2 tree), with the rules cgstep_res.c puts together. A config
 * without device rules gets the nodes and the defaults (see cgstep_create for why).
 * `update` with a "devices" array replaces the policy: the same three parts, with
 * update's rules in the middle.
 *
 * See: cgroups/cgroup.h; runtime-spec config-linux.md "Control groups".
 */
#include "minirun/oci/cgstep.h"
#include "cgroups/cgroup.h"
#include "minirun/oci/cgstep_res.h"
#include "lib/cleanup.h"
#include "lib/thread.h"
#include "minirun/rootless/rootless.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The recorded name is the list of the cgroup's directories, one per hierarchy, joined
 * by ':' ("/sys/fs/cgroup/unified/x:/sys/fs/cgroup/memory/process_api/y/x:..."). Not
 * the cgroupsPath: on a v1 host cgroups/ places a path below the *caller's* own cgroup
 * of each hierarchy, and the engine's process that later deletes the container (podman)
 * is not in the cgroup of the one that created it (conmon).
 */
#define CGSET_MAX 16
struct cgset {
	struct cg *h[CGSET_MAX];
	int n;
};

static void set_free(struct cgset *set)
{
	for (int i = 0; i < set->n; i++)
		cg_free(set->h[i]);
	set->n = 0;
}

/* The host's cgroup setup, detected once per process: each cg_open/cg_create would read
 * /proc/self/mounts and /proc/self/cgroup again, and a create opens the cgroup 3 times. */
const struct cg_system *cgstep_host(void)
{
	static struct cg_system sys;
	static int state; /* 0 not yet, 1 detected, -1 failed */
	if (state == 0)
		state = cg_detect(&sys, NULL) == 0 ? 1 : -1;
	return state == 1 ? &sys : NULL;
}

/* Open every directory of NAME; one that is gone already is skipped. */
static int set_open(const char *name, struct cgset *set, struct mr_err *err)
{
	char buf[8192], *save = NULL;
	set->n = 0;
	snprintf(buf, sizeof(buf), "%s", name);
	for (char *d = strtok_r(buf, ":", &save); d && set->n < CGSET_MAX;
	     d = strtok_r(NULL, ":", &save)) {
		struct mr_err e = {0};
		struct cg *cg = cg_open(cgstep_host(), d, &e);
		if (cg)
			set->h[set->n++] = cg;
		else if (e.errnum != ENOENT) {
			set_free(set);
			return mr_fail(err, e.errnum, "%s", e.msg);
		}
	}
	if (set->n == 0)
		return mr_fail(err, ENOENT, "the container's cgroup '%s' is gone", name);
	return 0;
}

/* The directories of CG, joined by ':' (malloc'd). */
static char *set_name(const struct cg *cg)
{
	static const char *const ctl[] = {NULL, "memory", "pids",    "cpu",     "cpuacct", "cpuset",
					  "io", "blkio",  "hugetlb", "freezer", "devices"};
	char out[8192] = "";
	size_t len = 0;
	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		const char *d = cg_dir(cg, ctl[i]);
		if (!d || strstr(out, d))
			continue;
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", len ? ":" : "", d);
	}
	return strdup(out);
}

/* RES reduced to what one hierarchy's controllers (BITS) take; CORE also takes the raw
 * "unified" writes. */
static void res_for(const struct cg_resources *res, unsigned bits, bool core,
		    struct cg_resources *out)
{
	cg_resources_init(out);
	if (bits & CG_MEMORY) {
		out->memory_max = res->memory_max, out->memory_high = res->memory_high;
		out->memory_low = res->memory_low, out->swap_max = res->swap_max;
		out->swappiness = res->swappiness, out->oom_kill_disable = res->oom_kill_disable;
	}
	if (bits & CG_PIDS)
		out->pids_max = res->pids_max;
	if (bits & CG_CPU) {
		out->cpu_quota = res->cpu_quota, out->cpu_period = res->cpu_period;
		out->cpu_weight = res->cpu_weight, out->cpu_shares = res->cpu_shares;
	}
	if (bits & CG_CPUSET) {
		memcpy(out->cpuset_cpus, res->cpuset_cpus, sizeof(out->cpuset_cpus));
		memcpy(out->cpuset_mems, res->cpuset_mems, sizeof(out->cpuset_mems));
	}
	if (bits & CG_IO) {
		out->io_weight = res->io_weight, out->n_io = res->n_io;
		memcpy(out->io, res->io, sizeof(out->io));
	}
	if (bits & CG_HUGETLB) {
		out->n_hugetlb = res->n_hugetlb;
		memcpy(out->hugetlb, res->hugetlb, sizeof(out->hugetlb));
	}
	if (core) {
		out->n_unified = res->n_unified;
		memcpy(out->unified, res->unified, sizeof(out->unified));
	}
}

/* Make the device policy of CG: the rules A, the defaults, S's linux.devices; with the
 * rules and program AHEAD made, when it made them. */
static int devices(const struct spec *s, const struct spec *pos, json_t *a, struct cg *cg,
		   struct cgstep_ahead *ahead, struct mr_err *err)
{
	struct cg_device_rule *rules = NULL;
	size_t n = 0;
	int prog = -1;
	if (ahead) { /* what its thread made, or what cgstep_devices_ahead had made */
		mr_thread_join(ahead->thread, &ahead->running);
		rules = ahead->rules, n = ahead->n, prog = ahead->prog;
		ahead->rules = NULL, ahead->prog = -1;
	}
	if (!rules && cgstep_device_rules(s, pos, a, &rules, &n, err) < 0) {
		if (prog >= 0)
			close(prog);
		return -1;
	}
	mr_say("linux.resources.devices: %zu rules (with the defaults)", n);
	int rc = cg_devices_apply_loaded(cg, rules, n, prog, err);
	free(rules);
	if (rc < 0)
		mr_prefix(err, "linux.resources.devices: ");
	return rc;
}

/* S's linux.resources.devices (NULL: none) */
static json_t *device_rules_of(const struct spec *s)
{
	return s->resources ? json_object_get(s->resources, "devices") : NULL;
}

/* Whether a create of S loads a device filter (cgstep_create says why): as root, or when
 * the config has rules; never rootless */
static bool device_filter_due(const struct spec *s)
{
	return !rootless_active() && (device_rules_of(s) || geteuid() == 0);
}

/* the thread of cgstep_ahead_start: the rules, and their program loaded */
static void *ahead_main(void *arg)
{
	struct cgstep_ahead *a = arg;
	if (cgstep_device_rules(a->s, a->s, device_rules_of(a->s), &a->rules, &a->n, NULL) == 0)
		a->prog = cg_devices_load(a->rules, a->n);
	return NULL;
}

/* A device filter loaded before any spec (cgstep_devices_ahead): its rules and program */
static struct {
	struct cg_device_rule *rules;
	size_t n;
	int prog; /* -1: none */
} preloaded = {.prog = -1};

void cgstep_devices_ahead(json_t *devices)
{
	struct cg_device_rule *rules;
	size_t n;
	if (preloaded.prog >= 0 || rootless_active() || geteuid() != 0 ||
	    cgstep_device_rules(NULL, NULL, devices, &rules, &n, NULL) < 0)
		return;
	int prog = cg_devices_load(rules, n);
	if (prog < 0) {
		free(rules);
		return;
	}
	preloaded.rules = rules, preloaded.n = n, preloaded.prog = prog;
}

static bool same_rules(const struct cg_device_rule *a, const struct cg_device_rule *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].allow != b[i].allow || a[i].type != b[i].type ||
		    a[i].major != b[i].major || a[i].minor != b[i].minor ||
		    strcmp(a[i].access, b[i].access) != 0)
			return false;
	return true;
}

/* S's rules, when they are those of the filter loaded ahead: taken into A (true) */
static bool take_preloaded(struct cgstep_ahead *a, const struct spec *s)
{
	struct cg_device_rule *rules;
	size_t n;
	if (preloaded.prog < 0 ||
	    cgstep_device_rules(s, s, device_rules_of(s), &rules, &n, NULL) < 0)
		return false;
	if (n != preloaded.n || !same_rules(rules, preloaded.rules, n)) {
		free(rules);
		return false;
	}
	a->rules = rules, a->n = n, a->prog = preloaded.prog;
	free(preloaded.rules);
	preloaded.rules = NULL, preloaded.prog = -1;
	mr_say("the device filter was loaded ahead");
	return true;
}

void cgstep_ahead_start(struct cgstep_ahead *a, const struct spec *s)
{
	*a = (struct cgstep_ahead){.prog = -1, .s = s};
	/* only where cgstep_create will load one (a systemd cgroupsPath it refuses first) */
	if ((s->cgroups_path && strchr(s->cgroups_path, ':')) || !device_filter_due(s) ||
	    take_preloaded(a, s))
		return;
	/* its signals blocked, begun on the other CPU (lib/thread.h) */
	a->running = mr_thread_start(&a->thread, ahead_main, a) == 0;
	if (a->running)
		mr_say("a thread loads the device filter meanwhile");
}

void cgstep_ahead_drop(struct cgstep_ahead *a)
{
	mr_thread_join(a->thread, &a->running);
	if (a->prog >= 0)
		close(a->prog);
	a->prog = -1;
	free(a->rules);
	a->rules = NULL;
}

/* The handle cgstep_create made, kept for the cgstep_clone that follows it and, in the
 * process that made it, for its cgstep_remove (the monitor of `minirun run`, minirun-oci's
 * `run`): opening it again by name cost 6 syscalls, a stat in every hierarchy (9 on a hybrid
 * host) and a new 350 KiB handle. Only a cgroup of one directory (the one clone3 enters by
 * the handle's fd), with the parents its create made disowned (cg_disown_made: a delete
 * through a handle of cg_open leaves them too). After that one clone its fd is closed
 * (cg_close_fd): a later clone into the cgroup (an exec, a health probe, maybe in a child
 * that closed its fds wholesale) opens a handle of its own. Dropped by the next create, by
 * the clone's child, and by the remove. */
static struct {
	char *name;
	struct cg *cg;
	bool cloned; /* its one clone is done: kept for the remove only */
} made;

static void made_drop(void)
{
	cg_free(made.cg);
	free(made.name);
	made.cg = NULL;
	made.name = NULL;
	made.cloned = false;
}

/*
 * cgstep_create - the container's cgroup, with its limits and device policy; its
 * recorded name into *NAME (the caller frees). A caller in a user namespace that may not
 * make one (rootless, nothing delegated) gets *NAME NULL and 0 when the config asks for no
 * limit: the container then shares its caller's cgroup. -1 with err otherwise.
 */
int cgstep_create(const struct spec *s, const char *id, struct cgstep_ahead *ahead, char **name,
		  struct mr_err *err)
{
	struct cg_resources res;
	char path[1024];
	*name = NULL;
	made_drop();
	if (s->cgroups_path && strchr(s->cgroups_path, ':'))
		return spec_bad(s, err, "linux.cgroupsPath",
				"'%s' is a systemd slice:prefix:name; "
				"minirun manages cgroupfs paths only (podman: --cgroup-manager="
				"cgroupfs)",
				s->cgroups_path);
	if (s->resources && cgstep_resources(s, s->resources, &res, err) < 0)
		return -1;
	if (s->cgroups_path && *s->cgroups_path)
		snprintf(path, sizeof(path), "%s", s->cgroups_path);
	else
		snprintf(path, sizeof(path), "minirun-%s", id);
	/* only the controllers the limits need: on a v1 host each extra hierarchy costs a
	 * mkdir and a migration (cpuset's mkdir alone takes ~20 ms); `update` can change the
	 * limits of these controllers */
	unsigned ctl = s->resources ? cg_resources_controllers(&res) : 0;
	mr_say("cgroup '%s'", path);
	struct cg *cg = cg_create(cgstep_host(), path, ctl, 0, err);
	int why = err ? err->errnum : errno;
	if (!cg && ctl == 0 && (why == EACCES || why == EPERM || why == EROFS) &&
	    rootless_active()) {
		/* rootless without a delegated cgroup: as runc does, a container that asks for
		 * no limit runs in its caller's cgroup (the front end refused the limits) */
		mr_say("no cgroup: %s; running in the caller's cgroup", err ? err->msg : "");
		return 0;
	}
	if (!cg) {
		mr_prefix(err, "linux.cgroupsPath: ");
		return -1;
	}
	int rc = s->resources ? cg_apply(cg, &res, err) : 0;
	if (rc < 0)
		mr_prefix(err, "linux.resources: ");
	/* A device policy always, as runc does: a config without linux.resources.devices
	 * still gets the defaults, and nothing else. Without one the cgroup would inherit
	 * its parent's (on most hosts: every device), and a container with CAP_MKNOD could
	 * mknod the host's disk and read it. Only a caller that is not root, who can't load
	 * a device filter anyway, goes without when the config asks for none. */
	json_t *rules = device_rules_of(s);
	if (rc == 0 && rootless_active())
		/* as runc: the kernel lets no user namespace mknod a device or load a device
		 * filter; the host's nodes are bound in (devices.c), their modes still hold */
		mr_say("no device policy: rootless, in a cgroup delegated to the user");
	else if (rc == 0 && device_filter_due(s))
		rc = devices(s, s, rules, cg, ahead, err);
	else if (rc == 0)
		mr_say("no device policy: not root, and linux.resources.devices is empty");
	if (rc < 0) {
		cg_remove(cg, 1000, NULL);
		cg_free(cg);
		return -1;
	}
	*name = set_name(cg);
	if (*name && !strchr(*name, ':') && (made.name = strdup(*name))) {
		made.cg = cg;
		cg_disown_made(cg);
	} else {
		cg_free(cg);
	}
	return *name ? 0 : mr_fail(err, ENOMEM, "cgroup");
}

/* fork(2) with extra clone FLAGS, as a raw clone (glibc's clone() wants a new stack). */
static pid_t clone_plain(unsigned long flags, struct mr_err *err)
{
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		return mr_fail(err, errno, "clone");
	return pid;
}

int cgstep_enter(const char *name, pid_t pid, struct mr_err *err)
{
	struct cgset set;
	int rc = 0;
	if (set_open(name, &set, err) < 0)
		return -1;
	for (int i = 0; i < set.n && rc == 0; i++)
		rc = cg_add_pid(set.h[i], pid, err);
	set_free(&set);
	return rc;
}

/*
 * Why clone3(CLONE_INTO_CGROUP) and not a write to cgroup.procs: moving a process between
 * cgroups takes the kernel's cgroup_threadgroup_rwsem for writing, and that waits for an
 * RCU grace period -- 5 to 20 ms on this kind of machine, the largest single cost of a
 * container's start once exec is cheap. A child born in its cgroup is never moved (crun
 * does the same). v1 directories can't be named to clone3: those are still written.
 */
pid_t cgstep_clone(const char *name, unsigned long flags, struct mr_err *err)
{
	struct cgset set;
	pid_t pid;
	if (!name) {
		made_drop();
		return clone_plain(flags, err);
	}
	if (made.cg && !made.cloned && strcmp(made.name, name) == 0) {
		pid = cg_clone(made.cg, flags, err);
		if (pid <= 0) {
			made_drop(); /* the child's copy (the parent's stays for the remove) */
		} else {
			made.cloned = true;
			cg_close_fd(made.cg);
		}
		return pid;
	}
	if (!made.cloned || strcmp(made.name, name) != 0)
		made_drop(); /* another cgroup's clone: the create's handle is done with */
	if (set_open(name, &set, err) < 0)
		return -1;
	if (set.n == 1) {
		pid = cg_clone(set.h[0], flags, err);
		set_free(&set);
		return pid;
	}
	pid = clone_plain(flags, err);
	if (pid == 0) {
		/* the child waits for the create process's first message: by then it is in */
		set_free(&set);
		return 0;
	}
	for (int i = 0; pid > 0 && i < set.n; i++)
		if (cg_add_pid(set.h[i], pid, err) < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			pid = -1;
		}
	set_free(&set);
	return pid;
}

/*
 * grow - give the container's cgroup (SET, recorded as NAME) the controllers MISSING, which
 * an update asks for and the create did not make (cgstep_create makes only those its limits
 * need; runc makes them all). cg_create joins the cgroup at its own path (cg_path of the core
 * directory, placed as at create) with those controllers: on v2 that enables them on its
 * ancestors and the directory is the same; on v1 it makes a directory in each new hierarchy,
 * and every process of the container is moved in (three passes: a process forked during
 * one is caught by the next). *GROWN: NAME with the new directories (the caller records
 * it, so delete removes them), or NULL when there are none.
 */
static int grow(struct cgset *set, const char *name, unsigned missing, char **grown,
		struct mr_err *err)
{
	*grown = NULL;
	mr_say("update: cgroup '%s' lacks controllers it now needs: added", cg_path(set->h[0]));
	struct cg *cg = cg_create(cgstep_host(), cg_path(set->h[0]), missing, CG_EXIST_OK, err);
	if (!cg) {
		mr_prefix(err, "adding a controller to the container's cgroup: ");
		return -1;
	}
	_cleanup_free_ char *dirs = set_name(cg);
	char out[8192];
	size_t len = (size_t)snprintf(out, sizeof(out), "%s", name);
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char key[4200];
		snprintf(key, sizeof(key), ":%s:", d);
		char have[8200];
		snprintf(have, sizeof(have), ":%s:", name);
		if (!strstr(have, key) && len < sizeof(out))
			len += (size_t)snprintf(out + len, sizeof(out) - len, ":%s", d);
	}
	if (strcmp(out, name) != 0) {
		for (int pass = 0; pass < 3; pass++) {
			pid_t *pids = NULL;
			size_t n = 0;
			if (cg_pids(set->h[0], &pids, &n, err) < 0) {
				cg_free(cg);
				return -1;
			}
			for (size_t i = 0; i < n; i++)
				cg_add_pid(cg, pids[i],
					   NULL); /* one gone meanwhile needs no move */
			free(pids);
		}
		if (!(*grown = strdup(out))) {
			cg_free(cg);
			return mr_fail(err, ENOMEM, "cgroup name");
		}
	}
	if (set->n < CGSET_MAX)
		set->h[set->n++] = cg;
	else
		cg_free(cg);
	return 0;
}

int cgstep_update(const char *name, json_t *r, const struct spec *s, char **grown,
		  struct mr_err *err)
{
	struct cg_resources res, part;
	struct cgset set;
	int rc = 0;
	json_t *rules = json_object_get(r, "devices");
	*grown = NULL;
	if (rules && !json_is_array(rules))
		return mr_fail(err, 0, "devices must be an array of device rules");
	if (cgstep_resources(NULL, r, &res, err) < 0 || set_open(name, &set, err) < 0)
		return -1;
	unsigned have = 0, need = cg_resources_controllers(&res);
	for (int i = 0; i < set.n; i++)
		have |= cg_controllers(set.h[i]);
	if ((need & ~have) && grow(&set, name, need & ~have, grown, err) < 0) {
		set_free(&set);
		return -1;
	}
	for (int i = 0; i < set.n && rc == 0; i++) {
		res_for(&res, cg_controllers(set.h[i]), i == 0, &part);
		rc = cg_apply(set.h[i], &part, err);
	}
	/* new device rules replace the old policy whole (the defaults and linux.devices are
	 * added again): in the devices directory on v1, in the v2 one's filter otherwise */
	if (rc == 0 && rules) {
		int k = 0; /* the v2 directory is the first (set_name) */
		for (int i = 0; i < set.n; i++)
			if (cg_dir(set.h[i], "devices"))
				k = i;
		rc = devices(s, NULL, rules, set.h[k], NULL, err);
	}
	set_free(&set);
	return rc;
}

/* The first directory is the core one (v2 where there is a v2 tree): freeze, kill and
 * the process list use it; every process of the container is in it. */
int cgstep_freeze(const char *name, bool freeze, struct mr_err *err)
{
	struct cgset set;
	if (set_open(name, &set, err) < 0)
		return -1;
	int rc = cg_freeze(set.h[0], freeze, 5000, err);
	set_free(&set);
	return rc;
}

int cgstep_frozen(const char *name)
{
	struct cgset set;
	if (set_open(name, &set, NULL) < 0)
		return -1;
	int rc = cg_frozen(set.h[0], NULL);
	set_free(&set);
	return rc;
}

int cgstep_procs(const char *name, pid_t **pids, size_t *n, struct mr_err *err)
{
	struct cgset set;
	if (set_open(name, &set, err) < 0)
		return -1;
	int rc = cg_pids(set.h[0], pids, n, err);
	set_free(&set);
	return rc;
}

int cgstep_kill(const char *name, int sig, struct mr_err *err)
{
	struct cgset set;
	if (set_open(name, &set, err) < 0)
		return -1;
	int rc = cg_kill(set.h[0], sig, err);
	set_free(&set);
	return rc;
}

int cgstep_remove(const char *name, struct mr_err *err)
{
	struct cgset set;
	struct mr_err e = {0};
	int rc = 0;
	if (made.cg && strcmp(made.name, name) == 0) { /* this process made it (above) */
		rc = cg_remove(made.cg, 5000, err);
		made_drop();
		return rc;
	}
	if (set_open(name, &set, &e) < 0)
		return e.errnum == ENOENT ? 0 : mr_fail(err, e.errnum, "%s", e.msg);
	for (int i = set.n - 1; i >= 0; i--)
		if (cg_remove(set.h[i], 5000, err) < 0)
			rc = -1;
	set_free(&set);
	return rc;
}

int cgstep_remove_unrecorded(const char *id, struct mr_err *err)
{
	char path[128];
	struct mr_err e = {0};
	snprintf(path, sizeof(path), "minirun-%s", id);
	struct cg *cg = cg_open(cgstep_host(), path, &e);
	if (!cg) /* none made (the usual case), or no cgroups here: nothing to remove */
		return 0;
	mr_say("cgroup '%s' was made but not recorded: removing it", path);
	int rc = cg_remove(cg, 5000, err);
	cg_free(cg);
	return rc;
}

const char *cgstep_mode(void)
{
	struct cg_system sys;
	if (cg_detect(&sys, NULL) < 0)
		return "none";
	return cg_mode_name(sys.mode);
}
