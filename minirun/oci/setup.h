/*
 * minirun/oci/setup.h - the steps that turn a fresh process into a container's process.
 *
 * Each step lives in its own file and does one mechanism; init.c calls them in the order
 * that matters (and says why there). All return 0, or -1 with err filled.
 *
 *   mounts.c   rootfs, config mounts resolved inside the rootfs, masked/readonly paths,
 *              pivot_root and detaching the old root
 *   devices.c  device nodes, /dev symlinks, /dev/console
 *   caps.c     the five capability sets
 *   seccomp.c  linux.seccomp compiled with libseccomp
 *   seccomp_eval.c  what a filter answers to one call (a classic BPF interpreter)
 *   process.c  rlimits, user and groups, umask, env, cwd, oom score, sysctl, fds, exec
 *   hooks.c    OCI hooks with the state on stdin
 *   console.c  the pty, SCM_RIGHTS, and the run-in-foreground proxy
 *   syncmsg.c  the parent <-> init messages
 */
#ifndef MR_SETUP_H
#define MR_SETUP_H

#include <linux/filter.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdbool.h>
#include <sys/types.h>

#include "lib/err.h"
#include "lib/file.h"            /* mr_fd_path: the steps mount onto and from fds */
#include "minirun/oci/runtime.h" /* mnt_open_in_root, console_recv */
#include "minirun/oci/spec.h"

/* ---- mounts.c ---- */

/* mnt_prepare_root - make the mount tree private (or as rootfsPropagation says) and bind
 * the rootfs onto itself so it is a mount point pivot_root accepts. Returns an O_PATH fd of
 * the rootfs, which later steps resolve every path against. */
int mnt_prepare_root(const struct spec *s, struct mr_err *err);
/* mnt_config_mounts - do spec->mounts in order, each destination resolved in the rootfs. */
int mnt_config_mounts(const struct spec *s, int rootfd, struct mr_err *err);
/* mnt_mask_paths - maskedPaths (over /dev/null or an empty read-only tmpfs) and
 * readonlyPaths (bound onto themselves read-only). */
int mnt_mask_paths(const struct spec *s, int rootfd, struct mr_err *err);
/* mnt_pivot - pivot_root into the rootfs and detach the old root (NO_PIVOT: move the
 * rootfs onto / and chroot, for ramfs roots); then root.readonly. */
int mnt_pivot(const struct spec *s, bool no_pivot, struct mr_err *err);

/* ---- devices.c ---- */

/* dev_setup - the default devices (null zero full random urandom tty) when /dev is a new
 * tmpfs, linux.devices, the /dev/fd, stdin.. and ptmx symlinks. */
int dev_setup(const struct spec *s, int rootfd, struct mr_err *err);
/* dev_console - bind the pty SLAVE fd onto /dev/console. */
int dev_console(int rootfd, int slave, struct mr_err *err);

/* ---- caps.c ---- */

/* caps_bounding - drop every capability not in process.capabilities.bounding from the
 * bounding set; needs CAP_SETPCAP, so it runs before the user switch. */
int caps_bounding(const struct spec_process *p, struct mr_err *err);
/* caps_apply - set (drop the rest), then ambient, effective, permitted;
 * inheritable only as configured. Called after the user switch, as the last privileged
 * step before seccomp and exec. */
int caps_apply(const struct spec_process *p, struct mr_err *err);

/* ---- seccomp.c ---- */

/* seccomp_compile - build the filter for linux.seccomp (NULL when absent). */
int seccomp_compile(const struct spec *s, scmp_filter_ctx *out, struct mr_err *err);
/* A filter ready to load: its BPF and the seccomp(2) flags. */
struct seccomp_prog {
	struct sock_fprog fprog;
	unsigned int flags;
};
/* seccomp_prepare - the BPF for linux.seccomp (*out NULL when absent), from CACHE_DIR's
 * .seccomp-cache when this profile was compiled before, else compiled and cached there
 * (CACHE_DIR NULL: no cache). Free with seccomp_prog_free. */
int seccomp_prepare(const struct spec *s, const char *cache_dir, struct seccomp_prog **out,
		    struct mr_err *err);
void seccomp_prog_free(struct seccomp_prog *p);
/* seccomp_install - load a prepared filter into this process (NULL: nothing). */
int seccomp_install(const struct seccomp_prog *p, struct mr_err *err);
/* seccomp_allows - true when P (NULL: no filter) lets each of the N native syscall numbers
 * NRS through whatever their arguments: SECCOMP_RET_ALLOW, decided by the number alone */
bool seccomp_allows(const struct seccomp_prog *p, const long *nrs, size_t n);

/* ---- netns_ahead.c ---- */

/* A new network namespace made by a thread of the create process while the rest of
 * create runs (see ctr_create for why). */
struct ctr_netns_ahead {
	pthread_t thread;
	bool running;   /* created and not joined yet */
	bool lo_up;     /* bring its loopback device up (ctr_netns_ahead_start's LO_UP) */
	bool used;      /* a container's init got it (ctr_create) */
	int fd;         /* /proc/thread-self/ns/net of the thread after its unshare, or -1 */
	json_t *sysctl; /* its net.* sysctls to write (a linux.sysctl object), or NULL */
	json_t *done;   /* those the thread wrote (key: value): the init skips them */
};
/* netns_ahead_start: its thread started (A->running says whether); netns_ahead_join: the
 * thread joined, the namespace's fd returned (the caller closes it), or -1 when there is
 * none; netns_ahead_drop: joined and closed, not wanted; netns_ahead_free: its sysctl and
 * done objects freed (after the join) */
void netns_ahead_start(struct ctr_netns_ahead *a);
int netns_ahead_join(struct ctr_netns_ahead *a);
void netns_ahead_drop(struct ctr_netns_ahead *a);
void netns_ahead_free(struct ctr_netns_ahead *a);

/* ---- process.c ---- */

int proc_rlimits(const struct spec_process *p, struct mr_err *err);
int proc_oom_score(const struct spec_process *p, struct mr_err *err);
/* proc_sysctl - write linux.sysctl, but the entries DONE (an object, may be NULL) holds with
 * the same value: those the thread that made the network namespace wrote (runtime.c). */
int proc_sysctl(const struct spec *s, const json_t *done, struct mr_err *err);
/* proc_sysctl_path - "/proc/sys/net/ipv4/x" for the sysctl KEY "net.ipv4.x", into BUF; -1
 * for a name that would leave /proc/sys ("..", a '/') or does not fit. */
int proc_sysctl_path(const char *key, char *buf, size_t len);
/* proc_user - setgroups, setgid, setuid keeping capabilities for caps_apply. */
int proc_user(const struct spec_process *p, struct mr_err *err);
/* proc_chdir - chdir into cwd, resolved inside the container's root with no magic links,
 * so "/proc/self/fd/N" pointing at a leaked host directory fails. */
int proc_chdir(const char *cwd, struct mr_err *err);
/* proc_close_fds - mark every fd from 3 + PRESERVE up close-on-exec. */
int proc_close_fds(int preserve, struct mr_err *err);
/* proc_lookup - find args[0] as execvp would, with the PATH of ENV (the container's);
 * "exec: \"X\": executable file not found in $PATH" as runc says. */
int proc_lookup(const char *arg0, char *const *env, char *out, size_t n, struct mr_err *err);
/* proc_exec - execve args with env, searching PATH from env. Returns only on failure. */
int proc_exec(char *const *args, char *const *env, struct mr_err *err);

/* ---- hooks.c ---- */

/* hooks_run - run every hook of one kind in order, the STATE json text on its stdin;
 * the first that fails or times out stops the list. */
int hooks_run(const struct spec *s, int kind, const char *state, struct mr_err *err);
/* hooks_meet - whether the create process and the init meet before pivot_root (SYNC_HOOKS,
 * SYNC_HOOKS_OK): S has a prestart, createRuntime, createContainer, startContainer (the
 * last two get the state text the meeting hands over) or poststop hook (a create that
 * fails past that point runs them). Without any, the meeting would only cost both sides
 * a wake-up. */
bool hooks_meet(const struct spec *s);

/* ---- console.c ---- */

/* console_open - a new pty from the devpts of ROOTFD (dev/pts/ptmx, else dev/ptmx).
 * *master and *slave get the fds; the size is set from process.consoleSize. */
int console_open(const struct spec_process *p, int rootfd, int *master, int *slave,
		 struct mr_err *err);
/* console_connect - connect to the AF_UNIX socket at PATH (the --console-socket). */
int console_connect(const char *path, struct mr_err *err);
/* console_send - send FD over the connected unix socket SOCK with SCM_RIGHTS. */
int console_send(int sock, int fd, struct mr_err *err);
/* console_proxy - copy our stdin to MASTER and MASTER to our stdout until PID exits
 * (raw mode on a terminal stdin, restored after). Returns PID's shell exit status. */
int console_proxy(int master, pid_t pid);

/* ---- syncmsg.c ---- */

enum sync_type {
	SYNC_GO = 1,     /* parent: you are in the cgroup, go on */
	SYNC_USERMAP,    /* child: write my uid/gid maps */
	SYNC_USERMAP_OK, /* parent: done */
	SYNC_PID,        /* child: the init's host pid is .pid */
	SYNC_HOOKS,      /* init: namespaces and mounts are made, run createRuntime hooks */
	SYNC_HOOKS_OK,   /* parent: done; .text holds the state for createContainer */
	SYNC_READY,      /* init: waiting for start */
	SYNC_ERR,        /* either side: .text says what failed */
};

struct sync_msg {
	int type;
	int pid;
	char text[4000];
};

/* sync_send - send one message; sync_sendf with a text. */
int sync_send(int fd, int type, int pid, const char *text);
/* sync_expect - receive one message of TYPE into m. A SYNC_ERR's text, or a closed
 * socket ("init exited during setup"), becomes err. */
int sync_expect(int fd, int type, struct sync_msg *m, struct mr_err *err);

#endif
