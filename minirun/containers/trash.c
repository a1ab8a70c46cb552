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
 * An --rm container's directory is RUN/records/ID behind the link ROOT/containers/ID
 * (store.c): the link is what is renamed into the trash, and the directory it points to
 * removed at once (a tmpfs's files cost nothing to unlink), so the link dangles only
 * when the run root itself was lost.
 *
 * See: lifecycle.h; minirun/bundle/rootfs.c (bundle_dir_remove: never into a mount)
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/containers/logdriver.h"

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
/* an --rm container's log files, on the store's disk: they go with its trash entry */
static char log_root[4096], log_id[CONTAINER_ID_LEN + 1];

/* remove the trash entry PATH (ROOT/containers/.trash/ID.PID); an --rm container's link
 * takes its record directory along, found by the ID, never by following the link */
static void trash_entry_remove(const char *root, const char *path)
{
	char rec[4096], id[CONTAINER_ID_LEN + 1];
	struct stat st;
	const char *base = strrchr(path, '/');
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && base &&
	    sscanf(base + 1, "%64[0-9a-f].", id) == 1 && strlen(id) == CONTAINER_ID_LEN) {
		bundle_dir_remove(containers_record_dir(root, id, rec, sizeof(rec)), NULL);
		container_log_drop(root, id);
	}
	bundle_dir_remove(path, NULL);
}

/* remove the trash entries of dead deleters (ROOT/containers/.trash/ID.PID) */
static void sweep_trash(const char *root, const char *trash)
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
		trash_entry_remove(root, path);
	}
}

void rootfs_trash_empty(void)
{
	if (!trash_path[0])
		return;
	bundle_dir_remove(trash_path, NULL);
	trash_path[0] = '\0';
	if (log_id[0])
		container_log_drop(log_root, log_id);
	log_id[0] = '\0';
}

/* an --rm container's record directory, at once (a tmpfs's files cost nothing to unlink),
 * and its log files, on the store's disk: at once too, or, with LATER, with the trash entry
 * (rootfs_trash_empty) */
static int in_run_remove(struct container *c, bool later, struct mr_err *err)
{
	char rec[4096];
	if (bundle_dir_remove(containers_record_dir(c->root, c->id, rec, sizeof(rec)), err) < 0)
		return -1;
	if (!later) {
		container_log_drop(c->root, c->id);
		return 0;
	}
	snprintf(log_root, sizeof(log_root), "%s", c->root);
	snprintf(log_id, sizeof(log_id), "%s", c->id);
	return 0;
}

int rootfs_remove_dir(struct container *c, struct mr_err *err)
{
	char run[4096], trash[4200];
	/* the run directory first: the container's directory is what finds it again */
	if (bundle_dir_remove(containers_run_dir(c->root, c->id, run, sizeof(run)), err) < 0)
		return -1;
	snprintf(trash, sizeof(trash), "%s/containers/.trash", c->root);
	if (mkdir(trash, 0700) < 0 && errno != EEXIST) { /* no trash can: at once, then */
		if (c->in_run && in_run_remove(c, false, err) < 0)
			return -1;
		return bundle_dir_remove(c->dir, err);
	}
	rootfs_trash_empty(); /* one entry at a time */
	snprintf(trash_path, sizeof(trash_path), "%s/%s.%d", trash, c->id, (int)getpid());
	if (rename(c->dir, trash_path) < 0) {
		trash_path[0] = '\0';
		if (errno == ENOENT)
			return 0;
		if (c->in_run && in_run_remove(c, false, err) < 0)
			return -1;
		return bundle_dir_remove(c->dir, err);
	}
	mr_say("moved %s to %s", c->dir, trash_path);
	/* the link is in the trash: its directory goes now, its log files with the link */
	if (c->in_run && in_run_remove(c, true, err) < 0)
		return -1;
	if (!rootfs_defer_trash)
		rootfs_trash_empty();
	sweep_trash(c->root, trash);
	return 0;
}

int rootfs_run_dir(struct container *c, struct mr_err *err)
{
	char run[4096];
	return mr_mkdir_p(containers_run_dir(c->root, c->id, run, sizeof(run)), 0700, err);
}
