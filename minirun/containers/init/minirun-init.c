/*
 * minirun/containers/init/minirun-init.c - the tiny init that `minirun run --init` puts at
 * pid 1 of a container (docker runs tini as /sbin/docker-init for the same job).
 *
 * Pid 1 is special, and most programs are not written to be it:
 *   - the kernel gives pid 1 no default signal actions: a SIGTERM that the program has no
 *     handler for is simply ignored, so `docker stop` waits 10 s and then SIGKILLs;
 *   - every orphaned process in the namespace is re-parented to pid 1, and becomes a
 *     zombie forever unless pid 1 wait()s for it;
 *   - when pid 1 exits, the kernel kills everything else in the namespace.
 * So this init forks the real command, forwards every signal it receives to it, reaps
 * every child that dies (the command's orphans too), and exits with the command's own
 * status (128+N if a signal N killed it), as a shell would.
 *
 * Usage:  minirun-init [-v] -- COMMAND [ARG...]
 *   -v   say on stderr what the init does
 *
 * See: signal(7) ("pid 1"), sigwaitinfo(2), prctl(2) PR_SET_CHILD_SUBREAPER,
 *      https://github.com/krallin/tini (what docker ships), waitpid(2).
 * Build: make minirun (a static binary: it runs inside images without a libc of ours).
 */
#include "lib/err.h"
#include "lib/proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: minirun-init [-v] -- COMMAND [ARG...]\n"
		"  -v   narrate: the child's pid, each signal forwarded, each process reaped\n");
}

/* Signals the kernel sends a process about its own fault: these must keep their default
 * action in the init, never be blocked and forwarded. */
static const int fault_signals[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS};

int main(int argc, char **argv)
{
	int i = 1;
	sigset_t all, old;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "-v") == 0)
			mr_verbose = 1;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return usage(stdout), 0;
		else
			return usage(stderr), MR_EXIT_USAGE;
	}
	if (i >= argc)
		return usage(stderr), MR_EXIT_USAGE;

	/* Block everything before forking: a signal that arrives between fork and the
	 * wait loop stays pending and is forwarded, instead of killing or being lost. */
	sigfillset(&all);
	for (size_t k = 0; k < sizeof(fault_signals) / sizeof(fault_signals[0]); k++)
		sigdelset(&all, fault_signals[k]);
	sigprocmask(SIG_SETMASK, &all, &old);
	/* not pid 1 (a nested use): still become the parent of the command's orphans */
	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

	pid_t child = fork();
	if (child < 0)
		mr_die("fork");
	if (child == 0) {
		/* its own process group, in the terminal's foreground (if there is one), so a
		 * Ctrl-C typed at the terminal reaches the command; SIGTTOU is still blocked
		 * here, which is what lets a background group call tcsetpgrp */
		setpgid(0, 0);
		if (isatty(STDIN_FILENO))
			tcsetpgrp(STDIN_FILENO, getpid());
		sigprocmask(SIG_SETMASK, &old, NULL);
		mr_exec(argv + i); /* 127 not found, 126 not executable, as a shell */
	}
	mr_say("started %s as pid %d", argv[i], (int)child);

	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			mr_die("sigwaitinfo");
		}
		if (sig != SIGCHLD) {
			mr_say("forward signal %d to %d", sig, (int)child);
			kill(child, sig);
			continue;
		}
		/* one SIGCHLD may stand for many deaths: reap until none is left */
		pid_t pid;
		int status;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			mr_say("reaped %d", (int)pid);
			if (pid == child) {
				mr_say("the command ended: exit %d", mr_exit_status(status));
				return mr_exit_status(status);
			}
		}
	}
}
