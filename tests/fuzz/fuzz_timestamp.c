/*
 * tests/fuzz/fuzz_timestamp.c - fuzz docker's --since/--until reader (lib/timestamp.c):
 * RFC 3339 times, dates, Unix seconds and durations back from now, as `events` and `logs`
 * take them.
 *
 * The input is one value as a user types it, in a buffer of exactly its size (ASan sees a
 * read past its end). "Now" is fixed, and so is the local zone (+03:30, TZ set here), so a
 * value means one instant.
 *
 * Oracles:
 *  - a refusal has a message; an accepted value reads the same a second time;
 *  - a value read as a duration lands on a whole second (docker's client sends seconds);
 *  - round trips: the instant read, written back in each form docker takes (RFC 3339 in
 *    UTC with nine fraction digits, the same in +05:45, the local form without a zone, and
 *    Unix seconds with a fraction), reads back as the same instant, wherever the form can
 *    hold it (years 0000-9999; Unix seconds from 1970 on).
 *
 * Seeds: tests/fuzz/seeds/timestamp/. See: lib/timestamp.h; tests/fuzz/README.md.
 */
#include "lib/duration.h"
#include "lib/timestamp.h"
#include "tests/fuzz/fuzz.h"

#include <limits.h>
#include <time.h>

#define NS  1000000000LL
#define NOW (1796565001LL * NS + 250000000LL) /* 2026-12-06T13:50:01.25Z */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setenv("TZ", "<+0330>-3:30", 1); /* POSIX's sign: east of UTC is negative */
	tzset();
	return 0;
}

/* the instant NS written as a date and time OFFSET seconds east of UTC, then ZONE ("Z",
 * "+05:45", "" for local); false when the year has no four digits */
static bool format(long long ns, long offset, const char *zone, char *buf, size_t size)
{
	long long sec = ns / NS - (ns % NS < 0), frac = ns % NS + (ns % NS < 0 ? NS : 0);
	time_t t = (time_t)(sec + offset);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return false;
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09lld%s", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zone);
	return true;
}

/* TEXT must read as NS */
static void reads_as(const char *value, const char *text, long long ns)
{
	long long back = 0;
	char why[512] = "";
	if (mr_parse_timestamp(text, NOW, &back, why, sizeof(why)) < 0)
		fuzz_oracle("'%s' read as %lld, written '%s', is refused: %s", value, ns, text,
			    why);
	if (back != ns)
		fuzz_oracle("'%s' read as %lld, written '%s', reads as %lld", value, ns, text,
			    back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	long long ns = 0, again = 0, d;
	char why[512] = "", buf[128];
	if (mr_parse_timestamp(s, NOW, &ns, why, sizeof(why)) < 0) {
		if (!why[0])
			fuzz_oracle("'%s' refused without a message", s);
		fuzz_refused(why);
		free(s);
		return 0;
	}
	if (mr_parse_timestamp(s, NOW, &again, why, sizeof(why)) < 0 || again != ns)
		fuzz_oracle("'%s' reads as %lld, then as %lld", s, ns, again);
	if (strcmp(s, "0") && mr_parse_duration(s, &d, why, sizeof(why)) == 0 && ns % NS &&
	    ns != LLONG_MIN) /* the first instant there is, for a duration that far */
		fuzz_oracle("'%s' is a duration, but %lld is no whole second", s, ns);
	if (format(ns, 0, "Z", buf, sizeof(buf)))
		reads_as(s, buf, ns);
	if (format(ns, 5 * 3600 + 45 * 60, "+05:45", buf, sizeof(buf)))
		reads_as(s, buf, ns);
	if (format(ns, 3 * 3600 + 30 * 60, "", buf, sizeof(buf)))
		reads_as(s, buf, ns);
	if (ns >= 0) {
		snprintf(buf, sizeof(buf), "%lld.%09lld", ns / NS, ns % NS);
		reads_as(s, buf, ns);
	}
	free(s);
	return 0;
}
