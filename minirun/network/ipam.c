/*
 * minirun/network/ipam.c - IP address management, the pure part: network names, subnet
 * overlap, the next free subnet of the user pool, the next free address of a subnet.
 * Nothing here touches a file or the kernel, so tests/unit/test_network.c checks it all.
 *
 * Addresses are compared as host-order 32-bit numbers: a /N subnet is the numbers whose
 * top N bits equal the network's.
 *
 * See: RFC 4632 (CIDR), docker's libnetwork/ipam (the default address pools), IEEE 802
 *      (the I/G and U/L bits of a MAC's first byte).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "minirun/network/network.h"
#include "netns/netlink.h"

static uint32_t mask_of(int prefix)
{
	return prefix <= 0 ? 0 : 0xffffffffu << (32 - prefix);
}

int network_check_name(const char *name, struct mr_err *err)
{
	size_t len = strlen(name);
	if (!strcmp(name, "host") || !strcmp(name, "none"))
		return mr_fail(err, 0, "operation is not permitted on predefined %s network", name);
	if (len == 0 || len > 64 || !isalnum((unsigned char)name[0]))
		goto bad;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
			goto bad;
	return 0;
bad:
	return mr_fail(err, 0,
		       "invalid network name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-], at most 64 "
		       "bytes, are allowed",
		       name);
}

int network_subnets_overlap(struct in_addr a, int alen, struct in_addr b, int blen)
{
	/* Two prefixes overlap when the shorter one contains the other's network address. */
	int p = alen < blen ? alen : blen;
	return ((ntohl(a.s_addr) ^ ntohl(b.s_addr)) & mask_of(p)) == 0;
}

int network_pick_subnet(const struct network_subnet *used, size_t n, struct network_subnet *out,
			struct mr_err *err)
{
	struct nl_cidr pool;
	if (nl_parse_cidr(NETWORK_USER_POOL, &pool, err) < 0)
		return -1;
	uint32_t base = ntohl(pool.addr.s_addr) & mask_of(pool.prefix);
	for (uint32_t i = 0; i < (1u << (24 - pool.prefix)); i++) {
		struct in_addr cand = {htonl(base + (i << 8))};
		size_t j = 0;
		while (j < n && !network_subnets_overlap(cand, 24, used[j].net, used[j].prefix))
			j++;
		if (j == n) {
			out->net = cand;
			out->prefix = 24;
			return 0;
		}
	}
	return mr_fail(err, 0,
		       "could not find an available, non-overlapping IPv4 address pool among the "
		       "defaults (every /24 of %s is in use); give one with --subnet",
		       NETWORK_USER_POOL);
}

int network_pick_address(struct network_subnet subnet, struct in_addr gateway,
			 const struct in_addr *taken, size_t n, struct in_addr *out,
			 struct mr_err *err)
{
	uint32_t m = mask_of(subnet.prefix), net = ntohl(subnet.net.s_addr) & m;
	uint32_t last = net | ~m; /* the broadcast address */
	for (uint32_t a = net + 1; a < last; a++) {
		if (a == ntohl(gateway.s_addr))
			continue;
		size_t j = 0;
		while (j < n && ntohl(taken[j].s_addr) != a)
			j++;
		if (j == n) {
			out->s_addr = htonl(a);
			return 0;
		}
	}
	char buf[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &subnet.net, buf, sizeof(buf));
	return mr_fail(err, 0, "no available IPv4 addresses on this network's address pools: %s/%d",
		       buf, subnet.prefix);
}

/* the value of hex digit C, or -1 */
static int hexval(char c)
{
	const char *digits = "0123456789abcdef", *p = strchr(digits, tolower((unsigned char)c));
	return c && p ? (int)(p - digits) : -1;
}

int network_parse_mac(const char *s, char out[18], struct mr_err *err)
{
	unsigned char b[6];
	size_t len = strlen(s);
	/* the three spellings of Go's net.ParseMAC, six bytes only: 02:42:ac:11:00:02,
	 * 02-42-ac-11-00-02, 0242.ac11.0002 (docker also takes the 8- and 20-byte forms, which
	 * the kernel cuts to an Ethernet address's six: refused here) */
	char sep = len == 17 && (s[2] == ':' || s[2] == '-') ? s[2] : len == 14 ? '.' : 0;
	int group = sep == '.' ? 4 : 2; /* hex digits between separators */
	if (!sep)
		goto bad;
	/* 12 digits in both layouts: 17 - 5 separators, 14 - 2 */
	for (size_t i = 0, k = 0; i < len && k < 12; i++) {
		if ((i + 1) % (group + 1) == 0) { /* a separator's place */
			if (s[i] != sep)
				goto bad;
			continue;
		}
		int v = hexval(s[i]);
		if (v < 0)
			goto bad;
		b[k / 2] = (unsigned char)(k % 2 ? b[k / 2] << 4 | v : v);
		k++;
	}
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	/* what the kernel refuses an interface (is_valid_ether_addr: EADDRNOTAVAIL): docker
	 * finds out when the container starts and leaves it created; refused here, before */
	if (b[0] & 1)
		return mr_fail(err, 0,
			       "%s is not a valid mac address: it is a multicast address (the "
			       "first byte is odd); give a unicast one, such as 02:42:ac:11:00:02",
			       s);
	if (!(b[0] | b[1] | b[2] | b[3] | b[4] | b[5]))
		return mr_fail(err, 0,
			       "%s is not a valid mac address: no interface may have the all-zero "
			       "one; give another, such as 02:42:ac:11:00:02",
			       s);
	return 0;
bad:
	return mr_fail(err, 0, "%s is not a valid mac address", s);
}
