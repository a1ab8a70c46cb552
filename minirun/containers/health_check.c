/*
 * minirun/containers/health_check.c - the checker: the process that runs a container's
 * health check on schedule, as docker's daemon does in a goroutine per container.
 *
 * The monitor forks it after the container's process has started (health_checker_start),
 * and only for a container that has a check: one without costs nothing, no process and no
 * timer. The checker
 *
 *	waits     the interval (the start interval while starting in the start period)
 *	probes    forks a caller that runs the probe through the OCI runtime's exec (ctr_exec,
 *	          the path `minirun exec` takes: the container's namespaces, cgroup, user,
 *	          capabilities, seccomp), its stdout and stderr into one pipe, of which the
 *	          first 4096 bytes are kept
 *	times out kills the probe's whole process group at the timeout: the caller is the
 *	          group's leader, and the process in the container (and its children) inherit
 *	          the group; the result is exit code -1, "Health check exceeded timeout (30s)"
 *	records   under the container's lock, the result and the new state in State.Health,
 *	          only while the record still describes the run it was started for
 *
 * and ends on SIGTERM (health_checker_stop, when the container's process has exited; or
 * PR_SET_PDEATHSIG, when the monitor dies), killing a probe that is still running. Why a
 * process and not a timer in the monitor's loop: the probe's exec blocks, and the monitor
 * must keep pumping the container's output while it does.
 *
 * See: health.h; health.c (the state machine); minirun/oci/exec.c (ctr_exec); signalfd(2),
 *      pidfd_open(2), PR_SET_PDEATHSIG in prctl(2).
 */
#include "lib/cleanup.h"
#include "lib/jsonfile.h"
#include "lib/duration.h"
#include "lib/file.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/health.h"
#include "minirun/oci/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* how long health_checker_stop waits for the checker to kill its probe and end */
#define HEALTH_STOP_MS 3000

static long long mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* poll's timeout for NS nanoseconds, rounded up so that a wait never ends early */
static int poll_ms(long long ns)
{
	if (ns <= 0)
		return 0;
	long long ms = (ns + 999999) / 1000000;
	return ms > 3600000 ? 3600000 : (int)ms;
}

/* The probe's process.json: the container's own process (bundle/config.json, as `exec`
 * starts from) with ARGS, no terminal. Text the caller frees, or NULL with err. */
static char *probe_process(struct container *c, json_t *args, struct mr_err *err)
{
	char path[4400];
	json_error_t je;
	json_auto_t *config = mr_json_load_file(
		container_path(c, "bundle/config.json", path, sizeof(path)), 0, &je);
	json_t *p = json_deep_copy(json_object_get(config, "process"));
	if (!p) {
		mr_fail(err, 0, "%s: %s", path, config ? "no process" : je.text);
		return NULL;
	}
	json_object_set(p, "args", args);
	json_object_set_new(p, "terminal", json_false());
	json_object_del(p, "consoleSize");
	char *text = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (!text)
		mr_fail(err, ENOMEM, "the probe's process");
	return text;
}

/* What the caller tells the checker when the exec itself failed (a shared page). */
struct exec_failure {
	int failed;
	char msg[1024];
};

/* One probe's result. */
struct probe {
	int code;
	char start[64], end[64];
	long long t0; /* monotonic, at the start */
	struct health_output out;
};

/* the caller: in a process group of its own, its stdout and stderr the pipe, the probe
 * through the runtime's exec; exits with the probe's status */
static void __attribute__((noreturn))
caller_main(const char *oci, const char *id, int memfd, int pipe_w, struct exec_failure *fail)
{
	struct mr_err err = {0};
	char pfile[64];
	int st = 0;
	sigset_t none;
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* the probe inherits our mask */
	/* under -v, the runtime narrates its exec (and the process it forks, until it
	 * executes the probe): on the monitor's stderr, kept as fd 4, not into the pipe that
	 * is the probe's Output */
	int said = mr_verbose ? fcntl(2, F_DUPFD_CLOEXEC, 5) : -1;
	int null = open("/dev/null", O_RDONLY);
	dup2(null, 0);
	dup2(pipe_w, 1);
	dup2(pipe_w, 2);
	dup2(memfd, 3);
	if (said >= 0 && dup3(said, 4, O_CLOEXEC) == 4)
		mr_say_fd = 4;
	else
		mr_verbose = 0; /* nowhere else to say it: not said */
	syscall(SYS_close_range, mr_say_fd == 4 ? 5U : 4U, ~0U, 0U);
	snprintf(pfile, sizeof(pfile), "/proc/self/fd/3");
	struct ctr_exec_opts x = {.id = id, .process_file = pfile};
	if (ctr_exec(oci, &x, &st, &err) < 0) {
		fail->failed = 1;
		snprintf(fail->msg, sizeof(fail->msg), "OCI runtime exec failed: %.990s", err.msg);
		_exit(126);
	}
	_exit(st & 0xff);
}

/* read what the pipe FD holds into OUT (kept or dropped); false at EOF or error */
static bool pump(int fd, struct health_output *out)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n > 0) {
		health_output_add(out, buf, (size_t)n);
		return true;
	}
	return n < 0 && (errno == EINTR || errno == EAGAIN);
}

/*
 * run_probe - one probe, into P. Returns 0, or 1 when SIGTERM came on SIGFD meanwhile (the
 * probe killed, nothing to record).
 */
static int run_probe(const char *oci, const char *id, int memfd, int sigfd,
		     const struct health_config *cfg, struct probe *p)
{
	int fds[2];
	memset(p, 0, sizeof(*p));
	p->t0 = mono_ns();
	health_now(p->start, sizeof(p->start));
	struct exec_failure *fail = mmap(NULL, sizeof(*fail), PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fail == MAP_FAILED || pipe2(fds, O_CLOEXEC) < 0) {
		p->code = -1;
		health_output_add(&p->out, "health check: ", 14);
		health_output_add(&p->out, strerror(errno), strlen(strerror(errno)));
		if (fail != MAP_FAILED)
			munmap(fail, sizeof(*fail));
		health_now(p->end, sizeof(p->end));
		return 0;
	}
	memset(fail, 0, sizeof(*fail));
	pid_t caller = fork();
	if (caller == 0) {
		close(fds[0]);
		caller_main(oci, id, memfd, fds[1], fail);
	}
	close(fds[1]);
	int rc = 0, status = 0;
	if (caller < 0) {
		p->code = -1;
		health_output_add(&p->out, "health check: fork failed", 25);
		goto out;
	}
	setpgid(caller, caller); /* either side may run first: both set it */
	int pidfd = (int)syscall(SYS_pidfd_open, caller, 0);
	bool ended = false, eof = false, timed_out = false;
	long long deadline = p->t0 + cfg->timeout;
	while (!ended) {
		struct pollfd pf[3] = {
			{pidfd, POLLIN, 0}, {eof ? -1 : fds[0], POLLIN, 0}, {sigfd, POLLIN, 0}};
		int r = poll(pf, 3, pidfd < 0 ? 100 : poll_ms(deadline - mono_ns()));
		if (r < 0 && errno != EINTR)
			break;
		if (pf[1].revents)
			eof = !pump(fds[0], &p->out);
		if (pf[2].revents) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof(si)) > 0) {
				rc = 1;
				break;
			}
		}
		if (pf[0].revents || (pidfd < 0 && waitpid(caller, &status, WNOHANG) == caller))
			ended = true;
		else if (mono_ns() >= deadline) {
			timed_out = true;
			break;
		}
	}
	if (!ended) {
		/* the caller is our unreaped child: its group can't be anyone else's */
		kill(-caller, SIGKILL);
	} else {
		/* what came before the exit (a process left in the background that holds the
		 * pipe is not waited for) */
		char buf[4096];
		ssize_t n;
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
		while (!eof && (n = read(fds[0], buf, sizeof(buf))) > 0)
			health_output_add(&p->out, buf, (size_t)n);
	}
	/* (a caller reaped above by WNOHANG leaves ECHILD here, and STATUS as it was) */
	while (waitpid(caller, &status, 0) < 0 && errno == EINTR)
		;
	if (pidfd >= 0)
		close(pidfd);
	if (rc == 1) {
		/* SIGTERM: nothing to record */
	} else if (timed_out) {
		char d[32];
		p->code = -1;
		p->out.len = 0, p->out.truncated = false;
		snprintf(p->out.buf, sizeof(p->out.buf), "Health check exceeded timeout (%s)",
			 mr_format_duration(cfg->timeout, d, sizeof(d)));
		p->out.len = strlen(p->out.buf);
	} else if (!ended) {
		/* poll itself failed: the probe was killed unheard, which is no success */
		p->code = -1;
		health_output_add(&p->out, "health check: the probe could not be watched", 44);
	} else if (fail->failed) {
		p->code = -1;
		p->out.len = 0, p->out.truncated = false;
		health_output_add(&p->out, fail->msg, strlen(fail->msg));
	} else {
		p->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
out:
	health_now(p->end, sizeof(p->end));
	close(fds[0]);
	munmap(fail, sizeof(*fail));
	return rc;
}

/* record P under the lock, if the record still describes the run with init INIT, not paused
 * (a result that comes after the container stopped, restarted or was paused is dropped, as
 * docker cancels its probe then); the new status to *S */
static void record(struct container *c, pid_t init, struct probe *p, bool in_start_period,
		   enum health_status *s)
{
	char path[4400];
	struct mr_err err = {0};
	c->lockfd = mr_lock_file(container_path(c, "lock", path, sizeof(path)), &err);
	if (c->lockfd < 0)
		return;
	if (container_reload(c, &err) == 0 && c->r.state.pid == init &&
	    c->r.state.status == CONTAINER_RUNNING) {
		enum health_status was = *s;
		*s = health_record_result(&c->r, p->start, p->end, p->code,
					  health_output_text(&p->out), in_start_period);
		container_save(c, &err);
		if (*s != was) /* docker logs a change of status, not each probe */
			container_event(c, *s == HEALTH_HEALTHY ? "health_status: healthy"
								: "health_status: unhealthy");
	}
	close(c->lockfd);
	c->lockfd = -1;
}

/* the checker's life: wait, probe, record, until SIGTERM */
static void __attribute__((noreturn))
checker_main(struct container *c, const char *oci, pid_t monitor, pid_t init,
	     const struct health_config *cfg, const char *process)
{
	sigset_t term;
	long long born = mono_ns();
	prctl(PR_SET_NAME, "mr-health");
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != monitor)
		_exit(0); /* the monitor died before the line above */
	/* none of the monitor's fds: the container's pipes, the log, the attach socket */
	syscall(SYS_close_range, 3U, ~0U, 0U);
	c->lockfd = -1;
	int sigfd = signalfd(-1, &term, SFD_CLOEXEC);
	int memfd = memfd_create("minirun-health-process", MFD_CLOEXEC);
	size_t len = strlen(process);
	if (sigfd < 0 || memfd < 0 || write(memfd, process, len) != (ssize_t)len)
		_exit(1);
	enum health_status s = HEALTH_STARTING;
	for (;;) {
		struct pollfd pf = {sigfd, POLLIN, 0};
		long long wait = health_wait_ns(cfg, s, mono_ns() - born);
		if (poll(&pf, 1, poll_ms(wait)) > 0)
			_exit(0);
		/* a paused container is not probed (docker stops its monitor while paused) */
		if (container_reload(c, NULL) == 0 && c->r.state.status == CONTAINER_PAUSED)
			continue;
		struct probe p;
		if (run_probe(oci, c->id, memfd, sigfd, cfg, &p) == 1)
			_exit(0);
		record(c, init, &p, p.t0 - born < cfg->start_period, &s);
	}
}

int health_checker_start(struct container *c, const char *oci, struct health_checker *h,
			 struct mr_err *err)
{
	h->pid = 0;
	h->pidfd = -1;
	json_auto_t *args = health_probe_args(&c->r);
	if (!args)
		return 0; /* no check: no process, no timer */
	struct health_config cfg = health_config_of(&c->r.config.healthcheck);
	pid_t init = c->r.state.pid;
	_cleanup_free_ char *process = probe_process(c, args, err);
	if (!process)
		return -1;
	pid_t monitor = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return mr_fail(err, errno, "fork the health checker");
	if (pid == 0)
		checker_main(c, oci, monitor, init, &cfg, process);
	h->pid = pid;
	h->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	mr_say("health: checker %d probes every %lld ms", (int)pid, cfg.interval / 1000000);
	return 0;
}

void health_checker_stop(struct health_checker *h)
{
	if (h->pid <= 0)
		return;
	if (h->pidfd >= 0) {
		/* the pidfd, not the pid: the monitor's reaping loop may have reaped a checker
		 * that died early, and its pid been reused since */
		struct pollfd pf = {h->pidfd, POLLIN, 0};
		syscall(SYS_pidfd_send_signal, h->pidfd, SIGTERM, NULL, 0);
		if (poll(&pf, 1, HEALTH_STOP_MS) <= 0)
			syscall(SYS_pidfd_send_signal, h->pidfd, SIGKILL, NULL, 0);
		siginfo_t si;
		while (waitid(P_PIDFD, (id_t)h->pidfd, &si, WEXITED) < 0 && errno == EINTR)
			;
		close(h->pidfd);
	} else {
		kill(h->pid, SIGTERM);
		while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	h->pid = 0;
	h->pidfd = -1;
}
