/*
 * minirun/containers/attach.c - the client side of a container's stdio: what `run` (without
 * -d), `start -a` and `attach` do once the container's monitor listens on attach.sock.
 *
 * The client does not copy a byte. It connects to RUN/containers/ID/attach.sock and hands
 * the monitor its own stdout, stderr and (with -i) stdin by SCM_RIGHTS, in one IO_HELLO
 * message (io_proto.h); the monitor then writes the container's output straight into them
 * and reads the keyboard itself. What stays here is what only the client's process can do:
 *
 *   - put its terminal into raw mode with -t (and restore it on every way out: the exit
 *     code, a detach, an error, a SIGTERM/SIGHUP to us);
 *   - tell the monitor its window size, at the start and on every SIGWINCH;
 *   - without a tty, forward SIGINT SIGTERM SIGHUP SIGQUIT SIGUSR1 SIGUSR2 to the container's
 *     init (docker's --sig-proxy, on unless `attach --sig-proxy=false`; with a tty ^C is a
 *     byte the pty turns into SIGINT, and a signal to us ends only us);
 *   - wait for IO_EXIT (the container's code) or IO_DETACHED (the detach keys: docker's
 *     "read escape sequence", and the container goes on).
 *
 * See: io_proto.h, io.c (the monitor's loop); termios(3) cfmakeraw; unix(7) SCM_RIGHTS;
 *      https://docs.docker.com/reference/cli/docker/container/attach/
 */
#include "lib/cleanup.h"
#include "minirun/oci/runtime.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_args.h"
#include "minirun/containers/io_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ctrl-X names docker knows, beside ctrl-a .. ctrl-z */
static const struct {
	char name;
	unsigned char byte;
} ctrl_punct[] = {{'@', 0}, {'[', 27}, {'\\', 28}, {']', 29}, {'^', 30}, {'_', 31}};

int io_parse_detach_keys(const char *spec, unsigned char *out, struct mr_err *err)
{
	int n = 0;
	_cleanup_free_ char *copy = strdup(spec ? spec : "");
	if (!copy)
		return mr_fail(err, ENOMEM, "detach keys");
	char *save = NULL;
	for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		int byte = -1;
		if (strlen(k) == 1) {
			byte = (unsigned char)k[0];
		} else if (strncmp(k, "ctrl-", 5) == 0 && strlen(k) == 6) {
			char x = k[5];
			if (x >= 'a' && x <= 'z')
				byte = x - 'a' + 1;
			for (size_t i = 0; i < sizeof(ctrl_punct) / sizeof(ctrl_punct[0]); i++)
				if (ctrl_punct[i].name == x)
					byte = ctrl_punct[i].byte;
		}
		if (byte < 0)
			return mr_fail(
				err, 0,
				"Unknown character: '%s' in --detach-keys \"%s\": use "
				"ctrl-a..ctrl-z, ctrl-@ ctrl-[ ctrl-\\ ctrl-] ctrl-^ ctrl-_ or "
				"one character, comma-separated",
				k, spec);
		if (n == IO_MAX_KEYS)
			return mr_fail(err, 0, "--detach-keys \"%s\": at most %d keys", spec,
				       IO_MAX_KEYS);
		out[n++] = (unsigned char)byte;
	}
	if (n == 0)
		return mr_fail(err, 0, "--detach-keys \"%s\": no keys", spec);
	return n;
}

/* The signals a client without a tty forwards; one pipe carries every caught signal. */
static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
#define NFORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))
static int sig_pipe = -1;
/* `attach --sig-proxy=false` turns the forwarding off (run and start -a always forward) */
static bool sig_proxy = true;

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (write(sig_pipe, &b, 1) < 0) {
		/* a full pipe: that signal is dropped, the next one gets through */
	}
	errno = saved;
}

/* Connect to the monitor's socket, retrying a moment while it is being made. */
static int connect_monitor(struct container *c, struct mr_err *err)
{
	char run[4096];
	containers_run_dir(c->root, c->id, run, sizeof(run));
	for (int tries = 0;; tries++) {
		/* the run directory too may still be in the making (the monitor makes it) */
		_cleanup_close_ int dir = open(run, O_PATH | O_DIRECTORY | O_CLOEXEC);
		int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return mr_fail(err, errno, "socket");
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		if (dir >= 0)
			io_short_path(dir, "attach.sock", sa.sun_path, sizeof(sa.sun_path));
		if (dir >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		int e = errno;
		close(fd);
		if ((e != ENOENT && e != ECONNREFUSED) || tries == 30)
			return mr_fail(err, e, "attach to container %.12s: connect to its monitor",
				       c->id);
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

static void window_size(struct io_msg *m)
{
	struct winsize ws;
	if (ioctl(0, TIOCGWINSZ, &ws) == 0 || ioctl(1, TIOCGWINSZ, &ws) == 0)
		m->rows = ws.ws_row, m->cols = ws.ws_col;
}

/* The IO_HELLO message, with our stdout, stderr and maybe stdin. */
static int send_hello(int sock, bool with_stdin, bool tty, const unsigned char *keys, int nkeys,
		      struct mr_err *err)
{
	struct io_msg m = {.magic = IO_MAGIC, .type = IO_HELLO, .nkeys = (uint8_t)nkeys};
	m.flags = (tty ? IO_TTY : 0) | (with_stdin ? IO_STDIN : 0);
	memcpy(m.keys, keys, (size_t)nkeys);
	if (tty)
		window_size(&m);
	int fds[3] = {1, 2, 0};
	size_t nfds = with_stdin ? 3 : 2;
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = {&m, sizeof(m)};
	struct msghdr h = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = u.buf,
			   .msg_controllen = CMSG_SPACE(nfds * sizeof(int))};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&h);
	cm->cmsg_level = SOL_SOCKET, cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	if (sendmsg(sock, &h, MSG_NOSIGNAL) < 0)
		return mr_fail(err, errno, "hand our stdio to the container's monitor");
	return 0;
}

int container_attach(struct container *c, bool with_stdin, bool tty, const char *detach_keys,
		     int *exit_code, struct mr_err *err)
{
	unsigned char keys[IO_MAX_KEYS];
	if (!detach_keys) {
		const char *k = c->r.mr.detach_keys;
		detach_keys = k && *k ? k : IO_DEFAULT_DETACH_KEYS;
	}
	int nkeys = io_parse_detach_keys(detach_keys, keys, err);
	if (nkeys < 0)
		return -1;
	if (tty && with_stdin && !isatty(0))
		return mr_fail(err, 0, "the input device is not a TTY");
	char oci_root[4096];
	container_oci_root(c->root, oci_root, sizeof(oci_root));

	_cleanup_close_ int sock = connect_monitor(c, err);
	if (sock < 0)
		return -1;
	int sp[2];
	if (pipe2(sp, O_CLOEXEC | O_NONBLOCK) < 0)
		return mr_fail(err, errno, "pipe");
	sig_pipe = sp[1];
	struct sigaction sa = {.sa_handler = on_signal}, old[NFORWARDED];
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &sa, &old[i]);

	/* raw mode before the hello: the first keystroke may already be for the container */
	struct termios saved;
	bool raw = tty && tcgetattr(0, &saved) == 0;
	if (raw) {
		struct termios t = saved;
		cfmakeraw(&t);
		tcsetattr(0, TCSADRAIN, &t);
	}
	int rc = -1, die = 0;
	*exit_code = -1;
	if (send_hello(sock, with_stdin, tty, keys, nkeys, err) < 0)
		goto out;
	for (;;) {
		struct pollfd p[2] = {{sock, POLLIN, 0}, {sp[0], POLLIN, 0}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			mr_fail(err, errno, "poll");
			goto out;
		}
		unsigned char sig;
		while (read(sp[0], &sig, 1) == 1) {
			if (sig == SIGWINCH && tty) {
				struct io_msg m = {.magic = IO_MAGIC, .type = IO_WINCH};
				window_size(&m);
				send(sock, &m, sizeof(m), MSG_NOSIGNAL);
			} else if (sig != SIGWINCH && tty) {
				die = sig; /* the terminal goes back first, then we die of it */
				goto out;
			} else if (sig != SIGWINCH && !sig_proxy) {
				die = sig; /* not forwarded: it is ours, as for any program */
				goto out;
			} else if (sig != SIGWINCH) {
				struct mr_err e = {0};
				mr_say("attach: forwarding signal %d to the container", sig);
				ctr_kill(oci_root, c->id, sig, false, &e);
			}
		}
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		struct io_msg m;
		ssize_t n = recv(sock, &m, sizeof(m), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == (ssize_t)sizeof(m) && m.magic == IO_MAGIC && m.type == IO_EXIT) {
			*exit_code = m.code;
			rc = 0;
			goto out;
		}
		if (n == (ssize_t)sizeof(m) && m.magic == IO_MAGIC && m.type == IO_DETACHED) {
			rc = 0;
			goto out;
		}
		if (n <= 0) {
			mr_fail(err, n < 0 ? errno : 0,
				"container %.12s: its monitor closed the attachment", c->id);
			goto out;
		}
	}
out:
	if (raw)
		tcsetattr(0, TCSADRAIN, &saved);
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &old[i], NULL);
	close(sp[0]), close(sp[1]);
	sig_pipe = -1;
	if (rc == 0 && *exit_code < 0)
		fprintf(stderr, "%sread escape sequence\n", raw ? "\r\n" : "");
	if (die) {
		signal(die, SIG_DFL);
		raise(die);
	}
	return rc;
}

/* ---- `minirun attach` -------------------------------------------------------------------- */

static const struct io_flag attach_flags[] = {
	IO_FLAG_DETACH_KEYS,
	IO_FLAG_NO_STDIN,
	IO_FLAG_SIG_PROXY,
	{NULL, 0, 0, 0, NULL, NULL},
};

int cmd_attach(int argc, char **argv)
{
	static const struct io_verb verb = {
		.name = "attach",
		.synopsis = "[OPTIONS] CONTAINER",
		.about = "Attach local standard input, output, and error streams to a running "
			 "container",
		.min_operands = 1,
		.max_operands = 1,
		.flags = attach_flags,
	};
	struct io_args a;
	struct mr_err err = {0};
	int rc;
	if (!io_parse_args(&verb, argc, argv, &a, &rc))
		return rc;
	sig_proxy = a.sig_proxy;
	struct container c = {.lockfd = -1};
	if (container_open(containers_root(), a.operands[0], false, &c, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return MR_EXIT_RUNTIME;
	}
	int code = -1;
	rc = MR_EXIT_RUNTIME;
	enum container_state status = container_status(&c);
	bool tty = c.r.config.tty;
	bool in = !a.no_stdin && c.r.config.open_stdin;
	if (status == CONTAINER_PAUSED)
		fprintf(stderr, "minirun: You cannot attach to a paused container, unpause it "
				"first\n");
	else if (status != CONTAINER_RUNNING)
		fprintf(stderr, "minirun: You cannot attach to a stopped container, start it "
				"first\n");
	else if (tty && in && !isatty(0))
		fprintf(stderr, "minirun: the input device is not a TTY\n");
	else {
		container_event(&c, "attach");
		if (container_attach(&c, in, tty, a.detach_keys, &code, &err) < 0)
			fprintf(stderr, "minirun: %s\n", err.msg);
		else
			rc = code < 0 ? 0 : code;
	}
	container_close(&c);
	return rc;
}
