/*
 * minirun/container.h - the OCI container lifecycle as library calls.
 *
 * create -> start -> (running) -> kill -> (stopped) -> delete, as the runtime-spec's
 * "Lifecycle" section tells it. The `minirun oci VERB` programs are thin wrappers over
 * these functions; the docker-like front end calls them directly on the bundles it makes.
 * Every function returns 0 or -1 with err filled; none prints or exits.
 *
 * See: runtime-spec runtime.md ("State", "Lifecycle", "Operations"); runc(8).
 */
#ifndef MR_CONTAINER_H
#define MR_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/oci/spec.h"
#include "minirun/oci/state.h"

/* Options of `create` (and `run`), as runc names them. */
struct ctr_create_opts {
	const char *id;
	const char *bundle;         /* directory holding config.json; "." by default */
	const char *pid_file;       /* write the init's host pid here (may be NULL) */
	const char *console_socket; /* AF_UNIX socket that receives the pty master */
	int preserve_fds;           /* pass fds 3 .. 3+N-1 to the process */
	bool no_pivot;              /* chroot(2)-like MS_MOVE instead of pivot_root */
	bool no_new_keyring;        /* keep the caller's session keyring */
	int console_fd;             /* set by run: a socketpair end that takes the master;
				       -1 for none */
};

/*
 * ctr_create - make the container: namespaces, cgroup, mounts, devices; the first process
 * is left waiting for ctr_start, right before it executes process.args. Writes the state
 * directory ROOT/ID. On failure nothing is left behind (no state dir, cgroup or process).
 * *pid gets the init's pid as the host sees it.
 */
int ctr_create(const char *root, const struct ctr_create_opts *o, pid_t *pid, struct mr_err *err);

/* ctr_start - let a created container's process execute; runs the poststart hooks.
 * "cannot start a container that has stopped" / "... that is not created" as runc says. */
int ctr_start(const char *root, const char *id, struct mr_err *err);

/* ctr_kill - send SIG to the init (ALL: to every process of its cgroup). Fails with
 * "container not running" when it has stopped. */
int ctr_kill(const char *root, const char *id, int sig, bool all, struct mr_err *err);

/* ctr_delete - remove a stopped or created container (FORCE: kill a running one first):
 * processes, cgroup, state directory; runs the poststop hooks. */
int ctr_delete(const char *root, const char *id, bool force, struct mr_err *err);

/* ctr_pause / ctr_resume - freeze and thaw every process of the container's cgroup. */
int ctr_pause(const char *root, const char *id, bool pause, struct mr_err *err);

/* Options of `exec`. */
struct ctr_exec_opts {
	const char *id;
	const char *process_file; /* a process.json (runtime-spec "process" object) */
	char **args;              /* or these args (with cwd/env/user below) */
	const char *cwd;
	char **env;       /* extra KEY=VALUE entries */
	const char *user; /* "UID[:GID]" */
	bool tty, detach;
	const char *pid_file, *console_socket;
	int preserve_fds;
	bool no_new_privs;
	char **cap_add; /* --cap extra capabilities */
};

/* ctr_exec - run another process in a running container's namespaces and cgroup. Without
 * detach it waits and *status gets the shell-style exit status; with detach *status is 0
 * once the process has started. */
int ctr_exec(const char *root, const struct ctr_exec_opts *o, int *status, struct mr_err *err);

/* ctr_wait - wait for a container's init to exit (run does this); *status as the shell.
 * Only works for a child or when the caller is its subreaper. */
int ctr_wait(pid_t pid, int *status);

#endif
