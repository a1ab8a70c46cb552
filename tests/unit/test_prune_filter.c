/*
 * tests/unit/test_prune_filter.c - lib/prune_filter.c: docker's prune filters. until= as a
 * duration, a time or epoch seconds; label= / label!= with and without a value; refused
 * filters told apart as docker's CLI (no K=V) and its daemon (a key or value) refuse them.
 */
#include "lib/prune_filter.h"
#include "tests/unit/unit.h"

#include <string.h>
#include <time.h>

static void until_takes_durations_times_and_seconds(void)
{
	struct mr_prune_filter f = {0};
	char why[256];
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "until=2026-12-06T10:00:00Z", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(f.until, 1796551200LL);
	CU_ASSERT_EQUAL(
		mr_prune_filter_add(&f, "until=2026-12-06T11:00:00+01:00", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(f.until, 1796551200LL);
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "until=1796551200", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(f.until, 1796551200LL);
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "until=2h", why, sizeof(why)), 0);
	long long now = (long long)time(NULL);
	CU_ASSERT(f.until <= now - 7200 && f.until >= now - 7205);
	/* made before the cut: pruned; after it: kept; unknown: kept */
	CU_ASSERT(mr_prune_filter_match(&f, now - 10000, NULL));
	CU_ASSERT(!mr_prune_filter_match(&f, now - 60, NULL));
	CU_ASSERT(mr_prune_filter_match(&f, -1, NULL));
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "until=yesterday", why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "failed to parse value as time or duration: \"yesterday\"");
}

static void labels_match_keys_and_values(void)
{
	struct mr_prune_filter f = {0};
	char why[256];
	json_t *l = json_pack("{s:s, s:s}", "env", "test", "keep", "");
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "label=env", why, sizeof(why)), 0);
	CU_ASSERT(mr_prune_filter_match(&f, 0, l));
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "label=env=test", why, sizeof(why)), 0);
	CU_ASSERT(mr_prune_filter_match(&f, 0, l));
	CU_ASSERT(!mr_prune_filter_match(&f, 0, NULL));
	struct mr_prune_filter g = {0};
	CU_ASSERT_EQUAL(mr_prune_filter_add(&g, "label!=keep", why, sizeof(why)), 0);
	CU_ASSERT(!mr_prune_filter_match(&g, 0, l));
	CU_ASSERT(mr_prune_filter_match(&g, 0, NULL));
	struct mr_prune_filter h = {0};
	CU_ASSERT_EQUAL(mr_prune_filter_add(&h, "label=env=prod", why, sizeof(why)), 0);
	CU_ASSERT(!mr_prune_filter_match(&h, 0, l));
	json_decref(l);
}

static void refusals_in_docker_words(void)
{
	struct mr_prune_filter f = {0};
	char why[256];
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "label", why, sizeof(why)), -2);
	CU_ASSERT_STRING_EQUAL(why, "bad format of filter (expected name=value)");
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "bogus=1", why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "Invalid filter 'bogus'");
	CU_ASSERT_EQUAL(mr_prune_filter_add(&f, "until!=1h", why, sizeof(why)), -1);
	CU_ASSERT_EQUAL(mr_prune_rfc3339("2026-12-06"), 1796515200LL);
	CU_ASSERT_EQUAL(mr_prune_rfc3339("12/06/2026"), -1);
	CU_ASSERT_EQUAL(mr_prune_rfc3339("2026-12-06T10:00:00Zjunk"), -1);
}

static CU_TestInfo tests[] = {
	{"until= is a Go duration back from now, an RFC 3339 time, or epoch seconds",
	 until_takes_durations_times_and_seconds},
	{"label= and label!= match a key, or a key and its value", labels_match_keys_and_values},
	{"a filter that is no K=V, an unknown key and a bad until are refused apart",
	 refusals_in_docker_words},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib prune filters", tests)
