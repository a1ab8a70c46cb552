/*
 * minirun/clone_exe.h - re-exec the runtime from a sealed memfd copy (see clone_exe.c).
 */
#ifndef MR_CLONE_EXE_H
#define MR_CLONE_EXE_H

#include <stdbool.h>

#include "lib/err.h"

/* True when /proc/self/exe is already our sealed copy. */
bool clone_exe_is_sealed(void);

/* clone_exe_reexec - if not already running from the sealed copy, make it and fexecve it
 * with ARGV and the same environment. Returns 0 when already sealed; on success does not
 * return; -1 with err filled when the copy could not be made. */
int clone_exe_reexec(char **argv, struct mr_err *err);

#endif
