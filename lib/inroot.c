/*
 * lib/inroot.c - open a path inside a directory tree without leaving it (see inroot.h):
 * openat2(RESOLVE_IN_ROOT), else a walk that follows no symlink; and one name below an fd,
 * opened only if it is the kind of file expected.
 */
#include "lib/inroot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* -1 unknown until the first call, 1 the kernel has openat2, 0 it answered ENOSYS */
static int have_openat2 = -1;

/* The fallback: PATH (no leading '/') one component at a time from ROOTFD, each opened
 * with O_NOFOLLOW; a symlink anywhere is ELOOP, ".." is EXDEV (we can't tell whether it
 * stays inside without resolving what came before it the way the kernel would). */
static int walk_nofollow(int rootfd, const char *path, int flags)
{
	char buf[4096], *save = NULL, *c, *next;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int cur = dup(rootfd);
	for (c = strtok_r(buf, "/", &save); c && cur >= 0; c = next) {
		next = strtok_r(NULL, "/", &save);
		while (next && !strcmp(next, ".")) /* "a/./b" is "a/b" */
			next = strtok_r(NULL, "/", &save);
		int fd;
		if (!strcmp(c, "..")) {
			fd = -1;
			errno = EXDEV;
		} else if (!strcmp(c, ".")) {
			fd = next ? dup(cur) : openat(cur, ".", flags | O_CLOEXEC);
		} else {
			/* O_PATH | O_NOFOLLOW opens a symlink itself: fstat below tells */
			fd = openat(cur, c,
				    (next ? O_PATH | O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC);
			struct stat st;
			if (fd < 0 && errno == ENOTDIR && next &&
			    fstatat(cur, c, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				errno = ELOOP;
			if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
				close(fd);
				fd = -1;
				errno = ELOOP;
			}
		}
		int saved = errno;
		close(cur);
		errno = saved;
		cur = fd;
	}
	if (cur >= 0 && path[strspn(path, "/.")] == '\0') {
		/* the root itself ("", "/", "."): reopen it with FLAGS */
		int fd = openat(cur, ".", flags | O_CLOEXEC);
		int saved = errno;
		close(cur);
		errno = saved;
		return fd;
	}
	return cur;
}

int mr_open_in_root(int rootfd, const char *path, int flags, unsigned long long resolve)
{
	if (flags & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))) {
		errno = EINVAL;
		return -1;
	}
	const char *rel = path + strspn(path, "/");
	if (have_openat2 != 0 && !getenv("MR_NO_OPENAT2")) {
		struct open_how how = {
			.flags = (unsigned long long)(flags | O_CLOEXEC),
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
		};
		int fd = (int)syscall(SYS_openat2, rootfd, *rel ? rel : ".", &how, sizeof(how));
		if (fd >= 0 || errno != ENOSYS) {
			have_openat2 = 1;
			return fd;
		}
		have_openat2 = 0; /* an older kernel: walk by hand from now on */
	}
	if (resolve & ~(unsigned long long)(RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)) {
		errno = ENOSYS;
		return -1;
	}
	return walk_nofollow(rootfd, rel, flags);
}

int mr_openat_type(int dirfd, const char *name, int flags, mode_t type, struct stat *st)
{
	struct stat sb;
	if (flags & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))) {
		errno = EINVAL;
		return -1;
	}
	int p = *name ? openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)
		      : fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (p < 0)
		return -1;
	int fd = -1;
	if (fstat(p, &sb) < 0) {
		/* errno set */
	} else if ((sb.st_mode & S_IFMT) != type) {
		errno = S_ISLNK(sb.st_mode)   ? ELOOP
			: type == S_IFDIR     ? ENOTDIR
			: S_ISDIR(sb.st_mode) ? EISDIR
					      : ENXIO;
	} else {
		/* the magic link names the inode P holds, not a path: no rename reaches it (and
		 * O_NOFOLLOW would refuse the magic link itself) */
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", p);
		fd = open(self, (flags & ~O_NOFOLLOW) | O_CLOEXEC);
		if (fd >= 0 && st)
			*st = sb;
	}
	int saved = errno;
	close(p);
	errno = saved;
	return fd;
}
