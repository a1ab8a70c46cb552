/*
 * netns/plug.c - plug a network namespace into a bridge network: the two sequences a
 * container runtime runs for `--network`: create a bridge network (bridge, gateway address,
 * NAT), and give a network namespace an interface on it (docker's libnetwork, the CNI
 * bridge plugin), each all-or-nothing. (minirun/containers/attach.c is another thing: a
 * terminal attached to a running container.)
 *
 * Plugging a namespace in:
 *	1. veth pair: host end VMR, inner end born in the container's namespace as eth0
 *	2. host end becomes a port of the bridge, and goes up
 *	3. inside: eth0 gets its address and goes up, lo goes up
 *	4. inside: default route via the bridge's address (the gateway)
 *
 * See: veth(4), ip-link(8), https://www.cni.dev/plugins/current/main/bridge/.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "netns/nat.h"
#include "netns/netlink.h"

int netns_attach(const struct netns_attach *a, struct mr_err *err)
{
	const char *inner = a->inner_if ? a->inner_if : "eth0";
	struct nl_cidr c;
	struct in_addr gw;
	unsigned char mac[6];

	/* Check everything a user typed before the kernel sees any of it: nothing to undo. */
	if (nl_check_ifname(a->host_if, err) < 0 || nl_check_ifname(inner, err) < 0 ||
	    nl_check_ifname(a->bridge, err) < 0 || nl_parse_cidr(a->cidr, &c, err) < 0 ||
	    (a->mac && nl_parse_mac(a->mac, mac, err) < 0) ||
	    (a->gateway && nl_parse_ipv4(a->gateway, &gw, err) < 0))
		return -1;

	_cleanup_nl_ struct nl *host = nl_open(err);
	if (!host)
		return -1;
	_cleanup_nl_ struct nl *in = nl_open_netns(a->netns_fd, err);
	if (!in)
		return -1;
	if (nl_link_index(host, a->bridge) <= 0)
		return mr_fail(err, 0,
			       "bridge '%s' does not exist; create it first "
			       "(netns/bridge %s CIDR)",
			       a->bridge, a->bridge);
	if (nl_link_index(host, a->host_if) > 0)
		return mr_fail(err, EEXIST,
			       "interface '%s' already exists here; pick another "
			       "name",
			       a->host_if);
	if (nl_link_index(in, inner) > 0)
		return mr_fail(err, EEXIST,
			       "interface '%s' already exists in the target "
			       "namespace",
			       inner);

	/* Why the inner end is born inside: created here and moved, it would exist for a
	 * moment under a temporary name in the host namespace, where it could collide with
	 * another container's; created inside under its final name it never does, and a
	 * failure leaves nothing behind. (netns/veth shows the create-move-rename way.) */
	if (nl_veth_add(host, a->host_if, inner, a->netns_fd, err) < 0)
		return -1;

	/* From here on the pair exists: any failure deletes it (both ends go together). */
	if (nl_link_set_master(host, a->host_if, a->bridge, err) < 0 ||
	    (a->mtu && nl_link_set_mtu(host, a->host_if, a->mtu, err) < 0) ||
	    nl_link_set_up(host, a->host_if, 1, err) < 0 ||
	    (a->mtu && nl_link_set_mtu(in, inner, a->mtu, err) < 0) ||
	    (a->mac && nl_link_set_mac(in, inner, a->mac, err) < 0) ||
	    nl_addr_add(in, inner, a->cidr, err) < 0 || nl_link_set_up(in, inner, 1, err) < 0 ||
	    nl_link_set_up(in, "lo", 1, err) < 0 ||
	    /* The default route needs its gateway on-link, i.e. eth0 up with its address:
	     * that is why it comes last. */
	    (a->gateway && nl_route_add(in, "default", a->gateway, inner, err) < 0)) {
		int e = errno;
		mr_say("rolling back: deleting veth '%s'", a->host_if);
		nl_link_del(host, a->host_if, 1, NULL);
		errno = e;
		return -1;
	}
	return 0;
}

int netns_detach(const char *host_if, int missing_ok, struct mr_err *err)
{
	_cleanup_nl_ struct nl *host = nl_open(err);
	if (!host)
		return -1;
	return nl_link_del(host, host_if, missing_ok, err);
}

int netns_release(const char *host_if, int missing_ok, struct mr_err *err)
{
	_cleanup_nl_ struct nl *host = nl_open(err);
	if (!host)
		return -1;
	if (nl_link_index(host, host_if) <= 0)
		return missing_ok ? 0 : mr_fail(err, ENODEV, "release link '%s'", host_if);
	mr_say("veth '%s' set down, left to go with its namespace", host_if);
	/* Why a link found a moment ago may be missing now: the namespace of its inner end is
	 * being freed (the container's init killed just before, by `rm -f`), and the kernel's
	 * worker deletes both ends at any point between our lookup and the set-down. Gone is
	 * what the caller wanted: with missing_ok, success. Failed, the disconnect that called
	 * this would keep the container's lease in the network's record for good. */
	if (nl_link_set_up(host, host_if, 0, err) == 0)
		return 0;
	return missing_ok && (errno == ENODEV || nl_link_index(host, host_if) <= 0) ? 0 : -1;
}

/* Whether an existing bridge NAME has its NAT: nat_bridge_add's last step sets the
 * bridge's route_localnet, netns_network_create adds the masquerade before it, and
 * netns_network_remove clears it first; so a 1 there means both were done, and the table
 * still being there (a `nft flush ruleset`, as nftables.service does on restart, would
 * have taken it) that they still are. Why look: every container's connect comes here, and
 * each nftables command would load libnftables and read the table first (~1 ms apiece,
 * four of them), for elements that are there already. */
static bool nat_ready(const char *name)
{
	char path[128];
	_cleanup_free_ char *v = NULL;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/route_localnet", name);
	return mr_read_file(path, &v, NULL, NULL) == 0 && v[0] == '1' && nat_table_present() == 1;
}

int netns_network_create(const char *name, const char *cidr, int nat, struct mr_err *err)
{
	struct nl_cidr c;
	int made, nat_made = 0;

	if (nl_check_ifname(name, err) < 0 || (cidr && nl_parse_cidr(cidr, &c, err) < 0))
		return -1;
	if (nat && !cidr)
		return mr_fail(err, 0, "NAT for bridge '%s' needs its address (CIDR)", name);
	_cleanup_nl_ struct nl *nl = nl_open(err);
	if (!nl)
		return -1;
	made = nl_link_index(nl, name) <= 0;
	if (nl_bridge_add(nl, name, err) < 0)
		return -1;
	/* The bridge needs its address before NAT: nat_masquerade_add takes the subnet, and
	 * route_localnet is a setting of the existing link. */
	/* A MAC of its own, set before the first port joins: a bridge left to choose takes the
	 * lowest MAC of its ports and changes it when that port leaves, and its containers keep
	 * sending to the old one (their ARP entry for the gateway) until it goes stale - seconds
	 * in which nothing reaches the gateway (the DNS responder on it, NAT). 02:42 then the
	 * gateway's four bytes, as the containers' MACs are made from theirs (docker sets a
	 * random one). */
	char mac[18];
	const unsigned char *b = (const unsigned char *)&c.addr.s_addr;
	if (cidr)
		snprintf(mac, sizeof(mac), "02:42:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3]);
	if ((cidr && made && nl_link_set_mac(nl, name, mac, err) < 0) ||
	    (cidr && nl_addr_add(nl, name, cidr, err) < 0) || nl_link_set_up(nl, name, 1, err) < 0)
		goto undo;
	/* Docker's FORWARD policy drop (netns/docker_user.c) is looked at on every call, the
	 * fast one too: dockerd may have started since the bridge was made. */
	enum nat_reach reach = nat ? NAT_REACH_ALL : NAT_REACH_BRIDGE;
	if (nat && !made && nat_ready(name)) {
		mr_say("NAT for bridge '%s' is set up already (route_localnet is 1)", name);
		return nat_docker_user_add(name, reach, err) < 0 ? -1 : 0;
	}
	if (nat) {
		if (nat_masquerade_add(cidr, err) < 0)
			goto undo;
		nat_made = 1;
		if (nat_bridge_add(name, err) < 0)
			goto undo;
	}
	if (nat_docker_user_add(name, reach, err) < 0)
		goto undo;
	return 0;
undo:;
	int e = errno;
	if (made)
		nat_docker_user_del(name, NULL);
	if (nat_made && made)
		nat_masquerade_del(cidr, 1, NULL);
	if (made)
		nl_link_del(nl, name, 1, NULL);
	errno = e;
	return -1;
}

int netns_network_remove(const char *name, int missing_ok, struct mr_err *err)
{
	struct nl_addr *addrs = NULL;
	size_t n = 0;

	if (nl_check_ifname(name, err) < 0)
		return -1;
	/* docker's DOCKER-USER rules first, and whether the bridge is there or not: they are
	 * found by their comment, and a remove killed after the link went still has them */
	if (nat_docker_user_del(name, err) < 0)
		return -1;
	_cleanup_nl_ struct nl *nl = nl_open(err);
	if (!nl)
		return -1;
	int idx = nl_link_index(nl, name);
	if (idx <= 0)
		return missing_ok ? 0 : mr_fail(err, 0, "bridge '%s' does not exist", name);
	/* route_localnet back to 0 first: it is nat_ready's mark of a bridge whose NAT is
	 * done, and a remove killed half-way must not leave the mark without the NAT */
	char rl[128];
	snprintf(rl, sizeof(rl), "/proc/sys/net/ipv4/conf/%s/route_localnet", name);
	if (access(rl, F_OK) == 0 && mr_write_file(rl, "0", err) < 0)
		return -1;
	/* NAT first: the masquerade elements are found through the bridge's addresses. */
	if (nl_addrs(nl, &addrs, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (addrs[i].index == idx && nat_masquerade_del(addrs[i].cidr, 1, err) < 0) {
			free(addrs);
			return -1;
		}
	free(addrs);
	if (nat_bridge_del(name, 1, err) < 0)
		return -1;
	return nl_link_del(nl, name, missing_ok, err);
}
