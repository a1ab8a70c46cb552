/*
 * minirun/oci/init.c - the container's first process, from fork to exec: the order in one place.
 *
 * The create process forks a child that runs this file in two stages:
 *
 *  stage 1  (still in the host's pid namespace)
 *     join the namespaces given by path    user first: it grants the rights the others need
 *     unshare(CLONE_NEWUSER)               then the create process writes uid_map/gid_map:
 *                                          only a process outside may map host ids
 *     unshare(every other new namespace)   owned by the new user namespace; without one,
 *                                          a new network namespace was made ahead by a
 *                                          thread of the create process (runtime.c):
 *                                          setns into it instead
 *     fork()                               unshare(CLONE_NEWPID) moves only the *children*
 *                                          of the caller into the new pid namespace, so the
 *                                          container's init is this fork's child: pid 1
 *  stage 2  (the container's init)
 *     mounts: private tree, rootfs bind, config mounts, devices, console,
 *     sysctl, hostname, masked and read-only paths, createRuntime/createContainer hooks,
 *     pivot_root + detach the old root, rlimits, cwd;
 *     "ready": the create process writes state.json and exits;
 *     wait on exec.fifo until `start` writes to it;
 *     startContainer hooks, then the privilege drop, last privileged step first:
 *     seccomp (when it needs CAP_SYS_ADMIN) -> bounding set -> user -> capabilities ->
 *     no_new_privs -> seccomp (otherwise) -> close fds -> execve.
 *     (The drop comes before the wait, while the init is idle, when nothing after it
 *     needs the privileges: drop_before_wait says when.)
 *
 * See: namespaces(7), pid_namespaces(7), user_namespaces(7), runtime-spec runtime.md
 *      "Lifecycle"; "Linux containers in 500 lines" for the same order, smaller.
 */
#include "minirun/oci/init.h"
#include "lib/file.h"
#include "minirun/oci/setup.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1

/* Report ERR to the create process and end this process. */
static void __attribute__((noreturn)) fail(struct init_ctx *c, struct mr_err *err)
{
	if (sync_send(c->sync, SYNC_ERR, err->errnum, err->msg) < 0)
		fprintf(stderr, "minirun: %s\n", err->msg);
	_exit(MR_EXIT_RUNTIME);
}

/* Join every namespace given by path: user first, mount last (after it, paths resolve in
 * the other mount table). */
static int join_namespaces(struct init_ctx *c, struct mr_err *err)
{
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < c->s->nns; i++) {
			const struct spec_ns *n = &c->s->ns[i];
			int when = n->flag == CLONE_NEWUSER ? 0 : n->flag == CLONE_NEWNS ? 2 : 1;
			if (!n->path || when != pass)
				continue;
			mr_say("setns('%s')", n->path);
			if (setns(c->ns_fds[i], n->flag) < 0)
				return mr_fail(err, errno, "join namespace '%s'", n->path);
		}
	return 0;
}

static int time_offsets(const struct spec *s, struct mr_err *err)
{
	static const char *const clocks[] = {"monotonic", "boottime"};
	char buf[128];
	for (int i = 0; s->time_offsets && i < 2; i++) {
		json_t *o = json_object_get(s->time_offsets, clocks[i]);
		if (!o)
			continue;
		snprintf(buf, sizeof(buf), "%s %lld %lld", clocks[i],
			 (long long)json_integer_value(json_object_get(o, "secs")),
			 (long long)json_integer_value(json_object_get(o, "nanosecs")));
		if (mr_write_file("/proc/self/timens_offsets", buf, err) < 0)
			return -1;
	}
	return 0;
}

/* Join the new network namespace the create process made ahead, if it did. */
static int join_new_net(struct init_ctx *c, struct mr_err *err)
{
	if (c->net_fd < 0)
		return 0;
	mr_say("setns(the new network namespace made ahead)");
	if (setns(c->net_fd, CLONE_NEWNET) < 0)
		return mr_fail(err, errno, "join the new network namespace");
	close(c->net_fd);
	c->net_fd = -1;
	return 0;
}

/* In a new user namespace: have the create process write our uid/gid maps (we can't: only
 * a process outside may map more than its own id), then become the mapped root, so that
 * the files we create belong to the container's root. Exits on failure, as the stages do. */
static void become_mapped_root(struct init_ctx *c)
{
	struct mr_err err = {0};
	struct sync_msg m;
	sync_send(c->sync, SYNC_USERMAP, 0, NULL);
	if (sync_expect(c->sync, SYNC_USERMAP_OK, &m, &err) < 0)
		_exit(MR_EXIT_RUNTIME);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
		mr_fail(&err, errno,
			"become root in the new user namespace (is container id 0 mapped?)");
		fail(c, &err);
	}
}

/* Stage 1: namespaces, then fork the init. Returns in the child (the init); the parent
 * side reports the child's pid and exits. */
static void stage1(struct init_ctx *c)
{
	struct mr_err err = {0};
	struct sync_msg m;
	const struct spec *s = c->s;

	if (sync_expect(c->sync, SYNC_GO, &m, &err) < 0)
		_exit(MR_EXIT_RUNTIME);
	if (join_namespaces(c, &err) < 0)
		fail(c, &err);
	if (s->ns_new & CLONE_NEWUSER) {
		mr_say("unshare(CLONE_NEWUSER)");
		if (unshare(CLONE_NEWUSER) < 0) {
			mr_fail(&err, errno, "unshare(CLONE_NEWUSER)");
			fail(c, &err);
		}
		become_mapped_root(c);
	}
	int flags = s->ns_new & ~CLONE_NEWUSER & ~(c->net_fd < 0 ? 0 : CLONE_NEWNET);
	if (join_new_net(c, &err) < 0)
		fail(c, &err);
	mr_say("unshare(0x%x: the new namespaces)", flags);
	if (flags && unshare(flags) < 0) {
		mr_fail(&err, errno, "unshare(the new namespaces 0x%x)", flags);
		fail(c, &err);
	}
	if ((flags & CLONE_NEWTIME) && time_offsets(s, &err) < 0)
		fail(c, &err);
	pid_t pid = fork();
	if (pid < 0) {
		mr_fail(&err, errno, "fork the container's init");
		fail(c, &err);
	}
	if (pid == 0) {
		/* wait until the create process has our pid: messages from the two of us on
		 * one socket must not cross */
		if (sync_expect(c->sync, SYNC_GO, &m, &err) < 0)
			_exit(MR_EXIT_RUNTIME);
		return;
	}
	sync_send(c->sync, SYNC_PID, pid, NULL);
	_exit(0);
}

/* Stage 1 when create cloned us straight into the new namespaces: we are the init
 * already. What remains: the uid/gid maps, the namespaces joined by path (none of them
 * pid, user or time), and the cgroup namespace, made only now that the create process has
 * put us in the container's cgroup. */
static void stage1_direct(struct init_ctx *c)
{
	struct mr_err err = {0};
	struct sync_msg m;
	const struct spec *s = c->s;

	if (sync_expect(c->sync, SYNC_GO, &m, &err) < 0)
		_exit(MR_EXIT_RUNTIME);
	if (s->ns_new & CLONE_NEWUSER)
		become_mapped_root(c);
	if (join_new_net(c, &err) < 0 || join_namespaces(c, &err) < 0)
		fail(c, &err);
	if ((s->ns_new & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
		mr_fail(&err, errno, "unshare(CLONE_NEWCGROUP)");
		fail(c, &err);
	}
}

/* The terminal: a pty from the container's devpts, its master sent away, its slave our
 * stdio and controlling terminal, and /dev/console. */
static int setup_console(struct init_ctx *c, int rootfd, struct mr_err *err)
{
	int master, slave;
	if (console_open(&c->s->proc, rootfd, &master, &slave, err) < 0 ||
	    dev_console(rootfd, slave, err) < 0)
		return -1;
	if (console_send(c->console, master, err) < 0)
		return -1;
	close(master);
	close(c->console);
	c->console = -1;
	if (ioctl(slave, TIOCSCTTY, 0) < 0) /* a session leader already: before_pivot */
		return mr_fail(err, errno, "make the pty our controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return mr_fail(err, errno, "dup2 the pty onto fd %d", fd);
	if (slave > 2)
		close(slave);
	return 0;
}

/* Everything before pivot_root: mounts, devices, console, kernel settings, hooks. */
static int before_pivot(struct init_ctx *c, struct mr_err *err)
{
	const struct spec *s = c->s;
	struct sync_msg m;
	/* without a mount namespace nothing is mounted (runtime.c's check_spec refused every
	 * field that needs a mount): the caller's table stays as it is */
	bool mntns = spec_ns(s, CLONE_NEWNS) != NULL;
	int rootfd = mntns ? mnt_prepare_root(s, err) : -1;
	if (mntns && rootfd < 0)
		return -1;
	if (mntns && (mnt_config_mounts(s, rootfd, err) < 0 || dev_setup(s, rootfd, err) < 0))
		return -1;
	/* a session and process group of its own, with a terminal or without, as runc's init
	 * (its nsexec calls setsid for every container process): /proc/1/stat shows pgid 1 and
	 * sid 1, and the container's job control and group signals stay its own. Before the
	 * console: TIOCSCTTY needs a session leader */
	if (setsid() < 0)
		return mr_fail(err, errno, "setsid");
	if (s->proc.terminal && setup_console(c, rootfd, err) < 0)
		return -1;
	if (s->hostname && *s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return mr_fail(err, errno, "sethostname('%s')", s->hostname);
	if (s->domainname && *s->domainname &&
	    setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return mr_fail(err, errno, "setdomainname('%s')", s->domainname);
	/* sysctl and the oom score go through /proc before the read-only /proc/sys is made */
	if (proc_sysctl(s, c->net_sysctl, err) < 0 || proc_oom_score(&s->proc, err) < 0 ||
	    (mntns && mnt_mask_paths(s, rootfd, err) < 0))
		return -1;
	if (rootfd >= 0)
		close(rootfd);
	/* the namespaces and mounts exist: the runtime's createRuntime hooks run now, then
	 * ours (createContainer), both before pivot_root as the spec orders; without hooks
	 * the create process does not wait for this point (hooks_meet) */
	if (!hooks_meet(s))
		return 0;
	sync_send(c->sync, SYNC_HOOKS, 0, NULL);
	if (sync_expect(c->sync, SYNC_HOOKS_OK, &m, err) < 0)
		return -1;
	if (hooks_run(s, HOOK_CREATE_CONTAINER, m.text, err) < 0)
		return -1;
	snprintf(c->state, sizeof(c->state), "%s", m.text);
	return 0;
}

static int wait_for_start(int fifo)
{
	struct pollfd p = {fifo, POLLIN, 0};
	char byte;
	for (;;) {
		int r = poll(&p, 1, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (read(fifo, &byte, 1) == 1)
			break;
		/* a writer came and went without a byte: wait for the next */
		usleep(1000);
	}
	close(fifo);
	return 0;
}

/* The privileges the container's process runs with, the last privileged step first. */
static int drop_privileges(const struct init_ctx *c, struct mr_err *err)
{
	const struct spec_process *p = &c->s->proc;
	/* without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it while we have it */
	if (!p->no_new_privs && seccomp_install(c->seccomp, err) < 0)
		return -1;
	if (caps_bounding(p, err) < 0 || proc_user(p, err) < 0 || caps_apply(p, err) < 0)
		return -1;
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return mr_fail(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (p->no_new_privs && seccomp_install(c->seccomp, err) < 0)
		return -1;
	return 0;
}

/* Every call the init makes after an early drop, up to its execve: the wait (poll, read,
 * the pause between two writers, close), the fds' closing (close_range, or before Linux
 * 5.11 a walk of /proc/self/fd), --debug's stderr put back, an error's line and exit. Some
 * exist on some ABIs only (aarch64 has no poll, dup2 or plain fstat). */
static const long after_drop[] = {
#ifdef SYS_poll
	SYS_poll,
#endif
#ifdef SYS_ppoll
	SYS_ppoll,
#endif
#ifdef SYS_nanosleep
	SYS_nanosleep,
#endif
#ifdef SYS_fstat
	SYS_fstat,
#endif
#ifdef SYS_dup2
	SYS_dup2,
#endif
	SYS_read,      SYS_close,      SYS_clock_nanosleep, SYS_close_range,
	SYS_openat,    SYS_getdents64, SYS_fcntl,           SYS_newfstatat,
	SYS_dup3,      SYS_write,      SYS_exit_group,      SYS_execve,
};

/*
 * Whether the privileges go before the wait for `start`, not after it. The init is idle
 * from its "ready" until `start` (the monitor of `minirun run` meanwhile connects the
 * network and saves the record, ~0.5 ms), and the drop costs ~0.3 ms (the filter's load,
 * ~30 calls for the bounding set and the user): done in that idle time, it is off the path
 * from `start` to the container's exec. runc drops them before its wait too. Not when:
 *   - startContainer hooks are to run: after `start`, with the runtime's privileges
 *     (runtime.md "Lifecycle");
 *   - the filter might refuse a call the init still makes (a custom profile without
 *     poll(2), say): seccomp_allows runs the filter itself over after_drop's calls;
 *   - there is a user namespace: the container's user may differ from the one that made
 *     the process, which then stops being dumpable, and an unprivileged monitor could no
 *     longer open its /proc/PID/ns/net to connect the network.
 */
static bool drop_before_wait(const struct init_ctx *c)
{
	return !c->s->hooks[HOOK_START_CONTAINER].n && !spec_ns(c->s, CLONE_NEWUSER) &&
	       seccomp_allows(c->seccomp, after_drop, sizeof(after_drop) / sizeof(after_drop[0]));
}

void init_main(struct init_ctx *c)
{
	struct mr_err err = {0};
	const struct spec *s = c->s;
	const struct spec_process *p = &s->proc;
	char exe[4096];

	close(c->lock);
	if (c->direct)
		stage1_direct(c);
	else
		stage1(c);
	/* the init: pid 1 of a new pid namespace. Die with our parent's death? No: the create
	 * process exits on purpose while we wait for start. */
	if (!c->o->no_new_keyring)
		syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL); /* best effort */
	if (before_pivot(c, &err) < 0 || mnt_pivot(s, c->o->no_pivot, &err) < 0)
		fail(c, &err);
	if (s->personality >= 0 && personality((unsigned long)s->personality) < 0) {
		mr_fail(&err, errno, "linux.personality");
		fail(c, &err);
	}
	if (proc_rlimits(p, &err) < 0 || proc_chdir(p->cwd, &err) < 0 ||
	    proc_lookup(p->args[0], p->env, exe, sizeof(exe), &err) < 0)
		fail(c, &err);
	sync_send(c->sync, SYNC_READY, 0, NULL);
	close(c->sync);
	/* early or not, a failed drop is told after the wait, as it always was: the create
	 * succeeds and the start fails, with the same line and exit code */
	bool early = drop_before_wait(c);
	int dropped = early ? drop_privileges(c, &err) : 0, drop_errno = errno;

	if (wait_for_start(c->fifo) < 0) {
		perror("minirun: wait for start");
		_exit(MR_EXIT_RUNTIME);
	}
	/* startContainer sees the container as `state` would show it now: "created" (runc's
	 * init says the same), where createContainer saw "creating" */
	char *st = strstr(c->state, "\"status\":\"creating\"");
	if (st) { /* "creat|ing" -> "creat|ed": one byte shorter */
		st[15] = 'e';
		st[16] = 'd';
		memmove(st + 17, st + 18, strlen(st + 18) + 1);
	}
	if (hooks_run(s, HOOK_START_CONTAINER, c->state, &err) < 0) {
		/* runtime.md: the runtime errors and the container stops. `start` reads this
		 * and fails; exiting is the stop (delete then runs poststop) */
		if (write(c->start_err, err.msg, strlen(err.msg)) < 0)
			fprintf(stderr, "minirun: %s\n", err.msg);
		_exit(MR_EXIT_RUNTIME);
	}
	if (!early) {
		dropped = drop_privileges(c, &err);
		drop_errno = errno;
	}
	if (dropped < 0) {
		errno = drop_errno;
		goto die;
	}
	if (proc_close_fds(c->o->preserve_fds, &err) < 0)
		goto die;
	static char *const empty[] = {NULL};
	execve(exe, p->args, p->env ? p->env : empty);
	mr_fail(&err, errno, "exec '%s'", exe);
die:
	fprintf(stderr, "minirun: %s\n", err.msg);
	_exit(errno == ENOENT ? MR_EXIT_NOT_FOUND : MR_EXIT_CANNOT_EXEC);
}
