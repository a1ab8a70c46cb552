/*
 * tests/fuzz/fuzz_image.c - fuzz how the image store reads its JSON: index.json, image
 * manifests and image configs (minirun/image/images.c, commands.c), and the --change
 * instructions of import/commit (image_apply_change).
 *
 * The input is up to four texts separated by NUL bytes: INDEX, MANIFEST, CONFIG, CHANGE.
 * The harness stores CONFIG as a blob, then MANIFEST with every "$C" replaced by the
 * config's digest, then writes INDEX as index.json with every "$M" replaced by the
 * manifest's digest; so the fuzzer can make stores that hang together without computing
 * sha256. Then it reads them as the commands do: image_load of the manifest, the layer
 * directories and size of the image, image_resolve of a few names (the index's own names,
 * "busybox", a short ID), and applies CHANGE to a copy of the config.
 *
 * The store lives in a tmpfs of a private mount namespace (sandbox.h), made afresh for
 * every input.
 *
 * Oracles: a loaded image's ID is the config's digest and its manifest digest the one
 * asked for; every layer directory handed to overlay is ROOT/layers/sha256/HEX (no other
 * place, nothing climbs out); a name that resolves resolves to a manifest the index lists;
 * a refusal has a message.
 *
 * Seeds: tests/fuzz/seeds/image/. See: minirun/image/image.h; image-spec manifest.md,
 * config.md, image-index.md.
 */
#include "lib/file.h"
#include "minirun/image/image.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/sandbox.h"

#include <ftw.h>
#include <sys/stat.h>

#define STORE "/mnt/store"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_sandbox("/mnt");
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* S with every occurrence of KEY replaced by VAL (a new string) */
static char *replace(const char *s, const char *key, const char *val)
{
	char *out = NULL;
	size_t len = 0, k = strlen(key);
	FILE *f = open_memstream(&out, &len);
	for (const char *p = s; *p;) {
		if (!strncmp(p, key, k)) {
			fputs(val, f);
			p += k;
		} else {
			fputc(*p++, f);
		}
	}
	fclose(f);
	return out;
}

static void check_dirs(char **dirs)
{
	static const char want[] = STORE "/layers/sha256/";
	for (char **d = dirs; d && *d; d++)
		if (strncmp(*d, want, sizeof(want) - 1) || strchr(*d + sizeof(want) - 1, '/') ||
		    strlen(*d + sizeof(want) - 1) != 64)
			fuzz_oracle("a layer directory outside the store's layers: '%s'", *d);
}

static void resolve(const struct store *st, const char *name, json_t *index)
{
	struct image img;
	struct mr_err err = {0};
	if (image_resolve(st, name, &img, &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle("resolving '%s' failed without a message", name);
		return;
	}
	size_t i;
	json_t *e;
	bool listed = false;
	json_array_foreach(json_object_get(index, "manifests"), i, e)
	{
		const char *d = json_string_value(json_object_get(e, "digest"));
		if (d && !strcmp(d, img.manifest_digest))
			listed = true;
	}
	if (!listed)
		fuzz_oracle("'%s' resolved to %s, which index.json does not list", name,
			    img.manifest_digest);
	image_free(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the four texts */
	char *buf = malloc(size + 4), *part[4];
	memcpy(buf, data, size);
	memset(buf + size, 0, 4);
	part[0] = buf;
	for (int i = 1; i < 4; i++)
		part[i] = part[i - 1] + strlen(part[i - 1]) + (part[i - 1] < buf + size);
	for (int i = 1; i < 4; i++)
		if (part[i] > buf + size)
			part[i] = buf + size;

	nftw(STORE, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	struct store st;
	struct mr_err err = {0};
	if (store_open(&st, STORE, &err) < 0)
		fuzz_oracle("a fresh store: %s", err.msg);
	char cd[IMAGE_DIGEST_LEN + 1], md[IMAGE_DIGEST_LEN + 1], path[4200];
	if (store_put_blob(&st, part[2], strlen(part[2]), cd, &err) < 0)
		fuzz_oracle("put the config: %s", err.msg);
	char *manifest = replace(part[1], "$C", cd);
	if (store_put_blob(&st, manifest, strlen(manifest), md, &err) < 0)
		fuzz_oracle("put the manifest: %s", err.msg);
	char *index = replace(part[0], "$M", md);
	snprintf(path, sizeof(path), "%s/index.json", st.dir);
	if (mr_write_file(path, index, &err) < 0)
		fuzz_oracle("write index.json: %s", err.msg);

	struct image img;
	if (image_load(&st, md, &img, &err) == 0) {
		if (strcmp(img.id, cd) || strcmp(img.manifest_digest, md))
			fuzz_oracle("image_load(%s) gave id %s manifest %s", md, img.id,
				    img.manifest_digest);
		char **dirs = NULL;
		if (image_layer_dirs(&st, &img, &dirs, &err) == 0) {
			check_dirs(dirs);
			image_lowerdirs_free(dirs);
		}
		image_size(&st, &img);
		json_t *cfg = json_deep_copy(json_object_get(img.config, "config"));
		if (!cfg)
			cfg = json_object();
		if (image_apply_change(cfg, part[3], &err) < 0 && !err.msg[0])
			fuzz_oracle("change '%s' refused without a message", part[3]);
		json_decref(cfg);
		image_free(&img);
	} else if (!err.msg[0]) {
		fuzz_oracle("image_load failed without a message");
	}

	json_t *idx = json_loads(index, 0, NULL);
	if (idx) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(idx, "manifests"), i, e)
		{
			const char *n = json_string_value(
				json_object_get(json_object_get(e, "annotations"), IMAGE_ANN_NAME));
			if (n && i < 4)
				resolve(&st, n, idx);
		}
		char shortid[20];
		snprintf(shortid, sizeof(shortid), "%.12s", cd + 7);
		resolve(&st, "busybox", idx);
		resolve(&st, shortid, idx);
		resolve(&st, md, idx);
		json_decref(idx);
	}
	store_close(&st);
	free(index);
	free(manifest);
	free(buf);
	return 0;
}
