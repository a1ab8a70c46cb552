/*
 * minirun/containers/monitor_proto.h - what the monitor (monitor.c) and its starter
 * (monitor_spawn.c) share: the messages on the socket between them, and the monitor's main
 * for a starter that forks it without an exec. Private to those two files.
 *
 * The socket is an AF_UNIX SOCK_SEQPACKET pair, one struct notice per send. The monitor
 * has its end as fd 3 and tells the starter, in order:
 *
 *	N_HELLO    it runs (pid: its pid), and writes the record on the starter's behalf
 *	N_RUNNING  the container runs (for run without -d: its process waits for a client)
 *	N_FAILED   the start failed: errnum and text say why (the record says it too)
 *
 * The starter's end closing is the monitor's cue that nobody waits for its answers.
 *
 * See: monitor.c (the steps), monitor_spawn.c (how the monitor comes to be); unix(7).
 */
#ifndef MR_CONTAINERS_MONITOR_PROTO_H
#define MR_CONTAINERS_MONITOR_PROTO_H

#include "minirun/containers/containers.h"

#include <stdbool.h>
#include <sys/types.h>

struct notice {
	enum { N_HELLO, N_RUNNING, N_FAILED } what;
	pid_t pid; /* N_HELLO: the monitor's pid */
	int errnum;
	char text[1024];
};

/* send one notice on FD (WHAT, PID, and ERR's errnum and message when ERR is given); a
 * starter gone meanwhile is no error (MSG_NOSIGNAL: no SIGPIPE either) */
void monitor_tell(int fd, int what, pid_t pid, const struct mr_err *err);

/* the monitor itself: C opened (not locked: the starter holds the lock), ATTACH for run
 * without -d, FD the socket to the starter. Never returns. */
void __attribute__((noreturn)) monitor_main(struct container *c, bool attach, int fd);

#endif
