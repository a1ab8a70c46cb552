/*
 * minirun/containers/mountpoints.c - the empty files and directories the runtime made in a
 * container's upper dir only to mount on them: found here, left out by diff and commit.
 *
 *	run -v /newvol/deep --tmpfs /scratch busybox ...     upper dir afterwards:
 *	  etc/           (copied up by overlay to hold the next two)
 *	  etc/hosts      empty: the mount point of the container's hosts file
 *	  etc/resolv.conf
 *	  newvol/        made by the runtime's mkdir -p
 *	  newvol/deep/   empty: the volume's mount point
 *	  scratch/       empty: the tmpfs's mount point
 *
 * None of those is a change the container made; docker's runtime makes the same ones in an
 * "init" layer below the container's, so they never show. A mount point is litter only while
 * it is as the runtime left it: empty, and absent from the image (a file the image has was
 * mounted over, not made). A directory above is litter when it holds nothing else, is not
 * opaque, and is new or has the image's mode and owner.
 *
 * See: mountpoints.h; Documentation/filesystems/overlayfs.rst (copy up, opaque directories)
 */
#include "minirun/containers/mountpoints.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/cleanup.h"
#include "lib/inroot.h"
#include "unionfs/overlay.h"

/* the destinations a runtime makes whatever the container's flags (docker's init layer has
 * the same: hosts files, /dev and its mounts, /proc, /sys, --init's binary) */
static const char *const runtime_mountpoints[] = {
	"/etc/hosts", "/etc/hostname",  "/etc/resolv.conf", "/etc/mtab",         "/dev",
	"/dev/pts",   "/dev/shm",       "/dev/mqueue",      "/dev/console",      "/proc",
	"/sys",       "/sys/fs/cgroup", "/.dockerenv",      "/sbin/docker-init", "/dev/init",
	NULL,
};

/* a growing NULL-terminated array of strings */
struct paths {
	char **v;
	size_t n, cap;
};

static void paths_add(struct paths *p, const char *s, size_t len)
{
	if (p->n + 2 > p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		char **v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return;
		p->v = v;
		p->cap = cap;
	}
	char *copy = strndup(s, len);
	if (!copy)
		return;
	p->v[p->n++] = copy;
	p->v[p->n] = NULL;
}

/* the array of P, never NULL */
static char **paths_take(struct paths *p)
{
	if (!p->v)
		p->v = calloc(1, sizeof(*p->v));
	return p->v;
}

void container_paths_free(char **paths)
{
	for (size_t i = 0; paths && paths[i]; i++)
		free(paths[i]);
	free(paths);
}

bool container_path_listed(char *const *list, const char *path)
{
	while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
		path += path[0] == '/' ? 1 : 2;
	size_t len = strlen(path);
	while (len && path[len - 1] == '/')
		len--;
	for (size_t i = 0; list && list[i]; i++) {
		const char *l = list[i] + strspn(list[i], "/");
		if (strlen(l) == len && !strncmp(l, path, len))
			return true;
	}
	return false;
}

/* add the absolute path P without its trailing slashes */
static void add_clean(struct paths *out, const char *p)
{
	size_t len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		len--;
	if (p[0] == '/' && len > 1)
		paths_add(out, p, len);
}

char **container_mountpoints(const struct container *c)
{
	struct paths out = {0};
	size_t i;
	for (i = 0; runtime_mountpoints[i]; i++)
		add_clean(&out, runtime_mountpoints[i]);
	for (i = 0; i < c->r.nmounts; i++)
		if (c->r.mounts[i].destination)
			add_clean(&out, c->r.mounts[i].destination);
	for (i = 0; i < c->r.host.tmpfs.n; i++)
		add_clean(&out, c->r.host.tmpfs.kv[i].key);
	return paths_take(&out);
}

/* PATH below the directory ROOTFD, opened with FLAGS and no symlink followed on the way
 * nor at the end (O_PATH | O_NOFOLLOW gives a symlink itself): the upper and lower dirs
 * are the container's and the image's, and a symlink there (/etc -> /root) must not lead
 * a check of ours to the host's files. -1 when absent or reached through a symlink: such
 * a path is no mount point the runtime left. */
static int open_below(int rootfd, const char *path, int flags)
{
	return mr_open_in_root(rootfd, path, flags | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
}

/* lstat of PATH below the directory ROOT, as open_below reaches it: 0 or -1 */
static int lstat_below(const char *root, const char *path, struct stat *st)
{
	_cleanup_close_ int r = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int fd = r < 0 ? -1 : open_below(r, path, O_PATH);
	return fd < 0 ? -1 : fstat(fd, st);
}

/* does the image have PATH? The first lower that has it decides (a whiteout: no); its
 * stat to *st (may be NULL) */
static bool in_image(char *const *lowers, const char *path, struct stat *st)
{
	struct stat sb;
	for (size_t i = 0; lowers && lowers[i]; i++) {
		if (lstat_below(lowers[i], path, &sb) == 0) {
			if (st)
				*st = sb;
			return !ovl_is_whiteout(&sb);
		}
	}
	return false;
}

/* does the upper's copy of PATH (a directory below UPPERFD) hold nothing but LITTER? */
static bool holds_only(int upperfd, const char *path, const struct paths *litter)
{
	int fd = open_below(upperfd, path, O_RDONLY | O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	bool only = d != NULL;
	if (!d && fd >= 0)
		close(fd);
	while (d && only && (e = readdir(d))) {
		char sub[PATH_MAX];
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		only = container_path_listed(litter->v, sub);
	}
	if (d)
		closedir(d);
	return only;
}

static int deeper_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la > lb ? -1 : la < lb;
}

int container_mountpoint_litter(const char *upper, char *const *lowers, char *const *mps,
				char ***out, struct mr_err *err)
{
	struct paths litter = {0}, above = {0}, order = {0};
	struct stat st, lst;
	_cleanup_close_ int upperfd = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (upperfd < 0)
		return mr_fail(err, errno, "open '%s'", upper);
	/* deepest first: a mount point below another (-v /a -v /a/b) is decided before it */
	for (size_t i = 0; mps && mps[i]; i++)
		paths_add(&order, mps[i], strlen(mps[i]));
	if (order.v)
		qsort(order.v, order.n, sizeof(*order.v), deeper_first);
	for (size_t i = 0; i < order.n; i++) {
		const char *m = order.v[i];
		_cleanup_close_ int fd = open_below(upperfd, m, O_PATH);
		if (fd < 0 || fstat(fd, &st) < 0 || in_image(lowers, m, NULL))
			continue;
		if (!(S_ISREG(st.st_mode) && st.st_size == 0) &&
		    !(S_ISDIR(st.st_mode) && holds_only(upperfd, m, &litter)))
			continue; /* the container wrote there (before the mount, or cp did) */
		paths_add(&litter, m, strlen(m));
		/* its directories, "/a/b" for "/a/b/c", then "/a" (repeats are harmless) */
		for (const char *s = strrchr(m, '/'); s && s > m;
		     s = memrchr(m, '/', (size_t)(s - m)))
			paths_add(&above, m, (size_t)(s - m));
	}
	container_paths_free(order.v);
	if (above.v)
		qsort(above.v, above.n, sizeof(*above.v), deeper_first);
	for (size_t i = 0; i < above.n; i++) {
		const char *d = above.v[i];
		if (container_path_listed(litter.v, d))
			continue; /* a second mount point's parent, or a repeat */
		_cleanup_close_ int fd = open_below(upperfd, d, O_PATH);
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    ovl_is_opaque(fd, "", NULL) == 1)
			continue;
		if (in_image(lowers, d, &lst) &&
		    !(S_ISDIR(lst.st_mode) && lst.st_mode == st.st_mode &&
		      lst.st_uid == st.st_uid && lst.st_gid == st.st_gid))
			continue; /* the container changed its mode or owner */
		if (holds_only(upperfd, d, &litter))
			paths_add(&litter, d, strlen(d));
	}
	container_paths_free(above.v);
	*out = paths_take(&litter);
	return 0;
}
