/*
 * minirun/image/gc.c - garbage collection of the store: mark what index.json reaches,
 * sweep the rest.
 *
 * Mark: every manifest named in index.json, its config, its layer blobs, and the diffIDs
 * its config lists. Sweep: every other file in blobs/sha256/, every other directory in
 * layers/sha256/ (with layer_apply's own half-made temp directories), and .tmp/ litter of
 * killed commands. All under the exclusive gc lock, so no command is adding meanwhile.
 *
 * See: store.c (the locks), `minirun image prune`, `minirun rmi`
 */
#define _XOPEN_SOURCE 700
#include "minirun/image/image.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"

/* the set of reachable digests: a small sorted-free list is plenty for a local store */
struct marks {
	char **v;
	size_t n, cap;
};

static void mark(struct marks *m, const char *digest)
{
	if (!digest || !digest_valid(digest))
		return;
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i] + 7, digest + 7))
			return;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n++] = strdup(digest);
}

static int marked(const struct marks *m, const char *hex)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i] + 7, hex))
			return 1;
	return 0;
}

static void marks_free(struct marks *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
}

/* read a blob as JSON without failing the collection (a corrupt blob marks nothing more) */
static json_t *raw_json(const struct store *st, const char *digest)
{
	char path[4400];
	if (!digest || !digest_valid(digest))
		return NULL;
	store_blob_path(st, digest, path, sizeof(path));
	return mr_json_load_file(path, 0, NULL);
}

static uint64_t rm_bytes;
static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_DP && type != FTW_D)
		rm_bytes += sb->st_size;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf PATH, adding the bytes of its files to rm_bytes */
static int rm_rf(const char *path)
{
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

/* remove every entry of DIR whose name is not marked; 0 or -1 with err */
static int sweep(const char *dir, const struct marks *m, int keep_marked, struct mr_err *err)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *de;
	char path[4400];
	if (!d)
		return errno == ENOENT ? 0 : mr_fail(err, errno, "open '%s'", dir);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (keep_marked && marked(m, de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		mr_say("remove %s", path);
		if (rm_rf(path) < 0)
			return mr_fail(err, errno, "remove '%s'", path);
	}
	return 0;
}

int store_gc(const struct store *st, uint64_t *freed, struct mr_err *err)
{
	struct marks m = {0};
	char dir[4400];
	size_t i, j;
	json_t *e, *x;
	int rc = -1;

	if (store_lock(st, STORE_DELETING, err) < 0)
		return -1;
	json_t *idx = store_index_load(st, err);
	if (!idx)
		goto out;
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		const char *md = json_string_value(json_object_get(e, "digest"));
		json_t *man = raw_json(st, md), *cfg;
		mark(&m, md);
		const char *cd = json_string_value(
			json_object_get(json_object_get(man, "config"), "digest"));
		mark(&m, cd);
		json_array_foreach(json_object_get(man, "layers"), j, x)
		{
			mark(&m, json_string_value(json_object_get(x, "digest")));
		}
		if ((cfg = raw_json(st, cd))) {
			json_t *diffs = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
			json_array_foreach(diffs, j, x)
			{
				mark(&m, json_string_value(x));
			}
			json_decref(cfg);
		}
		json_decref(man);
	}
	rm_bytes = 0;
	snprintf(dir, sizeof(dir), "%s/blobs/sha256", st->dir);
	if (sweep(dir, &m, 1, err) < 0)
		goto out;
	snprintf(dir, sizeof(dir), "%s/layers/sha256", st->root);
	if (sweep(dir, &m, 1, err) < 0)
		goto out;
	snprintf(dir, sizeof(dir), "%s/layers/sizes", st->root);
	if (sweep(dir, &m, 1, err) < 0)
		goto out;
	snprintf(dir, sizeof(dir), "%s/.tmp", st->dir);
	if (sweep(dir, &m, 0, err) < 0)
		goto out;
	if (freed)
		*freed = rm_bytes;
	rc = 0;
out:
	json_decref(idx);
	marks_free(&m);
	store_unlock(st, STORE_DELETING);
	return rc;
}
