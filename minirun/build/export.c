/*
 * minirun/build/export.c - the end of a build: the image stored and named by each -t, or,
 * with --output, its files written to a directory or a tar and no image stored (as
 * BuildKit's exporters: "#N exporting to image", "#N exporting to local DIR").
 *
 * A rebuild that changed nothing stores the very config the last one did, so it is the
 * same image with the same ID (export_text); `builder du` and `builder prune` see that
 * cached config as one of the build cache's records.
 *
 * See: builder.c (build() calls these last); https://docs.docker.com/build/exporters/
 */
#include "minirun/build/build.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/sha256.h"
#include "minirun/build/buf.h"
#include "minirun/build/builder.h"

/*
 * export_text - the config to export, as text. A rebuild that changed nothing exports the
 * very config the last one did (the cache keeps it under a key made of the last step's
 * key and the config without its timestamps), so it is the same image, with the same ID,
 * as BuildKit gives; otherwise the config now, dated now.
 */
static char *export_text(struct builder *b)
{
	char now[64], path[PATH_MAX], dir[PATH_MAX];
	json_t *bare = json_deep_copy(b->s.config), *h;
	size_t i;
	json_object_del(bare, "created");
	json_array_foreach(json_object_get(bare, "history"), i, h)
	{
		json_object_del(h, "created");
	}
	_cleanup_free_ char *bare_text = json_dumps(bare, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(bare);
	struct sb in = {0};
	uint8_t d[32];
	char *text = NULL;
	sb_puts(&in, b->key);
	sb_puts(&in, "\nexport\n");
	sb_puts(&in, bare_text ? bare_text : "");
	mr_sha256(sb_str(&in), in.len, d);
	sb_free(&in);
	char hex[65];
	for (int k = 0; k < 32; k++)
		sprintf(hex + 2 * k, "%02x", d[k]);
	bool cache =
		snprintf(dir, sizeof(dir), "%s/build/cache", b->st.root) < (int)sizeof(dir) &&
		snprintf(path, sizeof(path), "%s/export-%s.json", dir, hex) < (int)sizeof(path);
	if (cache && !b->o->no_cache && mr_read_file(path, &text, NULL, NULL) == 0) {
		utimensat(AT_FDCWD, path, NULL, 0); /* last used, for `builder du` and prune */
		return text;
	}
	fmt_now(now, sizeof(now));
	json_object_set_new(b->s.config, "created", json_string(now));
	text = json_dumps(b->s.config, JSON_COMPACT);
	if (cache && text && mr_mkdir_p(dir, 0700, NULL) == 0)
		mr_write_file_atomic(path, text, strlen(text), 0600, NULL);
	return text;
}

/* the last steps: the config and a manifest in the store, named by each -t */
int bld_export_image(struct builder *b, char id[IMAGE_DIGEST_LEN + 1])
{
	char manifest[IMAGE_DIGEST_LEN + 1], canon[600];
	double t0 = bld_now();
	b->s.image[0] = '\0';
	bld_say(b, "#%d exporting to image\n", ++b->vertex);
	_cleanup_free_ char *text = export_text(b);
	if (!text)
		return mr_fail(b->err, ENOMEM, "the image config");
	const char *first = NULL;
	struct image_ref ref;
	for (size_t i = 0; i < b->o->ntags; i++)
		if (ref_parse(b->o->tags[i], &ref, b->err) < 0)
			return -1;
	if (b->o->ntags) {
		ref_parse(b->o->tags[0], &ref, NULL);
		ref_canonical(&ref, canon, sizeof(canon));
		first = canon;
	}
	if (store_put_blob(&b->st, text, strlen(text), id, b->err) < 0 ||
	    image_create(&b->st, id, strlen(text), b->s.layers, first, manifest, NULL, b->err) < 0)
		return -1;
	bld_say(b, "#%d writing image %s done\n", b->vertex, id);
	for (size_t i = 0; i < b->o->ntags; i++) {
		ref_parse(b->o->tags[i], &ref, NULL);
		ref_canonical(&ref, canon, sizeof(canon));
		if (i && image_add(&b->st, canon, manifest, NULL, NULL, b->err) < 0)
			return -1;
		bld_say(b, "#%d naming to %s done\n", b->vertex, canon);
	}
	bld_say(b, "#%d DONE %.1fs\n", b->vertex, bld_now() - t0);
	return 0;
}

int build_output_spec(const char *spec, char type[16], char dest[PATH_MAX], struct mr_err *err)
{
	type[0] = dest[0] = '\0';
	if (!strchr(spec, '=')) { /* buildx's shorthands: "-o DIR", and "-o -" for a tar */
		snprintf(type, 16, "%s", strcmp(spec, "-") ? "local" : "tar");
		if (snprintf(dest, PATH_MAX, "%s", spec) >= PATH_MAX)
			return mr_fail(err, ENAMETOOLONG, "--output %.40s...", spec);
		return spec[0] ? 0 : mr_fail(err, 0, "--output: empty");
	}
	for (const char *p = spec; *p;) {
		size_t n = strcspn(p, ",");
		if (!strncmp(p, "type=", 5))
			snprintf(type, 16, "%.*s", (int)(n - 5), p + 5);
		else if (!strncmp(p, "dest=", 5))
			snprintf(dest, PATH_MAX, "%.*s", (int)(n - 5), p + 5);
		else
			return mr_fail(err, 0,
				       "--output %s: unknown key '%.*s' (type= and dest= only)",
				       spec, (int)strcspn(p, "=,"), p);
		p += n + (p[n] == ',');
	}
	if ((strcmp(type, "tar") && strcmp(type, "local")) || !dest[0] ||
	    (!strcmp(type, "local") && !strcmp(dest, "-")))
		return mr_fail(err, 0,
			       "--output %s: give type=local,dest=DIR or type=tar,dest=FILE "
			       "(dest=-: the tar on stdout)",
			       spec);
	return 0;
}

/* tar_to_stdout - the tar at PATH written on stdout (--output type=tar,dest=-) */
static int tar_to_stdout(const char *path, struct mr_err *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[1 << 16];
	ssize_t n;
	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", path);
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, (size_t)(n - off));
			if (w < 0)
				return mr_fail(err, errno, "write the tar on stdout");
			off += w;
		}
	return n < 0 ? mr_fail(err, errno, "read '%s'", path) : 0;
}

/*
 * export_files - --output type=local,dest=DIR: the image's filesystem, its layers applied
 * in order onto DIR (whiteouts remove what they name); type=tar,dest=FILE: the same tree
 * as one tar (dest=-: on stdout). No image is stored, as with BuildKit's --output.
 */
int bld_export_files(struct builder *b)
{
	const char *spec = b->o->output;
	char type[16], dest[PATH_MAX], dir[PATH_MAX], tmptar[PATH_MAX] = "";
	if (build_output_spec(spec, type, dest, b->err) < 0)
		return -1;
	bool tar = !strcmp(type, "tar");
	if (tar && !strcmp(dest, "-") &&
	    store_tmp_path(&b->st, "output-tar", tmptar, sizeof(tmptar), b->err) < 0)
		return -1;
	bld_say(b, "#%d exporting to %s %s\n", ++b->vertex, type, dest);
	double t0 = bld_now();
	if (tar) {
		if (store_tmp_path(&b->st, "output", dir, sizeof(dir), b->err) < 0)
			return -1;
	} else {
		snprintf(dir, sizeof(dir), "%s", dest);
		if (mr_mkdir_p(dir, 0755, b->err) < 0)
			return -1;
	}
	int rc = 0;
	size_t i;
	json_t *l;
	struct layer_apply_opts lo = {.mode = LAYER_PLAIN};
	if (tar && mkdir(dir, 0755) < 0)
		rc = mr_fail(b->err, errno, "mkdir '%s'", dir);
	json_array_foreach(b->s.layers, i, l)
	{
		char blob[PATH_MAX];
		const char *digest = json_string_value(json_object_get(l, "digest"));
		if (rc < 0 || !digest)
			continue;
		store_blob_path(&b->st, digest, blob, sizeof(blob));
		rc = layer_apply(blob, dir, &lo, NULL, b->err);
	}
	if (tar && rc == 0) {
		struct layer_diff_opts dopts = {.mtime = -1, .compression = LAYER_COMP_NONE};
		rc = layer_diff(dir, tmptar[0] ? tmptar : dest, &dopts, NULL, b->err);
		if (rc == 0 && tmptar[0])
			rc = tar_to_stdout(tmptar, b->err);
		if (tmptar[0])
			unlink(tmptar);
	}
	if (tar)
		step_copy_end(dir); /* the scratch tree */
	if (rc == 0)
		bld_say(b, "#%d DONE %.1fs\n", b->vertex, bld_now() - t0);
	return rc;
}
