/*
 * minirun/compose/resources.c - a service's resource, OOM, block-IO, DNS and label-file
 * keys as the flags of `minirun run` (up.c builds the rest of the command line).
 *
 * Each key is one run flag, so that the containers' front end checks and applies it exactly
 * as it does for `minirun run` (one implementation of each: minirun/containers/
 * opts_resources.c, dns_flags.c), and `minirun -v compose up` shows the flag:
 *
 *	cpus, deploy.resources.limits.cpus        --cpus
 *	cpu_shares, cpu_period, cpu_quota         --cpu-shares, --cpu-period, --cpu-quota
 *	cpuset                                    --cpuset-cpus
 *	mem_limit, deploy...limits.memory         -m
 *	mem_reservation, deploy...reservations.memory   --memory-reservation
 *	memswap_limit, mem_swappiness             --memory-swap, --memory-swappiness
 *	oom_kill_disable, oom_score_adj           --oom-kill-disable, --oom-score-adj
 *	pids_limit, deploy...limits.pids          --pids-limit
 *	shm_size                                  --shm-size
 *	blkio_config.weight                       --blkio-weight
 *	blkio_config.device_{read,write}_{bps,iops}   --device-{read,write}-{bps,iops} PATH:RATE
 *	dns, dns_search, dns_opt, extra_hosts     --dns, --dns-search, --dns-option, --add-host
 *	label_file                                --label-file (the service's labels win, as the
 *	                                          specification says: -l comes after)
 *
 * A bad value (cpuset "9" on a two-CPU host, a swap limit below the memory limit ...) is
 * refused by the front end with docker's message, behind `service "NAME": ` (up.c), before
 * anything is made. The keys no run flag stands for are warned about at `up`, not dropped
 * silently: cpu_count and cpu_percent (Windows' keys, which dockerd on Linux discards too),
 * blkio_config.weight_device, storage_opt, links, domainname. (volumes_from and mac_address
 * are run's --volumes-from and --mac-address: up.c.)
 *
 * See: https://docs.docker.com/reference/compose-file/services/ (each key),
 *      https://docs.docker.com/reference/cli/docker/container/run/ (each flag)
 */
#include "minirun/compose/labels.h"
#include "minirun/compose/parse.h"

#include <stdio.h>
#include <string.h>

static void add(struct compose_arena *a, char ***v, size_t *n, const char *flag, const char *value)
{
	*(char **)compose_push(a, v, n, sizeof(char *)) = (char *)flag;
	*(char **)compose_push(a, v, n, sizeof(char *)) = (char *)value;
}

static const char *num(struct compose_arena *a, long long x)
{
	return compose_printf(a, "%lld", x);
}

void compose_resource_args(struct compose_arena *a, const struct compose_service *s, char ***v,
			   size_t *n)
{
	const struct compose_resources *lim = &s->deploy.limits, *res = &s->deploy.reservations;
	if (!s->cpus && lim->cpus)
		add(a, v, n, "--cpus", lim->cpus);
	/* the integers that are unset at 0 */
	const struct {
		long long value;
		const char *flag;
	} ints[] = {
		{s->cpu_shares, "--cpu-shares"},
		{s->cpu_period, "--cpu-period"},
		{s->cpu_quota, "--cpu-quota"},
		{s->mem_limit ? s->mem_limit : lim->memory, "-m"},
		/* a soft limit, as docker compose asks dockerd */
		{s->mem_reservation ? s->mem_reservation : res->memory, "--memory-reservation"},
		{s->memswap_limit, "--memory-swap"},
		{s->pids_limit ? s->pids_limit : lim->pids, "--pids-limit"},
		{s->shm_size, "--shm-size"},
		{s->blkio_config.weight, "--blkio-weight"},
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (ints[i].value)
			add(a, v, n, ints[i].flag, num(a, ints[i].value));
	/* 0 is a value of these two: the key being set is what counts */
	if (SVC_HAS(s, SVC_MEM_SWAPPINESS))
		add(a, v, n, "--memory-swappiness", num(a, s->mem_swappiness));
	if (SVC_HAS(s, SVC_OOM_SCORE_ADJ))
		add(a, v, n, "--oom-score-adj", num(a, s->oom_score_adj));
	if (s->oom_kill_disable)
		*(char **)compose_push(a, v, n, sizeof(char *)) = "--oom-kill-disable";
	if (s->cpuset)
		add(a, v, n, "--cpuset-cpus", s->cpuset);
	const struct {
		const struct compose_blkio_devs *l;
		const char *flag;
	} devs[] = {
		{&s->blkio_config.device_read_bps, "--device-read-bps"},
		{&s->blkio_config.device_write_bps, "--device-write-bps"},
		{&s->blkio_config.device_read_iops, "--device-read-iops"},
		{&s->blkio_config.device_write_iops, "--device-write-iops"},
	};
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		for (size_t k = 0; k < devs[i].l->n; k++)
			add(a, v, n, devs[i].flag,
			    compose_printf(a, "%s:%lld", devs[i].l->v[k].path,
					   devs[i].l->v[k].value));
	const struct {
		const struct compose_strv *l;
		const char *flag;
	} lists[] = {
		{&s->dns, "--dns"},
		{&s->dns_search, "--dns-search"},
		{&s->dns_opt, "--dns-option"},
		{&s->label_file, "--label-file"},
	};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		for (size_t k = 0; k < lists[i].l->n; k++)
			add(a, v, n, lists[i].flag, lists[i].l->v[k]);
	/* extra_hosts: "host=ip" or "host:ip" in the file, HOST:IP for the flag */
	for (size_t i = 0; i < s->extra_hosts.n; i++)
		add(a, v, n, "--add-host",
		    compose_printf(a, "%s:%s", s->extra_hosts.v[i].key,
				   s->extra_hosts.v[i].value ? s->extra_hosts.v[i].value : ""));
}

void compose_warn_unapplied(const struct compose_service *s)
{
	static const struct {
		enum compose_svc_key key;
		const char *why;
	} keys[] = {
		{SVC_CPU_COUNT, "is a Windows key (dockerd on Linux discards it too)"},
		{SVC_CPU_PERCENT, "is a Windows key (dockerd on Linux discards it too)"},
		{SVC_STORAGE_OPT, "is not applied: run has no --storage-opt"},
		{SVC_LINKS, "is not applied by compose up yet"},
		{SVC_DOMAINNAME, "is not applied by compose up yet"},
	};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (SVC_HAS(s, keys[k].key))
			fprintf(stderr, "minirun: WARN: service \"%s\": %s %s\n", s->name,
				compose_svc_keys[keys[k].key].name, keys[k].why);
	if (s->blkio_config.weight_device.n)
		fprintf(stderr,
			"minirun: WARN: service \"%s\": blkio_config.weight_device is not "
			"applied: run has no --blkio-weight-device\n",
			s->name);
	for (size_t i = 1; !s->network_mode && i < s->networks.n; i++)
		if (s->networks.v[i].ipv4_address)
			fprintf(stderr,
				"minirun: WARN: service \"%s\": networks.%s.ipv4_address is not "
				"applied: only the first network's address is\n",
				s->name, s->networks.v[i].name);
}
