/*
 * netns/overlay.c - the VXLAN overlay demo: two "hosts" on one underlay link, a container
 * on each, and one subnet across both, the mechanism behind docker swarm's and
 * Kubernetes' overlay networks. It builds everything in four new network namespaces,
 * pings across, and tears it all down (unless -k).
 *
 *	 c1 10.77.0.2 ==veth== br0 + vxlan42 [host A] ul0 172.30.0.1
 *	                                               ||  underlay link: UDP 4789, VNI 42
 *	 c2 10.77.0.3 ==veth== br0 + vxlan42 [host B] ul0 172.30.0.2
 *
 * c1's frame for c2 crosses host A's bridge to vxlan42, which wraps it in UDP (port 4789,
 * VNI 42) to 172.30.0.2; host B's vxlan42 unwraps it onto its bridge, and so to c2. The
 * containers see one Ethernet segment; the underlay sees only UDP between the hosts.
 * Why MTU 1450 inside: the wrapping costs 50 bytes of the underlay's 1500.
 *
 * Each namespace is held by a small child process (unshare(CLONE_NEWNET), then pause);
 * the namespace, with every link in it, disappears when its last process exits.
 *
 * See: netns/vxlan.c, ip-link(8) "VXLAN Type Support", RFC 7348.
 * Run: make netns && netns/overlay -v
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "netns/netlink.h"

enum { HOST_A, HOST_B, C1, C2, NNS };
static const char *ns_names[NNS] = {"host A", "host B", "c1", "c2"};
/* The holders' process names, so ps and netns/show say which namespace is which. */
static const char *comms[NNS] = {"ovl-hostA", "ovl-hostB", "ovl-c1", "ovl-c2"};
static pid_t holder[NNS];
static int nsfd[NNS] = {-1, -1, -1, -1};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: netns/overlay [-v] [-k] [-i VNI]\n"
		"Build two hosts joined by an underlay link, a bridge and a VXLAN link on each,\n"
		"one container on each in subnet 10.77.0.0/24, and ping c1 -> c2 across.\n"
		"\n"
		"  -i, --vni VNI   the VXLAN network id (default 42)\n"
		"  -k, --keep      keep the namespaces: print their holder PIDs and exit (explore them\n"
		"                  with nsenter -t PID -n; kill the PIDs to tear everything down)\n"
		"  -v, --verbose   narrate every netlink message\n"
		"  -h, --help      show this help\n");
}

/* Start a child that unshares a new network namespace and waits; open its namespace. */
static void spawn(int i, int keep)
{
	int p[2];
	char c;
	if (pipe(p) < 0)
		mr_die("pipe");
	holder[i] = fork();
	if (holder[i] < 0)
		mr_die("fork");
	if (holder[i] == 0) {
		/* Without -k the namespaces must not outlive us, even if we are killed. */
		if (!keep)
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, comms[i]);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		(void)!write(p[1], "x", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		mr_diex(1, "the holder of %s failed to unshare(CLONE_NEWNET)", ns_names[i]);
	close(p[0]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)holder[i]);
	if ((nsfd[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		mr_die("open %s", path);
	mr_say("%s: network namespace held by pid %d", ns_names[i], (int)holder[i]);
}

static void teardown(void)
{
	for (int i = 0; i < NNS; i++)
		if (holder[i] > 0) {
			kill(holder[i], SIGKILL);
			waitpid(holder[i], NULL, 0);
		}
}

/* One host: lo up, its underlay end addressed, a bridge, a VXLAN port on it; then, from
 * inside the host's namespace, its container attached to the bridge. */
static int build_host(int h, int c, const char *local, const char *remote, unsigned vni,
		      const char *cidr, struct mr_err *err)
{
	char ul[24];
	snprintf(ul, sizeof(ul), "%s/24", local);
	struct nl *nl = nl_open_netns(nsfd[h], err);
	if (!nl)
		return -1;
	struct nl_vxlan vx = {
		.name = "vxlan42", .vni = vni, .local = local, .remote = remote, .dev = "ul0"};
	int rc = -(nl_link_set_up(nl, "lo", 1, err) < 0 || nl_addr_add(nl, "ul0", ul, err) < 0 ||
		   nl_link_set_up(nl, "ul0", 1, err) < 0 || nl_bridge_add(nl, "br0", err) < 0 ||
		   nl_link_set_up(nl, "br0", 1, err) < 0 || nl_vxlan_add(nl, &vx, err) < 0 ||
		   nl_link_set_master(nl, "vxlan42", "br0", err) < 0 ||
		   nl_link_set_up(nl, "vxlan42", 1, err) < 0);
	nl_close(nl);
	if (rc < 0)
		return -1;

	/* netns_attach works from "the host's" namespace: step into host h for it. */
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0 || setns(nsfd[h], CLONE_NEWNET) < 0)
		return mr_fail(err, errno, "setns into %s", ns_names[h]);
	struct netns_attach a = {.bridge = "br0",
				 .netns_fd = nsfd[c],
				 .host_if = "veth-c",
				 .inner_if = "eth0",
				 .cidr = cidr,
				 .mtu = 1450};
	rc = netns_attach(&a, err);
	if (setns(home, CLONE_NEWNET) < 0)
		mr_die("setns back home");
	close(home);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"vni", required_argument, NULL, 'i'},
		{"keep", no_argument, NULL, 'k'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt, keep = 0;
	long long vni = 42;
	struct mr_err err = {0};

	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":i:kvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (mr_parse_ll(optarg, 1, 0xffffff, &vni) < 0)
				mr_diex(MR_EXIT_USAGE,
					"-i %s: a VNI is a number from 1 to 16777215", optarg);
			break;
		case 'k': keep = 1; break;
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE,
				"option '%s' needs an argument; see 'netns/overlay -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'netns/overlay -h'",
				argv[optind - 1]);
		}
	}
	if (optind != argc)
		mr_diex(MR_EXIT_USAGE, "takes no arguments, only options; see 'netns/overlay -h'");

	for (int i = 0; i < NNS; i++)
		spawn(i, keep);

	/* The underlay: one veth between the hosts, B's end born in B. */
	struct nl *a = nl_open_netns(nsfd[HOST_A], &err);
	if (!a || nl_veth_add(a, "ul0", "ul0", nsfd[HOST_B], &err) < 0)
		goto fail;
	nl_close(a);
	a = NULL;
	if (build_host(HOST_A, C1, "172.30.0.1", "172.30.0.2", (unsigned)vni, "10.77.0.2/24",
		       &err) < 0 ||
	    build_host(HOST_B, C2, "172.30.0.2", "172.30.0.1", (unsigned)vni, "10.77.0.3/24",
		       &err) < 0)
		goto fail;

	printf(" c1 10.77.0.2 ==veth== br0 + vxlan42 (vni %lld) [host A] ul0 172.30.0.1\n", vni);
	printf("                                                          ||  UDP 4789\n");
	printf(" c2 10.77.0.3 ==veth== br0 + vxlan42 (vni %lld) [host B] ul0 172.30.0.2\n", vni);

	/* The first echo also waits for ARP across the tunnel: allow a few tries. */
	long us = -1;
	for (int try = 0; try < 3 && us < 0; try++)
		us = netns_ping(nsfd[C1], "10.77.0.3", 2000, &err);
	if (us < 0)
		goto fail;
	printf("ping from c1 (host A) to 10.77.0.3 (c2, host B): reply in %ld.%03ld ms\n",
	       us / 1000, us % 1000);
	if (keep) {
		printf("kept: host A pid %d, host B pid %d, c1 pid %d, c2 pid %d "
		       "(kill them to tear down)\n",
		       (int)holder[HOST_A], (int)holder[HOST_B], (int)holder[C1], (int)holder[C2]);
		return 0;
	}
	teardown();
	return 0;
fail:
	nl_close(a);
	teardown();
	mr_die_err(&err);
}
