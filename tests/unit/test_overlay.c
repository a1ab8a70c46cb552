/*
 * tests/unit/test_overlay.c - minirun/network/overlay.c before any kernel: how static peers
 * cut the subnet into one slice per host, and what of another host's file in the peers
 * directory reaches a hosts file (a hostile name or address does not) or takes an address.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minirun/network/overlay.h"
#include "tests/unit/unit.h"

static struct network_subnet sn(const char *net, int prefix)
{
	struct network_subnet s = {.prefix = prefix};
	inet_pton(AF_INET, net, &s.net);
	return s;
}

static const char *net_of(struct network_subnet s, char *buf)
{
	inet_ntop(AF_INET, &s.net, buf, INET_ADDRSTRLEN);
	return buf;
}

static void two_hosts_take_a_half_each(void)
{
	struct mr_err err = {0};
	char b[INET_ADDRSTRLEN];
	struct network_subnet a = sn("10.77.0.0", 24), c = sn("10.77.0.0", 24);
	CU_ASSERT_EQUAL_FATAL(overlay_slice(&a, "172.30.0.1", "172.30.0.2", &err), 0);
	CU_ASSERT_STRING_EQUAL(net_of(a, b), "10.77.0.0");
	CU_ASSERT_EQUAL(a.prefix, 25);
	/* host B names both hosts, in another order, one twice: the same cut */
	CU_ASSERT_EQUAL_FATAL(
		overlay_slice(&c, "172.30.0.2", "172.30.0.2,172.30.0.1,172.30.0.1", &err), 0);
	CU_ASSERT_STRING_EQUAL(net_of(c, b), "10.77.0.128");
	CU_ASSERT_EQUAL(c.prefix, 25);
}

static void hosts_sort_by_address_not_text(void)
{
	struct mr_err err = {0};
	char b[INET_ADDRSTRLEN];
	/* as text "172.30.0.10" < "172.30.0.9"; as addresses .9 comes first */
	struct network_subnet s = sn("10.0.0.0", 16);
	CU_ASSERT_EQUAL_FATAL(overlay_slice(&s, "172.30.0.10", "172.30.0.9,172.30.0.1", &err), 0);
	/* three hosts: four slices of /18; .10 is the third */
	CU_ASSERT_EQUAL(s.prefix, 18);
	CU_ASSERT_STRING_EQUAL(net_of(s, b), "10.0.128.0");
}

static void too_small_a_subnet_is_refused(void)
{
	struct mr_err err = {0};
	struct network_subnet s = sn("10.77.0.0", 29);
	CU_ASSERT_EQUAL(overlay_slice(&s, "172.30.0.1", "172.30.0.2,172.30.0.3", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "too small to give each of 3 hosts a slice"));
}

static void only_sane_entries_reach_the_hosts_file(void)
{
	char dir[] = "/tmp/test_overlay.XXXXXX", path[64];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/172.30.0.2.json", dir);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("{\"Underlay\": \"172.30.0.2\", \"Containers\": {"
	      "\"c2\": {\"Name\": \"api\", \"IPv4Address\": \"10.77.0.3/24\", \"Aliases\": "
	      "[\"db\", \"x\\n10.0.0.1 evil\"]},"
	      "\"c3\": {\"Name\": \"a b\", \"IPv4Address\": \"10.77.0.4/24\"},"
	      "\"c4\": {\"Name\": \"bad\", \"IPv4Address\": \"10.77.0.300/24\"}}}",
	      f);
	fclose(f);
	/* this host's own file is not read back as another's */
	snprintf(path, sizeof(path), "%s/172.30.0.1.json", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("{\"Underlay\": \"172.30.0.1\", \"Containers\": {\"c1\": {\"Name\": \"web\", "
	      "\"IPv4Address\": \"10.77.0.2/24\"}}}",
	      f);
	fclose(f);
	json_t *rec = json_pack("{s:s, s:{s:s, s:s}}", "Driver", "overlay", "Options", "peers-dir",
				dir, "local", "172.30.0.1");
	struct network_hosts_line lines[8];
	char addrs[8][16], names[8][512];
	size_t n = 0;
	overlay_hosts_lines(rec, lines, addrs, names, &n, 8);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	size_t api = strcmp(lines[0].addr, "10.77.0.3") == 0 ? 0 : 1;
	CU_ASSERT_STRING_EQUAL(lines[api].addr, "10.77.0.3");
	CU_ASSERT_STRING_EQUAL(lines[api].names,
			       "api db c2"); /* the alias with a newline: dropped */
	CU_ASSERT_STRING_EQUAL(lines[1 - api].addr, "10.77.0.4");
	CU_ASSERT_STRING_EQUAL(lines[1 - api].names, "c3"); /* a name with a space: dropped */
	json_decref(rec);
	unlink(path);
	snprintf(path, sizeof(path), "%s/172.30.0.2.json", dir);
	unlink(path);
	rmdir(dir);
}

/* names past a line's 512 bytes are left out whole, never cut (a cut alias is another name
 * of that address), and the short ID stays (found by tests/fuzz/fuzz_overlay_peers.c) */
static void long_aliases_are_never_cut(void)
{
	char dir[] = "/tmp/test_overlay.XXXXXX", path[64], a[201], b[201], c[201];
	memset(a, 'a', 200), memset(b, 'b', 200), memset(c, 'c', 200);
	a[200] = b[200] = c[200] = '\0';
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/172.30.0.2.json", dir);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f,
		"{\"Underlay\": \"172.30.0.2\", \"Containers\": {\"c5c5c5c5c5c5c5\": {"
		"\"Name\": \"web\", \"IPv4Address\": \"10.77.0.5/24\", "
		"\"Aliases\": [\"%s\", \"%s\", \"%s\", \"db\"]}}}",
		a, b, c);
	fclose(f);
	json_t *rec = json_pack("{s:s, s:{s:s, s:s}}", "Driver", "overlay", "Options", "peers-dir",
				dir, "local", "172.30.0.1");
	struct network_hosts_line lines[2];
	char addrs[2][16], names[2][512], want[512];
	size_t n = 0;
	overlay_hosts_lines(rec, lines, addrs, names, &n, 2);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	snprintf(want, sizeof(want), "web %s %s db c5c5c5c5c5c5", a, b);
	CU_ASSERT_STRING_EQUAL(lines[0].names, want);
	json_decref(rec);
	unlink(path);
	rmdir(dir);
}

static void run_ip_respects_the_slice_and_other_hosts(void)
{
	struct mr_err err = {0};
	struct network_subnet sub = sn("10.77.0.0", 24);
	/* static peers: host 172.30.0.1 has the first half */
	json_t *rec = json_pack("{s:s, s:{s:s, s:s}}", "Driver", "overlay", "Options", "local",
				"172.30.0.1", "peers", "172.30.0.2");
	CU_ASSERT_EQUAL(overlay_check_address(rec, sub, "10.77.0.100", &err), 0);
	CU_ASSERT_EQUAL(overlay_check_address(rec, sub, "10.77.0.200", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "its slice 10.77.0.0/25"));
	json_decref(rec);
	/* a peers directory: the whole subnet, but not another host's lease */
	char dir[] = "/tmp/test_overlay.XXXXXX", path[64];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/172.30.0.2.json", dir);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("{\"Underlay\": \"172.30.0.2\", \"Containers\": {\"c2\": {\"Name\": \"api\", "
	      "\"IPv4Address\": \"10.77.0.3/24\"}}}",
	      f);
	fclose(f);
	rec = json_pack("{s:s, s:{s:s, s:s}}", "Driver", "overlay", "Options", "local",
			"172.30.0.1", "peers-dir", dir);
	CU_ASSERT_EQUAL(overlay_check_address(rec, sub, "10.77.0.200", &err), 0);
	CU_ASSERT_EQUAL(overlay_check_address(rec, sub, "10.77.0.3", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "by a container on another host"));
	json_decref(rec);
	unlink(path);
	rmdir(dir);
}

static CU_TestInfo tests[] = {
	{"static peers: two hosts take a half of the subnet each, whoever lists them how",
	 two_hosts_take_a_half_each},
	{"static peers: hosts are ordered by address, not as text", hosts_sort_by_address_not_text},
	{"static peers: a subnet too small for a slice per host is refused",
	 too_small_a_subnet_is_refused},
	{"peers directory: a hostile name or address never reaches a hosts file",
	 only_sane_entries_reach_the_hosts_file},
	{"peers directory: names past a hosts line's room are left out whole, never cut",
	 long_aliases_are_never_cut},
	{"run --ip: this host's slice (static peers), not another host's lease (directory)",
	 run_ip_respects_the_slice_and_other_hosts},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("network overlay", tests)
