/*
 * minirun/volume/populate.c - docker's "populate": a new, empty volume mounted where the
 * image has files starts with a copy of them.
 *
 *	VOLUME ["/data"] in a Dockerfile, the image has /data/seed
 *	docker run IMAGE ls /data      ->  seed   (from the anonymous volume, not the image)
 *
 * Docker copies when the volume is empty and the mount does not say nocopy, for named
 * volumes as well as anonymous ones; once the volume holds anything, it is left alone
 * (a second container sees what the first one wrote, not the image). The copy keeps
 * owners, modes and times, copies symlinks as symlinks (never following one), and makes
 * hard links into separate copies. The image's own directory gives the volume's top
 * directory its owner and mode, so a VOLUME owned by a USER stays writable by it.
 *
 * Not docker's: a volume mounted over /etc gets docker's empty placeholder files for
 * /etc/hostname, /etc/hosts and /etc/resolv.conf too (its daemon makes them in the
 * container's layer before it populates). Kept apart on purpose (issue 22, "not to copy"):
 * only what the image holds is copied; the engine's own bind-mounted files are not the
 * image's data and would shadow nothing but confuse whoever reads the volume later
 * (tests/differential/docker.cases: run-volume-placeholders).
 *
 * The source is a directory fd the caller opened inside the image's root (the container
 * code mounts the image read-only in a mount namespace of its own, see
 * minirun/containers/vol.c): nothing here resolves a path of the image.
 *
 * See: volume.h;
 *      https://docs.docker.com/engine/storage/volumes/#populate-a-volume-using-a-container
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "minirun/volume/volume.h"

static int copy_dir(int sdir, int ddir, const char *shown, struct mr_err *err);

/* owner, mode and times as SB says, on the open file FD (a file or directory just made).
 * Why on the fd and never by name: _data is a host directory a running container that
 * shares the volume can write into; between the copy and a chmod by name it could swap
 * the entry for a symlink to a host file, and fchmodat follows symlinks. */
static void set_meta_fd(int fd, const struct stat *sb)
{
	struct timespec ts[2] = {sb->st_atim, sb->st_mtim};
	if (fchown(fd, sb->st_uid, sb->st_gid) < 0 || fchmod(fd, sb->st_mode & 07777) < 0) {
		/* best effort, as tar's: the copy itself stands */
	}
	futimens(fd, ts);
}

/* the same for a symlink or node DFD/NAME, which has no fd to hold: none of these
 * follows a symlink (fchmodat's AT_SYMLINK_NOFOLLOW: glibc 2.32+; a symlink has no mode) */
static void set_meta_at(int dfd, const char *name, const struct stat *sb)
{
	struct timespec ts[2] = {sb->st_atim, sb->st_mtim};
	fchownat(dfd, name, sb->st_uid, sb->st_gid, AT_SYMLINK_NOFOLLOW);
	if (!S_ISLNK(sb->st_mode))
		fchmodat(dfd, name, sb->st_mode & 07777, AT_SYMLINK_NOFOLLOW);
	utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW);
}

/* SDIR/NAME (not followed) -> DDIR/NAME, which does not exist yet */
static int copy_one(int sdir, int ddir, const char *name, const char *shown, struct mr_err *err)
{
	struct stat sb;
	if (fstatat(sdir, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return mr_fail(err, errno, "stat '%s'", shown);
	switch (sb.st_mode & S_IFMT) {
	case S_IFDIR: {
		if (mkdirat(ddir, name, 0700) < 0)
			return mr_fail(err, errno, "mkdir '%s'", shown);
		_cleanup_close_ int s =
			openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		_cleanup_close_ int d =
			openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s < 0 || d < 0)
			return mr_fail(err, errno, "open directory '%s'", shown);
		if (copy_dir(s, d, shown, err) < 0)
			return -1;
		set_meta_fd(d, &sb);
		return 0;
	}
	case S_IFREG: {
		/* one buffer for the whole copy, not a frame's worth per directory level: the
		 * populate child is single-threaded, and an image can nest deep */
		static char buf[1 << 16];
		ssize_t n;
		_cleanup_close_ int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		_cleanup_close_ int out = openat(
			ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (in < 0 || out < 0)
			return mr_fail(err, errno, "copy '%s'", shown);
		while ((n = read(in, buf, sizeof(buf))) > 0)
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(out, buf + off, (size_t)(n - off));
				if (w < 0)
					return mr_fail(err, errno, "write '%s'", shown);
				off += w;
			}
		if (n < 0)
			return mr_fail(err, errno, "read '%s'", shown);
		set_meta_fd(out, &sb);
		return 0;
	}
	case S_IFLNK: {
		char target[4096];
		ssize_t n = readlinkat(sdir, name, target, sizeof(target) - 1);
		if (n < 0)
			return mr_fail(err, errno, "readlink '%s'", shown);
		target[n] = '\0';
		if (symlinkat(target, ddir, name) < 0)
			return mr_fail(err, errno, "symlink '%s'", shown);
		break;
	}
	default:
		/* an overlay whiteout (0/0 character device) of a single-layer image: not a file */
		if (S_ISCHR(sb.st_mode) && sb.st_rdev == makedev(0, 0))
			return 0;
		if (mknodat(ddir, name, sb.st_mode, sb.st_rdev) < 0)
			return mr_fail(err, errno, "mknod '%s'", shown);
	}
	set_meta_at(ddir, name, &sb);
	return 0;
}

/* every entry of SDIR into DDIR */
static int copy_dir(int sdir, int ddir, const char *shown, struct mr_err *err)
{
	int fd = dup(sdir);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return mr_fail(err, errno, "read directory '%s'", shown);
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s", shown, e->d_name);
		rc = copy_one(sdir, ddir, e->d_name, sub, err);
	}
	closedir(d);
	return rc;
}

int volume_dir_empty(int dfd)
{
	int fd = dup(dfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	int empty = d != NULL;
	while (d && empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	return empty;
}

int volume_populate(const char *root, const char *name, int srcfd, const char *shown,
		    struct mr_err *err)
{
	char path[PATH_MAX];
	struct stat sb;
	if (volume_check_name(name, err) < 0)
		return -1;
	_cleanup_close_ int lock = volume_lock(root, err);
	if (lock < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/volumes/%s/_data", root, name);
	_cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return mr_fail(err, errno, "open '%s'", path);
	if (!volume_dir_empty(dfd)) /* docker: only an empty volume is populated */
		return 0;
	mr_say("populate volume %s from the image's %s", name, shown);
	if (fstat(srcfd, &sb) < 0)
		return mr_fail(err, errno, "stat '%s'", shown);
	if (copy_dir(srcfd, dfd, shown, err) < 0) {
		mr_prefix(err, "populate volume %s: ", name);
		return -1;
	}
	/* the top directory: the image's owner and mode (fchmodat can't take "") */
	struct timespec ts[2] = {sb.st_atim, sb.st_mtim};
	if (fchown(dfd, sb.st_uid, sb.st_gid) < 0 || fchmod(dfd, sb.st_mode & 07777) < 0 ||
	    futimens(dfd, ts) < 0)
		return mr_fail(err, errno, "populate volume %s: set the owner of '%s'", name, path);
	return 0;
}
