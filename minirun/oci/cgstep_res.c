/*
 * minirun/oci/cgstep_res.c - linux.resources read into cgroups/' terms, for the cgroup step.
 *
 * OCI's JSON becomes a struct cg_resources (OCI's memory.swap is memory+swap, its
 * cpu.shares are v1 units: cgroups/ converts) and a list of device rules; cgstep.c hands
 * both to cgroups/. Every field is checked here, and a bad one is named with its position
 * in config.json ("config.json:12:5: linux.resources.memory.limit: must be an integer").
 *
 * Devices: the policy is each linux.devices node (rwm), then the config's rules, then the
 * devices every container gets (mknod of any node; null, zero, full, random, urandom, tty,
 * console, ptmx and pts for rwm); last match wins, no match is denied. So a config that
 * denies "a" still has a working /dev/null, a rule of the config can narrow a node it
 * lists (docker's --device ...:r), and only what it allows beyond that can be opened.
 *
 * linux.resources.network: the v1 net_cls and net_prio controllers where they are
 * mounted (refused on a v1/hybrid host without them), ignored under -v on pure v2 (see
 * network()). Not enforced: rdma: accepted, said under -v.
 *
 * See: cgstep_res.h; runtime-spec config-linux.md "Control groups", "Allowed Device".
 */
#include "minirun/oci/cgstep_res.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	const struct cg_system *sys = cgstep_host();
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
	const struct cg_system *sys = cgstep_host();
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
int cgstep_resources(const struct spec *s, json_t *r, struct cg_resources *res, struct mr_err *err)
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
int cgstep_device_rules(const struct spec *s, const struct spec *pos, json_t *a,
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
