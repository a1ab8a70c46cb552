/*
 * cgroups/tree.c - a cgroup and its descendants as a tree, with controllers and limits.
 *
 * The cgroup hierarchy is a directory tree; this draws it the way `tree` would, and puts
 * on each line what a reader wants to know about that cgroup: how many processes are in
 * it, which controllers it has, and every limit that is not the default.
 *
 *	$ cgroups/tree /sys/fs/cgroup
 *	/ (unified)  procs 12  [cpu io memory pids]
 *	├── mr-lab  procs 0  [memory pids]
 *	│   └── job  procs 1  [memory pids]  memory.max=16.0M pids.max=8
 *	└── system.slice  procs 0  [cpu io memory pids]
 *
 * On a hybrid host the tree is the v2 one (it holds every process), and the controllers
 * and limits shown are those of the matching v1 directories.
 *
 * See: Documentation/admin-guide/cgroup-v2.rst ("Organizing Processes", "Controlling
 *      Controllers"), systemd-cgls(1) for the same idea.
 * Build and run: `make cgroups && cgroups/tree`.
 */
#include "cgroups/cgroup.h"
#include "lib/err.h"
#include "lib/file.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tree [-v] [-d DEPTH] [PATH]\n"
		"Draw cgroup PATH (default: our own) and the cgroups below it, with their process\n"
		"counts, controllers and limits.\n"
		"\n"
		"  PATH               a cgroup below ours (mr-x), absolute (/mr-x), or its directory\n"
		"  -d, --depth N      stop N levels down (default: all)\n"
		"  -v, --verbose      narrate detection\n"
		"  -h, --help         show this help\n");
}

/* The limits shown, and the value each has when nobody set it (not worth a mention). */
static const struct {
	const char *key, *dflt;
	bool size;
} limits[] = {
	{"memory.max", "max", true},      {"memory.high", "max", true}, {"pids.max", "max", false},
	{"cpu.max", "max 100000", false}, {"cpu.weight", "100", false}, {"io.max", "", false},
};

static struct cg_system sys;
static long long maxdepth = 1000000;

/* one line: NAME, procs, [controllers], limits */
static void describe(const char *dir, const char *name)
{
	struct mr_err err = {0};
	struct cg *cg = cg_open(&sys, dir, &err);
	char *procs = NULL, p[4200], buf[32];
	int n = 0;

	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	if (mr_read_file(p, &procs, NULL, NULL) == 0)
		for (char *s = procs; *s; s++)
			n += *s == '\n';
	free(procs);
	printf("%s  procs %d", name, n);
	if (!cg) {
		printf("  (%s)\n", err.msg);
		return;
	}
	printf("  [");
	unsigned bits = cg_controllers(cg);
	for (unsigned b = 1, first = 1; b < (1u << CG_NCONTROLLERS); b <<= 1)
		if (bits & b) {
			printf("%s%s", first ? "" : " ", cg_controller_name(b));
			first = 0;
		}
	putchar(']');
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		char *v = NULL;
		int64_t bytes;
		/* (v1 shows its default cpu.shares 1024 as weight 39: the conversion's wart) */
		if (cg_get(cg, limits[i].key, &v, NULL) == 0 && strcmp(v, limits[i].dflt) && *v &&
		    !(!strcmp(limits[i].key, "cpu.weight") && cg_mode(cg) != CG_UNIFIED &&
		      atoll(v) == cg_weight_from_shares(1024))) {
			if (limits[i].size && cg_parse_size(v, &bytes, NULL) == 0)
				printf("  %s=%s", limits[i].key,
				       cg_format_size(bytes, buf, sizeof(buf)));
			else
				printf("  %s=%s", limits[i].key, v);
		}
		free(v);
	}
	putchar('\n');
	cg_free(cg);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_cgroup_dir(const struct dirent *e)
{
	return e->d_type == DT_DIR && e->d_name[0] != '.';
}

/* draw the children of DIR, each line after PREFIX ("│   " per open level above) */
static void draw(const char *dir, const char *prefix, int depth)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, is_cgroup_dir, by_name);

	for (int i = 0; i < n; i++) {
		char sub[4096], pre[1024];
		bool last = i == n - 1;
		snprintf(sub, sizeof(sub), "%s/%s", dir, ents[i]->d_name);
		if (depth < maxdepth) {
			printf("%s%s", prefix, last ? "└── " : "├── ");
			describe(sub, ents[i]->d_name);
			snprintf(pre, sizeof(pre), "%s%s", prefix, last ? "    " : "│   ");
			draw(sub, pre, depth + 1);
		}
		free(ents[i]);
	}
	if (n > 0)
		free(ents);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"depth", required_argument, NULL, 'd'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mr_err err = {0};
	char own[2048];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (mr_parse_ll(optarg, 0, 1000, &maxdepth) < 0)
				mr_diex(MR_EXIT_USAGE, "-d '%s' is not a depth (0..1000)", optarg);
			break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'tree -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'tree -h'",
				argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		mr_diex(MR_EXIT_USAGE, "at most one cgroup PATH; see 'tree -h'");
	mr_err_exit_code = MR_EXIT_RUNTIME;
	if (cg_detect(&sys, &err) < 0)
		mr_die_err(&err);
	/* by default our own cgroup, in the tree that holds every process: v2 if mounted */
	if (sys.v2_mount[0])
		snprintf(own, sizeof(own), "%s%s", sys.v2_mount,
			 strcmp(sys.v2_own, "/") ? sys.v2_own : "");
	else
		snprintf(own, sizeof(own), "%s%s", sys.v1[0].mount,
			 strcmp(sys.v1[0].own, "/") ? sys.v1[0].own : "");
	struct cg *cg = cg_open(&sys, optind < argc ? argv[optind] : own, &err);
	if (!cg)
		mr_die_err(&err);
	const char *top = cg_dir(cg, NULL);
	char title[2100];
	snprintf(title, sizeof(title), "%s (%s)", cg_path(cg), cg_mode_name(sys.mode));
	describe(top, title);
	draw(top, "", 0);
	cg_free(cg);
	return 0;
}
