/*
 * minirun/network/network.h - docker's networks for minirun: network records, address
 * leases, bridges, published ports and the /etc/hosts that gives names on a user network.
 *
 * A network is a record on disk, ROOT/networks/NAME.json (ROOT: --root, else $MINIRUN_ROOT,
 * else /var/lib/minirun), shaped like `docker network inspect` prints it, plus the kernel
 * objects netns/ makes for it (a bridge with the gateway address, masquerade and isolation
 * in the nftables table `ip minirun`):
 *
 *	ROOT/networks/.lock          flock(2)ed by every command that reads-modifies-writes
 *	ROOT/networks/bridge.json    the default network, made on first use: bridge mr0,
 *	                             10.88.0.0/16 (podman's default; docker's is 172.17.0.0/16)
 *	ROOT/networks/NET.json       a user-defined network: bridge "mr-" + 12 hex of its ID,
 *	                             its subnet given (--subnet) or the first free 10.89.N.0/24
 *	ROOT/containers/ID/hosts     a container's /etc/hosts, rewritten on every connect and
 *	                             disconnect of the networks it is on
 *
 * Leases: a container's address is its entry in the record's "Containers" map. One lock
 * file covers every network (subnets are allocated across networks), held for the whole
 * read-allocate-attach-write sequence, so two processes never hand out the same address.
 * Disconnect removes the entry: the address is free again.
 *
 * Name resolution: on a user-defined network, by DNS: a responder per network on its
 * gateway address (dns.h; docker's daemon answers at 127.0.0.11, README.md says why minirun
 * does not), and in each container's hosts file too: on a user-defined network it lists
 * every other container by name, aliases and short ID; on the default bridge only the
 * container itself (docker's default bridge does not resolve names either). The file is
 * rewritten IN PLACE (one write, then truncate), not renamed over: the runtime bind-mounts
 * it onto /etc/hosts, and a bind mount pins the inode, so a renamed-over file would never
 * be seen inside. Writers are serialised by the lock.
 *
 * Errors: functions return -1 and fill struct mr_err with docker's wording where docker
 * has one ("network with name x already exists"). See also: docs of netns/netlink.h and
 * netns/nat.h; https://docs.docker.com/engine/network/drivers/bridge/.
 */
#ifndef MR_NETWORK_H
#define MR_NETWORK_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/cmd.h"
#include "lib/err.h"

/* ---- the commands ------------------------------------------------------------------------ */

/* `minirun network VERB ...` (lib/cmd.h's rows; each returns 0, or 125 after printing one
 * line): create ls rm inspect connect disconnect publish unpublish hosts; ends with {NULL} */
extern const struct mr_command network_commands[];

/*
 * `network connect NETWORK CONTAINER` and `network disconnect` on a container of the store
 * are answered by the container front end, which also keeps the container's record
 * (minirun/containers/net.c). network/ sits below containers/ and does not include it: the
 * dispatcher (minirun/main.c) hands it those functions here. NULL (no store of containers):
 * only the `connect NETWORK ID PID|NETNS-PATH` form works.
 */
struct network_container_ops {
	int (*connect)(const char *root, const char *ref, const char *net,
		       const char *const *aliases, size_t naliases, struct mr_err *err);
	int (*disconnect)(const char *root, const char *ref, const char *net, struct mr_err *err);
	bool (*exists)(const char *root, const char *ref); /* REF names a container of ROOT */
};
extern const struct network_container_ops *network_containers;

/* The root the commands use: set from --root by the dispatcher (NULL: $MINIRUN_ROOT, else
 * /var/lib/minirun). network_root() returns the one in effect. */
extern const char *network_root_opt;
const char *network_root(void);

/* ---- names and numbers ------------------------------------------------------------------ */

#define NETWORK_DEFAULT        "bridge"
#define NETWORK_DEFAULT_BRIDGE "mr0"
#define NETWORK_DEFAULT_SUBNET "10.88.0.0/16"
#define NETWORK_USER_POOL      "10.89.0.0/16" /* user networks get the first free /24 of it */
#define NETWORK_ID_LEN         64

/* A network name as docker allows it: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 64 bytes; and
 * not "host" or "none" (pre-defined). 0, or -1 with err naming the input. */
int network_check_name(const char *name, struct mr_err *err);

/* network_parse_mac - the MAC address S as an interface may have it (run --mac-address):
 * six bytes written 02:42:ac:11:00:02, 02-42-AC-11-00-02 or 0242.ac11.0002 (Go's
 * net.ParseMAC's spellings), into OUT as six lowercase colon-separated pairs. Pure. -1 with
 * err in docker's words, "X is not a valid mac address", and the reason when the kernel
 * would refuse it: a multicast address (the first byte odd), or all zeros. */
int network_parse_mac(const char *s, char out[18], struct mr_err *err);

/* Do the two subnets share an address? (Pure.) */
int network_subnets_overlap(struct in_addr a, int alen, struct in_addr b, int blen);

/* The first /24 of NETWORK_USER_POOL that overlaps none of USED[0..n) (pure). 0 with *out
 * set, or -1 with err: "all 256 subnets of 10.89.0.0/16 are in use". */
struct network_subnet {
	struct in_addr net; /* the network address, host bits clear */
	int prefix;
};
int network_pick_subnet(const struct network_subnet *used, size_t n, struct network_subnet *out,
			struct mr_err *err);

/* The lowest address of SUBNET that is not its network or broadcast address, not GATEWAY and
 * not in TAKEN[0..n) (pure). 0 with *out, or -1 with err: "no free address in 10.89.0.0/24". */
int network_pick_address(struct network_subnet subnet, struct in_addr gateway,
			 const struct in_addr *taken, size_t n, struct in_addr *out,
			 struct mr_err *err);

/* ---- records (store.c) ---------------------------------------------------------------------- */

/* Take the networks lock (ROOT/networks/.lock, made with its directory if missing): returns
 * the locked fd to close when done, or -1 with err. Blocks while another process holds it. */
int network_lock(const char *root, struct mr_err *err);

/* network_event - append the network event ACTION (create, connect, disconnect, destroy)
 * of the network whose record is REC to ROOT's journal (minirun/events/events.h), with
 * docker's attributes: name, type (the driver), and container (CONTAINER_ID; NULL: none) */
void network_event(const char *root, json_t *rec, const char *action, const char *container_id);

/* Load the record of NAME (a name, or a unique prefix of an ID) into a new json object (the
 * caller json_decref()s it). The default network's record is made (file only) when asked
 * for and missing. -1 / NULL with err "network x not found". Call with the lock held. */
json_t *network_load(const char *root, const char *name, struct mr_err *err);
/* Write REC back atomically (ROOT/networks/NAME.json). Call with the lock held. */
int network_save(const char *root, json_t *rec, struct mr_err *err);
/* Every record, the default one first, the others by name (a new array; caller decrefs). */
json_t *network_list(const char *root, struct mr_err *err);

/* A record's parts, read back (pointers into REC). */
const char *network_bridge_of(json_t *rec);
int network_subnet_of(json_t *rec, struct network_subnet *out, struct in_addr *gateway);
int network_is_default(json_t *rec);

/* docker network create: validate, pick a subnet (SUBNET NULL) or check the one given against
 * every other record (overlap: "Pool overlaps with other one on this address space"), make
 * the bridge with the gateway address and NAT (netns_network_create), then write the record.
 * GATEWAY NULL: the subnet's first address. On failure nothing is left (no record, no bridge,
 * no nft element). LABELS ("K=V", NLABELS of them; NULL and 0 for none) go into the record's
 * Labels (compose's com.docker.compose.project/.network). The new ID goes to id_out. */
int network_create(const char *root, const char *name, const char *subnet, const char *gateway,
		   const char *const *labels, size_t nlabels, char id_out[NETWORK_ID_LEN + 1],
		   struct mr_err *err);
/* network_create with FLAGS: NETWORK_INTERNAL is docker's --internal, a network with no
 * way out: its bridge gets no NAT (no masquerade, no forwarding) and its containers no
 * default route, only their subnet; the record says "Internal": true. */
#define NETWORK_INTERNAL 1u
int network_create_flags(const char *root, const char *name, const char *subnet,
			 const char *gateway, const char *const *labels, size_t nlabels,
			 unsigned flags, char id_out[NETWORK_ID_LEN + 1], struct mr_err *err);
/* Is REC an --internal network? */
int network_is_internal(json_t *rec);
/* docker network rm: refused for the default network and while containers are connected
 * ("error while removing network: network x id ... has active endpoints"); else remove the
 * bridge and its NAT elements, then the record. */
int network_remove(const char *root, const char *name, struct mr_err *err);
/* docker network prune (prune.c): network_remove every network but the pre-defined ones
 * that no container is connected to and that passes F (--filter until=/label=,
 * lib/prune_filter.h; NULL: none). The removed names go to *removed (a new array). */
struct mr_prune_filter;
int network_prune(const char *root, const struct mr_prune_filter *f, json_t **removed,
		  struct mr_err *err);
/* `minirun network prune [-f] [--filter F]` (prune.c), a row of network_commands */
int network_cmd_prune(int argc, char **argv);

/* ---- containers on networks (connect.c) ----------------------------------------------------- */

struct network_connect {
	const char *root;
	const char *network;        /* name or ID; "bridge" = the default network */
	const char *container_id;   /* the container's full ID */
	const char *name;           /* its name (resolvable on user networks), may be NULL */
	const char *const *aliases; /* more names on this network (user networks only) */
	size_t naliases;
	int netns_fd; /* the container's network namespace, or -1 to open /proc/PID/ns/net */
	int pid;
	const char *ip; /* the address to lease (run --ip), NULL = the lowest free one */
	/* the interface's MAC (run --mac-address, as network_parse_mac gives it), NULL =
	 * docker's, 02:42 + the address's four bytes */
	const char *mac;
};
/*
 * network_check_address - may container CONTAINER_ID lease IP on the network of record
 * REC? 0, or -1 with docker's words: "Invalid address X: It does not belong to any of this
 * network's subnets" (or it is the subnet's network or broadcast address), "Address already
 * in use" (another container's lease, or the gateway's). Call with the lock held.
 */
int network_check_address(json_t *rec, const char *ip, const char *container_id,
			  struct mr_err *err);
/*
 * docker network connect: under the lock, lease the lowest free address of the network,
 * give the namespace an interface on the bridge (netns_attach: eth0, or ethN when it is on
 * other networks already; host end "mrv" + 12 hex of a hash of network and container IDs),
 * record the lease, and rewrite the hosts file of every container on the network. The
 * address ("10.89.0.2") goes to addr_out. All or nothing. A container already on the network
 * is refused ("endpoint with name c1 already exists in network n").
 */
int network_connect(const struct network_connect *c, char addr_out[INET_ADDRSTRLEN],
		    struct mr_err *err);
/* docker network disconnect: the exact reverse (published ports of this endpoint, the veth,
 * the lease), then the hosts files again. "container x is not connected to network n". */
int network_disconnect(const char *root, const char *network, const char *container_id,
		       struct mr_err *err);
/* network_disconnect_exited - the same for a container going down (its processes gone, or
 * about to be killed): its veth is set down and left to the kernel, which deletes it with
 * the container's network namespace (netns_release says why). */
int network_disconnect_exited(const char *root, const char *network, const char *container_id,
			      struct mr_err *err);

/* The host end of a container's veth on a network: "mrv" + 12 hex of a hash of the network's
 * ID and the container's, into out. Deterministic, so a veth left by a connect killed before
 * its record was written can still be found (and removed) by name. */
char *network_veth_name(const char *net_id, const char *container_id, char out[IFNAMSIZ]);

/* Where a container's hosts file lives: ROOT/containers/ID/hosts, into buf. */
char *network_hosts_path(const char *root, const char *container_id, char *buf, size_t size);
/* Rewrite that file from the records (see the top of this file). Call with the lock held. */
int network_hosts_refresh(const char *root, const char *container_id, struct mr_err *err);

/* One line of a hosts file: an address and its names. */
struct network_hosts_line {
	const char *addr;
	const char *names; /* "c1 web 3f4e5d6c7b8a" */
};
/* The text of a hosts file: the localhost lines, then LINES in order (pure; caller frees). */
char *network_hosts_format(const struct network_hosts_line *lines, size_t n);

/* ---- published ports (ports.c) ------------------------------------------------------------- */

struct network_port {
	char host_ip[INET_ADDRSTRLEN]; /* "" or "0.0.0.0" = every host address */
	unsigned host_port;            /* 0 = pick a free one (-P, or `-p 80`) */
	unsigned port;                 /* the container's port */
	char proto[4];                 /* "tcp" or "udp" */
};
/* Parse docker's -p: "[IP:][HOSTPORT:]PORT[/tcp|/udp]" ("8080:80", "127.0.0.1::53/udp",
 * "80"), and ranges, "[IP:][FIRST-LAST:]FIRST-LAST[/PROTO]" ("8000-8002:80-82", "80-82"),
 * appending one port each to *PORTS (realloc'ed; *N counts them). Pure. -1 with err in
 * docker's words ("Invalid containerPort: x", "Invalid hostPort: x", "invalid proto: sctp",
 * "invalid IP address: x", "invalid ranges specified for container and host Ports: 80 and
 * 8000-8002"); an IPv6 address is refused (minirun's networks are IPv4-only). */
int network_parse_ports(const char *spec, struct network_port **ports, size_t *n,
			struct mr_err *err);
/* The same for a spec of one port: a range is refused ("port ranges are not supported
 * here"). */
int network_parse_port(const char *spec, struct network_port *out, struct mr_err *err);
/* "0.0.0.0:8080->80/tcp", as `docker ps` shows a port. */
char *network_format_port(const struct network_port *p, char *buf, size_t size);

/*
 * docker run -p / -P: publish PORTS[0..n) to the container's address on the first network
 * it is connected to, recording each in that endpoint ("Ports"), so any later process
 * unpublishes exactly. A port with a host_ip answers only on that host address ("" and
 * "0.0.0.0": on every one). A host port 0 gets the first free one from 32768 (written back
 * into ports[i]). All or nothing, one nft transaction. A host port already published (by
 * anyone, on that address or on every one) or bound on the host: "Bind for 0.0.0.0:8080
 * failed: port is already allocated"; a host_ip the host does not have: "... bind: cannot
 * assign requested address".
 */
int network_publish(const char *root, const char *container_id, struct network_port *ports,
		    size_t n, struct mr_err *err);
/* Remove every port the container published (on all its networks). Not connected: 0. */
int network_unpublish(const char *root, const char *container_id, struct mr_err *err);

/* internal to the library: the nft side of one endpoint's recorded ports. Lock held. */
int network_ports_drop(json_t *endpoint, struct mr_err *err);

#endif
