/*
 * minirun/containers/trash.c - how a container's directories go: its run directory at once,
 * its directory in two steps.
 *
 * The container's directory is renamed into ROOT/containers/.trash/ID.PID (one rename: from
 * then on no command finds the container, and its name is free), then its files deleted. A
 * --rm monitor defers the second step until it has told its client the exit code
 * (rootfs_defer_trash), so that `run --rm` does not wait for a disk to unlink a dozen
 * files (each waits for a block discard on some disks). A trash entry whose PID is gone (a
 * killed deleter) is swept by the next removal.
 *
 * See: lifecycle.h; minirun/bundle/rootfs.c (bundle_dir_remove: never into a mount)
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/lifecycle.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool rootfs_defer_trash;
static char trash_path[4400];

/* remove the trash entries of dead deleters (ROOT/containers/.trash/ID.PID) */
static void sweep_trash(const char *trash)
{
	_cleanup_closedir_ DIR *d = opendir(trash);
	struct dirent *de;
	char path[4600];
	while (d && (de = readdir(d))) {
		const char *dot = strrchr(de->d_name, '.');
		long pid = dot ? strtol(dot + 1, NULL, 10) : 0;
		if (pid <= 0 || pid == getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", trash, de->d_name);
		mr_say("remove %s: its deleter (pid %ld) died before it was done", path, pid);
		bundle_dir_remove(path, NULL);
	}
}

void rootfs_trash_empty(void)
{
	if (!trash_path[0])
		return;
	bundle_dir_remove(trash_path, NULL);
	trash_path[0] = '\0';
}

int rootfs_remove_dir(struct container *c, struct mr_err *err)
{
	char run[4096], trash[4200];
	/* the run directory first: the container's directory is what finds it again */
	if (bundle_dir_remove(containers_run_dir(c->root, c->id, run, sizeof(run)), err) < 0)
		return -1;
	snprintf(trash, sizeof(trash), "%s/containers/.trash", c->root);
	if (mkdir(trash, 0700) < 0 && errno != EEXIST)
		return bundle_dir_remove(c->dir, err); /* no trash can: at once, then */
	rootfs_trash_empty();                          /* one entry at a time */
	snprintf(trash_path, sizeof(trash_path), "%s/%s.%d", trash, c->id, (int)getpid());
	if (rename(c->dir, trash_path) < 0) {
		trash_path[0] = '\0';
		return errno == ENOENT ? 0 : bundle_dir_remove(c->dir, err);
	}
	mr_say("moved %s to %s", c->dir, trash_path);
	if (!rootfs_defer_trash)
		rootfs_trash_empty();
	sweep_trash(trash);
	return 0;
}

int rootfs_run_dir(struct container *c, struct mr_err *err)
{
	char run[4096];
	return mr_mkdir_p(containers_run_dir(c->root, c->id, run, sizeof(run)), 0700, err);
}
