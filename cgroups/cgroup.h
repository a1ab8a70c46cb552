/*
 * cgroups/cgroup.h - control groups: create one, set its limits, put processes in it, read
 * what they used, freeze, kill and remove it. One API over cgroup v2 and the v1 fallback.
 *
 * A cgroup is a directory in a cgroup filesystem. Its files are the interface: writing a
 * pid into `cgroup.procs` moves that process in, writing "16777216" into `memory.max` caps
 * its memory, reading `memory.events` tells how often the OOM killer struck. On cgroup v2
 * every controller lives in one tree (the "unified" hierarchy, usually /sys/fs/cgroup); on
 * v1 each controller has its own tree (/sys/fs/cgroup/memory, /sys/fs/cgroup/pids, ...).
 *
 * The mode is detected at run time from /proc/self/mounts and /proc/self/cgroup:
 *   unified  cgroup2 only (every modern distribution, the VM test tier);
 *   hybrid   v1 controller hierarchies plus a cgroup2 mount (older Ubuntu, WSL, this CI
 *            host): limits go to the v1 trees (no controller is switched on in a v2 root
 *            the machine shares), while a directory in the v2 tree still gives
 *            cgroup.freeze, cgroup.kill, cgroup.events and PSI;
 *   legacy   v1 only.
 * The v2 code is in cgroup.c, the v1 fallback in cgroup_v1.c; `-v` narration says which.
 *
 * Paths. A cgroup PATH is written as /proc/PID/cgroup shows it:
 *   "name" or "a/b"  relative: below the caller's own cgroup (delegation-friendly; the
 *                    default of every tiny program and of minirun without cgroupsPath);
 *   "/a/b"           absolute: from the root of the hierarchy (OCI's cgroupsPath). On v1
 *                    (hybrid, legacy) an absolute path is still placed below the caller's
 *                    own cgroup of each hierarchy unless it already lies there: this
 *                    library never creates outside what the caller was given.
 *   "/sys/fs/cgroup/..."  a directory of a mounted cgroup filesystem (cg_open only).
 * ".." components and paths that leave the hierarchy are refused.
 *
 * Errors follow lib/err.h: -1 (or NULL) with struct mr_err naming the cgroup, the
 * controller and the file: "cgroup 'mr-x': controller 'memory' is not available in
 * /sys/fs/cgroup/unified (cgroup.controllers: hugetlb)".
 *
 * See: Documentation/admin-guide/cgroup-v2.rst, Documentation/admin-guide/cgroup-v1/,
 *      cgroups(7), clone(2) (CLONE_INTO_CGROUP), the OCI runtime-spec config-linux.md.
 * Build: make cgroups. Try: cgroups/run -v -m 16m --swap 0 -- sh -c 'dd if=/dev/zero bs=64M count=1
 * of=/dev/null'
 */
#ifndef MR_CGROUP_H
#define MR_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"

/* ---- detection ------------------------------------------------------------------------ */

enum cg_mode { CG_UNIFIED, CG_HYBRID, CG_LEGACY };

#define CG_MAX_HIER 16

/* One mounted v1 hierarchy: its controllers, where it is mounted, and our own cgroup in it. */
struct cg_hier {
	char controllers[64]; /* "memory", "cpu,cpuacct" (comounted), "name=systemd" */
	char mount[256];      /* "/sys/fs/cgroup/memory" */
	char own[1024];       /* "/process_api/3d2d..." from /proc/self/cgroup, "/" at the root */
};

/* What detection found. Plain data, no heap: copy it freely. */
struct cg_system {
	enum cg_mode mode;
	char v2_mount[256]; /* cgroup2 mount point, "" if none */
	char v2_own[1024];  /* our v2 cgroup ("0::/x" -> "/x"), "" if none */
	int n_v1;
	struct cg_hier v1[CG_MAX_HIER]; /* v1 hierarchies with a real controller */
};

/* cg_detect - detect from /proc/self/mounts and /proc/self/cgroup. 0, or -1 with err
 * ("no cgroup filesystem is mounted ...") when neither v1 nor v2 is mounted. */
int cg_detect(struct cg_system *sys, struct mr_err *err);

/* cg_detect_text - the same from the texts of those two files (for tests and for reading
 * another process's view). Mount points with octal escapes (\040) are unescaped. */
int cg_detect_text(const char *mounts, const char *self_cgroup, struct cg_system *sys,
		   struct mr_err *err);

/* "unified", "hybrid", "legacy" */
const char *cg_mode_name(enum cg_mode mode);

/* The v1 hierarchy that holds CONTROLLER ("memory"), or NULL. */
const struct cg_hier *cg_v1_hier(const struct cg_system *sys, const char *controller);

/* ---- controllers ------------------------------------------------------------------------ */

/* Controller bits for cg_create. v2 names; on v1 CG_CPU also means cpuacct, and the freezer
 * hierarchy is always used when it exists (v2 has freezing built into every cgroup). */
enum {
	CG_CPU = 1 << 0,
	CG_CPUSET = 1 << 1,
	CG_IO = 1 << 2, /* v1: blkio */
	CG_MEMORY = 1 << 3,
	CG_PIDS = 1 << 4,
	CG_HUGETLB = 1 << 5,
	CG_NET_CLS = 1 << 6,  /* v1 only: v2 has no such controller (nftables/BPF instead) */
	CG_NET_PRIO = 1 << 7, /* v1 only, the same */
	CG_NCONTROLLERS = 8,
	/* every controller the kernel offers, skipping the missing ones without an error
	 * (what a runtime wants, so that a later `update` can set any limit) */
	CG_ALL = 1 << 30,
};

/* "memory" for CG_MEMORY; NULL for a bit that is not one controller. */
const char *cg_controller_name(unsigned bit);
/* CG_MEMORY for "memory" (v1 "blkio" is CG_IO, "cpuacct" is CG_CPU); 0 if unknown. */
unsigned cg_controller_bit(const char *name);

/* ---- resources: the limits to apply ----------------------------------------------------- */

#define CG_UNSET     (-1)      /* leave this limit as the kernel has it */
#define CG_LIMIT_MAX INT64_MAX /* no limit: "max" on v2, -1 on v1 */

#define CG_MAX_IO_DEV   16
#define CG_MAX_HUGETLB  8
#define CG_MAX_UNIFIED  32
#define CG_MAX_NET_PRIO 16

/* A net_prio.ifpriomap line: the priority of the cgroup's traffic on one interface. */
struct cg_net_prio {
	char ifname[16];
	uint32_t priority;
};

/* An io.max line for one block device; CG_UNSET leaves a field as it is. */
struct cg_io_limit {
	unsigned major, minor;
	int64_t rbps, wbps, riops, wiops;
};

struct cg_hugetlb_limit {
	char pagesize[16]; /* "2MB", "1GB": the name in hugetlb.2MB.max */
	int64_t limit;     /* bytes */
};

/* A raw KEY=VALUE for a cgroup file (OCI linux.resources.unified, cgroups/set). */
struct cg_kv {
	char key[64]; /* "memory.oom.group" */
	char value[256];
};

/*
 * struct cg_resources - every limit cg_apply knows. Initialise with cg_resources_init()
 * (all CG_UNSET, since 0 is a meaningful value for several of them: swap 0 means no swap),
 * then set what you want. Units are those of cgroup v2; v1 converts.
 */
struct cg_resources {
	int64_t memory_max;  /* bytes or CG_LIMIT_MAX    v2 memory.max   v1 memory.limit_in_bytes */
	int64_t memory_high; /* bytes (v2 only; v1: ignored, said under -v)                       */
	int64_t memory_low; /* bytes: the reservation  v2 memory.low   v1 memory.soft_limit_in_bytes
			     */
	int64_t swap_max;   /* bytes of swap, NOT memory+swap: v2 memory.swap.max,
			       v1 memory.memsw.limit_in_bytes = memory_max + swap_max.
			       From OCI/docker's memory+swap use cg_swap_from_total().  */
	int64_t swappiness; /* 0..100: v1 memory.swappiness; v2 has no such file (refused) */
	int oom_kill_disable; /* 1: v1 memory.oom_control = 1 (no OOM kill: tasks wait for
				 memory instead); v2 has no such switch (refused) */
	int64_t pids_max;     /* count or CG_LIMIT_MAX    pids.max */
	int64_t cpu_quota;  /* usec per period or CG_LIMIT_MAX  v2 cpu.max "Q P"  v1 cfs_quota_us */
	int64_t cpu_period; /* usec (1000..1000000)                                  cfs_period_us
			     */
	int64_t cpu_weight; /* 1..10000  v2 cpu.weight; v1 cpu.shares converted                */
	int64_t cpu_shares; /* 2..262144 v1 cpu.shares (OCI); v2 converted to cpu.weight; weight
			       wins where both are set                                           */
	char cpuset_cpus[256]; /* "0-1,3"; "" unset   cpuset.cpus */
	char cpuset_mems[256]; /* "0";     "" unset   cpuset.mems */
	int64_t io_weight;     /* 1..10000 v2 io.weight (OCI blkio weight: cg_io_weight_from_blkio);
			      where BFQ is loaded, io.bfq.weight (1..1000) instead, converted
			      back, as runc writes it; v1 blkio.weight or blkio.bfq.weight */
	int n_io;
	struct cg_io_limit io[CG_MAX_IO_DEV];
	int n_hugetlb;
	struct cg_hugetlb_limit hugetlb[CG_MAX_HUGETLB];
	int64_t net_classid; /* v1 net_cls.classid (0xAAAABBBB: tc handle AAAA:BBBB); v2: none */
	int n_net_prio;      /* v1 net_prio.ifpriomap, one line each; v2: none */
	struct cg_net_prio net_prio[CG_MAX_NET_PRIO];
	int n_unified; /* raw writes, done last, in order */
	struct cg_kv unified[CG_MAX_UNIFIED];
};

void cg_resources_init(struct cg_resources *res);

/* The controllers RES needs (CG_MEMORY if memory_max is set, ...), for cg_create. */
unsigned cg_resources_controllers(const struct cg_resources *res);

/* ---- the handle ------------------------------------------------------------------------- */

/* An open cgroup: its directory in the v2 tree and/or in each v1 hierarchy, and which of
 * those directories this handle created (only those are removed by cg_remove's parents
 * pass). Opaque; free with cg_free. */
struct cg;

enum {
	CG_EXIST_OK = 1 << 0, /* cg_create: an existing cgroup is joined, not an error */
};

/*
 * cg_create - create cgroup PATH (see "Paths" above) with the CONTROLLERS bits enabled for
 * it: on v2 each is written to cgroup.subtree_control of every ancestor from the caller's
 * cgroup (or the root, for an absolute path) down to the parent, on v1 the directory is
 * made in each controller's hierarchy. Missing intermediate directories are created too
 * and remembered. SYS may be NULL (detect now). FLAGS: CG_EXIST_OK.
 * Returns the handle, or NULL with err naming the controller and file; on failure every
 * directory it made is removed again (nothing half-made).
 */
struct cg *cg_create(const struct cg_system *sys, const char *path, unsigned controllers,
		     unsigned flags, struct mr_err *err);

/* cg_open - open an existing cgroup (same PATH forms, plus a /sys/fs/cgroup/... directory).
 * NULL with err when it does not exist anywhere or PATH is outside the hierarchy. */
struct cg *cg_open(const struct cg_system *sys, const char *path, struct mr_err *err);

/* Free the handle. Touches no cgroup file. NULL is fine. */
void cg_free(struct cg *cg);

enum cg_mode cg_mode(const struct cg *cg);
/* The cgroup's path as /proc/PID/cgroup shows it in its main hierarchy (v2 if present, else
 * v1 memory, else the first). Owned by the handle. */
const char *cg_path(const struct cg *cg);
/* The directory holding CONTROLLER's files ("memory", "pids", "cpu", "freezer"; NULL = the
 * core files: the v2 directory, else the first v1 one), or NULL if this cgroup has none. */
const char *cg_dir(const struct cg *cg, const char *controller);
/* An O_PATH|O_DIRECTORY fd of the v2 directory (for CLONE_INTO_CGROUP, openat), or -1. */
int cg_v2_fd(const struct cg *cg);
/* cg_close_fd - close that fd, for a handle kept past its last cg_clone (cg_remove and the
 * reads work by path): a process that forks later hands its children no fd of it, and
 * their cg_free (a copy of the handle) closes no number they reuse. cg_clone then moves
 * its child in by cgroup.procs instead, as on v1. */
void cg_close_fd(struct cg *cg);
/* The controllers this cgroup has, as bits: on v2 from its cgroup.controllers, on v1 the
 * hierarchies it has a directory in. */
unsigned cg_controllers(const struct cg *cg);

/* ---- processes -------------------------------------------------------------------------- */

/* cg_add_pid - move PID (0 = the caller) into the cgroup: its cgroup.procs in the v2
 * directory and in every v1 directory. -1 with err "no such process 4242" when it is gone. */
int cg_add_pid(struct cg *cg, pid_t pid, struct mr_err *err);

/*
 * cg_clone - fork a child that starts inside the cgroup. FLAGS are extra clone flags
 * (CLONE_NEW*; SIGCHLD is added). On unified kernels with clone3 and CLONE_INTO_CGROUP
 * (5.7+) the child is born in the cgroup: no instant outside, nothing to race. Otherwise
 * the child waits on a pipe while the parent writes its pid into cgroup.procs, so it
 * still runs no user code outside. Returns like fork(2): 0 in the child, the pid in the
 * parent, -1 with err (and no child left) on failure.
 */
pid_t cg_clone(struct cg *cg, unsigned long flags, struct mr_err *err);

/* cg_pids - the pids in the cgroup and its descendants (cgroup.procs, recursively), in a
 * new array the caller frees. */
int cg_pids(const struct cg *cg, pid_t **pids, size_t *n, struct mr_err *err);

/* cg_populated - 1 if any process is in the cgroup or below (cgroup.events "populated",
 * v1: the procs files), 0 if empty or gone (its owner may rmdir it the moment it empties,
 * e.g. cgroups/run after a kill), -1 on error. */
int cg_populated(const struct cg *cg, struct mr_err *err);

/* ---- limits ----------------------------------------------------------------------------- */

/* cg_apply - write every limit RES sets. Stops at the first failure, with err naming the
 * file and value ("write 'memory.max' = '12x': Invalid argument"); limits already written
 * stay (call again with corrected values, or cg_remove). */
int cg_apply(struct cg *cg, const struct cg_resources *res, struct mr_err *err);

/* cg_set - write one KEY=VALUE. KEY is a v2 file name ("memory.max"); on v1 it is
 * translated ("memory.max" -> memory.limit_in_bytes, "max" -> -1) by a table, and a v1
 * file name is written as it is. */
int cg_set(struct cg *cg, const char *key, const char *value, struct mr_err *err);

/* cg_get - read one file ("memory.max"; v1-translated like cg_set) into a new string,
 * trailing newline removed. */
int cg_get(const struct cg *cg, const char *key, char **value, struct mr_err *err);

/* ---- readings --------------------------------------------------------------------------- */

struct cg_psi_line {
	bool present;
	double avg10, avg60, avg300; /* percent of wall time stalled */
	uint64_t total;              /* usec stalled since creation */
};
struct cg_psi {
	struct cg_psi_line some, full;
};

/* One reading of the cgroup. Every counter is CG_UNSET when this kernel or mode lacks it. */
struct cg_stats {
	int64_t memory_current, memory_peak, memory_max, swap_current;
	int64_t memory_oom, memory_oom_kill; /* memory.events oom, oom_kill (v1: oom_control) */
	int64_t memory_max_events; /* memory.events max: times memory.max was hit (v1 failcnt) */
	int64_t pids_current, pids_max, pids_events_max; /* forks refused at pids.max */
	int64_t cpu_usage_usec, cpu_user_usec, cpu_system_usec;
	int64_t cpu_nr_periods, cpu_nr_throttled, cpu_throttled_usec;
	int64_t io_rbytes, io_wbytes, io_rios, io_wios; /* io.stat summed over devices */
	struct cg_psi cpu_pressure, memory_pressure, io_pressure;
};

/* cg_stats_read - fill ST from the cgroup's files; a file that does not exist leaves its
 * fields CG_UNSET. -1 only when the cgroup itself cannot be read. */
int cg_stats_read(const struct cg *cg, struct cg_stats *st, struct mr_err *err);

/* Parse a "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull ..." PSI text. */
int cg_psi_parse(const char *text, struct cg_psi *psi, struct mr_err *err);

/* Parse "KEY VALUE" lines (memory.events, cpu.stat, pids.events) and return KEY's value;
 * -1 if KEY is not there. */
int64_t cg_keyed_value(const char *text, const char *key);

/* ---- freeze, kill, remove --------------------------------------------------------------- */

/* cg_freeze - freeze (FROZEN true) or thaw the cgroup and wait up to TIMEOUT_MS until the
 * kernel says it is done: v2 cgroup.events "frozen 1", v1 freezer.state "FROZEN". */
int cg_freeze(struct cg *cg, bool frozen, int timeout_ms, struct mr_err *err);

/* 1 if frozen, 0 if not, -1 on error. */
int cg_frozen(const struct cg *cg, struct mr_err *err);

/* cg_kill - send SIG to every process in the cgroup and below. SIGKILL uses cgroup.kill
 * (5.14+) where the cgroup has it; otherwise (and for other signals) the cgroup is frozen,
 * each pid in cgroup.procs signalled, and thawed again, so that no process forks away
 * between the read and the kill. Does not wait: see cg_remove. */
int cg_kill(struct cg *cg, int sig, struct mr_err *err);

/* cg_remove - SIGKILL everything inside, wait up to TIMEOUT_MS until empty, then rmdir the
 * cgroup's directory in every hierarchy (descendants first), and the intermediate
 * directories this handle created. The handle stays valid only for cg_free. */
int cg_remove(struct cg *cg, int timeout_ms, struct mr_err *err);

/* cg_disown_made - the intermediate directories CG's create made are no longer its own: a
 * later cg_remove takes the cgroup's directories only, as through a handle of cg_open. For a
 * caller that keeps its create's handle for the removal, when other cgroups may have come
 * to live in those parents meanwhile. */
void cg_disown_made(struct cg *cg);

/* ---- devices (cgroups/devices.c) --------------------------------------------------- */

#define CG_MAX_DEVICE_RULES 256

/* One device rule, as OCI's linux.resources.devices has it. */
struct cg_device_rule {
	bool allow;
	char type;      /* 'a' (all), 'b' (block), 'c' (char) */
	int64_t major;  /* -1 = any */
	int64_t minor;  /* -1 = any */
	char access[4]; /* a non-empty subset of "rwm": read, write, mknod */
};

/*
 * cg_devices_apply - make RULES (N of them, in order) the cgroup's whole device policy:
 * the last rule that matches an open/mknod decides, no match is denied. v1 (a hybrid or
 * legacy host with a devices hierarchy): a directory is made in the devices hierarchy
 * (below our own cgroup there, joined by cg_add_pid, removed by cg_remove; cg_dir(cg,
 * "devices") names it), then devices.deny "a" and one devices.allow/deny line per rule.
 * v2: an eBPF BPF_PROG_TYPE_CGROUP_DEVICE program attached to the cgroup (it stays
 * attached until the cgroup is removed). -1 with err on a bad rule or a kernel refusal.
 */
int cg_devices_apply(struct cg *cg, const struct cg_device_rule *rules, size_t n,
		     struct mr_err *err);
/* cg_devices_load - the v2 program for RULES loaded and not attached, for a caller with other
 * work to do meanwhile (a thread of minirun's create loads it while the cgroup is made): its
 * fd, or -1 with errno (nothing said: cg_devices_apply_loaded loads it again, and says why
 * it can't, or falls back to v1). cg_devices_apply_loaded - cg_devices_apply with that fd
 * (-1: none), taken over: used, or closed. */
int cg_devices_load(const struct cg_device_rule *rules, size_t n);
int cg_devices_apply_loaded(struct cg *cg, const struct cg_device_rule *rules, size_t n, int prog,
			    struct mr_err *err);

/* ---- human values (cgroups/parse.c) -------------------------------------------------- */

/* cg_parse_size - docker's sizes: "1024", "256k", "256m", "1g", "1.5g", "16MiB", "2MB",
 * "max"/"-1" (CG_LIMIT_MAX). Binary units (k = 1024), case-insensitive. err names S:
 * "'12x' is not a size (use a number with b, k, m or g: 256m)". */
int cg_parse_size(const char *s, int64_t *bytes, struct mr_err *err);

/* cg_parse_cpus - docker's --cpus: "0.5" -> quota 50000, period 100000. At least 0.01. */
int cg_parse_cpus(const char *s, int64_t *quota, int64_t *period, struct mr_err *err);

/* cg_parse_max - an integer in [MIN, MAX] or "max" (CG_LIMIT_MAX). WHAT names it in err. */
int cg_parse_max(const char *s, int64_t min, int64_t max, const char *what, int64_t *out,
		 struct mr_err *err);

/* cg_parse_io_max - "8:0 rbps=1m wiops=100" into L (io.max syntax; sizes may be human). */
int cg_parse_io_max(const char *s, struct cg_io_limit *l, struct mr_err *err);

/* Format BYTES as "16.0M", "1.5G", "512B" or "max" into BUF; returns BUF. */
char *cg_format_size(int64_t bytes, char *buf, size_t size);
/* Format a limit as its v2 file text: the number, or "max" for CG_LIMIT_MAX. */
char *cg_format_max(int64_t v, char *buf, size_t size);

/* Conversions between the v1 / OCI units and v2 (the formulas crun and runc use). */
int64_t cg_weight_from_shares(int64_t shares);   /* 2..262144 -> 1..10000 */
int64_t cg_shares_from_weight(int64_t weight);   /* 1..10000 -> 2..262144 */
int64_t cg_io_weight_from_blkio(int64_t blkio);  /* 10..1000 -> 1..10000 */
int64_t cg_blkio_from_io_weight(int64_t weight); /* 1..10000 -> 10..1000 (its inverse) */
/* OCI/docker memory.swap is memory+swap; v2 wants swap alone: swap = total - memory.
 * TOTAL is CG_UNSET when not given (-> *swap CG_UNSET); pass OCI's -1 ("unlimited") as
 * CG_LIMIT_MAX (-> *swap CG_LIMIT_MAX), since -1 is CG_UNSET here. -1 with err when
 * total < memory. */
int cg_swap_from_total(int64_t memory, int64_t total, int64_t *swap, struct mr_err *err);

#endif
