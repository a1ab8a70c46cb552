/*
 * ns/join.c - enter the namespaces of a running process and run a command there (nsenter).
 *
 * setns(2) moves the caller into an existing namespace, given an open file of it: either
 * /proc/PID/ns/TYPE of a process in it, or a file that one was bind-mounted onto to keep
 * the namespace alive with no process in it (`ip netns add` makes /run/netns/NAME so).
 * This is how `docker exec` and `runc exec` put a second process into a container.
 *
 *	$ ns/join -t uts,net 4242 -- hostname        the container's hostname
 *	$ ns/join --ns net=/run/netns/blue -- ip link
 *
 * Two surprises, both handled here:
 *   - joining a pid (or time) namespace moves only the children we fork afterwards, not
 *     us: our own pid can't change. So after setns(CLONE_NEWPID) we fork, and the child
 *     runs CMD while we wait and pass on its exit status;
 *   - the order matters: every file is opened before the first setns (after joining mnt,
 *     /proc/PID is looked up in the other mount table), user goes first (it grants the
 *     capabilities the others need), mnt last. ns_join() in ns/ns.c does this for PIDs;
 *   - joining a user namespace grants its capabilities but keeps our ids, so then we
 *     switch to its root (uid and gid 0), as nsenter does.
 *
 * See: setns(2), nsenter(1), namespaces(7), ioctl_ns(2) (NS_GET_NSTYPE).
 * Build and run: make ns/join && ns/join -v -t uts $$ -- hostname
 */
#include "lib/err.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ns/join [OPTIONS] PID [-- CMD [ARGS]]\n"
		"       ns/join [OPTIONS] --ns [TYPE=]FILE... [-- CMD [ARGS]]\n"
		"Enter the namespaces of process PID, or the namespace FILEs, and run CMD there\n"
		"(default /bin/sh).\n\n"
		"  -t TYPES              which of PID's namespaces: uts,pid,... (default all)\n"
		"  --ns [TYPE=]FILE      join the namespace FILE (/proc/PID/ns/net, /run/netns/X);\n"
		"                        with TYPE=, refuse a FILE of another type (repeatable)\n"
		"  -v                    narrate each step (=> ...)\n"
		"  -h                    show this help\n");
}

/* One --ns argument, opened and checked. */
struct ns_file {
	int fd;
	const struct ns_type *type;
	const char *path;
};

/* Open "[TYPE=]FILE" and learn its type from the kernel; die with one line if it is not a
 * namespace file, or not of TYPE. */
static struct ns_file open_ns_file(char *arg)
{
	struct mr_err err = {0};
	const struct ns_type *want = NULL;
	char *eq = strchr(arg, '=');
	if (eq) {
		*eq = '\0';
		if (!(want = ns_by_name(arg)))
			mr_diex(MR_EXIT_USAGE,
				"--ns %s=...: unknown namespace type '%s' (use cgroup, "
				"ipc, mnt, net, pid, time, user or uts)",
				arg, arg);
		arg = eq + 1;
	}
	int fd = open(arg, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		mr_die("--ns '%s'", arg);
	int flag = ns_fd_type(fd, &err);
	if (flag < 0)
		mr_diex(1, "--ns '%s': %s (use /proc/PID/ns/TYPE or a file bind-mounted from one)",
			arg, err.msg);
	const struct ns_type *t = ns_by_flag(flag);
	if (want && t != want)
		mr_diex(1, "--ns '%s' is a %s namespace, not %s", arg, t ? t->name : "unknown",
			want->name);
	mr_say("'%s' is a %s namespace", arg, t->name);
	return (struct ns_file){fd, t, arg};
}

/* setns into every opened file: user first, mnt last (see the header). Returns the flags. */
static int join_files(struct ns_file *files, int n)
{
	static const char *order[] = {"user", "cgroup", "ipc", "net", "pid", "time", "uts", "mnt"};
	int joined = 0;
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (int i = 0; i < n; i++) {
			if (strcmp(files[i].type->name, order[o]) != 0)
				continue;
			mr_say("setns('%s'): into its %s namespace", files[i].path,
			       files[i].type->name);
			if (setns(files[i].fd, files[i].type->flag) < 0)
				mr_die("setns('%s')", files[i].path);
			close(files[i].fd);
			joined |= files[i].type->flag;
		}
	return joined;
}

/*
 * become_root - after entering another user namespace, take its uid and gid 0, as nsenter
 * and `docker exec` do. setns() gave us every capability in it but left our ids alone, so
 * we would run as whatever our outside uid maps to (often nothing: the overflow uid 65534).
 * If 0 is not mapped there we keep the ids we have, and say so.
 */
static void become_root(void)
{
	if (setgroups(0, NULL) < 0) /* refused when the namespace denies setgroups: fine */
		mr_say("setgroups(0, NULL) refused (setgroups is deny there): groups kept");
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		mr_say("uid/gid 0 is not mapped in the joined user namespace: ids kept");
	else
		mr_say("setresgid(0) and setresuid(0): root of the joined user namespace");
}

/* Narrate, for each type, the namespace we are in and the one PID is in. */
static void say_targets(pid_t pid, int flags)
{
	for (const struct ns_type *t = ns_types; mr_verbose && t->name; t++) {
		if (!(flags & t->flag))
			continue;
		unsigned long there = ns_inode(pid, t, NULL), here = ns_inode(0, t, NULL);
		if (there && there == here)
			mr_say("%-6s %s:[%lu]: already there", t->name, t->name, here);
		else if (there)
			mr_say("%-6s %s:[%lu] -> %s:[%lu]", t->name, t->name, here, t->name, there);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {{"ns", required_argument, NULL, 'n'},
						 {"verbose", no_argument, NULL, 'v'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	static char *shell[] = {"/bin/sh", NULL};
	struct mr_err err = {0};
	struct ns_file files[16];
	int flags = 0, nfiles = 0, opt, joined;
	const char *types = NULL;

	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":t:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 't': types = optarg; break;
		case 'n':
			if (nfiles == (int)(sizeof(files) / sizeof(files[0])))
				mr_diex(MR_EXIT_USAGE, "too many --ns files");
			files[nfiles++] = open_ns_file(optarg);
			break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'ns/join -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'ns/join -h'",
				argv[optind - 1]);
		}
	}
	unsigned long userns_before = ns_inode(0, ns_by_name("user"), NULL);
	if (types && ns_parse_list(types, &flags, &err) < 0)
		mr_diex(MR_EXIT_USAGE, "-t: %s", err.msg);

	/* getopt moved the non-options behind the options, and "--" before them, so that
	 * `ns/join PID -t uts -- CMD` works as the synopsis says */
	int dashdash = strcmp(argv[optind - 1], "--") == 0;
	if (nfiles) {
		if (types)
			mr_diex(MR_EXIT_USAGE, "-t chooses among PID's namespaces; with --ns, say "
					       "TYPE=FILE instead");
		if (optind < argc && !dashdash)
			mr_diex(MR_EXIT_USAGE, "give a PID or --ns files, not both ('%s')",
				argv[optind]);
		joined = join_files(files, nfiles);
	} else {
		long long pid;
		if (optind >= argc)
			mr_diex(MR_EXIT_USAGE, "which process? give a PID (or --ns FILE); see -h");
		if (mr_parse_ll(argv[optind], 1, 1 << 30, &pid) < 0)
			mr_diex(MR_EXIT_USAGE, "PID '%s' is not a process ID (a number)",
				argv[optind]);
		if (++optind < argc && !dashdash)
			mr_diex(MR_EXIT_USAGE, "put '--' before the command ('%s')", argv[optind]);
		if (!flags)
			ns_parse_list("all", &flags, &err);
		say_targets((pid_t)pid, flags);
		if (ns_join((pid_t)pid, flags, &err) < 0)
			mr_die_err(&err);
		joined = flags;
	}
	if (ns_inode(0, ns_by_name("user"), NULL) != userns_before)
		become_root();
	char **cmd = optind < argc ? argv + optind : shell;

	if (!(joined & (CLONE_NEWPID | ns_by_name("time")->flag))) {
		mr_say("exec %s", cmd[0]);
		mr_exec(cmd);
	}
	/* setns(CLONE_NEWPID) set where our *children* go: fork one to be inside */
	mr_say("fork: only a child enters the pid/time namespace; it runs %s", cmd[0]);
	pid_t child = fork();
	if (child < 0)
		mr_die("fork");
	if (child == 0)
		mr_exec(cmd);
	int status = mr_wait_exit(child);
	if (status < 0)
		mr_die("waitpid %d", (int)child);
	return status;
}
