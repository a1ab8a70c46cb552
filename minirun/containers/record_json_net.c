/*
 * minirun/containers/record_json_net.c - the record's NetworkSettings both ways: the
 * endpoints of NetworkSettings.Networks, each in one of docker's three shapes (enum
 * container_endpoint_kind: what create asked for, a connect's, a mode's), written in place
 * in docker's key order; the default bridge's address and SandboxKey; Ports.
 *
 * See: record_json.c (the record's whole layout); net.c (what fills these fields);
 *      https://docs.docker.com/reference/api/engine/ (EndpointSettings)
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/record_json.h"

#include <stdlib.h>
#include <string.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* which shape the endpoint EP has (the enum's comment lists them): a connect's has Links,
 * DriverOpts and DNSNames; a mode's (none, host) has no IPAMConfig */
static enum container_endpoint_kind endpoint_kind(json_t *ep)
{
	if (rj_get(ep, "Links") || rj_get(ep, "DNSNames") || rj_get(ep, "DriverOpts"))
		return CONTAINER_ENDPOINT_CONNECTED;
	return rj_get(ep, "IPAMConfig") ? CONTAINER_ENDPOINT_ASKED : CONTAINER_ENDPOINT_MODE;
}

/* NetworkSettings NS (Ports aside) into R; -1 on ENOMEM */
int rj_networks_from_json(json_t *ns, struct container_record *r)
{
	json_t *nets = rj_get(ns, "Networks"), *v;
	const char *k;
	struct container_net_settings *s = &r->net;
	s->present = ns != NULL;
	s->has_networks = json_is_object(nets);
	s->has_address = rj_get(ns, "IPPrefixLen") != NULL;
	s->ip_address = rj_dup_str(rj_get(ns, "IPAddress"));
	s->gateway = rj_dup_str(rj_get(ns, "Gateway"));
	s->mac_address = rj_dup_str(rj_get(ns, "MacAddress"));
	s->ip_prefix_len = (int)json_integer_value(rj_get(ns, "IPPrefixLen"));
	s->sandbox_key = rj_dup_str(rj_get(ns, "SandboxKey"));
	if (!json_object_size(nets))
		return 0;
	r->networks = calloc(json_object_size(nets), sizeof(*r->networks));
	if (!r->networks)
		return -1;
	json_object_foreach(nets, k, v)
	{
		if (!json_is_object(v))
			continue;
		struct container_network *n = &r->networks[r->nnetworks++];
		n->name = strdup(k);
		n->kind = endpoint_kind(v);
		n->ipam_ipv4 = rj_dup_str(rj_get(rj_get(v, "IPAMConfig"), "IPv4Address"));
		n->aliases = rj_dup_strv(rj_get(v, "Aliases"));
		n->network_id = rj_dup_str(rj_get(v, "NetworkID"));
		n->ip_address = rj_dup_str(rj_get(v, "IPAddress"));
		n->gateway = rj_dup_str(rj_get(v, "Gateway"));
		n->ip_prefix_len = (int)json_integer_value(rj_get(v, "IPPrefixLen"));
		n->mac_address = rj_dup_str(rj_get(v, "MacAddress"));
		n->dns_names = rj_dup_strv(rj_get(v, "DNSNames"));
		if (!n->name)
			return -1;
	}
	return 0;
}

/* NetworkSettings.Ports: "80/tcp": null for a port only exposed, else its bindings */
void rj_net_ports_to_json(const struct container_record *r, json_t *rec)
{
	json_t *ns = rj_obj(rec, "NetworkSettings", r->nports > 0);
	if (!ns || (!r->has_ports && !r->nports))
		return;
	json_object_set_new(ns, "Ports", rj_ports_json(r->ports, r->nports));
}

/* The keys of an endpoint, and each shape's keys in docker's order (EP_END ends one) */
enum endpoint_key {
	EP_END,
	EP_IPAM,
	EP_LINKS,
	EP_ALIASES,
	EP_MAC,
	EP_NETWORK_ID,
	EP_GATEWAY,
	EP_IP,
	EP_PREFIX,
	EP_V6_GATEWAY,
	EP_V6_ADDRESS,
	EP_V6_PREFIX,
	EP_DRIVER_OPTS,
	EP_DNS_NAMES,
};
static const char *const endpoint_keys[] = {
	[EP_IPAM] = "IPAMConfig",
	[EP_LINKS] = "Links",
	[EP_ALIASES] = "Aliases",
	[EP_MAC] = "MacAddress",
	[EP_NETWORK_ID] = "NetworkID",
	[EP_GATEWAY] = "Gateway",
	[EP_IP] = "IPAddress",
	[EP_PREFIX] = "IPPrefixLen",
	[EP_V6_GATEWAY] = "IPv6Gateway",
	[EP_V6_ADDRESS] = "GlobalIPv6Address",
	[EP_V6_PREFIX] = "GlobalIPv6PrefixLen",
	[EP_DRIVER_OPTS] = "DriverOpts",
	[EP_DNS_NAMES] = "DNSNames",
};
static const enum endpoint_key endpoint_shapes[][14] = {
	[CONTAINER_ENDPOINT_ASKED] = {EP_IPAM, EP_ALIASES, EP_NETWORK_ID, EP_IP, EP_GATEWAY,
				      EP_PREFIX, EP_MAC},
	[CONTAINER_ENDPOINT_CONNECTED] = {EP_IPAM, EP_LINKS, EP_ALIASES, EP_MAC, EP_NETWORK_ID,
					  EP_GATEWAY, EP_IP, EP_PREFIX, EP_V6_GATEWAY,
					  EP_V6_ADDRESS, EP_V6_PREFIX, EP_DRIVER_OPTS,
					  EP_DNS_NAMES},
	[CONTAINER_ENDPOINT_MODE] = {EP_ALIASES, EP_NETWORK_ID, EP_IP, EP_GATEWAY, EP_PREFIX,
				     EP_MAC},
};

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : NULL;
}

/* the value of KEY of N's endpoint EP, NULL to leave the key as it is: the keys minirun
 * does not type (IPv6, Links, DriverOpts: docker's zero values) are written only when EP is
 * FRESH, as are IPPrefixLen and the strings an older record did not have */
static json_t *endpoint_value(const struct container_network *n, enum endpoint_key key, json_t *ep,
			      bool fresh)
{
	switch (key) {
	case EP_IPAM:
		return n->ipam_ipv4 ? json_pack("{s:s}", "IPv4Address", n->ipam_ipv4) : json_null();
	case EP_ALIASES: return n->aliases ? rj_strv_json(n->aliases) : json_null();
	case EP_DNS_NAMES: return n->dns_names ? rj_strv_json(n->dns_names) : json_null();
	case EP_MAC: return str_or_null(n->mac_address);
	case EP_NETWORK_ID: return str_or_null(n->network_id);
	case EP_GATEWAY: return str_or_null(n->gateway);
	case EP_IP: return str_or_null(n->ip_address);
	case EP_PREFIX:
		return fresh || rj_get(ep, "IPPrefixLen") ? json_integer(n->ip_prefix_len) : NULL;
	case EP_V6_GATEWAY:
	case EP_V6_ADDRESS: return fresh ? json_string("") : NULL;
	case EP_V6_PREFIX: return fresh ? json_integer(0) : NULL;
	case EP_LINKS:
	case EP_DRIVER_OPTS: return fresh ? json_null() : NULL;
	case EP_END: break;
	}
	return NULL;
}

/* N's endpoint: written into WAS (in place) when it has N's shape, else a new object in that
 * shape (a connect turns the endpoint create recorded into a connected one) */
static json_t *endpoint_to_json(const struct container_network *n, json_t *was)
{
	bool fresh = !json_is_object(was) || endpoint_kind(was) != n->kind;
	json_t *ep = fresh ? json_object() : was;
	const enum endpoint_key *shape = endpoint_shapes[n->kind];
	for (size_t i = 0; i < NELEMS(endpoint_shapes[0]) && shape[i] != EP_END; i++) {
		json_t *v = endpoint_value(n, shape[i], ep, fresh);
		if (v)
			json_object_set_new(ep, endpoint_keys[shape[i]], v);
	}
	return ep;
}

/* NetworkSettings but Ports: the endpoints in R's order (one R no longer has goes), then the
 * default bridge's address and SandboxKey */
void rj_networks_to_json(const struct container_record *r, json_t *rec)
{
	const struct container_net_settings *s = &r->net;
	bool any = s->has_networks || r->nnetworks || s->has_address || s->ip_address ||
		   s->gateway || s->mac_address || s->sandbox_key;
	json_t *ns = rj_obj(rec, "NetworkSettings", any), *v, *nets;
	const char *k;
	void *tmp;
	if (!ns)
		return;
	if ((nets = rj_obj(ns, "Networks", s->has_networks || r->nnetworks))) {
		json_object_foreach_safe(nets, tmp, k, v)
		{
			if (!container_record_network(r, k))
				json_object_del(nets, k);
		}
		for (size_t i = 0; i < r->nnetworks; i++) {
			json_t *was = rj_get(nets, r->networks[i].name);
			json_t *ep = endpoint_to_json(&r->networks[i], was);
			if (ep != was)
				json_object_set_new(nets, r->networks[i].name, ep);
		}
	}
	rj_put_str(ns, "IPAddress", s->ip_address);
	rj_put_str(ns, "Gateway", s->gateway);
	if (s->has_address)
		json_object_set_new(ns, "IPPrefixLen", json_integer(s->ip_prefix_len));
	rj_put_str(ns, "MacAddress", s->mac_address);
	rj_put_str(ns, "SandboxKey", s->sandbox_key);
}
