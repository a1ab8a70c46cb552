/*
 * tests/unit/test_network_dns.c - names by DNS (minirun/network/dns.h) and the files
 * --dns/--dns-search/--dns-option/--add-host make (minirun/containers/dns_flags.h): a query
 * read and an answer written through ldns, which container a name means for which asker,
 * resolv.conf's nameservers, and resolv.conf and hosts lines as docker writes them.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/containers/containers.h"
#include "minirun/containers/dns_flags.h"
#include "minirun/network/dns.h"
#include "tests/unit/unit.h"

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a;
}

/* a query for "Api" type A, ID 0x1234, RD set: RFC 1035's wire form, by hand */
static const uint8_t query_api[] = {0x12, 0x34, 0x01, 0x00, 0,   1, 0, 0, 0, 0, 0,
				    0,    3,    'A',  'p',  'i', 0, 0, 1, 0, 1};

static void a_query_read_and_answered(void)
{
	struct dns_query q;
	CU_ASSERT_EQUAL_FATAL(dns_query_parse(query_api, sizeof(query_api), &q), 0);
	CU_ASSERT_EQUAL(q.id, 0x1234);
	CU_ASSERT(q.rd);
	CU_ASSERT_EQUAL(q.opcode, 0);
	CU_ASSERT_EQUAL(q.qtype, DNS_A);
	CU_ASSERT_EQUAL(q.qclass, DNS_CLASS_IN);
	CU_ASSERT_STRING_EQUAL(q.name, "api"); /* lower case, no final dot */

	struct in_addr addrs[] = {ip("10.89.0.2"), ip("10.89.0.3")};
	uint8_t *out = NULL;
	size_t len = 0;
	CU_ASSERT_EQUAL_FATAL(
		dns_answer(query_api, sizeof(query_api), DNS_NOERROR, addrs, 2, &out, &len), 0);
	CU_ASSERT_FATAL(len == 21 + 2 * 16); /* the question, then 2 x (pointer + 10 + 4) */
	CU_ASSERT(out[0] == 0x12 && out[1] == 0x34);
	CU_ASSERT_EQUAL(out[2], 0x85);                       /* QR, AA, RD */
	CU_ASSERT_EQUAL(out[3], 0x80);                       /* RA, NOERROR */
	CU_ASSERT(out[6] == 0 && out[7] == 2);               /* two answers */
	CU_ASSERT(memcmp(out + 12, query_api + 12, 9) == 0); /* the question as asked */
	CU_ASSERT(out[21] == 0xc0 && out[22] == 12);         /* owner: a pointer to it */
	CU_ASSERT(memcmp(out + 27, "\x00\x00\x02\x58\x00\x04", 6) == 0); /* TTL 600, 4 bytes */
	CU_ASSERT(memcmp(out + 33, "\x0a\x59\x00\x02", 4) == 0);
	CU_ASSERT(memcmp(out + 49, "\x0a\x59\x00\x03", 4) == 0);
	free(out);

	CU_ASSERT_EQUAL_FATAL(
		dns_answer(query_api, sizeof(query_api), DNS_REFUSED, NULL, 0, &out, &len), 0);
	CU_ASSERT_EQUAL(out[3] & 0x0f, DNS_REFUSED);
	CU_ASSERT_EQUAL(out[2] & 0x04, 0); /* not authoritative for a refusal */
	free(out);
}

static void no_query_is_refused(void)
{
	struct dns_query q;
	uint8_t resp[sizeof(query_api)], two[sizeof(query_api)];
	uint16_t id;
	CU_ASSERT_EQUAL(dns_query_parse(query_api, 11, &q), -1); /* no full header */
	CU_ASSERT_EQUAL(dns_query_parse(query_api, sizeof(query_api) - 1, &q), -1);
	memcpy(resp, query_api, sizeof(resp));
	resp[2] |= 0x80; /* QR: a response */
	CU_ASSERT_EQUAL(dns_query_parse(resp, sizeof(resp), &q), -1);
	memcpy(two, query_api, sizeof(two));
	two[5] = 2; /* says two questions, holds one */
	CU_ASSERT_EQUAL(dns_query_parse(two, sizeof(two), &q), -1);
	CU_ASSERT_EQUAL(dns_header_id(query_api, 11, &id), -1);
	CU_ASSERT_EQUAL(dns_header_id(query_api, 12, &id), 0);
	CU_ASSERT_EQUAL(id, 0x1234);
	uint8_t bare[12];
	dns_bare_answer(0xabcd, DNS_FORMERR, bare);
	CU_ASSERT(bare[0] == 0xab && bare[1] == 0xcd && bare[2] == 0x80 && bare[3] == 0x81);
}

/* three networks as network_list gives them: the default bridge, n1 (asker c1, api with the
 * alias web, w2 with the alias web), n2 (api2, and c1 too) and n3 (x, without c1) */
static json_t *records(void)
{
	const char *text =
		"[{\"Name\":\"bridge\",\"Id\":\"d0\",\"Options\":{\"com.docker.network.bridge."
		"default_bridge\":\"true\"},\"Containers\":{\"bbbbbbbbbbbbbbbb\":{\"Name\":\"api\","
		"\"IPv4Address\":\"10.88.0.2/16\",\"Aliases\":[]}}},"
		"{\"Name\":\"n1\",\"Id\":\"n1id\",\"Containers\":{"
		"\"c1c1c1c1c1c1c1c1\":{\"Name\":\"c1\",\"IPv4Address\":\"10.89.0.5/24\",\"Aliases\":[]},"
		"\"a1a1a1a1a1a1a1a1\":{\"Name\":\"api\",\"IPv4Address\":\"10.89.0.2/24\","
		"\"Aliases\":[\"web\"]},"
		"\"f2f2f2f2f2f2f2f2\":{\"Name\":\"w2\",\"IPv4Address\":\"10.89.0.3/24\","
		"\"Aliases\":[\"Web\"]}}},"
		"{\"Name\":\"n2\",\"Id\":\"n2id\",\"Containers\":{"
		"\"c1c1c1c1c1c1c1c1\":{\"Name\":\"c1\",\"IPv4Address\":\"10.89.1.5/24\",\"Aliases\":[]},"
		"\"a2a2a2a2a2a2a2a2\":{\"Name\":\"api2\",\"IPv4Address\":\"10.89.1.2/24\","
		"\"Aliases\":[]}}},"
		"{\"Name\":\"n3\",\"Id\":\"n3id\",\"Containers\":{"
		"\"e3e3e3e3e3e3e3e3\":{\"Name\":\"x\",\"IPv4Address\":\"10.89.2.2/24\","
		"\"Aliases\":[]}}}]";
	return json_loads(text, 0, NULL);
}

static void names_for_the_asker(void)
{
	json_t *all = records();
	struct in_addr out[8], asker = ip("10.89.0.5");
	const char *who = NULL;
	char a[INET_ADDRSTRLEN];
	CU_ASSERT_PTR_NOT_NULL_FATAL(all);
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "api", out, 8, &who), 1);
	CU_ASSERT_STRING_EQUAL(inet_ntop(AF_INET, &out[0], a, sizeof(a)), "10.89.0.2");
	CU_ASSERT_STRING_EQUAL(who, "c1c1c1c1c1c1c1c1");
	/* an alias two containers share: both, in record order */
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "web", out, 8, NULL), 2);
	CU_ASSERT_STRING_EQUAL(inet_ntop(AF_INET, &out[1], a, sizeof(a)), "10.89.0.3");
	/* the short ID, 12 hex */
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "a1a1a1a1a1a1", out, 8, NULL), 1);
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "a1a1a1", out, 8, NULL), 0);
	/* a container on another network the asker is on too */
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "api2", out, 8, NULL), 1);
	CU_ASSERT_STRING_EQUAL(inet_ntop(AF_INET, &out[0], a, sizeof(a)), "10.89.1.2");
	/* not on a network the asker is not on, nor through the default bridge */
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "x", out, 8, NULL), 0);
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "nosuch", out, 8, NULL), 0);
	/* an address with no lease on the network asked: refused */
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", ip("10.89.1.5"), "api", out, 8, NULL), -1);
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", ip("10.89.0.1"), "api", out, 8, NULL), -1);
	CU_ASSERT_EQUAL(dns_lookup(all, "d0", ip("10.88.0.2"), "api", out, 8, NULL), -1);
	/* MAX is kept */
	CU_ASSERT_EQUAL(dns_lookup(all, "n1id", asker, "web", out, 1, NULL), 1);
	json_decref(all);
}

static void reverse_lookups(void)
{
	json_t *all = records();
	struct in_addr asker = ip("10.89.0.5");
	char out[256];
	CU_ASSERT_EQUAL(
		dns_lookup_ptr(all, "n1id", asker, "2.0.89.10.in-addr.arpa", out, sizeof(out)), 1);
	CU_ASSERT_STRING_EQUAL(out, "api.n1");
	CU_ASSERT_EQUAL(
		dns_lookup_ptr(all, "n1id", asker, "2.1.89.10.in-addr.arpa", out, sizeof(out)), 1);
	CU_ASSERT_STRING_EQUAL(out, "api2.n2"); /* on the asker's other network */
	CU_ASSERT_EQUAL(
		dns_lookup_ptr(all, "n1id", asker, "2.2.89.10.in-addr.arpa", out, sizeof(out)),
		0); /* n3: not the asker's */
	CU_ASSERT_EQUAL(
		dns_lookup_ptr(all, "n1id", asker, "2.0.89.10.in-addr.arpa.x", out, sizeof(out)),
		0);
	CU_ASSERT_EQUAL(
		dns_lookup_ptr(all, "n1id", asker, "300.0.89.10.in-addr.arpa", out, sizeof(out)),
		0);
	/* a label with a leading zero or a sign is another name (tests/fuzz/crashes/dns_respond) */
	CU_ASSERT_EQUAL(
		dns_lookup_ptr(all, "n1id", asker, "02.0.89.10.in-addr.arpa", out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(
		dns_lookup_ptr(all, "n1id", asker, "+2.0.89.10.in-addr.arpa", out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(dns_lookup_ptr(all, "n1id", ip("10.1.1.1"), "2.0.89.10.in-addr.arpa", out,
				       sizeof(out)),
			-1);
	/* the answer: one PTR record naming api.n1 */
	static const uint8_t q[] = {0,   7,   1,   0,   0,   1,   0,   0,   0,   0,
				    0,   0,   1,   '2', 1,   '0', 2,   '8', '9', 2,
				    '1', '0', 7,   'i', 'n', '-', 'a', 'd', 'd', 'r',
				    4,   'a', 'r', 'p', 'a', 0,   0,   12,  0,   1};
	uint8_t *wire = NULL;
	size_t len = 0;
	CU_ASSERT_EQUAL_FATAL(dns_answer_ptr(q, sizeof(q), "api.n1", &wire, &len), 0);
	CU_ASSERT(wire[7] == 1 && len > sizeof(q) + 12);
	CU_ASSERT(memmem(wire, len,
			 "\x03"
			 "api"
			 "\x02"
			 "n1",
			 7) != NULL);
	free(wire);
	json_decref(all);
}

/* dns_respond: the responder's verdict on what a container sends */
static void the_responders_verdicts(void)
{
	json_t *all = records();
	uint8_t *out = NULL, refused[sizeof(query_api)];
	size_t len = 0;
	const char *who = NULL;
	static const uint8_t other[] = {0, 9,   1, 0,   0,   1,   0, 0, 0, 0, 0, 0,
					1, 'x', 3, 'o', 'r', 'g', 0, 0, 1, 0, 1};
	CU_ASSERT_EQUAL_FATAL(dns_respond(all, "n1id", ip("10.89.0.5"), query_api,
					  sizeof(query_api), &out, &len, &who),
			      DNS_REPLY);
	CU_ASSERT(len > 12 && out[7] == 1); /* one A record: api's */
	CU_ASSERT_STRING_EQUAL(who, "c1c1c1c1c1c1c1c1");
	free(out);
	/* a name nobody here has: forwarded, for the asker's --dns servers */
	CU_ASSERT_EQUAL(
		dns_respond(all, "n1id", ip("10.89.0.5"), other, sizeof(other), &out, &len, &who),
		DNS_FORWARD);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_STRING_EQUAL(who, "c1c1c1c1c1c1c1c1");
	/* no lease: REFUSED */
	CU_ASSERT_EQUAL_FATAL(dns_respond(all, "n1id", ip("10.89.0.9"), query_api,
					  sizeof(query_api), &out, &len, &who),
			      DNS_REPLY);
	CU_ASSERT_EQUAL(out[3] & 0x0f, DNS_REFUSED);
	free(out);
	/* two questions said, one sent: FORMERR; a response: dropped */
	memcpy(refused, query_api, sizeof(refused));
	refused[5] = 2;
	CU_ASSERT_EQUAL_FATAL(dns_respond(all, "n1id", ip("10.89.0.5"), refused, sizeof(refused),
					  &out, &len, &who),
			      DNS_REPLY);
	CU_ASSERT(len == 12 && (out[3] & 0x0f) == DNS_FORMERR);
	free(out);
	refused[5] = 1;
	refused[2] |= 0x80;
	CU_ASSERT_EQUAL(dns_respond(all, "n1id", ip("10.89.0.5"), refused, sizeof(refused), &out,
				    &len, &who),
			DNS_DROP);
	json_decref(all);
}

static void nameservers_of_resolv_conf(void)
{
	struct dns_upstream up[4];
	size_t n = dns_resolv_servers("# comment\nsearch x\nnameserver 127.0.0.53\n"
				      "  nameserver ::1\nnameserver\nnameserver bogus\n"
				      "nameserver 10.0.0.2 # trailing\n",
				      up, 4);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(up[0].addr.ss_family, AF_INET);
	CU_ASSERT_EQUAL(up[1].addr.ss_family, AF_INET6);
	CU_ASSERT_EQUAL(ntohs(((struct sockaddr_in *)&up[2].addr)->sin_port), 53);
	CU_ASSERT_EQUAL(dns_resolv_servers("nameserver 1.1.1.1\nnameserver 1.0.0.1\n", up, 1), 1);
	CU_ASSERT_EQUAL(dns_resolv_servers("", up, 4), 0);
}

static void resolv_conf_as_docker_writes_it(void)
{
	const char *host = "nameserver 127.0.0.53\nnameserver 10.0.0.1\nsearch h.example\n"
			   "options edns0\n";
	char *empty[] = {NULL}, *servers[] = {"10.0.0.2", NULL}, *search[] = {"c.example", NULL};
	char *options[] = {"ndots:2", NULL}, *dot[] = {".", NULL};
	struct container_dns none = {empty, empty, empty, NULL};
	struct container_dns flags = {servers, search, options, NULL};
	struct container_dns search_only = {NULL, dot, NULL, NULL};
	char *up = NULL, *t;

	t = container_resolv_build(host, &none, NULL, &up);
	CU_ASSERT_STRING_EQUAL(t, "nameserver 10.0.0.1\nsearch h.example\noptions edns0\n");
	CU_ASSERT_PTR_NULL(up);
	free(t);
	t = container_resolv_build("nameserver 127.0.0.1\n", &none, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(t, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	free(t);
	t = container_resolv_build(host, &flags, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(t, "search c.example\nnameserver 10.0.0.2\noptions ndots:2\n");
	free(t);
	t = container_resolv_build(host, &search_only, NULL, NULL);
	CU_ASSERT_STRING_EQUAL(t, "nameserver 127.0.0.53\nnameserver 10.0.0.1\noptions edns0\n");
	free(t);
	/* a user network: its responder only, ndots:0 unless the user set one */
	t = container_resolv_build(host, &none, "10.89.0.1", &up);
	CU_ASSERT_STRING_EQUAL(t,
			       "search h.example\nnameserver 10.89.0.1\noptions edns0 ndots:0\n");
	CU_ASSERT_PTR_NULL(up);
	free(t);
	t = container_resolv_build(host, &flags, "10.89.0.1", &up);
	CU_ASSERT_STRING_EQUAL(t, "search c.example\nnameserver 10.89.0.1\noptions ndots:2\n");
	CU_ASSERT_STRING_EQUAL(up, "nameserver 10.0.0.2\n"); /* --dns: the responder's upstream */
	free(t);
	free(up);
}

static void extra_hosts_lines(void)
{
	char *hosts[] = {"db:10.0.0.5", "gw:host-gateway", "v6:::1", NULL};
	struct container_dns d = {.extra_hosts = hosts};
	char *t = container_extra_hosts(&d, "10.88.0.1");
	CU_ASSERT_STRING_EQUAL(t, "10.0.0.5\tdb\n10.88.0.1\tgw\n::1\tv6\n");
	free(t);
	d.extra_hosts = NULL; /* null: none */
	t = container_extra_hosts(&d, "10.88.0.1");
	CU_ASSERT_STRING_EQUAL(t, "");
	free(t);
}

/* HC's keys Dns DnsOptions DnsSearch ExtraHosts, as JSON text */
static char *dns_keys(json_t *hc)
{
	json_t *o = json_object();
	const char *keys[] = {"Dns", "DnsOptions", "DnsSearch", "ExtraHosts"};
	for (size_t i = 0; i < 4; i++)
		if (json_object_get(hc, keys[i]))
			json_object_set(o, keys[i], json_object_get(hc, keys[i]));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* the four lists through the record's JSON: docker's [] and null where there is no flag */
static void dns_lists_round_trip_the_record(void)
{
	char *dns[] = {"1.1.1.1", NULL}, *hosts[] = {"a:10.0.0.1", NULL};
	struct container_opts o = {.dns = dns, .extra_hosts = hosts};
	struct container_record r = {0};
	CU_ASSERT_EQUAL(container_dnsflags_record(&r, &o), 0);
	json_t *rec = json_pack("{s:{s:n, s:n, s:n, s:n}}", "HostConfig", "Dns", "DnsOptions",
				"DnsSearch", "ExtraHosts");
	container_record_to_json(&r, rec);
	char *s = dns_keys(json_object_get(rec, "HostConfig"));
	CU_ASSERT_STRING_EQUAL(s, "{\"Dns\":[\"1.1.1.1\"],\"DnsOptions\":[],\"DnsSearch\":[],"
				  "\"ExtraHosts\":[\"a:10.0.0.1\"]}");
	free(s);
	struct container_opts none = {0};
	CU_ASSERT_EQUAL(container_dnsflags_record(&r, &none), 0);
	container_record_to_json(&r, rec);
	s = dns_keys(json_object_get(rec, "HostConfig"));
	CU_ASSERT_STRING_EQUAL(s, "{\"Dns\":[],\"DnsOptions\":[],\"DnsSearch\":[],"
				  "\"ExtraHosts\":null}");
	free(s);
	/* an older record without the keys: read as none, written back without them */
	json_t *old = json_pack("{s:{}}", "HostConfig");
	CU_ASSERT_EQUAL(container_record_from_json(old, &r, NULL), 0);
	CU_ASSERT_PTR_NULL(r.host.dns.servers);
	container_record_to_json(&r, old);
	s = dns_keys(json_object_get(old, "HostConfig"));
	CU_ASSERT_STRING_EQUAL(s, "{}");
	free(s);
	json_decref(old);
	json_decref(rec);
	container_record_free(&r);
}

static CU_TestInfo tests[] = {
	{"a query's question is read, and answered with A records (TTL 600, AA)",
	 a_query_read_and_answered},
	{"a response, a short message, two questions: no query", no_query_is_refused},
	{"a name means the containers of the asker's user networks; a stranger is refused",
	 names_for_the_asker},
	{"a reverse lookup names the container CONTAINER.NETWORK", reverse_lookups},
	{"the responder answers a name it knows, forwards others, refuses a stranger",
	 the_responders_verdicts},
	{"resolv.conf's nameservers, IPv4 and IPv6, port 53", nameservers_of_resolv_conf},
	{"resolv.conf as docker writes it: host's, flags, a user network's responder",
	 resolv_conf_as_docker_writes_it},
	{"--add-host lines, host-gateway replaced", extra_hosts_lines},
	{"the --dns lists and --add-host through the record: [] and null as docker",
	 dns_lists_round_trip_the_record},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("network: names by DNS", tests)
