/*
 * tests/unit/test_netns.c - the parsing the netns library does before the kernel sees any
 * input (netns/nl.c, netns/nat.c): interface names, CIDRs, MACs, port mappings; and what
 * a request on a link that is not there says (one query of the host's links, no change).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netns/nat.h"
#include "netns/netlink.h"
#include "tests/unit/unit.h"

static void ifname_limits(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(nl_check_ifname("eth0", &err), 0);
	CU_ASSERT_EQUAL(nl_check_ifname("abcdefghijklmno", &err), 0); /* 15 bytes */
	CU_ASSERT_EQUAL(nl_check_ifname("abcdefghijklmnop", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "16 bytes"));
	CU_ASSERT_EQUAL(nl_check_ifname("", &err), -1);
	CU_ASSERT_EQUAL(nl_check_ifname("a/b", &err), -1);
	CU_ASSERT_EQUAL(nl_check_ifname("a b", &err), -1);
	CU_ASSERT_EQUAL(nl_check_ifname("a:1", &err), -1);
	CU_ASSERT_EQUAL(nl_check_ifname("..", &err), -1);
}

static void cidr_parses_and_names_bad_input(void)
{
	struct nl_cidr c;
	struct mr_err err = {0};
	char buf[24];
	CU_ASSERT_EQUAL(nl_parse_cidr("10.88.0.2/24", &c, &err), 0);
	CU_ASSERT_EQUAL(c.prefix, 24);
	CU_ASSERT_EQUAL(c.addr.s_addr, inet_addr("10.88.0.2"));
	CU_ASSERT_STRING_EQUAL(nl_cidr_network(&c, buf, sizeof(buf)), "10.88.0.0/24");
	CU_ASSERT_EQUAL(nl_parse_cidr("0.0.0.0/0", &c, &err), 0);
	CU_ASSERT_STRING_EQUAL(nl_cidr_network(&c, buf, sizeof(buf)), "0.0.0.0/0");
	CU_ASSERT_EQUAL(nl_parse_cidr("10.1.2.3/32", &c, &err), 0);
	CU_ASSERT_STRING_EQUAL(nl_cidr_network(&c, buf, sizeof(buf)), "10.1.2.3/32");
	const char *bad[] = {"10.88.0.2",
			     "10.88.0.2/33",
			     "10.88.0.300/24",
			     "10.88/16",
			     "10.88.0.2/",
			     "10.88.0.2/2x",
			     "/24",
			     "",
			     NULL};
	for (int i = 0; bad[i]; i++) {
		CU_ASSERT_EQUAL(nl_parse_cidr(bad[i], &c, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is not an IPv4 CIDR"));
	}
	CU_ASSERT_EQUAL(nl_parse_cidr("1.2.3.4/5x", &c, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'1.2.3.4/5x'"));
}

static void ipv4_and_mac(void)
{
	struct in_addr a;
	unsigned char m[6];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(nl_parse_ipv4("172.30.0.1", &a, &err), 0);
	CU_ASSERT_EQUAL(nl_parse_ipv4("172.30.0", &a, &err), -1);
	CU_ASSERT_EQUAL(nl_parse_ipv4("010.1.1.1", &a, &err), -1); /* no octal surprises */
	CU_ASSERT_EQUAL(nl_parse_mac("02:42:0a:58:00:02", m, &err), 0);
	CU_ASSERT_EQUAL(m[0], 0x02);
	CU_ASSERT_EQUAL(m[5], 0x02);
	CU_ASSERT_EQUAL(nl_parse_mac("02:42:0a:58:00", m, &err), -1);
	CU_ASSERT_EQUAL(nl_parse_mac("02:42:0a:58:00:0g", m, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is not a MAC address"));
}

static void port_mappings(void)
{
	struct nat_port p;
	struct mr_err err = {0};
	char buf[64];
	CU_ASSERT_EQUAL(nat_parse_port("8080:10.88.0.2:80", &p, &err), 0);
	CU_ASSERT_STRING_EQUAL(p.proto, "tcp");
	CU_ASSERT_EQUAL(p.host_port, 8080);
	CU_ASSERT_STRING_EQUAL(p.addr, "10.88.0.2");
	CU_ASSERT_EQUAL(p.port, 80);
	CU_ASSERT_STRING_EQUAL(nat_format_port(&p, buf, sizeof(buf)), "8080:10.88.0.2:80/tcp");
	CU_ASSERT_EQUAL(nat_parse_port("53:10.88.0.3:5353/udp", &p, &err), 0);
	CU_ASSERT_STRING_EQUAL(p.proto, "udp");
	CU_ASSERT_EQUAL(nat_parse_port("8080:10.88.0.2:80/sctp", &p, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'sctp' is not tcp or udp"));
	CU_ASSERT_EQUAL(nat_parse_port("0:10.88.0.2:80", &p, &err), -1);
	CU_ASSERT_EQUAL(nat_parse_port("8080:10.88.0.2:65536", &p, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "from 1 to 65535"));
	CU_ASSERT_EQUAL(nat_parse_port("8080:web:80", &p, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'web' is not an IPv4 address"));
	CU_ASSERT_EQUAL(nat_parse_port("8080:80", &p, &err), -1);
	CU_ASSERT_EQUAL(nat_parse_port("", &p, &err), -1);
}

static void published_map_listing_parses(void)
{
	struct nat_port *p = NULL;
	size_t n = 0;
	const char *named = "table ip minirun {\n\tmap published {\n\t\ttype inet_proto . "
			    "inet_service : ipv4_addr . inet_service\n\t\telements = { tcp . "
			    "8080 : 10.88.0.2 . 80,\n\t\t\t     udp . 53 : 10.88.0.3 . 5353 }\n";
	CU_ASSERT_EQUAL(nat_parse_elements(named, &p, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(p[0].proto, "tcp");
	CU_ASSERT_EQUAL(p[0].host_port, 8080);
	CU_ASSERT_STRING_EQUAL(p[1].proto, "udp");
	CU_ASSERT_STRING_EQUAL(p[1].addr, "10.88.0.3");
	CU_ASSERT_EQUAL(p[1].port, 5353);
	free(p);
	/* without /etc/protocols nft prints the numbers */
	CU_ASSERT_EQUAL(nat_parse_elements("elements = { 6 . 80 : 10.1.1.1 . 8080, 17 . 53 : "
					   "10.1.1.1 . 53 }",
					   &p, &n),
			0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(p[0].proto, "tcp");
	CU_ASSERT_STRING_EQUAL(p[1].proto, "udp");
	free(p);
	CU_ASSERT_EQUAL(nat_parse_elements("map published { type ... }", &p, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NULL(p);
}

/* A link can go between a caller's lookup and its request (netns_release: the kernel freeing
 * the namespace of a veth's other end, after `rm -f` killed a dead monitor's init): the
 * request's own lookup must then say ENODEV, as the kernel says of a gone index, or the
 * caller's missing_ok check takes it for a failure (the lease kept in bridge.json). */
static void a_request_on_a_missing_link_says_enodev(void)
{
	struct mr_err err = {0};
	_cleanup_nl_ struct nl *nl = nl_open(&err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(nl);
	const char *name = "mrvnosuchlink";
	CU_ASSERT_EQUAL_FATAL(nl_link_index(nl, name), 0);
	errno = 0;
	CU_ASSERT_EQUAL(nl_link_set_up(nl, name, 0, &err), -1);
	CU_ASSERT_EQUAL(errno, ENODEV);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no such interface 'mrvnosuchlink'"));
}

static CU_TestInfo tests[] = {
	{"interface names: 1 to 15 bytes, no '/', ':' or spaces", ifname_limits},
	{"a CIDR parses, gives its network, and bad ones are named",
	 cidr_parses_and_names_bad_input},
	{"IPv4 addresses are dotted quads only; MACs are six hex pairs", ipv4_and_mac},
	{"port mappings HOSTPORT:IP:PORT[/proto] parse and format back", port_mappings},
	{"the published map's listing parses, protocols by name or number",
	 published_map_listing_parses},
	{"a request on a link that is not there fails with ENODEV",
	 a_request_on_a_missing_link_says_enodev},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("netns", tests)
