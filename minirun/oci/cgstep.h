/*
 * minirun/oci/cgstep.h - the cgroup step of the runtime: the one place minirun talks to cgroups/.
 *
 * linux.cgroupsPath names the container's cgroup and linux.resources its limits; pause,
 * resume, kill --all, ps, update and delete all act on that cgroup. Every one of those
 * goes through the functions below, which hand the work to the cgroups/ library (v2, with
 * its v1 fallback on hybrid hosts): minirun writes no cgroup file itself.
 *
 * A cgroup is named by the string recorded in state.json ("" for none).
 *
 * See: cgroups/cgroup.h; runtime-spec config-linux.md "Control groups".
 */
#ifndef MR_CGSTEP_H
#define MR_CGSTEP_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/oci/spec.h"

/*
 * The device filter, loaded ahead. Its rules and its BPF program (cgroups' cg_devices_load:
 * ~0.2 ms of every create) depend on the config alone, not on the cgroup, so a thread makes
 * them while create makes its state directory and the cgroup, and cgstep_create attaches
 * what it made. cgstep_ahead_start starts it when cgstep_create will load a filter (S must
 * outlive it); whatever it could not make, cgstep_create makes itself, with the errors.
 * cgstep_ahead_drop: joined, and what cgstep_create did not take freed (always call it).
 */
struct cg_device_rule;
struct cgstep_ahead {
	pthread_t thread;
	bool running; /* started and not joined yet */
	const struct spec *s;
	struct cg_device_rule *rules;
	size_t n;
	int prog; /* -1: none */
};
void cgstep_ahead_start(struct cgstep_ahead *a, const struct spec *s);
void cgstep_ahead_drop(struct cgstep_ahead *a);
/* cgstep_devices_ahead - the filter for a config with no linux.devices and the rules
 * DEVICES loaded now, before any spec (ctr_create_ahead), and kept for the first
 * cgstep_ahead_start whose rules are the same: it then takes it, and starts no thread. */
void cgstep_devices_ahead(json_t *devices);

/* cgstep_create - make the container's cgroup (from cgroupsPath, or ID below the caller's
 * own cgroup) and apply linux.resources, the device filter with what AHEAD made (may be
 * NULL). *name gets the name to record (malloc'd), or NULL when the host has no usable
 * cgroup hierarchy and the config asks for no limits. */
int cgstep_create(const struct spec *s, const char *id, struct cgstep_ahead *ahead, char **name,
		  struct mr_err *err);

/* cgstep_enter - move PID (a child minirun just made) into the cgroup. */
int cgstep_enter(const char *name, pid_t pid, struct mr_err *err);

/* cgstep_clone - fork a child that is in the cgroup NAME (NULL: none) before it runs, with
 * the extra clone FLAGS (CLONE_NEW*). Where NAME is one v2 directory the child is born
 * there (clone3 with CLONE_INTO_CGROUP), else it is moved in by cgroup.procs before this
 * returns. Returns like fork(2): 0 in the child, its pid in the parent, -1 with err (and
 * no child left) on failure. */
pid_t cgstep_clone(const char *name, unsigned long flags, struct mr_err *err);

/* cgstep_update - apply a linux.resources object to an existing cgroup. A "devices"
 * array replaces the device policy (with the defaults and the linux.devices of S, the
 * container's config, which may be NULL); without one the policy stays. A limit whose
 * controller the cgroup was made without gets it now: *GROWN is then the cgroup's new
 * recorded name (malloc'd; the caller saves it in the state), else NULL. */
int cgstep_update(const char *name, json_t *resources, const struct spec *s, char **grown,
		  struct mr_err *err);

/* cgstep_freeze - freeze (pause) or thaw (resume) every process of the cgroup. */
int cgstep_freeze(const char *name, bool freeze, struct mr_err *err);

/* cgstep_frozen - 1 when frozen, 0 when not, -1 when unknown. */
int cgstep_frozen(const char *name);

/* cgstep_procs - the pids in the cgroup (malloc'd array the caller frees). */
int cgstep_procs(const char *name, pid_t **pids, size_t *n, struct mr_err *err);

/* cgstep_kill - send SIG to every process of the cgroup. */
int cgstep_kill(const char *name, int sig, struct mr_err *err);

/* cgstep_remove - remove the cgroup (it must be empty; waits briefly for exiting tasks). */
int cgstep_remove(const char *name, struct mr_err *err);

/* cgstep_remove_unrecorded - remove the cgroup a create of ID killed before it recorded one
 * may have left: the one cgstep_create makes when the config names no cgroupsPath. 0 when
 * there is none. */
int cgstep_remove_unrecorded(const char *id, struct mr_err *err);

/* A short description of the cgroup setup for `features` and -v ("v2", "v1 (hybrid)"). */
const char *cgstep_mode(void);

#endif
