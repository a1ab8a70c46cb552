/*
 * tests/unit/test_containers_resources.c - the cgroup and OOM flags of run/create
 * (--cpu-shares, --cpu-period, --cpu-quota, --cpuset-*, --memory-swappiness,
 * --oom-kill-disable, --oom-score-adj, --blkio-weight, --device-*-bps/iops), --label-file
 * and --cidfile as run's parser takes them (minirun/containers/opts_resources.c), bad values
 * in docker's words, and the record and OCI pieces made of them (minirun/bundle/resources.c).
 */
#include "cgroups/cgroup.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h"
#include "tests/unit/host_config.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* parse `run ARGS... busybox` (ARGS NULL-terminated) */
static int parse(struct container_opts *o, struct mr_err *err, const char *const *args)
{
	char *argv[32] = {"run"};
	int n = 1;
	for (; args[n - 1] && n < 30; n++)
		argv[n] = (char *)args[n - 1];
	argv[n++] = "busybox";
	argv[n] = NULL;
	bool help = false;
	memset(err, 0, sizeof(*err));
	memset(o, 0, sizeof(*o));
	return container_opts_parse(n, argv, o, &help, err);
}

static void the_flags_parse_into_their_fields(void)
{
	struct container_opts o;
	struct mr_err err;
	const char *args[] = {"-c",
			      "512",
			      "--cpu-period=50000",
			      "--cpu-quota",
			      "25000",
			      "--cpuset-cpus",
			      "0",
			      "--cpuset-mems=0",
			      "--memory-swappiness",
			      "10",
			      "--oom-kill-disable",
			      "--oom-score-adj=-3",
			      "--blkio-weight",
			      "300",
			      "--device-read-bps",
			      "/dev/vda:1mb",
			      "--device-write-bps=/dev/vda:2048",
			      "--device-read-iops",
			      "/dev/vda:100",
			      "--device-write-iops",
			      "/dev/sda:7",
			      "--cidfile",
			      "/tmp/x.cid",
			      NULL};
	CU_ASSERT_EQUAL_FATAL(parse(&o, &err, args), 0);
	CU_ASSERT_EQUAL(o.cpu_shares, 512);
	CU_ASSERT_EQUAL(o.cpu_period, 50000);
	CU_ASSERT_EQUAL(o.cpu_quota, 25000);
	CU_ASSERT_STRING_EQUAL(o.cpuset_cpus, "0");
	CU_ASSERT_STRING_EQUAL(o.cpuset_mems, "0");
	CU_ASSERT(o.swappiness_set && o.swappiness == 10);
	CU_ASSERT(o.oom_kill_disable);
	CU_ASSERT_EQUAL(o.oom_score_adj, -3);
	CU_ASSERT_EQUAL(o.blkio_weight, 300);
	CU_ASSERT_STRING_EQUAL(o.blkio_rbps[0], "/dev/vda:1048576"); /* 1mb: docker's 1024-based */
	CU_ASSERT_STRING_EQUAL(o.blkio_wbps[0], "/dev/vda:2048");
	CU_ASSERT_STRING_EQUAL(o.blkio_riops[0], "/dev/vda:100");
	CU_ASSERT_STRING_EQUAL(o.blkio_wiops[0], "/dev/sda:7");
	CU_ASSERT_STRING_EQUAL(o.cidfile, "/tmp/x.cid");
	container_opts_free(&o);

	/* docker's -1 is "not given"; --oom-kill-disable=false is false */
	const char *unset[] = {"--memory-swappiness=-1", "--oom-kill-disable=false", NULL};
	CU_ASSERT_EQUAL_FATAL(parse(&o, &err, unset), 0);
	CU_ASSERT(!o.swappiness_set && !o.oom_kill_disable);
	container_opts_free(&o);
}

static void bad_values_are_refused_in_dockers_words(void)
{
	static const struct {
		const char *a1, *a2, *msg;
	} bad[] = {
		{"--cpu-shares", "x",
		 "invalid argument \"x\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing "
		 "\"x\": invalid syntax"},
		{"--cpu-period", "1.5",
		 "invalid argument \"1.5\" for \"--cpu-period\" flag: strconv.ParseInt: parsing "
		 "\"1.5\": invalid syntax"},
		{"--blkio-weight", "-1",
		 "invalid argument \"-1\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing "
		 "\"-1\": invalid syntax"},
		{"--blkio-weight", "70000",
		 "invalid argument \"70000\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing "
		 "\"70000\": value out of range"},
		{"--oom-score-adj", "x",
		 "invalid argument \"x\" for \"--oom-score-adj\" flag: strconv.ParseInt: parsing "
		 "\"x\": invalid syntax"},
		{"--memory-swappiness", "101",
		 "invalid value: 101. Valid memory swappiness range is 0-100"},
		{"--memory-swappiness", "-2",
		 "invalid value: -2. Valid memory swappiness range is 0-100"},
		{"--device-read-bps", "vda:1mb",
		 "invalid argument \"vda:1mb\" for \"--device-read-bps\" flag: bad format for device "
		 "path: vda:1mb"},
		{"--device-read-bps", "/dev/vda",
		 "invalid argument \"/dev/vda\" for \"--device-read-bps\" flag: bad format: /dev/vda"},
		{"--device-write-bps", "/dev/vda:1x",
		 "invalid argument \"/dev/vda:1x\" for \"--device-write-bps\" flag: invalid rate for "
		 "device: /dev/vda:1x. The correct format is <device-path>:<number>[<unit>]. Number "
		 "must be a positive integer. Unit is optional and can be kb, mb, or gb"},
		{"--device-read-iops", "/dev/vda:1k",
		 "invalid argument \"/dev/vda:1k\" for \"--device-read-iops\" flag: invalid rate for "
		 "device: /dev/vda:1k. The correct format is <device-path>:<number>. Number must be a "
		 "positive integer"},
		/* the daemon's checks across the set */
		{"--cpu-period", "500",
		 "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. "
		 "1000000)"},
		{"--cpu-period", "1000001",
		 "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. "
		 "1000000)"},
		{"--cpu-quota", "999", "CPU cfs quota can not be less than 1ms (i.e. 1000)"},
		{"--cpu-shares", "1", "the minimum allowed cpu-shares is 2"},
		{"--cpu-shares", "262145", "the maximum allowed cpu-shares is 262144"},
		{"--oom-score-adj", "1001",
		 "Invalid value 1001, range for oom score adj is [-1000, 1000]"},
		{"--oom-score-adj", "-1001",
		 "Invalid value -1001, range for oom score adj is [-1000, 1000]"},
		{"--blkio-weight", "9", "Range of blkio weight is from 10 to 1000"},
		{"--blkio-weight", "1001", "Range of blkio weight is from 10 to 1000"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct container_opts o;
		struct mr_err err;
		const char *args[] = {bad[i].a1, bad[i].a2, NULL};
		CU_ASSERT_EQUAL(parse(&o, &err, args), -1);
		if (strcmp(err.msg, bad[i].msg) != 0) {
			fprintf(stderr, "%s %s: got \"%s\"\n", bad[i].a1, bad[i].a2, err.msg);
			CU_FAIL("message differs from docker's");
		}
	}
	/* --cpus with either of the CFS pair: docker's daemon refuses both at once */
	struct container_opts o;
	struct mr_err err;
	const char *p[] = {"--cpus", "1", "--cpu-period", "50000", NULL};
	CU_ASSERT_EQUAL(parse(&o, &err, p), -1);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "Conflicting options: Nano CPUs and CPU Period cannot both be set");
	const char *q[] = {"--cpu-quota=50000", "--cpus=0.5", NULL};
	CU_ASSERT_EQUAL(parse(&o, &err, q), -1);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
	/* a quota of -1 is "no quota", not below 1 ms */
	const char *ok[] = {"--cpu-quota=-1", NULL};
	CU_ASSERT_EQUAL(parse(&o, &err, ok), 0);
	container_opts_free(&o);
}

static void label_files_go_before_the_l_flags(void)
{
	char path[] = "/tmp/mr-unit-labels-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	static const char text[] = "a=1\n# a comment\nbare\n\n  c=x y\r\nz=file\n";
	CU_ASSERT(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);

	struct container_opts o;
	struct mr_err err;
	char flag[64];
	snprintf(flag, sizeof(flag), "--label-file=%s", path);
	const char *args[] = {"-l", "z=flag", flag, NULL};
	CU_ASSERT_EQUAL_FATAL(parse(&o, &err, args), 0);
	/* the file's, in order (a bare key dropped, as docker does for labels), then -l */
	const char *want[] = {"a=1", "c=x y", "z=file", "z=flag", NULL};
	for (size_t i = 0; want[i]; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(o.labels[i]);
		CU_ASSERT_STRING_EQUAL(o.labels[i], want[i]);
	}
	CU_ASSERT_PTR_NULL(o.labels[4]);
	container_opts_free(&o);

	FILE *f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs("a b=1\n", f);
	fclose(f);
	const char *bad[] = {flag, NULL};
	CU_ASSERT_EQUAL(parse(&o, &err, bad), -1);
	char msg[256];
	snprintf(msg, sizeof(msg), "invalid env file (%s): variable 'a b' contains whitespaces",
		 path);
	CU_ASSERT_STRING_EQUAL(err.msg, msg);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs("=x\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(parse(&o, &err, bad), -1);
	snprintf(msg, sizeof(msg), "invalid env file (%s): no variable name on line '=x'", path);
	CU_ASSERT_STRING_EQUAL(err.msg, msg);
	unlink(path);
	CU_ASSERT_EQUAL(parse(&o, &err, bad), -1);
	snprintf(msg, sizeof(msg), "open %s: no such file or directory", path);
	CU_ASSERT_STRING_EQUAL(err.msg, msg);
}

/* a block device node of this machine, or NULL */
static const char *some_disk(void)
{
	static const char *const disks[] = {"/dev/vda",   "/dev/sda",   "/dev/nvme0n1",
					    "/dev/loop0", "/dev/zram0", NULL};
	struct stat st;
	for (size_t i = 0; disks[i]; i++)
		if (stat(disks[i], &st) == 0 && S_ISBLK(st.st_mode))
			return disks[i];
	return NULL;
}

static void the_record_and_the_oci_config(void)
{
	struct container_opts o;
	struct mr_err err;
	const char *disk = some_disk();
	char rbps[64];
	snprintf(rbps, sizeof(rbps), "--device-read-bps=%s:1mb", disk ? disk : "/dev/vda");
	const char *args[] = {"-c",
			      "512",
			      "--cpu-period=50000",
			      "--cpu-quota=25000",
			      "--cpuset-cpus=0",
			      "--memory-swappiness=10",
			      "--oom-kill-disable",
			      "--oom-score-adj=7",
			      "--blkio-weight=300",
			      rbps,
			      "--cidfile=c.id",
			      NULL};
	CU_ASSERT_EQUAL_FATAL(parse(&o, &err, args), 0);
	json_t *hc = host_config_of(&o, &err), *some = json_object();
	CU_ASSERT_PTR_NOT_NULL_FATAL(hc);
	static const char *const keys[] = {"BlkioDeviceReadBps",  "BlkioDeviceReadIOps",
					   "BlkioDeviceWriteBps", "BlkioDeviceWriteIOps",
					   "BlkioWeight",         "ContainerIDFile",
					   "CpuPeriod",           "CpuQuota",
					   "CpuShares",           "CpusetCpus",
					   "CpusetMems",          "MemorySwappiness",
					   "OomKillDisable",      "OomScoreAdj"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set(some, keys[i], json_object_get(hc, keys[i]));
	char *s = json_dumps(some, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(some);
	char want[1024];
	snprintf(want, sizeof(want),
		 "{\"BlkioDeviceReadBps\":[{\"Path\":\"%s\",\"Rate\":1048576}],"
		 "\"BlkioDeviceReadIOps\":null,\"BlkioDeviceWriteBps\":null,"
		 "\"BlkioDeviceWriteIOps\":null,\"BlkioWeight\":300,\"ContainerIDFile\":\"c.id\","
		 "\"CpuPeriod\":50000,\"CpuQuota\":25000,\"CpuShares\":512,\"CpusetCpus\":\"0\","
		 "\"CpusetMems\":\"\",\"MemorySwappiness\":10,\"OomKillDisable\":true,"
		 "\"OomScoreAdj\":7}",
		 disk ? disk : "/dev/vda");
	CU_ASSERT_STRING_EQUAL(s, want);
	free(s);

	/* the OCI pieces: into linux.resources (with --cpus's cpu object absent) and process */
	json_t *r = json_object(), *proc = json_object();
	if (disk) {
		CU_ASSERT_EQUAL_FATAL(container_resources_oci(hc, r, proc, &err), 0);
		struct stat st;
		CU_ASSERT_FATAL(stat(disk, &st) == 0);
		s = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
		snprintf(
			want, sizeof(want),
			"{\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":%u,\"minor\":%u,"
			"\"rate\":1048576}],\"weight\":300},\"cpu\":{\"cpus\":\"0\",\"period\":50000,"
			"\"quota\":25000,\"shares\":512},\"memory\":{\"disableOOMKiller\":true,"
			"\"swappiness\":10}}",
			major(st.st_rdev), minor(st.st_rdev));
		CU_ASSERT_STRING_EQUAL(s, want);
		free(s);
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(proc, "oomScoreAdj")), 7);
	}
	/* a throttled path that is no block device (any more) fails the config, naming it */
	json_array_append_new(json_object_get(hc, "BlkioDeviceReadBps"),
			      json_pack("{s:s, s:i}", "Path", "/dev/null", "Rate", 1));
	json_t *r2 = json_object();
	CU_ASSERT_EQUAL(container_resources_oci(hc, r2, NULL, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/dev/null is no longer a block device"));
	json_decref(r2);
	json_decref(r);
	json_decref(proc);
	json_decref(hc);
	container_opts_free(&o);
}

static void cpusets_are_checked_against_the_online_cpus(void)
{
	struct container_opts o = {0};
	struct mr_err err = {0};
	char *online = NULL;
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	char line[256] = "";
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	online = line;
	o.cpuset_cpus = "0";
	CU_ASSERT_EQUAL(container_resources_host_check(&o, &err), 0);
	o.cpuset_cpus = "8191";
	CU_ASSERT_EQUAL(container_resources_host_check(&o, &err), -1);
	char want[512];
	snprintf(want, sizeof(want),
		 "Requested CPUs are not available - requested 8191, available: %s", online);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	static const char *const bad[] = {"x", "1-", "-1", "1,", "2-1", "0,,1", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.cpuset_cpus = bad[i];
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(container_resources_host_check(&o, &err), -1);
		snprintf(want, sizeof(want), "Invalid value %s for cpuset cpus: invalid format: %s",
			 bad[i], bad[i]);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
	}
	o.cpuset_cpus = NULL;
	o.cpuset_mems = "0";
	CU_ASSERT_EQUAL(container_resources_host_check(&o, &err), 0);
}

static void bfq_weights_convert_back_exactly(void)
{
	/* io.bfq.weight gets the blkio weight runc would write: the inverse of io.weight's */
	for (int64_t b = 10; b <= 1000; b++)
		if (cg_blkio_from_io_weight(cg_io_weight_from_blkio(b)) != b) {
			fprintf(stderr, "blkio %lld -> %lld -> %lld\n", (long long)b,
				(long long)cg_io_weight_from_blkio(b),
				(long long)cg_blkio_from_io_weight(cg_io_weight_from_blkio(b)));
			CU_FAIL("not the inverse");
			break;
		}
	CU_ASSERT_EQUAL(cg_blkio_from_io_weight(1), 10);
	CU_ASSERT_EQUAL(cg_blkio_from_io_weight(10000), 1000);
	/* and --cpu-shares on v2, as runc and crun convert them: 1024 -> 39 */
	CU_ASSERT_EQUAL(cg_weight_from_shares(1024), 39);
	CU_ASSERT_EQUAL(cg_weight_from_shares(2), 1);
	CU_ASSERT_EQUAL(cg_weight_from_shares(262144), 10000);
}

static CU_TestInfo tests[] = {
	{"--cpu-*, --cpuset-*, --memory-swappiness, --oom-*, --blkio-weight, --device-*-bps/iops "
	 "parse into their fields",
	 the_flags_parse_into_their_fields},
	{"bad values and conflicting sets are refused in docker's words",
	 bad_values_are_refused_in_dockers_words},
	{"--label-file: docker's env-file format, bare keys dropped, before every -l",
	 label_files_go_before_the_l_flags},
	{"HostConfig's docker keys, and linux.resources / process.oomScoreAdj made of them",
	 the_record_and_the_oci_config},
	{"--cpuset-cpus: its list syntax, and the CPUs online here",
	 cpusets_are_checked_against_the_online_cpus},
	{"io.bfq.weight and cpu.weight: the conversions runc makes",
	 bfq_weights_convert_back_exactly},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers: resource flags", tests)
