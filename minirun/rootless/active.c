/*
 * minirun/rootless/active.c - is this process rootless?
 *
 * The host's user namespace maps every id to itself ("0 0 4294967295" in
 * /proc/self/uid_map); any other map means a user namespace: the one rootless_enter
 * joined, an engine's (podman's rootless one, running minirun-oci), or a container's.
 * There, root is not the host's root: no cgroup but a delegated one, no /run, trusted.*
 * xattrs unwritable, only mapped groups. Its own file, so that the static minirun-oci
 * links only this much of the folder.
 *
 * See: user_namespaces(7); rootless.h.
 */
#include "minirun/rootless/rootless.h"

#include "lib/file.h"

#include <stdio.h>
#include <stdlib.h>

bool rootless_active(void)
{
	static bool yes; /* only "yes" is kept: rootless_enter may make it so later */
	if (!yes) {
		char *map = NULL;
		size_t len;
		unsigned long in, out, count;
		yes = mr_read_file("/proc/self/uid_map", &map, &len, NULL) == 0 &&
		      !(sscanf(map, "%lu %lu %lu", &in, &out, &count) == 3 && in == 0 && out == 0 &&
			count == 4294967295UL);
		free(map);
	}
	return yes;
}
