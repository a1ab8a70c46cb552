/*
 * minirun/network/store.c - network records on disk: the lock, load and save, the default
 * network made on first use, and `network create` / `network rm` with the kernel side.
 *
 * A record is the JSON `docker network inspect` prints for one network (Name, Id, Created,
 * Scope, Driver, IPAM.Config[0].Subnet/Gateway, Containers, Options with
 * com.docker.network.bridge.name, Labels), so inspect just prints it. Every change is
 * read-modify-write under ROOT/networks/.lock and lands with mr_write_file_atomic: a killed
 * process leaves the old record or the new one, never half of one.
 *
 * Ordering: create makes the bridge first and writes the record last (a failed bridge
 * leaves nothing to remove); rm removes the bridge first and the record last (a failed
 * removal can be retried, the record still naming what is left).
 *
 * See: network.h, https://docs.docker.com/reference/cli/docker/network/.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/jsonfile.h"
#include "minirun/events/events.h"
#include "lib/file.h"
#include "minirun/network/dns.h"
#include "minirun/network/network.h"
#include "minirun/network/overlay.h"
#include "netns/netlink.h"

const char *network_root_opt;

const char *network_root(void)
{
	const char *env = getenv("MINIRUN_ROOT");
	if (network_root_opt && *network_root_opt)
		return network_root_opt;
	return env && *env ? env : "/var/lib/minirun";
}

int network_lock(const char *root, struct mr_err *err)
{
	char dir[4096], path[4200];
	snprintf(dir, sizeof(dir), "%s/networks", root);
	if (mr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	int fd = mr_lock_file(path, err);
	if (fd >= 0) {
		mr_say("locked %s", path);
		mr_sweep_temps(dir); /* a killed writer's temp record */
	}
	return fd;
}

void network_random_id(char id[NETWORK_ID_LEN + 1])
{
	unsigned char b[32];
	if (getrandom(b, sizeof(b), 0) != sizeof(b)) /* never short for 32 bytes; be safe */
		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)(rand() ^ getpid() ^ time(NULL));
	for (int i = 0; i < 32; i++)
		sprintf(id + 2 * i, "%02x", b[i]);
}

void network_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%09ldZ", ts.tv_nsec);
}

/* A new record in docker's shape. */
static json_t *new_record(const char *name, const char *id, const char *bridge, const char *subnet,
			  const char *gateway, bool internal)
{
	char created[64];
	network_now(created, sizeof(created));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s, s:{}, s:[{s:s, s:s}]}, s:b, "
			 "s:b, s:{}, s:{s:s, s:s}, s:{}}",
			 "Name", name, "Id", id, "Created", created, "Scope", "local", "Driver",
			 "bridge", "EnableIPv6", 0, "IPAM", "Driver", "default", "Options",
			 "Config", "Subnet", subnet, "Gateway", gateway, "Internal", internal,
			 "Attachable", 0, "Containers", "Options", "com.docker.network.bridge.name",
			 bridge, "com.docker.network.bridge.enable_ip_masquerade", "true",
			 "Labels");
}

static char *record_path(const char *root, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/networks/%s.json", root, name);
	return buf;
}

static json_t *read_record(const char *path, struct mr_err *err)
{
	json_error_t je;
	json_t *rec = mr_json_load_file(path, 0, &je);
	if (!rec)
		mr_fail(err, errno == ENOENT ? ENOENT : 0, "%s:%d:%d: %s", path, je.line, je.column,
			je.text);
	return rec;
}

int network_save(const char *root, json_t *rec, struct mr_err *err)
{
	char path[4200];
	_cleanup_free_ char *text = json_dumps(rec, JSON_INDENT(4));
	if (!text)
		return mr_fail(err, ENOMEM, "encode network record");
	size_t len = strlen(text);
	text[len] = '\n'; /* json_dumps leaves room for its NUL: use it for a final newline */
	record_path(root, json_string_value(json_object_get(rec, "Name")), path, sizeof(path));
	mr_say("write %s", path);
	return mr_write_file_atomic(path, text, len + 1, 0600, err);
}

/* The default network's record: written the first time anyone asks for it. */
static json_t *ensure_default(const char *root, struct mr_err *err)
{
	char path[4200], id[NETWORK_ID_LEN + 1], gw[INET_ADDRSTRLEN];
	struct nl_cidr c;
	record_path(root, NETWORK_DEFAULT, path, sizeof(path));
	if (access(path, F_OK) == 0)
		return read_record(path, err);
	nl_parse_cidr(NETWORK_DEFAULT_SUBNET, &c, NULL);
	c.addr.s_addr = htonl(ntohl(c.addr.s_addr) + 1);
	inet_ntop(AF_INET, &c.addr, gw, sizeof(gw));
	network_random_id(id);
	mr_say("first use of the default network: bridge %s, %s", NETWORK_DEFAULT_BRIDGE,
	       NETWORK_DEFAULT_SUBNET);
	json_t *rec = new_record(NETWORK_DEFAULT, id, NETWORK_DEFAULT_BRIDGE,
				 NETWORK_DEFAULT_SUBNET, gw, false);
	json_object_set_new(json_object_get(rec, "Options"),
			    "com.docker.network.bridge.default_bridge", json_string("true"));
	if (network_save(root, rec, err) < 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

json_t *network_list(const char *root, struct mr_err *err)
{
	char dir[4096];
	json_t *def = ensure_default(root, err);
	if (!def)
		return NULL;
	json_t *all = json_array();
	json_array_append_new(all, def);
	snprintf(dir, sizeof(dir), "%s/networks", root);
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		json_decref(all);
		mr_fail(err, errno, "read '%s'", dir);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		char path[4400];
		size_t len = strlen(names[i]->d_name);
		if (names[i]->d_name[0] != '.' && len > 5 &&
		    !strcmp(names[i]->d_name + len - 5, ".json") &&
		    strcmp(names[i]->d_name, NETWORK_DEFAULT ".json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			json_t *rec = read_record(path, NULL);
			if (rec)
				json_array_append_new(all, rec);
		}
		free(names[i]);
	}
	free(names);
	return all;
}

json_t *network_load(const char *root, const char *name, struct mr_err *err)
{
	json_t *all = network_list(root, err), *found = NULL, *rec;
	size_t i, hits = 0, len = strlen(name);
	if (!all)
		return NULL;
	json_array_foreach(all, i, rec)
	{
		const char *n = json_string_value(json_object_get(rec, "Name"));
		const char *id = json_string_value(json_object_get(rec, "Id"));
		if (n && !strcmp(n, name)) { /* a name wins over an ID prefix */
			found = rec;
			hits = 1;
			break;
		}
		if (id && len > 0 && !strncmp(id, name, len)) {
			found = rec;
			hits++;
		}
	}
	if (hits == 1)
		json_incref(found);
	json_decref(all);
	if (hits == 1)
		return found;
	mr_failk(err, hits ? MR_E_INVALID : MR_E_NOT_FOUND, 0,
		 hits ? "network %s is ambiguous (%zu matches)" : "network %s not found", name,
		 hits);
	errno = hits ? EINVAL : ENOENT;
	return NULL;
}

const char *network_bridge_of(json_t *rec)
{
	return json_string_value(
		json_object_get(json_object_get(rec, "Options"), "com.docker.network.bridge.name"));
}

int network_is_default(json_t *rec)
{
	return !strcmp(json_string_value(json_object_get(rec, "Name")), NETWORK_DEFAULT);
}

int network_subnet_of(json_t *rec, struct network_subnet *out, struct in_addr *gateway)
{
	json_t *cfg = json_array_get(json_object_get(json_object_get(rec, "IPAM"), "Config"), 0);
	const char *s = json_string_value(json_object_get(cfg, "Subnet"));
	const char *g = json_string_value(json_object_get(cfg, "Gateway"));
	struct nl_cidr c;
	if (!s || !g || nl_parse_cidr(s, &c, NULL) < 0 || nl_parse_ipv4(g, gateway, NULL) < 0)
		return -1;
	out->net = c.addr;
	out->prefix = c.prefix;
	return 0;
}

/* Check what a user typed for `network create` and settle subnet and gateway (as text). */
int network_plan_subnet(json_t *all, const char *subnet, const char *gateway, char *snet, char *sgw,
			size_t size, struct mr_err *err)
{
	struct network_subnet used[512], want;
	struct in_addr gw;
	size_t n = 0, i;
	json_t *rec;
	json_array_foreach(all, i, rec)
	{
		if (n < 512 && network_subnet_of(rec, &used[n], &gw) == 0)
			n++;
	}
	if (subnet) {
		struct nl_cidr c;
		if (nl_parse_cidr(subnet, &c, NULL) < 0)
			return mr_fail(
				err, 0,
				"invalid argument \"%s\" for \"--subnet\" flag: invalid CIDR "
				"address: %s",
				subnet, subnet);
		if (c.prefix > 30 || c.prefix < 8)
			return mr_fail(
				err, 0,
				"invalid subnet %s: the prefix must be /8 to /30 (room for a "
				"gateway and containers)",
				subnet);
		want.net.s_addr = htonl(ntohl(c.addr.s_addr) & (0xffffffffu << (32 - c.prefix)));
		want.prefix = c.prefix;
		for (i = 0; i < n; i++)
			if (network_subnets_overlap(want.net, want.prefix, used[i].net,
						    used[i].prefix))
				return mr_fail(err, 0,
					       "invalid pool request: Pool overlaps with other one "
					       "on this address space (%s)",
					       subnet);
	} else if (network_pick_subnet(used, n, &want, err) < 0)
		return -1;
	if (gateway) {
		if (nl_parse_ipv4(gateway, &gw, NULL) < 0 ||
		    !network_subnets_overlap(gw, 32, want.net, want.prefix))
			return mr_fail(err, 0, "no matching subnet for gateway %s", gateway);
	} else
		gw.s_addr = htonl(ntohl(want.net.s_addr) + 1);
	inet_ntop(AF_INET, &want.net, snet, size);
	snprintf(snet + strlen(snet), size - strlen(snet), "/%d", want.prefix);
	inet_ntop(AF_INET, &gw, sgw, size);
	return 0;
}

int network_create(const char *root, const char *name, const char *subnet, const char *gateway,
		   const char *const *labels, size_t nlabels, char id_out[NETWORK_ID_LEN + 1],
		   struct mr_err *err)
{
	return network_create_flags(root, name, subnet, gateway, labels, nlabels, 0, id_out, err);
}

int network_is_internal(json_t *rec)
{
	return json_is_true(json_object_get(rec, "Internal"));
}

int network_create_flags(const char *root, const char *name, const char *subnet,
			 const char *gateway, const char *const *labels, size_t nlabels,
			 unsigned flags, char id_out[NETWORK_ID_LEN + 1], struct mr_err *err)
{
	bool internal = flags & NETWORK_INTERNAL;
	char snet[32], sgw[32], bridge[IFNAMSIZ], cidr[40], path[4200];
	if (network_check_name(name, err) < 0)
		return -1;
	if (gateway && !subnet)
		return mr_fail(err, 0, "--gateway %s needs --subnet", gateway);
	_cleanup_close_ int lock = network_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *all = network_list(root, err);
	if (!all)
		return -1;
	size_t i;
	json_t *rec;
	json_array_foreach(all, i, rec)
	{
		if (!strcmp(json_string_value(json_object_get(rec, "Name")), name)) {
			json_decref(all);
			return mr_failk(err, MR_E_CONFLICT, 0,
					"network with name %s already exists", name);
		}
	}
	int r = network_plan_subnet(all, subnet, gateway, snet, sgw, sizeof(snet), err);
	json_decref(all);
	if (r < 0)
		return -1;
	network_random_id(id_out);
	snprintf(bridge, sizeof(bridge), "mr-%.12s", id_out);
	snprintf(cidr, sizeof(cidr), "%s/%s", sgw, strchr(snet, '/') + 1);
	mr_say("network %s: bridge %s, subnet %s, gateway %s%s", name, bridge, snet, sgw,
	       internal ? ", internal: no NAT, no route out" : "");
	if (netns_network_create(bridge, cidr, !internal, err) < 0) {
		mr_prefix(err, "create network %s: ", name);
		return -1;
	}
	rec = new_record(name, id_out, bridge, snet, sgw, internal);
	json_t *lab = json_object_get(rec, "Labels");
	for (size_t k = 0; k < nlabels; k++) {
		const char *eq = strchr(labels[k], '=');
		char key[256];
		snprintf(key, sizeof(key), "%.*s",
			 eq ? (int)(eq - labels[k]) : (int)strlen(labels[k]), labels[k]);
		json_object_set_new(lab, key, json_string(eq ? eq + 1 : ""));
	}
	r = network_save(root, rec, err);
	if (r == 0)
		network_event(root, rec, "create", NULL);
	json_decref(rec);
	if (r < 0) {
		netns_network_remove(bridge, 1, NULL);
		unlink(record_path(root, name, path, sizeof(path)));
	}
	return r;
}

int network_remove(const char *root, const char *name, struct mr_err *err)
{
	char path[4200];
	_cleanup_close_ int lock = network_lock(root, err);
	if (lock < 0)
		return -1;
	json_t *rec = network_load(root, name, err);
	if (!rec)
		return -1;
	const char *n = json_string_value(json_object_get(rec, "Name"));
	const char *id = json_string_value(json_object_get(rec, "Id"));
	int r = -1;
	if (network_is_default(rec))
		mr_fail(err, 0, "%s is a pre-defined network and cannot be removed", n);
	else if (json_object_size(json_object_get(rec, "Containers")) > 0)
		mr_fail(err, 0,
			"error while removing network: network %s id %s has active endpoints "
			"(disconnect them first: minirun network disconnect %s CONTAINER)",
			n, id, n);
	else if (dns_stop(root, id, err) < 0) /* one a killed minirun left running (dns.h) */
		mr_prefix(err, "remove network %s: ", n);
	else if (network_is_overlay(rec) && overlay_remove(root, rec, err) < 0)
		mr_prefix(err, "remove network %s: ", n);
	else if (!network_is_overlay(rec) &&
		 netns_network_remove(network_bridge_of(rec), 1, err) < 0)
		mr_prefix(err, "remove network %s: ", n);
	else if (unlink(record_path(root, n, path, sizeof(path))) < 0)
		mr_fail(err, errno, "remove '%s'", path);
	else
		r = 0;
	if (r == 0)
		network_event(root, rec, "destroy", NULL);
	json_decref(rec);
	return r;
}

void network_event(const char *root, json_t *rec, const char *action, const char *container_id)
{
	const char *driver = json_string_value(json_object_get(rec, "Driver"));
	events_emit(root, "network", action, json_string_value(json_object_get(rec, "Id")),
		    "container", container_id, "name",
		    json_string_value(json_object_get(rec, "Name")), "type",
		    driver ? driver : "bridge");
}
