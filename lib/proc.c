/*
 * lib/proc.c - exec the user's command with the shell's error conventions (see proc.h).
 */
#include "lib/proc.h"
#include "lib/err.h"

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
