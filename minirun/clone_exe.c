/*
 * minirun/clone_exe.c - run from a sealed in-memory copy of our own binary.
 *
 * While the runtime sets a container up (create, exec), a process of the container can
 * see it in /proc and open /proc/PID/exe: the runtime's binary on the host. CVE-2019-5736
 * wrote a trojan through that link into runc itself, and every later container ran it.
 * So before doing anything for a container, minirun re-executes itself from a memfd copy
 * of its binary, sealed against writes: /proc/self/exe is then that copy, which nobody can
 * change, and the host binary is never mapped by a process inside a container.
 *
 * See: memfd_create(2) and fcntl(2) "File Sealing", fexecve(3), CVE-2019-5736.
 */
#include "minirun/clone_exe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLONE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

bool clone_exe_is_sealed(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	return seals >= 0 && (seals & CLONE_SEALS) == CLONE_SEALS;
}

int clone_exe_reexec(char **argv, struct mr_err *err)
{
	extern char **environ;
	if (clone_exe_is_sealed())
		return 0;
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (src < 0)
		return mr_fail(err, errno, "open /proc/self/exe");
	struct stat st;
	int mfd = memfd_create("minirun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0 || fstat(src, &st) < 0) {
		close(src);
		return mr_fail(err, errno, "memfd_create");
	}
	for (off_t off = 0; off < st.st_size;) {
		ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
		if (n <= 0) {
			close(src);
			close(mfd);
			return mr_fail(err, n < 0 ? errno : EIO, "copy our binary to a memfd");
		}
	}
	close(src);
	if (fcntl(mfd, F_ADD_SEALS, CLONE_SEALS) < 0) {
		close(mfd);
		return mr_fail(err, errno, "seal the memfd");
	}
	mr_say("re-exec from a sealed memfd copy of /proc/self/exe");
	fexecve(mfd, argv, environ);
	int e = errno;
	close(mfd);
	return mr_fail(err, e, "fexecve our sealed copy");
}
