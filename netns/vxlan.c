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
 * use a multicast group or program the forwarding table per peer instead: a link made
 * without `remote` sends nothing until its own forwarding table (the "self" entries that
 * `bridge fdb show dev vxlan42` lists with "dst") says where a MAC lives:
 *
 *	00:00:00:00:00:00 dst 172.30.0.2   flood (broadcast, ARP, unknown MACs) to host B ...
 *	00:00:00:00:00:00 dst 172.30.0.3   ... and to host C: one copy each ("head-end
 *	                                   replication"), the all-zero MAC's entries append
 *	02:42:0a:4d:00:03 dst 172.30.0.2   this container lives behind host B
 *
 * That table is what docker's overlay driver fills from what swarm's gossip tells it
 * (minirun/network/overlay.c fills it from a static peer list or a shared directory).
 * Docker also sets the link's `proxy` flag and gives it a neighbour (ARP) entry per remote
 * container, 10.77.0.3 -> 02:42:0a:4d:00:03: the link answers a container's ARP request
 * itself, and no broadcast crosses the underlay for it.
 *
 * See: ip-link(8) "VXLAN Type Support", RFC 7348, Documentation/networking/vxlan.rst.
 */
#include "netns/nl_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	    (vx->remote && nl_parse_ipv4(vx->remote, &remote, err) < 0))
		return -1;
	if (vx->dev && (dev = nl_need_index(nl, vx->dev, err)) < 0)
		return -1;
	unsigned port = vx->port ? vx->port : 4789;

	/* no remote: the forwarding table says where (nl_vxlan_fdb_add) */
	const char *remote_shown = vx->remote ? vx->remote : "(by forwarding table)";
	mr_say("RTM_NEWLINK vxlan '%s' id %u remote %s%s%s dstport %u", vx->name, vx->vni,
	       remote_shown, vx->dev ? " dev " : "", vx->dev ? vx->dev : "", port);
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, vx->name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, vx->vni);
	/* For a unicast peer the kernel takes the remote address in the GROUP attribute. */
	if (vx->remote)
		mnl_attr_put(nlh, IFLA_VXLAN_GROUP, sizeof(remote), &remote);
	if (vx->local)
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL, sizeof(local), &local);
	if (dev)
		mnl_attr_put_u32(nlh, IFLA_VXLAN_LINK, (uint32_t)dev);
	/* proxy: ARP requests from the bridge are answered by the link itself, from its
	 * neighbour table (nl_vxlan_neigh_add), and never sent across (`ip link ... proxy`) */
	if (vx->proxy)
		mnl_attr_put_u8(nlh, IFLA_VXLAN_PROXY, 1);
	/* The one attribute in network byte order: it goes on the wire as is. */
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons((uint16_t)port));
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_do(nl, nlh, err, "create vxlan '%s' id %u", vx->name, vx->vni);
}

/* ---- the VXLAN link's own forwarding table (RTM_NEWNEIGH, family AF_BRIDGE, NTF_SELF) ----- */

/* One request on DEV's table: MAC ("00:00:00:00:00:00" = flood) lives behind DST. */
static int fdb_change(struct nl *nl, int type, int flags, const char *dev, const char *mac,
		      const char *dst, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	unsigned char m[6];
	struct in_addr d;
	int idx = nl_need_index(nl, dev, err);
	if (idx < 0 || nl_parse_mac(mac, m, err) < 0 || nl_parse_ipv4(dst, &d, err) < 0)
		return -1;
	mr_say("%s %s dst %s dev %s self permanent",
	       type == RTM_NEWNEIGH ? "RTM_NEWNEIGH" : "RTM_DELNEIGH", mac, dst, dev);
	struct nlmsghdr *nlh = nl_msg(nl, buf, type, flags);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_BRIDGE;
	nd->ndm_ifindex = idx;
	nd->ndm_state = NUD_NOARP | NUD_PERMANENT;
	/* NTF_SELF: the entry is the VXLAN device's own (where to send), not the bridge's
	 * (which port): `bridge fdb add ... self`. */
	nd->ndm_flags = NTF_SELF;
	mnl_attr_put(nlh, NDA_LLADDR, sizeof(m), m);
	mnl_attr_put(nlh, NDA_DST, sizeof(d), &d);
	return nl_do(nl, nlh, err, "%s forwarding entry %s dst %s on '%s'",
		     type == RTM_NEWNEIGH ? "add" : "delete", mac, dst, dev);
}

int nl_vxlan_fdb_add(struct nl *nl, const char *dev, const char *mac, const char *dst,
		     struct mr_err *err)
{
	/* The all-zero MAC may have many destinations (one per peer): append. Any other MAC
	 * lives behind one host: replace. */
	int flood = !strcmp(mac, "00:00:00:00:00:00");
	if (fdb_change(nl, RTM_NEWNEIGH, NLM_F_CREATE | (flood ? NLM_F_APPEND : NLM_F_REPLACE), dev,
		       mac, dst, err) == 0)
		return 0;
	return errno == EEXIST ? 0 : -1; /* that very entry is there already */
}

int nl_vxlan_fdb_del(struct nl *nl, const char *dev, const char *mac, const char *dst,
		     int missing_ok, struct mr_err *err)
{
	if (fdb_change(nl, RTM_DELNEIGH, 0, dev, mac, dst, err) == 0)
		return 0;
	return missing_ok && (errno == ENOENT || errno == ENODEV) ? 0 : -1;
}

/* what entries_cb collects: DEV's entries of one address FAMILY (AF_BRIDGE: the vxlan
 * device's forwarding table; AF_INET: its ARP entries) */
struct vfdb_list {
	struct nl_vxlan_fdb *v;
	size_t n;
	int dev, family;
};

static int vfdb_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);
	if (type <= NDA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static int entries_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vfdb_list *list = data;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1] = {0};
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*nd) || nd->ndm_family != list->family ||
	    nd->ndm_ifindex != list->dev)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*nd), vfdb_attr_cb, tb);
	/* a MAC and an IPv4 address: the bridge's own entries for this port carry no NDA_DST,
	 * only the vxlan device's do */
	if (!tb[NDA_LLADDR] || mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6 || !tb[NDA_DST] ||
	    mnl_attr_get_payload_len(tb[NDA_DST]) != 4)
		return MNL_CB_OK;
	struct nl_vxlan_fdb *f = nl_grow((void **)&list->v, &list->n, sizeof(*f));
	if (!f)
		return MNL_CB_ERROR;
	const unsigned char *m = mnl_attr_get_payload(tb[NDA_LLADDR]);
	snprintf(f->mac, sizeof(f->mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
	inet_ntop(AF_INET, mnl_attr_get_payload(tb[NDA_DST]), f->dst, sizeof(f->dst));
	f->permanent = (nd->ndm_state & NUD_PERMANENT) ? 1 : 0;
	return MNL_CB_OK;
}

/* the RTM_GETNEIGH dump of DEV's FAMILY entries (WHAT names them in an error) */
static int dump_entries(struct nl *nl, const char *dev, int family, const char *what,
			struct nl_vxlan_fdb **out, size_t *n, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct vfdb_list list = {.family = family};
	list.dev = nl_need_index(nl, dev, err);
	if (list.dev < 0)
		return -1;
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETNEIGH, 0);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = (unsigned char)family;
	if (nl_dump(nl, nlh, entries_cb, &list, what, err) < 0) {
		free(list.v);
		return -1;
	}
	*out = list.v;
	*n = list.n;
	return 0;
}

int nl_vxlan_fdb(struct nl *nl, const char *dev, struct nl_vxlan_fdb **out, size_t *n,
		 struct mr_err *err)
{
	return dump_entries(nl, dev, AF_BRIDGE, "vxlan forwarding table", out, n, err);
}

/* ---- the ARP entries a proxy link answers from (RTM_NEWNEIGH, family AF_INET) ------------ */

int nl_vxlan_neigh_add(struct nl *nl, const char *dev, const char *ip, const char *mac,
		       struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	unsigned char m[6];
	struct in_addr a;
	int idx = nl_need_index(nl, dev, err);
	if (idx < 0 || nl_parse_ipv4(ip, &a, err) < 0 || nl_parse_mac(mac, m, err) < 0)
		return -1;
	mr_say("RTM_NEWNEIGH %s lladdr %s dev %s permanent", ip, mac, dev);
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = idx;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, sizeof(a), &a);
	mnl_attr_put(nlh, NDA_LLADDR, sizeof(m), m);
	return nl_do(nl, nlh, err, "add neighbour %s lladdr %s on '%s'", ip, mac, dev);
}

int nl_vxlan_neigh_del(struct nl *nl, const char *dev, const char *ip, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct in_addr a;
	int idx = nl_need_index(nl, dev, err);
	if (idx < 0 || nl_parse_ipv4(ip, &a, err) < 0)
		return -1;
	mr_say("RTM_DELNEIGH %s dev %s", ip, dev);
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_DELNEIGH, 0);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = idx;
	mnl_attr_put(nlh, NDA_DST, sizeof(a), &a);
	if (nl_do(nl, nlh, err, "delete neighbour %s on '%s'", ip, dev) == 0)
		return 0;
	return errno == ENOENT ? 0 : -1;
}

int nl_vxlan_neighs(struct nl *nl, const char *dev, struct nl_vxlan_fdb **out, size_t *n,
		    struct mr_err *err)
{
	return dump_entries(nl, dev, AF_INET, "neighbour table", out, n, err);
}
