/*
 * tests/unit/test_ports.c - published ports on one host address and port ranges, before the
 * kernel sees them: netns/nat.c's mappings with a host address, the map's listing with its
 * interval keys, the clash rule; minirun/network/ports.c's -p ranges and refusals.
 */
#include <stdlib.h>
#include <string.h>

#include "minirun/network/network.h"
#include "netns/nat.h"
#include "tests/unit/unit.h"

static void mapping_with_host_address(void)
{
	struct nat_port p;
	struct mr_err err = {0};
	char buf[64];
	CU_ASSERT_EQUAL_FATAL(nat_parse_port("127.0.0.1:8080:10.88.0.2:80/udp", &p, &err), 0);
	CU_ASSERT_STRING_EQUAL(p.host_addr, "127.0.0.1");
	CU_ASSERT_EQUAL(p.host_port, 8080);
	CU_ASSERT_STRING_EQUAL(p.addr, "10.88.0.2");
	CU_ASSERT_STRING_EQUAL(nat_format_port(&p, buf, sizeof(buf)),
			       "127.0.0.1:8080:10.88.0.2:80/udp");
	CU_ASSERT_STRING_EQUAL(nat_format_key(&p, buf, sizeof(buf)), "127.0.0.1:8080/udp");
	/* 0.0.0.0 is every address: kept as "", printed as the plain form */
	CU_ASSERT_EQUAL_FATAL(nat_parse_port("0.0.0.0:8080:10.88.0.2:80", &p, &err), 0);
	CU_ASSERT_STRING_EQUAL(p.host_addr, "");
	CU_ASSERT_STRING_EQUAL(nat_format_port(&p, buf, sizeof(buf)), "8080:10.88.0.2:80/tcp");
	CU_ASSERT_EQUAL(nat_parse_port("web:8080:10.88.0.2:80", &p, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "host address 'web'"));
	CU_ASSERT_EQUAL(nat_parse_port("1.2.3.4:1:8080:10.88.0.2:80", &p, &err), -1);
	CU_ASSERT_EQUAL(nat_parse_port("::1:8080:10.88.0.2:80", &p, &err), -1);
}

static void listing_with_interval_keys_parses(void)
{
	struct nat_port *p = NULL;
	size_t n = 0;
	const char *text = "map published {\n\t\ttype ipv4_addr . inet_proto . inet_service : "
			   "ipv4_addr . inet_service\n\t\tflags interval\n\t\telements = { "
			   "0.0.0.0/0 . tcp . 8080 : 10.88.0.2 . 80,\n\t\t\t     127.0.0.1 . "
			   "17 . 53 : 10.88.0.3 . 5353, 10.0.0.0/8 . tcp . 1 : 10.88.0.4 . 1 }\n";
	CU_ASSERT_EQUAL(nat_parse_elements(text, &p, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2); /* an interval minirun never makes is not one of ours */
	CU_ASSERT_STRING_EQUAL(p[0].host_addr, "");
	CU_ASSERT_EQUAL(p[0].host_port, 8080);
	CU_ASSERT_STRING_EQUAL(p[1].host_addr, "127.0.0.1");
	CU_ASSERT_STRING_EQUAL(p[1].proto, "udp");
	CU_ASSERT_EQUAL(p[1].port, 5353);
	free(p);
}

static void every_address_clashes_with_one(void)
{
	struct nat_port all = {.proto = "tcp", .host_port = 8080}, lo = all, other = all, udp = all;
	strcpy(lo.host_addr, "127.0.0.1");
	strcpy(other.host_addr, "192.0.2.1");
	strcpy(udp.proto, "udp");
	CU_ASSERT_TRUE(nat_port_clash(&all, &lo));
	CU_ASSERT_TRUE(nat_port_clash(&lo, &all));
	CU_ASSERT_TRUE(nat_port_clash(&lo, &lo));
	CU_ASSERT_FALSE(nat_port_clash(&lo, &other));
	CU_ASSERT_FALSE(nat_port_clash(&all, &udp));
}

static void ranges_give_a_port_each(void)
{
	struct network_port *p = NULL;
	size_t n = 0;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(network_parse_ports("8000-8002:80-82/udp", &p, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(network_parse_ports("127.0.0.1::90-91", &p, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(network_parse_ports("8080:80", &p, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	for (unsigned i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(p[i].host_port, 8000 + i);
		CU_ASSERT_EQUAL(p[i].port, 80 + i);
		CU_ASSERT_STRING_EQUAL(p[i].proto, "udp");
	}
	CU_ASSERT_EQUAL(p[3].host_port, 0);
	CU_ASSERT_EQUAL(p[4].port, 91);
	CU_ASSERT_STRING_EQUAL(p[4].host_ip, "127.0.0.1");
	CU_ASSERT_EQUAL(p[5].host_port, 8080);
	free(p);
}

static void bad_ranges_and_ipv6_are_refused(void)
{
	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{"8000-8002:80", "invalid ranges specified for container and host Ports: 80 and "
				 "8000-8002"},
		{"8000-8001:80-82", "invalid ranges specified for container and host Ports: 80-82 "
				    "and 8000-8001"},
		{"82-80", "Invalid containerPort: 82-80"},
		{"8000-:80", "Invalid hostPort: 8000-"},
		{"[::1]:8080:80", "IPv6 publishing is not supported"},
		{"::1:8080:80", "IPv6 publishing is not supported"},
	};
	struct mr_err err = {0};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct network_port *p = NULL;
		size_t n = 0;
		err.msg[0] = '\0';
		CU_ASSERT_EQUAL(network_parse_ports(bad[i].spec, &p, &n, &err), -1);
		CU_ASSERT_EQUAL(n, 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].msg));
		free(p);
	}
	struct network_port one;
	CU_ASSERT_EQUAL(network_parse_port("8000-8001:80-81", &one, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "port ranges are not supported here"));
	CU_ASSERT_EQUAL(network_parse_port("8000-8000:80-80", &one, &err), 0);
}

static CU_TestInfo tests[] = {
	{"a mapping may name the one host address it answers on", mapping_with_host_address},
	{"the map's listing with interval keys parses", listing_with_interval_keys_parses},
	{"a port on every address clashes with the same port on one",
	 every_address_clashes_with_one},
	{"-p ranges give a port each", ranges_give_a_port_each},
	{"bad ranges and IPv6 addresses are refused in docker's words",
	 bad_ranges_and_ipv6_are_refused},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("published ports", tests)
