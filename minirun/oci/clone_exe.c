/*
 * minirun/oci/clone_exe.c - run from a copy of our own binary that nobody can write to.
 *
 * While the runtime sets a container up (create, exec), a process of the container can
 * see it in /proc and open /proc/PID/exe: the runtime's binary on the host. CVE-2019-5736
 * wrote a trojan through that link into runc itself, and every later container ran it.
 * So before doing anything for a container, minirun re-executes itself from a file that
 * can't be written, and the host binary is never the exe of a process inside a container.
 * Two ways, the cheap one first (runc 1.2 does the same):
 *
 *  1. a private overlayfs of the binary's directory: fsopen("overlay") with two lower
 *     layers and no upper one, fsmount()ed read-only but never attached anywhere. An
 *     overlay without an upper layer has nowhere to write to: unlike a read-only bind
 *     mount, no remount can make it writable. Costs one superblock (~0.1 ms), copies
 *     nothing, and shares the binary's page cache;
 *  2. where the kernel or the caller can't make that mount (no overlay module, no
 *     CAP_SYS_ADMIN): a memfd copy of the binary, sealed against writes (a 1.8 MB copy,
 *     ~1.5 ms per container on this kind of machine).
 *
 * The re-executed process checks that it already runs from one of the two and goes on.
 * The static minirun-oci makes way 1 before glibc starts, from its entry point, for
 * create, run and exec (early_seal.c): it then arrives here sealed already.
 * MINIRUN_SEAL=memfd in the environment skips way 1 (to see or test way 2, or on a host
 * whose overlayfs misbehaves): both are safe, the second is only slower.
 *
 * See: memfd_create(2), fcntl(2) "File Sealing", fsopen(2), fsmount(2), execveat(2),
 *      Documentation/filesystems/overlayfs.rst, CVE-2019-5736, runc's libcontainer/exeseal.
 */
#include "minirun/oci/runtime.h"
#include "lib/cleanup.h"
#include "minirun/oci/debuglog.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CLONE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#ifndef OVERLAYFS_SUPER_MAGIC
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#endif

/* The second lower layer: overlayfs wants two when there is no upper one. Any directory
 * that does not overlap the binary's will do (the binary's layer is on top, so nothing
 * in it can hide the binary); /dev exists everywhere minirun runs. */
#define DUMMY_LOWER "/dev"

#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U
#endif
#ifndef SYS_statmount
#define SYS_statmount 457 /* the same on every architecture, as every new call since 5.x */
#endif

/* True when the mount of FD is in none of our mount namespace's tables: a detached mount,
 * which only an fsmount() by the process that executed us can have made. With Linux 6.8's
 * 64-bit mount ID, one statmount(2), which answers for the caller's namespace only (ENOENT
 * for any other mount, a detached one included). Else, or when the call is refused (a
 * seccomp filter may not know it), /proc/self/mountinfo is searched for the old ID: ~40-100
 * us (the kernel writes a line per mount) on every create, run and exec. */
static bool detached(int fd)
{
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID_UNIQUE, &stx) == 0 &&
	    (stx.stx_mask & STATX_MNT_ID_UNIQUE)) {
		struct {
			uint32_t size, spare;
			uint64_t mnt_id, param;
		} req = {24, 0, stx.stx_mnt_id, 1 /* STATMOUNT_SB_BASIC */};
		uint64_t buf[64];
		if (syscall(SYS_statmount, &req, buf, sizeof(buf), 0) == 0)
			return false;
		if (errno == ENOENT)
			return true;
	}
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return false;
	char line[512];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strtoull(line, NULL, 10) == stx.stx_mnt_id)
			found = true;
		while (!strchr(line, '\n') && fgets(line, sizeof(line), f))
			; /* the rest of a long line */
	}
	fclose(f);
	return !found;
}

bool clone_exe_is_sealed(void)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct statfs fs;
	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0)
		return (seals & CLONE_SEALS) == CLONE_SEALS;
	/* our overlay: read-only, and a mount that is attached nowhere */
	return fstatfs(fd, &fs) == 0 && fs.f_type == OVERLAYFS_SUPER_MAGIC &&
	       (fs.f_flags & ST_RDONLY) && detached(fd);
}

/* Way 1: a detached read-only overlay of the binary's directory. Returns its mount fd
 * and sets *name to the binary's name in it; -1 (errno set) when the kernel or our
 * privileges don't allow it. */
static int overlay_of(const char *exe, const char **name)
{
	char dir[4096], lower[8192 + 16];
	*name = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
	snprintf(dir, sizeof(dir), "%s", exe);
	char *d = dirname(dir);
	/* ':' and '\' separate and escape layers in lowerdir: escape them in the path */
	size_t n = 0;
	for (const char *p = d; *p && n < sizeof(lower) - 16; p++) {
		if (*p == ':' || *p == '\\')
			lower[n++] = '\\';
		lower[n++] = *p;
	}
	snprintf(lower + n, sizeof(lower) - n, ":%s", DUMMY_LOWER);
	_cleanup_close_ int fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0) < 0)
		return -1;
	/* xino would only log warnings when the two layers are on different filesystems */
	fsconfig(fs, FSCONFIG_SET_STRING, "xino", "off", 0);
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	return fsmount(fs, FSMOUNT_CLOEXEC,
		       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
}

/* Way 2: a sealed memfd copy of the binary; its fd, or -1 with err filled. */
static int memfd_copy(struct mr_err *err)
{
	_cleanup_close_ int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (src < 0)
		return mr_fail(err, errno, "open /proc/self/exe");
	int mfd = memfd_create("minirun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0 || fstat(src, &st) < 0) {
		if (mfd >= 0)
			close(mfd);
		return mr_fail(err, errno, "memfd_create");
	}
	for (off_t off = 0; off < st.st_size;) {
		ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
		if (n <= 0) {
			close(mfd);
			return mr_fail(err, n < 0 ? errno : EIO, "copy our binary to a memfd");
		}
	}
	if (fcntl(mfd, F_ADD_SEALS, CLONE_SEALS) < 0) {
		close(mfd);
		return mr_fail(err, errno, "seal the memfd");
	}
	return mfd;
}

int clone_exe_reexec(char **argv, struct mr_err *err)
{
	extern char **environ;
	char exe[4096];
	const char *name;
	if (clone_exe_is_sealed())
		return 0;
	const char *way = getenv("MINIRUN_SEAL");
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0 && exe[0] == '/' && !(way && strcmp(way, "memfd") == 0)) {
		exe[len] = '\0';
		int mnt = overlay_of(exe, &name);
		if (mnt >= 0) {
			mr_say("re-exec from a private read-only overlay of '%s'", exe);
			/* the new program starts its own --debug logger from the caller's stderr */
			debuglog_stdio();
			/* by name in the mount (not an O_PATH fd), so that the new program's
			 * name (comm, ps) is the binary's, not a number */
			syscall(SYS_execveat, mnt, name, argv, environ, 0);
			mr_say("execveat from the overlay: %s; trying a memfd copy",
			       strerror(errno));
			close(mnt);
		} else {
			mr_say("no private overlay of '%s' (%s); a sealed memfd copy instead", exe,
			       strerror(errno));
		}
	}
	int mfd = memfd_copy(err);
	if (mfd < 0)
		return -1;
	mr_say("re-exec from a sealed memfd copy of /proc/self/exe");
	debuglog_stdio();
	fexecve(mfd, argv, environ);
	int e = errno;
	close(mfd);
	return mr_fail(err, e, "fexecve our sealed copy");
}
