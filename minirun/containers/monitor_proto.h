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
 * A monitor spawned early (`__monitor MONITOR_EARLY_ID`, monitor_spawn.c) first waits for
 * the starter's one message:
 *
 *	N_GO       text: the ID of the container to start (its record exists, locked)
 *
 * and exits, having made nothing, when the starter's end closes instead.
 *
 * See: monitor.c (the steps), monitor_spawn.c (how the monitor comes to be); unix(7).
 */
#ifndef MR_CONTAINERS_MONITOR_PROTO_H
#define MR_CONTAINERS_MONITOR_PROTO_H

#include "minirun/containers/containers.h"

#include <stdbool.h>
#include <sys/types.h>

/* the ID argument of a monitor spawned early: as long as an ID, which overwrites it */
#define MONITOR_EARLY_ID "----------------------------------------------------------------"

struct notice {
	enum { N_HELLO, N_RUNNING, N_FAILED, N_GO } what;
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

/* monitor_note_arm - the handlers of the monitor's last words (monitor_note.c: the note
 * ROOT's run directory of ID gets, monitor.err, when the monitor dies unheard; ERR: its last
 * error, read when it dies). The container's init gets default handlers back at its exec,
 * as any caught signal; once a process, the note's target at each call. */
void monitor_note_arm(const char *root, const char *id, const struct mr_err *err);
/* monitor_signals_default - every signal back to its default action but those handlers
 * (monitor_note.c says why); once per process, the first call does it */
void monitor_signals_default(void);

#endif
