/*
 * minirun/bundle/idmap.c - an image's layers seen through a uid/gid shift, without copying
 * or chowning them: idmapped mounts, for --userns=auto (containers/userns.c).
 *
 * The layers on disk are owned by host root (uid 0), and shared by every container of the
 * image. A container whose root is host uid H (its user namespace maps 0 -> H) would see them
 * all as owned by nobody, and could write nothing it copied up as its own. An idmapped mount
 * shows the same directory with its owners shifted: on-disk 0 reads as H, 1000 as H+1000,
 * through that mount only. So, for each layer:
 *
 *   1. open_tree(OPEN_TREE_CLONE)      a private, detached copy of the layer's mount
 *   2. mount_setattr(MOUNT_ATTR_IDMAP) give it the mapping of a user namespace: one made
 *                                      here for the purpose (a child unshares it, we write
 *                                      its uid_map/gid_map, keep /proc/CHILD/ns/user open)
 *   3. move_mount                      attach it at RUN/idmap/N, where overlay can name it
 *
 * then overlay is mounted over RUN/idmap/0..N-1 as its lowers, and the idmapped mounts are
 * detached again at once (bundle_idmap_release): overlay holds its own reference to each
 * layer's mount from the moment it is mounted, so nothing is left to clean after a crash.
 * What the container copies up lands in its upper dir with the shifted owner (H), which is
 * root inside. Needs Linux 5.12 (idmapped mounts) and 5.19 (overlay on idmapped layers) and
 * a file system that allows them (ext4, xfs, btrfs, tmpfs since 6.3); a host without says so.
 *
 * See: mount_setattr(2) (MOUNT_ATTR_IDMAP), open_tree(2), move_mount(2), user_namespaces(7);
 *      Documentation/filesystems/idmappings.rst; Documentation/filesystems/overlayfs.rst.
 */
#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/file.h"
#include "minirun/bundle/bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* a user namespace mapping 0..SIZE-1 to UID.. and GID..: an fd of /proc/CHILD/ns/user, the
 * child (which only held the namespace) gone. -1 with err. */
static int userns_fd(uid_t uid, gid_t gid, unsigned long size, struct mr_err *err)
{
	int go[2], ready[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
		return mr_fail(err, errno, "pipe");
	pid_t child = fork();
	if (child < 0)
		return mr_fail(err, errno, "fork");
	if (child == 0) {
		char b = unshare(CLONE_NEWUSER) == 0 ? 'u' : 'e';
		close(go[1]);
		if (write(ready[1], &b, 1) != 1)
			_exit(1);
		(void)!read(go[0], &b, 1); /* until the parent has taken the namespace */
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	char b = 0, path[64], map[96];
	int fd = -1;
	if (read(ready[0], &b, 1) != 1 || b != 'u')
		mr_fail(err, 0, "unshare(CLONE_NEWUSER) for the idmapped layers failed");
	else {
		struct {
			const char *file;
			unsigned long host;
		} maps[] = {{"uid_map", uid}, {"gid_map", gid}};
		int i;
		for (i = 0; i < 2; i++) {
			snprintf(path, sizeof(path), "/proc/%d/%s", (int)child, maps[i].file);
			snprintf(map, sizeof(map), "0 %lu %lu\n", maps[i].host, size);
			if (mr_write_file(path, map, err) < 0)
				break;
		}
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
		if (i == 2 && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			mr_fail(err, errno, "open '%s'", path);
	}
	close(go[1]); /* the child ends */
	close(ready[0]);
	waitpid(child, NULL, 0);
	return fd;
}

/* RUN/idmap/I into BUF */
static char *idmap_dir(const char *run, size_t i, char *buf, size_t len)
{
	if (i == (size_t)-1)
		snprintf(buf, len, "%s/idmap", run);
	else
		snprintf(buf, len, "%s/idmap/%zu", run, i);
	return buf;
}

void bundle_idmap_sweep(const char *run)
{
	char dir[4400], path[4700];
	_cleanup_closedir_ DIR *d = opendir(idmap_dir(run, (size_t)-1, dir, sizeof(dir)));
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
			mr_say("umount %s (an idmapped layer a killed monitor left)", path);
		rmdir(path);
	}
	if (d)
		rmdir(dir);
}

void bundle_idmap_release(const char *run, size_t n)
{
	char dir[4400];
	for (size_t i = 0; i < n; i++) {
		idmap_dir(run, i, dir, sizeof(dir));
		if (umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
			mr_say("umount %s (overlay keeps its own reference)", dir);
		rmdir(dir);
	}
	rmdir(idmap_dir(run, (size_t)-1, dir, sizeof(dir)));
}

int bundle_idmap_lowers(char **dirs, size_t n, const char *run, uid_t uid, gid_t gid,
			unsigned long size, struct mr_err *err)
{
	char dir[4400];
	_cleanup_close_ int ns = userns_fd(uid, gid, size, err);
	if (ns < 0)
		return -1;
	if (mkdir(idmap_dir(run, (size_t)-1, dir, sizeof(dir)), 0700) < 0 && errno != EEXIST)
		return mr_fail(err, errno, "mkdir '%s'", dir);
	mr_say("--userns: %zu image layers mounted idmapped (host 0 -> %lu) under %s", n,
	       (unsigned long)uid, dir);
	for (size_t i = 0; i < n; i++) {
		idmap_dir(run, i, dir, sizeof(dir));
		umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW); /* one a killed monitor left */
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			bundle_idmap_release(run, i);
			return mr_fail(err, errno, "mkdir '%s'", dir);
		}
		_cleanup_close_ int t = (int)syscall(SYS_open_tree, AT_FDCWD, dirs[i],
						     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		struct mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (__u64)ns};
		const char *step =
			t < 0 ? "open_tree"
			: syscall(SYS_mount_setattr, t, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0
				? "mount_setattr(MOUNT_ATTR_IDMAP)"
			: syscall(SYS_move_mount, t, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH) < 0
				? "move_mount"
				: NULL;
		if (step) {
			int e = errno;
			bundle_idmap_release(run, i + 1);
			return mr_fail(err, e,
				       "--userns: %s of layer '%s' (this kernel or file system "
				       "can't show the image's layers idmapped; run the container "
				       "with --userns=host)",
				       step, dirs[i]);
		}
		char *copy = strdup(dir);
		if (!copy) {
			bundle_idmap_release(run, i + 1);
			return mr_fail(err, ENOMEM, "idmap");
		}
		free(dirs[i]);
		dirs[i] = copy;
	}
	return 0;
}
