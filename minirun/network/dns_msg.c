/*
 * minirun/network/dns_msg.c - DNS messages for the network's responder: read the question of
 * a query, write the answer. Through ldns, Debian's DNS library, so that no name
 * decompression (pointers, loops, label lengths) is written by hand here.
 *
 * A query on the wire (RFC 1035 4.1):
 *	header    ID, flags (QR OPCODE AA TC RD RA RCODE), and four counts
 *	question  NAME (labels, "3api0"), TYPE (1 = A), CLASS (1 = IN)
 * An answer repeats the header's ID and the question, sets QR (a response), RA (we recurse:
 * what we don't know we forward) and AA (we are the authority for container names), and
 * adds one resource record per address: NAME A IN TTL 4-byte-address.
 *
 * A query that carried an EDNS OPT record (RFC 6891: "I take UDP answers up to N bytes") gets
 * one back, as resolvers expect; the answers here stay far below 512 bytes anyway
 * (DNS_MAX_ANSWERS).
 *
 * See: RFC 1035 sections 4.1 and 4.1.4 (compression); ldns's packet.h, wire2host.h,
 *      host2wire.h; tests/fuzz/fuzz_dns.c feeds dns_query_parse and dns_answer garbage.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "minirun/network/dns.h"

int dns_header_id(const uint8_t *msg, size_t len, uint16_t *id)
{
	if (len < 12)
		return -1;
	*id = (uint16_t)(msg[0] << 8 | msg[1]);
	return 0;
}

void dns_bare_answer(uint16_t id, int rcode, uint8_t out[12])
{
	memset(out, 0, 12);
	out[0] = (uint8_t)(id >> 8);
	out[1] = (uint8_t)id;
	out[2] = 0x80;                  /* QR: a response; OPCODE 0 */
	out[3] = 0x80 | (rcode & 0x0f); /* RA, RCODE */
}

/* the one question of P as a struct dns_query; -1 when P is no single-question query */
static int question_of(ldns_pkt *p, struct dns_query *q)
{
	ldns_rr_list *qs = ldns_pkt_question(p);
	if (ldns_pkt_qr(p) || ldns_pkt_qdcount(p) != 1 || !qs || ldns_rr_list_rr_count(qs) != 1)
		return -1;
	ldns_rr *rr = ldns_rr_list_rr(qs, 0);
	char *name = ldns_rdf2str(ldns_rr_owner(rr));
	if (!name)
		return -1;
	size_t len = strlen(name);
	if (len && name[len - 1] == '.')
		name[--len] = '\0';
	int r = len < sizeof(q->name) ? 0 : -1;
	if (r == 0) {
		for (size_t i = 0; i <= len; i++)
			q->name[i] = (char)tolower((unsigned char)name[i]);
		q->id = ldns_pkt_id(p);
		q->rd = ldns_pkt_rd(p);
		q->opcode = (int)ldns_pkt_get_opcode(p);
		q->qtype = (uint16_t)ldns_rr_get_type(rr);
		q->qclass = (uint16_t)ldns_rr_get_class(rr);
	}
	free(name);
	return r;
}

int dns_query_parse(const uint8_t *msg, size_t len, struct dns_query *q)
{
	ldns_pkt *p = NULL;
	if (len < 12 || ldns_wire2pkt(&p, msg, len) != LDNS_STATUS_OK)
		return -1;
	int r = question_of(p, q);
	ldns_pkt_free(p);
	return r;
}

/* one record OWNER IN TYPE TTL DATA (owner copied, DATA taken), or NULL */
static ldns_rr *record(const ldns_rdf *owner, ldns_rr_type type, ldns_rdf *data)
{
	ldns_rr *rr = ldns_rr_new();
	ldns_rdf *owner2 = ldns_rdf_clone(owner);
	if (!rr || !owner2 || !data) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(owner2);
		ldns_rdf_deep_free(data);
		return NULL;
	}
	ldns_rr_set_owner(rr, owner2);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, DNS_TTL);
	ldns_rr_push_rdf(rr, data);
	return rr;
}

/* the answer to the query MSG: RCODE, and the N records DATA[i] of TYPE for the asked name
 * (each DATA taken, also on failure) */
static int answer(const uint8_t *msg, size_t len, int rcode, ldns_rr_type type, ldns_rdf **data,
		  size_t n, uint8_t **out, size_t *outlen)
{
	ldns_pkt *q = NULL, *a = NULL;
	struct dns_query dq;
	size_t i = 0;
	int r = -1;
	if (len < 12 || ldns_wire2pkt(&q, msg, len) != LDNS_STATUS_OK || question_of(q, &dq) < 0)
		goto done;
	/* a new packet, not the query turned around: whatever else the query carried (answer
	 * or authority records a client has no business sending) is not echoed back */
	if (!(a = ldns_pkt_new()))
		goto done;
	ldns_rr *question = ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0));
	if (!question || !ldns_pkt_push_rr(a, LDNS_SECTION_QUESTION, question)) {
		ldns_rr_free(question);
		goto done;
	}
	ldns_pkt_set_id(a, dq.id);
	ldns_pkt_set_opcode(a, LDNS_PACKET_QUERY);
	ldns_pkt_set_qr(a, true);
	ldns_pkt_set_aa(a, rcode == DNS_NOERROR && n > 0);
	ldns_pkt_set_rd(a, dq.rd);
	ldns_pkt_set_ra(a, true);
	ldns_pkt_set_rcode(a, (uint8_t)rcode);
	if (ldns_pkt_edns(q))
		ldns_pkt_set_edns_udp_size(a, 1232); /* DNS flag day 2020's size */
	const ldns_rdf *owner = ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0));
	for (; i < n && i < DNS_MAX_ANSWERS; i++) {
		ldns_rr *rr = record(owner, type, data[i]);
		if (!rr || !ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, rr)) {
			ldns_rr_free(rr);
			i++;
			goto done;
		}
	}
	if (ldns_pkt2wire(out, a, outlen) == LDNS_STATUS_OK)
		r = 0;
done:
	for (; i < n; i++)
		ldns_rdf_deep_free(data[i]);
	ldns_pkt_free(q);
	ldns_pkt_free(a);
	return r;
}

int dns_answer(const uint8_t *msg, size_t len, int rcode, const struct in_addr *addrs, size_t n,
	       uint8_t **out, size_t *outlen)
{
	ldns_rdf *data[DNS_MAX_ANSWERS];
	if (n > DNS_MAX_ANSWERS)
		n = DNS_MAX_ANSWERS;
	for (size_t i = 0; i < n; i++)
		data[i] = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, 4, &addrs[i].s_addr);
	return answer(msg, len, rcode, LDNS_RR_TYPE_A, data, n, out, outlen);
}

int dns_answer_ptr(const uint8_t *msg, size_t len, const char *target, uint8_t **out,
		   size_t *outlen)
{
	ldns_rdf *data = ldns_dname_new_frm_str(target);
	return answer(msg, len, DNS_NOERROR, LDNS_RR_TYPE_PTR, &data, 1, out, outlen);
}
