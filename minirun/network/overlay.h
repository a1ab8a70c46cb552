/*
 * minirun/network/overlay.h - docker's overlay driver without swarm: one subnet stretched
 * over several hosts with VXLAN (`minirun network create -d overlay --subnet CIDR
 * --opt peers=IP,IP | --opt peers-dir=PATH NAME`). overlay.c tells the whole story; this
 * header is what the rest of minirun/network calls, each at one place:
 *
 *	commands.c  `network create -d overlay` -> overlay_create; `network inspect` ->
 *	            overlay_inspect (docker's Peers)
 *	ports.c     `run -p` on an overlay is refused (network_is_overlay)
 *	store.c     `network rm` of an overlay  -> overlay_remove (then the record goes)
 *	connect.c   connect: overlay_lock, overlay_ensure, overlay_pool (which addresses),
 *	            overlay_publish_locked; disconnect: overlay_publish; the hosts files:
 *	            overlay_hosts_lines (the other hosts' containers)
 *
 * Errors: -1 with struct mr_err filled, one line naming the input ("--opt vni=0: a VXLAN
 * id is 1..16777215").
 */
#ifndef MR_NETWORK_OVERLAY_H
#define MR_NETWORK_OVERLAY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/err.h"
#include "minirun/network/network.h"

#define OVERLAY_MTU 1450 /* docker's: a VXLAN header and its UDP/IP costs 50 of 1500 */

/* Is REC an overlay network's record (Driver "overlay")? */
bool network_is_overlay(json_t *rec);

/* docker network create -d overlay: OPTS[0..nopts) are the --opt K=V given (peers, peers-dir,
 * local, vni); SUBNET is required (every host must use the same). All or nothing: no
 * record, no link, no file in the peers directory is left on failure. */
int overlay_create(const char *root, const char *name, const char *subnet, const char *gateway,
		   const char *const *labels, size_t nlabels, const char *const *opts, size_t nopts,
		   char id_out[NETWORK_ID_LEN + 1], struct mr_err *err);

/* The kernel side and the shared side of `network rm` (the caller removes the record, with
 * the networks lock held): the watcher stopped, the VXLAN link (its forwarding entries go
 * with it) and the bridge deleted, this host's file removed from the peers directory. */
int overlay_remove(const char *root, json_t *rec, struct mr_err *err);

/* The bridge and VXLAN link exist (made again after a reboot), with the flood entries,
 * and with a peers directory, the watcher runs (started again if not). */
int overlay_ensure(const char *root, json_t *rec, struct mr_err *err);

/* Take the peers directory's lock (PATH/.lock) into *fd; *fd = -1 and 0 when the network
 * has no peers directory. Held from picking an address to publishing it, so two hosts never
 * lease the same one. Take it after the networks lock (that order everywhere). */
int overlay_lock(json_t *rec, int *fd, struct mr_err *err);

/* Narrow POOL (the subnet) to where this host may lease, and add to TAKEN[*n..max) the
 * other hosts' addresses: with a peers directory, the whole subnet minus what the other
 * hosts' files hold; with static peers only, this host's slice of the subnet (see
 * overlay.c). */
int overlay_pool(json_t *rec, struct network_subnet *pool, struct in_addr *taken, size_t *n,
		 size_t max, struct mr_err *err);

/* overlay_slice - static peers: this host's slice of the subnet POOL (changed in place).
 * The hosts LOCAL and PEERS ("IP,IP"; LOCAL in it or not, repeats ignored) sorted by
 * address cut the subnet into 2^k equal slices (2^k >= hosts); the i-th host takes the
 * i-th. Every host computes the same cut without talking, so long as all name the same
 * set. Pure; -1 with err when a slice would be smaller than a /30. */
int overlay_slice(struct network_subnet *pool, const char *local, const char *peers,
		  struct mr_err *err);

/* May this host lease IP (run --ip) on overlay REC of SUBNET? Its slice (static peers),
 * not another host's lease (peers directory). 0, or -1 with docker's words. Locks as
 * overlay_pool. */
int overlay_check_address(json_t *rec, struct network_subnet subnet, const char *ip,
			  struct mr_err *err);

/* Write this host's file in the peers directory from REC's containers and bring the VXLAN
 * forwarding table up to date; the _locked form with overlay_lock held. No peers
 * directory: only the table. */
int overlay_publish(const char *root, json_t *rec, struct mr_err *err);
int overlay_publish_locked(const char *root, json_t *rec, struct mr_err *err);

/* For `network inspect`: add to an overlay's REC (anything else, or NULL: nothing) docker's
 * "Peers", the hosts of the network as this host knows them now, itself first:
 * [{"Name": HOSTNAME or address, "IP": underlay address}, ...]. */
void overlay_inspect(json_t *rec);

/* Append to LINES (up to MAX; *n counts) one hosts line for each container the other hosts
 * of overlay REC publish; ADDRS and NAMES (INET_ADDRSTRLEN and NAMESZ bytes each) hold the
 * text the lines point to. */
void overlay_hosts_lines(json_t *rec, struct network_hosts_line *lines, char (*addrs)[16],
			 char (*names)[512], size_t *n, size_t max);

/* store.c's, shared with overlay.c: a new random network ID; "now" as docker writes
 * Created; check a --subnet/--gateway against the records ALL (overlap refused) and settle
 * them as text into SNET and SGW (SIZE bytes each). */
void network_random_id(char id[NETWORK_ID_LEN + 1]);
void network_now(char *buf, size_t size);
int network_plan_subnet(json_t *all, const char *subnet, const char *gateway, char *snet, char *sgw,
			size_t size, struct mr_err *err);

#endif
