/*
 * tests/unit/main.c - the CUnit runner of `make test-unit`.
 *
 *   tests/unit/run-unit [RESULTS.tap]
 *
 * Runs every suite the test_*.c files registered (see unit.h) and prints, and writes to
 * RESULTS.tap, one result line per test in the format every tier shares
 * ("ok - unit/SUITE: TEST", "not ok - ..."), each failed assertion under its test.
 */
#include "tests/unit/unit.h"

#include <CUnit/TestRun.h>
#include <stdio.h>
#include <stdlib.h>

static struct {
	const char *name;
	CU_TestInfo *tests;
} suites[64];
static int nsuites;
static FILE *tap;

void mr_unit_register(const char *name, CU_TestInfo *tests)
{
	if (nsuites == (int)(sizeof(suites) / sizeof(suites[0]))) {
		fprintf(stderr, "run-unit: too many suites; raise the limit in main.c\n");
		exit(1);
	}
	suites[nsuites].name = name;
	suites[nsuites].tests = tests;
	nsuites++;
}

static void on_complete(const CU_pTest test, const CU_pSuite suite, const CU_pFailureRecord f)
{
	const char *verdict = f ? "not ok" : "ok";
	printf("%s - unit/%s: %s\n", verdict, suite->pName, test->pName);
	if (tap)
		fprintf(tap, "%s - unit/%s: %s\n", verdict, suite->pName, test->pName);
	for (CU_pFailureRecord r = f; r; r = r->pNext)
		printf("    # %s:%u: %s\n", r->strFileName, r->uiLineNumber, r->strCondition);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !(tap = fopen(argv[1], "w"))) {
		perror(argv[1]);
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (int i = 0; i < nsuites; i++) {
		CU_pSuite s = CU_add_suite(suites[i].name, NULL, NULL);
		for (CU_TestInfo *t = suites[i].tests; s && t->pName; t++)
			CU_add_test(s, t->pName, t->pTestFunc);
	}
	CU_set_test_complete_handler(on_complete);
	CU_run_all_tests();
	unsigned failed = CU_get_number_of_tests_failed();
	unsigned run = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	if (tap) {
		fprintf(tap, "# done\n");
		fclose(tap);
	}
	printf("unit: %u passed, %u failed, 0 skipped\n", run - failed, failed);
	return failed ? 1 : 0;
}
