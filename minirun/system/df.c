/*
 * minirun/system/df.c - `minirun system df [-v] [--format F]`: the space the store's
 * objects take, one row per kind, as docker's df prints it:
 *
 *	TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE
 *	Images          2         1         8.523MB   4.261MB (50%)
 *	Containers      3         1         12B       5B (41%)
 *	Local Volumes   1         1         0B        0B
 *	Build Cache     4         0         1.203kB   1.203kB
 *
 * Images: ACTIVE is those a container uses; what the others take is reclaimable (each
 * image's own size, as `images` shows it: layers two images share are counted in both,
 * where docker counts them once). Containers: their writable layers (the upper dirs);
 * ACTIVE the running ones, the stopped ones' layers reclaimable. Local Volumes: ACTIVE is
 * those a container uses. Build Cache: the records of `builder du`; ACTIVE the ones an
 * image shares. -v prints a table per kind instead (the build cache's records with
 * BuildKit's columns: minirun's are all "regular", used once).
 *
 * See: https://docs.docker.com/reference/cli/docker/system/df/
 */
#include "minirun/system/system.h"

#include "lib/cli.h"
#include "lib/template.h"
#include "minirun/build/build.h"
#include "minirun/containers/containers.h"
#include "minirun/image/image.h"
#include "minirun/volume/volume.h"

#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct usage {
	long long total, active;
	uint64_t size, reclaimable;
};

/* ---- sizes of directories ----------------------------------------------------------------- */

static uint64_t du_sum;
static int du_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)p, (void)ftw;
	if (flag == FTW_F)
		du_sum += (uint64_t)st->st_size;
	return 0;
}
/* the bytes of the regular files under DIR (not crossing into other filesystems) */
static uint64_t du(const char *dir)
{
	du_sum = 0;
	nftw(dir, du_one, 16, FTW_PHYS | FTW_MOUNT);
	return du_sum;
}

/* ---- the four kinds ----------------------------------------------------------------------- */

/* images: one row per image ID; VERBOSE: print the table of -v */
static void images_usage(struct usage *u, bool verbose)
{
	struct store st;
	struct mr_err err = {0};
	if (image_open_store(&st))
		return;
	json_t *idx = store_index_load(&st, &err), *e, *seen = json_object();
	size_t i;
	if (verbose)
		printf("Images space usage:\n\n");
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	fprintf(out, "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\t"
		     "CONTAINERS\n");
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		struct image img;
		const char *digest = json_string_value(json_object_get(e, "digest"));
		if (!digest || image_load(&st, digest, &img, NULL) < 0)
			continue;
		uint64_t size = image_size(&st, &img);
		bool used = image_in_use(&st, img.id, NULL, 0) == 1;
		if (!json_object_get(seen, img.id)) {
			json_object_set_new(seen, img.id, json_true());
			u->total++;
			u->size += size;
			if (used)
				u->active++;
			else
				u->reclaimable += size;
		}
		if (verbose) {
			char repo[512] = "<none>", tag[256] = "<none>", sz[32], when[64];
			const char *name = json_string_value(
				json_object_get(json_object_get(e, "annotations"), IMAGE_ANN_NAME));
			struct image_ref ref;
			if (name && ref_parse(name, &ref, NULL) == 0) {
				ref_familiar_repo(&ref, repo, sizeof(repo));
				if (!ref.digest[0])
					snprintf(tag, sizeof(tag), "%s", ref.tag);
			}
			system_human_size(size, sz, sizeof(sz));
			fmt_since(json_string_value(json_object_get(img.config, "created")) ?: "",
				  when, sizeof(when));
			const char *id = img.id + (strncmp(img.id, "sha256:", 7) ? 0 : 7);
			fprintf(out, "%s\t%s\t%.12s\t%s\t%s\t0B\t%s\t%d\n", repo, tag, id, when, sz,
				sz, used ? 1 : 0);
		}
		image_free(&img);
	}
	fclose(out);
	if (verbose) {
		mr_tabwrite(text, len, stdout);
		printf("\n");
	}
	free(text);
	json_decref(seen);
	json_decref(idx);
	store_close(&st);
}

static void containers_usage(struct usage *u, bool verbose)
{
	struct mr_err err = {0};
	char **ids = container_ids(containers_root(), &err);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	fprintf(out, "CONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES\n");
	for (char **id = ids; id && *id; id++) {
		struct container c;
		char diff[4400];
		if (container_open(containers_root(), *id, false, &c, &err) < 0)
			continue;
		enum container_state st = container_status(&c);
		const char *status = container_state_name(st);
		bool live = st == CONTAINER_RUNNING || st == CONTAINER_PAUSED ||
			    st == CONTAINER_RESTARTING;
		uint64_t rw = du(container_path(&c, "diff", diff, sizeof(diff)));
		u->total++;
		u->size += rw;
		if (live)
			u->active++;
		else
			u->reclaimable += rw;
		if (verbose) {
			char sz[32], when[64];
			json_t *r = c.rec;
			size_t vols = 0, k;
			json_t *m;
			json_array_foreach(json_object_get(r, "Mounts"), k, m)
			{
				vols += !strcmp(json_string_value(json_object_get(m, "Type")) ?: "",
						"volume");
			}
			system_human_size(rw, sz, sizeof(sz));
			fmt_since(json_string_value(json_object_get(r, "Created")) ?: "", when,
				  sizeof(when));
			const char *name = json_string_value(json_object_get(r, "Name")) ?: "";
			fprintf(out, "%.12s\t%s\t\"%s\"\t%zu\t%s\t%s\t%s\t%s\n", c.id,
				json_string_value(
					json_object_get(json_object_get(r, "Config"), "Image"))
					?: "",
				json_string_value(json_object_get(r, "Path")) ?: "", vols, sz, when,
				status, name + (*name == '/'));
		}
		container_close(&c);
	}
	fclose(out);
	if (verbose) {
		printf("Containers space usage:\n\n");
		mr_tabwrite(text, len, stdout);
		printf("\n");
	}
	free(text);
	if (ids)
		container_ids_free(ids);
}

static void volumes_usage(struct usage *u, bool verbose)
{
	struct mr_err err = {0};
	json_t *vols = volume_list(volume_root(), &err), *rec;
	size_t i;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	fprintf(out, "VOLUME NAME\tLINKS\tSIZE\n");
	json_array_foreach(vols, i, rec)
	{
		const char *name = json_string_value(json_object_get(rec, "Name"));
		const char *mp = json_string_value(json_object_get(rec, "Mountpoint"));
		json_t *users = name ? volume_users(volume_root(), name, NULL) : NULL;
		size_t links = json_array_size(users);
		json_decref(users);
		uint64_t size = mp ? du(mp) : 0;
		u->total++;
		u->size += size;
		if (links)
			u->active++;
		else
			u->reclaimable += size;
		char sz[32];
		system_human_size(size, sz, sizeof(sz));
		fprintf(out, "%s\t%zu\t%s\n", name ? name : "", links, sz);
	}
	fclose(out);
	if (verbose) {
		printf("Local Volumes space usage:\n\n");
		mr_tabwrite(text, len, stdout);
		printf("\n");
	}
	free(text);
	json_decref(vols);
}

/* one row of -v's build cache table, as docker's (BuildKit's record types: "regular") */
static void cache_row(void *ctx, const char *id, const char *desc, uint64_t size, long long used,
		      bool shared)
{
	char sz[32], when[64], stamp[64];
	struct tm tm;
	time_t t = (time_t)used;
	(void)desc;
	system_human_size(size, sz, sizeof(sz));
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fmt_since(stamp, when, sizeof(when));
	fprintf((FILE *)ctx, "%.12s\tregular\t%s\t%s\t%s\t1\t%s\n", id, sz, when, when,
		shared ? "true" : "false");
}

static void cache_usage(struct usage *u, bool verbose)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct builder_usage b = {.each = verbose ? cache_row : NULL, .ctx = out};
	struct mr_err err = {0};
	fprintf(out, "CACHE ID\tCACHE TYPE\tSIZE\tCREATED\tLAST USED\tUSAGE\tSHARED\n");
	if (builder_cache_usage(&b, &err) == 0) {
		u->total = (long long)b.count;
		u->active = (long long)b.active;
		u->size = b.size;
		u->reclaimable = b.reclaimable;
	}
	if (verbose) {
		char sz[32];
		system_human_size(u->size, sz, sizeof(sz));
		printf("Build cache usage: %s\n\n", sz);
	}
	fclose(out);
	if (verbose)
		mr_tabwrite(text, len, stdout);
	free(text);
}

/* RECLAIMABLE as docker's formatter writes it: "X (N%)" when there is a total */
static void reclaimable(const struct usage *u, bool percent, char *buf, size_t len)
{
	char sz[32];
	system_human_size(u->reclaimable, sz, sizeof(sz));
	if (percent && u->size > 0)
		snprintf(buf, len, "%s (%llu%%)", sz,
			 (unsigned long long)(u->reclaimable * 100 / u->size));
	else
		snprintf(buf, len, "%s", sz);
}

int system_cmd_df(int argc, char **argv)
{
	static const struct option opts[] = {{"verbose", no_argument, NULL, 'v'},
					     {"format", required_argument, NULL, 'f'},
					     {NULL, 0, NULL, 0}};
	static const char help[] =
		"Usage:  minirun system df [OPTIONS]\n\n"
		"Show minirun disk usage\n\n"
		"Options:\n"
		"      --format string   Format output using a custom template:\n"
		"                        'table':            Print output in table format with "
		"column headers (default)\n"
		"                        'table TEMPLATE':   Print output in table format using the "
		"given Go template\n"
		"                        'json':             Print in JSON format\n"
		"                        'TEMPLATE':         Print output using the given Go "
		"template\n"
		"  -v, --verbose         Show detailed information on space usage\n";
	const char *format = NULL;
	bool verbose = false;
	int ch, rc = 0;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, "system df", "v", opts, help, &rc)) != -1)
		switch (ch) {
		case MR_OPT_DONE: return rc;
		case 'v': verbose = true; break;
		case 'f': format = optarg; break;
		}
	if (optind != argc) {
		fprintf(stderr, "minirun: \"system df\" accepts no arguments.\n"
				"See 'minirun system df --help'.\n");
		return MR_EXIT_RUNTIME;
	}
	struct usage u[4] = {{0}};
	images_usage(&u[0], verbose);
	containers_usage(&u[1], verbose);
	volumes_usage(&u[2], verbose);
	cache_usage(&u[3], verbose);
	if (verbose)
		return 0;
	static const char *const types[] = {"Images", "Containers", "Local Volumes", "Build Cache"};
	struct mr_format f;
	struct mr_err err = {0};
	if (mr_format_open(&f, format,
			   "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t"
			   "{{.Reclaimable}}",
			   &err) < 0) {
		mr_format_close(&f);
		fprintf(stderr, "minirun: template parsing error: %s\n", err.msg);
		return 64;
	}
	struct mr_tmpl_opts o = {.missing = MR_TMPL_MISSING_FIELD,
				 .type_name = "*formatter.diskUsageImagesContext"};
	for (int i = 0; i < 4; i++) {
		char size[32], rec[64], total[24], active[24];
		system_human_size(u[i].size, size, sizeof(size));
		reclaimable(&u[i], i < 3, rec, sizeof(rec));
		snprintf(total, sizeof(total), "%lld", u[i].total);
		snprintf(active, sizeof(active), "%lld", u[i].active);
		json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Type", types[i], "TotalCount",
					total, "Active", active, "Size", size, "Reclaimable", rec);
		if (mr_format_row(&f, row, &o, &err) < 0) {
			json_decref(row);
			mr_format_close(&f);
			fprintf(stderr, "minirun: %s\n", err.msg);
			return 1;
		}
		json_decref(row);
	}
	json_t *hdr = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Type", "TYPE", "TotalCount", "TOTAL",
				"Active", "ACTIVE", "Size", "SIZE", "Reclaimable", "RECLAIMABLE");
	mr_format_print(&f, hdr, stdout);
	json_decref(hdr);
	mr_format_close(&f);
	return 0;
}
