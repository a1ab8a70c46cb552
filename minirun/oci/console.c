/*
 * minirun/oci/console.c - the container's terminal: a pty, handed over by SCM_RIGHTS.
 *
 * With process.terminal the container's stdio is the slave side of a new pseudo-terminal
 * made from the container's own devpts instance; the master side goes to whoever holds
 * the terminal. An engine (podman's conmon, containerd's shim) passes --console-socket, an
 * AF_UNIX socket on which the runtime sends the master fd as ancillary data (SCM_RIGHTS):
 * the engine then owns the terminal and the runtime can exit. `run` without a socket keeps
 * the master itself and copies between it and its own stdio (console_proxy).
 *
 * See: pty(7), ioctl_tty(2) (TIOCGPTPEER, TIOCSWINSZ), unix(7) and cmsg(3) (SCM_RIGHTS).
 */
#include "minirun/oci/setup.h"
#include "lib/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int console_open(const struct spec_process *p, int rootfd, int *master, int *slave,
		 struct mr_err *err)
{
	char path[64];
	/* the container's own devpts: its pts numbers are the container's, not the host's */
	int ptmx = mnt_open_in_root(rootfd, "/dev/pts/ptmx", false, false, NULL);
	if (ptmx < 0)
		ptmx = mnt_open_in_root(rootfd, "/dev/ptmx", false, false, err);
	if (ptmx < 0)
		return -1;
	int m = open(mr_fd_path(path, sizeof(path), ptmx), O_RDWR | O_NOCTTY | O_CLOEXEC);
	close(ptmx);
	if (m < 0)
		return mr_fail(err, errno, "open the container's /dev/pts/ptmx");
	int unlock = 0;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0) {
		close(m);
		return mr_fail(err, errno, "unlock the pty");
	}
	/* TIOCGPTPEER opens the slave through the master: no path lookup to be fooled */
	int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0) {
		close(m);
		return mr_fail(err, errno, "open the pty slave");
	}
	if (p->rows || p->cols) {
		struct winsize ws = {.ws_row = p->rows, .ws_col = p->cols};
		ioctl(m, TIOCSWINSZ, &ws);
	}
	*master = m, *slave = s;
	return 0;
}

int console_connect(const char *path, struct mr_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return mr_fail(err, ENAMETOOLONG, "--console-socket '%s'", path);
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return mr_fail(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return mr_fail(err, errno, "connect to --console-socket '%s'", path);
	}
	return fd;
}

int console_send(int sock, int fd, struct mr_err *err)
{
	char name[] = "/dev/ptmx";
	struct iovec iov = {name, sizeof(name) - 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		return mr_fail(err, errno, "send the pty master to the console socket");
	return 0;
}

int console_recv(int sock, struct mr_err *err)
{
	char name[256];
	struct iovec iov = {name, sizeof(name)};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	ssize_t n;
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return mr_fail(err, errno, "receive the pty master");
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return mr_fail(err, EBADMSG, "receive the pty master: no fd came");
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Copy what is readable on IN to OUT; 0 at EOF or error. */
static int pump(int in, int out)
{
	char buf[8192];
	ssize_t n = read(in, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(out, buf + off, (size_t)(n - off));
		if (w <= 0)
			return 0;
		off += w;
	}
	return 1;
}

int console_proxy(int master, pid_t pid)
{
	struct termios saved, raw;
	bool tty = tcgetattr(0, &saved) == 0;
	if (tty) {
		struct winsize ws;
		if (ioctl(0, TIOCGWINSZ, &ws) == 0)
			ioctl(master, TIOCSWINSZ, &ws);
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p[3] = {{master, POLLIN, 0}, {0, POLLIN, 0}, {pfd, POLLIN, 0}};
	bool in_open = true;
	for (;;) {
		p[1].fd = in_open ? 0 : -1;
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if ((p[0].revents & POLLIN) && !pump(master, 1))
			break;
		if ((p[1].revents & (POLLIN | POLLHUP)) && !pump(0, master))
			in_open = false;
		if (p[0].revents & (POLLHUP | POLLERR) && !(p[0].revents & POLLIN))
			break;
		if (p[2].revents & POLLIN) {
			/* the process ended: copy what it left in the pty, then stop */
			fcntl(master, F_SETFL, O_NONBLOCK);
			while (pump(master, 1))
				;
			break;
		}
	}
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
	if (pfd >= 0)
		close(pfd);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 255;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
