/*
 * cgroups/freeze.c - stop every process of a cgroup where it stands, and let it go again.
 *
 * `docker pause` is this: write 1 into cgroup.freeze and wait until cgroup.events says
 * "frozen 1". Frozen tasks are not stopped with a signal (SIGSTOP could be seen, caught
 * by a debugger, or resumed by a stray SIGCONT): the kernel simply never schedules them
 * back to user space until thawed. Sleeping timers keep running; a frozen `sleep 1` ends
 * as soon as it is thawed. A hybrid host uses its v2 tree's cgroup.freeze; a legacy host
 * the v1 freezer (freezer.state FROZEN / THAWED).
 *
 *	$ cgroups/run -c mr-count -- sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/n; sleep 0.1; done' &
 *	$ cgroups/freeze mr-count          # /tmp/n stops changing
 *	mr-count: frozen
 *	$ cgroups/freeze --thaw mr-count   # and counts on
 *	mr-count: thawed
 *
 * See: Documentation/admin-guide/cgroup-v2.rst ("cgroup.freeze", "cgroup.events"),
 *      Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst.
 * Build and run: `make cgroups && cgroups/freeze -v PATH`.
 */
#include "cgroups/cgroup.h"
#include "lib/err.h"
#include "lib/file.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: freeze [-v] [--thaw] [--state] [-t MS] PATH\n"
		"Freeze every process of cgroup PATH (or thaw it), and wait until the kernel is done.\n"
		"\n"
		"  PATH               a cgroup below ours (mr-x), absolute (/mr-x), or its directory\n"
		"      --thaw         thaw instead (docker unpause)\n"
		"      --state        only print whether it is frozen\n"
		"  -t, --timeout MS   how long to wait for the kernel (default 5000)\n"
		"  -v, --verbose      narrate the files written and read\n"
		"  -h, --help         show this help\n");
}

int main(int argc, char **argv)
{
	enum { O_THAW = 256, O_STATE };
	static const struct option longopts[] = {
		{"thaw", no_argument, NULL, O_THAW},       {"state", no_argument, NULL, O_STATE},
		{"timeout", required_argument, NULL, 't'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	struct mr_err err = {0};
	bool thaw = false, state = false;
	long long timeout = 5000;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:vh", longopts, NULL)) != -1) {
		switch (c) {
		case O_THAW: thaw = true; break;
		case O_STATE: state = true; break;
		case 't':
			if (mr_parse_ll(optarg, 1, 3600000, &timeout) < 0)
				mr_diex(MR_EXIT_USAGE,
					"-t '%s' is not a number of milliseconds (1..3600000)",
					optarg);
			break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'freeze -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'freeze -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		mr_diex(MR_EXIT_USAGE, "need exactly one cgroup PATH; see 'freeze -h'");
	mr_err_exit_code = MR_EXIT_RUNTIME;
	struct cg *cg = cg_open(NULL, argv[optind], &err);
	if (!cg)
		mr_die_err(&err);
	if (!state && cg_freeze(cg, !thaw, (int)timeout, &err) < 0)
		mr_die_err(&err);
	int f = cg_frozen(cg, &err);
	if (f < 0)
		mr_die_err(&err);
	printf("%s: %s\n", argv[optind], f ? "frozen" : "thawed");
	cg_free(cg);
	return 0;
}
