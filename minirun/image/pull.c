/*
 * minirun/image/pull.c - `minirun pull`: an image from any v2 registry into the store.
 *
 *   minirun pull [--platform OS/ARCH[/VARIANT]] [--insecure|--tls-verify=BOOL] [-q]
 *                NAME[:TAG|@DIGEST]
 *
 * The steps, each one request (registry.c makes them, with auth and redirects):
 *
 *   1. GET /v2/REPO/manifests/TAG, accepting an OCI index, a docker manifest list, an OCI
 *      manifest or a docker schema2 manifest. Pulled by digest, the bytes must hash to it.
 *   2. An index or list names one manifest per platform: pick ours (--platform, else this
 *      machine's), and GET that manifest by its digest.
 *   3. GET the config blob, then each layer blob not already in the store, hashing the bytes
 *      as they arrive: a blob is stored only if its sha256 is the digest the manifest gave.
 *   4. Unpack each layer once per diffID (unionfs/layer.h), then name the image.
 *
 * What it says is docker pull's: "1: Pulling from test/bb", a line per layer (progress.c),
 * then "Digest: sha256:..." and "Status: Downloaded newer image for NAME" (or "Image is up
 * to date"), on stdout for `minirun pull`, on the FILE pull_opts.out names for the others:
 * run and create pull to stderr, keeping their stdout for the container.
 *
 * A failure at any step leaves nothing behind: what was stored but not yet named is
 * garbage, and store_gc removes it before pull returns.
 *
 * See: opencontainers/distribution-spec spec.md ("Pulling manifests", "Pulling blobs"),
 *      image-spec image-index.md, docker-pull(1)
 */
#include "lib/cli.h"
#include "minirun/image/registry.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"

#define MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define ACCEPT_MANIFESTS                                                                           \
	MT_OCI_INDEX ", " MT_DOCKER_LIST ", " MT_OCI_MANIFEST ", " MT_DOCKER_MANIFEST

/* layer media types we can unpack (all are tars, maybe compressed) */
static int layer_type_ok(const char *mt)
{
	static const char *ok[] = {
		"application/vnd.oci.image.layer.v1.tar",
		"application/vnd.oci.image.layer.v1.tar+gzip",
		"application/vnd.oci.image.layer.v1.tar+zstd",
		"application/vnd.docker.image.rootfs.diff.tar.gzip",
		"application/vnd.docker.image.rootfs.diff.tar.zstd",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (mt && !strcmp(mt, ok[i]))
			return 1;
	return 0;
}

/* what docker says for a manifest request that failed with RESP */
static int manifest_error(const char *name, const char *what, struct reg_resp *resp,
			  struct mr_err *err)
{
	char text[512], code[64];
	registry_error_text(resp, text, sizeof(text), code, sizeof(code));
	if (resp->status == 401 || resp->status == 403 || !strcmp(code, "NAME_UNKNOWN"))
		return mr_fail(
			err, 0,
			"pull access denied for %s, repository does not exist or may require "
			"authorization%s%s",
			name, text[0] ? ": " : "", text);
	if (resp->status == 404)
		return mr_fail(err, 0, "manifest for %s not found: %s", what,
			       text[0] ? text : "manifest unknown");
	return mr_fail(err, 0, "received unexpected HTTP status: %ld%s%s (GET manifest %s)",
		       resp->status, text[0] ? ": " : "", text, what);
}

/* GET manifest REF (a tag or digest) into memory; its digest goes to DIGEST */
static int get_manifest(struct registry *r, const char *name, const char *ref, char **body,
			size_t *len, char *mediatype, size_t mtlen,
			char digest[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	char path[600], what[700];
	struct reg_resp resp = {.max = 4 << 20};
	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", r->repo, ref);
	snprintf(what, sizeof(what), "%s%s%s", name, digest_valid(ref) ? "@" : ":", ref);
	if (registry_get(r, path, ACCEPT_MANIFESTS, &resp, err) < 0)
		goto fail;
	if (resp.status != 200) {
		manifest_error(name, what, &resp, err);
		goto fail;
	}
	digest_of(resp.body ? resp.body : "", resp.len, digest);
	/* the registry must not be believed on its word: bytes asked for by digest must hash
	 * to it, and a digest the registry announces must match what it sent */
	if (digest_valid(ref) && strcmp(digest, ref) != 0) {
		mr_fail(err, 0, "manifest %s: digest mismatch, the bytes received hash to %s", ref,
			digest);
		goto fail;
	}
	if (digest_valid(resp.docker_digest) && strcmp(digest, resp.docker_digest) != 0) {
		mr_fail(err, 0, "manifest %s: the registry says %s, the bytes hash to %s", what,
			resp.docker_digest, digest);
		goto fail;
	}
	json_t *j = json_loadb(resp.body ? resp.body : "", resp.len, 0, NULL);
	const char *mt = json_string_value(json_object_get(j, "mediaType"));
	snprintf(mediatype, mtlen, "%s", mt ? mt : resp.content_type);
	mediatype[strcspn(mediatype, ";")] = 0;
	if (!j || json_integer_value(json_object_get(j, "schemaVersion")) != 2) {
		json_decref(j);
		mr_fail(err, 0, "manifest %s: %s", what,
			j ? "schema 1 manifests are not supported: push the image again with a "
			    "current client"
			  : "not JSON");
		goto fail;
	}
	json_decref(j);
	*body = resp.body;
	*len = resp.len;
	return 0;
fail:
	free(resp.body);
	return -1;
}

/* from an index, the digest of the manifest for OS/ARCH/VARIANT */
static int pick_platform(const char *body, size_t len, const char *os, const char *arch,
			 const char *variant, char out[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	json_t *j = json_loadb(body, len, 0, NULL), *m;
	size_t i;
	char seen[512] = "";
	out[0] = 0;
	json_array_foreach(json_object_get(j, "manifests"), i, m)
	{
		json_t *p = json_object_get(m, "platform");
		const char *mo = json_string_value(json_object_get(p, "os"));
		const char *ma = json_string_value(json_object_get(p, "architecture"));
		const char *mv = json_string_value(json_object_get(p, "variant"));
		const char *d = json_string_value(json_object_get(m, "digest"));
		if (mo && ma && strlen(seen) < sizeof(seen) - 64)
			snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s/%s%s%s",
				 seen[0] ? ", " : "", mo, ma, mv ? "/" : "", mv ? mv : "");
		if (!mo || !ma || strcmp(mo, os) || strcmp(ma, arch) || !d || !digest_valid(d))
			continue;
		/* a variant asked for must match; none asked takes the first */
		if (variant[0] && mv && strcmp(mv, variant))
			continue;
		snprintf(out, IMAGE_DIGEST_LEN + 1, "%s", d);
		break;
	}
	json_decref(j);
	if (!out[0])
		return mr_fail(err, 0,
			       "no matching manifest for %s/%s%s%s in the manifest list entries "
			       "(it has: %s); choose one with --platform",
			       os, arch, variant[0] ? "/" : "", variant, seen[0] ? seen : "none");
	return 0;
}

/* ---- blobs -------------------------------------------------------------------------------- */

struct blob_dl {
	struct blob_writer w;
	struct mr_err *err;
	struct progress *pr;
	int line;
	uint64_t size;
};

static int blob_sink(void *ctx, const char *data, size_t n)
{
	struct blob_dl *b = ctx;
	return blob_writer_write(&b->w, data, n, b->err);
}

static void blob_progress(void *ctx, uint64_t now, uint64_t total)
{
	struct blob_dl *b = ctx;
	progress_bytes(b->pr, b->line, now, total ? total : b->size);
}

/* download blob DIGEST of SIZE bytes into the store, verified; progress on line LINE */
static int get_blob(const struct store *st, struct registry *r, const char *digest, uint64_t size,
		    struct progress *pr, int line, struct mr_err *err)
{
	char path[600];
	struct blob_dl b = {.err = err, .pr = pr, .line = line, .size = size};
	struct reg_resp resp = {.sink = blob_sink,
				.sink_ctx = &b,
				.progress = blob_progress,
				/* a blob longer than its descriptor says is refused early */
				.max = size ? size : 0};
	if (blob_writer_open(st, &b.w, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "/v2/%s/blobs/%s", r->repo, digest);
	progress_line(pr, line, digest + 7, "Downloading");
	int rc = registry_get(r, path, NULL, &resp, err);
	if (rc == 0 && resp.status != 200) {
		char text[512];
		registry_error_text(&resp, text, sizeof(text), NULL, 0);
		rc = mr_fail(err, 0, "blob %s: received unexpected HTTP status: %ld%s%s", digest,
			     resp.status, text[0] ? ": " : "", text);
	}
	if (rc == 0 && size && b.w.size != size)
		rc = mr_fail(err, 0, "blob %s: %llu bytes received, the manifest says %llu", digest,
			     (unsigned long long)b.w.size, (unsigned long long)size);
	if (rc < 0) {
		mr_prefix(err, "pulling %.19s: ", digest);
		blob_writer_abort(&b.w);
		free(resp.body);
		return -1;
	}
	free(resp.body);
	progress_line(pr, line, digest + 7, "Verifying Checksum");
	if (blob_writer_commit(st, &b.w, digest, NULL, err) < 0) {
		mr_prefix(err, "blob %.19s: ", digest);
		return -1;
	}
	progress_line(pr, line, digest + 7, "Download complete");
	return 0;
}

/* ---- the pull ----------------------------------------------------------------------------- */

/* where o's lines go: o->out, else stdout (docker pull's) */
static FILE *pull_out(const struct pull_opts *o)
{
	return o->out ? o->out : stdout;
}

/* everything after the lock: manifest, platform, blobs, unpack, name; the digest the name
 * was pulled by (an index's, else the manifest's: docker's "Digest:") goes to DIGEST */
static int pull_locked(const struct store *st, struct registry *r, const struct image_ref *ref,
		       const char *canon, const struct pull_opts *o, int *fresh,
		       char digest[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	_cleanup_free_ char *body = NULL;
	size_t len;
	char mt[256], top[IMAGE_DIGEST_LEN + 1], md[IMAGE_DIGEST_LEN + 1], os[32], arch[32],
		variant[32], repo[600];
	struct image img = {0};
	int rc = -1;

	ref_familiar_repo(ref, repo, sizeof(repo));
	if (image_platform(o->platform, os, arch, variant, err) < 0)
		return -1;
	if (get_manifest(r, repo, ref->digest[0] ? ref->digest : ref->tag, &body, &len, mt,
			 sizeof(mt), top, err) < 0)
		return -1;
	strcpy(md, top);
	if (!strcmp(mt, MT_OCI_INDEX) || !strcmp(mt, MT_DOCKER_LIST)) {
		char pick[IMAGE_DIGEST_LEN + 1];
		if (pick_platform(body, len, os, arch, variant, pick, err) < 0)
			return -1;
		mr_say("%s/%s%s%s: manifest %s", os, arch, variant[0] ? "/" : "", variant, pick);
		free(body);
		body = NULL;
		if (get_manifest(r, repo, pick, &body, &len, mt, sizeof(mt), md, err) < 0)
			return -1;
		if (!strcmp(mt, MT_OCI_INDEX) || !strcmp(mt, MT_DOCKER_LIST))
			return mr_fail(err, 0, "manifest %s: an index inside an index", pick);
	}
	if (!o->quiet)
		fprintf(pull_out(o), "%s: Pulling from %s\n",
			ref->digest[0] ? ref->digest : ref->tag, ref->path);

	json_t *man = json_loadb(body, len, 0, NULL);
	json_t *layers = json_object_get(man, "layers"), *l;
	const char *cfgd =
		json_string_value(json_object_get(json_object_get(man, "config"), "digest"));
	size_t i, n = json_array_size(layers);
	struct progress *pr = NULL;
	char *had = NULL; /* had[i]: layer i was in the store before this pull */
	if (!cfgd || !digest_valid(cfgd) || !json_is_array(layers)) {
		mr_fail(err, 0, "manifest %s: no config digest or no layers", md);
		goto out;
	}
	json_array_foreach(layers, i, l)
	{
		const char *lmt = json_string_value(json_object_get(l, "mediaType"));
		const char *d = json_string_value(json_object_get(l, "digest"));
		if (!d || !digest_valid(d)) {
			mr_fail(err, 0, "manifest %s: layer %zu has no sha256 digest", md, i);
			goto out;
		}
		if (!layer_type_ok(lmt)) {
			mr_fail(err, 0,
				"manifest %s: layer %.19s has media type '%s', which this "
				"store can't unpack",
				md, d, lmt ? lmt : "(none)");
			goto out;
		}
	}

	/* the config, then each layer not already here */
	pr = progress_new((int)n, o->quiet, pull_out(o));
	if (!store_has_blob(st, cfgd) &&
	    get_blob(st, r, cfgd,
		     json_integer_value(json_object_get(json_object_get(man, "config"), "size")),
		     NULL, -1, err) < 0)
		goto out;
	had = calloc(n + 1, 1);
	json_array_foreach(layers, i, l)
	{
		const char *d = json_string_value(json_object_get(l, "digest"));
		if ((had[i] = (char)store_has_blob(st, d))) {
			progress_line(pr, (int)i, d + 7, "Already exists");
			continue;
		}
		*fresh = 1;
		progress_line(pr, (int)i, d + 7, "Pulling fs layer");
	}
	json_array_foreach(layers, i, l)
	{
		const char *d = json_string_value(json_object_get(l, "digest"));
		if (!store_has_blob(st, d) &&
		    get_blob(st, r, d, json_integer_value(json_object_get(l, "size")), pr, (int)i,
			     err) < 0)
			goto out;
	}
	char stored[IMAGE_DIGEST_LEN + 1];
	char named[800]; /* the image as the user named it, for image_config_check */
	snprintf(named, sizeof(named), "%s%s%s", repo, ref->digest[0] ? "@" : ":",
		 ref->digest[0] ? ref->digest : ref->tag);
	if (store_put_blob(st, body, len, stored, err) < 0 || image_load(st, md, &img, err) < 0 ||
	    image_config_check(img.config, named, err) < 0)
		goto out;
	json_array_foreach(layers, i, l)
	{
		const char *d = json_string_value(json_object_get(l, "digest"));
		char dir[4400];
		const char *diffid = json_string_value(json_array_get(
			json_object_get(json_object_get(img.config, "rootfs"), "diff_ids"), i));
		store_layer_path(st, diffid ? diffid : "sha256:-", dir, sizeof(dir));
		if (diffid && access(dir, F_OK) == 0) {
			/* unpacked already (another image has the same layer): nothing to do */
			if (!had[i])
				progress_line(pr, (int)i, d + 7, "Pull complete");
			continue;
		}
		progress_line(pr, (int)i, d + 7, "Extracting");
		int u = image_unpack_layer(st, &img, i, err);
		if (u < 0)
			goto out;
		progress_line(pr, (int)i, d + 7, "Pull complete");
	}
	char moved[IMAGE_DIGEST_LEN + 1];
	if (!*fresh) {
		/* nothing downloaded: "up to date" unless the name pointed elsewhere */
		struct image cur = {0}; /* image_resolve fills it only when it finds the name */
		if (image_resolve(st, canon, &cur, NULL) < 0 || strcmp(cur.manifest_digest, md))
			*fresh = 1;
		if (cur.manifest)
			image_free(&cur);
	}
	if (image_add(st, canon, md, top, moved, err) < 0)
		goto out;
	strcpy(digest, top);
	rc = 0;
out:
	free(had);
	progress_free(pr);
	image_free(&img);
	json_decref(man);
	return rc;
}

int image_pull(const struct store *st, const char *name, const struct pull_opts *o,
	       struct mr_err *err)
{
	struct image_ref ref;
	struct registry r;
	char canon[600], familiar[700], digest[IMAGE_DIGEST_LEN + 1];
	int fresh = 0;
	if (ref_parse(name, &ref, err) < 0)
		return -1;
	ref_canonical(&ref, canon, sizeof(canon));
	ref_familiar_name(canon, familiar, sizeof(familiar));
	if (registry_open(&r, &ref, o->insecure, err) < 0)
		return -1;
	if (store_lock(st, STORE_ADDING, err) < 0) {
		registry_close(&r);
		return -1;
	}
	int rc = pull_locked(st, &r, &ref, canon, o, &fresh, digest, err);
	store_unlock(st, STORE_ADDING);
	registry_close(&r);
	if (rc < 0) {
		/* nothing partial: what this pull stored is named by no image, so it goes */
		store_gc(st, NULL, NULL);
		return -1;
	}
	char repo[600]; /* docker's pull event: the reference, named by its repository */
	ref_familiar_repo(&ref, repo, sizeof(repo));
	image_event(st, "pull", familiar, repo, NULL);
	/* docker's last two lines: the digest the name now holds (RepoDigests), and what the
	 * pull did */
	if (!o->quiet) {
		fprintf(pull_out(o), "Digest: %s\nStatus: %s for %s\n", digest,
			fresh ? "Downloaded newer image" : "Image is up to date", familiar);
		fflush(pull_out(o));
	}
	return fresh ? 1 : 0;
}

int cmd_pull(int argc, char **argv)
{
	static const struct option opts[] = {
		{"platform", required_argument, NULL, 'p'},
		{"insecure", no_argument, NULL, 'k'},
		{"tls-verify", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct pull_opts o = {0};
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.platform = optarg; break;
		case 'k': o.insecure = 1; break;
		case 't': o.insecure = !strcmp(optarg, "false") ? 1 : -1; break;
		case 'q': o.quiet = 1; break;
		case 'h':
			printf("Usage:  minirun pull [OPTIONS] NAME[:TAG|@DIGEST]\n\n"
			       "Download an image from a registry\n\n"
			       "Options:\n"
			       "      --platform string   os/arch[/variant] to pull from a multi-platform "
			       "image\n"
			       "      --insecure          Allow plain http and unverified TLS (always so "
			       "for 127.0.0.0/8)\n"
			       "      --tls-verify bool   false: as --insecure; true: verify even "
			       "127.0.0.0/8\n"
			       "  -q, --quiet             Suppress verbose output\n");
			return 0;
		default: return mr_flag_error(c, "pull", argv);
		}
	}
	if (argc - optind != 1)
		return mr_operand_error("pull", "\"pull\" requires exactly 1 argument.");
	struct store st;
	struct mr_err err = {0};
	struct image_ref ref;
	char canon[600];
	if (ref_parse(argv[optind], &ref, &err) < 0)
		return image_error(&err);
	ref_canonical(&ref, canon, sizeof(canon));
	if (image_open_store(&st))
		return 1;
	if (registry_curl_load(&err) < 0) {
		store_close(&st);
		return image_error(&err);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* the progress, Digest and Status on stdout (o.out NULL), then the name, as docker */
	int rc = image_pull(&st, argv[optind], &o, &err);
	store_close(&st);
	if (rc < 0)
		return image_error(&err);
	printf("%s\n", canon);
	return 0;
}
