/*
 * cgroups/cgroup_v1.c - the cgroup v1 fallback, for hybrid and legacy hosts.
 *
 * cgroup v1 has one tree per controller and its own file names and units. This file keeps
 * the rest of the library speaking v2: a table maps each v2 key to its v1 file and value
 *
 *	v2 key            v1 file                          value
 *	memory.max        memory.limit_in_bytes            "max" -> -1
 *	memory.low        memory.soft_limit_in_bytes       "max" -> -1
 *	memory.swap.max   memory.memsw.limit_in_bytes      memory + swap (v1 counts both)
 *	cpu.max           cpu.cfs_quota_us, cfs_period_us  "Q P" -> two files, "max" -> -1
 *	cpu.weight        cpu.shares                       1..10000 -> 2..262144
 *	io.weight         blkio.weight                     1..10000 -> 10..1000
 *	io.max            blkio.throttle.*_device          one file per direction and unit
 *	cgroup.freeze     freezer.state                    1 -> FROZEN, 0 -> THAWED
 *	hugetlb.2MB.max   hugetlb.2MB.limit_in_bytes       "max" -> -1
 *
 * and the few v1 hazards are handled here, each where it bites:
 *  - a new cpuset cgroup starts with empty cpuset.cpus and cpuset.mems and refuses tasks
 *    until both are filled (cg_v1_prepare copies the parent's);
 *  - memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes, so the two are
 *    written in the order that keeps that true (cg_v1_apply_memory);
 *  - the freezer passes through FREEZING before FROZEN (cg_v1_freeze waits).
 *
 * See: Documentation/admin-guide/cgroup-v1/{memory,cpusets,freezer-subsystem,pids,blkio-
 *      controller}.rst, Documentation/scheduler/sched-bwc.rst (cfs quota and period).
 */
#include "cgroups/cgroup_impl.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* v1 reports "no limit" as the largest page-aligned counter, 9223372036854771712 */
#define V1_UNLIMITED_MIN (1LL << 62)

enum conv {
	SAME,     /* the value as it is */
	MAX_M1,   /* "max" <-> -1 (and the huge unlimited reading back to "max") */
	WEIGHT,   /* cpu.weight <-> cpu.shares */
	IOWEIGHT, /* io.weight 1..10000 <-> blkio.weight 10..1000 */
	CPU_MAX,  /* "Q P" <-> cfs_quota_us + cfs_period_us */
	IO_MAX,   /* io.max line <-> blkio.throttle files */
	SWAP,     /* swap alone <-> memsw (memory + swap) */
	FREEZE,   /* 1/0 <-> FROZEN/THAWED */
	NONE,     /* no v1 equivalent */
};

static const struct {
	const char *v2;
	const char *v1; /* file in the v1 hierarchy of the key's controller */
	enum conv conv;
} keymap[] = {
	{"memory.max", "memory.limit_in_bytes", MAX_M1},
	{"memory.low", "memory.soft_limit_in_bytes", MAX_M1},
	{"memory.swap.max", "memory.memsw.limit_in_bytes", SWAP},
	{"memory.current", "memory.usage_in_bytes", SAME},
	{"memory.peak", "memory.max_usage_in_bytes", SAME},
	{"memory.high", NULL, NONE},
	{"memory.events", "memory.oom_control", SAME},
	{"cpu.max", "cpu.cfs_quota_us", CPU_MAX},
	{"cpu.weight", "cpu.shares", WEIGHT},
	{"io.max", NULL, IO_MAX},
	{"io.weight", "blkio.weight", IOWEIGHT},
	{"io.stat", "blkio.throttle.io_service_bytes", SAME},
	{"cgroup.freeze", "freezer.state", FREEZE},
	{"pids.max", "pids.max", SAME},
};

/* The v1 node of hierarchy CONTROLLER for cgroup CG, or NULL. */
static struct cg_node *hier_node(const struct cg *cg, const char *controller)
{
	const char *dir = cg_dir(cg, controller);
	for (int i = 0; dir && i < cg->n; i++)
		if (!strcmp(cg->node[i].dir, dir) && !cg->node[i].v2)
			return (struct cg_node *)&cg->node[i];
	return NULL;
}

static long long read_ll(const struct cg_node *nd, const char *file)
{
	_cleanup_free_ char *text = NULL;
	if (!nd || cg_node_read(nd, file, &text, NULL) < 0)
		return CG_UNSET;
	return strtoll(text, NULL, 10);
}

int cg_v1_prepare(const struct cg_node *node, struct mr_err *err)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};

	if (!strstr(node->hier, "cpuset"))
		return 0;
	/* Why: a v1 cpuset child starts with both sets empty, and the kernel refuses to put a
	 * task in a cpuset with no CPU or no memory node (ENOSPC). The parent's sets are what
	 * the child may use, so it starts with those, as cgroup.clone_children=1 would do. */
	for (int i = 0; i < 2; i++) {
		char parent[CG_PATHBUF];
		_cleanup_free_ char *val = NULL;
		snprintf(parent, sizeof(parent), "%s/../%s", node->dir, files[i]);
		if (mr_read_file(parent, &val, NULL, err) < 0)
			return -1;
		val[strcspn(val, "\n")] = '\0';
		if (cg_node_write(node, files[i], val, err) < 0)
			return -1;
	}
	return 0;
}

/* v2 value -> v1 value for conversions that take one value */
static int to_v1(enum conv conv, const char *key, const char *value, char *out, size_t size,
		 struct mr_err *err)
{
	int64_t v;

	switch (conv) {
	case MAX_M1:
		if (cg_parse_max(value, 0, INT64_MAX - 1, key, &v, err) < 0)
			return -1;
		snprintf(out, size, "%lld", v == CG_LIMIT_MAX ? -1LL : (long long)v);
		return 0;
	case WEIGHT:
		if (cg_parse_max(value, 1, 10000, key, &v, err) < 0 || v == CG_LIMIT_MAX)
			return cg_failx(err, EINVAL, "cpu.weight '%s' is not in 1..10000", value);
		snprintf(out, size, "%lld", (long long)cg_shares_from_weight(v));
		return 0;
	case IOWEIGHT:
		if (cg_parse_max(value, 1, 10000, key, &v, err) < 0 || v == CG_LIMIT_MAX)
			return cg_failx(err, EINVAL, "io.weight '%s' is not in 1..10000", value);
		snprintf(out, size, "%lld", 10 + (long long)(v - 1) * 990 / 9999);
		return 0;
	case FREEZE:
		if (strcmp(value, "0") && strcmp(value, "1"))
			return cg_failx(err, EINVAL, "cgroup.freeze takes 1 or 0, not '%s'", value);
		snprintf(out, size, "%s", value[0] == '1' ? "FROZEN" : "THAWED");
		return 0;
	default: snprintf(out, size, "%s", value); return 0;
	}
}

/* cpu.max "QUOTA PERIOD" -> cfs_period_us, then cfs_quota_us (runc's order: a quota is
 * checked against the period in force, so the period goes first). */
static int set_cpu_max(struct cg_node *nd, const char *value, struct mr_err *err)
{
	char q[32], buf[32];
	long long period = 0;
	int n = sscanf(value, "%31s %lld", q, &period);

	if (n < 1 || (strcmp(q, "max") && strspn(q, "0123456789") != strlen(q)))
		return cg_failx(err, EINVAL,
				"cpu.max '%s' is not 'QUOTA [PERIOD]' or 'max [PERIOD]'", value);
	if (n == 2) {
		snprintf(buf, sizeof(buf), "%lld", period);
		if (cg_node_write(nd, "cpu.cfs_period_us", buf, err) < 0)
			return -1;
	}
	return cg_node_write(nd, "cpu.cfs_quota_us", strcmp(q, "max") ? q : "-1", err);
}

/* io.max "MAJ:MIN rbps=N wiops=max" -> one blkio.throttle file per key, "max" -> 0 */
static int set_io_max(struct cg_node *nd, const char *value, struct mr_err *err)
{
	static const struct {
		size_t off;
		const char *file;
	} files[] = {
		{offsetof(struct cg_io_limit, rbps), "blkio.throttle.read_bps_device"},
		{offsetof(struct cg_io_limit, wbps), "blkio.throttle.write_bps_device"},
		{offsetof(struct cg_io_limit, riops), "blkio.throttle.read_iops_device"},
		{offsetof(struct cg_io_limit, wiops), "blkio.throttle.write_iops_device"},
	};
	struct cg_io_limit l;
	char line[64];

	if (cg_parse_io_max(value, &l, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int64_t v = *(int64_t *)((char *)&l + files[i].off);
		if (v == CG_UNSET)
			continue;
		snprintf(line, sizeof(line), "%u:%u %lld", l.major, l.minor,
			 v == CG_LIMIT_MAX ? 0LL : (long long)v);
		if (cg_node_write(nd, files[i].file, line, err) < 0)
			return -1;
	}
	return 0;
}

/* hugetlb.<size>.max (v2) -> hugetlb.<size>.limit_in_bytes (v1), one per page size; 1 if
 * KEY was such a key and OUT holds the v1 name */
static int hugetlb_key(const char *key, char *out, size_t size)
{
	char pagesize[32];
	int n = 0;
	if (sscanf(key, "hugetlb.%31[^.].max%n", pagesize, &n) != 1 || key[n])
		return 0;
	snprintf(out, size, "hugetlb.%s.limit_in_bytes", pagesize);
	return 1;
}

int cg_v1_set(struct cg *cg, struct cg_node *node, const char *key, const char *value,
	      struct mr_err *err)
{
	char v1val[256], v1key[64];

	if (hugetlb_key(key, v1key, sizeof(v1key))) {
		if (to_v1(MAX_M1, key, value, v1val, sizeof(v1val), err) < 0)
			return -1;
		return cg_node_write(node, v1key, v1val, err);
	}

	for (size_t i = 0; i < sizeof(keymap) / sizeof(keymap[0]); i++) {
		if (strcmp(key, keymap[i].v2))
			continue;
		switch (keymap[i].conv) {
		case NONE:
			return cg_failx(err, ENOTSUP,
					"%s has no cgroup v1 equivalent (cgroup '%s' is "
					"in the v1 %s hierarchy)",
					key, cg->path, node->hier);
		case CPU_MAX: return set_cpu_max(node, value, err);
		case IO_MAX: return set_io_max(node, value, err);
		case FREEZE:
			if (to_v1(FREEZE, key, value, v1val, sizeof(v1val), err) < 0)
				return -1;
			return cg_freeze(cg, value[0] == '1', 5000, err);
		case IOWEIGHT:
			/* CFQ had blkio.weight, BFQ has blkio.bfq.weight, other schedulers none */
			if (to_v1(IOWEIGHT, key, value, v1val, sizeof(v1val), err) < 0)
				return -1;
			for (int f = 0; f < 2; f++) {
				const char *file = f ? "blkio.bfq.weight" : "blkio.weight";
				if (cg_node_write(node, file, v1val, err) == 0)
					return 0;
				if (errno != ENOENT)
					return -1;
			}
			return cg_failx(
				err, ENOTSUP,
				"io.weight: the v1 blkio controller here has no weight file "
				"(blkio.weight needs the CFQ or BFQ IO scheduler)");
		case SWAP: {
			struct cg_resources res;
			cg_resources_init(&res);
			if (cg_parse_size(value, &res.swap_max, err) < 0)
				return -1;
			return cg_v1_apply_memory(cg, node, &res, err);
		}
		default:
			if (to_v1(keymap[i].conv, key, value, v1val, sizeof(v1val), err) < 0)
				return -1;
			return cg_node_write(node, keymap[i].v1, v1val, err);
		}
	}
	/* a v1 name (memory.oom_control, cpu.shares, blkio.weight): written as it is */
	mr_say("%s: a v1 file, written as given", key);
	return cg_node_write(node, key, value, err);
}

int cg_v1_get(const struct cg *cg, const struct cg_node *node, const char *key, char **value,
	      struct mr_err *err)
{
	const char *file = key;
	enum conv conv = SAME;
	char buf[64], v1key[64];

	if (hugetlb_key(key, v1key, sizeof(v1key))) {
		file = v1key;
		conv = MAX_M1;
	}

	for (size_t i = 0; i < sizeof(keymap) / sizeof(keymap[0]); i++)
		if (!strcmp(key, keymap[i].v2)) {
			file = keymap[i].v1;
			conv = keymap[i].conv;
		}
	if (conv == NONE || conv == IO_MAX || conv == SWAP)
		return cg_failx(err, ENOTSUP,
				"%s has no single cgroup v1 file to read (cgroup '%s')", key,
				cg->path);
	if (conv == FREEZE) {
		int f = cg_frozen(cg, err);
		return f < 0                              ? -1
		       : (*value = strdup(f ? "1" : "0")) ? 0
							  : mr_fail(err, ENOMEM, "read");
	}
	if (cg_node_read(node, file, value, err) < 0)
		return -1;
	size_t n = strlen(*value);
	if (n && (*value)[n - 1] == '\n') /* keyed files keep their inner newlines */
		(*value)[n - 1] = '\0';
	long long v = strtoll(*value, NULL, 10);
	if (conv == MAX_M1 && (v < 0 || v >= V1_UNLIMITED_MIN))
		snprintf(buf, sizeof(buf), "max");
	else if (conv == WEIGHT)
		snprintf(buf, sizeof(buf), "%lld", (long long)cg_weight_from_shares(v));
	else if (conv == IOWEIGHT)
		snprintf(buf, sizeof(buf), "%lld", (long long)cg_io_weight_from_blkio(v));
	else if (conv == CPU_MAX)
		snprintf(buf, sizeof(buf), "%s %lld", v < 0 ? "max" : *value,
			 read_ll(node, "cpu.cfs_period_us"));
	else
		return 0;
	free(*value);
	return (*value = strdup(buf)) ? 0 : mr_fail(err, ENOMEM, "read %s", key);
}

/* true when the machine has no swap at all (SwapTotal: 0 kB) */
static bool no_swap(void)
{
	_cleanup_free_ char *mi = NULL;
	const char *p;
	if (mr_read_file("/proc/meminfo", &mi, NULL, NULL) < 0 || !(p = strstr(mi, "SwapTotal:")))
		return false;
	return strtoll(p + 10, NULL, 10) == 0;
}

int cg_v1_apply_memory(struct cg *cg, struct cg_node *node, const struct cg_resources *res,
		       struct mr_err *err)
{
	char lim[32], sw[32], path[CG_PATHBUF];
	bool has_memsw;
	int64_t limit = res->memory_max;

	if (res->memory_high != CG_UNSET)
		mr_say("memory.high has no cgroup v1 equivalent: not set");
	if (res->memory_low != CG_UNSET &&
	    cg_v1_set(cg, node, "memory.low", cg_format_max(res->memory_low, lim, sizeof(lim)),
		      err) < 0)
		return -1;
	if (limit == CG_UNSET && res->swap_max == CG_UNSET)
		return 0;
	snprintf(path, sizeof(path), "%s/memory.memsw.limit_in_bytes", node->dir);
	has_memsw = access(path, F_OK) == 0;
	if (limit == CG_UNSET) { /* swap alone: relative to the limit in force */
		long long now = read_ll(node, "memory.limit_in_bytes");
		limit = now < 0 || now >= V1_UNLIMITED_MIN ? CG_LIMIT_MAX : now;
	}
	snprintf(lim, sizeof(lim), "%lld", limit == CG_LIMIT_MAX ? -1LL : (long long)limit);
	if (res->swap_max == CG_UNSET) /* a new limit, swap as before */
		return cg_node_write(node, "memory.limit_in_bytes", lim, err);
	if (!has_memsw) {
		/* No swap accounting in this kernel (memsw files appear with swapaccount=1). With
		 * no swap configured at all, "no swap" holds anyway and the limit alone makes the
		 * OOM killer act; otherwise the swap limit cannot be kept. */
		if (res->swap_max == 0 && no_swap()) {
			mr_say("no memory.memsw files (no swap accounting), but this machine has no "
			       "swap: memory.limit_in_bytes alone is enough");
			return cg_node_write(node, "memory.limit_in_bytes", lim, err);
		}
		return cg_failx(err, ENOTSUP,
				"cgroup '%s': a swap limit needs memory.memsw.* in the "
				"v1 memory hierarchy (boot with swapaccount=1)",
				cg->path);
	}
	if (limit == CG_LIMIT_MAX || res->swap_max == CG_LIMIT_MAX)
		snprintf(sw, sizeof(sw), "-1");
	else
		snprintf(sw, sizeof(sw), "%" PRId64, limit + res->swap_max);
	mr_say("v1 counts memory+swap together: memsw = %s + %s", lim,
	       cg_format_max(res->swap_max, path, sizeof(path)));
	/* Why the order: the kernel refuses any moment where memsw < limit. Lowering goes
	 * limit first, raising goes memsw first; try the first and fall back to the other. */
	if (cg_node_write(node, "memory.limit_in_bytes", lim, NULL) == 0)
		return cg_node_write(node, "memory.memsw.limit_in_bytes", sw, err);
	if (cg_node_write(node, "memory.memsw.limit_in_bytes", sw, err) < 0)
		return -1;
	return cg_node_write(node, "memory.limit_in_bytes", lim, err);
}

static long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int cg_v1_frozen(const struct cg_node *node, struct mr_err *err)
{
	_cleanup_free_ char *state = NULL;
	if (cg_node_read(node, "freezer.state", &state, err) < 0)
		return -1;
	return !strncmp(state, "FROZEN", 6);
}

int cg_v1_freeze(const struct cg_node *node, bool frozen, int timeout_ms, struct mr_err *err)
{
	const char *want = frozen ? "FROZEN" : "THAWED";
	long deadline = ms_now() + timeout_ms;

	if (cg_node_write(node, "freezer.state", want, err) < 0)
		return -1;
	/* FREEZING means some task has not stopped yet: wait, writing FROZEN again, which
	 * makes the kernel retry the tasks it could not freeze the first time */
	for (;;) {
		_cleanup_free_ char *state = NULL;
		if (cg_node_read(node, "freezer.state", &state, err) < 0)
			return -1;
		if (!strncmp(state, want, strlen(want)))
			return 0;
		if (ms_now() >= deadline)
			return cg_failx(err, ETIMEDOUT,
					"%s/freezer.state still says %.*s after %d ms", node->dir,
					(int)strcspn(state, "\n"), state, timeout_ms);
		usleep(5000);
		if (frozen && cg_node_write(node, "freezer.state", want, err) < 0)
			return -1;
	}
}

/* Sum the "MAJ:MIN Read N" / "Write N" lines of a blkio.throttle.io_* file. */
static void blkio_sum(const struct cg_node *nd, const char *file, int64_t *rd, int64_t *wr)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;
	if (!nd || cg_node_read(nd, file, &text, NULL) < 0)
		return;
	*rd = *rd == CG_UNSET ? 0 : *rd;
	*wr = *wr == CG_UNSET ? 0 : *wr;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char dev[32], op[16];
		long long v;
		if (sscanf(l, "%31s %15s %lld", dev, op, &v) != 3)
			continue;
		if (!strcmp(op, "Read"))
			*rd += v;
		else if (!strcmp(op, "Write"))
			*wr += v;
	}
}

#define FILL(field, value)                                                                         \
	do {                                                                                       \
		long long v_ = (value);                                                            \
		if ((field) == CG_UNSET && v_ != CG_UNSET)                                         \
			(field) = v_;                                                              \
	} while (0)

void cg_v1_stats(const struct cg *cg, struct cg_stats *st)
{
	const struct cg_node *mem = hier_node(cg, "memory"), *pids = hier_node(cg, "pids");
	const struct cg_node *cpu = hier_node(cg, "cpu"), *acct = hier_node(cg, "cpuacct");
	const struct cg_node *blk = hier_node(cg, "blkio");
	_cleanup_free_ char *oom = NULL, *ev = NULL, *cs = NULL, *as = NULL, *pm = NULL;
	long hz = sysconf(_SC_CLK_TCK);

	if (mem) {
		long long lim = read_ll(mem, "memory.limit_in_bytes");
		long long usage = read_ll(mem, "memory.usage_in_bytes");
		long long memsw = read_ll(mem, "memory.memsw.usage_in_bytes");
		FILL(st->memory_current, usage);
		FILL(st->memory_peak, read_ll(mem, "memory.max_usage_in_bytes"));
		FILL(st->memory_max, lim >= V1_UNLIMITED_MIN ? CG_LIMIT_MAX : lim);
		if (memsw != CG_UNSET && usage != CG_UNSET)
			FILL(st->swap_current, memsw > usage ? memsw - usage : 0);
		FILL(st->memory_max_events, read_ll(mem, "memory.failcnt"));
		if (cg_node_read(mem, "memory.oom_control", &oom, NULL) == 0)
			FILL(st->memory_oom_kill, cg_keyed_value(oom, "oom_kill"));
	}
	if (pids) {
		FILL(st->pids_current, read_ll(pids, "pids.current"));
		if (cg_node_read(pids, "pids.max", &pm, NULL) == 0)
			FILL(st->pids_max,
			     !strncmp(pm, "max", 3) ? CG_LIMIT_MAX : strtoll(pm, NULL, 10));
		if (cg_node_read(pids, "pids.events", &ev, NULL) == 0)
			FILL(st->pids_events_max, cg_keyed_value(ev, "max"));
	}
	if (acct) {
		long long ns = read_ll(acct, "cpuacct.usage");
		FILL(st->cpu_usage_usec, ns == CG_UNSET ? CG_UNSET : ns / 1000);
		if (cg_node_read(acct, "cpuacct.stat", &as, NULL) == 0 && hz > 0) {
			/* cpuacct.stat counts in USER_HZ ticks */
			int64_t u = cg_keyed_value(as, "user"), s = cg_keyed_value(as, "system");
			FILL(st->cpu_user_usec, u < 0 ? CG_UNSET : u * 1000000 / hz);
			FILL(st->cpu_system_usec, s < 0 ? CG_UNSET : s * 1000000 / hz);
		}
	}
	if (cpu && cg_node_read(cpu, "cpu.stat", &cs, NULL) == 0) {
		int64_t t = cg_keyed_value(cs, "throttled_time"); /* ns on v1 */
		FILL(st->cpu_nr_periods, cg_keyed_value(cs, "nr_periods"));
		FILL(st->cpu_nr_throttled, cg_keyed_value(cs, "nr_throttled"));
		FILL(st->cpu_throttled_usec, t < 0 ? CG_UNSET : t / 1000);
	}
	blkio_sum(blk, "blkio.throttle.io_service_bytes", &st->io_rbytes, &st->io_wbytes);
	blkio_sum(blk, "blkio.throttle.io_serviced", &st->io_rios, &st->io_wios);
}
