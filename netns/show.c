/*
 * netns/show.c - draw this network namespace's topology as a text picture: its links and
 * addresses, which links are ports of which bridge, and for every veth where its other end
 * lives (which namespace, what name and address there).
 *
 *	this network namespace
 *	  lo        UP    127.0.0.1/8
 *	  mrbr0     UP    bridge 10.88.0.1/24
 *	    |-- vmr101  UP  <====>  eth0 10.88.0.2/24 via 10.88.0.1   [pid 101 (sleep)]
 *	    `-- vmr102  UP  <====>  eth0 10.88.0.3/24 via 10.88.0.1   [pid 102 (sleep)]
 *
 * How the other end is found: a veth reports its peer's ifindex (IFLA_LINK) and, when the
 * peer is in another namespace, that namespace's id *as this namespace numbers it*
 * (IFLA_LINK_NETNSID). We open every network namespace we can see (every file in /run/netns and
 * /proc/PID/ns/net of every process), ask this namespace for its id for each
 * (RTM_GETNSID), and list the links of the one whose id matches.
 *
 * See: ip-netns(8) ("ip netns list-id"), rtnetlink(7), network_namespaces(7).
 * Run: make netns && netns/show   (as root, to open other processes' namespaces)
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "netns/netlink.h"

/* One network namespace other than ours that a veth of ours leads to. */
struct peer_ns {
	ino_t ino;
	int nsid;       /* its id as our namespace numbers it, -1 if none */
	char label[64]; /* "netns c1" or "pid 101 (sleep)" */
	struct nl_link *links;
	size_t nlinks;
	struct nl_addr *addrs;
	size_t naddrs;
	struct nl_route *routes;
	size_t nroutes;
};

static struct peer_ns *peers;
static size_t npeers;

/* Remember the namespace file PATH (labelled LABEL) if it is new and has an id here. */
static void add_ns(struct nl *home, ino_t home_ino, const char *path, const char *label)
{
	struct stat st;
	if (stat(path, &st) < 0 || st.st_ino == home_ino)
		return;
	for (size_t i = 0; i < npeers; i++)
		if (peers[i].ino == st.st_ino)
			return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	int id = nl_netns_id(home, fd);
	struct nl *nl = id >= 0 ? nl_open_netns(fd, NULL) : NULL;
	close(fd);
	if (!nl)
		return;
	struct peer_ns *p = realloc(peers, (npeers + 1) * sizeof(*p));
	if (!p)
		mr_die("realloc");
	peers = p;
	p = &peers[npeers++];
	memset(p, 0, sizeof(*p));
	p->ino = st.st_ino;
	p->nsid = id;
	snprintf(p->label, sizeof(p->label), "%s", label);
	nl_links(nl, &p->links, &p->nlinks, NULL);
	nl_addrs(nl, &p->addrs, &p->naddrs, NULL);
	nl_routes(nl, &p->routes, &p->nroutes, NULL);
	nl_close(nl);
}

/* Find every namespace: named ones first (their names are the better labels). */
static void find_namespaces(struct nl *home)
{
	struct stat st;
	char path[300], label[64];
	if (stat("/proc/self/ns/net", &st) < 0)
		mr_die("stat /proc/self/ns/net");
	DIR *d = opendir("/run/netns");
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		snprintf(label, sizeof(label), "netns %.50s", e->d_name);
		add_ns(home, st.st_ino, path, label);
	}
	if (d)
		closedir(d);
	d = opendir("/proc");
	for (struct dirent *e; d && (e = readdir(d));) {
		long long pid;
		char *comm = NULL;
		if (mr_parse_ll(e->d_name, 1, 4194304, &pid) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%lld/comm", pid);
		if (mr_read_file(path, &comm, NULL, NULL) < 0)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		snprintf(label, sizeof(label), "pid %lld (%.20s)", pid, comm);
		free(comm);
		snprintf(path, sizeof(path), "/proc/%lld/ns/net", pid);
		add_ns(home, st.st_ino, path, label);
	}
	if (d)
		closedir(d);
}

/* All addresses of ifindex IDX, space-separated, into buf. */
static char *addrs_of(const struct nl_addr *a, size_t n, int idx, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (a[i].index == idx)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? " " : "",
				 a[i].cidr);
	return buf;
}

/* "<====>  eth0 10.88.0.2/24 via 10.88.0.1   [pid 101 (sleep)]" for a veth's other end. */
static void print_peer(FILE *out, const struct nl_link *l, const struct nl_link *mine, size_t nmine)
{
	char ab[256];
	if (strcmp(l->kind, "veth") != 0 || l->peer <= 0)
		return;
	if (l->peer_nsid < 0) { /* both ends here */
		for (size_t i = 0; i < nmine; i++)
			if (mine[i].index == l->peer)
				fprintf(out, "  <====>  %s (here)", mine[i].name);
		return;
	}
	for (size_t i = 0; i < npeers; i++) {
		const struct peer_ns *p = &peers[i];
		if (p->nsid != l->peer_nsid)
			continue;
		for (size_t j = 0; j < p->nlinks; j++) {
			if (p->links[j].index != l->peer)
				continue;
			fprintf(out, "  <====>  %s %s%s", p->links[j].name,
				(p->links[j].flags & IFF_UP) ? "UP" : "DOWN",
				*addrs_of(p->addrs, p->naddrs, l->peer, ab, sizeof(ab)) ? " " : "");
			fprintf(out, "%s", ab);
			for (size_t k = 0; k < p->nroutes; k++)
				if (!strcmp(p->routes[k].dst, "default") && p->routes[k].gw[0])
					fprintf(out, " via %s", p->routes[k].gw);
			fprintf(out, "   [%s]", p->label);
			return;
		}
	}
	fprintf(out, "  <====>  ifindex %d in namespace id %d", l->peer, l->peer_nsid);
}

/* One line: NAME, UP/DOWN, kind, addresses, and where a veth's other end is. */
static void print_link(const struct nl_link *l, const struct nl_addr *a, size_t na,
		       const struct nl_link *all, size_t nall, const char *lead)
{
	char ab[256], *line = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&line, &len);
	if (!out)
		mr_die("open_memstream");
	fprintf(out, "%s%-10s %-4s %s%s%s", lead, l->name, (l->flags & IFF_UP) ? "UP" : "DOWN",
		l->kind[0] ? l->kind : "", l->kind[0] ? " " : "",
		addrs_of(a, na, l->index, ab, sizeof(ab)));
	print_peer(out, l, all, nall);
	fclose(out);
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0'; /* no trailing blanks where a field was empty */
	puts(line);
	free(line);
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: netns/show [-v]\n"
		"Draw this network namespace: links, addresses, bridge ports, and where each\n"
		"veth's other end lives. Run it inside a namespace with nsenter -n to see that one.\n"
		"\n"
		"  -v, --verbose   narrate\n"
		"  -h, --help      show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mr_err err = {0};
	struct nl_link *links = NULL;
	struct nl_addr *addrs = NULL;
	size_t nl_n = 0, na = 0;
	int opt;

	opterr = 0; /* we print our own one-line message */
	while ((opt = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v': mr_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			mr_diex(MR_EXIT_USAGE, "option '%s' needs an argument; see 'netns/show -h'",
				argv[optind - 1]);
		default:
			mr_diex(MR_EXIT_USAGE, "unknown option '%s'; see 'netns/show -h'",
				argv[optind - 1]);
		}
	}
	if (optind != argc)
		mr_diex(MR_EXIT_USAGE, "takes no arguments, only options; see 'netns/show -h'");
	struct nl *nl = nl_open(&err);
	if (!nl || nl_links(nl, &links, &nl_n, &err) < 0 || nl_addrs(nl, &addrs, &na, &err) < 0)
		mr_die_err(&err);
	find_namespaces(nl);

	printf("this network namespace\n");
	for (size_t i = 0; i < nl_n; i++) {
		if (links[i].master)
			continue; /* drawn under its bridge */
		print_link(&links[i], addrs, na, links, nl_n, "  ");
		/* A bridge's ports hang below it, the last one with a corner. */
		size_t last = nl_n;
		for (size_t j = 0; j < nl_n; j++)
			if (links[j].master == links[i].index)
				last = j;
		for (size_t j = 0; j < nl_n; j++)
			if (links[j].master == links[i].index)
				print_link(&links[j], addrs, na, links, nl_n,
					   j == last ? "    `-- " : "    |-- ");
	}
	nl_close(nl);
	free(links);
	free(addrs);
	return 0;
}
