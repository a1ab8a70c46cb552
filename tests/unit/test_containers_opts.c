/*
 * tests/unit/test_containers_opts.c - `run`/`create` flags as docker parses them
 * (minirun/containers/opts.c, opts_set.c): the flag syntax pflag allows, each flag's value,
 * docker's messages for bad values and conflicting flags, sizes, --env-file, the usage table,
 * and the env-file reader --env-file and --label-file share (opts_kvfile.c).
 *
 * Run: make test-unit (all suites), or build tests/unit/run-unit and run it.
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/opts.h"
#include "tests/unit/host_config.h"
#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse the words of ARGS (NULL-terminated, "run" first) into *o; 0 or -1 with err. */
#define PARSE(o, err, ...)                                                                         \
	({                                                                                         \
		char *v_[] = {"run", __VA_ARGS__, NULL};                                           \
		bool h_ = false;                                                                   \
		memset(err, 0, sizeof(*err));                                                      \
		container_opts_parse((int)(sizeof(v_) / sizeof(v_[0])) - 1, v_, o, &h_, err);      \
	})

static void sizes_are_1024_based_with_docker_units(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(container_parse_bytes("1048576", &err), 1048576);
	CU_ASSERT_EQUAL(container_parse_bytes("100k", &err), 102400);
	CU_ASSERT_EQUAL(container_parse_bytes("512m", &err), 512LL << 20);
	CU_ASSERT_EQUAL(container_parse_bytes("512MB", &err), 512LL << 20);
	CU_ASSERT_EQUAL(container_parse_bytes("1g", &err), 1LL << 30);
	CU_ASSERT_EQUAL(container_parse_bytes("1.5GiB", &err), 3LL << 29);
	CU_ASSERT_EQUAL(container_parse_bytes("2 t", &err), 2LL << 40);
	static const char *const bad[] = {"12x", "", "m", "-1", "1e3", "0x10", "1.", "5 5m"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[64];
		CU_ASSERT_EQUAL(container_parse_bytes(bad[i], &err), -1);
		snprintf(want, sizeof(want), "invalid size: '%s'", bad[i]);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
	}
}

static void flags_long_short_combined_and_glued(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "-it", "--name=web", "-h", "box", "-eA=1", "-e",
				    "B=2", "-dp8080:80", "--net", "host", "--rm", "busybox"),
			      -1); /* -h with --network host conflicts (docker's check) */
	CU_ASSERT_STRING_EQUAL(err.msg, "conflicting options: hostname and the network mode");

	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "-it", "--name=web", "-h", "box", "-eA=1", "-e",
				    "B=2", "-dp8080:80", "--rm", "-m", "64m", "--cpus=1.5",
				    "--pids-limit", "50", "--read-only", "-w", "/srv", "-u",
				    "1000:1000", "--entrypoint", "", "busybox", "sh", "-c", "x"),
			      0);
	CU_ASSERT(o.interactive && o.tty && o.detach && o.rm && o.read_only);
	CU_ASSERT_STRING_EQUAL(o.name, "web");
	CU_ASSERT_STRING_EQUAL(o.hostname, "box");
	CU_ASSERT_STRING_EQUAL(o.env[0], "A=1");
	CU_ASSERT_STRING_EQUAL(o.env[1], "B=2");
	CU_ASSERT_PTR_NULL(o.env[2]);
	CU_ASSERT_EQUAL(o.nports, 1);
	CU_ASSERT_EQUAL(o.ports[0].host_port, 8080);
	CU_ASSERT_EQUAL(o.ports[0].port, 80);
	CU_ASSERT_EQUAL(o.memory, 64LL << 20);
	CU_ASSERT_DOUBLE_EQUAL(o.cpus, 1.5, 1e-9);
	CU_ASSERT_EQUAL(o.pids_limit, 50);
	CU_ASSERT_STRING_EQUAL(o.workdir, "/srv");
	CU_ASSERT_STRING_EQUAL(o.user, "1000:1000");
	CU_ASSERT_STRING_EQUAL(o.entrypoint, "");
	CU_ASSERT_STRING_EQUAL(o.image, "busybox");
	CU_ASSERT_STRING_EQUAL(o.cmd[0], "sh");
	CU_ASSERT_STRING_EQUAL(o.cmd[2], "x");
	CU_ASSERT_PTR_NULL(o.cmd[3]);
	CU_ASSERT_EQUAL(o.stop_timeout, -1);
	container_opts_free(&o);
}

static void flags_stop_at_the_image_and_at_double_dash(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--rm=false", "busybox", "ls", "-v", "--rm"), 0);
	CU_ASSERT_FALSE(o.rm);
	CU_ASSERT_STRING_EQUAL(o.cmd[1], "-v"); /* the command's own flags are not ours */
	CU_ASSERT_STRING_EQUAL(o.cmd[2], "--rm");
	container_opts_free(&o);
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "-d", "--", "-weird-image"), 0);
	CU_ASSERT_STRING_EQUAL(o.image, "-weird-image");
	CU_ASSERT_PTR_NULL(o.cmd);
	container_opts_free(&o);
}

static void every_flag_of_the_list_is_known(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--tmpfs", "/run:size=1m", "--cap-add", "net_admin",
				    "--cap-drop", "CAP_NET_RAW", "--security-opt",
				    "no-new-privileges", "--init", "--privileged", "--restart",
				    "on-failure:3", "--network", "mynet", "--network-alias", "db",
				    "-P", "-v", "/data", "--mount", "type=tmpfs,target=/t",
				    "--stop-signal", "SIGINT", "--stop-timeout", "5",
				    "--detach-keys", "ctrl-x", "-l", "a=b", "--label", "c",
				    "--platform", "linux/amd64", "--pull", "never", "--memory-swap",
				    "-1", "-m", "8m", "--expose", "80-81/udp", "--expose", "90",
				    "--memory-reservation", "4m", "busybox"),
			      0);
	CU_ASSERT_STRING_EQUAL(o.expose[0], "80/udp"); /* a range: one entry a port */
	CU_ASSERT_STRING_EQUAL(o.expose[1], "81/udp");
	CU_ASSERT_STRING_EQUAL(o.expose[2], "90/tcp");
	CU_ASSERT_EQUAL(o.memory_reservation, 4LL << 20);
	CU_ASSERT_STRING_EQUAL(o.tmpfs[0], "/run:size=1m");
	CU_ASSERT_STRING_EQUAL(o.cap_add[0], "net_admin"); /* kept as typed, as docker */
	CU_ASSERT_STRING_EQUAL(o.cap_drop[0], "CAP_NET_RAW");
	CU_ASSERT(o.no_new_privs && o.init && o.privileged && o.publish_all && o.pull_never);
	CU_ASSERT_EQUAL(o.restart, RESTART_ON_FAILURE);
	CU_ASSERT_EQUAL(o.restart_max, 3);
	CU_ASSERT_STRING_EQUAL(o.network, "mynet");
	CU_ASSERT_STRING_EQUAL(o.network_aliases[0], "db");
	CU_ASSERT_EQUAL(o.nmounts, 2);
	CU_ASSERT_EQUAL(o.mounts[1].type, VOLUME_MOUNT_TMPFS);
	CU_ASSERT_STRING_EQUAL(o.stop_signal, "SIGINT");
	CU_ASSERT_EQUAL(o.stop_timeout, 5);
	CU_ASSERT_STRING_EQUAL(o.detach_keys, "ctrl-x");
	CU_ASSERT_STRING_EQUAL(o.labels[0], "a=b");
	CU_ASSERT_STRING_EQUAL(o.labels[1], "c="); /* a bare key is the label key="" */
	CU_ASSERT_STRING_EQUAL(o.platform, "linux/amd64");
	CU_ASSERT_EQUAL(o.memory_swap, -1);
	container_opts_free(&o);
}

/* One bad command line and the exact message docker gives for it. */
static const struct {
	const char *args[6];
	const char *msg;
} bad_lines[] = {
	{{"-m", "12x", "busybox"},
	 "invalid argument \"12x\" for \"-m, --memory\" flag: invalid size: '12x'"},
	{{"-m", "1m", "busybox"}, "Minimum memory limit allowed is 6MB"},
	{{"--memory-swap", "1g", "busybox"},
	 "You should always set the Memory limit when using Memoryswap limit, see usage"},
	{{"-m", "1g", "--memory-swap", "512m", "busybox"},
	 "Minimum memoryswap limit should be larger than memory limit, see usage"},
	{{"-m", "8m", "--memory-reservation", "16m", "busybox"},
	 "Minimum memory limit can not be less than memory reservation limit, see usage"},
	{{"--expose", "80-x", "busybox"},
	 "invalid argument \"80-x\" for \"--expose\" flag: invalid range format for --expose: "
	 "80-x"},
	{{"--cpus", "lots", "busybox"},
	 "invalid argument \"lots\" for \"--cpus\" flag: failed to parse lots as a rational number"},
	{{"--pids-limit", "x", "busybox"},
	 "invalid argument \"x\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"x\": "
	 "invalid syntax"},
	{{"--rm=maybe", "busybox"},
	 "invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool: parsing \"maybe\": "
	 "invalid syntax"},
	{{"--frobnicate", "busybox"}, "unknown flag: --frobnicate"},
	{{"-itz", "busybox"}, "unknown shorthand flag: 'z' in -itz"},
	{{"--name"}, "flag needs an argument: --name"},
	{{"-e"}, "flag needs an argument: 'e' in -e"},
	{{"-d"}, "\"minirun run\" requires at least 1 argument."},
	{{"-e", "=x", "busybox"},
	 "invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x"},
	{{"--restart", "sometimes", "busybox"}, "invalid restart policy 'sometimes'"},
	{{"--restart", "always:3", "busybox"},
	 "maximum retry count cannot be used with restart policy 'always'"},
	{{"--restart", "on-failure:x", "busybox"},
	 "invalid restart policy format: maximum retry count must be an integer"},
	{{"--restart", "always", "--rm", "busybox"}, "Conflicting options: --restart and --rm"},
	{{"--cap-add", "FLY", "busybox"}, "invalid CapAdd: unknown capability: \"CAP_FLY\""},
	{{"--stop-signal", "SIGNOPE", "busybox"}, "Invalid signal: SIGNOPE"},
	{{"--security-opt", "label=x", "busybox"},
	 "invalid --security-opt: \"label=x\" (minirun knows no-new-privileges[:true|false], "
	 "seccomp=unconfined|FILE, systempaths=unconfined and apparmor=unconfined)"},
	{{"--security-opt", "systempaths=x", "busybox"},
	 "invalid --security-opt: \"systempaths=x\" (systempaths takes only unconfined)"},
	{{"--sysctl", "kernel.panic=1", "busybox"},
	 "invalid argument \"kernel.panic=1\" for \"--sysctl\" flag: sysctl 'kernel.panic=1' is "
	 "not whitelisted (only namespaced ones: net.*, kernel.shm*, kernel.msg*, kernel.sem, "
	 "fs.mqueue.*, kernel.domainname)"},
	{{"--network", "host", "--sysctl", "net.ipv4.ip_forward=1", "busybox"},
	 "--sysctl net.ipv4.ip_forward=1: sysctl \"net.ipv4.ip_forward\" not allowed in host "
	 "network namespace (it would change the host's; drop --network host)"},
	{{"--pid", "bogus", "busybox"},
	 "--pid: invalid PID mode: \"bogus\" (use host or container:NAME|ID)"},
	{{"--ipc", "container:", "busybox"},
	 "--ipc: invalid IPC mode: \"container:\" (use private|shareable|none|host or "
	 "container:NAME|ID)"},
	{{"--uts", "host", "-h", "x", "busybox"}, "conflicting options: hostname and the UTS mode"},
	{{"--userns", "auto", "--privileged", "busybox"},
	 "privileged mode is incompatible with user namespaces: you must run the container in the "
	 "host namespace (--userns=host)"},
	{{"--security-opt", "seccomp=/nonexistent/p.json", "busybox"},
	 "opening seccomp profile (/nonexistent/p.json) failed: No such file or directory"},
	{{"--name", "-x", "busybox"},
	 "Invalid container name (-x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"},
	{{"-w", "srv", "busybox"},
	 "the working directory 'srv' is invalid, it needs to be an absolute path"},
	{{"--network-alias", "db", "busybox"},
	 "network-scoped alias is supported only for containers in user defined networks"},
	{{"--network", "container:abc", "-p", "80", "busybox"},
	 "conflicting options: port publishing and the container type network mode"},
	{{"--pull", "sometimes", "busybox"},
	 "invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\""},
	{{"--tmpfs", "run", "busybox"},
	 "invalid mount path: 'run' mount path "
	 "must be absolute"},
	/* a value the record can't hold, or that would start a line of resolv.conf or
	 * /etc/hosts of its own (found by tests/fuzz/fuzz_dns_flags.c) */
	{{"--dns-option", "ndots:1\nnameserver 6.6.6.6", "busybox"},
	 "invalid argument \"ndots:1\nnameserver 6.6.6.6\" for \"--dns-option\" flag: a line "
	 "break (give one line)"},
	{{"--add-host", "db\xff:10.0.0.5", "busybox"},
	 "invalid argument \"db\xff:10.0.0.5\" for \"--add-host\" flag: not UTF-8"},
	{{"-p", "80:abc", "busybox"}, NULL}, /* the network library's message: just refused */
	{{"-v", "data:rel", "busybox"}, NULL},
};

static void bad_values_get_dockers_messages(void)
{
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		char *argv[8] = {"run"};
		int argc = 1;
		for (int k = 0; bad_lines[i].args[k]; k++)
			argv[argc++] = (char *)bad_lines[i].args[k];
		struct container_opts o;
		struct mr_err err = {0};
		bool help = false;
		int rc = container_opts_parse(argc, argv, &o, &help, &err);
		CU_ASSERT_EQUAL(rc, -1);
		if (bad_lines[i].msg && strcmp(err.msg, bad_lines[i].msg) != 0) {
			fprintf(stderr, "\n  %s: got '%s'\n", bad_lines[i].args[0], err.msg);
			CU_FAIL("message differs from docker's");
		}
		if (!bad_lines[i].msg)
			CU_ASSERT(err.msg[0] != '\0');
	}
}

static void help_is_asked_with_double_dash_help(void)
{
	char *argv[] = {"run", "--help", NULL};
	struct container_opts o;
	struct mr_err err = {0};
	bool help = false;
	CU_ASSERT_EQUAL(container_opts_parse(2, argv, &o, &help, &err), 0);
	CU_ASSERT_TRUE(help);
}

static void bare_env_takes_the_callers_value_or_is_dropped(void)
{
	struct container_opts o;
	struct mr_err err;
	setenv("MR_UNIT_SET", "from caller", 1);
	unsetenv("MR_UNIT_UNSET");
	CU_ASSERT_EQUAL_FATAL(
		PARSE(&o, &err, "-e", "MR_UNIT_SET", "-e", "MR_UNIT_UNSET", "-e", "X=", "busybox"),
		0);
	CU_ASSERT_STRING_EQUAL(o.env[0], "MR_UNIT_SET=from caller");
	CU_ASSERT_STRING_EQUAL(o.env[1], "X=");
	CU_ASSERT_PTR_NULL(o.env[2]);
	container_opts_free(&o);
}

static void env_file_format_and_order_before_dash_e(void)
{
	char path[] = "/tmp/mr-unit-envfile-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	const char *text = "\xEF\xBB\xBF# a comment\n\n  SPACED=a b \"c\"\nMR_UNIT_SET\r\n"
			   "MR_UNIT_UNSET\nLAST=1\n";
	CU_ASSERT_EQUAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	setenv("MR_UNIT_SET", "v", 1);
	unsetenv("MR_UNIT_UNSET");
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "-e", "FIRST=-e", "--env-file", path, "busybox"), 0);
	CU_ASSERT_STRING_EQUAL(o.env[0], "SPACED=a b \"c\""); /* no quoting, spaces kept */
	CU_ASSERT_STRING_EQUAL(o.env[1], "MR_UNIT_SET=v");
	CU_ASSERT_STRING_EQUAL(o.env[2], "LAST=1");
	CU_ASSERT_STRING_EQUAL(o.env[3], "FIRST=-e"); /* -e after the file, whatever the order */
	CU_ASSERT_PTR_NULL(o.env[4]);
	container_opts_free(&o);

	fd = open(path, O_WRONLY | O_TRUNC);
	CU_ASSERT_EQUAL(write(fd, "BAD KEY=1\n", 10), 10);
	close(fd);
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--env-file", path, "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "variable 'BAD KEY' contains whitespaces");
	unlink(path);
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--env-file", path, "busybox"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no such file or directory"));
}

/* the entries opts_read_kv_file hands over, "V:line" or "B:line"; stops at "STOP" */
struct kv_seen {
	char got[8][64];
	size_t n;
};

static int kv_collect(void *arg, const char *line, enum opts_kv_kind kind, struct mr_err *err)
{
	struct kv_seen *s = arg;
	if (strcmp(line, "STOP") == 0)
		return mr_fail(err, 0, "stopped at %s", line);
	if (s->n < 8)
		snprintf(s->got[s->n++], sizeof(s->got[0]), "%c:%s",
			 kind == OPTS_KV_BARE ? 'B' : 'V', line);
	return 0;
}

/* write TEXT to PATH (a mkstemp name) */
static void kv_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void kv_file_reader_hands_over_each_entry(void)
{
	char path[] = "/tmp/mr-unit-kvfile-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	struct mr_err err = {0};
	struct kv_seen s = {0};

	/* BOM, comment, blank line, leading blanks, CRLF, a value kept as written, bare keys */
	kv_write(path, "\xEF\xBB\xBF# c\n\n \tA=1\r\nB= two \"q\" \nBARE\n  # indented c\nC=\n");
	CU_ASSERT_EQUAL_FATAL(opts_read_kv_file(path, "", kv_collect, &s, &err), 0);
	const char *want[] = {"V:A=1", "V:B= two \"q\" ", "B:BARE", "V:C="};
	CU_ASSERT_EQUAL_FATAL(s.n, 4);
	for (size_t i = 0; i < 4; i++)
		CU_ASSERT_STRING_EQUAL(s.got[i], want[i]);

	/* bad keys: refused with the caller's prefix, after the entries before them */
	s.n = 0;
	kv_write(path, "OK=1\nA B=1\n");
	CU_ASSERT_EQUAL(opts_read_kv_file(path, "P: ", kv_collect, &s, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "P: variable 'A B' contains whitespaces");
	CU_ASSERT_EQUAL(s.n, 1);
	kv_write(path, "=1\n");
	CU_ASSERT_EQUAL(opts_read_kv_file(path, "", kv_collect, &s, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "no variable name on line '=1'");

	/* the callback's failure ends the read with its error */
	s.n = 0;
	kv_write(path, "A=1\nSTOP\nB=2\n");
	CU_ASSERT_EQUAL(opts_read_kv_file(path, "", kv_collect, &s, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "stopped at STOP");
	CU_ASSERT_EQUAL(s.n, 1);

	unlink(path);
	char msg[128];
	snprintf(msg, sizeof(msg), "open %s: no such file or directory", path);
	CU_ASSERT_EQUAL(opts_read_kv_file(path, "", kv_collect, &s, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, msg);
}

static void pids_limit_zero_means_unlimited(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--pids-limit", "0", "busybox"), 0);
	CU_ASSERT_EQUAL(o.pids_limit, -1);
	container_opts_free(&o);
}

static void seccomp_file_is_read_at_parse_time(void)
{
	char path[] = "/tmp/mr-unit-seccomp-XXXXXX";
	int fd = mkstemp(path);
	const char *p = "{ \"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [] }\n";
	CU_ASSERT_EQUAL(write(fd, p, strlen(p)), (ssize_t)strlen(p));
	close(fd);
	struct container_opts o;
	struct mr_err err;
	char opt[64];
	snprintf(opt, sizeof(opt), "seccomp=%s", path);
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--security-opt", opt, "busybox"), 0);
	unlink(path);
	CU_ASSERT_STRING_EQUAL(o.seccomp_profile,
			       "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}");
	CU_ASSERT_STRING_EQUAL(o.security_opt[0], opt);
	container_opts_free(&o);
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--security-opt", "seccomp=unconfined", "busybox"),
			      0);
	CU_ASSERT_STRING_EQUAL(o.seccomp_profile, "unconfined");
	container_opts_free(&o);
}

static void usage_is_an_aligned_table(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	container_opts_usage("run", f);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(buf, "Usage:  minirun run [OPTIONS] IMAGE [COMMAND] [ARG...]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\n  -m, --memory bytes"));
	/* every help text starts in the same column: -m's, after the widest flag */
	const char *m = strstr(buf, "\n  -m, --memory bytes") + 1;
	size_t col = strlen("  -m, --memory bytes");
	col += strspn(m + col, " ");
	for (char *l = strstr(buf, "Options:\n") + 9; l && *l;
	     l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (strncmp(l, "  -", 3) != 0 && strncmp(l, "      --", 8) != 0)
			continue;
		CU_ASSERT(strcspn(l, "\n") > col && l[col - 1] == ' ' && l[col] != ' ');
	}
	free(buf);
}

/* --sysctl: ".." is refused in the name only, and what is no UTF-8 is refused rather than
 * dropped from the record (both found by tests/fuzz/fuzz_sysctl.c) */
static void sysctl_values_and_the_record(void)
{
	struct container_opts o;
	struct mr_err err;
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--sysctl", "net.ipv4.x=a..b", "busybox"), 0);
	json_t *hc = host_config_of(&o, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hc);
	CU_ASSERT_STRING_EQUAL(
		json_string_value(json_object_get(json_object_get(hc, "Sysctls"), "net.ipv4.x")),
		"a..b");
	json_decref(hc);
	container_opts_free(&o);
	/* a name past 255 bytes is recorded whole (it was cut: found by fuzz_sysctl) */
	char longname[400];
	snprintf(longname, sizeof(longname), "net.%0300d=7", 1);
	CU_ASSERT_EQUAL_FATAL(PARSE(&o, &err, "--sysctl", longname, "busybox"), 0);
	hc = host_config_of(&o, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hc);
	longname[304] = '\0';
	const char *seven =
		json_string_value(json_object_get(json_object_get(hc, "Sysctls"), longname));
	CU_ASSERT_PTR_NOT_NULL_FATAL(seven);
	CU_ASSERT_STRING_EQUAL(seven, "7");
	json_decref(hc);
	container_opts_free(&o);
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--sysctl", "net..x=1", "busybox"), -1);
	CU_ASSERT_EQUAL(PARSE(&o, &err, "--sysctl", "net.x\xff=1", "busybox"), -1);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "invalid argument \"net.x\xff=1\" for \"--sysctl\" flag: not UTF-8");
}

static CU_TestInfo tests[] = {
	{"sizes are 1024-based with docker's units; bad ones: invalid size",
	 sizes_are_1024_based_with_docker_units},
	{"flags: long, --x=v, combined shorts, glued values", flags_long_short_combined_and_glued},
	{"flags stop at the image and at --", flags_stop_at_the_image_and_at_double_dash},
	{"every flag of docker's list is known and sets its field",
	 every_flag_of_the_list_is_known},
	{"bad values and conflicting flags get docker's messages", bad_values_get_dockers_messages},
	{"--help asks for help (-h is --hostname)", help_is_asked_with_double_dash_help},
	{"-e K takes the caller's value, or is dropped",
	 bare_env_takes_the_callers_value_or_is_dropped},
	{"--env-file: comments, blanks, bare keys; before every -e",
	 env_file_format_and_order_before_dash_e},
	{"env-file reader: BOM, comments, blanks, CR; bare keys; bad keys refused",
	 kv_file_reader_hands_over_each_entry},
	{"--pids-limit 0 means unlimited", pids_limit_zero_means_unlimited},
	{"--security-opt seccomp=FILE is read when parsed", seccomp_file_is_read_at_parse_time},
	{"run --help prints an aligned option table", usage_is_an_aligned_table},
	{"--sysctl: \"..\" in the name and no UTF-8 refused; a long name kept whole",
	 sysctl_values_and_the_record},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers: run flags", tests)
