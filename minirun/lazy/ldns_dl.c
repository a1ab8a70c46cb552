/*
 * minirun/lazy/ldns_dl.c - ldns (Debian's libldns3), opened on the first call into it
 * (lazylib.h says why).
 *
 * Only the DNS responder of a user network (`minirun network dns-serve`, started by the
 * first connect: minirun/network/dns_msg.c) reads and writes DNS messages; every other start
 * of minirun should not pay for mapping ldns and the libcrypto it pulls in. Only
 * minirun/minirun links this file; the unit tests and the fuzz target link -lldns.
 *
 * See: ldns's packet.h, rr.h, rdata.h, wire2host.h, host2wire.h; lazylib.h.
 */
#include "minirun/lazy/lazylib.h"

#include <stddef.h>

#include <ldns/ldns.h>

static struct mr_lazylib ldns = {MR_LIB_LDNS, NULL, NULL};

/* clang-format off */
MR_LAZY(ldns, ldns_status, ldns_wire2pkt, (ldns_pkt **packet, const uint8_t *data, size_t len),
	(packet, data, len))
MR_LAZY(ldns, ldns_status, ldns_pkt2wire, (uint8_t **dest, const ldns_pkt *p, size_t *size),
	(dest, p, size))
MR_LAZY_VOID(ldns, ldns_pkt_free, (ldns_pkt *packet), (packet))
MR_LAZY(ldns, ldns_pkt *, ldns_pkt_new, (void), ())
MR_LAZY(ldns, ldns_rr_list *, ldns_pkt_question, (const ldns_pkt *p), (p))
MR_LAZY(ldns, bool, ldns_pkt_qr, (const ldns_pkt *p), (p))
MR_LAZY(ldns, bool, ldns_pkt_rd, (const ldns_pkt *p), (p))
MR_LAZY(ldns, bool, ldns_pkt_edns, (const ldns_pkt *p), (p))
MR_LAZY(ldns, uint16_t, ldns_pkt_qdcount, (const ldns_pkt *p), (p))
MR_LAZY(ldns, uint16_t, ldns_pkt_id, (const ldns_pkt *p), (p))
MR_LAZY(ldns, ldns_pkt_opcode, ldns_pkt_get_opcode, (const ldns_pkt *p), (p))
MR_LAZY(ldns, bool, ldns_pkt_push_rr, (ldns_pkt *p, ldns_pkt_section section, ldns_rr *rr),
	(p, section, rr))
MR_LAZY_VOID(ldns, ldns_pkt_set_id, (ldns_pkt *p, uint16_t id), (p, id))
MR_LAZY_VOID(ldns, ldns_pkt_set_opcode, (ldns_pkt *p, ldns_pkt_opcode c), (p, c))
MR_LAZY_VOID(ldns, ldns_pkt_set_qr, (ldns_pkt *p, bool b), (p, b))
MR_LAZY_VOID(ldns, ldns_pkt_set_aa, (ldns_pkt *p, bool b), (p, b))
MR_LAZY_VOID(ldns, ldns_pkt_set_rd, (ldns_pkt *p, bool b), (p, b))
MR_LAZY_VOID(ldns, ldns_pkt_set_ra, (ldns_pkt *p, bool b), (p, b))
MR_LAZY_VOID(ldns, ldns_pkt_set_rcode, (ldns_pkt *p, uint8_t c), (p, c))
MR_LAZY_VOID(ldns, ldns_pkt_set_edns_udp_size, (ldns_pkt *p, uint16_t s), (p, s))
MR_LAZY(ldns, size_t, ldns_rr_list_rr_count, (const ldns_rr_list *l), (l))
MR_LAZY(ldns, ldns_rr *, ldns_rr_list_rr, (const ldns_rr_list *l, size_t nr), (l, nr))
MR_LAZY(ldns, ldns_rr *, ldns_rr_new, (void), ())
MR_LAZY(ldns, ldns_rr *, ldns_rr_clone, (const ldns_rr *rr), (rr))
MR_LAZY_VOID(ldns, ldns_rr_free, (ldns_rr *rr), (rr))
MR_LAZY(ldns, ldns_rdf *, ldns_rr_owner, (const ldns_rr *rr), (rr))
MR_LAZY(ldns, ldns_rr_type, ldns_rr_get_type, (const ldns_rr *rr), (rr))
MR_LAZY(ldns, ldns_rr_class, ldns_rr_get_class, (const ldns_rr *rr), (rr))
MR_LAZY_VOID(ldns, ldns_rr_set_owner, (ldns_rr *rr, ldns_rdf *owner), (rr, owner))
MR_LAZY_VOID(ldns, ldns_rr_set_type, (ldns_rr *rr, ldns_rr_type t), (rr, t))
MR_LAZY_VOID(ldns, ldns_rr_set_class, (ldns_rr *rr, ldns_rr_class c), (rr, c))
MR_LAZY_VOID(ldns, ldns_rr_set_ttl, (ldns_rr *rr, uint32_t ttl), (rr, ttl))
MR_LAZY(ldns, bool, ldns_rr_push_rdf, (ldns_rr *rr, const ldns_rdf *f), (rr, f))
MR_LAZY(ldns, char *, ldns_rdf2str, (const ldns_rdf *rdf), (rdf))
MR_LAZY(ldns, ldns_rdf *, ldns_rdf_clone, (const ldns_rdf *rd), (rd))
MR_LAZY(ldns, ldns_rdf *, ldns_rdf_new_frm_data, (ldns_rdf_type type, size_t size,
	const void *data), (type, size, data))
MR_LAZY_VOID(ldns, ldns_rdf_deep_free, (ldns_rdf *rd), (rd))
MR_LAZY(ldns, ldns_rdf *, ldns_dname_new_frm_str, (const char *str), (str))
/* clang-format on */
