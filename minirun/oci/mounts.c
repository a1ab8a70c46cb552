/*
 * minirun/oci/mounts.c - the container's mount table: rootfs, config mounts, masks, pivot_root.
 *
 * Everything here runs in the container's new mount namespace, which starts as a copy of
 * the host's. Three rules keep the host safe:
 *
 *  1. Before anything is mounted, the whole tree is made private (or slave, when the config
 *     asks for shared propagation): on a host whose / is shared, as on every systemd
 *     distribution, a mount made below would otherwise appear on the host too.
 *  2. Every destination is resolved *inside* the rootfs with openat2(RESOLVE_IN_ROOT): a
 *     symlink in the image ("/mnt -> /etc") resolves as if the rootfs were /, so a mount can
 *     never land on a host directory. The mount is then made on the opened fd through
 *     /proc/self/fd/N (or move_mount(2) onto the fd itself), so nothing can swap the path
 *     between the check and the mount.
 *  3. After pivot_root the old root is detached at once: the container can't reach the
 *     host's files through it.
 *
 * See: mount(2), mount_namespaces(7), pivot_root(2) ("pivot_root(".", ".")"), openat2(2),
 *      open_tree(2), mount_setattr(2), move_mount(2), runtime-spec config.md "Mounts",
 *      config-linux.md "Masked Paths", "Readonly Paths".
 */
#include "minirun/oci/setup.h"
#include "lib/cleanup.h"
#include "lib/inroot.h"
#include "lib/printable.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* PATH resolved inside the rootfs, as an O_PATH fd (lib/inroot.h: openat2 RESOLVE_IN_ROOT,
 * or on kernels before 5.6 a walk that refuses every symlink) */
static int open_path(int rootfd, const char *path)
{
	return mr_open_in_root(rootfd, path, O_PATH, 0);
}

/* Make NAME (a directory, or with !DIR an empty file) below PARENT, an O_PATH fd of a
 * directory resolved inside the root (an O_PATH fd serves as the dirfd of every *at call).
 * -1 with errno; EEXIST, a name that is there already (a dangling symlink when a lookup
 * just said ENOENT), is left to the caller. */
static int make_at(int parent, const char *name, bool dir)
{
	if (dir)
		return mkdirat(parent, name, 0755);
	int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (f >= 0)
		close(f);
	return f < 0 ? -1 : 0;
}

/* The name at DIR_FD/NAME (NAME: LEN bytes of PATH, PATH's last name but REST, "" or
 * "/..."), which mkdir found there (EEXIST) though a lookup of it in the root said ENOENT:
 * a dangling symlink. Its target is made, read as if the rootfs were /, and REST below it.
 * Apart from the caller for its buffers: the caller's frame stays small. */
static int __attribute__((noinline))
make_link_target(int rootfd, int dir_fd, const char *path, const char *name, size_t len, bool dir,
		 struct mr_err *err)
{
	static int depth;
	char link[NAME_MAX + 1], target[4096], next[8192];
	snprintf(link, sizeof(link), "%.*s", (int)len, name);
	ssize_t n = readlinkat(dir_fd, link, target, sizeof(target) - 1);
	if (n <= 0 || depth > 40)
		return mr_fail(err, ELOOP, "resolve '%s' in the rootfs", path);
	target[n] = '\0';
	/* a relative target is taken from NAME's directory: PATH up to NAME */
	int dlen = (int)(name - path) - 1;
	snprintf(next, sizeof(next), "%.*s%s%s%s", target[0] == '/' ? 0 : dlen, path,
		 target[0] == '/' ? "" : "/", target, name + len);
	depth++;
	int fd = mnt_open_in_root(rootfd, next, true, dir, err);
	depth--;
	return fd;
}

int mnt_open_in_root(int rootfd, const char *in, bool create, bool dir, struct mr_err *err)
{
	/* a relative PATH is taken from the root, as the kernel's RESOLVE_IN_ROOT does: the walk
	 * below needs a '/' before every component (an image's "WorkingDir": "app/dir" once
	 * made it write through a NULL from strrchr and killed the monitor); "//" is one '/',
	 * and a '/' at the end is dropped */
	char path[4096];
	size_t len = 0;
	for (const char *c = in; *c; c++) {
		if (*c == '/' && len > 0 && path[len - 1] == '/')
			continue;
		if (len + 2 >= sizeof(path))
			return mr_fail(err, ENAMETOOLONG, "'%s'", in);
		if (len == 0 && *c != '/')
			path[len++] = '/';
		path[len++] = *c;
	}
	if (len == 0)
		path[len++] = '/';
	if (len > 1 && path[len - 1] == '/')
		len--;
	path[len] = '\0';
	int fd = open_path(rootfd, path);
	if (fd >= 0 || errno != ENOENT || !create) {
		if (fd < 0)
			mr_fail(err, errno, "open '%s' in the rootfs", path);
		return fd;
	}
	/* Create what is missing. Back from the end to the deepest directory that is there
	 * (usually the parent: only the mount point itself is missing), then forward, one name
	 * at a time: each made below the fd of its directory, which was itself resolved inside
	 * the root (mkdirat and openat(O_CREAT|O_EXCL|O_NOFOLLOW) never follow a symlink in
	 * their last component; an O_PATH fd serves as their dirfd), and opened in the root
	 * again. A missing mount point costs 4 calls, where probing every prefix from / cost 3
	 * per level. */
	_cleanup_close_ int parent = -1;
	char *end = path + len; /* the '/' (or the end) after the deepest directory there */
	while (parent < 0) {
		char *slash = memrchr(path, '/', (size_t)(end - path)); /* path[0] is '/' */
		*slash = '\0';
		parent = open_path(rootfd, slash == path ? "/" : path);
		*slash = '/';
		if (parent < 0 && (errno != ENOENT || slash == path))
			return mr_fail(err, errno, "open '%.*s' in the rootfs", (int)(slash - path),
				       path);
		end = slash;
	}
	while (*end) {
		char *name = end + 1, *stop = strchrnul(name, '/');
		bool last = *stop == '\0';
		char saved = *stop;
		*stop = '\0';
		int made = make_at(parent, name, last ? dir : true);
		int e = errno;
		/* EEXIST: there after all ("." or "..", or made meanwhile), or a dangling link */
		fd = open_path(rootfd, path);
		if (fd < 0 && made < 0 && e == EEXIST && errno == ENOENT) {
			*stop = saved;
			return make_link_target(rootfd, parent, path, name, (size_t)(stop - name),
						dir, err);
		}
		if (fd < 0) {
			if (made < 0 && e != EEXIST)
				mr_fail(err, e, "%s '%s' in the rootfs",
					last && !dir ? "create" : "mkdir", path);
			else
				mr_fail(err, errno, "open '%s' in the rootfs", path);
			*stop = saved;
			return -1;
		}
		*stop = saved;
		if (last)
			return fd;
		close(parent);
		parent = fd;
		end = stop;
	}
	return mr_fail(err, ENOENT, "open '%s' in the rootfs", path); /* not reached */
}

int mnt_prepare_root(const struct spec *s, struct mr_err *err)
{
	unsigned long prop = s->rootfs_propagation & ~MS_REC;
	/* Why first: the new namespace's mounts are still peers of the host's where / is
	 * shared; a shared container root would even send our mounts back. Slave keeps the
	 * host's later mounts visible (what rshared asks for) without sending ours out. */
	if (prop == MS_SHARED)
		prop = MS_SLAVE;
	mr_say("mount(\"/\", MS_REC|%s): no mount of ours reaches the host",
	       prop == MS_PRIVATE ? "MS_PRIVATE"
	       : prop == MS_SLAVE ? "MS_SLAVE"
				  : "MS_UNBINDABLE");
	if (mount(NULL, "/", NULL, MS_REC | prop, NULL) < 0)
		return mr_fail(err, errno, "make / %s", prop == MS_PRIVATE ? "private" : "slave");
	/* pivot_root wants the new root to be a mount point: bind it onto itself */
	if (mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return mr_fail(err, errno, "bind rootfs '%s'", s->rootfs);
	int fd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "open rootfs '%s'", s->rootfs);
	return fd;
}

/* The flags a remount must keep: in a user namespace the kernel locks nosuid, nodev,
 * noexec and ro of a mount that came from the host, and a remount dropping them fails. */
static unsigned long locked_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;
	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_RDONLY)
		f |= MS_RDONLY;
	return f;
}

/* Remount the mount now on top of DEST (re-resolved) with FLAGS, as a bind. */
static int remount_bind(int rootfd, const char *dest, unsigned long flags, struct mr_err *err)
{
	char p[64];
	_cleanup_close_ int fd = mnt_open_in_root(rootfd, dest, false, true, err);
	if (fd < 0)
		return -1;
	mr_fd_path(p, sizeof(p), fd);
	flags |= locked_flags(p);
	if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
		return mr_fail(err, errno, "remount '%s'", dest);
	return 0;
}

static int bind_mount(const struct spec *s, const struct spec_mount *m, int rootfd,
		      struct mr_err *err)
{
	char src[4096], p[64];
	struct stat st;
	if (m->source[0] == '/')
		snprintf(src, sizeof(src), "%s", m->source);
	else
		snprintf(src, sizeof(src), "%s/%s", s->bundle, m->source);
	if (stat(src, &st) < 0)
		return mr_fail(err, errno, "bind source '%s' for '%s'", src, m->dest);
	_cleanup_close_ int fd = mnt_open_in_root(rootfd, m->dest, true, S_ISDIR(st.st_mode), err);
	if (fd < 0)
		return -1;
	mr_say("mount --%s '%s' '%s'", m->rec ? "rbind" : "bind", src, m->dest);
	if (mount(src, mr_fd_path(p, sizeof(p), fd), NULL, MS_BIND | (m->rec ? MS_REC : 0), NULL) <
	    0)
		return mr_fail(err, errno, "bind '%s' on '%s'", src, m->dest);
	unsigned long extra =
		m->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
			    MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME);
	if (extra && remount_bind(rootfd, m->dest, extra, err) < 0)
		return -1;
	return 0;
}

/* the kernel lacks mount_setattr(2) and open_tree(2) (before 5.12): ENOSYS once, and the
 * mounts here that use them go by mount(2) from then on */
static bool no_setattr;

/* One line of /proc/self/cgroup ("4:memory:/path"): its hierarchy mounted on a directory
 * made below TOP, an O_PATH fd of the tmpfs cgroup_v1_tree mounted; read-only when M is and
 * REMOUNT is true (else the caller makes it read-only). The v2 line ("0::/path") is
 * skipped. The tmpfs is new, in this mount namespace alone, and empty but for what this
 * function made: the name is made on TOP and mounted through /proc/self/fd/TOP/NAME (that
 * last step crosses into the mount just made, so the remount reaches it), with nothing to
 * resolve in the rootfs again. */
static int cgroup_v1_one(char *line, const struct spec_mount *m, int top, bool remount,
			 struct mr_err *err)
{
	char p[64], opts[300];
	char *ctl = strchr(line, ':'), *end;
	if (!ctl || !(end = strchr(++ctl, ':')) || end == ctl)
		return 0;
	*end = '\0';
	const char *name = ctl;
	if (strncmp(name, "name=", 5) == 0)
		name += 5;
	if (mkdirat(top, name, 0755) < 0)
		return mr_fail(err, errno, "mkdir '%s/%s'", m->dest, name);
	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", top, name);
	snprintf(opts, sizeof(opts), "%s", ctl);
	if (mount("cgroup", p, "cgroup", m->flags & ~MS_RDONLY, opts) < 0)
		return mr_fail(err, errno, "mount cgroup '%s' on '%s/%s'", ctl, m->dest, name);
	if (!(m->flags & MS_RDONLY) || !remount)
		return 0;
	/* Why read-only by a remount and not in the mount call: MS_RDONLY there goes to the
	 * superblock too when it makes one, which it does for a hierarchy that no mount on
	 * the machine holds at the moment, and every later mount of that hierarchy, the
	 * host's included, shares it, read-only. A remount changes this mount alone. A mount
	 * made here has no locked flags to keep (remount_bind's statvfs): its own are these. */
	unsigned long keep = m->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
	if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
		return mr_fail(err, errno, "remount '%s/%s'", m->dest, name);
	return 0;
}

/*
 * A v1 (hybrid) host: a tmpfs with one cgroup mount per v1 hierarchy of /proc/self/cgroup,
 * as runc makes it: the tmpfs stays writable (only the hierarchies are read-only), the
 * hierarchies come in the order the host mounted them (lowest hierarchy ID first, the
 * reverse of /proc/self/cgroup's), and the v2 hierarchy a hybrid host also has
 * (/sys/fs/cgroup/unified, the "0::" line) is left out: runc and docker mount only the v1
 * ones, and a container on a hybrid host is a v1 container. Two calls per hierarchy
 * (mkdirat, mount): the tmpfs is opened once, after it is mounted, and the hierarchies are
 * made read-only together, by two calls for the whole tree (the tree read-only, then the
 * tmpfs writable again: mount_setattr(2) changes mounts, never superblocks), where a
 * remount of each took eight on this machine; a kernel without mount_setattr (before 5.12)
 * has each remounted instead.
 */
static int cgroup_v1_tree(int fd, const struct spec_mount *m, int rootfd, struct mr_err *err)
{
	char p[64];
	mr_fd_path(p, sizeof(p), fd);
	if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755") < 0)
		return mr_fail(err, errno, "mount tmpfs on '%s'", m->dest);
	/* FD is the directory under the tmpfs (a path through /proc/self/fd/FD stops there,
	 * crossing no mount on top of it): the tmpfs itself is M's destination resolved in
	 * the rootfs again, as every mount here is found */
	_cleanup_close_ int top = mnt_open_in_root(rootfd, m->dest, false, true, err);
	if (top < 0)
		return -1;
	_cleanup_free_ char *text = NULL;
	if (mr_read_file("/proc/self/cgroup", &text, NULL, err) < 0)
		return -1;
	char *lines[64];
	size_t n = 0;
	for (char *l = text, *nl; *l && n < 64; l = nl + 1) {
		lines[n++] = l;
		if (!(nl = strchr(l, '\n')))
			break;
		*nl = '\0';
	}
	bool remount = no_setattr;
	for (size_t i = n; i-- > 0;) /* cgroup_v1_one cuts a line: kept for a second pass */
		if (cgroup_v1_one(lines[i], m, top, remount, err) < 0)
			return -1;
	if (!(m->flags & MS_RDONLY) || remount)
		return 0;
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	struct mount_attr rw = {.attr_clr = MOUNT_ATTR_RDONLY};
	if (mount_setattr(top, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof(ro)) == 0 &&
	    mount_setattr(top, "", AT_EMPTY_PATH, &rw, sizeof(rw)) == 0)
		return 0;
	no_setattr = errno == ENOSYS; /* nor will bind_read_only ask again */
	/* each line now ends at its controllers (cgroup_v1_one's cut); its name is made */
	for (size_t i = n; i-- > 0;) {
		char *ctl = strchr(lines[i], ':');
		if (!ctl || !*++ctl || *ctl == ':') /* the v2 line, skipped */
			continue;
		const char *name = strncmp(ctl, "name=", 5) == 0 ? ctl + 5 : ctl;
		snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", top, name);
		unsigned long keep = m->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
		if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
			return mr_fail(err, errno, "remount '%s/%s'", m->dest, name);
	}
	return 0;
}

static int cgroup_mount(int fd, const struct spec_mount *m, int rootfd, struct mr_err *err)
{
	char p[64];
	struct statfs sf;
	mr_fd_path(p, sizeof(p), fd);
	if (statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC) {
		if (mount("cgroup2", p, "cgroup2", m->flags, NULL) == 0)
			return 0;
		/* not allowed (a user namespace without a cgroup one): bind the host's view */
		if (mount("/sys/fs/cgroup", p, NULL, MS_BIND | MS_REC, NULL) < 0)
			return mr_fail(err, errno, "mount cgroup2 on '%s'", m->dest);
		return remount_bind(rootfd, m->dest, m->flags, err);
	}
	if (cgroup_v1_tree(fd, m, rootfd, err) == 0)
		return 0;
	/* v1 hierarchies can't be mounted in a user namespace: bind the host's tree */
	if (mount("/sys/fs/cgroup", p, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	return remount_bind(rootfd, m->dest, m->flags, err);
}

static int fs_mount(const struct spec_mount *m, int rootfd, struct mr_err *err)
{
	char p[64];
	bool special = strcmp(m->type, "proc") == 0 || strcmp(m->type, "sysfs") == 0;
	_cleanup_close_ int fd = -1;
	/* /proc and /sys must be plain directories: a symlink there, even one resolved safely
	 * inside the rootfs, would let the image choose where the kernel's files appear. The
	 * directory found without following any symlink is the one to mount on. */
	if (special) {
		fd = mr_open_in_root(rootfd, m->dest, O_PATH, RESOLVE_NO_SYMLINKS);
		if (fd < 0 && errno == ELOOP)
			return mr_fail(err, 0,
				       "mount destination '%s' is a symlink; refusing to "
				       "mount %s there",
				       m->dest, m->type);
		if (fd >= 0) {
			struct stat st;
			if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
				return mr_fail(err, 0,
					       "mount destination '%s' is not a directory; "
					       "refusing to mount %s there",
					       m->dest, m->type);
		}
	}
	if (fd < 0)
		fd = mnt_open_in_root(rootfd, m->dest, true, true, err);
	if (fd < 0)
		return -1;
	mr_fd_path(p, sizeof(p), fd);
	mr_say("mount -t %s '%s' '%s'%s%s", m->type, m->source ? m->source : m->type, m->dest,
	       m->data ? " -o " : "", m->data ? m->data : "");
	if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		return cgroup_mount(fd, m, rootfd, err);
	const char *src = m->source && *m->source ? m->source : m->type;
	if (mount(src, p, m->type, m->flags, m->data) == 0)
		return 0;
	int e = errno;
	/* devpts in a user namespace: gid=5 fails when group 5 is not mapped; drop it */
	if (strcmp(m->type, "devpts") == 0 && e == EINVAL && m->data && strstr(m->data, "gid=")) {
		char data[512], *out = data;
		for (const char *o = m->data; *o;) {
			size_t n = strcspn(o, ",");
			if (strncmp(o, "gid=", 4) != 0)
				out += sprintf(out, "%s%.*s", out == data ? "" : ",", (int)n, o);
			o += n + (o[n] == ',');
		}
		if (mount(src, p, m->type, m->flags, data) == 0)
			return 0;
	}
	/* sysfs in a user namespace that does not own the network namespace: bind the host's */
	if (strcmp(m->type, "sysfs") == 0 && e == EPERM) {
		if (mount("/sys", p, NULL, MS_BIND | MS_REC, NULL) == 0)
			return remount_bind(rootfd, m->dest,
					    m->flags | MS_NOSUID | MS_NODEV | MS_NOEXEC, err);
	}
	return mr_fail(err, e, "mount %s on '%s'", m->type, m->dest);
}

/* ---- where a mount may go ---------------------------------------------------------------- */

/* the files below /proc that lxcfs emulates: the only mounts runc lets go below /proc */
static const char *const proc_emulated[] = {
	"/proc/cpuinfo", "/proc/diskstats",
	"/proc/meminfo", "/proc/stat",
	"/proc/swaps",   "/proc/uptime",
	"/proc/loadavg", "/proc/slabinfo",
	"/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

/* what the front end keeps for its own mounts (docker's /sys and /dev are never replaced
 * by a user's volume: the container would lose its read-only sysfs or its device nodes) */
static const struct {
	const char *dest, *holds;
} front_end_dests[] = {
	{"/sys", "the container's read-only sysfs"},
	{"/dev", "the container's device nodes"},
};

/* DEST made absolute and clean, lexically: "//a/./b/../c/" -> "/a/c" ("..": up, never
 * above /). -1 if it does not fit OUT. */
static int clean_dest(const char *dest, char *out, size_t size)
{
	size_t len = 0;
	const char *p = dest;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[--len] != '/')
				;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (len + 1 + n + 1 > size)
				return -1;
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p = *end ? end + 1 : end;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

int oci_mount_dest_check(const char *dest, const char *type, enum oci_mount_rules rules,
			 struct mr_err *err)
{
	char d[4096], shown[300]; /* an image's Volumes key: untrusted, escaped */
	mr_printable(dest, shown, sizeof(shown));
	if (clean_dest(dest, d, sizeof(d)) < 0)
		return mr_fail(err, ENAMETOOLONG, "mount destination '%s'", shown);
	/* runc's checkProcMount: over /proc only a proc (a bind of the host's /proc would
	 * show the host's processes, and their /proc/PID/root); below it nothing but what
	 * lxcfs emulates, or a mount could replace a masked or read-only file */
	if (strcmp(d, "/proc") == 0) {
		if (type && strcmp(type, "proc") == 0)
			return 0;
		return mr_fail(err, 0,
			       "mount destination '%s': cannot be mounted because it is not "
			       "of type proc",
			       shown);
	}
	if (strncmp(d, "/proc/", 6) == 0) {
		for (size_t i = 0; i < sizeof(proc_emulated) / sizeof(proc_emulated[0]); i++)
			if (strcmp(d, proc_emulated[i]) == 0)
				return 0;
		return mr_fail(err, 0,
			       "mount destination '%s': cannot be mounted because it is "
			       "inside /proc",
			       shown);
	}
	if (rules == OCI_MOUNT_RULES_FRONT_END)
		for (size_t i = 0; i < sizeof(front_end_dests) / sizeof(front_end_dests[0]); i++)
			if (strcmp(d, front_end_dests[i].dest) == 0)
				return mr_fail(err, 0,
					       "mount destination '%s': cannot be mounted over %s "
					       "(mount below it instead)",
					       shown, front_end_dests[i].holds);
	return 0;
}

int mnt_config_mounts(const struct spec *s, int rootfd, struct mr_err *err)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct spec_mount *m = &s->mounts[i];
		int rc = oci_mount_dest_check(m->dest, m->bind ? "bind" : m->type,
					      OCI_MOUNT_RULES_RUNC, err);
		if (rc == 0)
			rc = m->bind ? bind_mount(s, m, rootfd, err) : fs_mount(m, rootfd, err);
		if (rc < 0) {
			/* where in the text: looked for only now (a walk of it per mount, for
			 * every container, was ~0.1 ms for a message most never print) */
			char path[64];
			snprintf(path, sizeof(path), "mounts[%zu]", i);
			spec_prefix(s, err, path);
			return -1;
		}
		/* rprivate in a tree made rprivate is what the mount has already: a new mount
		 * below a private one is private, and so is a bind of a private source (every
		 * source is in this namespace, whose mounts mnt_prepare_root made private) */
		bool already = (s->rootfs_propagation & ~MS_REC) == MS_PRIVATE &&
			       (m->propagation & ~MS_REC) == MS_PRIVATE;
		if (m->propagation && !already) {
			char p[64];
			_cleanup_close_ int fd =
				mnt_open_in_root(rootfd, m->dest, false, true, err);
			if (fd < 0 || mount(NULL, mr_fd_path(p, sizeof(p), fd), NULL,
					    m->propagation, NULL) < 0)
				return mr_fail(err, errno, "set propagation of '%s'", m->dest);
		}
	}
	return 0;
}

/* The null device to bind over a masked file: the container's own /dev/null (made by
 * dev_setup on the container's /dev tmpfs, as runc binds it), else the host's; checked to be
 * the null device itself and not a symlink. The container's own is what docker shows: the
 * masked file's mount line then names the container's /dev (`tmpfs ... size=65536k`), not
 * the host's devtmpfs with its size and inode count. */
static int open_null(int rootfd, struct mr_err *err)
{
	struct stat st;
	int fd = mnt_open_in_root(rootfd, "/dev/null", false, false, NULL);
	if (fd >= 0 &&
	    (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		return fd;
	fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return mr_fail(err, e, "open /dev/null");
	}
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		close(fd);
		return mr_fail(err, 0,
			       "/dev/null is not the null device; refusing to mask with it");
	}
	return fd;
}

/* A read-only path: the tree at FD (an O_PATH fd resolved in the root) bound onto itself, its
 * top mount read-only, with the new mount API: a detached copy (open_tree), made read-only
 * (mount_setattr: the ro attribute alone; every other flag stays as the bind copied it, the
 * kernel's locked ones too, where the remount keeps nosuid, nodev, noexec and ro and makes
 * the atime relatime), then attached on FD (move_mount). No instant where the bind is
 * attached and writable, and no second lookup of the path for the remount. Three calls and
 * a close where mount(2) takes a bind, a lookup, a statfs, a remount and a close: half the
 * time. 0, or -1 when the kernel lacks these calls (mount_setattr came in 5.12) or refuses
 * one: the caller does it with mount(2). */
static int bind_read_only(int fd)
{
	if (no_setattr)
		return -1;
	_cleanup_close_ int tree = open_tree(
		fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	/* not AT_RECURSIVE: as the remount, the top mount alone is read-only */
	if (tree < 0 || mount_setattr(tree, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0 ||
	    move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		no_setattr = errno == ENOSYS;
		return -1; /* closing TREE discards the copy, attached nowhere */
	}
	return 0;
}

int mnt_mask_paths(const struct spec *s, int rootfd, struct mr_err *err)
{
	char p[64], q[64];
	_cleanup_close_ int null = -1;
	for (size_t i = 0; i < s->nmasked; i++) {
		struct stat st;
		_cleanup_close_ int fd = mnt_open_in_root(rootfd, s->masked[i], false, false, NULL);
		if (fd < 0)
			continue; /* a path the container lacks needs no mask */
		mr_fd_path(p, sizeof(p), fd);
		if (fstat(fd, &st) < 0)
			return mr_fail(err, errno, "stat masked path '%s'", s->masked[i]);
		if (S_ISDIR(st.st_mode)) {
			/* no size option: it would show in the mount line, and docker's (runc's)
			 * read-only empty tmpfs has none */
			if (mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL) < 0)
				return mr_fail(err, errno, "mask '%s'", s->masked[i]);
			continue;
		}
		if (null < 0 && (null = open_null(rootfd, err)) < 0)
			return -1;
		if (mount(mr_fd_path(q, sizeof(q), null), p, NULL, MS_BIND, NULL) < 0)
			return mr_fail(err, errno, "mask '%s'", s->masked[i]);
	}
	for (size_t i = 0; i < s->nreadonly; i++) {
		_cleanup_close_ int fd =
			mnt_open_in_root(rootfd, s->readonly[i], false, false, NULL);
		if (fd < 0)
			continue;
		if (bind_read_only(fd) == 0)
			continue;
		mr_fd_path(p, sizeof(p), fd);
		if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
			return mr_fail(err, errno, "bind read-only path '%s'", s->readonly[i]);
		if (remount_bind(rootfd, s->readonly[i], MS_RDONLY, err) < 0)
			return -1;
	}
	return 0;
}

int mnt_pivot(const struct spec *s, bool no_pivot, struct mr_err *err)
{
	if (chdir(s->rootfs) < 0)
		return mr_fail(err, errno, "chdir '%s'", s->rootfs);
	if (!spec_ns(s, CLONE_NEWNS)) {
		/* the caller's mount table: pivot_root would swap its root for everyone in it,
		 * so this process alone changes its root, as runc does without a namespace */
		mr_say("chroot(\"%s\"): no mount namespace, no pivot_root", s->rootfs);
		if (chroot(".") < 0)
			return mr_fail(err, errno, "chroot into '%s'", s->rootfs);
		if (chdir("/") < 0)
			return mr_fail(err, errno, "chdir /");
		return 0;
	}
	if (no_pivot) {
		if (mount(s->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
			return mr_fail(err, errno, "move rootfs onto /");
		if (chroot(".") < 0)
			return mr_fail(err, errno, "chroot");
	} else {
		/* pivot_root(".", "."): the old root is stacked under the new one at "/", and
		 * the umount below takes the old one off. No directory for it is needed. */
		mr_say("pivot_root(\".\", \".\"); umount2(\".\", MNT_DETACH)");
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return mr_fail(err, errno, "pivot_root into '%s'", s->rootfs);
		if (umount2(".", MNT_DETACH) < 0)
			return mr_fail(err, errno, "detach the old root");
	}
	if (chdir("/") < 0)
		return mr_fail(err, errno, "chdir /");
	unsigned long prop = s->rootfs_propagation;
	if ((prop & ~MS_REC) == MS_SHARED && mount(NULL, "/", NULL, prop, NULL) < 0)
		return mr_fail(err, errno, "make the container's / shared");
	if (s->root_ro &&
	    mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags("/"), NULL) < 0)
		return mr_fail(err, errno, "remount / read-only (root.readonly)");
	return 0;
}
