/*
 * minirun/network/connect.c - a container joins and leaves a network: the address lease,
 * the veth on the bridge (netns_attach / netns_detach), and the hosts files that give
 * names on user-defined networks.
 *
 * connect, with the networks lock held throughout (so the lease and the kernel agree):
 *	1. load the record (the default one is made on first use); refuse a second endpoint
 *	2. make sure the bridge exists (idempotent: it may be the default's first use, or the
 *	   machine rebooted since `network create`)
 *	3. lease the lowest free address (or run --ip's); pick ethN, the host end's name and
 *	   the MAC (run --mac-address's, else docker's: 02:42 + the address's four bytes)
 *	4. netns_attach (all-or-nothing in netns/), then write the record with the lease
 *	5. rewrite the hosts file of every container on the network
 * A failure at 4 deletes the veth again, so nothing is left and no lease was written.
 *
 * See: network.h, netns/plug.c, hosts(5).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/network/dns.h"
#include "minirun/network/network.h"
#include "minirun/network/overlay.h"
#include "netns/netlink.h"

char *network_hosts_path(const char *root, const char *container_id, char *buf, size_t size)
{
	snprintf(buf, size, "%s/containers/%s/hosts", root, container_id);
	return buf;
}

char *network_hosts_format(const struct network_hosts_line *lines, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	fputs("127.0.0.1\tlocalhost\n"
	      "::1\tlocalhost ip6-localhost ip6-loopback\n"
	      "fe00::0\tip6-localnet\n"
	      "ff00::0\tip6-mcastprefix\n"
	      "ff02::1\tip6-allnodes\n"
	      "ff02::2\tip6-allrouters\n",
	      f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\t%s\n", lines[i].addr, lines[i].names);
	fclose(f);
	return text;
}

/* "c1 web 3f4e5d6c7b8a": an endpoint's name, aliases, short ID, as a hosts line names it. */
static void endpoint_names(const char *id, json_t *ep, char *buf, size_t size)
{
	const char *name = json_string_value(json_object_get(ep, "Name"));
	size_t i, off = 0;
	json_t *a;
	buf[0] = '\0';
	if (name && *name)
		off += snprintf(buf + off, size - off, "%s ", name);
	json_array_foreach(json_object_get(ep, "Aliases"), i, a)
	{
		if (off < size)
			off += snprintf(buf + off, size - off, "%s ", json_string_value(a));
	}
	if (off < size)
		snprintf(buf + off, size - off, "%.12s", id);
}

/* The address of an endpoint without its prefix, "10.89.0.2/24" -> "10.89.0.2". */
static void endpoint_addr(json_t *ep, char out[INET_ADDRSTRLEN])
{
	const char *a = json_string_value(json_object_get(ep, "IPv4Address"));
	snprintf(out, INET_ADDRSTRLEN, "%.*s", a ? (int)strcspn(a, "/") : 0, a ? a : "");
}

/* the hosts file's text: the localhost lines, the container's --add-host lines (docker's
 * place for them; ROOT/containers/ID/hosts.extra, written at its start by
 * containers/dns_flags.c), then LINES */
static char *hosts_text(const char *root, const char *container_id,
			const struct network_hosts_line *lines, size_t n)
{
	char path[4200];
	_cleanup_free_ char *base = network_hosts_format(NULL, 0);
	_cleanup_free_ char *full = network_hosts_format(lines, n);
	_cleanup_free_ char *extra = NULL;
	char *text = NULL;
	snprintf(path, sizeof(path), "%s/containers/%s/hosts.extra", root, container_id);
	if (mr_read_file(path, &extra, NULL, NULL) < 0)
		extra = NULL;
	if (!base || !full ||
	    asprintf(&text, "%s%s%s", base, extra ? extra : "", full + strlen(base)) < 0)
		return NULL;
	return text;
}

int network_hosts_refresh(const char *root, const char *container_id, struct mr_err *err)
{
	char path[4200], dir[4200];
	struct network_hosts_line lines[256];
	char addrs[256][INET_ADDRSTRLEN], names[256][512];
	size_t n = 0, i;
	json_t *all = network_list(root, err), *rec;
	if (!all)
		return -1;
	/* the container's own lines first (every network it is on), then its neighbours on
	 * user-defined networks */
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(all, i, rec)
		{
			json_t *eps = json_object_get(rec, "Containers"), *ep;
			const char *id;
			if (!json_object_get(eps, container_id))
				continue;
			json_object_foreach(eps, id, ep)
			{
				int self = !strcmp(id, container_id);
				if (n == 256 || self != (pass == 0) ||
				    (!self && network_is_default(rec)))
					continue;
				endpoint_addr(ep, addrs[n]);
				endpoint_names(id, ep, names[n], sizeof(names[n]));
				lines[n].addr = addrs[n];
				lines[n].names = names[n];
				n++;
			}
		}
	json_array_foreach(all, i, rec) /* an overlay's containers on the other hosts */
	{
		if (network_is_overlay(rec) &&
		    json_object_get(json_object_get(rec, "Containers"), container_id))
			overlay_hosts_lines(rec, lines, addrs, names, &n, 256);
	}
	json_decref(all);
	_cleanup_free_ char *text = hosts_text(root, container_id, lines, n);
	if (!text)
		return mr_fail(err, ENOMEM, "hosts file");
	network_hosts_path(root, container_id, path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s/containers/%s", root, container_id);
	if (mr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	/* In place, not renamed over: the container sees this inode through a bind mount. */
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	size_t len = strlen(text);
	if (fd < 0 || pwrite(fd, text, len, 0) != (ssize_t)len || ftruncate(fd, (off_t)len) < 0)
		return mr_fail(err, errno, "write '%s'", path);
	mr_say("hosts file %s: %zu entries", path, n);
	return 0;
}

/* whether the directory of container ID is gone (removed) */
static bool gone(const char *root, const char *id)
{
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/containers/%s", root, id);
	return access(dir, F_OK) < 0 && errno == ENOENT;
}

/*
 * Rewrite the hosts file of every container on REC (plus EXTRA, one that just left). SELF
 * (the one connecting, or NULL) gets its directory made if need be; the others are skipped
 * when theirs is gone. Why: the endpoint of a container removed before its disconnect
 * could be saved (a full disk) stays in the record until someone drops it, and writing its
 * hosts file (network_hosts_refresh makes the directory) brought the removed container
 * back, as a Dead one holding nothing but that file.
 */
static int refresh_all(const char *root, json_t *rec, const char *self, const char *extra,
		       struct mr_err *err)
{
	const char *id;
	json_t *ep;
	json_object_foreach(json_object_get(rec, "Containers"), id, ep)
	{
		if ((!self || strcmp(id, self) != 0) && gone(root, id))
			continue;
		if (network_hosts_refresh(root, id, err) < 0)
			return -1;
	}
	return extra && !gone(root, extra) ? network_hosts_refresh(root, extra, err) : 0;
}

/* The host end's name: "mrv" + 12 hex of an FNV-1a hash of the network and container IDs
 * (15 bytes, the kernel's limit), the same in every process that computes it: that is what
 * lets a later process find a veth that a killed connect left without a record. */
char *network_veth_name(const char *net_id, const char *cid, char out[IFNAMSIZ])
{
	uint64_t h = 1469598103934665603ull;
	for (const char *s = net_id; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h = (h ^ '/') * 1099511628211ull;
	for (const char *s = cid; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	snprintf(out, IFNAMSIZ, "mrv%012llx", (unsigned long long)(h & 0xffffffffffffull));
	return out;
}

/* docker's MAC for an address: 02:42 (a locally administered prefix) then the IPv4
 * address's four bytes, so two endpoints never share one and no random MAC is needed. */
static void endpoint_mac(struct in_addr a, char out[18])
{
	const unsigned char *b = (const unsigned char *)&a.s_addr;
	snprintf(out, 18, "02:42:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3]);
}

/* The lowest ethN the container does not use on any network yet. */
static void inner_ifname(const char *root, const char *cid, char out[IFNAMSIZ])
{
	json_t *all = network_list(root, NULL), *rec;
	size_t i;
	for (int k = 0;; k++) {
		int used = 0;
		snprintf(out, IFNAMSIZ, "eth%d", k);
		json_array_foreach(all, i, rec)
		{
			json_t *ep = json_object_get(json_object_get(rec, "Containers"), cid);
			const char *inner = json_string_value(json_object_get(ep, "Interface"));
			used |= inner && !strcmp(inner, out);
		}
		if (!used)
			break;
	}
	json_decref(all);
}

int network_check_address(json_t *rec, const char *ip, const char *container_id, struct mr_err *err)
{
	struct network_subnet sn;
	struct in_addr gw, a;
	const char *id;
	json_t *ep;
	if (network_subnet_of(rec, &sn, &gw) < 0)
		return mr_fail(err, 0, "network %s: record has no usable IPAM config",
			       json_string_value(json_object_get(rec, "Name")));
	if (inet_pton(AF_INET, ip, &a) != 1)
		return mr_failk(err, MR_E_INVALID, 0, "invalid IPv4 address: %s", ip);
	uint32_t m = sn.prefix ? ~0u << (32 - sn.prefix) : 0, h = ntohl(a.s_addr);
	if ((h & m) != (ntohl(sn.net.s_addr) & m))
		return mr_failk(err, MR_E_INVALID, 0,
				"Invalid address %s: It does not belong to any of this network's "
				"subnets",
				ip);
	if (sn.prefix < 31 && ((h & ~m) == 0 || (h & ~m) == ~m))
		return mr_failk(err, MR_E_INVALID, 0,
				"Invalid address %s: it is the subnet's network or broadcast "
				"address",
				ip);
	if (h == ntohl(gw.s_addr))
		return mr_failk(err, MR_E_CONFLICT, 0, "Address already in use");
	json_object_foreach(json_object_get(rec, "Containers"), id, ep)
	{
		char held[INET_ADDRSTRLEN];
		endpoint_addr(ep, held);
		if (strcmp(id, container_id) && !strcmp(held, ip))
			return mr_failk(err, MR_E_CONFLICT, 0, "Address already in use");
	}
	return 0;
}

/* Steps 3 and 4 of the sequence at the top, with the lock held and REC loaded. */
static int attach_locked(const struct network_connect *c, json_t *rec, int nsfd, char *addr_out,
			 struct mr_err *err)
{
	struct network_subnet sn;
	struct in_addr gw, taken[4096], addr;
	size_t n = 0;
	const char *id;
	json_t *ep;
	char gws[INET_ADDRSTRLEN], cidr[40], host_if[IFNAMSIZ], inner[IFNAMSIZ], mac[18];

	if (network_subnet_of(rec, &sn, &gw) < 0)
		return mr_fail(err, 0, "network %s: record has no usable IPAM config",
			       json_string_value(json_object_get(rec, "Name")));
	json_object_foreach(json_object_get(rec, "Containers"), id, ep)
	{
		char a[INET_ADDRSTRLEN];
		endpoint_addr(ep, a);
		if (n < 4096 && inet_pton(AF_INET, a, &taken[n]) == 1)
			n++;
	}
	if (c->ip) { /* run --ip: that address or nothing */
		if (network_check_address(rec, c->ip, c->container_id, err) < 0 ||
		    (network_is_overlay(rec) && overlay_check_address(rec, sn, c->ip, err) < 0))
			return -1;
		inet_pton(AF_INET, c->ip, &addr);
	} else {
		struct network_subnet pool = sn; /* an overlay: this host's part of it */
		if ((network_is_overlay(rec) &&
		     overlay_pool(rec, &pool, taken, &n, 4096, err) < 0) ||
		    network_pick_address(pool, gw, taken, n, &addr, err) < 0)
			return -1;
	}
	inet_ntop(AF_INET, &addr, addr_out, INET_ADDRSTRLEN);
	inet_ntop(AF_INET, &gw, gws, sizeof(gws));
	snprintf(cidr, sizeof(cidr), "%s/%d", addr_out, sn.prefix);
	if (c->mac) /* run --mac-address (checked: network_parse_mac) */
		snprintf(mac, sizeof(mac), "%s", c->mac);
	else
		endpoint_mac(addr, mac);
	network_veth_name(json_string_value(json_object_get(rec, "Id")), c->container_id, host_if);
	inner_ifname(c->root, c->container_id, inner);
	mr_say("lease %s on %s for %.12s: %s <-> %s", cidr,
	       json_string_value(json_object_get(rec, "Name")), c->container_id, host_if, inner);

	/* --internal and overlay: no route out, only the subnet's */
	const char *via = network_is_internal(rec) || network_is_overlay(rec) ? NULL : gws;
	struct netns_attach a = {.bridge = network_bridge_of(rec),
				 .netns_fd = nsfd,
				 .host_if = host_if,
				 .inner_if = inner,
				 .cidr = cidr,
				 .gateway = via,
				 .mtu = network_is_overlay(rec) ? OVERLAY_MTU : 0,
				 .mac = mac};
	/* A veth of this name is left by the container's last run (a veth set down when it
	 * ended, freed by the kernel with its namespace a few ms later: netns_release; still
	 * there when the start comes quickly, or when something keeps that namespace), or by a
	 * process killed between attach and the record write: remove it, or the attach would
	 * fail on it. */
	netns_detach(host_if, 1, NULL);
	if (netns_attach(&a, err) < 0)
		return -1;

	json_t *aliases = json_array();
	for (size_t i = 0; i < c->naliases; i++)
		json_array_append_new(aliases, json_string(c->aliases[i]));
	json_object_set_new(json_object_get(rec, "Containers"), c->container_id,
			    json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:[]}", "Name",
				      c->name ? c->name : "", "MacAddress", mac, "IPv4Address",
				      cidr, "Aliases", aliases, "Interface", inner, "HostInterface",
				      host_if, "Ports"));
	if (network_save(c->root, rec, err) < 0) {
		netns_detach(host_if, 1, NULL);
		return -1;
	}
	return 0;
}

/* names by DNS on a user network (dns.h): its responder runs while it has containers. Not
 * a failure of the connect when it can't (port 53 of the gateway taken): the names are still
 * in every container's hosts file. */
static void dns_up(const char *root, json_t *rec)
{
	struct mr_err why = {0};
	if (dns_start(root, rec, &why) < 0)
		mr_warn("network %s: no names by DNS: %s",
			json_string_value(json_object_get(rec, "Name")), why.msg);
}

int network_connect(const struct network_connect *c, char addr_out[INET_ADDRSTRLEN],
		    struct mr_err *err)
{
	_cleanup_close_ int nsfd = -1;
	int fd = c->netns_fd;
	if (fd < 0) {
		char pid[32];
		snprintf(pid, sizeof(pid), "%d", c->pid);
		if ((nsfd = nl_netns_open(pid, err)) < 0)
			return -1;
		fd = nsfd;
	}
	_cleanup_close_ int lock = network_lock(c->root, err);
	if (lock < 0)
		return -1;
	json_t *rec = network_load(c->root, c->network, err);
	if (!rec)
		return -1;
	const char *net = json_string_value(json_object_get(rec, "Name"));
	int r = -1, olock = -1;
	struct network_subnet sn;
	struct in_addr gw;
	char gwcidr[40], gws[INET_ADDRSTRLEN];
	network_subnet_of(rec, &sn, &gw);
	inet_ntop(AF_INET, &gw, gws, sizeof(gws));
	snprintf(gwcidr, sizeof(gwcidr), "%s/%d", gws, sn.prefix);

	if (json_object_get(json_object_get(rec, "Containers"), c->container_id))
		mr_failk(err, MR_E_CONFLICT, 0,
			 "endpoint with name %s already exists in network %s",
			 c->name && *c->name ? c->name : c->container_id, net);
	else if (c->naliases && network_is_default(rec))
		mr_fail(err, 0,
			"network-scoped alias is supported only for containers in user defined "
			"networks");
	else if (network_is_overlay(rec) &&
		 (overlay_lock(rec, &olock, err) < 0 || overlay_ensure(c->root, rec, err) < 0))
		mr_prefix(err, "network %s: ", net);
	else if (!network_is_overlay(rec) &&
		 netns_network_create(network_bridge_of(rec), gwcidr, !network_is_internal(rec),
				      err) < 0)
		mr_prefix(err, "network %s: ", net);
	else if (attach_locked(c, rec, fd, addr_out, err) == 0 &&
		 refresh_all(c->root, rec, c->container_id, NULL, err) == 0)
		/* an overlay: the other hosts learn of the newcomer (the lease is theirs to see
		 * before the lock across hosts goes) */
		r = network_is_overlay(rec) ? overlay_publish_locked(c->root, rec, err) : 0;
	if (olock >= 0)
		close(olock);
	/* a user network's DNS responder (dns.h); an overlay's bridge has no address to listen on */
	if (r == 0 && !network_is_default(rec) && !network_is_overlay(rec))
		dns_up(c->root, rec);
	if (r == 0)
		network_event(c->root, rec, "connect", c->container_id);
	json_decref(rec);
	return r;
}

/* NOW: delete the veth (netns_detach); else leave it to go with the namespace
 * (netns_release) */
static int disconnect(const char *root, const char *network, const char *container_id, bool now,
		      struct mr_err *err)
{
	_cleanup_close_ int lock = network_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *rec = network_load(root, network, err);
	if (!rec)
		return -1;
	json_t *eps = json_object_get(rec, "Containers");
	json_t *ep = json_object_get(eps, container_id);
	int r = -1;
	if (!ep)
		mr_fail(err, 0, "container %s is not connected to network %s", container_id,
			json_string_value(json_object_get(rec, "Name")));
	else if (network_ports_drop(ep, err) == 0 &&
		 (now ? netns_detach : netns_release)(
			 json_string_value(json_object_get(ep, "HostInterface")), 1, err) == 0) {
		/* the record last: until it is written, a retry finds what is left to undo */
		json_object_del(eps, container_id);
		if (network_save(root, rec, err) == 0 &&
		    refresh_all(root, rec, NULL, container_id, err) == 0)
			r = network_is_overlay(rec) ? overlay_publish(root, rec, err) : 0;
		/* the last one gone: so is the network's DNS responder (dns.h) */
		if (r == 0 && json_object_size(eps) == 0 && !network_is_default(rec) &&
		    !network_is_overlay(rec))
			r = dns_stop(root, json_string_value(json_object_get(rec, "Id")), err);
	}
	if (r == 0)
		network_event(root, rec, "disconnect", container_id);
	json_decref(rec);
	return r;
}

int network_disconnect(const char *root, const char *network, const char *container_id,
		       struct mr_err *err)
{
	return disconnect(root, network, container_id, true, err);
}

int network_disconnect_exited(const char *root, const char *network, const char *container_id,
			      struct mr_err *err)
{
	return disconnect(root, network, container_id, false, err);
}
