/*
 * netns/docker_user.c - living beside docker: accept our bridges in docker's DOCKER-USER
 * chain, where docker says a router's own rules go, because docker's FORWARD chain drops
 * everything else.
 *
 * Why it is needed. When dockerd turns ip_forward on itself it sets the policy of the
 * iptables FORWARD chain to DROP (so that a docker host does not become an open router), and
 * accepts only what goes to and from its own bridges. On Debian's iptables that chain is the
 * nftables base chain `table ip filter` / `chain FORWARD`. Our table's filter_fwd chain
 * accepting a packet is not enough: every base chain on the forward hook must accept it,
 * and docker's drops it. So on a docker host, without this file:
 *	- a container's traffic to the outside (routed through the bridge) is dropped;
 *	- hairpin traffic (a container reaching a port published by a neighbour through a host
 *	  address: DNAT, then routed back out the same bridge) is dropped;
 *	- and when br_netfilter is loaded with bridge-nf-call-iptables=1 (docker loads it and
 *	  sets it), even two containers of one bridge talking directly are dropped: the bridge
 *	  then hands its switched frames to the IPv4 hooks, FORWARD among them.
 * Nothing says so: the packets just vanish.
 *
 * What we add. Docker's documentation ("Packet filtering and firewalls", "Docker on a
 * router") says to put such rules in DOCKER-USER, the chain FORWARD jumps to first and that
 * docker never flushes or reorders. For a bridge X we insert, at the top:
 *
 *	iifname "X" accept comment "minirun X"     # from X: out, and to X itself
 *	oifname "X" accept comment "minirun X"     # to X: replies and published ports
 *
 * or, for an --internal network (no NAT, no route out), only
 *
 *	iifname "X" oifname "X" accept comment "minirun X"
 *
 * These accept only as far as docker's chain is concerned: our own table's filter_fwd still
 * runs (isolation between our bridges, only established or DNAT'ed traffic in), so the
 * host filters our bridges as it would without docker. Why no `ct state` in them: a rule
 * iptables can't read makes docker's whole chain "incompatible" to iptables-nft, and dockerd
 * (which drives iptables) would then fail; `-i`/`-o` and a comment it reads, as
 * `iptables -S DOCKER-USER` shows: `-A DOCKER-USER -i X -m comment --comment "minirun X"
 * -j ACCEPT`.
 *
 * Rules, unlike our set elements, are removed by handle: the comment finds ours again (a
 * dump of the chain over libmnl, reading each rule's comment from its userdata), in any
 * later process. They are added at every connect when missing (docker may have started
 * after the network was made) and removed with the network (netns_network_remove).
 *
 * The reads are raw nf_tables netlink (libmnl: a GETCHAIN each for FORWARD and
 * DOCKER-USER, and a GETRULE dump when docker is there), cheap enough for every container
 * start; the writes go through nat.c's libnftables transactions. IPv4 only, as the rest of
 * netns/ (docker's ip6tables FORWARD is its own chain). A docker on iptables-legacy keeps
 * its rules out of nftables' reach: we can only say so (-v).
 *
 * See: https://docs.docker.com/engine/network/packet-filtering-firewalls/ ("Docker on a
 * router"), nft(8) (rule handles, comments), iptables-nft(8),
 * br_netfilter's /proc/sys/net/bridge/bridge-nf-call-iptables (one per network namespace).
 * Try: minirun -v network create web (on a host that runs docker), then
 * nft -a list chain ip filter DOCKER-USER.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "netns/nat.h"
#include "netns/nat_int.h"

#define DU_TABLE "filter" /* iptables' table, as iptables-nft makes it: family ip */
#define DU_CHAIN "DOCKER-USER"
/* rules of ours per bridge we can find: 2 are made, more is a mess */
#define DU_MAX 16

/* libnftnl's userdata layout (nftnl/udata.h): a list of (type u8, length u8, value). The
 * comment is type 0 (NFTNL_UDATA_RULE_COMMENT), its value NUL-terminated. Written out here
 * so that reading a comment needs no libnftnl. */
#define UDATA_RULE_COMMENT 0

/* One nf_tables request REQ of TYPE (NFT_MSG_GET*) for table ip filter, chain CHAIN; FLAGS
 * NLM_F_DUMP for a dump. Answers go to CB with DATA. 0, or -1 with errno (ENOENT: no such
 * table or chain; the kernel's answer). */
static int nft_get(int type, uint16_t flags, const char *chain, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl)
		return -1;
	int r = -1;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = 1;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = NFPROTO_IPV4;
	g->version = NFNETLINK_V0;
	/* GETCHAIN and GETRULE name table and chain by the same attribute numbers */
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, DU_TABLE);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, chain);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	/* a dump is many datagrams up to NLMSG_DONE (mnl_cb_run returns 0 there); a GET
	 * is one */
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n <= 0)
			goto out;
		int cb_r = mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), cb, data);
		if (cb_r < 0)
			goto out;
		if (cb_r == MNL_CB_STOP || !(flags & NLM_F_DUMP)) {
			r = 0;
			break;
		}
	}
out:;
	int e = errno;
	mnl_socket_close(nl);
	errno = e;
	return r;
}

/* The FORWARD chain's policy from a GETCHAIN answer (NF_ACCEPT when it has none). */
static int chain_policy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		if (mnl_attr_get_type(a) == NFTA_CHAIN_POLICY &&
		    mnl_attr_get_payload_len(a) >= sizeof(uint32_t))
			*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
	}
	return MNL_CB_OK;
}

/* 1 if chain ip filter CHAIN exists (*policy its policy, NF_ACCEPT for a regular chain),
 * 0 if not, -1 when nf_tables can't be asked. */
static int chain_get(const char *chain, uint32_t *policy)
{
	*policy = NF_ACCEPT;
	if (nft_get(NFT_MSG_GETCHAIN, 0, chain, chain_policy_cb, policy) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

struct found {
	const char *comment; /* "minirun X" */
	uint64_t handle[DU_MAX];
	size_t n;
};

/* A rule of the dump: keep its handle when its comment is ours. */
static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct found *f = data;
	const struct nlattr *a;
	uint64_t handle = 0;
	int mine = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		if (mnl_attr_get_type(a) == NFTA_RULE_HANDLE &&
		    mnl_attr_get_payload_len(a) == sizeof(uint64_t))
			handle = be64toh(mnl_attr_get_u64(a));
		if (mnl_attr_get_type(a) != NFTA_RULE_USERDATA)
			continue;
		const uint8_t *u = mnl_attr_get_payload(a), *end = u + mnl_attr_get_payload_len(a);
		/* each entry: type, length, value; stop at one that would run past the end */
		while (u + 2 <= end && u + 2 + u[1] <= end) {
			if (u[0] == UDATA_RULE_COMMENT && u[1] > 0 &&
			    strnlen((const char *)u + 2, u[1]) == strlen(f->comment) &&
			    !memcmp(u + 2, f->comment, strlen(f->comment)))
				mine = 1;
			u += 2 + u[1];
		}
	}
	if (mine && handle && f->n < DU_MAX)
		f->handle[f->n++] = handle;
	return MNL_CB_OK;
}

/* Find the rules of DOCKER-USER whose comment is "minirun BRIDGE". 0, or -1 (errno ENOENT:
 * no such chain). */
static int find_ours(const char *bridge, struct found *f)
{
	char comment[32];
	snprintf(comment, sizeof(comment), "minirun %s", bridge);
	f->comment = comment;
	f->n = 0;
	int r = nft_get(NFT_MSG_GETRULE, NLM_F_DUMP, DU_CHAIN, rule_cb, f);
	f->comment = NULL;
	return r;
}

/* The nft commands deleting the rules of F (handles of DOCKER-USER) into CMD; returns the
 * length written. */
static size_t delete_cmds(const struct found *f, char *cmd, size_t size)
{
	size_t len = 0;
	cmd[0] = '\0';
	for (size_t i = 0; i < f->n && len < size; i++)
		len += (size_t)snprintf(cmd + len, size - len,
					"delete rule ip " DU_TABLE " " DU_CHAIN " handle %llu\n",
					(unsigned long long)f->handle[i]);
	return len < size ? len : size - 1;
}

/* Say, with -v, whether bridged traffic meets the IPv4 hooks here (br_netfilter). */
static void say_br_netfilter(void)
{
	_cleanup_free_ char *v = NULL;
	if (mr_read_file("/proc/sys/net/bridge/bridge-nf-call-iptables", &v, NULL, NULL) < 0)
		mr_say("br_netfilter is not loaded here: packets between containers of one "
		       "bridge are switched, never filtered");
	else if (v[0] == '1')
		mr_say("bridge-nf-call-iptables is 1 (br_netfilter): packets between containers "
		       "of one bridge pass the forward hook too");
	else
		mr_say("bridge-nf-call-iptables is 0: packets between containers of one bridge "
		       "are switched, never filtered");
}

/* Is there an iptables-legacy filter table in this namespace (rules nftables can't see)? */
static int legacy_filter(void)
{
	_cleanup_free_ char *v = NULL;
	return mr_read_file("/proc/net/ip_tables_names", &v, NULL, NULL) == 0 &&
	       strstr(v, "filter") != NULL;
}

int nat_docker_user_add(const char *bridge, enum nat_reach reach, struct mr_err *err)
{
	uint32_t policy;
	struct found f;
	if (nat_check_ifname(bridge, err) < 0)
		return -1;
	int fwd = chain_get("FORWARD", &policy);
	int user = chain_get(DU_CHAIN, &(uint32_t){0});
	if (user <= 0) {
		if (fwd == 1 && policy == NF_DROP) {
			mr_say("table ip filter's FORWARD chain drops what it does not accept "
			       "(policy drop) and has no DOCKER-USER chain: traffic of bridge %s may "
			       "be dropped; accept it there yourself (iptables -I FORWARD -i %s -j "
			       "ACCEPT; iptables -I FORWARD -o %s -j ACCEPT)",
			       bridge, bridge, bridge);
			say_br_netfilter();
		} else if (legacy_filter())
			mr_say("an iptables-legacy filter table exists here (docker on "
			       "iptables-legacy?): its FORWARD policy can't be read through "
			       "nftables; if it drops, accept %s in its DOCKER-USER chain yourself",
			       bridge);
		return 0;
	}
	if (find_ours(bridge, &f) < 0)
		return mr_fail(err, errno, "list chain ip " DU_TABLE " " DU_CHAIN);
	size_t want = reach == NAT_REACH_BRIDGE ? 1 : 2;
	if (f.n == want) {
		mr_say("docker's DOCKER-USER chain accepts bridge %s already", bridge);
		return 0;
	}
	mr_say("docker's chains are here (table ip filter: FORWARD policy %s, DOCKER-USER): "
	       "accepting bridge %s in DOCKER-USER, where docker keeps a router's own rules",
	       fwd == 1 && policy == NF_DROP ? "drop" : "accept", bridge);
	say_br_netfilter();
	/* One transaction: any stale rules of ours go, and the new ones come, together.
	 * `insert` puts a rule at the top: before docker's closing `return`. */
	char cmd[DU_MAX * 64 + 256];
	size_t len = delete_cmds(&f, cmd, sizeof(cmd));
	if (reach == NAT_REACH_BRIDGE)
		snprintf(cmd + len, sizeof(cmd) - len,
			 "insert rule ip " DU_TABLE " " DU_CHAIN
			 " iifname \"%s\" oifname \"%s\" accept comment \"minirun %s\"\n",
			 bridge, bridge, bridge);
	else
		snprintf(cmd + len, sizeof(cmd) - len,
			 "insert rule ip " DU_TABLE " " DU_CHAIN
			 " oifname \"%s\" accept comment \"minirun %s\"\n"
			 "insert rule ip " DU_TABLE " " DU_CHAIN
			 " iifname \"%s\" accept comment \"minirun %s\"\n",
			 bridge, bridge, bridge, bridge);
	if (nat_nft(cmd, NULL, err) < 0) {
		mr_prefix(err, "accept bridge %s in docker's DOCKER-USER chain: ", bridge);
		return -1;
	}
	return 1;
}

int nat_docker_user_del(const char *bridge, struct mr_err *err)
{
	struct found f;
	if (nat_check_ifname(bridge, err) < 0)
		return -1;
	if (find_ours(bridge, &f) < 0)
		return errno == ENOENT ? 0
				       : mr_fail(err, errno, "list chain ip filter DOCKER-USER");
	if (f.n == 0)
		return 0;
	mr_say("removing bridge %s's %zu rule%s from docker's DOCKER-USER chain", bridge, f.n,
	       f.n == 1 ? "" : "s");
	char cmd[DU_MAX * 64];
	delete_cmds(&f, cmd, sizeof(cmd));
	if (nat_nft(cmd, NULL, err) < 0) {
		mr_prefix(err, "remove bridge %s from docker's DOCKER-USER chain: ", bridge);
		return -1;
	}
	return 0;
}
