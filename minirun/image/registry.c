/*
 * minirun/image/registry.c - talking HTTP to a registry (OCI distribution API) with libcurl.
 *
 * One request, as every registry client makes it:
 *
 *   GET /v2/REPO/manifests/TAG              -> 401, WWW-Authenticate: Bearer realm="R",
 *                                              service="S",scope="repository:REPO:pull"
 *   GET R?service=S&scope=repository:REPO:pull  (anonymous, or with basic credentials)
 *                                           -> {"token": "T"}
 *   GET /v2/REPO/manifests/TAG  Authorization: Bearer T   -> 200, the manifest
 *   GET /v2/REPO/blobs/DIGEST   Authorization: Bearer T   -> 307 Location: https://cdn/...
 *   GET https://cdn/...         (no Authorization: the token is for the registry only)
 *
 * Redirects are followed here, by hand, rather than by curl: so the code shows that the
 * token is never sent to the blob storage a registry redirects to. A registry that only
 * speaks Basic auth gets the credentials directly. Credentials come from a docker-style
 * config.json ($DOCKER_CONFIG/config.json, ~/.docker/config.json, or podman's auth.json):
 * {"auths": {"HOST": {"auth": base64("user:password")}}}, which auth.c reads and writes.
 *
 * Push (push.c) uses the same request with other methods: HEAD a blob, POST an upload,
 * PUT its bytes (read from the store's file as curl sends them) and the manifest. A body is
 * sent again from its start when the first answer is a 401.
 *
 * "Insecure" registries (--insecure, and 127.0.0.0/8, ::1 and localhost as docker treats
 * them) are tried with https without certificate checks first, then with plain http. A
 * registry with a certificate from its own CA is trusted through a certs.d directory, as
 * podman and docker do: CERTS_D/HOST:PORT/ca.crt ($MINIRUN_CERTS_D, else
 * /etc/containers/certs.d, else /etc/docker/certs.d).
 *
 * See: https://distribution.github.io/distribution/spec/auth/token/,
 *      opencontainers/distribution-spec spec.md, curl_easy_setopt(3)
 */
#include "minirun/image/registry.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/image/auth.h"

/* ---- one HTTP exchange -------------------------------------------------------------------- */

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct reg_resp *r = ctx;
	size_t len = size * n;
	char line[2048];
	snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) - 1 ? len : sizeof(line) - 1),
		 data);
	line[strcspn(line, "\r\n")] = 0;
	if (!strncmp(line, "HTTP/", 5)) {
		/* a new response (after a 100 Continue, or each hop): forget the last one's */
		r->content_type[0] = r->docker_digest[0] = r->www_auth[0] = 0;
		r->location[0] = r->range[0] = 0;
		r->length = -1;
		return len;
	}
	static const struct {
		const char *name;
		size_t off, size;
	} keep[] = {
		{"content-type:", offsetof(struct reg_resp, content_type), sizeof(r->content_type)},
		{"docker-content-digest:", offsetof(struct reg_resp, docker_digest),
		 sizeof(r->docker_digest)},
		{"www-authenticate:", offsetof(struct reg_resp, www_auth), sizeof(r->www_auth)},
		{"location:", offsetof(struct reg_resp, location), sizeof(r->location)},
		{"range:", offsetof(struct reg_resp, range), sizeof(r->range)},
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		size_t k = strlen(keep[i].name);
		if (strncasecmp(line, keep[i].name, k) != 0)
			continue;
		const char *v = line + k + strspn(line + k, " \t");
		snprintf((char *)r + keep[i].off, keep[i].size, "%s", v);
	}
	if (!strncasecmp(line, "content-length:", 15))
		r->length = strtoll(line + 15, NULL, 10);
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct reg_resp *r = ctx;
	size_t len = size * n;
	long code = 0;
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &code);
	r->received += len;
	/* only a 200's body goes to the sink; an error's is kept (a little) for the message */
	if (code == 200 && r->sink) {
		if (r->max && r->received > r->max) {
			r->too_big = 1;
			return 0;
		}
		errno = 0;
		if (r->sink(r->sink_ctx, data, len) < 0) {
			r->sink_errno = errno;
			return 0;
		}
		return len;
	}
	if (code == 200 && r->max && r->received > r->max) {
		r->too_big = 1;
		return 0;
	}
	size_t cap = code == 200 ? (r->max ? r->max : (size_t)64 << 20) : 8192;
	if (r->len + len > cap)
		return code == 200 ? 0 : len;
	if (r->len + len + 1 > r->cap) {
		size_t nc = (r->len + len + 1) * 2;
		char *nb = realloc(r->body, nc);
		if (!nb)
			return 0;
		r->body = nb;
		r->cap = nc;
	}
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = 0;
	return len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ult,
		       curl_off_t ulnow)
{
	struct reg_resp *r = ctx;
	if (r->progress && r->upload_path)
		r->progress(r->sink_ctx, (uint64_t)ulnow, (uint64_t)ult);
	else if (r->progress)
		r->progress(r->sink_ctx, (uint64_t)dlnow, (uint64_t)dltotal);
	return 0;
}

/* the body sent: from memory, or from the file (pread, so a resend after a 401 starts over) */
struct upload {
	struct reg_resp *resp;
	int fd;
	uint64_t sent;
};

static size_t on_read(char *buf, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	struct reg_resp *r = u->resp;
	uint64_t total = r->upload_path ? r->upload_len : r->data_len;
	size_t want = size * n;
	if (want > total - u->sent)
		want = total - u->sent;
	if (!want)
		return 0;
	if (!r->upload_path) {
		memcpy(buf, (const char *)r->data + u->sent, want);
	} else {
		ssize_t got = pread(u->fd, buf, want, (off_t)(r->upload_off + u->sent));
		if (got <= 0)
			return CURL_READFUNC_ABORT;
		want = (size_t)got;
	}
	u->sent += want;
	return want;
}

/* a URL's "scheme://host[:port]" part, to tell whether a redirect leaves the registry */
static void url_origin(const char *url, char *out, size_t len)
{
	const char *s = strstr(url, "://");
	size_t n = s ? (size_t)(s + 3 - url) + strcspn(s + 3, "/?#") : strlen(url);
	snprintf(out, len, "%.*s", (int)n, url);
}

static int perform(struct registry *r, const char *url, const char *accept, int with_auth,
		   struct reg_resp *resp, struct mr_err *err)
{
	CURL *c = r->curl;
	struct curl_slist *h = NULL;
	char line[4200];
	const char *method = resp->method ? resp->method : "GET";
	/* Go's spelling, as docker's messages have it: Get "URL": ..., Put "URL": ... */
	char verb[8];
	snprintf(verb, sizeof(verb), "%c%s", method[0], method + 1);
	for (char *v = verb + 1; *v; v++)
		*v = (char)tolower((unsigned char)*v);
	struct upload up = {.resp = resp, .fd = -1};
	int sending = resp->upload_path || resp->data_len || !strcmp(method, "PUT") ||
		      !strcmp(method, "PATCH") || !strcmp(method, "POST");
	if (resp->upload_path && (up.fd = open(resp->upload_path, O_RDONLY | O_CLOEXEC)) < 0)
		return mr_fail(err, errno, "open '%s'", resp->upload_path);
	curl_easy_reset(c);
	resp->curl = c;
	resp->len = 0;
	resp->received = 0;
	resp->status = 0;
	resp->length = -1;
	resp->location[0] = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* by hand: see the top of the file */
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, resp);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, resp->progress ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "minirun/0.1");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* a stalled transfer (under 1 byte/s for 60 s) is an error, not a hang */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (r->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (r->cafile[0]) {
		curl_easy_setopt(c, CURLOPT_CAINFO, r->cafile);
	}
	if (!strcmp(method, "HEAD")) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (sending) {
		/* PUT with a body of known length; POST and PATCH are the same request renamed */
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, &up);
		curl_easy_setopt(
			c, CURLOPT_INFILESIZE_LARGE,
			(curl_off_t)(resp->upload_path ? resp->upload_len : resp->data_len));
		if (strcmp(method, "PUT") != 0)
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		/* no "Expect: 100-continue" wait: the registry reads what it is sent */
		h = curl_slist_append(h, "Expect:");
		if (resp->header)
			h = curl_slist_append(h, resp->header);
		if (resp->upload_type) {
			snprintf(line, sizeof(line), "Content-Type: %s", resp->upload_type);
			h = curl_slist_append(h, line);
		}
	}
	if (accept) {
		snprintf(line, sizeof(line), "Accept: %s", accept);
		h = curl_slist_append(h, line);
	}
	if (with_auth && r->token) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", r->token);
		h = curl_slist_append(h, line);
	} else if (with_auth && r->use_basic && r->basic[0]) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, r->basic);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	mr_say("%s %s%s", method, url,
	       with_auth && (r->token || r->use_basic) ? " (authorized)" : "");
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	/* a redirect's target made absolute by curl; a 201/202's Location stays as sent */
	char *loc = NULL;
	curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
	if (loc)
		snprintf(resp->location, sizeof(resp->location), "%s", loc);
	else if (resp->location[0] == '/')
		snprintf(resp->location, sizeof(resp->location), "%s%s", r->base,
			 strcpy(line, resp->location));
	curl_slist_free_all(h);
	if (up.fd >= 0)
		close(up.fd);
	if (rc == CURLE_OK)
		return 0;
	resp->curl_error = rc;
	if (resp->too_big)
		return mr_fail(err, 0,
			       "%s \"%s\": the response is larger than the %zu bytes expected",
			       verb, url, resp->max);
	/* Why before the short-read message: a sink that could not store what came (a full
	 * disk) stops the transfer too, and curl's "Failed writing received data" read as
	 * the connection's fault */
	if (rc == CURLE_WRITE_ERROR && resp->sink_errno)
		return mr_fail(err, resp->sink_errno, "%s \"%s\": store what it sent", verb, url);
	if (resp->status == 200 && resp->length > 0)
		return mr_fail(err, 0, "%s \"%s\": connection closed after %llu of %lld bytes (%s)",
			       verb, url, (unsigned long long)resp->received, resp->length,
			       curl_easy_strerror(rc));
	if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
		const char *d = getenv("MINIRUN_CERTS_D");
		return mr_fail(err, 0,
			       "%s \"%s\": %s: the registry's certificate is not trusted here: put "
			       "the CA that signed it in %s/%s/ca.crt, or use --tls-verify=false",
			       verb, url, curl_easy_strerror(rc),
			       d && *d ? d : "/etc/containers/certs.d", r->host);
	}
	return mr_fail(err, 0, "%s \"%s\": %s", verb, url, curl_easy_strerror(rc));
}

/* fetch a bearer token for CHALLENGE; 0, -2 if the token server refused us (401/403), or
 * -1 with err */
static int fetch_token(struct registry *r, const char *challenge, struct mr_err *err)
{
	struct auth_challenge ch;
	char url[2400];
	const char *realm = ch.realm;
	auth_challenge_parse(challenge, &ch);
	if (!ch.realm[0])
		return mr_fail(err, 0, "registry %s: a Bearer challenge without a realm: %s",
			       r->host, challenge);
	/* no scope: the registry's own (push asks for pull,push); none at all for login */
	if (!ch.scope[0] && r->repo[0])
		snprintf(ch.scope, sizeof(ch.scope), "repository:%s:pull", r->repo);
	char *es = curl_easy_escape(r->curl, ch.service, 0),
	     *esc = curl_easy_escape(r->curl, ch.scope, 0);
	snprintf(url, sizeof(url), "%s%sservice=%s%s%s", ch.realm,
		 strchr(ch.realm, '?') ? "&" : "?", es, ch.scope[0] ? "&scope=" : "",
		 ch.scope[0] ? esc : "");
	curl_free(es);
	curl_free(esc);

	struct reg_resp resp = {.max = 1 << 20};
	/* the token server gets the basic credentials (if any), the registry then the token */
	r->use_basic = 1;
	int rc = perform(r, url, "application/json", 1, &resp, err);
	r->use_basic = 0;
	if (rc == 0 && (resp.status == 401 || resp.status == 403)) {
		/* refused: the caller answers the registry's 401 as docker does ("access denied")
		 */
		free(resp.body);
		return -2;
	}
	if (rc == 0 && resp.status != 200)
		rc = mr_fail(err, 0, "token server %s answered %ld", realm, resp.status);
	json_t *j = rc == 0 ? json_loadb(resp.body ? resp.body : "", resp.len, 0, NULL) : NULL;
	const char *t = json_string_value(json_object_get(j, "token"));
	if (!t)
		t = json_string_value(json_object_get(j, "access_token"));
	if (rc == 0 && !t)
		rc = mr_fail(err, 0, "token server %s: no token in its answer", realm);
	if (rc == 0) {
		free(r->token);
		r->token = strdup(t);
	}
	json_decref(j);
	free(resp.body);
	return rc;
}

int registry_get(struct registry *r, const char *path, const char *accept, struct reg_resp *resp,
		 struct mr_err *err)
{
	resp->method = NULL;
	return registry_request(r, path, accept, resp, err);
}

int registry_request(struct registry *r, const char *path, const char *accept,
		     struct reg_resp *resp, struct mr_err *err)
{
	char url[4200], origin[600], here[600];
	int authed = 0;
	snprintf(url, sizeof(url), "%s%s", path[0] == '/' ? r->base : "", path);
	for (int hop = 0; hop < 10; hop++) {
		url_origin(url, here, sizeof(here));
		url_origin(r->base, origin, sizeof(origin));
		int ours = !strcmp(here, origin);
		if (perform(r, url, accept, ours, resp, err) < 0) {
			/* insecure: a registry speaking plain http fails the TLS handshake */
			if (ours && hop == 0 && r->insecure && !strncmp(r->base, "https://", 8) &&
			    resp->status == 0) {
				mr_say("%s: no TLS here, trying plain http", r->host);
				snprintf(r->base, sizeof(r->base), "http://%s", r->host);
				if (path[0] == '/')
					snprintf(url, sizeof(url), "%s%s", r->base, path);
				hop--;
				continue;
			}
			return -1;
		}
		if (resp->status == 401 && ours && !authed) {
			authed = 1;
			if (!strncasecmp(resp->www_auth, "Bearer", 6)) {
				int t = fetch_token(r, resp->www_auth, err);
				if (t == -2)
					return 0; /* resp is still the registry's 401 */
				if (t < 0)
					return -1;
			} else if (!strncasecmp(resp->www_auth, "Basic", 5) && r->basic[0]) {
				r->use_basic = 1;
			} else {
				return 0; /* 401: the caller says what docker says */
			}
			hop--;
			continue;
		}
		if (resp->status >= 300 && resp->status < 400 && resp->location[0] &&
		    (!resp->method || !strcmp(resp->method, "GET") ||
		     !strcmp(resp->method, "HEAD"))) {
			/* the next hop gets no Authorization unless it is the registry itself */
			snprintf(url, sizeof(url), "%s", resp->location);
			continue;
		}
		return 0;
	}
	return mr_fail(err, 0, "Get \"%s\": too many redirects", url);
}

/* docker's insecure-by-default addresses: loopback */
static int loopback(const char *host)
{
	char h[256];
	snprintf(h, sizeof(h), "%s", host);
	if (h[0] == '[') {
		return !strncmp(h, "[::1]", 5);
	}
	h[strcspn(h, ":")] = 0;
	return !strcmp(h, "localhost") || !strncmp(h, "127.", 4);
}

/* CERTS_D/HOST/ca.crt into r->cafile, from the first certs.d directory that has one */
static void find_ca(struct registry *r)
{
	const char *own = getenv("MINIRUN_CERTS_D");
	const char *dirs[] = {own && *own ? own : "/etc/containers/certs.d",
			      own && *own ? NULL : "/etc/docker/certs.d"};
	for (size_t i = 0; i < 2 && dirs[i]; i++) {
		snprintf(r->cafile, sizeof(r->cafile), "%s/%s/ca.crt", dirs[i], r->host);
		if (access(r->cafile, R_OK) == 0) {
			mr_say("%s: trusting the CA in %s", r->host, r->cafile);
			return;
		}
	}
	r->cafile[0] = 0;
}

int registry_open_host(struct registry *r, const char *host, int insecure, struct mr_err *err)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->host, sizeof(r->host), "%s", host);
	/* docker's default: loopback may be plain http; --tls-verify=true (-1) says no */
	r->insecure = insecure > 0 || (insecure == 0 && loopback(r->host));
	snprintf(r->base, sizeof(r->base), "https://%s", r->host);
	auth_find(r->host, r->basic, sizeof(r->basic));
	find_ca(r);
	if (!(r->curl = curl_easy_init()))
		return mr_fail(err, ENOMEM, "curl_easy_init");
	return 0;
}

int registry_open(struct registry *r, const struct image_ref *ref, int insecure, struct mr_err *err)
{
	if (registry_open_host(r, ref_registry_host(ref), insecure, err) < 0)
		return -1;
	snprintf(r->repo, sizeof(r->repo), "%s", ref->path);
	return 0;
}

void registry_close(struct registry *r)
{
	if (r->curl)
		curl_easy_cleanup(r->curl);
	free(r->token);
	r->curl = NULL;
	r->token = NULL;
}

/* the "code: message" of a registry's JSON error body, or "" */
void registry_error_text(const struct reg_resp *resp, char *out, size_t len, char *code,
			 size_t codelen)
{
	json_t *j = resp->body ? json_loadb(resp->body, resp->len, 0, NULL) : NULL;
	json_t *e = json_array_get(json_object_get(j, "errors"), 0);
	const char *c = json_string_value(json_object_get(e, "code"));
	const char *m = json_string_value(json_object_get(e, "message"));
	snprintf(out, len, "%s%s%s", c ? c : "", c && m ? ": " : "", m ? m : "");
	for (char *p = out; c && *p && p < out + strlen(c); p++)
		*p = (char)tolower((unsigned char)*p == '_' ? ' ' : *p);
	if (code)
		snprintf(code, codelen, "%s", c ? c : "");
	json_decref(j);
}
