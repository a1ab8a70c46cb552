/*
 * minirun/scan/layers.c - `minirun image layers IMAGE`: where an image's bytes go, layer
 * by layer, as dive shows it, read from the store's unpacked layers.
 *
 *   $ minirun image layers app:1
 *   LAYER   SIZE     ADDED   CHANGED   REMOVED   WASTED   CREATED BY
 *   0       4.26MB   412     0         0         1.2MB    ADD rootfs.tar /
 *   1       1.2MB    3       1         0         0B       RUN make
 *   2       0B       0       0         1         0B       RUN rm -rf /build
 *   Total: 5.46MB in 3 layers, 1.2MB wasted: efficiency 78.0%
 *
 * For each layer, every file it holds (directories are not counted) is one of:
 *   added     nothing was at its path in the layers below
 *   changed   the layers below had something there: this copy replaces it
 *   removed   a whiteout (a character device 0/0, unionfs/layer.h) over a file below
 * and a file's bytes are *wasted* when the finished image does not show this layer's
 * copy: a later layer replaced it, deleted it (a whiteout), or hid its directory (an
 * opaque directory, a file or symlink in place of a parent). The image still ships those
 * bytes in this layer's tar: that is what a smaller image gets rid of (a multi-stage
 * build, or `rm` in the same RUN that made the files). Efficiency is the share of all
 * layers' bytes the finished image shows.
 *
 * `--tree N` lists layer N's files with their sizes, and what it removes.
 * See: rootview.c (the lookup through the layers), https://github.com/wagoodman/dive.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/file.h"
#include "minirun/image/image.h"
#include "minirun/scan/scan.h"
#include "unionfs/overlay.h"

struct layer_stat {
	unsigned long long bytes, wasted;
	unsigned long added, changed, removed;
};

struct walk {
	const struct rootview *all; /* every layer, top-most first */
	struct rootview below;      /* the layers under the one being walked */
	size_t k;                   /* the walked layer's index in all */
	struct layer_stat *st;
	int tree; /* --tree: print each file */
	struct mr_err *err;
};

/* visit - one non-directory entry PATH of the walked layer, lstat SB */
static int visit(struct walk *w, const char *path, const struct stat *sb)
{
	size_t layer;
	int below = rootview_lookup(&w->below, path, &layer, NULL, w->err);
	if (below < 0)
		return -1;
	if (ovl_is_whiteout(sb)) {
		if (below)
			w->st->removed++;
		if (w->tree)
			printf("%10s  %s\n", "removed", path);
		return 0;
	}
	unsigned long long size = S_ISREG(sb->st_mode) ? (unsigned long long)sb->st_size : 0;
	w->st->bytes += size;
	if (below)
		w->st->changed++;
	else
		w->st->added++;
	int shown = rootview_lookup(w->all, path, &layer, NULL, w->err);
	if (shown < 0)
		return -1;
	if (!shown || layer != w->k)
		w->st->wasted += size;
	if (w->tree) {
		char sz[32];
		fmt_size(size, sz, sizeof(sz));
		printf("%10s  %s%s%s\n", sz, path, below ? "  (changed)" : "",
		       !shown || layer != w->k ? "  (wasted: hidden by a later layer)" : "");
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* walk_dir - every entry below directory fd DIRFD, at PREFIX ("" for the layer's root) */
static int walk_dir(struct walk *w, int dirfd, const char *prefix)
{
	int fd = dup(dirfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return mr_fail(w->err, errno, "list '%s/%s'", w->all->dirs[w->k], prefix);
	}
	/* names sorted, so --tree reads like ls -R */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*nn));
			if (!nn) {
				rc = mr_fail(w->err, ENOMEM, "list");
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = mr_fail(w->err, ENOMEM, "list");
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[PATH_MAX];
		struct stat sb;
		if (snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "/" : "", names[i]) >=
		    (int)sizeof(path)) {
			rc = mr_fail(w->err, ENAMETOOLONG, "'%s/%s'", prefix, names[i]);
			break;
		}
		if (fstatat(dirfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = mr_fail(w->err, errno, "stat '%s'", path);
			break;
		}
		if (!S_ISDIR(sb.st_mode)) {
			rc = visit(w, path, &sb);
			continue;
		}
		int sub = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			rc = mr_fail(w->err, errno, "open '%s'", path);
			break;
		}
		rc = walk_dir(w, sub, path);
		close(sub);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* created_by - the history entry of layer L (0 = bottom) of IMG: what made it */
static const char *created_by(const struct image *img, size_t l)
{
	json_t *hist = json_object_get(img->config, "history"), *h;
	size_t i, layer = 0;
	json_array_foreach(hist, i, h)
	{
		if (json_is_true(json_object_get(h, "empty_layer")))
			continue;
		if (layer++ == l) {
			const char *by = json_string_value(json_object_get(h, "created_by"));
			if (!by || !*by) /* an import has only a comment ("Imported from x.tar") */
				by = json_string_value(json_object_get(h, "comment"));
			return by ? by : "";
		}
	}
	return "";
}

static int layers_report(const struct store *st, const struct image *img, long tree,
			 struct mr_err *err)
{
	struct rootview v = {0};
	if (image_layer_dirs(st, img, &v.dirs, err) < 0)
		return -1;
	while (v.dirs[v.n])
		v.n++;
	if (tree >= (long)v.n) {
		image_lowerdirs_free(v.dirs);
		return mr_failk(err, MR_E_INVALID, 0, "--tree %ld: the image has layers 0 to %zu",
				tree, v.n - 1);
	}
	struct layer_stat *ls = calloc(v.n + 1, sizeof(*ls));
	int rc = ls ? 0 : mr_fail(err, ENOMEM, "layers");
	/* bottom (index n-1 in the top-first list) to top, numbered 0 up as history is */
	for (size_t num = 0; num < v.n && rc == 0; num++) {
		size_t k = v.n - 1 - num;
		struct walk w = {&v, {v.dirs + k + 1, v.n - k - 1}, k, &ls[num], tree == (long)num,
				 err};
		if (tree >= 0 && !w.tree)
			continue;
		int fd = open(v.dirs[k], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			rc = mr_fail(err, errno, "open layer '%s'", v.dirs[k]);
			break;
		}
		rc = walk_dir(&w, fd, "");
		close(fd);
	}
	if (rc == 0 && tree < 0) {
		struct table t;
		unsigned long long total = 0, wasted = 0;
		table_init(&t, 7);
		table_add(&t, "LAYER", "SIZE", "ADDED", "CHANGED", "REMOVED", "WASTED",
			  "CREATED BY");
		for (size_t num = 0; num < v.n; num++) {
			char c[7][80];
			snprintf(c[0], sizeof(c[0]), "%zu", num);
			fmt_size(ls[num].bytes, c[1], sizeof(c[1]));
			snprintf(c[2], sizeof(c[2]), "%lu", ls[num].added);
			snprintf(c[3], sizeof(c[3]), "%lu", ls[num].changed);
			snprintf(c[4], sizeof(c[4]), "%lu", ls[num].removed);
			fmt_size(ls[num].wasted, c[5], sizeof(c[5]));
			snprintf(c[6], sizeof(c[6]), "%.60s", created_by(img, num));
			table_add(&t, c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
			total += ls[num].bytes;
			wasted += ls[num].wasted;
		}
		table_print(&t);
		char tb[32], wb[32];
		fmt_size(total, tb, sizeof(tb));
		fmt_size(wasted, wb, sizeof(wb));
		printf("Total: %s in %zu layers, %s wasted: efficiency %.1f%%\n", tb, v.n, wb,
		       total ? 100.0 * (double)(total - wasted) / (double)total : 100.0);
	}
	free(ls);
	image_lowerdirs_free(v.dirs);
	return rc;
}

int cmd_image_layers(int argc, char **argv)
{
	static const struct option lo[] = {{"tree", required_argument, 0, 't'}, {0, 0, 0, 0}};
	long long tree = -1;
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "image layers", "", lo,
			"Usage:  minirun image layers [OPTIONS] IMAGE\n\n"
			"Show where an image's bytes go: per layer its size, the files it\n"
			"adds, changes and removes, and the bytes a later layer hides\n\n"
			"Options:\n"
			"      --tree N   list layer N's files with their sizes (0: the bottom)\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 't':
			if (mr_parse_ll(optarg, 0, 10000, &tree) < 0) {
				fprintf(stderr,
					"minirun: invalid --tree '%s': a layer number\n"
					"See 'minirun image layers --help'.\n",
					optarg);
				return MR_EXIT_RUNTIME;
			}
			break;
		}
	if (argc - optind != 1) {
		fprintf(stderr, "minirun: \"image layers\" requires exactly 1 argument.\n"
				"See 'minirun image layers --help'.\n");
		return MR_EXIT_OPERANDS;
	}
	struct store st;
	struct image img = {0};
	struct mr_err err = {0};
	if (store_open(&st, image_root(), &err) < 0)
		return mr_err_report(&err, MR_EXIT_RUNTIME);
	rc = image_resolve(&st, argv[optind], &img, &err) < 0 ||
			     layers_report(&st, &img, (long)tree, &err) < 0
		     ? mr_err_report(&err, MR_EXIT_RUNTIME)
		     : 0;
	image_free(&img);
	store_close(&st);
	return rc;
}
