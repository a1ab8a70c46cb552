/*
 * minirun/containers/relay.c - `exec` without -t: the command gets pipes, and we copy.
 *
 * A process handed our own stdout holds our file, not a stream: if the caller wrote
 * `minirun exec C CMD >> notes.txt`, the command inside the container can open
 * /proc/self/fd/1 again and read notes.txt from its first byte, or truncate it; with
 * `< secret.txt` on -i it can open /proc/self/fd/0 for writing. Docker never lets a
 * container hold the operator's files: its shim gives the process pipes and copies.
 * io_relay does the same for exec, in two processes:
 *
 *   the runner (a child)   fds 0/1/2 are the container's ends of three pipes (stdin:
 *                          /dev/null without -i); it calls ctr_exec, whose process
 *                          inherits them, waits, and exits with the process's status
 *   we (the parent)        our stdin      --> the stdin pipe (with -i; EOF closes it)
 *                          the stdout pipe --> our stdout
 *                          the stderr pipe --> our stderr  (kept apart, as docker does)
 *
 * so the process's /proc/self/fd/0..2 are pipes, and only bytes reach it, never our
 * files. After the runner exits, what the process wrote last is still in the pipes: we
 * drain them until EOF, or until nothing came for RELAY_DRAIN_MS (a process left in the
 * background may hold a pipe for ever). Docker's daemon gives an exec's streams 2 s after
 * its exit, in all; a quiet spell instead never cuts the process's own last output short
 * when our stdout is slow to take it (io.c drains the same way).
 *
 * Signals are as before: a ^C reaches the command through the terminal (it stays in our
 * process group), and a signal that kills us is not forwarded (docker's exec has no
 * --sig-proxy); the runner goes with us, and the command, which runs on, writes to pipes
 * nobody reads (SIGPIPE), as docker's exec output goes nowhere once its client is gone.
 * If our stdout is closed under us, the stdout pipe is closed too, so the command gets
 * SIGPIPE where it would have got it from our stdout.
 *
 * The OCI runtime's own exec (minirun-oci exec, ctr_exec) keeps runc's pass-through: there
 * the caller is an engine whose fds are pipes of its own, and that is what it expects.
 *
 * See: io.c (the monitor's copy loop for run, which this resembles), pipe(7),
 *      pidfd_open(2), proc(5) /proc/PID/fd; docker's exec: its containerd shim's io copy.
 */
#include "lib/cleanup.h"
#include "lib/proc.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RELAY_DRAIN_MS 2000

/* the pipes, each [0] read end, [1] write end; -1 when closed */
struct relay {
	int in[2], out[2], err[2];
	char buf[8192]; /* input read from our stdin, on its way to the process */
	size_t inlen;
	bool in_eof; /* our stdin ended: close the stdin pipe once buf is written */
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void relay_close(struct relay *r)
{
	for (int i = 0; i < 2; i++)
		close_fd(&r->in[i]), close_fd(&r->out[i]), close_fd(&r->err[i]);
}

/* Write all of BUF to FD, waiting as long as it takes (FD is the caller's: not ours to make
 * non-blocking, and whoever made it so is waited for too); -1 when FD is gone. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd p = {fd, POLLOUT, 0};
			poll(&p, 1, -1);
			continue;
		}
		if (w <= 0)
			return -1;
		buf += w, len -= (size_t)w;
	}
	return 0;
}

/* One chunk from the pipe *FROM to our fd TO; the pipe is closed at EOF, and when TO is
 * gone (so that the process's next write fails as it would have on TO). Returns 1 when
 * bytes came. */
static int copy_out(int *from, int to)
{
	char buf[8192];
	ssize_t n = read(*from, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0 || write_all(to, buf, (size_t)n) < 0) {
		close_fd(from);
		return n > 0;
	}
	return 1;
}

/* Our stdin into r->buf; at EOF (or an error) the stdin pipe is to be closed. */
static void read_stdin(struct relay *r)
{
	ssize_t n = read(0, r->buf, sizeof(r->buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		r->in_eof = true;
		return;
	}
	r->inlen = (size_t)n;
}

/* r->buf into the stdin pipe (non-blocking: a process that does not read its stdin must
 * not stop its output). */
static void write_stdin(struct relay *r)
{
	ssize_t w = write(r->in[1], r->buf, r->inlen);
	if (w > 0) {
		memmove(r->buf, r->buf + w, r->inlen - (size_t)w);
		r->inlen -= (size_t)w;
	} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
		r->inlen = 0, r->in_eof = true; /* the process closed its stdin */
	}
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The copy loop, until the runner CHILD has exited and the pipes are drained; the
 * runner's wait status to *status. */
static void relay_loop(struct relay *r, pid_t child, int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	bool exited = false;
	struct timespec t_data = {0}; /* after the exit: when output last came */
	for (;;) {
		if (r->in_eof && !r->inlen)
			close_fd(&r->in[1]);
		if (exited && r->out[0] < 0 && r->err[0] < 0)
			break;
		if (exited && ms_since(&t_data) > RELAY_DRAIN_MS)
			break; /* something left in the background holds a pipe, silent */
		bool feed = !exited && r->in[1] >= 0;
		struct pollfd p[5] = {
			{r->out[0], POLLIN, 0},
			{r->err[0], POLLIN, 0},
			{feed && !r->inlen && !r->in_eof ? 0 : -1, POLLIN, 0},
			{feed && r->inlen ? r->in[1] : -1, POLLOUT, 0},
			{exited ? -1 : pidfd, POLLIN, 0},
		};
		int n = poll(p, 5, exited ? 100 : pidfd < 0 ? 100 : -1);
		if (n < 0 && errno != EINTR)
			break;
		if (!exited && waitpid(child, status, WNOHANG) == child) {
			exited = true;
			clock_gettime(CLOCK_MONOTONIC, &t_data);
			r->inlen = 0, r->in_eof = true; /* its stdin is nobody's any more */
			for (int i = 0; i < 2; i++)
				if (p[i].fd >= 0)
					fcntl(p[i].fd, F_SETFL, O_NONBLOCK);
		}
		if (n <= 0)
			continue;
		if (p[0].revents && copy_out(&r->out[0], 1) > 0 && exited)
			clock_gettime(CLOCK_MONOTONIC, &t_data);
		if (p[1].revents && copy_out(&r->err[0], 2) > 0 && exited)
			clock_gettime(CLOCK_MONOTONIC, &t_data);
		if (p[2].revents)
			read_stdin(r);
		if (p[3].revents && r->in[1] >= 0)
			write_stdin(r);
	}
	if (!exited)
		while (waitpid(child, status, 0) < 0 && errno == EINTR)
			;
	if (pidfd >= 0)
		close(pidfd);
}

int io_relay(bool with_stdin, int (*fn)(void *), void *arg, struct mr_err *err)
{
	struct relay r = {.in = {-1, -1}, .out = {-1, -1}, .err = {-1, -1}};
	/* a caller that closed one of 0/1/2 would have the pipes made there, and the runner's
	 * dup2 onto 0/1/2 would then close them: /dev/null takes the place first */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return mr_fail(err, errno, "open /dev/null as fd %d", fd);
	if ((with_stdin ? pipe2(r.in, O_CLOEXEC)
			: (r.in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC))) < 0 ||
	    pipe2(r.out, O_CLOEXEC) < 0 || pipe2(r.err, O_CLOEXEC) < 0) {
		mr_fail(err, errno, "make the pipes for the command's stdio");
		relay_close(&r);
		return -1;
	}
	if (r.in[1] >= 0)
		fcntl(r.in[1], F_SETFL, O_NONBLOCK);
	mr_say("exec: the command's stdio are pipes; we copy them to ours");
	fflush(NULL); /* nothing buffered may be written twice */
	pid_t parent = getpid(), child = fork();
	if (child < 0) {
		mr_fail(err, errno, "fork");
		relay_close(&r);
		return -1;
	}
	if (child == 0) {
		/* the runner: the process inherits 0/1/2 from us, so ours must hold nothing of
		 * the caller's; and none of the parent's ends, or EOF and EPIPE never come */
		if (dup2(r.in[0], 0) < 0 || dup2(r.out[1], 1) < 0 || dup2(r.err[1], 2) < 0)
			_exit(MR_EXIT_RUNTIME);
		relay_close(&r);
		/* we wait for nobody once our parent is gone (killed: a signal to exec is not
		 * the command's); the command, forked later, does not inherit this */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(MR_EXIT_RUNTIME);
		int rc = fn(arg);
		fflush(NULL);
		_exit(rc);
	}
	close_fd(&r.in[0]), close_fd(&r.out[1]), close_fd(&r.err[1]);
	/* a reader that closed our stdout must cost us EPIPE, not our life; blocked only
	 * after the fork, as the runner's process would inherit the mask across exec */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	int status = 0;
	relay_loop(&r, child, &status);
	relay_close(&r);
	struct timespec zero = {0, 0};
	while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return mr_exit_status(status);
}
