/*
 * lib/proc.c - exec the user's command with the shell's error conventions, and a process's
 * start time (see proc.h).
 */
#include "lib/proc.h"
#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void mr_exec(char *const argv[])
{
	execvp(argv[0], argv);
	int e = errno;
	if (e == ENOENT)
		mr_diex(MR_EXIT_NOT_FOUND, "%s: command not found", argv[0]);
	mr_diex(MR_EXIT_CANNOT_EXEC, "%s: %s", argv[0], strerror(e));
}

int mr_exit_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

int mr_wait_exit(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return mr_exit_status(st);
}

unsigned long long mr_proc_start_time(pid_t pid)
{
	char path[64];
	_cleanup_free_ char *text = NULL;
	unsigned long long t = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || mr_read_file(path, &text, NULL, NULL) < 0)
		return 0;
	/* the command name (field 2) may hold spaces and parentheses: count from the last ')' */
	char *p = strrchr(text, ')');
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			 "%*d %*d %*d %*d %llu",
			 &t) != 1)
		return 0;
	if (p[2] == 'Z' || p[2] == 'X') /* state, field 3: exited, not reaped yet */
		return 0;
	return t;
}
