/*
 * lib/proc.h - running the user's command, and turning how it ended into an exit status;
 * and telling a live process from one that reused its pid.
 *
 * Shared by every tiny program that takes `-- CMD [ARGS]` and by minirun, so that all of
 * them answer as a shell (and docker) does: 127 when CMD is not found, 126 when it can't
 * be executed, 128+N when it was killed by signal N, else its own exit status.
 *
 * See: proc(5) /proc/PID/stat.
 */
#ifndef MR_PROC_H
#define MR_PROC_H

#include <sys/types.h>

/* Replace this process with argv[0] (searched in PATH). On failure print
 * "PROG: CMD: command not found" (exit 127) or "PROG: CMD: strerror" (exit 126). */
void mr_exec(char *const argv[]) __attribute__((noreturn));

/* The shell's exit status for a wait(2) status: code, or 128 + signal number. */
int mr_exit_status(int wstatus);

/* waitpid that retries on EINTR; returns the shell exit status, or -1 on error. */
int mr_wait_exit(pid_t pid);

/* mr_proc_start_time - field 22 of /proc/PID/stat, when PID started (clock ticks after
 * boot). A pid alone names another process once the kernel reuses it; a pid with its start
 * time names one process for good. 0 when PID is gone, <= 0, or a zombie (it has exited,
 * only not been reaped). */
unsigned long long mr_proc_start_time(pid_t pid);

#endif
