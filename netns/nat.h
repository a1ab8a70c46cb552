/*
 * netns/nat.h - NAT, published ports and isolation between bridges, through nftables
 * (libnftables): what docker's iptables rules do, in one table the project owns.
 *
 * Everything lives in one table, `ip minirun`, whose rules never change once made; what
 * changes is the contents of its sets and maps. So nothing has to be remembered between
 * processes: a later process removes exactly what an earlier one added by deleting the
 * set element it added, keyed by what the user typed (the port, the subnet, the bridge).
 *
 *	table ip minirun {
 *		map published { type ipv4_addr . inet_proto . inet_service  # host side
 *			: ipv4_addr . inet_service; flags interval }      # -> container
 *		set masq      { type ipv4_addr; flags interval }   # subnets that masquerade
 *		set bridges   { type ifname }                      # our bridges
 *		set same      { type ifname . ifname }             # (br, br): same-bridge pairs
 *		chain nat_pre  { prerouting, dstnat:
 *			meta l4proto { tcp, udp } fib daddr type local
 *				dnat ip to ip daddr . meta l4proto . th dport map @published }
 *		chain nat_out  { output, -100: the same rule, for the host's own connections }
 *		chain nat_post { postrouting, srcnat:
 *			ip saddr @masq ip daddr != @masq masquerade
 *			ip saddr 127.0.0.0/8 oifname != "lo" masquerade
 *			ct status dnat ip saddr @masq ip daddr @masq masquerade }   # hairpin
 *		chain filter_fwd { forward, filter:
 *			ct state established,related accept
 *			iifname . oifname @same accept
 *			iifname @bridges oifname @bridges drop
 *			iifname @bridges accept
 *			oifname @bridges ct status dnat accept }
 *	}
 *
 * A port published on every host address is the element `0.0.0.0/0 . tcp . 8080`: the map
 * holds intervals, so that one element matches any destination address (the `fib` match
 * keeps it to the host's own). A port published on one address (docker's `-p
 * 127.0.0.1:8080:80`) is `127.0.0.1 . tcp . 8080`, and a packet for another host address
 * finds no element: nothing rewrites it, and the host itself answers "connection refused".
 * The two never overlap: the same port on every address and on one address is a clash,
 * refused here. (The kernel refuses only one order, a single address after the wildcard
 * that covers it; the wildcard after a single address it would take, and match either.)
 *
 * On a host that runs docker, docker's own forward chain (policy drop) must accept our
 * bridges too: netns/docker_user.c puts them in its DOCKER-USER chain (below).
 *
 * When the last element is removed the table is deleted, so a torn-down host shows no
 * rule of ours. A table made by an older minirun (its map keyed by protocol and port only)
 * is converted in one transaction, its ports kept as published on every address.
 * Functions act on the network namespace of the calling process.
 *
 * See: nft(8), https://wiki.nftables.org (NAT, sets, maps), ip-sysctl.rst (ip_forward,
 * route_localnet), libnftables(3).
 */
#ifndef MR_NETNS_NAT_H
#define MR_NETNS_NAT_H

#include <stddef.h>

#include "lib/err.h"

#define NAT_TABLE "minirun"

/* A published port: HOSTADDR:HOSTPORT (every host address when HOSTADDR is "") -> ADDR:PORT,
 * tcp or udp. */
struct nat_port {
	char proto[4]; /* "tcp" or "udp" */
	unsigned host_port;
	char addr[16]; /* the container's IPv4 address */
	unsigned port;
	char host_addr[16]; /* "" = every host address, else the one it answers on */
};

/* Parse "[HOSTADDR:]HOSTPORT:IP:PORT[/tcp|/udp]" (default tcp, every host address),
 * "8080:10.88.0.2:80/tcp", "127.0.0.1:8080:10.88.0.2:80". HOSTADDR 0.0.0.0 means every
 * address (stored as ""). -1 with err naming the input and what is wrong. Pure: no kernel. */
int nat_parse_port(const char *spec, struct nat_port *out, struct mr_err *err);
/* Format a port back to "8080:10.88.0.2:80/tcp" (or "127.0.0.1:8080:10.88.0.2:80/tcp")
 * into buf. Returns buf. */
char *nat_format_port(const struct nat_port *p, char *buf, size_t size);
/* "8080/tcp" or "127.0.0.1:8080/tcp": the host side alone, as `netns/publish -d` takes it. */
char *nat_format_key(const struct nat_port *p, char *buf, size_t size);

/* Parse the ports out of nft's listing of the map, "elements = { 0.0.0.0/0 . tcp . 8080 :
 * 10.88.0.2 . 80, 127.0.0.1 . tcp . 8081 : ... }" (the protocol by name, or by number where
 * /etc/protocols is missing; an older table's "tcp . 8080 : ..." too) into a new array (*out,
 * caller frees; NULL and *n = 0 when there are none). -1 on ENOMEM. Pure. */
int nat_parse_elements(const char *text, struct nat_port **out, size_t *n);
/* Do A and B claim the same host port: same protocol and port, and the same host address
 * or either on every address? Pure. */
int nat_port_clash(const struct nat_port *a, const struct nat_port *b);

/* Create the table, its sets and chains if missing (idempotent). Called by every adding
 * function below; exported for tools that want the skeleton alone. */
int nat_init(struct mr_err *err);

/* Publish P. Idempotent: the same mapping again is fine. The host port already published
 * to another target (or on every address when P names one, and the reverse) is an error
 * (EEXIST) naming that target. Turns ip_forward on. */
int nat_publish(const struct nat_port *p, struct mr_err *err);
/* Publish P[0..n) in one transaction: all or nothing, each checked as nat_publish does (a
 * clash inside P too). */
int nat_publish_many(const struct nat_port *p, size_t n, struct mr_err *err);
/* Remove the published HOSTADDR:HOSTPORT/PROTO (HOSTADDR "" or NULL: the one published on
 * every address). With missing_ok, not published is not an error. */
int nat_unpublish(const char *host_addr, const char *proto, unsigned host_port, int missing_ok,
		  struct mr_err *err);
/* Remove the host sides of P[0..n) (those not published are skipped), in one transaction
 * when all are there. */
int nat_unpublish_many(const struct nat_port *p, size_t n, struct mr_err *err);
/* List the published ports (*out, caller frees; *n = 0 when there is no table). */
int nat_published(struct nat_port **out, size_t *n, struct mr_err *err);

/* Masquerade traffic from CIDR leaving for anywhere but our subnets (docker's
 * "-s SUBNET ! -o BRIDGE -j MASQUERADE"). Idempotent. Turns ip_forward on. */
int nat_masquerade_add(const char *cidr, struct mr_err *err);
int nat_masquerade_del(const char *cidr, int missing_ok, struct mr_err *err);

/* Register bridge NAME: forwarding to and from the uplink allowed, traffic to our other
 * bridges dropped (isolation), and route_localnet set on it so ports published to its
 * containers answer on 127.0.0.1 too. Idempotent. Turns ip_forward on. */
int nat_bridge_add(const char *name, struct mr_err *err);
int nat_bridge_del(const char *name, int missing_ok, struct mr_err *err);

/* Delete the table if no set or map of it holds an element any more (called by every
 * removing function). force != 0 deletes it whatever it holds. */
int nat_prune(int force, struct mr_err *err);

/* The table as `nft list table ip minirun` prints it, in a new string (caller frees), or
 * NULL with *out untouched and 0 returned when there is no table. */
int nat_show(char **out, struct mr_err *err);

/* Turn on /proc/sys/net/ipv4/ip_forward in the caller's namespace if it is off.
 * Returns 1 if it was turned on now, 0 if it already was, -1 on error. */
int nat_enable_forwarding(struct mr_err *err);

/* nat_table_present - 1 if the table `ip minirun` exists in this network namespace, 0 if
 * not, -1 when nf_tables can't be asked. One NFT_MSG_GETTABLE through libmnl: no
 * libnftables, no listing, for a caller that only wants to know whether to set NAT up. */
int nat_table_present(void);

/* ---- beside docker (netns/docker_user.c) ------------------------------------------------- */

/* What a bridge's containers must reach through docker's FORWARD chain: everything (a
 * network with NAT: out, in through published ports, each other), or only each other (an
 * --internal network). */
enum nat_reach { NAT_REACH_ALL, NAT_REACH_BRIDGE };

/* On a host where docker's chains are (table ip filter, chain DOCKER-USER; docker's FORWARD
 * policy drop would drop our bridges' traffic), insert the rules that accept bridge BRIDGE
 * there, commented "minirun BRIDGE", unless they are there already. No DOCKER-USER chain:
 * nothing to do (-v says when a FORWARD policy drop will still drop). 1 when rules were
 * added, 0 when none were needed, -1 with err. */
int nat_docker_user_add(const char *bridge, enum nat_reach reach, struct mr_err *err);
/* Remove BRIDGE's rules from DOCKER-USER (none, or no chain: 0). */
int nat_docker_user_del(const char *bridge, struct mr_err *err);

#endif
