/*
 * ns/time.c - a new time namespace: CLOCK_MONOTONIC and CLOCK_BOOTTIME with offsets.
 *
 * A time namespace (Linux 5.6) shifts two clocks for the processes in it: CLOCK_MONOTONIC
 * and CLOCK_BOOTTIME (and so /proc/uptime). It exists so that a container checkpointed on
 * one machine and restored on another (CRIU) sees its clocks go on, instead of jumping to
 * the new machine's uptime. CLOCK_REALTIME, the wall clock, is *not* namespaced.
 *
 *	$ sudo ns/time --boottime 86400
 *	outside: time:[4026531834]  monotonic 5025.1 s  boottime 5025.1 s  uptime 5025.1 s
 *	after unshare(CLONE_NEWTIME): time:[4026531834] still, time_for_children:[4026532310]
 *	inside:  time:[4026532310]  monotonic 5025.1 s (+0)  boottime 91425.1 s (+86400)  ...
 *
 *	$ sudo ns/time --boottime 86400 -- cat /proc/uptime
 *	91425.14 10012.33
 *
 * The order matters, twice. Like a PID namespace, unshare(CLONE_NEWTIME) does not move the
 * caller (a running process's clocks must not jump): the children forked afterwards go in.
 * And the offsets can be written to /proc/self/timens_offsets only while no process is in
 * the new namespace yet: after unshare, before the first fork.
 *
 * See: time_namespaces(7), unshare(2), clock_gettime(2), proc(5) (/proc/uptime).
 * Build and run: `make ns/time && sudo ./ns/time -v --monotonic 3600 --boottime 86400`.
 */
#include "lib/err.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6; older C libraries lack the name */
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: time [-v] [--monotonic SECS] [--boottime SECS] [-- CMD [ARGS...]]\n"
		"Create a time namespace with clock offsets, and show the clocks on both sides.\n"
		"\n"
		"  -m, --monotonic SECS   add SECS to CLOCK_MONOTONIC inside (default 0; may be < 0)\n"
		"  -b, --boottime SECS    add SECS to CLOCK_BOOTTIME and /proc/uptime inside\n"
		"                         (default 86400, one day; may be < 0)\n"
		"  -v, --verbose          narrate each system call on stderr\n"
		"  -h, --help             show this help\n"
		"  -- CMD [ARGS...]       run CMD inside; the report then goes to stderr, with -v only\n");
}

static FILE *report; /* stdout without CMD, stderr with CMD and -v, else NULL (see ns/uts.c) */

/* the clocks this program reads; the two a time namespace shifts */
static const struct {
	const char *name; /* as timens_offsets names it */
	clockid_t id;
} clocks[] = {
	{"monotonic", CLOCK_MONOTONIC},
	{"boottime", CLOCK_BOOTTIME},
};

static double seconds(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) < 0)
		mr_die("clock_gettime");
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* uptime - the first number in /proc/uptime (seconds since boot, as CLOCK_BOOTTIME). */
static double uptime(void)
{
	char *text = NULL;
	struct mr_err err = {0};
	double up = 0;
	if (mr_read_file("/proc/uptime", &text, NULL, &err) < 0)
		mr_die_err(&err);
	up = strtod(text, NULL);
	free(text);
	return up;
}

static unsigned long inode_of(const char *name)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (stat(path, &st) < 0)
		mr_die("stat '%s'", path);
	return (unsigned long)st.st_ino;
}

/* parse_offset - a whole number of seconds, or die with a usage error naming the flag. */
static long long parse_offset(const char *flag, const char *s)
{
	long long v;
	/* the kernel takes offsets up to about +-146 years (KTIME_SEC_MAX / 2) */
	if (mr_parse_ll(s, -4611686018LL, 4611686018LL, &v) < 0)
		mr_diex(MR_EXIT_USAGE,
			"%s '%s': expected whole seconds, at most 146 years either way", flag, s);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"monotonic", required_argument, NULL, 'm'},
		{"boottime", required_argument, NULL, 'b'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long long offset[2] = {0, 86400}; /* in the order of clocks[] */
	double before[2];
	struct mr_err err = {0};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:m:b:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': offset[0] = parse_offset("--monotonic", optarg); break;
		case 'b': offset[1] = parse_offset("--boottime", optarg); break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'time -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'time -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	report = !cmd ? stdout : mr_verbose ? stderr : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */

	/* Feature test, not a kernel version check: the namespace file exists or it doesn't. */
	if (access("/proc/self/ns/time", F_OK) < 0)
		mr_diex(1, "this kernel has no time namespaces (/proc/self/ns/time is missing; "
			   "they need Linux 5.6 or later built with CONFIG_TIME_NS)");

	for (int i = 0; i < 2; i++) {
		before[i] = seconds(clocks[i].id);
		if (before[i] + offset[i] < 0)
			mr_diex(MR_EXIT_USAGE,
				"--%s %lld would put the clock before zero (it reads "
				"%.0f s now)",
				clocks[i].name, offset[i], before[i]);
	}
	if (report)
		fprintf(report,
			"outside: time:[%lu]  monotonic %.1f s  boottime %.1f s  uptime %.1f s\n",
			inode_of("time"), before[0], before[1], uptime());

	mr_say("unshare(CLONE_NEWTIME)");
	if (unshare(CLONE_NEWTIME) < 0)
		mr_die("unshare(CLONE_NEWTIME) (are you root?)");
	/* Still outside: our own clocks must not jump under us. */
	if (report)
		fprintf(report,
			"after unshare(CLONE_NEWTIME): time:[%lu] still, time_for_children:[%lu]\n",
			inode_of("time"), inode_of("time_for_children"));

	/* Now, before the first child enters the namespace, or the kernel refuses (EACCES):
	 * a clock must never jump for a process already reading it. The file takes lines
	 * "NAME SECS NANOSECS"; a clock it is not told about keeps offset 0. */
	for (int i = 0; i < 2; i++) {
		mr_say("write(\"/proc/self/timens_offsets\", \"%s %lld 0\")", clocks[i].name,
		       offset[i]);
		if (mr_write_filef("/proc/self/timens_offsets", &err, "%s %lld 0", clocks[i].name,
				   offset[i]) < 0)
			mr_die_err(&err);
	}
	fflush(NULL);

	mr_say("fork() -> the child starts in the new time namespace");
	pid_t pid = fork();
	if (pid < 0)
		mr_die("fork");
	if (pid == 0) {
		if (report) {
			fprintf(report, "inside:  time:[%lu]", inode_of("time"));
			for (int i = 0; i < 2; i++) {
				double now = seconds(clocks[i].id);
				/* the difference also holds the few microseconds since `before` */
				fprintf(report, "  %s %.1f s (%+.0f)", clocks[i].name, now,
					now - before[i]);
			}
			fprintf(report, "  uptime %.1f s\n", uptime());
		}
		fflush(NULL);
		if (cmd) {
			mr_say("execvp(\"%s\") in the new time namespace", cmd[0]);
			mr_exec(cmd);
		}
		return 0;
	}
	int status = mr_wait_exit(pid);
	if (status < 0)
		mr_die("waitpid");
	return status;
}
