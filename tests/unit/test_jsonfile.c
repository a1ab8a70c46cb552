/*
 * tests/unit/test_jsonfile.c - lib/jsonfile.c against jansson's json_load_file: the same
 * tree, and the same error (line, column, text, errno) for a broken and a missing file.
 */
#include "lib/jsonfile.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/mr-unit-jsonfile.XXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void same_tree_and_errors_as_jansson(void)
{
	char good[4200], bad[4200], none[4200];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(good, sizeof(good), "%s/good.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	snprintf(none, sizeof(none), "%s/none.json", dir);
	put(good, "{\"Id\": \"abc\", \"State\": {\"Pid\": 12, \"Running\": true}, \"Args\": []}\n");
	put(bad, "{\n  \"Id\": \"abc\",\n  \"State\": {\"Pid\": 12,,}\n}\n");

	json_error_t a, b;
	json_t *ours = mr_json_load_file(good, 0, &a), *theirs = json_load_file(good, 0, &b);
	CU_ASSERT_PTR_NOT_NULL(ours);
	CU_ASSERT(json_equal(ours, theirs));
	json_decref(ours);
	json_decref(theirs);

	CU_ASSERT_PTR_NULL(mr_json_load_file(bad, 0, &a));
	CU_ASSERT_PTR_NULL(json_load_file(bad, 0, &b));
	CU_ASSERT_EQUAL(a.line, b.line);
	CU_ASSERT_EQUAL(a.column, b.column);
	CU_ASSERT_STRING_EQUAL(a.text, b.text);
	CU_ASSERT_STRING_EQUAL(a.source, b.source);

	errno = 0;
	CU_ASSERT_PTR_NULL(mr_json_load_file(none, 0, &a));
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT_PTR_NULL(json_load_file(none, 0, &b));
	CU_ASSERT_EQUAL(a.line, b.line);
	CU_ASSERT_EQUAL(a.column, b.column);
	CU_ASSERT_STRING_EQUAL(a.text, b.text);
	CU_ASSERT_PTR_NULL(mr_json_load_file(none, 0, NULL)); /* no error wanted: no crash */

	unlink(good);
	unlink(bad);
	rmdir(dir);
}

static CU_TestInfo tests[] = {
	{"a file read whole parses as json_load_file's, and fails with its error",
	 same_tree_and_errors_as_jansson},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib JSON files", tests)
