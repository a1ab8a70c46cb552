/*
 * minirun/build/copy.c - COPY and ADD: the selected files into a staging directory that is
 * the layer, and the cache's hash of that tree.
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
 * See: builder.h, steps.c (RUN); https://docs.docker.com/reference/dockerfile/#copy
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

#include <archive.h>
#include <openssl/evp.h>
#include "minirun/containers/containers.h"

struct copier {
	const struct copy_req *req;
	size_t src_len; /* the length of the source being copied, as a context path ("." is 0) */
	int ctx;        /* the context directory */
	char staging[PATH_MAX];
	struct sb owners; /* each copied entry's owner in the context, for the cache key */
	struct mr_err *err;
};

static int apply_attrs(struct copier *cp, const char *dst, const struct stat *src)
{
	const struct copy_req *r = cp->req;
	mode_t mode = r->chmod >= 0 ? (mode_t)r->chmod : src->st_mode & 07777;
	struct timespec ts[2] = {src->st_atim, src->st_mtim};
	/* the key sees the source's owner even where the copy resets it (BuildKit hashes the
	 * context files' uid/gid): chown'ing a context file is a change, as docker documents */
	char line[PATH_MAX + 64];
	int n = snprintf(line, sizeof(line), "%s %u:%u\n", dst + strlen(cp->staging),
			 (unsigned)src->st_uid, (unsigned)src->st_gid);
	if (n > 0 && n < (int)sizeof(line))
		sb_puts(&cp->owners, line);
	/* -1: the source's own (COPY --from without --chown keeps the owners, as BuildKit) */
	if (lchown(dst, (uid_t)(r->uid >= 0 ? r->uid : (long)src->st_uid),
		   (gid_t)(r->gid >= 0 ? r->gid : (long)src->st_gid)) < 0)
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

/*
 * does FD hold a tar, plain or compressed (gzip, bzip2, xz, zstd)? ADD unpacks those. A
 * compressed file is a tar only if what it decompresses to starts with a tar header, as
 * docker and BuildKit decide: ADD of a gzip'd text file copies the .gz as it is.
 */
bool step_is_archive(int fd)
{
	unsigned char h[262];
	ssize_t n = pread(fd, h, sizeof(h), 0);
	bool compressed = (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) ||
			  (n >= 3 && !memcmp(h, "BZh", 3)) ||
			  (n >= 6 && !memcmp(h,
					     "\xfd"
					     "7zXZ\0",
					     6)) ||
			  (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4));
	if (!compressed)
		return n >= 262 && !memcmp(h + 257, "ustar", 5);
	/* a description of the file of its own (offset 0), for libarchive to read */
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	_cleanup_close_ int rd = open(proc, O_RDONLY | O_CLOEXEC);
	struct archive *a = rd >= 0 ? archive_read_new() : NULL;
	if (!a)
		return false;
	struct archive_entry *e;
	bool tar = archive_read_support_filter_all(a) == ARCHIVE_OK &&
		   archive_read_support_format_tar(a) == ARCHIVE_OK &&
		   archive_read_support_format_gnutar(a) == ARCHIVE_OK &&
		   archive_read_open_fd(a, rd, 1 << 16) == ARCHIVE_OK &&
		   archive_read_next_header(a, &e) == ARCHIVE_OK;
	archive_read_free(a);
	return tar;
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* append a copy of PATH to OUT (NULL-terminated, *N entries) */
static int add_match(struct copier *cp, char ***out, size_t *n, const char *path)
{
	char **v = realloc(*out, (*n + 2) * sizeof(char *));
	if (v)
		*out = v;
	if (!v || !(v[*n] = strdup(path)))
		return mr_fail(cp->err, ENOMEM, "COPY");
	v[++*n] = NULL;
	return 0;
}

/*
 * expand_in - what BASE matches in the context directory DIR ("" for its root), as
 * DIR/NAME, appended to OUT in name order (Go's filepath.Glob sorts too). A BASE with no
 * wildcard is itself, unless MUST_EXIST (below a wildcard directory) and it is not there.
 */
static int expand_in(struct copier *cp, const char *dir, const char *base, bool must_exist,
		     char ***out, size_t *n)
{
	char path[PATH_MAX];
	if (!strpbrk(base, "*?[")) {
		if (snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", base) >=
		    (int)sizeof(path))
			return mr_fail(cp->err, ENAMETOOLONG, "COPY %s", base);
		if (must_exist) {
			int fd = mr_open_in_root(cp->ctx, path, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
			if (fd < 0)
				return 0;
			close(fd);
		}
		return add_match(cp, out, n, path);
	}
	int dfd = mr_open_in_root(cp->ctx, *dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	size_t first = *n;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    fnmatch(base, e->d_name, 0) != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", e->d_name) <
		    (int)sizeof(path))
			rc = add_match(cp, out, n, path);
	}
	closedir(d);
	qsort(*out + first, *n - first, sizeof(char *), cmp_str);
	return rc;
}

/*
 * expand_source - the sources SRC names: itself, or the matches of its wildcards, which
 * may be in any component: a wildcard directory is walked for each directory it matches
 */
static int expand_source(struct copier *cp, const char *src, char ***out, size_t *n)
{
	const char *slash = strrchr(src, '/');
	*n = 0;
	*out = calloc(1, sizeof(char *));
	if (!*out)
		return mr_fail(cp->err, ENOMEM, "COPY");
	if (!slash)
		return expand_in(cp, "", src, false, out, n);
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - src), src);
	if (!strpbrk(dir, "*?["))
		return expand_in(cp, dir, slash + 1, false, out, n);
	char **dirs = NULL;
	size_t nd = 0;
	int rc = expand_source(cp, dir, &dirs, &nd);
	for (size_t i = 0; i < nd; i++) {
		if (rc == 0)
			rc = expand_in(cp, dirs[i], slash + 1, true, out, n);
		free(dirs[i]);
	}
	free(dirs);
	return rc;
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
		bool found = false;
		char q[PATH_MAX];
		if (snprintf(q, sizeof(q), "%s/%s", cp->staging, rel) >= (int)sizeof(q))
			break;
		for (char *const *l = cp->req->lowers; l && *l && !found; l++) {
			char p[PATH_MAX];
			struct stat sb;
			if (snprintf(p, sizeof(p), "%s/%s", *l, rel) >= (int)sizeof(p) ||
			    lstat(p, &sb) < 0)
				continue;
			found = true;
			struct timespec ts[2] = {sb.st_atim, sb.st_mtim};
			if (S_ISDIR(sb.st_mode) && lchown(q, sb.st_uid, sb.st_gid) == 0 &&
			    chmod(q, sb.st_mode & 07777) == 0)
				utimensat(AT_FDCWD, q, ts, AT_SYMLINK_NOFOLLOW);
		}
		/* a directory the copy made (not in the image) is --chown's too, as docker and
		 * BuildKit make them: COPY --chown=app f /new/ gives app /new */
		struct stat qs;
		const struct copy_req *r = cp->req;
		if (!found && (r->uid > 0 || r->gid > 0) && lstat(q, &qs) == 0 &&
		    S_ISDIR(qs.st_mode))
			(void)!lchown(q, (uid_t)r->uid, (gid_t)(r->gid > 0 ? r->gid : 0));
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
		if (expand_source(cp, req->srcs[i], &srcs, &n) < 0) {
			/* what it matched before it failed is ours to free */
			for (size_t k = 0; k < n; k++)
				free(srcs[k]);
			free(srcs);
			return -1;
		}
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
 * copy_urls - ADD's downloads to their place: DEST/NAME when DEST is a directory, else DEST
 * itself; mode 0600 (or --chmod's), --chown's owner, the mtime Last-Modified gave (else
 * the download's), and never unpacked, even when it is a tar (BuildKit's HTTP source).
 */
static int copy_urls(struct copier *cp)
{
	const struct copy_req *r = cp->req;
	for (size_t i = 0; i < r->nurls; i++) {
		const struct copy_url *u = &r->urls[i];
		char dst[PATH_MAX], parent[PATH_MAX];
		struct stat sb;
		if (snprintf(dst, sizeof(dst), "%s%s%s%s", cp->staging, r->dest,
			     r->dest_is_dir ? "/" : "",
			     r->dest_is_dir ? u->name : "") >= (int)sizeof(dst))
			return mr_fail(cp->err, ENAMETOOLONG, "ADD %s", u->name);
		snprintf(parent, sizeof(parent), "%s", dst);
		*strrchr(parent, '/') = '\0';
		if (mr_mkdir_p(parent, 0755, cp->err) < 0)
			return -1;
		if (rename(u->path, dst) < 0 || lstat(dst, &sb) < 0)
			return mr_fail(cp->err, errno, "move the download of %s to '%s'", u->name,
				       dst);
		sb.st_mode = (sb.st_mode & ~07777) | 0600;
		if (u->mtime >= 0)
			sb.st_mtim = sb.st_atim = (struct timespec){.tv_sec = u->mtime};
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

/* WORKDIR's directory: DEST and its parents, 0755, owned as the request says (the parents
 * the image has take their own modes and owners back in parents_from_image) */
static int make_dest_dir(struct copier *cp)
{
	const struct copy_req *r = cp->req;
	char p[PATH_MAX];
	size_t base = strlen(cp->staging);
	if (snprintf(p, sizeof(p), "%s%s", cp->staging, r->dest) >= (int)sizeof(p))
		return mr_fail(cp->err, ENAMETOOLONG, "WORKDIR %s", r->dest);
	if (mr_mkdir_p(p, 0755, cp->err) < 0)
		return -1;
	for (char *s = p + base + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;
		*s = '\0';
		if (lchown(p, (uid_t)(r->uid > 0 ? r->uid : 0), (gid_t)(r->gid > 0 ? r->gid : 0)) <
			    0 ||
		    chmod(p, 0755) < 0)
			return mr_fail(cp->err, errno, "mkdir '%s'", p);
		*s = c;
		if (!c)
			return 0;
	}
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

/* feed MD the owner lines in name order (the copy's walk follows readdir's order) */
static void hash_owners(EVP_MD_CTX *md, struct sb *owners)
{
	size_t n = 0;
	char *text = owners->len ? sb_take(owners) : NULL;
	for (char *p = text; p && *p; p++)
		n += *p == '\n';
	char **lines = n ? calloc(n, sizeof(char *)) : NULL;
	size_t i = 0;
	for (char *save = NULL, *l = lines ? strtok_r(text, "\n", &save) : NULL; l && i < n;
	     l = strtok_r(NULL, "\n", &save))
		lines[i++] = l;
	if (lines)
		qsort(lines, i, sizeof(char *), cmp_str);
	for (size_t k = 0; lines && k < i; k++) {
		EVP_DigestUpdate(md, lines[k], strlen(lines[k]));
		EVP_DigestUpdate(md, "\n", 1);
	}
	free(lines);
	free(text);
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
	    copy_heredocs(&cp) < 0 || copy_urls(&cp) < 0 || (req->mkdir && make_dest_dir(&cp) < 0))
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
	hash_owners(md, &cp.owners);
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
	sb_free(&cp.owners);
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
