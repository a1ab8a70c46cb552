/*
 * minirun/oci/devices.c - device nodes in the container's /dev.
 *
 * A new /dev is an empty tmpfs. Every container gets the six devices a POSIX program
 * expects (null, zero, full, random, urandom, tty), the symlinks /dev/fd, /dev/stdin,
 * /dev/stdout, /dev/stderr and /dev/ptmx -> pts/ptmx, and the devices config.json lists.
 * In a user namespace mknod(2) is refused, so each node is then a bind mount of the
 * host's node onto an empty file, as runc does for rootless containers.
 * Which devices the processes may *open* is the cgroup's business (linux.resources.devices).
 *
 * See: mknod(2), runtime-spec config-linux.md "Devices" and "Default Devices".
 */
#include "minirun/oci/setup.h"
#include "lib/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const struct spec_device default_devices[] = {
	{"/dev/null", 'c', 1, 3, 0666, 0, 0},    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
	{"/dev/full", 'c', 1, 7, 0666, 0, 0},    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
	{"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
};

static const struct {
	const char *path, *target;
} dev_links[] = {
	{"/dev/fd", "/proc/self/fd"},       {"/dev/stdin", "/proc/self/fd/0"},
	{"/dev/stdout", "/proc/self/fd/1"}, {"/dev/stderr", "/proc/self/fd/2"},
	{"/dev/ptmx", "pts/ptmx"},
};

/* The directory DIR inside the root, for the *at calls: an O_PATH fd resolved with
 * RESOLVE_IN_ROOT (made when missing). An O_PATH fd serves as the dirfd of every *at call
 * (mknodat, symlinkat, fchownat, ...): no need to open the directory for real. */
static int open_dir_in_root(int rootfd, const char *dir, struct mr_err *err)
{
	return mnt_open_in_root(rootfd, dir[0] ? dir : "/", true, true, err);
}

/* 1 when DFD/NAME, just made by mknod, has D's owner and mode already. */
static int node_settled(const struct spec_device *d, int dfd, const char *name)
{
	struct stat st;
	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_uid == d->uid &&
	       st.st_gid == d->gid && (st.st_mode & 07777) == (d->mode & 07777);
}

/* How make_node_at treats a node (or-ed): */
enum {
	NODE_NEW = 1,     /* DFD is the /dev tmpfs just mounted: no node of the image to unlink */
	NODE_CHECK = 2,   /* stat the node first: chown and chmod only what mknod got wrong */
	NODE_SETTLED = 4, /* mknod gives D's owner and mode (a NODE_CHECK said so): no chown */
};

/* Make one node NAME in DFD, its directory (D's path inside the root): mknod, or a bind
 * mount of the host's node. 1 when mknod alone gave the node D's owner and mode (NODE_CHECK
 * or NODE_SETTLED), 0 when made otherwise, -1 with err. */
static int make_node_at(const struct spec_device *d, int dfd, const char *name, int rootfd, int how,
			struct mr_err *err)
{
	char p[64];
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	if (!(how & NODE_NEW))
		unlinkat(dfd, name, 0); /* a node the image shipped is replaced */
	if (mknodat(dfd, name, type | (d->mode & 07777), makedev(d->major, d->minor)) == 0) {
		if ((how & NODE_SETTLED) || ((how & NODE_CHECK) && node_settled(d, dfd, name)))
			return 1;
		if (fchownat(dfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
			return mr_fail(err, errno, "chown '%s'", d->path);
		if (fchmodat(dfd, name, d->mode & 07777, 0) < 0)
			return mr_fail(err, errno, "chmod '%s'", d->path);
		return 0;
	}
	if (errno == EEXIST)
		/* the unlinkat above failed, or on a new /dev nothing was unlinked: a mount of
		 * the config sits there (-v FILE:/dev/null; a new /dev holds nothing else).
		 * Refused: the container would take that file for the device, and the masks of
		 * /proc are bound from /dev/null (CVE-2025-31133) */
		return mr_fail(err, EEXIST,
			       "device '%s': a mount is already there; mount no volume or bind "
			       "at a device node",
			       d->path);
	if (errno != EPERM || d->type == 'p')
		return mr_fail(err, errno, "mknod '%s'", d->path);
	/* no CAP_MKNOD here (a user namespace): bind the host's node instead */
	int f = openat(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (f < 0)
		return mr_fail(err, errno, "create '%s'", d->path);
	close(f);
	_cleanup_close_ int target = mnt_open_in_root(rootfd, d->path, false, false, err);
	if (target < 0)
		return -1;
	if (mount(d->path, mr_fd_path(p, sizeof(p), target), NULL, MS_BIND, NULL) < 0)
		return mr_fail(err, errno, "bind host device '%s'", d->path);
	return 0;
}

/* Make one node of linux.devices, in its directory resolved inside the root. */
static int make_node(const struct spec_device *d, int rootfd, struct mr_err *err)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", d->path);
	char *slash = strrchr(dir, '/');
	*slash = '\0';
	_cleanup_close_ int dfd = open_dir_in_root(rootfd, dir, err);
	if (dfd < 0)
		return -1;
	return make_node_at(d, dfd, slash + 1, rootfd, 0, err);
}

/* A new /dev is made when a non-bind mount sits on /dev. */
static bool dev_is_new(const struct spec *s)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].dest, "/dev") == 0)
			return !s->mounts[i].bind;
	return false;
}

/*
 * The six default nodes in the new /dev (DFD), cheaper than one node at a time, with the
 * same result: nothing to unlink on a tmpfs just mounted; with the umask 0 for the while,
 * mknod gives the mode itself; and the first node's stat shows whether it gave the owner
 * too (root's, unless the tmpfs's uid=/gid= or a set-group-ID mode says otherwise). Then
 * the other five, of the same owner and mode in the same directory by the same process,
 * get the same from mknod: no chown or chmod. 6 mknod, 1 stat and 2 umask calls, where
 * unlink, mknod, chown and chmod of each took 24.
 */
static int default_nodes(int dfd, int rootfd, struct mr_err *err)
{
	mode_t old = umask(0);
	int how = NODE_NEW | NODE_CHECK, rc = 0;
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
		const struct spec_device *d = &default_devices[i];
		if ((rc = make_node_at(d, dfd, d->path + 5, rootfd, how, err)) < 0)
			break;
		if (i == 0)
			how = rc == 1 ? NODE_NEW | NODE_SETTLED : NODE_NEW;
	}
	umask(old);
	return rc < 0 ? -1 : 0;
}

int dev_setup(const struct spec *s, int rootfd, struct mr_err *err)
{
	bool fresh = dev_is_new(s);
	if (fresh) {
		/* /dev opened once for the six nodes and the links (no node or link changes
		 * what /dev is) */
		mr_say("mknod the default devices (null zero full random urandom tty)");
		_cleanup_close_ int dfd = open_dir_in_root(rootfd, "/dev", err);
		if (dfd < 0 || default_nodes(dfd, rootfd, err) < 0)
			return -1;
		for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
			if (symlinkat(dev_links[i].target, dfd, dev_links[i].path + 5) < 0 &&
			    errno != EEXIST)
				return mr_fail(err, errno, "symlink '%s'", dev_links[i].path);
	}
	for (size_t i = 0; i < s->ndevices; i++)
		if (make_node(&s->devices[i], rootfd, err) < 0)
			return -1;
	return 0;
}

int dev_console(int rootfd, int slave, struct mr_err *err)
{
	char p[64], q[64];
	_cleanup_close_ int fd = mnt_open_in_root(rootfd, "/dev/console", true, false, err);
	if (fd < 0)
		return -1;
	if (mount(mr_fd_path(q, sizeof(q), slave), mr_fd_path(p, sizeof(p), fd), NULL, MS_BIND,
		  NULL) < 0)
		return mr_fail(err, errno, "bind the pty onto /dev/console");
	return 0;
}
