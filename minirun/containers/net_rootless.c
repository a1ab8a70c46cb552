/*
 * minirun/containers/net_rootless.c - a container's networks when minirun runs rootless
 * (in a user namespace of an ordinary user: minirun/rootless/). net.c calls these where
 * its root-only steps would need privileges the user lacks on the host.
 *
 * Two cases, as rootless docker has them:
 *   the default network   no bridge of minirun's: pasta (or slirp4netns) gives the
 *                         container's namespace a tap to the host's network and carries its
 *                         -p ports (minirun/rootless/net.c); no network record at all
 *   a user network        the bridge, veths and NAT of net.c, made in the user's own network
 *                         namespace (minirun/rootless/netns.c) by a thread that enters it;
 *                         the published ports reach the host through a pasta of the
 *                         container's own, to the DNAT rule inside that namespace
 * The teardown of a user network runs in that namespace too; pasta's helper ends with the
 * container (net-helper.pid in its directory).
 *
 * See: minirun/rootless/README.md, https://docs.docker.com/engine/security/rootless/ ;
 *      net.c (the steps reused here), net_rootless.h.
 * Try: (as an ordinary user) minirun run --rm -p 8080:80 busybox httpd -f -p 80
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "minirun/containers/net_rootless.h"
#include "minirun/rootless/rootless.h"

/* rootless_ports - P[0..N) as rootless.h's ports: a new array (caller frees; its strings
 * are P's), NULL when out of memory */
static struct rootless_port *rootless_ports(const struct network_port *p, size_t n)
{
	struct rootless_port *r = calloc(n + 1, sizeof(*r));
	for (size_t i = 0; r && i < n; i++)
		r[i] = (struct rootless_port){p[i].host_ip, p[i].host_port, p[i].port, p[i].proto};
	return r;
}

bool net_rootless_default(const char *mode)
{
	return rootless_active() && strcmp(mode, NETWORK_DEFAULT) == 0;
}

int net_rootless_check(const struct container_opts *o, const char *mode, struct mr_err *err)
{
	struct rootless_port *rp = rootless_ports(o->ports, o->nports);
	int rc = rp ? rootless_net_check(rp, o->nports, err) : mr_fail(err, ENOMEM, "ports");
	/* a user network's ports are carried by pasta from the host: every address or lo */
	for (size_t i = 0; rc == 0 && !net_rootless_default(mode) && i < o->nports; i++)
		if (*o->ports[i].host_ip && strcmp(o->ports[i].host_ip, "0.0.0.0") &&
		    strcmp(o->ports[i].host_ip, "127.0.0.1"))
			rc = mr_fail(err, 0,
				     "-p %s:%u:%u: rootless, a port of a user network is "
				     "published on every host address or on 127.0.0.1 only",
				     o->ports[i].host_ip, o->ports[i].host_port, o->ports[i].port);
	/* pasta's tap (or slirp4netns') is not a veth of minirun's: its MAC is the helper's */
	if (rc == 0 && o->mac_address && net_rootless_default(mode))
		rc = mr_fail(err, 0,
			     "--mac-address %s: rootless, the default network's interface is "
			     "pasta's or slirp4netns', not minirun's to set; use a user network "
			     "(--network NAME)",
			     o->mac_address);
	free(rp);
	return rc;
}

int net_rootless_up(struct container *c, pid_t pid, struct mr_err *err)
{
	struct network_port *ports = NULL;
	size_t n = 0;
	char pidfile[4400];
	if (net_wanted_ports(&c->r, &ports, &n, err) < 0)
		return -1;
	struct rootless_port *rp = rootless_ports(ports, n);
	int rc = rp ? rootless_net_up(pid, rp, n,
				      container_path(c, "net-helper.pid", pidfile, sizeof(pidfile)),
				      err)
		    : mr_fail(err, ENOMEM, "ports");
	for (size_t i = 0; rc == 0 && rp && i < n; i++)
		ports[i].host_port = rp[i].host_port; /* -P: the port chosen */
	if (rc == 0 && net_ports_record(c, ports, n) < 0)
		rc = mr_fail(err, ENOMEM, "record the ports");
	free(rp);
	free(ports);
	return rc;
}

/* ---- user networks in the user's own network namespace ----------------------------------
 * (minirun/rootless/netns.c): net.c's work done there by a thread, and the published ports
 * carried from the host by a pasta of the container's own. */

struct netns_job {
	struct container *c;
	pid_t pid;
	const char *mode;
	struct mr_err *err;
};

static int up_job(void *p)
{
	struct netns_job *j = p;
	return net_up_here(j->c, j->pid, j->err);
}

static int down_job(void *p)
{
	struct netns_job *j = p;
	return net_disconnect_all(j->c, j->mode, j->err);
}

/* the published ports as recorded (host port = the port the DNAT rule inside answers) */
int net_rootless_user_up(struct container *c, pid_t pid, struct mr_err *err)
{
	struct netns_job j = {c, pid, NULL, err};
	if (rootless_netns_call(up_job, &j, RL_NETNS_MAKE, err) < 0)
		return -1;
	struct rootless_port rp[64];
	size_t n = 0;
	for (size_t i = 0; i < c->r.nports; i++)
		for (size_t k = 0; k < c->r.ports[i].nbindings && n < 64; k++) {
			const struct container_port_binding *b = &c->r.ports[i].bindings[k];
			unsigned hp = (unsigned)atoi(b->host_port ? b->host_port : "0");
			bool udp = strstr(c->r.ports[i].key, "/udp") != NULL;
			rp[n++] = (struct rootless_port){b->host_ip, hp, hp, udp ? "udp" : "tcp"};
		}
	if (!n)
		return 0;
	char pidfile[4400], tap[IFNAMSIZ];
	snprintf(tap, sizeof(tap), "mrp%.10s", c->id); /* pasta refuses 15 bytes */
	_cleanup_close_ int fd = rootless_netns_fd(err);
	if (fd < 0 ||
	    rootless_net_publish(fd, tap, rp, n,
				 container_path(c, "net-helper.pid", pidfile, sizeof(pidfile)),
				 err) < 0) {
		container_net_down(c, NULL);
		return -1;
	}
	return 0;
}

int net_rootless_disconnect_all(struct container *c, const char *mode, struct mr_err *err)
{
	struct netns_job j = {c, 0, mode, err};
	return rootless_netns_call(down_job, &j, RL_NETNS_UNDO, err);
}
