/*
 * minirun/network/dns.h - names by DNS on a user-defined network: the responder that answers
 * `nslookup api` inside a container, what docker's embedded DNS server (127.0.0.11) does.
 *
 * One small process per user network that has running containers, `minirun network
 * dns-serve NET`, listening on the network's gateway address, port 53, UDP and TCP (podman's
 * aardvark-dns does the same; README.md "Names by DNS" says why not docker's 127.0.0.11). It:
 *	- answers A queries for a container's name, its short ID, its --network-alias aliases
 *	  (compose's service name is one: a scaled service gets one A record per replica), on
 *	  every user network the asking container shares with the named one; TTL 600, as docker;
 *	- says NOERROR with no answer for AAAA of such a name (the networks are IPv4 only), as
 *	  docker does for a name it knows without an IPv6 address;
 *	- answers a reverse lookup (PTR) of such a container's address with CONTAINER.NETWORK;
 *	- forwards every other query to the asking container's --dns servers, else to the host's
 *	  resolvers (/etc/resolv.conf, read at each forward), and relays the reply as it comes;
 *	  SERVFAIL when no upstream answers, or on an --internal network (no way out, as docker);
 *	- answers REFUSED to a source that holds no lease on the network.
 * Records are read fresh at each query (ROOT/networks/NET.json, what `network inspect` shows),
 * so a container that joins is known at once, without signals.
 *
 * Life: the first connect of a container to the network starts it (the sockets are bound by
 * the connecting process, before the container's process runs, so no early query is lost),
 * the disconnect of the last stops it; `network rm` stops one left by a killed minirun; and it
 * ends by itself once its network's record is gone or has no containers. Its PID and start
 * time are in ROOT/networks/.dns/NET-ID (the start time tells a recycled PID from it).
 *
 * DNS messages are read and written with ldns (Debian's libldns3, opened on first use by the
 * responder only: minirun/lazy/ldns_dl.c). See: RFC 1035; ldns(3);
 * https://docs.docker.com/engine/network/#dns-services ; containers/aardvark-dns.
 * Try: minirun network create n && minirun run -d --network n --name api busybox sleep 1d &&
 *      minirun run --rm --network n busybox nslookup api
 */
#ifndef MR_NETWORK_DNS_H
#define MR_NETWORK_DNS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lib/err.h"

#define DNS_TTL         600 /* docker's respTTL */
#define DNS_MAX_ANSWERS 32  /* A records in one answer: 32 * 16 bytes fit 512 with the question */

/* ---- messages (dns_msg.c, through ldns) ------------------------------------------------- */

/* The one question of a query, read from the wire. */
struct dns_query {
	uint16_t id;
	bool rd;        /* recursion desired: copied into the answer */
	int opcode;     /* 0 = QUERY */
	uint16_t qtype; /* 1 = A, 28 = AAAA, 12 = PTR ... */
	uint16_t qclass;
	char name[256]; /* lower case, without the final dot: "api", "db.example.com"; other
			  bytes as ldns writes them ("a\\.b" for a dot in a label, "\\000") */
};
enum { DNS_A = 1, DNS_PTR = 12, DNS_AAAA = 28, DNS_CLASS_IN = 1 };
enum {
	DNS_NOERROR = 0,
	DNS_FORMERR = 1,
	DNS_SERVFAIL = 2,
	DNS_NXDOMAIN = 3,
	DNS_NOTIMP = 4,
	DNS_REFUSED = 5
};

/*
 * dns_query_parse - read MSG[0..len) as a query with exactly one question. 0 with *q filled;
 * -1 when it is no query at all (too short, a response, no question, a name that does not
 * decode): the caller answers FORMERR when at least the 12-byte header came (dns_header_id),
 * else drops it. Pure; never reads past LEN.
 */
int dns_query_parse(const uint8_t *msg, size_t len, struct dns_query *q);
/* The ID of a message of at least 12 bytes (for a FORMERR to a query that did not parse). */
int dns_header_id(const uint8_t *msg, size_t len, uint16_t *id);

/*
 * dns_answer - the response to QUERY (its bytes MSG[0..len), re-read so the question and an
 * EDNS OPT record are echoed as sent) with RCODE and ADDRS[0..n) as A records of the asked
 * name (TTL DNS_TTL). A new buffer into *out (the caller frees), its size into *outlen; 0, or
 * -1 (out of memory, or MSG no query). Pure.
 */
int dns_answer(const uint8_t *msg, size_t len, int rcode, const struct in_addr *addrs, size_t n,
	       uint8_t **out, size_t *outlen);
/* dns_answer_ptr - the same with one PTR record naming TARGET ("api.n"), for a reverse
 * lookup (10.89.0.2 -> 2.0.89.10.in-addr.arpa). */
int dns_answer_ptr(const uint8_t *msg, size_t len, const char *target, uint8_t **out,
		   size_t *outlen);
/* A bare response: the header of ID with RCODE, QR set, no question (FORMERR, NOTIMP). */
void dns_bare_answer(uint16_t id, int rcode, uint8_t out[12]);

/* ---- names (dns_names.c) --------------------------------------------------------------- */

/*
 * dns_lookup - the addresses NAME has for a container at ASKER on the network NET_ID, read
 * from ALL (network_list's array): the asker is the endpoint of NET_ID with that address; a
 * match is an endpoint, on any user network the asker is on, whose Name, alias or short ID
 * (12 hex) is NAME (case-insensitive, as DNS names are); the asked network's matches first.
 * Returns the number of addresses put in OUT (at most MAX, each once), 0 for no such name,
 * or -1 when ASKER holds no lease on NET_ID (REFUSED). *asker_id (may be NULL) gets the
 * asker's container ID (a pointer into ALL). Pure.
 */
int dns_lookup(json_t *all, const char *net_id, struct in_addr asker, const char *name,
	       struct in_addr *out, size_t max, const char **asker_id);

/*
 * dns_lookup_ptr - the reverse: NAME a reverse-lookup name ("2.0.89.10.in-addr.arpa"), the
 * container holding that address on a user network the asker at ASKER (on NET_ID) is on,
 * named as docker names it: "CONTAINER.NETWORK" into OUT. 1 found, 0 not (no such address,
 * or NAME no IPv4 reverse name), -1 for a stranger as dns_lookup. Pure.
 */
int dns_lookup_ptr(json_t *all, const char *net_id, struct in_addr asker, const char *name,
		   char *out, size_t size);

/*
 * dns_respond - the responder's decision for QUERY[0..len) from the container at FROM, on the
 * network NET_ID, ALL being every network record (network_list's array; NULL when they can't
 * be read: REFUSED). The rules of the header above, in this order: no header, or a response:
 * DNS_DROP; a query that does not parse: FORMERR; an opcode not QUERY: NOTIMP; FROM holds no
 * lease: REFUSED; a reverse name of a container the asker sees: its PTR; a name it sees, A
 * or AAAA in class IN: its addresses (none for AAAA); else on an --internal network SERVFAIL,
 * else DNS_FORWARD (*asker: the asker's container ID, a pointer into ALL, for its --dns
 * servers). DNS_REPLY: the answer into *out (new; the caller frees) and *outlen. DNS_DROP
 * also when out of memory. Pure: what a container sends can only reach this far.
 */
enum dns_verdict { DNS_DROP = -1, DNS_REPLY = 0, DNS_FORWARD = 1 };
int dns_respond(json_t *all, const char *net_id, struct in_addr from, const uint8_t *query,
		size_t len, uint8_t **out, size_t *outlen, const char **asker);
/* dns_reply_rcode - RCODE to QUERY (a query that parses): dns_answer without records, or a
 * bare header when that can't be written. DNS_REPLY, or DNS_DROP (out of memory). */
int dns_reply_rcode(const uint8_t *query, size_t len, int rcode, uint8_t **out, size_t *outlen);

/* Parse resolv.conf TEXT: its nameserver addresses (IPv4 and IPv6, port 53), at most MAX,
 * into OUT; returns how many. Pure. */
struct dns_upstream {
	struct sockaddr_storage addr;
	unsigned len;
};
size_t dns_resolv_servers(const char *text, struct dns_upstream *out, size_t max);

/* ---- the responder's life (dns_serve.c) ------------------------------------------------- */

/*
 * dns_start - make sure the responder of network REC (a user network) runs: nothing when its
 * recorded PID is alive; else bind GATEWAY:53 (UDP and TCP) here and start `minirun network
 * dns-serve` with those sockets, detached (its own session, stdio on /dev/null, no other fd
 * of ours). Call with the networks lock held, after the bridge has its address. 0, or -1 with
 * err (port 53 taken on that address: the caller goes on without names by DNS).
 */
int dns_start(const char *root, json_t *rec, struct mr_err *err);
/* dns_stop - stop the responder of network NET_ID if one runs (SIGTERM, then wait for it,
 * SIGKILL after 2 s) and remove its PID file. Lock held. 0, or -1 with err. */
int dns_stop(const char *root, const char *net_id, struct mr_err *err);
/* dns_pid - the PID of NET_ID's responder when it runs, else 0. */
int dns_pid(const char *root, const char *net_id);

/* `minirun network dns-serve NET`: the responder itself (a row of network_commands). */
int network_cmd_dns_serve(int argc, char **argv);

#endif
