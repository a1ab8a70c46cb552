/*
 * tests/unit/test_build_fetch.c - ADD's URL sources (minirun/build/fetch.c): which sources
 * are URLs, and the file name a download gets under a DEST ending in /, as BuildKit's
 * Dockerfile frontend names it (path.Base of the URL's path; "__unnamed__" when that is
 * empty, "." or "/").
 */
#include <string.h>

#include "minirun/build/builder.h"
#include "tests/unit/unit.h"

static void url_or_not(void)
{
	CU_ASSERT_TRUE(fetch_is_url("http://127.0.0.1:8000/x"));
	CU_ASSERT_TRUE(fetch_is_url("https://example.com/x.tar.gz"));
	CU_ASSERT_TRUE(fetch_is_url("HTTPS://example.com/"));
	CU_ASSERT_FALSE(fetch_is_url("git@github.com:moby/buildkit.git"));
	CU_ASSERT_FALSE(fetch_is_url("ftp://example.com/x"));
	CU_ASSERT_FALSE(fetch_is_url("http/x")); /* a context path */
	CU_ASSERT_FALSE(fetch_is_url("app.tar"));
}

static void file_names(void)
{
	static const struct {
		const char *url, *name;
	} cases[] = {
		{"http://h/a/b.txt", "b.txt"},
		{"https://h:8443/dir/file", "file"},
		{"http://h/a/dir/", "dir"}, /* path.Base drops the trailing slash */
		{"http://h/x.tar.gz?sig=abc/def#frag", "x.tar.gz"},
		{"http://h/x#a/b", "x"},
		{"http://h", "__unnamed__"},
		{"http://h/", "__unnamed__"},
		{"http://h/.", "__unnamed__"},
		{"http://h?q=/a", "__unnamed__"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256];
		fetch_url_filename(cases[i].url, buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, cases[i].name);
	}
}

static CU_TestInfo tests[] = {
	{"http:// and https:// sources are URLs, nothing else is", url_or_not},
	{"a download's name is the last element of the URL's path", file_names},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("build: ADD URL", tests)
