/*
 * cgroups/set.c - write limits into an existing cgroup, KEY=VALUE at a time.
 *
 * A limit is a line written into a file of the cgroup's directory; that is all `docker
 * update -m 32m` does. Keys are v2 file names; on a hybrid or legacy host the library
 * translates them for the v1 hierarchy that holds the controller (memory.max becomes
 * memory.limit_in_bytes). Memory values may be human sizes; each file is read back after
 * the write, so you see what the kernel made of it (it rounds memory to pages).
 *
 *	$ cgroups/set mr-lab memory.max=32m pids.max=20 cpu.max="50000 100000"
 *	memory.max = 33554432
 *	pids.max = 20
 *	cpu.max = 50000 100000
 *
 *	$ cgroups/set mr-lab cgroup.procs=$$      # move this shell in
 *
 * See: Documentation/admin-guide/cgroup-v2.rst ("Interface Files"), cgroups/cgroup.h.
 * Build and run: `make cgroups && cgroups/run -c mr-x -- sleep 60 & cgroups/set -v mr-x pids.max=5`.
 */
#include "cgroups/cgroup.h"
#include "lib/err.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: set [-v] PATH KEY=VALUE...\n"
		"Write each VALUE into the cgroup file KEY of cgroup PATH, then read it back.\n"
		"\n"
		"  PATH               a cgroup below ours (mr-x), absolute (/mr-x), or its directory\n"
		"  KEY=VALUE          memory.max=16m  memory.swap.max=0  pids.max=8  cpu.weight=50\n"
		"                     cpu.max='50000 100000'  io.max='8:0 wbps=1m'  cpuset.cpus=0\n"
		"                     cgroup.freeze=1  cgroup.procs=PID (moves PID in)\n"
		"  -v, --verbose      narrate every file written\n"
		"  -h, --help         show this help\n");
}

/* Keys whose values are byte counts, so that "16m" may be written for them */
static const char *const size_keys[] = {"memory.max", "memory.high", "memory.low",
					"memory.swap.max", NULL};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mr_err err = {0};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'set -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		mr_diex(MR_EXIT_USAGE, "need a PATH and at least one KEY=VALUE; see 'set -h'");
	/* check every argument before writing anything: a typo in the third leaves the
	 * first two unwritten rather than half-applied */
	char **values = calloc((size_t)argc, sizeof(char *));
	char(*num)[32] = calloc((size_t)argc, sizeof(*num)); /* sizes rewritten in bytes */
	if (!values || !num)
		mr_die("calloc");
	for (int i = optind + 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i])
			mr_diex(MR_EXIT_USAGE, "'%s' is not KEY=VALUE (like memory.max=16m)",
				argv[i]);
		*eq = '\0';
		values[i] = eq + 1;
		for (const char *const *k = size_keys; *k; k++) {
			int64_t bytes;
			if (strcmp(argv[i], *k))
				continue;
			if (cg_parse_size(values[i], &bytes, &err) < 0)
				mr_diex(MR_EXIT_USAGE, "%s: %s", argv[i], err.msg);
			values[i] = cg_format_max(bytes, num[i], sizeof(num[i]));
		}
	}
	mr_err_exit_code = MR_EXIT_RUNTIME;
	struct cg *cg = cg_open(NULL, argv[optind], &err);
	if (!cg)
		mr_die_err(&err);
	for (int i = optind + 1; i < argc; i++) {
		const char *key = argv[i], *value = values[i];
		char *now = NULL;
		if (cg_set(cg, key, value, &err) < 0)
			mr_die_err(&err);
		if (!strcmp(key, "cgroup.procs")) {
			printf("%s: moved %s in\n", key, value);
			continue;
		}
		if (cg_get(cg, key, &now, &err) == 0)
			printf("%s = %s\n", key, now);
		else
			printf("%s: written (it cannot be read back)\n", key);
		free(now);
	}
	cg_free(cg);
	free(values);
	free(num);
	return 0;
}
