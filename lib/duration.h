/*
 * lib/duration.h - Go's time.Duration as docker's flags and images spell it: "1m30s",
 * "500ms", "1.5h" <-> nanoseconds. Docker stores a HEALTHCHECK's Interval, Timeout,
 * StartPeriod and StartInterval as such nanosecond counts, and prints them back in Go's
 * shape ("Health check exceeded timeout (1.5s)").
 *
 * See: lib/duration.c; https://pkg.go.dev/time#ParseDuration, time.Duration.String.
 */
#ifndef MR_DURATION_H
#define MR_DURATION_H

#include <stddef.h>

/* mr_parse_duration - Go's time.ParseDuration: an optional sign, then one or more
 * DECIMAL UNIT pairs (units ns us µs ms s m h; "0" alone needs none) into *NS. Returns 0,
 * or -1 with Go's message ("time: invalid duration \"x\"", "time: missing unit in duration
 * \"1\"", "time: unknown unit \"d\" in duration \"1d\"") in WHY. */
int mr_parse_duration(const char *s, long long *ns, char *why, size_t whylen);

/* mr_format_duration - Go's Duration.String(): "1h2m3.5s", "1.5s", "500ms", "0s" into
 * BUF; returns BUF. */
char *mr_format_duration(long long ns, char *buf, size_t len);

#endif
