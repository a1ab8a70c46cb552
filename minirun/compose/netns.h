/*
 * minirun/compose/netns.h - compose's networks made and removed where they live: for an
 * ordinary user, in the user's own network namespace (minirun/rootless/netns.c).
 *
 * `compose up` starts its containers' monitors, which must stay in the host's network
 * namespace (pasta binds the host's ports there), so compose can't move into the user's
 * for good as `minirun network` does: it makes and removes each network from a thread that
 * joined it (rootless_netns_call). Root: the calls below are network.h's, as they are.
 */
#ifndef MR_COMPOSE_NETNS_H
#define MR_COMPOSE_NETNS_H

#include "minirun/network/network.h"

/* network_create_flags (network.h), in the user's network namespace when rootless (made
 * if missing) */
int compose_network_create(const char *root, const char *name, const char *const *labels,
			   size_t nlabels, unsigned flags, char id_out[NETWORK_ID_LEN + 1],
			   struct mr_err *err);

/* network_remove (network.h), there too (a new empty one when it is gone: the records
 * alone are left to clean); the namespace goes with the store's last user network */
int compose_network_remove(const char *root, const char *name, struct mr_err *err);

#endif
