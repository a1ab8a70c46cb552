/*
 * ns/pid.c - a new PID namespace: PID 1, a fresh /proc, and what happens when PID 1 dies.
 *
 * A PID namespace numbers processes from 1 again. Three things surprise everyone:
 *
 *  1. unshare(CLONE_NEWPID) does not move the caller: a process's PID never changes. The
 *     new namespace is for the caller's *children*: the first child forked after it is PID 1
 *     there (/proc/self/ns/pid_for_children already names it, /proc/self/ns/pid does not).
 *  2. /proc shows the PID namespace of whoever mounted it. A fresh /proc must be mounted
 *     from inside, and in a new mount namespace, or `ps` on the host would see it too.
 *  3. PID 1 is the namespace's init: when it dies, the kernel SIGKILLs every other process
 *     in the namespace (--show-init-death shows it).
 *
 *	$ sudo ns/pid
 *	outside: pid=4242  pid:[4026531836]
 *	after unshare(CLONE_NEWPID): pid=4242 still, pid:[4026531836] still; pid_for_children:
 *	  (none until PID 1 is forked)
 *	inside:  pid=1  ppid=0  pid:[4026532310]  /proc lists 1 process(es)
 *	outside: pid_for_children:[4026532310] now; the child is pid 4243 here (NSpid: 4243 1)
 *
 *	$ sudo ns/pid -- sh -c 'echo $$'
 *	1
 *
 * See: pid_namespaces(7), unshare(2), mount_namespaces(7), proc(5) ("/proc/[pid]/status" NSpid).
 * Build and run: `make ns/pid && sudo ./ns/pid -v --show-init-death`.
 */
#include "lib/err.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pid [-v] [--show-init-death | -- CMD [ARGS...]]\n"
		"Create a PID namespace, fork its PID 1 with a fresh /proc, and show both sides.\n"
		"\n"
		"  --show-init-death   PID 1 starts a second process, then exits: watch the kernel\n"
		"                      kill the second one\n"
		"  -v, --verbose       narrate each system call on stderr\n"
		"  -h, --help          show this help\n"
		"  -- CMD [ARGS...]    run CMD as PID 1 inside; the report then goes to stderr, with -v only\n");
}

static FILE *report; /* stdout without CMD, stderr with CMD and -v, else NULL (see ns/uts.c) */

/* inode_of - the inode number of /proc/self/ns/NAME ("pid", "pid_for_children"): the
 * identity of that namespace as seen by the /proc mounted here. 0 when the link does not
 * resolve: pid_for_children does not until the new namespace has its PID 1. */
static unsigned long inode_of(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		mr_die("stat '%s'", path);
	}
	return (unsigned long)st.st_ino;
}

/* count_procs - how many processes the /proc mounted here lists (its numeric entries). */
static int count_procs(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		mr_die("opendir '/proc'");
	while ((e = readdir(d)))
		n += isdigit((unsigned char)e->d_name[0]) != 0;
	closedir(d);
	return n;
}

/* nspid - the "NSpid:" line of /proc/PID/status: the process's PID in each namespace from
 * the one /proc belongs to down to its own ("4243 1"). Into buf; "?" if unreadable. */
static char *nspid(pid_t pid, char *buf, size_t size)
{
	char path[64], *text = NULL, *line;
	struct mr_err err = {0};

	snprintf(buf, size, "?");
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (mr_read_file(path, &text, NULL, &err) == 0 && (line = strstr(text, "NSpid:\t")))
		snprintf(buf, size, "%.*s", (int)strcspn(line + 7, "\n"), line + 7);
	for (char *p = buf; *p; p++)
		if (*p == '\t')
			*p = ' ';
	free(text);
	return buf;
}

/* be_init - run as PID 1 of the new namespace: mount its /proc, report (with show_death,
 * start a second process first), signal `ready`, wait for `go` to close, then exec CMD or
 * exit. Never returns. */
static void be_init(char **cmd, int show_death, int ready, int go)
{
	/* A new mount namespace, so the /proc mounted below is ours alone. It starts as a copy
	 * of the caller's mounts, and on a systemd host those are *shared*: a mount on /proc
	 * here would propagate back and cover the host's /proc with one that sees only this
	 * namespace. Making everything private first cuts that link. */
	mr_say("unshare(CLONE_NEWNS)");
	if (unshare(CLONE_NEWNS) < 0)
		mr_die("unshare(CLONE_NEWNS)");
	mr_say("mount(\"/\", MS_REC|MS_PRIVATE)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		mr_die("mount --make-rprivate /");
	/* procfs shows the PID namespace of the process that mounts it: this one's. */
	mr_say("mount(\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC)");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		mr_die("mount proc on /proc");

	if (report)
		fprintf(report, "inside:  pid=%d  ppid=%d  pid:[%lu]  /proc lists %d process(es)\n",
			(int)getpid(), (int)getppid(), inode_of("pid"), count_procs());
	if (show_death) {
		pid_t second = fork();
		if (second < 0)
			mr_die("fork");
		if (second == 0) {
			for (;;)
				pause(); /* lives until someone kills it */
		}
		fprintf(report, "inside:  PID 1 started a second process, pid %d\n", (int)second);
	}
	fflush(NULL);
	/* Tell the parent we are set up, and wait until it has looked at us from outside. */
	char b = 1;
	if (write(ready, &b, 1) != 1 || read(go, &b, 1) < 0)
		mr_die("sync with the parent");
	if (cmd) {
		mr_say("execvp(\"%s\") as PID 1", cmd[0]);
		mr_exec(cmd);
	}
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"show-init-death", no_argument, NULL, 'D'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, show_death = 0, ready[2], go[2];
	char buf[64];

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'D': show_death = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'pid -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	if (cmd && show_death)
		mr_diex(MR_EXIT_USAGE, "--show-init-death takes no CMD; see 'pid -h'");
	report = !cmd ? stdout : mr_verbose ? stderr : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */

	if (report)
		fprintf(report, "outside: pid=%d  pid:[%lu]\n", (int)getpid(), inode_of("pid"));
	mr_say("unshare(CLONE_NEWPID)");
	if (unshare(CLONE_NEWPID) < 0)
		mr_die("unshare(CLONE_NEWPID) (are you root?)");
	/* We are not in the new namespace, and never will be: our PID cannot change. Only
	 * the children we fork from now on are born into it. */
	if (report)
		fprintf(report,
			"after unshare(CLONE_NEWPID): pid=%d still, pid:[%lu] still; "
			"pid_for_children: %s\n",
			(int)getpid(), inode_of("pid"),
			inode_of("pid_for_children") ? "?" : "(none until PID 1 is forked)");
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		mr_die("pipe");
	fflush(NULL);

	mr_say("fork() -> the child is PID 1 of the new namespace");
	pid_t child = fork();
	if (child < 0)
		mr_die("fork");
	if (child == 0) {
		close(ready[0]);
		close(go[1]);
		be_init(cmd, show_death, ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	char b;
	int up = read(ready[0], &b, 1) == 1; /* 0: the child died setting up, and said why */
	if (up && report)
		fprintf(report,
			"outside: pid_for_children:[%lu] now; the child is pid %d here "
			"(NSpid: %s)\n",
			inode_of("pid_for_children"), (int)child, nspid(child, buf, sizeof(buf)));

	pid_t second = 0;
	if (up && show_death) {
		/* Our /proc is the host's: it knows the second process by its host PID. */
		char path[64], *kids = NULL;
		struct mr_err err = {0};
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)child, (int)child);
		if (mr_read_file(path, &kids, NULL, &err) < 0)
			mr_die_err(&err);
		second = atoi(kids);
		free(kids);
		fprintf(report, "outside: the second process is pid %d here (NSpid: %s)\n",
			(int)second, nspid(second, buf, sizeof(buf)));
	}
	close(go[1]); /* lets PID 1 go on and exit */
	int status = mr_wait_exit(child);
	if (status < 0)
		mr_die("waitpid");

	if (up && show_death) {
		/* The dying init reaps the others before its own exit is reported, so by now
		 * the second process must be gone. */
		int gone = second > 0 && kill(second, 0) < 0 && errno == ESRCH;
		fprintf(report, "outside: PID 1 exited; pid %d is %s\n", (int)second,
			gone ? "gone too: the kernel SIGKILLed it when its namespace's init died"
			     : "STILL ALIVE (unexpected)");
		if (!gone && second > 0)
			kill(second, SIGKILL);
		return gone ? 0 : 1;
	}
	return status;
}
