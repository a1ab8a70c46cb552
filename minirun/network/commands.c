/*
 * minirun/network/commands.c - the `minirun network` verbs over the library: create, ls,
 * rm, inspect, connect, disconnect, and (until `minirun run -p` calls the library itself)
 * publish / unpublish. Each prints what docker prints and returns 0, or prints one line
 * and returns 125.
 *
 * connect/disconnect take docker's NETWORK CONTAINER (a container of the store, through
 * network_containers: minirun/containers/net.c, which also keeps its record), or, for a process
 * that is no container of the store (the network suites' "containers"), a container ID and its
 * network namespace (a PID or a netns path): `connect NETWORK ID PID|NETNS-PATH`.
 *
 * See: network.h, https://docs.docker.com/reference/cli/docker/network/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/sha256.h"
#include "lib/template.h"
#include "minirun/network/dns.h"
#include "minirun/network/network.h"
#include "minirun/network/overlay.h"
#include "netns/netlink.h"

const struct network_container_ops *network_containers;

static int fail(const struct mr_err *err)
{
	return mr_err_report(err, MR_EXIT_RUNTIME);
}

/* a network named on the command line (inspect, rm) that is not there: docker's words and
 * its status 1, as for every object its daemon does not know; anything else: fail() */
static int fail_named(const struct mr_err *err, const char *name)
{
	if (err->kind != MR_E_NOT_FOUND)
		return fail(err);
	fprintf(stderr, "minirun: No such network: %s\n", name);
	return 1;
}

static int usage_err(const char *verb, const char *synopsis)
{
	fprintf(stderr, "minirun: \"network %s\" requires %s; see 'minirun network %s --help'\n",
		verb, synopsis, verb);
	return MR_EXIT_OPERANDS;
}

/* a verb of the group without flags of its own (lib/cli.h) */
static int operands(int argc, char **argv, const char *verb, const char *help, int *rc)
{
	char what[32];
	snprintf(what, sizeof(what), "network %s", verb);
	return mr_verb_operands(argc, argv, what, help, rc);
}

static int cmd_create(int argc, char **argv)
{
	static const struct option lo[] = {{"subnet", required_argument, 0, 's'},
					   {"gateway", required_argument, 0, 'g'},
					   {"driver", required_argument, 0, 'd'},
					   {"internal", no_argument, 0, 'I'},
					   {"label", required_argument, 0, 'l'},
					   {"opt", required_argument, 0, 'o'},
					   {0, 0, 0, 0}};
	char help[1600];
	const char *opts[16];
	size_t nopts = 0;
	bool overlay = false;
	unsigned flags = 0;
	const char *labels[32];
	size_t nlabels = 0;
	snprintf(help, sizeof(help),
		 "Usage:  minirun network create [OPTIONS] NETWORK\n\n"
		 "Create a network\n\n"
		 "Options:\n"
		 "  -d, --driver DRIVER    bridge (default), or overlay: one subnet across\n"
		 "                         hosts over VXLAN (needs --subnet and peers)\n"
		 "  -o, --opt K=V          overlay: peers=IP,IP (the other hosts' underlay\n"
		 "                         addresses), peers-dir=PATH (a directory every host\n"
		 "                         shares), local=IP (this host's), vni=N (1..16777215)\n"
		 "      --subnet CIDR      e.g. 10.90.0.0/24 (default: a free /24 of %s)\n"
		 "      --gateway IP       default: the subnet's first address\n"
		 "      --internal         no way out: no NAT on the bridge, no default route in\n"
		 "                         the containers (only the subnet is reachable)\n"
		 "      --label K=V        set metadata on the network (up to 32)\n",
		 NETWORK_USER_POOL);
	const char *subnet = NULL, *gateway = NULL;
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(argc, argv, "network create", "d:o:", lo, help, &rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 's': subnet = optarg; break;
		case 'g': gateway = optarg; break;
		case 'I': flags |= NETWORK_INTERNAL; break;
		case 'l':
			if (nlabels == sizeof(labels) / sizeof(labels[0]))
				return usage_err("create", "at most 32 --label");
			labels[nlabels++] = optarg;
			break;
		case 'o':
			if (nopts == sizeof(opts) / sizeof(opts[0]))
				return usage_err("create", "at most 16 --opt");
			opts[nopts++] = optarg;
			break;
		case 'd':
			overlay = !strcmp(optarg, "overlay");
			if (!overlay && strcmp(optarg, "bridge")) {
				fprintf(stderr,
					"minirun: plugin \"%s\" not found (the drivers are bridge "
					"and overlay)\n",
					optarg);
				return MR_EXIT_RUNTIME;
			}
			break;
		}
	if (optind != argc - 1)
		return usage_err("create", "exactly 1 argument (NETWORK)");
	char id[NETWORK_ID_LEN + 1];
	struct mr_err err = {0};
	if (overlay || nopts) {
		if (!overlay) {
			fprintf(stderr,
				"minirun: --opt %s: the bridge driver takes no options here "
				"(--opt is the overlay driver's)\n",
				opts[0]);
			return MR_EXIT_RUNTIME;
		}
		if (flags & NETWORK_INTERNAL) {
			fprintf(stderr, "minirun: --internal: an overlay network is internal "
					"already (no way out)\n");
			return MR_EXIT_RUNTIME;
		}
		if (overlay_create(network_root(), argv[optind], subnet, gateway, labels, nlabels,
				   opts, nopts, id, &err) < 0)
			return fail(&err);
		printf("%s\n", id);
		return 0;
	}
	if (network_create_flags(network_root(), argv[optind], subnet, gateway, labels, nlabels,
				 flags, id, &err) < 0)
		return fail(&err);
	printf("%s\n", id);
	return 0;
}

/* "K=V,K2=V2": docker's .Labels column */
static json_t *joined_labels(json_t *labels)
{
	char out[4096] = "";
	size_t used = 0;
	const char *k;
	json_t *v;
	json_object_foreach(labels, k, v)
	{
		if (used < sizeof(out))
			used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s=%s",
						 used ? "," : "", k,
						 json_is_string(v) ? json_string_value(v) : "");
	}
	return json_string(out);
}

/* the row `ls --format` sees: docker's networkContext */
static json_t *ls_row(json_t *rec, bool notrunc)
{
	char id[NETWORK_ID_LEN + 1], at[96];
	const char *created = json_string_value(json_object_get(rec, "Created"));
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(rec, "Id")));
	if (!notrunc)
		id[12] = 0;
	/* Go's time.String(): "2024-05-01 10:00:00.123456789 +0000 UTC" */
	snprintf(at, sizeof(at), "%.19s%s +0000 UTC", created ? created : "",
		 created && strlen(created) > 20 ? created + 19 : "");
	if (created && at[10] == 'T')
		at[10] = ' ';
	char *z = strstr(at, "Z +0000");
	if (z)
		memmove(z, z + 1, strlen(z));
	return json_pack("{s:s, s:O, s:O, s:O, s:s, s:s, s:s, s:o, s:s}", "ID", id, "Name",
			 json_object_get(rec, "Name"), "Driver", json_object_get(rec, "Driver"),
			 "Scope", json_object_get(rec, "Scope"), "IPv4", "true", "IPv6",
			 json_is_true(json_object_get(rec, "EnableIPv6")) ? "true" : "false",
			 "Internal",
			 json_is_true(json_object_get(rec, "Internal")) ? "true" : "false",
			 "Labels", joined_labels(json_object_get(rec, "Labels")), "CreatedAt", at);
}

/*
 * docker's predefined networks besides bridge: `--network host` and `--network none` are
 * modes, not records here, but docker lists them, so `network ls` does too. Their IDs are
 * the SHA-256 of their names: stable, and the same on every machine.
 */
static json_t *pseudo_network(const char *name, const char *driver)
{
	uint8_t d[32];
	char id[65];
	mr_sha256(name, strlen(name), d);
	for (int i = 0; i < 32; i++)
		snprintf(id + 2 * i, 3, "%02x", d[i]);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:{}}", "Name", name, "Id", id,
			 "Created", "", "Scope", "local", "Driver", driver, "EnableIPv6", 0,
			 "Internal", 0, "Labels");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "Name")),
		      json_string_value(json_object_get(*(json_t *const *)b, "Name")));
}

/* label=KEY or label=KEY=VALUE against LABELS */
static bool label_match(json_t *labels, const char *v)
{
	const char *eq = strchr(v, '=');
	if (!eq)
		return json_object_get(labels, v) != NULL;
	char key[256];
	snprintf(key, sizeof(key), "%.*s", (int)(eq - v), v);
	const char *have = json_string_value(json_object_get(labels, key));
	return have && !strcmp(have, eq + 1);
}

/* the filter keys of `network ls` (docker's), each with what a record must have */
static const char *const ls_filter_keys[] = {"name", "id", "driver", "label", "scope", "type"};

/* does REC pass every --filter of FILTERS[0..n) (KEY=VALUE, KEY one of ls_filter_keys:
 * name= a part of the name, id= a prefix of the ID, driver=, label=KEY[=VALUE], scope=local,
 * type=builtin or custom)? */
static bool ls_match(json_t *rec, char **filters, int n)
{
	const char *name = json_string_value(json_object_get(rec, "Name")) ?: "";
	const char *id = json_string_value(json_object_get(rec, "Id")) ?: "";
	const char *driver = json_string_value(json_object_get(rec, "Driver")) ?: "";
	bool builtin = !strcmp(name, "bridge") || !strcmp(name, "host") || !strcmp(name, "none");
	for (int i = 0; i < n; i++) {
		const char *v = strchr(filters[i], '=') + 1;
		bool ok = true;
		switch (filters[i][0]) { /* the keys differ in their first letter */
		case 'n': ok = strstr(name, v) != NULL; break;
		case 'i': ok = !strncmp(id, v, strlen(v)); break;
		case 'd': ok = !strcmp(driver, v); break;
		case 'l': ok = label_match(json_object_get(rec, "Labels"), v); break;
		case 's': ok = !strcmp(v, "local"); break;
		case 't': ok = builtin == !strcmp(v, "builtin"); break;
		}
		if (!ok)
			return false;
	}
	return true;
}

/* is F a KEY=VALUE filter `network ls` knows? */
static bool ls_filter_ok(const char *f)
{
	const char *eq = strchr(f, '=');
	for (size_t i = 0; eq && i < sizeof(ls_filter_keys) / sizeof(ls_filter_keys[0]); i++)
		if (strlen(ls_filter_keys[i]) == (size_t)(eq - f) &&
		    !strncmp(f, ls_filter_keys[i], (size_t)(eq - f)))
			return true;
	return false;
}

static int cmd_ls(int argc, char **argv)
{
	static const struct option lo[] = {{"quiet", no_argument, 0, 'q'},
					   {"format", required_argument, 0, 'F'},
					   {"no-trunc", no_argument, 0, 'T'},
					   {"filter", required_argument, 0, 'f'},
					   {0, 0, 0, 0}};
	const char *format = NULL;
	bool notrunc = false;
	char *filters[32];
	int o, rc, nf = 0;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "network ls", "qf:", lo,
			"Usage:  minirun network ls [OPTIONS]\n\n"
			"List networks\n\n"
			"Options:\n"
			"  -f, --filter filter   Provide filter values (name=, id=, driver=, "
			"label=,\n"
			"                        scope=, type=builtin|custom)\n"
			"      --format string   Format output using a Go template\n"
			"      --no-trunc        Do not truncate the output\n"
			"  -q, --quiet           Only display network IDs\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'f':
			if (!ls_filter_ok(optarg) || nf == 32) {
				/* docker's daemon's words; its CLI exits 1 */
				fprintf(stderr,
					"minirun: Invalid filter '%.*s' (use name= id= driver= "
					"label= scope= type=)\n",
					(int)strcspn(optarg, "="), optarg);
				return 1;
			}
			filters[nf++] = optarg;
			break;
		case 'q': format = "{{.ID}}"; break;
		case 'F': format = format && !strcmp(format, "{{.ID}}") ? format : optarg; break;
		case 'T': notrunc = true; break;
		}
	if (optind != argc)
		return usage_err("ls", "no arguments");
	struct mr_err err = {0};
	struct mr_format f;
	if (mr_format_open(&f, format, "table {{.ID}}\\t{{.Name}}\\t{{.Driver}}\\t{{.Scope}}",
			   &err) < 0) {
		mr_format_close(&f);
		fprintf(stderr, "template parsing error: %s\n", err.msg);
		return 1;
	}
	int lock = network_lock(network_root(), &err); /* the default may be written now */
	if (lock < 0) {
		mr_format_close(&f);
		return fail(&err);
	}
	json_t *all = network_list(network_root(), &err), *rec;
	close(lock);
	if (!all) {
		mr_format_close(&f);
		return fail(&err);
	}
	size_t i;
	rc = 0;
	struct mr_tmpl_opts to = {.missing = MR_TMPL_MISSING_FIELD,
				  .type_name = "*network.networkContext",
				  .methods = mr_tmpl_label_methods};
	/* docker's list: the records and the two modes, by name */
	json_array_append_new(all, pseudo_network("host", "host"));
	json_array_append_new(all, pseudo_network("none", "null"));
	size_t n = json_array_size(all);
	json_t **sorted = calloc(n ? n : 1, sizeof(*sorted));
	for (i = 0; sorted && i < n; i++)
		sorted[i] = json_array_get(all, i);
	if (sorted)
		qsort(sorted, n, sizeof(*sorted), by_name);
	for (i = 0; sorted && i < n; i++) {
		rec = sorted[i];
		if (!ls_match(rec, filters, nf))
			continue;
		json_t *row = ls_row(rec, notrunc);
		to.ctx = json_object_get(rec, "Labels");
		if (!rc && mr_format_row(&f, row, &to, &err) < 0)
			rc = 1;
		json_decref(row);
	}
	if (rc) {
		fprintf(stderr, "template parsing error: %s\n", err.msg);
	} else {
		json_t *h = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ID",
				      "NETWORK ID", "Name", "NAME", "Driver", "DRIVER", "Scope",
				      "SCOPE", "IPv4", "IPV4", "IPv6", "IPV6", "Internal",
				      "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");
		mr_format_print(&f, h, stdout);
		json_decref(h);
	}
	mr_format_close(&f);
	free(sorted);
	json_decref(all);
	return rc;
}

static int cmd_rm(int argc, char **argv)
{
	int rc = 0;
	if (operands(argc, argv, "rm",
		     "Usage:  minirun network rm NETWORK [NETWORK...]\n\n"
		     "Remove one or more networks\n",
		     &rc) < 0)
		return rc;
	if (optind == argc)
		return usage_err("rm", "at least 1 argument (NETWORK)");
	for (int i = optind; i < argc; i++) {
		struct mr_err err = {0};
		if (network_remove(network_root(), argv[i], &err) < 0)
			rc = fail_named(&err, argv[i]);
		else
			printf("%s\n", argv[i]);
	}
	return rc;
}

/* the keys docker's inspect shows that a record of ours never sets (swarm's ingress, config-only
 * networks): their docker defaults, so templates that read them get what docker prints */
static void inspect_defaults(json_t *rec)
{
	if (!rec)
		return;
	if (!json_object_get(rec, "Ingress"))
		json_object_set_new(rec, "Ingress", json_false());
	if (!json_object_get(rec, "ConfigFrom"))
		json_object_set_new(rec, "ConfigFrom", json_pack("{s:s}", "Network", ""));
	if (!json_object_get(rec, "ConfigOnly"))
		json_object_set_new(rec, "ConfigOnly", json_false());
}

static int cmd_inspect(int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, 0, 'f'}, {0, 0, 0, 0}};
	const char *format = NULL;
	int o, rc = 0;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "network inspect", "f:", lo,
			"Usage:  minirun network inspect [OPTIONS] NETWORK [NETWORK...]\n\n"
			"Display detailed information on one or more networks\n\n"
			"Options:\n"
			"  -f, --format string   Format the output using the given Go template\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'f': format = optarg; break;
		}
	if (optind >= argc)
		return usage_err("inspect", "at least 1 argument (NETWORK)");
	struct mr_err err = {0};
	if (format && !*format)
		format = NULL; /* docker: -f '' is the JSON */
	/* docker: a template that does not parse is refused first, with status 64 */
	struct mr_tmpl *tmpl = format ? mr_tmpl_parse(format, &err) : NULL;
	if (format && !tmpl) {
		fprintf(stderr, "template parsing error: %s\n", err.msg);
		return 64;
	}
	int lock = network_lock(network_root(), &err);
	if (lock < 0) {
		mr_tmpl_free(tmpl);
		return fail(&err);
	}
	json_t *out = json_array();
	bool printed = false;
	for (int i = optind; i < argc; i++) {
		json_t *rec = network_load(network_root(), argv[i], &err);
		overlay_inspect(rec); /* an overlay's Peers, as they are now */
		inspect_defaults(rec);
		char *text = rec && tmpl ? mr_tmpl_render(tmpl, rec, NULL, &err) : NULL;
		if (!rec)
			rc = fail_named(&err, argv[i]);
		else if (text)
			printf("%s\n", text), printed = true;
		else if (tmpl)
			fprintf(stderr, "template parsing error: %s\n", err.msg), rc = 1;
		free(text);
		if (rec)
			json_array_append_new(out, rec);
	}
	close(lock);
	if (!tmpl) {
		char *text = json_dumps(out, JSON_INDENT(4));
		printf("%s\n", text);
		free(text);
	} else if (!printed) {
		putchar('\n'); /* docker writes an empty line when no object printed */
	}
	mr_tmpl_free(tmpl);
	json_decref(out);
	return rc;
}

static int cmd_connect(int argc, char **argv)
{
	static const struct option lo[] = {{"alias", required_argument, 0, 'a'},
					   {"name", required_argument, 0, 'n'},
					   {0, 0, 0, 0}};
	const char *aliases[16], *name = NULL;
	size_t na = 0;
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "network connect", "", lo,
			"Usage:  minirun network connect [OPTIONS] NETWORK CONTAINER\n"
			"        minirun network connect [OPTIONS] NETWORK CONTAINER-ID "
			"PID|NETNS-PATH\n\n"
			"Connect a container to a network\n\n"
			"Options:\n"
			"      --alias NAME   a name the container answers to on the network\n"
			"      --name NAME    the container's name, for a bare CONTAINER-ID\n",
			&rc)) != -1)
		switch (o) {
		case MR_OPT_DONE: return rc;
		case 'a':
			if (na == 16) {
				fprintf(stderr, "minirun: at most 16 --alias\n");
				return MR_EXIT_RUNTIME;
			}
			aliases[na++] = optarg;
			break;
		case 'n': name = optarg; break;
		}
	struct mr_err err = {0};
	if (optind == argc - 2 && network_containers) { /* docker's: NETWORK CONTAINER */
		if (network_containers->connect(network_root(), argv[optind + 1], argv[optind],
						aliases, na, &err) < 0)
			return fail(&err);
		return 0;
	}
	if (optind != argc - 3)
		return usage_err("connect", "2 arguments (NETWORK CONTAINER), or 3 (NETWORK "
					    "CONTAINER-ID PID|NETNS-PATH)");
	char addr[INET_ADDRSTRLEN];
	int fd = nl_netns_open(argv[optind + 2], &err);
	if (fd < 0)
		return fail(&err);
	struct network_connect c = {.root = network_root(),
				    .network = argv[optind],
				    .container_id = argv[optind + 1],
				    .name = name,
				    .aliases = aliases,
				    .naliases = na,
				    .netns_fd = fd};
	int r = network_connect(&c, addr, &err);
	close(fd);
	if (r < 0)
		return fail(&err);
	printf("%s\n", addr);
	return 0;
}

static int cmd_disconnect(int argc, char **argv)
{
	static const struct option lo[] = {{"force", no_argument, 0, 'f'}, {0, 0, 0, 0}};
	struct mr_err err = {0};
	int o, rc;
	optind = 0;
	while ((o = mr_verb_opt(
			argc, argv, "network disconnect", "f", lo,
			"Usage:  minirun network disconnect [OPTIONS] NETWORK CONTAINER\n\n"
			"Disconnect a container from a network\n\n"
			"Options:\n"
			"  -f, --force   accepted, as docker's (the disconnect is forced)\n",
			&rc)) != -1)
		if (o == MR_OPT_DONE)
			return rc;
	int i = optind - 1; /* argv[1 + i] is NETWORK */
	if (argc != 3 + i)
		return usage_err("disconnect", "exactly 2 arguments (NETWORK CONTAINER)");
	/* a container of the store: its record forgets the network too; else a bare ID */
	if (network_containers && network_containers->exists(network_root(), argv[2 + i])) {
		if (network_containers->disconnect(network_root(), argv[2 + i], argv[1 + i], &err) <
		    0)
			return fail(&err);
	} else if (network_disconnect(network_root(), argv[1 + i], argv[2 + i], &err) < 0)
		return fail(&err);
	return 0;
}

static int cmd_publish(int argc, char **argv)
{
	struct network_port *ports = NULL;
	size_t n = 0;
	struct mr_err err = {0};
	int r = 0;
	if (operands(
		    argc, argv, "publish",
		    "Usage:  minirun network publish CONTAINER-ID [HOSTADDR:]HOSTPORT:PORT[/PROTO]...\n\n"
		    "Publish a container's ports (what run -p calls)\n",
		    &r) < 0)
		return r;
	if (argc - optind < 2)
		return usage_err("publish", "CONTAINER-ID and at least 1 port spec");
	for (int i = optind + 1; i < argc && r == 0; i++) /* a range gives a port each */
		r = network_parse_ports(argv[i], &ports, &n, &err);
	if (r == 0 && network_publish(network_root(), argv[optind], ports, n, &err) < 0)
		r = -1;
	for (size_t i = 0; r == 0 && i < n; i++) /* as `docker port` shows them */
		printf("%u/%s -> %s:%u\n", ports[i].port, ports[i].proto,
		       ports[i].host_ip[0] ? ports[i].host_ip : "0.0.0.0", ports[i].host_port);
	free(ports);
	return r < 0 ? fail(&err) : 0;
}

static int cmd_unpublish(int argc, char **argv)
{
	struct mr_err err = {0};
	int rc = 0;
	if (operands(argc, argv, "unpublish",
		     "Usage:  minirun network unpublish CONTAINER-ID\n\n"
		     "Remove every port a container published\n",
		     &rc) < 0)
		return rc;
	if (argc - optind != 1)
		return usage_err("unpublish", "exactly 1 argument (CONTAINER-ID)");
	if (network_unpublish(network_root(), argv[optind], &err) < 0)
		return fail(&err);
	return 0;
}

const struct mr_command network_commands[] = {
	{"create", cmd_create, "Create a network"},
	{"ls", cmd_ls, "List networks"},
	{"rm", cmd_rm, "Remove one or more networks"},
	{"inspect", cmd_inspect, "Display detailed information on one or more networks"},
	{"prune", network_cmd_prune, "Remove all unused networks"},
	{"connect", cmd_connect, "Connect a container to a network"},
	{"disconnect", cmd_disconnect, "Disconnect a container from a network"},
	{"publish", cmd_publish, "Publish a container's ports (what run -p will call)"},
	{"unpublish", cmd_unpublish, "Remove every port a container published"},
	{"dns-serve", network_cmd_dns_serve,
	 "Answer the network's names by DNS (connect starts it)"},
	{NULL, NULL, NULL},
};
