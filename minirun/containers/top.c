/*
 * minirun/containers/top.c - `minirun top`: the processes of a running container.
 *
 *   minirun top CONTAINER [-ef]
 *
 *   UID    PID     PPID    C    STIME   TTY   TIME       CMD
 *   root   41022   41010   0    21:30   ?     00:00:00   sleep 100
 *
 * Which processes are "in" a container? Those of its cgroup: the OCI state (ROOT/oci/ID/
 * state.json) names the cgroup, whose cgroup.procs lists them, children and `exec`s
 * included (cgstep_procs). Without a cgroup, those sharing its init's pid namespace. Each is
 * then read from /proc as `ps -ef` shows it, with host pids and the host's user names.
 * docker passes other ps(1) options on to ps; minirun reads /proc itself and knows only
 * these columns, so it takes no option but "-ef" and says so.
 *
 * See: docker-top(1); proc(5) (/proc/PID/stat fields 4, 7, 14, 15, 22; /proc/stat btime)
 */
#include "minirun/containers/info.h"

#include <ctype.h>
#include <dirent.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "lib/file.h"
#include "minirun/cgstep.h"
#include "minirun/state.h"
#include "ns/ns.h"

/* the pids that share INIT's pid namespace (a container without a cgroup) */
static int pidns_procs(pid_t init, pid_t **out, size_t *n)
{
	const struct ns_type *t = ns_by_flag(CLONE_NEWPID);
	unsigned long want = ns_inode(init, t, NULL);
	DIR *d = opendir("/proc");
	struct dirent *e;
	*out = NULL, *n = 0;
	if (!d)
		return -1;
	while (want && (e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]) ||
		    ns_inode(atoi(e->d_name), t, NULL) != want)
			continue;
		pid_t *p = realloc(*out, (*n + 1) * sizeof(pid_t));
		if (!p)
			break;
		*out = p;
		(*out)[(*n)++] = atoi(e->d_name);
	}
	closedir(d);
	return want ? 0 : -1;
}

/* "pts/3", "tty1", "?" for /proc/PID/stat's tty_nr */
static void tty_name(unsigned long nr, char *buf, size_t len)
{
	unsigned maj = major(nr), min = minor(nr);
	if (maj >= 136 && maj <= 143)
		snprintf(buf, len, "pts/%u", (maj - 136) * 256 + min);
	else if (maj == 4 && nr)
		snprintf(buf, len, "tty%u", min);
	else
		snprintf(buf, len, "?");
}

/* one `ps -ef` row for PID into a tab-separated string; NULL when the process is gone */
static char *top_row(pid_t pid, long long btime, long hz)
{
	char path[64], *stat = NULL, *status = NULL, *cmd = NULL, *row = NULL;
	size_t cmdlen = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (mr_read_file(path, &stat, NULL, NULL) < 0)
		return NULL;
	/* "PID (COMM) STATE PPID ..." - COMM may hold spaces and ')': split at the last ')' */
	char *rp = strrchr(stat, ')'), comm[64];
	char *lp = strchr(stat, '(');
	int ppid = 0;
	unsigned long tty = 0, utime = 0, stime = 0;
	unsigned long long start = 0;
	if (!rp || !lp ||
	    sscanf(rp + 2,
		   "%*c %d %*d %*d %lu %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d "
		   "%*d %*d %llu",
		   &ppid, &tty, &utime, &stime, &start) != 5) {
		free(stat);
		return NULL;
	}
	snprintf(comm, sizeof(comm), "%.*s", (int)(rp - lp - 1), lp + 1);
	/* UID: the effective one, the second field of "Uid:" */
	char user[64] = "?";
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (mr_read_file(path, &status, NULL, NULL) == 0) {
		char *u = strstr(status, "\nUid:");
		unsigned ruid, euid;
		if (u && sscanf(u + 5, "%u %u", &ruid, &euid) == 2) {
			struct passwd *pw = getpwuid(euid);
			if (pw)
				snprintf(user, sizeof(user), "%s", pw->pw_name);
			else
				snprintf(user, sizeof(user), "%u", euid);
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if (mr_read_file(path, &cmd, &cmdlen, NULL) == 0 && cmdlen) {
		for (size_t k = 0; k + 1 < cmdlen; k++)
			if (!cmd[k])
				cmd[k] = ' ';
	} else {
		free(cmd);
		if (asprintf(&cmd, "[%s]", comm) < 0)
			cmd = NULL;
	}
	/* C: cpu time over lifetime, in percent; STIME: the start, "HH:MM" today else "Nov27" */
	time_t now = time(NULL), started = (time_t)(btime + (long long)(start / (unsigned long)hz));
	long long alive = (long long)(now - started), cpu = (long long)((utime + stime) / hz);
	char stime_s[16], ttys[16], times[32];
	struct tm tm_start, tm_now;
	localtime_r(&started, &tm_start);
	localtime_r(&now, &tm_now);
	strftime(stime_s, sizeof(stime_s),
		 tm_start.tm_yday == tm_now.tm_yday && tm_start.tm_year == tm_now.tm_year ? "%H:%M"
											  : "%b%d",
		 &tm_start);
	tty_name(tty, ttys, sizeof(ttys));
	snprintf(times, sizeof(times), "%02lld:%02lld:%02lld", cpu / 3600, cpu / 60 % 60, cpu % 60);
	if (asprintf(&row, "%s\t%d\t%d\t%lld\t%s\t%s\t%s\t%s", user, (int)pid, ppid,
		     alive > 0 ? cpu * 100 / alive : 0, stime_s, ttys, times, cmd ? cmd : "") < 0)
		row = NULL;
	free(stat);
	free(status);
	free(cmd);
	return row;
}

/* the container's pids: its cgroup's, else its pid namespace's */
static int top_pids(struct container *c, pid_t init, pid_t **pids, size_t *n, struct mr_err *err)
{
	char oci[4200];
	struct ctr_state st;
	int rc = -1;
	container_oci_root(c->root, oci, sizeof(oci));
	if (state_load(oci, c->id, &st, NULL) == 0) {
		if (st.cgroup && *st.cgroup)
			rc = cgstep_procs(st.cgroup, pids, n, err);
		state_free(&st);
	}
	if (rc < 0 && pidns_procs(init, pids, n) < 0)
		return mr_fail(err, 0, "cannot find the processes of container %s", c->id);
	return 0;
}

static int pid_cmp(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

int cmd_top(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage:  minirun top CONTAINER [-ef]\n\n"
		       "Display the running processes of a container (ps -ef's columns, read from "
		       "/proc;\nother ps options are not supported)\n");
		return 0;
	}
	if (argc < 2)
		return info_usage_error("top", "\"top\" requires at least 1 argument.");
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "-ef") && strcmp(argv[i], "-e") && strcmp(argv[i], "-f"))
			return info_usage_error("top",
						"ps option \"%s\" is not supported: minirun top "
						"reads /proc itself and shows ps -ef's columns",
						argv[i]);
	struct container c;
	struct mr_err err = {0};
	if (info_open(argv[1], false, &c) < 0)
		return 1;
	pid_t init = container_pid(&c);
	if (!init) {
		fprintf(stderr, "Error: container %s is not running\n", c.id);
		container_close(&c);
		return 1;
	}
	pid_t *pids = NULL;
	size_t n = 0;
	if (top_pids(&c, init, &pids, &n, &err) < 0) {
		fprintf(stderr, "Error: %s\n", err.msg);
		container_close(&c);
		return 1;
	}
	qsort(pids, n, sizeof(*pids), pid_cmp);
	long long btime = 0;
	char *pstat = NULL;
	if (mr_read_file("/proc/stat", &pstat, NULL, NULL) == 0 && strstr(pstat, "\nbtime "))
		btime = atoll(strstr(pstat, "\nbtime ") + 7);
	free(pstat);
	long hz = sysconf(_SC_CLK_TCK);
	char **rows = calloc(n + 1, sizeof(*rows));
	size_t nr = 0;
	rows[nr++] = strdup("UID\tPID\tPPID\tC\tSTIME\tTTY\tTIME\tCMD");
	for (size_t i = 0; i < n; i++)
		if ((rows[nr] = top_row(pids[i], btime, hz > 0 ? hz : 100)))
			nr++;
	info_print_rows(rows, nr);
	for (size_t i = 0; i < nr; i++)
		free(rows[i]);
	free(rows);
	free(pids);
	container_close(&c);
	return 0;
}
