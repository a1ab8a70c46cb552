/*
 * minirun/compose/emit.c - the model printed back, as `docker compose config` shows it.
 *
 * compose_to_json() turns the typed project into the shape docker compose v2 prints
 * (long syntax everywhere: ports and volumes as mappings, depends_on with its condition,
 * every service on its networks, the real names of networks and volumes), so that what a
 * merge and an interpolation made can be read, and compared with docker's; JSON for
 * `--format json`, and compose_print_yaml() for the default YAML.
 *
 * See: https://docs.docker.com/reference/cli/docker/compose/config/
 */
#include "minirun/compose/parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static json_t *strv_json(const struct compose_strv *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}

static json_t *kvs_json(const struct compose_kvs *kvs)
{
	json_t *o = json_object();
	for (size_t i = 0; i < kvs->n; i++)
		json_object_set_new(o, kvs->v[i].key,
				    kvs->v[i].value ? json_string(kvs->v[i].value) : json_null());
	return o;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static json_t *ports_json(const struct compose_ports *ports)
{
	json_t *a = json_array();
	for (size_t i = 0; i < ports->n; i++) {
		const struct compose_port *p = &ports->v[i];
		json_t *o = json_object();
		set_str(o, "name", p->name);
		set_str(o, "mode", p->mode);
		set_str(o, "host_ip", p->host_ip);
		json_object_set_new(o, "target", json_integer(p->target));
		set_str(o, "published", p->published);
		set_str(o, "protocol", p->protocol);
		set_str(o, "app_protocol", p->app_protocol);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *mounts_json(const struct compose_mounts *mounts)
{
	static const char *const types[] = {"volume", "bind", "tmpfs"};
	json_t *a = json_array();
	for (size_t i = 0; i < mounts->n; i++) {
		const struct compose_mount *m = &mounts->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "type", json_string(types[m->type]));
		set_str(o, "source", m->source);
		json_object_set_new(o, "target", json_string(m->target));
		if (m->read_only)
			json_object_set_new(o, "read_only", json_true());
		json_t *sub = json_object();
		if (m->type == COMPOSE_MOUNT_BIND) {
			set_str(sub, "propagation", m->propagation);
			if (m->create_host_path)
				json_object_set_new(sub, "create_host_path", json_true());
			json_object_set_new(o, "bind", sub);
		} else if (m->type == COMPOSE_MOUNT_VOLUME) {
			if (m->nocopy)
				json_object_set_new(sub, "nocopy", json_true());
			json_object_set_new(o, "volume", sub);
		} else {
			if (m->tmpfs_size)
				json_object_set_new(sub, "size", json_integer(m->tmpfs_size));
			json_object_set_new(o, "tmpfs", sub);
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *deps_json(const struct compose_deps *deps)
{
	static const char *const conds[] = {"service_started", "service_healthy",
					    "service_completed_successfully"};
	json_t *o = json_object();
	for (size_t i = 0; i < deps->n; i++) {
		const struct compose_dep *d = &deps->v[i];
		json_t *e = json_object();
		json_object_set_new(e, "condition", json_string(conds[d->condition]));
		if (d->restart)
			json_object_set_new(e, "restart", json_true());
		json_object_set_new(e, "required", json_boolean(d->required));
		json_object_set_new(o, d->service, e);
	}
	return o;
}

static json_t *nets_json(const struct compose_svc_nets *nets)
{
	json_t *o = json_object();
	for (size_t i = 0; i < nets->n; i++) {
		const struct compose_svc_net *n = &nets->v[i];
		json_t *e = json_null();
		if (n->aliases.n || n->ipv4_address) {
			e = json_object();
			if (n->aliases.n)
				json_object_set_new(e, "aliases", strv_json(&n->aliases));
			set_str(e, "ipv4_address", n->ipv4_address);
		}
		json_object_set_new(o, n->name, e);
	}
	return o;
}

static json_t *health_json(const struct compose_health *h)
{
	json_t *o = json_object();
	if (h->test.n)
		json_object_set_new(o, "test", strv_json(&h->test));
	set_str(o, "timeout", h->timeout);
	set_str(o, "interval", h->interval);
	if (h->retries >= 0)
		json_object_set_new(o, "retries", json_integer(h->retries));
	set_str(o, "start_period", h->start_period);
	set_str(o, "start_interval", h->start_interval);
	if (h->disable)
		json_object_set_new(o, "disable", json_true());
	return o;
}

static json_t *resources_json(const struct compose_resources *r)
{
	json_t *o = json_object();
	if (r->cpus) {
		char *end;
		double v = strtod(r->cpus, &end);
		json_object_set_new(o, "cpus", *end ? json_string(r->cpus) : json_real(v));
	}
	if (r->memory)
		json_object_set_new(o, "memory", json_sprintf("%lld", r->memory));
	if (r->pids)
		json_object_set_new(o, "pids", json_integer(r->pids));
	return o;
}

static json_t *deploy_json(const struct compose_deploy *d)
{
	json_t *o = json_object(), *res = json_object();
	if (d->replicas >= 0)
		json_object_set_new(o, "replicas", json_integer(d->replicas));
	json_t *l = resources_json(&d->limits), *r = resources_json(&d->reservations);
	if (json_object_size(l))
		json_object_set(res, "limits", l);
	if (json_object_size(r))
		json_object_set(res, "reservations", r);
	json_decref(l);
	json_decref(r);
	if (json_object_size(res))
		json_object_set(o, "resources", res);
	json_decref(res);
	return o;
}

/* blkio_config as written: the weight, each device list as [{path, weight|rate}] */
static json_t *blkio_json(const struct compose_blkio *b)
{
	static const struct {
		const char *name, *what;
		size_t off;
	} lists[] = {
		{"weight_device", "weight", offsetof(struct compose_blkio, weight_device)},
		{"device_read_bps", "rate", offsetof(struct compose_blkio, device_read_bps)},
		{"device_write_bps", "rate", offsetof(struct compose_blkio, device_write_bps)},
		{"device_read_iops", "rate", offsetof(struct compose_blkio, device_read_iops)},
		{"device_write_iops", "rate", offsetof(struct compose_blkio, device_write_iops)},
	};
	json_t *o = json_object();
	if (b->weight)
		json_object_set_new(o, "weight", json_integer(b->weight));
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		const struct compose_blkio_devs *l =
			(const struct compose_blkio_devs *)((const char *)b + lists[i].off);
		if (!l->n)
			continue;
		json_t *a = json_array();
		for (size_t k = 0; k < l->n; k++)
			json_array_append_new(a, json_pack("{sssI}", "path", l->v[k].path,
							   lists[i].what, l->v[k].value));
		json_object_set_new(o, lists[i].name, a);
	}
	return o;
}

static json_t *key_json(const struct compose_svc_keydef *d, const void *f)
{
	switch (d->kind) {
	case K_STR:
	case K_DURATION: return *(char *const *)f ? json_string(*(char *const *)f) : NULL;
	case K_BOOL: return json_boolean(*(const int *)f);
	case K_INT: return json_integer(*(const long long *)f);
	case K_BYTES:
	case K_SWAP: return json_sprintf("%lld", *(const long long *)f);
	case K_STRV:
	case K_STRV1:
	case K_CMD: return strv_json(f);
	case K_KV: return kvs_json(f);
	case K_HOSTS: {
		const struct compose_kvs *kvs = f;
		json_t *a = json_array();
		for (size_t i = 0; i < kvs->n; i++)
			json_array_append_new(a,
					      json_sprintf("%s=%s", kvs->v[i].key,
							   kvs->v[i].value ? kvs->v[i].value : ""));
		return a;
	}
	case K_PORTS: return ports_json(f);
	case K_MOUNTS: return mounts_json(f);
	case K_DEPS: return deps_json(f);
	case K_NETS: return nets_json(f);
	case K_HEALTH: return health_json(f);
	case K_BUILD: {
		const struct compose_build *b = f;
		json_t *o = json_object();
		set_str(o, "context", b->context);
		json_object_set_new(o, "dockerfile",
				    json_string(b->dockerfile ? b->dockerfile : "Dockerfile"));
		set_str(o, "target", b->target);
		if (b->args.n)
			json_object_set_new(o, "args", kvs_json(&b->args));
		return o;
	}
	case K_DEPLOY: return deploy_json(f);
	case K_BLKIO: return blkio_json(f);
	case K_ULIMITS: {
		const struct compose_ulimits *u = f;
		json_t *o = json_object();
		for (size_t i = 0; i < u->n; i++)
			json_object_set_new(o, u->v[i].name,
					    u->v[i].soft == u->v[i].hard
						    ? json_integer(u->v[i].soft)
						    : json_pack("{sIsI}", "soft", u->v[i].soft,
								"hard", u->v[i].hard));
		return o;
	}
	case K_LOGGING: {
		const struct compose_logging *l = f;
		json_t *o = json_object();
		set_str(o, "driver", l->driver);
		if (l->options.n)
			json_object_set_new(o, "options", kvs_json(&l->options));
		return o;
	}
	case K_EXTENDS:
	case K_ENVFILES: return NULL; /* resolved by the load */
	}
	return NULL;
}

static json_t *service_json(const struct compose_service *s)
{
	json_t *o = json_object();
	for (size_t i = 0; i < SVC_NKEYS; i++) {
		const struct compose_svc_keydef *d = &compose_svc_keys[i];
		/* networks are always shown: the load gave every service one (but a
		 * network_mode) */
		if (!(s->set & SVC_BIT(i)) && (i != SVC_NETWORKS || !s->networks.n))
			continue;
		json_t *v = key_json(d, (const char *)s + d->off);
		if (v)
			json_object_set_new(o, d->name, v);
	}
	return o;
}

json_t *compose_to_json(const struct compose_project *p)
{
	json_t *root = json_object(), *svcs = json_object();
	json_object_set_new(root, "name", json_string(p->name));
	for (size_t i = 0; i < p->nservices; i++)
		json_object_set_new(svcs, p->services[i].name, service_json(&p->services[i]));
	json_object_set_new(root, "services", svcs);
	if (p->nnetworks) {
		json_t *nets = json_object();
		for (size_t i = 0; i < p->nnetworks; i++) {
			const struct compose_network *n = &p->networks[i];
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(n->name));
			set_str(o, "driver", n->driver);
			if (n->external)
				json_object_set_new(o, "external", json_true());
			if (n->internal)
				json_object_set_new(o, "internal", json_true());
			if (n->labels.n)
				json_object_set_new(o, "labels", kvs_json(&n->labels));
			json_object_set_new(nets, n->key, o);
		}
		json_object_set_new(root, "networks", nets);
	}
	if (p->nvolumes) {
		json_t *vols = json_object();
		for (size_t i = 0; i < p->nvolumes; i++) {
			const struct compose_volume *v = &p->volumes[i];
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(v->name));
			set_str(o, "driver", v->driver);
			if (v->external)
				json_object_set_new(o, "external", json_true());
			if (v->labels.n)
				json_object_set_new(o, "labels", kvs_json(&v->labels));
			json_object_set_new(vols, v->key, o);
		}
		json_object_set_new(root, "volumes", vols);
	}
	return root;
}

void compose_escape_dollars(json_t *j)
{
	if (json_is_string(j) && strchr(json_string_value(j), '$')) {
		const char *s = json_string_value(j);
		char *out = malloc(2 * strlen(s) + 1), *o = out;
		if (!out)
			return;
		for (; *s; s++)
			if ((*o++ = *s) == '$')
				*o++ = '$';
		*o = '\0';
		json_string_set(j, out);
		free(out);
	} else if (json_is_object(j)) {
		const char *key;
		json_t *v;
		json_object_foreach(j, key, v)
		{
			compose_escape_dollars(v);
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			compose_escape_dollars(v);
		}
	}
}

/* ---- YAML ---------------------------------------------------------------------------- */

/* Would a YAML reader take S for something other than this string (a number, a boolean,
 * null, a mapping ...)? Then it is printed "quoted". */
static int needs_quotes(const char *s)
{
	/* YAML 1.2's booleans and null, and 1.1's, which older readers still take */
	static const char *const words[] = {"true", "false", "yes", "no", "on", "off", "null", "~"};
	if (!*s || isspace((unsigned char)s[0]) || isspace((unsigned char)s[strlen(s) - 1]))
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(s, words[i]))
			return 1;
	char *end;
	(void)strtod(s, &end);
	if (!*end)
		return 1; /* a number */
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || (c[0] == ':' && (c[1] == ' ' || !c[1])) ||
		    (c[0] == ' ' && c[1] == '#'))
			return 1;
	return 0;
}

static void print_scalar(FILE *out, const json_t *j)
{
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		if (!needs_quotes(s)) {
			fputs(s, out);
			return;
		}
	}
	char *text = json_dumps(j, JSON_ENCODE_ANY);
	fputs(text ? text : "null", out);
	free(text);
}

static int is_empty_collection(const json_t *j)
{
	return (json_is_object(j) && !json_object_size(j)) ||
	       (json_is_array(j) && !json_array_size(j));
}

/* J at INDENT; FIRST: the first line's indentation was already printed (a list's "- ") */
static void print_node(FILE *out, const json_t *j, int indent, int first)
{
	if (json_is_object(j)) {
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)j, key, v)
		{
			if (!first)
				fprintf(out, "%*s", indent, "");
			first = 0;
			json_t *k = json_string(key);
			print_scalar(out, k);
			json_decref(k);
			fputc(':', out);
			if (is_empty_collection(v)) {
				fputs(json_is_object(v) ? " {}\n" : " []\n", out);
			} else if (json_is_object(v) || json_is_array(v)) {
				fputc('\n', out);
				print_node(out, v, indent + 2, 0);
			} else {
				fputc(' ', out);
				print_scalar(out, v);
				fputc('\n', out);
			}
		}
		return;
	}
	if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			if (!first)
				fprintf(out, "%*s", indent, "");
			first = 0;
			fputs("- ", out);
			if (is_empty_collection(v)) {
				fputs(json_is_object(v) ? "{}\n" : "[]\n", out);
			} else if (json_is_object(v) || json_is_array(v)) {
				print_node(out, v, indent + 2, 1);
			} else {
				print_scalar(out, v);
				fputc('\n', out);
			}
		}
		return;
	}
	print_scalar(out, j);
	fputc('\n', out);
}

void compose_print_yaml(FILE *out, const json_t *j)
{
	print_node(out, j, 0, 0);
}
