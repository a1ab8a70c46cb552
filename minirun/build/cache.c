/*
 * minirun/build/cache.c - `minirun builder du` and `minirun builder prune`: the build
 * cache's records, their sizes, and their removal.
 *
 *   $ minirun builder du
 *   ID                          RECLAIMABLE   SIZE      LAST ACCESSED
 *   3b1f0c9a6d2e48f7a1c5e9d03*  false         1.98MB    2 minutes ago
 *   a9e4c1d07b3f25e6c8d4f1a92   true          12.3kB    3 days ago
 *   Shared:         1.98MB
 *   Private:        12.3kB
 *   Reclaimable:    12.3kB
 *   Total:          1.99MB
 *
 * The cache is ROOT/build/cache/ (layers.c writes it): one KEY.json per RUN, COPY or ADD
 * step, naming the layer blob the step made, and one export-KEY.json per exported config
 * (builder.c: an unchanged rebuild is the same image). A record's size is its layer blob's
 * (or the config's); it is *shared* (an ID marked "*", as buildx marks them) when an image
 * in the store has that layer too, so removing the record frees nothing: such a record is
 * not reclaimable. A record whose blob is gone already (an `rmi` and its gc took it) is
 * dead: never a hit, not listed, and removed by any prune. LAST ACCESSED is when a build
 * last wrote or hit the record (its mtime).
 *
 * prune removes the records no image uses (BuildKit's "dangling" cache), or with -a all of
 * them, then collects the store's garbage: the blobs and unpacked layers that only the
 * removed records held. --filter until=DURATION keeps what was used more recently.
 *
 * See: https://docs.docker.com/reference/cli/docker/buildx/du/ ,
 * https://docs.docker.com/reference/cli/docker/builder/prune/ ; layers.c (the records)
 */
#include "minirun/build/build.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/cli.h"
#include "lib/duration.h"
#include "lib/file.h"

/* One cache record. */
struct crec {
	char path[PATH_MAX + 300];
	char id[32];    /* the key's first 25 hex digits (BuildKit's IDs are 25 characters) */
	uint64_t size;  /* its layer blob's (or exported config's) bytes */
	bool shared;    /* an image in the store has its layer (or is its config) */
	bool dead;      /* its blob is gone */
	time_t used;    /* last written or hit */
	char desc[160]; /* the step, as the history says it ("" for older records) */
};

/* the digests the store's images hold (layers and configs), as the keys of a JSON object */
static json_t *image_digests(const struct store *st, struct mr_err *err)
{
	json_t *idx = store_index_load(st, err), *set = json_object(), *e, *l;
	size_t i, k;
	if (!idx) {
		json_decref(set);
		return NULL;
	}
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		struct image img;
		const char *d = json_string_value(json_object_get(e, "digest"));
		if (!d || image_load(st, d, &img, NULL) < 0)
			continue;
		json_object_set_new(set, img.id, json_true());
		json_array_foreach(json_object_get(img.manifest, "layers"), k, l)
		{
			const char *ld = json_string_value(json_object_get(l, "digest"));
			if (ld)
				json_object_set_new(set, ld, json_true());
		}
		image_free(&img);
	}
	json_decref(idx);
	return set;
}

/* read the record at PATH (file NAME) into R */
static void read_rec(const struct store *st, json_t *in_use, const char *path, const char *name,
		     struct crec *r)
{
	_cleanup_free_ char *text = NULL;
	struct stat sb;
	bool export = !strncmp(name, "export-", 7);
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->id, sizeof(r->id), "%.25s", name + (export ? 7 : 0));
	r->dead = true;
	if (stat(path, &sb) < 0 || mr_read_file(path, &text, NULL, NULL) < 0)
		return;
	r->used = sb.st_mtime;
	if (export) { /* the config text itself: in use while its image is in the store */
		char id[IMAGE_DIGEST_LEN + 1];
		digest_of(text, strlen(text), id);
		r->size = strlen(text);
		r->shared = json_object_get(in_use, id) != NULL;
		r->dead = false;
		snprintf(r->desc, sizeof(r->desc), "exporting to image");
		return;
	}
	json_t *e = json_loads(text, 0, NULL);
	json_t *layer = json_object_get(e, "layer");
	const char *digest = json_string_value(json_object_get(layer, "digest"));
	if (digest && digest_valid(digest) && store_has_blob(st, digest)) {
		r->dead = false;
		r->size = (uint64_t)json_integer_value(json_object_get(layer, "size"));
		r->shared = json_object_get(in_use, digest) != NULL;
	}
	snprintf(r->desc, sizeof(r->desc), "%s",
		 json_string_value(json_object_get(e, "description")) ?: "");
	json_decref(e);
}

static int by_used(const void *a, const void *b)
{
	const struct crec *x = a, *y = b;
	return x->used < y->used ? 1 : x->used > y->used ? -1 : strcmp(x->id, y->id);
}

/* every record of the cache, most recently used first, into *RECS (the caller frees) */
static int load_recs(const struct store *st, struct crec **recs, size_t *n, struct mr_err *err)
{
	char dir[PATH_MAX];
	*recs = NULL;
	*n = 0;
	if (snprintf(dir, sizeof(dir), "%s/build/cache", st->root) >= (int)sizeof(dir))
		return mr_fail(err, ENAMETOOLONG, "the store '%s'", st->root);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : mr_fail(err, errno, "open '%s'", dir);
	json_t *in_use = image_digests(st, err);
	if (!in_use) {
		closedir(d);
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[PATH_MAX];
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") || e->d_name[0] == '.')
			continue;
		struct crec *v = realloc(*recs, (*n + 1) * sizeof(*v));
		if (!v)
			break;
		*recs = v;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		read_rec(st, in_use, path, e->d_name, &v[(*n)++]);
	}
	closedir(d);
	json_decref(in_use);
	if (*n)
		qsort(*recs, *n, sizeof(**recs), by_used);
	return 0;
}

/* "2 minutes ago" for T */
static void since(time_t t, char *buf, size_t len)
{
	char iso[64];
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fmt_since(iso, buf, len);
}

static int du(int argc, char **argv)
{
	static const struct option opts[] = {
		{"verbose", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	static const char help[] =
		"Usage:  minirun builder du [OPTIONS]\n"
		"\n"
		"Show the build cache: its records, their sizes, and the totals\n"
		"\n"
		"Options:\n"
		"  -v, --verbose   one block per record, with the step that made it\n"
		"\n"
		"An ID marked * is shared: an image in the store has its layer, so removing\n"
		"the record frees nothing (it is not reclaimable).\n";
	int c, rc = 0;
	bool verbose = false;
	optind = 0;
	while ((c = mr_verb_opt(argc, argv, "builder du", "v", opts, help, &rc)) != -1) {
		if (c == MR_OPT_DONE)
			return rc;
		verbose = true;
	}
	if (optind != argc) {
		return mr_operand_error("builder du", "\"builder du\" accepts no arguments");
	}
	struct store st;
	struct mr_err err = {0};
	struct crec *recs;
	size_t n;
	if (image_open_store(&st))
		return 1;
	rc = load_recs(&st, &recs, &n, &err);
	store_close(&st);
	if (rc < 0)
		return image_error(&err);
	uint64_t shared = 0, private = 0;
	struct table t;
	table_init(&t, 4);
	if (!verbose)
		table_add(&t, "ID", "RECLAIMABLE", "SIZE", "LAST ACCESSED");
	for (size_t i = 0; i < n; i++) {
		char id[40], size[32], when[64];
		if (recs[i].dead)
			continue;
		*(recs[i].shared ? &shared : &private) += recs[i].size;
		snprintf(id, sizeof(id), "%s%s", recs[i].id, recs[i].shared ? "*" : "");
		fmt_size(recs[i].size, size, sizeof(size));
		since(recs[i].used, when, sizeof(when));
		if (verbose)
			printf("ID:             %s\nReclaimable:    %s\nShared:         %s\n"
			       "Size:           %s\nDescription:    %s\nLast used:      %s\n\n",
			       recs[i].id, recs[i].shared ? "false" : "true",
			       recs[i].shared ? "true" : "false", size, recs[i].desc, when);
		else
			table_add(&t, id, recs[i].shared ? "false" : "true", size, when);
	}
	table_print(&t); /* with -v: no rows, nothing printed; the table is freed */
	char a[32], b[32], tot[32];
	fmt_size(shared, a, sizeof(a));
	fmt_size(private, b, sizeof(b));
	fmt_size(shared + private, tot, sizeof(tot));
	printf("%-16s%s\n%-16s%s\n%-16s%s\n%-16s%s\n", "Shared:", a, "Private:", b,
	       "Reclaimable:", b, "Total:", tot);
	free(recs);
	return 0;
}

static int prune(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},
		{"force", no_argument, NULL, 'f'},
		{"filter", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	static const char help[] =
		"Usage:  minirun builder prune [OPTIONS]\n"
		"\n"
		"Remove build cache\n"
		"\n"
		"Options:\n"
		"  -a, --all              remove every record, not just those no image uses\n"
		"      --filter until=D   only records not used for the duration D (\"24h\",\n"
		"                         \"90m\": Go's durations)\n"
		"  -f, --force            do not prompt for confirmation\n";
	int c, rc = 0;
	bool all = false, force = false;
	long long until = -1;
	optind = 0;
	while ((c = mr_verb_opt(argc, argv, "builder prune", "af", opts, help, &rc)) != -1) {
		char why[200];
		switch (c) {
		case MR_OPT_DONE: return rc;
		case 'a': all = true; break;
		case 'f': force = true; break;
		case 'F':
			if (strncmp(optarg, "until=", 6)) {
				fprintf(stderr,
					"minirun: invalid filter '%s': builder prune takes "
					"until=DURATION\nSee 'minirun builder prune --help'.\n",
					optarg);
				return MR_EXIT_RUNTIME;
			}
			if (mr_parse_duration(optarg + 6, &until, why, sizeof(why)) < 0 ||
			    until < 0) {
				fprintf(stderr,
					"minirun: invalid filter '%s': %s\nSee 'minirun builder "
					"prune --help'.\n",
					optarg, until < 0 ? why : "a negative duration");
				return MR_EXIT_RUNTIME;
			}
			break;
		}
	}
	if (optind != argc) {
		return mr_operand_error("builder prune", "\"builder prune\" accepts no arguments");
	}
	if (!force &&
	    !mr_confirm("WARNING! This will remove all %sbuild cache. ", all ? "" : "dangling "))
		return 0;
	struct store st;
	struct mr_err err = {0};
	struct crec *recs;
	size_t n;
	if (image_open_store(&st))
		return 1;
	if (load_recs(&st, &recs, &n, &err) < 0) {
		store_close(&st);
		return image_error(&err);
	}
	time_t now = time(NULL);
	int deleted = 0;
	for (size_t i = 0; i < n; i++) {
		struct crec *r = &recs[i];
		bool old = until < 0 || r->used <= now - (time_t)(until / 1000000000LL);
		if (!r->dead && (!old || (r->shared && !all)))
			continue;
		if (unlink(r->path) < 0 && errno != ENOENT) {
			mr_fail(&err, errno, "remove '%s'", r->path);
			rc = -1;
			break;
		}
		if (r->dead) /* never a hit, and never shown: removed without a word */
			continue;
		if (!deleted++)
			printf("Deleted build cache objects:\n");
		printf("%s\n", r->id);
	}
	free(recs);
	uint64_t freed = 0;
	/* the blobs and unpacked layers only the removed records held */
	if (rc == 0 && deleted)
		rc = store_gc(&st, &freed, &err);
	store_close(&st);
	if (rc < 0)
		return image_error(&err);
	char size[32];
	fmt_size(freed, size, sizeof(size));
	printf("%sTotal reclaimed space: %s\n", deleted ? "\n" : "", size);
	return 0;
}

int builder_cache_usage(struct builder_usage *u, struct mr_err *err)
{
	struct store st;
	struct crec *recs;
	size_t n;
	u->count = u->active = 0;
	u->size = u->reclaimable = 0;
	if (store_open(&st, image_root(), err) < 0)
		return -1;
	int rc = load_recs(&st, &recs, &n, err);
	store_close(&st);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (recs[i].dead)
			continue;
		u->count++;
		u->size += recs[i].size;
		if (u->each)
			u->each(u->ctx, recs[i].id, recs[i].desc, recs[i].size,
				(long long)recs[i].used, recs[i].shared);
		if (recs[i].shared)
			u->active++;
		else
			u->reclaimable += recs[i].size;
	}
	free(recs);
	return 0;
}

const struct mr_command builder_commands[] = {
	{"du", du, "Show the build cache's records and their sizes"},
	{"prune", prune, "Remove build cache (-a: all of it)"},
	{NULL, NULL, NULL},
};
