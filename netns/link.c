/*
 * netns/link.c - network links over rtnetlink: create a veth pair or a bridge, make a link
 * a bridge port, move it to another namespace, rename it, set it up, set MTU and MAC,
 * delete it, and list them all. `ip link` does each of these with one RTM_NEWLINK,
 * RTM_SETLINK or RTM_DELLINK message; so do we.
 *
 *	RTM_NEWLINK  ifinfomsg{}  IFLA_IFNAME "veth0"
 *	                          IFLA_LINKINFO { IFLA_INFO_KIND "veth"
 *	                                          IFLA_INFO_DATA { VETH_INFO_PEER
 *	                                              ifinfomsg{} IFLA_IFNAME "eth0"
 *	                                                          IFLA_NET_NS_FD 5 } }
 *
 * See: rtnetlink(7), veth(4), ip-link(8), include/uapi/linux/if_link.h.
 */
#include "netns/nl_int.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* Start an RTM_*LINK message about the link with ifindex IDX (0: named by IFLA_IFNAME). */
static struct nlmsghdr *link_msg(struct nl *nl, void *buf, int type, int flags, int idx,
				 struct ifinfomsg **ifi_out)
{
	struct nlmsghdr *nlh = nl_msg(nl, buf, type, flags);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = idx;
	if (ifi_out)
		*ifi_out = ifi;
	return nlh;
}

static int index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type == RTM_NEWLINK && mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifi))
		*(int *)data = ifi->ifi_index;
	return MNL_CB_OK;
}

/* Why one RTM_GETLINK by name, not a dump of every link: the kernel looks the name up
 * itself, and a host with many containers has many links (a dump is one message each);
 * a container's connect asks for a dozen indexes. No such link: an ENODEV error reply. */
int nl_link_index(struct nl *nl, const char *name)
{
	char buf[NL_BUFSIZE];
	int idx = 0;
	if (nl_check_ifname(name, NULL) < 0)
		return 0;
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_GETLINK, 0, 0, NULL);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return 0;
	ssize_t len = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
	if (len < 0 || !nl_reply_ok(buf, (size_t)len) ||
	    mnl_cb_run(buf, (size_t)len, nlh->nlmsg_seq, nl->portid, index_cb, &idx) < 0)
		return 0;
	return idx;
}

int nl_veth_add(struct nl *nl, const char *name, const char *peer, int peer_netns_fd,
		struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	if (nl_check_ifname(name, err) < 0 || nl_check_ifname(peer, err) < 0)
		return -1;
	mr_say("RTM_NEWLINK veth '%s' peer '%s'%s", name, peer,
	       peer_netns_fd >= 0 ? " (peer born in the target namespace)" : "");
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, NULL);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *pe = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer is described by a whole second ifinfomsg + attributes, nested. */
	struct ifinfomsg *pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (peer_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, pe);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_do(nl, nlh, err, "create veth '%s' peer '%s'", name, peer);
}

/* The IFLA_INFO_KIND of link NAME into kind ("" for none); -1 if there is no such link. */
static int link_kind(struct nl *nl, const char *name, char *kind, size_t size)
{
	struct nl_link *links = NULL;
	size_t n = 0;
	int found = -1;
	if (nl_links(nl, &links, &n, NULL) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(links[i].name, name)) {
			snprintf(kind, size, "%s", links[i].kind);
			found = 0;
		}
	free(links);
	return found;
}

int nl_bridge_add(struct nl *nl, const char *name, struct mr_err *err)
{
	char buf[NL_BUFSIZE], kind[16];
	if (nl_check_ifname(name, err) < 0)
		return -1;
	if (link_kind(nl, name, kind, sizeof(kind)) == 0) {
		if (strcmp(kind, "bridge") != 0)
			return mr_fail(err, EEXIST,
				       "create bridge '%s': a %s link of that name exists", name,
				       *kind ? kind : "non-bridge");
		mr_say("bridge '%s' exists already", name);
		return 0;
	}
	/* A MAC of its own, set at creation: a bridge whose address was never set takes the
	 * lowest of its ports' (the host ends of the veths) and changes it when that port
	 * leaves, under the others' ARP entries for the gateway (netns/bridge.t shows it).
	 * Random, as docker's (libnetwork's bridge setupDevice); minirun's networks then get
	 * 02:42 + the gateway's address (plug.c). Locally administered, unicast. */
	uint8_t mac[6];
	if (getrandom(mac, sizeof(mac), 0) != (ssize_t)sizeof(mac))
		return mr_fail(err, errno, "create bridge '%s': getrandom", name);
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02);
	mr_say("RTM_NEWLINK bridge '%s' (address %02x:%02x:%02x:%02x:%02x:%02x)", name, mac[0],
	       mac[1], mac[2], mac[3], mac[4], mac[5]);
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, NULL);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	return nl_do(nl, nlh, err, "create bridge '%s'", name);
}

int nl_link_del(struct nl *nl, const char *name, int missing_ok, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	if (nl_check_ifname(name, err) < 0)
		return -1;
	int idx = nl_link_index(nl, name);
	if (idx <= 0) {
		if (missing_ok)
			return 0;
		return mr_fail(err, ENODEV, "delete link '%s'", name);
	}
	mr_say("RTM_DELLINK '%s' (ifindex %d)", name, idx);
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_DELLINK, 0, idx, NULL);
	if (nl_do(nl, nlh, err, "delete link '%s'", name) < 0)
		return (missing_ok && errno == ENODEV) ? 0 : -1;
	return 0;
}

int nl_link_set_master(struct nl *nl, const char *name, const char *master, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	int idx = nl_need_index(nl, name, err), midx = 0;
	if (idx < 0)
		return -1;
	if (master) {
		char kind[16];
		if (link_kind(nl, master, kind, sizeof(kind)) < 0)
			return mr_fail(err, 0,
				       "bridge '%s' does not exist; create it first "
				       "(netns/bridge %s CIDR)",
				       master, master);
		if (strcmp(kind, "bridge") != 0)
			return mr_fail(err, 0, "'%s' is not a bridge (it is a %s link)", master,
				       *kind ? kind : "plain");
		midx = nl_link_index(nl, master);
	}
	mr_say("RTM_NEWLINK '%s' IFLA_MASTER=%s", name, master ? master : "(none)");
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, 0, idx, NULL);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)midx);
	return nl_do(nl, nlh, err, "attach '%s' to bridge '%s'", name, master ? master : "-");
}

int nl_link_set_netns(struct nl *nl, const char *name, int netns_fd, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	int idx = nl_need_index(nl, name, err);
	if (idx < 0)
		return -1;
	mr_say("RTM_NEWLINK '%s' IFLA_NET_NS_FD=%d (move to another namespace)", name, netns_fd);
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, 0, idx, NULL);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	return nl_do(nl, nlh, err, "move '%s' to another network namespace", name);
}

int nl_link_rename(struct nl *nl, const char *name, const char *newname, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	if (nl_check_ifname(newname, err) < 0)
		return -1;
	int idx = nl_need_index(nl, name, err);
	if (idx < 0)
		return -1;
	if (nl_link_index(nl, newname) > 0)
		return mr_fail(err, EEXIST, "rename '%s' to '%s': that name is taken", name,
			       newname);
	mr_say("RTM_NEWLINK '%s' IFLA_IFNAME='%s'", name, newname);
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, 0, idx, NULL);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, newname);
	return nl_do(nl, nlh, err, "rename '%s' to '%s' (a link must be down to be renamed)", name,
		     newname);
}

int nl_link_set_up(struct nl *nl, const char *name, int up, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct ifinfomsg *ifi;
	int idx = nl_need_index(nl, name, err);
	if (idx < 0)
		return -1;
	mr_say("RTM_NEWLINK '%s' %s", name, up ? "IFF_UP" : "~IFF_UP");
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, 0, idx, &ifi);
	ifi->ifi_change = IFF_UP; /* only this flag changes */
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nl_do(nl, nlh, err, "set '%s' %s", name, up ? "up" : "down");
}

int nl_link_set_mtu(struct nl *nl, const char *name, unsigned mtu, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	int idx = nl_need_index(nl, name, err);
	if (idx < 0)
		return -1;
	mr_say("RTM_NEWLINK '%s' IFLA_MTU=%u", name, mtu);
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, 0, idx, NULL);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_do(nl, nlh, err, "set mtu of '%s' to %u", name, mtu);
}

int nl_link_set_mac(struct nl *nl, const char *name, const char *mac, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	unsigned char addr[6];
	if (nl_parse_mac(mac, addr, err) < 0)
		return -1;
	int idx = nl_need_index(nl, name, err);
	if (idx < 0)
		return -1;
	mr_say("RTM_NEWLINK '%s' IFLA_ADDRESS=%s", name, mac);
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_NEWLINK, 0, idx, NULL);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(addr), addr);
	return nl_do(nl, nlh, err, "set MAC of '%s' to %s", name, mac);
}

/* ---- listing ------------------------------------------------------------------------------- */

struct link_list {
	struct nl_link *v;
	size_t n;
};

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct nl_link *l = data;
	if (mnl_attr_get_type(a) == IFLA_INFO_KIND && mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
		snprintf(l->kind, sizeof(l->kind), "%.*s", (int)mnl_attr_get_payload_len(a),
			 (const char *)mnl_attr_get_payload(a));
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct nl_link *l = data;
	/* each attribute's length is checked before it is read: a short one is skipped */
	bool u32 = mnl_attr_validate(a, MNL_TYPE_U32) == 0;
	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_MTU: l->mtu = u32 ? mnl_attr_get_u32(a) : l->mtu; break;
	case IFLA_MASTER: l->master = u32 ? (int)mnl_attr_get_u32(a) : l->master; break;
	case IFLA_LINK: l->peer = u32 ? (int)mnl_attr_get_u32(a) : l->peer; break;
	case IFLA_LINK_NETNSID: l->peer_nsid = u32 ? (int)mnl_attr_get_u32(a) : l->peer_nsid; break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == 6) {
			const unsigned char *m = mnl_attr_get_payload(a);
			snprintf(l->mac, sizeof(l->mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
				 m[1], m[2], m[3], m[4], m[5]);
		}
		break;
	case IFLA_LINKINFO: mnl_attr_parse_nested(a, linkinfo_cb, l); break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_list *list = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK; /* too short to be a link */
	struct nl_link *l = nl_grow((void **)&list->v, &list->n, sizeof(*l));
	if (!l)
		return MNL_CB_ERROR;
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->peer_nsid = -1;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, l);
	return MNL_CB_OK;
}

int nl_links(struct nl *nl, struct nl_link **out, size_t *n, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct link_list list = {0};
	struct nlmsghdr *nlh = link_msg(nl, buf, RTM_GETLINK, 0, 0, NULL);
	if (nl_dump(nl, nlh, link_cb, &list, "links", err) < 0) {
		free(list.v);
		return -1;
	}
	*out = list.v;
	*n = list.n;
	return 0;
}

static int nsid_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NETNSA_NSID && mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		*(int *)data = (int)mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtgenmsg))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr_cb, data);
	return MNL_CB_OK;
}

int nl_netns_id(struct nl *nl, int netns_fd)
{
	char buf[NL_BUFSIZE];
	int id = -1;
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETNSID, 0);
	struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)netns_fd);
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	ssize_t len = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
	if (len < 0 || !nl_reply_ok(buf, (size_t)len))
		return -1;
	if (mnl_cb_run(buf, (size_t)len, nlh->nlmsg_seq, nl->portid, nsid_cb, &id) < 0)
		return -1;
	return id; /* NETNSA_NSID_NOT_ASSIGNED is -1 too */
}
