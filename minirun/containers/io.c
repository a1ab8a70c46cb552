/*
 * minirun/containers/io.c - the monitor's side of a container's stdio: pipes or a pty, the
 * json-file log, and the attach socket on which clients hand over their own stdio.
 *
 * Docker's daemon copies a container's output into its log and to every attached client,
 * and a client's keystrokes into the container. Without a daemon, the per-container
 * monitor does it, in one poll(2) loop:
 *
 *   container stdout/stderr (pipes, or the pty master) --> the log (logwrite.c: json-file,
 *                                                          local or none; rotated by size)
 *                                                      --> each client's own stdout/stderr
 *   a client's stdin (its fd, passed to us)            --> the container's stdin / the pty
 *   a client's IO_WINCH                                --> TIOCSWINSZ on the pty master
 *   the init's pidfd readable                          --> drain the output, return
 *
 * The clients connect to RUN/containers/ID/attach.sock and pass their fds with SCM_RIGHTS
 * (the protocol: io_proto.h). The monitor writes into those fds itself, so the client is
 * only a waiter; when the container exits, every byte is written before the exit code is
 * sent and the client's fds are closed here, so `$(minirun run ...)` sees EOF at once.
 * The writes block: the fds are the client's own (shared with its shell, a terminal or a
 * pipe), so they are not ours to make non-blocking, and a client that stops reading stops
 * the loop, as a terminal's ^S stops a program. The container's stdin, ours, is
 * non-blocking: a container that does not read it can't stop its output.
 *
 * Order at each start (monitor.c): io_prepare -> ctr_create with child_fds (or console_fd)
 * -> io_after_create -> ctr_start -> [io_wait_client] -> io_run -> io_finish; with a pty,
 * io_wait_client comes before ctr_start (the client's size is the container's from the
 * start). Without one, the pipes hold what the process writes until the client is here.
 *
 * See: io_proto.h (the socket's messages), attach.c (the client), logs.c (the log's format);
 *      unix(7) SCM_RIGHTS, pty(7), pidfd_open(2), PR_SET_CHILD_SUBREAPER in prctl(2);
 *      docker's json-file logging driver.
 */
#include "lib/cleanup.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_proto.h"
#include "minirun/containers/logdriver.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define IO_MAX_CLIENTS 16
/* After the init exits, the output pipes hold what it (and the processes the kernel killed
 * with it) wrote last; their EOF follows at once, unless something outside the container
 * holds a pipe. Drain until EOF, or until nothing came for this long. */
#define IO_DRAIN_MS 2000

/* priv[] slots: the loop's own fds */
enum { P_STDIN_W, P_STDOUT_R, P_STDERR_R, P_LISTEN, P_CONSOLE, P_MASTER, P_DIR };

struct io_client {
	int sock, in, out, err; /* -1 when closed */
	bool tty, first;        /* first: the starter (run, start -a: io_wait_client); docker's
				 * StdinOnce: its stdin's EOF closes the container's */
	unsigned char keys[IO_MAX_KEYS];
	size_t nkeys, matched; /* detach sequence; bytes of it held back so far */
};

struct io_state {
	struct io_client c[IO_MAX_CLIENTS];
	size_t n;
	char sock[4096];
	unsigned short rows, cols; /* the latest window size, for a master not received yet */
	char in[8192];             /* input on its way to the container */
	size_t inlen;
	bool in_eof; /* close the container's stdin once s->in is written */
	struct log_writer *log;
};

char *io_short_path(int dirfd, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d/%s", dirfd, name);
	return buf;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Close every fd of client I and remove it from the table (the socket last: the client
 * reads EOF only when nothing of it is held here). */
static void drop_client(struct io_state *s, size_t i)
{
	struct io_client *c = &s->c[i];
	close_fd(&c->in), close_fd(&c->out), close_fd(&c->err), close_fd(&c->sock);
	s->c[i] = s->c[--s->n];
}

static void set_winsize(struct container_io *io, struct io_state *s, unsigned rows, unsigned cols)
{
	if (!rows && !cols)
		return;
	s->rows = rows, s->cols = cols;
	if (io->priv[P_MASTER] >= 0) {
		struct winsize ws = {.ws_row = rows, .ws_col = cols};
		ioctl(io->priv[P_MASTER], TIOCSWINSZ, &ws);
	}
}

int io_prepare(struct container_io *io, bool tty, bool stdin_open, struct log_writer *log,
	       const char *sock, struct mr_err *err)
{
	_cleanup_free_ char *dir = NULL; /* before the first goto: the cleanup runs there */
	memset(io, 0, sizeof(*io));
	io->tty = tty, io->stdin_open = stdin_open;
	io->console_fd = -1;
	for (int i = 0; i < 3; i++)
		io->child_fds[i] = -1;
	for (int i = 0; i < 8; i++)
		io->priv[i] = -1;
	struct io_state *s = calloc(1, sizeof(*s));
	if (!s) {
		log_writer_close(log);
		return mr_fail(err, ENOMEM, "io");
	}
	io->impl = s;
	s->log = log;
	snprintf(s->sock, sizeof(s->sock), "%s", sock);

	/* The monitor reads a client's terminal as a stranger: in the terminal's session it
	 * would be a background process group, and stop on SIGTTIN at the first read. */
	setsid();
	if (tty) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			goto fail_errno;
		io->priv[P_CONSOLE] = sv[0], io->console_fd = sv[1];
	} else {
		int p[2];
		if (stdin_open) {
			if (pipe2(p, O_CLOEXEC) < 0)
				goto fail_errno;
			io->child_fds[0] = p[0], io->priv[P_STDIN_W] = p[1];
			/* a container that does not read its stdin must not stop our loop */
			fcntl(p[1], F_SETFL, O_NONBLOCK);
		} else if ((io->child_fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
			goto fail_errno;
		}
		for (int i = 1; i <= 2; i++) {
			if (pipe2(p, O_CLOEXEC) < 0)
				goto fail_errno;
			io->priv[i == 1 ? P_STDOUT_R : P_STDERR_R] = p[0], io->child_fds[i] = p[1];
		}
	}

	/* the socket: bound through the directory's fd, as sun_path is short */
	dir = strdup(sock);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (!slash) {
		mr_fail(err, EINVAL, "attach socket '%s': not a path", sock);
		goto fail;
	}
	*slash = '\0';
	io->priv[P_DIR] = open(*dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (io->priv[P_DIR] < 0) {
		mr_fail(err, errno, "open '%s'", dir);
		goto fail;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	io_short_path(io->priv[P_DIR], slash + 1, sa.sun_path, sizeof(sa.sun_path));
	unlinkat(io->priv[P_DIR], slash + 1, 0); /* a socket left by a killed monitor */
	io->priv[P_LISTEN] = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (io->priv[P_LISTEN] < 0 ||
	    bind(io->priv[P_LISTEN], (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(io->priv[P_LISTEN], IO_MAX_CLIENTS) < 0) {
		mr_fail(err, errno, "listen on '%s'", sock);
		goto fail;
	}
	mr_say("io: %s, attach socket %s", tty ? "a pty" : "pipes", sock);
	return 0;
fail_errno:
	mr_fail(err, errno, "make the container's stdio");
fail:
	io_finish(io, -1);
	return -1;
}

/*
 * accept_client - take one connection from the listening socket and read its IO_HELLO
 * (waiting at most a second for it). Returns 0 with the client in the table, -1 when the
 * caller should wait again (a client that said nothing useful is dropped).
 */
static int accept_client(struct container_io *io, struct io_state *s, bool first)
{
	_cleanup_close_ int fd = accept4(io->priv[P_LISTEN], NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	struct pollfd p = {fd, POLLIN, 0};
	if (poll(&p, 1, 1000) <= 0)
		return -1;
	struct io_msg m = {0};
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {&m, sizeof(m)};
	struct msghdr h = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = u.buf,
			   .msg_controllen = sizeof(u.buf)};
	ssize_t n = recvmsg(fd, &h, MSG_CMSG_CLOEXEC);
	int fds[3] = {-1, -1, -1};
	size_t nfds = 0;
	struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&h) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
		nfds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(cm), (nfds > 3 ? 3 : nfds) * sizeof(int));
	}
	bool want_in = m.flags & IO_STDIN;
	if (n != (ssize_t)sizeof(m) || m.magic != IO_MAGIC || m.type != IO_HELLO ||
	    nfds != (want_in ? 3u : 2u) || s->n == IO_MAX_CLIENTS || m.nkeys > IO_MAX_KEYS) {
		for (size_t i = 0; i < 3 && i < nfds; i++)
			close(fds[i]);
		return -1;
	}
	struct io_client *c = &s->c[s->n++];
	*c = (struct io_client){.sock = mr_steal_fd(&fd),
				.out = fds[0],
				.err = fds[1],
				.in = want_in ? fds[2] : -1,
				.tty = m.flags & IO_TTY,
				.first = first};
	c->nkeys = (m.flags & IO_TTY) ? m.nkeys : 0; /* docker: detach keys need -t */
	memcpy(c->keys, m.keys, c->nkeys);
	if (!io->stdin_open)
		close_fd(&c->in);
	if (io->tty)
		set_winsize(io, s, m.rows, m.cols);
	mr_say("io: a client attached (%s%s)", want_in ? "stdin, " : "",
	       (m.flags & IO_TTY) ? "tty" : "no tty");
	return 0;
}

int io_wait_client(struct container_io *io, int timeout_ms, struct mr_err *err)
{
	struct io_state *s = io->impl;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		long spent = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (timeout_ms >= 0 && spent >= timeout_ms)
			return mr_fail(err, ETIMEDOUT, "no client attached to '%s'", s->sock);
		struct pollfd p = {io->priv[P_LISTEN], POLLIN, 0};
		int r = poll(&p, 1, timeout_ms < 0 ? -1 : (int)(timeout_ms - spent));
		if (r < 0 && errno != EINTR)
			return mr_fail(err, errno, "wait for a client on '%s'", s->sock);
		if (r > 0 && accept_client(io, s, true) == 0)
			return 0;
	}
}

/* The pty master, which ctr_create's init sent on the console socketpair before it
 * reported ready; -1 when it has not come (yet). */
static void take_master(struct container_io *io, struct io_state *s, int timeout_ms)
{
	if (!io->tty || io->priv[P_MASTER] >= 0 || io->priv[P_CONSOLE] < 0)
		return;
	struct pollfd p = {io->priv[P_CONSOLE], POLLIN, 0};
	if (poll(&p, 1, timeout_ms) <= 0)
		return;
	char byte[256];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {byte, sizeof(byte)};
	struct msghdr h = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = u.buf,
			   .msg_controllen = sizeof(u.buf)};
	ssize_t n = recvmsg(io->priv[P_CONSOLE], &h, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&h) : NULL;
	if (cm && cm->cmsg_type == SCM_RIGHTS) {
		memcpy(&io->priv[P_MASTER], CMSG_DATA(cm), sizeof(int));
		fcntl(io->priv[P_MASTER], F_SETFL, O_NONBLOCK);
		set_winsize(io, s, s->rows, s->cols);
	}
	close_fd(&io->priv[P_CONSOLE]); /* one master per start; EOF or junk ends it too */
}

void io_after_create(struct container_io *io)
{
	for (int i = 0; i < 3; i++)
		close_fd(&io->child_fds[i]);
	close_fd(&io->console_fd);
	take_master(io, io->impl, 0);
}

/* Write all of BUF to FD (blocking); -1 when FD is gone. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w, len -= (size_t)w;
	}
	return 0;
}

/* One chunk of output: its log entries (a line each: logwrite.c), then every client's
 * stdout or stderr. */
static void output(struct io_state *s, bool is_err, const char *buf, size_t len)
{
	log_writer_append(s->log, is_err, buf, len);
	for (size_t i = 0; i < s->n;) {
		if (write_all(is_err ? s->c[i].err : s->c[i].out, buf, len) < 0) {
			drop_client(s, i);
			continue;
		}
		i++;
	}
}

/* Read one chunk from FD (a pipe or the master) into the log and the clients; 0 at EOF (a
 * master says EIO when the last slave closed), 1 when there may be more. */
static int pump_output(struct io_state *s, int *fd, bool is_err)
{
	char buf[8192];
	ssize_t n = read(*fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		close_fd(fd);
		return 0;
	}
	output(s, is_err, buf, (size_t)n);
	return 1;
}

/* The container's stdin: the master with a tty, else the pipe. */
static int *stdin_fd(struct container_io *io)
{
	return io->tty ? &io->priv[P_MASTER] : &io->priv[P_STDIN_W];
}

/* Read client I's stdin into s->in, holding back a possible detach sequence. Returns 1
 * when the client typed the whole sequence. */
static int pump_input(struct container_io *io, struct io_state *s, size_t i)
{
	struct io_client *c = &s->c[i];
	unsigned char buf[4096];
	ssize_t n = read(c->in, buf, sizeof(buf) - IO_MAX_KEYS);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		close_fd(&c->in);
		/* docker's StdinOnce: the starter's EOF is the container's (a pipe only: a
		 * terminal sends ^D itself) */
		if (c->first && !io->tty) {
			s->in_eof = true;
			if (!s->inlen)
				close_fd(&io->priv[P_STDIN_W]);
		}
		return 0;
	}
	for (ssize_t k = 0; k < n; k++) {
		if (c->nkeys && buf[k] == c->keys[c->matched]) {
			if (++c->matched == c->nkeys)
				return 1;
			continue;
		}
		/* not the sequence after all: the held bytes were input */
		memcpy(s->in + s->inlen, c->keys, c->matched);
		s->inlen += c->matched;
		c->matched = 0;
		if (c->nkeys && buf[k] == c->keys[0]) {
			c->matched = 1;
			continue;
		}
		s->in[s->inlen++] = (char)buf[k];
	}
	return 0;
}

/* Tell client I it detached, and let it go. */
static void detach_client(struct io_state *s, size_t i)
{
	struct io_msg m = {.magic = IO_MAGIC, .type = IO_DETACHED};
	mr_say("io: a client detached");
	close_fd(&s->c[i].in), close_fd(&s->c[i].out), close_fd(&s->c[i].err);
	send(s->c[i].sock, &m, sizeof(m), MSG_NOSIGNAL);
	drop_client(s, i);
}

/* A message on client I's socket: a window size, or EOF (the client went away). */
static void client_message(struct container_io *io, struct io_state *s, size_t i)
{
	struct io_msg m;
	ssize_t n = recv(s->c[i].sock, &m, sizeof(m), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n != (ssize_t)sizeof(m) || m.magic != IO_MAGIC) {
		drop_client(s, i);
		return;
	}
	if (m.type == IO_WINCH && io->tty)
		set_winsize(io, s, m.rows, m.cols);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Reap every child that has exited: the init (its status to *status) and orphans the
 * container left to us, its subreaper. True once the init is reaped. */
static bool reap(pid_t pid, int *status)
{
	bool done = false;
	int st;
	pid_t w;
	while ((w = waitpid(-1, &st, WNOHANG)) > 0)
		if (w == pid)
			*status = st, done = true;
	if (w < 0 && errno == ECHILD && !done) {
		/* not our child at all (a monitor that is not the subreaper): it is gone */
		if (kill(pid, 0) < 0 && errno == ESRCH)
			*status = 0, done = true;
	}
	return done;
}

int io_run(struct container_io *io, pid_t pid, int *status, struct mr_err *err)
{
	struct io_state *s = io->impl;
	(void)err;
	/* a client that closed its end must cost us EPIPE, not our life; blocked rather than
	 * ignored because an ignored SIGPIPE would be inherited by the next start's init */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);

	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool exited = false;
	struct timespec t_data = {0}; /* after the exit: when output last came */
	*status = 0;
	for (;;) {
		take_master(io, s, 0);
		int out = io->tty ? io->priv[P_MASTER] : io->priv[P_STDOUT_R];
		int errfd = io->tty ? -1 : io->priv[P_STDERR_R];
		int *in = stdin_fd(io);
		if (exited && out < 0 && errfd < 0)
			break; /* every byte is out */
		if (exited && ms_since(&t_data) > IO_DRAIN_MS)
			break; /* something outside the container holds the pipe, silent */

		struct pollfd p[6 + 2 * IO_MAX_CLIENTS];
		size_t np = 0;
		p[np++] = (struct pollfd){out, POLLIN, 0};
		p[np++] = (struct pollfd){errfd, POLLIN, 0};
		p[np++] = (struct pollfd){exited ? -1 : pidfd, POLLIN, 0};
		p[np++] = (struct pollfd){exited ? -1 : io->priv[P_LISTEN], POLLIN, 0};
		p[np++] = (struct pollfd){s->inlen && *in >= 0 ? *in : -1, POLLOUT, 0};
		p[np++] = (struct pollfd){io->priv[P_CONSOLE], POLLIN, 0};
		size_t base = np;
		for (size_t i = 0; i < s->n; i++) {
			p[np++] = (struct pollfd){s->c[i].sock, POLLIN, 0};
			bool take = s->c[i].in >= 0 && !s->inlen && *in >= 0;
			p[np++] = (struct pollfd){take ? s->c[i].in : -1, POLLIN, 0};
		}
		int timeout = exited ? 100 : pidfd < 0 ? 200 : 1000;
		int r = poll(p, np, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (!exited && reap(pid, status)) {
			exited = true;
			clock_gettime(CLOCK_MONOTONIC, &t_data);
			mr_say("io: the container's init (pid %d) exited; draining its output",
			       (int)pid);
			if (out >= 0)
				fcntl(out, F_SETFL, O_NONBLOCK);
			if (errfd >= 0)
				fcntl(errfd, F_SETFL, O_NONBLOCK);
		}
		if (r <= 0)
			continue;
		if (exited && (p[0].revents | p[1].revents))
			clock_gettime(CLOCK_MONOTONIC, &t_data);
		if (p[0].revents)
			pump_output(s, io->tty ? &io->priv[P_MASTER] : &io->priv[P_STDOUT_R],
				    false);
		if (p[1].revents)
			pump_output(s, &io->priv[P_STDERR_R], true);
		if (p[3].revents & POLLIN)
			accept_client(io, s, false); /* a later `attach`: its EOF is its own */
		if (p[5].revents)
			take_master(io, s, 0);
		if (p[4].revents && *in >= 0) {
			ssize_t w = write(*in, s->in, s->inlen);
			if (w > 0) {
				memmove(s->in, s->in + w, s->inlen - (size_t)w);
				s->inlen -= (size_t)w;
				if (!s->inlen && s->in_eof)
					close_fd(in);
			} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
				s->inlen = 0; /* the container closed its stdin */
				if (!io->tty)
					close_fd(in);
			}
		}
		/* clients, from the last so that drop_client's move-down skips nobody; a client
		 * whose slot changed since the poll (output() dropped one) waits a round */
		size_t nc = s->n;
		for (size_t i = nc; i-- > 0;) {
			struct pollfd *ps = &p[base + 2 * i];
			if (i >= s->n || ps[0].fd != s->c[i].sock ||
			    (ps[1].fd >= 0 && ps[1].fd != s->c[i].in))
				continue;
			if (ps[1].revents && s->c[i].in >= 0 && pump_input(io, s, i)) {
				detach_client(s, i);
				continue;
			}
			if (ps[0].revents)
				client_message(io, s, i);
		}
	}
	if (!exited) {
		/* the loop broke on an error: the init's status is still needed */
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (pidfd >= 0)
		close(pidfd);
	/* consume a SIGPIPE a write may have left pending, then the old mask */
	struct timespec zero = {0, 0};
	while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

void io_finish(struct container_io *io, int exit_code)
{
	struct io_state *s = io->impl;
	if (s) {
		/* The output was written to the clients' fds in io_run; close them here before
		 * the exit code goes out, so a client's reader sees EOF no later than its exit. */
		while (s->n > 0) {
			struct io_client *c = &s->c[s->n - 1];
			close_fd(&c->in), close_fd(&c->out), close_fd(&c->err);
			if (exit_code >= 0) {
				struct io_msg m = {
					.magic = IO_MAGIC, .type = IO_EXIT, .code = exit_code};
				send(c->sock, &m, sizeof(m), MSG_NOSIGNAL);
			}
			drop_client(s, s->n - 1);
		}
		if (io->priv[P_DIR] >= 0) {
			const char *base = strrchr(s->sock, '/');
			unlinkat(io->priv[P_DIR], base ? base + 1 : s->sock, 0);
		}
		log_writer_close(s->log);
		free(s);
		io->impl = NULL;
	}
	for (int i = 0; i < 8; i++)
		close_fd(&io->priv[i]);
	for (int i = 0; i < 3; i++)
		close_fd(&io->child_fds[i]);
	close_fd(&io->console_fd);
}
