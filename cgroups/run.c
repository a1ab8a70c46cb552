/*
 * cgroups/run.c - run a command in a fresh cgroup with limits, then say what happened.
 *
 * What `docker run -m 16m --pids-limit 8 --cpus 0.5` does to the kernel, and nothing more:
 * make a cgroup, write the limits into its files, start the command inside, wait, read the
 * counters the kernel kept, remove the cgroup.
 *
 *	$ cgroups/run -m 16m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1 of=/dev/null'
 *	run: cgroup /mr-run-4242 (unified: memory pids)
 *	run: exit status 137: killed by signal 9 (SIGKILL)
 *	run: memory: peak 16.0M of 16.0M; the OOM killer killed 1 process (memory.events oom_kill 1)
 *
 *	$ cgroups/run --pids 8 -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done; wait'
 *	sh: 1: Cannot fork
 *	run: pids: forks refused: 3 at pids.max 8 (pids.events max 3)
 *
 * The report goes to stderr, so CMD's own output stays clean; the exit status is CMD's
 * (128+N when a signal killed it; 125 when run itself failed).
 *
 * See: Documentation/admin-guide/cgroup-v2.rst, docker run --help ("-m", "--cpus"),
 *      cgroups/cgroup.h for the library it shows.
 * Build and run: `make cgroups && sudo cgroups/run -v -m 16m -- sh -c 'echo hi'`.
 */
#include "cgroups/cgroup.h"
#include "lib/err.h"
#include "lib/proc.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: run [-v] [-m SIZE] [--swap SIZE] [--pids N] [--cpus X] [--cpu-weight N]\n"
		"           [--io-max SPEC] [--cpuset CPUS] [-c PATH] -- CMD [ARGS...]\n"
		"Run CMD in a new cgroup with these limits, report what the kernel counted, and\n"
		"remove the cgroup again.\n"
		"\n"
		"  -m, --memory SIZE     memory.max: 16m, 1g, max (docker -m)\n"
		"      --swap SIZE       memory.swap.max: swap allowed on top of -m (0: none)\n"
		"      --pids N          pids.max: most tasks at once; forks past it fail (EAGAIN)\n"
		"      --cpus X          cpu.max: X CPUs' worth of time, 0.5 -> '50000 100000'\n"
		"      --cpu-weight N    cpu.weight, 1..10000 (100 is the default share)\n"
		"      --io-max SPEC     io.max line, 'MAJ:MIN rbps=1m wiops=100' (repeatable)\n"
		"      --cpuset CPUS     cpuset.cpus: the CPUs CMD may run on, 0 or 0-1\n"
		"  -c, --cgroup PATH     the cgroup to make (default mr-run-PID, below our own)\n"
		"  -v, --verbose         narrate every cgroup file written\n"
		"  -h, --help            show this help\n");
}

/* Ctrl-C reaches the whole foreground process group: CMD dies of it, and run must live to
 * remove the cgroup. So run ignores SIGINT and SIGQUIT while CMD runs, as system(3) does,
 * passes SIGTERM on, and ignores SIGPIPE (its report may go to a pipe already closed). */
static pid_t child;
static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/* "hybrid: memory pids in v1, core files in v2": where the cgroup's files are */
static const char *where(const struct cg *cg)
{
	static char buf[256];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s:", cg_mode_name(cg_mode(cg)));
	unsigned bits = cg_controllers(cg);
	for (unsigned b = 1; b < (1u << CG_NCONTROLLERS); b <<= 1)
		if (bits & b)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s",
					      cg_controller_name(b));
	if (cg_mode(cg) == CG_HYBRID)
		snprintf(buf + n, sizeof(buf) - n, " in v1; procs, freeze, kill, PSI in v2");
	else if (cg_mode(cg) == CG_LEGACY)
		snprintf(buf + n, sizeof(buf) - n, " in v1");
	return buf;
}

static double secs(int64_t usec)
{
	return (double)usec / 1e6;
}

/* report - what the kernel counted, one line per controller that had a say */
static void report(const struct cg *cg, const struct cg_resources *res, int status, double wall)
{
	struct cg_stats st;
	struct mr_err err = {0};
	char a[32], b[32];
	bool v2mem = cg_dir(cg, "memory") && cg_dir(cg, NULL) == cg_dir(cg, "memory") &&
		     cg_mode(cg) == CG_UNIFIED;

	if (status > 128)
		fprintf(stderr, "run: exit status %d: killed by signal %d (SIG%s)\n", status,
			status - 128, sigabbrev_np(status - 128) ?: "?");
	else
		fprintf(stderr, "run: exit status %d\n", status);
	if (cg_stats_read(cg, &st, &err) < 0) {
		fprintf(stderr, "run: no readings: %s\n", err.msg);
		return;
	}
	if (cg_dir(cg, "memory")) {
		fprintf(stderr, "run: memory: peak %s of %s",
			cg_format_size(st.memory_peak, a, sizeof(a)),
			cg_format_size(st.memory_max, b, sizeof(b)));
		if (st.memory_oom_kill > 0)
			fprintf(stderr, "; the OOM killer killed %lld process%s (%s oom_kill %lld)",
				(long long)st.memory_oom_kill, st.memory_oom_kill > 1 ? "es" : "",
				v2mem ? "memory.events" : "memory.oom_control",
				(long long)st.memory_oom_kill);
		else if (st.memory_max_events > 0)
			fprintf(stderr, "; the limit was hit %lld times, reclaim coped",
				(long long)st.memory_max_events);
		fputc('\n', stderr);
	}
	if (st.pids_events_max > 0)
		fprintf(stderr,
			"run: pids: forks refused: %lld at pids.max %s (pids.events max %lld)\n",
			(long long)st.pids_events_max, cg_format_max(st.pids_max, a, sizeof(a)),
			(long long)st.pids_events_max);
	else if (res->pids_max != CG_UNSET)
		fprintf(stderr, "run: pids: no fork refused (pids.max %s)\n",
			cg_format_max(st.pids_max, a, sizeof(a)));
	if (st.cpu_usage_usec != CG_UNSET) {
		fprintf(stderr, "run: cpu: %.2f s used in %.2f s", secs(st.cpu_usage_usec), wall);
		if (st.cpu_nr_periods > 0)
			fprintf(stderr, "; throttled in %lld of %lld periods (%.2f s)",
				(long long)st.cpu_nr_throttled, (long long)st.cpu_nr_periods,
				secs(st.cpu_throttled_usec));
		fputc('\n', stderr);
	}
}

int main(int argc, char **argv)
{
	enum { O_SWAP = 256, O_PIDS, O_CPUS, O_WEIGHT, O_IOMAX, O_CPUSET };
	static const struct option longopts[] = {
		{"memory", required_argument, NULL, 'm'},
		{"swap", required_argument, NULL, O_SWAP},
		{"pids", required_argument, NULL, O_PIDS},
		{"cpus", required_argument, NULL, O_CPUS},
		{"cpu-weight", required_argument, NULL, O_WEIGHT},
		{"io-max", required_argument, NULL, O_IOMAX},
		{"cpuset", required_argument, NULL, O_CPUSET},
		{"cgroup", required_argument, NULL, 'c'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct cg_resources res;
	struct mr_err err = {0};
	char path[64], *cgpath = NULL;
	int c;

	cg_resources_init(&res);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:m:c:vh", longopts, NULL)) != -1) {
		int r = 0;
		switch (c) {
		case 'm': r = cg_parse_size(optarg, &res.memory_max, &err); break;
		case O_SWAP: r = cg_parse_size(optarg, &res.swap_max, &err); break;
		case O_PIDS:
			r = cg_parse_max(optarg, 1, 4194304, "--pids", &res.pids_max, &err);
			break;
		case O_CPUS:
			r = cg_parse_cpus(optarg, &res.cpu_quota, &res.cpu_period, &err);
			break;
		case O_WEIGHT:
			r = cg_parse_max(optarg, 1, 10000, "--cpu-weight", &res.cpu_weight, &err);
			if (r == 0 && res.cpu_weight == CG_LIMIT_MAX)
				r = mr_fail(&err, 0,
					    "--cpu-weight 'max' is not a weight (use 1..10000)");
			break;
		case O_IOMAX:
			if (res.n_io == CG_MAX_IO_DEV)
				mr_diex(MR_EXIT_USAGE, "at most %d --io-max lines", CG_MAX_IO_DEV);
			r = cg_parse_io_max(optarg, &res.io[res.n_io++], &err);
			break;
		case O_CPUSET:
			if (!*optarg || strspn(optarg, "0123456789,-") != strlen(optarg) ||
			    strlen(optarg) >= sizeof(res.cpuset_cpus))
				mr_diex(MR_EXIT_USAGE,
					"--cpuset '%s' is not a CPU list (like 0 or 0-1,3)",
					optarg);
			strcpy(res.cpuset_cpus, optarg);
			break;
		case 'c': cgpath = optarg; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'run -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'run -h'",
				argv[optind - 1]);
		}
		if (r < 0) { /* name the option as it was typed: "-m: '12x' is not a size" */
			const char *opt =
				optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
			if (strstr(err.msg, opt))
				mr_diex(MR_EXIT_USAGE, "%s", err.msg);
			mr_diex(MR_EXIT_USAGE, "%s: %s", opt, err.msg);
		}
	}
	if (optind >= argc)
		mr_diex(MR_EXIT_USAGE,
			"no command given (run [OPTIONS] -- CMD [ARGS...]; see 'run -h')");
	if (res.memory_max == CG_UNSET && res.swap_max != CG_UNSET && res.swap_max != 0)
		mr_diex(MR_EXIT_USAGE,
			"--swap needs -m too (it is swap on top of the memory limit)");
	mr_err_exit_code = MR_EXIT_RUNTIME;
	/* from here on a cgroup may exist: a reader of our report that went away (| head)
	 * must not kill us before we remove it (the child restores SIGPIPE before exec) */
	signal(SIGPIPE, SIG_IGN);

	/* 1. the cgroup, with the controllers the limits need (memory and pids are always
	 *    there to count, even without a limit) */
	snprintf(path, sizeof(path), "mr-run-%d", (int)getpid());
	unsigned want = cg_resources_controllers(&res) | CG_MEMORY | CG_PIDS;
	struct cg *cg = cg_create(NULL, cgpath ? cgpath : path, want, 0, &err);
	if (!cg)
		mr_die_err(&err);

	/* 2. the limits, before any process is inside: nothing runs unlimited for a moment */
	if (cg_apply(cg, &res, &err) < 0) {
		struct mr_err rm = {0};
		cg_remove(cg, 2000, &rm);
		mr_die_err(&err);
	}

	fprintf(stderr, "run: cgroup %s (%s)\n", cg_path(cg), where(cg));

	/* 3. CMD, born inside the cgroup (clone3 CLONE_INTO_CGROUP, or moved before it runs) */
	fflush(NULL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = cg_clone(cg, 0, &err);
	if (child < 0) {
		struct mr_err rm = {0};
		cg_remove(cg, 2000, &rm);
		mr_die_err(&err);
	}
	if (child == 0) {
		signal(SIGPIPE, SIG_DFL); /* ignored signals stay ignored across exec */
		mr_say("exec %s inside %s", argv[optind], cg_path(cg));
		mr_exec(argv + optind);
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, forward);
	int status = mr_wait_exit(child);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	/* 4. what the kernel counted, then the cgroup goes (with anything CMD left behind) */
	report(cg, &res, status,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (cg_remove(cg, 5000, &err) < 0)
		mr_die_err(&err);
	cg_free(cg);
	return status < 0 ? MR_EXIT_RUNTIME : status;
}
