/*
 * tests/unit/test_cgroup_parse.c - human values, conversions and readings parsing
 * (cgroups/parse.c, cgroups/readings.c): what `-m 256m` and `--cpus 0.5` become.
 */
#include "cgroups/cgroup.h"
#include "tests/unit/unit.h"

#include <string.h>

static void sizes_take_docker_units(void)
{
	int64_t b = 0;
	CU_ASSERT_EQUAL(cg_parse_size("256m", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 256LL << 20);
	CU_ASSERT_EQUAL(cg_parse_size("1g", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 1LL << 30);
	CU_ASSERT_EQUAL(cg_parse_size("1G", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 1LL << 30);
	CU_ASSERT_EQUAL(cg_parse_size("16MiB", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 16LL << 20);
	CU_ASSERT_EQUAL(cg_parse_size("512kb", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 512LL << 10);
	CU_ASSERT_EQUAL(cg_parse_size("1.5g", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 3LL << 29);
	CU_ASSERT_EQUAL(cg_parse_size("4096", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 4096);
	CU_ASSERT_EQUAL(cg_parse_size("0", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 0);
}

static void max_and_minus_one_mean_no_limit(void)
{
	int64_t b = 0;
	CU_ASSERT_EQUAL(cg_parse_size("max", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, CG_LIMIT_MAX);
	CU_ASSERT_EQUAL(cg_parse_size("-1", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, CG_LIMIT_MAX);
	CU_ASSERT_EQUAL(cg_parse_max("max", 1, 100, "pids", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, CG_LIMIT_MAX);
	CU_ASSERT_EQUAL(cg_parse_max("8", 1, 100, "pids", &b, NULL), 0);
	CU_ASSERT_EQUAL(b, 8);
}

static void bad_sizes_name_the_input(void)
{
	static const char *const bad[] = {"12x",  "",    "m",   "1..5m",        "-5m", " 5m",
					  "0x10", "inf", "5 m", "99999999999g", NULL};
	struct mr_err err = {0};
	int64_t b;
	for (const char *const *s = bad; *s; s++) {
		CU_ASSERT_EQUAL(cg_parse_size(*s, &b, &err), -1);
	}
	cg_parse_size("12x", &b, &err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'12x' is not a size"));
	CU_ASSERT_PTR_NULL(strstr(err.msg, "Invalid argument")); /* one line, no strerror */
	CU_ASSERT_EQUAL(cg_parse_max("0", 1, 100, "--pids", &b, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--pids '0'"));
}

static void cpus_become_quota_and_period(void)
{
	int64_t q = 0, p = 0;
	CU_ASSERT_EQUAL(cg_parse_cpus("0.5", &q, &p, NULL), 0);
	CU_ASSERT_EQUAL(q, 50000);
	CU_ASSERT_EQUAL(p, 100000);
	CU_ASSERT_EQUAL(cg_parse_cpus("2", &q, &p, NULL), 0);
	CU_ASSERT_EQUAL(q, 200000);
	CU_ASSERT_EQUAL(cg_parse_cpus("1.25", &q, &p, NULL), 0);
	CU_ASSERT_EQUAL(q, 125000);
	CU_ASSERT_EQUAL(cg_parse_cpus("0.01", &q, &p, NULL), 0);
	CU_ASSERT_EQUAL(q, 1000);
}

static void bad_cpus_are_refused(void)
{
	struct mr_err err = {0};
	int64_t q, p;
	CU_ASSERT_EQUAL(cg_parse_cpus("-1", &q, &p, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--cpus '-1'"));
	CU_ASSERT_EQUAL(cg_parse_cpus("0", &q, &p, &err), -1);
	CU_ASSERT_EQUAL(cg_parse_cpus("0.001", &q, &p, &err), -1);
	CU_ASSERT_EQUAL(cg_parse_cpus("half", &q, &p, &err), -1);
	CU_ASSERT_EQUAL(cg_parse_cpus("", &q, &p, &err), -1);
}

static void io_max_lines_parse(void)
{
	struct cg_io_limit l;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(cg_parse_io_max("8:0 rbps=1m wiops=100", &l, &err), 0);
	CU_ASSERT_EQUAL(l.major, 8);
	CU_ASSERT_EQUAL(l.minor, 0);
	CU_ASSERT_EQUAL(l.rbps, 1 << 20);
	CU_ASSERT_EQUAL(l.wiops, 100);
	CU_ASSERT_EQUAL(l.wbps, CG_UNSET);
	CU_ASSERT_EQUAL(cg_parse_io_max("259:1 wbps=max", &l, &err), 0);
	CU_ASSERT_EQUAL(l.wbps, CG_LIMIT_MAX);
	CU_ASSERT_EQUAL(cg_parse_io_max("sda rbps=1m", &l, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "MAJOR:MINOR"));
	CU_ASSERT_EQUAL(cg_parse_io_max("8:0 speed=1m", &l, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'speed'"));
	CU_ASSERT_EQUAL(cg_parse_io_max("8:0", &l, &err), -1);
}

static void sizes_format_for_people(void)
{
	char buf[32];
	CU_ASSERT_STRING_EQUAL(cg_format_size(16 << 20, buf, sizeof(buf)), "16.0M");
	CU_ASSERT_STRING_EQUAL(cg_format_size(3LL << 29, buf, sizeof(buf)), "1.5G");
	CU_ASSERT_STRING_EQUAL(cg_format_size(512, buf, sizeof(buf)), "512B");
	CU_ASSERT_STRING_EQUAL(cg_format_size(CG_LIMIT_MAX, buf, sizeof(buf)), "max");
	CU_ASSERT_STRING_EQUAL(cg_format_max(CG_LIMIT_MAX, buf, sizeof(buf)), "max");
	CU_ASSERT_STRING_EQUAL(cg_format_max(8, buf, sizeof(buf)), "8");
}

static void v1_units_convert_to_v2(void)
{
	CU_ASSERT_EQUAL(cg_weight_from_shares(2), 1);
	CU_ASSERT_EQUAL(cg_weight_from_shares(262144), 10000);
	CU_ASSERT_EQUAL(cg_weight_from_shares(1024), 39);
	CU_ASSERT_EQUAL(cg_shares_from_weight(1), 2);
	CU_ASSERT_EQUAL(cg_shares_from_weight(10000), 262144);
	CU_ASSERT_EQUAL(cg_io_weight_from_blkio(10), 1);
	CU_ASSERT_EQUAL(cg_io_weight_from_blkio(1000), 10000);
}

static void oci_memory_plus_swap_becomes_swap_alone(void)
{
	int64_t swap;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(cg_swap_from_total(64 << 20, 96 << 20, &swap, &err), 0);
	CU_ASSERT_EQUAL(swap, 32 << 20);
	CU_ASSERT_EQUAL(cg_swap_from_total(64 << 20, 64 << 20, &swap, &err), 0);
	CU_ASSERT_EQUAL(swap, 0);
	CU_ASSERT_EQUAL(cg_swap_from_total(64 << 20, CG_LIMIT_MAX, &swap, &err), 0);
	CU_ASSERT_EQUAL(swap, CG_LIMIT_MAX);
	CU_ASSERT_EQUAL(cg_swap_from_total(64 << 20, CG_UNSET, &swap, &err), 0);
	CU_ASSERT_EQUAL(swap, CG_UNSET);
	CU_ASSERT_EQUAL(cg_swap_from_total(64 << 20, 32 << 20, &swap, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "below the memory limit"));
}

static void psi_and_keyed_files_parse(void)
{
	struct cg_psi psi;
	const char *text = "some avg10=1.50 avg60=0.25 avg300=0.00 total=12345\n"
			   "full avg10=0.75 avg60=0.00 avg300=0.00 total=678\n";
	CU_ASSERT_EQUAL(cg_psi_parse(text, &psi, NULL), 0);
	CU_ASSERT_TRUE(psi.some.present && psi.full.present);
	CU_ASSERT_DOUBLE_EQUAL(psi.some.avg10, 1.5, 1e-9);
	CU_ASSERT_EQUAL(psi.some.total, 12345);
	CU_ASSERT_EQUAL(psi.full.total, 678);
	CU_ASSERT_EQUAL(cg_psi_parse("some avg10=x\n", &psi, NULL), -1);

	const char *ev = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n";
	CU_ASSERT_EQUAL(cg_keyed_value(ev, "oom_kill"), 1);
	CU_ASSERT_EQUAL(cg_keyed_value(ev, "max"), 12);
	CU_ASSERT_EQUAL(cg_keyed_value(ev, "oom"), 1); /* not oom_kill's line */
	CU_ASSERT_EQUAL(cg_keyed_value(ev, "frozen"), -1);
}

static void resources_start_unset_and_name_their_controllers(void)
{
	struct cg_resources r;
	cg_resources_init(&r);
	CU_ASSERT_EQUAL(cg_resources_controllers(&r), 0);
	r.swap_max = 0; /* 0 is a real value: no swap */
	CU_ASSERT_EQUAL(cg_resources_controllers(&r), CG_MEMORY);
	r.pids_max = 8;
	strcpy(r.cpuset_cpus, "0");
	CU_ASSERT_EQUAL(cg_resources_controllers(&r), CG_MEMORY | CG_PIDS | CG_CPUSET);
	cg_resources_init(&r);
	strcpy(r.unified[0].key, "io.weight");
	r.n_unified = 1;
	CU_ASSERT_EQUAL(cg_resources_controllers(&r), CG_IO);
}

static CU_TestInfo tests[] = {
	{"sizes take docker's units (256m, 1g, 16MiB, 1.5g)", sizes_take_docker_units},
	{"'max' and -1 mean no limit", max_and_minus_one_mean_no_limit},
	{"bad sizes are refused with one line naming the input", bad_sizes_name_the_input},
	{"--cpus 0.5 becomes quota 50000 period 100000", cpus_become_quota_and_period},
	{"--cpus -1, 0 and words are refused", bad_cpus_are_refused},
	{"io.max lines parse and bad ones name the bad part", io_max_lines_parse},
	{"sizes format for people (16.0M, max)", sizes_format_for_people},
	{"v1 shares and blkio weights convert to v2 weights", v1_units_convert_to_v2},
	{"OCI memory+swap becomes v2 swap alone", oci_memory_plus_swap_becomes_swap_alone},
	{"PSI and keyed files parse", psi_and_keyed_files_parse},
	{"resources start unset and name their controllers",
	 resources_start_unset_and_name_their_controllers},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("cgroup values", tests)
