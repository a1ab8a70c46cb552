/*
 * minirun/containers/stats.c - `minirun stats`: what containers use, read from their cgroups.
 *
 *   minirun stats [-a] [--no-stream] [--no-trunc] [--format FMT] [CONTAINER...]
 *
 *   CONTAINER ID   NAME   CPU %   MEM USAGE / LIMIT     MEM %   NET I/O         BLOCK I/O   PIDS
 *   3f1c0a9d2b7e   web    0.12%   1.23MiB / 23.4GiB     0.01%   1.2kB / 648B    0B / 0B     2
 *
 * No daemon collects anything: every number is a file the kernel keeps. The cgroup (named
 * in the OCI state, RUN/oci/ID/state.json) gives memory (memory.current, v1
 * memory.usage_in_bytes), the limit (memory.max, else the host's MemTotal), cpu time
 * (cpu.stat usage_usec, v1 cpuacct.usage), block I/O (io.stat, v1 blkio) and pids
 * (pids.current): cgroups/'s cg_stats_read reads them on v2 and on a hybrid host's v1
 * trees alike. A hybrid host makes v1 directories only for the limits a container has, so
 * one without -m has no memory cgroup there: its memory is then the sum of its processes'
 * VmRSS, and PIDS their count. The network bytes are the container's own interfaces, from
 * /proc/PID/net/dev, which shows the net namespace of PID. CPU % is cpu time used over
 * wall time between two readings (100% = one core), as docker computes it.
 *
 * Without --no-stream the table is redrawn every second until interrupted (Ctrl-C).
 *
 * See: docker-stats(1); Documentation/admin-guide/cgroup-v2.rst (memory.current, cpu.stat);
 *      proc(5) (/proc/PID/net/dev); cgroups/cgroup.h (cg_stats_read)
 */
#include "lib/cli.h"
#include "minirun/containers/info.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroups/cgroup.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/template.h"
#include "minirun/oci/runtime.h"
#include "minirun/image/image.h"

/* one reading of one container */
struct sample {
	char id[CONTAINER_ID_LEN + 1], name[256];
	bool running;
	double when;             /* CLOCK_MONOTONIC seconds */
	int64_t cpu_usec;        /* -1 unknown */
	int64_t mem, limit;      /* bytes */
	uint64_t rx, tx, rd, wr; /* bytes */
	int64_t pids;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* docker's units.BytesSize: binary units, "%.4g" ("1.523MiB") */
static void bytes_size(double v, char *buf, size_t len)
{
	static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.4g%s", v, units[u]);
}

static int64_t host_memory(void)
{
	char *text = NULL;
	long long kb = 0;
	if (mr_read_file("/proc/meminfo", &text, NULL, NULL) == 0) {
		char *p = strstr(text, "MemTotal:");
		if (p)
			kb = atoll(p + 9);
	}
	free(text);
	return kb * 1024;
}

/* the bytes PID's network namespace received and sent, loopback aside */
static void net_bytes(pid_t pid, uint64_t *rx, uint64_t *tx)
{
	char path[64], *text = NULL, *save = NULL;
	snprintf(path, sizeof(path), "/proc/%d/net/dev", (int)pid);
	*rx = *tx = 0;
	if (mr_read_file(path, &text, NULL, NULL) < 0)
		return;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char ifname[64];
		unsigned long long r, t;
		/* "  eth0: RXBYTES packets errs drop fifo frame compressed multicast TXBYTES ..."
		 */
		if (sscanf(l, " %63[^:]: %llu %*u %*u %*u %*u %*u %*u %*u %llu", ifname, &r, &t) ==
			    3 &&
		    strcmp(ifname, "lo")) {
			*rx += r;
			*tx += t;
		}
	}
	free(text);
}

/* the readings stats shows, by their place in struct cg_stats */
static const size_t used_fields[] = {
	offsetof(struct cg_stats, cpu_usage_usec), offsetof(struct cg_stats, memory_current),
	offsetof(struct cg_stats, memory_max),     offsetof(struct cg_stats, pids_current),
	offsetof(struct cg_stats, io_rbytes),      offsetof(struct cg_stats, io_wbytes),
};
#define FIELD(st, i) (*(int64_t *)((char *)(st) + used_fields[i]))

/* add what cgroup directory DIR holds to ST (fields still unknown only) */
static void merge_dir(const char *dir, struct cg_stats *st)
{
	struct cg_stats one;
	struct cg *cg = cg_open(NULL, dir, NULL);
	if (!cg)
		return;
	if (cg_stats_read(cg, &one, NULL) == 0)
		for (size_t i = 0; i < sizeof(used_fields) / sizeof(used_fields[0]); i++)
			if (FIELD(st, i) == CG_UNSET)
				FIELD(st, i) = FIELD(&one, i);
	cg_free(cg);
}

/*
 * container_oom_killed - did the kernel's OOM killer kill a process of C's cgroup? Read
 * from the cgroup before it is deleted: memory.events' oom_kill on v2, memory.oom_control's
 * on a hybrid host's v1 memory hierarchy (which has a directory for C only with -m; without
 * a limit there is no OOM kill of its own to count). docker's State.OOMKilled. The one
 * key is read straight from each recorded directory: a cg_open and cg_stats_read would
 * read every controller's files, and this is on the path of every exit.
 */
bool container_oom_killed(const struct container *c)
{
	static const char *const files[] = {"memory.events", "memory.oom_control"};
	char oci[4200], path[4400];
	struct ctr_state st;
	bool killed = false;
	container_oci_root(c->root, oci, sizeof(oci));
	if (state_load(oci, c->id, &st, NULL) < 0)
		return false;
	/* the recorded cgroup is one directory per hierarchy, joined by ':' */
	char *dirs = strdup(st.cgroup ? st.cgroup : ""), *save = NULL;
	for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d && !killed;
	     d = strtok_r(NULL, ":", &save))
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && !killed; i++) {
			_cleanup_free_ char *text = NULL;
			snprintf(path, sizeof(path), "%s/%s", d, files[i]);
			if (mr_read_file(path, &text, NULL, NULL) == 0)
				killed = cg_keyed_value(text, "oom_kill") > 0;
		}
	free(dirs);
	state_free(&st);
	return killed;
}

/* what the processes PIDS[0..n) have resident (VmRSS), in bytes */
static int64_t rss_of(const pid_t *pids, size_t n)
{
	int64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		char path[64], *text = NULL, *p;
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pids[i]);
		if (mr_read_file(path, &text, NULL, NULL) == 0 && (p = strstr(text, "\nVmRSS:")))
			total += atoll(p + 8) * 1024;
		free(text);
	}
	return total;
}

/* read container ID now */
static void sample_read(const char *id, struct sample *s, int64_t host_mem)
{
	struct container c;
	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", id);
	s->cpu_usec = -1;
	s->when = now_s();
	if (container_open(containers_root(), id, false, &c, NULL) < 0)
		return;
	const char *name = c.r.name;
	snprintf(s->name, sizeof(s->name), "%s", name ? name + (name[0] == '/') : "");
	pid_t pid = container_pid(&c);
	char oci[4200];
	struct ctr_state st;
	container_oci_root(c.root, oci, sizeof(oci));
	if (pid > 0 && state_load(oci, c.id, &st, NULL) == 0) {
		struct cg_stats cs;
		memset(&cs, 0, sizeof(cs));
		for (size_t i = 0; i < sizeof(used_fields) / sizeof(used_fields[0]); i++)
			FIELD(&cs, i) = CG_UNSET;
		/* the recorded cgroup is one directory per hierarchy, joined by ':' */
		char *dirs = strdup(st.cgroup ? st.cgroup : ""), *save = NULL;
		for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
			merge_dir(d, &cs);
		free(dirs);
		/* a hybrid host gives a container without limits no v1 memory or pids
		 * directory: then count its processes, and add up what they have resident */
		pid_t *pids = NULL;
		size_t np = 0;
		if ((cs.pids_current == CG_UNSET || cs.memory_current == CG_UNSET) && st.cgroup &&
		    procs_list(st.cgroup, 0 /* the cgroup only */, &pids, &np, NULL) == 0) {
			if (cs.pids_current == CG_UNSET)
				cs.pids_current = (int64_t)np;
			if (cs.memory_current == CG_UNSET)
				cs.memory_current = rss_of(pids, np);
		}
		free(pids);
		state_free(&st);
		s->running = true;
		s->cpu_usec = cs.cpu_usage_usec;
		s->mem = cs.memory_current > 0 ? cs.memory_current : 0;
		s->limit = cs.memory_max > 0 && cs.memory_max < host_mem ? cs.memory_max : host_mem;
		s->rd = cs.io_rbytes > 0 ? (uint64_t)cs.io_rbytes : 0;
		s->wr = cs.io_wbytes > 0 ? (uint64_t)cs.io_wbytes : 0;
		s->pids = cs.pids_current >= 0 ? cs.pids_current : 0;
		net_bytes(pid, &s->rx, &s->tx);
	}
	container_close(&c);
}

/* the object a --format template sees: docker's field names */
static json_t *stats_row(const struct sample *prev, const struct sample *s, bool notrunc,
			 const char *given)
{
	char id[CONTAINER_ID_LEN + 1], cpu[32] = "0.00%", mem[80] = "0B / 0B", memp[32] = "0.00%";
	char net[80] = "0B / 0B", blk[80] = "0B / 0B", pids[32] = "0", a[32], b[32];
	snprintf(id, sizeof(id), "%s", s->id);
	if (!notrunc)
		id[12] = 0;
	if (s->running) {
		double dt = s->when - prev->when;
		if (prev->cpu_usec >= 0 && s->cpu_usec >= prev->cpu_usec && dt > 0)
			snprintf(cpu, sizeof(cpu), "%.2f%%",
				 (double)(s->cpu_usec - prev->cpu_usec) / 1e6 / dt * 100.0);
		bytes_size((double)s->mem, a, sizeof(a));
		bytes_size((double)s->limit, b, sizeof(b));
		snprintf(mem, sizeof(mem), "%s / %s", a, b);
		snprintf(memp, sizeof(memp), "%.2f%%",
			 s->limit > 0 ? (double)s->mem / (double)s->limit * 100.0 : 0.0);
		fmt_size(s->rx, a, sizeof(a));
		fmt_size(s->tx, b, sizeof(b));
		snprintf(net, sizeof(net), "%s / %s", a, b);
		fmt_size(s->rd, a, sizeof(a));
		fmt_size(s->wr, b, sizeof(b));
		snprintf(blk, sizeof(blk), "%s / %s", a, b);
		snprintf(pids, sizeof(pids), "%lld", (long long)s->pids);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "Container",
			 given ? given : id, "ID", id, "Name", s->name, "CPUPerc", cpu, "MemUsage",
			 mem, "MemPerc", memp, "NetIO", net, "BlockIO", blk, "PIDs", pids);
}

static json_t *stats_header(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "Container", "CONTAINER",
			 "ID", "CONTAINER ID", "Name", "NAME", "CPUPerc", "CPU %", "MemUsage",
			 "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O", "BlockIO",
			 "BLOCK I/O", "PIDs", "PIDS");
}

#define STATS_TABLE                                                                                     \
	"{{.ID}}\\t{{.Name}}\\t{{.CPUPerc}}\\t{{.MemUsage}}\\t{{.MemPerc}}\\t{{.NetIO}}\\t{{.BlockIO}}" \
	"\\t{{.PIDs}}"

static volatile sig_atomic_t stop_now;
static void on_signal(int sig)
{
	(void)sig;
	stop_now = 1;
}

static void stats_usage(void)
{
	printf("Usage:  minirun stats [OPTIONS] [CONTAINER...]\n\n"
	       "Display a live stream of container(s) resource usage statistics\n\n"
	       "Options:\n"
	       "  -a, --all             Show all containers (default shows just running)\n"
	       "      --format string   'table', 'json', 'table TEMPLATE' or a TEMPLATE: "
	       "'{{.Name}} {{.CPUPerc}}'\n"
	       "      --no-stream       Disable streaming stats and only pull the first result\n"
	       "      --no-trunc        Do not truncate output\n");
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},       {"format", required_argument, NULL, 'F'},
		{"no-stream", no_argument, NULL, 'S'}, {"no-trunc", no_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
	};
	bool all = false, stream = true, notrunc = false;
	const char *format = NULL;
	int ch, rc = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, ":ah", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': all = true; break;
		case 'F': format = optarg; break;
		case 'S': stream = false; break;
		case 'T': notrunc = true; break;
		case 'h': stats_usage(); return 0;
		default: return mr_flag_error(ch, "stats", argv);
		}
	}
	struct mr_format f;
	struct mr_err err = {0};
	if (mr_format_open(&f, format, "table " STATS_TABLE, &err) < 0) {
		mr_format_close(&f);
		fprintf(stderr, "template parsing error: %s\n", err.msg);
		return 1;
	}
	bool table = f.table;
	mr_format_close(&f);
	struct mr_tmpl_opts o = {.missing = MR_TMPL_MISSING_FIELD,
				 .type_name = "*container.statsContext"};

	/* which containers: those named (each must exist), else the running ones (-a: all) */
	size_t n = 0;
	char **ids = NULL, **given = NULL;
	if (optind < argc) {
		n = (size_t)(argc - optind);
		ids = calloc(n + 1, sizeof(*ids));
		given = argv + optind;
		for (size_t i = 0; i < n; i++) {
			struct container c;
			if (info_open(given[i], false, &c) < 0) {
				rc = 1;
				ids[i] = NULL;
				continue;
			}
			ids[i] = strdup(c.id);
			container_close(&c);
		}
		if (rc) {
			for (size_t i = 0; i < n; i++)
				free(ids[i]);
			free(ids);
			return rc;
		}
	} else {
		struct mr_err err = {0};
		char **every = container_ids(containers_root(), &err);
		if (!every) {
			fprintf(stderr, "minirun: %s\n", err.msg);
			return 1;
		}
		size_t cnt = 0;
		while (every[cnt])
			cnt++;
		ids = calloc(cnt + 1, sizeof(*ids));
		for (size_t i = 0; i < cnt; i++) {
			struct container c;
			if (container_open(containers_root(), every[i], false, &c, NULL) < 0)
				continue;
			enum container_state s = container_status(&c);
			if (all || s == CONTAINER_RUNNING || s == CONTAINER_PAUSED)
				ids[n++] = strdup(c.id);
			container_close(&c);
		}
		container_ids_free(every);
	}

	int64_t host_mem = host_memory();
	struct sample *prev = calloc(n + 1, sizeof(*prev)), *cur = calloc(n + 1, sizeof(*cur));
	for (size_t i = 0; i < n; i++)
		sample_read(ids[i], &prev[i], host_mem);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* CPU % needs two readings: the first table comes half a second after the first one */
	usleep(500 * 1000);
	while (!stop_now) {
		mr_format_open(&f, format, "table " STATS_TABLE, NULL); /* parsed above */
		for (size_t i = 0; i < n && !rc; i++) {
			sample_read(ids[i], &cur[i], host_mem);
			json_t *row = stats_row(&prev[i], &cur[i], notrunc,
						given && strlen(given[i]) ? given[i] : NULL);
			if (mr_format_row(&f, row, &o, &err) < 0) {
				fprintf(stderr, "template parsing error: %s\n", err.msg);
				rc = 1;
			}
			json_decref(row);
			prev[i] = cur[i];
		}
		if (stream && table && !rc)
			printf("\033[2J\033[H"); /* clear the screen, as docker redraws */
		json_t *h = stats_header();
		if (!rc)
			mr_format_print(&f, h, stdout);
		json_decref(h);
		mr_format_close(&f);
		fflush(stdout);
		if (rc)
			break;
		if (!stream)
			break;
		sleep(1);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(prev);
	free(cur);
	return rc;
}
