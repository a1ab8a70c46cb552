/*
 * tests/unit/test_containers_info.c - docker's words for containers (info_format.c): the
 * STATUS and PORTS columns, the quoted COMMAND, the changes of an overlay upper dir.
 * Run: make test-unit. (--format templates: test_template.c.)
 */
#include "minirun/containers/info.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* an RFC 3339 time SECONDS ago */
static void ago(long seconds, char *buf, size_t len)
{
	time_t t = time(NULL) - seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S.123456789Z", &tm);
}

/* a record whose State has these times and exit code, loaded as the store loads one */
static struct container_record state(long started_ago, long finished_ago, int code)
{
	char s[64] = "0001-01-01T00:00:00Z", f[64] = "0001-01-01T00:00:00Z";
	struct container_record r = {0};
	if (started_ago >= 0)
		ago(started_ago, s, sizeof(s));
	if (finished_ago >= 0)
		ago(finished_ago, f, sizeof(f));
	json_t *rec = json_pack("{s:{s:s, s:s, s:i}}", "State", "StartedAt", s, "FinishedAt", f,
				"ExitCode", code);
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	json_decref(rec);
	return r;
}

static void status_says_up_paused_exited_created_as_docker(void)
{
	char buf[128];
	struct container_record st = state(600, -1, 0);
	info_status(&st, CONTAINER_RUNNING, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "Up 10 minutes");
	info_status(&st, CONTAINER_PAUSED, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "Up 10 minutes (Paused)");
	st.state.health = CONTAINER_HEALTH_STARTING;
	info_status(&st, CONTAINER_RUNNING, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "Up 10 minutes (health: starting)");
	container_record_free(&st);
	st = state(900, 120 * 60, 137);
	info_status(&st, CONTAINER_EXITED, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "Exited (137) 2 hours ago");
	info_status(&st, CONTAINER_RESTARTING, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "Restarting (137) 2 hours ago");
	info_status(&st, CONTAINER_DEAD, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "Dead");
	container_record_free(&st);
	st = state(-1, -1, 0);
	info_status(&st, CONTAINER_CREATED, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "Created");
	container_record_free(&st);
}

/* PORTS of a NetworkSettings.Ports object given as JSON, loaded as the store loads it */
static const char *ports_of(const char *json)
{
	static char buf[512];
	json_error_t e;
	struct container_record r = {0};
	json_t *p = json_loads(json, 0, &e);
	CU_ASSERT_PTR_NOT_NULL(p);
	json_t *rec = json_pack("{s:{s:o}}", "NetworkSettings", "Ports", p);
	CU_ASSERT_EQUAL(container_record_from_json(rec, &r, NULL), 0);
	info_ports(r.ports, r.nports, buf, sizeof(buf));
	container_record_free(&r);
	json_decref(rec);
	return buf;
}

static void ports_are_sorted_and_joined_as_docker(void)
{
	char buf[256];
	/* exposed ports first, then the published ones, each list by container port */
	CU_ASSERT_STRING_EQUAL(
		ports_of("{\"443/tcp\": null, \"80/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": "
			 "\"8080\"}], \"53/udp\": [{\"HostIp\": \"127.0.0.1\", \"HostPort\": "
			 "\"5353\"}]}"),
		"443/tcp, 127.0.0.1:5353->53/udp, 0.0.0.0:8080->80/tcp");
	/* HostIp "" is every address */
	CU_ASSERT_STRING_EQUAL(
		ports_of("{\"80/tcp\": [{\"HostIp\": \"\", \"HostPort\": \"8080\"}]}"),
		"0.0.0.0:8080->80/tcp");
	info_ports(NULL, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "");
}

/* the cases of docker/cli's TestDisplayablePorts (cli/command/formatter), as records */
static void ports_collapse_into_ranges_where_docker_does(void)
{
	/* exposed: 9998-9999/udp */
	CU_ASSERT_STRING_EQUAL(ports_of("{\"9999/udp\": null, \"9998/udp\": null}"),
			       "9998-9999/udp");
	/* published on the same host ports: -p 1.2.3.4:9998-9999:9998-9999/udp */
	CU_ASSERT_STRING_EQUAL(
		ports_of("{\"9998/udp\": [{\"HostIp\": \"1.2.3.4\", \"HostPort\": \"9998\"}], "
			 "\"9999/udp\": [{\"HostIp\": \"1.2.3.4\", \"HostPort\": \"9999\"}]}"),
		"1.2.3.4:9998-9999->9998-9999/udp");
	/* on other host ports (-p 8887-8888:9998-9999/udp): one each, never a range */
	CU_ASSERT_STRING_EQUAL(
		ports_of("{\"9998/udp\": [{\"HostIp\": \"1.2.3.4\", \"HostPort\": \"8887\"}], "
			 "\"9999/udp\": [{\"HostIp\": \"1.2.3.4\", \"HostPort\": \"8888\"}]}"),
		"1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp");
	/* a gap ends a range; ranges of other addresses and protos are apart */
	CU_ASSERT_STRING_EQUAL(
		ports_of("{\"80/tcp\": null, \"81/tcp\": null, \"83/tcp\": null, \"84/tcp\": null, "
			 "\"80/udp\": null, \"81/udp\": null, "
			 "\"8000/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"8000\"}], "
			 "\"8001/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"8001\"}, "
			 "{\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8001\"}]}"),
		"80-81/tcp, 83-84/tcp, 80-81/udp, 0.0.0.0:8000-8001->8000-8001/tcp, "
		"127.0.0.1:8001->8001/tcp");
	/* docker's last case: the mappings sorted by container port, then address (as
	 * addresses: 1.1.1.1 before 2.1.1.1 before 10.0.0.1), then proto */
	CU_ASSERT_STRING_EQUAL(
		ports_of("{\"80/tcp\": [{\"HostIp\": \"10.0.0.1\", \"HostPort\": \"1024\"}, "
			 "{\"HostIp\": \"2.1.1.1\", \"HostPort\": \"1024\"}, "
			 "{\"HostIp\": \"1.1.1.1\", \"HostPort\": \"1024\"}], "
			 "\"80/udp\": [{\"HostIp\": \"1.1.1.1\", \"HostPort\": \"1024\"}], "
			 "\"1024/tcp\": [{\"HostIp\": \"1.1.1.1\", \"HostPort\": \"80\"}], "
			 "\"12345/sctp\": null}"),
		"12345/sctp, 1.1.1.1:1024->80/tcp, 1.1.1.1:1024->80/udp, 2.1.1.1:1024->80/tcp, "
		"10.0.0.1:1024->80/tcp, 1.1.1.1:80->1024/tcp");
}

static void command_is_quoted_and_cut_at_20_characters(void)
{
	char buf[256];
	char *sleep_args[] = {"100", NULL}, *sh_args[] = {"-c", "echo \"hi\" && sleep 1000", NULL};
	struct container_record r = {.path = "sleep", .args = sleep_args};
	info_command(&r, false, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "\"sleep 100\"");
	r = (struct container_record){.path = "sh", .args = sh_args};
	info_command(&r, false, buf, sizeof(buf));
	/* an argument with a space in single quotes, as docker's daemon writes Command */
	CU_ASSERT_STRING_EQUAL(buf, "\"sh -c 'echo \\\"hi\\\" &&…\"");
	info_command(&r, true, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "\"sh -c 'echo \\\"hi\\\" && sleep 1000'\"");
}

/* a tree: lower has /etc/passwd, /etc/group, /gone, /dir/x, /usr; upper changes /etc/passwd,
 * adds /etc/new, whites out /gone, adds /var/log/app (var/log new), has /usr copied up with
 * nothing below it, and the runtime's empty mount points /etc/hosts and /run (hidden) */
static void changes_of_an_upper_dir_are_docker_diff(void)
{
	char tmpl[] = "/tmp/mr-info-unit.XXXXXX", p[512];
	char *top = mkdtemp(tmpl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(top);
	const char *mk[] = {"lower",     "lower/etc", "lower/dir",     "lower/usr", "upper",
			    "upper/etc", "upper/var", "upper/var/log", "upper/usr", "upper/run"};
	for (size_t i = 0; i < sizeof(mk) / sizeof(mk[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", top, mk[i]);
		mkdir(p, 0755);
	}
	const char *files[] = {"lower/etc/passwd",  "lower/etc/group",  "lower/gone",
			       "lower/dir/x",       "upper/etc/passwd", "upper/etc/new",
			       "upper/var/log/app", "upper/etc/hosts"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", top, files[i]);
		close(open(p, O_CREAT | O_WRONLY, 0644));
	}
	snprintf(p, sizeof(p), "%s/upper/gone", top);
	int wh = mknod(p, S_IFCHR | 0000, makedev(0, 0)) == 0;
	char lower[512];
	snprintf(lower, sizeof(lower), "%s/lower", top);
	char *lowers[] = {lower, NULL};
	const char *const hide[] = {"/etc/hosts", "/run", NULL};
	snprintf(p, sizeof(p), "%s/upper", top);
	struct info_change *ch = NULL;
	size_t n = 0;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(info_changes(p, lowers, hide, &ch, &n, &err), 0);
	char all[1024] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%c %s\n", ch[i].kind,
			 ch[i].path);
	const char *want =
		wh ? "C /etc\nA /etc/new\nC /etc/passwd\nD /gone\nA /var\nA /var/log\n"
		     "A /var/log/app\n"
		   : "C /etc\nA /etc/new\nC /etc/passwd\nA /var\nA /var/log\nA /var/log/app\n";
	CU_ASSERT_STRING_EQUAL(all, want);
	info_changes_free(ch, n);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* what info_print_rows prints, captured through a temp file */
static char *printed_rows(char **rows, size_t n)
{
	static char out[1024];
	char path[] = "/tmp/mr-info-rows.XXXXXX";
	int fd = mkstemp(path), saved = dup(1);
	fflush(stdout);
	dup2(fd, 1);
	info_print_rows(rows, n);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	ssize_t len = pread(fd, out, sizeof(out) - 1, 0);
	out[len > 0 ? len : 0] = 0;
	close(fd);
	unlink(path);
	return out;
}

static void rows_align_as_tabwriter_counting_characters(void)
{
	char *rows[] = {"ID\tCOMMAND\tNAMES", "abc\t\"sh -c echo a long c…\"\tweb",
			"d\t\"x\"\tlonger-name"};
	CU_ASSERT_STRING_EQUAL(printed_rows(rows, 3),
			       "ID        COMMAND                  NAMES\n"
			       "abc       \"sh -c echo a long c…\"   web\n"
			       "d         \"x\"                      longer-name\n");
}

static CU_TestInfo tests[] = {
	{"tables: columns as wide as the widest cell + 3 (at least 10), \"…\" one character",
	 rows_align_as_tabwriter_counting_characters},
	{"STATUS says Up / (Paused) / Exited (N) ... ago / Created as docker",
	 status_says_up_paused_exited_created_as_docker},
	{"PORTS are sorted by port and joined with ', '", ports_are_sorted_and_joined_as_docker},
	{"PORTS: runs collapse as docker's (exposed, or on the same host ports), never 8000->80",
	 ports_collapse_into_ranges_where_docker_does},
	{"COMMAND is quoted as strconv.Quote and cut to 20 characters with …",
	 command_is_quoted_and_cut_at_20_characters},
	{"diff: C for a changed file and its parent, A for new paths, D for a whiteout, no "
	 "runtime mount points",
	 changes_of_an_upper_dir_are_docker_diff},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers info", tests)
