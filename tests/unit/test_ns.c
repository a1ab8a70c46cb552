/*
 * tests/unit/test_ns.c - the namespace table and list parsing (ns/ns.c).
 */
#include "ns/ns.h"
#include "tests/unit/unit.h"

#include <sched.h>
#include <string.h>

static void table_has_eight_types_with_distinct_flags(void)
{
	int n = 0, all = 0;
	for (const struct ns_type *t = ns_types; t->name; t++, n++) {
		CU_ASSERT_EQUAL(all & t->flag, 0);
		all |= t->flag;
	}
	CU_ASSERT_EQUAL(n, NS_NTYPES);
}

static void lookup_by_short_and_spec_names(void)
{
	CU_ASSERT_EQUAL(ns_by_name("net")->flag, CLONE_NEWNET);
	CU_ASSERT_EQUAL(ns_by_name("network")->flag, CLONE_NEWNET);
	CU_ASSERT_EQUAL(ns_by_name("mount")->flag, CLONE_NEWNS);
	CU_ASSERT_STRING_EQUAL(ns_by_flag(CLONE_NEWUTS)->name, "uts");
	CU_ASSERT_PTR_NULL(ns_by_name("nett"));
	CU_ASSERT_PTR_NULL(ns_by_flag(CLONE_VM));
}

static void parse_list_accepts_names_and_all(void)
{
	int f = 0;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(ns_parse_list("uts,pid", &f, &err), 0);
	CU_ASSERT_EQUAL(f, CLONE_NEWUTS | CLONE_NEWPID);
	CU_ASSERT_EQUAL(ns_parse_list("all", &f, &err), 0);
	int all = 0;
	for (const struct ns_type *t = ns_types; t->name; t++)
		all |= t->flag;
	CU_ASSERT_EQUAL(f, all);
}

static void parse_list_names_the_bad_word(void)
{
	int f = 0;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(ns_parse_list("uts,bogus", &f, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'bogus'"));
	CU_ASSERT_EQUAL(ns_parse_list(",", &f, &err), -1);
}

static void list_names_is_parse_list_backwards(void)
{
	char buf[128], tiny[8];
	int all = 0, f = 0;
	struct mr_err err = {0};
	CU_ASSERT_STRING_EQUAL(ns_list_names(CLONE_NEWUTS | CLONE_NEWNET, buf, sizeof(buf)),
			       "net,uts");
	CU_ASSERT_STRING_EQUAL(ns_list_names(0, buf, sizeof(buf)), "");
	CU_ASSERT_EQUAL(ns_parse_list("all", &all, &err), 0);
	CU_ASSERT_EQUAL(ns_parse_list(ns_list_names(all, buf, sizeof(buf)), &f, &err), 0);
	CU_ASSERT_EQUAL(f, all);
	/* too small a buffer: what fits, NUL-terminated */
	ns_list_names(CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWUTS, tiny, sizeof(tiny));
	CU_ASSERT_STRING_EQUAL(tiny, "ipc,pid");
}

static void proc_path_for_self_and_pid(void)
{
	char buf[64];
	CU_ASSERT_STRING_EQUAL(ns_proc_path(buf, sizeof(buf), 0, ns_by_name("uts")),
			       "/proc/self/ns/uts");
	CU_ASSERT_STRING_EQUAL(ns_proc_path(buf, sizeof(buf), 42, ns_by_name("net")),
			       "/proc/42/ns/net");
}

static CU_TestInfo tests[] = {
	{"the table has eight types with distinct flags",
	 table_has_eight_types_with_distinct_flags},
	{"lookup by short and runtime-spec names", lookup_by_short_and_spec_names},
	{"a list of names or 'all' parses to CLONE flags", parse_list_accepts_names_and_all},
	{"a bad list names the bad word", parse_list_names_the_bad_word},
	{"a flag set lists back as the names that parse to it", list_names_is_parse_list_backwards},
	{"proc paths for self and a pid", proc_path_for_self_and_pid},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("ns", tests)
