/*
 * minirun/containers/rmlink.c - an --rm container's link in the store, kept in a pool.
 *
 * An --rm container's directory is RUN/records/ID on the run root, and the store holds one
 * entry for it, the symbolic link ROOT/containers/ID (store.c says why). Made at each run
 * and removed after, that link was the one inode a run made on the store's disk, and on a
 * journal-less ext4 a new inode costs 0.2-1.2 ms: the allocator passes over each inode
 * freed in the last minutes (fs/ext4/ialloc.c, recently_deleted), so the more runs, the
 * longer; its removal ~0.2 ms more. So the links are kept: a removed container's link goes
 * into a pool, ROOT/containers/.spare/K, and the next --rm container renames one into
 * place, a change of directory entries only. A link's target can't be changed, so it can't
 * name a new ID; it names a slot, a link on the run root that does:
 *
 *     ROOT/containers/ID  ->  RUN/slots/K  ->  RUN/records/ID
 *     the store's disk, kept  the tmpfs, one run
 *
 * K is the ID of the container the link was first made for, so no two links ever share a
 * slot's name.
 *
 * Who holds a spare: the process that makes RUN/slots/K (symlink(2) fails on one that is
 * there). It renames .spare/K into place; removal renames the link back to .spare/K and
 * only then removes the slot. So a free spare is one whose slot is missing, and a slot is
 * only ever made for a spare found in the pool (when .spare/K is gone, its slot is given
 * back at once).
 *
 * A lost run root (a reboot, `rm -rf`) takes the slots with it: each link of a container
 * that lived there dangles and the next listing sweeps it (store.c, swept_lost), with its
 * name claim, whose ID can no longer be read (rmlink_id says ESTALE). A link in use is not
 * in the pool, so its K is never taken again and it can't come to lead to another
 * container's directory.
 *
 * See: store.c (the layout), trash.c (removal); rename(2), symlink(2).
 */
#include "minirun/containers/containers.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slots_dir(const char *root, char *buf, size_t len)
{
	char run[4096];
	snprintf(buf, len, "%s/slots", containers_run_root(root, run, sizeof(run)));
	return buf;
}

static char *spares_dir(const char *root, char *buf, size_t len)
{
	snprintf(buf, len, "%s/containers/.spare", root);
	return buf;
}

/* the last part of the target of the link PATH, read into T (LEN bytes), when it is a
 * container ID (a slot's K or a record's ID): a pointer into T, else NULL (errno EINVAL, or
 * readlink's) */
static char *target_id(const char *path, char *t, size_t len)
{
	ssize_t n = readlink(path, t, len - 1);
	if (n <= 0)
		return NULL;
	t[n] = '\0';
	char *base = strrchr(t, '/');
	if (!base || !container_is_id(base + 1)) {
		errno = EINVAL;
		return NULL;
	}
	return base + 1;
}

/* make the slot SLOT (in SLOTS) lead to REC: 0, or -1 with errno (EEXIST: held) */
static int take_slot(const char *slots, const char *slot, const char *rec)
{
	if (symlink(rec, slot) == 0)
		return 0;
	if (errno != ENOENT || mr_mkdir_p(slots, 0700, NULL) < 0) /* RUN/slots: the first */
		return -1;
	return symlink(rec, slot);
}

int rmlink_make(const char *root, const char *rec, const char *link, struct mr_err *err)
{
	char slots[4200], slot[4400], spares[4400], spare[4600];
	slots_dir(root, slots, sizeof(slots));
	_cleanup_closedir_ DIR *d = opendir(spares_dir(root, spares, sizeof(spares)));
	for (struct dirent *de; d && (de = readdir(d));) {
		if (!container_is_id(de->d_name))
			continue;
		snprintf(slot, sizeof(slot), "%s/%.64s", slots, de->d_name);
		if (take_slot(slots, slot, rec) < 0)
			continue; /* another container's, or being put back */
		snprintf(spare, sizeof(spare), "%s/%.64s", spares, de->d_name);
		if (rename(spare, link) == 0) {
			mr_say("link %s from the pool (%s)", link, slot);
			return 0;
		}
		unlink(slot); /* swept meanwhile */
	}
	/* none free: a new link, named after this container (the last part of LINK) */
	const char *id = strrchr(link, '/');
	snprintf(slot, sizeof(slot), "%s/%s", slots, id ? id + 1 : link);
	if (take_slot(slots, slot, rec) < 0)
		return mr_fail(err, errno, "link '%s' to '%s'", slot, rec);
	if (symlink(slot, link) < 0) {
		mr_fail(err, errno, "link '%s' to '%s'", link, slot);
		unlink(slot);
		return -1;
	}
	return 0;
}

int rmlink_id(const char *path, char id[CONTAINER_ID_LEN + 1])
{
	char t[4400], t2[4400];
	char *base = target_id(path, t, sizeof(t));
	if (!base)
		return -1;
	/* "RUN/records/ID" (a link an older minirun made, kept until its container goes), or
	 * "RUN/slots/K", whose own target names the ID */
	bool slot = base - t >= 7 && strncmp(base - 7, "/slots/", 7) == 0;
	if (slot && !(base = target_id(t, t2, sizeof(t2)))) {
		if (errno == ENOENT)
			errno = ESTALE; /* its run root is lost */
		return -1;
	}
	strcpy(id, base);
	return 0;
}

void rmlink_drop(const char *root, const char *id, const char *path)
{
	char slots[4200], t[4400], t2[4400], spares[4400], spare[4600];
	size_t sl = strlen(slots_dir(root, slots, sizeof(slots)));
	const char *k = target_id(path, t, sizeof(t)), *held = NULL;
	/* only a slot that leads to this ID is this container's to give back */
	if (k && k == t + sl + 1 && strncmp(t, slots, sl) == 0 && t[sl] == '/')
		held = target_id(t, t2, sizeof(t2));
	bool ours = held && strcmp(held, id) == 0;
	if (ours) {
		snprintf(spare, sizeof(spare), "%s/%s", spares_dir(root, spares, sizeof(spares)),
			 k);
		/* the link into the pool first, then its slot: a spare is free once its slot
		 * is gone (the top of this file); the pool's directory made by the first */
		int moved = rename(path, spare);
		if (moved < 0 && errno == ENOENT && mkdir(spares, 0700) == 0)
			moved = rename(path, spare);
		if (moved == 0) {
			mr_say("link %s back into the pool", path);
			unlink(t);
			return;
		}
	}
	unlink(path);
	if (ours)
		unlink(t);
}
