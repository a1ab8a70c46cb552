/*
 * cgroups/detect.c - which cgroup hierarchies are mounted, where the caller sits in each,
 * and where a cgroup path lands.
 *
 * Two files tell everything. /proc/self/mounts lists the cgroup filesystems:
 *
 *	cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
 *	cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0      <- a v1 hierarchy,
 *	cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0       its controllers in
 *	                                                                     the options
 * and /proc/self/cgroup the caller's cgroup in each, "ID:CONTROLLERS:PATH":
 *
 *	4:memory:/process_api/3d2d...
 *	0::/                                    <- "0::" is the v2 hierarchy
 *
 * cgroup2 alone is "unified"; v1 controllers plus cgroup2 is "hybrid" (systemd's middle
 * ground, where the v2 tree carries no or few controllers); v1 alone is "legacy".
 *
 * Most hosts are unified, and say so with one statfs(2): /sys/fs/cgroup is then itself a
 * cgroup2 filesystem (runc and systemd decide the same way), and its mounts are not read.
 * The mounts are the dearest /proc file a container's start reads (~40-100 us: the kernel
 * writes a line for every mount of the namespace); the caller's cgroup is still read.
 *
 * See: cgroups(7) ("/proc/[pid]/cgroup"), proc(5) (/proc/mounts), systemd's
 *      src/basic/cgroup-util.c (cg_unified_cached) for the same decision.
 */
#include "cgroups/cgroup_impl.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

int cg_failx(struct mr_err *err, int errnum, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->errnum = errnum;
	}
	errno = errnum;
	return -1;
}

/* Controller name <-> bit. v1 names that v2 folded into another controller map there. */
static const struct {
	const char *name;
	unsigned bit;
} controllers[] = {
	{"cpu", CG_CPU},           {"cpuset", CG_CPUSET}, {"io", CG_IO},
	{"memory", CG_MEMORY},     {"pids", CG_PIDS},     {"hugetlb", CG_HUGETLB},
	{"cpuacct", CG_CPU},       {"blkio", CG_IO},      {"net_cls", CG_NET_CLS},
	{"net_prio", CG_NET_PRIO},
};
#define N_CONTROLLERS (sizeof(controllers) / sizeof(controllers[0]))

/* v1 controllers that count as "real" for mode detection (name=systemd does not) */
static const char *const v1_known[] = {"cpu",     "cpuacct", "cpuset", "memory",     "devices",
				       "freezer", "net_cls", "blkio",  "perf_event", "net_prio",
				       "hugetlb", "pids",    "rdma",   "misc",       NULL};

const char *cg_controller_name(unsigned bit)
{
	for (size_t i = 0; i < N_CONTROLLERS; i++)
		if (controllers[i].bit == bit)
			return controllers[i].name;
	return NULL;
}

unsigned cg_controller_bit(const char *name)
{
	for (size_t i = 0; i < N_CONTROLLERS; i++)
		if (!strcmp(controllers[i].name, name))
			return controllers[i].bit;
	return 0;
}

unsigned cg_v1_bits(const char *hier_controllers)
{
	char buf[64], *save = NULL;
	unsigned bits = 0;

	snprintf(buf, sizeof(buf), "%s", hier_controllers);
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save))
		bits |= cg_controller_bit(c);
	return bits;
}

const char *cg_mode_name(enum cg_mode mode)
{
	static const char *const names[] = {"unified", "hybrid", "legacy"};
	return mode <= CG_LEGACY ? names[mode] : "?";
}

/* true if NAME is one of the words of the comma list LIST */
static bool in_list(const char *name, const char *list)
{
	size_t n = strlen(name);
	for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* true if the comma lists A and B hold the same names, in any order ("cpu,cpuacct") */
static bool same_set(const char *a, const char *b)
{
	char buf[64], *save = NULL;
	int na = 0, nb = 1;

	for (const char *p = b; *p; p++)
		nb += *p == ',';
	snprintf(buf, sizeof(buf), "%s", a);
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save), na++)
		if (!in_list(c, b))
			return false;
	return na == nb;
}

const struct cg_hier *cg_v1_hier(const struct cg_system *sys, const char *controller)
{
	for (int i = 0; i < sys->n_v1; i++) {
		char buf[64], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", sys->v1[i].controllers);
		for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save))
			if (!strcmp(c, controller))
				return &sys->v1[i];
	}
	return NULL;
}

/* Undo the octal escapes /proc/self/mounts uses for space, tab, newline and backslash. */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* The v1 controllers named in a mount's options ("rw,relatime,cpu,cpuacct" -> "cpu,cpuacct"). */
static void v1_controllers_of(const char *opts, char *out, size_t size)
{
	char buf[512], *save = NULL;
	size_t n = 0;

	out[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", opts);
	for (char *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		for (const char *const *k = v1_known; *k; k++)
			if (!strcmp(o, *k)) {
				n += snprintf(out + n, n < size ? size - n : 0, "%s%s",
					      n ? "," : "", o);
				break;
			}
	}
}

int cg_detect_text(const char *mounts, const char *self_cgroup, struct cg_system *sys,
		   struct mr_err *err)
{
	_cleanup_free_ char *m = strdup(mounts), *c = strdup(self_cgroup);
	char *save = NULL;

	memset(sys, 0, sizeof(*sys));
	if (!m || !c)
		return mr_fail(err, ENOMEM, "detect cgroups");
	for (char *line = strtok_r(m, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dev[256], mnt[256], type[32], opts[512];
		if (sscanf(line, "%255s %255s %31s %511s", dev, mnt, type, opts) != 4)
			continue;
		unescape(mnt);
		if (mnt[0] != '/')
			continue; /* the kernel writes absolute mount points: not a mount line */
		if (!strcmp(type, "cgroup2") && !sys->v2_mount[0]) {
			snprintf(sys->v2_mount, sizeof(sys->v2_mount), "%s", mnt);
		} else if (!strcmp(type, "cgroup") && sys->n_v1 < CG_MAX_HIER) {
			struct cg_hier *h = &sys->v1[sys->n_v1];
			v1_controllers_of(opts, h->controllers, sizeof(h->controllers));
			if (!h->controllers[0])
				continue; /* name=systemd and friends: a tree with no controller */
			bool dup = false;
			for (int i = 0; i < sys->n_v1; i++)
				dup |= !strcmp(sys->v1[i].controllers, h->controllers);
			if (dup)
				continue; /* the same hierarchy mounted twice: the first will do */
			snprintf(h->mount, sizeof(h->mount), "%s", mnt);
			sys->n_v1++;
		}
	}
	/* "ID:CONTROLLERS:PATH"; PATH may itself hold ':' so split at the first two only */
	for (char *line = strtok_r(c, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		const char *ctl = c1 + 1, *path = c2 + 1;
		if (path[0] != '/')
			continue; /* the kernel writes absolute cgroup paths: not a cgroup line */
		if (!*ctl && !strncmp(line, "0:", 2)) {
			snprintf(sys->v2_own, sizeof(sys->v2_own), "%s", path);
			continue;
		}
		for (int i = 0; i < sys->n_v1; i++)
			if (same_set(sys->v1[i].controllers, ctl))
				snprintf(sys->v1[i].own, sizeof(sys->v1[i].own), "%s", path);
	}
	for (int i = 0; i < sys->n_v1; i++)
		if (!sys->v1[i].own[0]) /* mounted, but we are in no cgroup of it: its root */
			snprintf(sys->v1[i].own, sizeof(sys->v1[i].own), "/");
	if (sys->v2_mount[0] && !sys->v2_own[0])
		snprintf(sys->v2_own, sizeof(sys->v2_own), "/");
	if (!sys->v2_mount[0] && !sys->n_v1)
		return cg_failx(
			err, ENOENT,
			"no cgroup filesystem is mounted (mount -t cgroup2 none /sys/fs/cgroup)");
	sys->mode = !sys->n_v1 ? CG_UNIFIED : sys->v2_mount[0] ? CG_HYBRID : CG_LEGACY;
	return 0;
}

/* The one mount line of a unified host (the top of this file) */
#define UNIFIED_MOUNTS "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"

int cg_detect(struct cg_system *sys, struct mr_err *err)
{
	_cleanup_free_ char *mounts = NULL, *self = NULL;
	struct statfs fs;

	bool unified = statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
	if ((!unified && mr_read_file("/proc/self/mounts", &mounts, NULL, err) < 0) ||
	    mr_read_file("/proc/self/cgroup", &self, NULL, err) < 0)
		return -1;
	if (cg_detect_text(unified ? UNIFIED_MOUNTS : mounts, self, sys, err) < 0)
		return -1;
	mr_say("cgroup mode: %s (v2 at %s, %d v1 hierarchies)", cg_mode_name(sys->mode),
	       sys->v2_mount[0] ? sys->v2_mount : "-", sys->n_v1);
	return 0;
}

int cg_build_path(const char *own, const char *path, bool below_own, char *out, size_t size,
		  struct mr_err *err)
{
	char buf[PATH_MAX];
	size_t ownlen = strlen(own);
	bool own_root = !strcmp(own, "/");

	if (!path || !*path)
		return cg_failx(err, EINVAL, "an empty cgroup path (give a name: mr-x)");
	if (path[0] != '/' ||
	    (below_own && !own_root &&
	     !(!strncmp(path, own, ownlen) && (!path[ownlen] || path[ownlen] == '/'))))
		snprintf(buf, sizeof(buf), "%s/%s", own, path);
	else
		snprintf(buf, sizeof(buf), "%s", path);
	/* normalise: split on '/', refuse . and .., join with single slashes */
	size_t n = 0;
	char *save = NULL;
	out[0] = '\0';
	for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "..") || !strcmp(c, "."))
			return cg_failx(
				err, EINVAL,
				"cgroup path '%s' holds '%s' (it must stay inside the hierarchy: "
				"give a plain path like mr-x/child)",
				path, c);
		n += snprintf(out + n, n < size ? size - n : 0, "/%s", c);
	}
	if (n >= size)
		return mr_fail(err, ENAMETOOLONG, "cgroup path '%s'", path);
	if (!n)
		snprintf(out, size, "/");
	return 0;
}

/* If PATH is MOUNT or lies below it, the part after MOUNT ("/x", or "/"), else NULL. */
static const char *below_mount(const char *path, const char *mount)
{
	size_t n = strlen(mount);
	if (!n || strncmp(path, mount, n) || (path[n] && path[n] != '/'))
		return NULL;
	return path[n] ? path + n : "/";
}

int cg_fs_path(const struct cg_system *sys, const char *path, int *hier, char *inner, size_t size,
	       struct mr_err *err)
{
	int best = -2;
	size_t bestlen = 0;

	if (path[0] != '/')
		return 0;
	/* the longest mount that holds PATH (the v2 tree may sit inside /sys/fs/cgroup) */
	if (below_mount(path, sys->v2_mount)) {
		best = -1;
		bestlen = strlen(sys->v2_mount);
	}
	for (int i = 0; i < sys->n_v1; i++)
		if (below_mount(path, sys->v1[i].mount) && strlen(sys->v1[i].mount) > bestlen) {
			best = i;
			bestlen = strlen(sys->v1[i].mount);
		}
	if (best != -2) {
		*hier = best;
		snprintf(inner, size, "%s", path[bestlen] ? path + bestlen : "/");
		return 1;
	}
	/* A path into the filesystem that is no cgroup: /tmp, /sys/fs/cgroup/nothing, /etc.
	 * Cgroup names hardly ever match a top-level directory, so one that exists means the
	 * user gave a filesystem path, not a cgroup path. */
	char top[PATH_MAX];
	struct stat st;
	snprintf(top, sizeof(top), "%s", path);
	char *slash = strchr(top + 1, '/');
	if (slash)
		*slash = '\0';
	if (stat(top, &st) == 0 || !strncmp(path, "/sys/fs/cgroup", 14))
		return cg_failx(
			err, EINVAL,
			"'%s' is outside the cgroup hierarchy (give a cgroup path like mr-x, "
			"or a directory under %s)",
			path, sys->v2_mount[0] ? sys->v2_mount : sys->v1[0].mount);
	return 0;
}
