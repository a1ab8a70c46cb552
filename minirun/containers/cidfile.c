/*
 * minirun/containers/cidfile.c - `run`/`create --cidfile FILE`: the new container's ID
 * written to FILE, for the scripts that start a container and later stop it by that file.
 *
 * As docker's CLI does it: FILE must not exist yet (an old one may name a container still
 * running: "container ID file found, make sure the other container isn't running or delete
 * FILE"); it is created, empty, before the container is (so an unwritable path fails with
 * nothing made), the ID goes in once the container exists, and a create that fails removes
 * it again. The record keeps the path as typed (HostConfig.ContainerIDFile). The file stays
 * after the container is gone: `rm` does not remove it, as docker does not.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/run/ ("--cidfile").
 * Try: minirun run -d --cidfile /tmp/web.cid busybox sleep 60; minirun stop $(cat /tmp/web.cid)
 */
#include "minirun/containers/containers.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* strerror as Go prints it: in lower case */
static const char *go_error(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(e));
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

int container_cidfile_open(const char *path, struct mr_err *err)
{
	char why[128];
	/* O_EXCL: the "exists" check and the creation in one step (two `run --cidfile f`
	 * racing: one wins, the other is told the file is there) */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0)
		return fd;
	if (errno == EEXIST || errno == ELOOP)
		return mr_failk(err, MR_E_INVALID, 0,
				"container ID file found, make sure the other container isn't "
				"running or delete %s",
				path);
	return mr_failk(err, MR_E_INVALID, 0, "failed to create the container ID file: open %s: %s",
			path, go_error(errno, why, sizeof(why)));
}

int container_cidfile_close(int fd, const char *path, const char *id, struct mr_err *err)
{
	char why[128];
	if (!id) {
		close(fd);
		unlink(path);
		return 0;
	}
	size_t n = strlen(id);
	ssize_t w = write(fd, id, n);
	int e = errno;
	if (close(fd) < 0 && w == (ssize_t)n)
		w = -1, e = errno;
	if (w != (ssize_t)n)
		return mr_fail(err, e, "failed to write the container ID to the file: %s",
			       go_error(w < 0 ? e : EIO, why, sizeof(why)));
	return 0;
}
