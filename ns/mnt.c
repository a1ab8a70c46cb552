/*
 * ns/mnt.c - a new mount namespace: a private copy of the mount table, and propagation.
 *
 * unshare(CLONE_NEWNS) gives the caller a *copy* of its mount table: mounting or
 * unmounting in the copy does not touch the original... unless the copied mounts are
 * "shared". Mount propagation (Linux 2.6.15) links mounts into peer groups, and a mount
 * made under one peer appears under every other, even across namespaces:
 *
 *	private   no events in or out
 *	shared    events go both ways between the peers
 *	slave     events come in from the master, none go out
 *
 * systemd makes / shared at boot, so on most hosts a new mount namespace that is not made
 * private first leaks its mounts back into the host. That is why unshare(1), runc and this
 * program set the propagation of every mount (MS_REC) right after unshare.
 *
 * Without CMD this program shows it in a scratch directory /tmp/ns-mnt.XXXXXX that it
 * makes a shared mount (so both sides start as peers), then removes: the child mounts a
 * tmpfs on in/, the parent one on out/, and each side looks for the other's.
 *
 *	$ sudo ns/mnt --propagation slave
 *	...
 *	outside: the child's tmpfs on /tmp/ns-mnt.Xq1/in: not visible here
 *	inside:  the parent's tmpfs on /tmp/ns-mnt.Xq1/out: visible here
 *
 * See: mount_namespaces(7) ("Shared subtrees"), unshare(2), mount(2),
 *      Documentation/filesystems/sharedsubtree.rst, proc(5) (/proc/PID/mountinfo).
 * Build and run: `make ns/mnt && sudo ./ns/mnt -v --propagation shared`.
 */
#include "lib/err.h"
#include "lib/proc.h"
#include "ns/ns.h"

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
		"usage: mnt [-v] [--propagation private|shared|slave] [-- CMD [ARGS...]]\n"
		"Create a mount namespace in a child and show which mounts cross between the sides.\n"
		"\n"
		"  -p, --propagation MODE  private (default), shared or slave: set on every mount\n"
		"                          inside, recursively, right after unshare\n"
		"  -v, --verbose           narrate each system call on stderr\n"
		"  -h, --help              show this help\n"
		"  -- CMD [ARGS...]        run CMD inside; the report then goes to stderr, with -v only\n");
}

/* propagation mode name <-> mount(2) flag */
static const struct {
	const char *name;
	unsigned long flag;
	const char *flagname;
	const char *effect; /* what the demo shows */
} modes[] = {
	{"private", MS_PRIVATE, "MS_PRIVATE", "the two sides share nothing"},
	{"shared", MS_SHARED, "MS_SHARED", "each side sees the other's mounts"},
	{"slave", MS_SLAVE, "MS_SLAVE", "the outside's mounts come in, nothing inside goes out"},
};

static FILE *report; /* stdout without CMD, stderr with CMD and -v, else NULL (see ns/uts.c) */

/*
 * mountinfo - look PATH up in this process's mount table (/proc/self/mountinfo).
 * Returns 1 if PATH is a mount point (prop gets its optional fields, "shared:1 master:3"
 * or "" for private), 0 if not; *count (may be NULL) gets the number of mounts.
 */
static int mountinfo(const char *path, char *prop, size_t size, int *count)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int found = 0, n = 0;

	if (!f)
		mr_die("open '/proc/self/mountinfo'");
	while (fgets(line, sizeof(line), f)) {
		/* "36 35 98:0 /root /mnt rw,noatime shared:1 master:2 - ext3 /dev/root rw" */
		char mnt[4096];
		int off = 0;
		n++;
		if (sscanf(line, "%*s %*s %*s %*s %4095s %*s %n", mnt, &off) != 1 || !off)
			continue;
		if (path && strcmp(mnt, path) == 0) {
			found = 1; /* keep the last: a later mount on the same point covers earlier
				    */
			snprintf(prop, size, "%.*s", (int)strcspn(line + off, "-"), line + off);
			size_t l = strlen(prop);
			while (l && prop[l - 1] == ' ')
				prop[--l] = 0;
		}
	}
	fclose(f);
	if (count)
		*count = n;
	return found;
}

/* show - print one side's view: its mount namespace, the number of mounts, and the
 * propagation of / (and of the scratch dir S when given). */
static void show(const char *side, const char *s)
{
	char prop[256] = "";
	struct mr_err err = {0};
	unsigned long ino = ns_inode(0, ns_by_name("mnt"), &err);
	int n;

	if (!ino)
		mr_die_err(&err);
	mountinfo("/", prop, sizeof(prop), &n);
	if (!report)
		return;
	fprintf(report, "%-8s mnt:[%lu]  %d mounts  / is %s", side, ino, n,
		*prop ? prop : "private");
	if (s && mountinfo(s, prop, sizeof(prop), NULL))
		fprintf(report, "  %s is %s", s, *prop ? prop : "private");
	fputc('\n', report);
}

/* look - say whether the other side's tmpfs on PATH reached this side. */
static void look(const char *side, const char *whose, const char *path)
{
	char prop[256];
	int seen = mountinfo(path, prop, sizeof(prop), NULL);
	if (report)
		fprintf(report, "%-8s %s tmpfs on %s: %s\n", side, whose, path,
			seen ? "visible here" : "not visible here");
}

/* mount_tmpfs - mount a small tmpfs on PATH (narrated). 0, or -1 after saying why. */
static int mount_tmpfs(const char *path)
{
	mr_say("mount(\"ns-mnt\", \"%s\", \"tmpfs\", 0, \"size=64k\")", path);
	if (mount("ns-mnt", path, "tmpfs", 0, "size=64k") < 0) {
		mr_warn("mount tmpfs on '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* sync_step - write one byte to fd, then wait for one on fd2 (-1: don't wait). Returns
 * 0, or -1 when the other side went away. */
static int sync_step(int fd, int fd2)
{
	char b = 1;
	if (fd >= 0 && write(fd, &b, 1) != 1)
		return -1;
	if (fd2 >= 0 && read(fd2, &b, 1) != 1)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"propagation", required_argument, NULL, 'p'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, mode = 0, rc = 1, bound = 0, up[2], down[2];
	char s[] = "/tmp/ns-mnt.XXXXXX", in[64] = "", out[64] = "";
	sigset_t block, old;

	sigemptyset(&old);

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			for (mode = 0; mode < 3 && strcmp(optarg, modes[mode].name) != 0; mode++)
				;
			if (mode == 3)
				mr_diex(MR_EXIT_USAGE,
					"unknown propagation '%s' (use private, shared or slave)",
					optarg);
			break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'mnt -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'mnt -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	report = !cmd ? stdout : mr_verbose ? stderr : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */

	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(down, O_CLOEXEC) < 0)
		mr_die("pipe");
	if (!cmd) {
		/* From here until cleanup the host has our scratch mount: a Ctrl-C in between
		 * would leave it behind, so hold such signals until it is gone. */
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGHUP);
		sigaddset(&block, SIGQUIT);
		sigprocmask(SIG_BLOCK, &block, &old);
		if (!mkdtemp(s))
			mr_die("mkdtemp '%s'", s);
		snprintf(in, sizeof(in), "%s/in", s);
		snprintf(out, sizeof(out), "%s/out", s);
		if (mkdir(in, 0755) < 0 || mkdir(out, 0755) < 0) {
			mr_warn("mkdir in '%s': %s", s, strerror(errno));
			goto cleanup;
		}
		/* A bind mount of S on itself, made shared: a peer group of its own, so the demo
		 * behaves the same whether this host's / is private or shared. */
		mr_say("mount(\"%s\", \"%s\", MS_BIND) then mount(\"%s\", MS_SHARED)", s, s, s);
		if (mount(s, s, NULL, MS_BIND, NULL) < 0) {
			mr_warn("bind-mount '%s' (are you root?): %s", s, strerror(errno));
			goto cleanup;
		}
		bound = 1;
		if (mount(NULL, s, NULL, MS_SHARED, NULL) < 0) {
			mr_warn("make '%s' a shared mount: %s", s, strerror(errno));
			goto cleanup;
		}
	}
	show("outside:", cmd ? NULL : s);
	fflush(NULL);

	pid_t pid = fork();
	if (pid < 0) {
		mr_warn("fork: %s", strerror(errno));
		goto cleanup;
	}
	if (pid == 0) {
		if (!cmd)
			sigprocmask(SIG_SETMASK, &old, NULL);
		close(up[0]);
		close(down[1]);
		mr_say("unshare(CLONE_NEWNS)");
		if (unshare(CLONE_NEWNS) < 0)
			mr_die("unshare(CLONE_NEWNS) (are you root?)");
		/* The copy's mounts keep the propagation of the originals: shared ones are still
		 * peers of the host's. Set every mount's mode now, before mounting anything. */
		mr_say("mount(\"/\", MS_REC|%s)", modes[mode].flagname);
		if (mount(NULL, "/", NULL, MS_REC | modes[mode].flag, NULL) < 0)
			mr_die("mount --make-r%s /", modes[mode].name);
		show("inside:", cmd ? NULL : s);
		fflush(NULL);
		if (cmd) {
			mr_say("execvp(\"%s\") in the new mount namespace", cmd[0]);
			mr_exec(cmd);
		}
		if (mount_tmpfs(in) < 0)
			exit(1);
		if (sync_step(up[1], down[0]) < 0) /* parent: look at in/, mount out/ */
			exit(1);
		look("inside:", "the parent's", out);
		exit(0);
	}
	close(up[1]);
	close(down[0]);
	if (!cmd && sync_step(-1, up[0]) == 0) {
		look("outside:", "the child's", in);
		mount_tmpfs(out); /* on failure the child just sees nothing; cleanup follows */
		fflush(NULL);
		sync_step(down[1], -1);
	}
	rc = mr_wait_exit(pid);
	if (rc < 0)
		mr_die("waitpid");
	if (!cmd && report)
		fprintf(report, "propagation %s: %s\n", modes[mode].name, modes[mode].effect);
cleanup:
	if (!cmd) {
		/* MNT_DETACH takes S and everything below it (a propagated in/, out/) at once. */
		mr_say("umount2(\"%s\", MNT_DETACH), then remove it", s);
		if (bound && umount2(s, MNT_DETACH) < 0)
			mr_warn("umount '%s': %s", s, strerror(errno));
		rmdir(in);
		rmdir(out);
		if (rmdir(s) < 0 && errno != ENOENT)
			mr_warn("rmdir '%s': %s", s, strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	return rc;
}
