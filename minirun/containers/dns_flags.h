/*
 * minirun/containers/dns_flags.h - run's --dns, --dns-search, --dns-option and --add-host:
 * checked as docker's CLI checks them, kept in HostConfig (Dns, DnsSearch, DnsOptions,
 * ExtraHosts), and turned at each start into the container's /etc/resolv.conf and the
 * extra lines of its /etc/hosts. dns_flags.c says how docker builds those files.
 */
#ifndef MR_CONTAINERS_DNS_FLAGS_H
#define MR_CONTAINERS_DNS_FLAGS_H

#include <jansson.h>

#include "lib/err.h"
#include "minirun/bundle/bundle.h"

struct opt;
struct container;
struct container_record; /* containers.h */
struct container_dns;

/* the setter of the four flags (opts_set.c's table): the value checked in docker's words
 * ("invalid argument \"x\" for \"--dns\" flag: x is not an ip address"), then appended to
 * o->dns, dns_search, dns_options or extra_hosts */
int opts_set_dns(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err);

/* put O's four lists in R's host.dns: Dns, DnsSearch, DnsOptions (empty, [], when none, as
 * docker) and ExtraHosts (NULL, null, when none); -1 on ENOMEM */
int container_dnsflags_record(struct container_record *r, const struct container_opts *o);

/*
 * container_resolv_build - the text of a container's resolv.conf, as docker 20.10 builds it
 * from HOST (the host's resolv.conf) and the record's lists D (HostConfig's Dns ...):
 *	- no --dns/--dns-search/--dns-option: HOST without loopback nameservers (none left:
 *	  8.8.8.8 and 8.8.4.4);
 *	- else "search", "nameserver" and "options" lines, each from its flag, else from HOST;
 *	- EMBEDDED (a user network's responder, "10.89.0.1"; NULL: none): its nameserver
 *	  instead of all the others, and "ndots:0" added to the options unless one sets ndots.
 * *UPSTREAM (may be NULL) gets, for EMBEDDED, the servers it is to forward to when the
 * flags name them ("nameserver X" lines; NULL when the host's are to be used). New strings.
 */
char *container_resolv_build(const char *host, const struct container_dns *d, const char *embedded,
			     char **upstream);

/* container_extra_hosts - D's ExtraHosts as hosts-file lines ("10.0.0.5\tdb\n"), with
 * host-gateway replaced by GATEWAY. New string ("" when none). */
char *container_extra_hosts(const struct container_dns *d, const char *gateway);

/*
 * container_dns_files - at each start, before the OCI config: write the container's
 * resolv.conf (container_resolv_build; on a user network the responder's address is the
 * network's gateway), ROOT/containers/ID/hosts.extra (the --add-host lines that
 * network_hosts_refresh puts in /etc/hosts) and dns.upstream (--dns servers for the
 * responder, dns.h), then the hosts file itself. 0, or -1 with err.
 */
int container_dns_files(struct container *c, struct mr_err *err);
/* container_dns_connected - after `network connect` of running container C: its
 * resolv.conf again, rewritten in place (a container of the default bridge connected to a
 * user network is switched to that network's responder, as docker switches it to
 * 127.0.0.11). 0, or -1 with err. */
int container_dns_connected(struct container *c, struct mr_err *err);

#endif
