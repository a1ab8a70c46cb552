/*
 * minirun/image/commands.c - the command table, and `images`, `tag`, `image SUBCOMMAND`.
 *
 *   minirun images [-a] [-q] [--digests] [-f FILTER] [--no-trunc] [--format json|TEMPLATE]
 *                  [REPO[:TAG]]
 *   minirun tag SOURCE TARGET
 *   minirun image ls|inspect|history|rm|prune|tag|pull|push|import|load|save ...
 *
 * `images` prints docker's table (REPOSITORY TAG IMAGE ID CREATED SIZE), newest first,
 * one row per name, "<none>" for what has no name; --format json prints one JSON object a
 * line with docker's field names.
 *
 * See: docker-images(1), docker-tag(1); image.h for the store these read
 */
#include "lib/cli.h"
#include "minirun/image/image.h"
#include "minirun/image/images_filter.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/template.h"

const struct mr_command image_commands[] = {
	{"images", cmd_images, "List images"},
	{"import", cmd_import, "Import the contents from a tarball to create a filesystem image"},
	{"load", cmd_load, "Load an image from a tar archive (docker-archive or oci-archive)"},
	{"save", cmd_save, "Save one or more images to a tar archive"},
	{"tag", cmd_tag, "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"},
	{"rmi", cmd_rmi, "Remove one or more images"},
	{"history", cmd_history, "Show the history of an image"},
	{"image", cmd_image, "Manage images (ls, inspect, history, rm, prune, tag, pull, ...)"},
	{"pull", cmd_pull, "Download an image from a registry"},
	{"push", cmd_push, "Upload an image to a registry"},
	{"login", cmd_login, "Log in to a registry"},
	{"logout", cmd_logout, "Log out from a registry"},
	{"search", cmd_search, "Search Docker Hub for images (refused: there is no index service)"},
	{NULL, NULL, NULL},
};

/* open the store at image_root(), printing the error; 0 or 1 (the exit status) */
int image_open_store(struct store *st)
{
	struct mr_err err = {0};
	if (store_open(st, image_root(), &err) < 0)
		return image_error(&err);
	return 0;
}

/* the size docker shows: unpacked bytes of each layer where known, else the blob's size */
uint64_t image_size(const struct store *st, const struct image *img)
{
	uint64_t total = 0;
	size_t i;
	json_t *l;
	json_t *diffs = json_object_get(json_object_get(img->config, "rootfs"), "diff_ids");
	json_array_foreach(json_object_get(img->manifest, "layers"), i, l)
	{
		char path[4400];
		_cleanup_free_ char *text = NULL;
		long long n;
		const char *d = json_string_value(json_array_get(diffs, i));
		if (d && !digest_valid(d)) /* "x" has no "+ 7"; "sha256:../.." climbs out */
			d = NULL;
		snprintf(path, sizeof(path), "%s/layers/sizes/%s", st->root, d ? d + 7 : "-");
		if (d && mr_read_file(path, &text, NULL, NULL) == 0 &&
		    mr_parse_ll(strtok(text, "\n"), 0, 1LL << 60, &n) == 0)
			total += n;
		else
			total += json_integer_value(json_object_get(l, "size"));
	}
	return total;
}

/*
 * search - refused, in one line. `docker search` asks Docker Hub's index service
 * (index.docker.io/v1/search), which is not part of the registry API (/v2/) that pull
 * and push speak: a private registry has no such thing, and minirun sends nothing to an
 * address the user did not name. What the user can do instead is said.
 */
int cmd_search(int argc, char **argv)
{
	static const struct option opts[] = {
		{"filter", required_argument, NULL, 'f'}, {"format", required_argument, NULL, 'F'},
		{"limit", required_argument, NULL, 'l'},  {"no-trunc", no_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	int c;
	optind = 0;
	opterr = 0; /* mr_flag_error says it */
	while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage:  minirun search [OPTIONS] TERM\n\n"
			       "Search Docker Hub for images: refused, as minirun does not use Docker "
			       "Hub's index service (docker's flags -f, --format, --limit, --no-trunc "
			       "are read, then refused with it)\n");
			return 0;
		}
		if (c == '?' || c == ':')
			return mr_flag_error(c, argv[0], argv);
	}
	if (argc - optind != 1)
		return mr_operand_error(argv[0], "\"search\" requires exactly 1 argument.");
	fprintf(stderr,
		"minirun: search needs Docker Hub's index service (index.docker.io/v1/search), "
		"which minirun does not use: search on https://hub.docker.com, or list a "
		"registry's repositories with 'curl https://REGISTRY/v2/_catalog'\n");
	return 1;
}

/* ---- images --------------------------------------------------------------------------- */

struct row {
	char repo[600], tag[200], digest[IMAGE_DIGEST_LEN + 1], id[IMAGE_DIGEST_LEN + 1];
	char created[64];
	long long when;
	uint64_t size;
};

static int by_created_desc(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->when != y->when)
		return x->when < y->when ? 1 : -1;
	int c = strcmp(x->repo, y->repo);
	return c ? c : strcmp(x->tag, y->tag);
}

static void images_usage(void)
{
	printf("Usage:  minirun images [OPTIONS] [REPOSITORY[:TAG]]\n\n"
	       "List images\n\n"
	       "Options:\n"
	       "  -a, --all             Show all images (there are no intermediate ones here)\n"
	       "      --digests         Show digests\n"
	       "  -f, --filter filter   Filter output based on conditions provided: dangling=true|false,\n"
	       "                        reference=PATTERN, label=KEY[=VALUE], before=IMAGE, since=IMAGE\n"
	       "      --format string   'table', 'json', or a template: '{{.Repository}}:{{.Tag}}'\n"
	       "      --no-trunc        Don't truncate output\n"
	       "  -q, --quiet           Only show image IDs\n");
}

int cmd_images(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},          {"digests", no_argument, NULL, 'D'},
		{"filter", required_argument, NULL, 'f'}, {"format", required_argument, NULL, 'F'},
		{"no-trunc", no_argument, NULL, 'T'},     {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	int digests = 0, notrunc = 0, quiet = 0, c;
	const char *format = NULL;
	struct images_filter flt = {.dangling = -1};
	char why[600];
	optind = 0;
	while ((c = getopt_long(argc, argv, ":af:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': break;
		case 'f':
			switch (images_filter_add(&flt, optarg, why, sizeof(why))) {
			case -2: /* docker's CLI refuses it: a usage error */
				fprintf(stderr, "minirun: %s\nSee 'minirun images --help'.\n", why);
				return 125;
			case -1: return image_errorf("%s", why); /* its daemon does: 1 */
			}
			break;
		case 'D': digests = 1; break;
		case 'F': format = optarg; break;
		case 'T': notrunc = 1; break;
		case 'q': quiet = 1; break;
		case 'h': images_usage(); return 0;
		default: return mr_flag_error(c, argv[0], argv);
		}
	}
	if (argc - optind > 1)
		return mr_operand_error(argv[0], "\"images\" requires at most 1 argument.");
	struct image_ref filter;
	const char *want = optind < argc ? argv[optind] : NULL;
	int filter_tag = want && strchr(strrchr(want, '/') ? strrchr(want, '/') : want, ':');
	struct mr_err err = {0};
	if (want && ref_parse(want, &filter, &err) < 0)
		return image_error(&err);

	struct store st;
	if (image_open_store(&st))
		return 1;
	json_t *idx =
		images_filter_resolve(&st, &flt, &err) < 0 ? NULL : store_index_load(&st, &err);
	if (!idx) {
		store_close(&st);
		return image_error(&err);
	}
	json_t *ms = json_object_get(idx, "manifests");
	size_t i, n = 0;
	json_t *e;
	struct row *rows = calloc(json_array_size(ms) + 1, sizeof(*rows));
	json_array_foreach(ms, i, e)
	{
		struct image img;
		struct row *r = &rows[n];
		json_t *ann = json_object_get(e, "annotations");
		const char *name = json_string_value(json_object_get(ann, IMAGE_ANN_NAME));
		const char *rd = json_string_value(json_object_get(ann, IMAGE_ANN_REPODIGEST));
		struct image_ref ref;
		if (image_load(&st, json_string_value(json_object_get(e, "digest")), &img, &err) <
		    0) {
			fprintf(stderr, "minirun: warning: %s\n", err.msg);
			continue;
		}
		strcpy(r->repo, "<none>");
		strcpy(r->tag, "<none>");
		strcpy(r->digest, rd ? rd : "<none>");
		if (name && ref_parse(name, &ref, NULL) == 0) {
			ref_familiar_repo(&ref, r->repo, sizeof(r->repo));
			if (ref.digest[0])
				strcpy(r->digest, ref.digest);
			else
				snprintf(r->tag, sizeof(r->tag), "%s", ref.tag);
			if (want &&
			    (strcmp(ref.domain, filter.domain) || strcmp(ref.path, filter.path) ||
			     (filter_tag && strcmp(ref.tag, filter.tag)))) {
				image_free(&img);
				continue;
			}
		} else if (want) {
			image_free(&img);
			continue;
		}
		strcpy(r->id, img.id);
		const char *created = json_string_value(json_object_get(img.config, "created"));
		snprintf(r->created, sizeof(r->created), "%s", created ? created : "");
		r->when = parse_rfc3339(created);
		char familiar[900];
		snprintf(familiar, sizeof(familiar), "%s%s%s", r->repo,
			 r->tag[0] == '<' ? "@" : ":", r->tag[0] == '<' ? r->digest : r->tag);
		if (!images_filter_match(&flt, strcmp(r->repo, "<none>") ? familiar : NULL,
					 img.config, r->when)) {
			image_free(&img);
			continue;
		}
		r->size = image_size(&st, &img);
		image_free(&img);
		n++;
	}
	qsort(rows, n, sizeof(*rows), by_created_desc);

	int table = !format || !*format || !strcmp(format, "table");
	json_t *images_header = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "Containers", "CONTAINERS",
		"CreatedAt", "CREATED AT", "CreatedSince", "CREATED", "Digest", "DIGEST", "ID",
		"IMAGE ID", "Repository", "REPOSITORY", "SharedSize", "SHARED SIZE", "Size", "SIZE",
		"Tag", "TAG", "UniqueSize", "UNIQUE SIZE", "VirtualSize", "VIRTUAL SIZE");
	/* a --format: docker's template engine, its rows checked before anything prints */
	struct mr_format f = {0};
	struct mr_tmpl_opts o = {.missing = MR_TMPL_MISSING_FIELD,
				 .type_name = "*formatter.imageContext"};
	int rc = 0;
	if (!table && !quiet && mr_format_open(&f, format, NULL, &err) < 0)
		rc = 1, n = 0;
	struct table tb;
	table_init(&tb, digests ? 6 : 5);
	if (table && !quiet) {
		if (digests)
			table_add(&tb, "REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED",
				  "SIZE");
		else
			table_add(&tb, "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
	}
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];
		char id[80], since[64], size[32], at[64] = "";
		snprintf(id, sizeof(id), "%s", notrunc ? r->id : r->id + 7);
		if (!notrunc)
			id[12] = 0;
		if (quiet) {
			/* -q: each image once */
			int seen = 0;
			for (size_t j = 0; j < i; j++)
				seen |= !strcmp(rows[j].id, r->id);
			if (!seen)
				printf("%s\n", id);
			continue;
		}
		fmt_since(r->created, since, sizeof(since));
		fmt_size(r->size, size, sizeof(size));
		if (table && digests)
			table_add(&tb, r->repo, r->tag, r->digest, id, since, size);
		else if (table)
			table_add(&tb, r->repo, r->tag, id, since, size);
		if (table)
			continue;
		if (r->when >= 0) {
			time_t t = r->when;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
		}
		json_t *row = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
					"Containers", "N/A", "CreatedAt", at, "CreatedSince", since,
					"Digest", r->digest, "ID", id, "Repository", r->repo,
					"SharedSize", "N/A", "Size", size, "Tag", r->tag,
					"UniqueSize", "N/A", "VirtualSize", size);
		if (mr_format_row(&f, row, &o, &err) < 0)
			rc = 1, n = 0;
		json_decref(row);
	}
	if (table && !quiet)
		table_print(&tb);
	if (rc)
		fprintf(stderr, "template parsing error: %s\n", err.msg);
	else if (!table && !quiet)
		mr_format_print(&f, images_header, stdout);
	mr_format_close(&f);
	json_decref(images_header);
	free(rows);
	json_decref(idx);
	store_close(&st);
	return rc;
}

/* ---- tag -------------------------------------------------------------------------------- */

int cmd_tag(int argc, char **argv)
{
	struct mr_err err = {0};
	struct image_ref ref;
	struct image img;
	struct store st;
	char canon[600];
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage:  minirun tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\n"
		       "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) /* no flag of its own */
		if (argv[i][0] == '-')
			return image_usage_error("tag", "unknown flag: %s", argv[i]);
	if (argc != 3)
		return mr_operand_error(argv[0], "\"tag\" requires exactly 2 arguments.");
	if (ref_parse(argv[2], &ref, &err) < 0) { /* docker's CLI's words */
		mr_prefix(&err, "Error parsing reference: \"%s\" is not a valid repository/tag: ",
			  argv[2]);
		return image_error(&err);
	}
	if (ref.digest[0])
		return image_errorf("refusing to create a tag with a digest reference: '%s'",
				    argv[2]);
	ref_canonical(&ref, canon, sizeof(canon));
	if (image_open_store(&st))
		return 1;
	int rc = 0;
	if (image_resolve_tagged(&st, argv[1], &img, &err) < 0 ||
	    image_add(&st, canon, img.manifest_digest, NULL, NULL, &err) < 0)
		rc = image_error(&err);
	if (img.manifest)
		image_free(&img);
	store_close(&st);
	return rc;
}

/* ---- image SUBCOMMAND ------------------------------------------------------------------- */

int cmd_image(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = {
		{"ls", cmd_images},       {"list", cmd_images}, {"inspect", image_inspect},
		{"history", cmd_history}, {"rm", cmd_rmi},      {"remove", cmd_rmi},
		{"prune", image_prune},   {"tag", cmd_tag},     {"pull", cmd_pull},
		{"import", cmd_import},   {"load", cmd_load},   {"save", cmd_save},
		{"push", cmd_push},
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("Usage:  minirun image COMMAND\n\nManage images\n\nCommands:\n");
		for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
			printf("  %s\n", subs[i].name);
		return 0; /* as docker: the group alone prints its usage, status 0 */
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1);
	image_usage_error("image", "unknown command \"%s\" for \"minirun image\"", argv[1]);
	return 1; /* docker's status for an unknown command */
}
