/*
 * tests/unit/test_network.c - the pure parts of minirun/network: network names, subnet
 * overlap, the next free subnet and address, docker's -p specs, the hosts file text, the
 * MAC addresses --mac-address takes.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/network/network.h"
#include "tests/unit/unit.h"

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a;
}

static void names_as_docker_allows(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(network_check_name("web", &err), 0);
	CU_ASSERT_EQUAL(network_check_name("my_net-1.2", &err), 0);
	CU_ASSERT_EQUAL(network_check_name("-x", &err), -1);
	CU_ASSERT_EQUAL(network_check_name("a/b", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "a/b"));
	CU_ASSERT_EQUAL(network_check_name("", &err), -1);
	CU_ASSERT_EQUAL(network_check_name("host", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "predefined"));
}

static void overlap_of_subnets(void)
{
	CU_ASSERT_TRUE(network_subnets_overlap(ip("10.89.0.0"), 24, ip("10.89.0.0"), 16));
	CU_ASSERT_TRUE(network_subnets_overlap(ip("10.0.0.0"), 8, ip("10.89.3.0"), 24));
	CU_ASSERT_FALSE(network_subnets_overlap(ip("10.89.0.0"), 24, ip("10.89.1.0"), 24));
	CU_ASSERT_FALSE(network_subnets_overlap(ip("10.88.0.0"), 16, ip("10.89.0.0"), 24));
	CU_ASSERT_TRUE(network_subnets_overlap(ip("10.89.0.7"), 32, ip("10.89.0.0"), 24));
}

static void picks_first_free_subnet(void)
{
	struct mr_err err = {0};
	struct network_subnet used[4] = {{ip("10.88.0.0"), 16},
					 {ip("10.89.0.0"), 24},
					 {ip("10.89.1.0"), 24},
					 {ip("10.89.2.0"), 23}};
	struct network_subnet out;
	CU_ASSERT_EQUAL(network_pick_subnet(used, 4, &out, &err), 0);
	CU_ASSERT_EQUAL(out.net.s_addr, ip("10.89.4.0").s_addr);
	CU_ASSERT_EQUAL(out.prefix, 24);
	struct network_subnet whole = {ip("10.0.0.0"), 8};
	CU_ASSERT_EQUAL(network_pick_subnet(&whole, 1, &out, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--subnet"));
}

static void picks_lowest_free_address(void)
{
	struct mr_err err = {0};
	struct network_subnet sn = {ip("10.89.0.0"), 29}; /* .1 .. .6 usable */
	struct in_addr taken[4] = {ip("10.89.0.2"), ip("10.89.0.4"), ip("10.89.0.3"),
				   ip("10.89.0.6")};
	struct in_addr out;
	CU_ASSERT_EQUAL(network_pick_address(sn, ip("10.89.0.1"), taken, 2, &out, &err), 0);
	CU_ASSERT_EQUAL(out.s_addr, ip("10.89.0.3").s_addr);
	CU_ASSERT_EQUAL(network_pick_address(sn, ip("10.89.0.1"), taken, 4, &out, &err), 0);
	CU_ASSERT_EQUAL(out.s_addr, ip("10.89.0.5").s_addr);
	struct in_addr full[5] = {ip("10.89.0.2"), ip("10.89.0.3"), ip("10.89.0.4"),
				  ip("10.89.0.5"), ip("10.89.0.6")};
	CU_ASSERT_EQUAL(network_pick_address(sn, ip("10.89.0.1"), full, 5, &out, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no available IPv4 addresses"));
	/* the broadcast address is never handed out */
	struct network_subnet tiny = {ip("10.89.0.0"), 30};
	struct in_addr two = ip("10.89.0.2");
	CU_ASSERT_EQUAL(network_pick_address(tiny, ip("10.89.0.1"), &two, 1, &out, &err), -1);
}

static void port_specs_as_docker(void)
{
	static const struct {
		const char *spec, *ip;
		unsigned host, port;
		const char *proto;
	} good[] = {
		{"80", "", 0, 80, "tcp"},
		{"8080:80", "", 8080, 80, "tcp"},
		{"8080:80/udp", "", 8080, 80, "udp"},
		{"127.0.0.1:8080:80", "127.0.0.1", 8080, 80, "tcp"},
		{"127.0.0.1::53/udp", "127.0.0.1", 0, 53, "udp"},
		{"53/udp", "", 0, 53, "udp"},
	};
	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{"abc", "Invalid containerPort: abc"},
		{"x:80", "Invalid hostPort: x"},
		{"8080:0", "Invalid containerPort: 0"},
		{"8080:70000", "Invalid containerPort: 70000"},
		{"8080:80/sctp", "invalid proto: sctp"},
		{"1.2.3:8080:80", "invalid IP address: 1.2.3"},
		{"8000-8010:80", "port ranges"},
		{"a:b:c:d", "invalid port format"},
		{"", "Invalid containerPort"},
	};
	struct network_port p;
	struct mr_err err = {0};
	char buf[64];
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		CU_ASSERT_EQUAL_FATAL(network_parse_port(good[i].spec, &p, &err), 0);
		CU_ASSERT_STRING_EQUAL(p.host_ip, good[i].ip);
		CU_ASSERT_EQUAL(p.host_port, good[i].host);
		CU_ASSERT_EQUAL(p.port, good[i].port);
		CU_ASSERT_STRING_EQUAL(p.proto, good[i].proto);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err.msg[0] = '\0';
		CU_ASSERT_EQUAL(network_parse_port(bad[i].spec, &p, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].msg));
	}
	network_parse_port("127.0.0.1:8080:80/udp", &p, &err);
	CU_ASSERT_STRING_EQUAL(network_format_port(&p, buf, sizeof(buf)), "127.0.0.1:8080->80/udp");
}

static void hosts_text_lists_lines_after_localhost(void)
{
	struct network_hosts_line l[2] = {{"10.89.0.2", "c1 db 0123456789ab"},
					  {"10.89.0.3", "c2 ba9876543210"}};
	char *t = network_hosts_format(l, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(strncmp(t, "127.0.0.1\tlocalhost\n", 20), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n10.89.0.2\tc1 db 0123456789ab\n10.89.0.3\tc2 "
					 "ba9876543210\n"));
	free(t);
}

static void macs_as_go_parses_them(void)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{"02:42:ac:11:00:02", "02:42:ac:11:00:02"},
		{"02-AB-cd-EF-00-01", "02:ab:cd:ef:00:01"},
		{"02ab.cdef.0003", "02:ab:cd:ef:00:03"},
		{"00:11:22:33:44:55", "00:11:22:33:44:55"}, /* a global one is fine */
	};
	static const struct {
		const char *in, *why;
	} bad[] = {
		{"", "is not a valid mac address"},
		{"zz", "is not a valid mac address"},
		{"02:42:ac:11:00", "is not a valid mac address"},
		{"02:42:ac:11:00:0g", "is not a valid mac address"},
		{"2:42:ac:11:0:93", "is not a valid mac address"},
		{"02:42-ac:11:00:93", "is not a valid mac address"},
		{"02:42:ac:11:00:93:aa", "is not a valid mac address"},
		{"02:00:00:00:00:00:00:01", "is not a valid mac address"},
		{"0242.ac11.00 2", "is not a valid mac address"},
		{" 02:42:ac:11:00:9", "is not a valid mac address"},
		{"01:00:5e:00:00:01", "multicast"},
		{"ff:ff:ff:ff:ff:ff", "multicast"},
		{"00:00:00:00:00:00", "all-zero"},
	};
	char mac[18];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct mr_err err = {0};
		CU_ASSERT_EQUAL(network_parse_mac(good[i].in, mac, &err), 0);
		CU_ASSERT_STRING_EQUAL(mac, good[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mr_err err = {0};
		CU_ASSERT_EQUAL(network_parse_mac(bad[i].in, mac, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].why));
		CU_ASSERT_EQUAL(strncmp(err.msg, bad[i].in, strlen(bad[i].in)), 0);
	}
}

static CU_TestInfo tests[] = {
	{"network names follow docker's rule; host and none are reserved", names_as_docker_allows},
	{"subnets overlap when the shorter prefix holds the other", overlap_of_subnets},
	{"a new network gets the first /24 of the pool no network overlaps",
	 picks_first_free_subnet},
	{"a lease is the lowest address not taken, never network/gateway/broadcast",
	 picks_lowest_free_address},
	{"-p specs parse as docker's, bad ones named in docker's words", port_specs_as_docker},
	{"a hosts file is the localhost lines then one line per container",
	 hosts_text_lists_lines_after_localhost},
	{"a MAC is six bytes in Go's three spellings, not multicast, not all zeros",
	 macs_as_go_parses_them},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("minirun network", tests)
