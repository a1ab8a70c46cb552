/*
 * minirun/containers/record_fields.c - the typed container record's own handling: adding
 * and finding mounts, ports, network endpoints, health results and key/value lists, setting
 * strings, freeing it all. No JSON here: record_json.c (and record_json_host.c) turn struct
 * container_record into container.json and back.
 *
 * See: containers.h (struct container_record and its contract); record_json.c.
 */
#include "minirun/containers/containers.h"

#include <stdlib.h>
#include <string.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

void container_record_set_str(char **dst, const char *src)
{
	char *copy = src ? strdup(src) : NULL;
	free(*dst);
	*dst = copy;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int container_record_add_mount(struct container_record *r, const struct container_mount *m)
{
	struct container_mount *v = realloc(r->mounts, (r->nmounts + 1) * sizeof(*v));
	if (!v)
		return -1;
	r->mounts = v;
	struct container_mount *c = &v[r->nmounts];
	*c = (struct container_mount){.rw = m->rw};
	const char *from[] = {m->type,   m->name, m->source,     m->destination,
			      m->driver, m->mode, m->propagation};
	char **to[] = {&c->type,   &c->name, &c->source,     &c->destination,
		       &c->driver, &c->mode, &c->propagation};
	for (size_t i = 0; i < NELEMS(from); i++)
		if (from[i] && !(*to[i] = strdup(from[i]))) {
			r->nmounts++;
			return -1;
		}
	r->nmounts++;
	r->has_mounts = true;
	return 0;
}

/* the entry KEY of the ports V[0..N), or NULL */
static struct container_port *port_in(struct container_port *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return &v[i];
	return NULL;
}

/* KEY in the ports *V (*N of them): exposed only when HOST_IP is NULL, else published on
 * HOST_IP:HOST_PORT (a binding added to the entry KEY has); -1 on ENOMEM */
static int port_add(struct container_port **v, size_t *n, const char *key, const char *host_ip,
		    const char *host_port)
{
	struct container_port *p = port_in(*v, *n, key);
	if (!p) {
		struct container_port *nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			return -1;
		*v = nv;
		p = &nv[*n];
		*p = (struct container_port){.key = strdup(key)};
		if (!p->key)
			return -1;
		++*n;
	}
	if (!host_ip)
		return 0;
	struct container_port_binding *b = realloc(p->bindings, (p->nbindings + 1) * sizeof(*b));
	if (!b)
		return -1;
	p->bindings = b;
	p->published = true;
	b[p->nbindings] = (struct container_port_binding){strdup(host_ip), strdup(host_port)};
	p->nbindings++;
	return b[p->nbindings - 1].host_ip && b[p->nbindings - 1].host_port ? 0 : -1;
}

static void ports_free(struct container_port *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nbindings; k++) {
			free(v[i].bindings[k].host_ip);
			free(v[i].bindings[k].host_port);
		}
		free(v[i].bindings);
		free(v[i].key);
	}
	free(v);
}

const struct container_port *container_record_port(const struct container_record *r,
						   const char *key)
{
	return port_in(r->ports, r->nports, key);
}

int container_record_add_port(struct container_record *r, const char *key, const char *host_ip,
			      const char *host_port)
{
	r->has_ports = r->net.present = true; /* written into NetworkSettings, made if missing */
	return port_add(&r->ports, &r->nports, key, host_ip, host_port);
}

void container_record_clear_ports(struct container_record *r)
{
	ports_free(r->ports, r->nports);
	r->ports = NULL;
	r->nports = 0;
	r->has_ports = true;
}

const struct container_port *container_record_binding(const struct container_record *r,
						      const char *key)
{
	return port_in(r->host.port_bindings, r->host.nport_bindings, key);
}

int container_record_add_binding(struct container_record *r, const char *key, const char *host_ip,
				 const char *host_port)
{
	r->host.has_port_bindings = true;
	return port_add(&r->host.port_bindings, &r->host.nport_bindings, key, host_ip, host_port);
}

const struct container_network *container_record_network(const struct container_record *r,
							 const char *name)
{
	for (size_t i = 0; i < r->nnetworks; i++)
		if (!strcmp(r->networks[i].name, name))
			return &r->networks[i];
	return NULL;
}

int container_record_set_strv(char ***dst, const char *const *src, size_t n)
{
	/* copied before the old one goes: SRC may point into it */
	char **v = src ? calloc(n + 1, sizeof(*v)) : NULL;
	for (size_t i = 0; v && i < n; i++)
		if (!(v[i] = strdup(src[i]))) {
			strv_free(v);
			v = NULL;
		}
	strv_free(*dst);
	*dst = v;
	return src && !v ? -1 : 0;
}

int container_record_strv_add(char ***v, const char *s)
{
	size_t n = 0;
	while (*v && (*v)[n])
		n++;
	char **nv = realloc(*v, (n + 2) * sizeof(*nv));
	if (!nv)
		return -1;
	*v = nv;
	nv[n + 1] = NULL;
	return (nv[n] = strdup(s)) ? 0 : -1;
}

int container_record_add_volume(struct container_record *r, const char *path)
{
	for (size_t i = 0; r->config.volumes && r->config.volumes[i]; i++)
		if (!strcmp(r->config.volumes[i], path))
			return 0;
	return container_record_strv_add(&r->config.volumes, path);
}

static void network_free(struct container_network *n)
{
	free(n->name);
	free(n->ipam_ipv4);
	strv_free(n->aliases);
	free(n->network_id);
	free(n->ip_address);
	free(n->gateway);
	free(n->mac_address);
	strv_free(n->dns_names);
}

struct container_network *container_record_endpoint(struct container_record *r, const char *name,
						    bool make, enum container_endpoint_kind kind)
{
	struct container_network *n = (struct container_network *)container_record_network(r, name);
	if (n || !make)
		return n;
	struct container_network *v = realloc(r->networks, (r->nnetworks + 1) * sizeof(*v));
	if (!v)
		return NULL;
	r->networks = v;
	n = &v[r->nnetworks];
	*n = (struct container_network){.kind = kind,
					.name = strdup(name),
					.network_id = strdup(""),
					.ip_address = strdup(""),
					.gateway = strdup(""),
					.mac_address = strdup("")};
	if (!n->name || !n->network_id || !n->ip_address || !n->gateway || !n->mac_address) {
		network_free(n);
		return NULL;
	}
	r->nnetworks++;
	r->net.has_networks = r->net.present = true;
	return n;
}

void container_record_drop_network(struct container_record *r, const char *name)
{
	for (size_t i = 0; i < r->nnetworks; i++)
		if (!strcmp(r->networks[i].name, name)) {
			network_free(&r->networks[i]);
			memmove(&r->networks[i], &r->networks[i + 1],
				(r->nnetworks - i - 1) * sizeof(*r->networks));
			r->nnetworks--;
			return;
		}
}

/* *V (*N entries of SIZE bytes) grown by one zeroed entry, whose address is returned (*N
 * counts it); NULL on ENOMEM, *V and *N as they were */
static void *grow(void *v, size_t *n, size_t size)
{
	char *nv = realloc(*(void **)v, (*n + 1) * size);
	if (!nv)
		return NULL;
	*(void **)v = nv;
	memset(nv + *n * size, 0, size);
	return nv + (*n)++ * size;
}

int container_record_add_ulimit(struct container_record *r, const char *name, long long hard,
				long long soft)
{
	struct container_host_ulimit *u = grow(&r->host.ulimits, &r->host.nulimits, sizeof(*u));
	r->host.has_ulimits = true;
	if (!u)
		return -1;
	*u = (struct container_host_ulimit){strdup(name), hard, soft};
	return u->name ? 0 : -1;
}

int container_record_add_device(struct container_record *r, const char *on_host,
				const char *in_container, const char *perms)
{
	struct container_host_device *d = grow(&r->host.devices, &r->host.ndevices, sizeof(*d));
	r->host.has_devices = true;
	if (!d)
		return -1;
	*d = (struct container_host_device){strdup(on_host), strdup(in_container), strdup(perms)};
	return d->path_on_host && d->path_in_container && d->cgroup_permissions ? 0 : -1;
}

int container_record_add_throttle(struct container_record *r, enum container_throttle_kind kind,
				  const char *path, long long rate)
{
	struct container_throttles *l = &r->host.throttles[kind];
	struct container_throttle *t = grow(&l->v, &l->n, sizeof(*t));
	l->present = true;
	if (!t)
		return -1;
	*t = (struct container_throttle){strdup(path), rate};
	return t->path ? 0 : -1;
}

int container_record_add_mount_spec(struct container_record *r,
				    const struct container_mount_spec *m)
{
	struct container_mount_spec *c =
		grow(&r->host.mount_specs, &r->host.nmount_specs, sizeof(*c));
	r->host.has_mount_specs = true;
	if (!c)
		return -1;
	*c = (struct container_mount_spec){strdup(m->type), strdup(m->source), strdup(m->target),
					   m->read_only};
	return c->type && c->source && c->target ? 0 : -1;
}

/* R's HostConfig lists of objects (Ulimits, Devices, the throttles, Mounts) */
static void host_lists_free(struct container_record *r)
{
	for (size_t i = 0; i < r->host.nulimits; i++)
		free(r->host.ulimits[i].name);
	free(r->host.ulimits);
	for (size_t i = 0; i < r->host.ndevices; i++) {
		free(r->host.devices[i].path_on_host);
		free(r->host.devices[i].path_in_container);
		free(r->host.devices[i].cgroup_permissions);
	}
	free(r->host.devices);
	for (size_t k = 0; k < CONTAINER_THROTTLES; k++) {
		for (size_t i = 0; i < r->host.throttles[k].n; i++)
			free(r->host.throttles[k].v[i].path);
		free(r->host.throttles[k].v);
	}
	for (size_t i = 0; i < r->host.nmount_specs; i++) {
		free(r->host.mount_specs[i].type);
		free(r->host.mount_specs[i].source);
		free(r->host.mount_specs[i].target);
	}
	free(r->host.mount_specs);
}

int container_kvs_add(struct container_kvs *l, const char *key, const char *value)
{
	struct container_label *v = realloc(l->kv, (l->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	l->kv = v;
	l->present = true;
	v[l->n] = (struct container_label){strdup(key), strdup(value)};
	l->n++;
	return v[l->n - 1].key && v[l->n - 1].value ? 0 : -1;
}

void container_kvs_free(struct container_kvs *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->kv[i].key);
		free(l->kv[i].value);
	}
	free(l->kv);
	*l = (struct container_kvs){0};
}

static void health_result_free(struct container_health_result *h)
{
	free(h->start);
	free(h->end);
	free(h->output);
}

int container_record_add_health(struct container_record *r, const struct container_health_result *h)
{
	struct container_health_result c = {strdup(h->start ? h->start : ""),
					    strdup(h->end ? h->end : ""), h->exit_code,
					    strdup(h->output ? h->output : "")};
	if (!c.start || !c.end || !c.output) {
		health_result_free(&c);
		return -1;
	}
	if (r->state.nhealth_log >= CONTAINER_HEALTH_LOG_MAX) { /* the oldest goes */
		health_result_free(&r->state.health_log[0]);
		memmove(&r->state.health_log[0], &r->state.health_log[1],
			--r->state.nhealth_log * sizeof(*r->state.health_log));
	}
	struct container_health_result *v =
		realloc(r->state.health_log, (r->state.nhealth_log + 1) * sizeof(*v));
	if (!v) {
		health_result_free(&c);
		return -1;
	}
	r->state.health_log = v;
	v[r->state.nhealth_log++] = c;
	return 0;
}

static void dns_free(struct container_dns *d)
{
	strv_free(d->servers);
	strv_free(d->search);
	strv_free(d->options);
	strv_free(d->extra_hosts);
}

const char *container_label(const struct container_record *r, const char *key)
{
	for (size_t i = 0; i < r->config.nlabels; i++)
		if (!strcmp(r->config.labels[i].key, key))
			return r->config.labels[i].value;
	return NULL;
}

void container_record_set_state(struct container_record *r, enum container_state s)
{
	r->state.present = true;
	r->state.status = s;
	r->state.dead = false;
}

void container_record_free(struct container_record *r)
{
	free(r->id);
	free(r->name);
	free(r->created);
	free(r->path);
	strv_free(r->args);
	free(r->image);
	free(r->resolv_conf_path);
	free(r->hostname_path);
	free(r->hosts_path);
	free(r->log_path);
	free(r->state.error);
	free(r->state.started_at);
	free(r->state.finished_at);
	for (size_t i = 0; i < r->state.nhealth_log; i++)
		health_result_free(&r->state.health_log[i]);
	free(r->state.health_log);
	free(r->config.hostname);
	free(r->config.domainname);
	free(r->config.user);
	strv_free(r->config.env);
	strv_free(r->config.cmd);
	strv_free(r->config.entrypoint);
	strv_free(r->config.shell);
	strv_free(r->config.healthcheck.test);
	free(r->config.image);
	free(r->config.working_dir);
	free(r->config.stop_signal);
	free(r->config.mac_address);
	for (size_t i = 0; i < r->config.nlabels; i++) {
		free(r->config.labels[i].key);
		free(r->config.labels[i].value);
	}
	free(r->config.labels);
	strv_free(r->config.exposed_ports);
	strv_free(r->config.volumes);
	free(r->host.network_mode);
	free(r->host.pid_mode);
	free(r->host.ipc_mode);
	free(r->host.uts_mode);
	free(r->host.log_type);
	container_kvs_free(&r->host.log_opts);
	dns_free(&r->host.dns);
	container_kvs_free(&r->host.tmpfs);
	ports_free(r->host.port_bindings, r->host.nport_bindings);
	free(r->host.limits.cpuset_cpus);
	free(r->host.limits.cpuset_mems);
	strv_free(r->host.binds);
	free(r->host.container_id_file);
	strv_free(r->host.volumes_from);
	strv_free(r->host.cap_add);
	strv_free(r->host.cap_drop);
	strv_free(r->host.security_opt);
	strv_free(r->host.group_add);
	free(r->host.cgroupns_mode);
	free(r->host.userns_mode);
	strv_free(r->host.masked_paths);
	strv_free(r->host.readonly_paths);
	container_kvs_free(&r->host.sysctls);
	host_lists_free(r);
	free(r->mr.step);
	free(r->mr.broken);
	free(r->mr.image_ref);
	free(r->mr.detach_keys);
	strv_free(r->mr.lower_dirs);
	for (size_t i = 0; i < r->mr.noci_mounts; i++) {
		struct container_oci_mount *m = &r->mr.oci_mounts[i];
		free(m->destination);
		free(m->type);
		free(m->source);
		strv_free(m->options);
	}
	free(r->mr.oci_mounts);
	free(r->mr.seccomp);
	free(r->mr.platform);
	free(r->upper_dir);
	free(r->work_dir);
	free(r->merged_dir);
	free(r->lower_dir);
	for (size_t i = 0; i < r->nmounts; i++) {
		struct container_mount *m = &r->mounts[i];
		free(m->type);
		free(m->name);
		free(m->source);
		free(m->destination);
		free(m->driver);
		free(m->mode);
		free(m->propagation);
	}
	free(r->mounts);
	container_record_clear_ports(r);
	for (size_t i = 0; i < r->nnetworks; i++)
		network_free(&r->networks[i]);
	free(r->networks);
	free(r->net.ip_address);
	free(r->net.gateway);
	free(r->net.mac_address);
	free(r->net.sandbox_key);
	memset(r, 0, sizeof(*r));
	r->config.stop_timeout = -1;
	r->host.limits.memory_swappiness = -1;
}
