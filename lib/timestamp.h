/*
 * lib/timestamp.h - a point in time as docker's --since and --until take it (`events`,
 * `logs`): an RFC 3339 time, a date, Unix seconds, or a Go duration back from now.
 *
 *	2026-12-06T13:50:01.5Z      RFC 3339, with a fraction and a zone (Z or +01:00)
 *	2026-12-06T13:50:01         the same in the local zone (also T13, T13:50)
 *	2026-12-06                  midnight, local; 2026-12-06Z07:00 with a zone
 *	1796564121  1796564121.5    seconds since the epoch, an optional fraction
 *	10m  1h30m  -5s             that long before now (a negative one: after it), whole
 *	                            seconds, as docker's CLI rounds it
 *
 * The rules are docker's client's (GetTimestamp in docker/api/types/time): a value Go's
 * time.ParseDuration reads is a duration, then the characters of the value choose the
 * layout (a '.' a fraction, a 'T' a time of day, a Z, + or three '-' a zone), and what no
 * layout reads is Unix seconds, if it has no '-'. Errors are Go's words.
 *
 * See: https://docs.docker.com/reference/cli/docker/system/events/#limit-events-by-time;
 *      lib/duration.h (the durations).
 */
#ifndef MR_TIMESTAMP_H
#define MR_TIMESTAMP_H

#include <stddef.h>

/*
 * mr_parse_timestamp - VALUE as nanoseconds since the epoch into *NS, durations counted back
 * from NOW_NS (nanoseconds since the epoch). A time before 1677 or after 2262 (what a long
 * long of nanoseconds holds) is LLONG_MIN or LLONG_MAX: "before" or "after everything".
 * Returns 0, or -1 with docker's message in WHY ("failed to parse value as time or
 * duration: \"x\"", "parsing time \"2026-13-01\": month out of range").
 */
int mr_parse_timestamp(const char *value, long long now_ns, long long *ns, char *why,
		       size_t whylen);

#endif
