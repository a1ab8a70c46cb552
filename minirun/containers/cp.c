/*
 * minirun/containers/cp.c - `minirun cp`: copy files and directories into and out of a
 * container, running or stopped, without ever following a symlink out of it.
 *
 *   minirun cp [-a] [-L] CONTAINER:SRC_PATH DEST_PATH|-
 *   minirun cp [-a] [-L] SRC_PATH|- CONTAINER:DEST_PATH
 *
 * Where is the container's filesystem? Running: /proc/PID/root, its init's root directory,
 * opened as a directory fd: lookups from it walk the container's own mount tree (volumes
 * included). Stopped: nowhere yet - the overlay is mounted only while it runs. cp then
 * makes a mount namespace of its own (unshare(CLONE_NEWNS), everything MS_PRIVATE first so
 * nothing propagates back), mounts the overlay there (the image's layers + the container's
 * upper dir), binds the container's volumes and bind mounts onto their destinations in it
 * (as docker's cp does: a path inside a volume reads and writes the volume, read-only where
 * the container has it read-only) and copies; the mounts die with the namespace when cp
 * exits, so nothing is left on the host, even after a kill -9. The container's lock is held
 * meanwhile: a `start` waits.
 *
 * Why care about symlinks? The container's files belong to whoever runs in it. A link
 * /etc/evil -> /../../../etc/shadow means the *host's* /etc/shadow to a naive
 * open("ROOT/etc/evil"). So every path inside is resolved by the kernel with
 * openat2(rootfd, path, RESOLVE_IN_ROOT): "/" and ".." stop at the container's root, as
 * they would for a process inside it. Below the resolved directory, copying never follows a
 * link (O_NOFOLLOW, fstatat AT_SYMLINK_NOFOLLOW): a symlink is copied as a symlink. A running
 * container can rename while cp works (CVE-2018-15664 was docker cp losing that race), so
 * each step holds an fd and never looks a name up twice: what cp made gets its owner, mode
 * and times through its fd (set_meta); what it reads is opened only if it is still the type
 * its stat said (lib/inroot.h's mr_openat_type); a directory, from a copy or a tar entry,
 * over an existing non-directory is refused, never kept.
 *
 * Docker's rules: SRC a file -> DEST/NAME when DEST is a directory, else DEST; SRC a
 * directory -> DEST/NAME when DEST exists, else DEST is made; "SRC/." copies the contents.
 * "-" is a tar stream: of SRC on stdout, or extracted from stdin into the directory DEST.
 * Owners: files copied in belong to root, files copied out to the caller; -a keeps the
 * source's uid/gid. -L follows a symlink SRC_PATH (inside the container's root).
 *
 * See: docker-cp(1); openat2(2) (RESOLVE_IN_ROOT); mount_namespaces(7); overlay.h
 */
#include "lib/cli.h"
#include "minirun/containers/info.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/inroot.h"
#include "minirun/image/image.h"
#include "minirun/oci/runtime.h"
#include "unionfs/layer.h"
#include "unionfs/overlay.h"

struct cp_opts {
	bool archive; /* -a: keep the source's uid/gid */
	bool follow;  /* -L: follow a symlink SRC_PATH */
	uid_t uid;    /* else: the owner of what is made */
	gid_t gid;
};

/* ---- the container's root ---------------------------------------------------------------- */

/* PATH as a process in the container sees it (lib/inroot.h: openat2 RESOLVE_IN_ROOT; on a
 * kernel without openat2, a walk that refuses any symlink on the way) */
static int in_root(int rootfd, const char *path, int flags, struct mr_err *err)
{
	int fd = mr_open_in_root(rootfd, path, flags, 0);
	if (fd < 0)
		return mr_fail(err, errno, "'%s' in the container", path);
	return fd;
}

static int by_length(const void *a, const void *b)
{
	size_t la = strlen((*(const struct container_mount *const *)a)->destination);
	size_t lb = strlen((*(const struct container_mount *const *)b)->destination);
	return la < lb ? -1 : la > lb;
}

/*
 * mount_volumes - for a stopped container: bind each volume and bind mount of C's record
 * (Mounts; tmpfs has nothing to show while stopped) onto its destination below ROOTFD, the
 * overlay in cp's own mount namespace. Parents first (a shorter path is mounted before a
 * longer one); each destination is resolved inside the root (a symlink in the container
 * can't place a volume on a host directory) and made when missing, as the runtime makes it
 * at start; read-only where the record says RW false. -1 with err.
 */
static int mount_volumes(struct container *c, int rootfd, struct mr_err *err)
{
	size_t n = c->r.nmounts, k = 0;
	if (!n)
		return 0;
	const struct container_mount **v = calloc(n, sizeof(*v));
	if (!v)
		return mr_fail(err, ENOMEM, "volumes");
	for (size_t i = 0; i < n; i++) {
		const struct container_mount *m = &c->r.mounts[i];
		const char *type = m->type ? m->type : "";
		if ((!strcmp(type, "volume") || !strcmp(type, "bind")) && m->source &&
		    m->destination)
			v[k++] = m;
	}
	qsort(v, k, sizeof(*v), by_length);
	int rc = 0;
	for (size_t i = 0; i < k && rc == 0; i++) {
		const char *src = v[i]->source;
		const char *dst = v[i]->destination;
		bool ro = !v[i]->rw;
		struct stat st;
		if (stat(src, &st) < 0) {
			rc = mr_fail(err, errno, "the container's mount source '%s'", src);
			break;
		}
		mr_say("mount --bind %s on %s%s", src, dst, ro ? " (read-only)" : "");
		_cleanup_close_ int at =
			mnt_open_in_root(rootfd, dst, true, S_ISDIR(st.st_mode), err);
		if (at < 0) {
			rc = -1;
			break;
		}
		/* A copy of SRC's mount tree, made read-only (submounts too) while it is still
		 * detached, then moved onto AT: no instant where it is attached and writable,
		 * and no second lookup of DST that a running container sharing a volume could
		 * redirect between a bind and a remount */
		_cleanup_close_ int tree = open_tree(
			AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		struct mount_attr ma = {.attr_set = ro ? MOUNT_ATTR_RDONLY : 0};
		if (tree < 0)
			rc = mr_fail(err, errno, "bind '%s' on '%s' (open_tree)", src, dst);
		else if (ro &&
			 mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &ma, sizeof(ma)) < 0)
			rc = mr_fail(err, errno, "make '%s' read-only", dst);
		else if (move_mount(tree, "", at, "",
				    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			rc = mr_fail(err, errno, "bind '%s' on '%s'", src, dst);
	}
	free(v);
	return rc;
}

/*
 * cp_root - an fd of container C's root directory: /proc/PID/root while it runs, else its
 * overlay mounted in a private mount namespace of this process (gone when it exits), its
 * volumes and bind mounts on it (mount_volumes).
 */
int cp_root(struct container *c, struct mr_err *err)
{
	pid_t pid = container_pid(c);
	if (pid > 0) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/root", (int)pid);
		mr_say("the container runs: its root is %s", p);
		int fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		return fd < 0 ? mr_fail(err, errno, "open '%s'", p) : fd;
	}
	char upper[4200], work[4200], merged[4200], run[4096], **lowers = NULL;
	container_path(c, "diff", upper, sizeof(upper));
	container_path(c, "work", work, sizeof(work));
	container_path(c, "merged", merged, sizeof(merged));
	if (info_lowers(c, &lowers, err) < 0)
		return -1;
	size_t n = 0;
	while (lowers[n])
		n++;
	/* a namespace of our own first, and MS_PRIVATE on everything before mounting: where /
	 * is shared (systemd hosts) the overlay would otherwise propagate back to the host */
	mr_say("unshare(CLONE_NEWNS); mount --make-rprivate /; mount the overlay on %s", merged);
	int rc = -1;
	if (unshare(CLONE_NEWNS) < 0)
		mr_fail(err, errno, "unshare(CLONE_NEWNS)");
	else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		mr_fail(err, errno, "make / private in cp's mount namespace");
	else if (mr_mkdir_p(containers_run_dir(c->root, c->id, run, sizeof(run)), 0700, err) < 0)
		; /* err says why */
	else if (mkdir(merged, 0700) < 0 && errno != EEXIST)
		mr_fail(err, errno, "mkdir '%s'", merged);
	else if (mkdir(work, 0700) < 0 && errno != EEXIST)
		mr_fail(err, errno, "mkdir '%s'", work);
	else {
		struct ovl_stack s = {.lowers = (const char *const *)lowers,
				      .nlowers = n,
				      .upper = upper,
				      .work = work};
		if (ovl_mount(&s, merged, NULL, err) == 0) {
			rc = open(merged, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (rc < 0)
				mr_fail(err, errno, "open '%s'", merged);
			else if (mount_volumes(c, rc, err) < 0) {
				close(rc);
				rc = -1;
			}
		}
	}
	image_lowerdirs_free(lowers);
	return rc;
}

/* ---- copying one tree, never following a link -------------------------------------------- */

static int copy_tree(int sfd, const char *sname, int dfd, const char *dname,
		     const struct cp_opts *o, const char *shown, struct mr_err *err);

/* open SFD/SNAME (not followed; "" is SFD itself, an O_PATH fd) for reading, only if it is
 * still of the type SB says (lib/inroot.h): a container that swaps the name after the stat
 * gets an error, never a read of a FIFO or of a device node with the host's privileges; the
 * stat of what was opened to *SB */
static int open_src(int sfd, const char *sname, struct stat *sb)
{
	int flags = O_RDONLY | (S_ISDIR(sb->st_mode) ? O_DIRECTORY : 0);
	return mr_openat_type(sfd, sname, flags, sb->st_mode & S_IFMT, sb);
}

/* copy the bytes of regular file IN into OUT */
static int copy_bytes(int in, int out, const char *shown, struct mr_err *err)
{
	char buf[1 << 16];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0)
				return mr_fail(err, errno, "write '%s'", shown);
			off += w;
		}
	return n < 0 ? mr_fail(err, errno, "read '%s'", shown) : 0;
}

/* make way for a non-directory DNAME in DFD: an existing non-directory goes */
static int make_way(int dfd, const char *dname, const char *shown, struct mr_err *err)
{
	struct stat db;
	if (fstatat(dfd, dname, &db, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISDIR(db.st_mode))
		return mr_fail(err, EISDIR, "cannot overwrite directory '%s' with non-directory",
			       shown);
	if (unlinkat(dfd, dname, 0) < 0)
		return mr_fail(err, errno, "remove '%s'", shown);
	return 0;
}

/* the contents of directory SDIR into directory DDIR */
static int copy_contents(int sdir, int ddir, const struct cp_opts *o, const char *shown,
			 struct mr_err *err)
{
	int dup_fd = dup(sdir);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return mr_fail(err, errno, "read directory '%s'", shown);
	}
	rewinddir(d);
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s", shown, e->d_name);
		rc = copy_tree(sdir, e->d_name, ddir, e->d_name, o, sub, err);
	}
	closedir(d);
	return rc;
}

/*
 * set_meta - owner, mode and times of what was just made at DFD/DNAME, as the source SB says
 * (owner per -a); best effort, as cp -a: an unprivileged caller keeps its own. FD is an open
 * fd of it (a directory or a regular file), or -1 for a symlink or a node.
 * Why on the fd, never by a name that is followed: DFD may be inside a running container,
 * which can swap DNAME for a symlink to a host file between our mkdir and our chmod (an
 * absolute link resolves against *our* root); a chmod by name would follow it (the class
 * of CVE-2018-15664). What has no fd to hold is changed by name only through the calls that
 * take AT_SYMLINK_NOFOLLOW (fchmodat's: glibc 2.32+; a symlink has no mode of its own).
 */
static void set_meta(int fd, int dfd, const char *dname, const struct stat *sb,
		     const struct cp_opts *o)
{
	uid_t uid = o->archive ? sb->st_uid : o->uid;
	gid_t gid = o->archive ? sb->st_gid : o->gid;
	struct timespec ts[2] = {sb->st_atim, sb->st_mtim};
	if (fd >= 0) {
		if (fchown(fd, uid, gid) < 0 || fchmod(fd, sb->st_mode & 07777) < 0) {
			/* best effort (see above) */
		}
		futimens(fd, ts);
		return;
	}
	if (fchownat(dfd, dname, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
		/* best effort (see above) */
	}
	if (!S_ISLNK(sb->st_mode))
		fchmodat(dfd, dname, sb->st_mode & 07777, AT_SYMLINK_NOFOLLOW);
	utimensat(dfd, dname, ts, AT_SYMLINK_NOFOLLOW);
}

/* copy SFD/SNAME (not followed) to DFD/DNAME; SHOWN names it in errors */
static int copy_tree(int sfd, const char *sname, int dfd, const char *dname,
		     const struct cp_opts *o, const char *shown, struct mr_err *err)
{
	struct stat sb, db;
	if (fstatat(sfd, sname, &sb, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) < 0)
		return mr_fail(err, errno, "stat '%s'", shown);
	switch (sb.st_mode & S_IFMT) {
	case S_IFDIR: {
		if (fstatat(dfd, dname, &db, AT_SYMLINK_NOFOLLOW) == 0) {
			if (!S_ISDIR(db.st_mode))
				return mr_fail(err, ENOTDIR,
					       "cannot overwrite non-directory '%s' with directory",
					       dname);
		} else if (mkdirat(dfd, dname, 0700) < 0) {
			return mr_fail(err, errno, "mkdir '%s'", dname);
		}
		_cleanup_close_ int s = open_src(sfd, sname, &sb);
		if (s < 0)
			return mr_fail(err, errno, "open directory '%s'", shown);
		/* O_NOFOLLOW | O_DIRECTORY: what we made, or a directory put in its place
		 * (inside the same tree); a symlink put there is refused */
		_cleanup_close_ int d =
			openat(dfd, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d < 0)
			return mr_fail(err, errno,
				       "open directory '%s' (a symlink is not followed)", dname);
		if (copy_contents(s, d, o, shown, err) < 0)
			return -1;
		set_meta(d, dfd, dname, &sb, o); /* after the contents: their writes move mtime */
		return 0;
	}
	case S_IFREG: {
		if (make_way(dfd, dname, shown, err) < 0)
			return -1;
		_cleanup_close_ int in = open_src(sfd, sname, &sb);
		if (in < 0)
			return mr_fail(err, errno, "open '%s'", shown);
		_cleanup_close_ int out = openat(
			dfd, dname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (out < 0)
			return mr_fail(err, errno, "create '%s'", dname);
		if (copy_bytes(in, out, shown, err) < 0)
			return -1;
		set_meta(out, dfd, dname, &sb, o);
		return 0;
	}
	case S_IFLNK: {
		char target[4096];
		ssize_t n = readlinkat(sfd, sname, target, sizeof(target) - 1);
		if (n < 0)
			return mr_fail(err, errno, "readlink '%s'", shown);
		target[n] = 0;
		if (make_way(dfd, dname, shown, err) < 0)
			return -1;
		if (symlinkat(target, dfd, dname) < 0)
			return mr_fail(err, errno, "symlink '%s'", dname);
		break;
	}
	default:
		if (make_way(dfd, dname, shown, err) < 0)
			return -1;
		if (mknodat(dfd, dname, sb.st_mode, sb.st_rdev) < 0)
			return mr_fail(err, errno, "mknod '%s'", dname);
	}
	set_meta(-1, dfd, dname, &sb, o);
	return 0;
}

/* ---- tar streams ("-") ------------------------------------------------------------------- */

/* --userns=auto: the container's range, whose ids a tar names as the container sees them */
static struct bundle_rootfs tar_map;

void cp_tar_shift(const struct container *c)
{
	memset(&tar_map, 0, sizeof(tar_map));
	container_userns_rootfs(c, &tar_map);
}

/* write SFD/SNAME (not followed) as NAME into the tar A, recursively */
int cp_tar_tree(struct archive *a, int sfd, const char *sname, const char *name, struct mr_err *err)
{
	struct stat sb;
	if (fstatat(sfd, sname, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return mr_fail(err, errno, "stat '%s'", name);
	char target[4096];
	_cleanup_close_ int fd = -1;
	/* opened before the header is written: its size and mode are then those of what is
	 * read, whatever the container renames meanwhile */
	if ((S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)) && (fd = open_src(sfd, sname, &sb)) < 0)
		return mr_fail(err, errno, "open '%s'", name);
	struct archive_entry *e = archive_entry_new();
	archive_entry_copy_stat(e, &sb);
	unsigned long n = tar_map.map_size; /* host ids of the range: the container's own */
	if (n && sb.st_uid >= tar_map.map_uid && sb.st_uid - tar_map.map_uid < n)
		archive_entry_set_uid(e, (la_int64_t)(sb.st_uid - tar_map.map_uid));
	if (n && sb.st_gid >= tar_map.map_gid && sb.st_gid - tar_map.map_gid < n)
		archive_entry_set_gid(e, (la_int64_t)(sb.st_gid - tar_map.map_gid));
	archive_entry_set_pathname(e, name);
	if (S_ISLNK(sb.st_mode)) {
		ssize_t n = readlinkat(sfd, sname, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = 0;
		archive_entry_set_symlink(e, target);
	}
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		archive_entry_free(e);
		return mr_fail(err, 0, "tar '%s': %s", name, archive_error_string(a));
	}
	archive_entry_free(e);
	if (S_ISREG(sb.st_mode)) {
		char buf[1 << 16];
		ssize_t n;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (archive_write_data(a, buf, (size_t)n) < 0)
				return mr_fail(err, 0, "tar '%s': %s", name,
					       archive_error_string(a));
	} else if (S_ISDIR(sb.st_mode)) {
		DIR *d = fdopendir(mr_steal_fd(&fd));
		struct dirent *de;
		int rc = 0;
		while (d && rc == 0 && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", name, de->d_name);
			rc = cp_tar_tree(a, dirfd(d), de->d_name, sub, err);
		}
		if (d)
			closedir(d);
		return rc;
	}
	return 0;
}

/* the directory DIRFD/REL (a cleaned tar path's parent), made as needed, never followed */
static int tar_parent(int dirfd, const char *rel, char *leaf, size_t leaflen, struct mr_err *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", rel);
	char *slash = strrchr(path, '/');
	snprintf(leaf, leaflen, "%s", slash ? slash + 1 : path);
	int fd = dup(dirfd);
	if (!slash)
		return fd;
	*slash = 0;
	char *save = NULL;
	for (char *c = strtok_r(path, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		if (mkdirat(fd, c, 0755) < 0 && errno != EEXIST) {
			close(fd);
			return mr_fail(err, errno, "mkdir '%s'", c);
		}
		int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return mr_fail(err, errno, "'%s' (a symlink is not followed)", rel);
		fd = next;
	}
	return fd;
}

/* extract the tar on stdin into directory DIRFD: entries placed by cleaned relative paths
 * ("..", absolute paths refused), each parent opened O_NOFOLLOW, owners as the tar says */
static int untar(int dirfd, const char *shown, struct mr_err *err)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	struct archive_entry *e;
	int rc = 0, r;
	if (archive_read_open_fd(a, 0, 1 << 16) != ARCHIVE_OK) {
		rc = mr_fail(err, 0, "read the tar on stdin: %s", archive_error_string(a));
		goto out;
	}
	while (rc == 0 && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		char rel[4096], leaf[4096];
		if (layer_clean_path(archive_entry_pathname(e), rel, sizeof(rel), err) < 0) {
			mr_prefix(err, "tar entry "); /* the message names it, escaped */
			rc = -1;
			break;
		}
		if (!*rel)
			continue; /* "./": DEST itself */
		_cleanup_close_ int pfd = tar_parent(dirfd, rel, leaf, sizeof(leaf), err);
		if (pfd < 0) {
			rc = -1;
			break;
		}
		const struct stat *sb = archive_entry_stat(e);
		struct cp_opts keep = {.archive = true};
		const char *hard = archive_entry_hardlink(e);
		if (hard) {
			char hrel[4096], hleaf[4096];
			if (layer_clean_path(hard, hrel, sizeof(hrel), err) < 0) {
				rc = -1;
				break;
			}
			_cleanup_close_ int hfd =
				tar_parent(dirfd, hrel, hleaf, sizeof(hleaf), err);
			if (hfd < 0 || make_way(pfd, leaf, rel, err) < 0 ||
			    linkat(hfd, hleaf, pfd, leaf, 0) < 0) {
				rc = hfd < 0 ? -1 : mr_fail(err, errno, "link '%s'", rel);
				break;
			}
			continue;
		}
		struct stat db;
		_cleanup_close_ int fd = -1; /* what the entry made, for set_meta */
		if (S_ISDIR(sb->st_mode)) {
			/* an existing directory is kept (its mode becomes the entry's); anything
			 * else is refused, never kept: a symlink there, planted by the container,
			 * would take the entry's mode to whatever it points at */
			if (fstatat(pfd, leaf, &db, AT_SYMLINK_NOFOLLOW) == 0 &&
			    !S_ISDIR(db.st_mode)) {
				rc = mr_fail(err, ENOTDIR,
					     "cannot overwrite non-directory '%s' with directory",
					     rel);
				break;
			}
			if (mkdirat(pfd, leaf, 0700) < 0 && errno != EEXIST) {
				rc = mr_fail(err, errno, "mkdir '%s'", rel);
				break;
			}
			fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				rc = mr_fail(err, errno,
					     "open directory '%s' (a symlink is not followed)",
					     rel);
				break;
			}
		} else if (make_way(pfd, leaf, rel, err) < 0) {
			rc = -1;
			break;
		} else if (S_ISREG(sb->st_mode)) {
			fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				    0600);
			if (fd < 0 || archive_read_data_into_fd(a, fd) != ARCHIVE_OK) {
				rc = mr_fail(err, errno, "write '%s'", rel);
				break;
			}
		} else if (S_ISLNK(sb->st_mode)) {
			if (symlinkat(archive_entry_symlink(e), pfd, leaf) < 0) {
				rc = mr_fail(err, errno, "symlink '%s'", rel);
				break;
			}
		} else if (mknodat(pfd, leaf, sb->st_mode, sb->st_rdev) < 0) {
			rc = mr_fail(err, errno, "mknod '%s'", rel);
			break;
		}
		set_meta(fd, pfd, leaf, sb, &keep);
	}
	if (rc == 0 && r != ARCHIVE_EOF)
		rc = mr_fail(err, 0, "read the tar on stdin into '%s': %s", shown,
			     archive_error_string(a));
out:
	archive_read_free(a);
	return rc;
}

/* ---- the two directions ------------------------------------------------------------------ */

/* split PATH into its parent ("/a/b/c" -> "/a/b", "c" -> ".") and last name */
static void split(const char *path, char *parent, size_t plen, char *name, size_t nlen)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s", path);
	for (size_t l = strlen(p); l > 1 && p[l - 1] == '/'; l--)
		p[l - 1] = 0;
	char *slash = strrchr(p, '/');
	snprintf(name, nlen, "%s", slash ? (slash[1] ? slash + 1 : ".") : p);
	if (!slash)
		snprintf(parent, plen, ".");
	else if (slash == p)
		snprintf(parent, plen, "/");
	else
		snprintf(parent, plen, "%.*s", (int)(slash - p), p);
}

/* does PATH end in "/." (copy the contents) or "/" ? */
static bool ends_dot(const char *p)
{
	size_t l = strlen(p);
	return (l >= 2 && !strcmp(p + l - 2, "/.")) || !strcmp(p, ".");
}

/*
 * cp_transfer - copy SRC (under SRC_ROOT, or the host when -1) to DST (likewise): resolve
 * each side's parent directory (in the container: RESOLVE_IN_ROOT), then docker's naming
 * rules, then copy_tree.
 */
static int cp_transfer(int src_root, const char *src, int dst_root, const char *dst,
		       const struct cp_opts *o, struct mr_err *err)
{
	char sparent[4096], sname[1024], dparent[4096], dname[1024];
	bool contents = ends_dot(src);
	split(src, sparent, sizeof(sparent), sname, sizeof(sname));
	_cleanup_close_ int sdir = -1, ddir = -1, sfd_follow = -1;
	/* the source: its parent resolved, its last name not followed (unless -L or "/.") */
	if (contents || o->follow || !strcmp(sname, ".")) {
		sfd_follow = src_root >= 0 ? in_root(src_root, src, O_PATH, err)
					   : open(src, O_PATH | O_CLOEXEC);
		if (sfd_follow < 0)
			return src_root >= 0 ? -1 : mr_fail(err, errno, "'%s'", src);
		sdir = mr_steal_fd(&sfd_follow);
		snprintf(sname, sizeof(sname), "%s", "");
	} else {
		sdir = src_root >= 0 ? in_root(src_root, sparent, O_PATH | O_DIRECTORY, err)
				     : open(sparent, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (sdir < 0)
			return src_root >= 0 ? -1 : mr_fail(err, errno, "'%s'", sparent);
	}
	struct stat sb;
	if (fstatat(sdir, sname, &sb, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) < 0)
		return mr_fail(err, errno, "'%s'%s", src, src_root >= 0 ? " in the container" : "");
	if (contents && !S_ISDIR(sb.st_mode))
		return mr_fail(err, ENOTDIR, "'%s': not a directory", src);

	/* the destination: an existing directory takes the source by its name */
	int dfd = dst_root >= 0 ? in_root(dst_root, dst, O_PATH | O_DIRECTORY, NULL)
				: open(dst, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0 && !contents) {
		ddir = dfd;
		char last[1024], ignored[4096];
		split(src, ignored, sizeof(ignored), last, sizeof(last));
		snprintf(dname, sizeof(dname), "%s", last);
	} else if (dfd >= 0) {
		ddir = dfd; /* SRC/. into an existing directory: its contents */
		_cleanup_close_ int s = open_src(sdir, sname, &sb);
		if (s < 0)
			return mr_fail(err, errno, "open '%s'", src);
		return copy_contents(s, ddir, o, src, err);
	} else {
		size_t dl = strlen(dst);
		if (!S_ISDIR(sb.st_mode) && dl && dst[dl - 1] == '/')
			return mr_fail(err, ENOENT, "destination directory '%s' does not exist",
				       dst);
		split(dst, dparent, sizeof(dparent), dname, sizeof(dname));
		ddir = dst_root >= 0 ? in_root(dst_root, dparent, O_PATH | O_DIRECTORY, err)
				     : open(dparent, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (ddir < 0)
			return dst_root >= 0 ? -1 : mr_fail(err, errno, "'%s'", dparent);
	}
	return copy_tree(sdir, sname, ddir, dname, o, src, err);
}

/* "CONTAINER:PATH" -> container ref and path; NULL for a local path ("./a:b", "/x:y") */
static const char *container_part(const char *arg, char *ref, size_t len)
{
	const char *colon = strchr(arg, ':');
	if (arg[0] == '/' || arg[0] == '.' || !colon || colon == arg || !strcmp(arg, "-"))
		return NULL;
	snprintf(ref, len, "%.*s", (int)(colon - arg), arg);
	return colon + 1;
}

static void cp_usage(void)
{
	printf("Usage:  minirun cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n"
	       "        minirun cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH\n\n"
	       "Copy files/folders between a container and the local filesystem\n\n"
	       "Use '-' as the source to read a tar archive from stdin and extract it to a "
	       "directory\ndestination in a container. Use '-' as the destination to stream a "
	       "tar archive of\na container source to stdout.\n\n"
	       "Options:\n"
	       "  -a, --archive       Archive mode (copy all uid/gid information)\n"
	       "  -L, --follow-link   Always follow symbol link in SRC_PATH (inside the "
	       "container)\n");
}

int cmd_cp(int argc, char **argv)
{
	static const struct option opts[] = {
		{"archive", no_argument, NULL, 'a'},
		{"follow-link", no_argument, NULL, 'L'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct cp_opts o = {0};
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, ":aLqh", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': o.archive = true; break;
		case 'L': o.follow = true; break;
		case 'q': break;
		case 'h': cp_usage(); return 0;
		default: return mr_flag_error(ch, "cp", argv);
		}
	}
	if (argc - optind != 2)
		return mr_operand_error("cp", "\"cp\" requires exactly 2 arguments.");
	const char *src = argv[optind], *dst = argv[optind + 1];
	char sref[256], dref[256];
	const char *spath = container_part(src, sref, sizeof(sref));
	const char *dpath = container_part(dst, dref, sizeof(dref));
	if (spath && dpath)
		return info_usage_error("cp", "copying between containers is not supported");
	if (!spath && !dpath)
		return info_usage_error("cp", "must specify at least one container source");
	if (!strcmp(src, "-") && !dpath)
		return info_usage_error("cp", "\"-\" (a tar on stdin) goes into a container");

	struct container c;
	struct mr_err err = {0};
	const char *ref = spath ? sref : dref;
	/* a stopped container is mounted here for the copy: hold its lock, so that no
	 * `start` mounts the same upper dir at the same time */
	if (container_open(containers_root(), ref, false, &c, &err) < 0) {
		/* docker's words name the operand: "No such container:path: web:/x" */
		if (err.kind == MR_E_NOT_FOUND)
			fprintf(stderr, "minirun: No such container:path: %s\n", spath ? src : dst);
		else
			fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	if (!container_pid(&c)) {
		container_close(&c);
		if (info_open(ref, true, &c) < 0)
			return 1;
	}
	umask(0);
	int rc = 0, root = cp_root(&c, &err), probe = -1;
	if (root < 0) {
		rc = 1;
	} else if (spath && (probe = mr_open_in_root(root, spath, O_PATH | O_NOFOLLOW, 0)) < 0 &&
		   errno == ENOENT) {
		/* the source is not in the container: docker's words, naming the operand */
		fprintf(stderr, "minirun: No such container:path: %s\n", src);
		rc = 2; /* said: 1 below */
	} else if (spath && !strcmp(dst, "-")) {
		/* a tar of SRC on stdout, its entries named from SRC's last name */
		char parent[4096], name[1024];
		split(spath, parent, sizeof(parent), name, sizeof(name));
		_cleanup_close_ int pdir = in_root(root, parent, O_PATH | O_DIRECTORY, &err);
		struct archive *a = archive_write_new();
		archive_write_set_format_pax_restricted(a);
		cp_tar_shift(&c);
		if (pdir < 0 || archive_write_open_fd(a, 1) != ARCHIVE_OK ||
		    cp_tar_tree(a, pdir, name, name, &err) < 0 ||
		    archive_write_close(a) != ARCHIVE_OK)
			rc = 1;
		archive_write_free(a);
	} else if (spath) {
		o.uid = getuid();
		o.gid = getgid();
		rc = cp_transfer(root, spath, -1, dst, &o, &err) < 0;
	} else if (!strcmp(src, "-")) {
		_cleanup_close_ int ddir = in_root(root, dpath, O_RDONLY | O_DIRECTORY, &err);
		rc = ddir < 0 || untar(ddir, dpath, &err) < 0;
	} else {
		struct bundle_rootfs map = {0}; /* --userns=auto: its root is a host uid */
		container_userns_rootfs(&c, &map);
		o.uid = map.map_uid, o.gid = map.map_gid; /* the container's root: 0 unless so */
		rc = cp_transfer(-1, src, root, dpath, &o, &err) < 0;
	}
	if (rc == 1)
		fprintf(stderr, "minirun: %s\n", err.msg[0] ? err.msg : "copy failed");
	rc = rc ? 1 : 0;
	if (root >= 0)
		close(root);
	if (probe >= 0)
		close(probe);
	container_close(&c);
	return rc;
}
