/*
 * minirun/build/steps.c - RUN, the instruction that makes a layer with a container (COPY
 * and ADD, which need none, are copy.c), and the build's bookkeeping in the store.
 *
 * RUN is `minirun run` with the stage's image as it is so far: the containers front end
 * makes a container of it (the image's Env, WorkingDir and User; the shell form given as
 * SHELL + "-c" + the line), starts it with its output on ours, waits, and then its upper
 * directory - everything the command changed - is the new layer, as `commit` makes one:
 *
 *	1. store the state as an (untagged) image, so a container can be made of it
 *	2. create, start and attach the container (network "none" unless --network says;
 *	   with --init's init as PID 1, so that a Ctrl-C or SIGTERM reaches the command)
 *	3. drop from its upper dir the empty mount points the runtime made there (etc/hosts,
 *	   etc/hostname, etc/resolv.conf, dev, proc, sys) that the image does not have
 *	4. diff the upper dir into a layer tar (unionfs' layer_diff), store it as a blob
 *	5. remove the container, whatever happened (a build killed before it could is found
 *	   by the next one: the container is labelled with its builder's PID and start time)
 *
 * See: builder.h, copy.c; https://docs.docker.com/reference/dockerfile/#run ; unionfs/layer.h
 */
#include "minirun/build/builder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/inroot.h"
#include "lib/proc.h"
#include "minirun/build/buf.h"

#include <openssl/evp.h>
#include "minirun/containers/containers.h"

/* the index of the last string of ARGV (the command, in the shell form) */
static int argc_last(char *const *argv)
{
	int n = 0;
	while (argv[n])
		n++;
	return n ? n - 1 : 0;
}

/* ROOT/build/running/PID-START: the images a build made for its RUNs, one a line, so
 * that the next build can drop them from the index if this one is killed first */
static void running_path(const struct store *st, pid_t pid, unsigned long long start, char *buf,
			 size_t len)
{
	if (snprintf(buf, len, "%s/build/running/%d-%llu", st->root, (int)pid, start) >= (int)len)
		buf[0] = '\0'; /* too long: no list (the sweep then misses this build's) */
}

void step_running_done(const struct store *st)
{
	char path[PATH_MAX];
	running_path(st, getpid(), mr_proc_start_time(getpid()), path, sizeof(path));
	if (path[0])
		unlink(path);
}

int step_store_state(const struct store *st, struct bstate *s, struct mr_err *err)
{
	if (s->image[0])
		return 0;
	mr_say("store the image so far, for a container to be made of it");
	_cleanup_free_ char *text = json_dumps(s->config, JSON_COMPACT);
	char id[IMAGE_DIGEST_LEN + 1], manifest[IMAGE_DIGEST_LEN + 1];
	if (!text)
		return mr_fail(err, ENOMEM, "the image config");
	if (store_put_blob(st, text, strlen(text), id, err) < 0 ||
	    image_create(st, id, strlen(text), s->layers, NULL, manifest, NULL, err) < 0)
		return -1;
	snprintf(s->image, sizeof(s->image), "%s", id);
	json_array_append_new(s->made, json_string(manifest));
	char path[PATH_MAX], dir[PATH_MAX];
	running_path(st, getpid(), mr_proc_start_time(getpid()), path, sizeof(path));
	bool ok = path[0] &&
		  snprintf(dir, sizeof(dir), "%s/build/running", st->root) < (int)sizeof(dir);
	_cleanup_close_ int fd =
		ok && mr_mkdir_p(dir, 0700, NULL) == 0
			? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)
			: -1;
	if (fd >= 0 && write(fd, manifest, strlen(manifest)) >= 0)
		(void)!write(fd, "\n", 1);
	return 0;
}

int step_put_layer(const struct store *st, const char *path, const struct layer_digests *ld,
		   struct mr_err *err)
{
	struct blob_writer w;
	char buf[1 << 16];
	ssize_t n = 0;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", path);
	if (blob_writer_open(st, &w, err) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (blob_writer_write(&w, buf, (size_t)n, err) < 0)
			break;
	if (n == 0)
		return blob_writer_commit(st, &w, ld->digest, NULL, err);
	if (n < 0)
		mr_fail(err, errno, "read '%s'", path);
	blob_writer_abort(&w);
	return -1;
}

/* is PATH in none of the image's layers? */
static bool not_in_image(char *const *lowers, const char *path)
{
	char p[PATH_MAX];
	struct stat sb;
	for (char *const *l = lowers; l && *l; l++) {
		if (snprintf(p, sizeof(p), "%s/%s", *l, path) < (int)sizeof(p) &&
		    lstat(p, &sb) == 0)
			return false;
	}
	return true;
}

/* step 3: the runtime's empty mount points out of UPPER, where the image lacks them */
static void drop_mount_points(const char *upper, char *const *lowers)
{
	static const char *const litter[] = {
		"etc/hosts", "etc/hostname",  "etc/resolv.conf", "etc",
		"dev/shm",   "dev/pts",       "dev/mqueue",      "dev",
		"proc",      "sys/fs/cgroup", "sys/fs",          "sys",
	};
	char p[PATH_MAX];
	struct stat sb;
	for (size_t i = 0; i < sizeof(litter) / sizeof(litter[0]); i++) {
		if (snprintf(p, sizeof(p), "%s/%s", upper, litter[i]) >= (int)sizeof(p) ||
		    lstat(p, &sb) < 0 || !not_in_image(lowers, litter[i]))
			continue;
		if (S_ISREG(sb.st_mode) && sb.st_size == 0)
			unlink(p);
		else if (S_ISDIR(sb.st_mode))
			rmdir(p); /* only when empty: what RUN put there stays */
	}
}

/* steps 4: the upper dir of container C as a layer blob */
static int run_layer(const struct store *st, struct container *c, const char *image,
		     struct layer_digests *ld, struct mr_err *err)
{
	char upper[4200], tmp[4200];
	char **lowers = NULL;
	struct layer_diff_opts lo = {.mtime = -1, .compression = LAYER_COMP_NONE};
	if (image_lowerdirs(st, image, &lowers, NULL, err) < 0)
		return -1;
	container_path(c, "diff", upper, sizeof(upper));
	drop_mount_points(upper, lowers);
	image_lowerdirs_free(lowers);
	if (store_tmp_path(st, "run", tmp, sizeof(tmp), err) < 0)
		return -1;
	mr_say("layer_diff %s -> %s", upper, tmp);
	int rc = layer_diff(upper, tmp, &lo, ld, err);
	if (rc == 0)
		rc = step_put_layer(st, tmp, ld, err);
	unlink(tmp);
	return rc;
}

#define OWNER_LABEL "io.minirun.build.owner"

/* drop from the index the unnamed images DIGESTS lists (a build's intermediates) */
void step_drop_unnamed(const struct store *st, json_t *digests)
{
	if (!json_array_size(digests) || store_lock(st, STORE_INDEX, NULL) < 0)
		return;
	json_t *idx = store_index_load(st, NULL);
	json_t *ms = json_object_get(idx, "manifests");
	for (size_t i = json_array_size(ms); i-- > 0;) {
		json_t *e = json_array_get(ms, i), *ann = json_object_get(e, "annotations");
		const char *d = json_string_value(json_object_get(e, "digest"));
		size_t k;
		json_t *m;
		bool ours = false;
		if (json_object_get(ann, IMAGE_ANN_NAME) || !d)
			continue;
		json_array_foreach(digests, k, m)
		{
			ours |= !strcmp(json_string_value(m) ?: "", d);
		}
		if (ours)
			json_array_remove(ms, i);
	}
	if (idx)
		store_index_save(st, idx, NULL);
	json_decref(idx);
	store_unlock(st, STORE_INDEX);
}

void step_sweep(const struct store *st)
{
	struct mr_err err = {0};
	/* the images of killed builds */
	char dir[PATH_MAX];
	DIR *d = snprintf(dir, sizeof(dir), "%s/build/running", st->root) < (int)sizeof(dir)
			 ? opendir(dir)
			 : NULL;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int pid;
		unsigned long long when;
		char path[PATH_MAX * 2], *text = NULL;
		if (sscanf(e->d_name, "%d-%llu", &pid, &when) != 2 ||
		    mr_proc_start_time(pid) == when)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (mr_read_file(path, &text, NULL, NULL) == 0) {
			json_t *digests = json_array();
			for (char *save, *l = strtok_r(text, "\n", &save); l;
			     l = strtok_r(NULL, "\n", &save))
				json_array_append_new(digests, json_string(l));
			mr_say("drop the images of a build that was killed (%s)", e->d_name);
			step_drop_unnamed(st, digests);
			json_decref(digests);
			free(text);
		}
		unlink(path);
	}
	if (d)
		closedir(d);
	/* the RUN containers of killed builds */
	char **ids = container_ids(containers_root(), &err);
	for (char **id = ids; id && *id; id++) {
		struct container c;
		if (container_open(containers_root(), *id, false, &c, &err) < 0)
			continue;
		const char *owner = container_label(&c.r, OWNER_LABEL);
		int pid = 0;
		unsigned long long when = 0;
		bool stale = owner && sscanf(owner, "%d:%llu", &pid, &when) == 2 &&
			     mr_proc_start_time(pid) != when;
		container_close(&c);
		if (!stale || container_open(containers_root(), *id, true, &c, &err) < 0)
			continue;
		mr_say("remove %s, a RUN container of a build that was killed", *id);
		container_remove(&c, true, true, &err);
		container_close(&c);
	}
	container_ids_free(ids);
}

int step_run(const struct store *st, const struct bstate *s, char *const *argv, char *const *env,
	     const char *network, int *code, struct layer_digests *ld, struct mr_err *err)
{
	json_t *cfg = json_object_get(s->config, "config");
	/* a stage FROM scratch with nothing copied in yet has no file at all, so no program to
	 * run: BuildKit's runc fails to exec it; say what is missing instead of what the
	 * overlay of zero layers would (a mount error) */
	if (json_array_size(json_object_get(json_object_get(s->config, "rootfs"), "diff_ids")) == 0)
		return mr_fail(
			err, 0,
			"RUN in an empty image (FROM scratch): there is no '%s' to run; COPY "
			"a program in first, or build FROM an image that has one",
			argv[0]);
	const char *wd = json_string_value(json_object_get(cfg, "WorkingDir"));
	const char *user = json_string_value(json_object_get(cfg, "User"));
	struct container_opts o = {
		.image = s->image,
		.cmd = (char **)argv,
		.env = (char **)env,
		.entrypoint = "", /* the command is the whole argv: no ENTRYPOINT before it */
		.workdir = wd && *wd ? wd : NULL,
		.user = user && *user ? user : NULL,
		.network = network,
		.stop_timeout = -1,
		/* an init as PID 1 passes on the signals `attach` forwards (a Ctrl-C, a
		 * SIGTERM) to the command, which a shell as PID 1 would ignore: an
		 * interrupted build ends its RUN, which then fails and is cleaned up */
		.init = container_init_path() != NULL,
	};
	/* the build that owns it, for step_sweep to find it if this process is killed */
	char owner[96];
	snprintf(owner, sizeof(owner), OWNER_LABEL "=%d:%llu", (int)getpid(),
		 mr_proc_start_time(getpid()));
	o.labels = (char *[]){owner, NULL};
	struct container c;
	char id[CONTAINER_ID_LEN + 1];
	*code = -1;
	mr_say("RUN: a container of %.19s... runs %s", s->image, argv[argc_last(argv)]);
	if (container_create(containers_root(), &o, &c, err) < 0)
		return -1;
	snprintf(id, sizeof(id), "%s", c.id);
	int rc = container_start(&c, true, err);
	if (rc == 0) {
		/* the monitor reads the process's output only once this attach is there */
		close(c.lockfd);
		c.lockfd = -1;
		rc = container_attach(&c, false, false, NULL, code, err);
	}
	container_close(&c);
	struct mr_err rmerr = {0};
	if (container_open(containers_root(), id, true, &c, &rmerr) < 0) {
		if (rc == 0)
			*err = rmerr;
		return -1;
	}
	if (rc == 0 && *code == 0)
		rc = run_layer(st, &c, s->image, ld, err);
	if (container_remove(&c, true, true, &rmerr) < 0 && rc == 0) {
		*err = rmerr;
		rc = -1;
	}
	container_close(&c);
	return rc;
}

/*
 * step_stdin_context - `build -`: standard input is a tar of the context (unpacked, with
 * a layer's checks, into a temp dir in the store), or else the Dockerfile alone (in an
 * otherwise empty temp context). The dir's path to DIR, for step_copy_end to remove.
 */
int step_stdin_context(const struct store *st, char *dir, size_t len, struct mr_err *err)
{
	char tmp[PATH_MAX], df[PATH_MAX];
	char buf[1 << 16];
	ssize_t n;
	dir[0] = '\0';
	if (store_tmp_path(st, "stdin", tmp, sizeof(tmp), err) < 0 ||
	    store_tmp_path(st, "context", dir, len, err) < 0)
		return -1;
	_cleanup_close_ int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return mr_fail(err, errno, "create '%s'", tmp);
	unlink(tmp); /* an open file no one else can name */
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return mr_fail(err, errno ? errno : EIO, "write '%s'", tmp);
	if (n < 0)
		return mr_fail(err, errno, "read the context from stdin");
	if (mkdir(dir, 0755) < 0)
		return mr_fail(err, errno, "mkdir '%s'", dir);
	if (step_is_archive(fd)) {
		struct layer_apply_opts lo = {.mode = LAYER_PLAIN};
		if (lseek(fd, 0, SEEK_SET) < 0 ||
		    layer_apply_fd(fd, "the context on stdin", dir, &lo, NULL, err) < 0) {
			step_copy_end(dir);
			return -1;
		}
		return 0;
	}
	/* not a tar: the Dockerfile, and no context */
	snprintf(df, sizeof(df), "%s/Dockerfile", dir);
	_cleanup_close_ int out = open(df, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		step_copy_end(dir);
		return mr_fail(err, errno, "create '%s'", df);
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			step_copy_end(dir);
			return mr_fail(err, errno ? errno : EIO, "write '%s'", df);
		}
	return 0;
}
