/*
 * tests/unit/test_containers_hostflags.c - --ulimit, --device, --group-add, --shm-size and
 * --pull as run's parser takes them (minirun/bundle/hostflags.c, opts_set.c), and the record
 * and OCI pieces made from them.
 */
#include "minirun/containers/containers.h"
#include "minirun/bundle/bundle.h"
#include "tests/unit/host_config.h"
#include "tests/unit/unit.h"

#include <string.h>
#include <sys/resource.h>

static int parse(struct container_opts *o, struct mr_err *err, const char *a1, const char *a2,
		 const char *a3)
{
	char *argv[] = {"run", (char *)a1, (char *)a2, (char *)a3, "busybox", NULL};
	bool help = false;
	memset(err, 0, sizeof(*err));
	return container_opts_parse(5, argv, o, &help, err);
}

static void ulimits_parse_as_dockers(void)
{
	struct container_ulimit u;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(container_ulimit_parse("nofile=1024:2048", &u, &err), 0);
	CU_ASSERT_STRING_EQUAL(u.name, "nofile");
	CU_ASSERT_STRING_EQUAL(u.oci, "RLIMIT_NOFILE");
	CU_ASSERT_EQUAL(u.resource, RLIMIT_NOFILE);
	CU_ASSERT(u.soft == 1024 && u.hard == 2048);
	CU_ASSERT_EQUAL_FATAL(container_ulimit_parse("nproc=50", &u, &err), 0);
	CU_ASSERT(u.soft == 50 && u.hard == 50); /* HARD defaults to SOFT */
	CU_ASSERT_EQUAL_FATAL(container_ulimit_parse("core=-1", &u, &err), 0);
	CU_ASSERT(u.soft == -1 && u.hard == -1);
	CU_ASSERT_EQUAL(container_ulimit_parse("core=0:-1", &u, &err), 0);

	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{"nofile", "invalid ulimit argument: nofile"},
		{"files=1", "invalid ulimit type: files (one of core cpu data fsize locks memlock "
			    "msgqueue nice nofile nproc rss rtprio rttime sigpending stack)"},
		{"nofile=x", "strconv.ParseInt: parsing \"x\": invalid syntax"},
		{"nofile=1:2:3", "too many limit value arguments - 1:2:3, can only have up to two, "
				 "`soft[:hard]`"},
		{"nofile=20:10",
		 "ulimit soft limit must be less than or equal to hard limit: 20 > 10"},
		{"nofile=-1:10",
		 "ulimit soft limit must be less than or equal to hard limit: soft: "
		 "-1 (unlimited), hard: 10"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(container_ulimit_parse(bad[i].spec, &u, &err), -1);
		if (strcmp(err.msg, bad[i].msg) != 0) {
			fprintf(stderr, "%s: got \"%s\"\n", bad[i].spec, err.msg);
			CU_FAIL("message differs from docker's");
		}
	}
}

static void devices_parse_as_dockers(void)
{
	struct container_device d;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(container_device_parse("/dev/fuse", &d, &err), 0);
	CU_ASSERT(!strcmp(d.host, "/dev/fuse") && !strcmp(d.ctr, "/dev/fuse") &&
		  !strcmp(d.perms, "rwm"));
	CU_ASSERT_EQUAL_FATAL(container_device_parse("/dev/fuse:r", &d, &err), 0);
	CU_ASSERT(!strcmp(d.ctr, "/dev/fuse") && !strcmp(d.perms, "r")); /* HOST:PERMS */
	CU_ASSERT_EQUAL_FATAL(container_device_parse("/dev/null:/dev/mynull:rw", &d, &err), 0);
	CU_ASSERT(!strcmp(d.host, "/dev/null") && !strcmp(d.ctr, "/dev/mynull") &&
		  !strcmp(d.perms, "rw"));
	CU_ASSERT_EQUAL_FATAL(container_device_parse("/dev/null:/dev/x", &d, &err), 0);
	CU_ASSERT(!strcmp(d.ctr, "/dev/x") && !strcmp(d.perms, "rwm"));

	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{":/dev/x", "bad format for path: :/dev/x"},
		{"/a:/b:r:w", "bad format for path: /a:/b:r:w"},
		{"/dev/null:/dev/x:rr", "bad mode specified: rr"},
		{"/dev/null:/dev/x:rwx", "bad mode specified: rwx"},
		{"/dev/null:x", "x is not an absolute path"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(container_device_parse(bad[i].spec, &d, &err), -1);
		if (strcmp(err.msg, bad[i].msg) != 0) {
			fprintf(stderr, "%s: got \"%s\"\n", bad[i].spec, err.msg);
			CU_FAIL("message differs from docker's");
		}
	}
}

static void run_takes_the_new_flags(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(
		parse(&o, &err, "--pull=always", "--shm-size=128m", "--group-add=audio"), 0);
	CU_ASSERT(o.pull_always && !o.pull_never);
	CU_ASSERT_EQUAL(o.shm_size, 128LL << 20);
	CU_ASSERT_STRING_EQUAL(o.group_add[0], "audio");
	container_opts_free(&o);
	CU_ASSERT_EQUAL_FATAL(
		parse(&o, &err, "--ulimit=nofile=10:20", "--device=/dev/fuse:r", "--pull=missing"),
		0);
	CU_ASSERT(!o.pull_always && !o.pull_never);
	CU_ASSERT_STRING_EQUAL(o.ulimits[0], "nofile=10:20");
	CU_ASSERT_STRING_EQUAL(o.devices[0], "/dev/fuse:r");
	container_opts_free(&o);

	CU_ASSERT_EQUAL(parse(&o, &err, "--ulimit", "nofile=x", "-d"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid argument \"nofile=x\" for \"--ulimit\" flag: "
					"strconv.ParseInt: parsing \"x\": invalid syntax");
	CU_ASSERT_EQUAL(parse(&o, &err, "--device", "/dev/null:rel", "-d"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid argument \"/dev/null:rel\" for \"--device\" "
					"flag: rel is not an absolute path");
	CU_ASSERT_EQUAL(parse(&o, &err, "--shm-size", "lots", "-d"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "invalid argument \"lots\" for \"--shm-size\" flag: invalid size: "
			       "'lots'");
}

static void the_record_and_the_oci_pieces(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(parse(&o, &err, "--ulimit=nofile=10:20",
				    "--device=/dev/null:/dev/n:r", "--ulimit=nofile=30"),
			      0);
	json_t *hc = host_config_of(&o, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hc);
	char *s = json_dumps(json_object_get(hc, "Ulimits"), JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s,
			       "[{\"Name\":\"nofile\",\"Hard\":30,\"Soft\":30}]"); /* last wins */
	free(s);
	s = json_dumps(json_object_get(hc, "Devices"), JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/n\","
				  "\"CgroupPermissions\":\"r\"}]");
	free(s);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(hc, "ShmSize")), 64LL << 20);
	CU_ASSERT(json_is_null(json_object_get(hc, "GroupAdd")));

	json_t *rl = container_rlimits_oci(json_object_get(hc, "Ulimits"), &err);
	s = json_dumps(rl, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":30,\"soft\":30}]");
	free(s);
	json_decref(rl);

	json_t *devs = json_array(), *rules = json_array();
	CU_ASSERT_EQUAL(container_devices_oci(json_object_get(hc, "Devices"), devs, rules, &err),
			0);
	s = json_dumps(rules, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "[{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,"
				  "\"access\":\"r\"}]");
	free(s);
	json_t *d = json_array_get(devs, 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(d, "path")), "/dev/n");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(d, "major")), 1);
	json_decref(devs);
	json_decref(rules);
	json_decref(hc);
	container_opts_free(&o);
}

static CU_TestInfo tests[] = {
	{"--ulimit parses as docker's go-units; bad ones in its words", ulimits_parse_as_dockers},
	{"--device HOST[:CONTAINER][:PERMS] parses as docker's CLI; bad ones in its words",
	 devices_parse_as_dockers},
	{"run takes --pull always, --shm-size, --group-add, --ulimit, --device",
	 run_takes_the_new_flags},
	{"the record's Ulimits/Devices/ShmSize and the rlimits, nodes and rules made of them",
	 the_record_and_the_oci_pieces},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers: host flags", tests)
