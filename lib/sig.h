/*
 * lib/sig.h - signal names: the one parser every program and layer uses.
 *
 * See: lib/sig.c; signal(7).
 */
#ifndef MR_SIG_H
#define MR_SIG_H

/* mr_sig_parse - "KILL", "SIGKILL", "sigkill", "9" or "RTMIN+3" -> the signal number;
 * -1 for an unknown name or a number outside 1..NSIG-1. */
int mr_sig_parse(const char *s);

#endif
