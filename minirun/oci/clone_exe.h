/*
 * minirun/clone_exe.h - re-exec the runtime from a copy nobody can write (see clone_exe.c):
 * a private read-only overlay of its binary, else a sealed memfd copy.
 */
#ifndef MR_CLONE_EXE_H
#define MR_CLONE_EXE_H

#include <stdbool.h>

#include "lib/err.h"

/* True when /proc/self/exe is already such a copy (sealed memfd, or our detached overlay). */
bool clone_exe_is_sealed(void);

/* clone_exe_reexec - if not already running from such a copy, make one and execute it
 * with ARGV and the same environment. Returns 0 when already sealed; on success does not
 * return; -1 with err filled when the copy could not be made. */
int clone_exe_reexec(char **argv, struct mr_err *err);

#endif
