/*
 * minirun/containers/update_res.c - the cgroup flags `update` shares with `run`:
 * -c/--cpu-shares, --cpu-period, --cpu-quota, --cpuset-cpus, --cpuset-mems, --blkio-weight.
 *
 * Each value is parsed by its own row of run's table (opts_set.c), so both verbs take it
 * and refuse it in the same words; the checks are run's too (opts_resources.c: the ranges,
 * the CPUs online here, the blkio weight file), plus the ones only an update has, in docker's
 * daemon's words: --cpus and the CFS pair exclude each other across updates too ("Conflicting
 * options: CPU Period cannot be updated as NanoCPUs has already been set"). A value of 0 is
 * "not given", as in docker's update. What is given goes into the record's limits (HostConfig's
 * keys, struct container_limits) and into the linux.resources object ctr_update hands a
 * running container's cgroup.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/update/; moby's
 *      container.UpdateContainer (the conflicts); opts_resources.c; update.c.
 * Try: minirun update -c 512 --cpuset-cpus 0 web
 */
#include "minirun/containers/opts.h"
#include "minirun/containers/update_res.h"

#include <string.h>

int update_res_flag(struct container_opts *o, const char *name, const char *v, struct mr_err *err)
{
	for (size_t i = 0; i < opts_count; i++)
		if (strcmp(opts_table[i].name, name) == 0 && opts_table[i].set)
			return opts_table[i].set(o, v, &opts_table[i], err);
	return mr_fail(err, 0, "unknown flag: --%s", name);
}

bool update_res_any(const struct container_opts *o)
{
	return o->cpu_shares || o->cpu_period || o->cpu_quota || o->cpuset_cpus || o->cpuset_mems ||
	       o->blkio_weight;
}

int update_res_check(const struct container_opts *o, double cpus, struct mr_err *err)
{
	struct container_opts all = *o;
	all.cpus = cpus > 0 ? cpus : 0; /* --cpus with --cpu-period in one update */
	if (opts_resources_check(&all, err) < 0)
		return -1;
	return container_resources_host_check(&all, err);
}

int update_res_conflicts(const struct container_limits *l, const struct container_opts *o,
			 double cpus, struct mr_err *err)
{
	long long nano = l->nano_cpus, period = l->cpu_period, quota = l->cpu_quota;
	/* --cpus writes the CFS pair itself: once one way is in the record, the other is
	 * refused until it is cleared (docker's order of checks) */
	if (cpus > 0 && period > 0)
		return mr_fail(err, 0,
			       "Conflicting options: Nano CPUs cannot be updated as CPU Period has "
			       "already been set");
	if (cpus > 0 && quota > 0)
		return mr_fail(err, 0,
			       "Conflicting options: Nano CPUs cannot be updated as CPU Quota has "
			       "already been set");
	if (o->cpu_period > 0 && nano > 0 && cpus != 0)
		return mr_fail(err, 0,
			       "Conflicting options: CPU Period cannot be updated as NanoCPUs has "
			       "already been set");
	if (o->cpu_quota > 0 && nano > 0 && cpus != 0)
		return mr_fail(err, 0,
			       "Conflicting options: CPU Quota cannot be updated as NanoCPUs has "
			       "already been set");
	return 0;
}

/* the object KEY of R, made when missing (borrowed) */
static json_t *member(json_t *r, const char *key)
{
	json_t *o = json_object_get(r, key);
	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(r, key, o);
	}
	return o;
}

void update_res_apply(struct container_limits *l, const struct container_opts *o, json_t *res)
{
	if (o->cpu_shares) {
		l->cpu_shares = o->cpu_shares;
		json_object_set_new(member(res, "cpu"), "shares", json_integer(o->cpu_shares));
	}
	if (o->cpu_period) {
		l->cpu_period = o->cpu_period;
		json_object_set_new(member(res, "cpu"), "period", json_integer(o->cpu_period));
	}
	if (o->cpu_quota) {
		l->cpu_quota = o->cpu_quota;
		json_object_set_new(member(res, "cpu"), "quota", json_integer(o->cpu_quota));
	}
	if (o->cpuset_cpus) {
		container_record_set_str(&l->cpuset_cpus, o->cpuset_cpus);
		json_object_set_new(member(res, "cpu"), "cpus", json_string(o->cpuset_cpus));
	}
	if (o->cpuset_mems) {
		container_record_set_str(&l->cpuset_mems, o->cpuset_mems);
		json_object_set_new(member(res, "cpu"), "mems", json_string(o->cpuset_mems));
	}
	if (o->blkio_weight) {
		l->blkio_weight = o->blkio_weight;
		json_object_set_new(member(res, "blockIO"), "weight",
				    json_integer(o->blkio_weight));
	}
}
