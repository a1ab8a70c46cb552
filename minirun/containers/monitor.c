/*
 * minirun/containers/monitor.c - the per-container monitor: docker's daemon, one small
 * process per running container instead of one big one.
 *
 * `start` makes it in two steps (a middle process calls setsid, starts the monitor and
 * exits: monitor_spawn.c), so the monitor is no child of the command that started it, has
 * no terminal, and outlives it. The monitor is
 * PR_SET_CHILD_SUBREAPER: the container's init is its child, so it can wait for it and
 * record its exit code however the init ends. It records "PID STARTTIME" in monitor.pid,
 * so that any later `minirun` can tell a live monitor from a reused pid.
 *
 * One start of the container, in order (README.md, "The steps of run"):
 *
 *	mount      the overlay rootfs (bundle/rootfs.c)
 *	files      hostname (and --network host's resolv.conf)
 *	config     resolv.conf, hosts (dns_flags.c), the OCI config (container_oci_config)
 *	io         the stdio pipes or pty, the log, the attach socket (io_prepare)
 *	oci-create the OCI container (ctr_create): namespaces, cgroup, mounts; its init waits;
 *	           bundle/config.json written meanwhile (write_config_file)
 *	net        networks connected, ports published (container_net_up)
 *	running    the record says running
 *	start      ctr_start: exec the process; then the starter is told (it returns). For
 *	           run -t without -d it is told first, and its client attaches before this
 *	exited     io_run saw the init exit; the exit code is recorded, then everything above
 *	           is undone in reverse, and --restart or --rm applies
 *
 * The monitor's first act is to execute minirun again, from a copy of the binary that
 * nobody can write (clone_exe.c: a detached read-only overlay, else a sealed memfd): the
 * container's init is forked from the monitor, and until it executes the container's
 * program its /proc/PID/exe is the monitor's binary. Were that the host's minirun, a
 * container whose program is `/proc/self/exe` would run it and could write to it once it
 * is idle (CVE-2019-5736, what runc's own re-exec guards against). The re-exec costs one
 * start of the binary; `minirun __monitor ID` is its entry point (monitor_exec_main).
 * `run` pays for it off its critical path: it starts its monitor before it makes the
 * container, and the monitor waits for the ID on its socket (monitor_spawn.c, "The early
 * monitor"; early_id here), or exits having made nothing when the create failed.
 *
 * The lock: while the starter waits for "running" it holds the container's lock, and the
 * monitor writes the record on its behalf (nobody else can: they would need the lock).
 * After that the monitor takes the lock for each change of the record, briefly.
 *
 * The starter's side (the spawn, its wait for the monitor's answers) is monitor_spawn.c;
 * the messages between the two, monitor_proto.h; the note a monitor leaves when it dies
 * unheard, monitor_note.c.
 *
 * See: prctl(2) PR_SET_CHILD_SUBREAPER; credentials(7) (sessions);
 *      docker's restart policies:
 *      https://docs.docker.com/engine/containers/start-containers-automatically/
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "minirun/oci/runtime.h"
#include "minirun/rootless/rootless.h"
#include "minirun/containers/dns_flags.h"
#include "minirun/containers/health.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/containers/logdriver.h"
#include "minirun/containers/monitor_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void monitor_tell(int fd, int what, pid_t pid, const struct mr_err *err)
{
	struct notice n = {.what = what, .pid = pid};
	if (err) {
		n.errnum = err->errnum;
		snprintf(n.text, sizeof(n.text), "%s", err->msg);
	}
	send(fd, &n, sizeof(n), MSG_NOSIGNAL);
}

pid_t monitor_alive(struct container *c)
{
	char path[4400];
	_cleanup_free_ char *text = NULL;
	long long pid = 0;
	unsigned long long start = 0;
	if (mr_read_file(container_path(c, "monitor.pid", path, sizeof(path)), &text, NULL, NULL) <
		    0 ||
	    sscanf(text, "%lld %llu", &pid, &start) != 2 || pid <= 0)
		return 0;
	/* a pid alone could have been reused since: the start time tells */
	if (mr_proc_start_time((pid_t)pid) != start || start == 0)
		return 0;
	return (pid_t)pid;
}

/* ---- the monitor's side ---------------------------------------------------------------- */

struct mon {
	struct container *c;
	bool proxy; /* the starter holds the lock for us (until "running") */
	int notify; /* the socket to the starter, -1 once told */
	char oci[4400];
	/* the bundle's config as write_bundle built it, until oci_create hands it to the
	 * runtime (which then needn't read and parse the file back) and writes the file */
	json_t *config;
	int mntns;         /* the running container's mount namespace, held (run_once says why) */
	struct stat saved; /* the record file as our last save left it (st_ino 0: unknown) */
	/* this start's network namespace, begun after the rootfs mount (begin_netns), until
	 * oci_create hands it to the runtime; NULL: none */
	struct ctr_netns_ahead *net_ahead;
};

static void config_drop(struct mon *m)
{
	json_decref(m->config);
	m->config = NULL;
}

/* the record file's identity: every save renames a new file over it (a new inode, and a
 * new change time), so one that matches our last save's is the record we hold */
static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_size == b->st_size && a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* take the lock and re-read the record. While the starter holds the lock for us (proxy)
 * there is nothing to re-read: nobody but us could write the record since we opened it.
 * Nor when the file is still the one our last save wrote (a container's whole life goes
 * by with nobody else writing its record, most of the time): the parse is skipped. */
static int lock_reload(struct mon *m, struct mr_err *err)
{
	char path[4400];
	struct stat now;
	if (m->proxy)
		return 0;
	m->c->lockfd = mr_lock_file(container_path(m->c, "lock", path, sizeof(path)), err);
	if (m->c->lockfd < 0)
		return -1;
	if (stat(container_path(m->c, "container.json", path, sizeof(path)), &now) == 0 &&
	    same_file(&m->saved, &now))
		return 0;
	m->saved.st_ino = 0;
	return container_reload(m->c, err);
}

static int save_unlock(struct mon *m, struct mr_err *err)
{
	char path[4400];
	int rc = container_save(m->c, err);
	if (rc < 0 ||
	    stat(container_path(m->c, "container.json", path, sizeof(path)), &m->saved) < 0)
		m->saved.st_ino = 0;
	if (!m->proxy && m->c->lockfd >= 0) {
		close(m->c->lockfd);
		m->c->lockfd = -1;
	}
	return rc;
}

/* the netns path for --network container:X: X's init's namespace */
static int joined_netns(struct mon *m, char *buf, size_t len, struct mr_err *err)
{
	const char *mode = m->c->r.host.network_mode;
	if (!mode || strncmp(mode, "container:", 10) != 0)
		return 0;
	struct container other;
	if (container_open(m->c->root, mode + 10, false, &other, err) < 0)
		return -1;
	pid_t pid = container_pid(&other);
	container_close(&other);
	if (pid <= 0)
		return mr_fail(err, 0, "cannot join network of a non running container: %s",
			       mode + 10);
	snprintf(buf, len, "/proc/%d/ns/net", (int)pid);
	return 1;
}

static int write_bundle(struct mon *m, struct mr_err *err)
{
	char merged[4400], hosts[4400], hostname[4400], resolv[4400], netns[64], path[4400];
	char cgpath[1200];
	struct container *c = m->c;
	const char *mode = c->r.host.network_mode;
	int j = joined_netns(m, netns, sizeof(netns), err);
	if (j < 0)
		return -1;
	struct container_paths p = {
		.rootfs = container_path(c, "merged", merged, sizeof(merged)),
		.hosts = container_path(c, "hosts", hosts, sizeof(hosts)),
		.hostname = container_path(c, "hostname", hostname, sizeof(hostname)),
		.resolv_conf = container_path(c, "resolv.conf", resolv, sizeof(resolv)),
		.netns = j ? netns : NULL,
		/* rootless: in the user's delegated cgroup, if any (NULL: the default) */
		.cgroups_path = rootless_cgroup_path(c->id, cgpath, sizeof(cgpath)),
	};
	/* --network host: a copy of the host's /etc/hosts, taken at each start, as docker
	 * binds one (the container may write its copy; the host's stays the host's) */
	if (mode && !strcmp(mode, "host")) {
		_cleanup_free_ char *text = NULL;
		size_t len;
		if (mr_read_file("/etc/hosts", &text, &len, err) < 0 ||
		    mr_replace_file(hosts, text, 0644, err) < 0) {
			mr_prefix(err, "--network host: copy /etc/hosts");
			return -1;
		}
	}
	if (container_dns_files(c, err) < 0) /* resolv.conf, --add-host lines (dns_flags.c) */
		return -1;
	struct container_nsjoin nsj;
	if (container_ns_joins(c, &p, &nsj, err) < 0) /* --pid/--ipc/--uts container:X */
		return -1;
	if (c->r.host.init && !(p.init = container_init_path()))
		return mr_fail(err, 0, "--init: minirun-init not found (build it: make minirun)");
	container_record_to_json(&c->r, c->rec); /* the bundle reads the record's JSON */
	config_drop(m);
	if (!(m->config = container_oci_config(c->rec, &p, err)))
		return -1;
	/* the file itself is written while the init sets up (write_config_file) */
	return mr_mkdir_p(container_path(c, "bundle", path, sizeof(path)), 0700, err);
}

/*
 * write_config_file - the bundle's config.json, written during the create (its while_init:
 * the runtime has the tree already). `exec` and the health probes read the file, and so
 * may `minirun oci` verbs and other runtimes, all once the create is done. Why not before
 * it: the text (16 KB with docker's seccomp profile) and the file cost ~0.2 ms, which the
 * monitor would spend before the clone, on every run's path, instead of while the init
 * mounts and the monitor only waits (measured: `run --rm` 2-3% shorter). The runtime then
 * has no text to point at a line of a config it refuses: its messages name the field
 * alone, and the user wrote no line of this file anyway.
 */
static int write_config_file(void *arg, struct mr_err *err)
{
	struct mon *m = arg;
	char path[4400];
	_cleanup_free_ char *text = json_dumps(m->config, JSON_INDENT(2));
	if (!text)
		return mr_fail(err, ENOMEM, "config.json");
	return mr_replace_file(container_path(m->c, "bundle/config.json", path, sizeof(path)), text,
			       0600, err);
}

/* the OCI create with the io's fds as the init's stdio: dup2'd onto 0-2 only around the
 * call, as the init inherits them there (the monitor's own stay /dev/null and stderr) */
static int oci_create(struct mon *m, struct container_io *io, pid_t *pid, struct mr_err *err)
{
	char bundle[4400];
	int saved[3];
	struct ctr_create_opts o = {.id = m->c->id,
				    .bundle =
					    container_path(m->c, "bundle", bundle, sizeof(bundle)),
				    .console_fd = io->tty ? io->console_fd : -1,
				    .config = m->config,
				    .net_ahead = m->net_ahead,
				    .while_init = write_config_file,
				    .while_init_arg = m};
	m->net_ahead = NULL; /* dropped once the create is done, whatever happened */
	for (int i = 0; i < 3; i++) {
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
		if (!io->tty && io->child_fds[i] >= 0)
			dup2(io->child_fds[i], i);
	}
	mr_say("ctr_create %.12s (OCI root %s)", m->c->id, m->oci);
	int rc = ctr_create(m->oci, &o, pid, err);
	m->c->lo_up = rc == 0 && ctr_netns_ahead_used(o.net_ahead);
	ctr_netns_ahead_drop(o.net_ahead);
	config_drop(m);
	for (int i = 0; i < 3; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
	io_after_create(io);
	return rc;
}

/* undo one start: the exact reverse of the setup, each step safe when it was not made.
 * With KEEP_ROOTFS the rootfs stays mounted: an --rm container's run directory goes after
 * the client has its answer, and its removal unmounts it then (trash.c), as an unmount
 * can wait for an RCU grace period (0.03-0.9 ms seen here) */
static void teardown(struct mon *m, bool keep_rootfs)
{
	container_net_down(m->c, NULL);
	ctr_delete(m->oci, m->c->id, true, NULL);
	char run[4096];
	if (!keep_rootfs)
		bundle_rootfs_umount(containers_run_dir(m->c->root, m->c->id, run, sizeof(run)),
				     NULL);
}

/*
 * begin_netns - begin the container's network namespace on a thread (ctr_netns_ahead_start),
 * when it will have one of its own: not --network host or container:X, and not in a user
 * namespace of its own (FS maps ids), which must own it. The runtime's create would make it
 * on a thread too, ~0.5 ms of the kernel's, but its clone comes ~0.5 ms after it begins and
 * waits for it; begun here, ~1 ms before the clone, it is done by then, with its lo up
 * (~0.2 ms more, which net.c's connect or lo_up would spend after the create) and docker's
 * sysctls written (bundle_net_sysctl: ~0.1 ms the init would spend). Why after
 * the rootfs mount and not before: begun beside the overlay mount, the two took as long
 * side by side as one after the other (measured; both make many per-CPU allocations in the
 * kernel, which is the likely cause, not proven); what follows the mount until the runtime's cgroup is
 * mostly our own work (the bundle's config, its JSON). Nor in the early monitor before its
 * ID: the client makes the container on one CPU meanwhile and this monitor starts on the
 * other, and a third task slowed one of them (both measured).
 */
static void begin_netns(struct mon *m, const struct bundle_rootfs *fs)
{
	const char *mode = container_net_mode(m->c);
	if (!strcmp(mode, "host") || !strncmp(mode, "container:", 10) || fs->map_size)
		return;
	json_t *sysctl = bundle_net_sysctl(mode); /* the config's defaults, written ahead */
	m->net_ahead = ctr_netns_ahead_start(true, sysctl);
	json_decref(sysctl);
}

/* the init, waiting on exec.fifo since oci-create, executes the container's command */
static int start_process(struct mon *m, struct mr_err *err)
{
	container_step("start");
	return ctr_start(m->oci, m->c->id, err);
}

/*
 * run_once - one start of the container, up to its exit. Returns 0 with the exit code in
 * *code and the io still open (the caller finishes it), or -1 with err when the start
 * failed (everything undone, io finished).
 */
static int run_once(struct mon *m, bool attach, struct container_io *io, int *code,
		    struct mr_err *err)
{
	char now[64], sock[4400];
	struct container *c = m->c;
	pid_t pid = 0;
	int status = 0;
	bool tty = c->r.config.tty;
	bool open_stdin = c->r.config.open_stdin;
	bool io_made = false, oci_failed = false;

	container_step("mount");
	char run[4096];
	struct bundle_rootfs fs = container_rootfs(c, run, sizeof(run));
	container_userns_rootfs(c, &fs); /* --userns=auto: idmapped layers */
	/* mounted already: by run's client, while we started (monitor_spawn.c, rootfs_ahead) */
	if (!bundle_rootfs_mounted(run) && bundle_rootfs_mount(&fs, err) < 0)
		goto fail;
	begin_netns(m, &fs);
	container_step("files");
	const char *mode = c->r.host.network_mode;
	if (bundle_files(&fs, c->r.config.hostname, mode && !strcmp(mode, "host"),
			 c->r.config.working_dir, err) < 0)
		goto fail;
	container_step("config");
	if (write_bundle(m, err) < 0)
		goto fail;
	container_step("io");
	struct log_writer *lw = log_writer_for(c, err);
	if (!lw || io_prepare(io, tty, open_stdin, lw,
			      container_path(c, "attach.sock", sock, sizeof(sock)), err) < 0)
		goto fail;
	io_made = true;
	container_step("oci-create");
	if (oci_create(m, io, &pid, err) < 0) {
		/* only here does ENOENT / EACCES mean "command not found / not executable"
		 * (the init looks the program up before it says ready): 127 / 126 */
		oci_failed = true;
		goto fail;
	}
	/* Why hold the container's mount namespace open: when its last process exits, the
	 * kernel unmounts the whole tree in that exit (some forty mounts, and an RCU grace
	 * period to wait for), before we may reap it and report the code: ~0.2 ms of every
	 * run. Held here, that work moves to the close, after the client has its answer:
	 * at our own exit, or at a restart's next create. */
	if (m->mntns >= 0)
		close(m->mntns);
	char nspath[64];
	snprintf(nspath, sizeof(nspath), "/proc/%d/ns/mnt", (int)pid);
	m->mntns = open(nspath, O_RDONLY | O_CLOEXEC);
	if (lock_reload(m, err) < 0)
		goto fail;
	if (c->r.mr.stop_requested) {
		/* `stop` came while a restart was being set up: this start is cancelled */
		save_unlock(m, NULL);
		mr_fail(err, 0, "stopped while restarting");
		goto fail;
	}
	container_step("net");
	if (container_net_up(c, pid, err) < 0) {
		save_unlock(m, NULL);
		goto fail;
	}
	container_record_set_state(&c->r, CONTAINER_RUNNING);
	c->r.mr.monitor_pid = getpid();
	c->r.state.pid = pid;
	c->r.state.exit_code = 0;
	container_record_set_str(&c->r.state.error, "");
	container_record_set_str(&c->r.state.started_at, state_now(now, sizeof(now)));
	container_record_set_str(&c->r.mr.step, "running");
	health_record_start(&c->r);
	if (save_unlock(m, err) < 0)
		goto fail;
	container_mode_net_event(c, "connect");
	container_volume_events(c, true);
	container_event(c, "start"); /* before the starter returns: its next verb sees it */
	container_step("running");
	/* The process is let go before the starter is told, unless it has a terminal. With no
	 * client to wait for: once `run -d` has returned, a monitor killed leaves an orphan
	 * that runs its command, not an init still waiting on exec.fifo (orphan.t). With a
	 * client and no terminal: the pipes hold the first output (and block a writer once
	 * full) until the client has attached (io_wait_client, below), as io_run reads them
	 * only then; so the attach, a round trip to the client, no longer delays the start
	 * (~0.1 ms of `run --rm`). A terminal's client attaches first: the container must
	 * see its size from its first byte. */
	bool start_first = !attach || !tty;
	if (start_first && start_process(m, err) < 0)
		goto fail;
	if (m->notify >= 0) {
		monitor_tell(m->notify, N_RUNNING, 0, NULL);
		close(m->notify);
		m->notify = -1;
		m->proxy = false;
		/* from here on nobody reads our stderr: keep no pipe of the caller open */
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, 2);
			close(null);
		}
	}
	if (attach) {
		if (io_wait_client(io, 30000, err) < 0)
			mr_say("no client attached: %s", err->msg);
		if (!start_first && start_process(m, err) < 0)
			goto fail;
	}
	/* the health check runs beside the process (a child of ours, only when there is one) */
	struct health_checker hc;
	if (health_checker_start(c, m->oci, &hc, err) < 0)
		mr_say("no health check: %s", err->msg);
	if (io_run(io, pid, &status, err) < 0)
		status = 255 << 8;
	health_checker_stop(&hc);
	*code = mr_exit_status(status);
	container_step("exited");
	return 0;
fail:
	if (!oci_failed)
		err->errnum = 0; /* minirun's own failure: 125, whatever the errno */
	/* a namespace begun (begin_netns) for a create that never came */
	ctr_netns_ahead_drop(m->net_ahead);
	m->net_ahead = NULL;
	config_drop(m);
	teardown(m, false);
	if (io_made)
		io_finish(io, -1);
	return -1;
}

/* docker's restart policies: should the container be started again after CODE? */
static bool want_restart(const struct container_record *r, int code);

/* exit-code: the last exit code, rewritten IN PLACE (same inode), so that a `wait` holding
 * it open still reads it after a --rm monitor has removed the whole directory. CODE < 0:
 * a start's blank, one newline. Why not empty: the code is written before the record is
 * saved, and container_exit_noted reads it when that save failed on a full disk; into an
 * empty file the code needs a new block, which that disk refuses, and this byte holds one.
 * Why at each start: a code left from the last run would pass for this one's. */
static void write_exit_code(struct container *c, int code)
{
	char path[4400], text[16] = "\n";
	int fd = open(container_path(c, "exit-code", path, sizeof(path)),
		      O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	int n = code < 0 ? 1 : snprintf(text, sizeof(text), "%d\n", code);
	if (pwrite(fd, text, (size_t)n, 0) == n)
		(void)ftruncate(fd, n);
	close(fd);
}

/*
 * record_exit - record how one start ended: exited with CODE, or failed (ERROR), after
 * undoing everything it made. Under the same lock, the restart policy: true (and the record
 * says "restarting", RestartCount + 1) when the container is to be started again, so that
 * nobody sees it "exited" in between (`wait` returns only when it is not coming back).
 */
static bool record_exit(struct mon *m, int code, const char *error)
{
	char now[64];
	struct mr_err err = {0};
	if (lock_reload(m, &err) < 0)
		return false;
	/* the record said running: its start event was written, so its die is due */
	enum container_state was = m->c->r.state.status;
	bool ran = was == CONTAINER_RUNNING || was == CONTAINER_PAUSED;
	/* before teardown: the OOM kill count lives in the cgroup that ctr_delete removes */
	bool oom = !error && container_oom_killed(m->c);
	container_step("teardown");
	struct container_record *r = &m->c->r;
	/* --rm: removed once the client is told (monitor_main), the rootfs unmounted then */
	teardown(m, !error && r->host.auto_remove);
	r->state.oom_killed = oom;
	bool again = !error && want_restart(r, code);
	/* a container that never ran stays "created", as docker leaves one whose command
	 * was not found */
	if (!error || (r->state.present && r->state.status != CONTAINER_CREATED))
		container_record_set_state(r, again ? CONTAINER_RESTARTING : CONTAINER_EXITED);
	if (again)
		r->restart_count++;
	r->state.pid = 0;
	r->state.exit_code = code;
	container_record_set_str(&r->state.error, error ? error : "");
	container_record_set_str(&r->state.finished_at, state_now(now, sizeof(now)));
	container_record_set_str(&r->mr.step, "exited");
	health_record_stop(r);
	write_exit_code(m->c, code);
	if (oom) /* docker's order: oom, then die */
		container_event(m->c, "oom");
	if (!error || ran) /* a start that failed before it ran has no die: docker's */
		container_event(m->c, "die", "exitCode", CONTAINER_EVENT_NUM(code));
	if (!error || ran)
		container_mode_net_event(m->c, "disconnect");
	if (!error || ran)
		container_volume_events(m->c, false);
	if (!error && !again && r->host.auto_remove) {
		/* --rm: the record goes with the directory, unsaved; the lock stays held until
		 * monitor_main has removed it all (waiters read exit-code) */
		container_step("recorded");
		return false;
	}
	if (save_unlock(m, &err) < 0 && m->mntns >= 0) {
		/* Not saved (a full disk): until we have ended, a reader takes the record's
		 * "running" for the truth, as we are alive; once we are gone it reads the code
		 * from exit-code (container_exit_noted). So the mount namespace goes now, not in
		 * our exit after the client's answer, where its unmount (an RCU grace period)
		 * would keep us alive longer after `run` has returned. */
		close(m->mntns);
		m->mntns = -1;
	}
	container_step("recorded");
	return again;
}

/* docker's restart policies: should the container be started again after CODE? */
static bool want_restart(const struct container_record *r, int code)
{
	if (r->mr.stop_requested || r->host.auto_remove)
		return false;
	switch (r->host.restart) {
	case RESTART_ALWAYS:
	case RESTART_UNLESS_STOPPED: return true;
	case RESTART_ON_FAILURE:
		return code != 0 &&
		       (r->host.restart_max <= 0 || r->restart_count < r->host.restart_max);
	case RESTART_NO: break;
	}
	return false;
}

static void on_wake(int sig)
{
	(void)sig; /* `stop` of a restarting container: cut the back-off short */
}

/* wait MS milliseconds, or less when `stop` sends SIGUSR1 */
static void backoff(long ms)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	sigtimedwait(&set, NULL, &ts);
	/* unblocked again: the next init inherits this mask */
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* this process's start time (monitor.pid's second field), once read; early_id reads it
 * while it waits */
static unsigned long long self_start;

static unsigned long long start_time(void)
{
	if (!self_start)
		self_start = mr_proc_start_time(getpid());
	return self_start;
}

void __attribute__((noreturn)) monitor_main(struct container *c, bool attach, int fd)
{
	char path[4400], text[64];
	struct mon m = {.c = c, .proxy = true, .notify = 3, .mntns = -1};
	struct mr_err err = {0};
	struct container_io io;
	int code = 0;

	/* the socket to the starter as fd 3, and none of the starter's other fds (a caller's
	 * pipe held open here would never see EOF while the container runs): an executed
	 * monitor had them closed before its exec (monitor_spawn.c, spawned_monitor), a
	 * forked one just before this call (fork_monitor). Not closed wholesale here: what
	 * this process made ahead stays open (ctr_create_ahead's device filter) */
	if (fd != 3) {
		dup2(fd, 3);
		close(fd);
	}
	monitor_note_arm(c->root, c->id, &err);
	/* here from a sealed copy only: executed by spawn_monitor, or forked by a sealed
	 * starter (fork_monitor) */
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	if (null > 2)
		close(null);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* the container's init inherits our signal mask and ignored signals across exec: a
	 * `run -d ... &` from a script would otherwise hand it SIGINT and SIGQUIT ignored */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	monitor_signals_default();
	signal(SIGUSR1, on_wake);
	monitor_tell(m.notify, N_HELLO, getpid(), NULL);
	container_step("monitor");
	container_oci_root(c->root, m.oci, sizeof(m.oci));
	snprintf(text, sizeof(text), "%d %llu", (int)getpid(), start_time());
	if (mr_replace_file(container_path(c, "monitor.pid", path, sizeof(path)), text, 0600,
			    &err) < 0) {
		monitor_tell(m.notify, N_FAILED, 0, &err);
		_exit(1);
	}
	long delay = 100; /* docker's back-off: 100 ms, doubling, reset after 10 s of running */
	for (;;) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		write_exit_code(m.c, -1);
		if (run_once(&m, attach, &io, &code, &err) < 0) {
			int ecode = err.errnum == ENOENT   ? MR_EXIT_NOT_FOUND
				    : err.errnum == EACCES ? MR_EXIT_CANNOT_EXEC
							   : MR_EXIT_RUNTIME;
			if (m.notify >= 0) {
				/* the first start: the starter reports it; the record keeps it. A
				 * process that failed to start never ran: "created", as docker */
				if (container_state_live(c->r.state.status))
					container_record_set_state(&c->r, CONTAINER_CREATED);
				c->r.state.exit_code = ecode;
				container_record_set_str(&c->r.state.error, err.msg);
				container_save(c, NULL);
				monitor_tell(m.notify, N_FAILED, 0, &err);
				_exit(1);
			}
			record_exit(&m, ecode, err.msg);
			_exit(1);
		}
		attach = false; /* a restart does not wait for a client */
		bool again = record_exit(&m, code, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec >= 10)
			delay = 100;
		if (!again)
			break;
		io_finish(&io, code);
		mr_say("restart in %ld ms", delay);
		backoff(delay);
		delay = delay * 2 > 60000 ? 60000 : delay * 2;
		if (lock_reload(&m, &err) < 0)
			_exit(1);
		bool stop = c->r.mr.stop_requested;
		if (stop)
			container_record_set_state(&c->r, CONTAINER_EXITED);
		save_unlock(&m, NULL);
		if (stop)
			_exit(0);
	}
	if (c->r.host.auto_remove && (c->lockfd >= 0 || lock_reload(&m, &err) == 0)) {
		/* record_exit kept the lock for this (and skipped the save); a removal that fails
		 * half-way leaves a container that must still say how it ended: saved then. The
		 * files themselves are deleted after the client has the exit code (rootfs.c) */
		rootfs_defer_trash = true;
		if (container_remove(c, false, true, &err) < 0) {
			container_save(c, NULL);
			bundle_rootfs_umount(
				containers_run_dir(c->root, c->id, path, sizeof(path)),
				NULL); /* record_exit left it mounted for the removal */
		}
		container_close(c);
	}
	io_finish(&io, code);
	rootfs_trash_empty();
	_exit(0);
}

/*
 * heap_warm - fault in the heap the start's first steps will use, ahead. The OCI config
 * (container_oci_config) and its dump allocate ~100 KiB, and the first touch of each new
 * heap page is a page fault (~2.5 us each on this project's VMs: 12 in the config, 12 in
 * the dump). An early monitor that is there before its ID has time to spare: it waits
 * while the client makes the container, on the other CPU. Freed, the pages stay the heap's
 * (malloc trims its top only past 128 KiB, M_TRIM_THRESHOLD's default), for the config to
 * reuse.
 */
static void heap_warm(void)
{
	enum { CHUNKS = 4, SIZE = 31 << 10 }; /* 124 KiB in all: below the trim threshold */
	void *v[CHUNKS];
	for (int i = 0; i < CHUNKS; i++)
		if ((v[i] = malloc(SIZE)))
			memset(v[i], 0, SIZE);
	for (int i = 0; i < CHUNKS; i++)
		free(v[i]);
}

/*
 * early_id - a monitor spawned early (monitor_spawn.c): wait for the starter's N_GO and
 * write the ID it names over ARG (MONITOR_EARLY_ID, as long), so that the command line
 * says `__monitor ID` from then on, as a monitor spawned late. Ends the process when the
 * starter's end closes first: its create failed, or it died; nothing was made here. When
 * it is there before the ID (the client still makes the container), it does what the start
 * can do before it knows the container: the default seccomp profile built, the heap
 * faulted in.
 */
static void early_id(char *arg)
{
	struct notice go;
	/* the caller's stdin and stdout are not held while it makes the container */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		close(null);
	}
	/* only when the ID is not here yet: a monitor that starts after the client has made
	 * the container (a loaded machine, a fast store) would only delay the start with it */
	struct pollfd p = {3, POLLIN, 0};
	if (poll(&p, 1, 0) == 0) {
		container_oci_config_ahead(); /* the default seccomp profile: ~70 us */
		if (poll(&p, 1, 0) == 0) {
			/* /proc files, ~15-100 us each the first time: the cgroup layout, the
			 * signals to reset, our start time (all kept for the start); and the
			 * device filter of a container without --device or --privileged */
			json_t *devices = bundle_devices_default();
			ctr_create_ahead(devices);
			json_decref(devices);
			monitor_signals_default();
			start_time();
		}
		if (poll(&p, 1, 0) == 0)
			heap_warm(); /* after it: the pages warmed stay free for the start */
	}
	ssize_t r;
	while ((r = recv(3, &go, sizeof(go), 0)) < 0 && errno == EINTR)
		;
	go.text[CONTAINER_ID_LEN] = '\0';
	if (r != (ssize_t)sizeof(go) || go.what != N_GO || !container_is_id(go.text))
		_exit(0);
	memcpy(arg, go.text, CONTAINER_ID_LEN);
}

/* `minirun __monitor ID attach|detached`: the monitor after its re-exec, fd 3 its socket */
int monitor_exec_main(int argc, char **argv)
{
	static struct container c;
	struct mr_err err = {0};
	if (argc != 3 || fcntl(3, F_GETFD) < 0) {
		fprintf(stderr,
			"minirun: __monitor is minirun's own (the monitor after its re-exec)\n");
		return MR_EXIT_USAGE;
	}
	fcntl(3, F_SETFD, FD_CLOEXEC);
	if (strcmp(argv[1], MONITOR_EARLY_ID) == 0)
		early_id(argv[1]);
	if (container_is_id(argv[1]))
		monitor_note_arm(containers_root(), argv[1],
				 &err); /* its last words from the start */
	if (container_open(containers_root(), argv[1], false, &c, &err) < 0) {
		monitor_tell(3, N_FAILED, 0, &err);
		return 1;
	}
	monitor_main(&c, strcmp(argv[2], "attach") == 0, 3);
}
