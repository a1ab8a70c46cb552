/*
 * minirun/rootless/overlay.c - a container's overlay rootfs, mounted from inside the user's
 * user namespace.
 *
 * Since Linux 5.11 overlayfs may be mounted by root of a user namespace (one that owns the
 * mount namespace). Its bookkeeping xattrs (opaque dirs, redirects) are normally
 * trusted.overlay.*, which only the host's root may write; the `userxattr` option makes it
 * use user.overlay.* instead. Whether the kernel takes it is learnt by trying: an older
 * kernel answers EINVAL (unknown option) or EPERM (no overlay in a user namespace). Then
 * fuse-overlayfs (Debian's package of that name) does the same in user space, if the user
 * may open /dev/fuse. There is no third way yet: the error says what both answered.
 *
 * See: Documentation/filesystems/overlayfs.rst "Permission model" and "userxattr";
 * fuse-overlayfs(1); rootless.h.
 */
#include "minirun/rootless/rootless.h"

#include "lib/proc.h"
#include "unionfs/overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* fuse_overlay - fuse-overlayfs -o lowerdir=...,upperdir=...,workdir=... TARGET (it
 * daemonizes once mounted, and ends when TARGET is unmounted); 0, or -1 with err */
static int fuse_overlay(const struct ovl_stack *s, const char *target, struct mr_err *err)
{
	size_t size = 64 + strlen(s->upper) + strlen(s->work);
	for (size_t i = 0; i < s->nlowers; i++)
		size += strlen(s->lowers[i]) + 1;
	char *opts = malloc(size);
	if (!opts)
		return mr_fail(err, ENOMEM, "fuse-overlayfs options");
	size_t len = (size_t)snprintf(opts, size, "lowerdir=");
	for (size_t i = 0; i < s->nlowers; i++)
		len += (size_t)snprintf(opts + len, size - len, "%s%s", i ? ":" : "", s->lowers[i]);
	snprintf(opts + len, size - len, ",upperdir=%s,workdir=%s", s->upper, s->work);
	mr_say("fuse-overlayfs -o %s %s", opts, target);
	pid_t pid = fork();
	if (pid < 0) {
		free(opts);
		return mr_fail(err, errno, "fork");
	}
	if (pid == 0) {
		execlp("fuse-overlayfs", "fuse-overlayfs", "-o", opts, target, (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	free(opts);
	int rc = mr_wait_exit(pid);
	if (rc == 127)
		return mr_fail(
			err, ENOENT,
			"fuse-overlayfs: not found (Debian: apt-get install fuse-overlayfs)");
	if (rc != 0)
		return mr_fail(err, 0, "fuse-overlayfs failed (exit %d)", rc);
	return 0;
}

int rootless_ovl_mount(const struct ovl_stack *stack, const char *target, struct mr_err *err)
{
	struct ovl_stack s = *stack;
	char opts[512];
	snprintf(opts, sizeof(opts), "userxattr%s%s", s.options && *s.options ? "," : "",
		 s.options ? s.options : "");
	s.options = opts;
	struct mr_err kerr = {0};
	if (ovl_mount(&s, target, NULL, &kerr) == 0)
		return 0;
	mr_say("kernel overlay in the user namespace refused: %s; trying fuse-overlayfs", kerr.msg);
	struct mr_err ferr = {0};
	if (fuse_overlay(stack, target, &ferr) == 0)
		return 0;
	return mr_fail(err, kerr.errnum,
		       "rootless overlay on '%s': the kernel refused (%s), and so did "
		       "fuse-overlayfs (%s): it needs Linux >= 5.11, or fuse-overlayfs and a "
		       "/dev/fuse you may open",
		       target, kerr.msg, ferr.msg);
}
