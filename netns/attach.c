/*
 * netns/attach.c - give a network namespace an interface on a bridge: the sequence every
 * container runtime runs for `--network bridge` (docker's libnetwork, the CNI bridge
 * plugin), with rollback.
 *
 *	1. veth pair: host end VMR, inner end born in the container's namespace as eth0
 *	2. host end becomes a port of the bridge, and goes up
 *	3. inside: eth0 gets its address and goes up, lo goes up
 *	4. inside: default route via the bridge's address (the gateway)
 *
 * See: veth(4), ip-link(8), https://www.cni.dev/plugins/current/main/bridge/.
 */
#include <errno.h>
#include <stdio.h>

#include "netns/netlink.h"

int netns_attach(const struct netns_attach *a, struct mr_err *err)
{
	const char *inner = a->inner_if ? a->inner_if : "eth0";
	struct nl_cidr c;
	struct in_addr gw;

	/* Check everything a user typed before the kernel sees any of it: nothing to undo. */
	if (nl_check_ifname(a->host_if, err) < 0 || nl_check_ifname(inner, err) < 0 ||
	    nl_check_ifname(a->bridge, err) < 0 || nl_parse_cidr(a->cidr, &c, err) < 0 ||
	    (a->gateway && nl_parse_ipv4(a->gateway, &gw, err) < 0))
		return -1;

	_cleanup_nl_ struct nl *host = nl_open(err);
	if (!host)
		return -1;
	_cleanup_nl_ struct nl *in = nl_open_netns(a->netns_fd, err);
	if (!in)
		return -1;
	if (nl_link_index(host, a->bridge) <= 0)
		return mr_fail(err, 0, "bridge '%s' does not exist; create it first "
				       "(netns/bridge %s CIDR)", a->bridge, a->bridge);
	if (nl_link_index(host, a->host_if) > 0)
		return mr_fail(err, EEXIST, "interface '%s' already exists here; pick another "
					    "name", a->host_if);
	if (nl_link_index(in, inner) > 0)
		return mr_fail(err, EEXIST, "interface '%s' already exists in the target "
					    "namespace", inner);

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
