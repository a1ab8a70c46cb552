/*
 * tests/unit/test_timestamp.c - lib/timestamp.c: docker's --since/--until values. Each of
 * GetTimestamp's layouts (with and without a zone, a fraction, a time of day), Unix
 * seconds, durations back from now in whole seconds, and Go's words for what is refused.
 */
#include "lib/timestamp.h"
#include "tests/unit/unit.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define NS 1000000000LL

/* 2026-12-06T13:50:01Z */
#define T0 1796565001LL

static long long ts(const char *v, long long now)
{
	long long ns = -1;
	char why[256];
	if (mr_parse_timestamp(v, now, &ns, why, sizeof(why)) < 0)
		return -1;
	return ns;
}

static void layouts_as_docker_chooses_them(void)
{
	setenv("TZ", "UTC", 1);
	long long now = T0 * NS + 250000000LL;
	CU_ASSERT_EQUAL(ts("2026-12-06T13:50:01Z", now), T0 * NS);
	CU_ASSERT_EQUAL(ts("2026-12-06T13:50:01.123456789Z", now), T0 * NS + 123456789);
	CU_ASSERT_EQUAL(ts("2026-12-06T13:50:01.5", now), T0 * NS + 500000000);
	CU_ASSERT_EQUAL(ts("2026-12-06T14:50:01+01:00", now), T0 * NS);
	CU_ASSERT_EQUAL(ts("2026-12-06T13:50:01", now), T0 * NS);
	CU_ASSERT_EQUAL(ts("2026-12-06T13:50", now), (T0 - 1) * NS);
	CU_ASSERT_EQUAL(ts("2026-12-06T13", now), (T0 - 50 * 60 - 1) * NS);
	CU_ASSERT_EQUAL(ts("2026-12-06", now), 1796515200LL * NS);
	CU_ASSERT_EQUAL(ts("2026-12-06Z", now), 1796515200LL * NS);
	CU_ASSERT_EQUAL(ts("1796565001", now), T0 * NS);
	CU_ASSERT_EQUAL(ts("1796565001.25", now), T0 * NS + 250000000);
	CU_ASSERT_EQUAL(ts("0", now), 0);
}

static void durations_count_back_in_whole_seconds(void)
{
	long long now = T0 * NS + 750000000LL;
	CU_ASSERT_EQUAL(ts("10m", now), (T0 - 600) * NS);
	CU_ASSERT_EQUAL(ts("1h30m", now), (T0 - 5400) * NS);
	CU_ASSERT_EQUAL(ts("0s", now), T0 * NS);
	CU_ASSERT_EQUAL(ts("-5s", now), (T0 + 5) * NS);
	CU_ASSERT_EQUAL(ts("1.5s", now), (T0 - 1) * NS);
}

/* past what nanoseconds in a long long hold (1677 to 2262): held at the ends, not wrapped
 * (found by tests/fuzz/fuzz_timestamp.c: the products overflowed) */
static void far_times_are_held_at_the_ends(void)
{
	long long now = T0 * NS;
	CU_ASSERT_EQUAL(ts("3000-01-01", now), LLONG_MAX);
	CU_ASSERT_EQUAL(ts("9999-12-31T23:59:59.999999999Z", now), LLONG_MAX);
	CU_ASSERT_EQUAL(ts("1000-01-01T00:00:00Z", now), LLONG_MIN);
	CU_ASSERT_EQUAL(ts("99999999999", now), LLONG_MAX);
	CU_ASSERT_EQUAL(ts("9223372036.854775807", now), LLONG_MAX);
	CU_ASSERT_EQUAL(ts("2262-04-11T23:47:16.854775807Z", now), LLONG_MAX);
	/* a duration from now: the last whole second there is, or the first */
	CU_ASSERT_EQUAL(ts("-2562047h", now), LLONG_MAX / NS * NS);
	CU_ASSERT_EQUAL(ts("2562047h", -now), LLONG_MIN);
}

static void refusals_in_go_words(void)
{
	long long ns;
	char why[256];
	CU_ASSERT_EQUAL(mr_parse_timestamp("bogus", 0, &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "failed to parse value as time or duration: \"bogus\"");
	CU_ASSERT_EQUAL(mr_parse_timestamp("2026-13-01", 0, &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "parsing time \"2026-13-01\": month out of range");
	CU_ASSERT_EQUAL(mr_parse_timestamp("2026-02-30", 0, &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "parsing time \"2026-02-30\": day out of range");
	CU_ASSERT_EQUAL(mr_parse_timestamp("2026-1-01", 0, &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "parsing time \"2026-1-01\" as \"2006-01-02\": cannot parse "
				    "\"1-01\" as \"01\"");
	CU_ASSERT_EQUAL(mr_parse_timestamp("2026-12-06T25:00:00Z", 0, &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "parsing time \"2026-12-06T25:00:00Z\": hour out of range");
	CU_ASSERT_EQUAL(mr_parse_timestamp("2026-12-06x", 0, &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "parsing time \"2026-12-06x\": extra text: \"x\"");
	CU_ASSERT_EQUAL(mr_parse_timestamp("12.x", 0, &ns, why, sizeof(why)), -1);
}

static CU_TestInfo tests[] = {
	{"RFC 3339 times, dates, local times and Unix seconds, in docker's layouts",
	 layouts_as_docker_chooses_them},
	{"a Go duration counts back from now in whole seconds",
	 durations_count_back_in_whole_seconds},
	{"a time past 2262 or before 1677 is held at the ends", far_times_are_held_at_the_ends},
	{"what is no time is refused in Go's and docker's words", refusals_in_go_words},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib timestamps", tests)
