/*
 * cgroups/kill.c - kill every process of a cgroup at once, and wait until it is empty.
 *
 * Killing "a container" means killing every process in its cgroup, including the ones
 * that fork as fast as they can. Since Linux 5.14 one write does it: "1" into cgroup.kill
 * SIGKILLs the whole subtree, and forks racing with it are killed too. On older kernels
 * and v1 the library freezes the cgroup first (so that nothing forks away), signals each
 * pid in cgroup.procs, and thaws it. Then cgroup.events "populated 0" says it is empty.
 *
 *	$ cgroups/run -c mr-forks -- sh -c 'while :; do sleep 9 & done' &
 *	$ cgroups/kill mr-forks
 *	mr-forks: killed 312 processes; the cgroup is empty
 *
 * The cgroup itself stays (cgroups/run, which made it, removes it): this tool never
 * removes a cgroup it did not create.
 *
 * See: Documentation/admin-guide/cgroup-v2.rst ("cgroup.kill", "cgroup.events").
 * Build and run: `make cgroups && cgroups/kill -v PATH`.
 */
#include "cgroups/cgroup.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/sig.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kill [-v] [-s SIGNAL] [-t MS] PATH\n"
		"Send SIGNAL (default KILL) to every process of cgroup PATH and below; for KILL, wait\n"
		"until the cgroup is empty.\n"
		"\n"
		"  PATH               a cgroup below ours (mr-x), absolute (/mr-x), or its directory\n"
		"  -s, --signal SIG   KILL, TERM, INT, HUP, USR1, ... or a number\n"
		"  -t, --timeout MS   how long to wait for the cgroup to empty (default 5000)\n"
		"  -v, --verbose      narrate the files written and the kill(2) calls\n"
		"  -h, --help         show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"signal", required_argument, NULL, 's'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mr_err err = {0};
	long long timeout = 5000;
	int c, sig = SIGKILL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:s:t:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if ((sig = mr_sig_parse(optarg)) < 0)
				mr_diex(MR_EXIT_USAGE,
					"-s '%s' is not a signal (KILL, TERM, 9, ...)", optarg);
			break;
		case 't':
			if (mr_parse_ll(optarg, 1, 3600000, &timeout) < 0)
				mr_diex(MR_EXIT_USAGE,
					"-t '%s' is not a number of milliseconds (1..3600000)",
					optarg);
			break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'kill -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'kill -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		mr_diex(MR_EXIT_USAGE, "need exactly one cgroup PATH; see 'kill -h'");
	mr_err_exit_code = MR_EXIT_RUNTIME;
	struct cg *cg = cg_open(NULL, argv[optind], &err);
	if (!cg)
		mr_die_err(&err);
	pid_t *pids = NULL;
	size_t n = 0;
	if (cg_pids(cg, &pids, &n, &err) < 0)
		mr_die_err(&err);
	free(pids);
	if (cg_kill(cg, sig, &err) < 0)
		mr_die_err(&err);
	printf("%s: sent SIG%s to %zu process%s", argv[optind], sigabbrev_np(sig) ?: "?", n,
	       n == 1 ? "" : "es");
	if (sig == SIGKILL) {
		/* cgroup.kill returns at once; the tasks die on their way back to user space */
		struct timespec ts = {0, 5000000};
		long waited = 0;
		int pop;
		while ((pop = cg_populated(cg, &err)) > 0 && waited < timeout) {
			nanosleep(&ts, NULL);
			waited += 5;
		}
		if (pop < 0)
			mr_die_err(&err);
		printf(pop ? "; still not empty after %lld ms\n" : "; the cgroup is empty\n",
		       timeout);
		cg_free(cg);
		return pop ? 1 : 0;
	}
	putchar('\n');
	cg_free(cg);
	return 0;
}
