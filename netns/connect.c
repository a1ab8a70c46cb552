/*
 * netns/connect.c - give a process's network namespace an interface on a bridge: what a
 * container runtime does for `docker run --network NAME`.
 *
 *	netns/connect 4242 mrbr0 10.88.0.2/24 10.88.0.1
 *
 *	this namespace                                namespace of pid 4242
 *	  mrbr0 10.88.0.1/24
 *	    `-- vmr4242 (port, up)  <============>  eth0 10.88.0.2/24 up
 *	                                            lo up
 *	                                            default via 10.88.0.1
 *
 * The steps, and why the inner end is born inside the namespace, are in netns/plug.c.
 * If any step fails the pair is deleted again: nothing half-made stays.
 *
 * See: veth(4), ip-link(8), ip-route(8), netns/plug.c.
 * Run: make netns && see labs/04-networking/02-bridge-three.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "netns/netlink.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: netns/connect [-v] [-n HOSTIF] [-i IFNAME] [-m MTU] PID|NETNS BRIDGE CIDR [GW]\n"
		"       netns/connect [-v] -d HOSTIF\n"
		"Plug the network namespace of PID (or NETNS: /run/netns/NAME, NAME) into BRIDGE.\n"
		"\n"
		"  CIDR                 the address inside, 10.88.0.2/24\n"
		"  GW                   default route inside via GW (the bridge's address)\n"
		"  -n, --host-if HOSTIF name of the host end (default vmrPID, or vmr-NAME cut to 15 bytes)\n"
		"  -i, --ifname IFNAME  name of the inner end (default eth0)\n"
		"  -m, --mtu MTU        MTU of both ends\n"
		"  -M, --mac MAC        MAC address of the inner end (docker: 02:42 + the IPv4 address)\n"
		"  -d, --delete HOSTIF  disconnect: delete the pair HOSTIF belongs to\n"
		"  -v, --verbose        narrate every netlink message\n"
		"  -h, --help           show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"host-if", required_argument, NULL, 'n'}, {"ifname", required_argument, NULL, 'i'},
		{"mtu", required_argument, NULL, 'm'},     {"mac", required_argument, NULL, 'M'},
		{"delete", required_argument, NULL, 'd'},  {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};

	struct netns_attach a = {0};
	struct mr_err err = {0};
	const char *del = NULL;
	char host_if[IFNAMSIZ + 8];
	long long mtu;
	int opt;

	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":n:i:m:M:d:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n': a.host_if = optarg; break;
		case 'i': a.inner_if = optarg; break;
		case 'm':
			if (mr_parse_ll(optarg, 68, 65535, &mtu) < 0)
				mr_diex(MR_EXIT_USAGE, "-m %s: an MTU is a number from 68 to 65535",
					optarg);
			a.mtu = (unsigned)mtu;
			break;
		case 'M': a.mac = optarg; break;
		case 'd': del = optarg; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE,
				"option '%s' needs an argument; see 'netns/connect -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'netns/connect -h'",
				argv[optind - 1]);
		}
	}
	if (del) {
		if (optind != argc)
			mr_diex(MR_EXIT_USAGE,
				"-d HOSTIF takes no other argument; see 'netns/connect -h'");
		if (netns_detach(del, 0, &err) < 0)
			mr_die_err(&err);
		return 0;
	}
	if (argc - optind < 3 || argc - optind > 4)
		mr_diex(MR_EXIT_USAGE, "needs PID|NETNS BRIDGE CIDR [GW]; see 'netns/connect -h'");
	const char *target = argv[optind];
	a.bridge = argv[optind + 1];
	a.cidr = argv[optind + 2];
	a.gateway = argc - optind == 4 ? argv[optind + 3] : NULL;
	if (!a.host_if) {
		/* A name derived from the target, so a later `-d` can find it again. */
		const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		long long pid;
		if (mr_parse_ll(target, 1, 4194304, &pid) == 0)
			snprintf(host_if, sizeof(host_if), "vmr%lld", pid);
		else
			snprintf(host_if, sizeof(host_if), "vmr-%.11s", base);
		a.host_if = host_if;
	}
	a.netns_fd = nl_netns_open(target, &err);
	if (a.netns_fd < 0 || netns_attach(&a, &err) < 0)
		mr_die_err(&err);
	close(a.netns_fd);
	printf("%s: %s <==> %s %s%s%s (%s)\n", a.bridge, a.host_if,
	       a.inner_if ? a.inner_if : "eth0", a.cidr, a.gateway ? " via " : "",
	       a.gateway ? a.gateway : "", target);
	return 0;
}
