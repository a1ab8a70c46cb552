/*
 * cgroups/stat.c - what the processes of a cgroup use, as the kernel counts it.
 *
 * `docker stats` reads these same files: memory.current and memory.peak, memory.events
 * (how often the limit was hit, and the OOM kills), pids.current and pids.events (forks
 * refused), cpu.stat (time used, periods throttled) and io.stat, plus the pressure (PSI)
 * files: the share of time the group's tasks stalled waiting for CPU, memory or IO.
 *
 *	$ cgroups/stat mr-lab
 *	cgroup    /mr-lab (unified)
 *	memory    current 15.9M  peak 16.0M  max 16.0M  swap 0B  hit-limit 812  oom 1  oom_kill 1
 *	pids      current 2  max 8  refused 0
 *	cpu       used 1.53s (user 1.50s, system 0.03s)  throttled 19/30 periods, 0.94s
 *	io        read 0B in 0 ops  written 4.0K in 1 ops
 *	pressure  cpu    some 7.60% 1.37% 0.28% total 1.19s  full 7.60% 1.37% 0.28% total 1.19s
 *
 * The three percentages are averages over the last 10, 60 and 300 seconds; total is the
 * time stalled since the cgroup was made. With -w it prints a new reading every -i seconds
 * until interrupted.
 *
 * See: Documentation/admin-guide/cgroup-v2.rst, Documentation/accounting/psi.rst.
 * Build and run: `make cgroups && cgroups/stat -w mr-lab`.
 */
#include "cgroups/cgroup.h"
#include "lib/err.h"
#include "lib/file.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: stat [-v] [-w [-i SECS]] PATH\n"
		"Print the readings of cgroup PATH: memory, pids, cpu, io and pressure (PSI).\n"
		"\n"
		"  PATH               a cgroup below ours (mr-x), absolute (/mr-x), or its directory\n"
		"  -w, --watch        print a new reading every interval until interrupted\n"
		"  -i, --interval S   seconds between readings with -w (default 1)\n"
		"  -v, --verbose      narrate detection\n"
		"  -h, --help         show this help\n");
}

/* a counter, or "-" when this kernel or mode does not keep it */
static const char *num(int64_t v, char *buf, size_t size)
{
	if (v == CG_UNSET)
		return "-";
	return cg_format_max(v, buf, size);
}

static const char *size(int64_t v, char *buf, size_t n)
{
	return v == CG_UNSET ? "-" : cg_format_size(v, buf, n);
}

static void psi_line(const char *what, const struct cg_psi *p)
{
	if (!p->some.present)
		return;
	printf("pressure  %-6s some %.2f%% %.2f%% %.2f%% total %.2fs", what, p->some.avg10,
	       p->some.avg60, p->some.avg300, (double)p->some.total / 1e6);
	if (p->full.present)
		printf("  full %.2f%% %.2f%% %.2f%% total %.2fs", p->full.avg10, p->full.avg60,
		       p->full.avg300, (double)p->full.total / 1e6);
	printf("\n");
}

static void show(const struct cg *cg, const struct cg_stats *st)
{
	char a[32], b[32], c[32], d[32], e[32], f[32], g[32];

	printf("cgroup    %s (%s)\n", cg_path(cg), cg_mode_name(cg_mode(cg)));
	if (st->memory_current != CG_UNSET)
		printf("memory    current %s  peak %s  max %s  swap %s  hit-limit %s  oom %s  oom_kill %s\n",
		       size(st->memory_current, a, 32), size(st->memory_peak, b, 32),
		       size(st->memory_max, c, 32), size(st->swap_current, d, 32),
		       num(st->memory_max_events, e, 32), num(st->memory_oom, f, 32),
		       num(st->memory_oom_kill, g, 32));
	if (st->pids_current != CG_UNSET)
		printf("pids      current %s  max %s  refused %s\n", num(st->pids_current, a, 32),
		       num(st->pids_max, b, 32), num(st->pids_events_max, c, 32));
	if (st->cpu_usage_usec != CG_UNSET) {
		printf("cpu       used %.2fs", (double)st->cpu_usage_usec / 1e6);
		if (st->cpu_user_usec != CG_UNSET && st->cpu_system_usec != CG_UNSET)
			printf(" (user %.2fs, system %.2fs)", (double)st->cpu_user_usec / 1e6,
			       (double)st->cpu_system_usec / 1e6);
		if (st->cpu_nr_periods != CG_UNSET)
			printf("  throttled %lld/%lld periods, %.2fs",
			       (long long)st->cpu_nr_throttled, (long long)st->cpu_nr_periods,
			       (double)st->cpu_throttled_usec / 1e6);
		putchar('\n');
	}
	if (st->io_rbytes != CG_UNSET)
		printf("io        read %s in %s ops  written %s in %s ops\n",
		       size(st->io_rbytes, a, 32), num(st->io_rios, b, 32),
		       size(st->io_wbytes, c, 32), num(st->io_wios, d, 32));
	psi_line("cpu", &st->cpu_pressure);
	psi_line("memory", &st->memory_pressure);
	psi_line("io", &st->io_pressure);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"watch", no_argument, NULL, 'w'},
		{"interval", required_argument, NULL, 'i'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mr_err err = {0};
	struct cg_stats st;
	bool watch = false;
	long long interval = 1;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:wi:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'w': watch = true; break;
		case 'i':
			if (mr_parse_ll(optarg, 1, 3600, &interval) < 0)
				mr_diex(MR_EXIT_USAGE,
					"-i '%s' is not a number of seconds (1..3600)", optarg);
			break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'stat -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'stat -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		mr_diex(MR_EXIT_USAGE, "need exactly one cgroup PATH; see 'stat -h'");
	mr_err_exit_code = MR_EXIT_RUNTIME;
	struct cg *cg = cg_open(NULL, argv[optind], &err);
	if (!cg)
		mr_die_err(&err);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		if (cg_stats_read(cg, &st, &err) < 0)
			mr_die_err(&err); /* with -w: the cgroup went away */
		show(cg, &st);
		if (!watch)
			break;
		struct timespec ts = {(time_t)interval, 0};
		nanosleep(&ts, NULL);
		putchar('\n');
	}
	cg_free(cg);
	return 0;
}
