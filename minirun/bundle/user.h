/*
 * minirun/containers/user.h - who a container's process runs as, resolved in its rootfs
 * (user.c).
 *
 * container_resolve_user (-u / USER) and struct container_user are in containers.h; what
 * only config.c needs is here.
 *
 * See: user.c; passwd(5), group(5).
 */
#ifndef MR_CONTAINERS_USER_H
#define MR_CONTAINERS_USER_H

#include <jansson.h>

#include "lib/err.h"
#include "minirun/containers/containers.h"

/*
 * container_group_add - --group-add (HostConfig.GroupAdd, NAMES) into U's additionalGids,
 * after the groups that list the user, as docker does: each a group name looked up in
 * ROOTFS/etc/group (read in-root, as container_resolve_user does), else a number taken as it
 * is; one already in U is not added twice. -1 with docker's "Unable to find group x: no
 * matching entries in group file" when it is neither.
 */
int container_group_add(const char *rootfs, json_t *names, struct container_user *u,
			struct mr_err *err);

#endif
