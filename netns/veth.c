/*
 * netns/veth.c - create a veth pair, the virtual cable every container network starts
 * with, and (optionally) carry one end into another network namespace, the way ip-link
 * does it step by step: create here, move, rename, address, up.
 *
 *	netns/veth -a 10.88.1.1/24 -n 4242 -r eth0 -A 10.88.1.2/24 veth0 veth0p
 *
 *	this namespace                      namespace of pid 4242
 *	  veth0 10.88.1.1/24  <==========>  eth0 10.88.1.2/24     (was veth0p, moved, renamed)
 *
 * What crosses the cable is Ethernet frames: whatever one end sends, the other receives.
 * Deleting either end deletes the pair.
 *
 * See: veth(4), ip-link(8), network_namespaces(7).
 * Run: make netns && unshare -n sh -c 'netns/veth -v -a 10.88.1.1/24 a b && ip -br addr'
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/err.h"
#include "netns/netlink.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: netns/veth [-v] [-a CIDR] [-n NETNS [-r NEWNAME] [-A CIDR]] NAME PEER\n"
		"       netns/veth [-v] -d NAME\n"
		"Create the veth pair NAME <-> PEER here; with -n, move PEER into NETNS.\n"
		"\n"
		"  -a, --address CIDR        give NAME this address and set it up\n"
		"  -n, --netns NETNS         move PEER into NETNS: a PID, a path (/run/netns/c1) or a name\n"
		"  -r, --rename NEWNAME      rename PEER to NEWNAME there (a link is renamed while down)\n"
		"  -A, --peer-address CIDR   give PEER this address there and set it (and lo) up\n"
		"  -d, --delete NAME         delete the pair NAME belongs to (both ends go)\n"
		"  -v, --verbose             narrate every netlink message\n"
		"  -h, --help                show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"address", required_argument, NULL, 'a'},
		{"netns", required_argument, NULL, 'n'},
		{"rename", required_argument, NULL, 'r'},
		{"peer-address", required_argument, NULL, 'A'},
		{"delete", required_argument, NULL, 'd'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *addr = NULL, *netns = NULL, *newname = NULL, *peer_addr = NULL, *del = NULL;
	struct mr_err err = {0};
	struct nl *nl = NULL, *in = NULL;
	int opt, nsfd = -1, made = 0, rc = 1;

	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":a:n:r:A:d:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 'n': netns = optarg; break;
		case 'r': newname = optarg; break;
		case 'A': peer_addr = optarg; break;
		case 'd': del = optarg; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'netns/veth -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'netns/veth -h'",
				argv[optind - 1]);
		}
	}
	if (del) {
		if (optind != argc)
			mr_diex(MR_EXIT_USAGE,
				"-d NAME takes no other argument; see 'netns/veth -h'");
		if (!(nl = nl_open(&err)) || nl_link_del(nl, del, 0, &err) < 0)
			mr_die_err(&err);
		nl_close(nl);
		return 0;
	}
	if (argc - optind != 2 || ((newname || peer_addr) && !netns))
		mr_diex(MR_EXIT_USAGE,
			"needs NAME and PEER (-r and -A need -n); see 'netns/veth -h'");
	const char *name = argv[optind], *peer = argv[optind + 1];
	const char *inner = newname ? newname : peer;
	struct nl_cidr c;

	/* Check the user's input before touching the kernel: nothing to roll back then. */
	if (nl_check_ifname(name, &err) < 0 || nl_check_ifname(peer, &err) < 0 ||
	    (newname && nl_check_ifname(newname, &err) < 0) ||
	    (addr && nl_parse_cidr(addr, &c, &err) < 0) ||
	    (peer_addr && nl_parse_cidr(peer_addr, &c, &err) < 0))
		goto cleanup;
	if (!(nl = nl_open(&err)))
		goto cleanup;
	if (netns) {
		if ((nsfd = nl_netns_open(netns, &err)) < 0 || !(in = nl_open_netns(nsfd, &err)))
			goto cleanup;
		if (nl_link_index(in, inner) > 0) {
			mr_fail(&err, 0, "interface '%s' already exists in network namespace '%s'",
				inner, netns);
			goto cleanup;
		}
	}

	if (nl_veth_add(nl, name, peer, -1, &err) < 0)
		goto cleanup;
	made = 1;
	if (netns) {
		/* Moving a link drops its addresses and sets it down: configure it after. */
		if (nl_link_set_netns(nl, peer, nsfd, &err) < 0 ||
		    (newname && nl_link_rename(in, peer, newname, &err) < 0) ||
		    (peer_addr && nl_addr_add(in, inner, peer_addr, &err) < 0) ||
		    (peer_addr && nl_link_set_up(in, inner, 1, &err) < 0) ||
		    (peer_addr && nl_link_set_up(in, "lo", 1, &err) < 0))
			goto cleanup;
	}
	if (addr &&
	    (nl_addr_add(nl, name, addr, &err) < 0 || nl_link_set_up(nl, name, 1, &err) < 0))
		goto cleanup;
	printf("%s%s%s <==> %s%s%s%s\n", name, addr ? " " : "", addr ? addr : "", inner,
	       peer_addr ? " " : "", peer_addr ? peer_addr : "",
	       netns ? " (in the other namespace)" : "");
	rc = 0;
cleanup:
	if (rc && made) {
		mr_say("rolling back: deleting '%s'", name);
		nl_link_del(nl, name, 1, NULL);
	}
	nl_close(in);
	nl_close(nl);
	if (nsfd >= 0)
		close(nsfd);
	if (rc)
		mr_die_err(&err);
	return 0;
}
