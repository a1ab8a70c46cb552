/*
 * minirun/compose/merge.c - several compose files into one model, and `extends`.
 *
 * The specification's merge rules, applied key by key (the kinds of service.c's table):
 *
 *	a scalar (image, user, restart ...)         the later file's value
 *	command, entrypoint, healthcheck.test       replaced, never appended
 *	a list (cap_add, dns, expose, profiles ...) appended (a value already there is kept once)
 *	environment, labels, extra_hosts, sysctls   merged by key
 *	ports                                       merged by ip:published:target/protocol
 *	volumes                                     merged by target (the later one wins)
 *	depends_on, networks, ulimits, env_file     merged by name (or path)
 *	build, deploy, healthcheck, blkio_config    merged field by field (blkio_config's
 *	                                            device lists by path)
 *
 * and two YAML tags in the later file: `!reset` takes the key away altogether,
 * `!override` replaces the value instead of merging it.
 *
 * `extends: {service: S, file: F}` starts a service from S (of F, or of the same file) and
 * merges the service over it by the same rules.
 *
 * See: https://docs.docker.com/reference/compose-file/merge/,
 *      https://docs.docker.com/compose/how-tos/multiple-compose-files/extends/
 */
#include "minirun/compose/parse.h"

#include <string.h>

static void strv_append(struct compose_arena *a, struct compose_strv *base,
			const struct compose_strv *over)
{
	for (size_t i = 0; i < over->n; i++) {
		size_t k = 0;
		while (k < base->n && strcmp(base->v[k], over->v[i]))
			k++;
		if (k == base->n)
			*(char **)compose_push(a, &base->v, &base->n, sizeof(char *)) = over->v[i];
	}
}

static void kvs_merge(struct compose_arena *a, struct compose_kvs *base,
		      const struct compose_kvs *over)
{
	for (size_t i = 0; i < over->n; i++)
		compose_kv_set(a, base, over->v[i].key, over->v[i].value);
}

/* Merge the array OVER into BASE, an element of OVER replacing the element of BASE with
 * the same key (KEY gives an element's), the others appended. */
static void merge_by_key(struct compose_arena *a, void *base_v, size_t *base_n, const void *over_v,
			 size_t over_n, size_t size,
			 const char *(*key)(struct compose_arena *, const void *))
{
	for (size_t i = 0; i < over_n; i++) {
		const char *o = (const char *)over_v + i * size;
		const char *ok = key(a, o);
		size_t k = 0;
		char *arr = *(char **)base_v;
		while (k < *base_n && strcmp(key(a, arr + k * size), ok))
			k++;
		void *slot = k < *base_n ? arr + k * size : compose_push(a, base_v, base_n, size);
		memcpy(slot, o, size);
	}
}

static const char *key_port(struct compose_arena *a, const void *p)
{
	return cy_port_key(a, p);
}
static const char *key_mount(struct compose_arena *a, const void *m)
{
	(void)a;
	return ((const struct compose_mount *)m)->target;
}
static const char *key_dep(struct compose_arena *a, const void *d)
{
	(void)a;
	return ((const struct compose_dep *)d)->service;
}
static const char *key_net(struct compose_arena *a, const void *n)
{
	(void)a;
	return ((const struct compose_svc_net *)n)->name;
}
static const char *key_env_file(struct compose_arena *a, const void *e)
{
	(void)a;
	return ((const struct compose_env_file *)e)->path;
}
static const char *key_blkio(struct compose_arena *a, const void *d)
{
	(void)a;
	return ((const struct compose_blkio_dev *)d)->path;
}
static const char *key_ulimit(struct compose_arena *a, const void *u)
{
	(void)a;
	return ((const struct compose_ulimit *)u)->name;
}

#define SET_IF(field)                                                                              \
	do {                                                                                       \
		if (o->field)                                                                      \
			b->field = o->field;                                                       \
	} while (0)

static void merge_health(struct compose_health *b, const struct compose_health *o)
{
	if (o->test.n)
		b->test = o->test;
	SET_IF(interval);
	SET_IF(timeout);
	SET_IF(start_period);
	SET_IF(start_interval);
	SET_IF(disable);
	if (o->retries >= 0)
		b->retries = o->retries;
}

static void merge_resources(struct compose_resources *b, const struct compose_resources *o)
{
	SET_IF(cpus);
	SET_IF(memory);
	SET_IF(pids);
}

/* blkio_config: the weight replaced, each device list merged by path */
static void merge_blkio(struct compose_arena *a, struct compose_blkio *b,
			const struct compose_blkio *o)
{
	struct compose_blkio_devs *bl[] = {&b->weight_device, &b->device_read_bps,
					   &b->device_write_bps, &b->device_read_iops,
					   &b->device_write_iops};
	const struct compose_blkio_devs *ol[] = {&o->weight_device, &o->device_read_bps,
						 &o->device_write_bps, &o->device_read_iops,
						 &o->device_write_iops};
	SET_IF(weight);
	for (size_t i = 0; i < sizeof(bl) / sizeof(bl[0]); i++)
		merge_by_key(a, &bl[i]->v, &bl[i]->n, ol[i]->v, ol[i]->n, sizeof(*ol[i]->v),
			     key_blkio);
}

static size_t kind_size(enum svc_kind k);

/* merge one key that both services set; a scalar, command, entrypoint or extends is
 * simply replaced */
static void merge_key(struct compose_arena *a, const struct compose_svc_keydef *d, void *bf,
		      const void *of)
{
	switch (d->kind) {
	case K_STRV:
	case K_STRV1: strv_append(a, bf, of); return;
	case K_KV:
	case K_HOSTS: kvs_merge(a, bf, of); return;
	case K_PORTS: {
		struct compose_ports *b = bf;
		const struct compose_ports *o = of;
		merge_by_key(a, &b->v, &b->n, o->v, o->n, sizeof(*o->v), key_port);
		return;
	}
	case K_MOUNTS: {
		struct compose_mounts *b = bf;
		const struct compose_mounts *o = of;
		merge_by_key(a, &b->v, &b->n, o->v, o->n, sizeof(*o->v), key_mount);
		return;
	}
	case K_DEPS: {
		struct compose_deps *b = bf;
		const struct compose_deps *o = of;
		merge_by_key(a, &b->v, &b->n, o->v, o->n, sizeof(*o->v), key_dep);
		return;
	}
	case K_NETS: {
		struct compose_svc_nets *b = bf;
		const struct compose_svc_nets *o = of;
		merge_by_key(a, &b->v, &b->n, o->v, o->n, sizeof(*o->v), key_net);
		return;
	}
	case K_ULIMITS: {
		struct compose_ulimits *b = bf;
		const struct compose_ulimits *o = of;
		merge_by_key(a, &b->v, &b->n, o->v, o->n, sizeof(*o->v), key_ulimit);
		return;
	}
	case K_ENVFILES: {
		struct compose_env_files *b = bf;
		const struct compose_env_files *o = of;
		merge_by_key(a, &b->v, &b->n, o->v, o->n, sizeof(*o->v), key_env_file);
		return;
	}
	case K_HEALTH: merge_health(bf, of); return;
	case K_BLKIO: merge_blkio(a, bf, of); return;
	case K_LOGGING: {
		struct compose_logging *b = bf;
		const struct compose_logging *o = of;
		SET_IF(driver);
		kvs_merge(a, &b->options, &o->options);
		return;
	}
	case K_BUILD: {
		struct compose_build *b = bf;
		const struct compose_build *o = of;
		SET_IF(context);
		SET_IF(dockerfile);
		SET_IF(target);
		kvs_merge(a, &b->args, &o->args);
		return;
	}
	case K_DEPLOY: {
		struct compose_deploy *b = bf;
		const struct compose_deploy *o = of;
		if (o->replicas >= 0)
			b->replicas = o->replicas;
		merge_resources(&b->limits, &o->limits);
		merge_resources(&b->reservations, &o->reservations);
		return;
	}
	default: memcpy(bf, of, kind_size(d->kind)); return;
	}
}

/* the size of each kind's field, to copy or clear it whole */
static size_t kind_size(enum svc_kind k)
{
	static const size_t sizes[] = {
		[K_STR] = sizeof(char *),
		[K_BOOL] = sizeof(int),
		[K_INT] = sizeof(long long),
		[K_BYTES] = sizeof(long long),
		[K_SWAP] = sizeof(long long),
		[K_DURATION] = sizeof(char *),
		[K_STRV] = sizeof(struct compose_strv),
		[K_STRV1] = sizeof(struct compose_strv),
		[K_CMD] = sizeof(struct compose_strv),
		[K_KV] = sizeof(struct compose_kvs),
		[K_HOSTS] = sizeof(struct compose_kvs),
		[K_PORTS] = sizeof(struct compose_ports),
		[K_MOUNTS] = sizeof(struct compose_mounts),
		[K_DEPS] = sizeof(struct compose_deps),
		[K_NETS] = sizeof(struct compose_svc_nets),
		[K_HEALTH] = sizeof(struct compose_health),
		[K_BUILD] = sizeof(struct compose_build),
		[K_DEPLOY] = sizeof(struct compose_deploy),
		[K_ULIMITS] = sizeof(struct compose_ulimits),
		[K_EXTENDS] = sizeof(struct compose_extends),
		[K_ENVFILES] = sizeof(struct compose_env_files),
		[K_LOGGING] = sizeof(struct compose_logging),
		[K_BLKIO] = sizeof(struct compose_blkio),
	};
	return sizes[k];
}

/* a field as cy_service leaves an unset one */
static void clear_key(struct compose_service *s, size_t i)
{
	const struct compose_svc_keydef *d = &compose_svc_keys[i];
	memset((char *)s + d->off, 0, kind_size(d->kind));
	if (i == SVC_HEALTHCHECK)
		s->healthcheck.retries = -1;
	if (i == SVC_DEPLOY)
		s->deploy.replicas = -1;
}

void compose_merge_service(struct compose_arena *a, struct compose_service *b,
			   const struct compose_service *o)
{
	for (size_t i = 0; i < SVC_NKEYS; i++) {
		compose_keyset bit = SVC_BIT(i);
		if (!(o->set & bit))
			continue;
		const struct compose_svc_keydef *d = &compose_svc_keys[i];
		void *bf = (char *)b + d->off;
		const void *of = (const char *)o + d->off;
		if (o->reset & bit) {
			clear_key(b, i);
			b->set &= ~bit;
			continue;
		}
		if (!(b->set & bit) || (o->override & bit))
			memcpy(bf, of, kind_size(d->kind));
		else
			merge_key(a, d, bf, of);
		b->set |= bit;
	}
	b->file = o->file;
	b->line = o->line;
}

void compose_merge_file(struct compose_arena *a, struct compose_file *b,
			const struct compose_file *o)
{
	if (o->name_set) {
		b->name = o->name;
		b->name_set = 1;
	}
	for (size_t i = 0; i < o->nservices; i++) {
		const struct compose_service *os = &o->services[i];
		size_t k = 0;
		while (k < b->nservices && strcmp(b->services[k].name, os->name))
			k++;
		if (k < b->nservices) {
			compose_merge_service(a, &b->services[k], os);
		} else {
			struct compose_service *s =
				compose_push(a, &b->services, &b->nservices, sizeof(*s));
			*s = *os;
			s->reset = s->override = 0;
		}
	}
	for (size_t i = 0; i < o->nnetworks; i++) {
		const struct compose_network *on = &o->networks[i];
		size_t k = 0;
		while (k < b->nnetworks && strcmp(b->networks[k].key, on->key))
			k++;
		if (k == b->nnetworks) {
			*(struct compose_network *)compose_push(a, &b->networks, &b->nnetworks,
								sizeof(*on)) = *on;
			continue;
		}
		struct compose_network *bn = &b->networks[k];
		{
			struct compose_network *b = bn; /* the names SET_IF uses */
			const struct compose_network *o = on;
			SET_IF(name);
			SET_IF(name_set);
			SET_IF(driver);
			SET_IF(external);
			SET_IF(internal);
			kvs_merge(a, &b->labels, &o->labels);
		}
	}
	for (size_t i = 0; i < o->nvolumes; i++) {
		const struct compose_volume *ov = &o->volumes[i];
		size_t k = 0;
		while (k < b->nvolumes && strcmp(b->volumes[k].key, ov->key))
			k++;
		if (k == b->nvolumes) {
			*(struct compose_volume *)compose_push(a, &b->volumes, &b->nvolumes,
							       sizeof(*ov)) = *ov;
			continue;
		}
		struct compose_volume *bv = &b->volumes[k];
		{
			struct compose_volume *b = bv;
			const struct compose_volume *o = ov;
			SET_IF(name);
			SET_IF(name_set);
			SET_IF(driver);
			SET_IF(external);
			kvs_merge(a, &b->labels, &o->labels);
		}
	}
	strv_append(a, &b->include, &o->include);
}

/* ---- extends ------------------------------------------------------------------------- */

static struct compose_service *find(struct compose_file *f, const char *name)
{
	for (size_t i = 0; i < f->nservices; i++)
		if (!strcmp(f->services[i].name, name))
			return &f->services[i];
	return NULL;
}

/* A {T *v; size_t n} list of the service at OFF given its own copy of the array, so that a
 * merge into it (in place, by key) leaves the service it was copied from alone */
static void unshare_list(struct compose_arena *a, void *field, size_t elem)
{
	struct {
		void *v;
		size_t n;
	} *l = field;
	if (!l->n)
		return;
	void *copy = compose_alloc(a, l->n * elem);
	memcpy(copy, l->v, l->n * elem);
	l->v = copy;
}

/* S, a shallow copy of the service an `extends` starts from, with lists of its own: the
 * extending service's environment, ports ... merge into them, never into the base's */
static void unshare(struct compose_arena *a, struct compose_service *s)
{
	static const size_t elem[] = {
		[K_STRV] = sizeof(char *),
		[K_STRV1] = sizeof(char *),
		[K_KV] = sizeof(struct compose_kv),
		[K_HOSTS] = sizeof(struct compose_kv),
		[K_PORTS] = sizeof(struct compose_port),
		[K_MOUNTS] = sizeof(struct compose_mount),
		[K_DEPS] = sizeof(struct compose_dep),
		[K_NETS] = sizeof(struct compose_svc_net),
		[K_ULIMITS] = sizeof(struct compose_ulimit),
		[K_ENVFILES] = sizeof(struct compose_env_file),
	};
	for (size_t i = 0; i < SVC_NKEYS; i++) {
		const struct compose_svc_keydef *d = &compose_svc_keys[i];
		if ((size_t)d->kind < sizeof(elem) / sizeof(elem[0]) && elem[d->kind])
			unshare_list(a, (char *)s + d->off, elem[d->kind]);
	}
	unshare_list(a, &s->build.args, sizeof(struct compose_kv));
	struct compose_blkio *b = &s->blkio_config;
	struct compose_blkio_devs *bl[] = {&b->weight_device, &b->device_read_bps,
					   &b->device_write_bps, &b->device_read_iops,
					   &b->device_write_iops};
	for (size_t i = 0; i < sizeof(bl) / sizeof(bl[0]); i++)
		unshare_list(a, bl[i], sizeof(struct compose_blkio_dev));
}

/* Resolve S's extends (S in F, parsed with CTX); DEPTH guards against a cycle. */
static int resolve_one(const struct compose_ctx *ctx, struct compose_file *f,
		       struct compose_service *s, int depth, struct mr_err *err)
{
	if (!(s->set & SVC_BIT(SVC_EXTENDS)))
		return 0;
	if (depth > 16)
		return mr_fail(err, 0, "%s:%d: services.%s.extends: a cycle of extends (%s)",
			       s->file, s->line, s->name, s->extends.service);
	struct compose_file other, *from = f;
	struct compose_ctx octx = *ctx;
	if (s->extends.file) {
		octx.file = s->extends.file;
		char *slash = strrchr(s->extends.file, '/');
		octx.dir =
			compose_strndup(ctx->a, s->extends.file, (size_t)(slash - s->extends.file));
		if (compose_parse_file(&octx, &other, err) < 0) {
			mr_prefix(err, "%s:%d: services.%s.extends: ", s->file, s->line, s->name);
			return -1;
		}
		from = &other;
	}
	struct compose_service *base = find(from, s->extends.service);
	if (!base || (base == s))
		return mr_fail(err, 0, "%s:%d: services.%s.extends: %s service \"%s\" in %s",
			       s->file, s->line, s->name, base ? "cannot extend itself:" : "no",
			       s->extends.service, octx.file);
	if (resolve_one(&octx, from, base, depth + 1, err) < 0)
		return -1;
	struct compose_service merged = *base;
	unshare(ctx->a, &merged);
	merged.reset = merged.override = 0;
	struct compose_service over = *s;
	over.set &= ~SVC_BIT(SVC_EXTENDS);
	compose_merge_service(ctx->a, &merged, &over);
	merged.name = s->name;
	merged.set &= ~SVC_BIT(SVC_EXTENDS);
	merged.reset = s->reset;
	merged.override = s->override;
	*s = merged;
	return 0;
}

int compose_resolve_extends(const struct compose_ctx *ctx, struct compose_file *f,
			    struct mr_err *err)
{
	for (size_t i = 0; i < f->nservices; i++)
		if (resolve_one(ctx, f, &f->services[i], 0, err) < 0)
			return -1;
	return 0;
}
