/*
 * minirun/containers/monitor_spawn.c - the starter's side of the monitor: how `start` and
 * `run` make the per-container monitor (monitor.c) and wait for its answer.
 *
 * The monitor must be nobody's child, have no terminal and outlive the command that
 * started it, and run from a sealed copy of minirun (monitor.c says why): a middle process
 * in a new session starts it and exits. The starter then waits on the socket between them
 * (monitor_proto.h) for "hello", then "running" or "failed"; a monitor that dies unheard
 * is reported with the note it left (monitor_note.c, the monitor's last words).
 *
 * See: clone(2) CLONE_VM, CLONE_VFORK; vfork(2); setsid(2); pidfd_open(2);
 *      minirun/oci/clone_exe.c (the sealed copy).
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/thread.h"
#include "minirun/oci/runtime.h"
#include "minirun/rootless/rootless.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/containers/monitor_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* the re-executed monitor's arguments (monitor_exec_main's), into argv[8]: ID, or for a
 * monitor spawned early MONITOR_EARLY_ID, as long as an ID (the monitor writes its
 * container's ID over it once told: monitor.c) */
static void monitor_argv(const char *root, const char *id, bool attach, char **argv)
{
	int n = 0;
	argv[n++] = "minirun";
	if (mr_verbose)
		argv[n++] = "-v";
	argv[n++] = "--root";
	argv[n++] = (char *)root;
	argv[n++] = "__monitor";
	argv[n++] = (char *)id;
	argv[n++] = attach ? "attach" : "detached";
	argv[n] = NULL;
}

/* why the monitor of C died unheard, into buf: its note, else SIGKILL's silence */
static void note_read(struct container *c, char *buf, size_t len)
{
	char path[4400];
	_cleanup_free_ char *text = NULL;
	if (mr_read_file(container_path(c, "monitor.err", path, sizeof(path)), &text, NULL, NULL) ==
		    0 &&
	    *text) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(buf, len, "%s", text);
		return;
	}
	snprintf(buf, len,
		 "killed by SIGKILL (it left no note, and no other signal ends it "
		 "without one)");
}

/*
 * How the monitor comes to be nobody's child: a middle process in a new session starts it
 * and exits, so it is the init's (or the nearest subreaper's). The monitor must then
 * execute a sealed copy of minirun (the top of this file), so the two processes between
 * the starter and that exec only run a few system calls each: spawn_monitor starts them
 * as vfork(2) does, sharing the starter's memory (CLONE_VM | CLONE_VFORK, each on a stack
 * of its own), with no copy of the starter's page tables and no copy-on-write faults
 * after; the starter waits, suspended, until the monitor has executed (or failed to).
 * They write nothing of the starter's but their stacks, SPAWN and errno, and call nothing
 * that takes a lock the suspended thread could hold: system calls, and clone_exe_reexec's
 * (its -v lines go to unbuffered stderr). (The early monitor's spawner is a thread of a
 * starter that goes on meanwhile: see "The early monitor" below.) Why every signal
 * is blocked across the spawn: a handler run in a child would run on the starter's
 * memory (the children have their own table of handlers, but the same globals); the
 * exec resets the handlers, and the monitor unblocks its signals once it runs.
 * fork_monitor is the way with two forks, for a starter that already runs from a sealed
 * copy: its monitor goes on without an exec (monitor_main).
 */
struct spawn {
	int sock;    /* the monitor's end of the starter's socket */
	char **argv; /* monitor_exec_main's */
	char *stack; /* the monitor's stack (the middle's is below it) */
	size_t half; /* each stack's size */
	struct mr_err err;
};

/* the monitor before its exec: fd 3 the starter's socket, nothing else but stdio */
static int spawned_monitor(void *arg)
{
	struct spawn *sp = arg;
	if (sp->sock != 3) {
		dup2(sp->sock, 3); /* without FD_CLOEXEC: it crosses the exec */
		close(sp->sock);
	} else {
		fcntl(3, F_SETFD, 0);
	}
	syscall(SYS_close_range, 4U, ~0U, 0U);
	clone_exe_reexec(sp->argv, &sp->err); /* returns only on failure */
	monitor_tell(3, N_FAILED, 0, &sp->err);
	_exit(1);
}

/* the middle process: a new session, the monitor in it, then gone */
static int spawn_middle(void *arg)
{
	struct spawn *sp = arg;
	setsid();
	pid_t m = clone(spawned_monitor, sp->stack + 2 * sp->half, CLONE_VM | CLONE_VFORK | SIGCHLD,
			sp);
	_exit(m < 0);
}

/* the middle process and the monitor, as vfork(2) would (above); the middle's pid (gone
 * by the time this returns, to be reaped), or -1 with errno */
static pid_t spawn_monitor(const char *root, const char *id, bool attach, const int sv[2])
{
	char *argv[8];
	struct spawn sp = {.sock = sv[1], .argv = argv, .half = 256 * 1024};
	monitor_argv(root, id, attach, argv);
	sp.stack = mmap(NULL, 2 * sp.half, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	pid_t a = -1;
	int e = errno;
	if (sp.stack != MAP_FAILED) {
		if (strcmp(id, MONITOR_EARLY_ID) != 0)
			mr_say("exec a sealed copy of minirun as the monitor of %.12s", id);
		else
			mr_say("exec a sealed copy of minirun as the monitor of the container to come");
		sigset_t all, old;
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, &old);
		a = clone(spawn_middle, sp.stack + sp.half, CLONE_VM | CLONE_VFORK | SIGCHLD, &sp);
		e = errno; /* shared with the children: what clone left, when it failed */
		sigprocmask(SIG_SETMASK, &old, NULL);
		munmap(sp.stack, 2 * sp.half);
	}
	errno = e;
	return a;
}

/* The copy's /proc/self/exe is no longer beside minirun-init: MINIRUN_INIT says where it
 * is, set for the spawn (the children share our memory, environ included); true when it
 * was set here, for init_env_unset after the exec. Set and unset by the main thread only:
 * a setenv beside another thread's getenv is a race. */
static bool init_env_set(void)
{
	const char *init = container_init_path();
	return init && !getenv("MINIRUN_INIT") && setenv("MINIRUN_INIT", init, 1) == 0;
}

static void init_env_unset(bool set)
{
	if (set)
		unsetenv("MINIRUN_INIT");
}

/* the middle process and the monitor by two forks (a starter already sealed) */
static pid_t fork_monitor(struct container *c, bool attach, const int sv[2])
{
	pid_t a = fork();
	if (a == 0) {
		/* the middle process: a new session, then the monitor, then gone, so that the
		 * monitor is nobody's child but the init's (or the nearest subreaper's) */
		close(sv[0]);
		setsid();
		pid_t mpid = fork();
		if (mpid == 0) {
			/* the monitor keeps the socket (as fd 3) and stdio, nothing else of
			 * ours: a caller's pipe held open there would never see EOF */
			if (sv[1] != 3) {
				dup2(sv[1], 3);
				close(sv[1]);
			}
			syscall(SYS_close_range, 4U, ~0U, 0U);
			c->lockfd = -1; /* closed: our copy keeps the lock */
			monitor_main(c, attach, 3);
		}
		_exit(mpid < 0);
	}
	return a;
}

/*
 * The early monitor. `run` spends ~1.5 ms making the container (its record, directories,
 * name, volumes) before the monitor is due, and the monitor's start costs about as much
 * again: the exec of the sealed copy, the dynamic loader, minirun's own start. So run
 * starts the monitor first (monitor_prespawn), as `minirun __monitor MONITOR_EARLY_ID`: it
 * executes and loads on the second CPU while the client makes the container, then waits on
 * its socket. Even its spawn is off the client's path: a thread of the client (the
 * spawner) runs spawn_monitor, whose vfork-like clone suspends only that thread until the
 * exec, and the client joins it when it hands over. A thread and not a fork: a fork copies
 * the client's page tables, and then every page either of the two writes is copied at its
 * first write (~0.4 ms in all, most of it on the client's path). What the vfork-like
 * children share with the client's other thread is safe as spawn_monitor's comment says
 * it is for a suspended starter: they write only their own stacks, the spawner's struct
 * and its errno (the spawner's thread-local storage, which they inherit), and environ is
 * changed by the main thread only, before the thread starts and after it is joined.
 * monitor_spawn hands it the container's ID (N_GO), and from there all goes
 * as for a monitor spawned late: the same spawn (new session, sealed copy), the same lock
 * protocol (the starter holds the lock; the monitor opens the container only once told),
 * the same answers. A create that fails closes the socket instead (monitor_prespawn_cancel,
 * or the client's exit, or its death at any step): the monitor reads the end and exits
 * having made nothing, as it knows no container to make anything for.
 */
static struct {
	int sock;         /* the starter's end, -1: no monitor waits */
	int sv1;          /* the monitor's end: the spawner passes it on, then closes it */
	pthread_t thread; /* the spawner (monitor_prespawn), to be joined */
	pid_t mid;        /* what spawn_monitor returned: the middle process, or -1 */
	bool attach;      /* its argv's attach|detached */
	bool env_set;     /* MINIRUN_INIT set for it (init_env_set) */
	const char *root;
} early = {.sock = -1};

static void *spawner(void *arg)
{
	(void)arg;
	/* only the fields the main thread leaves alone until it has joined us */
	int sv[2] = {-1, early.sv1};
	early.mid = spawn_monitor(early.root, MONITOR_EARLY_ID, early.attach, sv);
	close(early.sv1);
	return NULL;
}

void monitor_prespawn(const char *root, bool attach)
{
	int sv[2];
	/* a sealed starter forks its monitor with the container in memory: no early one */
	if (early.sock >= 0 || clone_exe_is_sealed() ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	/* Not spawn_monitor's vfork-like start here, which would hold us until the monitor
	 * has executed (~0.9 ms: the sealed copy made, a 6 MB binary mapped): the spawner
	 * thread waits for that on the second CPU while we make the container. It runs with
	 * every signal blocked, so that ours are handled on this thread, as before, and begins
	 * on the other CPU: left to the kernel it often began on ours, behind us, and the
	 * monitor's start is the longer of the two paths to the ID (lib/thread.h). */
	early.sock = sv[0];
	early.sv1 = sv[1];
	early.attach = attach;
	early.root = root;
	early.mid = -1;
	early.env_set = init_env_set();
	int e = mr_thread_start(&early.thread, spawner, NULL); /* lib/thread.h */
	if (e != 0) {
		init_env_unset(early.env_set);
		close(sv[0]); /* monitor_spawn will try again, and say why it could not */
		close(sv[1]);
		early.sock = -1;
	}
}

/* join the spawner (it ends once the monitor has executed), then reap the middle process:
 * its wait status, non-zero when the middle process or the monitor could not be forked */
static int early_reap(void)
{
	int status = 0;
	pthread_join(early.thread, NULL);
	init_env_unset(early.env_set);
	if (early.mid < 0)
		return 1 << 8; /* as a middle that exited 1 */
	while (waitpid(early.mid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

void monitor_prespawn_cancel(void)
{
	if (early.sock >= 0) {
		close(early.sock);
		early_reap();
	}
	early.sock = -1;
}

/*
 * rootfs_ahead - the container's rootfs mounted by run's client, the monitor's first step.
 * The early monitor is still starting when the client has made the container: it reaches
 * `main` ~0.2 ms later, and its ID's first step ~0.6 ms later (its exec, the loader,
 * glibc's probe of the CPU), while the client only waits. So the client mounts the overlay
 * meanwhile (~0.25 ms), in the mount namespace the two share, before it sends the ID; the
 * monitor finds merged/ mounted (bundle_rootfs_mounted) and goes on. Best effort: a mount
 * that fails is the monitor's to make again and report, as it always was. Root with the
 * kernel's overlay only, and not --userns=auto (idmapped layers): those the monitor mounts
 * itself. A client killed after it (the step "rootfs") leaves a mount `rm -f` unmounts.
 */
static void rootfs_ahead(const struct container *c)
{
	char run[4096];
	struct mr_err err = {0};
	struct bundle_rootfs fs = container_rootfs(c, run, sizeof(run));
	container_userns_rootfs(c, &fs);
	if (fs.map_size || rootless_active())
		return;
	if (bundle_rootfs_mount(&fs, &err) < 0)
		mr_say("the monitor mounts the rootfs: %s", err.msg);
	container_step("rootfs");
}

/* hand the early monitor, when there is one for C and ATTACH, C's ID: its socket (sv[0]),
 * the middle's wait status in *mid; -1 when there is none (then none is left either) */
static int early_go(const struct container *c, bool attach, int *mid)
{
	int fd = early.sock;
	early.sock = -1;
	if (fd < 0)
		return -1;
	*mid = early_reap();
	if (early.attach != attach || strcmp(early.root, c->root) != 0) {
		close(fd);
		return -1;
	}
	rootfs_ahead(c);
	struct notice go = {.what = N_GO};
	snprintf(go.text, sizeof(go.text), "%s", c->id);
	/* a monitor dead meanwhile: the send may fail, the recv of its hello says so */
	send(fd, &go, sizeof(go), MSG_NOSIGNAL);
	return fd;
}

int monitor_spawn(struct container *c, bool attach, struct mr_err *err)
{
	int sv[2];
	struct notice n = {0};
	char path[4400], why[1500];
	/* the run directory, where the monitor's files go (a reboot may have emptied RUN) */
	if (rootfs_run_dir(c, err) < 0)
		return -1;
	unlink(container_path(c, "monitor.err", path, sizeof(path))); /* an earlier start's */
	int mid = 0;
	if ((sv[0] = early_go(c, attach, &mid)) < 0) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			return mr_fail(err, errno, "socketpair");
		fflush(NULL); /* nothing buffered may be written twice */
		bool sealed = clone_exe_is_sealed();
		bool set = !sealed && init_env_set();
		pid_t a = sealed ? fork_monitor(c, attach, sv)
				 : spawn_monitor(c->root, c->id, attach, sv);
		init_env_unset(set);
		if (a < 0) {
			close(sv[0]);
			close(sv[1]);
			return mr_fail(err, errno, "fork");
		}
		close(sv[1]);
		while (waitpid(a, &mid, 0) < 0 && errno == EINTR)
			;
	}
	ssize_t r = recv(sv[0], &n, sizeof(n), 0);
	if (r != (ssize_t)sizeof(n) || n.what != N_HELLO) {
		close(sv[0]);
		if (!WIFEXITED(mid) || WEXITSTATUS(mid) != 0) /* the middle process's fork */
			return mr_fail(err, 0, "the monitor of %.12s could not be forked", c->id);
		note_read(c, why, sizeof(why));
		return mr_fail(err, 0, "the monitor of %.12s died as it started: %s", c->id, why);
	}
	container_step("hello");
	/* the container's init inherits the socket until it executes, so the monitor's death
	 * would not close it: watch the monitor itself too */
	int pfd = (int)syscall(SYS_pidfd_open, n.pid, 0);
	/* ESRCH: it has already died and been reaped (a loaded machine can keep us from here
	 * for all its steps), and the init may hold the socket for good: no wait */
	bool gone = pfd < 0 && errno == ESRCH;
	struct pollfd p[2] = {{sv[0], POLLIN, 0}, {pfd, POLLIN, 0}};
	r = gone ? recv(sv[0], &n, sizeof(n), MSG_DONTWAIT) : -1;
	while (!gone) {
		if (poll(p, pfd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			r = recv(sv[0], &n, sizeof(n), MSG_DONTWAIT);
			break;
		}
		if (p[1].revents) {
			r = recv(sv[0], &n, sizeof(n), MSG_DONTWAIT);
			break;
		}
	}
	close(sv[0]);
	if (pfd >= 0)
		close(pfd);
	if (r == (ssize_t)sizeof(n) && n.what == N_RUNNING)
		return 0;
	if (r == (ssize_t)sizeof(n) && n.what == N_FAILED) {
		mr_fail(err, 0, "%s", n.text);
		err->errnum = n.errnum;
		return -1;
	}
	/* the pidfd said it ended: its note, if it left one, is written by then */
	note_read(c, why, sizeof(why));
	return mr_fail(err, 0, "the monitor of %.12s died before the container ran: %s", c->id,
		       why);
}
