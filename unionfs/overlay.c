/*
 * unionfs/overlay.c - mount an overlayfs stack: lower layers (read-only, top first), an
 * upper layer that takes every write, and a work directory overlay needs for atomic
 * operations (copy-up, whiteouts).
 *
 * The workdir rule: overlay renames files from workdir into upperdir to make copy-up and
 * whiteouts atomic, so both must be on the same filesystem, and neither may be inside the
 * other. The kernel only says EINVAL (and the reason in dmesg); ovl_check says it first.
 *
 * Long stacks: mount(2) takes all options as one page (4 KiB), so "lowerdir=a:b:c..." of
 * 60 layers with 70-character paths does not fit. Three ways, best first:
 *   1. the new mount API, fsopen("overlay") + fsconfig(): since Linux 6.8 each lower is
 *      its own "lowerdir+" parameter, so there is no total limit;
 *   2. mount(2) with the whole list, when it fits in a page;
 *   3. mount(2) from a temporary directory holding short symlinks "0", "1", ... to the
 *      lowers, with the relative list "0:1:..." (the kernel resolves each path, following
 *      the symlink, when it mounts - afterwards the symlinks can go). Docker's overlay2
 *      driver keeps such short links ("l/ABC...") for the same reason.
 *
 * See: Documentation/filesystems/overlayfs.rst, fsopen(2), fsconfig(2), fsmount(2),
 *      move_mount(2), mount(2)
 *
 *   unionfs/mount -l LOWER [-l LOWER2...] [-u UPPER -w WORK] TARGET   (over this file)
 */
#include "unionfs/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"

const char *ovl_method_name(enum ovl_method m)
{
	static const char *const names[] = {
		[OVL_METHOD_NONE] = "none",
		[OVL_METHOD_LOWERDIR_PLUS] = "fsconfig lowerdir+",
		[OVL_METHOD_MOUNT] = "mount(2) lowerdir=",
		[OVL_METHOD_SHORT_NAMES] = "mount(2) with short symlinked names",
		[OVL_METHOD_BIND] = "read-only bind mount",
	};
	return m <= OVL_METHOD_BIND ? names[m] : "?";
}

/* Filesystems overlay can't use as an upper layer, and why (statfs f_type values). */
static const struct {
	long magic;
	const char *name, *why;
} bad_uppers[] = {
	{0x794c7630, "overlay", "an overlay can't be the upper layer of another overlay"},
	{0x9fa0, "proc", "it is a kernel interface, not a filesystem for files"},
	{0x62656572, "sysfs", "it is a kernel interface, not a filesystem for files"},
	{0x63677270, "cgroup2", "it is a kernel interface, not a filesystem for files"},
	{0x4d44, "vfat", "it has no xattrs, owners or device nodes"},
	{0x2011bab0, "exfat", "it has no xattrs, owners or device nodes"},
	{0x858458f6, "ramfs", "it has no xattrs for opaque directories"},
	{0x6969, "nfs", "overlay does not support NFS as an upper layer"},
	{0, NULL, NULL},
};

/* is_under - is directory A equal to or inside directory B? (both canonical paths) */
static int is_under(const char *a, const char *b)
{
	size_t n = strlen(b);
	return strncmp(a, b, n) == 0 && (a[n] == '/' || a[n] == '\0' || (n == 1 && b[0] == '/'));
}

static int check_dir(const char *role, const char *path, struct stat *st, struct mr_err *err)
{
	if (!path || !*path)
		return mr_fail(err, EINVAL, "%s: empty path", role);
	if (stat(path, st) < 0)
		return mr_fail(err, errno, "%s '%s'", role, path);
	if (!S_ISDIR(st->st_mode))
		return mr_fail(err, ENOTDIR, "%s '%s'", role, path);
	return 0;
}

int ovl_check(const struct ovl_stack *s, struct mr_err *err)
{
	struct stat st, wst;
	if (s->nlowers < 1 || s->nlowers > OVL_MAX_LOWERS) {
		mr_fail(err, 0, "%zu lower directories: overlay takes 1 to %d", s->nlowers,
			OVL_MAX_LOWERS);
		errno = err ? (err->errnum = EINVAL) : EINVAL;
		return -1;
	}
	for (size_t i = 0; i < s->nlowers; i++)
		if (check_dir("lowerdir", s->lowers[i], &st, err) < 0)
			return -1;
	if (!s->upper != !s->work) {
		mr_fail(err, 0,
			"%s given without %s: an upper layer needs a work directory beside it",
			s->upper ? "upperdir" : "workdir", s->upper ? "workdir" : "upperdir");
		errno = err ? (err->errnum = EINVAL) : EINVAL;
		return -1;
	}
	if (!s->upper)
		return 0;
	if (check_dir("upperdir", s->upper, &st, err) < 0 ||
	    check_dir("workdir", s->work, &wst, err) < 0)
		return -1;
	struct statfs fs;
	if (statfs(s->upper, &fs) == 0)
		for (int i = 0; bad_uppers[i].name; i++)
			if ((long)fs.f_type == bad_uppers[i].magic) {
				mr_fail(err, 0,
					"upperdir '%s' is on %s, which overlay can't use as an upper layer (%s); "
					"put upper and work on ext4, xfs, btrfs or tmpfs",
					s->upper, bad_uppers[i].name, bad_uppers[i].why);
				errno = err ? (err->errnum = EOPNOTSUPP) : EOPNOTSUPP;
				return -1;
			}
	/* why: overlay renames prepared files from workdir into upperdir; rename(2) does not
	 * cross filesystems */
	if (st.st_dev != wst.st_dev)
		return mr_fail(err, EXDEV,
			       "upperdir '%s' and workdir '%s' must be on the same filesystem",
			       s->upper, s->work);
	_cleanup_free_ char *u = realpath(s->upper, NULL);
	_cleanup_free_ char *w = realpath(s->work, NULL);
	if (!u || !w)
		return mr_fail(err, errno, "resolve upperdir/workdir");
	if (is_under(w, u) || is_under(u, w)) {
		mr_fail(err, 0,
			"workdir '%s' and upperdir '%s' must be separate directories, neither inside the other",
			s->work, s->upper);
		errno = err ? (err->errnum = EINVAL) : EINVAL;
		return -1;
	}
	return 0;
}

/* escape - overlay splits lowerdir on ':' and options on ','; a '\' escapes either */
static int append_escaped(char *buf, size_t size, size_t *len, const char *s)
{
	for (; *s; s++) {
		if (*len + 3 > size)
			return -1;
		if (*s == ':' || *s == ',' || *s == '\\')
			buf[(*len)++] = '\\';
		buf[(*len)++] = *s;
	}
	buf[*len] = '\0';
	return 0;
}

static int append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > size)
		return -1;
	memcpy(buf + *len, s, n + 1);
	*len += n;
	return 0;
}

/* build_data - the mount(2) option string for the stack, lowers spelt as NAMES[i];
 * 0, or -1 if it does not fit in size */
static int build_data(const struct ovl_stack *s, const char *const *names, const char *upper,
		      const char *work, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	if (append(buf, size, &len, "lowerdir=") < 0)
		return -1;
	for (size_t i = 0; i < s->nlowers; i++)
		if ((i && append(buf, size, &len, ":") < 0) ||
		    append_escaped(buf, size, &len, names[i]) < 0)
			return -1;
	if (upper &&
	    (append(buf, size, &len, ",upperdir=") < 0 ||
	     append_escaped(buf, size, &len, upper) < 0 ||
	     append(buf, size, &len, ",workdir=") < 0 || append_escaped(buf, size, &len, work) < 0))
		return -1;
	if (s->options && *s->options &&
	    (append(buf, size, &len, ",") < 0 || append(buf, size, &len, s->options) < 0))
		return -1;
	return 0;
}

/* fs_log - the kernel's own message for a failed fsconfig, read from the fs context fd,
 * as " (kernel: overlay: ...)"; "" when there is none */
static const char *fs_log(int fsfd, char *buf, size_t size)
{
	char msg[400];
	ssize_t n = read(fsfd, msg, sizeof(msg) - 1);
	if (n <= 2)
		return "";
	msg[n] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	/* each message starts "e " (error), "w " (warning) or "i " (info) */
	snprintf(buf, size, " (kernel: %s)", msg + 2);
	return buf;
}

/*
 * native_fs_context - does overlay parse fsconfig() parameters itself? FSFD: a fresh
 * fsopen("overlay") context, left usable for the mount when the answer is yes.
 * Before Linux 6.5 overlay had no fs_context support: fsopen("overlay") still works, but
 * the VFS's "legacy" shim accepts *any* key, glues them into one mount(2)-style string
 * (one page at most) and lets overlay's old parser fail at FSCONFIG_CMD_CREATE. So an
 * unknown key being refused is what proves the parameters are really parsed one by one.
 * The refusal leaves the context as it was, but for a line in its log, read here so that
 * fs_log finds the mount's own messages. Why the probe uses the mount's context and not
 * one of its own: closing an unused overlay context is not free (ovl_free_fs waits for an
 * expedited RCU grace period even with no layers in it: ~0.1 ms here, at every mount).
 */
static int native_fs_context(int fsfd)
{
	if (fsconfig(fsfd, FSCONFIG_SET_STRING, "unionfs-probe", "1", 0) == 0 || errno != EINVAL)
		return 0;
	char line[400];
	ssize_t n = read(fsfd, line, sizeof(line)); /* -1 (ENODATA): no line to skip */
	(void)n;
	return 1;
}

/*
 * set_path - fsconfig(KEY = PATH). fsconfig copies at most 256 bytes of a string value, so a
 * longer path goes as "/proc/self/fd/N" of an O_PATH fd opened here: overlay resolves a
 * layer's path during this very fsconfig call (following that magic link to the directory),
 * so the fd can be closed right after. mountinfo then shows the /proc path for that layer.
 */
static int set_path(int fsfd, const char *key, const char *path)
{
	if (strlen(path) < 256)
		return fsconfig(fsfd, FSCONFIG_SET_STRING, key, path, 0);
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char proc[64];
	mr_fd_path(proc, sizeof(proc), fd);
	mr_say("%s is longer than fsconfig takes: pass it as %s", key, proc);
	int rc = fsconfig(fsfd, FSCONFIG_SET_STRING, key, proc, 0);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* mount_new_api - method 1. Returns 0 mounted, 1 "this kernel can't" (try the next
 * method), -1 a real failure (err filled). */
static int mount_new_api(const struct ovl_stack *s, const char *target, struct mr_err *err)
{
	_cleanup_close_ int fsfd = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return 1; /* no new mount API (before Linux 5.2), or overlay not loaded */
	if (!native_fs_context(fsfd)) {
		mr_say("overlay has no native fsconfig parameters here (Linux < 6.5): use mount(2)");
		return 1;
	}
	char log[512];
	mr_say("fsopen(\"overlay\")");
	for (size_t i = 0; i < s->nlowers; i++) {
		if (set_path(fsfd, "lowerdir+", s->lowers[i]) < 0) {
			int e = errno;
			fs_log(fsfd, log, sizeof(log));
			if (i == 0 && e == EINVAL && strstr(log, "nknown parameter")) {
				mr_say("this kernel has no \"lowerdir+\" (Linux < 6.8)%s", log);
				return 1;
			}
			return mr_fail(err, e, "lowerdir '%s'%s", s->lowers[i], log);
		}
		mr_say("fsconfig lowerdir+ = %s%s", s->lowers[i], i == 0 ? "   (top)" : "");
	}
	static const char *const keys[] = {"upperdir", "workdir"};
	const char *vals[] = {s->upper, s->work};
	for (int i = 0; s->upper && i < 2; i++) {
		if (set_path(fsfd, keys[i], vals[i]) < 0)
			return mr_fail(err, errno, "%s '%s'%s", keys[i], vals[i],
				       fs_log(fsfd, log, sizeof(log)));
		mr_say("fsconfig %s = %s", keys[i], vals[i]);
	}
	if (s->options && *s->options) {
		_cleanup_free_ char *opts = strdup(s->options);
		char *save = NULL;
		for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(o, '=');
			if (eq)
				*eq = '\0';
			int rc = eq ? fsconfig(fsfd, FSCONFIG_SET_STRING, o, eq + 1, 0)
				    : fsconfig(fsfd, FSCONFIG_SET_FLAG, o, NULL, 0);
			if (rc < 0)
				return mr_fail(err, errno, "overlay option '%s'%s", o,
					       fs_log(fsfd, log, sizeof(log)));
		}
	}
	/* the mount's source, which /proc/mounts shows first: "overlay" as mount(2) below
	 * and docker give it (without it the new API's mount reads "none") */
	if (fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "overlay", 0) < 0)
		return mr_fail(err, errno, "overlay source%s", fs_log(fsfd, log, sizeof(log)));
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return mr_fail(err, errno, "create the overlay%s", fs_log(fsfd, log, sizeof(log)));
	_cleanup_close_ int mfd =
		fsmount(fsfd, FSMOUNT_CLOEXEC, s->readonly ? MOUNT_ATTR_RDONLY : 0);
	if (mfd < 0)
		return mr_fail(err, errno, "fsmount");
	/* until move_mount the overlay is attached nowhere; closing mfd would discard it */
	if (move_mount(mfd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return mr_fail(err, errno, "move_mount onto '%s'", target);
	mr_say("move_mount -> %s", target);
	return 0;
}

/* mount_short_names - method 3: chdir into a temp dir of symlinks 0, 1, ... */
static int mount_short_names(const struct ovl_stack *s, const char *target, unsigned long flags,
			     struct mr_err *err)
{
	size_t n = s->nlowers;
	char **real = calloc(n, sizeof(*real)), **names = calloc(n, sizeof(*names));
	_cleanup_free_ char *up = s->upper ? realpath(s->upper, NULL) : NULL;
	_cleanup_free_ char *wk = s->work ? realpath(s->work, NULL) : NULL;
	_cleanup_free_ char *tgt = realpath(target, NULL);
	char tmp[] = "/tmp/unionfs-lowers.XXXXXX";
	_cleanup_free_ char *data = malloc(4096);
	int rc = -1, cwd = -1, made = 0;
	if (!real || !names || !data || !tgt || (s->upper && (!up || !wk))) {
		mr_fail(err, errno ? errno : ENOMEM, "prepare short lowerdir names");
		goto out;
	}
	if (!mkdtemp(tmp)) {
		mr_fail(err, errno, "mkdtemp '%s'", tmp);
		goto out;
	}
	for (size_t i = 0; i < n; i++, made++) {
		if (!(real[i] = realpath(s->lowers[i], NULL)) ||
		    asprintf(&names[i], "%zx", i) < 0) {
			mr_fail(err, errno, "lowerdir '%s'", s->lowers[i]);
			goto out;
		}
		char link[64];
		snprintf(link, sizeof(link), "%s/%s", tmp, names[i]);
		if (symlink(real[i], link) < 0) {
			mr_fail(err, errno, "symlink '%s'", link);
			goto out;
		}
	}
	if (build_data(s, (const char *const *)names, up, wk, data, (size_t)getpagesize()) < 0) {
		mr_fail(err, 0, "%zu lowers do not fit in one page even as short names", n);
		errno = err ? (err->errnum = E2BIG) : E2BIG;
		goto out;
	}
	/* why the chdir: the short names are relative, and the kernel resolves relative
	 * lowerdir paths from the mounting process's working directory */
	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || chdir(tmp) < 0) {
		mr_fail(err, errno, "chdir '%s'", tmp);
		goto out;
	}
	mr_say("mount(\"overlay\", %s, \"%.60s...\") from %s", tgt, data, tmp);
	rc = mount("overlay", tgt, "overlay", flags, data);
	if (rc < 0)
		mr_fail(err, errno, "mount overlay on '%s' (see dmesg for the kernel's reason)",
			target);
	if (fchdir(cwd) < 0 && rc == 0) {
		umount2(tgt, MNT_DETACH);
		rc = mr_fail(err, errno, "return to the working directory");
	}
out:
	if (cwd >= 0)
		close(cwd);
	for (size_t i = 0; i < n && real && names; i++) {
		if (i < (size_t)made) {
			char link[64];
			snprintf(link, sizeof(link), "%s/%s", tmp, names[i]);
			unlink(link);
		}
		free(real[i]);
		free(names[i]);
	}
	if (strcmp(tmp, "/tmp/unionfs-lowers.XXXXXX") != 0)
		rmdir(tmp);
	free(real);
	free(names);
	return rc;
}

int ovl_mount(const struct ovl_stack *s, const char *target, enum ovl_method *method,
	      struct mr_err *err)
{
	enum ovl_method m = OVL_METHOD_NONE;
	unsigned long flags = s->readonly ? MS_RDONLY : 0;
	int rc;
	if (method)
		*method = m;
	if (ovl_check(s, err) < 0 || check_dir("target", target, &(struct stat){0}, err) < 0)
		goto fail;

	if (s->nlowers == 1 && !s->upper) {
		/* overlay wants two lowers when there is no upper; one layer alone is that
		 * layer, read-only: a bind mount made read-only in a second step (MS_RDONLY is
		 * ignored on the first MS_BIND) */
		m = OVL_METHOD_BIND;
		mr_say("mount --bind %s %s; remount read-only", s->lowers[0], target);
		if (mount(s->lowers[0], target, NULL, MS_BIND, NULL) < 0) {
			mr_fail(err, errno, "bind '%s' on '%s'", s->lowers[0], target);
			goto fail;
		}
		if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) {
			mr_fail(err, errno, "make '%s' read-only", target);
			umount2(target, MNT_DETACH);
			goto fail;
		}
		goto ok;
	}

	if (!s->method || s->method == OVL_METHOD_LOWERDIR_PLUS) {
		m = OVL_METHOD_LOWERDIR_PLUS;
		rc = mount_new_api(s, target, err);
		if (rc == 0)
			goto ok;
		if (rc < 0)
			goto fail;
		if (s->method) {
			mr_fail(err, 0,
				"this kernel has no \"lowerdir+\" overlay parameter (Linux >= 6.8)");
			goto fail;
		}
	}

	char data[4096];
	int fits = build_data(s, s->lowers, s->upper, s->work, data, (size_t)getpagesize()) == 0;
	if (s->method == OVL_METHOD_MOUNT && !fits) {
		mr_fail(err, 0, "the lower list does not fit in mount(2)'s one page");
		goto fail;
	}
	if (fits && s->method != OVL_METHOD_SHORT_NAMES) {
		m = OVL_METHOD_MOUNT;
		mr_say("mount(\"overlay\", %s, \"%s\")", target, data);
		if (mount("overlay", target, "overlay", flags, data) < 0) {
			mr_fail(err, errno,
				"mount overlay on '%s' (see dmesg for the kernel's reason)",
				target);
			goto fail;
		}
		goto ok;
	}
	m = OVL_METHOD_SHORT_NAMES;
	mr_say("%zu lowers do not fit in one page: use short symlinked names", s->nlowers);
	if (mount_short_names(s, target, flags, err) < 0)
		goto fail;
ok:
	if (method)
		*method = m;
	return 0;
fail:
	mr_prefix(err, "overlay '%s': ", target);
	return -1;
}

int ovl_umount(const char *target, int flags, struct mr_err *err)
{
	mr_say("umount2(%s%s)", target, flags & MNT_DETACH ? ", MNT_DETACH" : "");
	if (umount2(target, flags) < 0)
		return mr_fail(err, errno, "unmount '%s'", target);
	return 0;
}

int ovl_is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static int userxattr; /* ovl_set_userxattr */

void ovl_set_userxattr(int on)
{
	userxattr = on;
}

int ovl_is_opaque(int dirfd, const char *name, struct mr_err *err)
{
	_cleanup_close_ int fd =
		*name ? openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		      : openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", name);
	char v[8];
	ssize_t n = fgetxattr(fd, userxattr ? "user.overlay.opaque" : "trusted.overlay.opaque", v,
			      sizeof(v));
	if (n < 0)
		return errno == ENODATA || errno == ENOTSUP
			       ? 0
			       : mr_fail(err, errno, "getxattr '%s'", name);
	return n == 1 && v[0] == 'y';
}
