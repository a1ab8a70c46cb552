/*
 * minirun/containers/dns_flags.c - a container's /etc/resolv.conf and the --add-host lines
 * of its /etc/hosts, from run's --dns, --dns-search, --dns-option and --add-host, as docker
 * makes them.
 *
 * resolv.conf, written at each start (the host's may have changed):
 *	no flag, default bridge   the host's file without its loopback nameservers (127.0.0.53
 *	                          means nothing inside another network namespace); none left:
 *	                          8.8.8.8 and 8.8.4.4 (docker's fallback)
 *	a flag, default bridge    "search", "nameserver", "options" lines, each from its flag,
 *	                          else from the host's file
 *	a user network            one nameserver, the network's DNS responder (its gateway
 *	                          address; docker's is 127.0.0.11: README.md of network/ says
 *	                          why minirun's is not), search and options as above, plus
 *	                          "options ndots:0" (docker's: a single-label name goes to the
 *	                          responder as it is, not with the search domains first). The
 *	                          nameservers the other rows would list become the responder's
 *	                          upstreams for this container: --dns ones in
 *	                          ROOT/containers/ID/dns.upstream, else the host's own
 *	--network host            the host's file as it is
 * A container of the default bridge that `network connect` puts on a user network is
 * switched to that network's responder there and then (the file rewritten in place: it is
 * bind-mounted), as docker switches it to 127.0.0.11; so at its next starts.
 *
 * --add-host NAME:IP adds "IP<TAB>NAME" to /etc/hosts after the localhost lines (docker's
 * place); NAME:host-gateway is the gateway of the container's first network, the address by
 * which the host answers it (docker: the default bridge's, docker0's 172.17.0.1). The lines
 * are kept in ROOT/containers/ID/hosts.extra, which network_hosts_refresh puts in each time
 * it rewrites the file (network/connect.c).
 *
 * See: resolv.conf(5) (ndots, search); docker's libnetwork/sandbox_dns_unix.go (setupDNS,
 *      rebuildDNS) and opts/hosts.go (ValidateExtraHost); dns.h of minirun/network.
 * Try: minirun run --rm --dns 10.0.0.2 --dns-search corp.example --dns-option ndots:2 \
 *        --add-host db:10.0.0.5 busybox sh -c 'cat /etc/resolv.conf /etc/hosts'
 */
#include "minirun/containers/dns_flags.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/opts.h"
#include "minirun/network/network.h"

/* ---- the flags ---------------------------------------------------------------------------- */

/* docker's ValidateIPAddress: an IPv4 or IPv6 address, written back in its canonical form */
static bool ip_ok(const char *v, char *canon, size_t size)
{
	unsigned char buf[16];
	if (inet_pton(AF_INET, v, buf) == 1)
		return inet_ntop(AF_INET, buf, canon, (socklen_t)size) != NULL;
	if (inet_pton(AF_INET6, v, buf) == 1)
		return inet_ntop(AF_INET6, buf, canon, (socklen_t)size) != NULL;
	return false;
}

/* docker's validateDomain: dot-separated labels of letters, digits and inner hyphens, at
 * least one letter somewhere, under 255 bytes */
static bool domain_ok(const char *v)
{
	size_t len = strlen(v), label = 0;
	bool letter = false;
	if (!len || len >= 255)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char ch = v[i];
		if (ch == '.' || ch == '\0') {
			if (!label || v[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)ch) && !(ch == '-' && label))
			return false;
		letter |= isalpha((unsigned char)ch) != 0;
		label++;
	}
	return letter;
}

int opts_set_dns(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	char canon[INET6_ADDRSTRLEN];
	const char *keep = v;
	char ***list;
	/* the record keeps each value as a JSON string, and the files a start writes take one
	 * a line: what is no UTF-8 would be dropped from the record, and a line break would
	 * start a line of its own in resolv.conf or /etc/hosts */
	json_t *utf8 = json_string(v);
	json_decref(utf8);
	if (!utf8 || strpbrk(v, "\r\n"))
		return mr_fail(err, 0, "invalid argument \"%s\" for \"--%s\" flag: %s", v, f->name,
			       utf8 ? "a line break (give one line)" : "not UTF-8");
	if (!strcmp(f->name, "dns")) {
		if (!ip_ok(v, canon, sizeof(canon)))
			return mr_fail(
				err, 0,
				"invalid argument \"%s\" for \"--dns\" flag: %s is not an ip "
				"address",
				v, v);
		keep = canon;
		list = &o->dns;
	} else if (!strcmp(f->name, "dns-search")) {
		if (strcmp(v, ".") && !domain_ok(v))
			return mr_fail(
				err, 0,
				"invalid argument \"%s\" for \"--dns-search\" flag: %s is not "
				"a valid domain",
				v, v);
		list = &o->dns_search;
	} else if (!strcmp(f->name, "dns-option")) {
		list = &o->dns_options;
	} else {
		const char *colon = strchr(v, ':');
		if (!colon || colon == v)
			return mr_fail(
				err, 0,
				"invalid argument \"%s\" for \"--add-host\" flag: bad format "
				"for add-host: \"%s\"",
				v, v);
		if (strcmp(colon + 1, "host-gateway") && !ip_ok(colon + 1, canon, sizeof(canon)))
			return mr_fail(
				err, 0,
				"invalid argument \"%s\" for \"--add-host\" flag: invalid IP "
				"address in add-host: \"%s\"",
				v, colon + 1);
		list = &o->extra_hosts;
	}
	return opts_strv_add(list, keep, err);
}

static json_t *strv_array(char **v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

int container_dnsflags_record(struct container_record *r, const struct container_opts *o)
{
	struct container_dns *d = &r->host.dns;
	char **const from[] = {o->dns, o->dns_search, o->dns_options, o->extra_hosts};
	char ***to[] = {&d->servers, &d->search, &d->options, &d->extra_hosts};
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		size_t n = 0;
		while (from[i] && from[i][n])
			n++;
		/* [] for none, but ExtraHosts: null (docker's choice per key) */
		const char *const none[] = {NULL};
		const char *const *src = from[i]                    ? (const char *const *)from[i]
					 : to[i] == &d->extra_hosts ? NULL
								    : none;
		if (container_record_set_strv(to[i], src, n) < 0)
			return -1;
	}
	return 0;
}

/* ---- resolv.conf ------------------------------------------------------------------------ */

/* the words after KEY ("nameserver", "search", "options") on each line of HOST that starts
 * with it, as a JSON array (the last "search" line wins, as in resolv.conf(5)) */
static json_t *host_words(const char *host, const char *key)
{
	json_t *out = json_array();
	_cleanup_free_ char *copy = strdup(host ? host : "");
	char *save = NULL;
	size_t klen = strlen(key);
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t");
		if (strncmp(line, key, klen) || !strchr(" \t", line[klen]) || !line[klen])
			continue;
		if (!strcmp(key, "search"))
			json_array_clear(out);
		char *wsave = NULL;
		for (char *w = strtok_r(line + klen, " \t", &wsave); w;
		     w = strtok_r(NULL, " \t", &wsave)) {
			if (*w == '#' || *w == ';')
				break;
			json_array_append_new(out, json_string(w));
		}
	}
	return out;
}

static bool loopback(const char *addr)
{
	return !strncmp(addr, "127.", 4) || !strcmp(addr, "::1");
}

/* the host's file without loopback nameservers; none left: docker's Google fallback */
static char *filtered_host(const char *host)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	_cleanup_free_ char *copy = strdup(host ? host : "");
	char *save = NULL;
	bool ns = false;
	for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char addr[64] = "";
		if (sscanf(line, " nameserver %63s", addr) == 1) {
			if (loopback(addr))
				continue;
			ns = true;
		}
		fprintf(f, "%s\n", line);
	}
	if (!ns)
		fputs("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", f);
	fclose(f);
	return text;
}

static void put_line(FILE *f, const char *key, json_t *words)
{
	size_t i;
	json_t *w;
	if (!json_array_size(words))
		return;
	fputs(key, f);
	json_array_foreach(words, i, w)
	{
		fprintf(f, " %s", json_string_value(w));
	}
	fputc('\n', f);
}

char *container_resolv_build(const char *host, const struct container_dns *d, const char *embedded,
			     char **upstream)
{
	/* the lists as JSON arrays, the shape the host's words are read into */
	json_t *dns = strv_array(d->servers), *search = strv_array(d->search);
	json_t *opts = strv_array(d->options), *w;
	size_t i;
	bool flags = json_array_size(dns) || json_array_size(search) || json_array_size(opts);
	if (upstream)
		*upstream = NULL;
	if (!flags && !embedded) {
		json_decref(dns);
		json_decref(search);
		json_decref(opts);
		return filtered_host(host);
	}
	json_t *ns = json_array_size(dns) ? json_incref(dns) : host_words(host, "nameserver");
	json_t *se = json_array_size(search) ? json_incref(search) : host_words(host, "search");
	json_t *op = json_array_size(opts) ? json_deep_copy(opts) : host_words(host, "options");
	char *text = NULL, *up = NULL;
	size_t len = 0, uplen = 0;
	FILE *f = open_memstream(&text, &len);
	if (embedded) {
		bool ndots = false;
		json_array_foreach(op, i, w)
		{
			ndots |= !strncmp(json_string_value(w), "ndots:", 6);
		}
		if (!ndots)
			json_array_append_new(op, json_string("ndots:0"));
		if (json_array_size(dns) && upstream) {
			FILE *u = open_memstream(&up, &uplen);
			if (u) {
				json_array_foreach(dns, i, w)
				{
					fprintf(u, "nameserver %s\n", json_string_value(w));
				}
				fclose(u);
			}
		}
		json_decref(ns);
		ns = json_pack("[s]", embedded);
	}
	/* docker's resolvconf.Build: search (unless it is "."), nameservers, options */
	if (f) {
		if (!(json_array_size(se) == 1 &&
		      !strcmp(json_string_value(json_array_get(se, 0)), ".")))
			put_line(f, "search", se);
		json_array_foreach(ns, i, w)
		{
			fprintf(f, "nameserver %s\n", json_string_value(w));
		}
		put_line(f, "options", op);
		fclose(f);
	}
	json_decref(ns);
	json_decref(se);
	json_decref(op);
	json_decref(dns);
	json_decref(search);
	json_decref(opts);
	if (upstream)
		*upstream = up;
	else
		free(up);
	return text;
}

char *container_extra_hosts(const struct container_dns *d, const char *gateway)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; d->extra_hosts && d->extra_hosts[i]; i++) {
		const char *v = d->extra_hosts[i], *colon = strchr(v, ':');
		if (!colon)
			continue;
		const char *ip = strcmp(colon + 1, "host-gateway") ? colon + 1 : gateway;
		fprintf(f, "%s\t%.*s\n", ip, (int)(colon - v), v);
	}
	fclose(f);
	return text;
}

/* ---- at each start ----------------------------------------------------------------------- */

/* NETWORK's gateway ("10.89.0.1") into GW, and whether it is a user network (the default
 * bridge has no responder). -1 when there is no such network. */
static int gateway_of(const char *root, const char *network, char gw[INET_ADDRSTRLEN], bool *user)
{
	struct network_subnet sn;
	struct in_addr a;
	_cleanup_close_ int lock = network_lock(root, NULL);
	json_t *rec = lock < 0 ? NULL : network_load(root, network, NULL);
	int r = rec && network_subnet_of(rec, &sn, &a) == 0 ? 0 : -1;
	if (r == 0) {
		inet_ntop(AF_INET, &a, gw, INET_ADDRSTRLEN);
		*user = !network_is_default(rec);
	}
	json_decref(rec);
	return r;
}

/* the DNS responder a container's resolv.conf names: the gateway of its first user network,
 * NetworkMode's, else one `network connect` added (docker switches a container of the
 * default bridge to its embedded server on such a connect); 0 when it is on none */
static bool embedded_gateway(struct container *c, const char *mode, char gw[INET_ADDRSTRLEN])
{
	bool user = false;
	/* none, host and container:X name no network: no lock and read of the store for them */
	if (container_net_mode_connects(mode) && gateway_of(c->root, mode, gw, &user) == 0 && user)
		return true;
	for (size_t i = 0; i < c->r.nnetworks; i++) {
		const char *name = c->r.networks[i].name;
		if (strcmp(name, mode) && gateway_of(c->root, name, gw, &user) == 0 && user)
			return true;
	}
	return false;
}

/* write C's resolv.conf (the run file bind-mounted on /etc/resolv.conf): renamed over
 * before a start, IN PLACE while it runs (the bind mount pins the inode); dns.upstream too */
static int write_resolv(struct container *c, const char *mode, bool in_place, struct mr_err *err)
{
	char gw[INET_ADDRSTRLEN], path[4400];
	bool user = embedded_gateway(c, mode, gw);
	_cleanup_free_ char *hostrc = NULL, *up = NULL;
	if (mr_read_file("/etc/resolv.conf", &hostrc, NULL, NULL) < 0)
		hostrc = strdup("");
	const struct container_dns *dns = &c->r.host.dns;
	_cleanup_free_ char *text = container_resolv_build(hostrc, dns, user ? gw : NULL, &up);
	if (!text)
		return mr_fail(err, ENOMEM, "resolv.conf");
	container_path(c, "resolv.conf", path, sizeof(path));
	if (in_place) {
		_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
		size_t len = strlen(text);
		if (fd < 0 || pwrite(fd, text, len, 0) != (ssize_t)len ||
		    ftruncate(fd, (off_t)len) < 0)
			return mr_fail(err, errno, "write '%s'", path);
	} else if (mr_replace_file(path, text, 0644, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/dns.upstream", c->dir);
	if (up ? mr_replace_file(path, up, 0600, err) < 0 : unlink(path) < 0 && errno != ENOENT)
		return mr_fail(err, errno, "remove '%s'", path);
	return 0;
}

int container_dns_connected(struct container *c, struct mr_err *err)
{
	return write_resolv(c, container_net_mode(c), true, err);
}

int container_dns_files(struct container *c, struct mr_err *err)
{
	const char *mode = container_net_mode(c);
	char gw[INET_ADDRSTRLEN] = "10.88.0.1", path[4400];
	bool user = false, host = !strcmp(mode, "host");
	if (container_net_mode_connects(mode) && gateway_of(c->root, mode, gw, &user) < 0)
		strcpy(gw, "10.88.0.1"); /* no such network: the connect says so, a moment later */

	/* resolv.conf: host networking keeps the host's file as it is (bundle_files wrote it) */
	if (!host && write_resolv(c, mode, false, err) < 0)
		return -1;

	/* hosts: the --add-host lines */
	_cleanup_free_ char *extra = container_extra_hosts(&c->r.host.dns, gw);
	if (!extra)
		return mr_fail(err, ENOMEM, "hosts");
	snprintf(path, sizeof(path), "%s/hosts.extra", c->dir);
	if (*extra ? mr_replace_file(path, extra, 0644, err) < 0
		   : unlink(path) < 0 && errno != ENOENT)
		return mr_fail(err, errno, "remove '%s'", path);
	if (host) { /* the copy of the host's file, taken just before: the lines go at its end */
		if (!*extra)
			return 0;
		_cleanup_free_ char *text = NULL;
		container_path(c, "hosts", path, sizeof(path));
		if (mr_read_file(path, &text, NULL, err) < 0)
			return -1;
		_cleanup_free_ char *both = NULL;
		if (asprintf(&both, "%s%s%s", text,
			     *text && text[strlen(text) - 1] != '\n' ? "\n" : "", extra) < 0)
			return mr_fail(err, ENOMEM, "hosts");
		return mr_replace_file(path, both, 0644, err);
	}
	if (!container_net_listed(c)) {
		/* no network lists it (none, container:X): the localhost lines and the
		 * --add-host ones are the whole file, what network_hosts_refresh would write
		 * after reading every network's record. In place: a start binds this inode */
		_cleanup_free_ char *base = network_hosts_format(NULL, 0), *text = NULL;
		if (!base || asprintf(&text, "%s%s", base, extra) < 0)
			return mr_fail(err, ENOMEM, "hosts");
		container_path(c, "hosts", path, sizeof(path));
		_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		size_t len = strlen(text);
		if (fd < 0 || pwrite(fd, text, len, 0) != (ssize_t)len ||
		    ftruncate(fd, (off_t)len) < 0)
			return mr_fail(err, errno, "write '%s'", path);
		return 0;
	}
	_cleanup_close_ int lock = network_lock(c->root, err);
	return lock < 0 ? -1 : network_hosts_refresh(c->root, c->id, err);
}
