/*
 * cgroups/limits.c - writing limits: struct cg_resources -> the cgroup's interface files.
 *
 * Every limit is one line written into one file of the cgroup's directory, named after
 * its controller:
 *
 *	memory.max       16777216          hard limit; past it, reclaim, then the OOM killer
 *	memory.swap.max  0                 no swap, so the limit cannot be dodged by swapping
 *	pids.max         8                 fork/clone fail with EAGAIN once 8 tasks exist
 *	cpu.max          50000 100000      50 ms of CPU per 100 ms period: half a CPU
 *	cpu.weight       100               the share when CPUs are contended (1..10000)
 *	io.max           8:0 wbps=1048576  per-device throttle
 *	cpuset.cpus      0                 which CPUs the tasks may run on
 *
 * The names above are v2's. cg_set takes them on every host: where the controller lives
 * in a v1 hierarchy (hybrid and legacy hosts) cgroup_v1.c translates the key and value.
 *
 * See: Documentation/admin-guide/cgroup-v2.rst ("Controllers"), the OCI runtime-spec
 *      config-linux.md ("Control groups"), which minirun maps onto struct cg_resources.
 */
#include "cgroups/cgroup_impl.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cg_resources_init(struct cg_resources *res)
{
	memset(res, 0, sizeof(*res));
	res->memory_max = res->memory_high = res->memory_low = res->swap_max = CG_UNSET;
	res->pids_max = CG_UNSET;
	res->cpu_quota = res->cpu_period = res->cpu_weight = res->cpu_shares = CG_UNSET;
	res->io_weight = CG_UNSET;
	res->swappiness = CG_UNSET;
	res->net_classid = CG_UNSET;
}

unsigned cg_resources_controllers(const struct cg_resources *res)
{
	unsigned bits = 0;

	if (res->memory_max != CG_UNSET || res->memory_high != CG_UNSET ||
	    res->memory_low != CG_UNSET || res->swap_max != CG_UNSET ||
	    res->swappiness != CG_UNSET || res->oom_kill_disable)
		bits |= CG_MEMORY;
	if (res->pids_max != CG_UNSET)
		bits |= CG_PIDS;
	if (res->cpu_quota != CG_UNSET || res->cpu_period != CG_UNSET ||
	    res->cpu_weight != CG_UNSET || res->cpu_shares != CG_UNSET)
		bits |= CG_CPU;
	if (res->cpuset_cpus[0] || res->cpuset_mems[0])
		bits |= CG_CPUSET;
	if (res->io_weight != CG_UNSET || res->n_io)
		bits |= CG_IO;
	if (res->n_hugetlb)
		bits |= CG_HUGETLB;
	if (res->net_classid != CG_UNSET)
		bits |= CG_NET_CLS;
	if (res->n_net_prio)
		bits |= CG_NET_PRIO;
	for (int i = 0; i < res->n_unified; i++) {
		char ctl[64];
		snprintf(ctl, sizeof(ctl), "%.*s", (int)strcspn(res->unified[i].key, "."),
			 res->unified[i].key);
		bits |= cg_controller_bit(ctl);
	}
	return bits;
}

/* true if the v2 NODE's cgroup.controllers names controller CTL */
static bool v2_lists(const struct cg_node *node, const char *ctl)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;
	if (cg_node_read(node, "cgroup.controllers", &text, NULL) < 0)
		return false;
	for (char *c = strtok_r(text, " \n", &save); c; c = strtok_r(NULL, " \n", &save))
		if (!strcmp(c, ctl))
			return true;
	return false;
}

/* The node that holds KEY's file: "memory.max" -> the memory node; "cgroup.*" -> the core
 * node; a v1 key ("cpuacct.usage", "freezer.state", "blkio.weight") -> that hierarchy. */
static struct cg_node *node_for_key(const struct cg *cg, const char *key, struct mr_err *err)
{
	char ctl[64];
	struct cg_node *nd = NULL;

	snprintf(ctl, sizeof(ctl), "%.*s", (int)strcspn(key, "."), key);
	if (!strchr(key, '.') || !key[strlen(ctl) + 1]) {
		cg_failx(err, EINVAL, "'%s' is not a cgroup file name (like memory.max, pids.max)",
			 key);
		return NULL;
	}
	if (!strcmp(ctl, "cgroup")) /* core files; on v1 cgroup_v1.c finds the freezer */
		nd = cg_v2_node(cg) ?: (cg->n ? (struct cg_node *)&cg->node[0] : NULL);
	if (!nd && cg_dir(cg, ctl)) {
		const char *dir = cg_dir(cg, ctl);
		for (int i = 0; i < cg->n; i++)
			if (!strcmp(cg->node[i].dir, dir))
				nd = (struct cg_node *)&cg->node[i];
	}
	if (!nd && !cg_controller_bit(ctl) && cg_v2_node(cg) && cg_mode(cg) == CG_UNIFIED &&
	    v2_lists(cg_v2_node(cg), ctl))
		nd = cg_v2_node(cg); /* rdma.max, misc.max: controllers without a CG_* bit */
	if (!nd) {
		cg_failx(
			err, ENOENT,
			"cgroup '%s' has no '%s' controller (not in this kernel, or not enabled when "
			"the cgroup was made; cgroups/tree shows what it has)",
			cg->path, ctl);
		return NULL;
	}
	return nd;
}

int cg_set(struct cg *cg, const char *key, const char *value, struct mr_err *err)
{
	struct cg_node *nd;
	long long pid;

	if (!strcmp(key, "cgroup.procs")) { /* a move: into every hierarchy, dead pids named */
		if (mr_parse_ll(value, 0, INT32_MAX, &pid) < 0)
			return cg_failx(err, EINVAL, "cgroup.procs takes a pid, not '%s'", value);
		return cg_add_pid(cg, (pid_t)pid, err);
	}
	if (!(nd = node_for_key(cg, key, err)))
		return -1;
	if (!nd->v2)
		return cg_v1_set(cg, nd, key, value, err);
	if (cg_node_write(nd, key, value, err) < 0) {
		if (errno == ENOENT)
			return cg_failx(err, ENOENT,
					"cgroup '%s' has no file '%s' (this kernel lacks "
					"it, or its controller is not enabled here)",
					cg->path, key);
		return -1;
	}
	return 0;
}

int cg_get(const struct cg *cg, const char *key, char **value, struct mr_err *err)
{
	struct cg_node *nd = node_for_key(cg, key, err);

	if (!nd)
		return -1;
	if (!nd->v2)
		return cg_v1_get(cg, nd, key, value, err);
	if (cg_node_read(nd, key, value, err) < 0)
		return -1;
	size_t n = strlen(*value);
	if (n && (*value)[n - 1] == '\n')
		(*value)[n - 1] = '\0';
	return 0;
}

/* cg_set with a formatted number (or "max") */
static int set_max(struct cg *cg, const char *key, int64_t v, struct mr_err *err)
{
	char buf[32];
	return cg_set(cg, key, cg_format_max(v, buf, sizeof(buf)), err);
}

/* cpu.max is "QUOTA PERIOD" in one file; a caller may set only one of the two, so the
 * other is kept from what the file says now. */
static int apply_cpu_max(struct cg *cg, const struct cg_resources *res, struct mr_err *err)
{
	int64_t quota = res->cpu_quota, period = res->cpu_period;
	char buf[64];

	if (quota == CG_UNSET || period == CG_UNSET) {
		_cleanup_free_ char *now = NULL;
		char q[32];
		long long p = 100000;
		if (cg_get(cg, "cpu.max", &now, err) < 0)
			return -1;
		if (sscanf(now, "%31s %lld", q, &p) < 1)
			return cg_failx(err, EINVAL, "cpu.max of '%s' reads '%s'", cg->path, now);
		if (quota == CG_UNSET)
			quota = !strcmp(q, "max") ? CG_LIMIT_MAX : strtoll(q, NULL, 10);
		if (period == CG_UNSET)
			period = p;
	}
	if (quota == CG_LIMIT_MAX)
		snprintf(buf, sizeof(buf), "max %lld", (long long)period);
	else
		snprintf(buf, sizeof(buf), "%lld %lld", (long long)quota, (long long)period);
	return cg_set(cg, "cpu.max", buf, err);
}

/* One io.max line: "MAJ:MIN rbps=N wbps=max ..." with only the fields L sets. */
static int apply_io_limit(struct cg *cg, const struct cg_io_limit *l, struct mr_err *err)
{
	static const char *const keys[] = {"rbps", "wbps", "riops", "wiops"};
	const int64_t vals[] = {l->rbps, l->wbps, l->riops, l->wiops};
	char line[256], num[32];
	size_t n = (size_t)snprintf(line, sizeof(line), "%u:%u", l->major, l->minor);

	for (int i = 0; i < 4; i++)
		if (vals[i] != CG_UNSET)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%s", keys[i],
					      cg_format_max(vals[i], num, sizeof(num)));
	return cg_set(cg, "io.max", line, err);
}

/* A refused cpuset.cpus: say which CPUs the cgroup may use instead of only "ERANGE". */
static int cpuset_error(const struct cg *cg, const char *cpus, struct mr_err *err)
{
	_cleanup_free_ char *may = NULL;
	int e = errno;
	if (e != EINVAL && e != ERANGE)
		return -1;
	if (cg_get(cg,
		   cg_mode(cg) == CG_UNIFIED ? "cpuset.cpus.effective" : "cpuset.effective_cpus",
		   &may, NULL) < 0 ||
	    !*may) {
		free(may);
		may = NULL;
	}
	return cg_failx(err, e, "cpuset.cpus '%s' is not a list of CPUs cgroup '%s' may use (%s%s)",
			cpus, cg_path(cg), may ? "it may use " : "see nproc", may ? may : "");
}

/* net_cls.classid and net_prio.ifpriomap: v1 files only (cgroup v2 has neither
 * controller); a cgroup made without the hierarchy has no node for them, and says so. */
static int apply_net(struct cg *cg, const struct cg_resources *res, struct mr_err *err)
{
	char buf[64];
	struct cg_node *cls = cg_node_for(cg, CG_NET_CLS), *prio = cg_node_for(cg, CG_NET_PRIO);
	if ((res->net_classid != CG_UNSET && (!cls || cls->v2)) ||
	    (res->n_net_prio && (!prio || prio->v2)))
		return cg_failx(err, ENOENT,
				"cgroup '%s' has no %s hierarchy: net_cls and net_prio are cgroup "
				"v1 controllers, and none is mounted for this cgroup",
				cg->path, res->net_classid != CG_UNSET ? "net_cls" : "net_prio");
	if (res->net_classid != CG_UNSET) {
		snprintf(buf, sizeof(buf), "%lld", (long long)res->net_classid);
		if (cg_node_write(cls, "net_cls.classid", buf, err) < 0)
			return -1;
	}
	for (int i = 0; i < res->n_net_prio; i++) {
		snprintf(buf, sizeof(buf), "%s %u", res->net_prio[i].ifname,
			 res->net_prio[i].priority);
		if (cg_node_write(prio, "net_prio.ifpriomap", buf, err) < 0)
			return -1;
	}
	return 0;
}

/* The IO weight. v2 has two files, each there only when its policy is: io.bfq.weight
 * (1..1000, the BFQ scheduler's module loaded) and io.weight (1..10000, blk-iocost). runc
 * and crun try BFQ's first; so does this, converting back to BFQ's scale. v1: cg_set's
 * blkio.weight / blkio.bfq.weight (cgroup_v1.c). */
static int apply_io_weight(struct cg *cg, int64_t w, struct mr_err *err)
{
	struct cg_node *io = cg_node_for(cg, CG_IO);
	char buf[32];
	if (!io || !io->v2)
		return set_max(cg, "io.weight", w, err);
	snprintf(buf, sizeof(buf), "%lld", (long long)cg_blkio_from_io_weight(w));
	if (cg_node_write(io, "io.bfq.weight", buf, err) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	snprintf(buf, sizeof(buf), "%lld", (long long)w);
	if (cg_node_write(io, "io.weight", buf, err) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	return cg_failx(err, ENOTSUP,
			"cgroup '%s': neither io.bfq.weight nor io.weight is here (the io "
			"controller keeps weights only with the BFQ scheduler or blk-iocost)",
			cg->path);
}

int cg_apply(struct cg *cg, const struct cg_resources *res, struct mr_err *err)
{
	if ((res->net_classid != CG_UNSET || res->n_net_prio) && apply_net(cg, res, err) < 0)
		return -1;
	struct cg_node *mem = cg_node_for(cg, CG_MEMORY);
	char key[64];

	if ((res->swappiness != CG_UNSET || res->oom_kill_disable) && (!mem || mem->v2))
		return cg_failx(err, ENOTSUP,
				"cgroup '%s': %s is a cgroup v1 file, and this cgroup's memory "
				"controller is v2 (which has none)",
				cg->path,
				res->swappiness != CG_UNSET ? "memory.swappiness"
							    : "memory.oom_control");
	if (mem && !mem->v2) {
		char buf[32];
		if (cg_v1_apply_memory(cg, mem, res, err) < 0)
			return -1;
		snprintf(buf, sizeof(buf), "%lld", (long long)res->swappiness);
		if (res->swappiness != CG_UNSET &&
		    cg_node_write(mem, "memory.swappiness", buf, err) < 0)
			return -1;
		/* 1: a task over the limit waits for memory (under_oom 1) instead of a kill */
		if (res->oom_kill_disable && cg_node_write(mem, "memory.oom_control", "1", err) < 0)
			return -1;
	} else {
		/* v2: the four are independent files, no order to keep */
		if ((res->memory_max != CG_UNSET &&
		     set_max(cg, "memory.max", res->memory_max, err) < 0) ||
		    (res->memory_high != CG_UNSET &&
		     set_max(cg, "memory.high", res->memory_high, err) < 0) ||
		    (res->memory_low != CG_UNSET &&
		     set_max(cg, "memory.low", res->memory_low, err) < 0) ||
		    (res->swap_max != CG_UNSET &&
		     set_max(cg, "memory.swap.max", res->swap_max, err) < 0))
			return -1;
	}
	if (res->pids_max != CG_UNSET && set_max(cg, "pids.max", res->pids_max, err) < 0)
		return -1;
	if ((res->cpu_quota != CG_UNSET || res->cpu_period != CG_UNSET) &&
	    apply_cpu_max(cg, res, err) < 0)
		return -1;
	if (res->cpu_weight != CG_UNSET || res->cpu_shares != CG_UNSET) {
		struct cg_node *cpu = cg_node_for(cg, CG_CPU);
		if (cpu && !cpu->v2 && res->cpu_shares != CG_UNSET && res->cpu_weight == CG_UNSET) {
			if (set_max(cg, "cpu.shares", res->cpu_shares, err) < 0)
				return -1;
		} else if (set_max(cg, "cpu.weight",
				   res->cpu_weight != CG_UNSET
					   ? res->cpu_weight
					   : cg_weight_from_shares(res->cpu_shares),
				   err) < 0) {
			return -1;
		}
	}
	/* cpus before mems: neither may be empty once a task is inside, and both are
	 * checked against the parent's effective sets */
	if (res->cpuset_cpus[0] && cg_set(cg, "cpuset.cpus", res->cpuset_cpus, err) < 0)
		return cpuset_error(cg, res->cpuset_cpus, err);
	if (res->cpuset_mems[0] && cg_set(cg, "cpuset.mems", res->cpuset_mems, err) < 0)
		return -1;
	if (res->io_weight != CG_UNSET && apply_io_weight(cg, res->io_weight, err) < 0)
		return -1;
	for (int i = 0; i < res->n_io; i++)
		if (apply_io_limit(cg, &res->io[i], err) < 0)
			return -1;
	for (int i = 0; i < res->n_hugetlb; i++) {
		snprintf(key, sizeof(key), "hugetlb.%s.max", res->hugetlb[i].pagesize);
		if (set_max(cg, key, res->hugetlb[i].limit, err) < 0)
			return -1;
	}
	for (int i = 0; i < res->n_unified; i++)
		if (cg_set(cg, res->unified[i].key, res->unified[i].value, err) < 0)
			return -1;
	return 0;
}
