/*
 * minirun/build/fetch.c - ADD's http(s) source: one URL downloaded into a file, as
 * BuildKit's HTTP source does it.
 *
 *   ADD https://example.com/app.tar.gz /opt/     -> /opt/app.tar.gz, mode 0600, not unpacked
 *
 * One GET with libcurl (opened on first use: minirun/image/curl_dl.c), redirects followed,
 * the body streamed to a file while its sha256 is computed; the answer's status, reason
 * phrase and Last-Modified are kept for the caller. A status of 400 or more is a failure
 * naming the URL and the status. TLS is verified against the system's CAs, or the file
 * SSL_CERT_FILE names (as Go programs, BuildKit among them, honour it).
 *
 * See: https://docs.docker.com/reference/dockerfile/#adding-files-from-a-url ; builder.h;
 * libcurl-tutorial(3); RFC 9110 section 8.8.2 (Last-Modified).
 */
#include "minirun/build/builder.h"

#include <strings.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "minirun/image/registry.h"

struct fetch_ctx {
	int fd;
	EVP_MD_CTX *md;
	struct url_fetch *f;
	int write_errno;
};

/* each response header: the status line's reason phrase (the last response's wins) */
static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_ctx *c = arg;
	size_t len = size * n;
	if (len > 5 && !strncmp(data, "HTTP/", 5)) { /* "HTTP/1.1 404 Not Found\r\n" */
		char line[256];
		snprintf(line, sizeof(line), "%.*s", (int)len, data);
		line[strcspn(line, "\r\n")] = '\0';
		char *p = strchr(line, ' ');
		p = p ? strchr(p + 1, ' ') : NULL;
		snprintf(c->f->reason, sizeof(c->f->reason), "%s", p ? p + 1 : "");
	}
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_ctx *c = arg;
	size_t len = size * n;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(c->fd, data + off, len - off);
		if (w < 0) {
			c->write_errno = errno;
			return 0; /* curl stops with CURLE_WRITE_ERROR */
		}
		off += (size_t)w;
	}
	EVP_DigestUpdate(c->md, data, len);
	c->f->size += len;
	return len;
}

int fetch_url(const char *url, int fd, struct url_fetch *f, struct mr_err *err)
{
	memset(f, 0, sizeof(*f));
	f->mtime = -1;
	if (registry_curl_load(err) < 0)
		return -1;
	CURL *c = curl_easy_init();
	struct fetch_ctx ctx = {.fd = fd, .f = f, .md = EVP_MD_CTX_new()};
	if (!c || !ctx.md || !EVP_DigestInit_ex(ctx.md, EVP_sha256(), NULL)) {
		if (c)
			curl_easy_cleanup(c);
		EVP_MD_CTX_free(ctx.md);
		return mr_fail(err, ENOMEM, "GET %s", url);
	}
	char curl_err[CURL_ERROR_SIZE] = "";
	const char *ca = getenv("SSL_CERT_FILE");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_FILETIME, 1L); /* Last-Modified, as seconds */
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &ctx);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &ctx);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "minirun/0.1");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L); /* stalled 60 s: give up */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 0L); /* the status is ours to judge */
	if (ca && *ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	mr_say("ADD: GET %s", url);
	CURLcode rc = curl_easy_perform(c);
	long filetime = -1;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f->status);
	curl_easy_getinfo(c, CURLINFO_FILETIME, &filetime);
	curl_easy_cleanup(c);
	unsigned char d[32];
	EVP_DigestFinal_ex(ctx.md, d, NULL);
	EVP_MD_CTX_free(ctx.md);
	if (rc != CURLE_OK) {
		if (ctx.write_errno)
			return mr_fail(err, ctx.write_errno, "GET %s: write the download", url);
		return mr_fail(err, 0, "GET %s: %s", url,
			       curl_err[0] ? curl_err : curl_easy_strerror(rc));
	}
	if (f->status >= 400 || f->status < 200)
		return mr_fail(err, 0, "GET %s: invalid response status %ld%s%s", url, f->status,
			       f->reason[0] ? " " : "", f->reason);
	f->mtime = filetime;
	strcpy(f->digest, "sha256:");
	for (int i = 0; i < 32; i++)
		sprintf(f->digest + 7 + 2 * i, "%02x", d[i]);
	mr_say("ADD: %s: %ld, %llu bytes, %s", url, f->status, (unsigned long long)f->size,
	       f->digest);
	return 0;
}

bool fetch_is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

void fetch_url_filename(const char *url, char *buf, size_t len)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	p += strcspn(p, "/?#"); /* the path starts after the host */
	size_t plen = strcspn(p, "?#");
	while (plen && p[plen - 1] == '/') /* path.Base drops trailing slashes */
		plen--;
	const char *base = p + plen;
	while (base > p && base[-1] != '/')
		base--;
	size_t blen = (size_t)(p + plen - base);
	if (!blen || (blen == 1 && *base == '.'))
		snprintf(buf, len, "__unnamed__"); /* BuildKit's name for a URL without one */
	else
		snprintf(buf, len, "%.*s", (int)blen, base);
}
