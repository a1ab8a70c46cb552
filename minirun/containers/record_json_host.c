/*
 * minirun/containers/record_json_host.c - HostConfig's lists, maps and limits <-> the typed
 * record: PortBindings, LogConfig, Dns DnsOptions DnsSearch ExtraHosts, Tmpfs, and the limits
 * `update` changes (Memory MemorySwap NanoCpus PidsLimit CpuShares CpuPeriod CpuQuota
 * CpusetCpus CpusetMems BlkioWeight); and the ports shape PortBindings shares with
 * NetworkSettings.Ports. record_json.c's rules hold here too: read forgivingly (a missing key
 * is docker's zero value), written in place, a key an older record lacks left out unless
 * it gets a value.
 *
 * See: record_json.c (the rest of the record, and the rules); record_json.h.
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/record_json.h"

#include <string.h>

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

/* HostConfig's LogConfig, Dns DnsSearch DnsOptions ExtraHosts and Tmpfs into R; -1 on
 * ENOMEM */
int rj_host_lists_from_json(json_t *hc, struct container_record *r)
{
	json_t *lc = rj_get(hc, "LogConfig");
	struct container_dns *d = &r->host.dns;
	struct container_limits *l = &r->host.limits;
	l->memory = (long long)json_integer_value(rj_get(hc, "Memory"));
	l->memory_swap = (long long)json_integer_value(rj_get(hc, "MemorySwap"));
	l->nano_cpus = (long long)json_integer_value(rj_get(hc, "NanoCpus"));
	l->pids_limit = (long long)json_integer_value(rj_get(hc, "PidsLimit"));
	l->cpu_shares = (long long)json_integer_value(rj_get(hc, "CpuShares"));
	l->cpu_period = (long long)json_integer_value(rj_get(hc, "CpuPeriod"));
	l->cpu_quota = (long long)json_integer_value(rj_get(hc, "CpuQuota"));
	l->blkio_weight = (long long)json_integer_value(rj_get(hc, "BlkioWeight"));
	l->cpuset_cpus = rj_dup_str(rj_get(hc, "CpusetCpus"));
	l->cpuset_mems = rj_dup_str(rj_get(hc, "CpusetMems"));
	r->host.log_type = rj_dup_str(rj_get(lc, "Type"));
	d->servers = rj_dup_strv(rj_get(hc, "Dns"));
	d->search = rj_dup_strv(rj_get(hc, "DnsSearch"));
	d->options = rj_dup_strv(rj_get(hc, "DnsOptions"));
	d->extra_hosts = rj_dup_strv(rj_get(hc, "ExtraHosts"));
	if ((json_is_string(rj_get(lc, "Type")) && !r->host.log_type) ||
	    (json_is_array(rj_get(hc, "Dns")) && !d->servers) ||
	    (json_is_array(rj_get(hc, "DnsSearch")) && !d->search) ||
	    (json_is_array(rj_get(hc, "DnsOptions")) && !d->options) ||
	    (json_is_array(rj_get(hc, "ExtraHosts")) && !d->extra_hosts))
		return -1;
	return kvs_from_json(rj_get(lc, "Config"), &r->host.log_opts) < 0 ||
			       kvs_from_json(rj_get(hc, "Tmpfs"), &r->host.tmpfs) < 0
		       ? -1
		       : 0;
}

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

/* KEY of O: the vector V, null when V is NULL; left out when neither V nor the key is there */
static void put_strv(json_t *o, const char *key, char *const *v)
{
	if (v || rj_get(o, key))
		json_object_set_new(o, key, v ? rj_strv_json(v) : json_null());
}

/* HostConfig's lists and maps: PortBindings, LogConfig, Dns DnsOptions DnsSearch ExtraHosts,
 * Tmpfs (each in place; create's record has their keys in docker's places, record.c) */
void rj_host_lists_to_json(const struct container_record *r, json_t *hc)
{
	const struct container_dns *d = &r->host.dns;
	if (r->host.has_port_bindings || r->host.nport_bindings)
		json_object_set_new(hc, "PortBindings",
				    rj_ports_json(r->host.port_bindings, r->host.nport_bindings));
	if (r->host.log_type)
		json_object_set_new(hc, "LogConfig",
				    json_pack("{s:s, s:o}", "Type", r->host.log_type, "Config",
					      kvs_json(&r->host.log_opts)));
	put_strv(hc, "Dns", d->servers);
	put_strv(hc, "DnsOptions", d->options);
	put_strv(hc, "DnsSearch", d->search);
	put_strv(hc, "ExtraHosts", d->extra_hosts);
	/* docker's omitempty: no Tmpfs without --tmpfs (an older record's {} stays) */
	if (r->host.tmpfs.present)
		json_object_set_new(hc, "Tmpfs", kvs_json(&r->host.tmpfs));
	else
		json_object_del(hc, "Tmpfs");
}

/* KEY of O: the integer V, unless it is what O has already (a null reads as 0) or O has no
 * KEY and V is 0: a record nobody changed keeps its bytes */
static void put_int(json_t *o, const char *key, long long v)
{
	json_t *was = rj_get(o, key);
	if ((was ? json_integer_value(was) : 0) != v)
		json_object_set_new(o, key, json_integer(v));
}

/* HostConfig's limits (update's): PidsLimit is null when there is none */
void rj_limits_to_json(const struct container_limits *l, json_t *hc)
{
	put_int(hc, "Memory", l->memory);
	put_int(hc, "MemorySwap", l->memory_swap);
	put_int(hc, "NanoCpus", l->nano_cpus);
	put_int(hc, "CpuShares", l->cpu_shares);
	put_int(hc, "CpuPeriod", l->cpu_period);
	put_int(hc, "CpuQuota", l->cpu_quota);
	put_int(hc, "BlkioWeight", l->blkio_weight);
	rj_put_str(hc, "CpusetCpus", l->cpuset_cpus);
	rj_put_str(hc, "CpusetMems", l->cpuset_mems);
	if (l->pids_limit > 0)
		put_int(hc, "PidsLimit", l->pids_limit);
	else if (json_integer_value(rj_get(hc, "PidsLimit")) > 0)
		json_object_set_new(hc, "PidsLimit", json_null());
}
