/*
 * minirun/containers/rootfs.c - a container's root filesystem and its /etc files.
 *
 * The rootfs is an overlay: the image's unpacked layers (shared by every container of the
 * image, read-only) as the lowers, the container's own diff/ as the upper, work/ as
 * overlay's scratch dir, mounted on merged/. The monitor mounts it at each start and
 * unmounts it at each exit; `rm` unmounts what a killed monitor left. Nothing in diff/ is
 * lost between starts: that is `docker start` keeping a container's changes.
 *
 * hostname and resolv.conf are written beside the record and bind-mounted by the OCI
 * config onto /etc/hostname and /etc/resolv.conf; hosts belongs to minirun/network (it is
 * rewritten in place on each connect), made here empty (localhost only) if missing, since
 * a bind mount needs its source to exist. A WorkingDir missing from the image is made
 * inside the rootfs, as docker does (`-w /srv/app` just works), every step resolved inside
 * the rootfs so that a symlink in the image can't make it elsewhere.
 *
 * See: unionfs/overlay.h; Documentation/filesystems/overlayfs.rst; resolv.conf(5);
 *      docker's libnetwork/resolvconf (the loopback-nameserver rule).
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/image/image.h"
#include "minirun/oci/runtime.h"
#include "minirun/rootless/rootless.h"
#include "unionfs/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The image's layers, top-most first, into *DIRS (image_lowerdirs_free). create recorded
 * them (Minirun.LowerDirs): each must still be a directory, as the image store keeps the
 * layers of an image a container uses. A record without them (made by an older minirun)
 * asks the store, by image ID, not by the name given to run: a tag moved since keeps this
 * container's layers. */
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

static int lowerdirs(struct container *c, char ***dirs, struct mr_err *err)
{
	json_t *rec = rec_get(c->rec, "Minirun", "LowerDirs");
	size_t i, n = json_array_size(rec);
	char **v = n ? calloc(n + 1, sizeof(*v)) : NULL;
	for (i = 0; v && i < n; i++) {
		struct stat sb;
		const char *d = json_string_value(json_array_get(rec, i));
		if (!d || !is_layer_dir(c->root, d) || stat(d, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
		    !(v[i] = strdup(d)))
			break;
	}
	if (v && i == n) {
		*dirs = v;
		return 0;
	}
	image_lowerdirs_free(v);
	struct store st;
	const char *image = json_string_value(json_object_get(c->rec, "Image"));
	if (!image)
		return mr_fail(err, 0, "container %.12s: its record names no image", c->id);
	if (store_open(&st, c->root, err) < 0)
		return -1;
	int rc = image_lowerdirs(&st, image, dirs, NULL, err);
	store_close(&st);
	return rc;
}

int rootfs_mount(struct container *c, struct mr_err *err)
{
	char merged[4400], upper[4400], work[4400];
	char **dirs = NULL;
	int rc = lowerdirs(c, &dirs, err);
	if (rc < 0)
		return -1;
	size_t n = 0;
	while (dirs[n])
		n++;
	container_path(c, "merged", merged, sizeof(merged));
	container_path(c, "diff", upper, sizeof(upper));
	container_path(c, "work", work, sizeof(work));
	if (mkdir(merged, 0755) < 0 && errno != EEXIST) {
		image_lowerdirs_free(dirs);
		return mr_fail(err, errno, "mkdir '%s'", merged);
	}
	struct ovl_stack s = {
		.lowers = (const char *const *)dirs, .nlowers = n, .upper = upper, .work = work};
	enum ovl_method how = OVL_METHOD_NONE;
	mr_say("mount overlay on %s (%zu image layers + diff/)", merged, n);
	rc = rootless_active() ? rootless_ovl_mount(&s, merged, err) /* userxattr, or fuse */
			       : ovl_mount(&s, merged, &how, err);
	image_lowerdirs_free(dirs);
	return rc;
}

int rootfs_umount(struct container *c, struct mr_err *err)
{
	char merged[4400];
	container_path(c, "merged", merged, sizeof(merged));
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

/* the host's resolv.conf without loopback nameservers (they mean nothing in another
 * network namespace); with none left, docker's fallback: Google's public servers */
static char *resolv_text(bool host_network)
{
	_cleanup_free_ char *host = NULL;
	if (mr_read_file("/etc/resolv.conf", &host, NULL, NULL) < 0)
		host = strdup("");
	if (!host)
		return NULL;
	if (host_network)
		return mr_steal_ptr(&host);
	size_t cap = strlen(host) + 64, len = 0;
	char *out = malloc(cap);
	bool ns = false;
	for (char *line = strtok(host, "\n"); out && line; line = strtok(NULL, "\n")) {
		char addr[64] = "";
		if (sscanf(line, " nameserver %63s", addr) == 1) {
			if (!strncmp(addr, "127.", 4) || !strcmp(addr, "::1"))
				continue;
			ns = true;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s\n", line);
	}
	if (out && !ns)
		snprintf(out + len, cap - len, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	return out;
}

/* mkdir -p DIR (absolute, inside the container) in the rootfs ROOT, each step resolved
 * inside it (the OCI runtime's mnt_open_in_root, which mount destinations use too) */
static int workdir_make(const char *root, const char *dir, struct mr_err *err)
{
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return mr_fail(err, errno, "open '%s'", root);
	int fd = mnt_open_in_root(rootfd, dir, true, true, err);
	if (fd < 0) {
		mr_prefix(err, "WorkingDir '%s': ", dir);
		return -1;
	}
	close(fd);
	return 0;
}

int rootfs_files(struct container *c, struct mr_err *err)
{
	char path[4400];
	const char *mode =
		json_string_value(rec_get(c->rec, "HostConfig", "NetworkMode")) ?: "bridge";
	const char *host = json_string_value(rec_get(c->rec, "Config", "Hostname"));
	char text[300];
	snprintf(text, sizeof(text), "%.255s\n", host && *host ? host : c->id);
	if (!(host && *host))
		text[12] = '\n', text[13] = 0; /* docker's default: the short ID */
	if (mr_replace_file(container_path(c, "hostname", path, sizeof(path)), text, 0644, err) < 0)
		return -1;
	_cleanup_free_ char *resolv = resolv_text(!strcmp(mode, "host"));
	if (!resolv)
		return mr_fail(err, ENOMEM, "resolv.conf");
	if (mr_replace_file(container_path(c, "resolv.conf", path, sizeof(path)), resolv, 0644,
			    err) < 0)
		return -1;
	const char *wd = json_string_value(rec_get(c->rec, "Config", "WorkingDir"));
	if (wd && *wd && strcmp(wd, "/") != 0 &&
	    workdir_make(container_path(c, "merged", path, sizeof(path)), wd, err) < 0)
		return -1;
	container_path(c, "hosts", path, sizeof(path));
	if (access(path, F_OK) == 0)
		return 0;
	_cleanup_free_ char *hosts = network_hosts_format(NULL, 0);
	return hosts ? mr_replace_file(path, hosts, 0644, err) : mr_fail(err, ENOMEM, "hosts");
}

static dev_t top_dev;

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	if (st->st_dev != top_dev)
		return 0; /* FTW_MOUNT keeps us out; this is the mount point itself */
	if (f->level == 0)
		return 0; /* the directory itself: after the record (rootfs_remove_dir) */
	if (f->level == 1 && !strcmp(path + f->base, "container.json"))
		return 0;
	if (type == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int rootfs_remove_dir(struct container *c, struct mr_err *err)
{
	struct stat st;
	if (lstat(c->dir, &st) < 0)
		return errno == ENOENT ? 0 : mr_fail(err, errno, "stat '%s'", c->dir);
	/* FTW_MOUNT: never walk into a mount (merged/ still mounted would mean deleting the
	 * files through the overlay); FTW_PHYS: never follow a symlink out */
	top_dev = st.st_dev;
	/* Why the record goes last: nftw deletes in directory order, and a remove killed
	 * midway (a build's RUN cleanup, an `rm -f`) that had taken container.json first
	 * left a directory nobody could name: listed as a Dead container without labels,
	 * so a build's step_sweep could not tell it was its own. With the record last, a
	 * half-removed container is still a whole record, which rm -f removes again. */
	char rec[PATH_MAX];
	container_path(c, "container.json", rec, sizeof(rec));
	if (nftw(c->dir, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 ||
	    (unlink(rec) < 0 && errno != ENOENT) || (rmdir(c->dir) < 0 && errno != ENOENT))
		return mr_fail(err, errno ? errno : EBUSY, "remove '%s'", c->dir);
	return 0;
}
