/*
 * tests/unit/unit.h - how a unit test file registers its CUnit suite.
 *
 * Each tests/unit/test_*.c holds the tests of one module, named after the behaviour they
 * prove, and registers them at load time:
 *
 *	static void ns_by_name_knows_spec_names(void) { CU_ASSERT_PTR_NOT_NULL(ns_by_name("network")); }
 *	static CU_TestInfo tests[] = {
 *		{"ns_by_name knows runtime-spec names", ns_by_name_knows_spec_names},
 *		CU_TEST_INFO_NULL,
 *	};
 *	MR_UNIT_SUITE("ns table", tests)
 */
#ifndef MR_UNIT_H
#define MR_UNIT_H

#include <CUnit/CUnit.h>

void mr_unit_register(const char *name, CU_TestInfo *tests);

#define MR_UNIT_SUITE(name, tests)                                                                 \
	static void __attribute__((constructor)) mr_unit_register_##tests(void)                    \
	{                                                                                          \
		mr_unit_register(name, tests);                                                     \
	}

#endif
