/*
 * minirun/containers/userns.c - --userns=auto: root in the container is not root on the host.
 *
 * A root-run container's uid 0 is the host's uid 0 (with fewer capabilities). With
 * --userns=auto (or `userns-remap = auto` in minirun.conf), it gets a user namespace of its own
 * whose ids 0..65535 are a range of host ids nobody else uses: a process that escapes, or a
 * file it writes on a bind-mounted host directory, belongs to that unprivileged host uid, and
 * a host file owned by root appears in the container as nobody (65534), which its root can't
 * write. This is podman's --userns=auto; docker's userns-remap gives every container the same
 * range, podman (and minirun) one each, so containers can't reach each other's files either.
 *
 * Where the ranges come from: the lines of /etc/subuid and /etc/subgid (subuid(5)) of one user,
 * `userns-user` in minirun.conf ("containers", podman's choice). Each container takes 65536
 * ids from them, the lowest free ones, uid and gid ranges chosen apart. Which are taken is
 * kept in the store: ROOT/userns/ID holds "UID GID SIZE" for each container holding a range
 * (from create to rm: its upper dir keeps files of those ids), written under the flock of
 * ROOT/userns/lock, so two creates at once never pick the same range. A file whose container
 * is gone (a killed create) is taken back by the next allocation.
 *
 * A volume only this container uses (a new named one, an anonymous one) is chowned to its
 * range at create, image files copied into it included, as docker's userns-remap makes its
 * volumes the remapped root's (container_userns_volumes). A volume other containers use too
 * keeps its owners: its root-owned files are nobody's here.
 *
 * The image's layers are owned by host root, shared by every container of the image; they are
 * not copied or chowned. The monitor mounts each layer idmapped (mount_setattr(2),
 * MOUNT_ATTR_IDMAP: bundle/idmap.c) so that, through the overlay, host uid 0 reads as the
 * range's first id, which is root in the container. The container's own upper and work dirs
 * are chowned to the range's first ids here at create.
 *
 * See: user_namespaces(7), subuid(5), mount_setattr(2); docs.podman.io --userns=auto;
 *      https://docs.docker.com/engine/security/userns-remap/
 * Try: minirun run --rm --userns=auto busybox cat /proc/self/uid_map
 */
#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/file.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h"
#include "minirun/rootless/rootless.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define USERNS_SIZE 65536u /* ids a container gets: 0..65535, as podman's auto by default */

/* one range of ids [start, start + count) */
struct range {
	unsigned long start, count;
};

/* the ranges of USER in FILE (subuid(5): "name:start:count", name or uid); up to MAX into
 * OUT, their number returned; -1 with err when the file can't be read */
static int subid_ranges(const char *file, const char *user, struct range *out, int max,
			struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	if (mr_read_file(file, &text, NULL, err) < 0) {
		mr_prefix(err, "--userns=auto: ");
		return -1;
	}
	int n = 0;
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
		char name[256];
		unsigned long s, c;
		if (sscanf(l, "%255[^:]:%lu:%lu", name, &s, &c) == 3 && !strcmp(name, user) && c)
			out[n++] = (struct range){s, c};
	}
	return n;
}

/* the lowest START in RANGES (N) where SIZE ids overlap none of TAKEN (NT); 0 when none */
static unsigned long first_free(const struct range *ranges, int n, const struct range *taken,
				size_t nt, unsigned long size)
{
	for (int i = 0; i < n; i++) {
		unsigned long at = ranges[i].start, end = ranges[i].start + ranges[i].count;
		bool moved = true;
		while (moved && at + size <= end) {
			moved = false;
			for (size_t k = 0; k < nt; k++)
				if (at < taken[k].start + taken[k].count &&
				    taken[k].start < at + size) {
					at = taken[k].start +
					     taken[k].count; /* past it, then again */
					moved = true;
				}
		}
		if (at + size <= end && at > 0)
			return at;
	}
	return 0;
}

/* the ranges ROOT/userns/ holds (uids into U, gids into G); files of containers gone are
 * removed. *N their number. -1 with err on ENOMEM. */
static int taken_ranges(const char *root, const char *dir, struct range **u, struct range **g,
			size_t *n, struct mr_err *err)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	*u = *g = NULL;
	*n = 0;
	while (d && (e = readdir(d))) {
		if (strlen(e->d_name) != CONTAINER_ID_LEN)
			continue;
		char path[4500], cdir[4500];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(cdir, sizeof(cdir), "%s/containers/%s", root, e->d_name);
		if (access(cdir, F_OK) < 0) {
			mr_say("--userns: the range of %.12s, a container gone, is free again",
			       e->d_name);
			unlink(path);
			continue;
		}
		_cleanup_free_ char *text = NULL;
		unsigned long uid, gid, size;
		if (mr_read_file(path, &text, NULL, NULL) < 0 ||
		    sscanf(text, "%lu %lu %lu", &uid, &gid, &size) != 3)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			struct range *nu = realloc(*u, cap * sizeof(**u));
			if (nu)
				*u = nu;
			struct range *ng = nu ? realloc(*g, cap * sizeof(**g)) : NULL;
			if (!ng)
				return mr_fail(err, ENOMEM, "--userns");
			*g = ng;
		}
		(*u)[*n] = (struct range){uid, size};
		(*g)[(*n)++] = (struct range){gid, size};
	}
	return 0;
}

/* allocate a range for container ID under the store's lock; its first uid and gid to *UID,
 * *GID. -1 with err saying which file to fill when nothing is free. */
static int allocate(const char *root, const char *id, unsigned long *uid, unsigned long *gid,
		    struct mr_err *err)
{
	const char *user, *fu, *fg;
	if (minirun_conf_get("userns-user", &user, err) < 0 ||
	    minirun_conf_get("subuid-file", &fu, err) < 0 ||
	    minirun_conf_get("subgid-file", &fg, err) < 0)
		return -1;
	struct range ru[64], rg[64];
	int nu = subid_ranges(fu, user, ru, 64, err), ng;
	if (nu < 0 || (ng = subid_ranges(fg, user, rg, 64, err)) < 0)
		return -1;
	if (!nu || !ng)
		return mr_fail(err, 0,
			       "--userns=auto: %s has no range in %s (add a line such as "
			       "\"%s:100000000:100000000\" to %s and %s, or name another user with "
			       "userns-user in %s)",
			       user, !nu ? fu : fg, user, fu, fg, minirun_conf_path());
	char dir[4400], lock[4500], path[4500], text[96];
	snprintf(dir, sizeof(dir), "%s/userns", root);
	snprintf(lock, sizeof(lock), "%s/lock", dir);
	if (mr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	_cleanup_close_ int fd = mr_lock_file(lock, err);
	if (fd < 0)
		return -1;
	_cleanup_free_ struct range *tu = NULL, *tg = NULL;
	size_t nt;
	if (taken_ranges(root, dir, &tu, &tg, &nt, err) < 0)
		return -1;
	*uid = first_free(ru, nu, tu, nt, USERNS_SIZE);
	*gid = first_free(rg, ng, tg, nt, USERNS_SIZE);
	if (!*uid || !*gid)
		return mr_fail(err, 0,
			       "--userns=auto: no free range of %u ids left in %s's %s (%zu "
			       "containers hold one): remove some, or give %s more",
			       USERNS_SIZE, user, !*uid ? fu : fg, nt, user);
	snprintf(path, sizeof(path), "%s/%s", dir, id);
	snprintf(text, sizeof(text), "%lu %lu %u\n", *uid, *gid, USERNS_SIZE);
	return mr_replace_file(path, text, 0600, err);
}

/* search_for_all - add o+x to DIR (never read or write): the remapped root is "others" to the
 * host's dirs, and the OCI runtime's init, already in the container's user namespace, opens
 * the rootfs and the files bound into it by path. Docker's userns-remap makes its root 0711
 * for the same reason. */
static int search_for_all(const char *dir, struct mr_err *err)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return mr_fail(err, errno, "--userns=auto: stat '%s'", dir);
	if ((st.st_mode & 0001) || !S_ISDIR(st.st_mode))
		return 0;
	mr_say("--userns=auto: chmod o+x %s (the remapped root passes through it)", dir);
	if (chmod(dir, (st.st_mode & 07777) | 0001) < 0)
		return mr_fail(err, errno, "--userns=auto: chmod '%s'", dir);
	return 0;
}

/* group_only - DIR (the container's own, or a volume only it uses) passable by group GID,
 * the container's root's, and by nobody else: chgrp GID, g+x, no o bits. So the dirs shared
 * by every container (the roots, containers/) are o+x (never o+r: nobody lists them), and
 * what is below them is this container's alone, as docker's userns-remap keeps each range's
 * data under a dir of its remapped root (0700). */
static int group_only(const char *dir, gid_t gid, struct mr_err *err)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return mr_fail(err, errno, "--userns=auto: stat '%s'", dir);
	mr_say("--userns=auto: chgrp %u, chmod g+x,o-rwx %s", (unsigned)gid, dir);
	if (chown(dir, (uid_t)-1, gid) < 0 || chmod(dir, ((st.st_mode & 07770) | 0010)) < 0)
		return mr_fail(err, errno, "--userns=auto: chgrp/chmod '%s'", dir);
	return 0;
}

/* the container's own dirs (in the store and in the run root) passable by its root's group
 * only; the dirs above them up to the roots themselves o+x; above the roots nothing is
 * changed (not minirun's), only checked: one a remapped root can't pass is named, with what
 * to do */
static int open_the_way(struct container *c, gid_t gid, struct mr_err *err)
{
	char run[4096], buf[4096];
	const char *dirs[] = {c->dir, containers_run_dir(c->root, c->id, run, sizeof(run))};
	for (size_t i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "%s", dirs[i]);
		for (int up = 0;; up++) {
			struct stat st;
			if (up == 0 && group_only(buf, gid, err) < 0) /* ID: its own */
				return -1;
			if (up > 0 && up < 3 &&
			    search_for_all(buf, err) < 0) /* containers/, root */
				return -1;
			if (up >= 3 && stat(buf, &st) == 0 && !(st.st_mode & 0001))
				return mr_fail(
					err, 0,
					"--userns=auto: '%s' (mode %04o) can't be passed "
					"through by the container's remapped root, which must "
					"reach its rootfs below it: chmod o+x '%s' (docker's "
					"userns-remap needs the same of its data root)",
					buf, (unsigned)(st.st_mode & 07777), buf);
			char *slash = strrchr(buf, '/');
			if (!slash || slash == buf)
				break;
			*slash = '\0';
		}
	}
	return 0;
}

int container_userns_setup(struct container *c, const struct container_opts *o, struct mr_err *err)
{
	const char *mode = o->userns_mode, *dflt;
	if (minirun_conf_get("userns-remap", &dflt, err) < 0) /* a bad file stops every create */
		return -1;
	if (!mode)
		mode = dflt;
	if (!mode || strcmp(mode, "auto") != 0)
		return 0;
	if (rootless_active())
		return mr_fail(
			err, 0,
			"--userns=auto: a rootless container is mapped into your own "
			"subordinate ids already; give --userns=auto to root-run containers");
	if (!o->userns_mode && (o->privileged || (o->network && !strcmp(o->network, "host")) ||
				(o->pid_mode && !strcmp(o->pid_mode, "host"))))
		return mr_fail(err, 0,
			       "%s: userns-remap = auto can't be kept with --privileged or a host "
			       "namespace: give --userns=host to this container",
			       minirun_conf_path());
	unsigned long uid = 0, gid = 0;
	if (allocate(c->root, c->id, &uid, &gid, err) < 0)
		return -1;
	mr_say("--userns=auto: container 0-%u is host uid %lu-%lu, gid %lu-%lu", USERNS_SIZE - 1,
	       uid, uid + USERNS_SIZE - 1, gid, gid + USERNS_SIZE - 1);
	c->r.mr.id_map.present = true;
	c->r.mr.id_map.host_uid = uid;
	c->r.mr.id_map.host_gid = gid;
	c->r.mr.id_map.size = USERNS_SIZE;
	/* the upper and work dirs belong to the container's root; the layers are idmapped */
	char path[4400];
	const char *dirs[] = {"diff", "work"};
	for (size_t i = 0; i < 2; i++)
		if (chown(container_path(c, dirs[i], path, sizeof(path)), (uid_t)uid, (gid_t)gid) <
		    0)
			return mr_fail(err, errno, "--userns=auto: chown '%s'", path);
	if (open_the_way(c, (gid_t)gid, err) < 0)
		return -1;
	return container_save(c, err);
}

/* the shift of one volume walk (nftw has no user argument) */
static unsigned long shift_uid, shift_gid;

/* one entry: owner u (< USERNS_SIZE, an id of the container's) becomes shift + u, as the
 * container's root would have made it; an owner already in the range, or beyond 65535, is
 * left as it is. Symlinks themselves (lchown), never what they point to. */
static int shift_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	uid_t u = st->st_uid < USERNS_SIZE ? (uid_t)(shift_uid + st->st_uid) : st->st_uid;
	gid_t g = st->st_gid < USERNS_SIZE ? (gid_t)(shift_gid + st->st_gid) : st->st_gid;
	if ((u != st->st_uid || g != st->st_gid) && lchown(path, u, g) < 0)
		return errno;
	/* chown drops set-id bits: give them back, as the image's copy had them */
	if (!S_ISLNK(st->st_mode) && (st->st_mode & 06000) && chmod(path, st->st_mode & 07777) < 0)
		return errno;
	return 0;
}

int container_userns_volumes(struct container *c, struct mr_err *err)
{
	if (!c->r.mr.id_map.present)
		return 0;
	shift_uid = c->r.mr.id_map.host_uid;
	shift_gid = c->r.mr.id_map.host_gid;
	for (size_t i = 0; i < c->r.nmounts; i++) {
		const struct container_mount *m = &c->r.mounts[i];
		struct stat st;
		if (!m->type || strcmp(m->type, "volume") || !m->name || !m->source)
			continue;
		json_t *users = volume_users(c->root, m->name, NULL);
		bool alone = json_array_size(users) == 1 &&
			     !strcmp(json_string_value(json_array_get(users, 0)) ?: "", c->id);
		json_decref(users);
		/* ROOT/volumes/NAME/_data: the remapped root passes through volumes/ and NAME/
		 * (NAME its group's only, when the volume is its alone) */
		char up[4096];
		snprintf(up, sizeof(up), "%s", m->source);
		for (int k = 0; k < 2; k++) {
			char *slash = strrchr(up, '/');
			if (!slash || slash == up)
				break;
			*slash = '\0';
			if ((k == 0 && alone ? group_only(up, (gid_t)shift_gid, err)
					     : search_for_all(up, err)) < 0)
				return -1;
		}
		if (lstat(m->source, &st) < 0 || st.st_uid >= USERNS_SIZE)
			continue; /* shifted already (by this range or another) */
		if (!alone) {
			mr_say("--userns=auto: volume %s is shared: its owners are left as they are "
			       "(its root-owned files are nobody's in this container)",
			       m->name);
			continue;
		}
		mr_say("--userns=auto: volume %s chowned to the container's range (+%lu)", m->name,
		       shift_uid);
		int e = nftw(m->source, shift_one, 32, FTW_PHYS | FTW_MOUNT);
		if (e)
			return mr_fail(err, e > 0 ? e : errno, "--userns=auto: chown volume %s",
				       m->name);
	}
	return 0;
}

void container_userns_release(const char *root, const char *id)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s/userns/%s", root, id);
	if (unlink(path) == 0)
		mr_say("--userns: the range of %.12s is free again", id);
}

void container_userns_rootfs(const struct container *c, struct bundle_rootfs *fs)
{
	if (!c->r.mr.id_map.present)
		return;
	fs->map_uid = (uid_t)c->r.mr.id_map.host_uid;
	fs->map_gid = (gid_t)c->r.mr.id_map.host_gid;
	fs->map_size = c->r.mr.id_map.size;
}
