/*
 * minirun/image/curl_dl.c - libcurl, opened on first use instead of at every start.
 *
 * Only pull, push and login talk HTTP, but a binary linked with -lcurl makes the dynamic
 * loader map and relocate libcurl and the ~25 libraries it needs (TLS, Kerberos, LDAP, SSH,
 * IDN ...) on every start: about 5 ms of each `minirun run`, measured, for nothing. So minirun is
 * not linked with libcurl. This file defines the dozen curl functions the registry client calls;
 * the first call dlopen()s libcurl.so.4 and each function forwards to the real one. The registry
 * code reads as plain libcurl code.
 *
 * curl_easy_setopt and curl_easy_getinfo are variadic. Their one extra argument's type is
 * told by the option's number, as libcurl itself decodes it: below 10000 a long, below
 * 20000 an object pointer, below 30000 a function pointer, below 40000 a curl_off_t, above
 * a pointer again (CURLOPTTYPE_* in curl.h). getinfo always takes a pointer.
 *
 * See: dlopen(3), dlsym(3); curl.h "CURLOPTTYPE_LONG"; libcurl-tutorial(3).
 */
#define CURL_DISABLE_TYPECHECK /* the header's type-checking macros would rename our defs */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>

#include "minirun/image/registry.h"

/* the library's functions, looked up once; NULL until then or when it is missing */
static struct {
	void *lib;
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	void (*easy_reset)(CURL *);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} cd;

static const struct {
	const char *name;
	size_t off;
} syms[] = {
#define SYM(f)                                                                                     \
	{                                                                                          \
		"curl_" #f, offsetof(__typeof__(cd), f)                                            \
	}
	SYM(global_init),  SYM(easy_init),   SYM(easy_reset),   SYM(easy_cleanup),
	SYM(easy_perform), SYM(easy_setopt), SYM(easy_getinfo), SYM(easy_strerror),
	SYM(easy_escape),  SYM(free),        SYM(slist_append), SYM(slist_free_all),
#undef SYM
};

int registry_curl_load(struct mr_err *err)
{
	if (cd.lib)
		return 0;
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return mr_fail(
			err, 0,
			"the registry client (pull, push, login) needs libcurl (Debian package libcurl4): %s",
			dlerror());
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(lib, syms[i].name);
		if (!f) {
			dlclose(lib);
			return mr_fail(err, 0, "libcurl.so.4 has no %s", syms[i].name);
		}
		*(void **)((char *)&cd + syms[i].off) = f;
	}
	cd.lib = lib;
	return 0;
}

/* every wrapper loads the library first; without it they fail as libcurl would */
static int loaded(void)
{
	return cd.lib || registry_curl_load(NULL) == 0;
}

CURLcode curl_global_init(long flags)
{
	return loaded() ? cd.global_init(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void)
{
	return loaded() ? cd.easy_init() : NULL;
}

void curl_easy_reset(CURL *c)
{
	if (loaded())
		cd.easy_reset(c);
}

void curl_easy_cleanup(CURL *c)
{
	if (loaded())
		cd.easy_cleanup(c);
}

CURLcode curl_easy_perform(CURL *c)
{
	return loaded() ? cd.easy_perform(c) : CURLE_FAILED_INIT;
}

CURLcode curl_easy_setopt(CURL *c, CURLoption opt, ...)
{
	if (!loaded())
		return CURLE_FAILED_INIT;
	va_list ap;
	va_start(ap, opt);
	CURLcode rc;
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = cd.easy_setopt(c, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		rc = cd.easy_setopt(c, opt, va_arg(ap, void *));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = cd.easy_setopt(c, opt, va_arg(ap, void (*)(void)));
	else if (opt < CURLOPTTYPE_BLOB)
		rc = cd.easy_setopt(c, opt, va_arg(ap, curl_off_t));
	else
		rc = cd.easy_setopt(c, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_getinfo(CURL *c, CURLINFO info, ...)
{
	if (!loaded())
		return CURLE_FAILED_INIT;
	va_list ap;
	va_start(ap, info);
	CURLcode rc = cd.easy_getinfo(c, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

const char *curl_easy_strerror(CURLcode code)
{
	return loaded() ? cd.easy_strerror(code) : "libcurl is not available";
}

char *curl_easy_escape(CURL *c, const char *s, int len)
{
	return loaded() ? cd.easy_escape(c, s, len) : NULL;
}

void curl_free(void *p)
{
	if (loaded())
		cd.free(p);
}

struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s)
{
	return loaded() ? cd.slist_append(l, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *l)
{
	if (loaded())
		cd.slist_free_all(l);
}
