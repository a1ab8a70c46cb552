/*
 * minirun/containers/monitor_note.c - the monitor's last words, and its signals reset
 * around their handlers.
 *
 * A monitor that dies before it has told the starter anything would leave `run` to say only
 * that it died. So it leaves a note: monitor.err in the container's directory, one line
 * ("killed by signal 11 (SIGSEGV) at step mount; last error: ..."), written by a handler of
 * every signal that ends a process and can be caught (and by an on_exit handler, for an
 * exit(3) from where none was expected: "exited with status N ..."). SIGKILL can't be
 * caught: a death with no note is one. The starter (monitor_spawn) removes the old note
 * before each start and reads the new one when the monitor dies unheard. A handler writes
 * with write(2) only: it runs in whatever state the crash left.
 *
 * See: monitor.c (the monitor); monitor_spawn.c (the starter, who reads the note);
 *      signal(7), signal-safety(7), on_exit(3).
 */
#include "minirun/containers/monitor_proto.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char note_path[4400];
static pid_t note_pid;                /* the monitor's: its forked init inherits the handler */
static const struct mr_err *note_err; /* the monitor's last error, if it had one */

static void note_add(char *buf, size_t len, size_t *at, const char *s)
{
	while (s && *s && *at + 1 < len)
		buf[(*at)++] = *s++;
}

/* write the note: "WHAT N (SIGNAME) at step STEP; last error: MSG" (SIGNAME for a signal) */
static void note_write(const char *what, int v, int sig)
{
	char line[1400], num[16];
	size_t at = 0, n = sizeof(num) - 1;
	if (getpid() != note_pid)
		return;
	num[n] = '\0';
	do
		num[--n] = (char)('0' + v % 10);
	while ((v /= 10) && n > 0);
	note_add(line, sizeof(line), &at, what);
	note_add(line, sizeof(line), &at, num + n);
	if (sig) {
		note_add(line, sizeof(line), &at, " (SIG");
		note_add(line, sizeof(line), &at, sigabbrev_np(sig));
		note_add(line, sizeof(line), &at, ")");
	}
	note_add(line, sizeof(line), &at, " at step ");
	note_add(line, sizeof(line), &at, *container_step_last ? container_step_last : "-");
	if (note_err && note_err->msg[0]) {
		note_add(line, sizeof(line), &at, "; last error: ");
		note_add(line, sizeof(line), &at, note_err->msg);
	}
	note_add(line, sizeof(line), &at, "\n");
	int fd = open(note_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0) {
		ssize_t w = write(fd, line, at);
		(void)w;
		close(fd);
	}
}

static void on_fatal(int sig)
{
	note_write("killed by signal ", sig, sig);
	/* SA_RESETHAND made the disposition the default again: die of the same signal */
	raise(sig);
}

/* exit(3) from somewhere unexpected (the monitor's own ends use _exit, which skips this) */
static void on_exit_note(int status, void *arg)
{
	(void)arg;
	note_write("exited with status ", status & 0xff, 0);
}

static const int fatal[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE,  SIGILL,  SIGSYS,  SIGTRAP, SIGTERM,
			    SIGINT,  SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR2, SIGXCPU, SIGXFSZ};

void monitor_note_arm(const char *root, const char *id, const struct mr_err *err)
{
	static pid_t registered, armed;
	struct sigaction sa = {.sa_handler = on_fatal, .sa_flags = SA_RESETHAND | SA_NODEFER};
	char run[4096];
	snprintf(note_path, sizeof(note_path), "%s/monitor.err",
		 containers_run_dir(root, id, run, sizeof(run)));
	note_pid = getpid();
	note_err = err;
	if (registered != note_pid && on_exit(on_exit_note, NULL) == 0)
		registered = note_pid;
	if (armed == note_pid)
		return;
	armed = note_pid;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
}

/*
 * monitor_signals_default - every signal back to its default action but the last words' handlers:
 * the container's init inherits ignored signals across its exec (a `run -d ... &` from a
 * script would otherwise hand it SIGINT and SIGQUIT ignored), and a handler of the caller's
 * would run in the monitor. Only those not at their default: /proc/self/status names them
 * (SigIgn, SigCgt), else every signal is reset.
 */
void monitor_signals_default(void)
{
	static pid_t done; /* once per process: an early monitor does it as it waits */
	unsigned long long ign = 0, cgt = 0;
	_cleanup_free_ char *status = NULL;
	const char *i = NULL, *c = NULL;
	if (done == getpid())
		return;
	done = getpid();
	if (mr_read_file("/proc/self/status", &status, NULL, NULL) < 0 ||
	    !(i = strstr(status, "\nSigIgn:")) || !(c = strstr(status, "\nSigCgt:")) ||
	    sscanf(i + 8, "%llx", &ign) != 1 || sscanf(c + 8, "%llx", &cgt) != 1)
		ign = cgt = ~0ULL;
	for (int sig = 1; sig < NSIG && sig <= 64; sig++) {
		bool note = false;
		for (size_t k = 0; k < sizeof(fatal) / sizeof(fatal[0]); k++)
			note |= fatal[k] == sig;
		if (((ign | cgt) >> (sig - 1) & 1) && !note && sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	}
}
