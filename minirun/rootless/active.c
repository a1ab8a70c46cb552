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
#include <sys/stat.h>

bool rootless_active(void)
{
	/* the answer depends only on the user namespace we are in: kept, keyed to its inode,
	 * so a later unshare or setns (rootless_enter) asks again. A stat is cheaper than
	 * the map's read, which a run asked for nine times. */
	static dev_t dev;
	static ino_t ino;
	static bool known, yes;
	struct stat st;
	bool have = stat("/proc/self/ns/user", &st) == 0;
	if (have && known && st.st_dev == dev && st.st_ino == ino)
		return yes;
	char *map = NULL;
	size_t len;
	unsigned long in, out, count;
	yes = mr_read_file("/proc/self/uid_map", &map, &len, NULL) == 0 &&
	      !(sscanf(map, "%lu %lu %lu", &in, &out, &count) == 3 && in == 0 && out == 0 &&
		count == 4294967295UL);
	free(map);
	known = have;
	if (have)
		dev = st.st_dev, ino = st.st_ino;
	return yes;
}
