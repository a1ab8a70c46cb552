/*
 * minirun/signals.c - signal names for `kill`: "KILL", "SIGKILL", "9", "RTMIN+3".
 *
 * The names come from the C library's own table (sigabbrev_np), so every signal this
 * system knows is accepted, without a list of our own to fall out of date.
 *
 * See: signal(7), sigabbrev_np(3), runc-kill(8).
 */
#include "minirun/oci/oci.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sig_parse(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *name = sigabbrev_np(i);
		if (name && strcasecmp(name, s) == 0)
			return i;
	}
	if (strncasecmp(s, "RTMIN+", 6) == 0 && (n = strtol(s + 6, &end, 10)) >= 0 && !*end &&
	    SIGRTMIN + n <= SIGRTMAX)
		return SIGRTMIN + (int)n;
	return -1;
}
