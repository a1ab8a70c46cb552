/*
 * minirun/oci/cgstep.c - the cgroup step: linux.cgroupsPath and linux.resources through cgroups/.
 *
 * The container's cgroup is cgroupsPath as the engine gives it ("/libpod_parent/libpod-ID",
 * "/default/ID"), or "minirun-ID" below the caller's own cgroup when the config has none.
 * cgroups/ decides where that lands on this host (v2, or the v1 trees of a hybrid host)
 * and writes every file; this file only translates OCI's JSON into struct cg_resources
 * (OCI's memory.swap is memory+swap, its cpu.shares are v1 units: cgroups/ converts) and
 * keeps the path to reopen the cgroup by in later commands.
 *
 * Devices: linux.resources.devices is enforced through cg_devices_apply (an eBPF device
 * filter on the cgroup's v2 directory, hybrid hosts included; the v1 devices hierarchy
 * only where there is no v2 tree): each linux.devices node (rwm), then the config's
 * rules, then the devices every container gets (mknod of any node; null, zero, full,
 * random, urandom, tty, console, ptmx and pts for rwm); last match wins, no match is
 * denied. So a config that denies "a" still has a working /dev/null, a rule of the
 * config can narrow a node it lists (docker's --device ...:r), and only what it allows
 * beyond that can be opened. A config without device rules gets the nodes and the
 * defaults (see cgstep_create for why). `update` with a "devices" array replaces the
 * policy: the same three parts, with update's rules in the middle.
 *
 * linux.resources.network: the v1 net_cls and net_prio controllers where they are
 * mounted (refused on a v1/hybrid host without them), ignored under -v on pure v2 (see
 * network()). Not enforced: rdma: accepted, said under -v.
 *
 * See: cgroups/cgroup.h; runtime-spec config-linux.md "Control groups".
 */
#include "minirun/oci/cgstep.h"
#include "cgroups/cgroup.h"
#include "lib/cleanup.h"
#include "minirun/rootless/rootless.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The recorded name is the list of the cgroup's directories, one per hierarchy, joined
 * by ':' ("/sys/fs/cgroup/unified/x:/sys/fs/cgroup/memory/process_api/y/x:..."). Not
 * the cgroupsPath: on a v1 host cgroups/ places a path below the *caller's* own cgroup
 * of each hierarchy, and the engine's process that later deletes the container (podman)
 * is not in the cgroup of the one that created it (conmon).
 */
#define CGSET_MAX 16
struct cgset {
	struct cg *h[CGSET_MAX];
	int n;
};

static void set_free(struct cgset *set)
{
	for (int i = 0; i < set->n; i++)
		cg_free(set->h[i]);
	set->n = 0;
}

/* The host's cgroup setup, detected once per process: each cg_open/cg_create would read
 * /proc/self/mounts and /proc/self/cgroup again, and a create opens the cgroup 3 times.
 * NULL when detection fails (the library then says why, itself). */
static const struct cg_system *host(void)
{
	static struct cg_system sys;
	static int state; /* 0 not yet, 1 detected, -1 failed */
	if (state == 0)
		state = cg_detect(&sys, NULL) == 0 ? 1 : -1;
	return state == 1 ? &sys : NULL;
}

/* Open every directory of NAME; one that is gone already is skipped. */
static int set_open(const char *name, struct cgset *set, struct mr_err *err)
{
	char buf[8192], *save = NULL;
	set->n = 0;
	snprintf(buf, sizeof(buf), "%s", name);
	for (char *d = strtok_r(buf, ":", &save); d && set->n < CGSET_MAX;
	     d = strtok_r(NULL, ":", &save)) {
		struct mr_err e = {0};
		struct cg *cg = cg_open(host(), d, &e);
		if (cg)
			set->h[set->n++] = cg;
		else if (e.errnum != ENOENT) {
			set_free(set);
			return mr_fail(err, e.errnum, "%s", e.msg);
		}
	}
	if (set->n == 0)
		return mr_fail(err, ENOENT, "the container's cgroup '%s' is gone", name);
	return 0;
}

/* The directories of CG, joined by ':' (malloc'd). */
static char *set_name(const struct cg *cg)
{
	static const char *const ctl[] = {NULL, "memory", "pids",    "cpu",     "cpuacct", "cpuset",
					  "io", "blkio",  "hugetlb", "freezer", "devices"};
	char out[8192] = "";
	size_t len = 0;
	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		const char *d = cg_dir(cg, ctl[i]);
		if (!d || strstr(out, d))
			continue;
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", len ? ":" : "", d);
	}
	return strdup(out);
}

/* RES reduced to what one hierarchy's controllers (BITS) take; CORE also takes the raw
 * "unified" writes. */
static void res_for(const struct cg_resources *res, unsigned bits, bool core,
		    struct cg_resources *out)
{
	cg_resources_init(out);
	if (bits & CG_MEMORY) {
		out->memory_max = res->memory_max, out->memory_high = res->memory_high;
		out->memory_low = res->memory_low, out->swap_max = res->swap_max;
		out->swappiness = res->swappiness, out->oom_kill_disable = res->oom_kill_disable;
	}
	if (bits & CG_PIDS)
		out->pids_max = res->pids_max;
	if (bits & CG_CPU) {
		out->cpu_quota = res->cpu_quota, out->cpu_period = res->cpu_period;
		out->cpu_weight = res->cpu_weight, out->cpu_shares = res->cpu_shares;
	}
	if (bits & CG_CPUSET) {
		memcpy(out->cpuset_cpus, res->cpuset_cpus, sizeof(out->cpuset_cpus));
		memcpy(out->cpuset_mems, res->cpuset_mems, sizeof(out->cpuset_mems));
	}
	if (bits & CG_IO) {
		out->io_weight = res->io_weight, out->n_io = res->n_io;
		memcpy(out->io, res->io, sizeof(out->io));
	}
	if (bits & CG_HUGETLB) {
		out->n_hugetlb = res->n_hugetlb;
		memcpy(out->hugetlb, res->hugetlb, sizeof(out->hugetlb));
	}
	if (core) {
		out->n_unified = res->n_unified;
		memcpy(out->unified, res->unified, sizeof(out->unified));
	}
}

/* Fail naming PATH, with its position when the spec's text is at hand. */
static int bad(const struct spec *s, struct mr_err *err, const char *path, const char *what)
{
	if (s)
		return spec_bad(s, err, path, "%s", what);
	return mr_fail(err, 0, "%s %s", path, what);
}

/* An integer member, or CG_UNSET when absent; -1 with err when of the wrong type. */
static int num(const struct spec *s, json_t *o, const char *path, const char *key, int64_t *out,
	       struct mr_err *err)
{
	json_t *v = json_object_get(o, key);
	char p[128];
	*out = CG_UNSET;
	if (!v || json_is_null(v))
		return 0;
	snprintf(p, sizeof(p), "%s.%s", path, key);
	if (!json_is_integer(v))
		return bad(s, err, p, "must be an integer");
	*out = json_integer_value(v);
	return 0;
}

/* "-1 means unlimited" in OCI; CG_LIMIT_MAX in cgroups/. */
static int64_t unlimited(int64_t v)
{
	return v == -1 ? CG_LIMIT_MAX : v;
}

static int io_list(const struct spec *s, json_t *blk, const char *key, struct cg_resources *res,
		   int which, struct mr_err *err)
{
	json_t *a = json_object_get(blk, key), *d;
	size_t i;
	json_array_foreach(a, i, d)
	{
		int64_t major, minor, rate;
		char p[128];
		snprintf(p, sizeof(p), "linux.resources.blockIO.%s[%zu]", key, i);
		if (num(s, d, p, "major", &major, err) < 0 ||
		    num(s, d, p, "minor", &minor, err) < 0 || num(s, d, p, "rate", &rate, err) < 0)
			return -1;
		if (major < 0 || minor < 0 || rate < 0)
			return bad(s, err, p, "needs major, minor and rate");
		int k;
		for (k = 0; k < res->n_io; k++)
			if (res->io[k].major == major && res->io[k].minor == minor)
				break;
		if (k == res->n_io) {
			if (k == CG_MAX_IO_DEV)
				return bad(s, err, p, "is one device too many");
			res->io[k] =
				(struct cg_io_limit){(unsigned)major, (unsigned)minor, CG_UNSET,
						     CG_UNSET,        CG_UNSET,        CG_UNSET};
			res->n_io++;
		}
		int64_t *f[] = {&res->io[k].rbps, &res->io[k].wbps, &res->io[k].riops,
				&res->io[k].wiops};
		*f[which] = rate;
	}
	return 0;
}

/*
 * linux.resources.network: classID -> net_cls.classid, priorities -> net_prio.ifpriomap.
 * Both controllers exist in cgroup v1 only. On a pure v2 host the field is ignored, said
 * under -v, as runc and crun do (v2 has no such files; nftables' "socket cgroupv2" match
 * classifies by path instead). On a v1 or hybrid host a hierarchy must be mounted for
 * each: without one the field is refused (runc: "cannot set net_cls limit"), rather
 * than a container running untagged that was meant to be tagged.
 */
static int network(const struct spec *s, json_t *n, struct cg_resources *res, struct mr_err *err)
{
	const char *p = "linux.resources.network";
	json_t *prios = n ? json_object_get(n, "priorities") : NULL, *e;
	int64_t classid;
	if (!n || json_is_null(n))
		return 0;
	if (!json_is_object(n))
		return bad(s, err, p, "must be an object {classID, priorities}");
	if (num(s, n, p, "classID", &classid, err) < 0)
		return -1;
	if (classid != CG_UNSET && (classid < 0 || classid > UINT32_MAX))
		return bad(s, err, "linux.resources.network.classID",
			   "must be a 32-bit class id (0xAAAABBBB, tc's AAAA:BBBB)");
	if (prios && !json_is_array(prios))
		return bad(s, err, "linux.resources.network.priorities",
			   "must be a list of {name, priority}");
	const struct cg_system *sys = host();
	if (sys && sys->mode == CG_UNIFIED) {
		mr_say("%s: ignored on this cgroup v2 host (net_cls and net_prio are v1 "
		       "controllers), as runc and crun do",
		       p);
		return 0;
	}
	if (classid != CG_UNSET && !(sys && cg_v1_hier(sys, "net_cls")))
		return bad(s, err, "linux.resources.network.classID",
			   "needs the cgroup v1 net_cls controller, and no hierarchy of it is "
			   "mounted on this host (grep net_cls /proc/self/mounts): mount one, or "
			   "leave classID out");
	if (json_array_size(prios) && !(sys && cg_v1_hier(sys, "net_prio")))
		return bad(s, err, "linux.resources.network.priorities",
			   "needs the cgroup v1 net_prio controller, and no hierarchy of it is "
			   "mounted on this host (grep net_prio /proc/self/mounts): mount one, or "
			   "leave priorities out");
	res->net_classid = classid;
	size_t i;
	json_array_foreach(prios, i, e)
	{
		char q[96];
		int64_t prio;
		snprintf(q, sizeof(q), "%s.priorities[%zu]", p, i);
		json_t *name = json_object_get(e, "name");
		if (num(s, e, q, "priority", &prio, err) < 0)
			return -1;
		if (!json_is_string(name) || !*json_string_value(name) ||
		    strlen(json_string_value(name)) >= sizeof(res->net_prio[0].ifname) ||
		    strpbrk(json_string_value(name), " /\n") || prio < 0 || prio > UINT32_MAX)
			return bad(s, err, q,
				   "needs an interface name and a priority (0-4294967295)");
		if (res->n_net_prio == CG_MAX_NET_PRIO)
			return bad(s, err, q, "is one interface too many");
		struct cg_net_prio *np = &res->net_prio[res->n_net_prio++];
		snprintf(np->ifname, sizeof(np->ifname), "%s", json_string_value(name));
		np->priority = (uint32_t)prio;
	}
	return 0;
}

/*
 * linux.resources.memory's v1-only knobs: swappiness (memory.swappiness, 0..100) and
 * disableOOMKiller (memory.oom_control = 1). cgroup v2 has neither file: on a pure v2 host
 * both are ignored, said under -v, as runc does (docker drops them before they get here).
 */
static int memory_v1(const struct spec *s, json_t *o, struct cg_resources *res, struct mr_err *err)
{
	const char *p = "linux.resources.memory";
	json_t *oom = json_object_get(o, "disableOOMKiller");
	int64_t v;
	if (num(s, o, p, "swappiness", &v, err) < 0)
		return -1;
	/* runc takes -1 (docker's "unset", as an unsigned 2^64-1 too) as "leave it" */
	if (v != CG_UNSET && v != -1 && (v < 0 || v > 100))
		return bad(s, err, "linux.resources.memory.swappiness", "must be in 0..100");
	if (oom && !json_is_boolean(oom) && !json_is_null(oom))
		return bad(s, err, "linux.resources.memory.disableOOMKiller", "must be a boolean");
	bool off = json_is_true(oom);
	const struct cg_system *sys = host();
	if ((v >= 0 || off) && sys && sys->mode == CG_UNIFIED) {
		mr_say("%s.%s: ignored on this cgroup v2 host (a v1 memory file), as runc does", p,
		       v >= 0 ? "swappiness" : "disableOOMKiller");
		return 0;
	}
	res->swappiness = v >= 0 ? v : CG_UNSET;
	res->oom_kill_disable = off;
	return 0;
}

/* linux.resources (R) -> RES. S (may be NULL) gives error positions. */
static int resources(const struct spec *s, json_t *r, struct cg_resources *res, struct mr_err *err)
{
	json_t *o;
	int64_t v, swap;
	cg_resources_init(res);
	if ((o = json_object_get(r, "memory"))) {
		const char *p = "linux.resources.memory";
		if (num(s, o, p, "limit", &v, err) < 0)
			return -1;
		res->memory_max = unlimited(v);
		if (num(s, o, p, "reservation", &v, err) < 0)
			return -1;
		res->memory_low = unlimited(v);
		if (num(s, o, p, "swap", &swap, err) < 0 ||
		    cg_swap_from_total(res->memory_max, unlimited(swap), &res->swap_max, err) < 0)
			return -1;
		if (memory_v1(s, o, res, err) < 0)
			return -1;
	}
	if ((o = json_object_get(r, "cpu"))) {
		const char *p = "linux.resources.cpu";
		int64_t rt;
		if (num(s, o, p, "shares", &res->cpu_shares, err) < 0 ||
		    num(s, o, p, "quota", &v, err) < 0 ||
		    num(s, o, p, "period", &res->cpu_period, err) < 0 ||
		    num(s, o, p, "realtimeRuntime", &rt, err) < 0)
			return -1;
		res->cpu_quota = v == CG_UNSET ? CG_UNSET : v <= 0 ? CG_LIMIT_MAX : v;
		if (res->cpu_quota != CG_UNSET && res->cpu_period == CG_UNSET)
			res->cpu_period = 100000;
		if (rt > 0)
			return bad(s, err, "linux.resources.cpu.realtimeRuntime",
				   "is not supported by minirun");
		const char *cpus = json_string_value(json_object_get(o, "cpus"));
		const char *mems = json_string_value(json_object_get(o, "mems"));
		snprintf(res->cpuset_cpus, sizeof(res->cpuset_cpus), "%s", cpus ? cpus : "");
		snprintf(res->cpuset_mems, sizeof(res->cpuset_mems), "%s", mems ? mems : "");
	}
	if ((o = json_object_get(r, "pids"))) {
		if (num(s, o, "linux.resources.pids", "limit", &v, err) < 0)
			return -1;
		res->pids_max = v == CG_UNSET ? CG_UNSET : v <= 0 ? CG_LIMIT_MAX : v;
	}
	if ((o = json_object_get(r, "blockIO"))) {
		if (num(s, o, "linux.resources.blockIO", "weight", &v, err) < 0)
			return -1;
		if (v > 0)
			res->io_weight = cg_io_weight_from_blkio(v);
		static const char *const keys[] = {
			"throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
			"throttleWriteIOPSDevice"};
		for (int k = 0; k < 4; k++)
			if (io_list(s, o, keys[k], res, k, err) < 0)
				return -1;
	}
	json_t *h;
	size_t i;
	json_array_foreach(json_object_get(r, "hugepageLimits"), i, h)
	{
		const char *size = json_string_value(json_object_get(h, "pageSize"));
		char p[64];
		snprintf(p, sizeof(p), "linux.resources.hugepageLimits[%zu]", i);
		if (!size)
			return bad(s, err, p, "needs a pageSize (\"2MB\")");
		if (num(s, h, p, "limit", &v, err) < 0)
			return -1;
		if (v < 0)
			return bad(s, err, p, "needs a limit in bytes");
		if (res->n_hugetlb == CG_MAX_HUGETLB)
			return bad(s, err, p, "is one too many");
		snprintf(res->hugetlb[res->n_hugetlb].pagesize, 16, "%s", size);
		res->hugetlb[res->n_hugetlb++].limit = v;
	}
	const char *key;
	json_object_foreach(json_object_get(r, "unified"), key, h)
	{
		if (!json_is_string(h) || res->n_unified == CG_MAX_UNIFIED || strchr(key, '/'))
			return bad(s, err, "linux.resources.unified",
				   "must map file names to strings");
		snprintf(res->unified[res->n_unified].key, 64, "%s", key);
		snprintf(res->unified[res->n_unified++].value, 256, "%s", json_string_value(h));
	}
	if (network(s, json_object_get(r, "network"), res, err) < 0)
		return -1;
	if (json_object_get(r, "rdma"))
		mr_say("linux.resources.rdma: not enforced by minirun");
	return 0;
}

/* What every container may use whatever its rules say (runc's list, appended after the
 * config's rules): mknod of any node (opening it is what the rules decide), and the
 * default /dev nodes and the terminal devices. */
static const struct cg_device_rule default_rules[] = {
	{true, 'c', -1, -1, "m"}, {true, 'b', -1, -1, "m"},    {true, 'c', 1, 3, "rwm"},
	{true, 'c', 1, 5, "rwm"}, {true, 'c', 1, 7, "rwm"},    {true, 'c', 1, 8, "rwm"},
	{true, 'c', 1, 9, "rwm"}, {true, 'c', 5, 0, "rwm"},    {true, 'c', 5, 1, "rwm"},
	{true, 'c', 5, 2, "rwm"}, {true, 'c', 136, -1, "rwm"},
};
#define N_DEFAULT_RULES (sizeof(default_rules) / sizeof(default_rules[0]))

/* An optional major/minor: absent, null or -1 is "any". */
static int dev_num(const struct spec *s, json_t *o, const char *p, const char *key, int64_t *out,
		   struct mr_err *err)
{
	if (num(s, o, p, key, out, err) < 0)
		return -1;
	if (*out < -1)
		return bad(s, err, p, "has a negative major/minor");
	return 0;
}

/* The nodes of S's linux.devices (rwm), then the device rules A (a
 * linux.resources.devices array, or NULL), then the defaults -> a new RULES array. POS (S or NULL)
 * gives error positions: A comes from S's config.json, or from update's own file. */
static int device_rules(const struct spec *s, const struct spec *pos, json_t *a,
			struct cg_device_rule **rules, size_t *n, struct mr_err *err)
{
	json_t *d;
	size_t i, max = json_array_size(a) + N_DEFAULT_RULES + (s ? s->ndevices : 0);
	struct cg_device_rule *out = calloc(max ? max : 1, sizeof(*out));
	*n = 0;
	if (!out)
		return mr_fail(err, ENOMEM, "device rules");
	/* the nodes first: the config's own rules come after them, and so can narrow them
	 * (docker's --device /dev/x:/dev/x:r gives the node and an "r" rule) */
	for (i = 0; s && i < s->ndevices; i++) {
		const struct spec_device *sd = &s->devices[i];
		if (sd->type != 'c' && sd->type != 'b')
			continue; /* a fifo is no device to the controller */
		out[(*n)++] = (struct cg_device_rule){true, sd->type, sd->major, sd->minor, "rwm"};
	}
	json_array_foreach(a, i, d)
	{
		struct cg_device_rule *r = &out[*n];
		char p[64];
		snprintf(p, sizeof(p), "linux.resources.devices[%zu]", i);
		json_t *allow = json_object_get(d, "allow");
		const char *type = json_string_value(json_object_get(d, "type"));
		const char *access = json_string_value(json_object_get(d, "access"));
		if (!json_is_boolean(allow)) {
			free(out);
			return bad(pos, err, p, "needs \"allow\": true or false");
		}
		r->allow = json_is_true(allow);
		r->type = type && *type ? type[0] : 'a';
		if ((type && strlen(type) > 1) || !strchr("abc", r->type)) {
			free(out);
			return bad(pos, err, p, "has a type that is not \"a\", \"b\" or \"c\"");
		}
		if (dev_num(pos, d, p, "major", &r->major, err) < 0 ||
		    dev_num(pos, d, p, "minor", &r->minor, err) < 0) {
			free(out);
			return -1;
		}
		if (!access || !*access)
			access = "rwm";
		if (strlen(access) > 3 || strspn(access, "rwm") != strlen(access)) {
			free(out);
			return bad(pos, err, p, "has an access that is not a subset of \"rwm\"");
		}
		snprintf(r->access, sizeof(r->access), "%s", access);
		(*n)++;
	}
	memcpy(out + *n, default_rules, sizeof(default_rules));
	*n += N_DEFAULT_RULES;
	*rules = out;
	return 0;
}

/* Make the device policy of CG: the rules A, the defaults, S's linux.devices. */
static int devices(const struct spec *s, const struct spec *pos, json_t *a, struct cg *cg,
		   struct mr_err *err)
{
	struct cg_device_rule *rules = NULL;
	size_t n;
	if (device_rules(s, pos, a, &rules, &n, err) < 0)
		return -1;
	mr_say("linux.resources.devices: %zu rules (with the defaults)", n);
	int rc = cg_devices_apply(cg, rules, n, err);
	free(rules);
	if (rc < 0)
		mr_prefix(err, "linux.resources.devices: ");
	return rc;
}

/* The handle cgstep_create made, kept for the cgstep_clone that follows it: opening it
 * again by name cost 6 syscalls and a new 350 KiB handle. Only a cgroup of one directory
 * (the one clone3 enters by the handle's fd); dropped by the next create or clone. */
static struct {
	char *name;
	struct cg *cg;
} made;

static void made_drop(void)
{
	cg_free(made.cg);
	free(made.name);
	made.cg = NULL;
	made.name = NULL;
}

/*
 * cgstep_create - the container's cgroup, with its limits and device policy; its
 * recorded name into *NAME (the caller frees). A caller in a user namespace that may not
 * make one (rootless, nothing delegated) gets *NAME NULL and 0 when the config asks for no
 * limit: the container then shares its caller's cgroup. -1 with err otherwise.
 */
int cgstep_create(const struct spec *s, const char *id, char **name, struct mr_err *err)
{
	struct cg_resources res;
	char path[1024];
	*name = NULL;
	made_drop();
	if (s->cgroups_path && strchr(s->cgroups_path, ':'))
		return spec_bad(s, err, "linux.cgroupsPath",
				"'%s' is a systemd slice:prefix:name; "
				"minirun manages cgroupfs paths only (podman: --cgroup-manager="
				"cgroupfs)",
				s->cgroups_path);
	if (s->resources && resources(s, s->resources, &res, err) < 0)
		return -1;
	if (s->cgroups_path && *s->cgroups_path)
		snprintf(path, sizeof(path), "%s", s->cgroups_path);
	else
		snprintf(path, sizeof(path), "minirun-%s", id);
	/* only the controllers the limits need: on a v1 host each extra hierarchy costs a
	 * mkdir and a migration (cpuset's mkdir alone takes ~20 ms); `update` can change the
	 * limits of these controllers */
	unsigned ctl = s->resources ? cg_resources_controllers(&res) : 0;
	mr_say("cgroup '%s'", path);
	struct cg *cg = cg_create(host(), path, ctl, 0, err);
	int why = err ? err->errnum : errno;
	if (!cg && ctl == 0 && (why == EACCES || why == EPERM || why == EROFS) &&
	    rootless_active()) {
		/* rootless without a delegated cgroup: as runc does, a container that asks for
		 * no limit runs in its caller's cgroup (the front end refused the limits) */
		mr_say("no cgroup: %s; running in the caller's cgroup", err ? err->msg : "");
		return 0;
	}
	if (!cg) {
		mr_prefix(err, "linux.cgroupsPath: ");
		return -1;
	}
	int rc = s->resources ? cg_apply(cg, &res, err) : 0;
	if (rc < 0)
		mr_prefix(err, "linux.resources: ");
	/* A device policy always, as runc does: a config without linux.resources.devices
	 * still gets the defaults, and nothing else. Without one the cgroup would inherit
	 * its parent's (on most hosts: every device), and a container with CAP_MKNOD could
	 * mknod the host's disk and read it. Only a caller that is not root, who can't load
	 * a device filter anyway, goes without when the config asks for none. */
	json_t *rules = s->resources ? json_object_get(s->resources, "devices") : NULL;
	if (rc == 0 && rootless_active())
		/* as runc: the kernel lets no user namespace mknod a device or load a device
		 * filter; the host's nodes are bound in (devices.c), their modes still hold */
		mr_say("no device policy: rootless, in a cgroup delegated to the user");
	else if (rc == 0 && (rules || geteuid() == 0))
		rc = devices(s, s, rules, cg, err);
	else if (rc == 0)
		mr_say("no device policy: not root, and linux.resources.devices is empty");
	if (rc < 0) {
		cg_remove(cg, 1000, NULL);
		cg_free(cg);
		return -1;
	}
	*name = set_name(cg);
	if (*name && !strchr(*name, ':') && (made.name = strdup(*name)))
		made.cg = cg;
	else
		cg_free(cg);
	return *name ? 0 : mr_fail(err, ENOMEM, "cgroup");
}

/* fork(2) with extra clone FLAGS, as a raw clone (glibc's clone() wants a new stack). */
static pid_t clone_plain(unsigned long flags, struct mr_err *err)
{
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		return mr_fail(err, errno, "clone");
	return pid;
}

int cgstep_enter(const char *name, pid_t pid, struct mr_err *err)
{
	struct cgset set;
	int rc = 0;
	if (set_open(name, &set, err) < 0)
		return -1;
	for (int i = 0; i < set.n && rc == 0; i++)
		rc = cg_add_pid(set.h[i], pid, err);
	set_free(&set);
	return rc;
}

/*
 * Why clone3(CLONE_INTO_CGROUP) and not a write to cgroup.procs: moving a process between
 * cgroups takes the kernel's cgroup_threadgroup_rwsem for writing, and that waits for an
 * RCU grace period -- 5 to 20 ms on this kind of machine, the largest single cost of a
 * container's start once exec is cheap. A child born in its cgroup is never moved (crun
 * does the same). v1 directories can't be named to clone3: those are still written.
 */
pid_t cgstep_clone(const char *name, unsigned long flags, struct mr_err *err)
{
	struct cgset set;
	pid_t pid;
	if (!name) {
		made_drop();
		return clone_plain(flags, err);
	}
	if (made.cg && strcmp(made.name, name) == 0) {
		pid = cg_clone(made.cg, flags, err);
		made_drop(); /* in the parent and in the child, each its own copy */
		return pid;
	}
	made_drop();
	if (set_open(name, &set, err) < 0)
		return -1;
	if (set.n == 1) {
		pid = cg_clone(set.h[0], flags, err);
		set_free(&set);
		return pid;
	}
	pid = clone_plain(flags, err);
	if (pid == 0) {
		/* the child waits for the create process's first message: by then it is in */
		set_free(&set);
		return 0;
	}
	for (int i = 0; pid > 0 && i < set.n; i++)
		if (cg_add_pid(set.h[i], pid, err) < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			pid = -1;
		}
	set_free(&set);
	return pid;
}

/*
 * grow - give the container's cgroup (SET, recorded as NAME) the controllers MISSING, which
 * an update asks for and the create did not make (cgstep_create makes only those its limits
 * need; runc makes them all). cg_create joins the cgroup at its own path (cg_path of the core
 * directory, placed as at create) with those controllers: on v2 that enables them on its
 * ancestors and the directory is the same; on v1 it makes a directory in each new hierarchy,
 * and every process of the container is moved in (three passes: a process forked during
 * one is caught by the next). *GROWN: NAME with the new directories (the caller records
 * it, so delete removes them), or NULL when there are none.
 */
static int grow(struct cgset *set, const char *name, unsigned missing, char **grown,
		struct mr_err *err)
{
	*grown = NULL;
	mr_say("update: cgroup '%s' lacks controllers it now needs: added", cg_path(set->h[0]));
	struct cg *cg = cg_create(host(), cg_path(set->h[0]), missing, CG_EXIST_OK, err);
	if (!cg) {
		mr_prefix(err, "adding a controller to the container's cgroup: ");
		return -1;
	}
	_cleanup_free_ char *dirs = set_name(cg);
	char out[8192];
	size_t len = (size_t)snprintf(out, sizeof(out), "%s", name);
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char key[4200];
		snprintf(key, sizeof(key), ":%s:", d);
		char have[8200];
		snprintf(have, sizeof(have), ":%s:", name);
		if (!strstr(have, key) && len < sizeof(out))
			len += (size_t)snprintf(out + len, sizeof(out) - len, ":%s", d);
	}
	if (strcmp(out, name) != 0) {
		for (int pass = 0; pass < 3; pass++) {
			pid_t *pids = NULL;
			size_t n = 0;
			if (cg_pids(set->h[0], &pids, &n, err) < 0) {
				cg_free(cg);
				return -1;
			}
			for (size_t i = 0; i < n; i++)
				cg_add_pid(cg, pids[i],
					   NULL); /* one gone meanwhile needs no move */
			free(pids);
		}
		if (!(*grown = strdup(out))) {
			cg_free(cg);
			return mr_fail(err, ENOMEM, "cgroup name");
		}
	}
	if (set->n < CGSET_MAX)
		set->h[set->n++] = cg;
	else
		cg_free(cg);
	return 0;
}

int cgstep_update(const char *name, json_t *r, const struct spec *s, char **grown,
		  struct mr_err *err)
{
	struct cg_resources res, part;
	struct cgset set;
	int rc = 0;
	json_t *rules = json_object_get(r, "devices");
	*grown = NULL;
	if (rules && !json_is_array(rules))
		return mr_fail(err, 0, "devices must be an array of device rules");
	if (resources(NULL, r, &res, err) < 0 || set_open(name, &set, err) < 0)
		return -1;
	unsigned have = 0, need = cg_resources_controllers(&res);
	for (int i = 0; i < set.n; i++)
		have |= cg_controllers(set.h[i]);
	if ((need & ~have) && grow(&set, name, need & ~have, grown, err) < 0) {
		set_free(&set);
		return -1;
	}
	for (int i = 0; i < set.n && rc == 0; i++) {
		res_for(&res, cg_controllers(set.h[i]), i == 0, &part);
		rc = cg_apply(set.h[i], &part, err);
	}
	/* new device rules replace the old policy whole (the defaults and linux.devices are
	 * added again): in the devices directory on v1, in the v2 one's filter otherwise */
	if (rc == 0 && rules) {
		int k = 0; /* the v2 directory is the first (set_name) */
		for (int i = 0; i < set.n; i++)
			if (cg_dir(set.h[i], "devices"))
				k = i;
		rc = devices(s, NULL, rules, set.h[k], err);
	}
	set_free(&set);
	return rc;
}

/* The first directory is the core one (v2 where there is a v2 tree): freeze, kill and
 * the process list use it; every process of the container is in it. */
int cgstep_freeze(const char *name, bool freeze, struct mr_err *err)
{
	struct cgset set;
	if (set_open(name, &set, err) < 0)
		return -1;
	int rc = cg_freeze(set.h[0], freeze, 5000, err);
	set_free(&set);
	return rc;
}

int cgstep_frozen(const char *name)
{
	struct cgset set;
	if (set_open(name, &set, NULL) < 0)
		return -1;
	int rc = cg_frozen(set.h[0], NULL);
	set_free(&set);
	return rc;
}

int cgstep_procs(const char *name, pid_t **pids, size_t *n, struct mr_err *err)
{
	struct cgset set;
	if (set_open(name, &set, err) < 0)
		return -1;
	int rc = cg_pids(set.h[0], pids, n, err);
	set_free(&set);
	return rc;
}

int cgstep_kill(const char *name, int sig, struct mr_err *err)
{
	struct cgset set;
	if (set_open(name, &set, err) < 0)
		return -1;
	int rc = cg_kill(set.h[0], sig, err);
	set_free(&set);
	return rc;
}

int cgstep_remove(const char *name, struct mr_err *err)
{
	struct cgset set;
	struct mr_err e = {0};
	int rc = 0;
	if (set_open(name, &set, &e) < 0)
		return e.errnum == ENOENT ? 0 : mr_fail(err, e.errnum, "%s", e.msg);
	for (int i = set.n - 1; i >= 0; i--)
		if (cg_remove(set.h[i], 5000, err) < 0)
			rc = -1;
	set_free(&set);
	return rc;
}

int cgstep_remove_unrecorded(const char *id, struct mr_err *err)
{
	char path[128];
	struct mr_err e = {0};
	snprintf(path, sizeof(path), "minirun-%s", id);
	struct cg *cg = cg_open(host(), path, &e);
	if (!cg) /* none made (the usual case), or no cgroups here: nothing to remove */
		return 0;
	mr_say("cgroup '%s' was made but not recorded: removing it", path);
	int rc = cg_remove(cg, 5000, err);
	cg_free(cg);
	return rc;
}

const char *cgstep_mode(void)
{
	struct cg_system sys;
	if (cg_detect(&sys, NULL) < 0)
		return "none";
	return cg_mode_name(sys.mode);
}
