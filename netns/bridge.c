/*
 * netns/bridge.c - create a bridge, the virtual switch containers plug into, give it the
 * gateway address of their subnet, and (with -m) the NAT that makes it a docker-style
 * "bridge network": masquerade out, forwarding to the uplink, isolation from the other
 * bridges, ports publishable on 127.0.0.1.
 *
 *	netns/bridge -m mrbr0 10.88.0.1/24
 *
 *	        uplink ---- [host: routing + nftables table ip minirun] ---- mrbr0 10.88.0.1/24
 *	                                                                     |      |      |
 *	                                                                    c1     c2     c3
 *
 * A bridge forwards Ethernet frames between its ports by MAC address (learned in its
 * forwarding table, `netns/bridge -f`); its own address makes the host a member of the
 * segment, and so the containers' gateway.
 *
 * See: bridge(8), ip-link(8), netns/plug.c, netns/nat.h,
 *      Documentation/networking/bridge.rst.
 * Run: make netns && unshare -n sh -c 'netns/bridge -v -m br0 10.88.0.1/24; nft list ruleset'
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "netns/nat.h"
#include "netns/netlink.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: netns/bridge [-v] [-m] NAME [CIDR]   create bridge NAME (if missing), up\n"
		"       netns/bridge [-v] -d NAME            delete it, and its NAT\n"
		"       netns/bridge [-v] -f NAME            print its forwarding table\n"
		"\n"
		"  CIDR           the bridge's own address: the containers' gateway (10.88.0.1/24)\n"
		"  -m, --nat      NAT: masquerade CIDR's subnet, forward to and from the uplink, isolate\n"
		"                 from other -m bridges, let published ports answer on 127.0.0.1\n"
		"                 (where docker runs, NAME is also accepted in its DOCKER-USER chain)\n"
		"  -d, --delete   delete: remove NAME's NAT elements and DOCKER-USER rules, then the\n"
		"                 bridge (ports stay, unplugged)\n"
		"  -f, --fdb      the forwarding table: which MAC was seen behind which port\n"
		"  -v, --verbose  narrate every netlink message and nft command\n"
		"  -h, --help     show this help\n");
}

static int bridge_fdb(struct nl *nl, const char *name, struct mr_err *err)
{
	struct nl_fdb *f = NULL;
	struct nl_link *links = NULL;
	size_t nf = 0, nl_n = 0;
	if (nl_fdb(nl, name, &f, &nf, err) < 0 || nl_links(nl, &links, &nl_n, err) < 0) {
		free(f);
		return -1;
	}
	printf("%-18s %-16s %s\n", "MAC", "PORT", "WHAT");
	for (size_t i = 0; i < nf; i++) {
		const char *port = "?";
		for (size_t j = 0; j < nl_n; j++)
			if (links[j].index == f[i].port)
				port = links[j].name;
		printf("%-18s %-16s %s\n", f[i].mac, port,
		       f[i].local ? "local (the port's own, permanent)" : "learned");
	}
	free(f);
	free(links);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"nat", no_argument, NULL, 'm'},  {"delete", no_argument, NULL, 'd'},
		{"fdb", no_argument, NULL, 'f'},  {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};

	int opt, nat = 0, del = 0, fdb = 0, rc;
	struct mr_err err = {0};
	struct nl_cidr c;

	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":mdfvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': nat = 1; break;
		case 'd': del = 1; break;
		case 'f': fdb = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE,
				"option '%s' needs an argument; see 'netns/bridge -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'netns/bridge -h'",
				argv[optind - 1]);
		}
	}
	int nargs = argc - optind;
	if (nargs < 1 || nargs > 2 || del + fdb + nat > 1 || ((del || fdb) && nargs != 1) ||
	    (nat && nargs != 2))
		mr_diex(MR_EXIT_USAGE,
			"needs NAME, and CIDR with -m; -m, -d and -f go alone; see 'netns/bridge -h'");
	const char *name = argv[optind], *cidr = nargs == 2 ? argv[optind + 1] : NULL;
	if (nl_check_ifname(name, &err) < 0 || (cidr && nl_parse_cidr(cidr, &c, &err) < 0))
		mr_die_err(&err);

	if (del) {
		rc = netns_network_remove(name, 0, &err);
	} else if (fdb) {
		struct nl *nl = nl_open(&err);
		rc = nl ? bridge_fdb(nl, name, &err) : -1;
		nl_close(nl);
	} else {
		/* The steps, and the rollback of what this run made, are in netns/plug.c. */
		rc = netns_network_create(name, cidr, nat, &err);
		if (rc == 0)
			printf("bridge %s%s%s up%s\n", name, cidr ? " " : "", cidr ? cidr : "",
			       nat ? ", NAT on" : "");
	}
	if (rc < 0)
		mr_die_err(&err);
	return 0;
}
