/*
 * ns/cgroup.c - a cgroup namespace: the process's own cgroup becomes "/".
 *
 * /proc/self/cgroup names the cgroup a process is in, as a path from the root of each
 * hierarchy ("0::/system.slice/foo.service" on cgroup v2). A cgroup namespace moves that
 * root: after unshare(CLONE_NEWCGROUP) the cgroup we are in is "/" and every path is
 * shown relative to it, so a container can't learn where on the host it was put, and a
 * cgroup2 mount made inside shows only its own subtree. Nothing moves: the process stays
 * in the same cgroup and under the same limits; only the view changes. Cgroups outside
 * our root show as "/.." paths.
 *
 *	$ ns/cgroup
 *	cgroup ns    cgroup:[4026531835] -> cgroup:[4026532290]
 *	/proc/self/cgroup outside:
 *	  0::/mr-demo
 *	/proc/self/cgroup inside:
 *	  0::/
 *
 * This program creates no cgroup: run it from a shell that is already in a child cgroup
 * to see a path turn into "/" (on a hybrid host the v1 lines show it anyway).
 *
 * See: cgroup_namespaces(7), cgroups(7), Documentation/admin-guide/cgroup-v2.rst
 *      ("Namespace").
 * Build and run: make ns/cgroup && ns/cgroup -v -- cat /proc/self/cgroup
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
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ns/cgroup [OPTIONS] [-- CMD [ARGS]]\n"
		"Create a cgroup namespace, show /proc/self/cgroup before and after, run CMD.\n\n"
		"  -U    create a user namespace first (root inside = you): no privilege needed\n"
		"  -v    narrate each step (=> ...); with CMD, print the report too\n"
		"  -h    show this help\n");
}

/* Print FILE (a /proc/PID/cgroup) to out, each line indented; "(unreadable)" if it can't. */
static void show_file(FILE *out, const char *title, const char *file)
{
	struct mr_err err = {0};
	char *text = NULL;
	fprintf(out, "%s:\n", title);
	if (mr_read_file(file, &text, NULL, &err) < 0) {
		fprintf(out, "  (%s)\n", err.msg);
		return;
	}
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		fprintf(out, "  %s\n", l);
	free(text);
}

int main(int argc, char **argv)
{
	struct mr_err err = {0};
	const struct ns_type *cg = ns_by_name("cgroup");
	int user = 0, opt;

	static const struct option longopts[] = {{"verbose", no_argument, NULL, 'v'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, "+:Uvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'U': user = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'ns/cgroup -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'ns/cgroup -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */
	FILE *report = !cmd ? stdout : mr_verbose ? stderr : NULL;
	uid_t uid = geteuid();
	gid_t gid = getegid();

	/* Read the outside view now: after unshare, /proc/self/cgroup answers from inside */
	char *before = NULL;
	if (mr_read_file("/proc/self/cgroup", &before, NULL, &err) < 0)
		mr_die_err(&err);
	unsigned long ino_out = ns_inode(0, cg, NULL);

	if (user) {
		/* A process may write its own one-line map right after unshare: it is mapping
		 * only the uid it already has, which grants nothing new (user_namespaces(7)). */
		mr_say("unshare(CLONE_NEWUSER), map root inside to uid %u", (unsigned)uid);
		if (unshare(CLONE_NEWUSER) < 0)
			mr_die("unshare(CLONE_NEWUSER)");
		if (ns_map_root_to(getpid(), uid, gid, &err) < 0)
			mr_die_err(&err);
	}
	/* Unlike pid, a cgroup namespace applies to the caller at once: no fork needed */
	mr_say("unshare(CLONE_NEWCGROUP): our current cgroup becomes the root");
	if (unshare(CLONE_NEWCGROUP) < 0) {
		if (errno == EPERM && uid != 0 && !user)
			mr_diex(1, "unshare(CLONE_NEWCGROUP): needs CAP_SYS_ADMIN: run as root, or "
				   "add -U for a user namespace");
		mr_die("unshare(CLONE_NEWCGROUP)");
	}

	if (report) {
		fprintf(report, "%-12s cgroup:[%lu] -> cgroup:[%lu]\n", "cgroup ns", ino_out,
			ns_inode(0, cg, NULL));
		fprintf(report, "/proc/self/cgroup outside:\n");
		for (char *s = NULL, *l = strtok_r(before, "\n", &s); l;
		     l = strtok_r(NULL, "\n", &s))
			fprintf(report, "  %s\n", l);
		show_file(report, "/proc/self/cgroup inside", "/proc/self/cgroup");
		show_file(report, "/proc/1/cgroup seen from inside (outside our root: /..)",
			  "/proc/1/cgroup");
	}
	free(before);
	if (!cmd)
		return 0;
	fflush(NULL);
	mr_say("exec %s", cmd[0]);
	mr_exec(cmd);
}
