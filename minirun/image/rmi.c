/*
 * minirun/image/rmi.c - removing images: `rmi` (untag, then delete the last name) and
 * `image prune` (dangling images, or with -a every image no container uses).
 *
 *   minirun rmi [-f] IMAGE...
 *   minirun image prune [-a] [-f]
 *
 * As docker: removing one of several names of an image only untags it ("Untagged: ...");
 * removing its last name (or the image by ID) deletes it ("Deleted: sha256:..."), unless a
 * container uses it: then refused, or with -f untagged and kept (a <none> image the
 * container still runs from, removed by a later prune once the container is gone).
 * Blobs and unpacked layers no image needs any more are freed by store_gc (gc.c).
 *
 * See: docker-rmi(1), docker-image-prune(1)
 */
#include "lib/prune_filter.h"
#include "lib/cli.h"
#include "minirun/image/image.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *ann_name(json_t *e)
{
	return json_string_value(
		json_object_get(json_object_get(e, "annotations"), IMAGE_ANN_NAME));
}

/* the image ID an index entry leads to ("" when its manifest can't be read) */
static void entry_id(const struct store *st, json_t *e, char id[IMAGE_DIGEST_LEN + 1])
{
	struct image img;
	id[0] = 0;
	if (image_load(st, json_string_value(json_object_get(e, "digest")), &img, NULL) == 0) {
		strcpy(id, img.id);
		image_free(&img);
	}
}

static void print_untagged(const struct store *st, const char *id, const char *name)
{
	char fam[700];
	ref_familiar_name(name, fam, sizeof(fam));
	printf("Untagged: %s\n", fam);
	image_event(st, "untag", id, NULL, NULL); /* docker names the ID, not the name */
}

/* remove ARG from the index as docker's rmi does; *deleted set when blobs may be freed */
static int rmi_one(const struct store *st, const char *arg, int force, int *deleted,
		   struct mr_err *err)
{
	struct image img;
	struct image_ref ref;
	char canon[600] = "", who[128];
	size_t i, nnames = 0;
	json_t *e;
	int rc = -1, by_name = 0;

	if (image_resolve(st, arg, &img, err) < 0)
		return -1;
	char want[IMAGE_DIGEST_LEN + 1];
	strcpy(want, img.id);
	image_free(&img);
	if (ref_parse(arg, &ref, NULL) == 0)
		ref_canonical(&ref, canon, sizeof(canon));

	if (store_lock(st, STORE_INDEX, err) < 0)
		return -1;
	json_t *idx = store_index_load(st, err);
	if (!idx)
		goto out;
	json_t *ms = json_object_get(idx, "manifests");
	/* mark this image's entries: the names it has, and whether ARG is one of them */
	char(*ids)[IMAGE_DIGEST_LEN + 1] = calloc(json_array_size(ms) + 1, sizeof(*ids));
	json_array_foreach(ms, i, e)
	{
		entry_id(st, e, ids[i]);
		if (strcmp(ids[i], want) != 0)
			continue;
		if (ann_name(e)) {
			nnames++;
			by_name |= !strcmp(ann_name(e), canon);
		}
	}
	if (by_name && nnames > 1) {
		/* one of several names: untag only */
		json_array_foreach(ms, i, e)
		{
			if (!strcmp(ids[i], want) && ann_name(e) && !strcmp(ann_name(e), canon)) {
				print_untagged(st, want, ann_name(e));
				json_array_remove(ms, i);
				break;
			}
		}
		rc = store_index_save(st, idx, err);
		free(ids);
		goto out;
	}
	if (!by_name && nnames > 1 && !force) {
		mr_fail(err, 0,
			"conflict: unable to delete %.12s (must be forced) - image is referenced in "
			"multiple repositories",
			want + 7);
		free(ids);
		goto out;
	}
	int used = image_in_use(st, want, who, sizeof(who));
	if (used && !force) {
		if (by_name)
			mr_fail(err, 0,
				"conflict: unable to remove repository reference \"%s\" (must force) - "
				"container %s is using its referenced image %.12s",
				arg, who, want + 7);
		else
			mr_fail(err, 0,
				"conflict: unable to delete %.12s (must be forced) - image is being "
				"used by container %s",
				want + 7, who);
		free(ids);
		goto out;
	}
	/* delete (or, in use and forced, strip the names and keep one unnamed entry) */
	int kept = 0;
	for (i = json_array_size(ms); i-- > 0;) {
		e = json_array_get(ms, i);
		if (strcmp(ids[i], want) != 0)
			continue;
		if (ann_name(e))
			print_untagged(st, want, ann_name(e));
		if (used && !kept) {
			json_object_del(e, "annotations");
			kept = 1;
		} else {
			json_array_remove(ms, i);
		}
	}
	free(ids);
	if (!used) {
		printf("Deleted: %s\n", want);
		image_event(st, "delete", want, NULL, NULL);
		*deleted = 1;
	}
	rc = store_index_save(st, idx, err);
out:
	json_decref(idx);
	store_unlock(st, STORE_INDEX);
	return rc;
}

int cmd_rmi(int argc, char **argv)
{
	static const struct option opts[] = {
		{"force", no_argument, NULL, 'f'},
		{"no-prune", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int force = 0, c, rc = 0, deleted = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force = 1; break;
		case 'n': break;
		case 'h':
			printf("Usage:  minirun rmi [OPTIONS] IMAGE [IMAGE...]\n\n"
			       "Remove one or more images\n\n"
			       "Options:\n"
			       "  -f, --force      Force removal of the image (untag it if a container "
			       "uses it)\n"
			       "      --no-prune   Accepted for docker's sake\n");
			return 0;
		default: return mr_flag_error(c, argv[0], argv);
		}
	}
	if (optind >= argc)
		return mr_operand_error(argv[0], "\"rmi\" requires at least 1 argument.");
	struct store st;
	if (image_open_store(&st))
		return 1;
	for (int i = optind; i < argc; i++) {
		struct mr_err err = {0};
		if (rmi_one(&st, argv[i], force, &deleted, &err) < 0)
			rc = image_error(&err);
	}
	if (deleted) {
		struct mr_err err = {0};
		if (store_gc(&st, NULL, &err) < 0)
			rc = image_error(&err);
	}
	store_close(&st);
	return rc;
}

/* does the image of index entry E pass the prune filter F (its config's created, Labels)? */
static bool prune_filter_pass(const struct store *st, json_t *e, const struct mr_prune_filter *f)
{
	struct image img;
	if (image_load(st, json_string_value(json_object_get(e, "digest")), &img, NULL) < 0)
		return false; /* unreadable: left alone */
	const char *created = json_string_value(json_object_get(img.config, "created"));
	json_t *labels = json_object_get(json_object_get(img.config, "config"), "Labels");
	bool pass = mr_prune_filter_match(f, created ? mr_prune_rfc3339(created) : -1, labels);
	image_free(&img);
	return pass;
}

int image_prune(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},
		{"force", no_argument, NULL, 'f'},
		{"filter", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mr_prune_filter filter = {0};
	bool filtered = false;
	int all = 0, force = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":afh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'f': force = 1; break;
		case 'F':
			if ((c = mr_prune_filter_flag(&filter, optarg, "image prune")) != 0)
				return c;
			filtered = true;
			break;
		case 'h':
			printf("Usage:  minirun image prune [OPTIONS]\n\n"
			       "Remove unused images, blobs and unpacked layers\n\n"
			       "Options:\n"
			       "  -a, --all             Remove all images no container uses, not just "
			       "dangling ones\n"
			       "      --filter filter   until=<timestamp|duration>, label=K[=V], "
			       "label!=K[=V]\n"
			       "  -f, --force           Do not prompt for confirmation\n");
			return 0;
		default: return mr_flag_error(c, "image prune", argv);
		}
	}
	if (!force && !mr_confirm("WARNING! This will remove all %s images.\n",
				  all ? "images without at least one container associated to them"
				      : "dangling"))
		return 0;
	struct store st;
	struct mr_err err = {0};
	if (image_open_store(&st))
		return 1;
	if (store_lock(&st, STORE_INDEX, &err) < 0) {
		store_close(&st);
		return image_error(&err);
	}
	json_t *idx = store_index_load(&st, &err);
	if (!idx) {
		store_unlock(&st, STORE_INDEX);
		store_close(&st);
		return image_error(&err);
	}
	json_t *ms = json_object_get(idx, "manifests");
	int header = 0;
	for (size_t i = json_array_size(ms); i-- > 0;) {
		json_t *e = json_array_get(ms, i);
		char id[IMAGE_DIGEST_LEN + 1];
		if (ann_name(e) && !all)
			continue;
		entry_id(&st, e, id);
		if (id[0] && image_in_use(&st, id, NULL, 0))
			continue;
		if (filtered && !prune_filter_pass(&st, e, &filter))
			continue;
		if (!header++)
			printf("Deleted Images:\n");
		if (ann_name(e)) {
			char fam[700];
			ref_familiar_name(ann_name(e), fam, sizeof(fam));
			printf("untagged: %s\n", fam);
		}
		printf("deleted: %s\n",
		       id[0] ? id : json_string_value(json_object_get(e, "digest")));
		json_array_remove(ms, i);
	}
	int rc = header ? store_index_save(&st, idx, &err) : 0;
	json_decref(idx);
	store_unlock(&st, STORE_INDEX);
	uint64_t freed = 0;
	if (rc == 0)
		rc = store_gc(&st, &freed, &err);
	store_close(&st);
	if (rc < 0)
		return image_error(&err);
	char size[32];
	fmt_size(freed, size, sizeof(size));
	printf("%sTotal reclaimed space: %s\n", header ? "\n" : "", size);
	return 0;
}
