/*
 * tests/fuzz/sandbox.h - a world of its own for a fuzz target that writes files as root.
 *
 * fuzz_sandbox(TOP), called once per process (from LLVMFuzzerInitialize), before any input:
 *
 *   1. unshare(CLONE_NEWNS), then make every mount MS_PRIVATE: nothing done from here on
 *      propagates to the machine's mount table;
 *   2. bind /tmp (fork mode's files) and then the worktree (the current directory:
 *      libFuzzer writes reproducers there; it may lie below /tmp) onto themselves, make every mount read-only with
 *      mount_setattr(AT_RECURSIVE), then those two writable again, and chdir into the new
 *      bind: a parser bug that writes outside where it should gets EROFS, not the
 *      machine's /etc;
 *   3. mount a tmpfs on TOP (an existing directory, "/mnt"): the scratch space, gone with
 *      the process. Nothing is created on the machine's own filesystems.
 *
 * Exits with a message if any step fails (the target needs root).
 * See: mount_namespaces(7), mount_setattr(2); tests/fuzz/README.md.
 */
#ifndef MR_TESTS_FUZZ_SANDBOX_H
#define MR_TESTS_FUZZ_SANDBOX_H

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline void fuzz_sandbox_die(const char *what)
{
	fprintf(stderr, "fuzz sandbox: %s: %s (a fuzz target that writes files needs root)\n", what,
		strerror(errno));
	exit(1);
}

static inline void fuzz_setattr(const char *path, unsigned flags, uint64_t set, uint64_t clr)
{
	struct mount_attr a = {.attr_set = set, .attr_clr = clr};
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, flags, &a, sizeof(a)) < 0)
		fuzz_sandbox_die(path);
}

static inline void fuzz_sandbox(const char *top)
{
	char cwd[4096];
	if (!getcwd(cwd, sizeof(cwd)))
		fuzz_sandbox_die("getcwd");
	if (unshare(CLONE_NEWNS) < 0)
		fuzz_sandbox_die("unshare(CLONE_NEWNS)");
	/* private first: none of what follows may propagate to the machine's mounts */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		fuzz_sandbox_die("make / private");
	/* /tmp first, then the worktree: a worktree below /tmp (a CI clone may be there) must
	 * be bound over the /tmp bind, not hidden beneath it, or it is no mount of its own to
	 * make writable again (mount_setattr: EINVAL) */
	if (mount("/tmp", "/tmp", NULL, MS_BIND, NULL) < 0 ||
	    mount(cwd, cwd, NULL, MS_BIND, NULL) < 0)
		fuzz_sandbox_die("bind /tmp and the worktree");
	fuzz_setattr("/", AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0);
	fuzz_setattr(cwd, 0, 0, MOUNT_ATTR_RDONLY);
	fuzz_setattr("/tmp", 0, 0, MOUNT_ATTR_RDONLY);
	if (mount("tmpfs", top, "tmpfs", 0, "size=64m,mode=0755") < 0)
		fuzz_sandbox_die(top);
	/* the working directory still is the read-only mount below the new bind: enter the
	 * bind, or libFuzzer's reproducers (written relative to it) fail with EROFS */
	if (chdir(cwd) < 0)
		fuzz_sandbox_die(cwd);
}

#endif
