/*
 * minirun/lazy/lazylib.c - dlopen a library on first use (see lazylib.h for why).
 */
#include "minirun/lazy/lazylib.h"
#include "lib/err.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

void *mr_lazy_sym(struct mr_lazylib *lib, const char *name)
{
	if (!lib->handle) {
		/* RTLD_LOCAL: its symbols serve only these lookups, never another library's */
		if (!(lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL))) {
			fprintf(stderr, "minirun: %s (install Debian's %s)\n", dlerror(),
				lib->package);
			exit(125);
		}
		if (lib->opened)
			lib->opened(lib);
	}
	void *f = dlsym(lib->handle, name);
	if (!f) {
		fprintf(stderr, "minirun: %s has no %s: %s is too old\n", lib->soname, name,
			lib->package);
		exit(125);
	}
	return f;
}

int mr_lazy_check(const char *soname, const char *package, struct mr_err *err)
{
	/* kept open: the forwarders' own dlopen later finds it loaded */
	if (!dlopen(soname, RTLD_NOW | RTLD_LOCAL))
		return mr_fail(err, 0, "%s (install Debian's %s)", dlerror(), package);
	return 0;
}
