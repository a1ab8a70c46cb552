/*
 * tests/unit/test_containers_io.c - the pure parts of a container's stdio: docker's
 * --detach-keys syntax, the json-file log line (logwrite.c), and the times `logs --since`
 * takes (minirun/containers/attach.c, logs.c).
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/io_proto.h"
#include "minirun/containers/logdriver.h"
#include "tests/unit/unit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void detach_keys_default_is_ctrl_p_ctrl_q(void)
{
	unsigned char k[IO_MAX_KEYS];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(io_parse_detach_keys(IO_DEFAULT_DETACH_KEYS, k, &err), 2);
	CU_ASSERT_EQUAL(k[0], 0x10);
	CU_ASSERT_EQUAL(k[1], 0x11);
}

static void detach_keys_letters_and_punctuation(void)
{
	unsigned char k[IO_MAX_KEYS];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(io_parse_detach_keys("ctrl-a,x,ctrl-@,ctrl-[,ctrl-\\,ctrl-_", k, &err), 6);
	CU_ASSERT_EQUAL(k[0], 1);
	CU_ASSERT_EQUAL(k[1], 'x');
	CU_ASSERT_EQUAL(k[2], 0);
	CU_ASSERT_EQUAL(k[3], 27);
	CU_ASSERT_EQUAL(k[4], 28);
	CU_ASSERT_EQUAL(k[5], 31);
}

static void detach_keys_bad_key_is_named(void)
{
	unsigned char k[IO_MAX_KEYS];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(io_parse_detach_keys("ctrl-p,bogus", k, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'bogus'"));
	CU_ASSERT_EQUAL(io_parse_detach_keys("ctrl-1", k, &err), -1);
	CU_ASSERT_EQUAL(io_parse_detach_keys("", k, &err), -1);
}

/* one entry through a json-file log_writer, read back from its file and parsed */
static json_t *append_and_parse(const char *stream, const char *text, size_t len, char *raw,
				size_t rawlen)
{
	char path[] = "/tmp/mr-unit-log-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	struct log_config lc = {LOG_JSON_FILE, -1, 1};
	struct log_writer *w = log_writer_open(path, &lc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(log_writer_append(w, !strcmp(stream, "stderr"), text, len), 0);
	log_writer_close(w);
	ssize_t n = read(fd, raw, rawlen - 1);
	close(fd);
	unlink(path);
	raw[n > 0 ? n : 0] = '\0';
	return json_loads(raw, JSON_ALLOW_NUL, NULL);
}

static void log_line_is_docker_json_file(void)
{
	char raw[4096];
	json_t *j = append_and_parse("stdout", "hi\n", 3, raw, sizeof(raw));
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "log")), "hi\n");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "stream")), "stdout");
	const char *t = json_string_value(json_object_get(j, "time"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(strlen(t), strlen("2026-11-27T21:15:02.123456789Z"));
	CU_ASSERT_EQUAL(t[strlen(t) - 1], 'Z');
	CU_ASSERT_EQUAL(strchr(raw, '\n'), raw + strlen(raw) - 1); /* one object, one line */
	CU_ASSERT_EQUAL(strncmp(raw, "{\"log\":\"hi\\n\",\"stream\":\"stdout\",\"time\":\"", 40),
			0);
	json_decref(j);
}

static void log_line_escapes_and_replaces_bad_utf8(void)
{
	char raw[4096];
	const char text[] = "q\"b\\t\t\x01 \xc3\xa9 \xff\n";
	json_t *j = append_and_parse("stderr", text, sizeof(text) - 1, raw, sizeof(raw));
	CU_ASSERT_PTR_NOT_NULL_FATAL(j); /* valid JSON, valid UTF-8 */
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "log")),
			       "q\"b\\t\t\x01 \xc3\xa9 \xef\xbf\xbd\n");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "stream")), "stderr");
	json_decref(j);
}

static void since_takes_rfc3339_unix_and_durations(void)
{
	double t;
	CU_ASSERT_EQUAL(log_parse_time("1970-01-02T00:00:00Z", 0, &t), 0);
	CU_ASSERT_DOUBLE_EQUAL(t, 86400, 1e-6);
	CU_ASSERT_EQUAL(log_parse_time("1970-01-02T01:00:00.5+01:00", 0, &t), 0);
	CU_ASSERT_DOUBLE_EQUAL(t, 86400.5, 1e-6);
	CU_ASSERT_EQUAL(log_parse_time("1970-01-03", 0, &t), 0);
	CU_ASSERT_DOUBLE_EQUAL(t, 2 * 86400, 1e-6);
	CU_ASSERT_EQUAL(log_parse_time("1700000000.25", 0, &t), 0);
	CU_ASSERT_DOUBLE_EQUAL(t, 1700000000.25, 1e-6);
	CU_ASSERT_EQUAL(log_parse_time("1h30m", 10000, &t), 0);
	CU_ASSERT_DOUBLE_EQUAL(t, 10000 - 5400, 1e-6);
	CU_ASSERT_EQUAL(log_parse_time("45s", 100, &t), 0);
	CU_ASSERT_DOUBLE_EQUAL(t, 55, 1e-6);
	CU_ASSERT_EQUAL(log_parse_time("yesterday", 0, &t), -1);
	CU_ASSERT_EQUAL(log_parse_time("10x", 0, &t), -1);
	CU_ASSERT_EQUAL(log_parse_time("2026-11-27T21", 0, &t), -1);
}

static CU_TestInfo tests[] = {
	{"detach keys: the default is ctrl-p,ctrl-q", detach_keys_default_is_ctrl_p_ctrl_q},
	{"detach keys: ctrl-letters, ctrl-punctuation and plain characters",
	 detach_keys_letters_and_punctuation},
	{"detach keys: a bad key is named", detach_keys_bad_key_is_named},
	{"the log writer writes one json-file line: log, stream, RFC 3339 time",
	 log_line_is_docker_json_file},
	{"the log writer escapes JSON and replaces bytes that are not UTF-8",
	 log_line_escapes_and_replaces_bad_utf8},
	{"--since takes RFC 3339, dates, Unix seconds and durations",
	 since_takes_rfc3339_unix_and_durations},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers io", tests)
