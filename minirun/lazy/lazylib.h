/*
 * minirun/lazy/lazylib.h - a shared library opened on the first call into it, not at every start.
 *
 * The dynamic loader maps and relocates every library a program is linked with before
 * main() runs, used or not. For minirun that was most of a `minirun run`: libarchive alone
 * drags in libxml2, ICU and libstdc++ (~2.5 ms of each start, measured), and run starts
 * minirun twice (the client, and the monitor re-executed from its read-only copy). Yet
 * only a few verbs read tars (import, load, save, pull, commit, cp, diff) and only
 * published ports need nftables.
 *
 * So minirun is linked without them. Instead a file per library (archive_dl.c,
 * nftables_dl.c, crypto_dl.c) defines, under the library's own names and with the prototypes of its
 * own header, each function minirun calls (sqlite_dl.c: libsqlite3, for rpm databases;
 * ldns_dl.c: ldns, for the DNS responder of a user network);
 * MR_LAZY writes one such forwarder. The first
 * call dlopen()s the library and looks the real function up (once per function: the
 * pointer is kept in the forwarder); every call then jumps to it. The rest of the code
 * reads as plain libarchive or libnftables code, and the header's prototypes make the
 * compiler check each forwarder. A function the code starts to use and the list lacks is
 * an "undefined reference" when minirun links: the list can't silently fall behind.
 *
 * Why that is safe here: the library is loaded from the host's own /, by its soname;
 * minirun never calls into one after a chroot or pivot_root (the verbs that work inside a
 * container's files open them through openat2 from the host's root). A missing library is
 * an install problem: the first call says which Debian package to install, and exits.
 *
 * See: dlopen(3), dlsym(3); ld.so(8) "LD_DEBUG=statistics"; minirun/image/curl_dl.c
 * (libcurl, the same idea with a recoverable failure: pull says it can't, run goes on).
 */
#ifndef MINIRUN_LAZYLIB_H
#define MINIRUN_LAZYLIB_H

#include "lib/err.h"

struct mr_lazylib {
	const char *soname;  /* "libarchive.so.13" */
	const char *package; /* the Debian package that holds it: "libarchive13" */
	void (*opened)(struct mr_lazylib *lib); /* called once, right after dlopen (or NULL) */
	void *handle;                           /* dlopen's, once loaded */
};

/* mr_lazy_sym - NAME in LIB, opening LIB first if need be. Never NULL: when LIB or NAME is
 * missing it prints one line (the library, the package, dlerror) and exits 125. */
void *mr_lazy_sym(struct mr_lazylib *lib, const char *name);

/* mr_lazy_check - can SONAME be opened? 0, or -1 with err naming it and PACKAGE. For a
 * caller that will need the library in another process (the monitor), and must refuse
 * before anything is made rather than have that process exit half-way. */
int mr_lazy_check(const char *soname, const char *package, struct mr_err *err);

/* the sonames and Debian packages of the libraries opened this way */
#define MR_LIB_ARCHIVE  "libarchive.so.13", "libarchive13"
#define MR_LIB_NFTABLES "libnftables.so.1", "libnftables1"
#define MR_LIB_CRYPTO   "libcrypto.so.3", "libssl3"
#define MR_LIB_SQLITE   "libsqlite3.so.0", "libsqlite3-0"
#define MR_LIB_LDNS     "libldns.so.3", "libldns3"

/* MR_LAZY(LIB, RET, NAME, (PARAMS), (ARGS)) defines RET NAME(PARAMS), forwarding ARGS to
 * the real NAME in LIB; MR_LAZY_VOID the same for a function returning nothing. */
#define MR_LAZY(lib, ret, name, params, args)                                                      \
	ret name params                                                                            \
	{                                                                                          \
		static __typeof__(&(name)) real;                                                   \
		if (!real)                                                                         \
			real = (__typeof__(&(name)))mr_lazy_sym(&(lib), #name);                    \
		return real args;                                                                  \
	}
#define MR_LAZY_VOID(lib, name, params, args)                                                      \
	void name params                                                                           \
	{                                                                                          \
		static __typeof__(&(name)) real;                                                   \
		if (!real)                                                                         \
			real = (__typeof__(&(name)))mr_lazy_sym(&(lib), #name);                    \
		real args;                                                                         \
	}

#endif
