/*
 * minirun/oci/debuglog.h - `--debug --log FILE`: the -v narration into the log (see debuglog.c).
 */
#ifndef MR_DEBUGLOG_H
#define MR_DEBUGLOG_H

#include <stdbool.h>

#include "lib/err.h"

/* debuglog_start - from now on the narration of this process and of the processes it
 * forks (mr_say, mr_warn: what they write on fd 2) goes to PATH, as JSON lines
 * ({"level","msg","time"}) when JSON, else as runc's text lines. -1 with err when PATH
 * can't be opened. */
int debuglog_start(const char *path, bool json, struct mr_err *err);

/* The caller's own stderr: fd 2, or where debuglog_start put it aside. */
int debuglog_stderr(void);

/* debuglog_stdio - in a child about to execute a program of the user (the container's
 * process, a hook, ps): put the caller's stderr back on fd 2, unless fd 2 is no longer
 * the narration (a terminal took it). Nothing to do without debuglog_start. */
void debuglog_stdio(void);

#endif
