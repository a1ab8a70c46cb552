/*
 * ns/list.c - a process's namespaces, their inode numbers, and who else is in them (lsns).
 *
 * A namespace has no name: it is identified by the inode number of its file in
 * /proc/PID/ns/. Two processes are in the same network namespace exactly when
 * /proc/A/ns/net and /proc/B/ns/net have the same inode (ls -l shows it as net:[4026531840]).
 * So "which processes share this namespace" is a scan of every /proc/N/ns/TYPE, comparing
 * inodes - which is all lsns(8) does.
 *
 *	$ ns/list $$
 *	TYPE    INODE       NPROCS  PIDS
 *	cgroup  4026531835     112  1 2 3 4 5 6 7 8 9 10 ... (+102, -a shows all)
 *	...
 *
 * A process we may not inspect (another user's, when we are not root) is not counted;
 * a last line says how many there were.
 *
 * See: namespaces(7) ("The /proc/[pid]/ns/ directory"), lsns(8), proc(5).
 * Build and run: make ns/list && ns/list $$
 */
#include "lib/err.h"
#include "lib/file.h"
#include "ns/ns.h"

#include <ctype.h>
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SHOW_PIDS = 10 }; /* PIDs printed per namespace without -a */

struct ns_row {
	const struct ns_type *type;
	unsigned long inode;
	int nprocs;
	pid_t *pids; /* the processes in this namespace, in /proc order */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ns/list [OPTIONS] [PID]\n"
		"List the namespaces of PID (default: this process) with their inode numbers\n"
		"and the processes that share each of them.\n\n"
		"  -t TYPES   only these types (uts,pid,...; default all)\n"
		"  -a         print every PID, not only the first %d\n"
		"  -v         narrate each step (=> ...)\n"
		"  -h         show this help\n",
		SHOW_PIDS);
}

/* The inode of /proc/PID/ns/TYPE, or 0 when it can't be read (the process is gone, or is
 * another user's and we are not root). */
static unsigned long inode_of(pid_t pid, const struct ns_type *t)
{
	char path[64];
	struct stat st;
	if (stat(ns_proc_path(path, sizeof(path), pid, t), &st) < 0)
		return 0;
	return (unsigned long)st.st_ino;
}

/* Scan /proc once, adding each process to every row whose inode it shares.
 * Returns how many processes could not be inspected. */
static int scan_proc(struct ns_row *rows, int nrows)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int hidden = 0;

	if (!d)
		mr_die("opendir '/proc'");
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue; /* not a process: /proc/meminfo, /proc/self ... */
		pid_t pid = (pid_t)atoi(e->d_name);
		int seen = 0;
		for (int i = 0; i < nrows; i++) {
			unsigned long ino = inode_of(pid, rows[i].type);
			seen |= ino != 0;
			if (ino != rows[i].inode)
				continue;
			rows[i].pids = realloc(rows[i].pids, (rows[i].nprocs + 1) * sizeof(pid_t));
			if (!rows[i].pids)
				mr_die("realloc");
			rows[i].pids[rows[i].nprocs++] = pid;
		}
		hidden += !seen;
	}
	closedir(d);
	return hidden;
}

static void print_row(const struct ns_row *r, int all)
{
	int n = all || r->nprocs <= SHOW_PIDS ? r->nprocs : SHOW_PIDS;
	printf("%-7s %-11lu %6d ", r->type->name, r->inode, r->nprocs);
	for (int i = 0; i < n; i++)
		printf(" %d", (int)r->pids[i]);
	if (n < r->nprocs)
		printf(" ... (+%d, -a shows all)", r->nprocs - n);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct mr_err err = {0};
	struct ns_row rows[NS_NTYPES];
	int types = 0, all = 0, nrows = 0, opt;
	long long pid = 0;

	static const struct option longopts[] = {{"verbose", no_argument, NULL, 'v'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, "+:t:avh", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (ns_parse_list(optarg, &types, &err) < 0)
				mr_diex(MR_EXIT_USAGE, "-t: %s", err.msg);
			break;
		case 'a': all = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'ns/list -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'ns/list -h'",
				argv[optind - 1]);
		}
	}
	if (optind < argc && mr_parse_ll(argv[optind++], 1, 1 << 30, &pid) < 0)
		mr_diex(MR_EXIT_USAGE, "PID '%s' is not a process ID (a number like $$)",
			argv[optind - 1]);
	if (optind < argc)
		mr_diex(MR_EXIT_USAGE, "unexpected argument '%s'; see ns/list -h", argv[optind]);
	if (!pid)
		pid = getpid();

	/* Open each namespace file of PID first: ns_open says "no such process" clearly */
	for (const struct ns_type *t = ns_types; t->name; t++) {
		if (types && !(types & t->flag))
			continue;
		int fd = ns_open((pid_t)pid, t, &err);
		struct stat st;
		if (fd < 0)
			mr_die_err(&err);
		if (fstat(fd, &st) < 0)
			mr_die("fstat '/proc/%lld/ns/%s'", pid, t->name);
		close(fd);
		rows[nrows++] = (struct ns_row){t, (unsigned long)st.st_ino, 0, NULL};
		mr_say("/proc/%lld/ns/%s -> %s:[%lu] (%s)", pid, t->name, t->name,
		       (unsigned long)st.st_ino, t->what);
	}

	mr_say("scan /proc/*/ns/ for the same inodes");
	int hidden = scan_proc(rows, nrows);

	printf("%-7s %-11s %6s  %s\n", "TYPE", "INODE", "NPROCS", "PIDS");
	for (int i = 0; i < nrows; i++) {
		print_row(&rows[i], all);
		free(rows[i].pids);
	}
	if (hidden)
		printf("(%d process%s not counted: permission denied to read /proc/N/ns)\n", hidden,
		       hidden == 1 ? "" : "es");
	return 0;
}
