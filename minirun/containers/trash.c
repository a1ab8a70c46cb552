/*
 * minirun/containers/trash.c - how a container's directories go: its run directory at once,
 * its directory in two steps.
 *
 * The container's directory is renamed into ROOT/containers/.trash/ID.PID (one rename: from
 * then on no command finds the container, and its name is free), then its files deleted. A
 * --rm monitor defers the second step until it has told its client the exit code
 * (rootfs_defer_trash), so that `run --rm` does not wait for a disk to unlink a dozen
 * files (each waits for a block discard on some disks); its run directory goes then too
 * (the --rm upper's tmpfs unmounted, a dozen files unlinked: ~0.2 ms), as nothing finds
 * it once the container's directory is in the trash. A trash entry whose PID is gone (a
 * killed deleter) is swept by the next removal, with the run directory its ID names.
 *
 * An --rm container's directory is RUN/records/ID behind the link ROOT/containers/ID
 * (store.c): the link is what is renamed into the trash, and the directory it points to
 * removed with it, found by the ID (never by following the link), so the link dangles
 * only when the run root itself was lost. The link itself is not deleted but given back
 * to the pool the next --rm container takes its link from (rmlink.c).
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
static char trash_path[4400], trash_root[4096];

/* the run directory RUN/containers/ID, unmounted first (the removal never crosses a mount):
 * the rootfs, if an --rm monitor left it for now (monitor.c, record_exit), and the --rm
 * upper's tmpfs on upper/ */
static int run_dir_remove(const char *root, const char *id, struct mr_err *err)
{
	char run[4096];
	containers_run_dir(root, id, run, sizeof(run));
	bundle_rootfs_umount(run, NULL);
	bundle_upper_umount(run);
	return bundle_dir_remove(run, err);
}

/* remove the trash entry PATH (ROOT/containers/.trash/ID.PID) and what its ID names: the
 * run directory (a deferred removal's, or a killed deleter's), and for an --rm container's
 * link its record directory and its log files, found by the ID, never by following the
 * link */
static void trash_entry_remove(const char *root, const char *path)
{
	char rec[4096], id[CONTAINER_ID_LEN + 1];
	struct stat st;
	const char *base = strrchr(path, '/');
	if (base && sscanf(base + 1, "%64[0-9a-f].", id) == 1 && strlen(id) == CONTAINER_ID_LEN) {
		run_dir_remove(root, id, NULL);
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
			bundle_dir_remove(containers_record_dir(root, id, rec, sizeof(rec)), NULL);
			container_log_drop(root, id);
			rmlink_drop(root, id, path); /* the link back into the pool (rmlink.c) */
			return;
		}
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
	trash_entry_remove(trash_root, trash_path);
	trash_path[0] = '\0';
}

/* at once, where the trash can't take the container's directory: the run directory, an
 * --rm container's record directory and log files, then the directory itself */
static int remove_now(struct container *c, bool run_done, struct mr_err *err)
{
	char rec[4096];
	if (!run_done && run_dir_remove(c->root, c->id, err) < 0)
		return -1;
	if (c->in_run) {
		if (bundle_dir_remove(containers_record_dir(c->root, c->id, rec, sizeof(rec)),
				      err) < 0)
			return -1;
		container_log_drop(c->root, c->id);
		rmlink_drop(c->root, c->id, c->dir);
		return 0;
	}
	return bundle_dir_remove(c->dir, err);
}

int rootfs_remove_dir(struct container *c, struct mr_err *err)
{
	char trash[4200];
	/* the run directory first: once the container's directory is gone, only a trash
	 * entry's ID finds it again. Deferred, it goes with the trash entry (its ID names
	 * it, whoever removes the entry: rootfs_trash_empty, or a sweep after a kill) */
	bool later = rootfs_defer_trash;
	if (!later && run_dir_remove(c->root, c->id, err) < 0)
		return -1;
	snprintf(trash, sizeof(trash), "%s/containers/.trash", c->root);
	if (mkdir(trash, 0700) < 0 && errno != EEXIST) /* no trash can: at once, then */
		return remove_now(c, !later, err);
	rootfs_trash_empty(); /* one entry at a time */
	snprintf(trash_root, sizeof(trash_root), "%s", c->root);
	snprintf(trash_path, sizeof(trash_path), "%s/%s.%d", trash, c->id, (int)getpid());
	if (rename(c->dir, trash_path) < 0) {
		trash_path[0] = '\0';
		if (errno == ENOENT)
			return later ? run_dir_remove(c->root, c->id, err) : 0;
		return remove_now(c, !later, err);
	}
	mr_say("moved %s to %s", c->dir, trash_path);
	/* the link or the directory is in the trash: what its ID names goes with it */
	if (!later)
		rootfs_trash_empty();
	sweep_trash(c->root, trash);
	return 0;
}

int rootfs_run_dir(struct container *c, struct mr_err *err)
{
	char run[4096];
	return mr_mkdir_p(containers_run_dir(c->root, c->id, run, sizeof(run)), 0700, err);
}
