/*
 * minirun/system/info.c - `minirun info` (= `system info`) and `minirun version`: docker's
 * two reports about the engine, with the fields that mean something without a daemon.
 *
 * info: the containers of the store by state, its images, the storage driver (overlayfs
 * with many lower dirs: docker's "overlay2") and the filesystem under the store, the
 * logging driver, the cgroup driver (cgroupfs: minirun writes the cgroup files itself, no
 * systemd) and version (2 on a unified hierarchy, else 1, as docker counts a hybrid one),
 * the kernel, the OS, the CPUs and memory, and the root dir (the store: --root). Both print
 * one JSON object through --format, shaped as docker's (`{{.ServerVersion}}`,
 * `{{.Server.Version}}`, `{{json .}}`); the text form is made from the same object.
 *
 *   minirun info --format '{{.CgroupVersion}} {{.Driver}}'
 *   minirun version --format '{{.Client.Version}}'
 *
 * See: https://docs.docker.com/reference/cli/docker/system/info/ ; uname(2); statfs(2)
 */
#include "minirun/system/system.h"

#include "cgroups/cgroup.h"
#include "lib/cli.h"
#include "lib/template.h"
#include "minirun/containers/containers.h"
#include "minirun/image/image.h"
#include "minirun/oci/runtime.h" /* MINIRUN_VERSION */

#include <getopt.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

/* `info` answers as "system info" when reached through the group (its messages name it) */
static const char *info_verb = "info";
static int system_info(int argc, char **argv)
{
	info_verb = "system info";
	return system_cmd_info(argc, argv);
}

static int system_events(int argc, char **argv)
{
	system_events_verb = "system events";
	return system_cmd_events(argc, argv);
}

const struct mr_command system_commands[] = {
	{"df", system_cmd_df, "Show minirun disk usage"},
	{"events", system_events, "Get real time events from the store"},
	{"info", system_info, "Display system-wide information"},
	{"prune", system_cmd_prune, "Remove unused data"},
	{NULL, NULL, NULL},
};

/* Go's %.4g of BYTES in UNITS of BASE: docker's go-units with precision 4 */
static void units4(uint64_t bytes, double base, const char *const *units, char *buf, size_t len)
{
	double v = (double)bytes;
	size_t i = 0;
	while (v >= base && units[i + 1]) {
		v /= base;
		i++;
	}
	snprintf(buf, len, "%.4g%s", v, units[i]);
}

void system_human_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const u[] = {"B", "kB", "MB", "GB", "TB", "PB", NULL};
	units4(bytes, 1000, u, buf, len);
}

void system_bytes_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const u[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", NULL};
	units4(bytes, 1024, u, buf, len);
}

/* the machine's architecture as Go names it (GOARCH) */
static const char *goarch(const char *machine)
{
	static const struct {
		const char *uname, *go;
	} t[] = {{"x86_64", "amd64"}, {"aarch64", "arm64"}, {"i686", "386"}, {"armv7l", "arm"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(machine, t[i].uname))
			return t[i].go;
	return machine;
}

/* PRETTY_NAME (and VERSION_ID) of /etc/os-release */
static void os_release(char *pretty, size_t plen, char *version, size_t vlen)
{
	char line[512];
	snprintf(pretty, plen, "Linux");
	*version = 0;
	FILE *f = fopen("/etc/os-release", "re");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		char *v = strchr(line, '=');
		if (!v)
			continue;
		*v++ = 0;
		size_t n = strlen(v);
		if (n >= 2 && *v == '"' && v[n - 1] == '"')
			v[n - 1] = 0, v++;
		if (!strcmp(line, "PRETTY_NAME"))
			snprintf(pretty, plen, "%s", v);
		else if (!strcmp(line, "VERSION_ID"))
			snprintf(version, vlen, "%s", v);
	}
	if (f)
		fclose(f);
}

/* the filesystem under DIR as docker names it ("extfs", "xfs", ...) */
static const char *backing_fs(const char *dir)
{
	static const struct {
		long magic;
		const char *name;
	} t[] = {{EXT4_SUPER_MAGIC, "extfs"},
		 {XFS_SUPER_MAGIC, "xfs"},
		 {BTRFS_SUPER_MAGIC, "btrfs"},
		 {TMPFS_MAGIC, "tmpfs"},
		 {OVERLAYFS_SUPER_MAGIC, "overlayfs"}};
	struct statfs s;
	if (statfs(dir, &s) < 0)
		return "<unknown>";
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if ((long)s.f_type == t[i].magic)
			return t[i].name;
	return "<unknown>";
}

/* the containers of the store by state: [total, running, paused, stopped] */
static void count_containers(long long n[4])
{
	struct mr_err err = {0};
	char **ids = container_ids(containers_root(), &err);
	memset(n, 0, 4 * sizeof(n[0]));
	for (char **id = ids; id && *id; id++) {
		struct container c;
		if (container_open(containers_root(), *id, false, &c, &err) < 0)
			continue;
		enum container_state s = container_status(&c);
		n[0]++;
		n[s == CONTAINER_RUNNING || s == CONTAINER_RESTARTING ? 1
		  : s == CONTAINER_PAUSED                             ? 2
								      : 3]++;
		container_close(&c);
	}
	if (ids)
		container_ids_free(ids);
}

static long long count_images(void)
{
	struct store st;
	struct mr_err err = {0};
	char index[4200];
	/* a store not made yet has no images: info makes nothing */
	snprintf(index, sizeof(index), "%s/images/index.json", image_root());
	if (access(index, F_OK) < 0 || store_open(&st, image_root(), &err) < 0)
		return 0;
	json_t *idx = store_index_load(&st, &err);
	store_close(&st);
	/* images, not names: two tags of one image are one image, as docker counts them */
	json_t *seen = json_object(), *e;
	size_t i;
	json_array_foreach(json_object_get(idx, "manifests"), i, e)
	{
		const char *d = json_string_value(json_object_get(e, "digest"));
		if (d)
			json_object_set_new(seen, d, json_true());
	}
	long long n = (long long)json_object_size(seen);
	json_decref(seen);
	json_decref(idx);
	return n;
}

/* docker's Info object, the fields that apply */
static json_t *info_object(void)
{
	struct utsname u;
	struct cg_system cg;
	struct mr_err err = {0};
	char host[256] = "", pretty[256], osver[64], root[4096];
	long long n[4];
	uname(&u);
	gethostname(host, sizeof(host) - 1);
	os_release(pretty, sizeof(pretty), osver, sizeof(osver));
	count_containers(n);
	bool v2 = cg_detect(&cg, &err) == 0 && cg.mode == CG_UNIFIED;
	snprintf(root, sizeof(root), "%s", containers_root());
	char *abs = realpath(root, NULL);
	if (abs) {
		snprintf(root, sizeof(root), "%s", abs);
		free(abs);
	}
	/* the driver of a container created without --log-driver: minirun.conf's (docker
	 * shows daemon.json's); a bad file is said, and the default shown */
	const char *logdrv = "json-file";
	struct mr_err conf = {0};
	if (minirun_conf_get("log-driver", &logdrv, &conf) < 0) {
		mr_warn("%s", conf.msg);
		logdrv = "json-file";
	}
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	cpu_set_t set;
	long ncpu = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set)
								 : sysconf(_SC_NPROCESSORS_ONLN);
	return json_pack(
		"{s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:[[s,s],[s,s]], s:s, s:s, s:s, s:s, s:s, "
		"s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:{s:s, s:s}}",
		"ID", "", "Containers", n[0], "ContainersRunning", n[1], "ContainersPaused", n[2],
		"ContainersStopped", n[3], "Images", count_images(), "Driver", "overlay2",
		"DriverStatus", "Backing Filesystem", backing_fs(root), "Supports d_type", "true",
		"LoggingDriver", logdrv, "CgroupDriver", "cgroupfs", "CgroupVersion",
		v2 ? "2" : "1", "KernelVersion", u.release, "OperatingSystem", pretty, "OSVersion",
		osver, "OSType", "linux", "Architecture", u.machine, "NCPU", (json_int_t)ncpu,
		"MemTotal", (json_int_t)pages * psize, "DockerRootDir", root, "Name", host,
		"ServerVersion", MINIRUN_VERSION, "DefaultRuntime", "minirun-oci", "ClientInfo",
		"Version", MINIRUN_VERSION, "Context", "default");
}

static void print_info(json_t *o)
{
#define S(k) json_string_value(json_object_get(o, k))
#define I(k) (long long)json_integer_value(json_object_get(o, k))
	char mem[32];
	json_t *ds = json_object_get(o, "DriverStatus"), *kv;
	size_t i;
	system_bytes_size((uint64_t)I("MemTotal"), mem, sizeof(mem));
	printf("Client:\n Version:    %s\n Context:    default\n Debug Mode: false\n\n",
	       MINIRUN_VERSION);
	printf("Server:\n Containers: %lld\n  Running: %lld\n  Paused: %lld\n  Stopped: %lld\n"
	       " Images: %lld\n Server Version: %s\n Storage Driver: %s\n",
	       I("Containers"), I("ContainersRunning"), I("ContainersPaused"),
	       I("ContainersStopped"), I("Images"), S("ServerVersion"), S("Driver"));
	json_array_foreach(ds, i, kv)
	{
		printf("  %s: %s\n", json_string_value(json_array_get(kv, 0)),
		       json_string_value(json_array_get(kv, 1)));
	}
	printf(" Logging Driver: %s\n Cgroup Driver: %s\n Cgroup Version: %s\n"
	       " Runtimes: minirun-oci\n Default Runtime: %s\n Kernel Version: %s\n"
	       " Operating System: %s\n OSType: %s\n Architecture: %s\n CPUs: %lld\n"
	       " Total Memory: %s\n Name: %s\n Docker Root Dir: %s\n Debug Mode: %s\n",
	       S("LoggingDriver"), S("CgroupDriver"), S("CgroupVersion"), S("DefaultRuntime"),
	       S("KernelVersion"), S("OperatingSystem"), S("OSType"), S("Architecture"), I("NCPU"),
	       mem, S("Name"), S("DockerRootDir"), mr_verbose ? "true" : "false");
#undef S
#undef I
}

/* --format TEMPLATE over O: 0, or 1 with Go's message (docker's status for a bad template) */
static int print_format(const char *format, json_t *o)
{
	struct mr_err err = {0};
	if (!strcmp(format, "json"))
		format = "{{json .}}";
	struct mr_tmpl *t = mr_tmpl_parse(format, &err);
	if (!t) {
		fprintf(stderr, "minirun: template parsing error: %s\n", err.msg);
		return 64; /* docker's for a template that does not parse */
	}
	struct mr_tmpl_opts opts = {.missing = MR_TMPL_MISSING_GUESS,
				    .type_name = "system.dockerInfo"};
	int rc = mr_tmpl_exec(t, o, &opts, stdout, &err);
	mr_tmpl_free(t);
	if (rc < 0) {
		fprintf(stderr, "\nminirun: %s\n", err.msg);
		return 1;
	}
	printf("\n");
	return 0;
}

/* the flags of info and version: -f/--format only */
static int format_flag(int argc, char **argv, const char *verb, const char *help,
		       const char **format, int *rc)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {NULL, 0, NULL, 0}};
	int ch;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, verb, "f:", opts, help, rc)) != -1) {
		if (ch == MR_OPT_DONE)
			return -1;
		*format = optarg;
	}
	if (optind != argc) {
		fprintf(stderr, "minirun: \"%s\" accepts no arguments.\nSee 'minirun %s --help'.\n",
			verb, verb);
		*rc = MR_EXIT_RUNTIME;
		return -1;
	}
	return 0;
}

int system_cmd_info(int argc, char **argv)
{
	static const char help[] =
		"Usage:  minirun info [OPTIONS]\n\n"
		"Display system-wide information\n\n"
		"Options:\n"
		"  -f, --format string   Format output using a custom template:\n"
		"                        'json':             Print in JSON format\n"
		"                        'TEMPLATE':         Print output using the given Go "
		"template\n";
	const char *format = NULL;
	int rc = 0;
	if (format_flag(argc, argv, info_verb, help, &format, &rc) < 0)
		return rc;
	json_t *o = info_object();
	if (format)
		rc = print_format(format, o);
	else
		print_info(o);
	json_decref(o);
	return rc;
}

int system_cmd_version(int argc, char **argv)
{
	static const char help[] =
		"Usage:  minirun version [OPTIONS]\n\n"
		"Show the minirun version information\n\n"
		"Options:\n"
		"  -f, --format string   Format output using a custom template:\n"
		"                        'json':             Print in JSON format\n"
		"                        'TEMPLATE':         Print output using the given Go "
		"template\n";
	const char *format = NULL;
	int rc = 0;
	if (format_flag(argc, argv, "version", help, &format, &rc) < 0)
		return rc;
	struct utsname u;
	uname(&u);
	const char *arch = goarch(u.machine);
	json_t *o = json_pack(
		"{s:{s:s, s:s, s:s, s:s, s:s}, s:{s:{s:s}, s:s, s:s, s:s, s:s, s:[{s:s, s:s, "
		"s:{s:s, s:s}}, {s:s, s:s, s:{s:s}}]}}",
		"Client", "Version", MINIRUN_VERSION, "Os", "linux", "Arch", arch, "Context",
		"default", "GoVersion", "none (C)", "Server", "Platform", "Name",
		"minirun (no daemon: the store, read by each command)", "Version", MINIRUN_VERSION,
		"Os", "linux", "Arch", arch, "KernelVersion", u.release, "Components", "Name",
		"Engine", "Version", MINIRUN_VERSION, "Details", "Os", "linux", "Arch", arch,
		"Name", "minirun-oci", "Version", MINIRUN_VERSION, "Details", "SpecVersion",
		MINIRUN_SPEC_VERSION);
	if (format)
		rc = print_format(format, o);
	else
		printf("Client:\n Version:           %s\n OS/Arch:           linux/%s\n"
		       " Context:           default\n\n"
		       "Server: %s\n Engine:\n  Version:          %s\n  OS/Arch:          linux/%s\n"
		       "  Kernel Version:   %s\n  Experimental:     false\n minirun-oci:\n"
		       "  Version:          %s\n  Spec version:     %s\n",
		       MINIRUN_VERSION, arch,
		       json_string_value(json_object_get(
			       json_object_get(json_object_get(o, "Server"), "Platform"), "Name")),
		       MINIRUN_VERSION, arch, u.release, MINIRUN_VERSION, MINIRUN_SPEC_VERSION);
	json_decref(o);
	return rc;
}
