/*
 * minirun/network/ports.c - docker's -p and -P: parse a port spec, find a free host port,
 * publish through netns/nat.h (one element of the `published` map each), and record each
 * published port in the container's endpoint so a later process removes exactly those.
 *
 * The nft map is keyed by protocol and host port only, so a published port answers on
 * every host address: `-p 127.0.0.1:8080:80` is recorded with its address (and shown by
 * inspect) but not limited to it — a known difference from docker.
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
#include "netns/nat.h"

#define EPHEMERAL_FIRST 32768
#define EPHEMERAL_LAST  60999

static int parse_num(const char *s, size_t len, unsigned *out)
{
	char buf[16];
	long long v;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (mr_parse_ll(buf, 1, 65535, &v) < 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int network_parse_port(const char *spec, struct network_port *out, struct mr_err *err)
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
	if (memchr(spec, '-', (size_t)(end - spec)))
		return mr_fail(err, 0, "port ranges are not supported: -p %s (publish each port)",
			       spec);
	for (const char *p = spec; p < end; p++)
		if (*p == ':') {
			c1 = c2;
			c2 = p;
		}
	if (c1 && memchr(spec, ':', (size_t)(c1 - spec)))
		return mr_fail(err, 0, "invalid port format: %s (use [IP:]HOSTPORT:PORT[/udp])",
			       spec);
	const char *port = c2 ? c2 + 1 : spec;
	if (parse_num(port, (size_t)(end - port), &out->port) < 0)
		return mr_fail(err, 0, "invalid containerPort: %.*s", (int)(end - port), port);
	if (c2) {
		const char *hp = c1 ? c1 + 1 : spec;
		if (hp < c2 && parse_num(hp, (size_t)(c2 - hp), &out->host_port) < 0)
			return mr_fail(err, 0, "invalid hostPort: %.*s", (int)(c2 - hp), hp);
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

char *network_format_port(const struct network_port *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u->%u/%s", p->host_ip[0] ? p->host_ip : "0.0.0.0", p->host_port,
		 p->port, p->proto);
	return buf;
}

/* Is PORT free on the host: not in the nft map, and nothing bound to it? (A process's own
 * listener, a userland proxy, sshd... would be shadowed for remote clients by the DNAT.) */
static int host_port_free(const char *proto, unsigned port, const struct nat_port *pub, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pub[i].host_port == port && !strcmp(pub[i].proto, proto))
			return 0;
	_cleanup_close_ int s = socket(AF_INET, strcmp(proto, "udp") ? SOCK_STREAM : SOCK_DGRAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	return s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0;
}

int network_ports_drop(json_t *ep, struct mr_err *err)
{
	json_t *ports = json_object_get(ep, "Ports"), *p;
	size_t i;
	json_array_foreach(ports, i, p)
	{
		const char *proto = json_string_value(json_object_get(p, "Protocol"));
		unsigned hp = (unsigned)json_integer_value(json_object_get(p, "HostPort"));
		mr_say("unpublish %u/%s", hp, proto);
		if (nat_unpublish(proto, hp, 1, err) < 0)
			return -1;
	}
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
	struct nat_port *pub = NULL;
	size_t npub = 0, done = 0;
	int r = -1;
	if (!ep) {
		mr_fail(err, 0, "cannot publish ports of container %.12s: it is on no network",
			cid);
		goto out;
	}
	if (nat_published(&pub, &npub, err) < 0)
		goto out;
	char addr[INET_ADDRSTRLEN];
	const char *a = json_string_value(json_object_get(ep, "IPv4Address"));
	snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(a, "/"), a);
	for (; done < n; done++) {
		struct network_port *p = &ports[done];
		if (p->host_port == 0) {
			unsigned hp = EPHEMERAL_FIRST;
			while (hp <= EPHEMERAL_LAST && !host_port_free(p->proto, hp, pub, npub))
				hp++;
			if (hp > EPHEMERAL_LAST) {
				mr_fail(err, 0, "no free host port in %d-%d", EPHEMERAL_FIRST,
					EPHEMERAL_LAST);
				break;
			}
			p->host_port = hp;
		} else if (!host_port_free(p->proto, p->host_port, pub, npub)) {
			mr_fail(err, 0,
				"driver failed programming external connectivity on endpoint %s "
				"(%.12s): Bind for %s:%u failed: port is already allocated",
				*json_string_value(json_object_get(ep, "Name"))
					? json_string_value(json_object_get(ep, "Name"))
					: cid,
				cid, p->host_ip[0] ? p->host_ip : "0.0.0.0", p->host_port);
			break;
		}
		struct nat_port np = {.host_port = p->host_port, .port = p->port};
		snprintf(np.proto, sizeof(np.proto), "%s", p->proto);
		snprintf(np.addr, sizeof(np.addr), "%s", addr);
		mr_say("publish %u/%s -> %s:%u", p->host_port, p->proto, addr, p->port);
		if (nat_publish(&np, err) < 0)
			break;
		/* seen as taken by the rest of this batch too */
		struct nat_port *grown = realloc(pub, (npub + 1) * sizeof(*pub));
		if (!grown) {
			nat_unpublish(np.proto, np.host_port, 1, NULL);
			mr_fail(err, ENOMEM, "publish");
			break;
		}
		pub = grown;
		pub[npub++] = np;
		json_array_append_new(json_object_get(ep, "Ports"),
				      json_pack("{s:s, s:i, s:i, s:s}", "HostIp",
						p->host_ip[0] ? p->host_ip : "0.0.0.0", "HostPort",
						(json_int_t)p->host_port, "ContainerPort",
						(json_int_t)p->port, "Protocol", p->proto));
	}
	if (done == n && network_save(root, rec, err) == 0)
		r = 0;
	else /* all or nothing: remove what this call published */
		for (size_t i = 0; i < done; i++)
			nat_unpublish(ports[i].proto, ports[i].host_port, 1, NULL);
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
