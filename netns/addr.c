/*
 * netns/addr.c - IPv4 addresses, routes and a bridge's forwarding database over rtnetlink:
 * what `ip addr add`, `ip route add default via` and `bridge fdb show br X` send.
 *
 *	RTM_NEWADDR  ifaddrmsg{AF_INET, prefixlen 24, index 7}  IFA_LOCAL 10.88.0.2
 *	                                                        IFA_ADDRESS 10.88.0.2
 *	RTM_NEWROUTE rtmsg{AF_INET, dst_len 0, table main, proto static, scope universe,
 *	                   type unicast}  RTA_GATEWAY 10.88.0.1
 *
 * Adding an address also adds the route to its subnet (proto kernel, scope link): that is
 * why a container reaches its neighbours on the bridge with no route of ours.
 *
 * See: rtnetlink(7), ip-address(8), ip-route(8), bridge(8).
 */
#include "netns/nl_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int addr_change(struct nl *nl, int type, const char *dev, const char *cidr,
		       struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct nl_cidr c;
	if (nl_parse_cidr(cidr, &c, err) < 0)
		return -1;
	int idx = nl_need_index(nl, dev, err);
	if (idx < 0)
		return -1;
	mr_say("%s %s dev %s", type == RTM_NEWADDR ? "RTM_NEWADDR" : "RTM_DELADDR", cidr, dev);
	struct nlmsghdr *nlh =
		nl_msg(nl, buf, type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)c.prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)idx;
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on point-to-point
	 * links, and the same as IFA_LOCAL everywhere else. */
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(c.addr), &c.addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(c.addr), &c.addr);
	if (type == RTM_NEWADDR) {
		struct in_addr brd = c.addr;
		if (c.prefix < 31) {
			brd.s_addr |= htonl(c.prefix ? ~(~0u << (32 - c.prefix)) : ~0u);
			mnl_attr_put(nlh, IFA_BROADCAST, sizeof(brd), &brd);
		}
		return nl_do(nl, nlh, err, "add address %s to '%s'", cidr, dev);
	}
	return nl_do(nl, nlh, err, "delete address %s from '%s'", cidr, dev);
}

int nl_addr_add(struct nl *nl, const char *dev, const char *cidr, struct mr_err *err)
{
	struct nl_addr *addrs = NULL;
	size_t n = 0;
	int idx = nl_link_index(nl, dev), have = 0;
	/* Idempotent: the same address on the same link is success, not EEXIST. */
	if (idx > 0 && nl_addrs(nl, &addrs, &n, NULL) == 0)
		for (size_t i = 0; i < n; i++)
			if (addrs[i].index == idx && !strcmp(addrs[i].cidr, cidr))
				have = 1;
	free(addrs);
	if (have) {
		mr_say("%s is on '%s' already", cidr, dev);
		return 0;
	}
	return addr_change(nl, RTM_NEWADDR, dev, cidr, err);
}

int nl_addr_del(struct nl *nl, const char *dev, const char *cidr, int missing_ok,
		struct mr_err *err)
{
	if (addr_change(nl, RTM_DELADDR, dev, cidr, err) < 0)
		return (missing_ok &&
			(errno == EADDRNOTAVAIL || errno == ENODEV || nl_link_index(nl, dev) == 0))
			       ? 0
			       : -1;
	return 0;
}

struct addr_list {
	struct nl_addr *v;
	size_t n;
};

static int addr_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);
	if ((type == IFA_LOCAL || type == IFA_ADDRESS) && mnl_attr_get_payload_len(a) == 4)
		tb[type] = a;
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *list = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = {0};
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) || ifa->ifa_family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
	const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a)
		return MNL_CB_OK;
	struct nl_addr *e = nl_grow((void **)&list->v, &list->n, sizeof(*e));
	if (!e)
		return MNL_CB_ERROR;
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, mnl_attr_get_payload(a), ip, sizeof(ip));
	e->index = (int)ifa->ifa_index;
	snprintf(e->cidr, sizeof(e->cidr), "%s/%u", ip, ifa->ifa_prefixlen);
	return MNL_CB_OK;
}

int nl_addrs(struct nl *nl, struct nl_addr **out, size_t *n, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct addr_list list = {0};
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETADDR, 0);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	if (nl_dump(nl, nlh, addr_cb, &list, "addresses", err) < 0) {
		free(list.v);
		return -1;
	}
	*out = list.v;
	*n = list.n;
	return 0;
}

/* Parse a route destination, "default" or a CIDR. */
static int parse_dst(const char *dst, struct nl_cidr *c, struct mr_err *err)
{
	if (!strcmp(dst, "default")) {
		c->addr.s_addr = 0;
		c->prefix = 0;
		return 0;
	}
	return nl_parse_cidr(dst, c, err);
}

static struct nlmsghdr *route_msg(struct nl *nl, void *buf, int type, int flags,
				  const struct nl_cidr *dst)
{
	struct nlmsghdr *nlh = nl_msg(nl, buf, type, flags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (unsigned char)dst->prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = type == RTM_DELROUTE ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (dst->prefix)
		mnl_attr_put(nlh, RTA_DST, sizeof(dst->addr), &dst->addr);
	return nlh;
}

int nl_route_add(struct nl *nl, const char *dst, const char *gw, const char *dev,
		 struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct nl_cidr d;
	struct in_addr g;
	if (parse_dst(dst, &d, err) < 0 || (gw && nl_parse_ipv4(gw, &g, err) < 0))
		return -1;
	int idx = dev ? nl_need_index(nl, dev, err) : 0;
	if (idx < 0)
		return -1;
	mr_say("RTM_NEWROUTE %s%s%s%s%s", dst, gw ? " via " : "", gw ? gw : "", dev ? " dev " : "",
	       dev ? dev : "");
	/* NLM_F_REPLACE: an existing route to DST is replaced, so adding twice is harmless. */
	struct nlmsghdr *nlh = route_msg(nl, buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &d);
	if (gw)
		mnl_attr_put(nlh, RTA_GATEWAY, sizeof(g), &g);
	else
		((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_scope = RT_SCOPE_LINK;
	if (idx)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)idx);
	return nl_do(nl, nlh, err, "add route %s%s%s", dst, gw ? " via " : "", gw ? gw : "");
}

int nl_route_del(struct nl *nl, const char *dst, int missing_ok, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct nl_cidr d;
	if (parse_dst(dst, &d, err) < 0)
		return -1;
	mr_say("RTM_DELROUTE %s", dst);
	struct nlmsghdr *nlh = route_msg(nl, buf, RTM_DELROUTE, 0, &d);
	if (nl_do(nl, nlh, err, "delete route %s", dst) < 0)
		return (missing_ok && errno == ESRCH) ? 0 : -1;
	return 0;
}

struct route_list {
	struct nl_route *v;
	size_t n;
};

static int route_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);
	/* every attribute route_cb reads is 4 bytes: an address, the table, the device */
	if (type <= RTA_MAX && mnl_attr_get_payload_len(a) == 4)
		tb[type] = a;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_list *list = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = {0};
	char ip[INET_ADDRSTRLEN];
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb);
	uint32_t table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (rtm->rtm_family != AF_INET || table != RT_TABLE_MAIN)
		return MNL_CB_OK;
	struct nl_route *r = nl_grow((void **)&list->v, &list->n, sizeof(*r));
	if (!r)
		return MNL_CB_ERROR;
	if (tb[RTA_DST]) {
		inet_ntop(AF_INET, mnl_attr_get_payload(tb[RTA_DST]), ip, sizeof(ip));
		snprintf(r->dst, sizeof(r->dst), "%s/%u", ip, rtm->rtm_dst_len);
	} else {
		snprintf(r->dst, sizeof(r->dst), "default");
	}
	if (tb[RTA_GATEWAY])
		inet_ntop(AF_INET, mnl_attr_get_payload(tb[RTA_GATEWAY]), r->gw, sizeof(r->gw));
	if (tb[RTA_OIF])
		r->oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	return MNL_CB_OK;
}

int nl_routes(struct nl *nl, struct nl_route **out, size_t *n, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct route_list list = {0};
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	if (nl_dump(nl, nlh, route_cb, &list, "routes", err) < 0) {
		free(list.v);
		return -1;
	}
	*out = list.v;
	*n = list.n;
	return 0;
}

/* ---- the bridge's forwarding database (RTM_GETNEIGH, family AF_BRIDGE) ---------------------- */

struct fdb_list {
	struct nl_fdb *v;
	size_t n;
	int bridge;
};

static int fdb_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);
	/* fdb_cb reads NDA_MASTER as 4 bytes and checks NDA_LLADDR's length itself */
	if (type <= NDA_MAX && (type != NDA_MASTER || mnl_attr_get_payload_len(a) == 4))
		tb[type] = a;
	return MNL_CB_OK;
}

static int fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fdb_list *list = data;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1] = {0};
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*nd) || nd->ndm_family != AF_BRIDGE)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*nd), fdb_attr_cb, tb);
	/* Entries of ports of this bridge carry NDA_MASTER; the bridge's own carry its index. */
	int master = tb[NDA_MASTER] ? (int)mnl_attr_get_u32(tb[NDA_MASTER]) : nd->ndm_ifindex;
	if (master != list->bridge || !tb[NDA_LLADDR] ||
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6)
		return MNL_CB_OK;
	const unsigned char *m = mnl_attr_get_payload(tb[NDA_LLADDR]);
	if (m[0] & 1)
		return MNL_CB_OK; /* multicast entries are not learned neighbours */
	struct nl_fdb *f = nl_grow((void **)&list->v, &list->n, sizeof(*f));
	if (!f)
		return MNL_CB_ERROR;
	snprintf(f->mac, sizeof(f->mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
	f->port = nd->ndm_ifindex;
	f->local = (nd->ndm_state & NUD_PERMANENT) ? 1 : 0;
	return MNL_CB_OK;
}

int nl_fdb(struct nl *nl, const char *bridge, struct nl_fdb **out, size_t *n, struct mr_err *err)
{
	char buf[NL_BUFSIZE];
	struct fdb_list list = {0};
	list.bridge = nl_need_index(nl, bridge, err);
	if (list.bridge < 0)
		return -1;
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETNEIGH, 0);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_BRIDGE;
	if (nl_dump(nl, nlh, fdb_cb, &list, "bridge forwarding table", err) < 0) {
		free(list.v);
		return -1;
	}
	*out = list.v;
	*n = list.n;
	return 0;
}
