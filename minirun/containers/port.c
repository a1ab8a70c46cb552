/*
 * minirun/containers/port.c - `minirun port`: which host ports lead to a container's ports.
 *
 *   minirun port CONTAINER [PRIVATE_PORT[/PROTO]]
 *
 *   $ minirun port web
 *   80/tcp -> 0.0.0.0:8080
 *   $ minirun port web 80
 *   0.0.0.0:8080
 *
 * The answer is in the record: `run -p` publishes through minirun/network (an nft DNAT rule
 * per port) and writes what it published into NetworkSettings.Ports. A container that is not
 * running publishes nothing, as with docker.
 *
 * See: docker-port(1); minirun/network/README.md (port publishing)
 */
#include "lib/cli.h"
#include "minirun/containers/info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct port_row {
	unsigned port;
	char key[32], host[128];
};

static int row_cmp(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	int k = strcmp(x->key, y->key);
	return k ? k : strcmp(x->host, y->host);
}

static const char port_help[] = "Usage:  minirun port CONTAINER [PRIVATE_PORT[/PROTO]]\n\n"
				"List port mappings or a specific mapping for the container\n";

int cmd_port(int argc, char **argv)
{
	int st, opt;
	optind = 0; /* no flag of its own but --help, taken anywhere, as docker's CLI */
	if ((opt = mr_verb_opt(argc, argv, "port", "", NULL, port_help, &st)) != -1)
		return opt == MR_OPT_DONE ? st : MR_EXIT_RUNTIME;
	argc -= optind - 1; /* the operands, from argv[1] on */
	argv += optind - 1;
	if (argc < 2 || argc > 3)
		return mr_operand_error("port", "\"port\" requires at least 1 and at most 2 "
						"arguments.");
	char want[32] = "";
	if (argc == 3) {
		unsigned p;
		char proto[8] = "tcp";
		if (sscanf(argv[2], "%u/%7s", &p, proto) < 1 || !p || p > 65535 ||
		    (strcmp(proto, "tcp") && strcmp(proto, "udp")))
			return info_usage_error("port",
						"invalid port \"%s\": use PORT or PORT/tcp|udp "
						"(80, 53/udp)",
						argv[2]);
		snprintf(want, sizeof(want), "%u/%s", p, proto);
	}
	struct container c;
	if (info_open(argv[1], false, &c) < 0)
		return 1;
	enum container_state status = container_status(&c);
	bool up = status == CONTAINER_RUNNING || status == CONTAINER_PAUSED;
	struct port_row rows[256];
	size_t n = 0;
	for (size_t k = 0; up && k < c.r.nports; k++) {
		const struct container_port *p = &c.r.ports[k];
		const char *key = p->key;
		if (*want && strcmp(key, want))
			continue;
		for (size_t i = 0; i < p->nbindings; i++) {
			if (n >= 256)
				break;
			const char *ip = p->bindings[i].host_ip;
			const char *hp = p->bindings[i].host_port;
			rows[n].port = (unsigned)strtoul(key, NULL, 10);
			snprintf(rows[n].key, sizeof(rows[n].key), "%s", key);
			snprintf(rows[n].host, sizeof(rows[n].host), "%s:%s",
				 ip && *ip ? ip : "0.0.0.0", hp ? hp : "");
			n++;
		}
	}
	if (n > 1)
		qsort(rows, n, sizeof(rows[0]), row_cmp);
	for (size_t i = 0; i < n; i++) {
		if (*want)
			printf("%s\n", rows[i].host);
		else
			printf("%s -> %s\n", rows[i].key, rows[i].host);
	}
	int rc = 0;
	if (*want && !n) {
		const char *name = c.r.name;
		fprintf(stderr, "minirun: No public port '%s' published for %s\n", want,
			name ? name + (name[0] == '/') : c.id);
		rc = 1;
	}
	container_close(&c);
	return rc;
}
