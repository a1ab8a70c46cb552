/*
 * minirun/network/overlay_peers.c - the overlay driver's side of the peers: what this host
 * writes into the shared directory, what it reads from the other hosts' files, and how that
 * becomes the VXLAN link's forwarding and neighbour entries, the hosts files' lines and
 * inspect's Peers. The story is at the top of overlay.c.
 *
 *	PATH/172.30.0.2.json   {"Network": "ov", "Hostname": "b", "Underlay": "172.30.0.2",
 *	                        "Subnet": "10.77.0.0/24", "VNI": "4242",
 *	                        "Containers": {ID: {"Name", "IPv4Address", "MacAddress",
 *	                                            "Aliases"}}}
 *	PATH/.lock             flock(2)ed around a lease and the file that publishes it
 *
 * A file is replaced whole (write beside, rename), so a reader on another host sees the old
 * one or the new one. What another host wrote is input from outside: only names of a
 * hostname's characters, addresses and MACs that parse are used.
 *
 * See: overlay.c, netns/vxlan.c, bridge(8), ip-neighbour(8).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/jsonfile.h"
#include "lib/file.h"
#include "minirun/network/overlay.h"
#include "minirun/network/overlay_int.h"
#include "netns/netlink.h"

/* The other hosts' files come from a directory others write: take from them only what
 * looks as it should. A name goes into /etc/hosts, so it must not carry a newline or a
 * space (a hostname's characters only); an address and a MAC are parsed. */
bool overlay_valid_name(const char *s)
{
	return s && *s && strlen(s) < 256 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == strlen(s);
}

static bool valid_ipv4(const char *s)
{
	struct in_addr a;
	return s && inet_pton(AF_INET, s, &a) == 1;
}

/* "10.77.0.3/24" -> "10.77.0.3" into out; false when it is no address */
bool overlay_endpoint_ip(json_t *ep, char out[INET_ADDRSTRLEN])
{
	const char *a = json_string_value(json_object_get(ep, "IPv4Address"));
	if (!a || strcspn(a, "/") >= INET_ADDRSTRLEN)
		return false;
	snprintf(out, INET_ADDRSTRLEN, "%.*s", (int)strcspn(a, "/"), a);
	return valid_ipv4(out);
}

static bool valid_mac(const char *s)
{
	unsigned char m[6];
	return s && strlen(s) == 17 && nl_parse_mac(s, m, NULL) == 0;
}
bool network_is_overlay(json_t *rec)
{
	const char *d = json_string_value(json_object_get(rec, "Driver"));
	return d && !strcmp(d, "overlay");
}
/* ---- the peers directory ------------------------------------------------------------------- */

/* Every other host's file in DIR (a new array of their objects; LOCAL's own is skipped). */
json_t *overlay_peer_files(const char *dir, const char *local)
{
	json_t *all = json_array();
	_cleanup_closedir_ DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[4400], self[INET_ADDRSTRLEN + 8];
		size_t len = strlen(e->d_name);
		snprintf(self, sizeof(self), "%s.json", local ? local : "");
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") ||
		    !strcmp(e->d_name, self))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		json_t *f = mr_json_load_file(path, 0, NULL);
		if (valid_ipv4(json_string_value(json_object_get(f, "Underlay"))))
			json_array_append(all, f);
		json_decref(f);
	}
	return all;
}

int overlay_lock(json_t *rec, int *fd, struct mr_err *err)
{
	char path[4200];
	const char *dir = opt(rec, OPT_DIR);
	*fd = -1;
	if (!dir)
		return 0;
	if (mr_mkdir_p(dir, 0755, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	if ((*fd = mr_lock_file(path, err)) < 0)
		return -1;
	mr_say("locked %s (leases across hosts)", path);
	return 0;
}
/* ---- the VXLAN forwarding table ------------------------------------------------------------ */

struct fdb_want {
	char mac[18];
	char dst[INET_ADDRSTRLEN];
};

/* What the table should hold: a flood entry per peer (static and in the directory), and
 * with a directory, an entry per container of another host. */
static size_t wanted(json_t *rec, struct fdb_want *w, size_t max)
{
	size_t n = 0;
	struct choices c = {0};
	const char *peers = opt(rec, OPT_PEERS), *local = opt(rec, OPT_LOCAL);
	if (peers)
		overlay_parse_peers(peers, &c, NULL);
	for (size_t i = 0; i < c.npeers && n < max; i++)
		if (strcmp(c.peers[i], local)) {
			snprintf(w[n].mac, sizeof(w[n].mac), ZERO_MAC);
			snprintf(w[n++].dst, sizeof(w[0].dst), "%s", c.peers[i]);
		}
	json_t *files = overlay_peer_files(opt(rec, OPT_DIR), local), *f, *ep;
	size_t i;
	const char *id;
	json_array_foreach(files, i, f)
	{
		const char *u = json_string_value(json_object_get(f, "Underlay"));
		size_t k = 0;
		while (k < n && strcmp(w[k].dst, u))
			k++;
		if (k == n && n < max) { /* not a static peer already */
			snprintf(w[n].mac, sizeof(w[n].mac), ZERO_MAC);
			snprintf(w[n++].dst, sizeof(w[0].dst), "%s", u);
		}
		json_object_foreach(json_object_get(f, "Containers"), id, ep)
		{
			const char *mac = json_string_value(json_object_get(ep, "MacAddress"));
			if (valid_mac(mac) && n < max) {
				snprintf(w[n].mac, sizeof(w[n].mac), "%s", mac);
				snprintf(w[n++].dst, sizeof(w[0].dst), "%s", u);
			}
		}
	}
	json_decref(files);
	return n;
}

/* The ARP entries the link answers from (a peers directory only): the other hosts'
 * containers' addresses and MACs (dst holds the address). */
static size_t wanted_neighs(json_t *rec, struct fdb_want *w, size_t max)
{
	size_t n = 0, i;
	const char *id;
	json_t *files = overlay_peer_files(opt(rec, OPT_DIR), opt(rec, OPT_LOCAL)), *f, *ep;
	json_array_foreach(files, i, f)
	{
		json_object_foreach(json_object_get(f, "Containers"), id, ep)
		{
			const char *mac = json_string_value(json_object_get(ep, "MacAddress"));
			if (n < max && valid_mac(mac) && overlay_endpoint_ip(ep, w[n].dst)) {
				snprintf(w[n].mac, sizeof(w[n].mac), "%s", mac);
				n++;
			}
		}
	}
	json_decref(files);
	return n;
}

/* Bring the link's ARP entries to what wanted_neighs() says (the proxy answers from them). */
static int sync_neighs(struct nl *nl, json_t *rec, struct mr_err *err)
{
	struct fdb_want w[1024];
	size_t nw = wanted_neighs(rec, w, 1024), nh = 0;
	const char *dev = opt(rec, OPT_VXLAN);
	struct nl_vxlan_fdb *have = NULL;
	if (nl_vxlan_neighs(nl, dev, &have, &nh, err) < 0)
		return -1;
	int r = 0;
	for (size_t i = 0; i < nh && r == 0; i++) {
		size_t k = 0;
		while (k < nw && (strcmp(w[k].mac, have[i].mac) || strcmp(w[k].dst, have[i].dst)))
			k++;
		if (k == nw && have[i].permanent)
			r = nl_vxlan_neigh_del(nl, dev, have[i].dst, err);
	}
	for (size_t k = 0; k < nw && r == 0; k++) {
		size_t i = 0;
		while (i < nh && (strcmp(w[k].mac, have[i].mac) || strcmp(w[k].dst, have[i].dst)))
			i++;
		if (i == nh)
			r = nl_vxlan_neigh_add(nl, dev, w[k].dst, w[k].mac, err);
	}
	free(have);
	return r;
}

/* Bring the VXLAN link's table to what wanted() says: remove the permanent entries no
 * longer wanted (a host or container gone), add the missing ones. Learned entries stay.
 * With a peers directory, the ARP entries too (sync_neighs). */
int overlay_sync_tables(json_t *rec, struct mr_err *err)
{
	struct fdb_want w[1024];
	size_t nw = wanted(rec, w, 1024), nh = 0;
	const char *dev = opt(rec, OPT_VXLAN);
	_cleanup_nl_ struct nl *nl = nl_open(err);
	struct nl_vxlan_fdb *have = NULL;
	if (!nl || nl_vxlan_fdb(nl, dev, &have, &nh, err) < 0)
		return -1;
	int r = 0;
	for (size_t i = 0; i < nh && r == 0; i++) {
		size_t k = 0;
		while (k < nw && (strcmp(w[k].mac, have[i].mac) || strcmp(w[k].dst, have[i].dst)))
			k++;
		if (k == nw && have[i].permanent)
			r = nl_vxlan_fdb_del(nl, dev, have[i].mac, have[i].dst, 1, err);
	}
	for (size_t k = 0; k < nw && r == 0; k++) {
		size_t i = 0;
		while (i < nh && (strcmp(w[k].mac, have[i].mac) || strcmp(w[k].dst, have[i].dst) ||
				  !have[i].permanent))
			i++;
		if (i == nh)
			r = nl_vxlan_fdb_add(nl, dev, w[k].mac, w[k].dst, err);
	}
	free(have);
	/* the MACs first: the proxy answers only for a MAC the table places behind a host */
	if (r == 0 && opt(rec, OPT_DIR))
		r = sync_neighs(nl, rec, err);
	return r;
}
/* ---- publishing this host's containers ----------------------------------------------------- */

void overlay_own_file(json_t *rec, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s.json", opt(rec, OPT_DIR), opt(rec, OPT_LOCAL));
}

int overlay_publish_locked(const char *root, json_t *rec, struct mr_err *err)
{
	(void)root;
	if (opt(rec, OPT_DIR)) {
		char path[4200];
		const char *id;
		json_t *ep, *mine = json_object();
		json_object_foreach(json_object_get(rec, "Containers"), id, ep)
		{
			json_object_set_new(mine, id,
					    json_pack("{s:O, s:O, s:O, s:O}", "Name",
						      json_object_get(ep, "Name"), "IPv4Address",
						      json_object_get(ep, "IPv4Address"),
						      "MacAddress",
						      json_object_get(ep, "MacAddress"), "Aliases",
						      json_object_get(ep, "Aliases")));
		}
		json_t *cfg =
			json_array_get(json_object_get(json_object_get(rec, "IPAM"), "Config"), 0);
		char host[256] = "";
		gethostname(host, sizeof(host) - 1);
		json_t *f = json_pack("{s:O, s:s, s:s, s:O, s:s, s:o}", "Network",
				      json_object_get(rec, "Name"), "Hostname", host, "Underlay",
				      opt(rec, OPT_LOCAL), "Subnet", json_object_get(cfg, "Subnet"),
				      "VNI", opt(rec, OPT_VNI), "Containers", mine);
		_cleanup_free_ char *text = json_dumps(f, JSON_INDENT(2));
		json_decref(f);
		if (!text)
			return mr_fail(err, ENOMEM, "encode the peers file");
		overlay_own_file(rec, path, sizeof(path));
		mr_say("publish %zu container(s) in %s", json_object_size(mine), path);
		if (mr_write_file_atomic(path, text, strlen(text), 0644, err) < 0)
			return -1;
	}
	return overlay_sync_tables(rec, err);
}

int overlay_publish(const char *root, json_t *rec, struct mr_err *err)
{
	int fd;
	if (overlay_lock(rec, &fd, err) < 0)
		return -1;
	int r = overlay_publish_locked(root, rec, err);
	if (fd >= 0)
		close(fd);
	return r;
}
/* ---- inspect's Peers ------------------------------------------------------------------------ */

void overlay_inspect(json_t *rec)
{
	if (!rec || !network_is_overlay(rec))
		return;
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	json_t *peers = json_array(),
	       *files = overlay_peer_files(opt(rec, OPT_DIR), opt(rec, OPT_LOCAL));
	json_t *f;
	size_t i;
	json_array_append_new(peers,
			      json_pack("{s:s, s:s}", "Name", host, "IP", opt(rec, OPT_LOCAL)));
	json_array_foreach(files, i, f)
	{
		const char *name = json_string_value(json_object_get(f, "Hostname"));
		const char *ip = json_string_value(json_object_get(f, "Underlay"));
		json_array_append_new(peers,
				      json_pack("{s:s, s:s}", "Name",
						overlay_valid_name(name) ? name : ip, "IP", ip));
	}
	struct choices c = {0};
	if (opt(rec, OPT_PEERS))
		overlay_parse_peers(opt(rec, OPT_PEERS), &c, NULL);
	for (size_t k = 0; k < c.npeers; k++) {
		bool seen = !strcmp(c.peers[k], opt(rec, OPT_LOCAL));
		json_array_foreach(files, i, f)
		{
			seen |= !strcmp(c.peers[k],
					json_string_value(json_object_get(f, "Underlay")));
		}
		if (!seen)
			json_array_append_new(peers, json_pack("{s:s, s:s}", "Name", c.peers[k],
							       "IP", c.peers[k]));
	}
	json_decref(files);
	json_object_set_new(rec, "Peers", peers);
}
/* ---- names --------------------------------------------------------------------------------- */

void overlay_hosts_lines(json_t *rec, struct network_hosts_line *lines, char (*addrs)[16],
			 char (*names)[512], size_t *n, size_t max)
{
	json_t *files = overlay_peer_files(opt(rec, OPT_DIR), opt(rec, OPT_LOCAL)), *f, *ep, *a;
	size_t i, j;
	const char *id;
	json_array_foreach(files, i, f)
	{
		json_object_foreach(json_object_get(f, "Containers"), id, ep)
		{
			const char *name = json_string_value(json_object_get(ep, "Name"));
			if (*n == max || !overlay_endpoint_ip(ep, addrs[*n]) ||
			    !overlay_valid_name(id))
				continue;
			/* each name whole or not at all (a name cut short would be another
			 * name of this address), with room kept for the short ID at the end */
			size_t off = 0, room = 512 - 13;
			const char *s;
			if (overlay_valid_name(name) && strlen(name) + 1 <= room)
				off += (size_t)snprintf(names[*n], 512, "%s ", name);
			json_array_foreach(json_object_get(ep, "Aliases"), j, a)
			{
				s = json_string_value(a);
				if (overlay_valid_name(s) && off + strlen(s) + 1 <= room)
					off += (size_t)snprintf(names[*n] + off, 512 - off, "%s ",
								s);
			}
			snprintf(names[*n] + off, 512 - off, "%.12s", id);
			lines[*n].addr = addrs[*n];
			lines[*n].names = names[*n];
			(*n)++;
		}
	}
	json_decref(files);
}
