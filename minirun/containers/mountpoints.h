/*
 * minirun/containers/mountpoints.h - the mount points minirun leaves in a container's
 * upper dir, which `diff` does not show and `commit` does not put in the new layer.
 *
 * Something must exist at a mount's destination before the runtime can mount on it. When
 * the image has nothing at /etc/hosts, /data (a -v), /scratch (a --tmpfs) or /dev/init
 * (--init), the runtime makes an empty file or directory there (and the directories above
 * it), and since the rootfs is the overlay, they land in the container's upper dir. Docker
 * keeps them out of sight: its runtime makes them in an "init" layer of their own, below the
 * container's, so `docker diff` never lists them and `docker commit` never carries them into
 * an image. minirun has no init layer, so it names them instead: see mountpoints.c.
 *
 * See: docker-diff(1), docker-commit(1); info.h (info_changes' HIDE list)
 */
#ifndef MR_CONTAINERS_MOUNTPOINTS_H
#define MR_CONTAINERS_MOUNTPOINTS_H

#include "minirun/containers/containers.h"

/* container_mountpoints - every destination the runtime may have made for C: the fixed
 * ones (/etc/hosts, /etc/hostname, /etc/resolv.conf, /dev/..., /proc, /sys, /dev/init ...),
 * the record's Mounts (volumes, binds, --mount tmpfs) and HostConfig.Tmpfs (--tmpfs).
 * A NULL-terminated array, freed with container_paths_free. */
char **container_mountpoints(const struct container *c);

/*
 * container_mountpoint_litter - which entries of the upper dir UPPER (over LOWERS, top
 * first) are only mount points MPS left: a mount point that is an empty file or an empty
 * directory and that the image does not have, then each directory above such ones that
 * holds nothing else, is not opaque, and is new or has the image's mode and owner (overlay
 * copied it up, or the runtime made it, only to hold them). A file the container really
 * wrote (not empty, or there in the image) is not litter. Paths as "/etc/hosts", deepest
 * first, in a NULL-terminated array to *out (freed with container_paths_free). -1 with err
 * when UPPER can't be read.
 */
int container_mountpoint_litter(const char *upper, char *const *lowers, char *const *mps,
				char ***out, struct mr_err *err);

/* is PATH ("/etc/hosts", or "etc/hosts" as a tar names it, "etc/" for a directory) in
 * the NULL-terminated LIST? */
bool container_path_listed(char *const *list, const char *path);

void container_paths_free(char **paths);

#endif
