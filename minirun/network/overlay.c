/*
 * minirun/network/overlay.c - docker's overlay driver, without swarm: one subnet stretched
 * over several hosts with VXLAN, the peers named by the user.
 *
 *	host A (underlay 172.30.0.1)                  host B (underlay 172.30.0.2)
 *	 c1 10.77.0.2 ==veth== mro<h> + mrx<h>         c2 10.77.0.3 ==veth== mro<h> + mrx<h>
 *	                         bridge   vxlan  <== UDP 4789, VNI 4242 ==>  bridge   vxlan
 *
 *	A$ minirun network create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.2 ov
 *	B$ minirun network create -d overlay --subnet 10.77.0.0/24 --opt peers=172.30.0.1 ov
 *
 * On each host the network is a bridge with a VXLAN link as one of its ports (netns/vxlan.c
 * tells how VXLAN carries Ethernet in UDP). The containers join the bridge as on any user
 * network, with MTU 1450 (docker's overlay MTU: the 50 bytes of VXLAN, UDP and IP headers
 * come out of the underlay's 1500). The VXLAN link has no single `remote`: its own
 * forwarding table says where frames go (what `bridge fdb show dev mrx...` prints):
 *
 *	00:00:00:00:00:00 dst 172.30.0.2   broadcasts (ARP) and unknown MACs: one copy to
 *	                                   each peer host, an entry each
 *	02:42:0a:4d:00:03 dst 172.30.0.2   c2 lives behind host B (with a peers directory)
 *
 * and, with a peers directory, its neighbour table (`ip neigh show dev mrx...`) answers the
 * containers' ARP requests for the other hosts' containers itself (the link's `proxy`
 * flag), as docker's overlay does: 10.77.0.3 lladdr 02:42:0a:4d:00:03 PERMANENT.
 *
 * Who the peers are is what docker swarm's gossip (memberlist, over TCP/UDP 7946) tells
 * every host's daemon: which hosts are in the network, which containers each one has,
 * their IP and MAC. minirun has no daemon and no gossip; the user names the peers:
 *
 *  --opt peers=IP,IP   a static list of the other hosts' underlay addresses (one list on
 *                      every host is fine: this host's own address is skipped). Each host
 *                      floods to the others and learns MACs from the frames that arrive.
 *                      Addresses: the hosts are sorted by underlay address and the subnet
 *                      is cut into as many equal slices (a power of two): host i leases
 *                      from slice i only, so no two hosts hand out the same address
 *                      without talking. Every host must list the same set of hosts.
 *                      Names: only this host's containers (no host knows the others').
 *  --opt peers-dir=PATH a directory every host can read and write (NFS, a shared disk; in
 *                      the tests and the lab, one directory both "hosts" see). Each host
 *                      keeps one file there, PATH/UNDERLAY.json: its underlay address, the
 *                      subnet and VNI, and its containers' names, addresses and MACs. The
 *                      other hosts read it to fill their flood list, their forwarding
 *                      entries and their containers' /etc/hosts. Addresses are leased under
 *                      PATH/.lock (flock) over the whole subnet, minus every host's leases.
 *                      A small watcher process per host and network (minirun-overlay,
 *                      started by create, stopped by rm) notices the other hosts' changes
 *                      (inotify, or a look every 2 s where inotify cannot see them, as on
 *                      NFS) and applies them: that is this driver's gossip. Until it has,
 *                      a newcomer on another host is not answered for (ARP, names).
 *                      Trust: whoever can write the directory is a member of the network
 *                      (as any swarm node is): its file decides where this host sends the
 *                      frames for the MACs it names. The lock must hold across hosts:
 *                      flock(2) does on a local disk and on NFSv4, not on NFSv3 with
 *                      local_lock.
 *  --opt local=IP      this host's underlay address (default: the source address of the
 *                      route to the first peer, as `ip route get PEER` shows it)
 *  --opt vni=N         the VXLAN network id, 1..16777215; the same on every host (default:
 *                      the one in the peers directory, else 4096 + a hash of the name)
 *
 * An overlay network is internal, as docker's is without its docker_gwbridge: the bridge has
 * no address, the containers no default route and no published ports; they reach each other.
 *
 * Files: ROOT/networks/NAME.json (the record; Options holds the choices above, docker's
 * com.docker.network.driver.overlay.vxlanid_list and the devices' names) and
 * ROOT/networks/NAME.overlay.pid (the watcher: "PID STARTTIME").
 *
 * The driver's files: this one (the choices, addresses, the links, create and rm),
 * overlay_peers.c (the shared directory, the VXLAN tables, names, inspect's Peers) and
 * overlay_watch.c (the watcher).
 *
 * See: netns/vxlan.c, bridge(8) "bridge fdb", RFC 7348,
 * https://docs.docker.com/engine/network/drivers/overlay/,
 * labs/04-networking/14-overlay-network.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/network/overlay.h"
#include "minirun/network/overlay_int.h"
#include "netns/netlink.h"

/* ---- the user's choices -------------------------------------------------------------------- */

/* Parse "a,b,c" into c->peers, refusing anything that is not an IPv4 address. */
int overlay_parse_peers(const char *text, struct choices *c, struct mr_err *err)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", text);
	for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		struct in_addr a;
		if (inet_pton(AF_INET, p, &a) != 1 || a.s_addr == 0 ||
		    (ntohl(a.s_addr) >> 28) >= 14)
			return mr_failk(err, MR_E_INVALID, 0,
					"--opt peers=%s: \"%s\" is not a host's IPv4 address "
					"(peers=172.30.0.2,172.30.0.3)",
					text, p);
		char norm[INET_ADDRSTRLEN];
		size_t k = 0;
		inet_ntop(AF_INET, &a, norm, sizeof(norm));
		while (k < c->npeers && strcmp(c->peers[k], norm))
			k++;
		if (k < c->npeers)
			continue; /* named twice */
		if (c->npeers == MAX_HOSTS)
			return mr_failk(err, MR_E_INVALID, 0, "--opt peers: at most %d hosts",
					MAX_HOSTS);
		snprintf(c->peers[c->npeers++], INET_ADDRSTRLEN, "%s", norm);
	}
	if (!c->npeers)
		return mr_failk(err, MR_E_INVALID, 0,
				"--opt peers=%s names no host: give peers=IP[,IP...]", text);
	return 0;
}

/* The --opt K=V of `network create -d overlay`, checked. */
static int parse_choices(const char *const *opts, size_t n, struct choices *c, struct mr_err *err)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(opts[i], '=');
		size_t klen = eq ? (size_t)(eq - opts[i]) : strlen(opts[i]);
		const char *v = eq ? eq + 1 : "";
		if (klen == 5 && !strncmp(opts[i], OPT_PEERS, 5)) {
			c->peers_text = v;
			if (overlay_parse_peers(v, c, err) < 0)
				return -1;
		} else if (klen == 9 && !strncmp(opts[i], OPT_DIR, 9)) {
			if (*v != '/')
				return mr_failk(err, MR_E_INVALID, 0,
						"--opt peers-dir=%s: give an absolute path", v);
			c->dir = v;
		} else if (klen == 5 && !strncmp(opts[i], OPT_LOCAL, 5)) {
			struct in_addr a;
			if (inet_pton(AF_INET, v, &a) != 1)
				return mr_failk(err, MR_E_INVALID, 0,
						"--opt local=%s: not an IPv4 address", v);
			c->local = v;
		} else if (klen == 3 && !strncmp(opts[i], "vni", 3)) {
			if (mr_parse_ll(v, 1, 0xffffff, &c->vni) < 0)
				return mr_failk(err, MR_E_INVALID, 0,
						"--opt vni=%s: a VXLAN id is a number from 1 to "
						"16777215",
						v);
		} else
			return mr_failk(err, MR_E_INVALID, 0,
					"--opt %s: the overlay driver knows peers=, peers-dir=, "
					"local= and vni=",
					opts[i]);
	}
	if (!c->npeers && !c->dir)
		return mr_failk(err, MR_E_INVALID, 0,
				"an overlay network needs its peers: --opt peers=IP,IP (the other "
				"hosts' underlay addresses) or --opt peers-dir=PATH (a directory "
				"every host shares)");
	return 0;
}

/* The source address the kernel would use towards PEER (`ip route get PEER`'s "src"): a
 * UDP socket connect()ed there, which sends nothing, then getsockname(). */
static int route_source(const char *peer, char out[INET_ADDRSTRLEN], struct mr_err *err)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(4789)};
	socklen_t len = sizeof(sa);
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	inet_pton(AF_INET, peer, &sa.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return mr_fail(err, errno,
			       "no route to peer %s from this host (give --opt local=IP, this "
			       "host's underlay address)",
			       peer);
	inet_ntop(AF_INET, &sa.sin_addr, out, INET_ADDRSTRLEN);
	return 0;
}

/* Is ADDR one of this host's addresses? bind(2) says so (EADDRNOTAVAIL if not). */
static int check_local(const char *addr, struct mr_err *err)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return mr_failk(err, MR_E_INVALID, errno,
				"--opt local=%s: not an address of this host", addr);
	return 0;
}
/* ---- addresses ----------------------------------------------------------------------------- */

static int by_addr(const void *a, const void *b)
{
	struct in_addr x, y;
	inet_pton(AF_INET, a, &x);
	inet_pton(AF_INET, b, &y);
	return ntohl(x.s_addr) < ntohl(y.s_addr) ? -1 : ntohl(x.s_addr) > ntohl(y.s_addr);
}

int overlay_slice(struct network_subnet *pool, const char *local, const char *peers,
		  struct mr_err *err)
{
	struct choices c = {0};
	if (overlay_parse_peers(peers, &c, err) < 0)
		return -1;
	size_t n = 0, me = 0;
	char hosts[MAX_HOSTS + 1][INET_ADDRSTRLEN];
	snprintf(hosts[n++], INET_ADDRSTRLEN, "%s", local);
	for (size_t i = 0; i < c.npeers; i++)
		if (strcmp(c.peers[i], local))
			snprintf(hosts[n++], INET_ADDRSTRLEN, "%s", c.peers[i]);
	qsort(hosts, n, INET_ADDRSTRLEN, by_addr);
	while (strcmp(hosts[me], local))
		me++;
	int bits = 0;
	while ((1u << bits) < n)
		bits++;
	if (pool->prefix + bits > 30)
		return mr_fail(err, 0,
			       "subnet /%d is too small to give each of %zu hosts a slice (use a "
			       "larger --subnet, or --opt peers-dir)",
			       pool->prefix, n);
	uint32_t size = 1u << (32 - pool->prefix - bits);
	pool->net.s_addr = htonl(ntohl(pool->net.s_addr) + (uint32_t)me * size);
	pool->prefix += bits;
	return 0;
}

int overlay_pool(json_t *rec, struct network_subnet *pool, struct in_addr *taken, size_t *n,
		 size_t max, struct mr_err *err)
{
	const char *dir = opt(rec, OPT_DIR), *peers = opt(rec, OPT_PEERS);
	if (!dir) {
		if (overlay_slice(pool, opt(rec, OPT_LOCAL), peers, err) < 0)
			return -1;
		char b[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &pool->net, b, sizeof(b));
		mr_say("overlay: this host leases from its slice %s/%d", b, pool->prefix);
		return 0;
	}
	json_t *files = overlay_peer_files(dir, opt(rec, OPT_LOCAL)), *f, *ep;
	size_t i;
	const char *id;
	json_array_foreach(files, i, f)
	{
		json_object_foreach(json_object_get(f, "Containers"), id, ep)
		{
			char ip[INET_ADDRSTRLEN];
			if (*n < max && overlay_endpoint_ip(ep, ip) &&
			    inet_pton(AF_INET, ip, &taken[*n]) == 1)
				(*n)++;
		}
	}
	mr_say("overlay: %zu host(s) in %s, %zu address(es) taken in all", json_array_size(files),
	       dir, *n);
	json_decref(files);
	return 0;
}

int overlay_check_address(json_t *rec, struct network_subnet subnet, const char *ip,
			  struct mr_err *err)
{
	struct in_addr taken[4096], a;
	size_t n = 0;
	struct network_subnet pool = subnet;
	if (overlay_pool(rec, &pool, taken, &n, 4096, err) < 0)
		return -1;
	inet_pton(AF_INET, ip, &a);
	uint32_t m = ~0u << (32 - pool.prefix);
	if ((ntohl(a.s_addr) & m) != (ntohl(pool.net.s_addr) & m)) {
		char b[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &pool.net, b, sizeof(b));
		return mr_failk(err, MR_E_INVALID, 0,
				"Invalid address %s: this host leases from its slice %s/%d of the "
				"overlay (static peers: each host has its own)",
				ip, b, pool.prefix);
	}
	for (size_t i = 0; i < n; i++)
		if (taken[i].s_addr == a.s_addr)
			return mr_failk(err, MR_E_CONFLICT, 0,
					"Address already in use (by a container on another host)");
	return 0;
}
/* ---- the kernel objects -------------------------------------------------------------------- */

/* The bridge and the VXLAN link on it, up, MTU 1450 (made if missing). */
static int make_links(json_t *rec, struct mr_err *err)
{
	const char *br = opt(rec, OPT_BRIDGE), *vx = opt(rec, OPT_VXLAN);
	_cleanup_nl_ struct nl *nl = nl_open(err);
	if (!nl)
		return -1;
	/* with a peers directory every remote container is known: answer ARP locally */
	struct nl_vxlan v = {.name = vx,
			     .vni = (unsigned)strtoul(opt(rec, OPT_VNI), NULL, 10),
			     .local = opt(rec, OPT_LOCAL),
			     .proxy = opt(rec, OPT_DIR) != NULL};
	mr_say("overlay %s: bridge %s, vxlan %s (VNI %u, local %s)",
	       json_string_value(json_object_get(rec, "Name")), br, vx, v.vni, v.local);
	/* The bridge first: the VXLAN link is a port of it. Why no address on the bridge: the
	 * gateway would be on every host at once, answering ARP from all of them. */
	if (nl_bridge_add(nl, br, err) < 0)
		return -1;
	if ((nl_link_index(nl, vx) == 0 && nl_vxlan_add(nl, &v, err) < 0) ||
	    nl_link_set_mtu(nl, vx, OVERLAY_MTU, err) < 0 ||
	    nl_link_set_master(nl, vx, br, err) < 0 || nl_link_set_up(nl, vx, 1, err) < 0 ||
	    nl_link_set_up(nl, br, 1, err) < 0)
		return -1;
	return overlay_sync_tables(rec, err);
}

static void drop_links(json_t *rec)
{
	_cleanup_nl_ struct nl *nl = nl_open(NULL);
	if (!nl)
		return;
	nl_link_del(nl, opt(rec, OPT_VXLAN), 1, NULL);
	nl_link_del(nl, opt(rec, OPT_BRIDGE), 1, NULL);
}
int overlay_ensure(const char *root, json_t *rec, struct mr_err *err)
{
	_cleanup_nl_ struct nl *nl = nl_open(err);
	if (!nl)
		return -1;
	/* after a reboot: the links, and the watcher, are made again */
	if ((!nl_link_index(nl, opt(rec, OPT_BRIDGE)) || !nl_link_index(nl, opt(rec, OPT_VXLAN))) &&
	    make_links(rec, err) < 0)
		return -1;
	if (opt(rec, OPT_DIR) &&
	    !overlay_watch_alive(root, json_string_value(json_object_get(rec, "Name"))))
		return overlay_watch_start(root, rec, err);
	return 0;
}

/* The devices' names: "mro" (the bridge) and "mrx" (the VXLAN link) + 12 hex of a hash of
 * the store's root and the network's name (15 bytes, IFNAMSIZ). Why not of the random ID,
 * as a bridge network's: a create killed after making them but before writing the record
 * leaves them with no record naming them; the next create of that name in that store finds
 * them by name and removes them, where the VNI they hold would have failed it. */
static void link_names(const char *root, const char *name, char br[IFNAMSIZ], char vx[IFNAMSIZ])
{
	uint64_t h = 1469598103934665603ull;
	for (const char *s = root; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h = (h ^ '/') * 1099511628211ull;
	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	snprintf(br, IFNAMSIZ, "mro%012llx", (unsigned long long)(h & 0xffffffffffffull));
	snprintf(vx, IFNAMSIZ, "mrx%012llx", (unsigned long long)(h & 0xffffffffffffull));
}

/* ---- create and remove --------------------------------------------------------------------- */

/* The VNI: the one given, else the one the directory's hosts use, else 4096 + a hash of the
 * name (docker starts its VNIs at 4096 too; the same name gives the same VNI everywhere). */
static unsigned pick_vni(const struct choices *c, json_t *files, const char *name)
{
	if (c->vni)
		return (unsigned)c->vni;
	const char *v = json_string_value(json_object_get(json_array_get(files, 0), "VNI"));
	if (v)
		return (unsigned)strtoul(v, NULL, 10);
	uint32_t h = 2166136261u;
	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return 4096 + h % (0xffffff - 4096);
}

/* No other overlay network of this store uses VNI V (the kernel allows one link per VNI
 * and port; said before it refuses, with what to do). Call with the networks lock held. */
static int vni_free(const char *root, unsigned v, struct mr_err *err)
{
	json_t *all = network_list(root, NULL), *rec;
	size_t i;
	int r = 0;
	json_array_foreach(all, i, rec)
	{
		const char *have = network_is_overlay(rec) ? opt(rec, OPT_VNI) : NULL;
		if (r == 0 && have && strtoul(have, NULL, 10) == v)
			r = mr_failk(err, MR_E_CONFLICT, 0,
				     "VXLAN id %u is used by overlay network %s on this host: give "
				     "another with --opt vni=N (the same on every host)",
				     v, json_string_value(json_object_get(rec, "Name")));
	}
	json_decref(all);
	return r;
}

/* The directory's hosts must agree with us on subnet and VNI. */
static int agree(json_t *files, const char *subnet, unsigned vni, const char *dir,
		 struct mr_err *err)
{
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
	{
		const char *s = json_string_value(json_object_get(f, "Subnet"));
		const char *v = json_string_value(json_object_get(f, "VNI"));
		if ((s && strcmp(s, subnet)) || (v && strtoul(v, NULL, 10) != vni))
			return mr_failk(err, MR_E_CONFLICT, 0,
					"--opt peers-dir=%s: host %s uses subnet %s and VNI %s; "
					"every host of an overlay network needs the same",
					dir, json_string_value(json_object_get(f, "Underlay")),
					s ? s : "?", v ? v : "?");
	}
	return 0;
}

int overlay_create(const char *root, const char *name, const char *subnet, const char *gateway,
		   const char *const *labels, size_t nlabels, const char *const *opts, size_t nopts,
		   char id_out[NETWORK_ID_LEN + 1], struct mr_err *err)
{
	struct choices c;
	char snet[32], sgw[32], local[INET_ADDRSTRLEN], br[IFNAMSIZ], vx[IFNAMSIZ], vni[16];
	if (network_check_name(name, err) < 0 || parse_choices(opts, nopts, &c, err) < 0)
		return -1;
	if (!subnet)
		return mr_failk(err, MR_E_INVALID, 0,
				"an overlay network needs --subnet CIDR: every host of %s must use "
				"the same one",
				name);
	_cleanup_close_ int lock = network_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *all = network_list(root, err), *rec;
	if (!all)
		return -1;
	size_t i;
	int r = 0;
	json_array_foreach(all, i, rec)
	{
		if (!strcmp(json_string_value(json_object_get(rec, "Name")), name))
			r = mr_failk(err, MR_E_CONFLICT, 0, "network with name %s already exists",
				     name);
	}
	if (r == 0)
		r = network_plan_subnet(all, subnet, gateway, snet, sgw, sizeof(snet), err);
	json_decref(all);
	if (r < 0)
		return -1;

	/* this host's underlay address */
	if (c.local) {
		if (check_local(c.local, err) < 0)
			return -1;
		snprintf(local, sizeof(local), "%s", c.local);
	} else if (c.npeers) {
		if (route_source(c.peers[0], local, err) < 0)
			return -1;
	} else
		return mr_failk(err, MR_E_INVALID, 0,
				"--opt peers-dir alone does not say which address is this host's: "
				"add --opt local=IP (its underlay address)");

	int dirlock = -1;
	json_t *files = NULL;
	if (c.dir) { /* the directory's lock until our file is there */
		if (mr_mkdir_p(c.dir, 0755, err) < 0)
			return -1;
		char lp[4200];
		snprintf(lp, sizeof(lp), "%s/.lock", c.dir);
		if ((dirlock = mr_lock_file(lp, err)) < 0)
			return -1;
		files = overlay_peer_files(c.dir, local);
	}
	unsigned v = pick_vni(&c, files, name);
	if ((c.dir && agree(files, snet, v, c.dir, err) < 0) || vni_free(root, v, err) < 0) {
		json_decref(files);
		if (dirlock >= 0)
			close(dirlock);
		return -1;
	}
	json_decref(files);

	network_random_id(id_out);
	link_names(root, name, br, vx);
	snprintf(vni, sizeof(vni), "%u", v);
	char created[64];
	network_now(created, sizeof(created));
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s, s:{}, s:[{s:s, s:s}]}, s:b, "
			"s:b, s:{}, s:{s:s, s:s, s:s, s:s, s:s}, s:{}}",
			"Name", name, "Id", id_out, "Created", created, "Scope", "global", "Driver",
			"overlay", "EnableIPv6", 0, "IPAM", "Driver", "default", "Options",
			"Config", "Subnet", snet, "Gateway", sgw, "Internal", 0, "Attachable", 1,
			"Containers", "Options", OPT_VNI, vni, OPT_MTU, "1450", OPT_BRIDGE, br,
			OPT_VXLAN, vx, OPT_LOCAL, local, "Labels");
	json_t *o = json_object_get(rec, "Options");
	if (c.peers_text)
		json_object_set_new(o, OPT_PEERS, json_string(c.peers_text));
	if (c.dir)
		json_object_set_new(o, OPT_DIR, json_string(c.dir));
	json_t *lab = json_object_get(rec, "Labels");
	for (size_t k = 0; k < nlabels; k++) {
		const char *eq = strchr(labels[k], '=');
		char key[256];
		snprintf(key, sizeof(key), "%.*s",
			 eq ? (int)(eq - labels[k]) : (int)strlen(labels[k]), labels[k]);
		json_object_set_new(lab, key, json_string(eq ? eq + 1 : ""));
	}

	/* Ordering: the links, this host's file, the record, then the watcher; each failure
	 * undoes what came before it. */
	char own[4200] = "";
	drop_links(rec); /* a create killed before its record was written left these */
	r = make_links(rec, err);
	if (r == 0 && c.dir) {
		overlay_own_file(rec, own, sizeof(own));
		r = overlay_publish_locked(root, rec, err);
	}
	if (r == 0)
		r = network_save(root, rec, err);
	if (dirlock >= 0)
		close(dirlock);
	if (r == 0 && c.dir && (r = overlay_watch_start(root, rec, err)) < 0) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/networks/%s.json", root, name);
		unlink(path);
	}
	if (r < 0) {
		mr_prefix(err, "create network %s: ", name);
		drop_links(rec);
		if (*own)
			unlink(own);
	}
	json_decref(rec);
	return r;
}

int overlay_remove(const char *root, json_t *rec, struct mr_err *err)
{
	const char *name = json_string_value(json_object_get(rec, "Name"));
	overlay_watch_stop(root, name);
	_cleanup_nl_ struct nl *nl = nl_open(err);
	if (!nl || nl_link_del(nl, opt(rec, OPT_VXLAN), 1, err) < 0 ||
	    nl_link_del(nl, opt(rec, OPT_BRIDGE), 1, err) < 0)
		return -1;
	if (opt(rec, OPT_DIR)) {
		int fd;
		char path[4200];
		if (overlay_lock(rec, &fd, err) < 0)
			return -1;
		overlay_own_file(rec, path, sizeof(path));
		mr_say("remove %s", path);
		int r = unlink(path) < 0 && errno != ENOENT
				? mr_fail(err, errno, "remove '%s'", path)
				: 0;
		close(fd);
		return r;
	}
	return 0;
}
