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

const char *container_net_mode(const struct container *c)
{
	const char *m = c->r.host.network_mode;
	return !m || !*m || !strcmp(m, "default") ? NETWORK_DEFAULT : m;
}

bool container_net_mode_connects(const char *mode)
{
	static const char *const none[] = {"none", "host"};
	for (size_t i = 0; i < sizeof(none) / sizeof(*none); i++)
		if (!strcmp(mode, none[i]))
			return false;
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
int net_wanted_ports(const struct container_record *r, struct network_port **out, size_t *n,
		     struct mr_err *err)
{
	size_t cap = r->host.nport_bindings + 1;
	for (size_t i = 0; i < r->host.nport_bindings; i++)
		cap += r->host.port_bindings[i].nbindings;
	for (size_t i = 0; r->config.exposed_ports && r->config.exposed_ports[i]; i++)
		cap++;
	struct network_port *p = calloc(cap, sizeof(*p));
	if (!p)
		return mr_fail(err, ENOMEM, "ports");
	*n = 0;
	for (size_t i = 0; i < r->host.nport_bindings; i++) {
		const struct container_port *pb = &r->host.port_bindings[i];
		struct network_port base;
		if (network_parse_port(pb->key, &base, err) < 0)
			goto bad;
		for (size_t k = 0; k < pb->nbindings; k++) {
			const char *hp = pb->bindings[k].host_port, *ip = pb->bindings[k].host_ip;
			long long v = 0;
			if (*hp && mr_parse_ll(hp, 0, 65535, &v) < 0) {
				mr_fail(err, 0, "Invalid hostPort: %s", hp);
				goto bad;
			}
			p[*n] = base;
			p[*n].host_port = (unsigned)v;
			snprintf(p[*n].host_ip, sizeof(p[*n].host_ip), "%s", ip);
			++*n;
		}
	}
	for (size_t i = 0;
	     r->host.publish_all && r->config.exposed_ports && r->config.exposed_ports[i]; i++) {
		const char *key = r->config.exposed_ports[i];
		if (container_record_binding(r, key))
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
	char k[16], hp[8];
	int rc = 0;
	char **exposed = c->r.config.exposed_ports;
	container_record_clear_ports(&c->r);
	for (size_t i = 0; rc == 0 && exposed && exposed[i]; i++)
		rc = container_record_add_port(&c->r, exposed[i], NULL, NULL);
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
 * its ID instead), into OUT (pointers into R, no copies); returns how many. */
static size_t aliases_of(const struct container_record *r, const char *net, const char **out,
			 size_t max)
{
	const struct container_network *ep = container_record_network(r, net);
	for (size_t i = 0; !ep && *net && i < r->nnetworks; i++) {
		const char *id = r->networks[i].network_id;
		if (id && !strncmp(id, net, strlen(net)))
			ep = &r->networks[i];
	}
	size_t n = 0;
	for (size_t i = 0; ep && ep->aliases && ep->aliases[i] && n < max; i++)
		out[n++] = ep->aliases[i];
	return n;
}

/* The strings of an endpoint C's record now holds for NETWORK_ID and the lease CIDR, MAC,
 * GW (NULL: ""): -1 on ENOMEM */
static int endpoint_set(struct container_network *ep, const char *network_id, const char *addr,
			int prefix, const char *gw, const char *mac)
{
	container_record_set_str(&ep->network_id, network_id ? network_id : "");
	container_record_set_str(&ep->ip_address, addr);
	container_record_set_str(&ep->gateway, gw ? gw : "");
	container_record_set_str(&ep->mac_address, mac ? mac : "");
	ep->ip_prefix_len = prefix;
	return ep->network_id && ep->ip_address && ep->gateway && ep->mac_address ? 0 : -1;
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
	json_t *lease = jget(nrec, "Containers", c->id);
	const char *cidr = json_string_value(json_object_get(lease, "IPv4Address"));
	const char *mac = json_string_value(json_object_get(lease, "MacAddress"));
	const char *gw = json_string_value(
		json_object_get(json_array_get(jget(nrec, "IPAM", "Config"), 0), "Gateway"));
	char addr[INET_ADDRSTRLEN] = "", sandbox[64], shortid[13];
	int prefix = 0;
	if (cidr) {
		snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(cidr, "/"), cidr);
		prefix = strchr(cidr, '/') ? atoi(strchr(cidr, '/') + 1) : 32;
	}
	snprintf(shortid, sizeof(shortid), "%.12s", c->id);
	/* the names the network's DNS answers for: the name, the aliases, the short ID (none
	 * on the default bridge, which has no DNS) */
	const char *names[66];
	size_t nnames = 0;
	names[nnames++] = short_name(c);
	for (size_t i = 0; i < naliases && nnames < 65; i++)
		names[nnames++] = aliases[i];
	names[nnames++] = shortid;
	/* copies first: ALIASES may point into the endpoint rewritten below */
	char **al = NULL, **dns = NULL;
	const char *name = json_string_value(json_object_get(nrec, "Name"));
	const char *nid = json_string_value(json_object_get(nrec, "Id"));
	bool bridge = network_is_default(nrec);
	int rc = container_record_set_strv(&al, naliases ? aliases : NULL, naliases);
	if (rc == 0)
		rc = container_record_set_strv(&dns, bridge ? NULL : names, nnames);
	/* keyed by the network's name, whatever the user typed (an ID prefix works too);
	 * --ip's request stays (docker's IPAMConfig.IPv4Address), for the next start */
	struct container_network *ep = container_record_endpoint(&c->r, net, false, 0);
	char *ipam = ep && ep->ipam_ipv4 ? strdup(ep->ipam_ipv4) : NULL;
	if (rc == 0 && name && strcmp(net, name))
		container_record_drop_network(&c->r, net);
	ep = rc == 0 && name
		     ? container_record_endpoint(&c->r, name, true, CONTAINER_ENDPOINT_CONNECTED)
		     : NULL;
	if (ep) {
		ep->kind = CONTAINER_ENDPOINT_CONNECTED;
		free(ep->ipam_ipv4); /* the same string, or the one of the endpoint dropped */
		ep->ipam_ipv4 = ipam;
		ipam = NULL;
		container_record_set_strv(&ep->aliases, NULL, 0);
		container_record_set_strv(&ep->dns_names, NULL, 0);
		ep->aliases = al;
		ep->dns_names = dns;
		al = dns = NULL;
		rc = endpoint_set(ep, nid, addr, prefix, gw, mac);
	}
	free(ipam);
	container_record_set_strv(&al, NULL, 0);
	container_record_set_strv(&dns, NULL, 0);
	struct container_net_settings *s = &c->r.net;
	if (ep && rc == 0 && bridge) {
		s->has_address = true;
		container_record_set_str(&s->ip_address, addr);
		container_record_set_str(&s->gateway, gw ? gw : "");
		container_record_set_str(&s->mac_address, mac ? mac : "");
		s->ip_prefix_len = prefix;
	}
	snprintf(sandbox, sizeof(sandbox), "/proc/%d/ns/net", (int)pid);
	container_record_set_str(&s->sandbox_key, sandbox);
	json_decref(nrec);
	if (!ep || rc < 0 || !s->sandbox_key)
		return mr_fail(err, ENOMEM, "record the endpoint on %s", net);
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
	/* docker's daemon's words: --ip on the default bridge, or on no network at all */
	if (o->ip && (!container_net_mode_connects(mode) || !strcmp(mode, NETWORK_DEFAULT)))
		return mr_failk(err, MR_E_INVALID, 0,
				"user specified IP address is supported on user defined networks "
				"only");
	if (!container_net_mode_connects(mode))
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
	size_t naliases = 0;
	while (o->network_aliases && o->network_aliases[naliases])
		naliases++;
	/* the endpoint create records, in docker's shape for it (a name recorded before is
	 * recorded anew, where it was) */
	const char *name = json_string_value(json_object_get(nrec, "Name"));
	struct container_network *ep =
		name ? container_record_endpoint(&c->r, name, true, CONTAINER_ENDPOINT_ASKED)
		     : NULL;
	int rc = ep ? 0 : mr_fail(err, ENOMEM, "record the endpoint on %s", mode);
	if (ep) {
		ep->kind = CONTAINER_ENDPOINT_ASKED;
		container_record_set_str(&ep->ipam_ipv4, o->ip);
		container_record_set_strv(&ep->dns_names, NULL, 0);
		if (container_record_set_strv(
			    &ep->aliases, naliases ? (const char *const *)o->network_aliases : NULL,
			    naliases) < 0 ||
		    endpoint_set(ep, json_string_value(json_object_get(nrec, "Id")), "", 0, "",
				 "") < 0 ||
		    (o->ip && !ep->ipam_ipv4))
			rc = mr_fail(err, ENOMEM, "record the endpoint on %s", mode);
	}
	/* the address is checked now (its subnet, not taken), before anything is made; the
	 * connect at the start leases it, and says so again if it was taken meanwhile */
	if (rc == 0 && o->ip)
		rc = network_check_address(nrec, o->ip, c->id, err);
	json_decref(nrec);
	return rc;
}

/* The MAC C's interface on NET gets: Config.MacAddress (--mac-address, docker 20.10's
 * place) on the NetworkMode network, as docker's daemon gives it, into OUT; NULL on every
 * other network, and without the flag: network/ derives docker's own from the address. The
 * record keeps the flag, so every start gives the same MAC. */
static const char *wanted_mac(const struct container *c, const char *net, char out[18])
{
	const char *mac = c->r.config.mac_address;
	if (!mac || !*mac || strcmp(net, container_net_mode(c)))
		return NULL;
	return network_parse_mac(mac, out, NULL) == 0 ? out : NULL; /* checked at create */
}

/* the address --ip asked for on network NET (IPAMConfig.IPv4Address), or NULL */
static const char *ipam_of(const struct container_record *r, const char *net)
{
	const struct container_network *ep = container_record_network(r, net);
	return ep ? ep->ipam_ipv4 : NULL;
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
	size_t naliases = aliases_of(&c->r, net, aliases, 63);
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
	struct network_connect nc = {.mac = wanted_mac(c, net, mac),
				     .ip = ipam_of(&c->r, net),
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
 * host's). Not called when the namespace came with its lo up (c->lo_up: the monitor began
 * it so, monitor.c's begin_netns). */
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
	const char *mode = container_net_mode(c);
	if (net_rootless_default(mode))
		return net_rootless_up(c, pid, err);
	if (!container_net_mode_connects(mode)) {
		/* docker shows the pseudo network by name; container:ID shares another's, so
		 * it has none of its own (and its ports are that container's) */
		if (strncmp(mode, "container:", 10) &&
		    !container_record_endpoint(&c->r, mode, true, CONTAINER_ENDPOINT_MODE))
			return mr_fail(err, ENOMEM, "record the endpoint on %s", mode);
		container_record_clear_ports(&c->r);
		mr_say("network %s: nothing to connect", mode);
		return strcmp(mode, "none") || c->lo_up ? 0 : lo_up(pid, err);
	}

	/* the other networks the record names (`network connect`): docker reconnects them
	 * at every start too; names copied, as connecting rewrites the endpoints */
	size_t nextra = 0, i, done = 0;
	char **extra = calloc(c->r.nnetworks + 1, sizeof(*extra));
	if (!extra)
		return mr_fail(err, ENOMEM, "connect %.12s", c->id);
	for (i = 0; i < c->r.nnetworks; i++) {
		const char *key = c->r.networks[i].name, *nid = c->r.networks[i].network_id;
		int by_id = mode[strspn(mode, "0123456789abcdef")] == '\0' && nid &&
			    !strncmp(nid, mode, strlen(mode)); /* NetworkMode, as an ID prefix */
		if (container_net_mode_connects(key) && strcmp(key, mode) && !by_id &&
		    !(extra[nextra++] = strdup(key))) {
			container_record_set_strv(&extra, NULL, 0);
			return mr_fail(err, ENOMEM, "connect %.12s", c->id);
		}
	}
	struct network_port *ports = NULL;
	size_t nports = 0;
	int primary = 0, r = net_wanted_ports(&c->r, &ports, &nports, err);
	if (r == 0 && (r = connect_one(c, mode, pid, ports, nports, err)) == 0) {
		primary = 1;
		if (net_ports_record(c, ports, nports) < 0)
			r = mr_fail(err, ENOMEM, "record the ports");
	}
	for (i = 0; r == 0 && i < nextra; i++)
		if ((r = connect_one(c, extra[i], pid, NULL, 0, err)) == 0)
			done++;
	if (r < 0) { /* all or nothing: the networks connected before the failure go again */
		int saved = errno;
		for (i = 0; i < done; i++)
			network_disconnect(c->root, extra[i], c->id, NULL);
		if (primary)
			network_disconnect(c->root, mode, c->id, NULL);
		errno = saved;
	}
	free(ports);
	container_record_set_strv(&extra, NULL, 0);
	return r;
}

int container_net_up(struct container *c, pid_t pid, struct mr_err *err)
{
	const char *mode = container_net_mode(c);
	if (rootless_active() && container_net_mode_connects(mode) && !net_rootless_default(mode))
		return net_rootless_user_up(c, pid, err);
	return net_up_here(c, pid, err);
}

/* whether the record asks for published ports (-p, or -P) */
static bool asked_ports(const struct container *c)
{
	return c->r.host.publish_all || c->r.host.nport_bindings > 0;
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
		const char *net = json_string_value(json_object_get(nrec, "Name"));
		struct mr_err e = {0};
		drop_gone(c, net, json_object_get(nrec, "Containers"));
		if (!ep) {
			int asked = container_net_mode_connects(mode) && is_network(nrec, mode);
			for (size_t k = 0; k < c->r.nnetworks; k++) {
				const char *key = c->r.networks[k].name;
				asked |= container_net_mode_connects(key) && is_network(nrec, key);
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
	if (asked_ports(c))
		drop_stray_ports(addrs);
	json_decref(addrs);
	json_decref(all);
	return r;
}

bool container_net_listed(const struct container *c)
{
	bool any = container_net_mode_connects(container_net_mode(c));
	for (size_t i = 0; i < c->r.nnetworks && !any; i++)
		any = c->r.networks[i].name && container_net_mode_connects(c->r.networks[i].name);
	return any;
}

int container_net_down(struct container *c, struct mr_err *err)
{
	char dir[4200];
	const char *mode = container_net_mode(c);
	int r = 0;
	if (rootless_active()) /* pasta's, when it has one */
		rootless_net_down(container_path(c, "net-helper.pid", dir, sizeof(dir)));

	snprintf(dir, sizeof(dir), "%s/networks", c->root);
	/* no networks directory: no connect ever began in this store, nothing to undo. Nor
	 * when neither the mode nor a recorded endpoint names a network: --network
	 * none/host/container:X refuse every connect, so no network lists the container, and
	 * their exits (--rm's removal after them) stay free of the network store */
	bool any = container_net_listed(c);
	if (any && access(dir, F_OK) == 0 && rootless_active()) /* the user's netns */
		r = net_rootless_disconnect_all(c, mode, err);
	else if (any && access(dir, F_OK) == 0)
		r = net_disconnect_all(c, mode, err);
	/* what docker shows for a stopped container: the networks stay named, their
	 * addresses go, no port is published (a key the record lacks stays out) */
	struct container_net_settings *s = &c->r.net;
	for (size_t i = 0; i < c->r.nnetworks; i++) {
		struct container_network *ep = &c->r.networks[i];
		char **cleared[] = {&ep->ip_address, &ep->gateway, &ep->mac_address};
		for (size_t k = 0; k < sizeof(cleared) / sizeof(*cleared); k++)
			if (*cleared[k])
				**cleared[k] = '\0';
		ep->ip_prefix_len = 0;
	}
	char **cleared[] = {&s->ip_address, &s->gateway, &s->mac_address, &s->sandbox_key};
	for (size_t k = 0; k < sizeof(cleared) / sizeof(*cleared); k++)
		if (*cleared[k])
			**cleared[k] = '\0';
	s->ip_prefix_len = 0;
	container_record_clear_ports(&c->r);
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
	const char *mode = container_net_mode(&c);
	int r = -1;
	pid_t pid = container_pid(&c);
	/* docker's daemon's words for each mode that has no network of its own to add to */
	if (!strcmp(mode, "none"))
		mr_fail(err, 0,
			"container cannot be connected to multiple networks with one of the "
			"networks in private (none) mode");
	else if (!container_net_mode_connects(mode))
		mr_fail(err, 0,
			"container sharing network namespace with another container or host "
			"cannot be connected to any other network");
	else {
		struct container_opts o = {.network = net};
		char **list = calloc(naliases + 1, sizeof(*list));
		for (size_t i = 0; list && i < naliases; i++)
			list[i] = (char *)aliases[i];
		o.network_aliases = naliases ? list : NULL;
		/* on a failure the record is not saved: it stays as it was */
		if (container_record_network(&c.r, net))
			r = mr_fail(err, 0, "endpoint with name %s already exists in network %s",
				    short_name(&c), net);
		else
			r = container_net_prepare(&c, &o, err);
		if (r == 0 && pid > 0 && (r = connect_one(&c, net, pid, NULL, 0, err)) == 0)
			container_dns_connected(&c, NULL); /* resolv.conf (dns_flags.c) */
		if (r == 0 && (r = container_save(&c, err)) < 0 && pid > 0)
			network_disconnect(root, net, c.id, NULL);
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
		int connected = jget(nrec, "Containers", c.id) != NULL;
		if (!connected && !container_record_network(&c.r, name))
			mr_fail(err, 0, "container %s is not connected to network %s", c.id, name);
		else if (!connected || network_disconnect(root, name, c.id, err) == 0) {
			container_record_drop_network(&c.r, name);
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
