/*
 * minirun/bundle/user.c - who a container's process runs as: -u / USER and --group-add,
 * resolved in the container's own /etc/passwd and /etc/group.
 *
 * Docker never asks the host who "app" is. A name means what the image's files say it means:
 *
 *   -u ""            root (uid 0), still looked up: HOME, and the groups that list root
 *   -u app           the passwd entry "app": its uid, primary gid and home; supplementary
 *                    groups: every /etc/group entry that lists "app"
 *   -u 1000          that uid; its passwd entry when there is one, else gid 0 and HOME=/
 *   -u app:staff     the group replaces the primary gid, and brings no supplementary groups
 *   -u 1000:1000     numbers need no entry at all (an image may have no /etc/passwd)
 *   --group-add X    a group name in /etc/group, else a number as it is, added after those
 *
 * The primary gid is always one of the supplementary groups too, as under docker: `id` in
 * its busybox shows "uid=1000 gid=1000 groups=1000" for -u 1000:1000, "groups=0(root)" for
 * root even when no /etc/group line lists root (a process with an empty list would show no
 * groups= at all, and would lose access a file's group gives it after a setgid program).
 *
 * config.c puts the result in the OCI config's process.user (uid, gid, additionalGids) and
 * HOME in its env. A name with no entry fails with docker's message ("unable to find user
 * app: no matching entries in passwd file") before the container is started.
 *
 * Why in-root: /etc/passwd and /etc/group belong to the image, which may be hostile. A
 * symlink etc/passwd -> /etc/shadow (or ../../../etc/shadow), opened naively from the host,
 * reads the *host's* file instead of the image's. The files are opened with openat2's
 * RESOLVE_IN_ROOT (lib/inroot.h), so every component resolves inside the rootfs, as it
 * would for a process in the container; anything but a regular file (a device node, a
 * FIFO) is refused before it is opened for reading, and so is a file over 1 MiB.
 *
 * See: passwd(5), group(5), openat2(2); moby/sys/user (user.go: GetExecUser);
 *      https://docs.docker.com/reference/cli/docker/container/run/#user
 */
#include "minirun/bundle/bundle.h"
#include "lib/cleanup.h"
#include "lib/inroot.h"
#include "lib/file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- reading the image's files ------------------------------------------------------------ */

/* Read ROOTFS/REL (at most 1 MiB, a regular file) with every component resolved inside
 * ROOTFS. A missing file gives *out NULL and 0: an image may have no /etc/group. */
static int read_in_root(const char *rootfs, const char *rel, char **out, struct mr_err *err)
{
	*out = NULL;
	_cleanup_close_ int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return mr_fail(err, errno, "open rootfs '%s'", rootfs);
	/* O_PATH first, and opened for reading only once it is known to be a regular file:
	 * the image may plant a device node as etc/passwd, and opening some devices acts
	 * (a watchdog arms, a tape rewinds), or a FIFO, whose open would hang us. In-root: a
	 * symlink in the image resolves inside it (or, on a kernel without openat2, is
	 * refused: ELOOP, read as "no such file" like ENOENT) */
	_cleanup_close_ int path = mr_open_in_root(root, rel, O_PATH, 0);
	if (path < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP
			       ? 0
			       : mr_fail(err, errno, "open %s", rel);
	struct stat st;
	if (fstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20))
		return mr_fail(err, 0, "%s in the image is not a regular file under 1 MiB", rel);
	char self[64];
	_cleanup_close_ int fd =
		open(mr_fd_path(self, sizeof(self), path), O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "open %s", rel);
	char *text = calloc(1, (size_t)st.st_size + 1);
	size_t got = 0;
	ssize_t n;
	if (!text)
		return mr_fail(err, ENOMEM, "read %s", rel);
	while (got < (size_t)st.st_size && (n = read(fd, text + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	text[got] = '\0';
	*out = text;
	return 0;
}

/* Split a passwd/group LINE into at most MAX colon fields (in place). */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	for (char *p = line; n < max; n++) {
		f[n] = p;
		p = strchr(p, ':');
		if (!p)
			return n + 1;
		*p++ = '\0';
	}
	return n;
}

/* Is S a whole decimal id (as /etc/passwd and -u write them)? Its value to *v. */
static bool numeric(const char *s, unsigned long *v)
{
	char *end;
	if (!*s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && !errno && *v <= 0x7fffffff; /* moby/sys/user's range: 0 .. 2^31-1 */
}

/* Add GID to U's supplementary groups, once. */
static void add_gid(struct container_user *u, gid_t gid)
{
	for (size_t k = 0; k < u->ngids; k++)
		if (u->gids[k] == gid)
			return;
	if (u->ngids < sizeof(u->gids) / sizeof(u->gids[0]))
		u->gids[u->ngids++] = gid;
}

/* ---- -u USER[:GROUP] ---------------------------------------------------------------------- */

int container_resolve_user(const char *rootfs, const char *spec, struct container_user *u,
			   struct mr_err *err)
{
	char uarg[256], garg[256] = "", name[256] = "";
	const char *colon = strchr(spec ? spec : "", ':');
	unsigned long v;
	bool have_group = colon != NULL;
	memset(u, 0, sizeof(*u));
	snprintf(u->home, sizeof(u->home), "/");
	snprintf(uarg, sizeof(uarg), "%.*s", colon ? (int)(colon - spec) : 255, spec ? spec : "");
	if (colon)
		snprintf(garg, sizeof(garg), "%s", colon + 1);
	if (!*uarg && !*garg) /* root, docker's default: still looked up, for HOME and the
				 groups root is in (`id` shows groups=0(root),10(wheel)) */
		snprintf(uarg, sizeof(uarg), "0");

	_cleanup_free_ char *passwd = NULL, *group = NULL;
	if (read_in_root(rootfs, "etc/passwd", &passwd, err) < 0 ||
	    read_in_root(rootfs, "etc/group", &group, err) < 0)
		return -1;

	/* the user: an entry whose name (or, for a number, uid) matches; a number with no
	 * entry is used as it is, with gid 0 */
	bool uid_num = numeric(uarg, &v), found = false;
	if (uid_num)
		u->uid = (uid_t)v;
	char *save = NULL;
	for (char *l = passwd ? strtok_r(passwd, "\n", &save) : NULL; l && *uarg && !found;
	     l = strtok_r(NULL, "\n", &save)) {
		char *f[7];
		unsigned long id, gid;
		if (fields(l, f, 7) < 7 || !numeric(f[2], &id) || !numeric(f[3], &gid))
			continue;
		if (uid_num ? id != v : strcmp(f[0], uarg) != 0)
			continue;
		found = true;
		u->uid = (uid_t)id;
		u->gid = (gid_t)gid;
		snprintf(name, sizeof(name), "%s", f[0]);
		snprintf(u->home, sizeof(u->home), "%s", *f[5] ? f[5] : "/");
	}
	if (*uarg && !uid_num && !found)
		return mr_fail(err, 0, "unable to find user %s: no matching entries in passwd file",
			       uarg);

	/* the group: an explicit one replaces the primary (and brings no supplementary
	 * groups, as docker); otherwise every group that lists the user is supplementary */
	bool gid_num = numeric(garg, &v), gfound = false;
	save = NULL;
	for (char *l = group ? strtok_r(group, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *f[4], *m, *msave = NULL;
		unsigned long gid;
		if (fields(l, f, 4) < 3 || !numeric(f[2], &gid))
			continue;
		if (have_group) {
			if (!gfound && (gid_num ? gid == v : strcmp(f[0], garg) == 0)) {
				u->gid = (gid_t)gid;
				gfound = true;
			}
			continue;
		}
		for (m = f[3] && *name ? strtok_r(f[3], ",", &msave) : NULL; m;
		     m = strtok_r(NULL, ",", &msave))
			if (strcmp(m, name) == 0) {
				add_gid(u, (gid_t)gid);
				break;
			}
	}
	if (have_group && !gfound) {
		if (!gid_num)
			return mr_fail(err, 0,
				       "unable to find group %s: no matching entries in group file",
				       garg);
		u->gid = (gid_t)v;
	}
	add_gid(u, u->gid);
	return 0;
}

/* ---- --group-add -------------------------------------------------------------------------- */

int container_group_add(const char *rootfs, json_t *names, struct container_user *u,
			struct mr_err *err)
{
	size_t i;
	json_t *n;
	if (!json_array_size(names))
		return 0;
	_cleanup_free_ char *text = NULL;
	if (read_in_root(rootfs, "etc/group", &text, err) < 0)
		return -1;
	json_array_foreach(names, i, n)
	{
		const char *want = json_string_value(n);
		unsigned long v;
		bool found = false;
		gid_t gid = 0;
		_cleanup_free_ char *copy = text ? strdup(text) : NULL;
		char *save = NULL;
		for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l && want && !found;
		     l = strtok_r(NULL, "\n", &save)) {
			char *f[4];
			unsigned long g;
			if (fields(l, f, 4) >= 3 && numeric(f[2], &g) && strcmp(f[0], want) == 0)
				found = true, gid = (gid_t)g;
		}
		if (!found && want && numeric(want, &v))
			found = true, gid = (gid_t)v;
		if (!found)
			return mr_fail(err, 0,
				       "Unable to find group %s: no matching entries in group file",
				       want ? want : "?");
		add_gid(u, gid);
	}
	return 0;
}
