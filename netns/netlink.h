/*
 * netns/netlink.h - container networking over rtnetlink (libmnl): veth pairs, bridges,
 * addresses, routes, VXLAN, and the lists `ip link`, `ip addr`, `bridge fdb` print.
 *
 * A container's network is a handful of kernel objects wired together:
 *
 *	host netns                              container netns (pid 4242)
 *	  mrbr0 (bridge, 10.88.0.1/24)
 *	    `-- vmr4242 (veth) <=============> eth0 (veth, 10.88.0.2/24, default via 10.88.0.1)
 *
 * Every object is made by one rtnetlink message (RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE)
 * sent on a NETLINK_ROUTE socket. A netlink socket talks to the network namespace it was
 * created in, forever: so to configure the inside of a container we open a socket *in*
 * its namespace (nl_open_netns) instead of moving this process there and back for every
 * message.
 *
 * The files: nl.c (sockets, requests, the kernel's error text, parsing names and
 * addresses), link.c (links: veth, bridge, up/down, move, rename, list), addr.c (addresses,
 * routes, the bridge forwarding table), vxlan.c (VXLAN links), plug.c (the whole
 * sequences with rollback: a bridge network, a process plugged into it), ping.c (an ICMP
 * echo probe run inside a namespace).
 *
 * Errors: every function returns -1 (or NULL) and fills struct mr_err; when the kernel
 * explains a refusal (extended ack, NLMSGERR_ATTR_MSG) its text is appended:
 * "create veth 'a' peer 'b': File exists (kernel: ...)".
 *
 * See: rtnetlink(7), netlink(7), veth(4), ip-link(8), bridge(8), libmnl's examples/rtnl/.
 */
#ifndef MR_NETNS_NETLINK_H
#define MR_NETNS_NETLINK_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"

/* ---- sockets ---------------------------------------------------------------------------- */

/* A NETLINK_ROUTE socket bound to one network namespace. Opaque; one owner. */
struct nl;

/* Open a socket in the caller's network namespace. NULL with err filled on failure. */
struct nl *nl_open(struct mr_err *err);

/* Open a socket in the network namespace NETNS_FD refers to (/proc/PID/ns/net or a
 * /run/netns/NAME file): setns there, socket, setns back. The calling thread ends in its
 * own namespace again whatever happens. NULL with err filled on failure. */
struct nl *nl_open_netns(int netns_fd, struct mr_err *err);

/* Close and free (NULL is fine). */
void nl_close(struct nl *nl);
static inline void nl_closep(struct nl **nl)
{
	nl_close(*nl);
}
#define _cleanup_nl_ __attribute__((cleanup(nl_closep)))

/* Open a network namespace file: a PID ("4242"), a path ("/proc/4242/ns/net",
 * "/run/netns/c1") or a name under /run/netns ("c1"). Returns an O_RDONLY|O_CLOEXEC fd,
 * or -1 with err naming the input ("no such process 4242"). */
int nl_netns_open(const char *spec, struct mr_err *err);

/* ---- parsing (pure functions, no kernel) -------------------------------------------------- */

/* A valid interface name: 1..15 bytes (IFNAMSIZ-1), no '/', ':' or whitespace, not "." or
 * "..". 0, or -1 with err: "interface name 'x...' is 16 bytes; the kernel allows 15". */
int nl_check_ifname(const char *name, struct mr_err *err);

/* An IPv4 address with a prefix length, "10.88.0.2/24". */
struct nl_cidr {
	struct in_addr addr;
	int prefix; /* 0..32 */
};
/* Parse "A.B.C.D/N" (the prefix is required). -1 with err naming the input. */
int nl_parse_cidr(const char *s, struct nl_cidr *out, struct mr_err *err);
/* Parse a bare dotted IPv4 address. -1 with err naming the input. */
int nl_parse_ipv4(const char *s, struct in_addr *out, struct mr_err *err);
/* Parse "aa:bb:cc:dd:ee:ff". -1 with err naming the input. */
int nl_parse_mac(const char *s, unsigned char mac[6], struct mr_err *err);
/* The network of a CIDR, "10.88.0.2/24" -> "10.88.0.0/24", into buf (>= 19 bytes). */
char *nl_cidr_network(const struct nl_cidr *c, char *buf, size_t size);

/* ---- links (link.c) ------------------------------------------------------------------------ */

/* The ifindex of NAME in nl's namespace, or 0 when there is no such link. */
int nl_link_index(struct nl *nl, const char *name);

/* Create a veth pair NAME <-> PEER. With peer_netns_fd >= 0 the PEER end is created
 * directly in that namespace (one atomic message: nothing to roll back if it fails).
 * An existing name is an error (EEXIST). */
int nl_veth_add(struct nl *nl, const char *name, const char *peer, int peer_netns_fd,
		struct mr_err *err);

/* Create a bridge. Idempotent: an existing bridge of that name is fine; an existing link
 * of another kind is an error. */
int nl_bridge_add(struct nl *nl, const char *name, struct mr_err *err);

/* Delete a link (deleting one veth end deletes its peer too). With missing_ok, a link
 * that does not exist is not an error. */
int nl_link_del(struct nl *nl, const char *name, int missing_ok, struct mr_err *err);

/* Attach NAME to bridge MASTER as a port (MASTER NULL: detach). The bridge must exist. */
int nl_link_set_master(struct nl *nl, const char *name, const char *master, struct mr_err *err);

/* Move NAME into the network namespace NETNS_FD refers to (its name stays; its addresses
 * do not survive the move). */
int nl_link_set_netns(struct nl *nl, const char *name, int netns_fd, struct mr_err *err);

/* Rename NAME to NEWNAME. The kernel only renames a link that is down. */
int nl_link_rename(struct nl *nl, const char *name, const char *newname, struct mr_err *err);

/* Set NAME up (up != 0) or down. */
int nl_link_set_up(struct nl *nl, const char *name, int up, struct mr_err *err);
/* Set NAME's MTU. */
int nl_link_set_mtu(struct nl *nl, const char *name, unsigned mtu, struct mr_err *err);
/* Set NAME's MAC address, "aa:bb:cc:dd:ee:ff". */
int nl_link_set_mac(struct nl *nl, const char *name, const char *mac, struct mr_err *err);

/* One link as `ip -d link` shows it. */
struct nl_link {
	int index;
	char name[IFNAMSIZ];
	char kind[16]; /* "veth", "bridge", "vxlan", "" for a plain device */
	int master;    /* ifindex of the bridge this is a port of, 0 if none */
	int peer;      /* IFLA_LINK: a veth's peer ifindex (in peer_nsid's namespace) */
	int peer_nsid; /* IFLA_LINK_NETNSID: the peer's namespace id, -1 = same namespace */
	unsigned mtu;
	unsigned flags; /* IFF_UP, IFF_LOWER_UP ... */
	char mac[18];
};
/* List every link of nl's namespace into a new array (*out, caller frees), *n entries. */
int nl_links(struct nl *nl, struct nl_link **out, size_t *n, struct mr_err *err);

/* The id that nl's namespace gives the namespace NETNS_FD refers to (the nsid that
 * nl_link.peer_nsid uses), or -1 when it has none (no link crosses between them). */
int nl_netns_id(struct nl *nl, int netns_fd);

/* ---- addresses, routes, forwarding table (addr.c) ------------------------------------------ */

/* Add CIDR ("10.88.0.1/24") to DEV. Idempotent: the same address already there is fine. */
int nl_addr_add(struct nl *nl, const char *dev, const char *cidr, struct mr_err *err);
/* Remove CIDR from DEV; missing_ok as for nl_link_del. */
int nl_addr_del(struct nl *nl, const char *dev, const char *cidr, int missing_ok,
		struct mr_err *err);

struct nl_addr {
	int index;     /* the link's ifindex */
	char cidr[20]; /* "10.88.0.1/24" */
};
/* List every IPv4 address of nl's namespace (*out, caller frees). */
int nl_addrs(struct nl *nl, struct nl_addr **out, size_t *n, struct mr_err *err);

/* Add or replace a route to DST ("default" or a CIDR) via GW (NULL: none, on-link) out of
 * DEV (NULL: let the kernel pick by GW). Idempotent (NLM_F_REPLACE). */
int nl_route_add(struct nl *nl, const char *dst, const char *gw, const char *dev,
		 struct mr_err *err);
int nl_route_del(struct nl *nl, const char *dst, int missing_ok, struct mr_err *err);

struct nl_route {
	char dst[20]; /* "default" or "10.88.0.0/24" */
	char gw[16];  /* "" when on-link */
	int oif;
};
/* List the IPv4 routes of the main table (*out, caller frees). */
int nl_routes(struct nl *nl, struct nl_route **out, size_t *n, struct mr_err *err);

struct nl_fdb {
	char mac[18];
	int port;  /* ifindex of the bridge port the MAC was seen on */
	int local; /* 1 for the bridge's own addresses (permanent, "self") */
};
/* The forwarding database of bridge BRIDGE (*out, caller frees). */
int nl_fdb(struct nl *nl, const char *bridge, struct nl_fdb **out, size_t *n, struct mr_err *err);

/* ---- VXLAN (vxlan.c) ------------------------------------------------------------------------ */

struct nl_vxlan {
	const char *name;   /* "vxlan42" */
	unsigned vni;       /* 1..16777215: the overlay network's id */
	const char *local;  /* this host's underlay address, "172.30.0.1" */
	const char *remote; /* the other host's underlay address (unicast peer); NULL: none,
			     * the link's forwarding table says where (nl_vxlan_fdb_add) */
	const char *dev;    /* the underlay link, "uplink" (NULL: by route) */
	unsigned port;      /* UDP port, 0 = 4789 (IANA) */
	int proxy;          /* 1: answer ARP from the neighbour table, never flood it */
};
/* Create a VXLAN link. An existing name is an error. */
int nl_vxlan_add(struct nl *nl, const struct nl_vxlan *vx, struct mr_err *err);

/* The VXLAN link DEV's own forwarding table (`bridge fdb add MAC dev DEV dst DST self
 * permanent`): frames for MAC go in UDP to underlay address DST. MAC "00:00:00:00:00:00"
 * is the flood list, one entry per peer (appended); any other MAC has one destination
 * (replaced). Adding an entry that is there already is fine. */
int nl_vxlan_fdb_add(struct nl *nl, const char *dev, const char *mac, const char *dst,
		     struct mr_err *err);
/* Remove that entry; with missing_ok, an entry (or device) that is not there is fine. */
int nl_vxlan_fdb_del(struct nl *nl, const char *dev, const char *mac, const char *dst,
		     int missing_ok, struct mr_err *err);
struct nl_vxlan_fdb {
	char mac[18];
	char dst[INET_ADDRSTRLEN];
	int permanent; /* 1: put there (by us); 0: learned from arriving frames */
};
/* List DEV's entries that have a destination (*out, caller frees). */
int nl_vxlan_fdb(struct nl *nl, const char *dev, struct nl_vxlan_fdb **out, size_t *n,
		 struct mr_err *err);
/* The neighbour (ARP) entries a proxy VXLAN link answers from (`ip neigh add IP lladdr MAC
 * dev DEV nud permanent`): add or replace, delete (one that is not there is fine), list
 * (in struct nl_vxlan_fdb: mac, and the IP address in dst). */
int nl_vxlan_neigh_add(struct nl *nl, const char *dev, const char *ip, const char *mac,
		       struct mr_err *err);
int nl_vxlan_neigh_del(struct nl *nl, const char *dev, const char *ip, struct mr_err *err);
int nl_vxlan_neighs(struct nl *nl, const char *dev, struct nl_vxlan_fdb **out, size_t *n,
		    struct mr_err *err);

/* ---- the whole sequences (plug.c) --------------------------------------------------------- */

struct netns_attach {
	const char *bridge;   /* must exist */
	int netns_fd;         /* the container's network namespace */
	const char *host_if;  /* the host end, "vmr4242" */
	const char *inner_if; /* the container end, NULL = "eth0" */
	const char *cidr;     /* the container's address, "10.88.0.2/24" */
	const char *gateway;  /* default route via, NULL = none */
	unsigned mtu;         /* 0 = kernel default */
	const char *mac;      /* the inner end's MAC, "02:42:0a:58:00:02"; NULL = random */
};
/*
 * Give a network namespace an interface on a bridge: a veth pair whose inner end is born
 * inside the namespace under its final name, the host end a port of the bridge and up,
 * the inner end addressed and up, lo up, and a default route via the gateway.
 * All-or-nothing: on any failure the pair is deleted again (which deletes both ends) and
 * -1 returned with err naming the step.
 */
int netns_attach(const struct netns_attach *a, struct mr_err *err);
/* Undo netns_attach: delete the host end (the kernel deletes the inner end with it). */
int netns_detach(const char *host_if, int missing_ok, struct mr_err *err);
/* netns_release - undo netns_attach for a namespace that is going away (its processes are
 * gone or being killed): set the host end down and leave the pair to the kernel, which
 * deletes both ends when the namespace is freed, in the background. Why not delete it:
 * unregistering a network device waits for RCU grace periods, 15-50 ms measured here,
 * most of a container's exit; freeing the namespace pays them in a kernel worker. Down,
 * the end carries nothing meanwhile (nor ever, should something keep the namespace). */
int netns_release(const char *host_if, int missing_ok, struct mr_err *err);

/*
 * A bridge network, docker's `network create`: bridge NAME (made if missing) with CIDR as
 * its address (the containers' gateway), up; with nat, also NAT for it (netns/nat.h:
 * masquerade for CIDR's subnet, forwarding, isolation, published ports on loopback).
 * Idempotent. On failure only what this call made is undone: an existing bridge stays.
 */
int netns_network_create(const char *name, const char *cidr, int nat, struct mr_err *err);
/* Remove a bridge network: NAT elements for its addresses and for it, then the bridge
 * (its ports stay, unplugged). With missing_ok, no such bridge is not an error. */
int netns_network_remove(const char *name, int missing_ok, struct mr_err *err);

/* ---- a probe (ping.c)
 * ---------------------------------------------------------------------------- */

/* Send one ICMP echo to ADDR from inside the namespace NETNS_FD (-1: this one) and wait
 * up to TIMEOUT_MS for the reply. Returns the round trip in microseconds, or -1 with err
 * ("no reply from 10.77.0.3 within 2000 ms"). */
long netns_ping(int netns_fd, const char *addr, int timeout_ms, struct mr_err *err);

#endif
