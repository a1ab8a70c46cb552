/*
 * minirun/oci/runtime.c - create, start, kill, delete, pause: the lifecycle (see runtime.h).
 *
 * create is the long one: it checks the whole config before anything exists, then makes
 * things in an order that it can undo (state directory, exec.fifo, cgroup, the child), and
 * undoes all of it if any later step fails. The container's own setup runs in the child
 * (init.c), which is born inside its cgroup; this side writes its uid/gid maps, runs the
 * runtime's hooks and records the state once the child says it is ready.
 *
 * "Wait for start" is a FIFO, as runc's exec.fifo: the init holds its read end and polls
 * it; `start` opens the write end without blocking (ENXIO tells it the init is gone) and
 * writes one byte, then removes the FIFO: its absence is what "running" means. A second
 * FIFO, start.fifo, carries the answer back: the init holds it open (close-on-exec) and
 * writes there why a startContainer hook failed; `start` reads it to its end, which comes
 * when the init has executed process.args or died, so `start` fails when the hook did.
 *
 * See: runtime-spec runtime.md "Lifecycle"; mkfifo(3), fifo(7); pidfd_open(2),
 *      pidfd_send_signal(2).
 */
#include "minirun/oci/runtime.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "minirun/oci/cgstep.h"
#include "minirun/oci/cgstep_res.h"
#include "minirun/oci/init.h"
#include "minirun/oci/setup.h"
#include "ns/ns.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Everything create has made so far, so that a failure can take it all back. */
struct made {
	const char *root, *id;
	bool dir;
	char *cgroup;
	pid_t child, init;
	int lock;
	bool hooks_began; /* the prestart hooks were reached: a failure from here on runs
			     the poststop hooks once the container is destroyed */
};

static void undo(struct made *m)
{
	if (m->init > 0) {
		kill(m->init, SIGKILL);
		/* the init is not our child when it runs in a new pid namespace: wait by pidfd */
		int pfd = (int)syscall(SYS_pidfd_open, m->init, 0);
		if (pfd >= 0) {
			struct pollfd p = {pfd, POLLIN, 0};
			poll(&p, 1, 5000);
			close(pfd);
		}
		waitpid(m->init, NULL, WNOHANG);
	}
	if (m->child > 0) {
		kill(m->child, SIGKILL);
		waitpid(m->child, NULL, 0);
	}
	if (m->cgroup)
		cgstep_remove(m->cgroup, NULL);
	if (m->dir)
		state_remove_dir(m->root, m->id, NULL);
	free(m->cgroup);
	if (m->lock >= 0)
		close(m->lock);
}

/* Open the namespaces the config joins by path, so a bad path fails before any fork. */
static int open_ns_paths(const struct spec *s, int *fds, struct mr_err *err)
{
	for (size_t i = 0; i < s->nns; i++) {
		fds[i] = -1;
		if (!s->ns[i].path)
			continue;
		fds[i] = open(s->ns[i].path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			return spec_bad(s, err, "linux.namespaces", "path '%s': %s", s->ns[i].path,
					strerror(errno));
	}
	return 0;
}

void ctr_create_ahead(json_t *devices)
{
	cgstep_host();
	if (devices)
		cgstep_devices_ahead(devices);
}

/* The config checks that need more than one field, before anything is made. */
static int check_spec(const struct spec *s, const struct ctr_create_opts *o, struct mr_err *err)
{
	/* No mount namespace: the spec lets the container share the caller's mount table. Then
	 * nothing is mounted at all (a mount would land in the caller's table, and stay there
	 * after the container): the root is entered by chroot, and every field that needs a
	 * mount is refused rather than applied to the caller's mounts. runc refuses maskedPaths
	 * and readonlyPaths the same way; it would make the other mounts in the caller's table,
	 * which minirun does not. */
	if (!spec_ns(s, CLONE_NEWNS)) {
		const char *field = s->nmounts         ? "mounts"
				    : s->nmasked       ? "linux.maskedPaths"
				    : s->nreadonly     ? "linux.readonlyPaths"
				    : s->ndevices      ? "linux.devices"
				    : s->root_ro       ? "root.readonly"
				    : s->proc.terminal ? "process.terminal"
				    : o->no_pivot      ? "--no-pivot"
						       : NULL;
		if (field)
			return spec_bad(s, err, "linux.namespaces",
					"no \"mount\" namespace, so %s can't be applied: it "
					"would change the caller's mounts; add {\"type\": "
					"\"mount\"} or leave %s out",
					field, field);
		mr_say("no mount namespace: no mounts, the root entered by chroot");
	}
	if (s->proc.terminal && !o->console_socket && o->console_fd < 0)
		return mr_fail(err, 0,
			       "process.terminal is true: give --console-socket, or set it "
			       "to false to pass stdio straight through");
	/* LSM fields: where the host enforces that LSM, ignoring the field would run the
	 * container with less confinement than asked, so it is refused; elsewhere there is
	 * nothing to apply it to, and it is accepted with a warning */
	if (s->proc.apparmor && *s->proc.apparmor) {
		if (access("/sys/kernel/security/apparmor", F_OK) == 0)
			return spec_bad(s, err, "process.apparmorProfile",
					"'%s' can't be applied: "
					"minirun has no AppArmor support",
					s->proc.apparmor);
		mr_warn("process.apparmorProfile '%s' ignored: this host has no AppArmor",
			s->proc.apparmor);
	}
	if (s->proc.selinux && *s->proc.selinux) {
		if (access("/sys/fs/selinux/enforce", F_OK) == 0)
			return spec_bad(s, err, "process.selinuxLabel",
					"can't be applied: minirun "
					"has no SELinux support");
		mr_warn("process.selinuxLabel ignored: this host has no SELinux");
	}
	return 0;
}

/* The maps the child asked for, written from outside its user namespace. */
static int write_maps(const struct spec *s, pid_t pid, struct mr_err *err)
{
	mr_say("write /proc/%d/uid_map and gid_map", (int)pid);
	if (geteuid() != 0 && ns_deny_setgroups(pid, err) < 0)
		return -1;
	if (ns_write_map(pid, "uid_map", s->uid_map, err) < 0 ||
	    ns_write_map(pid, "gid_map", s->gid_map, err) < 0) {
		mr_prefix(err, "linux.uidMappings/gidMappings: ");
		return -1;
	}
	return 0;
}

static char *state_text(const struct ctr_state *st)
{
	json_t *j = state_json(st);
	char *t = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return t;
}

/* The parent's half of the create protocol, once the child runs. */
static int drive_child(const struct spec *s, const struct ctr_create_opts *o, struct made *m,
		       int sock, bool direct, struct ctr_state *st, struct mr_err *err)
{
	struct sync_msg msg;
	sync_send(sock, SYNC_GO, 0, NULL);
	if (s->ns_new & CLONE_NEWUSER) {
		if (sync_expect(sock, SYNC_USERMAP, &msg, err) < 0 ||
		    write_maps(s, m->child, err) < 0)
			return -1;
		sync_send(sock, SYNC_USERMAP_OK, 0, NULL);
	}
	if (direct) {
		m->init = m->child; /* cloned straight into its namespaces: it is the init */
		m->child = 0;
	} else {
		if (sync_expect(sock, SYNC_PID, &msg, err) < 0)
			return -1;
		m->init = msg.pid;
		waitpid(m->child, NULL, 0);
		m->child = 0;
		sync_send(sock, SYNC_GO, 0, NULL);
	}
	st->pid = m->init;
	st->start_time = mr_proc_start_time(m->init);
	snprintf(st->status, sizeof(st->status), "creating");
	/* the caller's work beside the init's setup (ctr_create_opts.while_init) */
	if (o->while_init && o->while_init(o->while_init_arg, err) < 0)
		return -1;
	if (!hooks_meet(s))
		return sync_expect(sock, SYNC_READY, &msg, err);
	if (sync_expect(sock, SYNC_HOOKS, &msg, err) < 0)
		return -1;
	m->hooks_began = true;
	_cleanup_free_ char *text = state_text(st);
	if (hooks_run(s, HOOK_PRESTART, text, err) < 0 ||
	    hooks_run(s, HOOK_CREATE_RUNTIME, text, err) < 0) {
		sync_send(sock, SYNC_ERR, 0, err->msg);
		return -1;
	}
	sync_send(sock, SYNC_HOOKS_OK, 0, text);
	return sync_expect(sock, SYNC_READY, &msg, err);
}

int ctr_create(const char *root, const struct ctr_create_opts *o, pid_t *pid, struct mr_err *err)
{
	char path[4096], now[64];
	struct made m = {.root = root, .id = o->id, .lock = -1};
	struct init_ctx c = {
		.fifo = -1, .start_err = -1, .lock = -1, .console = -1, .sync = -1, .o = o};
	struct ctr_state st = {0};
	struct seccomp_prog *filter = NULL;
	struct ctr_netns_ahead own = {.fd = -1}, *net = &own;
	struct cgstep_ahead devs = {.prog = -1};
	int sv[2] = {-1, -1}, rc = -1;

	/* the caller's namespace made ahead: used below, or closed (the struct stays its) */
	if (o->net_ahead)
		net = o->net_ahead; /* its thread writes there: not a copy */
	struct spec *s = NULL;
	if (state_check_id(o->id, err) == 0)
		s = spec_load_tree(o->bundle ? o->bundle : ".", o->config, o->config_text, err);
	if (!s) {
		netns_ahead_drop(net); /* the caller's, if any: it frees the struct */
		return -1;
	}
	c.s = s;
	c.net_fd = -1;
	for (size_t i = 0; i < SPEC_MAX_NS; i++)
		c.ns_fds[i] = -1;
	int joined = 0;
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].path)
			joined |= s->ns[i].flag;
	/* A new network namespace is the dearest kind to make: ~470 us for unshare(2) on this
	 * machine (the others 10-80 us; the kernel sets up a loopback device, the per-netns
	 * state of every protocol, its sysctl tables). Made by the clone, it sits on the
	 * critical path of every container, --network none included. So a thread makes it
	 * now, while this thread does the ~0.8 ms of work before the clone (the config's
	 * checks, the seccomp filter, state directory, FIFOs, the cgroup and its BPF device
	 * program, state.json); the init joins it by setns (init.c), which costs
	 * microseconds, and a config refused meanwhile has the thread joined and the
	 * namespace closed on the way out. A thread and not a child process: the
	 * namespace then comes back as an fd from /proc/thread-self/ns/net with no socket or
	 * wait, and unshare(CLONE_NEWNET) is allowed in a multithreaded process and moves only
	 * the calling thread. The namespace is the same as the clone's: owned by our user
	 * namespace, its sysctl defaults taken from our network namespace, and everything
	 * after (the init's net.* sysctls, hooks, exec and the monitor's veth, all through
	 * /proc/PID/ns/net) sees it once the init has joined it, before its first report.
	 * Not with a new or joined user namespace: a network namespace belongs to the user
	 * namespace its maker was in, and the container's must belong to the container's
	 * (its root administers it), which exists only once the child has made or joined it.
	 * run's monitor starts that thread sooner still, once it has mounted the rootfs, and
	 * hands it over (o->net_ahead): the same thread of the same process, so the same
	 * namespace in every respect but its age (and its lo, up), used only where it would
	 * have been made. Either thread also writes the net.* sysctls it was given (the
	 * config's own here), which the init then does not write again (net_sysctls). */
	if (!(s->ns_new & CLONE_NEWNET) || ((s->ns_new | joined) & CLONE_NEWUSER)) {
		netns_ahead_drop(net); /* the caller's, if any: not this container's kind */
	} else if (!net->running && net->fd < 0) {
		net->sysctl = json_incref(s->sysctl); /* the spec outlives the join */
		netns_ahead_start(net);
	} else {
		mr_say("the network namespace was made ahead by the caller");
	}
	cgstep_ahead_start(&devs, s); /* the device filter likewise (cgstep.h) */
	if (check_spec(s, o, err) < 0 || seccomp_prepare(s, root, &filter, err) < 0 ||
	    open_ns_paths(s, c.ns_fds, err) < 0)
		goto out;
	c.seccomp = filter;
	if (state_new_dir(root, o->id, err) < 0)
		goto out;
	m.dir = true;
	if ((m.lock = state_lock(root, o->id, err)) < 0)
		goto out;
	c.lock = m.lock;
	state_path(path, sizeof(path), root, o->id, "exec.fifo");
	if (mkfifo(path, 0600) < 0 ||
	    (c.fifo = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		mr_fail(err, errno, "make '%s'", path);
		goto out;
	}
	/* O_RDWR: a FIFO open for both never blocks, and keeps it open for start's reader */
	state_path(path, sizeof(path), root, o->id, "start.fifo");
	if (mkfifo(path, 0600) < 0 || (c.start_err = open(path, O_RDWR | O_CLOEXEC)) < 0) {
		mr_fail(err, errno, "make '%s'", path);
		goto out;
	}
	if (s->proc.terminal) {
		c.console = o->console_fd >= 0 ? o->console_fd
					       : console_connect(o->console_socket, err);
		if (c.console < 0)
			goto out;
	}
	if (cgstep_create(s, o->id, &devs, &m.cgroup, err) < 0)
		goto out;
	snprintf(st.id, sizeof(st.id), "%s", o->id);
	st.bundle = s->bundle;
	st.rootfs = s->rootfs;
	st.created = state_now(now, sizeof(now));
	st.cgroup = m.cgroup;
	st.annotations = s->annotations;
	st.owner = geteuid();
	st.hooks = STATE_HOOKS_KNOWN;
	for (int k = 0; k < HOOK_NKINDS; k++)
		if (s->hooks[k].n)
			st.hooks |= 1u << k;
	snprintf(st.status, sizeof(st.status), "creating");
	/* Recorded at once (status "creating", no pid yet): if this process is killed
	 * before the end, `delete` finds the cgroup to remove. The lock we hold keeps any
	 * delete out while we live. */
	if (state_save(root, &st, err) < 0)
		goto out;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		mr_fail(err, errno, "socketpair");
		goto out;
	}
	/* The common case needs one process, cloned straight into its new namespaces (but the
	 * cgroup one: it is made once the child is in its cgroup, so that the cgroup is its
	 * root). Joining a pid, user or time namespace, making a time namespace, or joining
	 * anything from a new user namespace needs the two-stage path of init.c. */
	c.direct = !(joined & (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWTIME)) &&
		   !(s->ns_new & CLONE_NEWTIME) && !(joined && (s->ns_new & CLONE_NEWUSER));
	/* the network namespace made ahead, when it was, is joined instead of made */
	c.net_fd = netns_ahead_join(net);
	net->used = c.net_fd >= 0;
	c.net_sysctl = net->used ? net->done : NULL;
	int flags = s->ns_new & ~CLONE_NEWCGROUP & ~(c.net_fd >= 0 ? CLONE_NEWNET : 0);
	/* born in its cgroup (cgstep_clone says why), so nothing moves it there later */
	m.child = cgstep_clone(m.cgroup, c.direct ? flags : 0, err);
	if (m.child < 0)
		goto out;
	if (m.child == 0) {
		close(sv[0]);
		c.sync = sv[1];
		init_main(&c);
	}
	close(sv[1]);
	sv[1] = -1;
	if (drive_child(s, o, &m, sv[0], c.direct, &st, err) < 0)
		goto out;
	if (state_save(root, &st, err) < 0)
		goto out;
	if (o->pid_file) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%d", (int)m.init);
		if (mr_replace_file(o->pid_file, buf, 0644, err) < 0)
			goto out;
	}
	*pid = m.init;
	m.init = 0;
	m.dir = false;
	free(m.cgroup);
	m.cgroup = NULL;
	rc = 0;
out:
	if (net->running || net->fd >= 0) /* a failure before the clone: joined all the same */
		c.net_fd = netns_ahead_join(net);
	if (net == &own) /* the caller's: ctr_netns_ahead_drop frees it */
		netns_ahead_free(&own);
	cgstep_ahead_drop(&devs);
	if (c.net_fd >= 0)
		close(c.net_fd);
	undo(&m);
	/* runtime.md "Lifecycle": a failing prestart, createRuntime or createContainer hook
	 * stops the container and the lifecycle goes on at its destruction, then the poststop
	 * hooks (whose failures only warn). runc does the same for any create that fails once
	 * the container's process exists. */
	if (rc < 0 && m.hooks_began && s->hooks[HOOK_POSTSTOP].n) {
		struct mr_err herr = {0};
		snprintf(st.status, sizeof(st.status), "stopped");
		st.cgroup = NULL; /* undo freed it, with the cgroup */
		_cleanup_free_ char *text = state_text(&st);
		if (hooks_run(s, HOOK_POSTSTOP, text, &herr) < 0)
			mr_warn("%s", herr.msg);
	}
	for (int i = 0; i < 2; i++)
		if (sv[i] >= 0)
			close(sv[i]);
	if (c.fifo >= 0)
		close(c.fifo);
	if (c.start_err >= 0)
		close(c.start_err);
	if (c.console >= 0 && c.console != o->console_fd)
		close(c.console);
	for (size_t i = 0; i < SPEC_MAX_NS; i++)
		if (c.ns_fds[i] >= 0)
			close(c.ns_fds[i]);
	seccomp_prog_free(filter);
	spec_free(s);
	return rc;
}

/* Load the state under the lock; the caller closes *lock. */
static int load_locked(const char *root, const char *id, struct ctr_state *st, int *lock,
		       struct mr_err *err)
{
	if ((*lock = state_lock(root, id, err)) < 0)
		return -1;
	if (state_load(root, id, st, err) < 0) {
		close(*lock);
		*lock = -1;
		return -1;
	}
	return 0;
}

/* Whether the container's config may have hooks of KIND: what create recorded, or yes
 * when the state predates that record. */
static bool needs_hook(const struct ctr_state *st, int kind)
{
	return !(st->hooks & STATE_HOOKS_KNOWN) || (st->hooks & (1u << kind));
}

/* Read start.fifo to its end: the init's error when a startContainer hook failed (the
 * init then exits: the container is stopped), nothing when it executed process.args. */
static int read_answer(int fd, struct mr_err *err)
{
	char msg[sizeof(err->msg)];
	size_t len = 0;
	struct pollfd p = {fd, POLLIN, 0};
	for (;;) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return mr_fail(err, errno, "wait for the init's answer");
		}
		ssize_t n = read(fd, msg + len, sizeof(msg) - 1 - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0 || (len += (size_t)n) == sizeof(msg) - 1)
			break;
	}
	if (!len)
		return 0;
	msg[len] = '\0';
	return mr_fail(err, 0, "%s", msg);
}

int ctr_start(const char *root, const char *id, struct mr_err *err)
{
	char path[4096];
	struct ctr_state st;
	_cleanup_close_ int lock = -1;
	_cleanup_close_ int answer = -1;
	int rc = -1;
	if (load_locked(root, id, &st, &lock, err) < 0)
		return -1;
	if (strcmp(st.status, "created") != 0) {
		if (strcmp(st.status, "stopped") == 0)
			mr_fail(err, 0, "cannot start a container that has stopped");
		else
			mr_fail(err, 0, "cannot start an already running container (status %s)",
				st.status);
		goto out;
	}
	state_path(path, sizeof(path), root, id, "exec.fifo");
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENXIO)
			mr_fail(err, 0, "cannot start a container that has stopped");
		else
			mr_fail(err, errno, "open '%s'", path);
		goto out;
	}
	/* the init's answer: opened before the byte goes (a state from before start.fifo
	 * has none, and gets no answer) */
	state_path(path, sizeof(path), root, id, "start.fifo");
	answer = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	state_path(path, sizeof(path), root, id, "exec.fifo");
	mr_say("write a byte to exec.fifo: the init executes process.args");
	ssize_t n = write(fd, "0", 1);
	close(fd);
	if (n != 1) {
		mr_fail(err, errno, "write '%s'", path);
		goto out;
	}
	unlink(path);
	if (answer >= 0 && read_answer(answer, err) < 0)
		goto out;
	state_path(path, sizeof(path), root, id, "start.fifo");
	unlink(path);
	rc = 0;
	/* poststart hooks: a failure is a warning, the container runs on (runtime-spec).
	 * The config is read again only when it had some (or the state can't tell). */
	struct spec *s =
		st.bundle && needs_hook(&st, HOOK_POSTSTART) ? spec_load(st.bundle, NULL) : NULL;
	if (s && s->hooks[HOOK_POSTSTART].n) {
		struct mr_err herr = {0};
		snprintf(st.status, sizeof(st.status), "running");
		_cleanup_free_ char *text = state_text(&st);
		if (hooks_run(s, HOOK_POSTSTART, text, &herr) < 0)
			mr_warn("%s", herr.msg);
	}
	spec_free(s);
out:
	state_free(&st);
	return rc;
}

/* A pidfd for the container's init, checked to still be that process. */
static int init_pidfd(const struct ctr_state *st)
{
	int fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	/* the pid could have been reused between the state read and the open */
	if (fd >= 0 && mr_proc_start_time(st->pid) != st->start_time) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

int ctr_kill(const char *root, const char *id, int sig, bool all, struct mr_err *err)
{
	struct ctr_state st;
	int rc = -1;
	if (state_load(root, id, &st, err) < 0)
		return -1;
	if (strcmp(st.status, "stopped") == 0 || strcmp(st.status, "creating") == 0) {
		mr_fail(err, 0, "container not running");
		goto out;
	}
	if (all && st.cgroup && *st.cgroup) {
		rc = cgstep_kill(st.cgroup, sig, err);
		goto out;
	}
	int fd = init_pidfd(&st);
	if (fd < 0) {
		mr_fail(err, 0, "container not running");
		goto out;
	}
	mr_say("pidfd_send_signal(%d, %d)", (int)st.pid, sig);
	rc = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	if (rc < 0)
		mr_fail(err, errno, "kill %d", (int)st.pid);
	close(fd);
out:
	state_free(&st);
	return rc;
}

/* Kill the init with SIGKILL and wait (up to 10 s) until it is gone. */
static int kill_and_wait(const struct ctr_state *st, struct mr_err *err)
{
	int fd = init_pidfd(st);
	if (fd < 0)
		return 0; /* already gone */
	if (st->cgroup && *st->cgroup)
		cgstep_kill(st->cgroup, SIGKILL, NULL);
	syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	struct pollfd p = {fd, POLLIN, 0};
	int r = poll(&p, 1, 10000);
	close(fd);
	if (r <= 0)
		return mr_fail(err, ETIMEDOUT, "wait for pid %d to die", (int)st->pid);
	return 0;
}

int ctr_delete(const char *root, const char *id, bool force, struct mr_err *err)
{
	struct ctr_state st;
	_cleanup_close_ int lock = -1;
	int rc = -1;
	if (load_locked(root, id, &st, &lock, err) < 0)
		return -1;
	bool live = strcmp(st.status, "running") == 0 || strcmp(st.status, "paused") == 0;
	if (live && !force) {
		mr_fail(err, 0, "cannot delete container %s that is not stopped: %s", id,
			st.status);
		goto out;
	}
	if (strcmp(st.status, "stopped") != 0 && st.pid > 0) {
		if (strcmp(st.status, "paused") == 0)
			cgstep_freeze(st.cgroup, false, NULL);
		if (kill_and_wait(&st, err) < 0)
			goto out;
	}
	if (st.cgroup && *st.cgroup && cgstep_remove(st.cgroup, err) < 0)
		goto out;
	/* Why a state without a bundle still has a cgroup to look for: create makes the
	 * cgroup (a mkdir per hierarchy, then the device filter's bpf load, milliseconds)
	 * before its first state_save can name it, so a create killed in between leaves a
	 * state directory with no state.json and a cgroup nobody recorded. Only the default
	 * name can be guessed: a config's own cgroupsPath is its engine's to remove. */
	if (!st.bundle && cgstep_remove_unrecorded(id, err) < 0)
		goto out;
	struct spec *s =
		st.bundle && needs_hook(&st, HOOK_POSTSTOP) ? spec_load(st.bundle, NULL) : NULL;
	if (s && s->hooks[HOOK_POSTSTOP].n) {
		struct mr_err herr = {0};
		snprintf(st.status, sizeof(st.status), "stopped");
		_cleanup_free_ char *text = state_text(&st);
		if (hooks_run(s, HOOK_POSTSTOP, text, &herr) < 0)
			mr_warn("%s", herr.msg);
	}
	spec_free(s);
	rc = state_remove_dir(root, id, err);
out:
	state_free(&st);
	return rc;
}

int ctr_pause(const char *root, const char *id, bool pause, struct mr_err *err)
{
	struct ctr_state st;
	_cleanup_close_ int lock = -1;
	int rc = -1;
	if (load_locked(root, id, &st, &lock, err) < 0)
		return -1;
	const char *want = pause ? "running" : "paused";
	if (strcmp(st.status, want) != 0)
		mr_fail(err, 0, "container not %s", want);
	else if (!st.cgroup || !*st.cgroup)
		mr_fail(err, 0, "container %s has no cgroup to freeze", id);
	else
		rc = cgstep_freeze(st.cgroup, pause, err);
	state_free(&st);
	return rc;
}

int ctr_update(const char *root, const char *id, json_t *resources, struct mr_err *err)
{
	struct ctr_state st;
	_cleanup_close_ int lock = -1;
	int rc = -1;
	if (load_locked(root, id, &st, &lock, err) < 0)
		return -1;
	if (strcmp(st.status, "running") != 0 && strcmp(st.status, "paused") != 0)
		mr_fail(err, 0, "container not running");
	else if (!st.cgroup || !*st.cgroup)
		mr_fail(err, 0, "container %s has no cgroup to update", id);
	else {
		char *grown = NULL;
		rc = cgstep_update(st.cgroup, resources, NULL, &grown, err);
		if (grown) { /* a controller added: delete must find its directory too */
			free(st.cgroup);
			st.cgroup = grown;
			if (state_save(root, &st, err) < 0)
				rc = -1;
		}
	}
	state_free(&st);
	return rc;
}

int ctr_wait(pid_t pid, int *status)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}
