/*
 * ns/ipc.c - a new IPC namespace: System V IPC objects and POSIX message queues of its own.
 *
 * System V shared memory, message queues and semaphores are named by numeric keys and ids
 * that every process on the machine can guess, and POSIX message queues by "/names": an IPC
 * namespace gives each container its own set, so one cannot read another's queue. This
 * program creates one of each outside (a shm segment, a msg queue, a POSIX mq), looks for
 * them from a child in a new IPC namespace, and removes them again.
 *
 *	$ sudo ns/ipc
 *	outside: ipc:[4026531839]  shm id 7, msg queue id 3, mq /ns-ipc.4242  (1 shm, 1 msg in
 * /proc/sysvipc) inside:  ipc:[4026532310]  shm id 7: not found  msg queue id 3: not found  mq
 * /ns-ipc.4242: not found  (0 shm, 0 msg in /proc/sysvipc)
 *
 * What an IPC namespace does *not* isolate: POSIX shared memory (shm_open) and named
 * semaphores are plain files in the /dev/shm tmpfs, so a container needs its own /dev/shm
 * mount for those. Objects created inside live as long as the namespace does.
 *
 * See: ipc_namespaces(7), sysvipc(7), shmget(2), msgget(2), mq_overview(7), proc(5)
 *      (/proc/sysvipc).
 * Build and run: `make ns/ipc && sudo ./ns/ipc -v`.
 */
#include "lib/err.h"
#include "lib/proc.h"
#include "ns/ns.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ipc [-v] [-- CMD [ARGS...]]\n"
		"Create IPC objects outside, then an IPC namespace in a child that cannot see them.\n"
		"\n"
		"  -v, --verbose       narrate each system call on stderr\n"
		"  -h, --help          show this help\n"
		"  -- CMD [ARGS...]    run CMD inside (with a fresh /dev/mqueue when the host has\n"
		"                      one); the report then goes to stderr, with -v only\n");
}

static FILE *report; /* stdout without CMD, stderr with CMD and -v, else NULL (see ns/uts.c) */

/* the objects made outside; -1 / "" when not (yet) made */
static int shm_id = -1, msg_id = -1;
static char mq_name[64];

/* count - the number of objects /proc/sysvipc/FILE lists for this IPC namespace. */
static int count(const char *file)
{
	char path[64], line[512];
	int n = -1; /* the first line is a header */

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", file);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n < 0 ? 0 : n;
}

static unsigned long ipc_inode(void)
{
	struct mr_err err = {0};
	unsigned long ino = ns_inode(0, ns_by_name("ipc"), &err);
	if (!ino)
		mr_die_err(&err);
	return ino;
}

/* make_objects - create one SysV shm segment, one SysV msg queue and one POSIX mq.
 * Returns 0, or -1 after saying why (what was made is still recorded for cleanup). */
static int make_objects(void)
{
	mr_say("shmget(IPC_PRIVATE, 4096, 0600)");
	shm_id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (shm_id < 0) {
		mr_warn("shmget: %s", strerror(errno));
		return -1;
	}
	mr_say("msgget(IPC_PRIVATE, 0600)");
	msg_id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (msg_id < 0) {
		mr_warn("msgget: %s", strerror(errno));
		return -1;
	}
	snprintf(mq_name, sizeof(mq_name), "/ns-ipc.%d", (int)getpid());
	mr_say("mq_open(\"%s\", O_CREAT|O_EXCL)", mq_name);
	mqd_t q = mq_open(mq_name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, NULL);
	if (q == (mqd_t)-1) {
		mr_warn("mq_open '%s': %s", mq_name, strerror(errno));
		mq_name[0] = 0;
		return -1;
	}
	mq_close(q);
	return 0;
}

/* remove_objects - remove whatever make_objects made. */
static void remove_objects(void)
{
	mr_say("shmctl(IPC_RMID), msgctl(IPC_RMID), mq_unlink(\"%s\")", mq_name);
	if (shm_id >= 0 && shmctl(shm_id, IPC_RMID, NULL) < 0)
		mr_warn("remove shm id %d: %s", shm_id, strerror(errno));
	if (msg_id >= 0 && msgctl(msg_id, IPC_RMID, NULL) < 0)
		mr_warn("remove msg queue id %d: %s", msg_id, strerror(errno));
	if (mq_name[0] && mq_unlink(mq_name) < 0)
		mr_warn("remove mq '%s': %s", mq_name, strerror(errno));
}

/* look_inside - in the child: try each outside object by its id or name. */
static void look_inside(void)
{
	struct shmid_ds sd;
	struct msqid_ds md;
	int shm_seen = shmctl(shm_id, IPC_STAT, &sd) == 0;
	int msg_seen = msgctl(msg_id, IPC_STAT, &md) == 0;
	mqd_t q = mq_open(mq_name, O_RDONLY | O_CLOEXEC);

	if (q != (mqd_t)-1)
		mq_close(q);
	if (report)
		fprintf(report,
			"inside:  ipc:[%lu]  shm id %d: %s  msg queue id %d: %s  mq %s: %s  "
			"(%d shm, %d msg in /proc/sysvipc)\n",
			ipc_inode(), shm_id, shm_seen ? "FOUND" : "not found", msg_id,
			msg_seen ? "FOUND" : "not found", mq_name,
			q != (mqd_t)-1 ? "FOUND" : "not found", count("shm"), count("msg"));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, status = 1;
	struct stat st;
	sigset_t block, old;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'ipc -h'",
				argv[optind - 1]);
		}
	}
	char **cmd = optind < argc ? argv + optind : NULL;
	report = !cmd ? stdout : mr_verbose ? stderr : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the report in step with -v lines on stderr */

	/* The objects outlive this process unless removed: hold Ctrl-C and friends until
	 * they are (the child, and CMD, get them as usual). */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (make_objects() < 0)
		goto cleanup;
	if (report)
		fprintf(report,
			"outside: ipc:[%lu]  shm id %d, msg queue id %d, mq %s  "
			"(%d shm, %d msg in /proc/sysvipc)\n",
			ipc_inode(), shm_id, msg_id, mq_name, count("shm"), count("msg"));
	fflush(NULL);

	pid_t pid = fork();
	if (pid < 0) {
		mr_warn("fork: %s", strerror(errno));
		goto cleanup;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		mr_say("unshare(CLONE_NEWIPC|CLONE_NEWNS)");
		if (unshare(CLONE_NEWIPC | CLONE_NEWNS) < 0)
			mr_die("unshare(CLONE_NEWIPC|CLONE_NEWNS) (are you root?)");
		/* Like /proc and /sys, an mqueue filesystem shows the IPC namespace of whoever
		 * mounted it, so `ls /dev/mqueue` inside needs a fresh one, in a private mount
		 * namespace (private first: on a systemd host / is shared). */
		if (stat("/dev/mqueue", &st) == 0 && S_ISDIR(st.st_mode)) {
			mr_say("mount(\"/\", MS_REC|MS_PRIVATE), mount(\"mqueue\", \"/dev/mqueue\")");
			if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
				mr_die("mount --make-rprivate /");
			if (mount("mqueue", "/dev/mqueue", "mqueue",
				  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
				mr_die("mount mqueue on /dev/mqueue");
		}
		look_inside();
		fflush(NULL);
		if (cmd) {
			mr_say("execvp(\"%s\") in the new IPC namespace", cmd[0]);
			mr_exec(cmd);
		}
		return 0;
	}
	status = mr_wait_exit(pid);
	if (status < 0) {
		mr_warn("waitpid: %s", strerror(errno));
		status = 1;
	}
cleanup:
	remove_objects();
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}
