/*
 * minirun/containers/record_json_host_write.c - the typed record's host -> HostConfig:
 * every key of docker 20.10's HostConfig, in its order (record_json_host.c reads them back);
 * and the ports shape PortBindings shares with NetworkSettings.Ports.
 *
 * A new record's HostConfig is laid out here whole (rj_host_json_new), key by key in
 * docker's order (api/types/container HostConfig, then Resources), so that `inspect` prints
 * what docker's does. The keys of what minirun does not do (VolumeDriver, Links, Isolation,
 * KernelMemory, CpuRealtimePeriod, DeviceRequests ...) hold the values of a plain `docker
 * create` and are not typed: nothing sets them, nothing reads them, they pass through. null
 * and [] are docker's own choice per key: CapAdd [] but GroupAdd null, Devices [] but
 * BlkioDeviceReadBps null. Init, Tmpfs, Sysctls and Mounts are docker's omitempty ones: no
 * key until given.
 *
 * record_json.c's rules hold here too: written in place (rj_host_to_json), a key an older
 * record lacks left out unless it gets a value, and a value the tree holds already left as it
 * is (so a record nobody changed is written back byte for byte).
 *
 * See: record_json.c (the rest of the record, and the rules); record_json_host.c;
 *      record_json.h; record.c (which flag sets which key);
 *      https://docs.docker.com/reference/api/engine/ (HostConfig).
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/record_json.h"

#include <string.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
/* ---- the keys --------------------------------------------------------------------------- */

/* HostConfig's keys, in docker 20.10's order */
enum host_key {
	HK_BINDS,
	HK_CONTAINER_ID_FILE,
	HK_LOG_CONFIG,
	HK_NETWORK_MODE,
	HK_PORT_BINDINGS,
	HK_RESTART_POLICY,
	HK_AUTO_REMOVE,
	HK_VOLUME_DRIVER,
	HK_VOLUMES_FROM,
	HK_CAP_ADD,
	HK_CAP_DROP,
	HK_CGROUPNS_MODE,
	HK_DNS,
	HK_DNS_OPTIONS,
	HK_DNS_SEARCH,
	HK_EXTRA_HOSTS,
	HK_GROUP_ADD,
	HK_IPC_MODE,
	HK_CGROUP,
	HK_LINKS,
	HK_OOM_SCORE_ADJ,
	HK_PID_MODE,
	HK_PRIVILEGED,
	HK_PUBLISH_ALL_PORTS,
	HK_READONLY_ROOTFS,
	HK_SECURITY_OPT,
	HK_TMPFS,
	HK_UTS_MODE,
	HK_USERNS_MODE,
	HK_SHM_SIZE,
	HK_RUNTIME,
	HK_CONSOLE_SIZE,
	HK_ISOLATION,
	HK_CPU_SHARES,
	HK_MEMORY,
	HK_NANO_CPUS,
	HK_CGROUP_PARENT,
	HK_BLKIO_WEIGHT,
	HK_BLKIO_WEIGHT_DEVICE,
	HK_BLKIO_READ_BPS, /* the four in enum container_throttle_kind's order */
	HK_BLKIO_WRITE_BPS,
	HK_BLKIO_READ_IOPS,
	HK_BLKIO_WRITE_IOPS,
	HK_CPU_PERIOD,
	HK_CPU_QUOTA,
	HK_CPU_REALTIME_PERIOD,
	HK_CPU_REALTIME_RUNTIME,
	HK_CPUSET_CPUS,
	HK_CPUSET_MEMS,
	HK_DEVICES,
	HK_DEVICE_CGROUP_RULES,
	HK_DEVICE_REQUESTS,
	HK_KERNEL_MEMORY,
	HK_KERNEL_MEMORY_TCP,
	HK_MEMORY_RESERVATION,
	HK_MEMORY_SWAP,
	HK_MEMORY_SWAPPINESS,
	HK_OOM_KILL_DISABLE,
	HK_PIDS_LIMIT,
	HK_ULIMITS,
	HK_CPU_COUNT,
	HK_CPU_PERCENT,
	HK_IO_MAXIMUM_IOPS,
	HK_IO_MAXIMUM_BANDWIDTH,
	HK_MASKED_PATHS,
	HK_READONLY_PATHS,
	HK_INIT,
	HK_SYSCTLS,
	HK_MOUNTS,
	HK_KEYS,
};

static const char *const host_keys[HK_KEYS] = {
	[HK_BINDS] = "Binds",
	[HK_CONTAINER_ID_FILE] = "ContainerIDFile",
	[HK_LOG_CONFIG] = "LogConfig",
	[HK_NETWORK_MODE] = "NetworkMode",
	[HK_PORT_BINDINGS] = "PortBindings",
	[HK_RESTART_POLICY] = "RestartPolicy",
	[HK_AUTO_REMOVE] = "AutoRemove",
	[HK_VOLUME_DRIVER] = "VolumeDriver",
	[HK_VOLUMES_FROM] = "VolumesFrom",
	[HK_CAP_ADD] = "CapAdd",
	[HK_CAP_DROP] = "CapDrop",
	[HK_CGROUPNS_MODE] = "CgroupnsMode",
	[HK_DNS] = "Dns",
	[HK_DNS_OPTIONS] = "DnsOptions",
	[HK_DNS_SEARCH] = "DnsSearch",
	[HK_EXTRA_HOSTS] = "ExtraHosts",
	[HK_GROUP_ADD] = "GroupAdd",
	[HK_IPC_MODE] = "IpcMode",
	[HK_CGROUP] = "Cgroup",
	[HK_LINKS] = "Links",
	[HK_OOM_SCORE_ADJ] = "OomScoreAdj",
	[HK_PID_MODE] = "PidMode",
	[HK_PRIVILEGED] = "Privileged",
	[HK_PUBLISH_ALL_PORTS] = "PublishAllPorts",
	[HK_READONLY_ROOTFS] = "ReadonlyRootfs",
	[HK_SECURITY_OPT] = "SecurityOpt",
	[HK_TMPFS] = "Tmpfs",
	[HK_UTS_MODE] = "UTSMode",
	[HK_USERNS_MODE] = "UsernsMode",
	[HK_SHM_SIZE] = "ShmSize",
	[HK_RUNTIME] = "Runtime",
	[HK_CONSOLE_SIZE] = "ConsoleSize",
	[HK_ISOLATION] = "Isolation",
	[HK_CPU_SHARES] = "CpuShares",
	[HK_MEMORY] = "Memory",
	[HK_NANO_CPUS] = "NanoCpus",
	[HK_CGROUP_PARENT] = "CgroupParent",
	[HK_BLKIO_WEIGHT] = "BlkioWeight",
	[HK_BLKIO_WEIGHT_DEVICE] = "BlkioWeightDevice",
	[HK_BLKIO_READ_BPS] = "BlkioDeviceReadBps",
	[HK_BLKIO_WRITE_BPS] = "BlkioDeviceWriteBps",
	[HK_BLKIO_READ_IOPS] = "BlkioDeviceReadIOps",
	[HK_BLKIO_WRITE_IOPS] = "BlkioDeviceWriteIOps",
	[HK_CPU_PERIOD] = "CpuPeriod",
	[HK_CPU_QUOTA] = "CpuQuota",
	[HK_CPU_REALTIME_PERIOD] = "CpuRealtimePeriod",
	[HK_CPU_REALTIME_RUNTIME] = "CpuRealtimeRuntime",
	[HK_CPUSET_CPUS] = "CpusetCpus",
	[HK_CPUSET_MEMS] = "CpusetMems",
	[HK_DEVICES] = "Devices",
	[HK_DEVICE_CGROUP_RULES] = "DeviceCgroupRules",
	[HK_DEVICE_REQUESTS] = "DeviceRequests",
	[HK_KERNEL_MEMORY] = "KernelMemory",
	[HK_KERNEL_MEMORY_TCP] = "KernelMemoryTCP",
	[HK_MEMORY_RESERVATION] = "MemoryReservation",
	[HK_MEMORY_SWAP] = "MemorySwap",
	[HK_MEMORY_SWAPPINESS] = "MemorySwappiness",
	[HK_OOM_KILL_DISABLE] = "OomKillDisable",
	[HK_PIDS_LIMIT] = "PidsLimit",
	[HK_ULIMITS] = "Ulimits",
	[HK_CPU_COUNT] = "CpuCount",
	[HK_CPU_PERCENT] = "CpuPercent",
	[HK_IO_MAXIMUM_IOPS] = "IOMaximumIOps",
	[HK_IO_MAXIMUM_BANDWIDTH] = "IOMaximumBandwidth",
	[HK_MASKED_PATHS] = "MaskedPaths",
	[HK_READONLY_PATHS] = "ReadonlyPaths",
	[HK_INIT] = "Init",
	[HK_SYSCTLS] = "Sysctls",
	[HK_MOUNTS] = "Mounts",
};

/* ---- the values ------------------------------------------------------------------------- */

/* ports V[0..N) as NetworkSettings.Ports and PortBindings have them: "80/tcp": null for a
 * port only exposed, else its bindings [{HostIp, HostPort}] */
json_t *rj_ports_json(const struct container_port *v, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		const struct container_port *p = &v[i];
		json_t *list = p->published ? json_array() : json_null();
		for (size_t k = 0; k < p->nbindings; k++)
			json_array_append_new(list, json_pack("{s:s, s:s}", "HostIp",
							      p->bindings[k].host_ip, "HostPort",
							      p->bindings[k].host_port));
		json_object_set_new(o, p->key, list);
	}
	return o;
}

static json_t *kvs_json(const struct container_kvs *l)
{
	json_t *o = json_object();
	for (size_t i = 0; i < l->n; i++)
		json_object_set_new(o, l->kv[i].key, json_string(l->kv[i].value));
	return o;
}

/* A value to write at a key of HostConfig, or NULL to leave the key as it is (absent stays
 * absent): each helper takes WAS, what the tree holds there (NULL: no key), and FRESH, a
 * new record being laid out (which has every key of docker's but the omitempty ones). */

/* a vector: its array, else null where the key is (NULL: null) */
static json_t *strv_value(char *const *v, json_t *was, bool fresh)
{
	return v ? rj_strv_json(v) : was || fresh ? json_null() : NULL;
}

/* a string (NULL: "" in a new record, else left as it is) */
static json_t *str_value(const char *s, bool fresh)
{
	return s || fresh ? json_string(s ? s : "") : NULL;
}

/* a number; a null WAS reads as 0, and an older record without the key keeps none while V
 * is 0 */
static json_t *int_value(long long v, json_t *was, bool fresh)
{
	return fresh || (was ? json_integer_value(was) : 0) != v ? json_integer(v) : NULL;
}

/* a boolean docker always has: written even into an older record without it */
static json_t *bool_value(bool b)
{
	return json_boolean(b);
}

/* a list of objects (PRESENT: the record has one, even []): its array, else null */
static json_t *list_value(json_t *a, bool present, json_t *was, bool fresh)
{
	if (present)
		return a;
	json_decref(a);
	return was || fresh ? json_null() : NULL;
}

/* docker's value for a key minirun does not type: in a new record only */
static json_t *fixed_value(enum host_key key)
{
	switch (key) {
	case HK_LINKS:
	case HK_DEVICE_CGROUP_RULES:
	case HK_DEVICE_REQUESTS: return json_null();
	case HK_BLKIO_WEIGHT_DEVICE: return json_array();
	case HK_CONSOLE_SIZE: return json_pack("[i, i]", 0, 0);
	/* the OCI runtime is minirun's own (minirun/oci), not runc: the name says which */
	case HK_RUNTIME: return json_string("minirun");
	case HK_VOLUME_DRIVER:
	case HK_CGROUP:
	case HK_ISOLATION:
	case HK_CGROUP_PARENT: return json_string("");
	default: return json_integer(0);
	}
}

static json_t *ulimits_json(const struct container_host *h)
{
	json_t *a = json_array();
	for (size_t i = 0; i < h->nulimits; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I}", "Name", h->ulimits[i].name,
						   "Hard", (json_int_t)h->ulimits[i].hard, "Soft",
						   (json_int_t)h->ulimits[i].soft));
	return a;
}

static json_t *devices_json(const struct container_host *h)
{
	json_t *a = json_array();
	for (size_t i = 0; i < h->ndevices; i++) {
		const struct container_host_device *d = &h->devices[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "PathOnHost", d->path_on_host,
						   "PathInContainer", d->path_in_container,
						   "CgroupPermissions", d->cgroup_permissions));
	}
	return a;
}

static json_t *throttle_json(const struct container_throttles *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I}", "Path", l->v[i].path, "Rate",
						   (json_int_t)l->v[i].rate));
	return a;
}

/* HostConfig.Mounts: {Type, Source, Target}, and ReadOnly only when true (docker's
 * omitempty) */
static json_t *mount_specs_json(const struct container_host *h)
{
	json_t *a = json_array();
	for (size_t i = 0; i < h->nmount_specs; i++) {
		const struct container_mount_spec *m = &h->mount_specs[i];
		json_t *e = json_pack("{s:s, s:s, s:s}", "Type", m->type, "Source", m->source,
				      "Target", m->target);
		if (m->read_only)
			json_object_set_new(e, "ReadOnly", json_true());
		json_array_append_new(a, e);
	}
	return a;
}

/* RestartPolicy {Name, MaximumRetryCount}: changed inside the object WAS (NULL returned),
 * else a new one */
static json_t *restart_value(const struct container_host *h, json_t *was)
{
	const char *name = rj_restart_names[h->restart];
	if (!json_is_object(was))
		return json_pack("{s:s, s:i}", "Name", name, "MaximumRetryCount", h->restart_max);
	json_object_set_new(was, "Name", json_string(name));
	json_object_set_new(was, "MaximumRetryCount", json_integer(h->restart_max));
	return NULL;
}

/* the value of KEY for R's host (see the helpers above); NULL: leave the key as it is */
static json_t *host_value(const struct container_record *r, enum host_key key, json_t *was,
			  bool fresh)
{
	const struct container_host *h = &r->host;
	const struct container_limits *l = &h->limits;
	const struct container_dns *d = &h->dns;
	switch (key) {
	case HK_BINDS: return strv_value(h->binds, was, fresh);
	case HK_CONTAINER_ID_FILE: return str_value(h->container_id_file, fresh);
	case HK_LOG_CONFIG:
		if (h->log_type)
			return json_pack("{s:s, s:o}", "Type", h->log_type, "Config",
					 kvs_json(&h->log_opts));
		return fresh ? json_null() : NULL;
	case HK_NETWORK_MODE: return str_value(h->network_mode, fresh);
	case HK_PORT_BINDINGS:
		if (h->has_port_bindings || h->nport_bindings)
			return rj_ports_json(h->port_bindings, h->nport_bindings);
		return fresh ? json_null() : NULL;
	case HK_RESTART_POLICY: return restart_value(h, fresh ? NULL : was);
	case HK_AUTO_REMOVE: return bool_value(h->auto_remove);
	case HK_VOLUMES_FROM: return strv_value(h->volumes_from, was, fresh);
	case HK_CAP_ADD: return strv_value(h->cap_add, was, fresh);
	case HK_CAP_DROP: return strv_value(h->cap_drop, was, fresh);
	case HK_CGROUPNS_MODE: return str_value(h->cgroupns_mode, fresh);
	case HK_DNS: return strv_value(d->servers, was, fresh);
	case HK_DNS_OPTIONS: return strv_value(d->options, was, fresh);
	case HK_DNS_SEARCH: return strv_value(d->search, was, fresh);
	case HK_EXTRA_HOSTS: return strv_value(d->extra_hosts, was, fresh);
	case HK_GROUP_ADD: return strv_value(h->group_add, was, fresh);
	case HK_IPC_MODE: return str_value(h->ipc_mode, fresh);
	case HK_OOM_SCORE_ADJ: return int_value(l->oom_score_adj, was, fresh);
	case HK_PID_MODE: return str_value(h->pid_mode, fresh);
	case HK_PRIVILEGED: return bool_value(h->privileged);
	case HK_PUBLISH_ALL_PORTS: return bool_value(h->publish_all);
	case HK_READONLY_ROOTFS: return bool_value(h->readonly_rootfs);
	case HK_SECURITY_OPT: return strv_value(h->security_opt, was, fresh);
	case HK_TMPFS: return h->tmpfs.present ? kvs_json(&h->tmpfs) : NULL;
	case HK_UTS_MODE: return str_value(h->uts_mode, fresh);
	case HK_USERNS_MODE: return str_value(h->userns_mode, fresh);
	case HK_SHM_SIZE: return int_value(h->shm_size, was, fresh);
	case HK_CPU_SHARES: return int_value(l->cpu_shares, was, fresh);
	case HK_MEMORY: return int_value(l->memory, was, fresh);
	case HK_NANO_CPUS: return int_value(l->nano_cpus, was, fresh);
	case HK_BLKIO_WEIGHT: return int_value(l->blkio_weight, was, fresh);
	case HK_BLKIO_READ_BPS:
	case HK_BLKIO_WRITE_BPS:
	case HK_BLKIO_READ_IOPS:
	case HK_BLKIO_WRITE_IOPS: {
		const struct container_throttles *t = &h->throttles[key - HK_BLKIO_READ_BPS];
		return list_value(throttle_json(t), t->present || t->n, was, fresh);
	}
	case HK_CPU_PERIOD: return int_value(l->cpu_period, was, fresh);
	case HK_CPU_QUOTA: return int_value(l->cpu_quota, was, fresh);
	case HK_CPUSET_CPUS: return str_value(l->cpuset_cpus, fresh);
	case HK_CPUSET_MEMS: return str_value(l->cpuset_mems, fresh);
	case HK_DEVICES:
		return list_value(devices_json(h), h->has_devices || h->ndevices, was, fresh);
	case HK_MEMORY_RESERVATION: return int_value(l->memory_reservation, was, fresh);
	case HK_MEMORY_SWAP: return int_value(l->memory_swap, was, fresh);
	case HK_MEMORY_SWAPPINESS:
		if (l->memory_swappiness >= 0)
			return int_value(l->memory_swappiness, was, true);
		return was || fresh ? json_null() : NULL;
	case HK_OOM_KILL_DISABLE:
		return l->oom_kill_disable || was || fresh ? json_boolean(l->oom_kill_disable)
							   : NULL;
	case HK_PIDS_LIMIT: /* null when there is none (-1: --pids-limit -1 as given) */
		if (l->pids_limit != 0)
			return int_value(l->pids_limit, was, fresh);
		return fresh || json_integer_value(was) > 0 ? json_null() : NULL;
	case HK_ULIMITS:
		return list_value(ulimits_json(h), h->has_ulimits || h->nulimits, was, fresh);
	case HK_MASKED_PATHS: return strv_value(h->masked_paths, was, fresh);
	case HK_READONLY_PATHS: return strv_value(h->readonly_paths, was, fresh);
	/* docker's Init is a *bool with omitempty: absent unless --init (an older record's
	 * false stays) */
	case HK_INIT: return h->init || was ? json_boolean(h->init) : NULL;
	case HK_SYSCTLS: return h->sysctls.present ? kvs_json(&h->sysctls) : NULL;
	case HK_MOUNTS:
		if (h->has_mount_specs || h->nmount_specs)
			return mount_specs_json(h);
		return NULL;
	default: return fresh ? fixed_value(key) : NULL;
	}
}

/* KEY of HC set to R's value, in place (unless the tree holds that value already) */
static void host_put(const struct container_record *r, enum host_key key, json_t *hc)
{
	json_t *was = rj_get(hc, host_keys[key]);
	json_t *v = host_value(r, key, was, false);
	if (!v && key == HK_TMPFS && !r->host.tmpfs.present)
		json_object_del(hc, host_keys[key]); /* omitempty: --tmpfs gone, the key too */
	else if (v && was && json_equal(v, was))
		json_decref(v);
	else if (v)
		json_object_set_new(hc, host_keys[key], v);
}

json_t *rj_host_json_new(const struct container_record *r)
{
	json_t *hc = json_object();
	for (size_t k = 0; k < HK_KEYS; k++) {
		json_t *v = host_value(r, (enum host_key)k, NULL, true);
		if (v)
			json_object_set_new(hc, host_keys[k], v);
	}
	return hc;
}

/* The keys a save adds to an older record that lacks them are appended, so their order is
 * the order they are put in: these first, in the order the minirun before this file put
 * them, so that a record it wrote and this one saves read the same; then the rest in
 * docker's order. */
static const enum host_key saved_first[] = {
	HK_PORT_BINDINGS,
	HK_LOG_CONFIG,
	HK_DNS,
	HK_DNS_OPTIONS,
	HK_DNS_SEARCH,
	HK_EXTRA_HOSTS,
	HK_TMPFS,
	HK_MEMORY,
	HK_MEMORY_SWAP,
	HK_NANO_CPUS,
	HK_CPU_SHARES,
	HK_CPU_PERIOD,
	HK_CPU_QUOTA,
	HK_BLKIO_WEIGHT,
	HK_CPUSET_CPUS,
	HK_CPUSET_MEMS,
	HK_PIDS_LIMIT,
	HK_NETWORK_MODE,
	HK_PID_MODE,
	HK_IPC_MODE,
	HK_UTS_MODE,
	HK_SHM_SIZE,
	HK_RESTART_POLICY,
	HK_AUTO_REMOVE,
	HK_READONLY_ROOTFS,
	HK_INIT,
	HK_PRIVILEGED,
	HK_PUBLISH_ALL_PORTS,
};

void rj_host_to_json(const struct container_record *r, json_t *hc)
{
	bool done[HK_KEYS] = {false};
	for (size_t i = 0; i < NELEMS(saved_first); i++) {
		host_put(r, saved_first[i], hc);
		done[saved_first[i]] = true;
	}
	for (size_t k = 0; k < HK_KEYS; k++)
		if (!done[k])
			host_put(r, (enum host_key)k, hc);
}
