/*
 * minirun/containers/root.c - where the containers live: ROOT/containers, and RUN for the
 * files that last one start of a container.
 *
 * ROOT is the front end's one store (--root, else $MINIRUN_ROOT, else /var/lib/minirun),
 * shared with the images, networks and volumes, so that `rmi` can tell an image in use and
 * `network rm` a network with endpoints.
 *
 * RUN is docker's exec-root (/var/run/docker) and podman's runroot: what a start makes and
 * its exit undoes (the monitor's pid, the bundle, the overlay's mount point, the attach
 * socket, /etc/hosts and friends, the OCI runtime's state). It belongs on a tmpfs: nothing
 * in it must outlive a reboot, and each start creates a dozen files there, which a disk
 * file system makes pay for new inodes. $MINIRUN_RUNROOT (`minirun --runroot DIR` sets it,
 * so that the monitor and every re-execution see it too), else /run/minirun
 * for the default store, else ROOT/run (a store of its own, as every test has, keeps its
 * run files beside it and nothing in /run); a rootless user's default store has
 * $XDG_RUNTIME_DIR/minirun (main.c exports it). Losing RUN (a reboot, or `rm -rf`) loses
 * nothing a container needs: a container whose monitor.pid is gone reads as exited (as
 * docker's after a daemon restart) and its next start makes its run files again.
 *
 * An --rm container lives for one start, so its whole directory is a run file too:
 * RUN/records/ID, with ROOT/containers/ID a symbolic link to it (store.c says why and
 * how). A reboot takes such a container with it, as docker's daemon removes --rm
 * containers when it starts again; the link left dangling is swept by the next listing.
 */
#include "minirun/containers/containers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ROOT    "/var/lib/minirun"
#define DEFAULT_RUNROOT "/run/minirun"

const char *containers_root_opt;

const char *containers_root(void)
{
	if (containers_root_opt)
		return containers_root_opt;
	const char *env = getenv("MINIRUN_ROOT");
	return env && *env ? env : DEFAULT_ROOT;
}

char *containers_run_root(const char *root, char *buf, size_t len)
{
	const char *env = getenv("MINIRUN_RUNROOT");
	if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (strcmp(root, DEFAULT_ROOT) == 0)
		snprintf(buf, len, "%s", DEFAULT_RUNROOT);
	else
		snprintf(buf, len, "%s/run", root);
	return buf;
}

char *containers_run_dir(const char *root, const char *id, char *buf, size_t len)
{
	char run[4096];
	snprintf(buf, len, "%s/containers/%s", containers_run_root(root, run, sizeof(run)), id);
	return buf;
}

char *containers_record_dir(const char *root, const char *id, char *buf, size_t len)
{
	char run[4096];
	snprintf(buf, len, "%s/records/%s", containers_run_root(root, run, sizeof(run)), id);
	return buf;
}
