/*
 * minirun/compose/syntax.c - the two service keys with a short and a long syntax that
 * docker users write most: ports and volumes.
 *
 *	ports    "80", "8080:80", "127.0.0.1:8080:80/udp", "[::1]:53:53", "9000-9001:90-91"
 *	         (a target range is one port each), or {target, published, host_ip,
 *	         protocol, mode, name, app_protocol}
 *	volumes  "data:/srv:ro" (a named volume), "./src:/app" (a bind mount, relative to the
 *	         project directory; the short syntax creates a missing source), "/anon" (an
 *	         anonymous volume), or {type: volume|bind|tmpfs, source, target, read_only,
 *	         bind: {propagation, create_host_path}, volume: {nocopy}, tmpfs: {size}}
 *
 * See: https://docs.docker.com/reference/compose-file/services/#ports,
 *      https://docs.docker.com/reference/compose-file/services/#volumes
 */
#include "minirun/compose/parse.h"

#include <stdlib.h>
#include <string.h>

/* ---- ports ----------------------------------------------------------------------------- */

char *cy_port_key(struct compose_arena *a, const struct compose_port *p)
{
	return compose_printf(a, "%s:%s:%u/%s", p->host_ip ? p->host_ip : "",
			      p->published ? p->published : "", p->target,
			      p->protocol ? p->protocol : "tcp");
}

/* "80" or "80-81": first and last; 0 on a malformed one */
static int port_range(const char *s, unsigned *lo, unsigned *hi)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b = a;
	if (end == s || a > 65535)
		return 0;
	if (*end == '-') {
		const char *s2 = end + 1;
		b = strtoul(s2, &end, 10);
		if (end == s2 || b > 65535 || b < a)
			return 0;
	}
	if (*end)
		return 0;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 1;
}

/* [HOST_IP:][PUBLISHED[-END]:]TARGET[-END][/PROTOCOL]; a target range becomes one port each */
static int port_short(struct pctx *pc, struct fy_node *n, const char *spec,
		      struct compose_ports *out, struct mr_err *err)
{
	struct compose_arena *a = pc->c->a;
	char *s = compose_strdup(a, spec), *proto = strchr(s, '/'), *ip = NULL, *pub = NULL;
	if (proto)
		*proto++ = '\0';
	char *target = strrchr(s, ':');
	if (target) {
		*target++ = '\0';
		pub = strrchr(s, ':');
		if (pub) {
			*pub++ = '\0';
			ip = s;
		} else if (s[0] == '[' || strchr(s, '.')) { /* "IP::80" has no published */
			ip = s;
		} else {
			pub = s;
		}
		if (ip && ip[0] == '[') { /* [::1] */
			size_t l = strlen(ip);
			if (ip[l - 1] == ']')
				ip = compose_strndup(a, ip + 1, l - 2);
		}
	} else {
		target = s;
	}
	/* an IPv6 address is written in brackets: a bare one with ':' is a bad split
	 * ("1.2.3.4:80-81::90" used to give host_ip "1.2.3.4:80-81") */
	if (ip && ip == s && strchr(ip, ':'))
		return cy_fail(pc, n, err,
			       "invalid host IP \"%s\" in port \"%s\" (write IPv6 as [::1])", ip,
			       spec);
	unsigned tlo, thi, plo = 0, phi = 0;
	/* target 0 is no port (the long syntax refuses it too: found by fuzz_compose) */
	if (!port_range(target, &tlo, &thi) || tlo == 0 ||
	    (pub && *pub && !port_range(pub, &plo, &phi)))
		return cy_fail(pc, n, err,
			       "invalid port \"%s\" (HOST_IP:PUBLISHED:TARGET/PROTOCOL)", spec);
	if (proto && strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp"))
		return cy_fail(pc, n, err, "invalid protocol \"%s\" in port \"%s\"", proto, spec);
	if (thi > tlo && pub && *pub && phi - plo != thi - tlo && phi != plo)
		return cy_fail(pc, n, err,
			       "port ranges \"%s\" and \"%s\" do not have the same length", pub,
			       target);
	for (unsigned t = tlo; t <= thi; t++) {
		struct compose_port *p = compose_push(a, &out->v, &out->n, sizeof(*p));
		p->target = t;
		p->host_ip = ip && *ip ? ip : NULL;
		p->protocol = compose_strdup(a, proto ? proto : "tcp");
		p->mode = "ingress";
		if (pub && *pub) {
			if (thi > tlo && phi > plo)
				p->published = compose_printf(a, "%u", plo + (t - tlo));
			else
				p->published = pub;
		}
	}
	return 0;
}

static int port_long(struct pctx *pc, struct fy_node *n, struct compose_ports *out,
		     struct mr_err *err)
{
	struct compose_arena *a = pc->c->a;
	struct compose_port p = {.protocol = "tcp", .mode = "ingress"};
	long long target = -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "target"))
			rc = cy_int(pc, v, &target, err);
		else if (!strcmp(k, "published"))
			rc = cy_str(pc, v, &p.published, err);
		else if (!strcmp(k, "host_ip"))
			rc = cy_str(pc, v, &p.host_ip, err);
		else if (!strcmp(k, "protocol"))
			rc = cy_str(pc, v, &p.protocol, err);
		else if (!strcmp(k, "mode"))
			rc = cy_str(pc, v, &p.mode, err);
		else if (!strcmp(k, "name"))
			rc = cy_str(pc, v, &p.name, err);
		else if (!strcmp(k, "app_protocol"))
			rc = cy_str(pc, v, &p.app_protocol, err);
		else if (strncmp(k, "x-", 2))
			rc = cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	if (target < 1 || target > 65535)
		return cy_fail(pc, n, err, "needs a target port (1-65535)");
	/* `protocol: null` is the key left out: the default, as the short syntax's (else
	 * `config` would print no protocol, which loads back as tcp: found by fuzz_compose) */
	if (!p.protocol)
		p.protocol = "tcp";
	if (!p.mode)
		p.mode = "ingress";
	unsigned lo, hi;
	if (p.published && !port_range(p.published, &lo, &hi))
		return cy_fail(pc, n, err, "published \"%s\" is not a port or a range",
			       p.published);
	p.target = (unsigned)target;
	*(struct compose_port *)compose_push(a, &out->v, &out->n, sizeof(p)) = p;
	return 0;
}

int cy_ports(struct pctx *pc, struct fy_node *n, struct compose_ports *out, struct mr_err *err)
{
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cy_fail(pc, n, err, "must be a list");
	void *it = NULL;
	struct fy_node *item;
	for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)); i++) {
		size_t len = cy_push_index(pc, i);
		char *s;
		int rc = fy_node_get_type(item) == FYNT_MAPPING ? port_long(pc, item, out, err)
			 : cy_str(pc, item, &s, err) < 0        ? -1
			 : !s ? cy_fail(pc, item, err, "must be a port, not null")
			      : port_short(pc, item, s, out, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

/* ---- volumes ---------------------------------------------------------------------------- */

static int is_path(const char *s)
{
	return s[0] == '.' || s[0] == '/' || s[0] == '~';
}

/* SOURCE:TARGET[:MODE] or TARGET; MODE a comma list of ro rw z Z nocopy and propagations */
static int mount_short(struct pctx *pc, struct fy_node *n, const char *spec,
		       struct compose_mount *m, struct mr_err *err)
{
	struct compose_arena *a = pc->c->a;
	char *s = compose_strdup(a, spec), *parts[3] = {s, NULL, NULL};
	int np = 1;
	for (char *c = s; *c && np < 3; c++)
		if (*c == ':') {
			*c = '\0';
			parts[np++] = c + 1;
		}
	if (np == 3 && strchr(parts[2], ':'))
		return cy_fail(pc, n, err, "invalid volume \"%s\" (SOURCE:TARGET[:MODE])", spec);
	if (np == 1) { /* "/data": an anonymous volume */
		m->type = COMPOSE_MOUNT_VOLUME;
		m->target = s;
	} else {
		m->source = parts[0];
		m->target = parts[1];
		m->type = is_path(m->source) ? COMPOSE_MOUNT_BIND : COMPOSE_MOUNT_VOLUME;
		if (m->type == COMPOSE_MOUNT_BIND) {
			m->source = cy_path(pc, m->source);
			m->create_host_path = 1;
		}
	}
	if (!*m->target || m->target[0] != '/')
		return cy_fail(pc, n, err,
			       "invalid volume \"%s\": the target must be an "
			       "absolute path",
			       spec);
	static const char *const props[] = {"shared", "rshared", "slave",
					    "rslave", "private", "rprivate"};
	for (char *opt = np == 3 ? strtok(parts[2], ",") : NULL; opt; opt = strtok(NULL, ",")) {
		int known = 0;
		if (!strcmp(opt, "ro"))
			m->read_only = known = 1;
		else if (!strcmp(opt, "rw") || !strcmp(opt, "z") || !strcmp(opt, "Z"))
			known = 1;
		else if (!strcmp(opt, "nocopy"))
			m->nocopy = known = 1;
		for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
			if (!strcmp(opt, props[i]))
				m->propagation = opt, known = 1;
		if (!known)
			return cy_fail(pc, n, err, "invalid mode \"%s\" in volume \"%s\"", opt,
				       spec);
	}
	return 0;
}

static int mount_long(struct pctx *pc, struct fy_node *n, struct compose_mount *m,
		      struct mr_err *err)
{
	char *type = NULL;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "type"))
			rc = cy_str(pc, v, &type, err);
		else if (!strcmp(k, "source"))
			rc = cy_str(pc, v, &m->source, err);
		else if (!strcmp(k, "target"))
			rc = cy_str(pc, v, &m->target, err);
		else if (!strcmp(k, "read_only"))
			rc = cy_bool(pc, v, &m->read_only, err);
		else if (!strcmp(k, "bind") && !(rc = cy_need_map(pc, v, err))) {
			FOR_EACH_PAIR(v, bk, bv, bkey)
			{
				size_t l2 = cy_push(pc, bk);
				if (!strcmp(bk, "propagation"))
					rc = cy_str(pc, bv, &m->propagation, err);
				else if (!strcmp(bk, "create_host_path"))
					rc = cy_bool(pc, bv, &m->create_host_path, err);
				else if (strcmp(bk, "selinux"))
					rc = cy_unknown(pc, bkey, err);
				if (rc < 0)
					return -1;
				cy_pop(pc, l2);
			}
		} else if (!strcmp(k, "volume") && !(rc = cy_need_map(pc, v, err))) {
			FOR_EACH_PAIR(v, vk, vv, vkey)
			{
				size_t l2 = cy_push(pc, vk);
				if (!strcmp(vk, "nocopy"))
					rc = cy_bool(pc, vv, &m->nocopy, err);
				else if (strcmp(vk, "subpath"))
					rc = cy_unknown(pc, vkey, err);
				if (rc < 0)
					return -1;
				cy_pop(pc, l2);
			}
		} else if (!strcmp(k, "tmpfs") && !(rc = cy_need_map(pc, v, err))) {
			FOR_EACH_PAIR(v, tk, tv, tkey)
			{
				size_t l2 = cy_push(pc, tk);
				if (!strcmp(tk, "size"))
					rc = cy_bytes(pc, tv, &m->tmpfs_size, err);
				else if (strcmp(tk, "mode"))
					rc = cy_unknown(pc, tkey, err);
				if (rc < 0)
					return -1;
				cy_pop(pc, l2);
			}
		} else if (rc == 0 && strcmp(k, "consistency") && strncmp(k, "x-", 2))
			rc = cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	static const char *const types[] = {"volume", "bind", "tmpfs"};
	size_t t = 0;
	while (t < 3 && type && strcmp(type, types[t]))
		t++;
	if (t == 3 || !type)
		return cy_fail(pc, n, err, "type must be volume, bind or tmpfs");
	m->type = (enum compose_mount_type)t;
	if (!m->target || m->target[0] != '/')
		return cy_fail(pc, n, err, "needs an absolute target");
	if (m->type == COMPOSE_MOUNT_BIND) {
		if (!m->source)
			return cy_fail(pc, n, err, "a bind mount needs a source");
		m->source = cy_path(pc, m->source);
	}
	return 0;
}

int cy_mounts(struct pctx *pc, struct fy_node *n, struct compose_mounts *out, struct mr_err *err)
{
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cy_fail(pc, n, err, "must be a list");
	void *it = NULL;
	struct fy_node *item;
	for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)); i++) {
		size_t len = cy_push_index(pc, i);
		struct compose_mount *m = compose_push(pc->c->a, &out->v, &out->n, sizeof(*m));
		char *s;
		int rc = fy_node_get_type(item) == FYNT_MAPPING ? mount_long(pc, item, m, err)
			 : cy_str(pc, item, &s, err) < 0        ? -1
			 : !s ? cy_fail(pc, item, err, "must be a volume, not null")
			      : mount_short(pc, item, s, m, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}
