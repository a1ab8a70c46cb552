/*
 * minirun/image/registry.h - the HTTP side of pull, push and login (registry.c).
 *
 * registry_request() makes one request against the registry (GET, HEAD, POST, PUT, PATCH,
 * with a body from memory or from a file), doing the bearer-token dance or basic auth on a
 * 401 and following redirects without the token. A 200's body goes to resp->sink
 * (streamed: layers) or into resp->body (small: manifests, errors).
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
	char cafile[4200]; /* CERTS_D/HOST/ca.crt when there is one, else "" */
};

struct reg_resp {
	/* in: where a 200's body goes (NULL: into body), a size limit (0: none), progress */
	int (*sink)(void *ctx, const char *data, size_t n);
	void *sink_ctx;
	size_t max;
	void (*progress)(void *ctx, uint64_t now, uint64_t total);
	const char *method;      /* NULL: GET; "HEAD", "POST", "PUT", "PATCH" */
	const char *upload_type; /* Content-Type of the body sent (NULL: none) */
	const void *data;        /* the body sent: DATA_LEN bytes from memory, ... */
	size_t data_len;         /* ... */
	const char *upload_path; /* ... or UPLOAD_LEN bytes of this file from UPLOAD_OFF */
	uint64_t upload_off, upload_len;
	const char *header; /* one more request header ("Content-Range: 0-99"), or NULL */
	/* out */
	long status;
	long long length; /* Content-Length, -1 if not sent */
	uint64_t received;
	char content_type[256], docker_digest[128], www_auth[1024], location[2048];
	char range[64]; /* an upload's "Range: 0-N" (what the registry has so far) */
	char *body;     /* the caller frees */
	size_t len, cap;
	int too_big, curl_error;
	int sink_errno; /* the errno of a sink that failed (ENOSPC: the store's disk is full) */
	CURL *curl;
};

/* registry_open - for REF's registry and repository. INSECURE 1: unverified TLS, then plain
 * http; 0: so for loopback only (docker's default); -1: verify even loopback (--tls-verify).
 * Credentials come from the auth files (auth.h), a CA from the certs.d directory
 * ($MINIRUN_CERTS_D, else /etc/containers/certs.d, /etc/docker/certs.d): DIR/HOST/ca.crt. */
int registry_open(struct registry *r, const struct image_ref *ref, int insecure,
		  struct mr_err *err);
/* registry_open_host - the same for HOST with no repository (login) */
int registry_open_host(struct registry *r, const char *host, int insecure, struct mr_err *err);
void registry_close(struct registry *r);
/* registry_request - resp->method (GET when NULL) of PATH (below base, or a whole URL the
 * registry gave: an upload's Location); 0 with resp->status set (any status), or -1 when no
 * answer came. A body to send is in resp (data, or upload_path), sent again after a 401. */
int registry_request(struct registry *r, const char *path, const char *accept,
		     struct reg_resp *resp, struct mr_err *err);
/* GET base+PATH: registry_request with no method */
int registry_get(struct registry *r, const char *path, const char *accept, struct reg_resp *resp,
		 struct mr_err *err);
/* "manifest unknown: manifest unknown" from an error body; CODE gets "MANIFEST_UNKNOWN" */
void registry_error_text(const struct reg_resp *resp, char *out, size_t len, char *code,
			 size_t codelen);

#endif
