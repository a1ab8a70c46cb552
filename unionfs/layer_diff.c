/*
 * unionfs/layer_diff.c - turn an overlay upper directory back into an OCI layer tar.
 *
 * After a container ran, its upper directory holds exactly what it changed: new and
 * modified files (copied up whole), overlay whiteouts (char device 0/0) for what it
 * deleted, and opaque directories (trusted.overlay.opaque=y; user.overlay.opaque=y under
 * `userxattr`, rootless: ovl_set_userxattr) for directories it deleted
 * and made again. `docker commit` and every RUN step of a build turn that into a layer:
 *
 *   upper/etc/motd               ->  etc/motd
 *   upper/tmp/old  (c 0 0)       ->  tmp/.wh.old
 *   upper/var/cache (opaque)     ->  var/cache/  then  var/cache/.wh..wh..opq
 *
 * Reproducible: entries go depth-first with siblings in byte order of their tar names,
 * owners are numbers only (no user names from this machine's /etc/passwd), xattrs are in
 * name order, gzip gets no timestamp, and with opts->mtime every entry gets that mtime
 * (SOURCE_DATE_EPOCH-style). The same change then always gives the same digest.
 *
 * Walked by fd, never by path: each directory is opened relative to its parent's fd
 * (O_NOFOLLOW | O_DIRECTORY), each file relative to its directory's, and what is opened must
 * be the inode the directory listing named. A container that runs while it is committed
 * (commit --pause=false, a build step's leftovers) owns the upper dir: it can swap a
 * directory and a symlink to a host directory between our stat and our open. A walk by path
 * (opendir("upper/a/b")) would follow the link and put the host's root-only files in the
 * image; this walk fails instead ("changed while it was read").
 *
 * See: https://github.com/opencontainers/image-spec/blob/main/layer.md#change-types,
 *      Documentation/filesystems/overlayfs.rst, archive_write(3)
 *
 *   unionfs/diff [-z] [-t MTIME] UPPER OUT.tar      (the tiny program over this file)
 */
#include "unionfs/layer.h"
#include "unionfs/layer_int.h"
#include "unionfs/overlay.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/inroot.h"

struct inode_seen { /* hard links: the first path written for an inode */
	dev_t dev;
	ino_t ino;
	char *path;
};

struct diff {
	const char *upper;
	const struct layer_diff_opts *o;
	struct archive *ar;
	struct archive_entry *e;
	struct inode_seen *seen;
	size_t nseen, capseen;
	char buf[128 * 1024];
	struct mr_err *err;
};

struct child {
	char *name;    /* on disk */
	char *tarname; /* in the tar: ".wh.NAME" for a whiteout */
	struct stat st;
};

static int by_tarname(const void *a, const void *b)
{
	return strcmp(((const struct child *)a)->tarname, ((const struct child *)b)->tarname);
}

/* Xattrs overlay keeps for itself; a tar can't carry what they mean. */
static const struct {
	const char *name;
	const char *why;
} refused_xattrs[] = {
	{"trusted.overlay.redirect",
	 "a renamed directory (redirect_dir=on); mount with redirect_dir=off"},
	{"trusted.overlay.metacopy",
	 "a metadata-only copy-up (metacopy=on); mount with metacopy=off"},
	{NULL, NULL},
};

/* qsort comparator for an array of strings (qsort passes pointers to the elements) */
static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the xattrs of FD (an open file or directory), or, when FD is -1, of DIRFD/NAME itself (a
 * symlink or node, which has no fd to read them from: reached through /proc/self/fd/DIRFD,
 * the directory we hold, its last name not followed) */
static ssize_t xattr_list(int fd, int dirfd, const char *name, char *list, size_t size)
{
	char p[PATH_MAX];
	if (fd >= 0)
		return flistxattr(fd, list, size);
	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, name);
	return llistxattr(p, list, size);
}

static ssize_t xattr_get(int fd, int dirfd, const char *name, const char *key, char *val,
			 size_t size)
{
	char p[PATH_MAX];
	if (fd >= 0)
		return fgetxattr(fd, key, val, size);
	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, name);
	return lgetxattr(p, key, val, size);
}

/* add_xattrs - the xattrs of child NAME of DIRFD (FD its open fd, or -1) to d->e */
static int add_xattrs(struct diff *d, int fd, int dirfd, const char *name, const char *rel)
{
	char list[16384];
	ssize_t len = xattr_list(fd, dirfd, name, list, sizeof(list));
	if (len < 0)
		return errno == ENOTSUP ? 0 : mr_fail(d->err, errno, "list xattrs of '%s'", rel);
	/* collect and sort the names: listxattr's order is the filesystem's, not stable */
	const char *names[256] = {NULL};
	size_t n = 0;
	for (char *k = list; k < list + len && n < 256; k += strlen(k) + 1) {
		for (int i = 0; refused_xattrs[i].name; i++)
			if (strcmp(k, refused_xattrs[i].name) == 0)
				return mr_fail(d->err, 0, "'%s' is %s", rel, refused_xattrs[i].why);
		if (strncmp(k, LAYER_OVL_XATTR_PREFIX, strlen(LAYER_OVL_XATTR_PREFIX)) != 0 &&
		    strncmp(k, LAYER_OVL_USER_XATTR_PREFIX, strlen(LAYER_OVL_USER_XATTR_PREFIX)) !=
			    0)
			names[n++] = k;
	}
	qsort(names, n, sizeof(*names), by_string);
	for (size_t i = 0; i < n; i++) {
		char val[65536];
		ssize_t vl = xattr_get(fd, dirfd, name, names[i], val, sizeof(val));
		if (vl < 0)
			return mr_fail(d->err, errno, "get xattr %s of '%s'", names[i], rel);
		archive_entry_xattr_add_entry(d->e, names[i], val, (size_t)vl);
	}
	return 0;
}

/* header - fill d->e with the common fields of REL */
static void header(struct diff *d, const char *rel, const struct stat *st)
{
	archive_entry_clear(d->e);
	archive_entry_set_pathname(d->e, rel);
	archive_entry_set_mode(d->e, st->st_mode);
	unsigned long uid = st->st_uid, gid = st->st_gid, n = d->o->shift_size;
	if (n && uid >= d->o->shift_uid && uid - d->o->shift_uid < n)
		uid -= d->o->shift_uid; /* back to the container's own ids */
	if (n && gid >= d->o->shift_gid && gid - d->o->shift_gid < n)
		gid -= d->o->shift_gid;
	archive_entry_set_uid(d->e, (la_int64_t)uid);
	archive_entry_set_gid(d->e, (la_int64_t)gid);
	if (d->o->mtime >= 0)
		archive_entry_set_mtime(d->e, d->o->mtime, 0);
	else
		archive_entry_set_mtime(d->e, st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

/* the errno behind a failed archive write (ENOSPC on a full disk), for mr_fail to name:
 * libarchive's own text says only "Write error" */
static int write_errno(struct archive *a)
{
	return archive_errno(a) > 0 ? archive_errno(a) : 0;
}

static int write_header(struct diff *d, const char *rel)
{
	if (archive_write_header(d->ar, d->e) < ARCHIVE_WARN)
		return mr_fail(d->err, write_errno(d->ar), "write entry '%s': %s", rel,
			       archive_error_string(d->ar));
	return 0;
}

/* marker - an empty regular file entry: a whiteout ".wh.NAME" or the opaque marker */
static int marker(struct diff *d, const char *rel, const struct stat *st)
{
	archive_entry_clear(d->e);
	archive_entry_set_pathname(d->e, rel);
	archive_entry_set_filetype(d->e, AE_IFREG);
	archive_entry_set_perm(d->e, 0644);
	archive_entry_set_size(d->e, 0);
	archive_entry_set_mtime(d->e, d->o->mtime >= 0 ? d->o->mtime : st->st_mtim.tv_sec, 0);
	mr_say("%s", rel);
	return write_header(d, rel);
}

/* file_data - the bytes of the open regular file FD into the tar */
static int file_data(struct diff *d, int fd, const char *rel)
{
	ssize_t n;
	while ((n = read(fd, d->buf, sizeof(d->buf))) > 0)
		if (archive_write_data(d->ar, d->buf, (size_t)n) < 0)
			return mr_fail(d->err, write_errno(d->ar), "write '%s': %s", rel,
				       archive_error_string(d->ar));
	return n < 0 ? mr_fail(d->err, errno, "read '%s'", rel) : 0;
}

/* hardlink_target - the first path written for this inode, or NULL (and remember this one) */
static const char *hardlink_target(struct diff *d, const struct stat *st, const char *rel)
{
	for (size_t i = 0; i < d->nseen; i++)
		if (d->seen[i].dev == st->st_dev && d->seen[i].ino == st->st_ino)
			return d->seen[i].path;
	if (d->nseen == d->capseen) {
		size_t cap = d->capseen ? 2 * d->capseen : 16;
		struct inode_seen *s = realloc(d->seen, cap * sizeof(*s));
		if (!s)
			return NULL;
		d->seen = s;
		d->capseen = cap;
	}
	d->seen[d->nseen++] = (struct inode_seen){st->st_dev, st->st_ino, strdup(rel)};
	return NULL;
}

static int walk(struct diff *d, int dirfd, const char *rel);

/* pathf - format a path into out[PATH_MAX]; -1 (ENAMETOOLONG recorded) if it does not fit */
static int pathf(struct diff *d, char *out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int pathf(struct diff *d, char *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX)
		return mr_fail(d->err, ENAMETOOLONG, "a path below '%s'", d->upper);
	return 0;
}

/*
 * open_child - child C of DIRFD, opened for reading if it is a directory or a regular file
 * (-1 and nothing to close for the other kinds): never through a symlink, only if it is
 * still the inode the listing's stat found. -1 with d->err when it can't be or is not.
 */
static int open_child(struct diff *d, int dirfd, const struct child *c, const char *rel, int *fd)
{
	struct stat now;
	*fd = -1;
	if (!S_ISDIR(c->st.st_mode) && !S_ISREG(c->st.st_mode))
		return 0;
	*fd = mr_openat_type(dirfd, c->name, O_RDONLY | (S_ISDIR(c->st.st_mode) ? O_DIRECTORY : 0),
			     c->st.st_mode & S_IFMT, &now);
	if (*fd < 0)
		return mr_fail(d->err, errno, "open '%s' (changed while it was read?)", rel);
	if (now.st_dev != c->st.st_dev || now.st_ino != c->st.st_ino)
		return mr_fail(d->err, ESTALE, "'%s' changed while it was read", rel);
	return 0;
}

/* one - write the entry for child C of directory DIRFD (REL in the tar; "" the upper), with
 * its contents if a directory */
static int one(struct diff *d, int dirfd, const char *dirrel, const struct child *c)
{
	char rel[PATH_MAX];
	if (pathf(d, rel, "%s%s%s", dirrel, *dirrel ? "/" : "", c->tarname) < 0)
		return -1;
	if (ovl_is_whiteout(&c->st))
		return marker(d, rel, &c->st);
	if (pathf(d, rel, "%s%s%s", dirrel, *dirrel ? "/" : "", c->name) < 0)
		return -1;
	const struct stat *st = &c->st;
	_cleanup_close_ int fd = -1;
	if (open_child(d, dirfd, c, rel, &fd) < 0)
		return -1;
	header(d, rel, st);
	if (add_xattrs(d, fd, dirfd, c->name, rel) < 0)
		return -1;
	mr_say("%s", rel);
	switch (st->st_mode & S_IFMT) {
	case S_IFDIR: {
		if (write_header(d, rel) < 0)
			return -1;
		int opq = ovl_is_opaque(fd, "", d->err);
		if (opq < 0)
			return -1;
		char wh[PATH_MAX];
		if (opq &&
		    (pathf(d, wh, "%s/%s", rel, LAYER_WH_OPAQUE) < 0 || marker(d, wh, st) < 0))
			return -1;
		return walk(d, fd, rel);
	}
	case S_IFREG: {
		const char *first = st->st_nlink > 1 ? hardlink_target(d, st, rel) : NULL;
		if (first) {
			archive_entry_set_hardlink(d->e, first);
			archive_entry_set_size(d->e, 0);
			return write_header(d, rel);
		}
		archive_entry_set_size(d->e, st->st_size);
		return write_header(d, rel) < 0 ? -1 : file_data(d, fd, rel);
	}
	case S_IFLNK: {
		char target[PATH_MAX];
		ssize_t n = readlinkat(dirfd, c->name, target, sizeof(target) - 1);
		if (n < 0)
			return mr_fail(d->err, errno, "readlink '%s'", rel);
		target[n] = '\0';
		archive_entry_set_symlink(d->e, target);
		return write_header(d, rel);
	}
	case S_IFCHR:
	case S_IFBLK: archive_entry_set_rdev(d->e, st->st_rdev); return write_header(d, rel);
	case S_IFIFO: return write_header(d, rel);
	default: /* a socket: a tar has no way to say it, and a container image never needs one */
		mr_say("skip socket %s", rel);
		return 0;
	}
}

/* walk - the children of the open directory DFD (REL in the tar, "" for the upper itself),
 * sorted by tar name; DFD stays the caller's */
static int walk(struct diff *d, int dfd, const char *rel)
{
	const char *path = *rel ? rel : "/";
	int dupfd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	_cleanup_closedir_ DIR *dir = dupfd < 0 ? NULL : fdopendir(dupfd);
	if (!dir) {
		if (dupfd >= 0)
			close(dupfd);
		return mr_fail(d->err, errno, "open '%s'", path);
	}
	struct child *c = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			struct child *nc = realloc(c, cap * sizeof(*c));
			if (!nc) {
				rc = mr_fail(d->err, ENOMEM, "list '%s'", path);
				break;
			}
			c = nc;
		}
		struct child *ch = &c[n];
		ch->name = strdup(de->d_name);
		ch->tarname = NULL;
		if (!ch->name || fstatat(dfd, de->d_name, &ch->st, AT_SYMLINK_NOFOLLOW) < 0) {
			free(ch->name);
			rc = mr_fail(d->err, errno, "stat '%s/%s'", path, de->d_name);
			break;
		}
		n++;
		if (ovl_is_whiteout(&ch->st)) {
			char wh[NAME_MAX + 8];
			layer_whiteout_name(ch->name, wh, sizeof(wh));
			ch->tarname = strdup(wh);
		} else {
			ch->tarname = strdup(ch->name);
		}
		if (!ch->tarname)
			rc = mr_fail(d->err, ENOMEM, "list '%s'", path);
	}
	if (rc == 0 && n) /* qsort(NULL, 0) is undefined: c is NULL for an empty directory */
		qsort(c, n, sizeof(*c), by_tarname);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			rc = one(d, dfd, rel, &c[i]);
		free(c[i].name);
		free(c[i].tarname);
	}
	free(c);
	return rc;
}

int layer_diff(const char *upper, const char *out, const struct layer_diff_opts *opts,
	       struct layer_digests *digests, struct mr_err *err)
{
	static const struct layer_diff_opts defaults = {.mtime = -1};
	struct diff *d = calloc(1, sizeof(*d));
	_cleanup_free_ char *tmp = NULL;
	int rc = -1, fd = -1;
	if (!d || asprintf(&tmp, "%s.unionfs-tmp-XXXXXX", out) < 0) {
		free(d);
		return mr_fail(err, ENOMEM, "diff '%s'", upper);
	}
	*d = (struct diff){.upper = upper, .o = opts ? opts : &defaults, .err = err};
	_cleanup_close_ int upperfd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (upperfd < 0) {
		mr_fail(err, errno, "upper '%s'", upper);
		goto out;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		mr_fail(err, errno, "create '%s'", tmp);
		goto out;
	}
	fchmod(fd, 0644);
	d->ar = archive_write_new();
	d->e = archive_entry_new();
	/* pax: the only tar format with room for xattrs, long names and big ids; "restricted"
	 * writes a pax header only for an entry that needs one */
	archive_write_set_format_pax_restricted(d->ar);
	if (d->o->compression == LAYER_COMP_GZIP) {
		archive_write_add_filter_gzip(d->ar);
		archive_write_set_filter_option(d->ar, "gzip", "timestamp",
						NULL); /* no mtime in the gzip header */
	} else if (d->o->compression == LAYER_COMP_ZSTD) {
		archive_write_add_filter_zstd(d->ar);
	}
	archive_write_set_bytes_in_last_block(d->ar, 1); /* no padding to 10 KiB records */
	if (archive_write_open_fd(d->ar, fd) != ARCHIVE_OK) {
		mr_fail(err, write_errno(d->ar), "write '%s': %s", tmp,
			archive_error_string(d->ar));
		goto out;
	}
	if (walk(d, upperfd, "") < 0)
		goto out;
	if (archive_write_close(d->ar) != ARCHIVE_OK) {
		mr_fail(err, write_errno(d->ar), "write '%s': %s", tmp,
			archive_error_string(d->ar));
		goto out;
	}
	if (fsync(fd) < 0) {
		mr_fail(err, errno, "fsync '%s'", tmp);
		goto out;
	}
	if (digests && layer_digest(tmp, digests, err) < 0)
		goto out;
	if (rename(tmp, out) < 0) {
		mr_fail(err, errno, "rename to '%s'", out);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		unlink(tmp);
		mr_prefix(err, "diff '%s': ", upper);
	}
	if (fd >= 0)
		close(fd);
	if (d->ar)
		archive_write_free(d->ar);
	if (d->e)
		archive_entry_free(d->e);
	for (size_t i = 0; i < d->nseen; i++)
		free(d->seen[i].path);
	free(d->seen);
	free(d);
	return rc;
}
