/*
 * minirun/rootless/copy.c - the rootfs without any overlay: the layers copied, once.
 *
 * The last resort of overlay.c, for a user namespace where neither the kernel's overlayfs
 * nor fuse-overlayfs can be mounted. The container's upper directory (diff/) becomes its
 * whole root: on the first start every image layer is copied into it, bottom layer first,
 * each applying its overlay whiteouts (a char device 0/0 removes the name below it) and
 * opaque directories (their contents below are removed first), just as overlayfs would
 * show the stack; then diff/ is bind-mounted on merged/. A file `.minirun-copied` beside
 * diff/ says it was done, so a restart keeps the container's changes.
 *
 * The price: a full copy of the image per container (disk and time), hard links copied as
 * separate files, device nodes skipped (mknod is the host's), and `diff`/`commit` seeing
 * every file as the container's own.
 *
 * See: overlay.c; Documentation/filesystems/overlayfs.rst "whiteouts and opaque
 * directories".
 */
#include "minirun/rootless/rootless.h"

#include "lib/cleanup.h"
#include "lib/file.h"
#include "unionfs/overlay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

/* remove_at - remove NAME in PARENT, a whole tree if a directory; 0 or -1 (errno) */
static int remove_at(int parent, const char *name)
{
	if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = remove_at(dirfd(d), e->d_name);
	closedir(d);
	return rc == 0 ? unlinkat(parent, name, AT_REMOVEDIR) : -1;
}

/* overlay's own xattrs are never copied: they mean something only in the stack */
static bool own_xattr(const char *name)
{
	return strncmp(name, "trusted.overlay.", 16) == 0 ||
	       strncmp(name, "user.overlay.", 13) == 0;
}

/* copy_meta - xattrs, owner, mode and times of ST (SRC's) onto DST, fds of the two (a
 * symlink gets only its owner, in copy_entry) */
static int copy_meta(int src, int dst, const struct stat *st)
{
	char list[8192], value[65536];
	ssize_t n = flistxattr(src, list, sizeof(list));
	for (char *k = list; n > 0 && k < list + n; k += strlen(k) + 1) {
		ssize_t v = own_xattr(k) ? -1 : fgetxattr(src, k, value, sizeof(value));
		if (v >= 0 && fsetxattr(dst, k, value, (size_t)v, 0) < 0 && errno != ENOTSUP &&
		    errno != EPERM)
			return -1;
	}
	struct timespec times[2] = {st->st_atim, st->st_mtim};
	/* chown before chmod: chown clears the set-user-ID and set-group-ID bits */
	if (fchown(dst, st->st_uid, st->st_gid) < 0 || fchmod(dst, st->st_mode & 07777) < 0 ||
	    futimens(dst, times) < 0)
		return -1;
	return 0;
}

static int copy_dir(int src, int dst, struct mr_err *err, const char *path);

/* copy_entry - NAME of directory SRC into directory DST (PATH: its path, for errors) */
static int copy_entry(int src, int dst, const char *name, const char *path, struct mr_err *err)
{
	struct stat st, old;
	char rel[PATH_MAX];
	snprintf(rel, sizeof(rel), "%s/%s", path, name);
	if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return mr_fail(err, errno, "stat '%s'", rel);
	bool exists = fstatat(dst, name, &old, AT_SYMLINK_NOFOLLOW) == 0;
	if (ovl_is_whiteout(&st)) /* the name is gone from here up */
		return remove_at(dst, name) < 0 ? mr_fail(err, errno, "remove '%s'", rel) : 0;
	if (exists && !(S_ISDIR(st.st_mode) && S_ISDIR(old.st_mode)) && remove_at(dst, name) < 0)
		return mr_fail(err, errno, "replace '%s'", rel);

	if (S_ISDIR(st.st_mode)) {
		_cleanup_close_ int s =
			openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s < 0)
			return mr_fail(err, errno, "open '%s'", rel);
		if (exists && S_ISDIR(old.st_mode) && ovl_is_opaque(s, "", NULL) == 1 &&
		    remove_at(dst, name) < 0) /* opaque: what the layers below had goes */
			return mr_fail(err, errno, "empty '%s'", rel);
		if (mkdirat(dst, name, 0700) < 0 && errno != EEXIST)
			return mr_fail(err, errno, "mkdir '%s'", rel);
		_cleanup_close_ int d =
			openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d < 0 || copy_dir(s, d, err, rel) < 0)
			return d < 0 ? mr_fail(err, errno, "open '%s'", rel) : -1;
		return copy_meta(s, d, &st) < 0 ? mr_fail(err, errno, "owner of '%s'", rel) : 0;
	}
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
		if (n < 0)
			return mr_fail(err, errno, "readlink '%s'", rel);
		target[n] = '\0';
		if (symlinkat(target, dst, name) < 0 ||
		    fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			return mr_fail(err, errno, "symlink '%s'", rel);
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0) /* fifos, sockets */
			mr_say("copy: skip '%s' (%s: a device is the host's to make)", rel,
			       strerror(errno));
		return 0;
	}
	_cleanup_close_ int s = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int d =
		s < 0 ? -1 : openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (s < 0 || d < 0)
		return mr_fail(err, errno, "copy '%s'", rel);
	for (;;) {
		ssize_t n = copy_file_range(s, NULL, d, NULL, 1 << 30, 0);
		if (n == 0)
			break;
		if (n < 0) { /* across filesystems on old kernels: by hand */
			char buf[65536];
			ssize_t r;
			while ((r = read(s, buf, sizeof(buf))) > 0)
				if (write(d, buf, (size_t)r) != r)
					return mr_fail(err, errno, "write '%s'", rel);
			if (r < 0)
				return mr_fail(err, errno, "read '%s'", rel);
			break;
		}
	}
	return copy_meta(s, d, &st) < 0 ? mr_fail(err, errno, "owner of '%s'", rel) : 0;
}

static int copy_dir(int src, int dst, struct mr_err *err, const char *path)
{
	int fd = dup(src);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return mr_fail(err, errno, "read '%s'", path);
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = copy_entry(src, dst, e->d_name, path, err);
	closedir(d);
	return rc;
}

int rootless_copy_mount(const struct ovl_stack *s, const char *target, struct mr_err *err)
{
	char done[4200];
	snprintf(done, sizeof(done), "%s/../.minirun-copied", s->upper);
	if (access(done, F_OK) != 0) {
		_cleanup_close_ int up = open(s->upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (up < 0)
			return mr_fail(err, errno, "open '%s'", s->upper);
		/* an upper an overlay wrote before holds changes, not a root: copying the
		 * layers over it would undo them */
		DIR *d = fdopendir(dup(up));
		struct dirent *e;
		bool empty = d != NULL;
		while (d && empty && (e = readdir(d)))
			empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
		if (d)
			closedir(d);
		if (!empty)
			return mr_fail(err, ENOTEMPTY,
				       "'%s' holds the changes of an earlier start through an "
				       "overlay: start the container where that overlay works, "
				       "or make a new one",
				       s->upper);
		/* bottom layer first, so that each one above replaces and whites out */
		for (size_t i = s->nlowers; i-- > 0;) {
			mr_say("copy layer %s into %s", s->lowers[i], s->upper);
			_cleanup_close_ int low =
				open(s->lowers[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (low < 0)
				return mr_fail(err, errno, "open '%s'", s->lowers[i]);
			if (copy_dir(low, up, err, s->lowers[i]) < 0)
				return -1;
		}
		if (mr_write_file_atomic(done, "", 0, 0600, err) < 0)
			return -1;
	}
	mr_say("mount --bind %s %s", s->upper, target);
	if (mount(s->upper, target, NULL, MS_BIND, NULL) < 0)
		return mr_fail(err, errno, "bind '%s' on '%s'", s->upper, target);
	return 0;
}
