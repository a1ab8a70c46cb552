/*
 * minirun/build/steps.c - the two instructions that make a layer: RUN and COPY.
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
 * COPY needs no container: the selected files are copied into an empty staging directory
 * at their destination path, and that directory is the layer. A hash of the same tree
 * without mtimes is the cache's view of the copy: two copies of the same names, types,
 * modes, owners, contents and link targets have the same key, whatever their mtimes.
 * Sources are opened inside the context only (openat2 RESOLVE_IN_ROOT: `..` and absolute
 * symlinks cannot leave it), and .dockerignore'd files are not there to copy. COPY --from
 * copies from another stage's (or image's) filesystem instead: its layers mounted as one
 * read-only overlay in a mount namespace that lives only as long as the copy. ADD is
 * COPY that unpacks a local tar (plain, gzip, bzip2, xz, zstd) into the destination,
 * with the checks a layer gets (no entry may climb out). --exclude patterns (the
 * .dockerignore syntax) leave out paths below each source; --parents keeps each source's
 * path under the destination.
 *
 * See: builder.h; https://docs.docker.com/reference/dockerfile/#copy ; unionfs/layer.h
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

/* the start time of process PID (field 22 of /proc/PID/stat), 0 if it is gone */
static unsigned long long start_time(pid_t pid)
{
	char path[64], *text = NULL;
	unsigned long long t = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (mr_read_file(path, &text, NULL, NULL) < 0)
		return 0;
	const char *p = strrchr(text, ')'); /* the command name may hold anything */
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	free(text);
	return t;
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
	running_path(st, getpid(), start_time(getpid()), path, sizeof(path));
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
	running_path(st, getpid(), start_time(getpid()), path, sizeof(path));
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
		if (sscanf(e->d_name, "%d-%llu", &pid, &when) != 2 || start_time(pid) == when)
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
		json_t *l = json_object_get(json_object_get(c.rec, "Config"), "Labels");
		const char *owner = json_string_value(json_object_get(l, OWNER_LABEL));
		int pid = 0;
		unsigned long long when = 0;
		bool stale = owner && sscanf(owner, "%d:%llu", &pid, &when) == 2 &&
			     start_time(pid) != when;
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
	snprintf(owner, sizeof(owner), OWNER_LABEL "=%d:%llu", (int)getpid(), start_time(getpid()));
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
		/* the monitor waits for this attach before it starts the process */
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

/* ---- COPY ------------------------------------------------------------------------------ */

struct copier {
	const struct copy_req *req;
	size_t src_len; /* the length of the source being copied, as a context path ("." is 0) */
	int ctx;        /* the context directory */
	char staging[PATH_MAX];
	struct mr_err *err;
};

static int apply_attrs(struct copier *cp, const char *dst, const struct stat *src)
{
	const struct copy_req *r = cp->req;
	mode_t mode = r->chmod >= 0 ? (mode_t)r->chmod : src->st_mode & 07777;
	struct timespec ts[2] = {src->st_atim, src->st_mtim};
	if (lchown(dst, (uid_t)r->uid, (gid_t)r->gid) < 0)
		return mr_fail(cp->err, errno, "chown '%s'", dst);
	if (!S_ISLNK(src->st_mode) && chmod(dst, mode) < 0)
		return mr_fail(cp->err, errno, "chmod '%s'", dst);
	if (utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return mr_fail(cp->err, errno, "set the times of '%s'", dst);
	return 0;
}

static int copy_file(struct copier *cp, int fd, const char *dst, const struct stat *sb)
{
	_cleanup_close_ int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	char buf[1 << 16];
	ssize_t n;
	if (out < 0)
		return mr_fail(cp->err, errno, "create '%s'", dst);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return mr_fail(cp->err, errno ? errno : EIO, "write '%s'", dst);
	if (n < 0)
		return mr_fail(cp->err, errno, "read '%s'", dst);
	return apply_attrs(cp, dst, sb);
}

static int copy_tree(struct copier *cp, int dirfd, const char *rel, const char *dst);

/* copy the context entry REL (open as FD, stat SB) to DST in the staging dir */
static int copy_entry(struct copier *cp, int fd, const char *rel, const char *dst,
		      const struct stat *sb)
{
	if (S_ISREG(sb->st_mode)) {
		char proc[64]; /* FD is an O_PATH handle: reopen it for reading */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		_cleanup_close_ int rd = open(proc, O_RDONLY | O_CLOEXEC);
		if (rd < 0)
			return mr_fail(cp->err, errno, "open '%s' in the context", rel);
		return copy_file(cp, rd, dst, sb);
	}
	if (S_ISDIR(sb->st_mode)) {
		if (mkdir(dst, 0700) < 0 && errno != EEXIST)
			return mr_fail(cp->err, errno, "mkdir '%s'", dst);
		if (copy_tree(cp, fd, rel, dst) < 0)
			return -1;
		return apply_attrs(cp, dst, sb);
	}
	return 0; /* sockets, fifos, devices: not part of a context */
}

/* the contents of directory DIRFD (context path REL) into the staging directory DST */
static int copy_tree(struct copier *cp, int dirfd, const char *rel, const char *dst)
{
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return mr_fail(cp->err, errno, "open '%s' in the context", rel);
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return mr_fail(cp->err, errno, "read '%s' in the context", rel);
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char crel[PATH_MAX], cdst[PATH_MAX];
		snprintf(crel, sizeof(crel), "%s/%s", rel, e->d_name);
		snprintf(cdst, sizeof(cdst), "%s/%s", dst, e->d_name);
		struct stat sb;
		if (fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = mr_fail(cp->err, errno, "stat '%s'", crel);
			break;
		}
		bool ignored = cp->req->ignore && dockerignore_excludes(cp->req->ignore, crel);
		if (ignored && !(S_ISDIR(sb.st_mode) && cp->req->ignore->exceptions))
			continue;
		/* --exclude: patterns on the path below the source being copied */
		const char *below = crel + cp->src_len + (cp->src_len ? 1 : 0);
		bool excluded = cp->req->exclude && dockerignore_excludes(cp->req->exclude, below);
		if (excluded && !(S_ISDIR(sb.st_mode) && cp->req->exclude->exceptions))
			continue;
		if (S_ISLNK(sb.st_mode)) { /* copied as the link it is, not followed */
			char target[PATH_MAX];
			ssize_t n = readlinkat(dfd, e->d_name, target, sizeof(target) - 1);
			if (n < 0) {
				rc = mr_fail(cp->err, errno, "readlink '%s'", crel);
				break;
			}
			target[n] = '\0';
			if (symlinkat(target, AT_FDCWD, cdst) < 0)
				rc = mr_fail(cp->err, errno, "symlink '%s'", cdst);
			else
				rc = apply_attrs(cp, cdst, &sb);
			continue;
		}
		int fd = openat(dfd, e->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			rc = mr_fail(cp->err, errno, "open '%s'", crel);
			break;
		}
		rc = copy_entry(cp, fd, crel, cdst, &sb);
		close(fd);
		/* an excluded directory is walked only for what a `!` exception brings back:
		 * when that is nothing, it is not part of the copy (docker leaves it out) */
		if (rc == 0 && (ignored || excluded) && S_ISDIR(sb.st_mode))
			rmdir(cdst); /* fails, as it should, when something came back */
	}
	closedir(d);
	return rc;
}

/* does FD hold a tar, plain or compressed (gzip, bzip2, xz, zstd)? ADD unpacks those */
bool step_is_archive(int fd)
{
	unsigned char h[262];
	ssize_t n = pread(fd, h, sizeof(h), 0);
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return true;
	if (n >= 3 && !memcmp(h, "BZh", 3))
		return true;
	if (n >= 6 && !memcmp(h,
			      "\xfd"
			      "7zXZ\0",
			      6))
		return true;
	if (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4))
		return true;
	return n >= 262 && !memcmp(h + 257, "ustar", 5);
}

/* ADD of a local archive: unpacked into DEST (a directory), as securely as a layer is */
static int add_archive(struct copier *cp, int fd, const char *src)
{
	char proc[64], dir[PATH_MAX];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	_cleanup_close_ int rd = open(proc, O_RDONLY | O_CLOEXEC);
	if (rd < 0)
		return mr_fail(cp->err, errno, "open '%s' in the context", src);
	if (!step_is_archive(rd))
		return 0;
	if (snprintf(dir, sizeof(dir), "%s%s", cp->staging, cp->req->dest) >= (int)sizeof(dir))
		return mr_fail(cp->err, ENAMETOOLONG, "ADD %s", src);
	struct layer_apply_opts lo = {.mode = LAYER_PLAIN};
	if (mr_mkdir_p(dir, 0755, cp->err) < 0 ||
	    layer_apply_fd(rd, src, dir, &lo, NULL, cp->err) < 0)
		return -1;
	return 1;
}

/* one source: SRC (cleaned, relative to the context) to its place under DEST */
static int copy_source(struct copier *cp, const char *src, bool dest_dir)
{
	const struct copy_req *r = cp->req;
	if (!strcmp(src, "..") || !strncmp(src, "../", 3))
		return mr_fail(cp->err, 0,
			       "COPY failed: forbidden path outside the build context: %s", src);
	if (strcmp(src, ".") && r->ignore && dockerignore_excludes(r->ignore, src))
		return mr_fail(cp->err, 0,
			       "COPY failed: file not found in build context or excluded by "
			       ".dockerignore: stat %s: file does not exist",
			       src);
	/* inside the context only: `..` and absolute symlinks resolve against its root */
	_cleanup_close_ int fd = mr_open_in_root(cp->ctx, src, O_PATH | O_CLOEXEC, 0);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0)
		return mr_fail(cp->err, 0,
			       "COPY failed: file not found in build context or excluded by "
			       ".dockerignore: stat %s: file does not exist",
			       src);
	if (r->add && S_ISREG(sb.st_mode)) {
		int a = add_archive(cp, fd, src);
		if (a != 0)
			return a < 0 ? -1 : 0;
	}
	char dst[PATH_MAX];
	const char *base = strrchr(src, '/');
	base = base ? base + 1 : src;
	if (!S_ISDIR(sb.st_mode) && r->exclude && dockerignore_excludes(r->exclude, base))
		return 0; /* --exclude names this file */
	cp->src_len = strcmp(src, ".") ? strlen(src) : 0;
	int len;
	if (r->parents) /* --parents: the source's path is kept under DEST */
		len = snprintf(dst, sizeof(dst), "%s%s/%s", cp->staging, r->dest,
			       strcmp(src, ".") ? src : "");
	else if (S_ISDIR(sb.st_mode)) /* a directory's contents, not the directory itself */
		len = snprintf(dst, sizeof(dst), "%s%s", cp->staging, r->dest);
	else if (dest_dir)
		len = snprintf(dst, sizeof(dst), "%s%s/%s", cp->staging, r->dest, base);
	else
		len = snprintf(dst, sizeof(dst), "%s%s", cp->staging, r->dest);
	if (len >= (int)sizeof(dst))
		return mr_fail(cp->err, ENAMETOOLONG, "COPY %s", src);
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", dst);
	char *slash = strrchr(parent, '/');
	if (slash && slash >= parent + strlen(cp->staging))
		*slash = '\0';
	if (mr_mkdir_p(S_ISDIR(sb.st_mode) ? dst : parent, 0755, cp->err) < 0)
		return -1;
	return copy_entry(cp, fd, src, dst, &sb);
}

/* the sources SRC names: itself, or the matches of a wildcard in its last component */
static int expand_source(struct copier *cp, const char *src, char ***out, size_t *n)
{
	const char *base = strrchr(src, '/');
	size_t dirlen = base ? (size_t)(base - src) : 0;
	base = base ? base + 1 : src;
	*n = 0;
	*out = calloc(1, sizeof(char *));
	if (!*out)
		return mr_fail(cp->err, ENOMEM, "COPY");
	if (!strpbrk(base, "*?[")) {
		(*out)[0] = strdup(src);
		*n = 1;
		return 0;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%.*s", (int)(dirlen ? dirlen : 1), dirlen ? src : ".");
	int dfd = mr_open_in_root(cp->ctx, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		if (fnmatch(base, e->d_name, FNM_PERIOD) != 0)
			continue;
		char **v = realloc(*out, (*n + 2) * sizeof(char *));
		if (!v)
			break;
		*out = v;
		char path[PATH_MAX];
		if (snprintf(path, sizeof(path), "%s%s%s", dirlen ? dir : "", dirlen ? "/" : "",
			     e->d_name) >= (int)sizeof(path))
			continue;
		v[(*n)++] = strdup(path);
		v[*n] = NULL;
	}
	closedir(d);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* the ancestors of DEST in the staging dir take their modes and owners from the image */
static void parents_from_image(struct copier *cp)
{
	char rel[PATH_MAX];
	snprintf(rel, sizeof(rel), "%s", cp->req->dest + 1);
	for (char *s = rel; *s; s++) {
		if (*s != '/' && s[1])
			continue;
		char keep = s[1];
		if (*s == '/')
			*s = '\0';
		else
			keep = 0;
		for (char *const *l = cp->req->lowers; l && *l; l++) {
			char p[PATH_MAX], q[PATH_MAX];
			struct stat sb;
			if (snprintf(p, sizeof(p), "%s/%s", *l, rel) >= (int)sizeof(p) ||
			    lstat(p, &sb) < 0)
				continue;
			if (snprintf(q, sizeof(q), "%s/%s", cp->staging, rel) >= (int)sizeof(q))
				break;
			struct timespec ts[2] = {sb.st_atim, sb.st_mtim};
			if (S_ISDIR(sb.st_mode) && lchown(q, sb.st_uid, sb.st_gid) == 0 &&
			    chmod(q, sb.st_mode & 07777) == 0)
				utimensat(AT_FDCWD, q, ts, AT_SYMLINK_NOFOLLOW);
			break;
		}
		if (keep)
			*s = '/';
	}
}

/* every source of the request, expanded, into the staging dir */
static int copy_all(struct copier *cp)
{
	const struct copy_req *req = cp->req;
	for (size_t i = 0; i < req->nsrcs; i++) {
		char **srcs = NULL;
		size_t n = 0;
		if (expand_source(cp, req->srcs[i], &srcs, &n) < 0)
			return -1;
		if (n == 0) {
			free(srcs);
			return mr_fail(cp->err, 0, "COPY failed: no source files were specified");
		}
		int rc = 0;
		for (size_t k = 0; k < n; k++) {
			if (rc == 0)
				rc = copy_source(cp, srcs[k],
						 req->dest_is_dir || req->nsrcs > 1 || n > 1);
			free(srcs[k]);
		}
		free(srcs);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* the files COPY <<NAME makes: 0644, owned and moded as the flags say */
static int copy_heredocs(struct copier *cp)
{
	const struct copy_req *r = cp->req;
	for (size_t i = 0; i < r->nheredocs; i++) {
		char dst[PATH_MAX], parent[PATH_MAX];
		if (snprintf(dst, sizeof(dst), "%s%s%s%s", cp->staging, r->dest,
			     r->dest_is_dir ? "/" : "",
			     r->dest_is_dir ? r->heredoc_names[i] : "") >= (int)sizeof(dst))
			return mr_fail(cp->err, ENAMETOOLONG, "COPY <<%s", r->heredoc_names[i]);
		snprintf(parent, sizeof(parent), "%s", dst);
		*strrchr(parent, '/') = '\0';
		if (mr_mkdir_p(parent, 0755, cp->err) < 0)
			return -1;
		_cleanup_close_ int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		size_t len = strlen(r->heredoc_texts[i]);
		if (fd < 0 || write(fd, r->heredoc_texts[i], len) != (ssize_t)len)
			return mr_fail(cp->err, errno ? errno : EIO, "write '%s'", dst);
		struct stat sb;
		if (fstat(fd, &sb) < 0)
			return mr_fail(cp->err, errno, "stat '%s'", dst);
		sb.st_mode = (sb.st_mode & ~07777) | 0644;
		if (apply_attrs(cp, dst, &sb) < 0)
			return -1;
	}
	return 0;
}

/*
 * copy_from_layers - copy_all with the sources in an image's filesystem (COPY --from):
 * a child process in a mount namespace of its own mounts the layers read-only as one
 * overlay at MNT and copies from there, so the mount dies with it, however it ends (no
 * mount is ever left on the machine) and the merged view is the kernel's own (whiteouts,
 * opaque directories, symlinks resolved inside the image's root).
 */
static int copy_from_layers(struct copier *cp, const char *mnt)
{
	char *const *lowers = cp->req->from_lowers;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return mr_fail(cp->err, errno, "pipe");
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return mr_fail(cp->err, errno, "fork");
	}
	if (pid == 0) {
		struct sb opts = {0};
		int rc = 0;
		close(p[0]);
		sb_puts(&opts, "lowerdir=");
		for (char *const *l = lowers; *l; l++) {
			sb_puts(&opts, l == lowers ? "" : ":");
			sb_puts(&opts, *l);
		}
		/* private first, so the overlay propagates to no other namespace */
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			rc = mr_fail(cp->err, errno, "a mount namespace for COPY --from");
		else if (lowers[1] ? mount("overlay", mnt, "overlay", MS_RDONLY, sb_str(&opts)) < 0
				   : mount(lowers[0], mnt, NULL, MS_BIND, NULL) < 0)
			rc = mr_fail(cp->err, errno, "mount the image of COPY --from");
		else if ((cp->ctx = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			rc = mr_fail(cp->err, errno, "open '%s'", mnt);
		else
			rc = copy_all(cp);
		if (rc < 0 && write(p[1], cp->err->msg, strlen(cp->err->msg)) < 0)
			rc = -1;
		_exit(rc < 0 ? 1 : 0);
	}
	close(p[1]);
	char msg[sizeof(cp->err->msg)];
	ssize_t n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	int status = mr_wait_exit(pid);
	if (status == 0)
		return 0;
	if (n > 0) {
		msg[n] = '\0';
		return mr_fail(cp->err, 0, "%s", msg);
	}
	return mr_fail(cp->err, 0, "COPY --from: the copy exited with status %d", status);
}

/*
 * hash_tree - feed MD the tree under DIR/REL in a fixed order (names sorted, a directory
 * before its contents): for each entry its path, type, mode, owner, size, link target and
 * the sha256 of its contents. No mtimes: a `touch` changes nothing here.
 */
static int hash_tree(EVP_MD_CTX *md, const char *dir, const char *rel, struct mr_err *err)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s/%s", dir, rel) >= (int)sizeof(path))
		return mr_fail(err, ENAMETOOLONG, "'%s'", rel);
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort), rc = 0;
	if (n < 0)
		return mr_fail(err, errno, "read '%s'", path);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char crel[PATH_MAX], cpath[PATH_MAX * 2], line[PATH_MAX * 2 + 200];
		struct stat sb;
		if (rc < 0 || !strcmp(name, ".") || !strcmp(name, ".."))
			goto next;
		snprintf(crel, sizeof(crel), "%s%s%s", rel, *rel ? "/" : "", name);
		snprintf(cpath, sizeof(cpath), "%s/%s", dir, crel);
		if (lstat(cpath, &sb) < 0) {
			rc = mr_fail(err, errno, "stat '%s'", cpath);
			goto next;
		}
		char target[PATH_MAX] = "";
		if (S_ISLNK(sb.st_mode)) {
			ssize_t t = readlink(cpath, target, sizeof(target) - 1);
			target[t > 0 ? t : 0] = '\0';
		}
		int len = snprintf(line, sizeof(line), "%s%c%o %u:%u %lld %s%c", crel, 0,
				   (unsigned)sb.st_mode, (unsigned)sb.st_uid, (unsigned)sb.st_gid,
				   S_ISREG(sb.st_mode) ? (long long)sb.st_size : 0LL, target, 0);
		EVP_DigestUpdate(md, line, (size_t)len);
		if (S_ISREG(sb.st_mode)) {
			_cleanup_close_ int fd = open(cpath, O_RDONLY | O_CLOEXEC);
			char buf[1 << 16];
			ssize_t got;
			if (fd < 0) {
				rc = mr_fail(err, errno, "open '%s'", cpath);
				goto next;
			}
			while ((got = read(fd, buf, sizeof(buf))) > 0)
				EVP_DigestUpdate(md, buf, (size_t)got);
			if (got < 0)
				rc = mr_fail(err, errno, "read '%s'", cpath);
		} else if (S_ISDIR(sb.st_mode)) {
			rc = hash_tree(md, dir, crel, err);
		}
	next:
		free(names[i]);
	}
	free(names);
	return rc;
}

int step_copy(const struct store *st, const struct copy_req *req, char *staging, size_t len,
	      char key[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	struct copier cp = {.req = req, .err = err, .ctx = -1};
	char mnt[PATH_MAX] = "";
	int rc = -1;
	staging[0] = '\0';
	if (!req->from_lowers) {
		cp.ctx = open(req->context, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cp.ctx < 0)
			return mr_fail(err, errno, "open the build context '%s'", req->context);
	}
	if (store_tmp_path(st, "copy", cp.staging, sizeof(cp.staging), err) < 0 ||
	    (req->from_lowers && store_tmp_path(st, "copy-from", mnt, sizeof(mnt), err) < 0))
		goto out_ctx;
	if (mkdir(cp.staging, 0755) < 0 || (mnt[0] && mkdir(mnt, 0700) < 0)) {
		mr_fail(err, errno, "mkdir '%s'", cp.staging);
		goto out;
	}
	mr_say("COPY into the staging dir %s%s", cp.staging, req->from_lowers ? " (--from)" : "");
	if ((req->from_lowers ? copy_from_layers(&cp, mnt) : copy_all(&cp)) < 0 ||
	    copy_heredocs(&cp) < 0)
		goto out;
	parents_from_image(&cp);
	/* the cache's view: the tree without its mtimes */
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[32];
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		mr_fail(err, ENOMEM, "sha256");
		goto out;
	}
	int hr = hash_tree(md, cp.staging, "", err);
	EVP_DigestFinal_ex(md, d, NULL);
	EVP_MD_CTX_free(md);
	if (hr < 0)
		goto out;
	strcpy(key, "sha256:");
	for (int i = 0; i < 32; i++)
		sprintf(key + 7 + 2 * i, "%02x", d[i]);
	if (snprintf(staging, len, "%s", cp.staging) >= (int)len) {
		mr_fail(err, ENAMETOOLONG, "'%s'", cp.staging);
		staging[0] = '\0';
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		step_copy_end(cp.staging);
	if (mnt[0])
		rmdir(mnt);
out_ctx:
	if (cp.ctx >= 0)
		close(cp.ctx);
	return rc;
}

int step_copy_layer(const struct store *st, const char *staging, char *layer, size_t len,
		    struct layer_digests *ld, struct mr_err *err)
{
	struct layer_diff_opts lopts = {.mtime = -1, .compression = LAYER_COMP_NONE};
	if (store_tmp_path(st, "copy-layer", layer, len, err) < 0)
		return -1;
	return layer_diff(staging, layer, &lopts, ld, err);
}

void step_copy_end(const char *staging)
{
	if (staging[0])
		nftw(staging, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
