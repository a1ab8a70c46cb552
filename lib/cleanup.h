/*
 * lib/cleanup.h - scope-bound cleanup for library code (gcc/clang `cleanup` attribute).
 *
 *	_cleanup_free_ char *text = NULL;   // free(text) when text goes out of scope
 *	_cleanup_close_ int fd = -1;        // close(fd) if fd >= 0
 *
 * To hand ownership to the caller, take the value and reset the variable:
 * `*out = text; text = NULL;`, or use mr_steal_ptr / mr_steal_fd.
 * Tiny programs use a single `cleanup:` label instead (STYLE.md, trait 5).
 */
#ifndef MR_CLEANUP_H
#define MR_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void mr_freep(void *p)
{
	free(*(void **)p);
}
static inline void mr_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno; /* close must not clobber the errno a caller reports */
		close(*fd);
		errno = saved;
	}
}
static inline void mr_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
static inline void mr_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

#define _cleanup_free_     __attribute__((cleanup(mr_freep)))
#define _cleanup_close_    __attribute__((cleanup(mr_closep)))
#define _cleanup_fclose_   __attribute__((cleanup(mr_fclosep)))
#define _cleanup_closedir_ __attribute__((cleanup(mr_closedirp)))

static inline void *mr_steal_ptr_(void **p)
{
	void *v = *p;
	*p = NULL;
	return v;
}
static inline int mr_steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}
#define mr_steal_ptr(pp) mr_steal_ptr_((void **)(pp))

#endif
