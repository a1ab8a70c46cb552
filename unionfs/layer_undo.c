/*
 * unionfs/layer_undo.c - the safety machinery under layer_apply: resolving a path beneath
 * the target without following symlinks, removing trees without following symlinks, the
 * set of paths a layer created, and the undo journal that makes applying a layer onto an
 * existing tree all-or-nothing.
 *
 * Resolving beneath the target: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS does
 * in one call what a careful extractor otherwise does one component at a time: refuse
 * "..", absolute symlinks, relative symlinks, magic links and (RESOLVE_NO_XDEV) mount
 * points on the way. Kernels before 5.6 lack openat2; there the same walk is done by
 * hand, one openat(O_PATH|O_NOFOLLOW) per component, checking each is a directory
 * (UNIONFS_NO_OPENAT2=1 in the environment forces this walk, so tests cover it anywhere).
 *
 * See: openat2(2), path_resolution(7)
 */
#include "unionfs/layer_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/cleanup.h"

/* ---- resolving beneath the root ------------------------------------------------------ */

static int have_openat2 = -1; /* unknown until the first call */

/* the same walk by hand: one component at a time, never following a symlink */
static int open_beneath_walk(int rootfd, const char *rel, int flags)
{
	int fd = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char comp[256];
	const char *p = rel;
	while (fd >= 0 && *p) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		if (n >= sizeof(comp)) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		/* O_NOFOLLOW with O_PATH opens a symlink itself instead of failing: check type */
		int next = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) {
			close(fd);
			errno = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
			return -1;
		}
		p = *end ? end + 1 : end;
	}
	if (fd < 0 || (flags & O_PATH))
		return fd;
	int reopened = openat(fd, ".", flags | O_CLOEXEC);
	close(fd);
	return reopened;
}

int layer_open_beneath(int rootfd, const char *rel, int flags)
{
	flags |= O_DIRECTORY | O_CLOEXEC;
	if (!*rel)
		return openat(rootfd, ".", flags);
	if (have_openat2 < 0 && getenv("UNIONFS_NO_OPENAT2"))
		have_openat2 = 0; /* tests walk the fallback on kernels that have openat2 */
	if (have_openat2 != 0) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
				   RESOLVE_NO_XDEV,
		};
		int fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
		if (fd >= 0 || errno != ENOSYS) {
			have_openat2 = 1;
			return fd;
		}
		have_openat2 = 0; /* older kernel: walk by hand from now on */
	}
	return open_beneath_walk(rootfd, rel, flags);
}

/* ---- removing a tree ----------------------------------------------------------------- */

int layer_remove_tree(int dirfd, const char *name)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	/* a directory: empty it first; O_NOFOLLOW so a symlink swapped in is not entered */
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = layer_remove_tree(fd, de->d_name);
	closedir(d);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -1;
	return rc;
}

/* ---- pathset ------------------------------------------------------------------------- */

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t find_slot(char **slot, size_t cap, const char *path)
{
	size_t i = hash(path) & (cap - 1);
	while (slot[i] && strcmp(slot[i], path) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

int pathset_add(struct pathset *s, const char *path)
{
	if (2 * (s->n + 1) > s->cap) { /* keep at most half full: short probe runs */
		size_t cap = s->cap ? 2 * s->cap : 1024;
		char **slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i])
				slot[find_slot(slot, cap, s->slot[i])] = s->slot[i];
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	size_t i = find_slot(s->slot, s->cap, path);
	if (s->slot[i])
		return 0;
	if (!(s->slot[i] = strdup(path)))
		return -1;
	s->n++;
	return 0;
}

int pathset_has(const struct pathset *s, const char *path)
{
	return s->cap && s->slot[find_slot(s->slot, s->cap, path)] != NULL;
}

void pathset_free(struct pathset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	*s = (struct pathset){0};
}

/* ---- the undo journal ---------------------------------------------------------------- */

enum undo_kind { UNDO_CREATED, UNDO_DISPLACED, UNDO_META };

struct undo_meta {
	struct stat st;
	char *xattrs; /* "name\0" list as listxattr returns it */
	ssize_t xlen;
	char **values;
	ssize_t *vlens;
	size_t nx;
};

struct undo_rec {
	enum undo_kind kind;
	char *rel;          /* the path below the root */
	unsigned long slot; /* DISPLACED: its name in the undo directory */
	struct undo_meta *meta;
};

struct layer_undo {
	char dirname[64]; /* LAYER_UNDO_PREFIX + random */
	int dirfd;
	struct undo_rec *rec;
	size_t n, cap;
	unsigned long next_slot;
	struct pathset saved; /* directories whose metadata is already saved */
};

static int push(struct layer_undo *u, enum undo_kind kind, const char *rel)
{
	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 256;
		struct undo_rec *r = realloc(u->rec, cap * sizeof(*r));
		if (!r)
			return -1;
		u->rec = r;
		u->cap = cap;
	}
	u->rec[u->n] = (struct undo_rec){.kind = kind, .rel = strdup(rel)};
	if (!u->rec[u->n].rel)
		return -1;
	u->n++;
	return 0;
}

int undo_begin(int rootfd, struct layer_undo **out, struct mr_err *err)
{
	struct layer_undo *u = calloc(1, sizeof(*u));
	if (!u)
		return mr_fail(err, ENOMEM, "undo journal");
	u->dirfd = -1;
	/* the root's own mtime changes when the undo directory appears: save it first */
	if (undo_save_meta(u, rootfd, "") < 0) {
		undo_free(u);
		return mr_fail(err, errno, "save metadata of the target");
	}
	for (int tries = 0; tries < 100; tries++) {
		snprintf(u->dirname, sizeof(u->dirname), "%s%06lx", LAYER_UNDO_PREFIX,
			 (unsigned long)random() & 0xffffff);
		if (mkdirat(rootfd, u->dirname, 0700) == 0)
			break;
		if (errno != EEXIST) {
			undo_free(u);
			return mr_fail(err, errno, "create the undo directory in the target");
		}
	}
	u->dirfd = openat(rootfd, u->dirname, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (u->dirfd < 0) {
		int e = errno;
		unlinkat(rootfd, u->dirname, AT_REMOVEDIR);
		undo_free(u);
		return mr_fail(err, e, "open the undo directory");
	}
	*out = u;
	return 0;
}

const char *undo_dirname(const struct layer_undo *u)
{
	return u->dirname;
}

int undo_created(struct layer_undo *u, const char *rel)
{
	return push(u, UNDO_CREATED, rel);
}

int undo_displace(struct layer_undo *u, int parentfd, const char *base, const char *rel)
{
	char slot[32];
	snprintf(slot, sizeof(slot), "%lu", u->next_slot);
	if (renameat(parentfd, base, u->dirfd, slot) < 0)
		return -1;
	if (push(u, UNDO_DISPLACED, rel) < 0) {
		renameat(u->dirfd, slot, parentfd, base); /* put it straight back */
		return -1;
	}
	u->rec[u->n - 1].slot = u->next_slot++;
	return 0;
}

static void free_meta(struct undo_meta *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nx; i++)
		free(m->values[i]);
	free(m->values);
	free(m->vlens);
	free(m->xattrs);
	free(m);
}

/* read every xattr of the open directory fd into m */
static int read_xattrs(int fd, struct undo_meta *m)
{
	m->xlen = flistxattr(fd, NULL, 0);
	if (m->xlen < 0)
		return errno == ENOTSUP ? (m->xlen = 0) : -1;
	if (m->xlen == 0)
		return 0;
	if (!(m->xattrs = malloc((size_t)m->xlen)) ||
	    (m->xlen = flistxattr(fd, m->xattrs, (size_t)m->xlen)) < 0)
		return -1;
	for (char *k = m->xattrs; k < m->xattrs + m->xlen; k += strlen(k) + 1)
		m->nx++;
	m->values = calloc(m->nx, sizeof(*m->values));
	m->vlens = calloc(m->nx, sizeof(*m->vlens));
	if (!m->values || !m->vlens)
		return -1;
	size_t i = 0;
	for (char *k = m->xattrs; k < m->xattrs + m->xlen; k += strlen(k) + 1, i++) {
		m->vlens[i] = fgetxattr(fd, k, NULL, 0);
		if (m->vlens[i] < 0 || !(m->values[i] = malloc((size_t)m->vlens[i] + 1)) ||
		    (m->vlens[i] = fgetxattr(fd, k, m->values[i], (size_t)m->vlens[i])) < 0)
			return -1;
	}
	return 0;
}

int undo_save_meta(struct layer_undo *u, int rootfd, const char *rel)
{
	if (pathset_has(&u->saved, rel))
		return 0;
	_cleanup_close_ int fd = layer_open_beneath(rootfd, rel, O_RDONLY);
	if (fd < 0)
		return -1;
	struct undo_meta *m = calloc(1, sizeof(*m));
	if (!m || fstat(fd, &m->st) < 0 || read_xattrs(fd, m) < 0 ||
	    pathset_add(&u->saved, rel) < 0 || push(u, UNDO_META, rel) < 0) {
		free_meta(m);
		return -1;
	}
	u->rec[u->n - 1].meta = m;
	return 0;
}

/* put a directory's saved metadata back: xattrs (removing new ones), owner, mode, times */
static int restore_meta(int fd, const struct undo_meta *m)
{
	int rc = 0;
	ssize_t len = flistxattr(fd, NULL, 0);
	if (len > 0) {
		char *now = malloc((size_t)len);
		if (now && (len = flistxattr(fd, now, (size_t)len)) > 0)
			for (char *k = now; k < now + len; k += strlen(k) + 1) {
				int kept = 0;
				for (char *o = m->xattrs; o && o < m->xattrs + m->xlen;
				     o += strlen(o) + 1)
					kept |= strcmp(o, k) == 0;
				if (!kept && fremovexattr(fd, k) < 0)
					rc = -1;
			}
		free(now);
	}
	size_t i = 0;
	for (char *k = m->xattrs; k && k < m->xattrs + m->xlen; k += strlen(k) + 1, i++)
		if (fsetxattr(fd, k, m->values[i], (size_t)m->vlens[i], 0) < 0)
			rc = -1;
	if (fchown(fd, m->st.st_uid, m->st.st_gid) < 0 && errno != EPERM)
		rc = -1;
	if (fchmod(fd, m->st.st_mode & 07777) < 0)
		rc = -1;
	struct timespec ts[2] = {m->st.st_atim, m->st.st_mtim};
	if (futimens(fd, ts) < 0)
		rc = -1;
	return rc;
}

/* split REL into its parent's fd (resolved beneath the root) and its last component */
static int open_parent(int rootfd, const char *rel, const char **base)
{
	const char *slash = strrchr(rel, '/');
	*base = slash ? slash + 1 : rel;
	if (!slash)
		return openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char parent[4096];
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rel), rel);
	return layer_open_beneath(rootfd, parent, O_PATH);
}

int undo_rollback(struct layer_undo *u, int rootfd)
{
	int rc = 0;
	for (size_t i = u->n; i-- > 0;) {
		struct undo_rec *r = &u->rec[i];
		const char *base;
		if (r->kind == UNDO_META) {
			_cleanup_close_ int fd = layer_open_beneath(rootfd, r->rel, O_RDONLY);
			if (fd < 0 || restore_meta(fd, r->meta) < 0)
				rc = -1;
			continue;
		}
		_cleanup_close_ int pfd = open_parent(rootfd, r->rel, &base);
		if (pfd < 0) {
			rc = -1;
			continue;
		}
		if (r->kind == UNDO_CREATED) {
			if (layer_remove_tree(pfd, base) < 0)
				rc = -1;
		} else {
			char slot[32];
			snprintf(slot, sizeof(slot), "%lu", r->slot);
			/* whatever the apply put in its place was created later: already removed */
			layer_remove_tree(pfd, base);
			if (renameat(u->dirfd, slot, pfd, base) < 0)
				rc = -1;
		}
	}
	if (layer_remove_tree(rootfd, u->dirname) < 0)
		rc = -1;
	/* the root's metadata was the first record: restore it again after removing the
	 * undo directory changed its mtime */
	if (u->n > 0 && u->rec[0].kind == UNDO_META) {
		_cleanup_close_ int fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || restore_meta(fd, u->rec[0].meta) < 0)
			rc = -1;
	}
	return rc;
}

int undo_commit(struct layer_undo *u, int rootfd)
{
	/* the root's mtime: removing the undo dir changes it, but the apply changed it too
	 * (if it touched the root at all); restore only the undo dir's effect */
	struct stat st;
	int have = fstatat(rootfd, "", &st, AT_EMPTY_PATH) == 0;
	int rc = layer_remove_tree(rootfd, u->dirname);
	if (have) {
		struct timespec ts[2] = {st.st_atim, st.st_mtim};
		utimensat(rootfd, ".", ts, 0);
	}
	return rc;
}

void undo_free(struct layer_undo *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++) {
		free(u->rec[i].rel);
		free_meta(u->rec[i].meta);
	}
	free(u->rec);
	pathset_free(&u->saved);
	if (u->dirfd >= 0)
		close(u->dirfd);
	free(u);
}
