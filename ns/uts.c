/*
 * ns/uts.c - a new UTS namespace: a hostname and NIS domain name of one's own.
 *
 * The UTS namespace ("UNIX Time-sharing System", after the struct utsname that uname(2)
 * fills) holds two strings: the hostname and the NIS domain name. A child process
 * unshares it, sets its own hostname, and the rest of the machine still sees the old one:
 * this is why `hostname` inside a container prints the container's name.
 *
 *	$ ns/uts -n box
 *	outside: hostname=myhost  domainname=(none)  uts:[4026531838]
 *	inside:  hostname=box     domainname=(none)  uts:[4026532301]
 *	outside, after the child's change: hostname=myhost (unchanged)
 *
 *	$ ns/uts -n box -- hostname        # CMD runs inside; its stdout is all you see
 *	box
 *
 * See: uts_namespaces(7), unshare(2), sethostname(2), setdomainname(2), uname(2).
 * Build and run: `make ns/uts && sudo ./ns/uts -v -n box`.
 */
#include "lib/err.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: uts [-v] [-n NAME] [-d DOMAIN] [-- CMD [ARGS...]]\n"
		"Create a UTS namespace in a child, set its hostname, and show both sides.\n"
		"\n"
		"  -n, --hostname NAME     hostname inside (default: a copy of the outside's)\n"
		"  -d, --domainname NAME   NIS domain name inside\n"
		"  -v, --verbose           narrate each system call on stderr\n"
		"  -h, --help              show this help\n"
		"  -- CMD [ARGS...]        run CMD inside; the report then goes to stderr, with -v only\n");
}

/* The report goes to stdout when there is no CMD, so a learner sees it; with a CMD the
 * command's own stdout must stay clean (`ns/uts -n box -- hostname` prints just "box"),
 * so the report moves to stderr and is shown only with -v. NULL means "say nothing". */
static FILE *report;

/* show - fill U with this side's view and print it: the two UTS strings and the
 * namespace's inode number. */
static void show(const char *side, struct utsname *u)
{
	struct mr_err err = {0};
	unsigned long ino = ns_inode(0, ns_by_name("uts"), &err);

	if (!ino)
		mr_die_err(&err);
	if (uname(u) < 0)
		mr_die("uname");
	if (report)
		fprintf(report, "%-8s hostname=%-10s domainname=%-10s uts:[%lu]\n", side,
			u->nodename, u->domainname, ino);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"hostname", required_argument, NULL, 'n'},
		{"domainname", required_argument, NULL, 'd'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *name = NULL, *domain = NULL;
	int c;

	opterr = 0; /* we print our own one-line message */
	while ((c = getopt_long(argc, argv, "+:n:d:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'd': domain = optarg; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'uts -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'uts -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	if (name && (!*name || strlen(name) > HOST_NAME_MAX))
		mr_diex(MR_EXIT_USAGE, "hostname '%s' must be 1 to %d characters", name,
			HOST_NAME_MAX);
	if (domain && strlen(domain) > 64)
		mr_diex(MR_EXIT_USAGE, "domain name '%s' is longer than 64 characters", domain);
	report = !cmd ? stdout : mr_verbose ? stderr : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */

	struct utsname before, inside, after;
	show("outside:", &before);
	fflush(NULL); /* or the child inherits unwritten output and prints it twice */

	/* Only the child enters the new namespace, so this process stays outside and can
	 * look at the hostname again once the child has changed its own. */
	pid_t pid = fork();
	if (pid < 0)
		mr_die("fork");
	if (pid == 0) {
		mr_say("unshare(CLONE_NEWUTS)");
		if (unshare(CLONE_NEWUTS) < 0)
			mr_die("unshare(CLONE_NEWUTS) (are you root?)");
		/* The new namespace starts as a copy of the old one's strings; changing them
		 * now changes only the copy. */
		if (name) {
			mr_say("sethostname(\"%s\")", name);
			if (sethostname(name, strlen(name)) < 0)
				mr_die("sethostname '%s'", name);
		}
		if (domain) {
			mr_say("setdomainname(\"%s\")", domain);
			if (setdomainname(domain, strlen(domain)) < 0)
				mr_die("setdomainname '%s'", domain);
		}
		show("inside:", &inside);
		fflush(NULL);
		if (cmd) {
			mr_say("execvp(\"%s\") inside the new UTS namespace", cmd[0]);
			mr_exec(cmd);
		}
		return 0;
	}

	int status = mr_wait_exit(pid);
	if (status < 0)
		mr_die("waitpid");
	if (uname(&after) < 0)
		mr_die("uname");
	if (report)
		fprintf(report, "outside, after the child's change: hostname=%s (%s)\n",
			after.nodename,
			strcmp(after.nodename, before.nodename) ? "CHANGED: the host was renamed!"
								: "unchanged");
	return status;
}
