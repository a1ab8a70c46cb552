/*
 * minirun/oci/runtime.h - the OCI runtime as library calls: the one header of minirun/oci/
 * that the rest of minirun includes (tests/lint/includes.sh checks it).
 *
 * create -> start -> (running) -> kill -> (stopped) -> delete, as the runtime-spec's
 * "Lifecycle" section tells it. The `minirun oci VERB` programs are thin wrappers over
 * these functions; the docker-like front end calls them directly on the bundles it makes.
 * Every function returns 0 or -1 with err filled; none prints or exits.
 *
 * Below the lifecycle, what the front end shares with the runtime: the state directory
 * (state.h, included here for struct ctr_state and state_load), a container's processes,
 * paths opened inside a rootfs, a pty master passed over a socket, the sealed re-exec, and
 * the `minirun oci` command line itself. README.md here maps the rest of the folder.
 *
 * See: README.md here; runtime-spec runtime.md ("State", "Lifecycle", "Operations"); runc(8).
 */
#ifndef MR_OCI_RUNTIME_H
#define MR_OCI_RUNTIME_H

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
	/* set by run: the tree it just wrote to BUNDLE/config.json, used instead of reading
	 * the file back (spec_load_tree: the runtime holds its own reference while it runs;
	 * the caller must not change the tree meanwhile), and that file's text (error
	 * positions; may be NULL). NULL: read the file, as `minirun oci create`. */
	json_t *config;
	const char *config_text;
	/* set by run's monitor: a new network namespace it began (ctr_netns_ahead_start),
	 * used as the one the runtime would make ahead (ctr_create says when: a new network
	 * namespace and no user namespace; ctr_netns_ahead_used tells after), else dropped.
	 * The struct stays the caller's, to drop after the call. NULL: none. */
	struct ctr_netns_ahead *net_ahead;
	/* set by run's monitor: its own work done while the init sets up (the mounts, the
	 * pivot: ~1 ms in which the caller would only wait). Called once, when the init
	 * exists and before the create waits for it to be ready; it must not take a lock
	 * that a holder of this container's could wait on (the create holds the state's).
	 * -1 (with err) fails the create: the init is killed, nothing is left. NULL: none. */
	int (*while_init)(void *arg, struct mr_err *err);
	void *while_init_arg;
};

/*
 * ctr_create - make the container: namespaces, cgroup, mounts, devices; the first process
 * is left waiting for ctr_start, right before it executes process.args. Writes the state
 * directory ROOT/ID. On failure nothing is left behind (no state dir, cgroup or process).
 * *pid gets the init's pid as the host sees it.
 */
int ctr_create(const char *root, const struct ctr_create_opts *o, pid_t *pid, struct mr_err *err);

/* ctr_netns_ahead_start - begin a new network namespace on a thread of ours, which the
 * caller goes on beside (it stays in its own namespace, which it may not be allowed to
 * join again): for ctr_create_opts.net_ahead, which joins the thread and takes the
 * namespace. LO_UP: with its loopback device up, as run's every container has it (an
 * OCI runtime alone leaves the network to its engine: ctr_create's own never does it).
 * SYSCTL (a linux.sysctl object, or NULL): its net.* entries written in the namespace once
 * made; the container's init then skips those its config gives the same value.
 * NULL when no thread could be started. The thread opens fds while it runs: a caller
 * that closes fds wholesale does it before. ctr_netns_ahead_used: whether ctr_create's
 * container got it. ctr_netns_ahead_drop: done with it (the thread joined, the namespace
 * closed unless a container took it, the struct freed; NULL is nothing). */
struct ctr_netns_ahead;
struct ctr_netns_ahead *ctr_netns_ahead_start(bool lo_up, json_t *sysctl);
bool ctr_netns_ahead_used(const struct ctr_netns_ahead *a);
void ctr_netns_ahead_drop(struct ctr_netns_ahead *a);

/* ctr_create_ahead - what a create can make before it knows its container, made now: the
 * host's cgroup layout learnt (cgstep.c's cgstep_host, ~0.1 ms of /proc files on a hybrid
 * host), and the device filter for the linux.resources.devices DEVICES (may be NULL)
 * loaded (~0.25 ms of the kernel's), which the next create takes when its own rules are
 * the same. For a caller with time to spare first (run's early monitor, before its ID). */
void ctr_create_ahead(json_t *devices);

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

/* ctr_update - write RESOURCES (a linux.resources object: memory, cpu, pids) to the cgroup of
 * a running or paused container, as `update --resources` does; "container not running"
 * once it has stopped. The caller keeps RESOURCES. */
int ctr_update(const char *root, const char *id, json_t *resources, struct mr_err *err);

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

/* ---- what the front end shares with the runtime ----------------------------------------- */

/* mnt_open_in_root - open PATH (as seen inside the container; a relative one is taken from
 * the container's root) below ROOTFD with openat2(RESOLVE_IN_ROOT): a symlink can't lead out. With
 * CREATE, make missing directories (and a last empty file when DIR is false). Returns an O_PATH fd.
 * (mounts.c) */
int mnt_open_in_root(int rootfd, const char *path, bool create, bool dir, struct mr_err *err);

/* Whose rules a mount destination is checked against: runc's (the OCI runtime), or the
 * front end's, which keeps /sys and /dev for the mounts it makes itself. */
enum oci_mount_rules { OCI_MOUNT_RULES_RUNC, OCI_MOUNT_RULES_FRONT_END };
/* oci_mount_dest_check - may a mount of TYPE ("bind", "tmpfs", "proc", ...) go on DEST (a
 * path inside the container, cleaned lexically first)? As runc: over /proc only a proc, below
 * /proc only the files lxcfs emulates (/proc/meminfo ...); with the front end's RULES also
 * nothing over /sys or /dev themselves. 0, or -1 with runc's words naming DEST. (mounts.c) */
int oci_mount_dest_check(const char *dest, const char *type, enum oci_mount_rules rules,
			 struct mr_err *err);

/* console_recv - receive one fd sent with SCM_RIGHTS over the unix socket SOCK: the pty
 * master a --console-socket gets. (console.c) */
int console_recv(int sock, struct mr_err *err);

/* clone_exe_is_sealed - true when /proc/self/exe is a copy nobody can write (clone_exe.c): a
 * sealed memfd, or our private read-only overlay of the binary. */
bool clone_exe_is_sealed(void);

/* clone_exe_reexec - if not already running from such a copy, make one and execute it
 * with ARGV and the same environment. Returns 0 when already sealed; on success does not
 * return; -1 with err filled when the copy could not be made. */
int clone_exe_reexec(char **argv, struct mr_err *err);

/*
 * A container's processes, and ps(1)'s rows of them: what `minirun oci ps` (runc's ps) and
 * `minirun top` (docker's top) show (procs.c).
 *
 * procs_list - the host pids of a container: those of its cgroup CGROUP (the OCI state's
 * path; children and exec'd processes included), or, when CGROUP is NULL or "" or can't be
 * read, those sharing the pid namespace of its init INIT. *pids is malloc'd (the caller
 * frees it). Returns 0, or -1 with err ("container not running": INIT is gone).
 */
int procs_list(const char *cgroup, pid_t init, pid_t **pids, size_t *n, struct mr_err *err);

/* ps(1)'s table, cut to a container's processes */
struct procs_table {
	char **lines; /* the header, then the rows; each without its newline */
	size_t n;
	int pid_col; /* which whitespace-separated word of a line is the PID */
};

/*
 * procs_ps - run `ps ARGS` (NARGS of them; none: -ef) and keep its header and the rows whose
 * PID column holds one of PIDS, into *t (free with procs_table_free). ps's errors go to our
 * stderr. Returns 0, or -1 with err: ps failed or is missing, or its header has no PID
 * column (ps options without one, as `-o comm`).
 */
int procs_ps(char *const *args, int nargs, const pid_t *pids, size_t npids, struct procs_table *t,
	     struct mr_err *err);

void procs_table_free(struct procs_table *t);

/* oci_main - `minirun oci [GLOBAL OPTIONS] VERB ...` (also the whole of `minirun-oci`). */
int oci_main(int argc, char **argv, char **full_argv);

#define MINIRUN_VERSION      "0.1.0"
#define MINIRUN_SPEC_VERSION "1.0.2"

#endif
