/*
 * minirun/containers/root.c - where the containers live: ROOT/containers.
 *
 * ROOT is the front end's one store (--root, else $MINIRUN_ROOT, else /var/lib/minirun),
 * shared with the images, networks and volumes, so that `rmi` can tell an image in use and
 * `network rm` a network with endpoints.
 */
#include "minirun/containers/containers.h"

#include <stdlib.h>

const char *containers_root_opt;

const char *containers_root(void)
{
	if (containers_root_opt)
		return containers_root_opt;
	const char *env = getenv("MINIRUN_ROOT");
	return env && *env ? env : "/var/lib/minirun";
}
