/*
 * unionfs/layer_apply.c - apply an OCI layer tar to a directory, securely and all-or-nothing.
 *
 * For each tar entry, in order:
 *   1. clean its path lexically (layer_path.c): no absolute path, no "..";
 *   2. open its parent directory beneath the target with openat2(RESOLVE_BENEATH |
 *      RESOLVE_NO_SYMLINKS) (layer_undo.c), creating missing parents as tar does; a parent
 *      that is a symlink is refused, so no entry is ever written through a symlink, and a
 *      symlink an earlier entry put in place of a directory is caught here too;
 *   3. act on the last component only, relative to that parent fd, never following it:
 *      create with O_EXCL | O_NOFOLLOW, and when something is already there, move it
 *      aside (or delete it) and create afresh - an existing file is never opened for
 *      writing, so a hard link to a file elsewhere is never written through;
 *   4. whiteouts: ".wh.NAME" and ".wh..wh..opq" remove what the layers below had
 *      (LAYER_PLAIN) or become an overlay whiteout / opaque xattr (LAYER_OVERLAY).
 * Directory modes and times are set at the end, deepest first: creating a file in a
 * directory changes its mtime, and a read-only mode would stop the files going in.
 *
 * All-or-nothing: a new target is extracted into a temporary directory beside it and
 * renamed into place at the end; an existing target gets an undo journal (layer_undo.c).
 *
 * See: https://github.com/opencontainers/image-spec/blob/main/layer.md, openat2(2),
 *      Documentation/filesystems/overlayfs.rst ("whiteouts and opaque directories")
 *
 *   unionfs/apply [-o] LAYER.tar DIR     (the tiny program over this file)
 */
#include "unionfs/layer.h"
#include "unionfs/layer_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/printable.h"

struct dir_fixup { /* a directory's mode and times, set once its contents are in */
	char *rel;
	mode_t mode;
	struct timespec ts[2];
};

struct apply {
	const char *name; /* the layer, for messages */
	const struct layer_apply_opts *o;
	struct archive *ar;
	int rootfd;
	struct layer_undo *undo; /* NULL when extracting into a fresh temporary directory */
	struct pathset created;  /* paths this layer created: its own whiteouts spare them */
	struct layer_stats st;
	struct dir_fixup *fix;
	size_t nfix, capfix;
	char cached[PATH_MAX]; /* the last parent opened, and its fd: consecutive entries */
	int cached_fd;         /* mostly share a parent. Dropped whenever anything is removed */
	struct mr_err *err;
	const char *entry; /* the entry being applied, for messages */
};

/* printable - NAME escaped (lib/printable.h): a corrupt or hostile tar's names may hold
 * newlines, escape sequences or bytes that are not UTF-8, and an error message is one line
 * a terminal shows as it is */
static const char *printable(const char *name, char *buf, size_t size)
{
	return mr_printable(name, buf, size);
}

/* fail - record "entry 'PATH': WHAT[: strerror]" for the current entry and return -1 */
static int fail(struct apply *a, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct apply *a, int errnum, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	char name[301], shown[600]; /* WHAT may name a path made of the entry's name */
	printable(what, shown, sizeof(shown));
	if (a->entry)
		mr_fail(a->err, errnum, "entry '%s': %s", printable(a->entry, name, sizeof(name)),
			shown);
	else
		mr_fail(a->err, errnum, "%s", shown);
	return -1;
}

/* join - "PARENT/NAME" (or "NAME" at the root) into out[PATH_MAX]; -1 if too long */
static int join(char *out, const char *parent, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s%s%s", parent, *parent ? "/" : "", name);
	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

static void drop_cache(struct apply *a)
{
	if (a->cached_fd >= 0)
		close(a->cached_fd);
	a->cached_fd = -1;
	a->cached[0] = '\0';
}

/* note_created - remember that REL is this layer's own (for whiteouts and for rollback) */
static int note_created(struct apply *a, const char *rel)
{
	if (pathset_add(&a->created, rel) < 0 || (a->undo && undo_created(a->undo, rel) < 0))
		return fail(a, ENOMEM, "remember created path");
	return 0;
}

/* touch_parent - about to change directory PARENT: an undo journal saves its metadata
 * first (its mtime changes), unless this layer created it */
static int touch_parent(struct apply *a, const char *parent)
{
	if (!a->undo || pathset_has(&a->created, parent))
		return 0;
	if (undo_save_meta(a->undo, a->rootfd, parent) < 0)
		return fail(a, errno, "save metadata of '%s'", parent);
	return 0;
}

/*
 * open_parent - the directory PARENT (a cleaned relative path, "" for the root) beneath
 * the root, creating missing components (mode 0755, like tar). Returns an O_PATH fd that
 * the cache owns (do not close), or -1 with the error recorded.
 */
static int open_parent(struct apply *a, const char *parent)
{
	if (a->cached_fd >= 0 && strcmp(a->cached, parent) == 0)
		return a->cached_fd;
	drop_cache(a);
	int fd = layer_open_beneath(a->rootfd, parent, O_PATH);
	if (fd < 0 && errno == ENOENT) {
		/* create what is missing, one component at a time, each checked the same way */
		char sub[PATH_MAX];
		for (const char *p = parent; fd < 0 || *p;) {
			const char *end = strchrnul(p, '/');
			snprintf(sub, sizeof(sub), "%.*s", (int)(end - parent), parent);
			char *slash = strrchr(sub, '/');
			const char *base = slash ? slash + 1 : sub;
			if (fd >= 0)
				close(fd);
			fd = layer_open_beneath(a->rootfd, sub, O_PATH);
			if (fd < 0 && errno == ENOENT) {
				if (slash)
					*slash = '\0';
				int pfd = layer_open_beneath(a->rootfd, slash ? sub : "", O_PATH);
				if (pfd < 0)
					break;
				if (touch_parent(a, slash ? sub : "") < 0) {
					close(pfd);
					return -1;
				}
				int rc = mkdirat(pfd, base, 0755);
				close(pfd);
				if (slash)
					*slash = '/';
				if (rc < 0 || note_created(a, sub) < 0)
					break;
				fd = layer_open_beneath(a->rootfd, sub, O_PATH);
			}
			if (fd < 0 || !*end)
				break;
			p = end + 1;
		}
	}
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return fail(
				a, 0,
				"'%s' is a symlink or not a directory: refusing to write through it",
				parent);
		if (errno == EXDEV)
			return fail(a, 0, "'%s' crosses a mount point: refusing", parent);
		return fail(a, errno, "open parent '%s'", parent);
	}
	snprintf(a->cached, sizeof(a->cached), "%s", parent);
	a->cached_fd = fd;
	return fd;
}

/* clear - make room for a new entry at PFD/BASE: move what is there aside (undo journal)
 * or delete it (fresh target; or it is this layer's own). 0, or -1 recorded. */
static int clear(struct apply *a, int pfd, const char *base, const char *rel)
{
	int rc;
	if (a->undo && !pathset_has(&a->created, rel))
		rc = undo_displace(a->undo, pfd, base, rel);
	else
		rc = layer_remove_tree(pfd, base);
	/* the parent cache stays valid: it holds PFD's own path (the current entry's parent),
	 * and only something *inside* PFD went away */
	if (rc < 0 && errno != ENOENT)
		return fail(a, errno, "remove what was at '%s'", rel);
	return 0;
}

/* set_xattrs - the entry's xattrs on fd (or on the symlink at pfd/base when fd < 0).
 * trusted.overlay.* names (and user.overlay.*, their names under `userxattr`) are never
 * taken from a tar: they would let a layer fake whiteouts, opaque dirs or redirects in the
 * overlay this directory becomes part of. */
static int set_xattrs(struct apply *a, struct archive_entry *e, int fd, int pfd, const char *base)
{
	const char *name;
	const void *value;
	size_t size;
	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
		if (strncmp(name, LAYER_OVL_XATTR_PREFIX, strlen(LAYER_OVL_XATTR_PREFIX)) == 0 ||
		    strncmp(name, LAYER_OVL_USER_XATTR_PREFIX,
			    strlen(LAYER_OVL_USER_XATTR_PREFIX)) == 0) {
			char shown[301], sname[301];
			mr_say("%s: skip xattr %s (overlay's own)",
			       printable(a->entry, shown, sizeof(shown)),
			       printable(name, sname, sizeof(sname)));
			continue;
		}
		int rc;
		if (fd >= 0) {
			rc = fsetxattr(fd, name, value, size, 0);
		} else {
			/* no fd for a symlink or device: name it through the parent's fd */
			char full[PATH_MAX];
			snprintf(full, sizeof(full), "/proc/self/fd/%d/%s", pfd, base);
			rc = lsetxattr(full, name, value, size, 0);
		}
		if (rc < 0 && !(errno == ENOTSUP && strncmp(name, "security.", 9) == 0))
			return fail(a, errno, "set xattr %s", name);
	}
	return 0;
}

/* sync_dir_xattrs - an entry for a directory that already exists describes it fully:
 * remove the xattrs it does not list (but keep overlay's own) */
static int sync_dir_xattrs(struct apply *a, struct archive_entry *e, int fd)
{
	char list[8192];
	ssize_t len = flistxattr(fd, list, sizeof(list));
	for (char *k = list; len > 0 && k < list + len; k += strlen(k) + 1) {
		if (strncmp(k, LAYER_OVL_XATTR_PREFIX, strlen(LAYER_OVL_XATTR_PREFIX)) == 0)
			continue;
		const char *name;
		const void *v;
		size_t sz;
		int listed = 0;
		archive_entry_xattr_reset(e);
		while (archive_entry_xattr_next(e, &name, &v, &sz) == ARCHIVE_OK)
			listed |= strcmp(name, k) == 0;
		if (!listed && fremovexattr(fd, k) < 0)
			return fail(a, errno, "remove xattr %s", k);
	}
	return set_xattrs(a, e, fd, -1, NULL);
}

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
	ts[1] = (struct timespec){archive_entry_mtime(e), archive_entry_mtime_nsec(e)};
	ts[0] = archive_entry_atime_is_set(e)
			? (struct timespec){archive_entry_atime(e), archive_entry_atime_nsec(e)}
			: ts[1];
}

static int chown_entry(struct apply *a, struct archive_entry *e, int fd, int pfd, const char *base)
{
	if (a->o->no_owners)
		return 0;
	uid_t uid = (uid_t)archive_entry_uid(e);
	gid_t gid = (gid_t)archive_entry_gid(e);
	int rc =
		fd >= 0 ? fchown(fd, uid, gid) : fchownat(pfd, base, uid, gid, AT_SYMLINK_NOFOLLOW);
	if (rc < 0)
		/* EINVAL: the id has no mapping in this user namespace (a rootless store
		 * whose user has no /etc/subuid range, or too small a one) */
		return fail(a, errno, "chown %u:%u%s", uid, gid,
			    errno == EPERM ? " (only root, or a user namespace that maps the id, "
					     "may give a file to another owner)"
			    : errno == EINVAL ? " (that uid or gid is not mapped in this user "
						"namespace: see /etc/subuid and /etc/subgid)"
					      : "");
	return 0;
}

/* write_data - the entry's content into fd, holes left as holes */
static int write_data(struct apply *a, int fd, struct archive_entry *e)
{
	const void *buf;
	size_t size;
	la_int64_t off, pos = 0;
	int r;
	while ((r = archive_read_data_block(a->ar, &buf, &size, &off)) == ARCHIVE_OK) {
		if (off != pos && lseek(fd, off, SEEK_SET) < 0)
			return fail(a, errno, "seek");
		for (size_t done = 0; done < size;) {
			ssize_t n = write(fd, (const char *)buf + done, size - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return fail(a, errno, "write");
			done += (size_t)n;
		}
		pos = off + (la_int64_t)size;
		a->st.bytes += size;
	}
	if (r != ARCHIVE_EOF)
		return fail(a, 0, "%s", archive_error_string(a->ar));
	if (pos != archive_entry_size(e) && ftruncate(fd, archive_entry_size(e)) < 0)
		return fail(a, errno, "truncate");
	return 0;
}

static int add_fixup(struct apply *a, const char *rel, struct archive_entry *e)
{
	if (a->nfix == a->capfix) {
		size_t cap = a->capfix ? 2 * a->capfix : 64;
		struct dir_fixup *f = realloc(a->fix, cap * sizeof(*f));
		if (!f)
			return fail(a, ENOMEM, "directory list");
		a->fix = f;
		a->capfix = cap;
	}
	struct dir_fixup *f = &a->fix[a->nfix];
	if (!(f->rel = strdup(rel)))
		return fail(a, ENOMEM, "directory list");
	f->mode = archive_entry_mode(e) & 07777;
	entry_times(e, f->ts);
	a->nfix++;
	return 0;
}

/* apply_dir - a directory entry: create it (or keep the one there), owner and xattrs now,
 * mode and times at the end */
static int apply_dir(struct apply *a, struct archive_entry *e, int pfd, const char *base,
		     const char *rel)
{
	int existed = 0;
	if (!*rel) {
		existed = 1; /* "./": the target itself */
	} else if (mkdirat(pfd, base, 0700) < 0) {
		struct stat st;
		if (errno != EEXIST || fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return fail(a, errno, "mkdir");
		if (S_ISDIR(st.st_mode)) {
			existed = 1;
		} else {
			if (clear(a, pfd, base, rel) < 0)
				return -1;
			if (mkdirat(pfd, base, 0700) < 0)
				return fail(a, errno, "mkdir");
		}
	}
	if (!existed && note_created(a, rel) < 0)
		return -1;
	if (existed && a->undo && !pathset_has(&a->created, rel) &&
	    undo_save_meta(a->undo, a->rootfd, rel) < 0)
		return fail(a, errno, "save metadata");
	_cleanup_close_ int fd =
		*rel ? openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		     : openat(a->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(a, errno, "open directory");
	if (chown_entry(a, e, fd, -1, NULL) < 0 ||
	    (existed ? sync_dir_xattrs(a, e, fd) : set_xattrs(a, e, fd, -1, NULL)) < 0)
		return -1;
	a->st.dirs++;
	return add_fixup(a, rel, e);
}

/* make_node - create the non-directory entry at pfd/base; returns an fd for a regular file
 * (to be filled), -2 for other types, -1 on error. EEXIST is returned to the caller. */
static int make_node(struct apply *a, struct archive_entry *e, int pfd, const char *base)
{
	mode_t mode = archive_entry_mode(e);
	const char *hl = archive_entry_hardlink(e);
	if (hl) {
		char target[PATH_MAX];
		struct mr_err perr = {0};
		if (layer_clean_path(hl, target, sizeof(target), &perr) < 0)
			return fail(a, 0, "hard link target %s: refused", perr.msg);
		if (!*target)
			return fail(a, 0, "hard link to the target directory itself: refused");
		const char *slash = strrchr(target, '/');
		char tparent[PATH_MAX];
		snprintf(tparent, sizeof(tparent), "%.*s", slash ? (int)(slash - target) : 0,
			 target);
		/* resolved beneath the root like any parent: a link can only point inside */
		_cleanup_close_ int tfd = layer_open_beneath(a->rootfd, tparent, O_PATH);
		if (tfd < 0)
			return fail(a, errno == ELOOP ? 0 : errno, "hard link target '%s'%s",
				    target,
				    errno == ELOOP ? " goes through a symlink: refusing" : "");
		/* flags 0: a link to a symlink links the symlink itself, never what it points to */
		if (linkat(tfd, slash ? slash + 1 : target, pfd, base, 0) < 0)
			return errno == EEXIST ? -1 : fail(a, errno, "hard link to '%s'", target);
		a->st.links++;
		return -3;
	}
	switch (mode & S_IFMT) {
	case S_IFREG: {
		int fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				0600);
		if (fd < 0)
			return errno == EEXIST ? -1 : fail(a, errno, "create");
		a->st.files++;
		return fd;
	}
	case S_IFLNK:
		if (symlinkat(archive_entry_symlink(e) ? archive_entry_symlink(e) : "", pfd, base) <
		    0)
			return errno == EEXIST ? -1 : fail(a, errno, "symlink");
		return -2;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
		if (mknodat(pfd, base, (mode & S_IFMT) | 0600, archive_entry_rdev(e)) < 0)
			return errno == EEXIST ? -1 : fail(a, errno, "mknod");
		return -2;
	default: return fail(a, 0, "unsupported entry type 0%o", mode & S_IFMT);
	}
}

/* apply_node - a non-directory entry: create it in place of whatever is there */
static int apply_node(struct apply *a, struct archive_entry *e, int pfd, const char *base,
		      const char *rel)
{
	if (!*rel)
		return fail(a, 0, "the target itself ('.') can only be a directory");
	int fd = make_node(a, e, pfd, base);
	if (fd == -1 && errno == EEXIST) {
		if (clear(a, pfd, base, rel) < 0)
			return -1;
		fd = make_node(a, e, pfd, base);
	}
	if (fd == -1)
		return -1;
	if (note_created(a, rel) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fd == -3) /* a hard link shares its target's inode: metadata is the target's */
		return 0;
	struct timespec ts[2];
	entry_times(e, ts);
	int rc = 0;
	mode_t mode = archive_entry_mode(e);
	if (fd >= 0) {
		/* chown before chmod: chown clears the set-user-ID and set-group-ID bits */
		rc = write_data(a, fd, e) < 0 || chown_entry(a, e, fd, -1, NULL) < 0 ||
				     set_xattrs(a, e, fd, -1, NULL) < 0
			     ? -1
			     : 0;
		if (rc == 0 && (fchmod(fd, mode & 07777) < 0 || futimens(fd, ts) < 0))
			rc = fail(a, errno, "set mode and times");
		close(fd);
		return rc;
	}
	if (chown_entry(a, e, -1, pfd, base) < 0)
		return -1;
	/* fchmodat follows a symlink, so not for one (a symlink's mode means nothing) */
	if (!S_ISLNK(mode) && fchmodat(pfd, base, mode & 07777, 0) < 0)
		return fail(a, errno, "chmod");
	if (archive_entry_xattr_count(e) > 0 && set_xattrs(a, e, -1, pfd, base) < 0)
		return -1;
	if (utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(a, errno, "set times");
	return 0;
}

/* apply_opaque - ".wh..wh..opq" in directory PARENT: hide what the layers below have there */
static int apply_opaque(struct apply *a, int pfd, const char *parent)
{
	a->st.opaques++;
	if (a->o->mode == LAYER_OVERLAY) {
		/* an O_PATH fd can't carry xattrs: open the directory itself */
		const char *x =
			a->o->user_xattrs ? LAYER_OVL_USER_OPAQUE_XATTR : LAYER_OVL_OPAQUE_XATTR;
		_cleanup_close_ int fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fsetxattr(fd, x, "y", 1, 0) < 0)
			return fail(a, errno, "set %s", x);
		return 0;
	}
	/* plain tree: remove every child the layers below put there - not this layer's own,
	 * which the spec says a whiteout in the same layer does not hide */
	_cleanup_close_ int fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d)
		return fail(a, errno, "open '%s'", parent);
	fd = -1; /* the DIR owns it now */
	char **victims = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char rel[PATH_MAX];
		if (join(rel, parent, de->d_name) < 0)
			continue; /* longer than any path this layer could have created */
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    pathset_has(&a->created, rel) ||
		    (a->undo && !*parent && !strcmp(de->d_name, undo_dirname(a->undo))))
			continue;
		char **v = realloc(victims, (n + 1) * sizeof(*v));
		if (!v || !(v[n] = strdup(de->d_name))) {
			free(v ? v : victims);
			closedir(d);
			return fail(a, ENOMEM, "opaque");
		}
		victims = v;
		n++;
	}
	closedir(d);
	int rc = touch_parent(a, parent);
	for (size_t i = 0; i < n; i++) {
		char rel[PATH_MAX];
		if (rc == 0 && join(rel, parent, victims[i]) == 0) {
			int p = open_parent(a, parent);
			rc = p < 0 ? -1 : clear(a, p, victims[i], rel);
		}
		free(victims[i]);
	}
	free(victims);
	return rc;
}

/* apply_whiteout - ".wh.NAME" in PARENT: NAME is removed from the layers below */
static int apply_whiteout(struct apply *a, int pfd, const char *parent, const char *name)
{
	char rel[PATH_MAX];
	if (join(rel, parent, name) < 0)
		return fail(a, ENAMETOOLONG, "whiteout");
	a->st.whiteouts++;
	if (pathset_has(&a->created, rel)) {
		char shown[301], srel[301];
		mr_say("%s: whiteout spares '%s', which this same layer adds",
		       printable(a->entry, shown, sizeof(shown)),
		       printable(rel, srel, sizeof(srel)));
		return 0;
	}
	if (touch_parent(a, parent) < 0)
		return -1;
	if (a->o->mode == LAYER_PLAIN)
		return clear(a, pfd, name, rel);
	/* overlay: a character device 0/0 named NAME hides NAME in the lower layers */
	if (mknodat(pfd, name, S_IFCHR | 0000, makedev(0, 0)) < 0)
		return fail(a, errno, "mknod whiteout '%s'%s", rel,
			    errno == EPERM ? " (overlay whiteouts need CAP_MKNOD)" : "");
	return note_created(a, rel);
}

/* apply_entry - one tar entry (see the top of the file for the steps) */
static int apply_entry(struct apply *a, struct archive_entry *e)
{
	char rel[PATH_MAX];
	struct mr_err perr = {0};
	a->entry = archive_entry_pathname(e);
	if (!a->entry)
		return fail(a, 0, "an entry has a name that can't be read in this locale");
	if (layer_clean_path(a->entry, rel, sizeof(rel), &perr) < 0)
		return fail(a, 0, "refused: %s",
			    strchr(perr.msg, ':') ? strchr(perr.msg, ':') + 2 : perr.msg);
	if (a->undo && strncmp(rel, LAYER_UNDO_PREFIX, strlen(LAYER_UNDO_PREFIX)) == 0)
		return fail(a, 0, "refused: a name reserved for this tool's undo journal");
	a->st.entries++;

	char *slash = strrchr(rel, '/');
	const char *base = slash ? slash + 1 : rel;
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%.*s", slash ? (int)(slash - rel) : 0, rel);

	const char *target = NULL;
	enum layer_wh_kind wh = *rel ? layer_whiteout_kind(base, &target) : LAYER_WH_NONE;
	if (wh == LAYER_WH_BAD)
		return fail(a, 0, "refused: a whiteout that names nothing removable");

	if (wh != LAYER_WH_NONE && a->o->mode == LAYER_PLAIN && !pathset_has(&a->created, parent) &&
	    *parent) {
		/* a whiteout in a directory the tree does not have removes nothing: check
		 * (beneath the root, no symlinks, like everything) without creating it */
		int fd = layer_open_beneath(a->rootfd, parent, O_PATH);
		if (fd < 0 && errno == ENOENT) {
			char shown[301], sparent[301];
			mr_say("%s: nothing to remove, '%s' does not exist",
			       printable(a->entry, shown, sizeof(shown)),
			       printable(parent, sparent, sizeof(sparent)));
			a->st.whiteouts++;
			return 0;
		}
		if (fd >= 0)
			close(fd);
	}
	int pfd = open_parent(a, parent);
	if (pfd < 0)
		return -1;
	if (wh == LAYER_WH_OPQ)
		return apply_opaque(a, pfd, parent);
	if (wh == LAYER_WH_FILE)
		return apply_whiteout(a, pfd, parent, target);
	if (*rel && touch_parent(a, parent) < 0)
		return -1;
	if (S_ISDIR(archive_entry_mode(e)) && !archive_entry_hardlink(e))
		return apply_dir(a, e, pfd, base, rel);
	return apply_node(a, e, pfd, base, rel);
}

/* finish_dirs - directory modes and times, deepest (last created) first */
static int finish_dirs(struct apply *a)
{
	for (size_t i = a->nfix; i-- > 0;) {
		a->entry = a->fix[i].rel;
		_cleanup_close_ int fd = layer_open_beneath(a->rootfd, a->fix[i].rel, O_RDONLY);
		if (fd < 0) /* a later entry replaced it: nothing to do */
			continue;
		if (fchmod(fd, a->fix[i].mode) < 0 || futimens(fd, a->fix[i].ts) < 0)
			return fail(a, errno, "set directory mode and times");
	}
	return 0;
}

/* open_layer - a libarchive reader of FD: tar format (ustar, pax, GNU), filters detected */
static struct archive *open_layer(int fd, struct mr_err *err)
{
	struct archive *ar = archive_read_new();
	if (!ar) {
		mr_fail(err, ENOMEM, "libarchive");
		return NULL;
	}
	layer_archive_filters(ar);
	archive_read_support_format_tar(ar);
	archive_read_support_format_gnutar(ar);
	if (archive_read_open_fd(ar, fd, 256 * 1024) != ARCHIVE_OK) {
		/* libarchive reads the first block here to recognise the format */
		const char *why = archive_error_string(ar);
		if (why && strstr(why, "Unrecognized"))
			mr_fail(err, 0, "not a tar layer (plain, gzip, zstd, bzip2 or xz): %s",
				why);
		else
			mr_fail(err, archive_errno(ar) > 0 ? archive_errno(ar) : 0, "read");
		archive_read_free(ar);
		return NULL;
	}
	return ar;
}

/* run - every entry of the layer, then the directory fixups */
static int run(struct apply *a)
{
	struct archive_entry *e;
	int r;
	/* the last entry's name, copied: a->entry points into libarchive's entry, which the
	 * next archive_read_next_header overwrites or frees, also when it fails */
	char last[301] = "";
	while ((r = archive_read_next_header(a->ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (apply_entry(a, e) < 0)
			return -1;
		printable(a->entry, last, sizeof(last));
	}
	a->entry = NULL;
	if (r != ARCHIVE_EOF) {
		const char *why = archive_error_string(a->ar);
		/* the first header failing means it never was a tar we know */
		if (a->st.entries == 0 && why && strstr(why, "Unrecognized"))
			return mr_fail(a->err, 0,
				       "not a tar layer (plain, gzip, zstd, bzip2 or xz): %s", why);
		return mr_fail(a->err, 0, "%s%s%s", why ? why : "read error",
			       last[0] ? " after entry " : "", last);
	}
	a->entry = NULL;
	return finish_dirs(a);
}

static void free_apply(struct apply *a)
{
	drop_cache(a);
	pathset_free(&a->created);
	for (size_t i = 0; i < a->nfix; i++)
		free(a->fix[i].rel);
	free(a->fix);
	if (a->ar)
		archive_read_free(a->ar);
}

/* apply_fresh - DIR does not exist: extract into DIR's sibling temp dir, rename at the end */
static int apply_fresh(struct apply *a, int fd, const char *dir)
{
	_cleanup_free_ char *copy = strdup(dir);
	_cleanup_free_ char *tmp = NULL;
	if (!copy ||
	    asprintf(&tmp, "%s/.%s.unionfs-tmp-XXXXXX", dirname(copy), basename((char *)dir)) < 0)
		return mr_fail(a->err, ENOMEM, "temp name");
	if (!mkdtemp(tmp))
		return mr_fail(a->err, errno, "create a temporary directory beside '%s'", dir);
	mr_say("extract into %s, rename to %s when complete", tmp, dir);
	int rc = -1;
	a->rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a->rootfd < 0) {
		mr_fail(a->err, errno, "open '%s'", tmp);
	} else if (fchmod(a->rootfd, 0755) < 0) { /* mkdtemp made it 0700; "./" may change it */
		mr_fail(a->err, errno, "chmod '%s'", tmp);
	} else if ((a->ar = open_layer(fd, a->err)) && run(a) == 0) {
		/* RENAME_NOREPLACE: a plain rename would replace an empty DIR that appeared */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE) < 0)
			mr_fail(a->err, errno, "rename the finished layer to '%s'", dir);
		else
			rc = 0;
	}
	if (a->rootfd >= 0)
		close(a->rootfd);
	if (rc < 0) {
		/* nothing of the failed apply stays: the target never appeared */
		char *p = strdup(tmp);
		if (p)
			layer_remove_tree(AT_FDCWD, p);
		free(p);
	}
	return rc;
}

/* apply_existing - DIR exists: apply in place under an undo journal */
static int apply_existing(struct apply *a, int fd, const char *dir)
{
	a->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a->rootfd < 0)
		return mr_fail(a->err, errno, "open target '%s'", dir);
	int rc = -1;
	if (undo_begin(a->rootfd, &a->undo, a->err) == 0) {
		mr_say("apply in place; replaced files go to %s/%s until the end", dir,
		       undo_dirname(a->undo));
		a->ar = open_layer(fd, a->err);
		if (a->ar && run(a) == 0) {
			drop_cache(a);
			if (undo_commit(a->undo, a->rootfd) < 0)
				mr_warn("remove '%s/%s': %s", dir, undo_dirname(a->undo),
					strerror(errno));
			rc = 0;
		} else {
			drop_cache(a);
			mr_say("failed: rolling back");
			if (undo_rollback(a->undo, a->rootfd) < 0)
				mr_prefix(a->err, "(rollback incomplete, see %s/%s) ", dir,
					  undo_dirname(a->undo));
		}
		undo_free(a->undo);
		a->undo = NULL;
	}
	close(a->rootfd);
	return rc;
}

int layer_apply_fd(int fd, const char *name, const char *dir, const struct layer_apply_opts *opts,
		   struct layer_stats *stats, struct mr_err *err)
{
	static const struct layer_apply_opts defaults = {0};
	struct apply a = {.name = name,
			  .o = opts ? opts : &defaults,
			  .cached_fd = -1,
			  .err = err,
			  .rootfd = -1};
	struct stat st;
	int rc;
	if (lstat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return mr_fail(err, ENOTDIR, "layer '%s': target '%s'", name, dir);
		if (a.o->mode == LAYER_OVERLAY)
			return mr_fail(
				err, EEXIST,
				"layer '%s': an overlay layer directory is made fresh; target '%s'",
				name, dir);
		rc = apply_existing(&a, fd, dir);
	} else if (errno == ENOENT) {
		rc = apply_fresh(&a, fd, dir);
	} else {
		return mr_fail(err, errno, "layer '%s': target '%s'", name, dir);
	}
	free_apply(&a);
	if (rc < 0) {
		mr_prefix(err, "layer '%s': ", name);
		return -1;
	}
	if (stats)
		*stats = a.st;
	return 0;
}

int layer_apply(const char *path, const char *dir, const struct layer_apply_opts *opts,
		struct layer_stats *stats, struct mr_err *err)
{
	int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "layer '%s'", path);
	int rc = layer_apply_fd(fd, path, dir, opts, stats, err);
	close(fd);
	return rc;
}
