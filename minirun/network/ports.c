/*
 * minirun/network/ports.c - docker's -p and -P: parse a port spec (a range gives one port
 * each), find a free host port, publish through netns/nat.h (one element of the `published`
 * map each, all of one container's in one nft transaction), and record each published port
 * in the container's endpoint so a later process removes exactly those.
 *
 *	-p 8080:80                 every host address, tcp 8080 -> the container's 80
 *	-p 127.0.0.1:8080:80       only connections to 127.0.0.1 (the map's key holds the address)
 *	-p 8000-8002:80-82/udp     three ports, 8000 -> 80, 8001 -> 81, 8002 -> 82
 *	-p 80-82, -p 127.0.0.1::80 each on a free host port from 32768 on
 *
 * A host port is taken when the map holds it (the same port on every address and on one
 * address clash, as a listening socket on 0.0.0.0 and one on 127.0.0.1 would) or when a
 * socket of the host is bound to it: the DNAT would hide that socket from every other
 * machine. IPv6 is refused: minirun's networks are IPv4-only.
 *
 * See: network.h, netns/nat.h, https://docs.docker.com/engine/network/#published-ports.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/network/network.h"
#include "minirun/network/overlay.h"
#include "netns/nat.h"

#define EPHEMERAL_FIRST 32768
#define EPHEMERAL_LAST  60999

/* One -p spec, before it is spread into single ports. */
struct port_spec {
	char host_ip[INET_ADDRSTRLEN];
	unsigned host_first, host_last; /* 0, 0: a free one for each */
	unsigned first, last;           /* the container's ports */
	char proto[4];
};

/* "80" or "80-82" (S, LEN long) into FIRST..LAST, each 1-65535, FIRST <= LAST. */
static int parse_range(const char *s, size_t len, unsigned *first, unsigned *last)
{
	char buf[16], *dash;
	long long a, b;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((dash = strchr(buf, '-')))
		*dash++ = '\0';
	if (mr_parse_ll(buf, 1, 65535, &a) < 0 ||
	    (dash && (mr_parse_ll(dash, 1, 65535, &b) < 0 || b < a)))
		return -1;
	*first = (unsigned)a;
	*last = dash ? (unsigned)b : (unsigned)a;
	return 0;
}

/* Parse docker's "[IP:][HOSTPORT[-END]:]PORT[-END][/PROTO]" into OUT (see network.h). */
static int parse_spec(const char *spec, struct port_spec *out, struct mr_err *err)
{
	const char *slash = strrchr(spec, '/'), *end = slash ? slash : spec + strlen(spec);
	const char *c2 = NULL, *c1 = NULL; /* the last and the one before: IP:HOST:PORT */
	memset(out, 0, sizeof(*out));
	strcpy(out->proto, "tcp");
	if (slash) {
		if (strcmp(slash + 1, "tcp") && strcmp(slash + 1, "udp"))
			return mr_fail(err, 0, "invalid proto: %s (in -p %s; use tcp or udp)",
				       slash + 1, spec);
		strcpy(out->proto, slash + 1);
	}
	for (const char *p = spec; p < end; p++)
		if (*p == ':') {
			c1 = c2;
			c2 = p;
		}
	if (c1 && (spec[0] == '[' || memmem(spec, (size_t)(c1 - spec), "::", 2)))
		return mr_fail(err, 0,
			       "-p %s: IPv6 publishing is not supported (minirun's networks are "
			       "IPv4-only); publish on an IPv4 address (-p 127.0.0.1:8080:80) or "
			       "on every one (-p 8080:80)",
			       spec);
	if (c1 && memchr(spec, ':', (size_t)(c1 - spec)))
		return mr_fail(err, 0, "invalid port format: %s (use [IP:]HOSTPORT:PORT[/udp])",
			       spec);
	const char *port = c2 ? c2 + 1 : spec;
	if (parse_range(port, (size_t)(end - port), &out->first, &out->last) < 0)
		return mr_fail(err, 0, "Invalid containerPort: %.*s", (int)(end - port), port);
	const char *hp = c2 ? (c1 ? c1 + 1 : spec) : NULL;
	if (hp && hp < c2) {
		if (parse_range(hp, (size_t)(c2 - hp), &out->host_first, &out->host_last) < 0)
			return mr_fail(err, 0, "Invalid hostPort: %.*s", (int)(c2 - hp), hp);
		/* docker takes "8000-8002:80" as "one free port of 8000-8002": minirun, like
		 * the ranges of equal length, gives each container port its own */
		if (out->host_last - out->host_first != out->last - out->first)
			return mr_fail(err, 0,
				       "invalid ranges specified for container and host Ports: "
				       "%.*s and %.*s (the two port ranges must have the same "
				       "length)",
				       (int)(end - port), port, (int)(c2 - hp), hp);
	}
	if (c1) {
		struct in_addr a;
		snprintf(out->host_ip, sizeof(out->host_ip), "%.*s", (int)(c1 - spec), spec);
		if ((size_t)(c1 - spec) >= sizeof(out->host_ip) ||
		    inet_pton(AF_INET, out->host_ip, &a) != 1)
			return mr_fail(err, 0, "invalid IP address: %.*s", (int)(c1 - spec), spec);
	}
	return 0;
}

/* The I-th port of spec S. */
static void spec_port(const struct port_spec *s, unsigned i, struct network_port *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->host_ip, sizeof(out->host_ip), "%s", s->host_ip);
	snprintf(out->proto, sizeof(out->proto), "%s", s->proto);
	out->port = s->first + i;
	out->host_port = s->host_first ? s->host_first + i : 0;
}

int network_parse_port(const char *spec, struct network_port *out, struct mr_err *err)
{
	struct port_spec s;
	if (parse_spec(spec, &s, err) < 0)
		return -1;
	if (s.last != s.first)
		return mr_fail(err, 0,
			       "port ranges are not supported here: -p %s (publish each port)",
			       spec);
	spec_port(&s, 0, out);
	return 0;
}

int network_parse_ports(const char *spec, struct network_port **ports, size_t *n,
			struct mr_err *err)
{
	struct port_spec s;
	if (parse_spec(spec, &s, err) < 0)
		return -1;
	size_t count = s.last - s.first + 1;
	struct network_port *p = realloc(*ports, (*n + count) * sizeof(*p));
	if (!p)
		return mr_fail(err, ENOMEM, "ports");
	*ports = p;
	for (size_t i = 0; i < count; i++)
		spec_port(&s, (unsigned)i, &p[(*n)++]);
	return 0;
}

char *network_format_port(const struct network_port *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u->%u/%s", p->host_ip[0] ? p->host_ip : "0.0.0.0", p->host_port,
		 p->port, p->proto);
	return buf;
}

/* The nft side of P: host address "" for every address ("0.0.0.0" too), to ADDR. */
static void to_nat(const struct network_port *p, const char *addr, struct nat_port *np)
{
	memset(np, 0, sizeof(*np));
	snprintf(np->proto, sizeof(np->proto), "%s", p->proto);
	np->host_port = p->host_port;
	np->port = p->port;
	snprintf(np->addr, sizeof(np->addr), "%s", addr ? addr : "");
	if (strcmp(p->host_ip, "0.0.0.0"))
		snprintf(np->host_addr, sizeof(np->host_addr), "%s", p->host_ip);
}

/*
 * Is NP's host side free: no clash in the N ports of PUB (published, or taken by this call),
 * and no socket of the host bound to it? (A process's own listener, sshd... would be
 * shadowed for remote clients by the DNAT.) 1 free, 0 taken, -1 with errno EADDRNOTAVAIL
 * when NP's host address is not one of the host's.
 */
static int host_port_free(const struct nat_port *np, const struct nat_port *pub, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nat_port_clash(np, &pub[i]))
			return 0;
	int udp = !strcmp(np->proto, "udp"), one = 1;
	_cleanup_close_ int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)np->host_port)};
	if (np->host_addr[0])
		inet_pton(AF_INET, np->host_addr, &sa.sin_addr);
	/* a connection of the past (TIME_WAIT) does not hold the port; a listener does */
	if (s < 0 || (!udp && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0))
		return 0;
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return 1;
	return errno == EADDRNOTAVAIL ? -1 : 0;
}

int network_ports_drop(json_t *ep, struct mr_err *err)
{
	json_t *ports = json_object_get(ep, "Ports"), *p;
	struct nat_port *np = calloc(json_array_size(ports) + 1, sizeof(*np));
	size_t i, n = 0;
	if (!np)
		return mr_fail(err, ENOMEM, "unpublish");
	json_array_foreach(ports, i, p)
	{
		struct network_port q = {.port = 1};
		const char *proto = json_string_value(json_object_get(p, "Protocol"));
		const char *ip = json_string_value(json_object_get(p, "HostIp"));
		snprintf(q.proto, sizeof(q.proto), "%s", proto ? proto : "");
		snprintf(q.host_ip, sizeof(q.host_ip), "%s", ip ? ip : "");
		q.host_port = (unsigned)json_integer_value(json_object_get(p, "HostPort"));
		to_nat(&q, NULL, &np[n]);
		mr_say("unpublish %s:%u/%s", ip && *ip ? ip : "0.0.0.0", q.host_port, q.proto);
		n++;
	}
	int r = nat_unpublish_many(np, n, err);
	free(np);
	if (r < 0)
		return -1;
	json_array_clear(ports);
	return 0;
}

/* The first network (by name order, default first) the container is on, with its endpoint. */
static json_t *first_endpoint(json_t *all, const char *cid, json_t **rec_out)
{
	size_t i;
	json_t *rec;
	json_array_foreach(all, i, rec)
	{
		json_t *ep = json_object_get(json_object_get(rec, "Containers"), cid);
		if (ep) {
			*rec_out = rec;
			return ep;
		}
	}
	return NULL;
}

/*
 * Give P (to ADDR) its host port: the one it names when free, else the first free one from
 * 32768 on. TAKEN (N ports, room for one more) is what is published or taken by this call;
 * P's own port is added to it. -1 with err in docker's words.
 */
static int pick_host_port(struct network_port *p, const char *addr, struct nat_port *taken,
			  size_t *n, json_t *ep, const char *cid, struct mr_err *err)
{
	const char *name = json_string_value(json_object_get(ep, "Name"));
	const char *ip = p->host_ip[0] ? p->host_ip : "0.0.0.0";
	struct nat_port np;
	int r = 0;
	to_nat(p, addr, &np);
	if (p->host_port == 0) {
		for (np.host_port = EPHEMERAL_FIRST; np.host_port <= EPHEMERAL_LAST; np.host_port++)
			if ((r = host_port_free(&np, taken, *n)) != 0)
				break;
		if (np.host_port > EPHEMERAL_LAST)
			return mr_fail(err, 0, "no free host port in %d-%d on %s", EPHEMERAL_FIRST,
				       EPHEMERAL_LAST, ip);
	} else
		r = host_port_free(&np, taken, *n);
	if (r < 0)
		return mr_fail(err, 0,
			       "driver failed programming external connectivity on endpoint %s "
			       "(%.12s): listen %s4 %s:%u: bind: cannot assign requested address "
			       "(%s is not an address of this host)",
			       name && *name ? name : cid, cid, p->proto, ip, np.host_port, ip);
	if (r == 0)
		return mr_fail(err, 0,
			       "driver failed programming external connectivity on endpoint %s "
			       "(%.12s): Bind for %s:%u failed: port is already allocated",
			       name && *name ? name : cid, cid, ip, p->host_port);
	p->host_port = np.host_port;
	taken[(*n)++] = np;
	return 0;
}

int network_publish(const char *root, const char *cid, struct network_port *ports, size_t n,
		    struct mr_err *err)
{
	_cleanup_close_ int lock = network_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *all = network_list(root, err), *rec = NULL;
	if (!all)
		return -1;
	json_t *ep = first_endpoint(all, cid, &rec);
	struct nat_port *pub = NULL, *grown;
	size_t npub = 0, done = 0;
	int r = -1;
	if (!ep) {
		mr_fail(err, 0, "cannot publish ports of container %.12s: it is on no network",
			cid);
		goto out;
	}
	if (network_is_overlay(rec)) { /* no address on its bridge: nothing to DNAT through */
		mr_fail(err, 0,
			"cannot publish ports on overlay network %s: it has no way in from the "
			"host (docker adds docker_gwbridge for that): publish on a bridge network, "
			"then 'minirun network connect %s CONTAINER'",
			json_string_value(json_object_get(rec, "Name")),
			json_string_value(json_object_get(rec, "Name")));
		goto out;
	}
	if (nat_published(&pub, &npub, err) < 0)
		goto out;
	if (!(grown = realloc(pub, (npub + n + 1) * sizeof(*pub)))) {
		mr_fail(err, ENOMEM, "publish");
		goto out;
	}
	pub = grown;
	size_t before = npub;
	char addr[INET_ADDRSTRLEN];
	const char *a = json_string_value(json_object_get(ep, "IPv4Address"));
	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(a ? a : "", "/"), a ? a : "");
	for (; done < n; done++)
		if (pick_host_port(&ports[done], addr, pub, &npub, ep, cid, err) < 0)
			goto out;
	/* one transaction for all of them: a range of a hundred ports is one nft call */
	for (size_t i = 0; i < n; i++)
		mr_say("publish %s:%u/%s -> %s:%u",
		       ports[i].host_ip[0] ? ports[i].host_ip : "0.0.0.0", ports[i].host_port,
		       ports[i].proto, addr, ports[i].port);
	if (nat_publish_many(pub + before, n, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct network_port *p = &ports[i];
		json_array_append_new(json_object_get(ep, "Ports"),
				      json_pack("{s:s, s:i, s:i, s:s}", "HostIp",
						p->host_ip[0] ? p->host_ip : "0.0.0.0", "HostPort",
						(json_int_t)p->host_port, "ContainerPort",
						(json_int_t)p->port, "Protocol", p->proto));
	}
	if (network_save(root, rec, err) == 0)
		r = 0;
	else /* all or nothing: remove what this call published */
		nat_unpublish_many(pub + before, n, NULL);
out:
	free(pub);
	json_decref(all);
	return r;
}

int network_unpublish(const char *root, const char *cid, struct mr_err *err)
{
	_cleanup_close_ int lock = network_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *all = network_list(root, err), *rec;
	size_t i;
	int r = 0;
	if (!all)
		return -1;
	json_array_foreach(all, i, rec)
	{
		json_t *ep = json_object_get(json_object_get(rec, "Containers"), cid);
		if (!ep || json_array_size(json_object_get(ep, "Ports")) == 0)
			continue;
		if (network_ports_drop(ep, err) < 0 || network_save(root, rec, err) < 0) {
			r = -1;
			break;
		}
	}
	json_decref(all);
	return r;
}
