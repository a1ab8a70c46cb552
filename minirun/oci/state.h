/*
 * minirun/oci/state.h - the state directory of each container, under --root.
 *
 * ROOT/ID/ holds state.json (the OCI state plus what minirun needs to find the container
 * again: the init's start time, the cgroup, the config path), exec.fifo while the container
 * is "created", and a lock file that every verb holds while it changes the container. A
 * killed minirun leaves a directory from which `delete` can clean up fully: nothing is
 * kept only in memory.
 *
 * See: runtime-spec runtime.md "State"; flock(2); proc(5) /proc/PID/stat field 22.
 */
#ifndef MR_STATE_H
#define MR_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "lib/err.h"

#define STATE_ID_MAX      1024
#define STATE_HOOKS_KNOWN (1u << 31)

struct ctr_state {
	char id[STATE_ID_MAX];
	pid_t pid;                     /* the init's pid on the host; 0 before it exists */
	unsigned long long start_time; /* /proc/PID/stat starttime: tells a reused pid */
	char *bundle, *rootfs, *created, *cgroup; /* owned */
	bool has_created_hooks;                   /* started: the poststart hooks ran */
	unsigned hooks;      /* 1 << HOOK_* for each kind the config had at create, with
				STATE_HOOKS_KNOWN; 0: unknown (read the config to know) */
	json_t *annotations; /* owned reference or NULL */
	uid_t owner;
	char status[16]; /* computed: creating created running paused stopped */
};

/* The default --root: $MINIRUN_ROOT/run-oci when set, else /run/minirun-oci for root,
 * else $XDG_RUNTIME_DIR/minirun-oci (else /tmp/minirun-oci-UID). */
const char *state_default_root(void);

/* A container id is 1..1024 characters of [A-Za-z0-9_+.-] and not "." or "..": it names a
 * directory, so a '/' would walk out of ROOT. */
int state_check_id(const char *id, struct mr_err *err);

/* ROOT/ID/NAME into buf; -1 if it does not fit. */
int state_path(char *buf, size_t n, const char *root, const char *id, const char *name);

/* state_new_dir - create ROOT/ID (ROOT made if missing). "container with id exists: ID"
 * when it is there already. */
int state_new_dir(const char *root, const char *id, struct mr_err *err);

/* state_lock - take the container's lock (flock LOCK_EX on the directory ROOT/ID); returns the fd
 * to close to release it, or -1 ("container with id X does not exist"). */
int state_lock(const char *root, const char *id, struct mr_err *err);

/* state_save - write state.json from st: a new one atomically (temp file renamed), an
 * existing one (create's second record) rewritten in place (see state.c). */
int state_save(const char *root, const struct ctr_state *st, struct mr_err *err);

/* state_load - read ROOT/ID/state.json and compute st->status from the live process.
 * Fails with "container with id ID does not exist". Free with state_free. */
int state_load(const char *root, const char *id, struct ctr_state *st, struct mr_err *err);
void state_free(struct ctr_state *st);

/* state_refresh - recompute st->status: stopped when the init is gone (or its pid was
 * reused), created while exec.fifo exists, paused when its cgroup is frozen. */
void state_refresh(const char *root, struct ctr_state *st);

/* state_json - the OCI state document (ociVersion, id, status, pid, bundle, annotations,
 * and runc's rootfs, created, owner). New reference. */
json_t *state_json(const struct ctr_state *st);

/* state_remove_dir - remove ROOT/ID and what it holds. */
int state_remove_dir(const char *root, const char *id, struct mr_err *err);

/* The current time as RFC 3339 with nanoseconds, into buf. */
char *state_now(char *buf, size_t n);

#endif
