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
 * may open /dev/fuse. The last resort is a copy of the layers (copy.c), said once per
 * store. MINIRUN_ROOTLESS_OVERLAY=kernel|fuse|copy picks one of the three instead.
 *
 * See: Documentation/filesystems/overlayfs.rst "Permission model" and "userxattr";
 * fuse-overlayfs(1); rootless.h.
 */
#include "minirun/rootless/rootless.h"

#include "lib/file.h"
#include "lib/proc.h"
#include "unionfs/overlay.h"

#include <errno.h>
#include <fcntl.h>
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
		/* its notes ("unknown argument ignored: lazytime") are not the container's
		 * output: shown under -v only, like its errors */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(null, 0);
		dup2(null, 1);
		if (!mr_verbose)
			dup2(null, 2);
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
		return mr_fail(err, 0, "fuse-overlayfs failed (exit %d%s)", rc,
			       mr_verbose ? ": see its message above" : "; -v shows why");
	return 0;
}

/* say_once - the copy fallback's one warning per store: a marker beside the containers */
static void say_once(const struct ovl_stack *s)
{
	char marker[4200];
	snprintf(marker, sizeof(marker), "%s/../../.rootless-copy-said", s->upper);
	if (access(marker, F_OK) == 0)
		return;
	mr_warn("rootless: neither the kernel's overlayfs nor fuse-overlayfs can be mounted "
		"here, so each container's root is a full copy of its image (slow, and `diff` "
		"and `commit` see every file as changed); said once");
	mr_write_file_atomic(marker, "", 0, 0600, NULL);
}

int rootless_ovl_mount(const struct ovl_stack *stack, const char *target, struct mr_err *err)
{
	/* MINIRUN_ROOTLESS_OVERLAY picks one way (kernel, fuse or copy) instead of the first
	 * that works, as podman's storage.conf mount_program does */
	const char *only = getenv("MINIRUN_ROOTLESS_OVERLAY");
	if (only && *only && strcmp(only, "kernel") && strcmp(only, "fuse") && strcmp(only, "copy"))
		return mr_fail(err, 0, "MINIRUN_ROOTLESS_OVERLAY='%s': it is kernel, fuse or copy",
			       only);
	bool any = !only || !*only;
	struct mr_err kerr = {0}, ferr = {0};
	if (any || !strcmp(only, "kernel")) {
		struct ovl_stack s = *stack;
		char opts[512];
		snprintf(opts, sizeof(opts), "userxattr%s%s", s.options && *s.options ? "," : "",
			 s.options ? s.options : "");
		s.options = opts;
		if (ovl_mount(&s, target, NULL, &kerr) == 0)
			return 0;
		if (!any)
			return mr_fail(err, kerr.errnum, "rootless overlay: %s", kerr.msg);
		mr_say("kernel overlay in the user namespace refused: %s; trying fuse-overlayfs",
		       kerr.msg);
	}
	if (any || !strcmp(only, "fuse")) {
		if (fuse_overlay(stack, target, &ferr) == 0)
			return 0;
		if (!any)
			return mr_fail(err, ferr.errnum, "rootless overlay: %s", ferr.msg);
		mr_say("fuse-overlayfs: %s; copying the layers instead", ferr.msg);
	}
	say_once(stack);
	if (rootless_copy_mount(stack, target, err) == 0)
		return 0;
	if (any)
		mr_prefix(err,
			  "rootless rootfs: the kernel's overlay refused (%s), so did "
			  "fuse-overlayfs (%s), and the copy: ",
			  kerr.msg, ferr.msg);
	return -1;
}
