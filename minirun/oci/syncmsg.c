/*
 * minirun/oci/syncmsg.c - the messages between the create process and the container's init.
 *
 * The two sides of a create move in lock step over a SOCK_SEQPACKET socketpair: one send
 * is one message, and a side that dies closes its end, which the other reads as EOF
 * instead of hanging. Either side can send SYNC_ERR with the text of its failure; the
 * create process prints it as its own error, so a failure deep in the container's setup
 * still reaches the user as one line.
 *
 * See: setup.h (the message types), socketpair(2), unix(7) SOCK_SEQPACKET.
 */
#include "minirun/oci/setup.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const char *const names[] = {
	[SYNC_GO] = "go",       [SYNC_USERMAP] = "usermap", [SYNC_USERMAP_OK] = "usermap-ok",
	[SYNC_PID] = "pid",     [SYNC_HOOKS] = "hooks",     [SYNC_HOOKS_OK] = "hooks-ok",
	[SYNC_READY] = "ready", [SYNC_ERR] = "error",
};

int sync_send(int fd, int type, int pid, const char *text)
{
	struct sync_msg m = {.type = type, .pid = pid};
	if (text)
		snprintf(m.text, sizeof(m.text), "%s", text);
	size_t len = offsetof(struct sync_msg, text) + strlen(m.text) + 1;
	ssize_t n;
	while ((n = send(fd, &m, len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)len ? 0 : -1;
}

int sync_expect(int fd, int type, struct sync_msg *m, struct mr_err *err)
{
	ssize_t n;
	memset(m, 0, sizeof(*m));
	while ((n = recv(fd, m, sizeof(*m) - 1, 0)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return mr_fail(err, errno, "waiting for '%s' from the container", names[type]);
	if (n == 0)
		return mr_fail(err, 0,
			       "the container's init exited during setup (waiting for '%s')",
			       names[type]);
	if (m->type == SYNC_ERR) {
		mr_fail(err, 0, "%s", m->text);
		if (err)
			err->errnum = m->pid; /* a SYNC_ERR carries the errno in .pid */
		return -1;
	}
	if (m->type != type)
		return mr_fail(err, EPROTO, "expected '%s' from the container, got %d", names[type],
			       m->type);
	return 0;
}
