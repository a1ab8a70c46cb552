/*
 * minirun/containers/vol.c - a container's volumes and bind mounts: made and registered at
 * create, written into the record as docker's inspect shows them, released at rm.
 *
 *	-v data:/srv            named volume, created on first use, kept after rm
 *	-v /srv                 anonymous volume (a 64-hex name), removed by `rm -v`
 *	-v /host/dir:/srv:ro    bind mount (a missing /host/dir is created, as docker does)
 *	--mount type=bind|volume|tmpfs,source=..,target=..,readonly
 *	--volumes-from other    other's volumes and binds at their paths (volfrom.c), where
 *	                        no -v/--mount/--tmpfs of the container mounts something
 *	VOLUME ["/data"]        (the image's config.Volumes) an anonymous volume on each path
 *	                        none of the above names, as docker does
 *
 * A volume new or empty when the container is created starts with a copy of what the
 * image has at its path (docker's "populate"; not with nocopy): the image is mounted
 * read-only in a child's own mount namespace, each path is opened inside it (lib/inroot.h:
 * the image's symlinks stay inside), and minirun/volume's volume_populate copies.
 *
 * The parsing is minirun/volume's (volume_parse_v / volume_parse_mount, at flag time); the
 * store is too (volume_resolve makes a volume and adds the container to its `users` file,
 * volume_release takes it out). What this file adds is the record:
 *
 *	Mounts              [{Type, Name, Source, Destination, Driver, Mode, RW, Propagation}]
 *	HostConfig.Binds    the -v ones, "data:/srv:ro" (docker keeps the flag's text)
 *	HostConfig.Mounts   the --mount ones, [{Type, Source, Target, ReadOnly}]
 *	                    (the image's VOLUMEs are in neither, as in docker)
 *	Config.Volumes      the anonymous ones' targets, {"/srv": {}}
 *	Minirun.OciMounts   each one's config.json "mounts" entry (volume_oci_mount), which
 *	                    container_oci_config appends to docker's default mounts
 *
 * Undoing: the users files are the truth, not the record. A create killed between
 * volume_resolve and the record's save leaves a users file naming a container whose record
 * lists no volume; container_volumes_down therefore releases every volume whose users file
 * names the container, as well as every volume the record lists.
 *
 * See: containers.h, minirun/volume/README.md ("The contract for the container code"),
 *      https://docs.docker.com/engine/storage/volumes/.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/inroot.h"
#include "minirun/containers/containers.h"
#include "minirun/image/image.h"
#include "unionfs/overlay.h"

static const char *const type_names[] = {[VOLUME_MOUNT_BIND] = "bind",
					 [VOLUME_MOUNT_VOLUME] = "volume",
					 [VOLUME_MOUNT_TMPFS] = "tmpfs"};

/* Does the store hold volume NAME already? ("" - an anonymous one to be made - does not.) */
static int volume_exists(const char *root, const char *name)
{
	char path[4200];
	if (!*name)
		return 0;
	snprintf(path, sizeof(path), "%s/volumes/%s/volume.json", root, name);
	return access(path, F_OK) == 0;
}

/* Undo volume_resolve of M for container ID: release it, and remove it when this create
 * made it (MADE). Errors are not reported: this runs while another error is on its way. */
static void unresolve(const char *root, const struct volume_mount *m, int made, const char *id)
{
	if (m->type != VOLUME_MOUNT_VOLUME || !m->source[0])
		return;
	volume_release(root, m->source, id, NULL);
	if (made)
		volume_remove(root, m->source, 0, NULL);
}

/* where a mount of a new container comes from: its -v/--mount, another container
 * (--volumes-from), its image's VOLUMEs */
enum mount_origin { FROM_FLAGS, FROM_CONTAINER, FROM_IMAGE };

/* Record one resolved mount M in C's record, all typed: Mounts, HostConfig.Binds or
 * HostConfig.Mounts (only for one of the flags, FROM); Config.Volumes (ANONYMOUS),
 * Minirun.OciMounts. -1 on ENOMEM. */
static int record_mount(struct container *c, const struct volume_mount *m, int anonymous,
			enum mount_origin from)
{
	/* Name and Driver for volumes only, as docker */
	int vol = m->type == VOLUME_MOUNT_VOLUME;
	struct container_mount entry = {
		.type = (char *)type_names[m->type],
		.name = vol ? (char *)m->source : NULL,
		.source = (char *)m->host_path,
		.destination = (char *)m->target,
		.driver = vol ? "local" : NULL,
		/* docker leaves a shared mount's Mode empty, even a read-only one */
		.mode = from == FROM_CONTAINER ? ""
			: m->readonly          ? "ro"
			: m->from_v && vol     ? "z"
					       : "",
		.rw = !m->readonly,
		.propagation = m->type == VOLUME_MOUNT_BIND
				       ? (m->propagation[0] ? (char *)m->propagation : "rprivate")
				       : "",
	};
	if (container_record_add_mount(&c->r, &entry) < 0)
		return -1;

	if (from != FROM_FLAGS) {
		/* docker's inspect shows these in Mounts (and Config.Volumes) only */
	} else if (m->from_v && !anonymous) {
		char bind[3 * 4096];
		snprintf(bind, sizeof(bind), "%s:%s%s", m->source, m->target,
			 m->readonly ? ":ro" : "");
		if (container_record_strv_add(&c->r.host.binds, bind) < 0)
			return -1;
	} else if (!m->from_v) {
		struct container_mount_spec spec = {
			.type = (char *)type_names[m->type],
			.source = m->type == VOLUME_MOUNT_TMPFS ? "" : (char *)m->source,
			.target = (char *)m->target,
			.read_only = m->readonly,
		};
		if (container_record_add_mount_spec(&c->r, &spec) < 0)
			return -1;
	}
	if (anonymous && container_record_add_volume(&c->r, m->target) < 0)
		return -1;
	json_t *oci = volume_oci_mount(m);
	int rc = oci ? container_record_add_oci_mount(&c->r, oci) : -1;
	json_decref(oci);
	return rc;
}

/* P without its trailing slashes ("/data/" -> "/data"), into BUF */
static const char *clean_target(const char *p, char *buf, size_t len)
{
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	snprintf(buf, len, "%.*s", (int)n, p);
	return buf;
}

/* Does one of O's -v/--mount or --tmpfs mount something on TARGET already? */
static int target_taken(const struct container_opts *o, const char *target)
{
	char a[PATH_MAX];
	for (size_t i = 0; i < o->nmounts; i++)
		if (!strcmp(clean_target(o->mounts[i].target, a, sizeof(a)), target))
			return 1;
	for (char **t = o->tmpfs; t && *t; t++) /* PATH[:OPTS] */
		if (!strcmp(clean_target(*t, a, sizeof(a)), target) ||
		    (!strncmp(*t, target, strlen(target)) && (*t)[strlen(target)] == ':'))
			return 1;
	return 0;
}

/* Does one of the first N mounts of M mount something on TARGET? */
static int target_in(const struct volume_mount *m, size_t n, const char *target)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(m[i].target, target))
			return 1;
	return 0;
}

/*
 * all_mounts - the mounts of new container C: O's -v/--mount, then those --volumes-from
 * gives (volfrom.c) at a path none of O's mounts or --tmpfs names, then an anonymous volume
 * for each path of its image's config.Volumes (IMAGE_CONFIG: the whole image config) that
 * none of those names (docker: the explicit one wins). A new array of *n entries (the
 * caller frees): *nfrom from --volumes-from after O's, then *nimage from the image, at the
 * end. -1 with err for an unknown --volumes-from container, or a Volumes path that is not
 * absolute (a hostile or broken image).
 */
static struct volume_mount *all_mounts(const struct container *c, const struct container_opts *o,
				       json_t *image_config, size_t *n, size_t *nfrom,
				       size_t *nimage, struct mr_err *err)
{
	json_t *vols = json_object_get(json_object_get(image_config, "config"), "Volumes"), *v;
	const char *key;
	struct volume_mount *from = NULL;
	size_t nf = 0;
	if (container_volumes_from(c, o, &from, &nf, err) < 0)
		return NULL;
	size_t cap = o->nmounts + nf + json_object_size(vols);
	struct volume_mount *m = calloc(cap ? cap : 1, sizeof(*m));
	if (!m) {
		free(from);
		mr_fail(err, ENOMEM, "volumes");
		return NULL;
	}
	for (*n = 0; *n < o->nmounts; (*n)++)
		m[*n] = o->mounts[*n];
	*nfrom = 0;
	for (size_t i = 0; i < nf; i++)
		if (!target_taken(o, from[i].target)) {
			m[(*n)++] = from[i];
			(*nfrom)++;
		}
	free(from);
	*nimage = 0;
	json_object_foreach(vols, key, v)
	{
		char target[PATH_MAX];
		clean_target(key, target, sizeof(target));
		/* a hostile image's "/x/.." would resolve, in-root, to "/": refused like "/" */
		bool dotdot = !strcmp(target, "/..") || strstr(target, "/../") ||
			      (strlen(target) >= 3 && !strcmp(target + strlen(target) - 3, "/.."));
		if (target[0] != '/' || !strcmp(target, "/") || dotdot) {
			free(m);
			mr_fail(err, 0,
				"the image's volume '%s': invalid mount path: mount path must be "
				"absolute, not '/', and without '..'",
				key);
			return NULL;
		}
		if (target_taken(o, target) ||
		    target_in(m + o->nmounts, *nfrom, target)) /* --volumes-from's wins */
			continue;
		struct volume_mount *im = &m[(*n)++];
		im->type = VOLUME_MOUNT_VOLUME; /* source "": anonymous */
		snprintf(im->target, sizeof(im->target), "%s", target);
		(*nimage)++;
	}
	return m;
}

/* Is the directory PATH empty? (A missing one is not: there is nothing to populate.) */
static int dir_empty(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0 && volume_dir_empty(fd);
}

/* In the child of populate: mount LOWERS (top first) read-only in a mount namespace of its
 * own and populate each volume of M that WANT marks from the image's files at its target. */
static int populate_child(struct container *c, char **lowers, const struct volume_mount *m,
			  const int *want, size_t n, struct mr_err *err)
{
	char merged[4400];
	const char *top = lowers[0];
	size_t nl = 0;
	while (lowers[nl])
		nl++;
	if (!top) /* image_lowerdirs gives at least one; an image of no layers has no files */
		return 0;
	/* why private first: where / is shared (systemd hosts) the mount would reach the host */
	if (unshare(CLONE_NEWNS) < 0)
		return mr_fail(err, errno, "unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return mr_fail(err, errno, "make / private in the populating namespace");
	if (nl >
	    1) { /* a single layer is its own root (overlay wants two lowers without an upper) */
		container_path(c, "merged", merged, sizeof(merged));
		char run[4096];
		if (mr_mkdir_p(containers_run_dir(c->root, c->id, run, sizeof(run)), 0700, err) < 0)
			return -1;
		if (mkdir(merged, 0755) < 0 && errno != EEXIST)
			return mr_fail(err, errno, "mkdir '%s'", merged);
		struct ovl_stack s = {
			.lowers = (const char *const *)lowers, .nlowers = nl, .readonly = 1};
		if (ovl_mount(&s, merged, NULL, err) < 0)
			return -1;
		top = merged;
	}
	_cleanup_close_ int rootfd = open(top, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return mr_fail(err, errno, "open '%s'", top);
	for (size_t i = 0; i < n; i++) {
		if (!want[i])
			continue;
		/* inside the image's root: its symlinks can't point the copy at a host directory */
		_cleanup_close_ int src =
			mr_open_in_root(rootfd, m[i].target, O_RDONLY | O_DIRECTORY, 0);
		if (src < 0 && (errno == ENOENT || errno == ENOTDIR))
			continue; /* nothing there in the image: an empty volume, as docker */
		if (src < 0)
			return mr_fail(err, errno, "the image's '%s'", m[i].target);
		if (volume_populate(c->root, m[i].source, src, m[i].target, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * populate - docker's copy of the image's files into each volume of M (resolved) that is
 * empty and not nocopy. A child process does it (populate_child), so the mount it needs
 * lives and dies in the child's own mount namespace: nothing to unmount, even after a
 * kill -9, and this process's namespace (which the monitor inherits) is untouched. No
 * child at all when no volume wants a copy.
 */
static int populate(struct container *c, const struct volume_mount *m, size_t n, struct mr_err *err)
{
	int *want = calloc(n ? n : 1, sizeof(*want)), any = 0;
	if (!want)
		return mr_fail(err, ENOMEM, "volumes");
	for (size_t i = 0; i < n; i++)
		/* a volume of the local driver's device (--opt type=...) is mounted by the
		 * container's runtime, after this: nothing of it to fill here (docker fills
		 * the device; a difference kept for now) */
		any |= want[i] = m[i].type == VOLUME_MOUNT_VOLUME && !m[i].nocopy &&
				 !m[i].fs_type[0] && dir_empty(m[i].host_path);
	if (!any) {
		free(want);
		return 0;
	}
	char **lowers = NULL, msg[sizeof(err->msg)] = "";
	struct store st;
	const char *image = c->r.image;
	int rc = store_open(&st, c->root, err);
	if (rc == 0) {
		rc = image_lowerdirs(&st, image ? image : "", &lowers, NULL, err);
		store_close(&st);
	}
	int pfd[2] = {-1, -1};
	pid_t pid = -1;
	if (rc == 0 && (pipe2(pfd, O_CLOEXEC) < 0 || (pid = fork()) < 0))
		rc = mr_fail(err, errno, "populate the volumes: %s", pfd[0] < 0 ? "pipe" : "fork");
	if (pid == 0) {
		struct mr_err e = {0};
		close(pfd[0]);
		if (populate_child(c, lowers, m, want, n, &e) == 0)
			_exit(0);
		if (write(pfd[1], e.msg, strlen(e.msg)) < 0)
			_exit(2);
		_exit(1);
	}
	if (pid > 0) {
		int status = 0;
		ssize_t got = 0, r;
		close(pfd[1]);
		while ((r = read(pfd[0], msg + got, sizeof(msg) - 1 - (size_t)got)) > 0)
			got += r;
		msg[got > 0 ? got : 0] = '\0';
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = mr_fail(err, 0, "%s",
				     msg[0] ? msg : "populate the volumes: the child died");
	}
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pid < 0 && pfd[1] >= 0)
		close(pfd[1]); /* the fork failed: the write end is still ours */
	if (lowers)
		image_lowerdirs_free(lowers);
	free(want);
	return rc;
}

int container_volumes_up(struct container *c, const struct container_opts *o, json_t *icfg,
			 struct mr_err *err)
{
	/* the network first: an unknown network must fail before any volume is made */
	if (container_net_prepare(c, o, err) < 0)
		return -1;
	size_t n = 0, nfrom = 0, nimage = 0, done = 0;
	struct volume_mount *m = all_mounts(c, o, icfg, &n, &nfrom, &nimage, err);
	if (!m)
		return -1;
	int *made = calloc(n ? n : 1, sizeof(*made));
	if (!made) {
		free(m);
		return mr_fail(err, ENOMEM, "volumes");
	}
	for (; done < n; done++) {
		/* resolve writes an anonymous volume's name back into m[done].source */
		made[done] = m[done].type == VOLUME_MOUNT_VOLUME &&
			     !volume_exists(c->root, m[done].source);
		mr_say("%s %s -> %s%s", type_names[m[done].type],
		       m[done].source[0] ? m[done].source : "(anonymous)", m[done].target,
		       done >= n - nimage   ? " (the image's VOLUME)"
		       : done >= o->nmounts ? " (--volumes-from)"
					    : "");
		if (volume_resolve(c->root, &m[done], c->id, err) < 0)
			break;
	}
	if (done < n || populate(c, m, n, err) < 0) { /* all or nothing */
		int saved = errno;
		while (done--)
			unresolve(c->root, &m[done], made[done], c->id);
		free(m);
		free(made);
		errno = saved;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		/* an anonymous volume of O's or the image's goes in Config.Volumes; one
		 * --volumes-from shares does not, nor does it go in Binds or HostConfig.Mounts */
		enum mount_origin from = i < o->nmounts           ? FROM_FLAGS
					 : i < o->nmounts + nfrom ? FROM_CONTAINER
								  : FROM_IMAGE;
		bool anon = m[i].type == VOLUME_MOUNT_VOLUME && from != FROM_CONTAINER &&
			    (from == FROM_IMAGE || !o->mounts[i].source[0]);
		if (record_mount(c, &m[i], anon, from) < 0) {
			free(m);
			free(made);
			return mr_fail(err, ENOMEM, "record the mounts");
		}
	}
	free(m);
	free(made);
	return 0;
}

/* Add NAME to the array NAMES unless it is there. */
static void add_name(json_t *names, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(names, i, v)
	{
		if (!strcmp(json_string_value(v), name))
			return;
	}
	json_array_append_new(names, json_string(name));
}

/* The volumes C uses: those its record lists and those whose users file names it. */
static json_t *volumes_of(struct container *c)
{
	json_t *names = json_array(), *v, *all;
	size_t i, j;
	for (i = 0; i < c->r.nmounts; i++) {
		const struct container_mount *m = &c->r.mounts[i];
		if (m->name && m->type && !strcmp(m->type, "volume"))
			add_name(names, m->name);
	}
	all = volume_list(c->root, NULL);
	json_array_foreach(all, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "Name"));
		json_t *users = volume_users(c->root, name, NULL), *u;
		json_array_foreach(users, j, u)
		{
			if (!strcmp(json_string_value(u), c->id))
				add_name(names, name);
		}
		json_decref(users);
	}
	json_decref(all);
	return names;
}

int container_volumes_down(struct container *c, bool anonymous, struct mr_err *err)
{
	char dir[4200];
	int r = 0;
	size_t i;
	json_t *v;
	snprintf(dir, sizeof(dir), "%s/volumes", c->root);
	if (access(dir, F_OK) < 0) /* no volume was ever made in this store */
		return 0;
	json_t *names = volumes_of(c);
	json_array_foreach(names, i, v)
	{
		const char *name = json_string_value(v);
		struct mr_err e = {0};
		json_t *vrec = volume_inspect(c->root, name, NULL);
		if (!vrec) /* removed already (a repeat, or `volume rm -f`) */
			continue;
		int anon =
			json_object_get(json_object_get(vrec, "Labels"), VOLUME_ANON_LABEL) != NULL;
		json_decref(vrec);
		mr_say("release volume %s%s", name, anon && anonymous ? " and remove it" : "");
		if (volume_release(c->root, name, c->id, &e) < 0) {
			if (r == 0)
				*err = e;
			r = -1;
			continue;
		}
		/* docker's rm -v: an anonymous volume another container still uses stays
		 * (volume_remove refuses it: "volume is in use") */
		if (anon && anonymous)
			volume_remove(c->root, name, 0, NULL);
	}
	json_decref(names);
	return r;
}
