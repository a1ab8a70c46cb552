/*
 * minirun/containers/net_rootless.h - what net.c and net_rootless.c share (private to the
 * two): the rootless network steps net.c calls, and the steps of net.c they reuse.
 *
 * See: net.c (a container's networks), net_rootless.c (the same, rootless).
 */
#ifndef MR_CONTAINERS_NET_ROOTLESS_H
#define MR_CONTAINERS_NET_ROOTLESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/containers/containers.h"

/* ---- net_rootless.c ---- */

/* net_rootless_default - whether MODE, rootless, is the network pasta provides (the default
 * bridge's name): then no network record is involved at all */
bool net_rootless_default(const char *mode);
/* net_rootless_check - at create, rootless, for a container on MODE (one that connects): a
 * helper is installed and O's ports are ones it can publish (rootless_net_check); on a user
 * network also a host address of 0.0.0.0 or 127.0.0.1 only. -1 with err */
int net_rootless_check(const struct container_opts *o, const char *mode, struct mr_err *err);
/* net_rootless_up - the default network, rootless: pasta for C's init PID, C's published
 * ports through it, recorded. -1 with err */
int net_rootless_up(struct container *c, pid_t pid, struct mr_err *err);
/* net_rootless_user_up - C (init PID) on its user networks, rootless: net_up_here run in the
 * user's network namespace, then C's published ports carried from the host. -1 with err,
 * C's networks undone */
int net_rootless_user_up(struct container *c, pid_t pid, struct mr_err *err);
/* net_rootless_disconnect_all - net_disconnect_all run in the user's network namespace */
int net_rootless_disconnect_all(struct container *c, const char *mode, struct mr_err *err);

/* ---- net.c ---- */

/* net_wanted_ports - the ports C's record asks to publish (-p, -P) into a new array (*OUT,
 * caller frees); -1 with err on a record whose ports do not parse */
int net_wanted_ports(const struct container_record *r, struct network_port **out, size_t *n,
		     struct mr_err *err);
/* net_ports_record - NetworkSettings.Ports of C: its exposed ports, then P[0..N) as
 * published; -1 on ENOMEM */
int net_ports_record(struct container *c, const struct network_port *p, size_t n);
/* net_up_here - C (init PID) on the networks its record names, in this network namespace;
 * all or nothing, -1 with err */
int net_up_here(struct container *c, pid_t pid, struct mr_err *err);
/* net_disconnect_all - C off every network of the store that lists it, and what a killed
 * connect left; -1 with err (the first failure; the rest still tried) */
int net_disconnect_all(struct container *c, const char *mode, struct mr_err *err);

#endif
