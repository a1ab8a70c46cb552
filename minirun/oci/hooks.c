/*
 * minirun/oci/hooks.c - OCI hooks: programs the engine asks to run at points of the lifecycle.
 *
 * A hook gets the container's state (the JSON `state` prints) on its stdin, so it knows
 * the pid to act on: a network plugin moves a veth into /proc/PID/ns/net in createRuntime,
 * a logger records poststop. When they run, and in which namespaces:
 *
 *   prestart, createRuntime  after the namespaces exist, before pivot_root; in the
 *                            runtime's namespaces (run by the create process)
 *   createContainer          same moment, in the container's namespaces (run by its init)
 *   startContainer           in the container, just before the program is executed
 *   poststart                after start, by the start process (failures only warn)
 *   poststop                 by delete, after the processes are gone (failures only warn)
 *
 * See: runtime-spec config.md "POSIX-platform Hooks", runtime.md "Lifecycle".
 */
#include "minirun/oci/debuglog.h"
#include "minirun/oci/setup.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run one hook; 0 when it exits 0 within its timeout. */
static int run_one(const struct spec_hook *h, const char *what, const char *state,
		   struct mr_err *err)
{
	int in[2];
	if (pipe2(in, O_CLOEXEC) < 0)
		return mr_fail(err, errno, "%s: pipe", what);
	pid_t pid = fork();
	if (pid < 0)
		return mr_fail(err, errno, "%s: fork", what);
	if (pid == 0) {
		char *const fallback[] = {(char *)h->path, NULL};
		static char *const empty[] = {NULL};
		dup2(in[0], 0);
		debuglog_stdio();
		execve(h->path, h->args ? h->args : fallback, h->env ? h->env : empty);
		fprintf(stderr, "%s: exec '%s': %s\n", what, h->path, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	/* the hook may not read its stdin at all: a closed pipe is not our failure */
	signal(SIGPIPE, SIG_IGN);
	size_t len = strlen(state);
	for (size_t off = 0; off < len;) {
		ssize_t n = write(in[1], state + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(in[1]);
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0), st = 0;
	if (h->timeout > 0 && pfd >= 0) {
		struct pollfd p = {pfd, POLLIN, 0};
		int r;
		while ((r = poll(&p, 1, h->timeout * 1000)) < 0 && errno == EINTR)
			;
		if (r == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			close(pfd);
			return mr_fail(err, 0, "%s '%s' timed out after %d s", what, h->path,
				       h->timeout);
		}
	}
	if (pfd >= 0)
		close(pfd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		return mr_fail(err, 0, "%s '%s' was killed by signal %d", what, h->path,
			       WTERMSIG(st));
	return mr_fail(err, 0, "%s '%s' exited %d", what, h->path, WEXITSTATUS(st));
}

bool hooks_meet(const struct spec *s)
{
	return s->hooks[HOOK_PRESTART].n || s->hooks[HOOK_CREATE_RUNTIME].n ||
	       s->hooks[HOOK_CREATE_CONTAINER].n || s->hooks[HOOK_START_CONTAINER].n ||
	       s->hooks[HOOK_POSTSTOP].n;
}

int hooks_run(const struct spec *s, int kind, const char *state, struct mr_err *err)
{
	for (size_t i = 0; i < s->hooks[kind].n; i++) {
		char what[64];
		snprintf(what, sizeof(what), "hooks.%s[%zu]", spec_hook_names[kind], i);
		mr_say("run hook %s: %s", what, s->hooks[kind].list[i].path);
		if (run_one(&s->hooks[kind].list[i], what, state, err) < 0)
			return -1;
	}
	return 0;
}
