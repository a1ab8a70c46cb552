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
 * {"auths": {"HOST": {"auth": base64("user:password")}}}.
 *
 * "Insecure" registries (--insecure, and 127.0.0.0/8, ::1 and localhost as docker treats
 * them) are tried with https without certificate checks first, then with plain http.
 *
 * See: https://distribution.github.io/distribution/spec/auth/token/,
 *      opencontainers/distribution-spec spec.md, curl_easy_setopt(3)
 */
#include "minirun/image/registry.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lib/cleanup.h"
#include "lib/file.h"

/* ---- credentials from config.json --------------------------------------------------------- */

/* the "auths" keys that may name HOST, as docker and podman write them */
static int auth_key_matches(const char *key, const char *host)
{
	const char *k = key;
	if (!strncmp(k, "https://", 8))
		k += 8;
	else if (!strncmp(k, "http://", 7))
		k += 7;
	size_t n = strcspn(k, "/");
	if (strlen(host) == n && !strncmp(k, host, n))
		return 1;
	/* Docker Hub goes by several names */
	static const char *hub[] = {"index.docker.io", "registry-1.docker.io", "docker.io"};
	int kh = 0, hh = 0;
	for (size_t i = 0; i < 3; i++) {
		kh |= strlen(hub[i]) == n && !strncmp(k, hub[i], n);
		hh |= !strcmp(host, hub[i]);
	}
	return kh && hh;
}

/* find "user:password" for HOST in the first config file that has it; "" if none */
static void find_credentials(const char *host, char *out, size_t len)
{
	char paths[4][4200];
	int n = 0;
	const char *e;
	out[0] = 0;
	if ((e = getenv("REGISTRY_AUTH_FILE")) && *e)
		snprintf(paths[n++], sizeof(paths[0]), "%s", e);
	if ((e = getenv("DOCKER_CONFIG")) && *e)
		snprintf(paths[n++], sizeof(paths[0]), "%s/config.json", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(paths[n++], sizeof(paths[0]), "%s/.docker/config.json", e);
	if ((e = getenv("XDG_RUNTIME_DIR")) && *e)
		snprintf(paths[n++], sizeof(paths[0]), "%s/containers/auth.json", e);
	for (int i = 0; i < n && !out[0]; i++) {
		json_t *cfg = json_load_file(paths[i], 0, NULL), *v;
		const char *key;
		json_object_foreach(json_object_get(cfg, "auths"), key, v)
		{
			const char *b64 = json_string_value(json_object_get(v, "auth"));
			const char *u = json_string_value(json_object_get(v, "username"));
			const char *p = json_string_value(json_object_get(v, "password"));
			if (!auth_key_matches(key, host))
				continue;
			if (b64 && strlen(b64) < 1024) {
				unsigned char dec[1024];
				int k = EVP_DecodeBlock(dec, (const unsigned char *)b64,
							strlen(b64));
				/* EVP_DecodeBlock counts the padding as NUL bytes: trim them */
				while (k > 0 && dec[k - 1] == 0)
					k--;
				if (k > 0 && memchr(dec, ':', k))
					snprintf(out, len, "%.*s", k, dec);
			} else if (u && p) {
				snprintf(out, len, "%s:%s", u, p);
			}
			mr_say("credentials for %s from %s", host, paths[i]);
			break;
		}
		json_decref(cfg);
	}
}

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
		return r->sink(r->sink_ctx, data, len) < 0 ? 0 : len;
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
	(void)ult;
	(void)ulnow;
	if (r->progress)
		r->progress(r->sink_ctx, (uint64_t)dlnow, (uint64_t)dltotal);
	return 0;
}

/* the value of PARAM in a challenge: Bearer realm="x",service="y" */
static void challenge_param(const char *ch, const char *param, char *out, size_t len)
{
	out[0] = 0;
	for (const char *p = ch; (p = strcasestr(p, param));) {
		const char *v = p + strlen(param);
		if ((p == ch || p[-1] == ' ' || p[-1] == ',') && v[0] == '=' && v[1] == '"') {
			const char *end = strchr(v + 2, '"');
			if (end)
				snprintf(out, len, "%.*s", (int)(end - v - 2), v + 2);
			return;
		}
		p = v;
	}
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
	mr_say("GET %s%s", url, with_auth && (r->token || r->use_basic) ? " (authorized)" : "");
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	char *loc = NULL;
	curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
	if (loc)
		snprintf(resp->location, sizeof(resp->location), "%s", loc);
	curl_slist_free_all(h);
	if (rc == CURLE_OK)
		return 0;
	resp->curl_error = rc;
	if (resp->too_big)
		return mr_fail(err, 0,
			       "Get \"%s\": the response is larger than the %zu bytes expected",
			       url, resp->max);
	if (resp->status == 200 && resp->length > 0)
		return mr_fail(
			err, 0, "Get \"%s\": connection closed after %llu of %lld bytes (%s)", url,
			(unsigned long long)resp->received, resp->length, curl_easy_strerror(rc));
	return mr_fail(err, 0, "Get \"%s\": %s", url, curl_easy_strerror(rc));
}

/* fetch a bearer token for CHALLENGE; 0, -2 if the token server refused us (401/403), or
 * -1 with err */
static int fetch_token(struct registry *r, const char *challenge, struct mr_err *err)
{
	char realm[1024], service[256], scope[512], url[2400];
	challenge_param(challenge, "realm", realm, sizeof(realm));
	challenge_param(challenge, "service", service, sizeof(service));
	challenge_param(challenge, "scope", scope, sizeof(scope));
	if (!realm[0])
		return mr_fail(err, 0, "registry %s: a Bearer challenge without a realm: %s",
			       r->host, challenge);
	if (!scope[0])
		snprintf(scope, sizeof(scope), "repository:%s:pull", r->repo);
	char *es = curl_easy_escape(r->curl, service, 0),
	     *esc = curl_easy_escape(r->curl, scope, 0);
	snprintf(url, sizeof(url), "%s%sservice=%s&scope=%s", realm, strchr(realm, '?') ? "&" : "?",
		 es, esc);
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
	char url[4200], origin[600], here[600];
	int authed = 0;
	snprintf(url, sizeof(url), "%s%s", r->base, path);
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
		if (resp->status >= 300 && resp->status < 400 && resp->location[0]) {
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

int registry_open(struct registry *r, const struct image_ref *ref, int insecure, struct mr_err *err)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->host, sizeof(r->host), "%s", ref_registry_host(ref));
	snprintf(r->repo, sizeof(r->repo), "%s", ref->path);
	r->insecure = insecure || loopback(r->host);
	snprintf(r->base, sizeof(r->base), "https://%s", r->host);
	find_credentials(r->host, r->basic, sizeof(r->basic));
	if (!(r->curl = curl_easy_init()))
		return mr_fail(err, ENOMEM, "curl_easy_init");
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
