/*
 * minirun/containers/net.c - a container's networks and published ports: what docker's
 * daemon does between "the container's network namespace exists" and "its process runs",
 * and the undo of it at exit, stop and rm.
 *
 * The record says what was asked for; this file makes it so and writes back what it got:
 *
 *	HostConfig.NetworkMode      "default" (docker's word: the default bridge, as "bridge"),
 *	                            a user network NAME, "none", "host",
 *	                            "container:ID" (the last three: nothing to connect here; the
 *	                            OCI config gives no netns, a new empty one, or that one's)
 *	HostConfig.PortBindings     {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}  (-p)
 *	HostConfig.PublishAllPorts  -P: every Config.ExposedPorts entry on a free host port
 *	NetworkSettings.Networks.NAME.Aliases    --network-alias (user networks only)
 *  ->	NetworkSettings.Networks.NAME {IPAddress, Gateway, IPPrefixLen, MacAddress, NetworkID,
 *	                            Aliases, DNSNames}, NetworkSettings.Ports {"80/tcp":
 *	                            [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}
 *
 * The kernel work and the leases are minirun/network's (network_connect, network_publish,
 * network_disconnect); the undo here is the careful part. A `kill -9` can land anywhere, so
 * container_net_down does not trust the record alone: it removes the veth whose name is
 * derived from (network, container) even when no lease was written, and any published-port
 * element that still points at the container's address even when the endpoint never
 * recorded it.
 *
 * `network connect NET CONTAINER` adds an endpoint to the record (container_net_connect),
 * and every start connects each recorded network, the NetworkMode one first (it gets the
 * ports); `network disconnect` forgets it again.
 *
 * Rootless, the same record is made so by net_rootless.c: pasta for the default network,
 * and this file's steps run in the user's own network namespace for user networks
 * (net_rootless.h names what the two files share). The resolv.conf and hosts lines that
 * follow a connect are dns_flags.c's.
 *
 * See: containers.h, minirun/network/README.md ("The contract for the container code"),
 *      https://docs.docker.com/engine/network/. Run: `minirun run -p 8080:80 --network web IMAGE`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/lazy/lazylib.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/dns_flags.h"
#include "minirun/containers/net_rootless.h"
#include "minirun/rootless/rootless.h"
#include "netns/nat.h"
#include "netns/netlink.h"

/* json_object_get through a path of keys: jget(rec, "HostConfig", "NetworkMode"); NULL when
 * any of them is missing. (The macro adds the typed NULL that ends the list.) */
static json_t *jget_(json_t *o, ...)
{
	va_list ap;
	va_start(ap, o);
	for (const char *k; o && (k = va_arg(ap, const char *));)
		o = json_object_get(o, k);
	va_end(ap);
	return o;
}
#define jget(...) jget_(__VA_ARGS__, (const char *)NULL)

/* json object member KEY of O, made (empty object) when missing or not an object */
static json_t *jobj(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_object(v)) {
		v = json_object();
		json_object_set_new(o, key, v);
	}
	return v;
}

/* The network the record asks for: "bridge" when unset (docker's "default" too). */
static const char *network_mode(const struct container *c)
{
	const char *m = c->r.host.network_mode;
	return !m || !*m || !strcmp(m, "default") ? NETWORK_DEFAULT : m;
}

/* Modes with nothing to connect: the namespace is the host's, a new empty one, or joined. */
static int mode_connects(const char *mode)
{
	static const char *const none[] = {"none", "host"};
	for (size_t i = 0; i < sizeof(none) / sizeof(*none); i++)
		if (!strcmp(mode, none[i]))
			return 0;
	return strncmp(mode, "container:", 10) != 0;
}

/* The container's name without docker's leading '/' ("" when it has none). */
static const char *short_name(const struct container *c)
{
	const char *n = c->r.name;
	return n ? n + (*n == '/') : "";
}

/* The ports to publish, from HostConfig.PortBindings and (with PublishAllPorts) the exposed
 * ports that no -p names, into a new array (*out, caller frees). -1 with err on a record
 * whose port keys or host ports do not parse (a hand-edited record: docker says "invalid"). */
int net_wanted_ports(json_t *rec, struct network_port **out, size_t *n, struct mr_err *err)
{
	json_t *bindings = jget(rec, "HostConfig", "PortBindings"), *list, *b;
	json_t *exposed = jget(rec, "Config", "ExposedPorts"), *v;
	int all = json_is_true(jget(rec, "HostConfig", "PublishAllPorts"));
	size_t cap = json_object_size(bindings) * 4 + json_object_size(exposed) + 1, i;
	const char *key;
	struct network_port *p = calloc(cap, sizeof(*p));
	if (!p)
		return mr_fail(err, ENOMEM, "ports");
	*n = 0;
	json_object_foreach(bindings, key, list)
	{
		struct network_port base;
		if (network_parse_port(key, &base, err) < 0)
			goto bad;
		json_array_foreach(list, i, b)
		{
			const char *hp = json_string_value(json_object_get(b, "HostPort"));
			const char *ip = json_string_value(json_object_get(b, "HostIp"));
			long long v = 0;
			if (*n == cap)
				break;
			if (hp && *hp && mr_parse_ll(hp, 0, 65535, &v) < 0) {
				mr_fail(err, 0, "Invalid hostPort: %s", hp);
				goto bad;
			}
			p[*n] = base;
			p[*n].host_port = (unsigned)v;
			snprintf(p[*n].host_ip, sizeof(p[*n].host_ip), "%s", ip ? ip : "");
			++*n;
		}
	}
	if (all)
		json_object_foreach(exposed, key, v)
		{
			if (json_object_get(bindings, key) || *n == cap)
				continue;
			if (network_parse_port(key, &p[*n], err) < 0)
				goto bad;
			++*n;
		}
	*out = p;
	return 0;
bad:
	free(p);
	mr_prefix(err, "port bindings: ");
	return -1;
}

/* The record's ports (NetworkSettings.Ports) as docker shows them: every exposed port (not
 * published), then each published one with the host port it got. -1 on ENOMEM. */
int net_ports_record(struct container *c, const struct network_port *p, size_t n)
{
	json_t *v;
	const char *key;
	char k[16], hp[8];
	int rc = 0;
	jobj(c->rec, "NetworkSettings"); /* where the record keeps its ports */
	container_record_clear_ports(&c->r);
	json_object_foreach(jget(c->rec, "Config", "ExposedPorts"), key, v)
	{
		if (rc == 0)
			rc = container_record_add_port(&c->r, key, NULL, NULL);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		snprintf(k, sizeof(k), "%u/%s", p[i].port, p[i].proto);
		snprintf(hp, sizeof(hp), "%u", p[i].host_port);
		rc = container_record_add_port(&c->r, k, p[i].host_ip[0] ? p[i].host_ip : "0.0.0.0",
					       hp);
	}
	return rc;
}

/* The --network-alias names the record holds for network NET (docker keeps them in the
 * endpoint's settings from create on, keyed by the network's name: NET may be a prefix of
 * its ID instead), into OUT (pointers into REC, no copies); returns how many. */
static size_t aliases_of(json_t *rec, const char *net, const char **out, size_t max)
{
	json_t *nets = jget(rec, "NetworkSettings", "Networks"), *ep, *s;
	json_t *a = jget(nets, net, "Aliases");
	const char *key;
	size_t i, n = 0;
	json_object_foreach(nets, key, ep)
	{
		const char *id = json_string_value(json_object_get(ep, "NetworkID"));
		if (!a && id && *net && !strncmp(id, net, strlen(net)))
			a = json_object_get(ep, "Aliases");
	}
	json_array_foreach(a, i, s)
	{
		if (json_is_string(s) && n < max)
			out[n++] = json_string_value(s);
	}
	return n;
}

/* Fill NetworkSettings.Networks.NET from the network's record after the connect: the lease,
 * the gateway, the MAC, the network's ID; on the default bridge also the top-level fields
 * docker still prints (IPAddress, Gateway, IPPrefixLen, MacAddress). */
static int fill_endpoint(struct container *c, const char *net, const char *const *aliases,
			 size_t naliases, pid_t pid, struct mr_err *err)
{
	_cleanup_close_ int lock = network_lock(c->root, err);
	if (lock < 0)
		return -1;
	json_t *nrec = network_load(c->root, net, err);
	if (!nrec)
		return -1;
	json_t *ep = jget(nrec, "Containers", c->id);
	const char *cidr = json_string_value(json_object_get(ep, "IPv4Address"));
	const char *mac = json_string_value(json_object_get(ep, "MacAddress"));
	const char *gw = json_string_value(
		json_object_get(json_array_get(jget(nrec, "IPAM", "Config"), 0), "Gateway"));
	char addr[INET_ADDRSTRLEN] = "", sandbox[64], shortid[13];
	int prefix = 0;
	if (cidr) {
		snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(cidr, "/"), cidr);
		prefix = strchr(cidr, '/') ? atoi(strchr(cidr, '/') + 1) : 32;
	}
	snprintf(shortid, sizeof(shortid), "%.12s", c->id);
	json_t *al = naliases ? json_array() : json_null(), *dns = json_array();
	json_array_append_new(dns, json_string(short_name(c)));
	for (size_t i = 0; i < naliases; i++) {
		json_array_append_new(al, json_string(aliases[i]));
		json_array_append_new(dns, json_string(aliases[i]));
	}
	json_array_append_new(dns, json_string(shortid));
	json_t *settings = jobj(c->rec, "NetworkSettings");
	/* keyed by the network's name, whatever the user typed (an ID prefix works too) */
	json_t *nets = jobj(settings, "Networks");
	/* --ip's request stays (docker's IPAMConfig.IPv4Address), for the next start */
	json_t *ipam = json_incref(jget(nets, net, "IPAMConfig"));
	if (!ipam)
		ipam = json_null();
	if (strcmp(net, json_string_value(json_object_get(nrec, "Name"))))
		json_object_del(nets, net);
	json_object_set_new(
		nets, json_string_value(json_object_get(nrec, "Name")),
		json_pack("{s:o, s:n, s:o, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:n, s:o}",
			  "IPAMConfig", ipam, "Links", "Aliases", al, "MacAddress", mac ? mac : "",
			  "NetworkID", json_string_value(json_object_get(nrec, "Id")), "Gateway",
			  gw ? gw : "", "IPAddress", addr, "IPPrefixLen", prefix, "IPv6Gateway", "",
			  "GlobalIPv6Address", "", "GlobalIPv6PrefixLen", 0, "DriverOpts",
			  "DNSNames", network_is_default(nrec) ? json_null() : dns));
	if (network_is_default(nrec)) {
		json_decref(dns);
		json_object_set_new(settings, "IPAddress", json_string(addr));
		json_object_set_new(settings, "Gateway", json_string(gw ? gw : ""));
		json_object_set_new(settings, "IPPrefixLen", json_integer(prefix));
		json_object_set_new(settings, "MacAddress", json_string(mac ? mac : ""));
	}
	snprintf(sandbox, sizeof(sandbox), "/proc/%d/ns/net", (int)pid);
	json_object_set_new(settings, "SandboxKey", json_string(sandbox));
	json_decref(nrec);
	return 0;
}

/*
 * container_net_prepare - at create, before anything runs: check that the network the flags
 * name exists (docker's "network x not found" comes from create, not from start) and
 * record the endpoint the container will have on it, as docker's create does:
 * NetworkSettings.Networks.NAME {Aliases (--network-alias), NetworkID}, addresses empty
 * until container_net_up fills them. Called by container_volumes_up (the create-time hook
 * of this pair of files).
 */
int container_net_prepare(struct container *c, const struct container_opts *o, struct mr_err *err)
{
	const char *mode = o->network && *o->network && strcmp(o->network, "default")
				   ? o->network
				   : NETWORK_DEFAULT;
	json_t *nets = jobj(jobj(c->rec, "NetworkSettings"), "Networks"), *al = json_null();
	/* docker's daemon's words: --ip on the default bridge, or on no network at all */
	if (o->ip && (!mode_connects(mode) || !strcmp(mode, NETWORK_DEFAULT)))
		return mr_failk(err, MR_E_INVALID, 0,
				"user specified IP address is supported on user defined networks "
				"only");
	if (!mode_connects(mode))
		return 0;
	if (rootless_active() && net_rootless_check(o, mode, err) < 0)
		return -1;
	if (net_rootless_default(mode)) /* pasta's: no network record (net_rootless.c) */
		return 0;
	/* published ports need libnftables in the monitor, which opens it on first use: a
	 * missing one is refused here, before anything is made, not there half-way */
	if ((o->nports || o->publish_all) && mr_lazy_check(MR_LIB_NFTABLES, err) < 0)
		return -1;
	_cleanup_close_ int lock = network_lock(c->root, err);
	if (lock < 0)
		return -1;
	json_t *nrec = network_load(c->root, mode, err);
	if (!nrec)
		return -1;
	for (size_t i = 0; o->network_aliases && o->network_aliases[i]; i++) {
		if (!json_is_array(al))
			al = json_array();
		json_array_append_new(al, json_string(o->network_aliases[i]));
	}
	json_t *ipam = o->ip ? json_pack("{s:s}", "IPv4Address", o->ip) : json_null();
	json_object_set_new(nets, json_string_value(json_object_get(nrec, "Name")),
			    json_pack("{s:o, s:o, s:s, s:s, s:s, s:i, s:s}", "IPAMConfig", ipam,
				      "Aliases", al, "NetworkID",
				      json_string_value(json_object_get(nrec, "Id")), "IPAddress",
				      "", "Gateway", "", "IPPrefixLen", 0, "MacAddress", ""));
	/* the address is checked now (its subnet, not taken), before anything is made; the
	 * connect at the start leases it, and says so again if it was taken meanwhile */
	int rc = o->ip ? network_check_address(nrec, o->ip, c->id, err) : 0;
	json_decref(nrec);
	return rc;
}

/* The MAC C's interface on NET gets: Config.MacAddress (--mac-address, docker 20.10's
 * place) on the NetworkMode network, as docker's daemon gives it, into OUT; NULL on every
 * other network, and without the flag: network/ derives docker's own from the address. The
 * record keeps the flag, so every start gives the same MAC. */
static const char *wanted_mac(const struct container *c, const char *net, char out[18])
{
	const char *mac = json_string_value(jget(c->rec, "Config", "MacAddress"));
	if (!mac || !*mac || strcmp(net, network_mode(c)))
		return NULL;
	return network_parse_mac(mac, out, NULL) == 0 ? out : NULL; /* checked at create */
}

/*
 * Connect C (its init is PID) to network NET with the aliases its record holds, publish
 * PORTS[0..n) there (the first network only), fill NetworkSettings.Networks.NET. All or
 * nothing: a failure after the connect disconnects it again (which drops its ports too).
 */
static int connect_one(struct container *c, const char *net, pid_t pid, struct network_port *ports,
		       size_t nports, struct mr_err *err)
{
	const char *aliases[64];
	size_t naliases = aliases_of(c->rec, net, aliases, 63);
	/* on a user-defined network docker (20.10) also answers for the container's hostname
	 * (the short ID unless -h): it is among the endpoint's aliases */
	char host[256];
	const char *h = c->r.config.hostname;
	snprintf(host, sizeof(host), "%.255s", h && *h ? h : c->id);
	if (!(h && *h))
		host[12] = '\0';
	bool have = false;
	for (size_t i = 0; i < naliases; i++)
		have |= !strcmp(aliases[i], host);
	if (strcmp(net, NETWORK_DEFAULT) != 0 && !have)
		aliases[naliases++] = host;
	char addr[INET_ADDRSTRLEN], mac[18];
	struct network_connect nc = {
		.mac = wanted_mac(c, net, mac),
		.ip = json_string_value(jget(jget(c->rec, "NetworkSettings", "Networks"), net,
					     "IPAMConfig", "IPv4Address")),
		.root = c->root,
		.network = net,
		.container_id = c->id,
		.name = short_name(c),
		.aliases = aliases,
		.naliases = naliases,
		.netns_fd = -1,
		.pid = (int)pid};
	mr_say("connect %.12s (pid %d) to network %s", c->id, (int)pid, net);
	if (network_connect(&nc, addr, err) < 0)
		return -1;
	/* A kill -9 between here and the caller's save is container_net_down's to undo: the
	 * steps let a test die at each point (MINIRUN_TEST_DIE_AT). */
	container_step("net-connected");
	int bad = nports && network_publish(c->root, c->id, ports, nports, err) < 0;
	if (!bad)
		container_step("net-published");
	if (bad || fill_endpoint(c, net, aliases, naliases, pid, err) < 0) {
		int saved = errno;
		network_disconnect(c->root, net, c->id, NULL);
		errno = saved;
		return -1;
	}
	mr_say("%.12s on %s: %s, %zu port(s) published", c->id, net, addr, nports);
	return 0;
}

/* --network none: the namespace is new and empty, and its lo starts down; docker brings it
 * up (a container's own 127.0.0.1 works everywhere but on --network host, which has the
 * host's). */
static int lo_up(pid_t pid, struct mr_err *err)
{
	char spec[16];
	snprintf(spec, sizeof(spec), "%d", (int)pid);
	_cleanup_close_ int fd = nl_netns_open(spec, err);
	if (fd < 0)
		return -1;
	_cleanup_nl_ struct nl *nl = nl_open_netns(fd, err);
	return nl ? nl_link_set_up(nl, "lo", 1, err) : -1;
}

int net_up_here(struct container *c, pid_t pid, struct mr_err *err)
{
	const char *mode = network_mode(c);
	json_t *settings = jobj(c->rec, "NetworkSettings");
	if (net_rootless_default(mode))
		return net_rootless_up(c, pid, err);
	if (!mode_connects(mode)) {
		/* docker shows the pseudo network by name; container:ID shares another's, so
		 * it has none of its own (and its ports are that container's) */
		json_t *nets = jobj(settings, "Networks");
		if (strncmp(mode, "container:", 10) && !json_object_get(nets, mode))
			json_object_set_new(nets, mode,
					    json_pack("{s:n, s:s, s:s, s:s, s:i, s:s}", "Aliases",
						      "NetworkID", "", "IPAddress", "", "Gateway",
						      "", "IPPrefixLen", 0, "MacAddress", ""));
		container_record_clear_ports(&c->r);
		mr_say("network %s: nothing to connect", mode);
		return strcmp(mode, "none") ? 0 : lo_up(pid, err);
	}

	/* the other networks the record names (`network connect`): docker reconnects them
	 * at every start too; keys copied, as connecting rewrites the object */
	json_t *extra = json_array(), *ep;
	const char *key;
	json_object_foreach(jobj(settings, "Networks"), key, ep)
	{
		const char *nid = json_string_value(json_object_get(ep, "NetworkID"));
		int by_id = mode[strspn(mode, "0123456789abcdef")] == '\0' && nid &&
			    !strncmp(nid, mode, strlen(mode)); /* NetworkMode, as an ID prefix */
		if (mode_connects(key) && strcmp(key, mode) && !by_id)
			json_array_append_new(extra, json_string(key));
	}
	struct network_port *ports = NULL;
	size_t nports = 0, i, done = 0;
	json_t *net;
	int primary = 0, r = net_wanted_ports(c->rec, &ports, &nports, err);
	if (r == 0 && (r = connect_one(c, mode, pid, ports, nports, err)) == 0) {
		primary = 1;
		if (net_ports_record(c, ports, nports) < 0)
			r = mr_fail(err, ENOMEM, "record the ports");
	}
	json_array_foreach(extra, i, net)
	{
		if (r < 0)
			break;
		if ((r = connect_one(c, json_string_value(net), pid, NULL, 0, err)) == 0)
			done++;
	}
	if (r < 0) { /* all or nothing: the networks connected before the failure go again */
		int saved = errno;
		for (i = 0; i < done; i++)
			network_disconnect(c->root, json_string_value(json_array_get(extra, i)),
					   c->id, NULL);
		if (primary)
			network_disconnect(c->root, mode, c->id, NULL);
		errno = saved;
	}
	free(ports);
	json_decref(extra);
	return r;
}

int container_net_up(struct container *c, pid_t pid, struct mr_err *err)
{
	const char *mode = network_mode(c);
	if (rootless_active() && mode_connects(mode) && !net_rootless_default(mode))
		return net_rootless_user_up(c, pid, err);
	return net_up_here(c, pid, err);
}

/* whether the record asks for published ports (-p, or -P) */
static bool asked_ports(json_t *rec)
{
	json_t *hc = json_object_get(rec, "HostConfig");
	return json_object_size(json_object_get(hc, "PortBindings")) > 0 ||
	       json_is_true(json_object_get(hc, "PublishAllPorts"));
}

/* Remove every published-port element that points at one of ADDRS (the container's leases,
 * "10.88.0.2/16" each): covers a publish killed after the nft element was added but before
 * the endpoint recorded it. Leases are unique across networks while held, so such an
 * element can only be this container's. */
static void drop_stray_ports(json_t *addrs)
{
	/* (only for a container that asked for ports: listing them loads libnftables) */
	struct nat_port *pub = NULL;
	size_t n = 0, i;
	json_t *a;
	if (!json_array_size(addrs) || nat_published(&pub, &n, NULL) < 0)
		return;
	for (size_t k = 0; k < n; k++)
		json_array_foreach(addrs, i, a)
		{
			const char *cidr = json_string_value(a);
			if (strncmp(pub[k].addr, cidr, strcspn(cidr, "/")) ||
			    pub[k].addr[strcspn(cidr, "/")])
				continue;
			mr_say("unpublish %s%s%u/%s (left by an unfinished publish)",
			       pub[k].host_addr, pub[k].host_addr[0] ? ":" : "", pub[k].host_port,
			       pub[k].proto);
			nat_unpublish(pub[k].host_addr, pub[k].proto, pub[k].host_port, 1, NULL);
		}
	free(pub);
}

/* Release the veth a killed connect may have left on network NREC (no lease recorded, so
 * network_disconnect does not know of it): its name is derived from the two IDs. The
 * container is going down, so the veth goes with its namespace (netns_release); this is
 * also the state network_disconnect_exited leaves a veth in, until the kernel frees it. */
static void drop_stray_veth(json_t *nrec, const char *id)
{
	const char *nid = json_string_value(json_object_get(nrec, "Id"));
	char veth[IFNAMSIZ];
	if (!nid)
		return;
	network_veth_name(nid, id, veth);
	netns_release(veth, 1, NULL);
}

/* Is NET (a name, or what NetworkMode says) the network whose record is NREC? */
static int is_network(json_t *nrec, const char *net)
{
	const char *name = json_string_value(json_object_get(nrec, "Name"));
	const char *id = json_string_value(json_object_get(nrec, "Id"));
	return (name && !strcmp(name, net)) || (id && *net && !strncmp(id, net, strlen(net)));
}

/*
 * Why a container's disconnect also frees the endpoints of containers that are gone: a
 * disconnect saves the network's record after the kernel side is undone, and when that
 * save fails (a full disk, in the teardown of the very container that filled it) the
 * container's removal goes on without it, and its address stays taken for good. An
 * endpoint whose container has no directory any more (it lives as long as the record) is
 * such a one; undone here as its own disconnect would have (ports, veth, lease).
 */
static void drop_gone(struct container *c, const char *net, json_t *eps)
{
	char dir[4400];
	const char *id;
	json_t *ep;
	json_object_foreach(eps, id, ep)
	{
		snprintf(dir, sizeof(dir), "%s/containers/%s", c->root, id);
		if (!strcmp(id, c->id) || access(dir, F_OK) == 0 || errno != ENOENT)
			continue;
		mr_say("disconnect %.12s from network %s: the container is gone", id, net);
		network_disconnect_exited(c->root, net, id, NULL);
	}
}

/*
 * Take C off every network: those whose record lists it (network_disconnect: its recorded
 * ports, the veth, the lease, the neighbours' hosts files), and, on the networks the
 * record asked for but whose record does not list it, the veth a killed connect left.
 * Then any port element still aimed at one of its addresses. 0, or -1 with err (the first
 * failure; the rest is still tried).
 */
int net_disconnect_all(struct container *c, const char *mode, struct mr_err *err)
{
	json_t *all = network_list(c->root, err), *nrec;
	json_t *wanted = json_object_get(json_object_get(c->rec, "NetworkSettings"), "Networks");
	json_t *addrs = json_array();
	size_t i;
	int r = 0;
	if (!all) {
		json_decref(addrs);
		return -1;
	}
	json_array_foreach(all, i, nrec)
	{
		json_t *ep = jget(nrec, "Containers", c->id);
		const char *net = json_string_value(json_object_get(nrec, "Name")), *key;
		json_t *v;
		struct mr_err e = {0};
		drop_gone(c, net, json_object_get(nrec, "Containers"));
		if (!ep) {
			int asked = mode_connects(mode) && is_network(nrec, mode);
			json_object_foreach(wanted, key, v)
			{
				asked |= mode_connects(key) && is_network(nrec, key);
			}
			if (asked)
				drop_stray_veth(nrec, c->id);
			continue;
		}
		json_array_append(addrs, json_object_get(ep, "IPv4Address"));
		mr_say("disconnect %.12s from network %s", c->id, net);
		if (network_disconnect_exited(c->root, net, c->id, &e) == 0 || r < 0)
			continue;
		/* a concurrent net_down (the monitor and `rm -f`) may have won the race */
		struct mr_err e2 = {0};
		int lock = network_lock(c->root, &e2);
		json_t *again = lock < 0 ? NULL : network_load(c->root, net, &e2);
		if (lock >= 0)
			close(lock);
		if (!again || jget(again, "Containers", c->id)) {
			/* err may be NULL (the monitor's teardown, rm's cleanup): a disconnect that
			 * fails there (a full disk refusing the network's record) crashed the
			 * monitor before it could record the exit code */
			if (err)
				*err = e;
			r = -1;
		}
		json_decref(again);
	}
	if (asked_ports(c->rec))
		drop_stray_ports(addrs);
	json_decref(addrs);
	json_decref(all);
	return r;
}

int container_net_down(struct container *c, struct mr_err *err)
{
	char dir[4200];
	json_t *settings = json_object_get(c->rec, "NetworkSettings"), *ep;
	const char *mode = network_mode(c), *net;
	int r = 0;
	if (rootless_active()) /* pasta's, when it has one */
		rootless_net_down(container_path(c, "net-helper.pid", dir, sizeof(dir)));

	snprintf(dir, sizeof(dir), "%s/networks", c->root);
	/* no networks directory: no connect ever began in this store, nothing to undo (and
	 * --network none/host stay free of the network store) */
	if (access(dir, F_OK) == 0 && rootless_active()) /* in the user's network namespace */
		r = net_rootless_disconnect_all(c, mode, err);
	else if (access(dir, F_OK) == 0)
		r = net_disconnect_all(c, mode, err);
	/* what docker shows for a stopped container: the networks stay named, their
	 * addresses go, no port is published */
	json_object_foreach(json_object_get(settings, "Networks"), net, ep)
	{
		static const char *const cleared[] = {"IPAddress", "Gateway", "MacAddress"};
		for (size_t i = 0; i < sizeof(cleared) / sizeof(*cleared); i++)
			if (json_object_get(ep, cleared[i]))
				json_object_set_new(ep, cleared[i], json_string(""));
		if (json_object_get(ep, "IPPrefixLen"))
			json_object_set_new(ep, "IPPrefixLen", json_integer(0));
	}
	if (settings) {
		static const char *const cleared[] = {"IPAddress", "Gateway", "MacAddress",
						      "SandboxKey"};
		for (size_t i = 0; i < sizeof(cleared) / sizeof(*cleared); i++)
			if (json_object_get(settings, cleared[i]))
				json_object_set_new(settings, cleared[i], json_string(""));
		if (json_object_get(settings, "IPPrefixLen"))
			json_object_set_new(settings, "IPPrefixLen", json_integer(0));
		container_record_clear_ports(&c->r);
	}
	return r;
}

/*
 * container_net_connect - docker's `network connect [--alias A] NET CONTAINER`: record the
 * endpoint in REF's NetworkSettings.Networks (so every later start connects it too) and,
 * when the container runs, connect it now. "No such container: x", "network x not found",
 * "endpoint with name c already exists in network n".
 */
int container_net_connect(const char *root, const char *ref, const char *net,
			  const char *const *aliases, size_t naliases, struct mr_err *err)
{
	struct container c = {0};
	if (container_open(root, ref, true, &c, err) < 0)
		return -1;
	const char *mode = network_mode(&c);
	int r = -1;
	pid_t pid = container_pid(&c);
	/* docker's daemon's words for each mode that has no network of its own to add to */
	if (!strcmp(mode, "none"))
		mr_fail(err, 0,
			"container cannot be connected to multiple networks with one of the "
			"networks in private (none) mode");
	else if (!mode_connects(mode))
		mr_fail(err, 0,
			"container sharing network namespace with another container or host "
			"cannot be connected to any other network");
	else {
		struct container_opts o = {.network = net};
		char **list = calloc(naliases + 1, sizeof(*list));
		for (size_t i = 0; list && i < naliases; i++)
			list[i] = (char *)aliases[i];
		o.network_aliases = naliases ? list : NULL;
		json_t *before = json_deep_copy(c.rec);
		if (json_object_get(jget(c.rec, "NetworkSettings", "Networks"), net))
			r = mr_fail(err, 0, "endpoint with name %s already exists in network %s",
				    short_name(&c), net);
		else
			r = container_net_prepare(&c, &o, err);
		if (r == 0 && pid > 0 && (r = connect_one(&c, net, pid, NULL, 0, err)) == 0)
			container_dns_connected(&c, NULL); /* resolv.conf (dns_flags.c) */
		if (r == 0 && (r = container_save(&c, err)) < 0 && pid > 0)
			network_disconnect(root, net, c.id, NULL);
		if (r < 0) { /* the record as it was */
			json_decref(c.rec);
			c.rec = before;
		} else
			json_decref(before);
		free(list);
	}
	container_close(&c);
	return r;
}

/*
 * container_net_disconnect - docker's `network disconnect NET CONTAINER`: disconnect REF
 * from NET now (if it is connected) and forget the endpoint, so no later start connects it.
 * "container x is not connected to network n" when neither is the case.
 */
int container_net_disconnect(const char *root, const char *ref, const char *net, struct mr_err *err)
{
	struct container c = {0};
	if (container_open(root, ref, true, &c, err) < 0)
		return -1;
	_cleanup_close_ int lock = network_lock(root, err);
	json_t *nrec = lock < 0 ? NULL : network_load(root, net, err);
	if (lock >= 0)
		close(lock);
	lock = -1;
	int r = -1;
	if (nrec) {
		const char *name = json_string_value(json_object_get(nrec, "Name"));
		json_t *nets = jget(c.rec, "NetworkSettings", "Networks");
		int connected = jget(nrec, "Containers", c.id) != NULL;
		if (!connected && !json_object_get(nets, name))
			mr_fail(err, 0, "container %s is not connected to network %s", c.id, name);
		else if (!connected || network_disconnect(root, name, c.id, err) == 0) {
			json_object_del(nets, name);
			r = container_save(&c, err);
		}
		json_decref(nrec);
	}
	container_close(&c);
	return r;
}

static bool container_exists(const char *root, const char *ref)
{
	struct container c = {0};
	struct mr_err probe = {0};
	if (container_open(root, ref, false, &c, &probe) < 0)
		return false;
	container_close(&c);
	return true;
}

const struct network_container_ops container_network_ops = {
	.connect = container_net_connect,
	.disconnect = container_net_disconnect,
	.exists = container_exists,
};
