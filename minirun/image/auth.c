/*
 * minirun/image/auth.c - registry credentials in docker's config.json, and the
 * WWW-Authenticate challenge a registry answers 401 with.
 *
 * `minirun login 127.0.0.1:5000` leaves what `docker login` leaves, so skopeo, podman and
 * docker read it too (and minirun reads theirs):
 *
 *   $ cat ~/.docker/config.json
 *   {
 *     "auths": {
 *       "127.0.0.1:5000": {
 *         "auth": "dXNlcjpwYXNz"
 *       }
 *     }
 *   }
 *   $ echo dXNlcjpwYXNz | base64 -d
 *   user:pass
 *
 * base64 is an encoding, not encryption: the file is the password, which is why it is
 * mode 0600 and why docker warns about it. It is written as every shared file should be:
 * a temp file beside it, then rename(2), so a reader never sees half a file; the keys this
 * code does not know ("credsStore", "proxies", other registries) are kept as they were.
 *
 * A registry says how it wants to be asked in its 401:
 *
 *   WWW-Authenticate: Basic realm="Registry Realm"
 *   WWW-Authenticate: Bearer realm="https://auth.docker.io/token",service="registry.docker.io",
 *                     scope="repository:library/busybox:pull"
 *
 * See: RFC 4648 section 4 (base64), RFC 7235 section 4.1 (WWW-Authenticate),
 *      docker-login(1), containers-auth.json(5)
 */
#include "minirun/image/auth.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"

/* ---- base64 (RFC 4648): three bytes become four characters of this alphabet ---------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int auth_b64_encode(const void *in, size_t n, char *out, size_t len)
{
	const unsigned char *p = in;
	size_t o = 0;
	if (len < 4 * ((n + 2) / 3) + 1)
		return -1;
	for (size_t i = 0; i < n; i += 3) {
		/* 24 bits, the missing bytes as zeros; each 6 bits one character */
		unsigned v =
			p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = 0;
	return 0;
}

int auth_b64_decode(const char *in, char *out, size_t len)
{
	size_t n = strlen(in), o = 0;
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		unsigned v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			const char *c = in[i + k] ? strchr(b64, in[i + k]) : NULL;
			/* '=' only at the end: "xx==" or "xxx=" */
			if (in[i + k] == '=' && i + 4 == n && k >= 2 &&
			    (k == 3 || in[i + 3] == '=')) {
				pad++;
				v <<= 6;
				continue;
			}
			if (!c || pad)
				return -1;
			v = v << 6 | (unsigned)(c - b64);
		}
		for (int k = 0; k < 3 - pad; k++) {
			if (o + 1 >= len)
				return -1;
			out[o++] = (char)(v >> (16 - 8 * k) & 255);
		}
	}
	if (o >= len)
		return -1;
	out[o] = 0;
	return (int)o;
}

/* ---- which key names which registry ------------------------------------------------------ */

static const char *hub_names[] = {"index.docker.io", "registry-1.docker.io", "docker.io"};

static int is_hub(const char *host, size_t n)
{
	for (size_t i = 0; i < sizeof(hub_names) / sizeof(hub_names[0]); i++)
		if (strlen(hub_names[i]) == n && !strncmp(host, hub_names[i], n))
			return 1;
	return 0;
}

int auth_key_matches(const char *key, const char *host)
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
	return is_hub(k, n) && is_hub(host, strlen(host));
}

const char *auth_key_for(const char *host)
{
	return is_hub(host, strlen(host)) ? "https://index.docker.io/v1/" : host;
}

/* ---- the file ----------------------------------------------------------------------------- */

int auth_config_path(char *buf, size_t len, struct mr_err *err)
{
	const char *e;
	if ((e = getenv("DOCKER_CONFIG")) && *e)
		snprintf(buf, len, "%s/config.json", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(buf, len, "%s/.docker/config.json", e);
	else
		return mr_fail(err, 0, "no docker config directory: set DOCKER_CONFIG or HOME");
	return 0;
}

/* "user:password" from one "auths" entry: "auth" (base64), else "username" + "password" */
static int entry_credentials(json_t *v, char *out, size_t len)
{
	const char *a = json_string_value(json_object_get(v, "auth"));
	const char *u = json_string_value(json_object_get(v, "username"));
	const char *p = json_string_value(json_object_get(v, "password"));
	char dec[1024];
	int k;
	if (a && (k = auth_b64_decode(a, dec, sizeof(dec))) > 0 && memchr(dec, ':', k)) {
		snprintf(out, len, "%s", dec);
		return 1;
	}
	if (u && p) {
		snprintf(out, len, "%s:%s", u, p);
		return 1;
	}
	return 0;
}

int auth_find(const char *host, char *out, size_t len)
{
	char paths[3][4200];
	int n = 0;
	const char *e;
	out[0] = 0;
	if ((e = getenv("REGISTRY_AUTH_FILE")) && *e)
		snprintf(paths[n++], sizeof(paths[0]), "%s", e);
	if (auth_config_path(paths[n], sizeof(paths[0]), NULL) == 0)
		n++;
	if ((e = getenv("XDG_RUNTIME_DIR")) && *e)
		snprintf(paths[n++], sizeof(paths[0]), "%s/containers/auth.json", e);
	for (int i = 0; i < n; i++) {
		json_t *cfg = mr_json_load_file(paths[i], 0, NULL), *v;
		const char *key;
		int found = 0;
		json_object_foreach(json_object_get(cfg, "auths"), key, v)
		{
			if (auth_key_matches(key, host) && entry_credentials(v, out, len)) {
				mr_say("credentials for %s from %s", host, paths[i]);
				found = 1;
				break;
			}
		}
		json_decref(cfg);
		if (found)
			return 1;
	}
	return 0;
}

/* load PATH as a JSON object ({} when it does not exist yet) */
static json_t *config_load(const char *path, struct mr_err *err)
{
	json_error_t je;
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return json_object();
	json_t *cfg = mr_json_load_file(path, 0, &je);
	if (!cfg)
		mr_fail(err, 0, "%s:%d:%d: %s: fix or remove the file", path, je.line, je.column,
			je.text);
	else if (!json_is_object(cfg)) {
		json_decref(cfg);
		cfg = NULL;
		mr_fail(err, 0, "%s: not a JSON object: fix or remove the file", path);
	}
	return cfg;
}

/* write CFG to PATH: the directory 0700, the file 0600, replaced in one rename */
static int config_store(const char *path, json_t *cfg, struct mr_err *err)
{
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (mr_mkdir_p(dir, 0700, err) < 0)
			return -1;
	}
	_cleanup_free_ char *text = json_dumps(cfg, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (!text)
		return mr_fail(err, ENOMEM, "%s", path);
	size_t n = strlen(text);
	text[n] = '\n'; /* json_dumps' NUL becomes the final newline */
	return mr_write_file_atomic(path, text, n + 1, 0600, err);
}

int auth_save(const char *path, const char *key, const char *user, const char *pass,
	      struct mr_err *err)
{
	char plain[1024], enc[1400];
	if ((size_t)snprintf(plain, sizeof(plain), "%s:%s", user, pass) >= sizeof(plain) ||
	    auth_b64_encode(plain, strlen(plain), enc, sizeof(enc)) < 0)
		return mr_fail(err, 0, "the user name and password are too long");
	json_t *cfg = config_load(path, err);
	if (!cfg)
		return -1;
	json_t *auths = json_object_get(cfg, "auths");
	if (!json_is_object(auths)) {
		auths = json_object();
		json_object_set_new(cfg, "auths", auths);
	}
	/* other names of the same registry go: one entry per registry, as docker keeps it */
	const char *k;
	void *tmp;
	json_t *v;
	json_object_foreach_safe(auths, tmp, k, v)
	{
		if (strcmp(k, key) && auth_key_matches(k, key))
			json_object_del(auths, k);
	}
	json_t *entry = json_object_get(auths, key);
	if (!json_is_object(entry)) {
		entry = json_object();
		json_object_set_new(auths, key, entry);
	}
	json_object_set_new(entry, "auth", json_string(enc));
	/* a plain username/password pair left from another tool would win over "auth" there */
	json_object_del(entry, "username");
	json_object_del(entry, "password");
	int rc = config_store(path, cfg, err);
	json_decref(cfg);
	return rc;
}

int auth_remove(const char *path, const char *host, struct mr_err *err)
{
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	json_t *cfg = config_load(path, err);
	if (!cfg)
		return -1;
	json_t *auths = json_object_get(cfg, "auths"), *v;
	const char *k;
	void *tmp;
	int found = 0;
	json_object_foreach_safe(auths, tmp, k, v)
	{
		if (auth_key_matches(k, host)) {
			json_object_del(auths, k);
			found = 1;
		}
	}
	int rc = found ? config_store(path, cfg, err) : 0;
	json_decref(cfg);
	return rc < 0 ? -1 : found;
}

/* ---- WWW-Authenticate --------------------------------------------------------------------- */

void auth_challenge_parse(const char *h, struct auth_challenge *c)
{
	memset(c, 0, sizeof(*c));
	const char *p = h + strspn(h, " \t");
	size_t n = strcspn(p, " \t");
	if (!n || n >= sizeof(c->scheme))
		return;
	snprintf(c->scheme, sizeof(c->scheme), "%.*s", (int)n, p);
	p += n;
	/* then name=value pairs, separated by commas and spaces; a value quoted or bare */
	while (*p) {
		p += strspn(p, " \t,");
		size_t kn = strcspn(p, "= \t,");
		if (!kn || p[kn] != '=')
			break;
		const char *name = p;
		p += kn + 1;
		char val[1024];
		size_t o = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++; /* quoted-pair: \" is a quote */
				if (o + 1 < sizeof(val))
					val[o++] = *p;
			}
			if (*p == '"')
				p++;
		} else {
			for (; *p && *p != ',' && *p != ' ' && *p != '\t'; p++)
				if (o + 1 < sizeof(val))
					val[o++] = *p;
		}
		val[o] = 0;
		static const struct {
			const char *name;
			size_t off, size;
		} fields[] = {
			{"realm", offsetof(struct auth_challenge, realm), sizeof(c->realm)},
			{"service", offsetof(struct auth_challenge, service), sizeof(c->service)},
			{"scope", offsetof(struct auth_challenge, scope), sizeof(c->scope)},
		};
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strlen(fields[i].name) == kn && !strncasecmp(name, fields[i].name, kn))
				snprintf((char *)c + fields[i].off, fields[i].size, "%s", val);
	}
}
