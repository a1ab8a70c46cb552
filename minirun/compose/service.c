/*
 * minirun/compose/service.c - one service of a compose file, typed by a table.
 *
 * compose_svc_keys[] has one row per key the specification gives a service and this
 * runtime reads: its name, its kind (how its YAML is read, merged and printed) and where
 * it lives in struct compose_service. A service key not in the table is an error, as the
 * specification's schema makes it ("additionalProperties": false), unless it starts with
 * "x-". The simple kinds (string, list, KEY=VALUE ...) are read by load.c's helpers; the
 * structured ones (depends_on, networks, healthcheck, build, deploy, ulimits, extends,
 * env_file, blkio_config) by the functions below, ports and volumes by syntax.c, each with
 * both its short and long syntax; restart and pull_policy take only the values the
 * specification lists, oom_score_adj, mem_swappiness, cpu_percent and cpu_count only the
 * range its schema (or, for swappiness, the daemon) allows; label_file paths are made
 * absolute against the project directory, as env_file's are.
 *
 * See: https://docs.docker.com/reference/compose-file/services/
 */
#include "minirun/compose/parse.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define KEY(id, name, kind, field) [id] = {name, kind, offsetof(struct compose_service, field)}
const struct compose_svc_keydef compose_svc_keys[SVC_NKEYS] = {
	KEY(SVC_BLKIO_CONFIG, "blkio_config", K_BLKIO, blkio_config),
	KEY(SVC_BUILD, "build", K_BUILD, build),
	KEY(SVC_CAP_ADD, "cap_add", K_STRV, cap_add),
	KEY(SVC_CAP_DROP, "cap_drop", K_STRV, cap_drop),
	KEY(SVC_CGROUP, "cgroup", K_STR, cgroup),
	KEY(SVC_COMMAND, "command", K_CMD, command),
	KEY(SVC_CONTAINER_NAME, "container_name", K_STR, container_name),
	KEY(SVC_CPU_COUNT, "cpu_count", K_INT, cpu_count),
	KEY(SVC_CPU_PERCENT, "cpu_percent", K_INT, cpu_percent),
	KEY(SVC_CPU_PERIOD, "cpu_period", K_INT, cpu_period),
	KEY(SVC_CPU_QUOTA, "cpu_quota", K_INT, cpu_quota),
	KEY(SVC_CPU_SHARES, "cpu_shares", K_INT, cpu_shares),
	KEY(SVC_CPUS, "cpus", K_STR, cpus),
	KEY(SVC_CPUSET, "cpuset", K_STR, cpuset),
	KEY(SVC_DEPENDS_ON, "depends_on", K_DEPS, depends_on),
	KEY(SVC_DEPLOY, "deploy", K_DEPLOY, deploy),
	KEY(SVC_DNS, "dns", K_STRV1, dns),
	KEY(SVC_DNS_OPT, "dns_opt", K_STRV, dns_opt),
	KEY(SVC_DNS_SEARCH, "dns_search", K_STRV1, dns_search),
	KEY(SVC_DOMAINNAME, "domainname", K_STR, domainname),
	KEY(SVC_ENTRYPOINT, "entrypoint", K_CMD, entrypoint),
	KEY(SVC_ENV_FILE, "env_file", K_ENVFILES, env_file),
	KEY(SVC_ENVIRONMENT, "environment", K_KV, environment),
	KEY(SVC_EXPOSE, "expose", K_STRV, expose),
	KEY(SVC_EXTENDS, "extends", K_EXTENDS, extends),
	KEY(SVC_EXTRA_HOSTS, "extra_hosts", K_HOSTS, extra_hosts),
	KEY(SVC_HEALTHCHECK, "healthcheck", K_HEALTH, healthcheck),
	KEY(SVC_HOSTNAME, "hostname", K_STR, hostname),
	KEY(SVC_IMAGE, "image", K_STR, image),
	KEY(SVC_INIT, "init", K_BOOL, init),
	KEY(SVC_IPC, "ipc", K_STR, ipc),
	KEY(SVC_LABEL_FILE, "label_file", K_STRV1, label_file),
	KEY(SVC_LABELS, "labels", K_KV, labels),
	KEY(SVC_LINKS, "links", K_STRV, links),
	KEY(SVC_LOGGING, "logging", K_LOGGING, logging),
	KEY(SVC_MAC_ADDRESS, "mac_address", K_STR, mac_address),
	KEY(SVC_MEM_LIMIT, "mem_limit", K_BYTES, mem_limit),
	KEY(SVC_MEM_RESERVATION, "mem_reservation", K_BYTES, mem_reservation),
	KEY(SVC_MEM_SWAPPINESS, "mem_swappiness", K_INT, mem_swappiness),
	KEY(SVC_MEMSWAP_LIMIT, "memswap_limit", K_SWAP, memswap_limit),
	KEY(SVC_NETWORK_MODE, "network_mode", K_STR, network_mode),
	KEY(SVC_NETWORKS, "networks", K_NETS, networks),
	KEY(SVC_OOM_KILL_DISABLE, "oom_kill_disable", K_BOOL, oom_kill_disable),
	KEY(SVC_OOM_SCORE_ADJ, "oom_score_adj", K_INT, oom_score_adj),
	KEY(SVC_PID, "pid", K_STR, pid),
	KEY(SVC_PIDS_LIMIT, "pids_limit", K_INT, pids_limit),
	KEY(SVC_PLATFORM, "platform", K_STR, platform),
	KEY(SVC_PORTS, "ports", K_PORTS, ports),
	KEY(SVC_PRIVILEGED, "privileged", K_BOOL, privileged),
	KEY(SVC_PROFILES, "profiles", K_STRV, profiles),
	KEY(SVC_PULL_POLICY, "pull_policy", K_STR, pull_policy),
	KEY(SVC_READ_ONLY, "read_only", K_BOOL, read_only),
	KEY(SVC_RESTART, "restart", K_STR, restart),
	KEY(SVC_SECURITY_OPT, "security_opt", K_STRV, security_opt),
	KEY(SVC_SHM_SIZE, "shm_size", K_BYTES, shm_size),
	KEY(SVC_STDIN_OPEN, "stdin_open", K_BOOL, stdin_open),
	KEY(SVC_STOP_GRACE_PERIOD, "stop_grace_period", K_DURATION, stop_grace_period),
	KEY(SVC_STOP_SIGNAL, "stop_signal", K_STR, stop_signal),
	KEY(SVC_STORAGE_OPT, "storage_opt", K_KV, storage_opt),
	KEY(SVC_SYSCTLS, "sysctls", K_KV, sysctls),
	KEY(SVC_TMPFS, "tmpfs", K_STRV1, tmpfs),
	KEY(SVC_TTY, "tty", K_BOOL, tty),
	KEY(SVC_ULIMITS, "ulimits", K_ULIMITS, ulimits),
	KEY(SVC_USER, "user", K_STR, user),
	KEY(SVC_USERNS_MODE, "userns_mode", K_STR, userns_mode),
	KEY(SVC_UTS, "uts", K_STR, uts),
	KEY(SVC_VOLUMES, "volumes", K_MOUNTS, volumes),
	KEY(SVC_VOLUMES_FROM, "volumes_from", K_STRV, volumes_from),
	KEY(SVC_WORKING_DIR, "working_dir", K_STR, working_dir),
};

/* ---- command and entrypoint: a list, or a string split as a shell would --------------- */

static int shell_split(struct pctx *pc, struct fy_node *n, const char *s, struct compose_strv *out,
		       struct mr_err *err)
{
	struct compose_arena *a = pc->c->a;
	size_t cap = strlen(s) + 1;
	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		char *word = compose_alloc(a, cap), *w = word;
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '\'' || *s == '"') {
				char q = *s++;
				while (*s && *s != q) {
					if (q == '"' && *s == '\\' && strchr("\"\\$`", s[1]))
						s++;
					*w++ = *s++;
				}
				if (!*s)
					return cy_fail(pc, n, err, "unterminated %c quote", q);
				s++;
			} else if (*s == '\\' && s[1]) {
				*w++ = s[1];
				s += 2;
			} else {
				*w++ = *s++;
			}
		}
		*(char **)compose_push(a, &out->v, &out->n, sizeof(char *)) = word;
	}
	return 0;
}

static int get_cmd(struct pctx *pc, struct fy_node *n, struct compose_strv *out, struct mr_err *err)
{
	memset(out, 0, sizeof(*out));
	if (n && fy_node_get_type(n) == FYNT_SCALAR && !cy_is_null(n)) {
		char *s;
		return cy_str(pc, n, &s, err) < 0 ? -1 : shell_split(pc, n, s, out, err);
	}
	return cy_strv(pc, n, 0, out, err);
}

/* ---- depends_on, networks ------------------------------------------------------------------ */

static int get_deps(struct pctx *pc, struct fy_node *n, struct compose_deps *out,
		    struct mr_err *err)
{
	static const char *const conds[] = {"service_started", "service_healthy",
					    "service_completed_successfully"};
	struct compose_arena *a = pc->c->a;
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) == FYNT_SEQUENCE) {
		struct compose_strv names;
		if (cy_strv(pc, n, 0, &names, err) < 0)
			return -1;
		for (size_t i = 0; i < names.n; i++) {
			struct compose_dep *d = compose_push(a, &out->v, &out->n, sizeof(*d));
			*d = (struct compose_dep){names.v[i], COMPOSE_STARTED, 0, 1};
		}
		return 0;
	}
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cy_fail(pc, n, err, "must be a list or a mapping of services");
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		struct compose_dep *d = compose_push(a, &out->v, &out->n, sizeof(*d));
		*d = (struct compose_dep){compose_strdup(a, k), COMPOSE_STARTED, 0, 1};
		if (!cy_is_null(v) && cy_need_map(pc, v, err) < 0)
			return -1;
		if (!cy_is_null(v))
			FOR_EACH_PAIR(v, dk, dv, dkey)
			{
				size_t l2 = cy_push(pc, dk);
				int rc = 0;
				char *c;
				if (!strcmp(dk, "condition")) {
					rc = cy_str(pc, dv, &c, err);
					size_t i = 0;
					while (rc == 0 && i < 3 && c && strcmp(c, conds[i]))
						i++;
					if (rc == 0 && i == 3)
						rc = cy_fail(pc, dv, err,
							     "must be service_started, "
							     "service_healthy or "
							     "service_completed_successfully");
					d->condition = (enum compose_condition)i;
				} else if (!strcmp(dk, "restart")) {
					rc = cy_bool(pc, dv, &d->restart, err);
				} else if (!strcmp(dk, "required")) {
					rc = cy_bool(pc, dv, &d->required, err);
				} else {
					rc = cy_unknown(pc, dkey, err);
				}
				if (rc < 0)
					return -1;
				cy_pop(pc, l2);
			}
		cy_pop(pc, len);
	}
	return 0;
}

static int get_nets(struct pctx *pc, struct fy_node *n, struct compose_svc_nets *out,
		    struct mr_err *err)
{
	struct compose_arena *a = pc->c->a;
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) == FYNT_SEQUENCE) {
		struct compose_strv names;
		if (cy_strv(pc, n, 0, &names, err) < 0)
			return -1;
		for (size_t i = 0; i < names.n; i++)
			((struct compose_svc_net *)compose_push(a, &out->v, &out->n,
								sizeof(*out->v)))
				->name = names.v[i];
		return 0;
	}
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cy_fail(pc, n, err, "must be a list or a mapping of networks");
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		struct compose_svc_net *sn = compose_push(a, &out->v, &out->n, sizeof(*sn));
		sn->name = compose_strdup(a, k);
		if (!cy_is_null(v) && cy_need_map(pc, v, err) < 0)
			return -1;
		if (!cy_is_null(v)) {
			sn->has_config = 1;
			FOR_EACH_PAIR(v, nk, nv, nkey)
			{
				size_t l2 = cy_push(pc, nk);
				int rc = 0;
				if (!strcmp(nk, "aliases"))
					rc = cy_strv(pc, nv, 0, &sn->aliases, err);
				else if (!strcmp(nk, "ipv4_address"))
					rc = cy_str(pc, nv, &sn->ipv4_address, err);
				else if (strcmp(nk, "ipv6_address") && strcmp(nk, "priority") &&
					 strcmp(nk, "mac_address") && strcmp(nk, "driver_opts"))
					rc = cy_unknown(pc, nkey, err);
				if (rc < 0)
					return -1;
				cy_pop(pc, l2);
			}
		}
		cy_pop(pc, len);
	}
	return 0;
}

/* ---- healthcheck, build, deploy, ulimits, extends ------------------------------------------ */

static int get_health(struct pctx *pc, struct fy_node *n, struct compose_health *h,
		      struct mr_err *err)
{
	memset(h, 0, sizeof(*h));
	h->retries = -1;
	if (cy_is_null(n))
		return 0;
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc;
		if (!strcmp(k, "test")) {
			rc = cy_strv(pc, v, 1, &h->test, err);
			if (rc == 0 && fy_node_get_type(v) == FYNT_SCALAR && h->test.n == 1) {
				/* a string is the shell form */
				char *cmd = h->test.v[0];
				h->test = (struct compose_strv){0};
				*(char **)compose_push(pc->c->a, &h->test.v, &h->test.n,
						       sizeof(char *)) = "CMD-SHELL";
				*(char **)compose_push(pc->c->a, &h->test.v, &h->test.n,
						       sizeof(char *)) = cmd;
			}
		} else if (!strcmp(k, "interval"))
			rc = cy_duration(pc, v, &h->interval, err);
		else if (!strcmp(k, "timeout"))
			rc = cy_duration(pc, v, &h->timeout, err);
		else if (!strcmp(k, "start_period"))
			rc = cy_duration(pc, v, &h->start_period, err);
		else if (!strcmp(k, "start_interval"))
			rc = cy_duration(pc, v, &h->start_interval, err);
		else if (!strcmp(k, "retries"))
			rc = cy_int(pc, v, &h->retries, err);
		else if (!strcmp(k, "disable"))
			rc = cy_bool(pc, v, &h->disable, err);
		else
			rc = cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

static int get_build(struct pctx *pc, struct fy_node *n, struct compose_build *b,
		     struct mr_err *err)
{
	memset(b, 0, sizeof(*b));
	if (fy_node_get_type(n) == FYNT_SCALAR) {
		char *ctx;
		if (cy_str(pc, n, &ctx, err) < 0)
			return -1;
		b->context = cy_path(pc, ctx ? ctx : ".");
		return 0;
	}
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "context")) {
			rc = cy_str(pc, v, &b->context, err);
			if (rc == 0 && b->context)
				b->context = cy_path(pc, b->context);
		} else if (!strcmp(k, "dockerfile"))
			rc = cy_str(pc, v, &b->dockerfile, err);
		else if (!strcmp(k, "target"))
			rc = cy_str(pc, v, &b->target, err);
		else if (!strcmp(k, "args"))
			rc = cy_kvs(pc, v, "=", &b->args, err);
		/* the specification's other build keys; minirun build does not use them */
		else if (strcmp(k, "labels") && strcmp(k, "network") && strcmp(k, "cache_from") &&
			 strcmp(k, "no_cache") && strcmp(k, "pull") && strcmp(k, "platforms") &&
			 strcmp(k, "tags") && strcmp(k, "shm_size") && strncmp(k, "x-", 2))
			rc = cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	if (!b->context)
		b->context = cy_path(pc, ".");
	return 0;
}

/* logging: {driver: NAME, options: {KEY: VALUE}} */
static int get_logging(struct pctx *pc, struct fy_node *n, struct compose_logging *l,
		       struct mr_err *err)
{
	if (cy_is_null(n))
		return 0;
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "driver"))
			rc = cy_str(pc, v, &l->driver, err);
		else if (!strcmp(k, "options"))
			rc = cy_kvs(pc, v, "=", &l->options, err);
		else if (strncmp(k, "x-", 2))
			rc = cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

static int get_resources(struct pctx *pc, struct fy_node *n, struct compose_resources *r,
			 struct mr_err *err)
{
	if (cy_is_null(n))
		return 0;
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "cpus"))
			rc = cy_str(pc, v, &r->cpus, err);
		else if (!strcmp(k, "memory"))
			rc = cy_bytes(pc, v, &r->memory, err);
		else if (!strcmp(k, "pids"))
			rc = cy_int(pc, v, &r->pids, err);
		else if (strcmp(k, "devices") && strcmp(k, "generic_resources"))
			rc = cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

static int get_deploy(struct pctx *pc, struct fy_node *n, struct compose_deploy *d,
		      struct mr_err *err)
{
	memset(d, 0, sizeof(*d));
	d->replicas = -1;
	if (cy_is_null(n))
		return 0;
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	/* known to the specification, meaningful to a swarm, ignored here */
	static const char *const swarm[] = {"mode",         "labels",        "restart_policy",
					    "placement",    "update_config", "rollback_config",
					    "endpoint_mode"};
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc = 0;
		if (!strcmp(k, "replicas"))
			rc = cy_int(pc, v, &d->replicas, err);
		else if (!strcmp(k, "resources") && !(rc = cy_need_map(pc, v, err))) {
			FOR_EACH_PAIR(v, rk, rv, rkey)
			{
				size_t l2 = cy_push(pc, rk);
				if (!strcmp(rk, "limits"))
					rc = get_resources(pc, rv, &d->limits, err);
				else if (!strcmp(rk, "reservations"))
					rc = get_resources(pc, rv, &d->reservations, err);
				else
					rc = cy_unknown(pc, rkey, err);
				if (rc < 0)
					return -1;
				cy_pop(pc, l2);
			}
		} else if (rc == 0) {
			size_t i = 0;
			while (i < sizeof(swarm) / sizeof(swarm[0]) && strcmp(k, swarm[i]))
				i++;
			if (i == sizeof(swarm) / sizeof(swarm[0]) && strncmp(k, "x-", 2))
				rc = cy_unknown(pc, key, err);
		}
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

static int get_ulimits(struct pctx *pc, struct fy_node *n, struct compose_ulimits *out,
		       struct mr_err *err)
{
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		struct compose_ulimit *u = compose_push(pc->c->a, &out->v, &out->n, sizeof(*u));
		u->name = compose_strdup(pc->c->a, k);
		if (v && fy_node_get_type(v) == FYNT_MAPPING) {
			int have = 0;
			FOR_EACH_PAIR(v, uk, uv, ukey)
			{
				size_t l2 = cy_push(pc, uk);
				int rc = !strcmp(uk, "soft")   ? cy_int(pc, uv, &u->soft, err)
					 : !strcmp(uk, "hard") ? cy_int(pc, uv, &u->hard, err)
							       : cy_unknown(pc, ukey, err);
				if (rc < 0)
					return -1;
				have++;
				cy_pop(pc, l2);
			}
			if (have != 2)
				return cy_fail(pc, v, err, "needs both soft and hard");
		} else {
			if (cy_int(pc, v, &u->soft, err) < 0)
				return -1;
			u->hard = u->soft;
		}
		cy_pop(pc, len);
	}
	return 0;
}

static int get_extends(struct pctx *pc, struct fy_node *n, struct compose_extends *e,
		       struct mr_err *err)
{
	memset(e, 0, sizeof(*e));
	if (fy_node_get_type(n) == FYNT_SCALAR)
		return cy_str(pc, n, &e->service, err);
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k);
		int rc = !strcmp(k, "service") ? cy_str(pc, v, &e->service, err)
			 : !strcmp(k, "file")  ? cy_str(pc, v, &e->file, err)
					       : cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	if (!e->service)
		return cy_fail(pc, n, err, "needs the service to extend");
	if (e->file)
		e->file = cy_path(pc, e->file);
	return 0;
}

static int get_env_files(struct pctx *pc, struct fy_node *n, struct compose_env_files *out,
			 struct mr_err *err)
{
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) == FYNT_MAPPING)
		return cy_fail(pc, n, err, "must be a path or a list");
	int one = fy_node_get_type(n) == FYNT_SCALAR;
	void *it = NULL;
	struct fy_node *item = one ? n : NULL;
	for (size_t i = 0; one ? i == 0 : (item = fy_node_sequence_iterate(n, &it)) != NULL; i++) {
		size_t len = one ? strlen(pc->path) : cy_push_index(pc, i);
		struct compose_env_file *e = compose_push(pc->c->a, &out->v, &out->n, sizeof(*e));
		e->required = 1;
		int rc = 0;
		if (fy_node_get_type(item) == FYNT_MAPPING) {
			FOR_EACH_PAIR(item, k, v, key)
			{
				size_t l2 = cy_push(pc, k);
				rc = !strcmp(k, "path")       ? cy_str(pc, v, &e->path, err)
				     : !strcmp(k, "required") ? cy_bool(pc, v, &e->required, err)
				     : !strcmp(k, "format")   ? 0
							      : cy_unknown(pc, key, err);
				if (rc < 0)
					return -1;
				cy_pop(pc, l2);
			}
		} else {
			rc = cy_str(pc, item, &e->path, err);
		}
		if (rc < 0)
			return -1;
		if (!e->path)
			return cy_fail(pc, item, err, "needs a path");
		e->path = cy_path(pc, e->path);
		cy_pop(pc, len);
	}
	return 0;
}

/* blkio_config: {weight, weight_device: [{path, weight}], device_read_bps: [{path, rate}],
 * ...}; a bps rate is an integer or a size ("12mb"), an iops rate an integer */
static int get_blkio_devs(struct pctx *pc, struct fy_node *n, const char *what, int bytes,
			  struct compose_blkio_devs *out, struct mr_err *err)
{
	memset(out, 0, sizeof(*out));
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cy_fail(pc, n, err, "must be a list of {path, %s}", what);
	void *it = NULL;
	struct fy_node *item;
	for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)) != NULL; i++) {
		size_t len = cy_push_index(pc, i);
		struct compose_blkio_dev *d = compose_push(pc->c->a, &out->v, &out->n, sizeof(*d));
		int have = 0;
		if (cy_need_map(pc, item, err) < 0)
			return -1;
		FOR_EACH_PAIR(item, k, v, key)
		{
			size_t l2 = cy_push(pc, k);
			int rc;
			if (!strcmp(k, "path"))
				rc = cy_str(pc, v, &d->path, err);
			else if (strcmp(k, what))
				rc = cy_unknown(pc, key, err);
			else /* a byte rate may be written as a size, the others are counts */
				rc = bytes ? cy_bytes(pc, v, &d->value, err)
					   : cy_int(pc, v, &d->value, err);
			if (rc < 0)
				return -1;
			have |= !strcmp(k, "path") ? 1 : 2;
			cy_pop(pc, l2);
		}
		if (have != 3)
			return cy_fail(pc, item, err, "needs both path and %s", what);
		cy_pop(pc, len);
	}
	return 0;
}

static int get_blkio(struct pctx *pc, struct fy_node *n, struct compose_blkio *b,
		     struct mr_err *err)
{
	static const struct {
		const char *name, *what;
		int bytes;
		size_t off;
	} lists[] = {
		{"weight_device", "weight", 0, offsetof(struct compose_blkio, weight_device)},
		{"device_read_bps", "rate", 1, offsetof(struct compose_blkio, device_read_bps)},
		{"device_write_bps", "rate", 1, offsetof(struct compose_blkio, device_write_bps)},
		{"device_read_iops", "rate", 0, offsetof(struct compose_blkio, device_read_iops)},
		{"device_write_iops", "rate", 0, offsetof(struct compose_blkio, device_write_iops)},
	};
	memset(b, 0, sizeof(*b));
	if (cy_is_null(n))
		return 0;
	if (cy_need_map(pc, n, err) < 0)
		return -1;
	FOR_EACH_PAIR(n, k, v, key)
	{
		size_t len = cy_push(pc, k), i = 0;
		while (i < sizeof(lists) / sizeof(lists[0]) && strcmp(k, lists[i].name))
			i++;
		int rc = !strcmp(k, "weight") ? cy_int(pc, v, &b->weight, err)
			 : i < sizeof(lists) / sizeof(lists[0])
				 ? get_blkio_devs(
					   pc, v, lists[i].what, lists[i].bytes,
					   (struct compose_blkio_devs *)((char *)b + lists[i].off),
					   err)
				 : cy_unknown(pc, key, err);
		if (rc < 0)
			return -1;
		cy_pop(pc, len);
	}
	return 0;
}

/* the integers the specification's schema bounds: 0, or -1 naming the range */
static int check_range(struct pctx *pc, size_t key, struct fy_node *v,
		       const struct compose_service *s, struct mr_err *err)
{
	static const struct {
		size_t key;
		long long min, max;
	} ranges[] = {
		{SVC_OOM_SCORE_ADJ, -1000, 1000},
		{SVC_CPU_PERCENT, 0, 100},
		{SVC_CPU_COUNT, 0, 1LL << 31},
		{SVC_MEM_SWAPPINESS, -1, 100}, /* -1: the kernel's default */
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (ranges[i].key != key)
			continue;
		long long got = *(const long long *)((const char *)s + compose_svc_keys[key].off);
		if (got < ranges[i].min || got > ranges[i].max)
			return cy_fail(pc, v, err, "%lld is out of range: it must be %lld to %lld",
				       got, ranges[i].min, ranges[i].max);
	}
	return 0;
}

/* the keys whose string is one of a few words: 0, or -1 naming them */
static int check_words(struct pctx *pc, size_t key, struct fy_node *v,
		       const struct compose_service *s, struct mr_err *err)
{
	static const struct {
		size_t key;
		const char *words[8];
	} enums[] = {
		{SVC_RESTART, {"no", "always", "unless-stopped", "on-failure"}},
		{SVC_PULL_POLICY,
		 {"always", "never", "missing", "build", "if_not_present", "daily", "weekly"}},
	};
	for (size_t i = 0; i < sizeof(enums) / sizeof(enums[0]); i++) {
		if (enums[i].key != key)
			continue;
		const char *got = *(char *const *)((const char *)s + compose_svc_keys[key].off);
		if (!got)
			return 0;
		size_t len = strcspn(got, ":"); /* on-failure:N */
		char list[160] = "";
		for (const char *const *w = enums[i].words; *w; w++) {
			if (strlen(*w) == len && !strncmp(got, *w, len) &&
			    (!got[len] || !strcmp(*w, "on-failure")))
				return 0;
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 w == enums[i].words ? "" : ", ", *w);
		}
		return cy_fail(pc, v, err, "\"%s\" is not one of %s", got, list);
	}
	return 0;
}

/* ---- a service --------------------------------------------------------------------------- */

static int parse_key(struct pctx *pc, const struct compose_svc_keydef *d, struct fy_node *v,
		     struct compose_service *s, struct mr_err *err)
{
	void *f = (char *)s + d->off;
	switch (d->kind) {
	case K_STR: return cy_str(pc, v, f, err);
	case K_BOOL: return cy_bool(pc, v, f, err);
	case K_INT: return cy_int(pc, v, f, err);
	case K_BYTES: return cy_bytes(pc, v, f, err);
	case K_SWAP: {
		char *raw;
		if (fy_node_get_type(v) == FYNT_SCALAR && cy_str(pc, v, &raw, err) == 0 && raw &&
		    !strcmp(raw, "-1"))
			return *(long long *)f = -1, 0;
		return cy_bytes(pc, v, f, err);
	}
	case K_DURATION: return cy_duration(pc, v, f, err);
	case K_STRV: return cy_strv(pc, v, 0, f, err);
	case K_STRV1: return cy_strv(pc, v, 1, f, err);
	case K_CMD: return get_cmd(pc, v, f, err);
	case K_KV: return cy_kvs(pc, v, "=", f, err);
	case K_HOSTS: return cy_kvs(pc, v, "=:", f, err);
	case K_PORTS: return cy_ports(pc, v, f, err);
	case K_MOUNTS: return cy_mounts(pc, v, f, err);
	case K_DEPS: return get_deps(pc, v, f, err);
	case K_NETS: return get_nets(pc, v, f, err);
	case K_HEALTH: return get_health(pc, v, f, err);
	case K_BUILD: return get_build(pc, v, f, err);
	case K_DEPLOY: return get_deploy(pc, v, f, err);
	case K_ULIMITS: return get_ulimits(pc, v, f, err);
	case K_EXTENDS: return get_extends(pc, v, f, err);
	case K_ENVFILES: return get_env_files(pc, v, f, err);
	case K_LOGGING: return get_logging(pc, v, f, err);
	case K_BLKIO: return get_blkio(pc, v, f, err);
	}
	return 0;
}

int cy_service(struct pctx *pc, const char *name, struct fy_node *n, struct compose_service *s,
	       struct mr_err *err)
{
	memset(s, 0, sizeof(*s));
	s->name = compose_strdup(pc->c->a, name);
	s->file = pc->c->file;
	s->line = cy_line(n);
	s->healthcheck.retries = s->deploy.replicas = -1;
	if (cy_is_null(n))
		return 0;
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cy_fail(pc, n, err, "a service must be a mapping");
	FOR_EACH_PAIR(n, k, v, key)
	{
		if (!strncmp(k, "x-", 2))
			continue;
		size_t len = cy_push(pc, k);
		size_t i = 0;
		while (i < SVC_NKEYS && strcmp(compose_svc_keys[i].name, k))
			i++;
		if (i == SVC_NKEYS)
			return cy_unknown(pc, key, err);
		int tag = cy_tag(pc, v, err);
		if (tag < 0)
			return -1;
		s->set |= SVC_BIT(i);
		if (tag == TAG_RESET) /* the value does not matter: the key is taken away */
			s->reset |= SVC_BIT(i);
		else if (parse_key(pc, &compose_svc_keys[i], v, s, err) < 0 ||
			 check_words(pc, i, v, s, err) < 0 || check_range(pc, i, v, s, err) < 0)
			return -1;
		for (size_t f = 0; i == SVC_LABEL_FILE && f < s->label_file.n; f++)
			s->label_file.v[f] = cy_path(pc, s->label_file.v[f]);
		if (tag == TAG_OVERRIDE)
			s->override |= SVC_BIT(i);
		cy_pop(pc, len);
	}
	return 0;
}
