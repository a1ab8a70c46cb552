/*
 * minirun/containers/lifecycle.h - what store.c, monitor.c and lifecycle.c share
 * (private to the lifecycle: other parts code against containers.h only).
 *
 * See: README.md here, "The steps of run" and "How rm -f undoes them".
 */
#ifndef MR_CONTAINERS_LIFECYCLE_H
#define MR_CONTAINERS_LIFECYCLE_H

#include "minirun/containers/containers.h"

/* store.c: remove the temp files (NAME.PID.tmp) that dead writers left in the container's
 * directory; the lock must be held (container_save does it then, and start before the
 * monitor saves on its behalf) */
void container_sweep_temps(struct container *c);
/* store.c: give up every name claim that holds ID. Safe to repeat. */
int container_release_name(const char *root, const char *id);

/* trash.c: remove the container's run directory (the --rm upper's tmpfs unmounted), then
 * its directory (renamed into ROOT/containers/.trash, then deleted), never crossing into a
 * mount; -1 with err when something is still mounted there. With rootfs_defer_trash set (a
 * --rm monitor), only the rename is done here: the deletions, the run directory's too, wait
 * for rootfs_trash_empty(), called once the client has its exit code. */
int rootfs_remove_dir(struct container *c, struct mr_err *err);
extern bool rootfs_defer_trash;
void rootfs_trash_empty(void);
/* trash.c: make the container's run directory (RUN/containers/ID, root.c) if missing */
int rootfs_run_dir(struct container *c, struct mr_err *err);
/* the rootfs of C for minirun/bundle's rootfs.c (bundle_rootfs_mount, bundle_files): its
 * directory, its run directory (RUN: RUN/containers/ID, written into RUNBUF of RUNLEN) and
 * the record's image and layers; valid while c->r and RUNBUF are */
struct bundle_rootfs container_rootfs(const struct container *c, char *runbuf, size_t runlen);

/* monitor_spawn.c: start the monitor (a middle process, setsid) and wait until it says
 * the container runs (0) or failed (-1, err with errnum ENOENT/EACCES for 127/126). The
 * caller holds the container's lock; the monitor saves the record on its behalf until it
 * answers. */
int monitor_spawn(struct container *c, bool attach, struct mr_err *err);
/* monitor_spawn.c: `run`'s monitor, started before its container is made (it executes
 * and loads meanwhile; monitor_spawn then hands it the container). Nothing when it can't
 * (monitor_spawn starts one then). monitor_prespawn_cancel, when the create failed: the
 * monitor exits having made nothing (as it does when the caller dies). */
void monitor_prespawn(const char *root, bool attach);
void monitor_prespawn_cancel(void);
/* monitor.c: the live monitor's pid (checked against its recorded start time), else 0 */
pid_t monitor_alive(struct container *c);
/* the hidden verb `__monitor ID attach|detached`: the monitor, re-executed (monitor.c) */
int monitor_exec_main(int argc, char **argv);

/* lifecycle.c: container_stop with SIG instead of the record's StopSignal (0: that one) */
int container_stop_sig(struct container *c, int sig, int timeout, struct mr_err *err);
/* lifecycle.c: undo what a dead monitor left (OCI container, networks, mount) */
void container_cleanup(struct container *c);

/* lifecycle.c: the init's pid of a container that runs without its monitor (the monitor
 * was killed: an orphan), else 0. Found through the OCI state (pid + start time). */
pid_t container_orphan(struct container *c);
/* lifecycle.c: an orphan whose init has ended (waited for up to MS ms): clean up after it
 * as its monitor would have (container_cleanup; the lock held). 1 when done, 0 otherwise */
int container_reap_orphan(struct container *c, int ms);

/* wait.c: `minirun wait [--condition C] CONTAINER...` */
int cmd_wait(int argc, char **argv);

#endif
