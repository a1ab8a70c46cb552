/*
 * minirun/containers/io_proto.h - the attach socket's protocol, shared by the monitor's io
 * loop (io.c) and its client (attach.c), and the helpers logs.c and exec.c share with them.
 *
 * The socket is RUN/containers/ID/attach.sock, AF_UNIX SOCK_SEQPACKET (one message per
 * send, so a header and its file descriptors arrive together). Every message is one
 * struct io_msg:
 *
 *   client -> monitor   IO_HELLO   first message. flags: IO_TTY, IO_STDIN; rows/cols: the
 *                                  client's window; keys: the detach sequence (tty only).
 *                                  SCM_RIGHTS: stdout, stderr[, stdin] of the client.
 *                       IO_WINCH   the client's window changed: rows/cols
 *   monitor -> client   IO_EXIT    the container exited with code; every byte of its output
 *                                  was written to the client's fds before this is sent, and
 *                                  the monitor has closed them
 *                       IO_DETACHED the detach keys were read; the container goes on
 *
 * The monitor writes the container's output straight into the client's own stdout/stderr
 * and reads its stdin: no byte passes through the client process, which only waits for the
 * end, forwards window sizes and (without a tty) signals.
 */
#ifndef MR_CONTAINERS_IO_PROTO_H
#define MR_CONTAINERS_IO_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

enum io_msg_type { IO_HELLO = 1, IO_WINCH, IO_EXIT, IO_DETACHED };
enum { IO_TTY = 1, IO_STDIN = 2 };
#define IO_MAGIC    0x6d72696fu /* "mrio" */
#define IO_MAX_KEYS 16

struct io_msg {
	uint32_t magic, type, flags;
	int32_t code;
	uint16_t rows, cols;
	uint8_t nkeys;
	unsigned char keys[IO_MAX_KEYS];
};

#define IO_DEFAULT_DETACH_KEYS "ctrl-p,ctrl-q"

/*
 * io_parse_detach_keys - docker's --detach-keys syntax: a comma-separated list of "ctrl-X"
 * (X one of a-z @ [ \ ] ^ _) or single characters, e.g. "ctrl-p,ctrl-q" or "ctrl-a,x".
 * The bytes go to OUT (at most IO_MAX_KEYS); returns their count, or -1 with err naming the
 * bad key.
 */
int io_parse_detach_keys(const char *spec, unsigned char *out, struct mr_err *err);

/* io_short_path - "/proc/self/fd/DIRFD/NAME" into buf: a socket's path short enough for
 * sun_path (108 bytes), which RUN/containers/ID/attach.sock under a long ROOT is not */
char *io_short_path(int dirfd, const char *name, char *buf, size_t len);

/* log_parse_time - docker's --since/--until: RFC 3339, a date, Unix seconds, or a duration
 * before NOW ("10m", "1h30m"); seconds since the epoch to *out, -1 when S is none (logs.c) */
int log_parse_time(const char *s, double now, double *out);

/*
 * io_relay - run FN(ARG) in a child (the runner) whose fds 0/1/2 are pipes, stdin
 * /dev/null unless WITH_STDIN, and copy between them and our own 0/1/2 until the runner
 * has exited and the pipes are drained (relay.c: exec without -t). FN's return value is
 * the runner's exit code; a message it prints goes to its stderr, the pipe, and so to
 * ours. Returns the runner's exit status as a shell's (128+N for a signal), or -1 with err
 * when nothing was run.
 */
int io_relay(bool with_stdin, int (*fn)(void *), void *arg, struct mr_err *err);

/* the verbs of io_commands.c's table */
int cmd_logs(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_attach(int argc, char **argv);

#endif
