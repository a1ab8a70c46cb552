/*
 * netns/publish.c - publish a container's port on the host (`docker run -p`): connections
 * to HOSTPORT on any host address, from another machine or from the host's own
 * 127.0.0.1, reach IP:PORT inside. With a host address first, only connections to that
 * address are (`docker run -p 127.0.0.1:8080:80`).
 *
 *	netns/publish 8080:10.88.0.2:80/tcp
 *	netns/publish 127.0.0.1:8081:10.88.0.2:80
 *
 *	client --> host:8080 --[DNAT: nat_pre / nat_out]--> 10.88.0.2:80 (container)
 *	client <-- host:8080 <-[conntrack undoes the DNAT]-- 10.88.0.2:80
 *
 * The port becomes one element of the map `published` in table `ip minirun` (netns/nat.h),
 * `0.0.0.0/0 . tcp . 8080` (every address) or `127.0.0.1 . tcp . 8081` (that one), so `-d`
 * in any later process removes exactly it. Why DNAT in the output hook rather than a
 * userland proxy: see the header of netns/nat.c.
 *
 * See: nft(8) (maps, dnat), netns/nat.c.
 * Run: make netns && see labs/04-networking/04-published-port.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/file.h"
#include "netns/nat.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: netns/publish [-v] [HOSTADDR:]HOSTPORT:IP:PORT[/tcp|/udp]...   publish ports\n"
		"       netns/publish [-v] -d [HOSTADDR:]HOSTPORT[/tcp|/udp]...       unpublish them\n"
		"       netns/publish -l                                              list them\n"
		"\n"
		"  HOSTADDR       the one host address the port answers on (default: every address)\n"
		"  -d, --delete   remove: the published HOSTPORT (tcp unless /udp is given)\n"
		"  -l, --list     list the published ports, one [HOSTADDR:]HOSTPORT:IP:PORT/PROTO a line\n"
		"  -v, --verbose  narrate every nft command\n"
		"  -h, --help     show this help\n"
		"The bridge of IP should be a NAT bridge (netns/bridge -m) for 127.0.0.1 to work.\n");
}

/* "8080", "8080/udp" or "127.0.0.1:8080" -> P's host side (nat_parse_port does the rest:
 * it is given a placeholder target). */
static void parse_host_port(const char *s, struct nat_port *p)
{
	char buf[64];
	struct mr_err err = {0};
	const char *slash = strchr(s, '/'), *colon = strchr(s, ':');
	int len = (int)(slash ? (size_t)(slash - s) : strlen(s));
	if (strchr(s, '/') != strrchr(s, '/') || (colon && strchr(colon + 1, ':')))
		mr_diex(MR_EXIT_USAGE, "'%s': give [HOSTADDR:]HOSTPORT[/tcp|/udp]", s);
	snprintf(buf, sizeof(buf), "%.*s:0.0.0.0:1%s", len, s, slash ? slash : "");
	if (nat_parse_port(buf, p, &err) < 0)
		mr_diex(MR_EXIT_USAGE,
			"'%s': give [HOSTADDR:]HOSTPORT[/tcp|/udp] (a port is a "
			"number from 1 to 65535)",
			s);
}

/* Was the host side of P among the N ports in BEFORE? */
static int was_published(const struct nat_port *p, const struct nat_port *before, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (before[i].host_port == p->host_port && !strcmp(before[i].proto, p->proto) &&
		    !strcmp(before[i].host_addr, p->host_addr))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"delete", no_argument, NULL, 'd'},
		{"list", no_argument, NULL, 'l'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt, del = 0, list = 0;
	struct mr_err err = {0};
	char buf[64];

	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":dlvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': del = 1; break;
		case 'l': list = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE,
				"option '%s' needs an argument; see 'netns/publish -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'netns/publish -h'",
				argv[optind - 1]);
		}
	}
	if (list) {
		struct nat_port *p = NULL;
		size_t n = 0;
		if (del || optind != argc)
			mr_diex(MR_EXIT_USAGE,
				"-l takes no other argument; see 'netns/publish -h'");
		if (nat_published(&p, &n, &err) < 0)
			mr_die_err(&err);
		for (size_t i = 0; i < n; i++)
			printf("%s\n", nat_format_port(&p[i], buf, sizeof(buf)));
		free(p);
		return 0;
	}
	if (optind == argc)
		mr_diex(MR_EXIT_USAGE, "needs at least one port; see 'netns/publish -h'");

	/* Parse every argument before changing anything: bad input leaves no half-done set. */
	struct nat_port *ports = calloc((size_t)(argc - optind), sizeof(*ports));
	if (!ports)
		mr_die("calloc");
	for (int i = optind; i < argc; i++) {
		struct nat_port *p = &ports[i - optind];
		if (del)
			parse_host_port(argv[i], p);
		else if (nat_parse_port(argv[i], p, &err) < 0)
			mr_die_err(&err);
	}
	/* What was published before this run: a failure undoes only what this run added. */
	struct nat_port *before = NULL;
	size_t nbefore = 0;
	if (!del && nat_published(&before, &nbefore, &err) < 0)
		mr_die_err(&err);
	for (int i = 0; i < argc - optind; i++) {
		struct nat_port *p = &ports[i];
		if (del ? nat_unpublish(p->host_addr, p->proto, p->host_port, 0, &err)
			: nat_publish(p, &err)) {
			for (int j = 0; !del && j < i; j++)
				if (!was_published(&ports[j], before, nbefore))
					nat_unpublish(ports[j].host_addr, ports[j].proto,
						      ports[j].host_port, 1, NULL);
			mr_die_err(&err);
		}
		if (del)
			printf("unpublished %s\n", nat_format_key(p, buf, sizeof(buf)));
		else
			printf("published %s\n", nat_format_port(p, buf, sizeof(buf)));
	}
	free(ports);
	free(before);
	return 0;
}
