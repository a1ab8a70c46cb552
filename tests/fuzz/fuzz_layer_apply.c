/*
 * tests/fuzz/fuzz_layer_apply.c - fuzz applying an OCI layer tar (unionfs/layer_apply.c),
 * as root, into a scratch root with a canary tree beside it.
 *
 * The first byte of the input picks how: bit 0 the mode (0: LAYER_PLAIN onto an existing
 * tree, under its undo journal; 1: LAYER_OVERLAY into a fresh directory), bit 1 what the
 * rest is (0: a script of entries, turned into a pax tar with libarchive, so the fuzzer
 * works on paths and types rather than on header checksums; 1: the layer's bytes as they
 * are, any compression). A script line is
 *
 *	TYPE PATH [ARG]     f file (ARG: content)  d dir  l symlink (ARG: target)
 *	                    h hard link (ARG: target)  c char device 0/0  p fifo
 *	                    x file with the xattr ARG ("trusted.overlay.opaque")
 *	                    w file with mode 0 and owner 1234
 *
 * The machine: the fuzzer runs as root, so the harness works in a world of its own
 * (sandbox.h: a private mount namespace where every mount but the worktree and /tmp is
 * read-only, and a tmpfs on /mnt) that holds everything:
 *
 *	/mnt/canary/   a file, a directory, a symlink: must never change
 *	/mnt/box/root  the existing tree (with symlinks that point out: esc -> ../../canary,
 *	               abs -> /mnt/canary, up -> ..), target of a LAYER_PLAIN apply
 *	/mnt/box/new   target of a LAYER_OVERLAY apply (made by the apply)
 *
 * Oracles, after each input: the canary tree is exactly as it was (names, types, modes,
 * owners, contents, link targets, xattrs); /mnt holds canary and box only, and box holds
 * root and, only when the apply succeeded in overlay mode, new (no temp or undo dir left
 * behind); a LAYER_PLAIN apply that failed left root exactly as it was (the undo journal);
 * one that succeeded left no undo directory in it.
 *
 * Seeds: tests/fuzz/seeds/layer_apply/. See: unionfs/layer.h, mount_setattr(2),
 * mount_namespaces(7).
 */
#include "unionfs/layer.h"
#include "unionfs/layer_int.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/sandbox.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define TOP    "/mnt"
#define CANARY TOP "/canary"
#define BOX    TOP "/box"
#define ROOT   BOX "/root"
#define NEW    BOX "/new"

static void die(const char *what)
{
	fprintf(stderr, "fuzz_layer_apply: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A world of our own (fuzz_sandbox), then the canary. Once per process, before any input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_sandbox(TOP);
	if (mkdir(CANARY, 0755) < 0 || mkdir(CANARY "/d", 0700) < 0 || mkdir(BOX, 0755) < 0)
		die("mkdir");
	FILE *f = fopen(CANARY "/f", "w");
	if (!f)
		die("canary");
	fputs("canary\n", f);
	fclose(f);
	if (symlink("f", CANARY "/l") < 0 || mknod(CANARY "/d/fifo", S_IFIFO | 0600, 0) < 0 ||
	    setxattr(CANARY "/f", "user.canary", "1", 1, 0) < 0)
		die("canary");
	return 0;
}

/* ---- snapshots: a sorted text of everything under a directory --------------------------- */

static char **lines;
static size_t nlines, snap_prefix;

static int snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type, (void)ftw;
	char extra[512] = "", xattrs[512] = "";
	if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlink(path, extra, sizeof(extra) - 1);
		extra[n > 0 ? n : 0] = '\0';
	} else if (S_ISREG(st->st_mode)) {
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, extra, sizeof(extra) - 1) : -1;
		extra[n > 0 ? n : 0] = '\0';
		if (fd >= 0)
			close(fd);
	} else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		snprintf(extra, sizeof(extra), "%u:%u", major(st->st_rdev), minor(st->st_rdev));
	}
	ssize_t n = llistxattr(path, xattrs, sizeof(xattrs) - 1);
	xattrs[n > 0 ? n : 0] = '\0';
	for (ssize_t i = 0; i + 1 < n; i++)
		if (!xattrs[i])
			xattrs[i] = ',';
	char *line;
	if (asprintf(&line, "%s %o %u:%u %lld [%s] [%s]", path + snap_prefix, st->st_mode,
		     st->st_uid, st->st_gid, S_ISDIR(st->st_mode) ? 0LL : (long long)st->st_size,
		     extra, xattrs) < 0)
		abort();
	char **more = realloc(lines, (nlines + 1) * sizeof(*lines));
	if (!more)
		abort();
	lines = more;
	lines[nlines++] = line;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* snapshot - DIR as text (NULL if DIR is missing); the caller frees it */
static char *snapshot(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return NULL;
	lines = NULL, nlines = 0, snap_prefix = strlen(dir);
	nftw(dir, snap_one, 16, FTW_PHYS);
	qsort(lines, nlines, sizeof(*lines), cmp_str);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (size_t i = 0; i < nlines; i++) {
		fprintf(f, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	fclose(f);
	return out;
}

/* the names in DIR, sorted, space-separated */
static char *names(const char *dir)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, ".."))
			fprintf(f, "%s ", v[i]->d_name);
		free(v[i]);
	}
	free(v);
	fclose(f);
	return out;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type == FTW_DP ? rmdir(path) : unlink(path) < 0)
		fprintf(stderr, "fuzz_layer_apply: remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* the existing tree a LAYER_PLAIN apply goes onto */
static void make_box(void)
{
	nftw(BOX, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(BOX, 0755) < 0 || mkdir(ROOT, 0755) < 0 || mkdir(ROOT "/etc", 0755) < 0 ||
	    mkdir(ROOT "/dir", 0700) < 0)
		die("mkdir box");
	FILE *f = fopen(ROOT "/etc/passwd", "w");
	if (!f)
		die("box");
	fputs("root:x:0:0::/root:/bin/sh\n", f);
	fclose(f);
	if (symlink("../../canary", ROOT "/esc") < 0 || symlink(CANARY, ROOT "/abs") < 0 ||
	    symlink("..", ROOT "/up") < 0 || symlink("/etc/passwd", ROOT "/dir/passwd") < 0 ||
	    link(ROOT "/etc/passwd", ROOT "/dir/hard") < 0)
		die("box links");
}

/* ---- the script -> a pax tar ------------------------------------------------------------ */

static unsigned char tarbuf[4 << 20];

static size_t script_tar(char *script)
{
	size_t used = 0;
	struct archive *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	archive_write_set_bytes_in_last_block(w, 1);
	if (archive_write_open_memory(w, tarbuf, sizeof(tarbuf), &used) != ARCHIVE_OK)
		abort();
	struct archive_entry *e = archive_entry_new();
	for (char *line = strtok(script, "\n"); line; line = strtok(NULL, "\n")) {
		char type = line[0], *path, *arg;
		if (!type || line[1] != ' ')
			continue;
		path = line + 2;
		arg = strchr(path, ' ');
		if (arg)
			*arg++ = '\0';
		archive_entry_clear(e);
		archive_entry_set_pathname(e, path);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, 1700000000, 0);
		switch (type) {
		case 'f':
		case 'x':
		case 'w': archive_entry_set_filetype(e, AE_IFREG); break;
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			break;
		case 'l':
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, arg ? arg : "");
			break;
		case 'h':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, arg ? arg : "");
			break;
		case 'c': archive_entry_set_filetype(e, AE_IFCHR); break;
		case 'p': archive_entry_set_filetype(e, AE_IFIFO); break;
		default: continue;
		}
		if (type == 'x' && arg)
			archive_entry_xattr_add_entry(e, arg, "y", 1);
		if (type == 'w') {
			archive_entry_set_perm(e, 0);
			archive_entry_set_uid(e, 1234);
			archive_entry_set_gid(e, 1234);
		}
		const char *content = (type == 'f' && arg) ? arg : "";
		if (type == 'f' || type == 'x' || type == 'w')
			archive_entry_set_size(e, (la_int64_t)strlen(content));
		if (archive_write_header(w, e) != ARCHIVE_OK)
			continue;
		if (*content)
			archive_write_data(w, content, strlen(content));
	}
	archive_entry_free(e);
	archive_write_close(w);
	archive_write_free(w);
	return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *canary;
	if (size < 1)
		return 0;
	if (!canary)
		canary = snapshot(CANARY);
	bool overlay = data[0] & 1, raw = data[0] & 2;
	int fd = memfd_create("layer", MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create");
	if (raw) {
		if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
			die("write");
	} else {
		char *script = fuzz_str(data + 1, size - 1);
		size_t n = script_tar(script);
		free(script);
		if (write(fd, tarbuf, n) != (ssize_t)n)
			die("write");
	}
	lseek(fd, 0, SEEK_SET);

	make_box();
	char *before = snapshot(ROOT);
	struct layer_apply_opts o = {.mode = overlay ? LAYER_OVERLAY : LAYER_PLAIN};
	struct mr_err err = {0};
	int rc = layer_apply_fd(fd, "fuzz.tar", overlay ? NEW : ROOT, &o, NULL, &err);
	close(fd);
	if (rc < 0)
		fuzz_refused(err.msg);

	char *now = snapshot(CANARY);
	if (strcmp(now, canary) != 0)
		fuzz_oracle("the canary beside the root changed:\n--- before\n%s--- after\n%s",
			    canary, now);
	free(now);
	char *top = names(TOP), *box = names(BOX);
	if (strcmp(top, "box canary "))
		fuzz_oracle("%s holds '%s'", TOP, top);
	const char *want = overlay && rc == 0 ? "new root " : "root ";
	if (strcmp(box, want))
		fuzz_oracle("%s holds '%s', not '%s' (apply %s)", BOX, box, want,
			    rc == 0 ? "succeeded" : err.msg);
	free(top);
	free(box);
	if (!overlay) {
		char *after = snapshot(ROOT);
		if (rc < 0 && strcmp(before, after))
			fuzz_oracle("a failed apply (%s) changed the tree:\n--- before\n%s--- "
				    "after\n%s",
				    err.msg, before, after);
		/* the undo directory is a name of the root that starts with the prefix */
		char *top = names(ROOT), *spaced;
		if (asprintf(&spaced, " %s", top) < 0)
			abort();
		if (rc == 0 && strstr(spaced, " " LAYER_UNDO_PREFIX))
			fuzz_oracle("the undo directory stayed: %s", top);
		free(spaced);
		free(top);
		free(after);
	}
	free(before);
	return 0;
}
