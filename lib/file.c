/*
 * lib/file.c - whole-file reads and writes for kernel interface files (see file.h).
 */
#include "lib/file.h"
#include "lib/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <dirent.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int mr_read_file_at(int dirfd, const char *path, char **out, size_t *len, struct mr_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t cap = 0, n = 0;

	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", path);
	for (;;) {
		if (cap - n < 4096) {
			/* /proc files report st_size 0, so grow as we go rather than trusting fstat
			 */
			char *bigger = realloc(buf, cap ? cap * 2 : 8192);
			if (!bigger)
				return mr_fail(err, ENOMEM, "read '%s'", path);
			buf = bigger;
			cap = cap ? cap * 2 : 8192;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return mr_fail(err, errno, "read '%s'", path);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	*out = mr_steal_ptr(&buf);
	return 0;
}

int mr_read_file(const char *path, char **out, size_t *len, struct mr_err *err)
{
	return mr_read_file_at(AT_FDCWD, path, out, len, err);
}

int mr_write_file_at(int dirfd, const char *path, const char *data, struct mr_err *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(data);
	char shown[64];

	/* Name the value in the error too: "write 'memory.max' = '12x': Invalid argument" */
	snprintf(shown, sizeof(shown), "%.*s", (int)strcspn(data, "\n"), data);
	if (fd < 0)
		return mr_fail(err, errno, "open '%s' for writing", path);
	ssize_t w = write(fd, data, len); /* one write: the kernel takes a value per write */
	if (w < 0)
		return mr_fail(err, errno, "write '%s' = '%s'", path, shown);
	if ((size_t)w != len)
		return mr_fail(err, EIO, "short write to '%s'", path);
	return 0;
}

int mr_write_file(const char *path, const char *data, struct mr_err *err)
{
	return mr_write_file_at(AT_FDCWD, path, data, err);
}

int mr_write_filef(const char *path, struct mr_err *err, const char *fmt, ...)
{
	_cleanup_free_ char *data = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&data, fmt, ap);
	va_end(ap);
	if (n < 0)
		return mr_fail(err, ENOMEM, "format value for '%s'", path);
	return mr_write_file(path, data, err);
}

/* write_replace - the one implementation of both: a temp file beside PATH, written whole,
 * fsync'ed when SYNC, renamed over PATH */
static int write_replace(const char *path, const void *data, size_t len, mode_t mode, bool sync,
			 struct mr_err *err)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return mr_fail(err, ENAMETOOLONG, "write '%s'", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return mr_fail(err, errno, "create '%s'", tmp);
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		p += w;
		left -= (size_t)w;
	}
	if (sync && fsync(fd) < 0)
		goto fail;
	close(fd);
	/* rename(2) is atomic: readers see the old file or the new one, never half of one */
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return mr_fail(err, e, "rename '%s' to '%s'", tmp, path);
	}
	return 0;
fail : {
	int e = errno;
	close(fd);
	unlink(tmp);
	return mr_fail(err, e, "write '%s'", tmp);
}
}

int mr_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 struct mr_err *err)
{
	return write_replace(path, data, len, mode, true, err);
}

int mr_replace_file(const char *path, const char *text, mode_t mode, struct mr_err *err)
{
	return write_replace(path, text, strlen(text), mode, false, err);
}

const char *mr_fd_path(char *buf, size_t n, int fd)
{
	snprintf(buf, n, "/proc/self/fd/%d", fd);
	return buf;
}

int mr_lock_file(const char *path, struct mr_err *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			int e = errno;
			close(fd);
			return mr_fail(err, e, "lock '%s'", path);
		}
	return fd;
}

int mr_mkdir_p(const char *path, mode_t mode, struct mr_err *err)
{
	char buf[PATH_MAX];
	struct stat st;
	/* mostly it is there already: one stat, not a mkdir per component */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return mr_fail(err, ENAMETOOLONG, "mkdir '%s'", path);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return mr_fail(err, errno, "mkdir '%s'", buf);
			*p = c;
			if (c == '\0')
				break;
		}
	}
	if (stat(path, &st) < 0)
		return mr_fail(err, errno, "stat '%s'", path);
	if (!S_ISDIR(st.st_mode))
		return mr_fail(err, ENOTDIR, "mkdir '%s'", path);
	return 0;
}

int mr_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	if (!s || !*s) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

/* the writer's PID in NAME, when NAME is one of mr_sweep_temps's temp names; else 0 */
static long temp_writer(const char *name)
{
	char *end;
	const char *t = strstr(name, ".tmp.");
	if (t) { /* NAME.tmp.PID */
		long pid = strtol(t + 5, &end, 10);
		return *end ? 0 : pid;
	}
	size_t n = strlen(name);
	if (n < 6 || strcmp(name + n - 4, ".tmp") != 0) /* NAME.PID.tmp */
		return 0;
	const char *dot = name + n - 5;
	while (dot > name && *dot >= '0' && *dot <= '9')
		dot--;
	return *dot == '.' && dot + 1 < name + n - 4 ? strtol(dot + 1, NULL, 10) : 0;
}

int mr_sweep_temps(const char *dir)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *de;
	int removed = 0;
	while (d && (de = readdir(d))) {
		long pid = temp_writer(de->d_name);
		/* only a writer that is gone: kill(pid, 0) fails with ESRCH */
		if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		mr_say("remove %s/%s: its writer (pid %ld) died before renaming it", dir,
		       de->d_name, pid);
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed++;
	}
	return removed;
}
