/*
 * minirun/image/push.c - `minirun push`: an image from the store to a v2 registry.
 *
 *   minirun push [-a] [--tls-verify=false] [-q] NAME[:TAG]
 *
 * Pull backwards, blobs before the manifest that names them (a registry refuses a manifest
 * whose blobs it does not have):
 *
 *   1. For each layer, then the config:
 *        HEAD /v2/REPO/blobs/DIGEST          -> 200: "Layer already exists", nothing sent
 *        POST /v2/REPO/blobs/uploads/?mount=DIGEST&from=OTHER
 *                                            -> 201: the registry linked it from OTHER, a
 *                                               repository of the same registry this store
 *                                               has an image from ("Mounted from OTHER")
 *                                            -> 202 Location: U   (no mount: an upload)
 *        PUT U&digest=DIGEST  <the blob>     -> 201 Created       ("Pushed")
 *      Blobs bigger than PUSH_CHUNK go up in PATCH requests of that size
 *      (Content-Range: START-END, each 202 with the next Location), then an empty PUT.
 *   2. PUT /v2/REPO/manifests/TAG  Content-Type: its mediaType  <the manifest's bytes>
 *
 * The bytes sent are the store's bytes: the manifest is not rewritten, so its digest in the
 * registry is the one the store has, and a pull gives back the same image.
 *
 * What it prints is docker push's: "The push refers to repository [HOST/REPO]", a line per
 * layer named by the short diffID (top-most layer first), then "TAG: digest: sha256:... size:
 * N".
 *
 * See: opencontainers/distribution-spec spec.md ("Pushing blobs", "Mounting a blob from
 *      another repository", "Pushing Manifests"), docker-push(1)
 */
#include "minirun/image/registry.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/cli.h"
#include "lib/cleanup.h"

/* blobs larger than this are sent in chunks of this size (MINIRUN_PUSH_CHUNK overrides) */
#define PUSH_CHUNK ((uint64_t)64 << 20)

struct push_blob {
	struct progress *pr;
	int line;
	const char *id; /* what the line is called: the short diffID */
	uint64_t size;  /* the blob's, for the bar before curl knows it */
};

static void push_progress(void *ctx, uint64_t now, uint64_t total)
{
	struct push_blob *b = ctx;
	progress_bytes(b->pr, b->line, now, total ? total : b->size);
}

/* "blob upload unknown: ..." from a failed answer, prefixed with what was being done; a 401
 * to a client with no credentials is docker's "no basic auth credentials" */
static int http_error(const struct registry *r, const char *what, const char *digest,
		      struct reg_resp *resp, struct mr_err *err)
{
	char text[512];
	registry_error_text(resp, text, sizeof(text), NULL, 0);
	if (resp->status == 401 && !r->basic[0])
		return mr_fail(err, 0, "no basic auth credentials: log in with `minirun login %s`",
			       r->host);
	if (resp->status == 401 || resp->status == 403)
		return mr_fail(err, 0, "%s%s%s",
			       resp->status == 401 && !text[0] ? "unauthorized: "
								 "authentication "
								 "required"
							       : "denied: requested "
								 "access to the "
								 "resource is denied",
			       text[0] ? ": " : "", text);
	return mr_fail(err, 0, "%s %.19s: received unexpected HTTP status: %ld%s%s", what, digest,
		       resp->status, text[0] ? ": " : "", text);
}

/* 1 if the registry has DIGEST in r->repo, 0 if not, -1 with err */
static int blob_exists(struct registry *r, const char *digest, struct mr_err *err)
{
	char path[600];
	struct reg_resp resp = {.method = "HEAD"};
	snprintf(path, sizeof(path), "/v2/%s/blobs/%s", r->repo, digest);
	if (registry_request(r, path, NULL, &resp, err) < 0)
		return -1;
	free(resp.body);
	if (resp.status == 200)
		return 1;
	if (resp.status == 404)
		return 0;
	return http_error(r, "HEAD blob", digest, &resp, err);
}

/* U with "digest=DIGEST" added to its query */
static void with_digest(struct registry *r, const char *u, const char *digest, char *out,
			size_t len)
{
	char *e = curl_easy_escape(r->curl, digest, 0);
	snprintf(out, len, "%s%sdigest=%s", u, strchr(u, '?') ? "&" : "?", e ? e : digest);
	curl_free(e);
}

/* send the blob file PATH (SIZE bytes) to the upload session at LOC, ending with the PUT
 * that names DIGEST; in PATCH chunks when it is bigger than CHUNK */
static int send_blob(struct registry *r, char *loc, size_t loclen, const char *path,
		     const char *digest, uint64_t size, uint64_t chunk, struct push_blob *b,
		     struct mr_err *err)
{
	char url[4400], range[80];
	uint64_t off = 0;
	while (size > chunk && off < size) {
		uint64_t n = size - off < chunk ? size - off : chunk;
		struct reg_resp resp = {.method = "PATCH",
					.upload_type = "application/octet-stream",
					.upload_path = path,
					.upload_off = off,
					.upload_len = n,
					.header = range};
		snprintf(range, sizeof(range), "Content-Range: %llu-%llu", (unsigned long long)off,
			 (unsigned long long)(off + n - 1));
		mr_say("chunk %s of %llu bytes", range + 15, (unsigned long long)size);
		if (registry_request(r, loc, NULL, &resp, err) < 0)
			return -1;
		free(resp.body);
		if (resp.status != 202 || !resp.location[0])
			return http_error(r, "PATCH blob", digest, &resp, err);
		snprintf(loc, loclen, "%s", resp.location);
		off += n;
		progress_bytes(b->pr, b->line, off, size);
	}
	/* the last request: the whole blob (monolithic), or no body after the chunks */
	int whole = off == 0;
	struct reg_resp resp = {.method = "PUT",
				.upload_type = "application/octet-stream",
				.upload_path = whole ? path : NULL,
				.upload_len = whole ? size : 0,
				.progress = whole ? push_progress : NULL,
				.sink_ctx = b};
	with_digest(r, loc, digest, url, sizeof(url));
	if (registry_request(r, url, NULL, &resp, err) < 0)
		return -1;
	free(resp.body);
	if (resp.status != 201)
		return http_error(r, "PUT blob", digest, &resp, err);
	return 0;
}

/* upload blob DIGEST, or have it mounted from repository FROM ("" for none): 1 if mounted,
 * 0 if sent, -1 with err */
static int upload_blob(const struct store *st, struct registry *r, const char *digest,
		       const char *from, struct push_blob *b, struct mr_err *err)
{
	char path[4400], post[1400], loc[2048];
	struct stat s;
	store_blob_path(st, digest, path, sizeof(path));
	if (stat(path, &s) < 0)
		return mr_fail(err, errno, "blob %s is not in the store", digest);
	if (from[0]) {
		char *e = curl_easy_escape(r->curl, from, 0);
		snprintf(post, sizeof(post), "/v2/%s/blobs/uploads/?mount=%s&from=%s", r->repo,
			 digest, e ? e : from);
		curl_free(e);
	} else {
		snprintf(post, sizeof(post), "/v2/%s/blobs/uploads/", r->repo);
	}
	struct reg_resp resp = {.method = "POST"};
	if (registry_request(r, post, NULL, &resp, err) < 0)
		return -1;
	free(resp.body);
	if (resp.status == 201 && from[0])
		return 1;
	if (resp.status != 202 || !resp.location[0])
		return http_error(r, "POST blob upload", digest, &resp, err);
	snprintf(loc, sizeof(loc), "%s", resp.location);
	const char *env = getenv("MINIRUN_PUSH_CHUNK");
	uint64_t chunk = env && strtoull(env, NULL, 10) > 0 ? strtoull(env, NULL, 10) : PUSH_CHUNK;
	b->size = (uint64_t)s.st_size;
	progress_line(b->pr, b->line, b->id, "Pushing");
	return send_blob(r, loc, sizeof(loc), path, digest, (uint64_t)s.st_size, chunk, b, err);
}

/* a repository of the same registry this store has an image from that holds DIGEST (its
 * name then says where the blob came from), into FROM; "" if none */
static void mount_source(const struct store *st, const struct image_ref *ref, const char *digest,
			 char *from, size_t len)
{
	json_t *idx = store_index_load(st, NULL), *e;
	size_t i;
	from[0] = 0;
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		const char *name = json_string_value(
			json_object_get(json_object_get(e, "annotations"), IMAGE_ANN_NAME));
		struct image_ref other;
		struct image img = {0};
		if (!name || ref_parse(name, &other, NULL) < 0 ||
		    strcmp(other.domain, ref->domain) || !strcmp(other.path, ref->path) ||
		    image_load(st, json_string_value(json_object_get(e, "digest")), &img, NULL) < 0)
			continue;
		json_t *l;
		size_t k;
		json_array_foreach(json_object_get(img.manifest, "layers"), k, l)
		{
			const char *d = json_string_value(json_object_get(l, "digest"));
			if (d && !strcmp(d, digest))
				snprintf(from, len, "%s", other.path);
		}
		image_free(&img);
		if (from[0])
			break;
	}
	json_decref(idx);
}

/* push one blob: HEAD, then mount or upload; the status goes on line LINE (-1: none) */
static int push_blob(const struct store *st, struct registry *r, const struct image_ref *ref,
		     const char *digest, const char *id, struct progress *pr, int line,
		     struct mr_err *err)
{
	struct push_blob b = {.pr = pr, .line = line, .id = id};
	char from[256], status[320];
	int has = blob_exists(r, digest, err);
	if (has < 0)
		return -1;
	if (has) {
		progress_line(pr, line, id, "Layer already exists");
		return 0;
	}
	mount_source(st, ref, digest, from, sizeof(from));
	int m = upload_blob(st, r, digest, from, &b, err);
	if (m < 0)
		return -1;
	snprintf(status, sizeof(status), m ? "Mounted from %s" : "Pushed", from);
	progress_line(pr, line, id, status);
	return 0;
}

static int push_locked(const struct store *st, struct registry *r, const struct image_ref *ref,
		       const struct image *img, const struct push_opts *o,
		       char digest[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	FILE *out = o->out ? o->out : stdout;
	json_t *layers = json_object_get(img->manifest, "layers"), *l;
	json_t *diffs = json_object_get(json_object_get(img->config, "rootfs"), "diff_ids");
	size_t i, n = json_array_size(layers);
	_cleanup_free_ char *body = NULL;
	size_t len;
	int rc = -1;
	struct progress *pr = progress_new((int)n, o->quiet, out);
	/* docker lists the top-most layer first, each by its short diffID */
	for (i = n; i-- > 0;) {
		const char *d =
			json_string_value(json_object_get(json_array_get(layers, i), "digest"));
		const char *id = json_string_value(json_array_get(diffs, i));
		progress_line(pr, (int)(n - 1 - i), (id ? id : d) + 7, "Preparing");
	}
	for (i = n; i-- > 0;) {
		l = json_array_get(layers, i);
		const char *d = json_string_value(json_object_get(l, "digest"));
		const char *id = json_string_value(json_array_get(diffs, i));
		if (!d || !digest_valid(d)) {
			mr_fail(err, 0, "manifest %s: layer %zu has no sha256 digest",
				img->manifest_digest, i);
			goto out;
		}
		if (push_blob(st, r, ref, d, (id ? id : d) + 7, pr, (int)(n - 1 - i), err) < 0)
			goto out;
	}
	/* the config: no line of its own, as docker shows none */
	if (push_blob(st, r, ref, img->id, img->id + 7, NULL, -1, err) < 0)
		goto out;

	/* the manifest last, its bytes exactly as stored */
	const char *mt = json_string_value(json_object_get(img->manifest, "mediaType"));
	char path[600];
	if (store_read_blob(st, img->manifest_digest, &body, &len, err) < 0)
		goto out;
	struct reg_resp resp = {.method = "PUT",
				.upload_type =
					mt ? mt : "application/vnd.oci.image.manifest.v1+json",
				.data = body,
				.data_len = len};
	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", r->repo, ref->tag);
	if (registry_request(r, path, NULL, &resp, err) < 0)
		goto out;
	free(resp.body);
	if (resp.status != 201) {
		http_error(r, "PUT manifest", img->manifest_digest, &resp, err);
		goto out;
	}
	if (digest_valid(resp.docker_digest) && strcmp(resp.docker_digest, img->manifest_digest)) {
		mr_fail(err, 0, "manifest %s: the registry stored it as %s", img->manifest_digest,
			resp.docker_digest);
		goto out;
	}
	strcpy(digest, img->manifest_digest);
	if (!o->quiet)
		fprintf(out, "%s: digest: %s size: %zu\n", ref->tag, digest, len);
	rc = 0;
out:
	progress_free(pr);
	return rc;
}

/* the tags the store has for REF's repository, as a JSON array of strings (-a) */
static json_t *repo_tags(const struct store *st, const struct image_ref *ref, struct mr_err *err)
{
	json_t *idx = store_index_load(st, err), *e, *tags;
	size_t i;
	if (!idx)
		return NULL;
	tags = json_array();
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		const char *name = json_string_value(
			json_object_get(json_object_get(e, "annotations"), IMAGE_ANN_NAME));
		struct image_ref other;
		if (name && ref_parse(name, &other, NULL) == 0 && other.tag[0] &&
		    !strcmp(other.domain, ref->domain) && !strcmp(other.path, ref->path))
			json_array_append_new(tags, json_string(other.tag));
	}
	json_decref(idx);
	return tags;
}

/* push tag REF->tag: resolve it, send it, record its RepoDigest */
static int push_tag(const struct store *st, struct registry *r, const struct image_ref *ref,
		    const char *repo, const struct push_opts *o, struct mr_err *err)
{
	struct image img = {0};
	char canon[600], digest[IMAGE_DIGEST_LEN + 1];
	ref_canonical(ref, canon, sizeof(canon));
	if (image_resolve(st, canon, &img, NULL) < 0)
		return mr_fail(err, 0, "An image does not exist locally with the tag: %s", repo);
	int rc = push_locked(st, r, ref, &img, o, digest, err);
	/* the name now has a digest in that repository: docker's RepoDigests */
	if (rc == 0)
		image_add(st, canon, img.manifest_digest, digest, NULL, NULL);
	image_free(&img);
	return rc;
}

int image_push(const struct store *st, const char *name, const struct push_opts *o,
	       struct mr_err *err)
{
	struct image_ref ref;
	struct registry r;
	char repo[600];
	FILE *out = o->out ? o->out : stdout;
	const char *last = strrchr(name, '/');
	int tagged = strchr(last ? last : name, ':') != NULL;
	if (ref_parse(name, &ref, err) < 0)
		return -1;
	if (ref.digest[0])
		return mr_fail(err, 0, "cannot push a digest reference '%s': push NAME:TAG", name);
	if (o->all_tags && tagged)
		return mr_fail(err, 0, "tag can't be used with --all-tags/-a: push %.*s -a",
			       (int)(strrchr(name, ':') - name), name);
	ref_familiar_repo(&ref, repo, sizeof(repo));
	json_t *tags = o->all_tags ? repo_tags(st, &ref, err) : json_pack("[s]", ref.tag);
	if (!tags)
		return -1;
	if (!o->quiet) {
		if (!tagged && !o->all_tags)
			fprintf(out, "Using default tag: %s\n", ref.tag);
		/* docker names Hub's repositories in full here: [docker.io/library/busybox] */
		if (!strcmp(ref.domain, "docker.io"))
			fprintf(out, "The push refers to repository [docker.io/%s]\n", ref.path);
		else
			fprintf(out, "The push refers to repository [%s]\n", repo);
		fflush(out);
	}
	if (json_array_size(tags) == 0) {
		json_decref(tags);
		return mr_fail(err, 0, "An image does not exist locally with the tag: %s", repo);
	}
	if (registry_open(&r, &ref, o->insecure, err) < 0) {
		json_decref(tags);
		return -1;
	}
	/* the blobs must stay while they are read: no gc runs under a shared STORE_ADDING */
	int rc = store_lock(st, STORE_ADDING, err);
	if (rc == 0) {
		size_t i;
		json_t *t;
		json_array_foreach(tags, i, t)
		{
			snprintf(ref.tag, sizeof(ref.tag), "%s", json_string_value(t));
			if ((rc = push_tag(st, &r, &ref, repo, o, err)) < 0)
				break;
			char pushed[800]; /* docker's push event: REPO:TAG, named by REPO */
			snprintf(pushed, sizeof(pushed), "%s:%s", repo, ref.tag);
			image_event(st, "push", pushed, repo, NULL);
		}
		store_unlock(st, STORE_ADDING);
	}
	registry_close(&r);
	json_decref(tags);
	return rc;
}

int cmd_push(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all-tags", no_argument, NULL, 'a'}, {"tls-verify", required_argument, NULL, 't'},
		{"insecure", no_argument, NULL, 'k'}, {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
	};
	struct push_opts o = {0};
	int c;
	optind = 0;
	opterr = 0; /* mr_flag_error says it, in docker's words */
	while ((c = getopt_long(argc, argv, ":aqh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o.all_tags = 1; break;
		case 't': o.insecure = !strcmp(optarg, "false") ? 1 : -1; break;
		case 'k': o.insecure = 1; break;
		case 'q': o.quiet = 1; break;
		case 'h':
			printf("Usage:  minirun push [OPTIONS] NAME[:TAG]\n\n"
			       "Upload an image to a registry\n\n"
			       "Options:\n"
			       "  -a, --all-tags          Push all tags of the repository\n"
			       "      --insecure          Allow plain http and unverified TLS\n"
			       "  -q, --quiet             Suppress verbose output\n"
			       "      --tls-verify bool   false: as --insecure (the default for "
			       "127.0.0.0/8);\n"
			       "                          true: verify even there (a CA in "
			       "$MINIRUN_CERTS_D/HOST/ca.crt)\n\n"
			       "Credentials: `minirun login`.\n");
			return 0;
		default: return mr_flag_error(c, "push", argv);
		}
	}
	if (argc - optind != 1)
		return mr_operand_error("push", "\"push\" requires exactly 1 argument.");
	struct store st;
	struct mr_err err = {0};
	if (image_open_store(&st))
		return 1;
	if (registry_curl_load(&err) < 0) {
		store_close(&st);
		return image_error(&err);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = image_push(&st, argv[optind], &o, &err);
	store_close(&st);
	return rc < 0 ? image_error(&err) : 0;
}
