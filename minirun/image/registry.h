/*
 * minirun/image/registry.h - the HTTP side of a pull (registry.c), used by pull.c.
 *
 * registry_get() makes one GET against the registry with its Accept header, doing the
 * bearer-token dance on a 401 and following redirects without the token. A 200's body goes
 * to resp->sink (streamed: layers) or into resp->body (small: manifests, errors).
 *
 * See: registry.c for the flow, https://distribution.github.io/distribution/spec/auth/token/
 */
#ifndef MR_IMAGE_REGISTRY_H
#define MR_IMAGE_REGISTRY_H

#include <curl/curl.h>

#include "minirun/image/image.h"

/* registry_curl_load - open libcurl (curl_dl.c: minirun is not linked with it, so that
 * only pull pays for loading it); -1 with a message naming the package when it is missing */
int registry_curl_load(struct mr_err *err);

struct registry {
	CURL *curl;
	char host[256];  /* "registry-1.docker.io", "127.0.0.1:5000" */
	char repo[256];  /* "library/busybox" */
	char base[300];  /* "https://HOST" (or "http://HOST" for an insecure one) */
	char basic[512]; /* "user:password" from config.json, or "" */
	char *token;     /* the bearer token, once fetched */
	int insecure, use_basic;
};

struct reg_resp {
	/* in: where a 200's body goes (NULL: into body), a size limit (0: none), progress */
	int (*sink)(void *ctx, const char *data, size_t n);
	void *sink_ctx;
	size_t max;
	void (*progress)(void *ctx, uint64_t now, uint64_t total);
	/* out */
	long status;
	long long length; /* Content-Length, -1 if not sent */
	uint64_t received;
	char content_type[256], docker_digest[128], www_auth[1024], location[2048];
	char *body; /* the caller frees */
	size_t len, cap;
	int too_big, curl_error;
	CURL *curl;
};

int registry_open(struct registry *r, const struct image_ref *ref, int insecure,
		  struct mr_err *err);
void registry_close(struct registry *r);
/* GET base+PATH; 0 with resp->status set (any status), or -1 when no answer came */
int registry_get(struct registry *r, const char *path, const char *accept, struct reg_resp *resp,
		 struct mr_err *err);
/* "manifest unknown: manifest unknown" from an error body; CODE gets "MANIFEST_UNKNOWN" */
void registry_error_text(const struct reg_resp *resp, char *out, size_t len, char *code,
			 size_t codelen);

#endif
