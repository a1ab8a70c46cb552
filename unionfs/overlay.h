/*
 * unionfs/overlay.h - mount and unmount an overlayfs stack: N lower directories (top first),
 * an optional upper directory and its work directory.
 *
 *	const char *lowers[] = {"layers/3", "layers/2", "layers/1"};   // top first
 *	struct ovl_stack s = {.lowers = lowers, .nlowers = 3, .upper = "c/upper", .work = "c/work"};
 *	struct mr_err err = {0};
 *	if (ovl_mount(&s, "c/merged", &err) < 0)
 *		mr_die_err(&err);   // "overlay 'c/merged': workdir 'c/work' is inside upperdir ..."
 *
 * A stack without an upper is read-only. Lists longer than mount(2)'s one page are handled:
 * see ovl_mount. The mount is made in the caller's mount namespace; tests and labs call this
 * from a private one (unshare -m) so nothing leaks to the host.
 *
 * See: Documentation/filesystems/overlayfs.rst, fsopen(2), fsconfig(2), mount(2)
 */
#ifndef MR_UNIONFS_OVERLAY_H
#define MR_UNIONFS_OVERLAY_H

#include <stddef.h>
#include <sys/stat.h>

#include "lib/err.h"

/* The kernel's own limit on the number of lower layers (OVL_MAX_STACK). */
#define OVL_MAX_LOWERS 500

struct ovl_stack {
	const char *const *lowers; /* lower directories, top (most recent layer) first */
	size_t nlowers;            /* >= 1 */
	const char *upper;         /* NULL: a read-only stack */
	const char *work;          /* required with upper: an empty dir on upper's filesystem */
	const char *options;       /* extra overlay options, "a=b,c" (e.g. "index=off"), or NULL */
	int readonly;              /* mount read-only even with an upper (MS_RDONLY) */
	int method;                /* 0: the best the kernel has; or an enum ovl_method to
				      force one (tests and demos of the fallbacks) */
};

/* How ovl_mount passed the lower list to the kernel (for narration and tests). */
enum ovl_method {
	OVL_METHOD_NONE = 0,
	OVL_METHOD_LOWERDIR_PLUS, /* fsopen + one fsconfig("lowerdir+") per lower (Linux >= 6.8) */
	OVL_METHOD_MOUNT,         /* mount(2) with "lowerdir=a:b:c" (fits in one page) */
	OVL_METHOD_SHORT_NAMES,   /* mount(2) from a temp dir of short symlinks "0:1:2..." */
	OVL_METHOD_BIND,          /* one lower, no upper: a read-only bind mount */
};

/* Printable name of a method ("lowerdir+", "mount(2)", ...). */
const char *ovl_method_name(enum ovl_method m);

/*
 * ovl_check - check a stack before mounting, with one clear message per broken rule:
 * every dir exists and is a directory; upper and work come together, are on the same
 * filesystem and neither is inside the other; upper is on a filesystem overlay can use as
 * an upper (not overlay, proc, sysfs, vfat ... ); nlowers in 1..OVL_MAX_LOWERS.
 * Returns 0, or -1 with err filled (errno EINVAL/ENOENT/ENOTDIR/EXDEV/EOPNOTSUPP).
 */
int ovl_check(const struct ovl_stack *s, struct mr_err *err);

/*
 * ovl_mount - ovl_check, then mount the stack on TARGET (an existing directory).
 * Tries the new mount API with "lowerdir+" (any number of lowers, any path length), then
 * mount(2) with the list as one "lowerdir=" string if it fits in a page, then mount(2) with
 * the list spelt as short relative names of symlinks in a temporary directory (removed
 * again before return; the kernel resolves the symlinks at mount time). *method (may be
 * NULL) says which one worked. Changes and restores the calling thread's cwd for the last
 * method. Returns 0, or -1 with err filled; nothing is left mounted on failure.
 */
int ovl_mount(const struct ovl_stack *s, const char *target, enum ovl_method *method,
	      struct mr_err *err);

/* ovl_umount - unmount TARGET (MNT_DETACH when busy is not wanted: flags 0 or MNT_DETACH). */
int ovl_umount(const char *target, int flags, struct mr_err *err);

/* ovl_is_whiteout - true if st is an overlay whiteout: a character device 0/0. */
int ovl_is_whiteout(const struct stat *st);

/* ovl_set_userxattr - this process's overlays are mounted with `userxattr` (it runs in a
 * user namespace, where trusted.* can't be written): ovl_is_opaque then reads
 * user.overlay.opaque. Off by default. */
void ovl_set_userxattr(int on);

/* ovl_is_opaque - 1 if the directory at dirfd/name (name may be "" for dirfd itself) has
 * trusted.overlay.opaque = "y" (user.overlay.opaque after ovl_set_userxattr(1)), 0 if not,
 * -1 with err filled on an error other than "no such xattr". */
int ovl_is_opaque(int dirfd, const char *name, struct mr_err *err);

#endif
