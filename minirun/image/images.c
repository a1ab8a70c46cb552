/*
 * minirun/image/images.c - images in the store: find one by name or ID, name one, unpack
 * its layers once per diffID, tell whether a container uses it, and collect garbage.
 *
 * An image is an entry of index.json pointing at a manifest; the manifest names a config
 * (whose digest is the image ID) and the layer blobs; the config lists each layer's diffID
 * (rootfs.diff_ids), the sha256 of the uncompressed tar. Layers are unpacked by diffID, so
 * the same layer, gzip'd by one registry and stored plain by `import`, is unpacked once.
 *
 * See: image-spec manifest.md, config.md; unionfs/layer.h (the unpacking itself)
 */
#include "minirun/image/image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/rootless/rootless.h"
#include "unionfs/layer.h"

int (*image_in_use_hook)(const struct store *st, const char *id, char *who, size_t wholen);

void image_free(struct image *img)
{
	json_decref(img->manifest);
	json_decref(img->config);
	img->manifest = img->config = NULL;
}

/* parse a blob we already verified as JSON; name it in the error */
static json_t *blob_json(const struct store *st, const char *digest, const char *what,
			 struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	json_error_t je;
	if (store_read_blob(st, digest, &text, &len, err) < 0)
		return NULL;
	json_t *j = json_loadb(text, len, 0, &je);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		mr_fail(err, 0, "%s %s: %d:%d: %s", what, digest, je.line, je.column,
			j ? "not an object" : je.text);
		return NULL;
	}
	return j;
}

int image_load(const struct store *st, const char *manifest_digest, struct image *img,
	       struct mr_err *err)
{
	memset(img, 0, sizeof(*img));
	if (!(img->manifest = blob_json(st, manifest_digest, "manifest", err)))
		return -1;
	const char *cfg = json_string_value(
		json_object_get(json_object_get(img->manifest, "config"), "digest"));
	if (!cfg || !digest_valid(cfg) ||
	    !json_is_array(json_object_get(img->manifest, "layers"))) {
		image_free(img);
		return mr_fail(err, 0, "manifest %s: no config digest or layers", manifest_digest);
	}
	if (!(img->config = blob_json(st, cfg, "config", err))) {
		image_free(img);
		return -1;
	}
	json_t *diffs = json_object_get(json_object_get(img->config, "rootfs"), "diff_ids");
	if (json_array_size(diffs) != json_array_size(json_object_get(img->manifest, "layers"))) {
		/* the message first: cfg and diffs point into the documents image_free frees */
		mr_fail(err, 0, "image %s: the config lists %zu diff_ids for %zu layers", cfg,
			json_array_size(diffs),
			json_array_size(json_object_get(img->manifest, "layers")));
		image_free(img);
		return -1;
	}
	strcpy(img->manifest_digest, manifest_digest);
	strcpy(img->id, cfg);
	return 0;
}

static const char *entry_name(json_t *e)
{
	return json_string_value(
		json_object_get(json_object_get(e, "annotations"), IMAGE_ANN_NAME));
}

/* "" when the entry has none: index.json is read as it is, and callers compare and load */
static const char *entry_digest(json_t *e)
{
	const char *d = json_string_value(json_object_get(e, "digest"));
	return d ? d : "";
}

/* is S a short or full image ID ("3f57d9401f8d", "sha256:3f57...")? */
static int looks_like_id(const char *s)
{
	if (!strncmp(s, "sha256:", 7))
		s += 7;
	size_t n = strspn(s, "0123456789abcdef");
	return n >= 1 && n <= 64 && !s[n];
}

/* "No such image: NAME", with errnum ENOENT but without strerror's text (docker's words) */
static int no_such_image(const char *name, struct mr_err *err)
{
	mr_failk(err, MR_E_NOT_FOUND, 0, "No such image: %s", name);
	if (err)
		err->errnum = ENOENT;
	errno = ENOENT;
	return -1;
}

/* no_such_image with ":latest" after NAME */
static void no_such_image_tagged(const char *name, struct mr_err *err)
{
	char tagged[600];
	snprintf(tagged, sizeof(tagged), "%s:latest", name);
	no_such_image(tagged, err);
}

int image_resolve(const struct store *st, const char *name, struct image *img, struct mr_err *err)
{
	struct image_ref ref;
	char canon[600];
	size_t i;
	json_t *e;
	const char *found = NULL;

	json_t *idx = store_index_load(st, err);
	if (!idx)
		return -1;
	json_t *ms = json_object_get(idx, "manifests");

	/* 1. as a reference: by its name, or name@digest by the manifest or repo digest */
	if (ref_parse(name, &ref, NULL) == 0) {
		ref_canonical(&ref, canon, sizeof(canon));
		json_array_foreach(ms, i, e)
		{
			const char *n = entry_name(e), *rd = json_string_value(json_object_get(
							       json_object_get(e, "annotations"),
							       IMAGE_ANN_REPODIGEST));
			if (n && !strcmp(n, canon)) {
				found = entry_digest(e);
				break;
			}
			if (ref.digest[0] && (!strcmp(entry_digest(e), ref.digest) ||
					      (rd && !strcmp(rd, ref.digest)))) {
				found = entry_digest(e);
				break;
			}
		}
	}
	if (found) {
		char d[IMAGE_DIGEST_LEN + 1];
		snprintf(d, sizeof(d), "%s", found);
		json_decref(idx);
		return image_load(st, d, img, err);
	}

	/* 2. as an image ID or a unique prefix of one (the config digest) */
	if (looks_like_id(name)) {
		const char *want = strncmp(name, "sha256:", 7) ? name : name + 7;
		int hits = 0;
		struct image cand = {0};
		json_array_foreach(ms, i, e)
		{
			struct image im;
			if (image_load(st, entry_digest(e), &im, NULL) < 0)
				continue;
			if (!strncmp(im.id + 7, want, strlen(want)) &&
			    !(hits && !strcmp(cand.id, im.id))) {
				if (hits++)
					image_free(&cand);
				cand = im;
			} else {
				image_free(&im);
			}
		}
		json_decref(idx);
		if (hits == 1) {
			*img = cand;
			return 0;
		}
		image_free(&cand);
		if (hits > 1)
			return mr_fail(err, 0,
				       "image ID prefix '%s' is ambiguous: give more digits", name);
	} else {
		json_decref(idx);
	}
	return no_such_image(name, err);
}

int image_resolve_tagged(const struct store *st, const char *name, struct image *img,
			 struct mr_err *err)
{
	if (image_resolve(st, name, img, err) == 0)
		return 0;
	const char *last = strrchr(name, '/');
	if (err && err->kind == MR_E_NOT_FOUND && !looks_like_id(name) && !strchr(name, '@') &&
	    !strchr(last ? last : name, ':'))
		no_such_image_tagged(name, err);
	return -1;
}

/* a new index.json entry for a manifest already in the store */
static json_t *new_entry(const struct store *st, const char *name, const char *digest,
			 const char *repo_digest)
{
	char path[4400];
	struct stat sb;
	_cleanup_free_ char *text = NULL;
	const char *mt = "application/vnd.oci.image.manifest.v1+json";
	json_t *m = NULL;

	store_blob_path(st, digest, path, sizeof(path));
	if (stat(path, &sb) < 0)
		sb.st_size = 0;
	if (mr_read_file(path, &text, NULL, NULL) == 0 && (m = json_loads(text, 0, NULL)) &&
	    json_string_value(json_object_get(m, "mediaType")))
		mt = json_string_value(json_object_get(m, "mediaType"));
	json_t *ann = json_object();
	if (name)
		json_object_set_new(ann, IMAGE_ANN_NAME, json_string(name));
	if (repo_digest)
		json_object_set_new(ann, IMAGE_ANN_REPODIGEST, json_string(repo_digest));
	json_t *e = json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", digest, "size",
			      (json_int_t)sb.st_size);
	if (json_object_size(ann))
		json_object_set_new(e, "annotations", ann);
	else
		json_decref(ann);
	json_decref(m);
	return e;
}

/* do manifests A and B name the same config (the same image ID)? */
static int same_image(const struct store *st, const char *a, const char *b)
{
	struct image x, y;
	int same = 0;
	if (image_load(st, a, &x, NULL) < 0)
		return 0;
	if (image_load(st, b, &y, NULL) == 0) {
		same = !strcmp(x.id, y.id);
		image_free(&y);
	}
	image_free(&x);
	return same;
}

int image_add(const struct store *st, const char *name, const char *manifest_digest,
	      const char *repo_digest, char moved_from[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	size_t i;
	json_t *e;
	int rc = -1, named_elsewhere = 0;
	const struct store *lk = st;

	if (moved_from)
		moved_from[0] = 0;
	if (store_lock(lk, STORE_INDEX, err) < 0)
		return -1;
	json_t *idx = store_index_load(st, err);
	if (!idx)
		goto out;
	json_t *ms = json_object_get(idx, "manifests");

	/* the name moves: its old image keeps an unnamed entry only if nothing else names it */
	char old[IMAGE_DIGEST_LEN + 1] = "";
	json_array_foreach(ms, i, e)
	{
		const char *n = entry_name(e);
		if (name && n && !strcmp(n, name)) {
			if (!strcmp(entry_digest(e), manifest_digest)) {
				/* already so: refresh the repo digest, nothing else changes */
				if (repo_digest)
					json_object_set_new(json_object_get(e, "annotations"),
							    IMAGE_ANN_REPODIGEST,
							    json_string(repo_digest));
				rc = store_index_save(st, idx, err);
				goto out;
			}
			snprintf(old, sizeof(old), "%s", entry_digest(e));
			json_array_remove(ms, i);
			break;
		}
	}
	/* drop unnamed entries of this manifest (it is getting a name), and note whether the old
	 * image is still named by someone */
	int old_named = 0;
	for (i = json_array_size(ms); i-- > 0;) {
		e = json_array_get(ms, i);
		if (!strcmp(entry_digest(e), manifest_digest)) {
			if (!entry_name(e) && name)
				json_array_remove(ms, i);
			else
				named_elsewhere = 1;
		} else if (old[0] && !strcmp(entry_digest(e), old)) {
			old_named = 1;
		}
	}
	if (old[0] && !old_named && same_image(st, old, manifest_digest))
		old[0] =
			0; /* the same image by another manifest (say, re-loaded): no <none> left */
	if (old[0] && !old_named) {
		json_array_append_new(ms, new_entry(st, NULL, old, NULL));
		if (moved_from)
			strcpy(moved_from, old);
	}
	if (name || !named_elsewhere)
		json_array_append_new(ms, new_entry(st, name, manifest_digest, repo_digest));
	rc = store_index_save(st, idx, err);
out:
	json_decref(idx);
	store_unlock(lk, STORE_INDEX);
	return rc;
}

void store_layer_path(const struct store *st, const char *diffid, char *buf, size_t len)
{
	snprintf(buf, len, "%s/layers/sha256/%s", st->root, diffid + 7);
}

int image_unpack_layer(const struct store *st, const struct image *img, size_t i,
		       struct mr_err *err)
{
	json_t *l = json_array_get(json_object_get(img->manifest, "layers"), i);
	json_t *diffs = json_object_get(json_object_get(img->config, "rootfs"), "diff_ids");
	const char *digest = json_string_value(json_object_get(l, "digest"));
	const char *diffid = json_string_value(json_array_get(diffs, i));
	char dir[4400], blob[4400], size[4400], num[32];
	struct layer_digests ld;
	/* rootless: the overlay is mounted with userxattr (minirun/rootless/overlay.c) */
	struct layer_apply_opts o = {.mode = LAYER_OVERLAY, .user_xattrs = rootless_active()};
	struct layer_stats ls = {0};

	if (!digest || !digest_valid(digest) || !diffid || !digest_valid(diffid))
		return mr_fail(err, 0, "image %s: layer %zu has a bad digest or diffID", img->id,
			       i);
	store_layer_path(st, diffid, dir, sizeof(dir));
	if (access(dir, F_OK) == 0)
		return 0; /* unpacked once, shared by every image that has it */
	/* the blob is checked against its name and the tar inside against the config's
	 * diffID: the config, and so the image ID, vouches for the files we unpack */
	store_blob_path(st, digest, blob, sizeof(blob));
	if (layer_digest(blob, &ld, err) < 0)
		return -1;
	if (strcmp(ld.digest, digest) != 0)
		return mr_fail(err, 0, "layer blob %s is corrupt: its content hashes to %s", digest,
			       ld.digest);
	if (strcmp(ld.diffid, diffid) != 0)
		return mr_fail(
			err, 0,
			"layer %s: the uncompressed tar hashes to %s, the image config says %s",
			digest, ld.diffid, diffid);
	mr_say("unpack layer %.19s (%s) into %s", digest, ld.compression, dir);
	if (layer_apply(blob, dir, &o, &ls, err) < 0)
		/* another command may have unpacked the same layer meanwhile */
		return access(dir, F_OK) == 0 ? 0 : -1;
	/* the unpacked size, for `images` (kept beside, not inside: this is a lowerdir) */
	snprintf(size, sizeof(size), "%s/layers/sizes/%s", st->root, diffid + 7);
	snprintf(num, sizeof(num), "%llu\n", ls.bytes);
	if (mr_write_file_atomic(size, num, strlen(num), 0644, err) < 0)
		return -1;
	return 1;
}

int image_unpack(const struct store *st, const struct image *img, struct mr_err *err)
{
	size_t n = json_array_size(json_object_get(img->manifest, "layers"));
	for (size_t i = 0; i < n; i++)
		if (image_unpack_layer(st, img, i, err) < 0)
			return -1;
	return 0;
}

int image_layer_dirs(const struct store *st, const struct image *img, char ***dirs,
		     struct mr_err *err)
{
	/* shared gc lock: a prune can't delete these layers while we unpack or hand them out */
	if (store_lock(st, STORE_ADDING, err) < 0)
		return -1;
	int rc = image_unpack(st, img, err);
	store_unlock(st, STORE_ADDING);
	if (rc < 0)
		return -1;
	json_t *diffs = json_object_get(json_object_get(img->config, "rootfs"), "diff_ids");
	size_t n = json_array_size(diffs);
	char **v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; v && i < n; i++) {
		char p[4400];
		/* overlay's lowerdir lists the top-most layer first: the config lists it last */
		store_layer_path(st, json_string_value(json_array_get(diffs, n - 1 - i)), p,
				 sizeof(p));
		if (!(v[i] = strdup(p))) {
			image_lowerdirs_free(v);
			v = NULL;
		}
	}
	if (!v)
		return mr_fail(err, ENOMEM, "lowerdirs");
	*dirs = v;
	return 0;
}

int image_lowerdirs(const struct store *st, const char *name, char ***dirs,
		    char id[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	struct image img;
	if (image_resolve(st, name, &img, err) < 0)
		return -1;
	int rc = image_layer_dirs(st, &img, dirs, err);
	if (rc == 0 && id)
		strcpy(id, img.id);
	image_free(&img);
	return rc;
}

void image_lowerdirs_free(char **dirs)
{
	for (char **p = dirs; p && *p; p++)
		free(*p);
	free(dirs);
}

int image_in_use(const struct store *st, const char *id, char *who, size_t wholen)
{
	char path[4400];
	if (image_in_use_hook)
		return image_in_use_hook(st, id, who, wholen);
	snprintf(path, sizeof(path), "%s/containers", st->root);
	_cleanup_closedir_ DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		_cleanup_free_ char *text = NULL;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/containers/%s/image", st->root, de->d_name);
		if (mr_read_file(path, &text, NULL, NULL) < 0)
			continue;
		text[strcspn(text, "\n")] = 0;
		if (!strcmp(text, id)) {
			if (who)
				snprintf(who, wholen, "%.12s", de->d_name);
			return 1;
		}
	}
	return 0;
}
