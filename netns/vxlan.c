/*
 * netns/vxlan.c - a VXLAN link: the tunnel behind overlay networks (docker swarm's and
 * flannel's "vxlan" backends, Kubernetes CNIs).
 *
 * A VXLAN link is an Ethernet device whose frames travel inside UDP datagrams (port 4789)
 * between two hosts' underlay addresses. Attach it to a bridge on each host and the two
 * bridges become one Ethernet segment: containers on host A and host B share a subnet.
 *
 *	host A: c1 --veth-- br0 -- vxlan42 (172.30.0.1)
 *	                              ||  Ethernet frames inside UDP 4789, both ways
 *	host B: c2 --veth-- br0 -- vxlan42 (172.30.0.2)
 *
 * The VNI (VXLAN network id, 24 bits) tells overlays apart on the same underlay. With a
 * unicast `remote`, every frame the bridge floods goes to that one peer; real overlays
 * use a multicast group or program the forwarding table per peer instead.
 *
 * See: ip-link(8) "VXLAN Type Support", RFC 7348, Documentation/networking/vxlan.rst.
 */
#include "netns/nl_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>

int nl_vxlan_add(struct nl *nl, const struct nl_vxlan *vx, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct in_addr local, remote;
	int dev = 0;

	if (nl_check_ifname(vx->name, err) < 0)
		return -1;
	if (vx->vni < 1 || vx->vni > 0xffffff)
		return mr_fail(err, 0, "VXLAN id %u is out of range: use 1..16777215", vx->vni);
	if ((vx->local && nl_parse_ipv4(vx->local, &local, err) < 0) ||
	    nl_parse_ipv4(vx->remote, &remote, err) < 0)
		return -1;
	if (vx->dev && (dev = nl_need_index(nl, vx->dev, err)) < 0)
		return -1;
	unsigned port = vx->port ? vx->port : 4789;

	mr_say("RTM_NEWLINK vxlan '%s' id %u remote %s%s%s dstport %u", vx->name, vx->vni,
	       vx->remote, vx->dev ? " dev " : "", vx->dev ? vx->dev : "", port);
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, vx->name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, vx->vni);
	/* For a unicast peer the kernel takes the remote address in the GROUP attribute. */
	mnl_attr_put(nlh, IFLA_VXLAN_GROUP, sizeof(remote), &remote);
	if (vx->local)
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL, sizeof(local), &local);
	if (dev)
		mnl_attr_put_u32(nlh, IFLA_VXLAN_LINK, (uint32_t)dev);
	/* The one attribute in network byte order: it goes on the wire as is. */
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons((uint16_t)port));
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_do(nl, nlh, err, "create vxlan '%s' id %u", vx->name, vx->vni);
}
