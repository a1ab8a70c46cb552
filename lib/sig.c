/*
 * lib/sig.c - signal names as kill(1) takes them: "KILL", "SIGKILL", "9", "RTMIN+3".
 *
 * The names come from the C library's own table (sigabbrev_np), so every signal this
 * system knows is accepted, without a list of our own to fall out of date.
 *
 * One parser for every signal argument: `minirun oci kill`, `minirun kill -s`, --stop-signal,
 * the image's StopSignal, cgroups/kill -s.
 *
 * See: lib/sig.h; signal(7), sigabbrev_np(3), runc-kill(8).
 */
#include "lib/sig.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int mr_sig_parse(const char *s)
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
