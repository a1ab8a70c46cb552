/*
 * minirun/network/overlay_int.h - what overlay.c, overlay_peers.c and overlay_watch.c share
 * inside the driver; the rest of minirun/network uses overlay.h.
 */
#ifndef MR_NETWORK_OVERLAY_INT_H
#define MR_NETWORK_OVERLAY_INT_H

#include <netinet/in.h>
#include <stdbool.h>

#include <jansson.h>

#include "lib/err.h"

/* the record's Options: the user's choices and the devices' names */
#define OPT_BRIDGE "com.docker.network.bridge.name"
#define OPT_VXLAN  "com.docker.network.driver.overlay.vxlan_name"
#define OPT_VNI    "com.docker.network.driver.overlay.vxlanid_list"
#define OPT_MTU    "com.docker.network.driver.mtu"
#define OPT_LOCAL  "local"
#define OPT_PEERS  "peers"
#define OPT_DIR    "peers-dir"
#define MAX_HOSTS  64
#define ZERO_MAC   "00:00:00:00:00:00"

/* An option of REC's (a pointer into REC), or NULL. */
static inline const char *opt(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(json_object_get(rec, "Options"), key));
}

/* the --opt choices of `network create -d overlay`, checked (overlay.c) */
struct choices {
	char peers[MAX_HOSTS][INET_ADDRSTRLEN]; /* the other hosts, this one left out */
	size_t npeers;
	const char *peers_text; /* as given */
	const char *dir;
	const char *local;
	long long vni; /* 0: not given */
};

/* Parse "a,b,c" into c->peers: IPv4 host addresses, repeats dropped. -1 with err naming the
 * input (overlay.c). */
int overlay_parse_peers(const char *text, struct choices *c, struct mr_err *err);

/* (overlay_peers.c) Every other host's file in DIR (a new array; LOCAL's own left out). */
json_t *overlay_peer_files(const char *dir, const char *local);
/* This host's file in the peers directory, PATH/LOCAL.json, into buf. */
void overlay_own_file(json_t *rec, char *buf, size_t size);
/* Bring the VXLAN link's forwarding entries (and with a directory, its neighbour entries)
 * to what the peers say. */
int overlay_sync_tables(json_t *rec, struct mr_err *err);
/* A name fit for a hosts file: a hostname's characters only. */
bool overlay_valid_name(const char *s);
/* An endpoint's "IPv4Address" without its prefix, into out; false when it is none. */
bool overlay_endpoint_ip(json_t *ep, char out[INET_ADDRSTRLEN]);

/* (overlay_watch.c) Start the watcher of REC (a network with a peers directory) and record
 * it; stop the one of network NAME (by its pid file, if it is still ours); is it running? */
int overlay_watch_start(const char *root, json_t *rec, struct mr_err *err);
void overlay_watch_stop(const char *root, const char *name);
bool overlay_watch_alive(const char *root, const char *name);

#endif
