/*
 * minirun/scan/rootwalk.c - every directory of an image's merged tree, walked once.
 *
 * rootview.c looks one path up through the layers; walking a whole tree that way would
 * look each directory's path up again from the root, in every layer. Here the walk
 * carries, for the directory it is in, the directory of each layer that contributes to it
 * (top-most first, down to the first opaque one), so each child is found by one
 * openat per layer:
 *
 *   a child that is a directory in the top-most layer that has it   -> descend, with that
 *       layer's copy and those of the layers below it, as long as they are directories
 *       too (a whiteout or a file below ends the list; so does an opaque copy, after it)
 *   a whiteout (character device 0/0)   -> the name is gone, from every layer below
 *   anything else                       -> an entry, not descended into
 *
 * Symlinks are entries, never followed: the walk ends on any tree.
 *
 * See: rootview.c, Documentation/filesystems/overlayfs.rst.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minirun/scan/scan.h"
#include "unionfs/overlay.h"

#define MAX_DEPTH 64

struct list {
	struct rootview_entry *e;
	char *gone;
	size_t n, cap;
};

static int find(const struct list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->e[i].name, name))
			return 1;
	return 0;
}

static int add(struct list *l, const char *name, int gone, int isdir)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct rootview_entry *ne = realloc(l->e, cap * sizeof(*ne));
		if (!ne)
			return -1;
		l->e = ne;
		char *ng = realloc(l->gone, cap);
		if (!ng)
			return -1;
		l->gone = ng;
		l->cap = cap;
	}
	if (!(l->e[l->n].name = strdup(name)))
		return -1;
	l->e[l->n].isdir = (unsigned char)isdir;
	l->e[l->n].skip = 0;
	l->gone[l->n++] = (char)gone;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct rootview_entry *)a)->name,
		      ((const struct rootview_entry *)b)->name);
}

/* read_layers - the merged entries of the directory whose copies are FDS[0..NFDS). Each fd
 * is a directory opened for this walk alone and read once, so getdents64 reads it from
 * where it was opened (offset 0), with no dup/fdopendir/rewind around it: a directory
 * costs open, getdents until empty, close. */
static int read_layers(const int *fds, size_t nfds, struct list *l, const char *path,
		       struct mr_err *err)
{
	char buf[32768] __attribute__((aligned(8)));
	for (size_t i = 0; i < nfds; i++) {
		for (;;) {
			long got = syscall(SYS_getdents64, fds[i], buf, sizeof(buf));
			if (got < 0)
				return mr_fail(err, errno, "list '%s'", path);
			if (got == 0)
				break;
			for (long off = 0; off < got;) {
				struct dirent64 *de = (struct dirent64 *)(void *)(buf + off);
				off += de->d_reclen;
				/* one layer's names are unique: only a lower copy can repeat one */
				if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
				    (i > 0 && find(l, de->d_name)))
					continue;
				int isdir = de->d_type == DT_DIR, gone = 0;
				if (de->d_type == DT_UNKNOWN || de->d_type == DT_CHR) {
					struct stat st;
					if (fstatat(fds[i], de->d_name, &st, AT_SYMLINK_NOFOLLOW) <
					    0)
						return mr_fail(err, errno, "stat '%s/%s'", path,
							       de->d_name);
					isdir = S_ISDIR(st.st_mode);
					gone = ovl_is_whiteout(&st);
				}
				if (add(l, de->d_name, gone, isdir) < 0)
					return mr_fail(err, ENOMEM, "list '%s'", path);
			}
		}
	}
	return 0;
}

/* child_fds - the layers' copies of directory NAME below FDS: into OUT, how many. Opened
 * with O_DIRECTORY|O_NOFOLLOW: ENOENT means the layer has no NAME (look lower), ENOTDIR or
 * ELOOP a file, whiteout or symlink (nothing below it shows). Opacity is asked only of a
 * copy with layers below it: the last one's can change nothing. */
static int child_fds(const int *fds, size_t nfds, const char *name, int *out, struct mr_err *err)
{
	size_t n = 0;
	for (size_t i = 0; i < nfds; i++) {
		int fd = openat(fds[i], name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0 && (errno == ENOTDIR || errno == ELOOP))
			break;
		if (fd < 0) {
			for (size_t k = 0; k < n; k++)
				close(out[k]);
			return mr_fail(err, errno, "open '%s'", name);
		}
		out[n++] = fd;
		if (i + 1 == nfds)
			break;
		int opq = ovl_is_opaque(fd, "", err);
		if (opq < 0) {
			for (size_t k = 0; k < n; k++)
				close(out[k]);
			return -1;
		}
		if (opq)
			break;
	}
	return (int)n;
}

static int walk(const char *path, const int *fds, size_t nfds, int depth, rootview_visit visit,
		void *arg, struct mr_err *err)
{
	struct list l = {0};
	int rc = read_layers(fds, nfds, &l, path, err);
	size_t k = 0;
	if (rc < 0)
		k = l.n; /* all of them to free below */
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		if (l.gone[i])
			free(l.e[i].name);
		else
			l.e[k++] = l.e[i];
	}
	if (rc == 0) {
		if (k)
			qsort(l.e, k, sizeof(*l.e), by_name);
		rc = visit(path, l.e, k, arg);
	}
	for (size_t i = 0; rc > 0 && i < k; i++) {
		char child[PATH_MAX];
		int cfds[nfds ? nfds : 1];
		if (!l.e[i].isdir || l.e[i].skip || depth >= MAX_DEPTH ||
		    snprintf(child, sizeof(child), "%s%s%s", path, *path ? "/" : "", l.e[i].name) >=
			    (int)sizeof(child))
			continue;
		int n = child_fds(fds, nfds, l.e[i].name, cfds, err);
		if (n < 0) {
			rc = -1;
			break;
		}
		int r = n ? walk(child, cfds, (size_t)n, depth + 1, visit, arg, err) : 1;
		for (int c = 0; c < n; c++)
			close(cfds[c]);
		if (r < 0)
			rc = -1;
	}
	for (size_t i = 0; i < k; i++)
		free(l.e[i].name);
	free(l.e);
	free(l.gone);
	return rc < 0 ? -1 : 0;
}

int rootview_walk(const struct rootview *v, rootview_visit visit, void *arg, struct mr_err *err)
{
	int fds[v->n ? v->n : 1];
	size_t n = 0;
	int rc = 0;
	/* the root's copies: every layer down to the first whose root is opaque */
	for (size_t i = 0; i < v->n; i++) {
		fds[n] = open(v->dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fds[n] < 0) {
			rc = mr_fail(err, errno, "open layer '%s'", v->dirs[i]);
			break;
		}
		int opq = ovl_is_opaque(fds[n++], "", err);
		if (opq < 0)
			rc = -1;
		if (opq)
			break;
	}
	if (rc == 0)
		rc = walk("", fds, n, 0, visit, arg, err);
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	return rc;
}
