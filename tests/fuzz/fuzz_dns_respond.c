/*
 * tests/fuzz/fuzz_dns_respond.c - fuzz the DNS responder's whole query -> answer path
 * (dns_respond, minirun/network/dns_names.c over dns_msg.c and ldns) on a fixed table of
 * networks and containers, as an untrusted container drives it.
 *
 * The input: one byte that picks the asker (by its source address and the network it asks
 * on: a container on two networks, one on one, one on an --internal network, an address
 * with no lease, a container of the default bridge), then one UDP payload as it would send
 * it to the gateway's port 53.
 *
 * Oracle: a second reading of the query, by ldns in this file, and the table below (what
 * each asker must be told, written by hand from docker's rules, not computed by the code
 * under test) say what the responder must do:
 *  - no 12-byte header, or a response (QR): no answer;
 *  - not one question that ldns reads: a bare FORMERR with the query's ID;
 *  - an opcode other than QUERY: a bare NOTIMP;
 *  - an asker without a lease: REFUSED;
 *  - a reverse name (PTR, IN) of a container the asker sees: one PTR naming it
 *    CONTAINER.NETWORK; a name it sees (A or AAAA, IN): NOERROR with exactly its addresses
 *    (none for AAAA), TTL 600, owned by the asked name;
 *  - anything else: SERVFAIL on the internal network, else forwarded, with the asker's ID.
 * Every answer that is not bare has the query's ID, QR, and its question byte for byte (the
 * name's case as sent: resolvers check it), and ldns reads it back. ASan sees the query in a
 * buffer of exactly its size: no read past it.
 *
 * Seeds: tests/fuzz/seeds/dns_respond/. See: minirun/network/dns.h; fuzz_dns.c (the reader
 * and writer alone); tests/fuzz/README.md.
 */
#include "minirun/network/dns.h"
#include "tests/fuzz/fuzz.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ldns/ldns.h>

static const char table[] =
	"[{\"Name\":\"bridge\",\"Id\":\"d0\",\"Containers\":{\"bbbbbbbbbbbbbbbb\":{\"Name\":"
	"\"old\",\"IPv4Address\":\"172.17.0.2/16\",\"Aliases\":[]}}},"
	"{\"Name\":\"n1\",\"Id\":\"n1id\",\"Containers\":{"
	"\"a1a1a1a1a1a1a1a1\":{\"Name\":\"api\",\"IPv4Address\":\"10.89.0.2/24\","
	"\"Aliases\":[\"web\",\"API-v2\"]},"
	"\"b1b1b1b1b1b1b1b1\":{\"Name\":\"db\",\"IPv4Address\":\"10.89.0.3/24\","
	"\"Aliases\":[\"Web\"]}}},"
	"{\"Name\":\"n2\",\"Id\":\"n2id\",\"Containers\":{"
	"\"a1a1a1a1a1a1a1a1\":{\"Name\":\"api\",\"IPv4Address\":\"10.89.1.2/24\",\"Aliases\":[]},"
	"\"c2c2c2c2c2c2c2c2\":{\"Name\":\"cache\",\"IPv4Address\":\"10.89.1.5/24\","
	"\"Aliases\":[]}}},"
	"{\"Name\":\"n3\",\"Id\":\"n3id\",\"Internal\":true,\"Containers\":{"
	"\"d3d3d3d3d3d3d3d3\":{\"Name\":\"lone\",\"IPv4Address\":\"10.89.2.2/24\",\"Aliases\":[]},"
	"\"e3e3e3e3e3e3e3e3\":{\"Name\":\"\",\"IPv4Address\":\"10.89.2.3/24\"}}}]";

/* the askers: where the query comes from and on which network; ID NULL: no lease */
static const struct {
	const char *addr, *net, *id;
} askers[] = {
	{"10.89.0.2", "n1id", "a1a1a1a1a1a1a1a1"}, /* 0: api, on n1 and n2 */
	{"10.89.0.3", "n1id", "b1b1b1b1b1b1b1b1"}, /* 1: db, on n1 */
	{"10.89.1.5", "n2id", "c2c2c2c2c2c2c2c2"}, /* 2: cache, on n2 */
	{"10.89.2.2", "n3id", "d3d3d3d3d3d3d3d3"}, /* 3: lone, on the internal n3 */
	{"10.89.0.9", "n1id", NULL},               /* 4: no lease on n1 */
	{"172.17.0.2", "d0", NULL},                /* 5: the default bridge: no names */
};
#define NASKERS (sizeof(askers) / sizeof(askers[0]))

/* What each asker is told: a name's A records (addresses, space-separated, in any order),
 * or a reverse name's PTR target. ASKERS: a bit per asker that sees it. */
static const struct {
	unsigned askers;
	bool ptr;
	const char *name, *answer;
} names[] = {
	{1 << 0, false, "api", "10.89.0.2 10.89.1.2"},
	{1 << 1, false, "api", "10.89.0.2"},
	{1 << 2, false, "api", "10.89.1.2"},
	{1 << 0, false, "a1a1a1a1a1a1", "10.89.0.2 10.89.1.2"},
	{1 << 1, false, "a1a1a1a1a1a1", "10.89.0.2"},
	{1 << 2, false, "a1a1a1a1a1a1", "10.89.1.2"},
	{3, false, "web", "10.89.0.2 10.89.0.3"},
	{3, false, "api-v2", "10.89.0.2"},
	{3, false, "db", "10.89.0.3"},
	{3, false, "b1b1b1b1b1b1", "10.89.0.3"},
	{5, false, "cache", "10.89.1.5"},
	{5, false, "c2c2c2c2c2c2", "10.89.1.5"},
	{8, false, "lone", "10.89.2.2"},
	{8, false, "d3d3d3d3d3d3", "10.89.2.2"},
	{8, false, "e3e3e3e3e3e3", "10.89.2.3"},
	{3, true, "2.0.89.10.in-addr.arpa", "api.n1."},
	{3, true, "3.0.89.10.in-addr.arpa", "db.n1."},
	{1 << 0, true, "2.1.89.10.in-addr.arpa", "api.n2."},
	{1 << 2, true, "2.1.89.10.in-addr.arpa", "api.n2."},
	{5, true, "5.1.89.10.in-addr.arpa", "cache.n2."},
	{8, true, "2.2.89.10.in-addr.arpa", "lone.n3."},
	{8, true, "3.2.89.10.in-addr.arpa", "e3e3e3e3e3e3.n3."},
};

static json_t *all;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	all = json_loads(table, 0, NULL);
	if (!all)
		abort();
	return 0;
}

/* the row of NAME (lower case, no final dot) for asker A, or -1 */
static int row(size_t a, bool ptr, const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((names[i].askers & (1u << a)) && names[i].ptr == ptr &&
		    !strcmp(names[i].name, name))
			return (int)i;
	return -1;
}

/* the query as ldns reads it, when it is one question: its question record (in *qp) */
static ldns_rr *one_question(const uint8_t *q, size_t len, ldns_pkt **qp)
{
	*qp = NULL;
	if (ldns_wire2pkt(qp, q, len) != LDNS_STATUS_OK)
		return NULL;
	ldns_rr_list *qs = ldns_pkt_question(*qp);
	if (ldns_pkt_qdcount(*qp) != 1 || !qs || ldns_rr_list_rr_count(qs) != 1)
		return NULL;
	return ldns_rr_list_rr(qs, 0);
}

/* the bare answer of 12 bytes: ID, QR, RCODE, no records */
static void check_bare(const uint8_t *q, const uint8_t *out, size_t len, int rcode)
{
	if (len != 12 || out[0] != q[0] || out[1] != q[1] || out[2] != 0x80 ||
	    (out[3] & 0x0f) != rcode || out[4] | out[5] | out[6] | out[7] | out[8] | out[9])
		fuzz_oracle("not a bare answer with rcode %d (%zu bytes)", rcode, len);
}

/* an answer with the question QR of the query Q: ID, QR, RCODE, the question as asked, N
 * answers each owned by the asked name; the answer packet returned (the caller frees) */
static ldns_pkt *check_answer(const uint8_t *q, const ldns_rr *qr, const uint8_t *out, size_t len,
			      int rcode, size_t n)
{
	ldns_pkt *p = NULL;
	if (len < 12 || out[0] != q[0] || out[1] != q[1] || !(out[2] & 0x80))
		fuzz_oracle("answer header: not the query's ID, or no QR");
	if (ldns_wire2pkt(&p, out, len) != LDNS_STATUS_OK)
		fuzz_oracle("ldns can't read the answer back");
	if ((int)ldns_pkt_get_rcode(p) != rcode)
		fuzz_oracle("rcode %d, not %d", ldns_pkt_get_rcode(p), rcode);
	ldns_rr_list *qs = ldns_pkt_question(p), *an = ldns_pkt_answer(p);
	if (ldns_pkt_qdcount(p) != 1 || ldns_rr_list_rr_count(qs) != 1)
		fuzz_oracle("answer has %u questions", ldns_pkt_qdcount(p));
	const ldns_rr *aq = ldns_rr_list_rr(qs, 0);
	if (ldns_rdf_compare(ldns_rr_owner(aq), ldns_rr_owner(qr)) != 0 ||
	    ldns_rr_get_type(aq) != ldns_rr_get_type(qr) ||
	    ldns_rr_get_class(aq) != ldns_rr_get_class(qr))
		fuzz_oracle("the answer's question is not the query's");
	if (ldns_rr_list_rr_count(an) != n)
		fuzz_oracle("%zu answers, not %zu", ldns_rr_list_rr_count(an), n);
	for (size_t i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (ldns_rdf_compare(ldns_rr_owner(rr), ldns_rr_owner(qr)) != 0 ||
		    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN || ldns_rr_ttl(rr) != DNS_TTL)
			fuzz_oracle("answer %zu: not the asked name, IN, TTL %d", i, DNS_TTL);
	}
	return p;
}

/* the A records of P are exactly the addresses of WANT */
static void check_addresses(ldns_pkt *p, const char *want)
{
	ldns_rr_list *an = ldns_pkt_answer(p);
	size_t n = ldns_rr_list_rr_count(an), words = 0;
	for (const char *w = want; *w; w += strspn(w, " "), w += strcspn(w, " "))
		words += w[strspn(w, " ")] != '\0';
	if (n != words)
		fuzz_oracle("%zu addresses, not those of '%s'", n, want);
	for (size_t i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		const ldns_rdf *d = ldns_rr_rdf(rr, 0);
		char a[INET_ADDRSTRLEN], padded[INET_ADDRSTRLEN + 2], list[128];
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_A || !d || ldns_rdf_size(d) != 4)
			fuzz_oracle("answer %zu is no A record", i);
		inet_ntop(AF_INET, ldns_rdf_data(d), a, sizeof(a));
		snprintf(padded, sizeof(padded), " %s ", a);
		snprintf(list, sizeof(list), " %s ", want);
		if (!strstr(list, padded))
			fuzz_oracle("address %s is not one of '%s'", a, want);
		for (size_t k = 0; k < i; k++)
			if (!memcmp(ldns_rdf_data(ldns_rr_rdf(ldns_rr_list_rr(an, k), 0)),
				    ldns_rdf_data(d), 4))
				fuzz_oracle("address %s twice", a);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t a = data[0] % NASKERS;
	/* the query alone, in a buffer of its own size: ASan sees a read past it */
	size_t len = size - 1;
	uint8_t *q = malloc(len ? len : 1);
	if (!q)
		abort();
	memcpy(q, data + 1, len);
	struct in_addr from;
	inet_pton(AF_INET, askers[a].addr, &from);
	uint8_t *out = NULL;
	size_t outlen = 0;
	const char *asker = NULL;
	int r = dns_respond(all, askers[a].net, from, q, len, &out, &outlen, &asker);

	ldns_pkt *qp = NULL, *ap = NULL;
	ldns_rr *qr = one_question(q, len, &qp);
	char *str = qr ? ldns_rdf2str(ldns_rr_owner(qr)) : NULL;
	size_t nl = str ? strlen(str) : 0;
	if (nl && str[nl - 1] == '.')
		str[--nl] = '\0';
	for (size_t i = 0; i < nl; i++)
		str[i] = (char)tolower((unsigned char)str[i]);

	if (len < 12 || (q[2] & 0x80)) {
		if (r != DNS_DROP)
			fuzz_oracle("an answer (%d) to no query", r);
	} else if (r == DNS_DROP) {
		fuzz_oracle("no answer to a query");
	} else if (!qr || !str || ldns_pkt_qr(qp) || nl >= 256) {
		if (r != DNS_REPLY)
			fuzz_oracle("%d to a query ldns does not read as one question", r);
		check_bare(q, out, outlen, DNS_FORMERR);
	} else if (ldns_pkt_get_opcode(qp) != LDNS_PACKET_QUERY) {
		check_bare(q, out, outlen, DNS_NOTIMP);
	} else if (!askers[a].id) {
		ap = check_answer(q, qr, out, outlen, DNS_REFUSED, 0);
	} else {
		bool in = ldns_rr_get_class(qr) == LDNS_RR_CLASS_IN;
		ldns_rr_type t = ldns_rr_get_type(qr);
		int ptr = in && t == LDNS_RR_TYPE_PTR ? row(a, true, str) : -1;
		int named = in && (t == LDNS_RR_TYPE_A || t == LDNS_RR_TYPE_AAAA)
				    ? row(a, false, str)
				    : -1;
		if (ptr >= 0) {
			ap = check_answer(q, qr, out, outlen, DNS_NOERROR, 1);
			const ldns_rr *rr = ldns_rr_list_rr(ldns_pkt_answer(ap), 0);
			char *target =
				ldns_rr_rd_count(rr) == 1 ? ldns_rdf2str(ldns_rr_rdf(rr, 0)) : NULL;
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_PTR || !target ||
			    strcmp(target, names[ptr].answer))
				fuzz_oracle("PTR %s, not %s", target ? target : "(none)",
					    names[ptr].answer);
			free(target);
		} else if (named >= 0 && t == LDNS_RR_TYPE_AAAA) {
			ap = check_answer(q, qr, out, outlen, DNS_NOERROR, 0);
		} else if (named >= 0) {
			const char *w = names[named].answer;
			ap = check_answer(q, qr, out, outlen, DNS_NOERROR, strchr(w, ' ') ? 2 : 1);
			check_addresses(ap, w);
		} else if (a == 3) {
			ap = check_answer(q, qr, out, outlen, DNS_SERVFAIL, 0);
		} else if (r != DNS_FORWARD || !asker || strcmp(asker, askers[a].id)) {
			fuzz_oracle("'%s' type %d from %s not forwarded for %s (%d)", str, t,
				    askers[a].addr, askers[a].id, r);
		}
	}
	if (r != DNS_REPLY && out)
		fuzz_oracle("an answer buffer with verdict %d", r);
	free(str);
	ldns_pkt_free(qp);
	ldns_pkt_free(ap);
	free(out);
	free(q);
	return 0;
}
