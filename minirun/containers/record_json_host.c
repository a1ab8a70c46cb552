/*
 * minirun/containers/record_json_host.c - HostConfig -> the typed record's host: every key
 * of docker's HostConfig a flag sets, read into struct container_record (its writing back,
 * and a new record's whole HostConfig: record_json_host_write.c); and the ports shape
 * PortBindings shares with NetworkSettings.Ports.
 *
 * record_json.c's rules hold here: read forgivingly, a missing key (an older record's) is
 * docker's zero value: NULL for a string or a list, 0, false, MemorySwappiness -1 (null).
 *
 * See: record_json.c (the rest of the record, and the rules); record_json_host_write.c (the
 *      keys in docker's order); record_json.h.
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/record_json.h"

#include <string.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

const char *const rj_throttle_keys[CONTAINER_THROTTLES] = {
	[CONTAINER_READ_BPS] = "BlkioDeviceReadBps",
	[CONTAINER_WRITE_BPS] = "BlkioDeviceWriteBps",
	[CONTAINER_READ_IOPS] = "BlkioDeviceReadIOps",
	[CONTAINER_WRITE_IOPS] = "BlkioDeviceWriteIOps",
};

const char *const rj_restart_names[] = {
	[RESTART_NO] = "no",
	[RESTART_ON_FAILURE] = "on-failure",
	[RESTART_ALWAYS] = "always",
	[RESTART_UNLESS_STOPPED] = "unless-stopped",
};

static enum container_restart restart_parse(const char *word)
{
	for (size_t i = 0; word && i < NELEMS(rj_restart_names); i++)
		if (!strcmp(word, rj_restart_names[i]))
			return (enum container_restart)i;
	return RESTART_NO;
}

/* ---- from JSON -------------------------------------------------------------------------- */

/* the string members of the object O into L (present when O is an object); -1 on ENOMEM */
static int kvs_from_json(json_t *o, struct container_kvs *l)
{
	const char *k;
	json_t *v;
	l->present = json_is_object(o);
	json_object_foreach(o, k, v)
	{
		if (json_is_string(v) && container_kvs_add(l, k, json_string_value(v)) < 0)
			return -1;
	}
	return 0;
}

/* the ports object O into R: NetworkSettings.Ports, or (BINDINGS) HostConfig.PortBindings;
 * -1 on ENOMEM */
int rj_ports_from_json(json_t *o, struct container_record *r, bool bindings)
{
	int (*add)(struct container_record *, const char *, const char *, const char *) =
		bindings ? container_record_add_binding : container_record_add_port;
	const char *k;
	json_t *v, *b;
	size_t i;
	json_object_foreach(o, k, v)
	{
		/* null: exposed only; an array (even []): published, with its bindings */
		if (add(r, k, NULL, NULL) < 0)
			return -1;
		struct container_port *p = bindings ? r->host.port_bindings : r->ports;
		p[(bindings ? r->host.nport_bindings : r->nports) - 1].published = json_is_array(v);
		json_array_foreach(v, i, b)
		{
			if (add(r, k, json_string_value(rj_get(b, "HostIp")) ?: "",
				json_string_value(rj_get(b, "HostPort")) ?: "") < 0)
				return -1;
		}
	}
	return 0;
}

/* a string member of O, "" when it has none (the lists' entries are never partial) */
static const char *str_of(json_t *o, const char *key)
{
	return json_string_value(rj_get(o, key)) ?: "";
}

/* HostConfig's lists of objects into R: Ulimits, Devices, the throttles, Mounts (each
 * present when the record has an array, even []); -1 on ENOMEM */
static int host_objects_from_json(json_t *hc, struct container_record *r)
{
	struct container_host *h = &r->host;
	json_t *e;
	size_t i;
	int rc = 0;
	h->has_ulimits = json_is_array(rj_get(hc, "Ulimits"));
	json_array_foreach(rj_get(hc, "Ulimits"), i, e)
	{
		rc |= container_record_add_ulimit(r, str_of(e, "Name"),
						  json_integer_value(rj_get(e, "Hard")),
						  json_integer_value(rj_get(e, "Soft")));
	}
	h->has_devices = json_is_array(rj_get(hc, "Devices"));
	json_array_foreach(rj_get(hc, "Devices"), i, e)
	{
		rc |= container_record_add_device(r, str_of(e, "PathOnHost"),
						  str_of(e, "PathInContainer"),
						  str_of(e, "CgroupPermissions"));
	}
	for (size_t k = 0; k < CONTAINER_THROTTLES; k++) {
		json_t *list = rj_get(hc, rj_throttle_keys[k]);
		h->throttles[k].present = json_is_array(list);
		json_array_foreach(list, i, e)
		{
			rc |= container_record_add_throttle(r, (enum container_throttle_kind)k,
							    str_of(e, "Path"),
							    json_integer_value(rj_get(e, "Rate")));
		}
	}
	h->has_mount_specs = json_is_array(rj_get(hc, "Mounts"));
	json_array_foreach(rj_get(hc, "Mounts"), i, e)
	{
		struct container_mount_spec m = {
			(char *)str_of(e, "Type"), (char *)str_of(e, "Source"),
			(char *)str_of(e, "Target"), json_is_true(rj_get(e, "ReadOnly"))};
		rc |= container_record_add_mount_spec(r, &m);
	}
	return rc < 0 ? -1 : 0;
}

/* *DST: the strings of HostConfig HC's KEY (NULL when it is no array); false on ENOMEM */
static bool strv_from(json_t *hc, const char *key, char ***dst)
{
	json_t *v = rj_get(hc, key);
	*dst = rj_dup_strv(v);
	return !json_is_array(v) || *dst;
}

/* *DST: HostConfig HC's string KEY (NULL when it has none); false on ENOMEM */
static bool str_from(json_t *hc, const char *key, char **dst)
{
	json_t *v = rj_get(hc, key);
	*dst = rj_dup_str(v);
	return !json_is_string(v) || *dst;
}

static long long int_from(json_t *hc, const char *key)
{
	return (long long)json_integer_value(rj_get(hc, key));
}

static bool bool_from(json_t *hc, const char *key)
{
	return json_is_true(rj_get(hc, key));
}

int rj_host_from_json(json_t *hc, struct container_record *r)
{
	struct container_host *h = &r->host;
	struct container_dns *d = &h->dns;
	struct container_limits *l = &h->limits;
	json_t *lc = rj_get(hc, "LogConfig"), *pol = rj_get(hc, "RestartPolicy");
	h->restart = restart_parse(json_string_value(rj_get(pol, "Name")));
	h->restart_max = (int)json_integer_value(rj_get(pol, "MaximumRetryCount"));
	h->auto_remove = bool_from(hc, "AutoRemove");
	h->init = bool_from(hc, "Init");
	h->privileged = bool_from(hc, "Privileged");
	h->readonly_rootfs = bool_from(hc, "ReadonlyRootfs");
	h->publish_all = bool_from(hc, "PublishAllPorts");
	h->shm_size = int_from(hc, "ShmSize");
	l->memory = int_from(hc, "Memory");
	l->memory_swap = int_from(hc, "MemorySwap");
	l->nano_cpus = int_from(hc, "NanoCpus");
	l->pids_limit = int_from(hc, "PidsLimit");
	l->cpu_shares = int_from(hc, "CpuShares");
	l->cpu_period = int_from(hc, "CpuPeriod");
	l->cpu_quota = int_from(hc, "CpuQuota");
	l->blkio_weight = int_from(hc, "BlkioWeight");
	l->memory_reservation = int_from(hc, "MemoryReservation");
	json_t *sw = rj_get(hc, "MemorySwappiness");
	l->memory_swappiness = json_is_integer(sw) ? (int)json_integer_value(sw) : -1;
	l->oom_kill_disable = bool_from(hc, "OomKillDisable");
	l->oom_score_adj = (int)int_from(hc, "OomScoreAdj");
	h->has_port_bindings = json_is_object(rj_get(hc, "PortBindings"));
	h->log_type = rj_dup_str(rj_get(lc, "Type"));
	bool whole =
		(!json_is_string(rj_get(lc, "Type")) || h->log_type) &&
		str_from(hc, "NetworkMode", &h->network_mode) &&
		str_from(hc, "PidMode", &h->pid_mode) && str_from(hc, "IpcMode", &h->ipc_mode) &&
		str_from(hc, "UTSMode", &h->uts_mode) &&
		str_from(hc, "CgroupnsMode", &h->cgroupns_mode) &&
		str_from(hc, "UsernsMode", &h->userns_mode) &&
		str_from(hc, "ContainerIDFile", &h->container_id_file) &&
		str_from(hc, "CpusetCpus", &l->cpuset_cpus) &&
		str_from(hc, "CpusetMems", &l->cpuset_mems) && strv_from(hc, "Binds", &h->binds) &&
		strv_from(hc, "VolumesFrom", &h->volumes_from) &&
		strv_from(hc, "CapAdd", &h->cap_add) && strv_from(hc, "CapDrop", &h->cap_drop) &&
		strv_from(hc, "SecurityOpt", &h->security_opt) &&
		strv_from(hc, "GroupAdd", &h->group_add) &&
		strv_from(hc, "MaskedPaths", &h->masked_paths) &&
		strv_from(hc, "ReadonlyPaths", &h->readonly_paths) &&
		strv_from(hc, "Dns", &d->servers) && strv_from(hc, "DnsSearch", &d->search) &&
		strv_from(hc, "DnsOptions", &d->options) &&
		strv_from(hc, "ExtraHosts", &d->extra_hosts);
	if (!whole || kvs_from_json(rj_get(lc, "Config"), &h->log_opts) < 0 ||
	    kvs_from_json(rj_get(hc, "Tmpfs"), &h->tmpfs) < 0 ||
	    kvs_from_json(rj_get(hc, "Sysctls"), &h->sysctls) < 0 ||
	    rj_ports_from_json(rj_get(hc, "PortBindings"), r, true) < 0)
		return -1;
	return host_objects_from_json(hc, r);
}
