/*
 * netns/nat.c - NAT, published ports and bridge isolation in one nftables table
 * (`ip minirun`), driven through libnftables: rules as the text `nft` reads, each change
 * one atomic transaction. The table's layout is drawn in netns/nat.h.
 *
 * Why sets and maps instead of one rule per port: a rule can only be removed by its
 * handle, which a later process would have to find again (by listing and matching a
 * comment). A set element is removed by its own value, which the user types again:
 * `delete element ip minirun published { 0.0.0.0/0 . tcp . 8080 }`. Nothing is kept in
 * memory, so minirun can unpublish a port in a process long after the one that published it.
 *
 * Why DNAT in the output hook plus route_localnet (and not a userland proxy, as docker
 * uses by default): a proxy is a process per published port that must outlive the
 * command that started it, while this toolkit has no daemon. With a DNAT rule in
 * `output`, a connection the host makes itself to 127.0.0.1:8080 is redirected by the
 * kernel like one from outside. Two kernel rules stand in its way, and we lift exactly
 * those: a packet with a 127.0.0.0/8 source may not leave through a real interface
 * (route_localnet=1 on the bridge allows it), and the container could not answer
 * 127.0.0.1 anyway (the `ip saddr 127.0.0.0/8 oifname != "lo" masquerade` rule gives it
 * the bridge's address as source instead). The price, to know: the container sees the
 * connection come from its gateway, not from the real client.
 *
 * See: nft(8), libnftables(3), https://wiki.nftables.org/wiki-nftables/index.php/Maps,
 * Documentation/networking/ip-sysctl.rst (ip_forward, route_localnet).
 */
#include "netns/nat.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "netns/nat_int.h"
#include "netns/netlink.h"

#define T "ip " NAT_TABLE

/* The published map: (host address, protocol, host port) -> (container address, port). Its
 * elements are intervals so that 0.0.0.0/0 can stand for "every host address". */
#define PUBLISHED_TYPE "ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service"
/* The DNAT rule of nat_pre and nat_out. `meta l4proto { tcp, udp }` first: nft takes `th
 * dport` (the transport header's port) only after a match on the transport protocol. The
 * key begins with the destination address, so a port published on 127.0.0.1 is not
 * rewritten when the packet is for another of the host's addresses. */
#define DNAT_RULE                                                                                  \
	"meta l4proto { tcp, udp } fib daddr type local "                                          \
	"dnat ip to ip daddr . meta l4proto . th dport map @published"
/* How an older minirun's map read: keyed by protocol and port alone (every address). */
#define OLD_PUBLISHED_TYPE "type inet_proto . inet_service :"

/* The whole table, created in one transaction together with `create table`, which fails
 * when the table exists: so two processes racing to create it cannot both add the rules. */
static const char table_text[] =
	"create table " T "\n"
	"table " T " {\n"
	"  map published { type " PUBLISHED_TYPE "; flags interval; }\n"
	"  set masq { type ipv4_addr; flags interval; }\n"
	"  set bridges { type ifname; }\n"
	"  set same { type ifname . ifname; }\n"
	/* prerouting: connections from other machines (and containers) to a host address */
	"  chain nat_pre { type nat hook prerouting priority dstnat; policy accept;\n"
	"    " DNAT_RULE "\n"
	"  }\n"
	/* output: connections the host itself makes, to 127.0.0.1 or its own addresses */
	"  chain nat_out { type nat hook output priority -100; policy accept;\n"
	"    " DNAT_RULE "\n"
	"  }\n"
	"  chain nat_post { type nat hook postrouting priority srcnat; policy accept;\n"
	"    ip saddr @masq ip daddr != @masq masquerade\n"
	"    ip saddr 127.0.0.0/8 oifname != \"lo\" masquerade\n"
	/* hairpin: a container reaching a published port of its own network through a host
	 * address must see the answer come back through the host, not straight from the
	 * neighbour it never talked to */
	"    ct status dnat ip saddr @masq ip daddr @masq masquerade\n"
	"  }\n"
	/* forward: our bridges may reach the uplink and be reached through a published
	 * port, but not each other (isolation); the same bridge to itself is fine (that
	 * only passes here when br_netfilter is loaded). Another table's drop still wins:
	 * every base chain on a hook must accept a packet (docker's FORWARD policy drop is
	 * one: netns/docker_user.c). */
	"  chain filter_fwd { type filter hook forward priority filter; policy accept;\n"
	"    ct state established,related accept\n"
	"    iifname . oifname @same accept\n"
	"    iifname @bridges oifname @bridges drop\n"
	"    iifname @bridges accept\n"
	"    oifname @bridges ct status dnat accept\n"
	"  }\n"
	"}\n";

/*
 * Run nft command text CMD in one transaction. With OUT, the output (as `nft` would print
 * it) is returned in a new string the caller frees. On failure, -1 with err holding nft's
 * first error line, and errno EEXIST / ENOENT when that is what the kernel said.
 */
static int nft(const char *cmd, char **out, struct mr_err *err)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return mr_fail(err, ENOMEM, "nft_ctx_new");
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	mr_say("nft %s", cmd);
	int rc = nft_run_cmd_from_buffer(ctx, cmd);
	if (rc == 0) {
		if (out) {
			*out = strdup(nft_ctx_get_output_buffer(ctx));
			if (!*out)
				rc = mr_fail(err, ENOMEM, "nft output");
		}
		nft_ctx_free(ctx);
		return rc;
	}
	const char *e = nft_ctx_get_error_buffer(ctx);
	char line[512];
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(e, "\n"), e);
	int errnum = strstr(e, "File exists")                 ? EEXIST
		     : strstr(e, "No such file or directory") ? ENOENT
		     /* nft 1.0.6 says so for a missing set element (an --internal network's
		      * masq element, never added) */
		     : strstr(e, "does not exist")          ? ENOENT
		     : strstr(e, "Operation not permitted") ? EPERM
							    : EINVAL;
	nft_ctx_free(ctx);
	mr_fail(err, 0, "nft '%.*s': %s", (int)strcspn(cmd, "\n"), cmd, line);
	errno = errnum;
	if (err)
		err->errnum = errnum;
	return -1;
}

/* mr_fail with a message that is complete as it is (no ": strerror" after it), while the
 * caller still finds ERRNUM in err->errnum and errno. */
static int fail_as(struct mr_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_as(struct mr_err *err, int errnum, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->errnum = errnum;
	}
	errno = errnum;
	return -1;
}

/* printf into a fixed buffer and run it with nft(). */
static int nftf(char **out, struct mr_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int nftf(char **out, struct mr_err *err, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return nft(cmd, out, err);
}

int nat_enable_forwarding(struct mr_err *err)
{
	_cleanup_free_ char *v = NULL;
	if (mr_read_file("/proc/sys/net/ipv4/ip_forward", &v, NULL, err) < 0)
		return -1;
	if (v[0] == '1')
		return 0;
	/* Per network namespace: this turns routing on for this namespace only. */
	mr_say("echo 1 > /proc/sys/net/ipv4/ip_forward (routing between bridge and uplink)");
	if (mr_write_file("/proc/sys/net/ipv4/ip_forward", "1", err) < 0)
		return -1;
	return 1;
}

/* The element key of P's host side, "0.0.0.0/0 . tcp . 8080" or "127.0.0.1 . tcp . 8080". */
static const char *element_key(const struct nat_port *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s . %s . %u", p->host_addr[0] ? p->host_addr : "0.0.0.0/0", p->proto,
		 p->host_port);
	return buf;
}

/*
 * A table made by an older minirun keyed the map by protocol and port alone. Convert it in
 * one transaction: the rules that use the map go, the map is made anew, the rules come
 * back, and its ports are kept, as published on every address (what they meant).
 * TEXT is the table's listing.
 */
static int migrate_published(const char *text, struct mr_err *err)
{
	_cleanup_free_ struct nat_port *old = NULL;
	size_t n = 0;
	char *cmd = NULL, key[48];
	size_t len = 0;
	const char *map = strstr(text, "map published {");

	if (nat_parse_elements(map ? map : "", &old, &n) < 0)
		return mr_fail(err, ENOMEM, "convert table " T);
	FILE *f = open_memstream(&cmd, &len);
	if (!f)
		return mr_fail(err, errno, "open_memstream");
	mr_say("table %s is an older minirun's (ports on every address only): converting it", T);
	fprintf(f, "flush chain " T " nat_pre\n"
		   "flush chain " T " nat_out\n"
		   "delete map " T " published\n"
		   "add map " T " published { type " PUBLISHED_TYPE "; flags interval; }\n"
		   "add rule " T " nat_pre " DNAT_RULE "\n"
		   "add rule " T " nat_out " DNAT_RULE "\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "add element " T " published { %s : %s . %u }\n",
			element_key(&old[i], key, sizeof(key)), old[i].addr, old[i].port);
	fclose(f);
	int r = cmd ? nft(cmd, NULL, err) : mr_fail(err, ENOMEM, "convert table " T);
	free(cmd);
	return r;
}

int nat_init(struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	if (nft("list table " T, &text, NULL) == 0)
		return strstr(text, OLD_PUBLISHED_TYPE) ? migrate_published(text, err) : 0;
	mr_say("creating table %s", T);
	if (nft(table_text, NULL, err) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* ---- published ports ------------------------------------------------------------------------ */

/* "0.0.0.0" (every address) is kept as "": one spelling for the wildcard. */
static int set_host_addr(struct nat_port *p, const char *s, size_t len)
{
	struct in_addr a;
	char buf[16];
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (nl_parse_ipv4(buf, &a, NULL) < 0)
		return -1;
	snprintf(p->host_addr, sizeof(p->host_addr), "%s", a.s_addr == 0 ? "" : buf);
	return 0;
}

int nat_parse_port(const char *spec, struct nat_port *out, struct mr_err *err)
{
	char buf[64], *slash, *f[4];
	long long hp, cp;
	struct in_addr a;
	int nf = 0;

	memset(out, 0, sizeof(*out));
	if (!spec || strlen(spec) >= sizeof(buf))
		return mr_fail(err, 0, "'%s' is not a port mapping (like 8080:10.88.0.2:80/tcp)",
			       spec ? spec : "");
	strcpy(buf, spec);
	strcpy(out->proto, "tcp");
	if ((slash = strchr(buf, '/'))) {
		*slash++ = '\0';
		if (strcmp(slash, "tcp") && strcmp(slash, "udp"))
			return mr_fail(err, 0, "'%s': protocol '%s' is not tcp or udp", spec,
				       slash);
		strcpy(out->proto, slash);
	}
	/* HOSTPORT:IP:PORT, or HOSTADDR:HOSTPORT:IP:PORT */
	for (const char *c = buf; *c; c++)
		nf += *c == ':';
	if (nf == 2 || nf == 3)
		for (char *s = buf, **at = f; at < f + nf + 1; at++)
			*at = strsep(&s, ":");
	if (++nf < 3 || nf > 4)
		return mr_fail(err, 0,
			       "'%s' is not a port mapping (like 8080:10.88.0.2:80/tcp or "
			       "127.0.0.1:8080:10.88.0.2:80)",
			       spec);
	char **v = nf == 4 ? f + 1 : f;
	if (nf == 4 && set_host_addr(out, f[0], strlen(f[0])) < 0)
		return mr_fail(err, 0, "'%s': host address '%s' is not an IPv4 address", spec,
			       f[0]);
	if (mr_parse_ll(v[0], 1, 65535, &hp) < 0 || mr_parse_ll(v[2], 1, 65535, &cp) < 0)
		return mr_fail(err, 0, "'%s': ports must be numbers from 1 to 65535", spec);
	if (nl_parse_ipv4(v[1], &a, NULL) < 0)
		return mr_fail(err, 0, "'%s': '%s' is not an IPv4 address", spec, v[1]);
	snprintf(out->addr, sizeof(out->addr), "%s", v[1]);
	out->host_port = (unsigned)hp;
	out->port = (unsigned)cp;
	return 0;
}

char *nat_format_port(const struct nat_port *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%u:%s:%u/%s", p->host_addr, p->host_addr[0] ? ":" : "",
		 p->host_port, p->addr, p->port, p->proto);
	return buf;
}

char *nat_format_key(const struct nat_port *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%u/%s", p->host_addr, p->host_addr[0] ? ":" : "", p->host_port,
		 p->proto);
	return buf;
}

int nat_port_clash(const struct nat_port *a, const struct nat_port *b)
{
	return a->host_port == b->host_port && !strcmp(a->proto, b->proto) &&
	       (!a->host_addr[0] || !b->host_addr[0] || !strcmp(a->host_addr, b->host_addr));
}

/* One element "[ADDR . ]PROTO . HOSTPORT : IP . PORT" at S into P; the characters it took
 * in *used. 0 when it is one of ours, -1 when not. */
static int parse_element(const char *s, struct nat_port *p, int *used)
{
	char proto[8], haddr[20] = "";
	const char *colon = strchr(s, ':');
	int fields = 0;
	memset(p, 0, sizeof(*p));
	/* three fields before the ':' (this layout), or two (an older table's) */
	for (const char *d = s; colon && (d = strstr(d, " . ")) && d < colon; d += 3)
		fields++;
	if (fields == 2) {
		if (sscanf(s, " %19[0-9./] . %7[a-z0-9] . %u : %15[0-9.] . %u%n", haddr, proto,
			   &p->host_port, p->addr, &p->port, used) != 5)
			return -1;
		if (strcmp(haddr, "0.0.0.0/0") &&
		    (strchr(haddr, '/') || set_host_addr(p, haddr, strlen(haddr)) < 0))
			return -1; /* an interval of ours is only ever every address */
	} else if (sscanf(s, " %7[a-z0-9] . %u : %15[0-9.] . %u%n", proto, &p->host_port, p->addr,
			  &p->port, used) != 4)
		return -1;
	/* nft names the protocol from /etc/protocols, and prints its number (6, 17) where
	 * that file is missing (a minimal VM): accept both. */
	if (strcmp(proto, "tcp") && strcmp(proto, "6") && strcmp(proto, "udp") &&
	    strcmp(proto, "17"))
		return -1;
	strcpy(p->proto, proto[0] == 't' || proto[0] == '6' ? "tcp" : "udp");
	return 0;
}

int nat_parse_elements(const char *text, struct nat_port **out, size_t *n)
{
	const char *s = strstr(text, "elements = {");
	*out = NULL;
	*n = 0;
	if (!s)
		return 0;
	s += strlen("elements = {");
	const char *end = strchr(s, '}');
	while (s && end && s < end) {
		struct nat_port p;
		int used = 0;
		if (parse_element(s, &p, &used) == 0) {
			struct nat_port *v = realloc(*out, (*n + 1) * sizeof(*v));
			if (!v)
				return -1;
			*out = v;
			v[(*n)++] = p;
		}
		s = strchr(s + used, ',');
		if (s)
			s++;
	}
	return 0;
}

int nat_published(struct nat_port **out, size_t *n, struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	*out = NULL;
	*n = 0;
	if (nft("list map " T " published", &text, err) < 0)
		return errno == ENOENT ? 0 : -1;
	if (nat_parse_elements(text, out, n) < 0)
		return mr_fail(err, ENOMEM, "list published ports");
	return 0;
}

/* P's fields are put into nft text: check each is what it claims to be (the host side
 * alone without TARGET, for a removal). */
static int check_port(const struct nat_port *p, int target, struct mr_err *err)
{
	struct in_addr a;
	if (strcmp(p->proto, "tcp") && strcmp(p->proto, "udp"))
		return mr_fail(err, 0, "protocol '%s' is not tcp or udp", p->proto);
	if (!p->host_port || p->host_port > 65535 || (target && (!p->port || p->port > 65535)))
		return mr_fail(err, 0, "ports must be numbers from 1 to 65535");
	if (p->host_addr[0] && nl_parse_ipv4(p->host_addr, &a, NULL) < 0)
		return mr_fail(err, 0, "host address '%s' is not an IPv4 address", p->host_addr);
	if (target && nl_parse_ipv4(p->addr, &a, NULL) < 0)
		return mr_fail(err, 0, "'%s' is not an IPv4 address", p->addr);
	return 0;
}

int nat_publish_many(const struct nat_port *p, size_t n, struct mr_err *err)
{
	_cleanup_free_ struct nat_port *have = NULL, *mine = calloc(n + 1, sizeof(*mine));
	size_t nhave = 0;
	char *cmd = NULL, key[48], a[64], b[64], k[32];
	size_t len = 0, added = 0;

	if (!mine)
		return mr_fail(err, ENOMEM, "publish");

	for (size_t i = 0; i < n; i++)
		if (check_port(&p[i], 1, err) < 0)
			return -1;
	if (nat_init(err) < 0 || nat_published(&have, &nhave, err) < 0)
		return -1;
	FILE *f = open_memstream(&cmd, &len);
	if (!f)
		return mr_fail(err, errno, "open_memstream");
	/* Idempotent, and honest about a clash: each against what is there and the ones
	 * before it in P. (The kernel refuses an equal key only: a port on every address and
	 * the same port on one address would both go in.) */
	for (size_t i = 0; i < n; i++) {
		const struct nat_port *clash = NULL;
		int same = 0;
		for (size_t j = 0; j < nhave && !clash; j++)
			if (nat_port_clash(&p[i], &have[j])) {
				clash = &have[j];
				same = !strcmp(clash->host_addr, p[i].host_addr) &&
				       !strcmp(clash->addr, p[i].addr) && clash->port == p[i].port;
			}
		for (size_t j = 0; j < i && !clash; j++)
			if (nat_port_clash(&p[i], &p[j]))
				clash = &p[j];
		if (same) {
			mr_say("%s is published already", nat_format_port(&p[i], a, sizeof(a)));
			continue;
		}
		if (clash) {
			fclose(f);
			free(cmd);
			return fail_as(err, EEXIST,
				       "port %s is already published (%s); remove it first with "
				       "netns/publish -d %s",
				       nat_format_key(&p[i], k, sizeof(k)),
				       nat_format_port(clash, b, sizeof(b)),
				       nat_format_key(clash, a, sizeof(a)));
		}
		fprintf(f, "add element " T " published { %s : %s . %u }\n",
			element_key(&p[i], key, sizeof(key)), p[i].addr, p[i].port);
		mine[added++] = p[i];
	}
	fclose(f);
	int r = !cmd ? mr_fail(err, ENOMEM, "publish") : added ? nft(cmd, NULL, err) : 0;
	free(cmd);
	if (r < 0) {
		if (errno == EEXIST) /* another process, between our look and our add */
			return fail_as(err, EEXIST, "port %s is already published",
				       nat_format_key(&p[0], k, sizeof(k)));
		return -1;
	}
	if (added && nat_enable_forwarding(err) < 0) {
		nat_unpublish_many(mine, added, NULL); /* no half-made state */
		return -1;
	}
	return 0;
}

int nat_publish(const struct nat_port *p, struct mr_err *err)
{
	return nat_publish_many(p, 1, err);
}

int nat_unpublish(const char *host_addr, const char *proto, unsigned host_port, int missing_ok,
		  struct mr_err *err)
{
	struct nat_port p = {.host_port = host_port};
	char key[48], k[32];
	if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
		return mr_fail(err, 0, "protocol '%s' is not tcp or udp", proto);
	strcpy(p.proto, proto);
	if (host_addr && *host_addr && set_host_addr(&p, host_addr, strlen(host_addr)) < 0)
		return mr_fail(err, 0, "host address '%s' is not an IPv4 address", host_addr);
	if (nftf(NULL, err, "delete element " T " published { %s }",
		 element_key(&p, key, sizeof(key))) < 0) {
		if (errno != ENOENT)
			return -1;
		if (!missing_ok)
			return fail_as(err, ENOENT, "port %s is not published",
				       nat_format_key(&p, k, sizeof(k)));
	}
	return nat_prune(0, err);
}

int nat_unpublish_many(const struct nat_port *p, size_t n, struct mr_err *err)
{
	char *cmd = NULL, key[48];
	size_t len = 0;
	struct mr_err e = {0};
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (check_port(&p[i], 0, err) < 0)
			return -1;
	FILE *f = open_memstream(&cmd, &len);
	if (!f)
		return mr_fail(err, errno, "open_memstream");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "delete element " T " published { %s }\n",
			element_key(&p[i], key, sizeof(key)));
	fclose(f);
	if (!cmd)
		return mr_fail(err, ENOMEM, "unpublish");
	int r = nft(cmd, NULL, &e);
	free(cmd);
	if (r == 0)
		return nat_prune(0, err);
	if (e.errnum != ENOENT) {
		if (err)
			*err = e;
		return -1;
	}
	/* one of them is gone already (a transaction is all or nothing): one at a time */
	for (size_t i = 0; i < n; i++)
		if (nat_unpublish(p[i].host_addr, p[i].proto, p[i].host_port, 1, err) < 0)
			return -1;
	return 0;
}

/* ---- masquerade and bridges ---------------------------------------------------------------- */

int nat_masquerade_add(const char *cidr, struct mr_err *err)
{
	struct nl_cidr c;
	char net[24];
	if (nl_parse_cidr(cidr, &c, err) < 0 || nat_init(err) < 0)
		return -1;
	/* The set holds networks: 10.88.0.1/24 is stored as 10.88.0.0/24. */
	if (nftf(NULL, err, "add element " T " masq { %s }",
		 nl_cidr_network(&c, net, sizeof(net))) < 0)
		return -1;
	if (nat_enable_forwarding(err) < 0) {
		nat_masquerade_del(cidr, 1, NULL);
		return -1;
	}
	return 0;
}

int nat_masquerade_del(const char *cidr, int missing_ok, struct mr_err *err)
{
	struct nl_cidr c;
	char net[24];
	if (nl_parse_cidr(cidr, &c, err) < 0)
		return -1;
	if (nftf(NULL, err, "delete element " T " masq { %s }",
		 nl_cidr_network(&c, net, sizeof(net))) < 0) {
		if (errno != ENOENT)
			return -1;
		if (!missing_ok)
			return fail_as(err, ENOENT, "subnet %s is not masqueraded", net);
	}
	return nat_prune(0, err);
}

/* nft reads a name inside "..." : allow only what needs no escaping. */
static int check_nft_ifname(const char *name, struct mr_err *err)
{
	if (nl_check_ifname(name, err) < 0)
		return -1;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("-_.", *c))
			return mr_fail(err, 0,
				       "bridge name '%s': use letters, digits, '-', '_', '.'",
				       name);
	return 0;
}

int nat_bridge_add(const char *name, struct mr_err *err)
{
	char path[128];
	if (check_nft_ifname(name, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/route_localnet", name);
	if (access(path, F_OK) < 0)
		return mr_fail(err, 0,
			       "bridge '%s' does not exist; create it first "
			       "(netns/bridge %s CIDR)",
			       name, name);
	if (nat_init(err) < 0)
		return -1;
	if (nftf(NULL, err,
		 "add element " T " bridges { \"%s\" }\n"
		 "add element " T " same { \"%s\" . \"%s\" }",
		 name, name, name) < 0)
		return -1;
	/* Why: see the header comment; lets a port published to this bridge's containers
	 * answer connections the host makes to 127.0.0.1. */
	mr_say("echo 1 > %s", path);
	if (mr_write_file(path, "1", err) < 0 || nat_enable_forwarding(err) < 0) {
		nat_bridge_del(name, 1, NULL);
		return -1;
	}
	return 0;
}

int nat_bridge_del(const char *name, int missing_ok, struct mr_err *err)
{
	struct mr_err e1 = {0}, e2 = {0};
	if (check_nft_ifname(name, err) < 0)
		return -1;
	/* Two transactions, so that a half-registered bridge (one element only) still goes. */
	int r1 = nftf(NULL, &e1, "delete element " T " bridges { \"%s\" }", name);
	int r2 = nftf(NULL, &e2, "delete element " T " same { \"%s\" . \"%s\" }", name, name);
	if ((r1 < 0 && e1.errnum != ENOENT) || (r2 < 0 && e2.errnum != ENOENT)) {
		if (err)
			*err = (r1 < 0 && e1.errnum != ENOENT) ? e1 : e2;
		return -1;
	}
	if (r1 < 0 && r2 < 0 && !missing_ok)
		return mr_fail(err, 0, "bridge '%s' is not registered for NAT", name);
	return nat_prune(0, err);
}

int nat_prune(int force, struct mr_err *err)
{
	_cleanup_free_ char *text = NULL;
	if (nft("list table " T, &text, NULL) < 0)
		return 0; /* no table: nothing to prune */
	if (!force && strstr(text, "elements = "))
		return 0;
	mr_say("table %s is %s: deleting it", T, force ? "unwanted" : "empty");
	if (nft("delete table " T, NULL, err) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int nat_show(char **out, struct mr_err *err)
{
	(void)err;
	*out = NULL;
	if (nft("list table " T, out, NULL) < 0)
		return 0;
	return 0;
}

int nat_table_present(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl)
		return -1;
	int r = -1;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE;
		nlh->nlmsg_flags = NLM_F_REQUEST;
		nlh->nlmsg_seq = 1;
		struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->nfgen_family = AF_INET; /* NFPROTO_IPV4: the same value */
		g->version = NFNETLINK_V0;
		mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, NAT_TABLE);
		ssize_t n;
		/* the answer: the table (NFT_MSG_NEWTABLE), or an error message, ENOENT */
		if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) >= 0 &&
		    (n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
			int cb = mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), NULL,
					    NULL);
			r = cb >= 0 ? 1 : errno == ENOENT ? 0 : -1;
		}
	}
	mnl_socket_close(nl);
	return r;
}

int nat_nft(const char *cmd, char **out, struct mr_err *err)
{
	return nft(cmd, out, err);
}

int nat_check_ifname(const char *name, struct mr_err *err)
{
	return check_nft_ifname(name, err);
}
