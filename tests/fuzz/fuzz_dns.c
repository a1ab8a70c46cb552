/*
 * tests/fuzz/fuzz_dns.c - fuzz what the network's DNS responder reads from a container
 * (minirun/network/dns_msg.c over ldns, dns_names.c): a query on the wire, and resolv.conf
 * text.
 *
 * The input is one UDP payload as a container could send it to GATEWAY:53. It goes to
 * dns_query_parse, then to dns_answer (with two addresses, as for a name two containers
 * share), and, as text, to dns_resolv_servers.
 *
 * Oracles:
 *  - dns_answer succeeds exactly when dns_query_parse does (the responder never has a query
 *    it can read but not answer, nor answers what it could not read);
 *  - a parsed name is lower case, without the root's final dot (a dot inside a label is
 *    written "\\." by ldns: a name may end in one), shorter than 256 bytes;
 *  - the answer carries the query's ID, QR set, the asked RCODE, one question and two
 *    answers, and ldns reads it back;
 *  - dns_resolv_servers returns at most MAX servers, each IPv4 or IPv6 on port 53.
 *
 * Seeds: tests/fuzz/seeds/dns/. See: minirun/network/dns.h; tests/fuzz/README.md.
 */
#include "minirun/network/dns.h"
#include "tests/fuzz/fuzz.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ldns/ldns.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_query q;
	struct in_addr addrs[2];
	uint8_t *out = NULL;
	size_t len = 0;
	inet_pton(AF_INET, "10.89.0.2", &addrs[0]);
	inet_pton(AF_INET, "10.89.0.3", &addrs[1]);
	int parsed = dns_query_parse(data, size, &q);
	int answered = dns_answer(data, size, DNS_NOERROR, addrs, 2, &out, &len);
	if ((parsed == 0) != (answered == 0))
		fuzz_oracle("parse %d but answer %d", parsed, answered);
	if (parsed == 0) {
		/* ldns writes a dot inside a label as "\\.": a final dot may only be one of those */
		size_t n = strlen(q.name), slashes = 0;
		while (slashes + 1 < n && q.name[n - 2 - slashes] == '\\')
			slashes++;
		if (n >= 256 || (n && q.name[n - 1] == '.' && slashes % 2 == 0))
			fuzz_oracle("name '%s' not as dns.h says", q.name);
		for (size_t i = 0; i < n; i++)
			if (isupper((unsigned char)q.name[i]))
				fuzz_oracle("name '%s' not lower case", q.name);
	}
	if (answered == 0) {
		ldns_pkt *p = NULL;
		if (len < 12 || out[0] != data[0] || out[1] != data[1] || !(out[2] & 0x80) ||
		    (out[3] & 0x0f) != DNS_NOERROR)
			fuzz_oracle("answer header wrong");
		if (ldns_wire2pkt(&p, out, len) != LDNS_STATUS_OK)
			fuzz_oracle("ldns can't read our answer back");
		else if (ldns_pkt_qdcount(p) != 1 || ldns_pkt_ancount(p) != 2)
			fuzz_oracle("answer has %u questions, %u answers", ldns_pkt_qdcount(p),
				    ldns_pkt_ancount(p));
		ldns_pkt_free(p);
		free(out);
	}

	char *text = fuzz_str(data, size);
	struct dns_upstream up[3];
	size_t n = dns_resolv_servers(text, up, 3);
	if (n > 3)
		fuzz_oracle("%zu servers of at most 3", n);
	for (size_t i = 0; i < n; i++) {
		int fam = up[i].addr.ss_family;
		in_port_t port = fam == AF_INET ? ((struct sockaddr_in *)&up[i].addr)->sin_port
						: ((struct sockaddr_in6 *)&up[i].addr)->sin6_port;
		if ((fam != AF_INET && fam != AF_INET6) || ntohs(port) != 53)
			fuzz_oracle("server %zu: family %d port %u", i, fam, ntohs(port));
	}
	free(text);
	return 0;
}
