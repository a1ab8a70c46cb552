/*
 * tests/unit/test_containers_health.c - docker's health checks, the pure parts: Go
 * durations (lib/duration.c), the --health-* flags (opts_set.c), the merge of flags and
 * the image's Healthcheck, the probe's argv, docker's defaults, the state machine, the
 * probe's output buffer and State.Health in the record (minirun/containers/health.c), and
 * HEALTHCHECK in import/commit -c (minirun/image/import.c).
 *
 * Run: make test-unit (all suites), or build tests/unit/run-unit and run it.
 */
#include "lib/duration.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/health.h"
#include "minirun/image/image.h"
#include "tests/unit/unit.h"

#include <string.h>

#define SEC 1000000000LL

/* Parse the words of ARGS (NULL-terminated, "run" first) into *o; 0 or -1 with err. */
#define PARSE(o, err, ...)                                                                         \
	({                                                                                         \
		char *v_[] = {"run", __VA_ARGS__, NULL};                                           \
		bool h_ = false;                                                                   \
		memset(err, 0, sizeof(*err));                                                      \
		container_opts_parse((int)(sizeof(v_) / sizeof(v_[0])) - 1, v_, o, &h_, err);      \
	})

static long long dur(const char *s)
{
	char why[128];
	long long ns = -42;
	return mr_parse_duration(s, &ns, why, sizeof(why)) < 0 ? -42 : ns;
}

static void durations_parse_as_go_does(void)
{
	CU_ASSERT_EQUAL(dur("0"), 0);
	CU_ASSERT_EQUAL(dur("1s"), SEC);
	CU_ASSERT_EQUAL(dur("1m30s"), 90 * SEC);
	CU_ASSERT_EQUAL(dur("1.5h"), 5400 * SEC);
	CU_ASSERT_EQUAL(dur("500ms"), SEC / 2);
	CU_ASSERT_EQUAL(dur("10us"), 10000);
	CU_ASSERT_EQUAL(dur("10\xc2\xb5s"), 10000);
	CU_ASSERT_EQUAL(dur("3ns"), 3);
	CU_ASSERT_EQUAL(dur(".5s"), SEC / 2);
	CU_ASSERT_EQUAL(dur("-2s"), -2 * SEC);
	CU_ASSERT_EQUAL(dur("1h1m1s1ms"), 3661 * SEC + 1000000);
	char why[128];
	long long ns;
	CU_ASSERT_EQUAL(mr_parse_duration("1", &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "time: missing unit in duration \"1\"");
	CU_ASSERT_EQUAL(mr_parse_duration("1d", &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "time: unknown unit \"d\" in duration \"1d\"");
	CU_ASSERT_EQUAL(mr_parse_duration("x", &ns, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "time: invalid duration \"x\"");
	CU_ASSERT_EQUAL(dur(""), -42);
	CU_ASSERT_EQUAL(dur("s"), -42);
	CU_ASSERT_EQUAL(dur("."), -42);
	CU_ASSERT_EQUAL(dur("9999999999h"), -42); /* past Go's 292 years */
}

static void durations_print_as_go_does(void)
{
	char b[40];
	CU_ASSERT_STRING_EQUAL(mr_format_duration(0, b, sizeof(b)), "0s");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(SEC, b, sizeof(b)), "1s");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(30 * SEC, b, sizeof(b)), "30s");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(3 * SEC / 2, b, sizeof(b)), "1.5s");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(90 * SEC, b, sizeof(b)), "1m30s");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(3600 * SEC, b, sizeof(b)), "1h0m0s");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(SEC / 2, b, sizeof(b)), "500ms");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(1500, b, sizeof(b)), "1.5\xc2\xb5s");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(7, b, sizeof(b)), "7ns");
	CU_ASSERT_STRING_EQUAL(mr_format_duration(-2 * SEC, b, sizeof(b)), "-2s");
}

static void health_flags_parse_into_nanoseconds(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--health-cmd", "curl -f localhost",
				    "--health-interval=1m30s", "--health-timeout", "5s",
				    "--health-retries", "4", "--health-start-period", "10s",
				    "--health-start-interval", "500ms", "busybox"),
			      0);
	CU_ASSERT_STRING_EQUAL(o.health_cmd, "curl -f localhost");
	CU_ASSERT_EQUAL(o.health_interval, 90 * SEC);
	CU_ASSERT_EQUAL(o.health_timeout, 5 * SEC);
	CU_ASSERT_EQUAL(o.health_retries, 4);
	CU_ASSERT_EQUAL(o.health_start_period, 10 * SEC);
	CU_ASSERT_EQUAL(o.health_start_interval, SEC / 2);
	container_opts_free(&o);
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--no-healthcheck", "busybox"), 0);
	CU_ASSERT(o.no_healthcheck);
	container_opts_free(&o);
}

static void health_flags_refuse_bad_values(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--health-interval", "5", "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid argument \"5\" for \"--health-interval\" flag: "
					"time: missing unit in duration \"5\"");
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--health-timeout=-1s", "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "--health-timeout cannot be negative");
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--health-interval=10us", "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "--health-interval cannot be less than 1ms");
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--health-retries=-1", "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "--health-retries cannot be negative");
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--health-retries=x", "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "invalid argument \"x\" for \"--health-retries\" flag: "
					"strconv.ParseInt: parsing \"x\": invalid syntax");
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--no-healthcheck", "--health-cmd", "true", "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "--no-healthcheck conflicts with --health-* options");
}

static char *dump(json_t *j)
{
	static char buf[1024];
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(buf, sizeof(buf), "%s", s ? s : "NULL");
	free(s);
	json_decref(j);
	return buf;
}

/* the Config.Healthcheck a record gets from health_merge(O, IMG): its JSON, keys sorted;
 * "NULL" when there is none */
static char *merge(const struct container_opts *o, json_t *img)
{
	struct container_record r = {0};
	json_t *rec = json_pack("{s:{}}", "Config");
	CU_ASSERT_EQUAL(health_merge(o, img, &r.config.healthcheck), 0);
	container_record_to_json(&r, rec);
	char *s = dump(json_incref(json_object_get(json_object_get(rec, "Config"), "Healthcheck")));
	container_record_free(&r);
	json_decref(rec);
	return s;
}

/* the probe of a record whose Config is CONFIG (JSON text) */
static json_t *probe(const char *config)
{
	struct container_record r = {0};
	json_t *rec = json_pack("{s:o}", "Config", json_loads(config, 0, NULL));
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	json_t *args = health_probe_args(&r);
	container_record_free(&r);
	json_decref(rec);
	return args;
}

static void flags_merge_over_the_image_check_field_by_field(void)
{
	struct container_opts o = {0};
	json_t *img = json_pack("{s:[s,s], s:I, s:I}", "Test", "CMD", "true", "Interval",
				(json_int_t)(5 * SEC), "Retries", (json_int_t)2);
	/* no flag: the image's check as it is */
	CU_ASSERT_STRING_EQUAL(
		merge(&o, img),
		"{\"Interval\":5000000000,\"Retries\":2,\"Test\":[\"CMD\",\"true\"]}");
	/* one flag: that field, the rest the image's */
	o.health_timeout = 2 * SEC;
	CU_ASSERT_STRING_EQUAL(merge(&o, img),
			       "{\"Interval\":5000000000,\"Retries\":2,\"Test\":[\"CMD\",\"true\"],"
			       "\"Timeout\":2000000000}");
	o.health_cmd = "exit 0";
	o.health_retries = 7;
	CU_ASSERT_STRING_EQUAL(merge(&o, img),
			       "{\"Interval\":5000000000,\"Retries\":7,\"Test\":[\"CMD-SHELL\","
			       "\"exit 0\"],\"Timeout\":2000000000}");
	/* --no-healthcheck: NONE whatever the image says */
	struct container_opts none = {.no_healthcheck = true};
	CU_ASSERT_STRING_EQUAL(merge(&none, img), "{\"Test\":[\"NONE\"]}");
	/* neither: no Healthcheck at all */
	struct container_opts empty = {0};
	CU_ASSERT_STRING_EQUAL(merge(&empty, NULL), "NULL");
	json_decref(img);
}

/* compose's healthcheck.test list: the exec form, which no flag spells (health_exec) */
static void exec_form_is_a_cmd_test(void)
{
	char *argv[] = {"wget", "-q", "http://127.0.0.1/", NULL};
	struct container_opts o = {.health_exec = argv, .health_interval = SEC};
	json_t *img = json_pack("{s:[s,s]}", "Test", "CMD-SHELL", "exit 1");
	CU_ASSERT_STRING_EQUAL(merge(&o, img),
			       "{\"Interval\":1000000000,\"Test\":[\"CMD\",\"wget\",\"-q\","
			       "\"http://127.0.0.1/\"]}");
	/* over a --health-cmd too: the list is what compose meant */
	o.health_cmd = "exit 0";
	CU_ASSERT_STRING_EQUAL(merge(&o, NULL),
			       "{\"Interval\":1000000000,\"Test\":[\"CMD\",\"wget\",\"-q\","
			       "\"http://127.0.0.1/\"]}");
	json_decref(img);
}

static void probe_args_follow_the_test_kind(void)
{
	CU_ASSERT_STRING_EQUAL(dump(probe("{\"Healthcheck\":{\"Test\":[\"CMD\",\"ls\",\"/\"]}}")),
			       "[\"ls\",\"/\"]");
	CU_ASSERT_STRING_EQUAL(
		dump(probe("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"exit 1\"]}}")),
		"[\"/bin/sh\",\"-c\",\"exit 1\"]");
	/* the image's SHELL runs a CMD-SHELL */
	CU_ASSERT_STRING_EQUAL(dump(probe("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"exit 1\"]},"
					  "\"Shell\":[\"/bin/ash\",\"-ec\"]}")),
			       "[\"/bin/ash\",\"-ec\",\"exit 1\"]");
	static const char *const none[] = {"{\"Healthcheck\":{\"Test\":[\"NONE\"]}}",
					   "{\"Healthcheck\":{\"Test\":[]}}",
					   "{\"Healthcheck\":{\"Test\":[\"CMD\"]}}",
					   "{\"Healthcheck\":{\"Test\":[\"RUN\",\"x\"]}}", "{}"};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		CU_ASSERT_PTR_NULL(probe(none[i]));
}

static void zero_fields_take_dockers_defaults(void)
{
	struct health_config d = health_config_of(NULL);
	CU_ASSERT_EQUAL(d.interval, 30 * SEC);
	CU_ASSERT_EQUAL(d.timeout, 30 * SEC);
	CU_ASSERT_EQUAL(d.start_period, 0);
	CU_ASSERT_EQUAL(d.start_interval, 5 * SEC);
	CU_ASSERT_EQUAL(d.retries, 3);
	struct container_healthcheck hc = {.present = true, .interval = SEC};
	d = health_config_of(&hc);
	CU_ASSERT_EQUAL(d.interval, SEC);
	CU_ASSERT_EQUAL(d.retries, 3);
}

static void state_machine_is_dockers(void)
{
	struct health_state s = {HEALTH_STARTING, 0};
	/* a failure in the start period does not count */
	s = health_next(s, 1, true, 2);
	CU_ASSERT_EQUAL(s.status, HEALTH_STARTING);
	CU_ASSERT_EQUAL(s.failing_streak, 0);
	/* after it, failures count up to RETRIES */
	s = health_next(s, 1, false, 2);
	CU_ASSERT_EQUAL(s.status, HEALTH_STARTING);
	CU_ASSERT_EQUAL(s.failing_streak, 1);
	s = health_next(s, -1, false, 2); /* a timeout is a failure */
	CU_ASSERT_EQUAL(s.status, HEALTH_UNHEALTHY);
	CU_ASSERT_EQUAL(s.failing_streak, 2);
	/* one success heals it and ends the streak */
	s = health_next(s, 0, false, 2);
	CU_ASSERT_EQUAL(s.status, HEALTH_HEALTHY);
	CU_ASSERT_EQUAL(s.failing_streak, 0);
	/* once healthy, the start period no longer shields a failure */
	s = health_next(s, 1, true, 2);
	CU_ASSERT_EQUAL(s.status, HEALTH_HEALTHY);
	CU_ASSERT_EQUAL(s.failing_streak, 1);
	s = health_next(s, 7, true, 2);
	CU_ASSERT_EQUAL(s.status, HEALTH_UNHEALTHY);
	/* a success in the start period makes it healthy at once */
	s = health_next((struct health_state){HEALTH_STARTING, 0}, 0, true, 3);
	CU_ASSERT_EQUAL(s.status, HEALTH_HEALTHY);
}

static void start_interval_applies_while_starting_in_the_start_period(void)
{
	struct health_config c = {.interval = 30 * SEC,
				  .timeout = SEC,
				  .start_period = 10 * SEC,
				  .start_interval = SEC,
				  .retries = 3};
	CU_ASSERT_EQUAL(health_wait_ns(&c, HEALTH_STARTING, 0), SEC);
	CU_ASSERT_EQUAL(health_wait_ns(&c, HEALTH_STARTING, 9 * SEC), SEC);
	CU_ASSERT_EQUAL(health_wait_ns(&c, HEALTH_STARTING, 10 * SEC), 30 * SEC);
	CU_ASSERT_EQUAL(health_wait_ns(&c, HEALTH_HEALTHY, 0), 30 * SEC);
	c.start_period = 0;
	CU_ASSERT_EQUAL(health_wait_ns(&c, HEALTH_STARTING, 0), 30 * SEC);
}

static void output_keeps_4096_bytes_then_dots(void)
{
	struct health_output out = {0};
	char big[3000];
	memset(big, 'x', sizeof(big));
	health_output_add(&out, "hi\n", 3);
	CU_ASSERT_STRING_EQUAL(health_output_text(&out), "hi\n");
	health_output_add(&out, big, sizeof(big));
	CU_ASSERT_EQUAL(strlen(health_output_text(&out)), 3003);
	health_output_add(&out, big, sizeof(big));
	const char *t = health_output_text(&out);
	CU_ASSERT_EQUAL(strlen(t), 4096 + 3);
	CU_ASSERT_STRING_EQUAL(t + 4096, "...");
}

static void record_keeps_the_last_five_results(void)
{
	struct container_record r = {0};
	json_t *rec = json_pack("{s:{s:{s:[s,s], s:i}}, s:{s:s}}", "Config", "Healthcheck", "Test",
				"CMD", "true", "Retries", 2, "State", "Status", "running");
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	health_record_start(&r);
	CU_ASSERT_STRING_EQUAL(health_record_status(&r), "starting");
	char out[8];
	for (int i = 0; i < 7; i++) {
		snprintf(out, sizeof(out), "r%d", i);
		health_record_result(&r, "S", "E", i < 5 ? 0 : 1, out, false);
	}
	/* the status and streak are the typed record's; saved, they are State.Health's */
	container_record_to_json(&r, rec);
	json_t *h = json_object_get(json_object_get(rec, "State"), "Health");
	json_t *log = json_object_get(h, "Log");
	CU_ASSERT_EQUAL(json_array_size(log), 5);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(log, 0), "Output")),
			       "r2");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(log, 4), "ExitCode")), 1);
	CU_ASSERT_STRING_EQUAL(health_record_status(&r), "unhealthy");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(h, "Status")), "unhealthy");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(h, "FailingStreak")), 2);
	/* a restart starts over, keeping the log; a stop says unhealthy */
	health_record_start(&r);
	CU_ASSERT_STRING_EQUAL(health_record_status(&r), "starting");
	CU_ASSERT_EQUAL(json_array_size(log), 5);
	health_record_stop(&r);
	CU_ASSERT_STRING_EQUAL(health_record_status(&r), "unhealthy");
	container_record_free(&r);
	json_decref(rec);
	/* no check: no State.Health */
	rec = json_pack("{s:{}, s:{}}", "Config", "State");
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	health_record_start(&r);
	health_record_stop(&r);
	CU_ASSERT_PTR_NULL(health_record_status(&r));
	container_record_to_json(&r, rec);
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(rec, "State"), "Health"));
	container_record_free(&r);
	json_decref(rec);
}

static void healthcheck_change_sets_the_image_check(void)
{
	struct mr_err err = {0};
	json_t *cfg = json_object();
	CU_ASSERT_EQUAL(image_apply_change(cfg,
					   "HEALTHCHECK --interval=1s --retries=2 CMD "
					   "[\"cat\", \"/etc/hostname\"]",
					   &err),
			0);
	CU_ASSERT_STRING_EQUAL(dump(json_incref(json_object_get(cfg, "Healthcheck"))),
			       "{\"Interval\":1000000000,\"Retries\":2,\"Test\":[\"CMD\",\"cat\","
			       "\"/etc/hostname\"]}");
	CU_ASSERT_EQUAL(image_apply_change(cfg, "HEALTHCHECK CMD wget -q -O- localhost", &err), 0);
	CU_ASSERT_STRING_EQUAL(dump(json_incref(json_object_get(cfg, "Healthcheck"))),
			       "{\"Test\":[\"CMD-SHELL\",\"wget -q -O- localhost\"]}");
	CU_ASSERT_EQUAL(image_apply_change(cfg, "HEALTHCHECK NONE", &err), 0);
	CU_ASSERT_STRING_EQUAL(dump(json_incref(json_object_get(cfg, "Healthcheck"))),
			       "{\"Test\":[\"NONE\"]}");
	CU_ASSERT_EQUAL(image_apply_change(cfg, "HEALTHCHECK --interval=5 CMD true", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--interval: '5' is not a duration"));
	CU_ASSERT_EQUAL(image_apply_change(cfg, "HEALTHCHECK RUN true", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "HEALTHCHECK takes NONE or CMD COMMAND"));
	json_decref(cfg);
}

static CU_TestInfo tests[] = {
	{"durations parse as Go's time.ParseDuration", durations_parse_as_go_does},
	{"durations print as Go's Duration.String", durations_print_as_go_does},
	{"--health-* flags parse into nanoseconds", health_flags_parse_into_nanoseconds},
	{"--health-* flags refuse bad values with docker's messages",
	 health_flags_refuse_bad_values},
	{"flags merge over the image's check field by field",
	 flags_merge_over_the_image_check_field_by_field},
	{"the exec form (compose's test list) is a CMD test", exec_form_is_a_cmd_test},
	{"the probe's argv follows the Test kind (CMD, CMD-SHELL, NONE)",
	 probe_args_follow_the_test_kind},
	{"zero fields take docker's defaults", zero_fields_take_dockers_defaults},
	{"the state machine is docker's", state_machine_is_dockers},
	{"the start interval applies while starting in the start period",
	 start_interval_applies_while_starting_in_the_start_period},
	{"a probe's output keeps 4096 bytes, then \"...\"", output_keeps_4096_bytes_then_dots},
	{"State.Health keeps the last five results", record_keeps_the_last_five_results},
	{"HEALTHCHECK in -c sets the image's check", healthcheck_change_sets_the_image_check},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers health", tests)
