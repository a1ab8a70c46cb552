/*
 * minirun/compose/up.c - `compose up -d` and `compose run`: a project's model made real with
 * the front end's own verbs (store.c finds it again from the store alone: ps, ls, down).
 *
 * There is no compose daemon and no state file of compose's own: what `up` makes carries
 * docker compose's labels, and `ps` and `down` (and the next `up`) find it by them:
 *
 *	network     PROJECT_KEY, labels project+network (network_create)
 *	volume      PROJECT_KEY, labels project+volume (volume_create)
 *	container   PROJECT-SERVICE-N (or container_name), labels
 *	            com.docker.compose.project / .service / .container-number / .oneoff /
 *	            .config-hash (sha256 of the service's model) / .project.working_dir /
 *	            .project.config_files
 *
 * A container is made exactly as `minirun run -d` would make it from the flags docker
 * compose's model stands for (`-v` prints that command line: the teaching view of what a
 * service is), in dependency order; an unchanged service keeps its container (started
 * again if it had stopped), a changed one (another config hash) is recreated. `down`
 * stops and removes in reverse order, then the networks, and with -v the volumes.
 *
 * A service's `healthcheck` is run's --health-* flags (the list form `["CMD", ...]`, which
 * no flag spells, goes in as container_opts.health_exec); a `depends_on` condition
 * service_healthy waits, before the dependent service is made, until each container of the
 * dependency reports healthy, and fails `up` with docker compose's "dependency failed to
 * start: container NAME is unhealthy" when one turns unhealthy (or exits); `up --wait`
 * waits so for every container at the end. A service with `build` gets its image from
 * build_image (minirun/build/build.h), named `image:` or else PROJECT-SERVICE as docker
 * compose names it, when the store lacks it or with `up --build` (`compose build`: every
 * such service); a container whose image is no longer the one its name points to is
 * recreated. What the store holds of a project (ps, ls, down) is store.c's.
 *
 * See: https://docs.docker.com/reference/cli/docker/compose/up/,
 *      https://docs.docker.com/compose/how-tos/networking/
 */
#include "minirun/compose/labels.h"
#include "minirun/compose/netns.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/sha256.h"
#include "minirun/containers/containers.h"
#include "minirun/image/image.h"
#include "minirun/network/network.h"
#include "minirun/volume/volume.h"

/* ---- one service as the flags of `run` --------------------------------------------------- */

/* an argv that grows; strings are the project's (arena) */
struct args {
	struct compose_arena *a;
	char **v;
	size_t n;
};

static void arg(struct args *x, const char *s)
{
	*(char **)compose_push(x->a, &x->v, &x->n, sizeof(char *)) = (char *)s;
}

static void arg2(struct args *x, const char *flag, const char *value)
{
	arg(x, flag);
	arg(x, value);
}

/* sha256 of the service's model, hex: what tells an unchanged service from a changed one */
static char *config_hash(struct compose_project *p, const struct compose_service *s)
{
	json_t *all = compose_to_json(p);
	json_t *svc = json_object_get(json_object_get(all, "services"), s->name);
	char *text = json_dumps(svc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(all);
	uint8_t d[32];
	mr_sha256(text ? text : "", text ? strlen(text) : 0, d);
	free(text);
	char *hex = compose_alloc(&p->arena, 65);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

static const char *volume_name(const struct compose_project *p, const char *key)
{
	for (size_t i = 0; i < p->nvolumes; i++)
		if (!strcmp(p->volumes[i].key, key))
			return p->volumes[i].name;
	return key;
}

static const char *network_name(const struct compose_project *p, const char *key)
{
	for (size_t i = 0; i < p->nnetworks; i++)
		if (!strcmp(p->networks[i].key, key))
			return p->networks[i].name;
	return key;
}

/* A Go duration ("1m30s", "500ms", "10s") in whole seconds, rounded up; -1 if malformed
 * (the load has checked it already) */
static long duration_seconds(const char *d)
{
	static const struct {
		const char *unit;
		double secs;
	} units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
	double total = 0;
	while (*d) {
		char *end;
		double v = strtod(d, &end);
		size_t i = 0;
		while (i < sizeof(units) / sizeof(units[0]) &&
		       (strncmp(end, units[i].unit, strlen(units[i].unit)) ||
			(units[i].unit[0] == 'm' && !units[i].unit[1] && end[1] == 's')))
			i++;
		if (end == d || i == sizeof(units) / sizeof(units[0]))
			return *d == '0' && !d[1] ? 0 : -1;
		total += v * units[i].secs;
		d = end + strlen(units[i].unit);
	}
	return (long)(total + 0.999);
}

/* container NUMBER of S's name: container_name, else PROJECT-SERVICE-NUMBER */
static const char *container_name_of(struct compose_project *p, const struct compose_service *s,
				     int number)
{
	return s->container_name ? s->container_name
				 : compose_printf(&p->arena, "%s-%s-%d", p->name, s->name, number);
}

/* volumes_from as run's --volumes-from: service:NAME (or the older bare NAME) is that
 * service's first container, container:NAME that container; a :ro or :rw stays */
static void volumes_from_args(struct compose_project *p, const struct compose_service *s,
			      struct args *x)
{
	for (size_t i = 0; i < s->volumes_from.n; i++) {
		const char *v = s->volumes_from.v[i];
		if (!strncmp(v, "container:", 10)) {
			arg2(x, "--volumes-from", v + 10);
			continue;
		}
		v += strncmp(v, "service:", 8) ? 0 : 8;
		size_t n = strcspn(v, ":");
		const struct compose_service *from =
			compose_service_find(p, compose_printf(&p->arena, "%.*s", (int)n, v));
		/* project.c refused an undefined service */
		arg2(x, "--volumes-from",
		     compose_printf(&p->arena, "%s%s", from ? container_name_of(p, from, 1) : "",
				    v + n));
	}
}

/* W as one shell word: as it is when it has nothing a shell reads, else '...' with each '
 * as '\'' */
static char *shell_quote(struct compose_arena *a, const char *w)
{
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			    "_./:=@%+,-") == strlen(w))
		return compose_strdup(a, w);
	char *q = compose_strdup(a, "'");
	for (const char *c = w; *c; c++)
		q = *c == '\'' ? compose_printf(a, "%s'\\''", q) : compose_printf(a, "%s%c", q, *c);
	return compose_printf(a, "%s'", q);
}

/* The exec form of S's check (Test ["CMD", ...]) NULL-terminated, or NULL when it has
 * none (the string and CMD-SHELL forms are --health-cmd, NONE is --no-healthcheck) */
static char **health_exec(struct compose_arena *a, const struct compose_service *s)
{
	const struct compose_health *h = &s->healthcheck;
	if (h->disable || h->test.n < 2 || strcmp(h->test.v[0], "CMD"))
		return NULL;
	char **v = compose_alloc(a, h->test.n * sizeof(char *));
	for (size_t i = 1; i < h->test.n; i++)
		v[i - 1] = h->test.v[i];
	v[h->test.n - 1] = NULL;
	return v;
}

/* An entrypoint list of more than one word: run_args spelled it as --entrypoint and the
 * rest before the command (what a reader could type, and the same argv); the record gets
 * it as compose does, the whole list the Entrypoint and the command alone the Cmd. */
static void exact_entrypoint(struct compose_arena *a, const struct compose_service *s,
			     struct container_opts *o)
{
	if (!SVC_HAS(s, SVC_ENTRYPOINT) || s->entrypoint.n < 2 || !o->cmd)
		return;
	char **v = compose_alloc(a, (s->entrypoint.n + 1) * sizeof(char *));
	for (size_t i = 0; i < s->entrypoint.n; i++)
		v[i] = s->entrypoint.v[i];
	v[s->entrypoint.n] = NULL;
	o->entrypoint_exec = v;
	/* the words after the first out of the command (o owns the array: moved, not offset) */
	size_t skip = s->entrypoint.n - 1, n = 0;
	while (o->cmd[n])
		n++;
	memmove(o->cmd, o->cmd + skip, (n - skip + 1) * sizeof(char *));
	if (!o->cmd[0]) {
		free(o->cmd);
		o->cmd = NULL;
	}
}

/* S's healthcheck as run's --health-* flags. The exec form has no flag: it is written as
 * the --health-cmd a reader could type (each word quoted), which `compose run` uses; `up`
 * swaps in the exact list (health_exec) after the parse. */
static void health_args(struct compose_arena *a, const struct compose_service *s, struct args *x)
{
	const struct compose_health *h = &s->healthcheck;
	if (!SVC_HAS(s, SVC_HEALTHCHECK))
		return;
	if (h->disable || (h->test.n && !strcmp(h->test.v[0], "NONE"))) {
		arg(x, "--no-healthcheck");
		return;
	}
	if (h->test.n >= 2 && !strcmp(h->test.v[0], "CMD-SHELL")) {
		arg2(x, "--health-cmd", h->test.v[1]);
	} else if (h->test.n >= 2 && !strcmp(h->test.v[0], "CMD")) {
		char *cmd = compose_strdup(a, "");
		for (size_t i = 1; i < h->test.n; i++)
			cmd = compose_printf(a, "%s%s%s", cmd, i > 1 ? " " : "",
					     shell_quote(a, h->test.v[i]));
		arg2(x, "--health-cmd", cmd);
	}
	static const struct {
		size_t off;
		const char *flag;
	} durs[] = {
		{offsetof(struct compose_health, interval), "--health-interval"},
		{offsetof(struct compose_health, timeout), "--health-timeout"},
		{offsetof(struct compose_health, start_period), "--health-start-period"},
		{offsetof(struct compose_health, start_interval), "--health-start-interval"},
	};
	for (size_t i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		const char *v = *(char *const *)((const char *)h + durs[i].off);
		if (v)
			arg2(x, durs[i].flag, v);
	}
	if (h->retries >= 0)
		arg2(x, "--health-retries", compose_printf(a, "%lld", h->retries));
}

/* `run -d` ARGV for container NUMBER of S, named NAME */
/* what `compose run` changes in a service's `run` (NULL for `up`'s -d) */
struct oneoff {
	int rm, tty;
	char *const *cmd; /* NULL: the service's command */
	size_t ncmd;
	const char *const *env; /* -e K=V, after the service's */
	size_t nenv;
};

static void run_args(struct compose_project *p, const struct compose_service *s, int number,
		     const char *name, const char *hash, const struct oneoff *one, struct args *x)
{
	struct compose_arena *a = &p->arena;
	arg(x, "run");
	if (!one)
		arg(x, "-d");
	else if (one->rm)
		arg(x, "--rm");
	if (one)
		arg(x, one->tty ? "-it" : "-i");
	arg2(x, "--name", name);
	arg2(x, "-l", compose_printf(a, L_PROJECT "=%s", p->name));
	arg2(x, "-l", compose_printf(a, L_SERVICE "=%s", s->name));
	arg2(x, "-l", compose_printf(a, L_NUMBER "=%d", number));
	arg2(x, "-l", one ? L_ONEOFF "=True" : L_ONEOFF "=False");
	arg2(x, "-l", compose_printf(a, L_HASH "=%s", hash));
	arg2(x, "-l", compose_printf(a, L_WORKDIR "=%s", p->workdir));
	char *files = compose_strdup(a, "");
	for (size_t i = 0; i < p->files.n; i++)
		files = compose_printf(a, "%s%s%s", files, i ? "," : "", p->files.v[i]);
	arg2(x, "-l", compose_printf(a, L_FILES "=%s", files));
	for (size_t i = 0; i < s->labels.n; i++)
		arg2(x, "-l",
		     compose_printf(a, "%s=%s", s->labels.v[i].key,
				    s->labels.v[i].value ? s->labels.v[i].value : ""));
	for (size_t i = 0; i < s->environment.n; i++)
		if (s->environment.v[i].value) /* unset in the shell too: not passed, as docker */
			arg2(x, "-e",
			     compose_printf(a, "%s=%s", s->environment.v[i].key,
					    s->environment.v[i].value));
	if (s->network_mode) {
		arg2(x, "--network", s->network_mode);
	} else if (s->networks.n) {
		arg2(x, "--network", network_name(p, s->networks.v[0].name));
		if (s->networks.v[0].ipv4_address)
			arg2(x, "--ip", s->networks.v[0].ipv4_address);
		arg2(x, "--network-alias", s->name);
		for (size_t i = 0; i < s->networks.v[0].aliases.n; i++)
			arg2(x, "--network-alias", s->networks.v[0].aliases.v[i]);
	}
	for (size_t i = 0; i < s->ports.n; i++) {
		const struct compose_port *pt = &s->ports.v[i];
		arg2(x, "-p",
		     compose_printf(a, "%s%s%s%s%u/%s", pt->host_ip ? pt->host_ip : "",
				    pt->host_ip ? ":" : "", pt->published ? pt->published : "",
				    pt->published || pt->host_ip ? ":" : "", pt->target,
				    pt->protocol ? pt->protocol : "tcp"));
	}
	for (size_t i = 0; i < s->volumes.n; i++) {
		const struct compose_mount *m = &s->volumes.v[i];
		const char *ro = m->read_only ? ":ro" : "";
		if (m->type == COMPOSE_MOUNT_TMPFS)
			arg2(x, "--tmpfs", m->target);
		else if (!m->source)
			arg2(x, "-v", m->target);
		else
			arg2(x, "-v",
			     compose_printf(a, "%s:%s%s",
					    m->type == COMPOSE_MOUNT_VOLUME
						    ? volume_name(p, m->source)
						    : m->source,
					    m->target, ro));
	}
	for (size_t i = 0; i < s->tmpfs.n; i++)
		arg2(x, "--tmpfs", s->tmpfs.v[i]);
	for (size_t i = 0; i < s->expose.n; i++)
		arg2(x, "--expose", s->expose.v[i]);
	static const struct {
		size_t off;
		const char *flag;
	} strs[] = {
		{offsetof(struct compose_service, working_dir), "-w"},
		{offsetof(struct compose_service, user), "-u"},
		{offsetof(struct compose_service, hostname), "--hostname"},
		{offsetof(struct compose_service, mac_address), "--mac-address"},
		{offsetof(struct compose_service, restart), "--restart"},
		{offsetof(struct compose_service, stop_signal), "--stop-signal"},
		{offsetof(struct compose_service, cpus), "--cpus"},
		{offsetof(struct compose_service, platform), "--platform"},
		{offsetof(struct compose_service, pid), "--pid"},
		{offsetof(struct compose_service, ipc), "--ipc"},
		{offsetof(struct compose_service, uts), "--uts"},
		{offsetof(struct compose_service, userns_mode), "--userns"},
		{offsetof(struct compose_service, cgroup), "--cgroupns"},
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *v = *(char *const *)((const char *)s + strs[i].off);
		if (v)
			arg2(x, strs[i].flag, v);
	}
	static const struct {
		size_t off;
		const char *flag;
	} bools[] = {
		{offsetof(struct compose_service, tty), "-t"},
		{offsetof(struct compose_service, stdin_open), "-i"},
		{offsetof(struct compose_service, init), "--init"},
		{offsetof(struct compose_service, read_only), "--read-only"},
		{offsetof(struct compose_service, privileged), "--privileged"},
	};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (*(const int *)((const char *)s + bools[i].off))
			arg(x, bools[i].flag);
	for (size_t i = 0; i < s->cap_add.n; i++)
		arg2(x, "--cap-add", s->cap_add.v[i]);
	for (size_t i = 0; i < s->cap_drop.n; i++)
		arg2(x, "--cap-drop", s->cap_drop.v[i]);
	for (size_t i = 0; i < s->security_opt.n; i++)
		arg2(x, "--security-opt", s->security_opt.v[i]);
	if (s->logging.driver)
		arg2(x, "--log-driver", s->logging.driver);
	for (size_t i = 0; i < s->logging.options.n; i++)
		arg2(x, "--log-opt",
		     compose_printf(a, "%s=%s", s->logging.options.v[i].key,
				    s->logging.options.v[i].value ? s->logging.options.v[i].value
								  : ""));
	for (size_t i = 0; i < s->sysctls.n; i++) /* namespaced only: run's --sysctl checks */
		if (s->sysctls.v[i].value)
			arg2(x, "--sysctl",
			     compose_printf(a, "%s=%s", s->sysctls.v[i].key,
					    s->sysctls.v[i].value));
	for (size_t i = 0; i < s->ulimits.n; i++)
		arg2(x, "--ulimit",
		     compose_printf(a, "%s=%lld:%lld", s->ulimits.v[i].name, s->ulimits.v[i].soft,
				    s->ulimits.v[i].hard));
	compose_resource_args(a, s, &x->v, &x->n);
	volumes_from_args(p, s, x);
	if (s->stop_grace_period && duration_seconds(s->stop_grace_period) >= 0)
		arg2(x, "--stop-timeout",
		     compose_printf(a, "%ld", duration_seconds(s->stop_grace_period)));
	health_args(a, s, x);
	/* an entrypoint list: its first word is --entrypoint, the rest go before the command */
	int has_ep = SVC_HAS(s, SVC_ENTRYPOINT);
	if (has_ep)
		arg2(x, "--entrypoint", s->entrypoint.n ? s->entrypoint.v[0] : "");
	for (size_t i = 0; one && i < one->nenv; i++)
		arg2(x, "-e", one->env[i]);
	arg(x, compose_service_image(p, s));
	for (size_t i = 1; has_ep && i < s->entrypoint.n; i++)
		arg(x, s->entrypoint.v[i]);
	for (size_t i = 0; one && one->cmd ? i < one->ncmd : i < s->command.n; i++)
		arg(x, one && one->cmd ? one->cmd[i] : s->command.v[i]);
	arg(x, NULL);
	x->n--;
}

/* print ARGV as the command line a reader could type (-v) */
static void narrate(const struct args *x)
{
	if (!mr_verbose)
		return;
	fprintf(stderr, "=> minirun");
	for (size_t i = 0; i < x->n; i++)
		fprintf(stderr, " %s", shell_quote(x->a, x->v[i]));
	fputc('\n', stderr);
}

static void narrate_connect(const char *net, const char *container)
{
	if (mr_verbose)
		fprintf(stderr, "=> minirun network connect %s %s\n", net, container);
}

/* the image of O, pulled when the store lacks it (as `run` does); first what only this host
 * can say of O's flags, as run checks it (a cpuset of CPUs online here, the devices, the
 * hard limits; a v1-only memory knob dropped with docker's warning on v2) */
static int create_pulling(struct container_opts *o, struct container *c, struct mr_err *err)
{
	if (container_hostflags_check(o, err) < 0 || container_resources_host_check(o, err) < 0)
		return -1;
	if (container_create(containers_root(), o, c, err) == 0)
		return 0;
	if (err->errnum != ENOENT || !strstr(err->msg, "No such image"))
		return -1;
	fprintf(stderr, "Pulling %s\n", o->image);
	char *pull_argv[] = {"pull", (char *)o->image, NULL};
	if (cmd_pull(2, pull_argv) != 0)
		return mr_fail(err, 0, "pull %s failed", o->image);
	return container_create(containers_root(), o, c, err);
}

/* the ID ("sha256:...") of the image NAME names in the store; NULL when it is not there
 * (a static buffer: the next call overwrites it) */
static const char *image_id_of(const char *name)
{
	static char id[IMAGE_DIGEST_LEN + 1];
	struct store st;
	struct image img;
	struct mr_err e = {0};
	if (store_open(&st, image_root(), &e) < 0)
		return NULL;
	int rc = image_resolve(&st, name, &img, &e);
	store_close(&st);
	if (rc < 0)
		return NULL;
	snprintf(id, sizeof(id), "%s", img.id);
	image_free(&img);
	return id;
}

/* make (or keep, or remake) container NUMBER of S */
static int up_container(struct compose_project *p, const struct compose_service *s, int number,
			enum compose_recreate recreate, struct mr_err *err)
{
	struct compose_arena *a = &p->arena;
	const char *name = container_name_of(p, s, number);
	const char *hash = config_hash(p, s);
	struct container c;
	struct mr_err missing = {0};
	if (container_open(containers_root(), name, true, &c, &missing) == 0) {
		const char *old = label_of(&c.r, L_HASH);
		const char *had = c.r.image;
		const char *now = image_id_of(compose_service_image(p, s));
		/* the same model over another image (rebuilt, pulled again) is a change too */
		int same = old && !strcmp(old, hash) && (!now || (had && !strcmp(had, now)));
		if ((same && recreate != COMPOSE_RECREATE_FORCE) ||
		    recreate == COMPOSE_RECREATE_NEVER) {
			int rc = 0;
			if (container_status(&c) != CONTAINER_RUNNING) {
				rc = container_start(&c, false, err);
				if (rc == 0)
					fprintf(stderr, " Container %s  Started\n", name);
			} else {
				fprintf(stderr, " Container %s  Running\n", name);
			}
			container_close(&c);
			return rc;
		}
		fprintf(stderr, " Container %s  Recreate\n", name);
		int rc = container_remove(&c, true, false, err);
		container_close(&c);
		if (rc < 0)
			return -1;
	}
	struct args x = {.a = a};
	run_args(p, s, number, name, hash, NULL, &x);
	narrate(&x);
	struct container_opts o = {0};
	bool help = false;
	if (container_opts_parse((int)x.n, x.v, &o, &help, err) < 0) {
		mr_prefix(err, "service \"%s\": ", s->name);
		return -1;
	}
	char **exec = health_exec(a, s);
	if (exec) { /* the exact list, not the --health-cmd spelling of it */
		o.health_cmd = NULL;
		o.health_exec = exec;
	}
	exact_entrypoint(a, s, &o);
	int rc = create_pulling(&o, &c, err), open = rc == 0;
	/* the networks after the first: recorded now (connect takes the container's lock, so
	 * ours is let go first), connected by the start */
	if (rc == 0 && !s->network_mode && s->networks.n > 1) {
		container_close(&c);
		open = 0;
		for (size_t i = 1; rc == 0 && i < s->networks.n; i++) {
			const struct compose_svc_net *n = &s->networks.v[i];
			const char **aliases =
				compose_alloc(a, (n->aliases.n + 1) * sizeof(char *));
			aliases[0] = s->name;
			for (size_t k = 0; k < n->aliases.n; k++)
				aliases[k + 1] = n->aliases.v[k];
			narrate_connect(network_name(p, n->name), name);
			rc = container_net_connect(containers_root(), name,
						   network_name(p, n->name), aliases,
						   n->aliases.n + 1, err);
		}
		struct mr_err e = {0};
		if (container_open(containers_root(), name, true, &c, rc == 0 ? err : &e) == 0)
			open = 1;
		else
			rc = -1;
	}
	if (rc == 0)
		rc = container_start(&c, false, err);
	if (rc < 0 && open) /* nothing half-made: a container that did not start goes */
		container_remove(&c, true, true, NULL);
	if (open)
		container_close(&c);
	container_opts_free(&o);
	if (rc < 0)
		mr_prefix(err, "service \"%s\": ", s->name);
	else
		fprintf(stderr, " Container %s  Started\n", name);
	return rc;
}

/* the project's networks and volumes, made when missing */
static int up_resources(struct compose_project *p, struct mr_err *err)
{
	for (size_t i = 0; i < p->nnetworks; i++) {
		const struct compose_network *n = &p->networks[i];
		struct mr_err e = {0};
		json_t *rec = network_load(network_root(), n->name, &e);
		if (rec) {
			json_decref(rec);
			continue;
		}
		if (n->external)
			return mr_fail(err, 0,
				       "network %s declared as external, but could not be found",
				       n->name);
		char id[NETWORK_ID_LEN + 1];
		/* labelled as docker compose labels it: project, the network's key, the file's */
		const char *labels[2 + 32];
		size_t nl = 0;
		labels[nl++] = compose_printf(&p->arena, L_PROJECT "=%s", p->name);
		labels[nl++] = compose_printf(&p->arena, L_NETWORK "=%s", n->key);
		for (size_t k = 0; k < n->labels.n && nl < 34; k++)
			labels[nl++] =
				compose_printf(&p->arena, "%s=%s", n->labels.v[k].key,
					       n->labels.v[k].value ? n->labels.v[k].value : "");
		/* internal: true is the network's --internal: no NAT, no route out */
		if (compose_network_create(network_root(), n->name, labels, nl,
					   n->internal ? NETWORK_INTERNAL : 0, id, err) < 0)
			return -1;
		fprintf(stderr, " Network %s  Created\n", n->name);
	}
	for (size_t i = 0; i < p->nvolumes; i++) {
		const struct compose_volume *v = &p->volumes[i];
		struct mr_err e = {0};
		json_t *rec = volume_inspect(volume_root(), v->name, &e);
		if (rec) {
			json_decref(rec);
			continue;
		}
		if (v->external)
			return mr_fail(err, 0,
				       "external volume \"%s\" not found; create it with "
				       "'minirun volume create %s'",
				       v->name, v->name);
		const char *labels[2 + 32];
		size_t nl = 0;
		labels[nl++] = compose_printf(&p->arena, L_PROJECT "=%s", p->name);
		labels[nl++] = compose_printf(&p->arena, L_VOLUME "=%s", v->key);
		for (size_t k = 0; k < v->labels.n && nl < 34; k++)
			labels[nl++] =
				compose_printf(&p->arena, "%s=%s", v->labels.v[k].key,
					       v->labels.v[k].value ? v->labels.v[k].value : "");
		char out[VOLUME_NAME_MAX + 1];
		if (volume_create(volume_root(), v->name, labels, nl, 0, NULL, out, err) < 0)
			return -1;
		fprintf(stderr, " Volume %s  Created\n", v->name);
	}
	return 0;
}

/* how many containers S has in this up: --scale, else deploy.replicas, else 1 */
static long long service_count(const struct compose_up_opts *uo, const struct compose_service *s)
{
	const struct compose_kv *scale = compose_kv_find(&uo->scale, s->name);
	if (scale)
		return strtoll(scale->value, NULL, 10);
	return s->deploy.replicas >= 0 ? s->deploy.replicas : 1;
}

/* is SERVICE one of those named on up's command line (all when none was) */
static int named(const struct compose_up_opts *uo, const char *service)
{
	for (size_t i = 0; i < uo->nservices; i++)
		if (!strcmp(uo->services[i], service))
			return 1;
	return !uo->nservices;
}

int compose_up(struct compose_project *p, const struct compose_up_opts *uo, struct mr_err *err)
{
	enum compose_recreate recreate = uo->recreate;
	for (size_t i = 0; i < uo->scale.n; i++)
		if (!compose_service_find(p, uo->scale.v[i].key))
			return mr_fail(err, 0, "--scale %s: no such service", uo->scale.v[i].key);
	/* images first, as docker compose builds before it creates anything */
	for (size_t i = 0; i < p->nservices; i++) {
		const struct compose_service *s = &p->services[i];
		if (!SVC_HAS(s, SVC_BUILD))
			continue;
		int missing = !image_id_of(compose_service_image(p, s));
		if (missing && uo->no_build)
			return mr_fail(err, 0,
				       "service \"%s\": image %s is not built and --no-build was "
				       "given: run 'minirun compose build %s' first",
				       s->name, compose_service_image(p, s), s->name);
		if ((missing || uo->build) && !uo->no_build && compose_build_service(p, s, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < p->nservices; i++)
		compose_warn_unapplied(&p->services[i]);
	if (up_resources(p, err) < 0)
		return -1;
	if (uo->all_services && compose_orphans(p, uo->remove_orphans, err) < 0)
		return -1;
	size_t *order = compose_dependency_order(p);
	if (!order)
		return mr_fail(err, ENOMEM, "compose up");
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < p->nservices; k++) {
		const struct compose_service *s = &p->services[order[k]];
		if (uo->no_deps && !named(uo, s->name))
			continue; /* --no-deps: a dependency is neither made nor waited for */
		/* a dependency that must complete first is waited for, and must exit 0 */
		for (size_t d = 0; !uo->no_deps && rc == 0 && d < s->depends_on.n; d++) {
			const struct compose_dep *dep = &s->depends_on.v[d];
			const struct compose_service *ds = compose_service_find(p, dep->service);
			if (dep->condition == COMPOSE_STARTED || !ds)
				continue;
			if (dep->condition == COMPOSE_HEALTHY) {
				long long dn = service_count(uo, ds);
				for (long long i = 1; rc == 0 && i <= dn; i++)
					rc = compose_wait_container(
						container_name_of(p, ds, (int)i),
						COMPOSE_WANT_HEALTHY,
						"dependency failed to start: ", err);
				continue;
			}
			struct container c;
			const char *dn = ds->container_name ? ds->container_name
							    : compose_printf(&p->arena, "%s-%s-1",
									     p->name, ds->name);
			int code = 0;
			if (container_open(containers_root(), dn, false, &c, err) < 0)
				rc = -1;
			else {
				rc = container_wait_exit(&c, &code, err);
				container_close(&c);
			}
			if (rc == 0 && code != 0)
				rc = mr_fail(err, 0,
					     "service \"%s\" didn't complete successfully: exit %d",
					     ds->name, code);
		}
		long long n = service_count(uo, s);
		if (n > 1 && s->container_name)
			rc = mr_fail(err, 0,
				     "service \"%s\" has a container_name: it cannot have %lld "
				     "containers",
				     s->name, n);
		for (long long i = 1; rc == 0 && i <= n; i++)
			rc = up_container(p, s, (int)i, recreate, err);
		if (rc == 0) /* scaled down: the containers numbered above N go */
			rc = compose_scale_down(p, s->name, n, err);
	}
	/* --wait: every container running, and healthy where it has a check */
	for (size_t k = 0; uo->wait && rc == 0 && k < p->nservices; k++) {
		const struct compose_service *s = &p->services[order[k]];
		if (uo->no_deps && !named(uo, s->name))
			continue;
		long long n = service_count(uo, s);
		for (long long i = 1; rc == 0 && i <= n; i++)
			rc = compose_wait_container(container_name_of(p, s, (int)i),
						    COMPOSE_WANT_RUNNING_OR_HEALTHY, "", err);
	}
	free(order);
	return rc;
}

int compose_run(struct compose_project *p, const char *service, const struct compose_run_opts *ro,
		struct mr_err *err)
{
	const struct compose_service *s = compose_service_find(p, service);
	if (!s)
		return mr_fail(err, 0, "no such service: %s", service);
	if (!s->image && !SVC_HAS(s, SVC_BUILD))
		return mr_fail(err, 0, "service \"%s\" has no image", service);
	/* a service's image (and its dependencies') built first when the store lacks it */
	for (size_t i = 0; i < p->nservices; i++) {
		const struct compose_service *b = &p->services[i];
		if (SVC_HAS(b, SVC_BUILD) && !image_id_of(compose_service_image(p, b)) &&
		    compose_build_service(p, b, err) < 0)
			return -1;
	}
	if (up_resources(p, err) < 0)
		return -1;
	size_t *order = compose_dependency_order(p);
	if (!order)
		return mr_fail(err, ENOMEM, "compose run");
	/* the project was loaded for SERVICE: the others are its dependencies */
	int rc = 0;
	for (size_t k = 0; !ro->no_deps && rc == 0 && k < p->nservices; k++)
		if (&p->services[order[k]] != s)
			rc = up_container(p, &p->services[order[k]], 1, COMPOSE_RECREATE_CHANGED,
					  err);
	free(order);
	if (rc < 0)
		return -1;
	/* a one-off's name: PROJECT-SERVICE-run-<12 hex>, as docker compose's */
	uint8_t d[32];
	char seed[64];
	snprintf(seed, sizeof(seed), "%d.%ld", getpid(), (long)time(NULL));
	mr_sha256(seed, strlen(seed), d);
	char *name = compose_printf(&p->arena, "%s-%s-run-%02x%02x%02x%02x%02x%02x", p->name,
				    s->name, d[0], d[1], d[2], d[3], d[4], d[5]);
	struct oneoff one = {ro->rm, ro->tty, ro->cmd, ro->ncmd, ro->env, ro->nenv};
	struct args x = {.a = &p->arena};
	run_args(p, s, 1, name, config_hash(p, s), &one, &x);
	narrate(&x);
	optind = 1;
	for (const struct mr_command *c = container_commands; c->name; c++)
		if (!strcmp(c->name, "run"))
			return c->fn((int)x.n, x.v);
	return mr_fail(err, 0, "no run verb");
}
