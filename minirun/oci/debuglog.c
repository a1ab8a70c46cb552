/*
 * minirun/oci/debuglog.c - `--debug --log FILE`: the runtime's narration goes into its log.
 *
 * runc writes its debug messages to --log (JSON lines with --log-format json), not on
 * stderr: stderr belongs to the container, whose stdio the runtime passes straight
 * through. minirun narrates with mr_say() on fd 2 (lib/err.h), in the runtime and in the
 * container's init before it executes the user's program. So with --debug and --log,
 * fd 2 becomes a pipe, and a small logger process turns each line that comes out of it
 * into a log record:
 *
 *     runtime, init ... --fd 2--> pipe --> logger --> FILE  {"level":"debug","msg":...}
 *
 * The caller's stderr is kept aside; every child that executes a program of the user
 * (the container's process, hooks, ps) gets it back on fd 2 first (debuglog_stdio), so
 * the container's stderr is never the log. The logger ends when the last writer is gone:
 * the runtime has exited and the init has executed the container's process.
 *
 * See: runc(8) "--log", "--log-format", "--debug"; pipe(7).
 */
#include "minirun/oci/debuglog.h"
#include "minirun/oci/state.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <unistd.h>

static int saved_stderr = -1; /* the caller's stderr, while fd 2 is the pipe */
static ino_t pipe_ino;        /* the pipe's inode: is fd 2 still the narration? */

/* One record for LINE: "=> WHAT" is mr_say's debug narration, anything else (mr_warn,
 * a child's own complaint) a warning. */
static void record(FILE *log, char *line, bool json)
{
	char now[64];
	const char *level = "warning", *msg = line;
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, "=> ", 3) == 0)
		level = "debug", msg = line + 3;
	state_now(now, sizeof(now));
	if (json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", now);
		char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (t)
			fprintf(log, "%s\n", t);
		free(t);
		json_decref(j);
	} else {
		fprintf(log, "time=\"%s\" level=%s msg=\"%s\"\n", now, level, msg);
	}
	fflush(log);
}

/* The logger: copy lines from IN to LOG until every writer has closed the pipe. */
static void __attribute__((noreturn)) logger(int in, int log, bool json)
{
	/* hold none of the caller's fds (stdio, --preserve-fds): engines wait for those
	 * pipes to close */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	int lo = in < log ? in : log, hi = in < log ? log : in;
	close_range(3, (unsigned)lo - 1, 0);
	close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, ~0U, 0);
	FILE *src = fdopen(in, "r"), *dst = fdopen(log, "a");
	char *line = NULL;
	size_t cap = 0;
	while (src && dst && getline(&line, &cap, src) > 0)
		record(dst, line, json);
	_exit(0);
}

int debuglog_start(const char *path, bool json, struct mr_err *err)
{
	int p[2];
	struct stat st;
	int log = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (log < 0)
		return mr_fail(err, errno, "open --log '%s'", path);
	if (pipe2(p, O_CLOEXEC) < 0) {
		close(log);
		return mr_fail(err, errno, "pipe for --debug");
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(log), close(p[0]), close(p[1]);
		return mr_fail(err, errno, "fork the --debug logger");
	}
	if (pid == 0) {
		close(p[1]);
		logger(p[0], log, json);
	}
	close(p[0]);
	close(log);
	/* the logger is not waited for: it outlives us when `create` leaves an init */
	saved_stderr = fcntl(2, F_DUPFD_CLOEXEC, 10);
	if (saved_stderr < 0 || dup2(p[1], 2) < 0 || fstat(2, &st) < 0) {
		int e = errno;
		close(p[1]);
		return mr_fail(err, e, "point stderr at the --debug logger");
	}
	pipe_ino = st.st_ino;
	close(p[1]);
	/* stdio's stderr (usage, errors, a child's last words) stays the caller's; only
	 * what is written on fd 2 itself (mr_say, mr_warn) is narration */
	FILE *f = fdopen(saved_stderr, "w");
	if (f) {
		setvbuf(f, NULL, _IONBF, 0);
		stderr = f;
	}
	return 0;
}

int debuglog_stderr(void)
{
	return saved_stderr >= 0 ? saved_stderr : 2;
}

void debuglog_stdio(void)
{
	struct stat st;
	if (saved_stderr >= 0 && fstat(2, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    st.st_ino == pipe_ino)
		dup2(saved_stderr, 2);
}
