/*
 * minirun/scan/rootview.c - an image's files as a container would see them, read from the
 * unpacked layers one by one, without mounting anything.
 *
 * The store keeps each layer unpacked in overlay form (minirun/image/image.h,
 * unionfs/layer.h): what a layer deletes is a whiteout (a character device 0/0 under the
 * deleted name), and a directory a layer replaced wholesale carries the xattr
 * trusted.overlay.opaque=y. overlayfs merges such a stack at lookup time, top-most layer
 * first; this file does the same lookup by hand, which is what a scanner needs (a few
 * files out of thousands, no mount, no privileges beyond reading the store):
 *
 *   for each layer, top-most first:
 *       walk the path's components in that layer
 *       a component that is a whiteout         -> the path is gone (stop)
 *       a directory on the way that is opaque  -> this layer is the last to look in
 *       a component missing                    -> look in the next layer
 *       the whole path there                   -> found (this layer's copy wins)
 *
 * Listing a directory merges the listings of every layer down to the first opaque one,
 * dropping names a higher layer whited out. Symlinks are followed inside the image
 * (an absolute target starts again at the image's /, ".." stops there), at most 40 of
 * them, as path_resolution(7) allows.
 *
 * See: Documentation/filesystems/overlayfs.rst ("whiteouts and opaque directories"),
 *      https://github.com/opencontainers/image-spec/blob/main/layer.md, path_resolution(7).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "minirun/scan/scan.h"
#include "unionfs/overlay.h"

#define MAX_LINKS 40
#define MAX_FILE  (256u << 20)

enum reach { R_NONE, R_FOUND, R_HIDDEN };

/*
 * reach - what layer directory DIR holds at PATH (already free of symlinks, "" for the
 * root): R_FOUND with *st and, in *parent, an fd of the directory holding it (the caller
 * closes it; the layer directory itself for ""); R_NONE when this layer has nothing there
 * and the layers below must be asked; R_HIDDEN when this layer hides the path from the
 * layers below (a whiteout, an opaque directory, a non-directory on the way).
 * -1 with err on an error other than "not there".
 */
static int reach(const char *dir, const char *path, struct stat *st, int *parent,
		 struct mr_err *err)
{
	_cleanup_close_ int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int hidden_below = 0;
	char comp[NAME_MAX + 1];
	if (fd < 0)
		return mr_fail(err, errno, "open layer '%s'", dir);
	if (!*path) {
		if (fstat(fd, st) < 0)
			return mr_fail(err, errno, "stat layer '%s'", dir);
		*parent = mr_steal_fd(&fd);
		return R_FOUND;
	}
	for (const char *p = path;;) {
		size_t n = strcspn(p, "/");
		if (n > NAME_MAX)
			return mr_fail(err, ENAMETOOLONG, "'%s'", path);
		memcpy(comp, p, n);
		comp[n] = 0;
		if (fstatat(fd, comp, st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT && errno != ENOTDIR)
				return mr_fail(err, errno, "stat '%s/%s'", dir, path);
			return hidden_below ? R_HIDDEN : R_NONE;
		}
		if (ovl_is_whiteout(st))
			return R_HIDDEN;
		if (!p[n]) {
			*parent = mr_steal_fd(&fd);
			return R_FOUND;
		}
		if (!S_ISDIR(st->st_mode))
			return R_HIDDEN; /* a file here shadows any directory the layers below have */
		int opq = ovl_is_opaque(fd, comp, err);
		if (opq < 0)
			return -1;
		hidden_below |= opq;
		int sub = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			return mr_fail(err, errno, "open '%s/%.*s'", dir, (int)(p + n - path),
				       path);
		close(fd);
		fd = sub;
		p += n + 1;
	}
}

/* merged - the merged tree's entry at PATH (symlink-free): 1 with the layer's index in
 * *layer, *st and *parent (the caller closes it); 0 when there is none */
static int merged(const struct rootview *v, const char *path, struct stat *st, int *parent,
		  size_t *layer, struct mr_err *err)
{
	for (size_t i = 0; i < v->n; i++) {
		int r = reach(v->dirs[i], path, st, parent, err);
		if (r < 0)
			return -1;
		if (r == R_FOUND) {
			*layer = i;
			return 1;
		}
		if (r == R_HIDDEN)
			return 0;
	}
	return 0;
}

static const char *last_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/*
 * resolve - PATH resolved through the merged tree into OUT (no symlink left, relative to
 * the image's /), following a final symlink too. 1 and *st, *parent (caller closes), *layer
 * when it exists; 0 when it does not; -1 with err (ELOOP after MAX_LINKS symlinks).
 */
static int resolve(const struct rootview *v, const char *path, char out[PATH_MAX], struct stat *st,
		   int *parent, size_t *layer, struct mr_err *err)
{
	char rest[2 * PATH_MAX], tmp[2 * PATH_MAX], target[PATH_MAX];
	int links = 0;
	if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest))
		return mr_fail(err, ENAMETOOLONG, "'%s'", path);
	out[0] = 0;
	*parent = -1;
	char *r = rest;
	for (;;) {
		while (*r == '/')
			r++;
		size_t n = strcspn(r, "/");
		if (n == 0)
			break;
		char comp[NAME_MAX + 1];
		if (n > NAME_MAX)
			return mr_fail(err, ENAMETOOLONG, "'%s'", path);
		memcpy(comp, r, n);
		comp[n] = 0;
		r += n;
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) { /* stops at the image's / */
			char *slash = strrchr(out, '/');
			*(slash ? slash : out) = 0;
			continue;
		}
		char cand[PATH_MAX];
		if (snprintf(cand, sizeof(cand), "%s%s%s", out, *out ? "/" : "", comp) >=
		    (int)sizeof(cand))
			return mr_fail(err, ENAMETOOLONG, "'%s'", path);
		if (*parent >= 0)
			close(*parent);
		*parent = -1;
		int found = merged(v, cand, st, parent, layer, err);
		if (found <= 0)
			return found;
		if (S_ISLNK(st->st_mode)) {
			if (++links > MAX_LINKS)
				return mr_fail(err, ELOOP, "'%s'", path);
			ssize_t len = readlinkat(*parent, comp, target, sizeof(target) - 1);
			if (len < 0)
				return mr_fail(err, errno, "readlink '%s'", cand);
			target[len] = 0;
			if (target[0] == '/')
				out[0] = 0; /* an absolute target starts again at the image's / */
			if (snprintf(tmp, sizeof(tmp), "%s/%s", target, r) >= (int)sizeof(tmp))
				return mr_fail(err, ENAMETOOLONG, "'%s'", path);
			memcpy(rest, tmp, sizeof(rest));
			r = rest;
			continue;
		}
		memcpy(out, cand, strlen(cand) + 1);
	}
	/* look the result up once more: the loop's last lookup may have been of another
	 * entry (a path ending in ".." or "."), or of none (the image's / itself) */
	if (*parent >= 0)
		close(*parent);
	*parent = -1;
	return merged(v, out, st, parent, layer, err);
}

int rootview_lookup(const struct rootview *v, const char *path, size_t *layer, struct stat *st,
		    struct mr_err *err)
{
	int parent = -1;
	struct stat sb;
	int r = merged(v, path, st ? st : &sb, &parent, layer, err);
	if (parent >= 0)
		close(parent);
	return r;
}

/* open_at_parent - open the entry at PATH (symlink-free) below its directory fd PARENT */
static int open_at_parent(int parent, const char *path, int flags)
{
	if (!*path)
		return openat(parent, ".", flags | O_CLOEXEC);
	return openat(parent, last_name(path), flags | O_NOFOLLOW | O_CLOEXEC);
}

int rootview_read(const struct rootview *v, const char *path, char **out, size_t *len,
		  struct mr_err *err)
{
	char real[PATH_MAX];
	struct stat st;
	size_t layer;
	_cleanup_close_ int parent = -1;
	int r = resolve(v, path, real, &st, &parent, &layer, err);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	if (!S_ISREG(st.st_mode))
		return mr_failk(err, MR_E_INVALID, 0, "'%s' in the image is not a regular file",
				path);
	if ((unsigned long long)st.st_size > MAX_FILE)
		return mr_failk(err, MR_E_INVALID, 0, "'%s' in the image is larger than %u MiB",
				path, MAX_FILE >> 20);
	_cleanup_close_ int fd = open_at_parent(parent, real, O_RDONLY);
	if (fd < 0)
		return mr_fail(err, errno, "open '%s/%s'", v->dirs[layer], real);
	_cleanup_free_ char *buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	if (!buf)
		return mr_fail(err, ENOMEM, "read '%s'", path);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mr_fail(err, errno, "read '%s/%s'", v->dirs[layer], real);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = 0;
	if (len)
		*len = got;
	*out = mr_steal_ptr(&buf);
	return 0;
}

void rootview_names_free(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* a name seen while merging: whited out or listed */
struct seen {
	char **names;
	char *gone; /* 1: a higher layer whited it out */
	size_t n, cap;
};

static int seen_has(const struct seen *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return 1;
	return 0;
}

static int seen_add(struct seen *s, const char *name, int gone)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 32;
		char **nn = realloc(s->names, cap * sizeof(*nn));
		if (!nn)
			return -1;
		s->names = nn;
		char *ng = realloc(s->gone, cap);
		if (!ng)
			return -1;
		s->gone = ng;
		s->cap = cap;
	}
	if (!(s->names[s->n] = strdup(name)))
		return -1;
	s->gone[s->n++] = (char)gone;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_layer - add the names of directory fd DIRFD (one layer's copy) to S */
static int list_layer(int dirfd, struct seen *s, const char *what, struct mr_err *err)
{
	int fd = dup(dirfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return mr_fail(err, errno, "list '%s'", what);
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || seen_has(s, e->d_name))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			closedir(d);
			return mr_fail(err, errno, "stat '%s/%s'", what, e->d_name);
		}
		if (seen_add(s, e->d_name, ovl_is_whiteout(&st)) < 0) {
			closedir(d);
			return mr_fail(err, ENOMEM, "list '%s'", what);
		}
	}
	closedir(d);
	return 0;
}

int rootview_list(const struct rootview *v, const char *dir, char ***names, struct mr_err *err)
{
	char real[PATH_MAX];
	struct stat st;
	size_t layer;
	struct seen s = {0};
	int rc = -1;
	_cleanup_close_ int parent = -1;
	int r = resolve(v, dir, real, &st, &parent, &layer, err);
	if (r < 0)
		return -1;
	if (r == 1 && !S_ISDIR(st.st_mode))
		return mr_failk(err, MR_E_INVALID, ENOTDIR, "'%s' in the image", dir);
	/* the layers from the top-most that has the directory down, until one hides the rest */
	for (size_t i = r == 1 ? layer : v->n; i < v->n; i++) {
		int p = -1;
		int got = reach(v->dirs[i], real, &st, &p, err);
		if (got < 0)
			goto out;
		if (got != R_FOUND || !S_ISDIR(st.st_mode)) {
			if (p >= 0)
				close(p);
			if (got == R_NONE)
				continue;
			break;
		}
		int fd = open_at_parent(p, real, O_RDONLY | O_DIRECTORY);
		close(p);
		if (fd < 0) {
			mr_fail(err, errno, "open '%s/%s'", v->dirs[i], real);
			goto out;
		}
		int opq = ovl_is_opaque(fd, "", err);
		int lr = opq < 0 ? -1 : list_layer(fd, &s, real, err);
		close(fd);
		if (lr < 0)
			goto out;
		if (opq)
			break;
	}
	char **list = calloc(s.n + 1, sizeof(*list));
	size_t k = 0;
	if (!list) {
		mr_fail(err, ENOMEM, "list '%s'", dir);
		goto out;
	}
	for (size_t i = 0; i < s.n; i++)
		if (!s.gone[i]) {
			list[k++] = s.names[i];
			s.names[i] = NULL;
		}
	qsort(list, k, sizeof(*list), by_name);
	*names = list;
	rc = 0;
out:
	for (size_t i = 0; i < s.n; i++)
		free(s.names[i]);
	free(s.names);
	free(s.gone);
	return rc;
}
