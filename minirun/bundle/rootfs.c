/*
 * minirun/bundle/rootfs.c - the bundle's root filesystem (the image's layers as an overlay
 * mount) and the /etc files beside config.json.
 *
 * The rootfs is an overlay: the image's unpacked layers (shared by every container of the
 * image, read-only) as the lowers, the container's own diff/ as the upper, work/ as
 * overlay's scratch dir, mounted on merged/. The monitor mounts it at each start and
 * unmounts it at each exit; `rm` unmounts what a killed monitor left. Nothing in diff/ is
 * lost between starts: that is `docker start` keeping a container's changes.
 *
 * hostname (and, with the host's network, resolv.conf: the front end writes the others by
 * docker's rules) are written in the run directory RUN (a tmpfs: they mean nothing after a
 * reboot) and bind-mounted by the OCI config onto /etc/hostname and /etc/resolv.conf;
 * hosts belongs to minirun/network (it is rewritten in place on each connect), written at
 * each start by the front end (containers/dns_flags.c), which makes it if missing: a bind
 * mount needs its source to exist. A WorkingDir missing from the image is made
 * inside the rootfs, as docker does (`-w /srv/app` just works), every step resolved inside
 * the rootfs so that a symlink in the image can't make it elsewhere.
 *
 * Everything here works on the container's directory DIR (ROOT/containers/ID: diff/, work/,
 * hosts), its run directory RUN (RUN/containers/ID: merged/, hostname, resolv.conf; an --rm
 * container's diff/ and work/ in upper/, a tmpfs: bundle_upper_tmpfs) and on
 * values the caller read from the record; the bundle knows neither the record nor the
 * container store (containers/ calls these).
 *
 * See: unionfs/overlay.h; Documentation/filesystems/overlayfs.rst; resolv.conf(5).
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/bundle/bundle.h"
#include "minirun/image/image.h"
#include "minirun/oci/runtime.h"
#include "minirun/rootless/rootless.h"
#include "unionfs/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* The image's layers, top-most first, into *DIRS (image_lowerdirs_free). create recorded
 * them (the record's Minirun.LowerDirs, B->lowers): each must still be a directory, as the
 * image store keeps the layers of an image a container uses. A record without them (made by
 * an older minirun) asks the store, by image ID, not by the name given to run: a tag moved
 * since keeps this container's layers. */
/* Is DIR ROOT/layers/sha256/<64 hex>, a layer of this store? Anything else in the record
 * (a store moved elsewhere, a hand-edited record) goes back to the store's own answer. */
static bool is_layer_dir(const char *root, const char *dir)
{
	size_t n = strlen(root);
	if (strncmp(dir, root, n) || strncmp(dir + n, "/layers/sha256/", 15))
		return false;
	const char *hex = dir + n + 15;
	return strlen(hex) == 64 && strspn(hex, "0123456789abcdef") == 64;
}

static int lowerdirs(const struct bundle_rootfs *b, char ***dirs, struct mr_err *err)
{
	size_t i, n = 0;
	while (b->lowers && b->lowers[n])
		n++;
	char **v = n ? calloc(n + 1, sizeof(*v)) : NULL;
	for (i = 0; v && i < n; i++) {
		struct stat sb;
		const char *d = b->lowers[i];
		if (!is_layer_dir(b->store, d) || stat(d, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
		    !(v[i] = strdup(d)))
			break;
	}
	if (v && i == n) {
		*dirs = v;
		return 0;
	}
	image_lowerdirs_free(v);
	struct store st;
	const char *image = b->image;
	if (!image)
		return mr_fail(err, 0, "container %.12s: its record names no image", b->id);
	if (store_open(&st, b->store, err) < 0)
		return -1;
	int rc = image_lowerdirs(&st, image, dirs, NULL, err);
	store_close(&st);
	return rc;
}

/* DIR/NAME into buf */
static char *in_dir(const char *dir, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

int bundle_rootfs_mount(const struct bundle_rootfs *b, struct mr_err *err)
{
	char merged[4400], upper[4400], work[4400];
	char **dirs = NULL;
	int rc = lowerdirs(b, &dirs, err);
	if (rc < 0)
		return -1;
	size_t n = 0;
	while (dirs[n])
		n++;
	in_dir(b->run, "merged", merged, sizeof(merged));
	in_dir(b->upper_in_run ? b->run : b->dir, b->upper_in_run ? "upper/diff" : "diff", upper,
	       sizeof(upper));
	in_dir(b->upper_in_run ? b->run : b->dir, b->upper_in_run ? "upper/work" : "work", work,
	       sizeof(work));
	if (mr_mkdir_p(b->run, 0700, err) < 0 || (mkdir(merged, 0755) < 0 && errno != EEXIST)) {
		image_lowerdirs_free(dirs);
		return errno == EEXIST ? -1 : mr_fail(err, errno, "mkdir '%s'", merged);
	}
	if (b->upper_in_run && bundle_upper_tmpfs(b->run, err) < 0) {
		image_lowerdirs_free(dirs);
		return -1;
	}
	/* --userns=auto: the layers as the container's root owns them (idmap.c) */
	if (b->map_size &&
	    bundle_idmap_lowers(dirs, n, b->run, b->map_uid, b->map_gid, b->map_size, err) < 0) {
		image_lowerdirs_free(dirs);
		return -1;
	}
	struct ovl_stack s = {
		.lowers = (const char *const *)dirs, .nlowers = n, .upper = upper, .work = work};
	/* --rm: overlay's "volatile" (Linux 5.10), as podman gives its --rm containers: no
	 * sync of the upper's file system at umount (a syncfs that waits for every dirty page
	 * of the whole disk) nor at the container's fsyncs, for changes deleted at exit
	 * anyway. A crash leaves work/work/incompat/volatile, and overlay then refuses the
	 * upper until it goes: such an upper is not to be trusted, but its container was to be
	 * removed, so the marker goes and the start goes on. Rootless may mount with
	 * fuse-overlayfs, which has no such option: kernel overlay as root only. */
	if (b->volatile_upper && !rootless_active()) {
		char stale[4500], marker[4600];
		snprintf(stale, sizeof(stale), "%s/work", work);
		snprintf(marker, sizeof(marker), "%s/incompat/volatile", stale);
		if (access(marker, F_OK) == 0) {
			mr_say("a volatile upper never unmounted (a crash): remove %s", stale);
			bundle_dir_remove(stale, NULL);
		}
		s.options = "volatile";
	}
	enum ovl_method how = OVL_METHOD_NONE;
	mr_say("mount overlay on %s (%zu image layers + diff/)", merged, n);
	rc = rootless_active() ? rootless_ovl_mount(&s, merged, err) /* userxattr, or fuse */
			       : ovl_mount(&s, merged, &how, err);
	if (rc < 0 && s.options) { /* a kernel before 5.10: without, then */
		mr_say("overlay refused volatile (%s): mount without it", err->msg);
		s.options = NULL;
		rc = ovl_mount(&s, merged, &how, err);
	}
	if (b->map_size) /* overlay holds the idmapped layers now (or failed): detach ours */
		bundle_idmap_release(b->run, n);
	image_lowerdirs_free(dirs);
	return rc;
}

bool bundle_rootfs_mounted(const char *run)
{
	char merged[4400];
	struct statfs sf;
	return statfs(in_dir(run, "merged", merged, sizeof(merged)), &sf) == 0 &&
	       sf.f_type == OVERLAYFS_SUPER_MAGIC; /* merged/ itself is on RUN */
}

int bundle_rootfs_umount(const char *run, struct mr_err *err)
{
	char merged[4400];
	bundle_idmap_sweep(run); /* --userns: idmapped layers a killed monitor left */
	/* --ipc shareable's /dev/shm (containers/nsjoin.c): gone with the rootfs */
	if (umount2(in_dir(run, "shm", merged, sizeof(merged)), MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
		mr_say("umount %s", merged);
	in_dir(run, "merged", merged, sizeof(merged));
	/* MNT_DETACH: a process that still has a cwd inside must not keep the rm from going on;
	 * loop, in case a killed monitor's restart stacked a second mount on the first */
	for (int i = 0; i < 16; i++) {
		if (umount2(merged, MNT_DETACH | UMOUNT_NOFOLLOW) == 0) {
			mr_say("umount %s", merged);
			continue;
		}
		if (errno == EINVAL || errno == ENOENT)
			return 0; /* not a mount point (any more), or never made */
		return mr_fail(err, errno, "umount '%s'", merged);
	}
	return mr_fail(err, EBUSY, "umount '%s': still mounted", merged);
}

void bundle_upper_umount(const char *run)
{
	char upper[4400];
	/* MNT_DETACH: an overlay detached lazily may still hold it; its files go with the
	 * last user, at memory speed */
	if (umount2(in_dir(run, "upper", upper, sizeof(upper)), MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
		mr_say("umount %s", upper);
}

/*
 * Why an --rm container's upper and work dirs are on a tmpfs: they die with the container,
 * and on a disk file system each file the overlay makes there costs an inode (on this
 * project's journal-less ext4, ~0.2 ms each, and as much again to delete): diff/ and work/,
 * overlay's work/work and its volatile marker (incompat/volatile/dirty), the mount points it
 * copies up (/etc, /etc/hosts, /etc/resolv.conf) and the files of its feature checks at
 * mount (a tmpfile, a whiteout): a dozen per run, most of what `run --rm` wrote to the
 * store. A tmpfs of the container's own, not RUN itself: a container that writes a lot
 * fills its own tmpfs (the kernel's default size, half of RAM; ENOSPC past it), never the
 * host's /run. Its pages are memory, charged to the container's cgroup: containers with a
 * memory limit keep their upper on disk (lifecycle.c decides, at create, and records the
 * paths in GraphDriver.Data). No nosuid/nodev: the layer holds what the image's files
 * become when copied up (a setuid binary, a device node) and must keep them working.
 */
int bundle_upper_tmpfs(const char *run, struct mr_err *err)
{
	char upper[4400], path[4500];
	struct stat parent, here;
	in_dir(run, "upper", upper, sizeof(upper));
	if (mr_mkdir_p(upper, 0700, err) < 0)
		return -1;
	if (stat(run, &parent) < 0 || stat(upper, &here) < 0)
		return mr_fail(err, errno, "stat '%s'", upper);
	/* another device than its parent's: mounted already (create did, or an earlier start
	 * whose changes a restarted monitor must find again) */
	if (parent.st_dev == here.st_dev) {
		mr_say("mount tmpfs on %s (--rm: the writable layer dies with the container)",
		       upper);
		if (mount("tmpfs", upper, "tmpfs", 0, "mode=0700") < 0)
			return mr_fail(err, errno, "mount tmpfs on '%s'", upper);
	}
	const char *dirs[] = {"diff", "work"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", upper, dirs[i]);
		if (mkdir(path, i == 0 ? 0755 : 0700) < 0 && errno != EEXIST)
			return mr_fail(err, errno, "mkdir '%s'", path);
	}
	return 0;
}

/* mkdir -p DIR (absolute, inside the container) in the rootfs ROOT, each step resolved
 * inside it (the OCI runtime's mnt_open_in_root, which mount destinations use too) */
static int workdir_make(const struct bundle_rootfs *b, const char *root, const char *dir,
			struct mr_err *err)
{
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return mr_fail(err, errno, "open '%s'", root);
	/* --userns=auto: made as the container's root (its host ids) would make it, so it is
	 * root's inside; a fsuid other than 0 also drops the fs capabilities until it is back */
	if (b->map_size) {
		setfsgid(b->map_gid);
		setfsuid(b->map_uid);
	}
	int fd = mnt_open_in_root(rootfd, dir, true, true, err);
	if (b->map_size) {
		setfsuid(0);
		setfsgid(0);
	}
	if (fd < 0) {
		mr_prefix(err, "WorkingDir '%s': ", dir);
		return -1;
	}
	close(fd);
	return 0;
}

int bundle_files(const struct bundle_rootfs *b, const char *hostname, bool host_network,
		 const char *workdir, struct mr_err *err)
{
	char path[4400];
	const char *host = hostname;
	char text[300];
	snprintf(text, sizeof(text), "%.255s\n", host && *host ? host : b->id);
	if (!(host && *host))
		text[12] = '\n', text[13] = 0; /* docker's default: the short ID */
	if (mr_replace_file(in_dir(b->run, "hostname", path, sizeof(path)), text, 0644, err) < 0)
		return -1;
	/* with a network namespace of its own, resolv.conf follows docker's rules for its
	 * network and --dns flags: the front end writes it (containers/dns_flags.c), once */
	_cleanup_free_ char *resolv = NULL;
	if (host_network && (mr_read_file("/etc/resolv.conf", &resolv, NULL, err) < 0 ||
			     mr_replace_file(in_dir(b->run, "resolv.conf", path, sizeof(path)),
					     resolv, 0644, err) < 0))
		return -1;
	const char *wd = workdir;
	if (wd && *wd && strcmp(wd, "/") != 0 &&
	    workdir_make(b, in_dir(b->run, "merged", path, sizeof(path)), wd, err) < 0)
		return -1;
	return 0;
}

static dev_t top_dev;

/* one entry of the tree bundle_dir_remove removes. A container's directory reaches here
 * already renamed out of the store (containers/trash.c), so a removal killed midway leaves
 * a trash entry, swept later, never a half-removed container */
static int rm_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (st->st_dev != top_dev)
		return 0; /* FTW_MOUNT keeps us out; this is the mount point itself */
	if (type == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int bundle_dir_remove(const char *dir, struct mr_err *err)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : mr_fail(err, errno, "stat '%s'", dir);
	/* FTW_MOUNT: never walk into a mount (merged/ still mounted would mean deleting the
	 * files through the overlay); FTW_PHYS: never follow a symlink out */
	top_dev = st.st_dev;
	errno = 0;
	if (nftw(dir, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 || access(dir, F_OK) == 0)
		return mr_fail(err, errno ? errno : EBUSY, "remove '%s'", dir);
	return 0;
}
