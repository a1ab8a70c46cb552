/*
 * minirun/image/ref.c - image references: "busybox" means docker.io/library/busybox:latest.
 *
 * A reference is [DOMAIN/]PATH[:TAG][@DIGEST]. The first path component is a DOMAIN only
 * if it looks like a host: it contains a '.' or a ':' or is "localhost" (so "foo/bar" is a
 * repository on Docker Hub, and "127.0.0.1:5000/bar" is not). Docker Hub repositories with
 * one component live under "library/". A reference with neither tag nor digest means
 * ":latest". These rules are docker's (distribution/reference), kept here in a page.
 *
 * See: https://github.com/distribution/reference (the grammar), docker-pull(1)
 */
#include "minirun/image/image.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#define DEFAULT_DOMAIN "docker.io"

int digest_valid(const char *d)
{
	if (strncmp(d, "sha256:", 7) != 0 || strlen(d) != IMAGE_DIGEST_LEN)
		return 0;
	for (const char *p = d + 7; *p; p++)
		if (!isdigit((unsigned char)*p) && !(*p >= 'a' && *p <= 'f'))
			return 0;
	return 1;
}

/* [a-z0-9]+ separated by '.', '_', '__' or runs of '-'; 1 if COMP (of length N) matches */
static int path_component_ok(const char *c, size_t n)
{
	if (n == 0 || !isalnum((unsigned char)c[0]) || !isalnum((unsigned char)c[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = c[i];
		if ((ch >= 'a' && ch <= 'z') || isdigit((unsigned char)ch))
			continue;
		if (ch == '.' || ch == '_' || ch == '-') {
			/* '.' and '_' alone, "__", or any run of '-' */
			size_t run = 1;
			while (i + run < n && c[i + run] == ch)
				run++;
			if ((ch == '.' && run > 1) || (ch == '_' && run > 2))
				return 0;
			i += run - 1;
			continue;
		}
		return 0;
	}
	return 1;
}

/* a host name or address, then an optional :port */
static int domain_ok(const char *d)
{
	const char *colon = strrchr(d, ':');
	size_t host = colon ? (size_t)(colon - d) : strlen(d);
	if (host == 0)
		return 0;
	for (size_t i = 0; i < host; i++)
		if (!isalnum((unsigned char)d[i]) && d[i] != '.' && d[i] != '-')
			return 0;
	if (colon) {
		if (!colon[1])
			return 0;
		for (const char *p = colon + 1; *p; p++)
			if (!isdigit((unsigned char)*p))
				return 0;
	}
	return 1;
}

/* [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
static int tag_ok(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > 128 || !(isalnum((unsigned char)t[0]) || t[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && !strchr("_.-", t[i]))
			return 0;
	return 1;
}

int ref_parse(const char *s, struct image_ref *ref, struct mr_err *err)
{
	char buf[512];
	memset(ref, 0, sizeof(*ref));
	if (!*s || strlen(s) >= sizeof(buf))
		return mr_fail(err, 0, "invalid reference format: '%s' is %s", s,
			       *s ? "too long" : "empty");
	strcpy(buf, s);

	/* @digest, then :tag (a ':' after the last '/': before it, it is a port) */
	char *at = strchr(buf, '@');
	if (at) {
		*at = 0;
		if (!digest_valid(at + 1))
			return mr_fail(err, 0,
				       "invalid reference format: '%s': a digest is sha256: and 64 "
				       "lowercase hex digits",
				       s);
		strcpy(ref->digest, at + 1);
	}
	char *slash = strrchr(buf, '/');
	char *colon = strrchr(slash ? slash : buf, ':');
	if (colon) {
		*colon = 0;
		if (!tag_ok(colon + 1))
			return mr_fail(err, 0,
				       "invalid reference format: '%s': a tag is up to 128 of "
				       "[A-Za-z0-9_.-], not starting with '.' or '-'",
				       s);
		strcpy(ref->tag, colon + 1);
	}

	/* the domain: a first component that looks like a host */
	char *name = buf;
	char *first = strchr(buf, '/');
	if (first && (memchr(buf, '.', first - buf) || memchr(buf, ':', first - buf) ||
		      (first - buf == 9 && !strncmp(buf, "localhost", 9)))) {
		*first = 0;
		if (!domain_ok(buf))
			return mr_fail(err, 0, "invalid reference format: '%s': bad registry '%s'",
				       s, buf);
		snprintf(ref->domain, sizeof(ref->domain), "%s", buf);
		name = first + 1;
	} else {
		strcpy(ref->domain, DEFAULT_DOMAIN);
	}
	if (!strcmp(ref->domain, "index.docker.io"))
		strcpy(ref->domain, DEFAULT_DOMAIN);

	/* the path: components of [a-z0-9] with separators */
	for (const char *c = name;;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (!path_component_ok(c, n)) {
			for (size_t i = 0; i < n; i++)
				if (isupper((unsigned char)c[i]))
					/* docker's words (distribution/reference's) */
					return mr_fail(err, 0,
						       "invalid reference format: repository name "
						       "must be lowercase");
			return mr_fail(err, 0,
				       "invalid reference format: '%s': a repository name is "
				       "[a-z0-9] parts separated by '/', '.', '_' or '-'",
				       s);
		}
		if (!end)
			break;
		c = end + 1;
	}
	int hub = !strcmp(ref->domain, DEFAULT_DOMAIN);
	int n = snprintf(ref->path, sizeof(ref->path), "%s%s",
			 hub && !strchr(name, '/') ? "library/" : "", name);
	if (n >= (int)sizeof(ref->path) || strlen(ref->domain) + 1 + strlen(ref->path) > 255)
		return mr_fail(err, 0, "invalid reference format: '%s': name longer than 255", s);
	if (!ref->tag[0] && !ref->digest[0])
		strcpy(ref->tag, "latest");
	return 0;
}

void ref_canonical(const struct image_ref *ref, char *buf, size_t len)
{
	/* a digest wins over a tag: the digest is what was asked for */
	if (ref->digest[0])
		snprintf(buf, len, "%s/%s@%s", ref->domain, ref->path, ref->digest);
	else
		snprintf(buf, len, "%s/%s:%s", ref->domain, ref->path, ref->tag);
}

/* would PATH's first component be read as a registry host ("a.b/x", "h:1/x",
 * "localhost/x")? Then docker.io/PATH can't drop its docker.io: it would name another
 * registry */
static int looks_like_host(const char *path)
{
	size_t n = strcspn(path, "/");
	return path[n] == '/' && (memchr(path, '.', n) || memchr(path, ':', n) ||
				  (n == 9 && !strncmp(path, "localhost", 9)));
}

void ref_familiar_repo(const struct image_ref *ref, char *buf, size_t len)
{
	if (strcmp(ref->domain, DEFAULT_DOMAIN) != 0 || looks_like_host(ref->path))
		snprintf(buf, len, "%s/%s", ref->domain, ref->path);
	else if (!strncmp(ref->path, "library/", 8) && !strchr(ref->path + 8, '/'))
		snprintf(buf, len, "%s", ref->path + 8);
	else
		snprintf(buf, len, "%s", ref->path);
}

char *ref_familiar_name(const char *canonical, char *buf, size_t len)
{
	struct image_ref r;
	char repo[600];
	if (ref_parse(canonical, &r, NULL) < 0) {
		snprintf(buf, len, "%s", canonical);
		return buf;
	}
	ref_familiar_repo(&r, repo, sizeof(repo));
	if (r.digest[0])
		snprintf(buf, len, "%s@%s", repo, r.digest);
	else
		snprintf(buf, len, "%s:%s", repo, r.tag);
	return buf;
}

const char *ref_registry_host(const struct image_ref *ref)
{
	return strcmp(ref->domain, DEFAULT_DOMAIN) ? ref->domain : "registry-1.docker.io";
}

/* this machine's GOARCH name (what image configs and manifest lists say) */
static const char *host_arch(void)
{
	static const struct {
		const char *uname, *goarch;
	} archs[] = {
		{"x86_64", "amd64"},    {"aarch64", "arm64"},   {"armv7l", "arm"},
		{"i686", "386"},        {"ppc64le", "ppc64le"}, {"s390x", "s390x"},
		{"riscv64", "riscv64"},
	};
	struct utsname u;
	if (uname(&u) == 0)
		for (size_t i = 0; i < sizeof(archs) / sizeof(archs[0]); i++)
			if (!strcmp(u.machine, archs[i].uname))
				return archs[i].goarch;
	return "amd64";
}

int image_platform(const char *spec, char os[32], char arch[32], char variant[32],
		   struct mr_err *err)
{
	char buf[96];
	strcpy(os, "linux");
	strcpy(arch, host_arch());
	variant[0] = 0;
	if (!strcmp(arch, "arm"))
		strcpy(variant, "v7");
	if (!spec || !*spec)
		return 0;
	if (strlen(spec) >= sizeof(buf))
		return mr_fail(err, 0, "--platform '%s': too long", spec);
	strcpy(buf, spec);
	char *a = strchr(buf, '/'), *v = a ? strchr(a + 1, '/') : NULL;
	if (!a || !a[1] || a == buf || v == a + 1 || (v && !v[1]))
		return mr_fail(err, 0,
			       "--platform '%s': expected OS/ARCH[/VARIANT], e.g. linux/arm64",
			       spec);
	*a++ = 0;
	if (v)
		*v++ = 0;
	snprintf(os, 32, "%s", buf);
	snprintf(arch, 32, "%s", a);
	snprintf(variant, 32, "%s", v ? v : "");
	return 0;
}
