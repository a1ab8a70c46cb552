/*
 * cgroups/cgroup_impl.h - what the files of the cgroup library share and nobody else needs:
 * the handle's layout, and the v1 fallback's entry points. Programs use cgroup.h only.
 *
 * A cgroup is one directory per hierarchy it lives in ("node"): on a unified host just the
 * v2 one; on this hybrid CI host the v2 one (core files: procs, freeze, kill, events, PSI)
 * plus one in each v1 controller hierarchy (memory, pids, cpu,cpuacct, ...).
 */
#ifndef MR_CGROUP_IMPL_H
#define MR_CGROUP_IMPL_H

#include "cgroups/cgroup.h"

#include <errno.h>
#include <limits.h>

/* The cgroup's directory in one hierarchy. */
struct cg_node {
	char dir[PATH_MAX]; /* "/sys/fs/cgroup/memory/process_api/x/mr-run-1" */
	char hier[64];      /* v1: the hierarchy's controllers ("cpu,cpuacct"); v2: "" */
	unsigned bits;      /* the controllers (CG_* bits) served from this directory */
	bool v2;
};

/* cg_gone - errno E of a cgroup file's open or read says the cgroup was removed under us:
 * ENOENT once it is gone, ENODEV while kernfs is still taking it down (its files are
 * found but no longer open). Either way nothing is left inside it. */
static inline bool cg_gone(int e)
{
	return e == ENOENT || e == ENODEV;
}

#define CG_MAX_MADE 64
/* room for a node directory plus a file name, for building "DIR/FILE" */
#define CG_PATHBUF (PATH_MAX + 256)

/* Everything up to node[] is set when the handle is made (cg_new); node[i] only when it
 * is added (i < n), made[i] only when it is made (i < n_made): the handle is 350 KiB, and
 * zeroing it all cost each command that opens a cgroup ~0.1 ms of memset and page faults. */
struct cg {
	struct cg_system sys;
	char path[PATH_MAX]; /* in the main hierarchy, as /proc/PID/cgroup shows it */
	int n;
	int v2_fd; /* O_PATH of the v2 node's directory, -1 without one */
	/* directories cg_create made, in the order made; cg_remove takes them away in reverse */
	int n_made;
	struct cg_node node[CG_MAX_HIER + 1];
	char made[CG_MAX_MADE][PATH_MAX];
};

/*
 * cg_failx - like mr_fail, for a failure whose message already says what is wrong: errno
 * and err->errnum are set to ERRNUM for callers that test them, but no strerror text is
 * appended ("'12x' is not a size (...)", not "...: Invalid argument").
 */
int cg_failx(struct mr_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- detect.c ---- */

/* One v1 controller name -> its CG_* bit; the table behind cg_controller_bit. */
unsigned cg_v1_bits(const char *hier_controllers);

/* cg_build_path - where PATH goes below OWN: relative PATH -> OWN/PATH; absolute PATH is
 * kept, or re-rooted to OWN/PATH when BELOW_OWN and it does not already lie below OWN.
 * Collapses repeated slashes, drops a trailing one; refuses "..", "." and empty paths.
 * Writes the result (always starting with "/") into OUT. */
int cg_build_path(const char *own, const char *path, bool below_own, char *out, size_t size,
		  struct mr_err *err);

/* cg_fs_path - if PATH is a directory inside a mounted cgroup filesystem
 * ("/sys/fs/cgroup/unified/x"), set *HIER to its v1 index (or -1 for v2) and INNER to the
 * cgroup path inside ("/x") and return 1; return 0 when PATH is a cgroup path instead;
 * -1 with err when PATH points into the filesystem but outside every cgroup hierarchy. */
int cg_fs_path(const struct cg_system *sys, const char *path, int *hier, char *inner, size_t size,
	       struct mr_err *err);

/* ---- cgroup.c ---- */

/* The node serving controller BIT (v2 first), or NULL. */
struct cg_node *cg_node_for(const struct cg *cg, unsigned bit);
/* The v2 node, or NULL. */
struct cg_node *cg_v2_node(const struct cg *cg);
/* Read FILE of NODE into a new string (trailing newline kept). */
int cg_node_read(const struct cg_node *node, const char *file, char **out, struct mr_err *err);
/* Write VALUE to FILE of NODE, narrated under -v ("=> write memory.max = 16777216"). */
int cg_node_write(const struct cg_node *node, const char *file, const char *value,
		  struct mr_err *err);

/* ---- devices.c ---- */

struct bpf_insn;
/* the 6 of the prologue + at most 14 per rule (4 tests of 2-3, jump, r0, exit) + the 2
 * of the epilogue */
#define CG_DEVICES_MAX_INSNS(n) (6 + 14 * (n) + 2)
/* cg_devices_prog - the eBPF device filter (BPF_PROG_TYPE_CGROUP_DEVICE) for the N
 * checked RULES, into INSNS (room for CG_DEVICES_MAX_INSNS(N)); returns its length.
 * Separate from loading it so that tests/unit can run its decisions. */
size_t cg_devices_prog(const struct cg_device_rule *rules, size_t n, struct bpf_insn *insns);

/* ---- cgroup_v1.c ---- */

/* Make a new v1 directory usable: cpuset children start with empty cpuset.cpus/mems and
 * accept no task until they are filled, so copy the parent's. */
int cg_v1_prepare(const struct cg_node *node, struct mr_err *err);
/* cg_set/cg_get for a key whose controller lives in v1 NODE: translate and write/read. */
int cg_v1_set(struct cg *cg, struct cg_node *node, const char *key, const char *value,
	      struct mr_err *err);
int cg_v1_get(const struct cg *cg, const struct cg_node *node, const char *key, char **value,
	      struct mr_err *err);
/* Apply the memory limits of RES in v1's order (memsw >= limit at every step). */
int cg_v1_apply_memory(struct cg *cg, struct cg_node *node, const struct cg_resources *res,
		       struct mr_err *err);
/* The v1 freezer: FROZEN / THAWED, waiting for the state to settle. */
int cg_v1_freeze(const struct cg_node *node, bool frozen, int timeout_ms, struct mr_err *err);
int cg_v1_frozen(const struct cg_node *node, struct mr_err *err);
/* Fill the stats whose controllers live in v1 nodes. */
void cg_v1_stats(const struct cg *cg, struct cg_stats *st);

#endif
