/*
 * tests/unit/test_containers_logrotate.c - the log's rotation and reading back, on files in
 * a temp dir: logwrite.c's rotation by max-size and max-file, logopts.c's checks of the
 * options (docker's words), and logread.c's stream across the rotated files, --tail walking
 * back through them, in both formats (json-file and minirun's local).
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/logdriver.h"
#include "tests/unit/unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* a temp dir; removed with everything in it by rm_dir */
static void mk_dir(char *dir)
{
	strcpy(dir, "/tmp/mr-unit-rot-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[4200];
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

static long long file_size(const char *dir, const char *name)
{
	char p[4200];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

/* write N numbered lines "line K\n" through a writer for LC in DIR */
static void write_lines(const char *dir, const struct log_config *lc, int n)
{
	char p[4200], line[64];
	snprintf(p, sizeof(p), "%s/%s", dir, log_file_name(lc->driver));
	struct log_writer *w = log_writer_open(p, lc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	for (int i = 0; i < n; i++) {
		int len = snprintf(line, sizeof(line), "line %d\n", i);
		CU_ASSERT_EQUAL(log_writer_append(w, i % 2, line, (size_t)len), 0);
	}
	log_writer_close(w);
}

/* read everything back: the numbers of the lines, in order, into nums; their count */
static int read_back(const char *dir, const struct log_config *lc, long long tail, int *nums,
		     int max)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, log_file_name(lc->driver));
	struct log_reader *r = log_reader_open(path, lc, tail, false, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	struct log_entry e;
	int n = 0;
	while (log_reader_next(r, &e) == 1 && n < max) {
		int k = -1;
		CU_ASSERT_EQUAL(sscanf(e.text, "line %d", &k), 1);
		CU_ASSERT_EQUAL(e.is_err, k % 2);
		nums[n++] = k;
	}
	log_reader_close(r);
	return n;
}

static void rotation_keeps_max_file_files_of_max_size(enum log_driver d)
{
	char dir[64];
	mk_dir(dir);
	struct log_config lc = {d, 1000, 3};
	write_lines(dir, &lc, 2000);
	const char *name = log_file_name(d);
	char n1[64], n2[64], n3[64];
	snprintf(n1, sizeof(n1), "%s.1", name);
	snprintf(n2, sizeof(n2), "%s.2", name);
	snprintf(n3, sizeof(n3), "%s.3", name);
	CU_ASSERT(file_size(dir, name) > 0 && file_size(dir, name) <= 1000);
	CU_ASSERT(file_size(dir, n1) > 900 && file_size(dir, n1) <= 1000);
	CU_ASSERT(file_size(dir, n2) > 900 && file_size(dir, n2) <= 1000);
	CU_ASSERT_EQUAL(file_size(dir, n3), -1);
	/* read back: the newest lines, consecutive, ending with the last one written */
	int nums[2000];
	int n = read_back(dir, &lc, -1, nums, 2000);
	CU_ASSERT(n > 10 && n < 2000);
	CU_ASSERT_EQUAL(nums[n - 1], 1999);
	for (int i = 1; i < n; i++)
		CU_ASSERT_EQUAL(nums[i], nums[i - 1] + 1);
	/* --tail crosses into the older files, and returns the same ending */
	int t[2000];
	int m = read_back(dir, &lc, n - 2, t, 2000);
	CU_ASSERT_EQUAL(m, n - 2);
	CU_ASSERT_EQUAL(t[0], nums[2]);
	CU_ASSERT_EQUAL(read_back(dir, &lc, 0, t, 2000), 0);
	CU_ASSERT_EQUAL(read_back(dir, &lc, 100000, t, 2000), n);
	rm_dir(dir);
}

static void json_file_rotates_and_reads_across(void)
{
	rotation_keeps_max_file_files_of_max_size(LOG_JSON_FILE);
}

static void local_rotates_and_reads_across(void)
{
	rotation_keeps_max_file_files_of_max_size(LOG_LOCAL);
}

static void max_file_1_starts_the_file_again(void)
{
	char dir[64];
	mk_dir(dir);
	struct log_config lc = {LOG_JSON_FILE, 500, 1};
	write_lines(dir, &lc, 500);
	CU_ASSERT(file_size(dir, "ctr.log") <= 500);
	CU_ASSERT_EQUAL(file_size(dir, "ctr.log.1"), -1);
	rm_dir(dir);
}

static void no_max_size_never_rotates(void)
{
	char dir[64];
	mk_dir(dir);
	struct log_config lc = {LOG_JSON_FILE, -1, 3};
	write_lines(dir, &lc, 300);
	CU_ASSERT_EQUAL(file_size(dir, "ctr.log.1"), -1);
	int nums[400];
	CU_ASSERT_EQUAL(read_back(dir, &lc, -1, nums, 400), 300);
	CU_ASSERT_EQUAL(read_back(dir, &lc, 5, nums, 400), 5);
	CU_ASSERT_EQUAL(nums[0], 295);
	rm_dir(dir);
}

/* a line read in pieces is one entry; a piece left without a newline is written at close */
static void a_line_in_pieces_is_one_entry(void)
{
	char dir[64], p[4200];
	mk_dir(dir);
	struct log_config lc = {LOG_JSON_FILE, -1, 1};
	snprintf(p, sizeof(p), "%s/ctr.log", dir);
	struct log_writer *w = log_writer_open(p, &lc, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	log_writer_append(w, false, "li", 2);
	log_writer_append(w, true, "err ", 4);
	log_writer_append(w, false, "ne 1\nline 2\npro", 15);
	log_writer_append(w, true, "line\n", 5);
	log_writer_append(w, false, "mpt> ", 5);
	struct log_reader *r = log_reader_open(p, &lc, -1, false, NULL);
	struct log_entry e;
	CU_ASSERT_EQUAL_FATAL(log_reader_next(r, &e), 1);
	CU_ASSERT_EQUAL(e.len, 7);
	CU_ASSERT_EQUAL(memcmp(e.text, "line 1\n", 7), 0);
	CU_ASSERT_EQUAL_FATAL(log_reader_next(r, &e), 1);
	CU_ASSERT_EQUAL(memcmp(e.text, "line 2\n", 7), 0);
	CU_ASSERT_EQUAL_FATAL(log_reader_next(r, &e), 1);
	CU_ASSERT(e.is_err);
	CU_ASSERT_EQUAL(memcmp(e.text, "err line\n", 9), 0);
	CU_ASSERT_EQUAL(log_reader_next(r, &e), 0); /* the prompt is held */
	log_reader_close(r);
	log_writer_close(w);
	r = log_reader_open(p, &lc, 1, false, NULL);
	CU_ASSERT_EQUAL_FATAL(log_reader_next(r, &e), 1);
	CU_ASSERT_EQUAL(e.len, 8);
	CU_ASSERT_EQUAL(memcmp(e.text, "prompt> ", 8), 0); /* written at close */
	log_reader_close(r);
	/* a line longer than 16 KiB: 16 KiB pieces */
	char *big = malloc(40000);
	memset(big, 'x', 40000);
	big[39999] = '\n';
	w = log_writer_open(p, &lc, NULL);
	for (int i = 0; i < 5; i++)
		log_writer_append(w, false, big + i * 8000, 8000);
	log_writer_close(w);
	r = log_reader_open(p, &lc, 3, false, NULL);
	size_t lens[3] = {0};
	for (int i = 0; i < 3 && log_reader_next(r, &e) == 1; i++)
		lens[i] = e.len;
	CU_ASSERT_EQUAL(lens[0], 16384);
	CU_ASSERT_EQUAL(lens[1], 16384);
	CU_ASSERT_EQUAL(lens[2], 40000 - 2 * 16384);
	log_reader_close(r);
	free(big);
	rm_dir(dir);
}

/* the option checks, through the same parse run/create use */
static int parse(const char *a1, const char *a2, const char *a3, struct mr_err *err)
{
	char *argv[] = {"run", (char *)a1, (char *)a2, (char *)a3, "busybox", NULL};
	struct container_opts o;
	bool help = false;
	int rc = container_opts_parse(5, argv, &o, &help, err);
	if (rc == 0)
		container_opts_free(&o);
	return rc;
}

static void log_opts_are_checked_in_dockers_words(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(parse("--log-driver=json-file", "--log-opt=max-size=10m",
			      "--log-opt=max-file=3", &err),
			0);
	CU_ASSERT_EQUAL(parse("--log-driver=local", "--log-opt=compress=false",
			      "--log-opt=max-size=1k", &err),
			0);
	CU_ASSERT_EQUAL(parse("--log-driver=none", "--log-opt=max-size=1k", "-d", &err), 0);
	CU_ASSERT_EQUAL(parse("--log-driver=syslog", "-d", "-d", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'syslog': minirun keeps logs itself"));
	CU_ASSERT_EQUAL(parse("--log-driver=nosuch", "-d", "-d", &err), -1);
	CU_ASSERT_STRING_EQUAL(
		err.msg, "error looking up logging plugin nosuch: plugin \"nosuch\" not found");
	CU_ASSERT_EQUAL(parse("--log-opt=foo=x", "-d", "-d", &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "unknown log opt 'foo' for json-file log driver");
	CU_ASSERT_EQUAL(parse("--log-opt=tag=x", "-d", "-d", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "takes max-size, max-file and compress=false"));
	CU_ASSERT_EQUAL(parse("--log-opt=max-size=10x", "-d", "-d", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid size: '10x'"));
	/* 2^63 bytes, or more: no size (it was converted to a long long: undefined) */
	CU_ASSERT_EQUAL(parse("--log-opt=max-size=9223372036854775807", "-d", "-d", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid size: '9223372036854775807'"));
	CU_ASSERT_EQUAL(parse("--log-opt=max-size=9223372036854775k", "-d", "-d", &err), -1);
	CU_ASSERT_EQUAL(parse("--log-opt=max-size=9223372036854774k", "-d", "-d", &err), 0);
	CU_ASSERT_EQUAL(parse("--log-opt=max-file=0", "-d", "-d", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "max-file cannot be less than 1"));
	CU_ASSERT_EQUAL(parse("--log-opt=compress=true", "-d", "-d", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "compress=false"));
	CU_ASSERT_EQUAL(parse("--log-opt=max-size", "-d", "-d", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid key/value pair format in logging opts"));
}

static void log_config_is_recorded_as_docker_shows_it(void)
{
	char *opts[] = {"max-size=10m", "max-file=3", NULL};
	struct container_opts o = {.log_driver = "json-file", .log_opts = opts};
	struct container_record r = {0};
	CU_ASSERT_EQUAL(log_config_record(&o, &r), 0);
	/* through the record's JSON, as inspect shows it and the next command reads it */
	json_t *rec = json_pack("{s:{s:n}}", "HostConfig", "LogConfig");
	container_record_to_json(&r, rec);
	char *s = json_dumps(json_object_get(json_object_get(rec, "HostConfig"), "LogConfig"),
			     JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "{\"Type\":\"json-file\",\"Config\":"
				  "{\"max-file\":\"3\",\"max-size\":\"10m\"}}");
	free(s);
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	struct log_config c;
	log_config_read(&r, &c);
	CU_ASSERT_EQUAL(c.driver, LOG_JSON_FILE);
	CU_ASSERT_EQUAL(c.max_size, 10000000); /* decimal, as docker's FromHumanSize */
	CU_ASSERT_EQUAL(c.max_file, 3);
	json_decref(rec);
	/* a value of any length is read back whole (it was cut at 300 bytes: found by
	 * tests/fuzz/fuzz_logopts.c) */
	char size[400];
	snprintf(size, sizeof(size), "max-size=%0300dk", 1);
	char *long_opts[] = {size, NULL};
	struct container_opts lo = {.log_driver = "json-file", .log_opts = long_opts};
	CU_ASSERT_EQUAL(log_config_record(&lo, &r), 0);
	log_config_read(&r, &c);
	CU_ASSERT_EQUAL(c.max_size, 1000);
	/* a key given twice: the later value, once (docker's map) */
	char *twice[] = {"max-size=1m", "max-file=2", "max-size=2m", NULL};
	struct container_opts to = {.log_driver = "json-file", .log_opts = twice};
	CU_ASSERT_EQUAL(log_config_record(&to, &r), 0);
	CU_ASSERT_EQUAL(r.host.log_opts.n, 2);
	CU_ASSERT_STRING_EQUAL(r.host.log_opts.kv[1].key, "max-size");
	CU_ASSERT_STRING_EQUAL(r.host.log_opts.kv[1].value, "2m");
	/* a record from before the flags: json-file, no rotation */
	json_t *old = json_pack("{s:{}}", "HostConfig");
	CU_ASSERT_EQUAL(container_record_from_json(old, &r, NULL), 0);
	log_config_read(&r, &c);
	CU_ASSERT_EQUAL(c.driver, LOG_JSON_FILE);
	CU_ASSERT_EQUAL(c.max_size, -1);
	container_record_to_json(&r, old);
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(old, "HostConfig"), "LogConfig"));
	json_decref(old);
	container_record_free(&r);
}

static CU_TestInfo tests[] = {
	{"json-file: max-size x max-file on disk, read back in order, --tail across files",
	 json_file_rotates_and_reads_across},
	{"local: the same, in minirun's framed format", local_rotates_and_reads_across},
	{"max-file=1: the file starts again, no .1", max_file_1_starts_the_file_again},
	{"no max-size: one file, never rotated", no_max_size_never_rotates},
	{"a line read in pieces is one entry; 16 KiB pieces past that; the rest at close",
	 a_line_in_pieces_is_one_entry},
	{"--log-driver / --log-opt are checked in docker's words",
	 log_opts_are_checked_in_dockers_words},
	{"HostConfig.LogConfig is docker's {Type, Config}, and read back",
	 log_config_is_recorded_as_docker_shows_it},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers log rotation", tests)
