/*
 * ns/container.c - a container in under 300 lines: every namespace at once, and a new root.
 *
 * Everything the other programs in ns/ show one at a time, together: clone(2) a child into
 * new uts, pid, mount, network, ipc and cgroup namespaces (and a user namespace with -U),
 * then, in the child, in this order:
 *
 *	1. make every mount private      nothing we mount may propagate back to the host
 *	2. bind ROOTFS onto itself       pivot_root wants the new root to be a mount point
 *	3. mount /proc, /sys, /dev       under ROOTFS, while the host's /dev is still there
 *	4. pivot_root(ROOTFS, ROOTFS/.mr-oldroot.N)   ROOTFS becomes "/", the old "/" moves
 *	5. umount2(old root, MNT_DETACH) and rmdir it  the host's files are gone for good
 *	6. sethostname, exec CMD         CMD is PID 1 of the new pid namespace
 *
 *	$ ns/container build/rootfs/busybox -- /bin/sh -c 'ls /; hostname; echo $$'
 *	bin dev etc home mnt proc root run sbin sys tmp usr var
 *	container
 *	1
 *
 * minirun's runtime does this too, plus cgroup limits, an overlay root, networking, dropped
 * capabilities and seccomp. When CMD exits, its pid and mount namespaces die with every
 * process and mount in them; the parent removes .mr-oldroot.N if the child could not. A
 * signal that ends ns/container (Ctrl-C, kill, even SIGKILL) takes the container along.
 *
 * See: pivot_root(2), mount_namespaces(7) (shared subtrees), clone(2), namespaces(7),
 *      "Linux containers in 500 lines" (contained.c), runc libcontainer/rootfs_linux.go.
 * Build and run: make ns/container rootfs && ns/container -v build/rootfs/busybox
 */
#include "lib/err.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct config {
	char rootfs[PATH_MAX];  /* absolute path of the new root */
	char oldroot[NAME_MAX]; /* ".mr-oldroot.PID" in rootfs, or "" to stack it on "." */
	const char *hostname;
	char **cmd;
	int flags;   /* CLONE_NEW* */
	int sync[2]; /* with -U: the child waits for EOF until the maps exist */
};

/* The file systems a container expects, mounted under the rootfs before pivot_root. */
static const struct mount_spec {
	const char *source, *target, *fstype;
	unsigned long flags;
	const char *data;
	int needs; /* mount only in a new namespace of this type (0: always) */
} mounts[] = {
	{"proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0},
	{"sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, CLONE_NEWNET},
	{"tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=64k", 0},
};
/* The signals that stop the container (see on_signal). */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
/* Device nodes bind-mounted from the host's /dev (a user namespace may not mknod). */
static const char *devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
static const char *dev_links[][2] = {{"fd", "/proc/self/fd"},
				     {"stdin", "/proc/self/fd/0"},
				     {"stdout", "/proc/self/fd/1"},
				     {"stderr", "/proc/self/fd/2"}};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ns/container [OPTIONS] ROOTFS [-- CMD [ARGS]]\n"
		"Run CMD (default /bin/sh) in new namespaces with ROOTFS as its root directory.\n\n"
		"  -n NAME     hostname inside (default: container)\n"
		"  -t TYPES    namespaces, mnt among them (default uts,pid,mnt,net,ipc,cgroup)\n"
		"  -U          add a user namespace, root inside = you outside (no root needed)\n"
		"  -v          narrate each step (=> ...)\n"
		"  -h          show this help\n");
}

/* Mount the table's file systems and /dev's nodes under the rootfs (our cwd). */
static void mount_filesystems(const struct config *c)
{
	char path[PATH_MAX];
	struct stat st;
	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		const struct mount_spec *m = &mounts[i];
		if (m->needs && !(c->flags & m->needs))
			continue;
		if (stat(m->target, &st) < 0 || !S_ISDIR(st.st_mode)) {
			mr_say("no /%s in the rootfs: %s not mounted", m->target, m->fstype);
			continue;
		}
		mr_say("mount %s on /%s", m->fstype, m->target);
		if (mount(m->source, m->target, m->fstype, m->flags, m->data) < 0)
			mr_die("mount %s on '%s/%s'", m->fstype, c->rootfs, m->target);
	}
	if (stat("dev", &st) < 0)
		return;
	mr_say("bind /dev/{null,zero,full,random,urandom,tty} from the host");
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		snprintf(path, sizeof(path), "/dev/%s", devices[i]); /* path + 1: ours, "dev/.." */
		int fd = open(path + 1, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0 || close(fd) < 0 || mount(path, path + 1, NULL, MS_BIND, NULL) < 0)
			mr_die("bind '%s' onto '%s%s'", path, c->rootfs, path);
	}
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
		snprintf(path, sizeof(path), "dev/%s", dev_links[i][0]);
		if (symlink(dev_links[i][1], path) < 0)
			mr_die("symlink '%s/%s'", c->rootfs, path);
	}
}

/* Steps 1-5 of the header: after this, "/" is the rootfs and the host's tree is gone. */
static void enter_rootfs(const struct config *c)
{
	/*
	 * Private first. A new mount namespace starts as a copy of ours, and on a systemd host
	 * "/" is shared: each copied mount stays in the host mount's peer group, so the
	 * bind, proc and tmpfs mounts below would appear on the host as well. MS_REC|MS_PRIVATE
	 * cuts every copy out of its peer group. pivot_root also refuses (EINVAL) a new root
	 * whose parent mount is shared.
	 */
	mr_say("mount --make-rprivate /");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		mr_die("make / private");
	mr_say("bind '%s' onto itself", c->rootfs);
	if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		mr_die("bind '%s' onto itself", c->rootfs);
	if (chdir(c->rootfs) < 0)
		mr_die("chdir '%s'", c->rootfs);
	/* Mount what the container needs before pivot_root, while the host's /dev is still
	 * reachable for the binds (and its /proc is visible: in a user namespace the kernel
	 * lets us mount proc only where a full proc is already mounted). */
	mount_filesystems(c);

	/* The old root goes to .mr-oldroot.N, or, when we could not make that directory (a
	 * read-only rootfs, or one we don't own), on top of the new root itself: "." (as runc
	 * does). Either way our cwd is still the new root, so the relative path finds it. */
	const char *old = c->oldroot[0] ? c->oldroot : ".";
	mr_say("pivot_root(., %s): the old root moves %s", old, c->oldroot[0] ? "there" : "on top");
	if (syscall(SYS_pivot_root, ".", old) < 0)
		mr_die("pivot_root('%s', '%s')", c->rootfs, old);
	/* MNT_DETACH: the old root is busy (our own open files), so detach it lazily */
	mr_say("umount2(%s, MNT_DETACH)%s", old, c->oldroot[0] ? " and rmdir it" : "");
	if (umount2(old, MNT_DETACH) < 0)
		mr_die("umount2 the old root '%s'", old);
	if (c->oldroot[0] && rmdir(old) < 0)
		mr_die("rmdir '%s'", old);
	if (chdir("/") < 0)
		mr_die("chdir /");
}

static volatile sig_atomic_t child_pid, stopped_by;

/* A signal that would end us (Ctrl-C, kill, hangup) ends the container first, so that we
 * still remove what we made; PR_SET_PDEATHSIG in the child covers a SIGKILL of ours. */
static void on_signal(int sig)
{
	stopped_by = sig;
	if (child_pid > 0)
		kill(child_pid, SIGKILL);
}

/* The child: PID 1 of the new pid namespace, in every new namespace. Never returns. */
static int child_main(void *arg)
{
	struct config *c = arg;
	char buf;

	/* If ns/container is killed (Ctrl-C, SIGTERM), take the container with it: as PID 1
	 * of its namespace the child ignores every signal it has no handler for, except a
	 * SIGKILL from outside, and this one comes from the kernel when our parent dies. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		mr_die("prctl(PR_SET_PDEATHSIG)");
	if (c->flags & CLONE_NEWUSER) {
		close(c->sync[1]);
		if (read(c->sync[0], &buf, 1) != 0) /* EOF: the parent wrote our maps */
			_exit(1);
	}
	enter_rootfs(c);
	if (c->flags & CLONE_NEWUTS) {
		mr_say("sethostname(%s)", c->hostname);
		if (sethostname(c->hostname, strlen(c->hostname)) < 0)
			mr_die("sethostname '%s'", c->hostname);
	}
	mr_say("exec %s as pid %d", c->cmd[0], (int)getpid());
	mr_exec(c->cmd);
}

int main(int argc, char **argv)
{
	static char *shell[] = {"/bin/sh", NULL};
	static struct config c = {.hostname = "container", .sync = {-1, -1}};
	struct mr_err err = {0};
	struct stat st;
	int opt;

	c.flags = CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC |
		  CLONE_NEWCGROUP;
	static const struct option longopts[] = {{"verbose", no_argument, NULL, 'v'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":n:t:Uvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n': c.hostname = optarg; break;
		case 't':
			if (ns_parse_list(optarg, &c.flags, &err) < 0)
				mr_diex(MR_EXIT_USAGE, "-t: %s", err.msg);
			break;
		case 'U': c.flags |= CLONE_NEWUSER; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE,
				"option '%s' needs an argument; see 'ns/container -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'ns/container -h'",
				argv[optind - 1]);
		}
	}
	if (optind >= argc)
		mr_diex(MR_EXIT_USAGE, "which root filesystem? give ROOTFS (try 'make rootfs' "
				       "and build/rootfs/busybox); see -h");
	const char *rootfs = argv[optind++];
	if (optind < argc && strcmp(argv[optind - 2], "--") != 0)
		mr_diex(MR_EXIT_USAGE, "put '--' before the command ('%s')", argv[optind]);
	c.cmd = optind < argc ? argv + optind : shell;
	if (!*c.hostname || strlen(c.hostname) > HOST_NAME_MAX)
		mr_diex(MR_EXIT_USAGE, "-n: hostname '%s' must be 1 to %d characters", c.hostname,
			HOST_NAME_MAX);
	if (!(c.flags & CLONE_NEWNS))
		mr_diex(MR_EXIT_USAGE, "-t: a container needs its own mount namespace: add mnt");
	if (geteuid() != 0 && !(c.flags & CLONE_NEWUSER))
		mr_diex(1, "creating namespaces needs root: run as root, or add -U for a user "
			   "namespace");
	if (!realpath(rootfs, c.rootfs))
		mr_die("rootfs '%s'", rootfs);
	if (stat(c.rootfs, &st) < 0 || !S_ISDIR(st.st_mode))
		mr_diex(1, "rootfs '%s' is not a directory (make one with 'make rootfs')", rootfs);

	/* The parent makes the old root's directory, so it can remove it whatever happens */
	snprintf(c.oldroot, sizeof(c.oldroot), ".mr-oldroot.%d", (int)getpid());
	char oldpath[PATH_MAX + NAME_MAX + 2];
	snprintf(oldpath, sizeof(oldpath), "%s/%s", c.rootfs, c.oldroot);
	if (mkdir(oldpath, 0700) < 0) {
		if (errno != EACCES && errno != EROFS && errno != EPERM)
			mr_die("mkdir '%s'", oldpath);
		mr_say("can't mkdir in '%s' (%s): the old root will be stacked on '.'", c.rootfs,
		       strerror(errno));
		c.oldroot[0] = '\0';
	}
	if ((c.flags & CLONE_NEWUSER) && pipe2(c.sync, O_CLOEXEC) < 0)
		mr_die("pipe");

	static char stack[1 << 20] __attribute__((aligned(16)));
	char names[128];
	mr_say("clone(CLONE_NEW* for %s, SIGCHLD): the child is PID 1 of the new pid namespace",
	       ns_list_names(c.flags, names, sizeof(names)));
	struct sigaction sa = {.sa_handler = on_signal};
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaction(stop_signals[i], &sa, NULL);
	pid_t pid = clone(child_main, stack + sizeof(stack), c.flags | SIGCHLD, &c);
	int status = 1;
	if (pid < 0) {
		mr_warn("clone: %s", strerror(errno));
		goto cleanup;
	}
	child_pid = pid;
	if (stopped_by) /* a signal came before we knew whom to pass it on to */
		kill(pid, SIGKILL);
	if (c.flags & CLONE_NEWUSER) {
		/* The child's maps are written from out here (ns/user.c); it waits as uid 65534 */
		close(c.sync[0]);
		mr_say("map root in the container to uid %u", (unsigned)geteuid());
		if (ns_map_root_to(pid, geteuid(), getegid(), &err) < 0) {
			mr_warn("%s", err.msg);
			kill(pid, SIGKILL);
		}
		close(c.sync[1]);
	}
	status = mr_wait_exit(pid); /* always reap the child, then say how it went */
	status = stopped_by ? 128 + stopped_by : err.msg[0] ? 1 : status;
cleanup:
	/* Normally the child removed it from inside; after a failure, we do */
	if (c.oldroot[0] && rmdir(oldpath) < 0 && errno != ENOENT)
		mr_warn("rmdir '%s': %s", oldpath, strerror(errno));
	return status;
}
