/*
 * minirun/network/dns_names.c - which addresses a name has, for the container that asks: the
 * part of the network's DNS responder that decides, read from the network records alone.
 *
 * Docker's rules, as its embedded server answers them:
 *	- a container is known by its name, its --network-alias aliases and its short ID (the
 *	  first 12 hex digits of its ID); compose adds the service name as an alias, so every
 *	  replica of a scaled service answers to it, and the answer holds all their addresses;
 *	- only on the networks the asking container is on: a container on another network is
 *	  no name here (the query goes on to the upstream servers, which don't know it either);
 *	- never on the default bridge (docker's default bridge has no embedded DNS).
 * The asker is told by its source address: a lease of the network the query came in on. An
 * address that holds none gets REFUSED (a process on the host, another network's container
 * writing to this gateway): the caller's business, signalled by -1.
 * dns_respond puts it together: from the bytes a container sent to the answer, or the word
 * to forward, without I/O, so tests/fuzz/fuzz_dns_respond.c runs it on a fixed table.
 *
 * See: dns.h; network.h (the record's Containers map); docker's libnetwork sandbox_dns_unix.go
 *      ResolveName.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "minirun/network/dns.h"
#include "minirun/network/network.h"

/* the endpoint's address without its prefix length */
static int endpoint_in_addr(json_t *ep, struct in_addr *out)
{
	const char *a = json_string_value(json_object_get(ep, "IPv4Address"));
	char buf[INET_ADDRSTRLEN];
	if (!a)
		return -1;
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(a, "/"), a);
	return inet_pton(AF_INET, buf, out) == 1 ? 0 : -1;
}

/* does endpoint EP (of container ID) answer to NAME? */
static bool endpoint_named(const char *id, json_t *ep, const char *name)
{
	const char *n = json_string_value(json_object_get(ep, "Name"));
	size_t i;
	json_t *a;
	if (n && *n && !strcasecmp(n, name))
		return true;
	json_array_foreach(json_object_get(ep, "Aliases"), i, a)
	{
		const char *s = json_string_value(a);
		if (s && !strcasecmp(s, name))
			return true;
	}
	return strlen(name) == 12 && !strncasecmp(id, name, 12);
}

static void add_once(struct in_addr *out, size_t max, size_t *n, struct in_addr a)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i].s_addr == a.s_addr)
			return;
	if (*n < max)
		out[(*n)++] = a;
}

int dns_lookup(json_t *all, const char *net_id, struct in_addr asker, const char *name,
	       struct in_addr *out, size_t max, const char **asker_id)
{
	json_t *rec, *ep, *home = NULL;
	const char *id, *who = NULL;
	size_t i, n = 0;
	json_array_foreach(all, i, rec)
	{
		const char *rid = json_string_value(json_object_get(rec, "Id"));
		if (rid && !strcmp(rid, net_id) && !network_is_default(rec))
			home = rec;
	}
	json_object_foreach(json_object_get(home, "Containers"), id, ep)
	{
		struct in_addr a;
		if (endpoint_in_addr(ep, &a) == 0 && a.s_addr == asker.s_addr)
			who = id;
	}
	if (!who)
		return -1;
	if (asker_id)
		*asker_id = who;
	/* the network asked first, then the asker's other user networks, in record order */
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(all, i, rec)
		{
			if ((rec == home) != (pass == 0) || network_is_default(rec))
				continue;
			json_t *eps = json_object_get(rec, "Containers");
			if (!json_object_get(eps, who))
				continue;
			json_object_foreach(eps, id, ep)
			{
				struct in_addr a;
				if (endpoint_named(id, ep, name) && endpoint_in_addr(ep, &a) == 0)
					add_once(out, max, &n, a);
			}
		}
	return (int)n;
}

/* "d.c.b.a.in-addr.arpa" -> a.b.c.d; -1 when NAME is no IPv4 reverse name. Only the name
 * itself: its labels are the bytes in plain decimal, so "02.0.89.10.in-addr.arpa" or
 * "+2.0..." (which sscanf's %u would take) is another name, no container's. */
static int reverse_addr(const char *name, struct in_addr *out)
{
	unsigned b[4];
	char tail[32], text[INET_ADDRSTRLEN], again[64];
	int used = 0;
	if (sscanf(name, "%3u.%3u.%3u.%3u.%31s%n", &b[3], &b[2], &b[1], &b[0], tail, &used) != 5 ||
	    (size_t)used != strlen(name) || strcmp(tail, "in-addr.arpa") != 0)
		return -1;
	snprintf(text, sizeof(text), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	snprintf(again, sizeof(again), "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
	return strcmp(again, name) == 0 && inet_pton(AF_INET, text, out) == 1 ? 0 : -1;
}

int dns_lookup_ptr(json_t *all, const char *net_id, struct in_addr asker, const char *name,
		   char *out, size_t size)
{
	struct in_addr want, none[1];
	const char *who = NULL, *id;
	json_t *rec, *ep;
	size_t i;
	/* the asker as dns_lookup finds it (a name nobody has: only the asker is looked up) */
	if (dns_lookup(all, net_id, asker, "", none, 0, &who) < 0)
		return -1;
	if (reverse_addr(name, &want) < 0)
		return 0;
	json_array_foreach(all, i, rec)
	{
		json_t *eps = json_object_get(rec, "Containers");
		if (network_is_default(rec) || !json_object_get(eps, who))
			continue;
		json_object_foreach(eps, id, ep)
		{
			struct in_addr a;
			const char *n = json_string_value(json_object_get(ep, "Name"));
			if (endpoint_in_addr(ep, &a) == 0 && a.s_addr == want.s_addr) {
				/* no name (a bare `network connect ID PID`): the short ID */
				snprintf(out, size, "%.*s.%s", n && *n ? (int)strlen(n) : 12,
					 n && *n ? n : id,
					 json_string_value(json_object_get(rec, "Name")));
				return 1;
			}
		}
	}
	return 0;
}

int dns_reply_rcode(const uint8_t *query, size_t len, int rcode, uint8_t **out, size_t *outlen)
{
	uint16_t id;
	if (dns_answer(query, len, rcode, NULL, 0, out, outlen) == 0)
		return DNS_REPLY;
	if (dns_header_id(query, len, &id) < 0 || !(*out = malloc(12)))
		return DNS_DROP;
	dns_bare_answer(id, rcode, *out);
	*outlen = 12;
	return DNS_REPLY;
}

int dns_respond(json_t *all, const char *net_id, struct in_addr from, const uint8_t *query,
		size_t len, uint8_t **out, size_t *outlen, const char **asker)
{
	struct dns_query q;
	struct in_addr addrs[DNS_MAX_ANSWERS];
	uint16_t id;
	json_t *rec;
	size_t i;
	bool internal = false;
	*out = NULL;
	*asker = NULL;
	if (dns_query_parse(query, len, &q) < 0) {
		if (dns_header_id(query, len, &id) < 0 || (query[2] & 0x80))
			return DNS_DROP; /* no header, or a response: nobody to answer */
		if (!(*out = malloc(12)))
			return DNS_DROP;
		dns_bare_answer(id, DNS_FORMERR, *out);
		*outlen = 12;
		return DNS_REPLY;
	}
	json_array_foreach(all, i, rec)
	{
		const char *rid = json_string_value(json_object_get(rec, "Id"));
		if (rid && !strcmp(rid, net_id))
			internal = network_is_internal(rec);
	}
	int n = all ? dns_lookup(all, net_id, from, q.name, addrs, DNS_MAX_ANSWERS, asker) : -1;
	char ptr[512], who[13], from_s[INET_ADDRSTRLEN];
	int rev = n >= 0 && q.qtype == DNS_PTR && q.qclass == DNS_CLASS_IN
			  ? dns_lookup_ptr(all, net_id, from, q.name, ptr, sizeof(ptr))
			  : 0;
	snprintf(who, sizeof(who), "%.12s", *asker ? *asker : "?");
	inet_ntop(AF_INET, &from, from_s, sizeof(from_s));
	if (q.opcode != 0) { /* a bare header: the answer's would say opcode QUERY */
		if (!(*out = malloc(12)))
			return DNS_DROP;
		dns_bare_answer(q.id, DNS_NOTIMP, *out);
		*outlen = 12;
		return DNS_REPLY;
	}
	if (n < 0)
		return dns_reply_rcode(query, len, DNS_REFUSED, out, outlen);
	if (rev > 0) {
		mr_say("dns: %s (%s) asks %s: %s", from_s, who, q.name, ptr);
		return dns_answer_ptr(query, len, ptr, out, outlen) < 0 ? DNS_DROP : DNS_REPLY;
	}
	if (n > 0 && q.qclass == DNS_CLASS_IN && (q.qtype == DNS_A || q.qtype == DNS_AAAA)) {
		if (q.qtype == DNS_AAAA)
			n = 0; /* known, but no IPv6 address: NOERROR, no answer (docker's) */
		mr_say("dns: %s (%s) asks %s type %u: %d address(es)", from_s, who, q.name, q.qtype,
		       n);
		if (dns_answer(query, len, DNS_NOERROR, addrs, (size_t)n, out, outlen) == 0)
			return DNS_REPLY;
		return dns_reply_rcode(query, len, DNS_SERVFAIL, out, outlen);
	}
	mr_say("dns: %s (%s) asks %s type %u: %s", from_s, who, q.name, q.qtype,
	       internal ? "SERVFAIL (internal network)" : "forwarded");
	/* --internal: no way out, for names neither */
	return internal ? dns_reply_rcode(query, len, DNS_SERVFAIL, out, outlen) : DNS_FORWARD;
}

size_t dns_resolv_servers(const char *text, struct dns_upstream *out, size_t max)
{
	size_t n = 0;
	const char *line = text;
	while (line && *line && n < max) {
		char addr[64], one[256];
		const char *next = strchr(line, '\n');
		/* one line at a time: a scan of the rest could take the next line's word */
		snprintf(one, sizeof(one), "%.*s", next ? (int)(next - line) : 255, line);
		if (sscanf(one, " nameserver %63s", addr) == 1) {
			struct sockaddr_in *v4 = (struct sockaddr_in *)&out[n].addr;
			struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out[n].addr;
			memset(&out[n], 0, sizeof(out[n]));
			if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
				v4->sin_family = AF_INET;
				v4->sin_port = htons(53);
				out[n++].len = sizeof(*v4);
			} else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
				v6->sin6_family = AF_INET6;
				v6->sin6_port = htons(53);
				out[n++].len = sizeof(*v6);
			}
		}
		line = next ? next + 1 : NULL;
	}
	return n;
}
