/*
 * minirun/containers/record.c - a new container's record: `docker inspect`'s shape, the
 * image's config merged with the flags the way docker's daemon merges them.
 *
 * The record (container.json, see README.md here) is the only memory a container has:
 * every later command reads it, and container_oci_config turns it into the runtime's
 * config.json at each start. So everything a start needs is in it, in docker's own keys
 * where docker has one (HostConfig.Memory, Config.Env ...) and in "Minirun" where it has
 * not (the seccomp profile text, no-new-privileges as a boolean, the mounts vol.c made).
 *
 * The record's typed fields (struct container_record: Id, Path, Args, State, Name, Config,
 * HostConfig ...) are filled here and laid out as docker's tree by the record store
 * (container_record_json_new: record_json.c, record_json_host_write.c for HostConfig, every
 * key in docker's order); no JSON key of the record is written here. The bundle reads
 * HostConfig and Minirun's NoNewPrivileges and Seccomp from the tree at each start.
 *
 * HostConfig, from the flags (container_record_host; docker's defaults where none is given):
 *   NetworkMode "default" until --network; IpcMode, CgroupnsMode "private"; ShmSize 64 MiB
 *   MemorySwap  --memory-swap, else twice -m (docker: as much swap as memory)
 *   NanoCpus    --cpus x 1e9 (CpuQuota/CpuPeriod stay --cpu-quota/--cpu-period's)
 *   CapAdd CapDrop SecurityOpt  as given, [] for none; VolumesFrom, GroupAdd null for none
 *   Ulimits     the last --ulimit of each name; Devices [] for none; the Blkio lists null
 *   MaskedPaths ReadonlyPaths  the bundle's lists; null with --privileged, [] with
 *               systempaths=unconfined
 *   Binds, Mounts  vol.c's, at the volumes step
 *
 * The merge, as docker does it at `create`:
 *   Env         the image's, then the -e/--env-file ones; a key given again replaces the
 *               earlier entry in place (no PATH added: the process gets docker's default
 *               PATH at start, bundle/config.c, as docker leaves Config.Env alone)
 *   Entrypoint  --entrypoint X replaces the image's ("" clears it) AND drops the image's
 *               Cmd (the image's Cmd was written as arguments for the image's entrypoint);
 *               a COMMAND given after the image replaces Cmd
 *   Path, Args  Entrypoint + Cmd, split into the program and its arguments
 *   WorkingDir, User, StopSignal    the flag's, else the image's
 *   ExposedPorts, Labels            the image's, plus the flags' (-p and --expose ports)
 *   Healthcheck each --health-* flag given, else the image's field (health.c)
 *
 * See: https://docs.docker.com/reference/dockerfile/#understand-how-cmd-and-entrypoint-interact
 *      image-spec config.md (the image's "config" object).
 */
#include "minirun/containers/containers.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/dns_flags.h"
#include "minirun/containers/health.h"
#include "minirun/containers/logdriver.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* docker's "zero" time, for StartedAt/FinishedAt of a container that never ran */
#define ZERO_TIME "0001-01-01T00:00:00Z"

/* Now as RFC 3339 with nanoseconds, UTC ("2026-11-27T21:04:05.123456789Z"). */
static void now_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

static json_t *strv_json(char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Entrypoint and Cmd after the flags; NULL values are JSON null, as docker shows them. */
static void entry_and_cmd(const struct container_opts *o, json_t *ic, json_t **ep, json_t **cmd)
{
	json_t *iep = json_object_get(ic, "Entrypoint"), *icmd = json_object_get(ic, "Cmd");
	if (o->entrypoint_exec)
		*ep = o->entrypoint_exec[0] ? strv_json(o->entrypoint_exec) : json_null();
	else if (o->entrypoint)
		*ep = o->entrypoint[0] ? json_pack("[s]", o->entrypoint) : json_null();
	else
		*ep = json_is_array(iep) && json_array_size(iep) ? json_deep_copy(iep)
								 : json_null();
	if (o->cmd)
		*cmd = strv_json(o->cmd);
	else if (o->entrypoint || o->entrypoint_exec)
		*cmd = json_null(); /* the image's Cmd belonged to the image's entrypoint */
	else
		*cmd = json_is_array(icmd) && json_array_size(icmd) ? json_deep_copy(icmd)
								    : json_null();
}

/* the strings of the JSON arrays A then B (either may be null) into a new NULL-terminated
 * vector of pointers into them, its length to *N; NULL when one holds something else, or
 * on ENOMEM */
static const char **strings_of(json_t *a, json_t *b, size_t *n)
{
	const char **v = calloc(json_array_size(a) + json_array_size(b) + 1, sizeof(*v));
	json_t *parts[] = {a, b}, *x;
	size_t i;
	*n = 0;
	for (size_t k = 0; v && k < 2; k++)
		json_array_foreach(parts[k], i, x)
		{
			if (!json_is_string(x)) {
				free(v);
				return NULL;
			}
			v[(*n)++] = json_string_value(x);
		}
	return v;
}

/* A string of the image config IC, or FLAG when the flag was given; NULL-safe. */
static const char *pick(const char *flag, json_t *ic, const char *key)
{
	const char *v = json_string_value(json_object_get(ic, key));
	return flag ? flag : v ? v : "";
}

/* *DST: the strings of the JSON array A (NULL when A is none: JSON null); -1 on ENOMEM */
static int strv_of(char ***dst, json_t *a)
{
	size_t n;
	const char **v = json_is_array(a) ? strings_of(a, NULL, &n) : NULL;
	int rc = !json_is_array(a) ? 0 : v ? container_record_set_strv(dst, v, n) : -1;
	free(v);
	return rc;
}

/* the length of the vector V (NULL: 0) */
static size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* *DST: a copy of the vector V, [] when V is NULL; -1 on ENOMEM */
static int strv_or_empty(char ***dst, char *const *v)
{
	static const char *const none[] = {NULL};
	return container_record_set_strv(dst, v ? (const char *const *)v : none, strv_len(v));
}

/* does a later --ulimit of SPECS than the I-th set the same limit? (docker: the last wins) */
static bool ulimit_overridden(char *const *specs, size_t i)
{
	size_t len = strcspn(specs[i], "=");
	for (size_t k = i + 1; specs[k]; k++)
		if (strncmp(specs[k], specs[i], len) == 0 && specs[k][len] == '=')
			return true;
	return false;
}

/* --ulimit, --device, the --device-*-bps/iops lists and --sysctl into H's lists; -1 with err
 * for a value that does not parse, or on ENOMEM */
static int host_lists(struct container_record *r, const struct container_opts *o,
		      struct mr_err *err)
{
	/* the throttle flags in enum container_throttle_kind's order: "PATH:RATE" each (the
	 * setters normalised RATE to a number) */
	char **const throttles[CONTAINER_THROTTLES] = {o->blkio_rbps, o->blkio_wbps, o->blkio_riops,
						       o->blkio_wiops};
	int rc = 0;
	r->host.has_ulimits = r->host.has_devices = true; /* [] for none, as docker */
	for (size_t i = 0; rc == 0 && o->ulimits && o->ulimits[i]; i++) {
		struct container_ulimit u;
		if (ulimit_overridden(o->ulimits, i))
			continue;
		if (container_ulimit_parse(o->ulimits[i], &u, err) < 0)
			return -1;
		rc = container_record_add_ulimit(r, u.name, u.hard, u.soft);
	}
	for (size_t i = 0; rc == 0 && o->devices && o->devices[i]; i++) {
		struct container_device d;
		if (container_device_parse(o->devices[i], &d, err) < 0)
			return -1;
		rc = container_record_add_device(r, d.host, d.ctr, d.perms);
	}
	for (size_t k = 0; k < CONTAINER_THROTTLES; k++)
		for (size_t i = 0; rc == 0 && throttles[k] && throttles[k][i]; i++) {
			const char *e = throttles[k][i], *colon = strrchr(e, ':');
			char path[4096];
			if (!colon)
				continue;
			snprintf(path, sizeof(path), "%.*s", (int)(colon - e), e);
			rc = container_record_add_throttle(r, (enum container_throttle_kind)k, path,
							   strtoll(colon + 1, NULL, 10));
		}
	/* --sysctl NAME=VALUE, the name whole however long; a name given again keeps its
	 * place and takes the later value (a map's) */
	r->host.sysctls.present = o->sysctls != NULL; /* docker's omitempty map */
	for (size_t i = 0; rc == 0 && o->sysctls && o->sysctls[i]; i++) {
		const char *kv = o->sysctls[i], *eq = strchr(kv, '=');
		char *name = strndup(kv, (size_t)(eq - kv));
		struct container_kvs *l = &r->host.sysctls;
		size_t at = 0;
		while (name && at < l->n && strcmp(l->kv[at].key, name) != 0)
			at++;
		if (name && at < l->n)
			container_record_set_str(&l->kv[at].value, eq + 1);
		rc = !name ||
		     (at < l->n ? !l->kv[at].value : container_kvs_add(l, name, eq + 1) < 0);
		free(name);
	}
	return rc ? mr_fail(err, ENOMEM, "container record") : 0;
}

int container_record_host(struct container_record *r, const struct container_opts *o,
			  struct mr_err *err)
{
	struct container_host *h = &r->host;
	struct container_limits *l = &h->limits;
	/* the bundle's lists of masked and read-only paths, or none: --privileged's null, or
	 * systempaths=unconfined's [] (docker's CLI empties both, even with --privileged) */
	json_t *masked = o->systempaths_unconfined ? json_array()
			 : o->privileged           ? json_null()
						   : bundle_masked_paths();
	json_t *readonly = o->systempaths_unconfined ? json_array()
			   : o->privileged           ? json_null()
						     : bundle_readonly_paths();
	int rc = strv_of(&h->masked_paths, masked) | strv_of(&h->readonly_paths, readonly);
	json_decref(masked);
	json_decref(readonly);

	/* docker shows "default" (the default bridge) until --network names one; net.c and
	 * the bundle read "default" as NETWORK_DEFAULT */
	container_record_set_str(&h->network_mode, o->network ? o->network : "default");
	h->restart = o->restart;
	h->restart_max = o->restart_max;
	h->auto_remove = o->rm;
	h->privileged = o->privileged;
	h->publish_all = o->publish_all;
	h->readonly_rootfs = o->read_only;
	h->init = o->init; /* docker's omitempty: no Init key without --init */
	container_record_set_str(&h->container_id_file, o->cidfile ? o->cidfile : "");
	/* as given, as docker (null: none) */
	rc |= container_record_set_strv(&h->volumes_from, (const char *const *)o->volumes_from,
					strv_len(o->volumes_from));
	rc |= strv_or_empty(&h->cap_add, o->cap_add) | strv_or_empty(&h->cap_drop, o->cap_drop) |
	      strv_or_empty(&h->security_opt, o->security_opt);
	if (strv_len(o->group_add)) /* null for none */
		rc |= container_record_set_strv(&h->group_add, (const char *const *)o->group_add,
						strv_len(o->group_add));
	/* the namespaces (bundle/nsmodes.c): a new one of each kind unless a flag says host or
	 * container:X. The bundle always unshares the cgroup namespace, on v1 too: "private"
	 * says what the container has (docker 20.10 says "host" on a v1 host, where it shares
	 * the host's). UsernsMode is "" unless given: the store's default (userns-remap) is
	 * userns.c's. */
	container_record_set_str(&h->pid_mode, o->pid_mode ? o->pid_mode : "");
	container_record_set_str(&h->ipc_mode, o->ipc_mode ? o->ipc_mode : "private");
	container_record_set_str(&h->uts_mode, o->uts_mode ? o->uts_mode : "");
	container_record_set_str(&h->cgroupns_mode,
				 o->cgroupns_mode ? o->cgroupns_mode : "private");
	container_record_set_str(&h->userns_mode, o->userns_mode ? o->userns_mode : "");
	h->shm_size = o->shm_size > 0 ? o->shm_size : 64LL << 20; /* docker: 0 is 64 MiB */

	/* the cgroup's limits (bundle/config.c, bundle/resources.c map them at each start) */
	l->memory = o->memory;
	/* docker: -m without --memory-swap allows as much swap as memory (swap = 2 x -m) */
	l->memory_swap = o->memory_swap ? o->memory_swap : o->memory ? 2 * o->memory : 0;
	l->memory_reservation = o->memory_reservation;
	l->memory_swappiness = o->swappiness_set ? o->swappiness : -1;
	l->oom_kill_disable = o->oom_kill_disable;
	l->oom_score_adj = o->oom_score_adj;
	/* --cpus is NanoCpus only: the cgroup's quota/period come from it at each start, and
	 * CpuQuota/CpuPeriod stay 0 as docker's (they are --cpu-quota/--cpu-period's) */
	l->nano_cpus = (long long)(o->cpus * 1e9 + 0.5);
	l->pids_limit = o->pids_limit;
	l->cpu_shares = o->cpu_shares;
	l->cpu_period = o->cpu_period;
	l->cpu_quota = o->cpu_quota;
	l->blkio_weight = o->blkio_weight;
	container_record_set_str(&l->cpuset_cpus, o->cpuset_cpus ? o->cpuset_cpus : "");
	container_record_set_str(&l->cpuset_mems, o->cpuset_mems ? o->cpuset_mems : "");
	if (host_lists(r, o, err) < 0)
		return -1;
	bool short_of_memory = rc || !h->network_mode || !h->container_id_file || !h->pid_mode ||
			       !h->ipc_mode || !h->uts_mode || !h->cgroupns_mode ||
			       !h->userns_mode || !l->cpuset_cpus || !l->cpuset_mems;
	return short_of_memory ? mr_fail(err, ENOMEM, "container record") : 0;
}

/* R's Labels: the image's (LABELS, an object), then the flags', a key given again replacing
 * the value in place (a JSON object is the index that keeps it linear); -1 on ENOMEM */
static int labels_record(const struct container_opts *o, json_t *labels, struct container_record *r)
{
	const char *k;
	json_t *v;
	labels = json_is_object(labels) ? json_deep_copy(labels) : json_object();
	for (size_t i = 0; o->labels && o->labels[i]; i++) {
		const char *kv = o->labels[i], *eq = strchr(kv, '=');
		char key[1024];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
		json_object_set_new(labels, key, json_string(eq + 1));
	}
	r->config.labels = calloc(json_object_size(labels) + 1, sizeof(*r->config.labels));
	bool whole = r->config.labels != NULL;
	json_object_foreach(labels, k, v)
	{
		if (!whole || !json_is_string(v))
			continue;
		struct container_label *l = &r->config.labels[r->config.nlabels++];
		l->key = strdup(k);
		l->value = strdup(json_string_value(v));
		whole = l->key && l->value;
	}
	json_decref(labels);
	return whole ? 0 : -1;
}

/* R's Config: the image's config IC merged with the flags O (see the top of this file), EP
 * and CMD the Entrypoint and Cmd entry_and_cmd chose; record_json.c lays it out. -1 on
 * ENOMEM. */
static int config_record(const struct container_opts *o, const char *id, json_t *ic, json_t *ep,
			 json_t *cmd, struct container_record *r)
{
	char host[256];
	bool host_net = o->network && strcmp(o->network, "host") == 0;
	/* docker's Env is the image's and the flags', no more: the default PATH is the
	 * process's alone (bundle/config.c adds it at each start, exec.c for an exec) */
	bool image_env = json_is_array(json_object_get(ic, "Env"));
	json_t *env = image_env ? json_deep_copy(json_object_get(ic, "Env")) : json_array();
	/* docker's ReplaceOrAppendEnvValues, by a key index (env.c): linear in the count */
	struct container_env ce;
	container_env_init(&ce, env);
	for (size_t i = 0; o->env && o->env[i]; i++)
		container_env_set(&ce, o->env[i], true);
	container_env_done(&ce);
	/* null, as docker's, when neither the image nor a flag gives a variable */
	int rc = image_env || json_array_size(env) ? strv_of(&r->config.env, env) : 0;
	json_decref(env);

	/* the hostname: -h, else the short ID; on the host's network, the host's name (the
	 * container shares the host's network identity, docker does the same) */
	if (o->hostname)
		snprintf(host, sizeof(host), "%s", o->hostname);
	else if (host_net && gethostname(host, sizeof(host)) == 0)
		host[sizeof(host) - 1] = '\0';
	else
		snprintf(host, sizeof(host), "%.12s", id);

	container_record_set_str(&r->config.hostname, host);
	container_record_set_str(&r->config.domainname, "");
	container_record_set_str(&r->config.user, pick(o->user, ic, "User"));
	r->config.attach_stdin = o->interactive && !o->detach;
	r->config.attach_stdout = r->config.attach_stderr = !o->detach;
	r->config.tty = o->tty;
	r->config.open_stdin = o->interactive;
	r->config.stdin_once = o->interactive && !o->detach;
	container_record_set_str(&r->config.image, o->image);
	/* an image's relative WorkingDir is taken from / (-w must be absolute: opts.c) */
	const char *wd = pick(o->workdir, ic, "WorkingDir");
	r->config.working_dir = malloc(strlen(wd) + 2);
	if (r->config.working_dir)
		sprintf(r->config.working_dir, "%s%s", *wd && *wd != '/' ? "/" : "", wd);
	/* --mac-address as given (docker 20.10's place; net.c gives it to the first network's
	 * interface at every start); no key without it, as docker's omitempty */
	container_record_set_str(&r->config.mac_address, o->mac_address);
	const char *sig = pick(o->stop_signal, ic, "StopSignal");
	container_record_set_str(&r->config.stop_signal, *sig ? sig : NULL);
	r->config.stop_timeout = o->stop_timeout;
	if (strv_of(&r->config.cmd, cmd) < 0 || strv_of(&r->config.entrypoint, ep) < 0 ||
	    strv_of(&r->config.shell, json_object_get(ic, "Shell")) < 0 || /* CMD-SHELL's */
	    labels_record(o, json_object_get(ic, "Labels"), r) < 0)
		rc = -1;
	bool short_of_memory = !r->config.hostname || !r->config.domainname || !r->config.user ||
			       !r->config.image || !r->config.working_dir ||
			       (o->mac_address && !r->config.mac_address) ||
			       (*sig && !r->config.stop_signal);
	return short_of_memory ? -1 : rc;
}

/* KEYS[0..LEN) with K added unless it is there: the new length */
static size_t key_once(const char **keys, size_t len, const char *k)
{
	for (size_t j = 0; j < len; j++)
		if (!strcmp(keys[j], k))
			return len;
	keys[len] = k;
	return len + 1;
}

/* R's PortBindings (-p) and ExposedPorts: the image's, then each -p's and --expose's port
 * not there yet, in order (a map's keys, as docker's); -1 on ENOMEM */
static int ports_record(const struct container_opts *o, json_t *ic, struct container_record *r)
{
	json_t *image = json_object_get(ic, "ExposedPorts"), *v;
	size_t n = json_object_size(image) + o->nports + 1, len = 0;
	for (size_t i = 0; o->expose && o->expose[i]; i++)
		n++;
	const char **keys = calloc(n, sizeof(*keys)), *k;
	char(*flags)[32] = calloc(o->nports + 1, sizeof(*flags));
	int rc = 0;
	r->host.has_port_bindings = true;
	if (!keys || !flags) {
		free(keys);
		free(flags);
		return -1;
	}
	json_object_foreach(image, k, v)
	{
		keys[len++] = k;
	}
	for (size_t i = 0; rc == 0 && i < o->nports; i++) {
		const struct network_port *p = &o->ports[i];
		char hp[16] = "";
		snprintf(flags[i], sizeof(flags[i]), "%u/%s", p->port, p->proto);
		if (p->host_port)
			snprintf(hp, sizeof(hp), "%u", p->host_port);
		rc = container_record_add_binding(r, flags[i], p->host_ip, hp);
		len = key_once(keys, len, flags[i]);
	}
	for (size_t i = 0; o->expose && o->expose[i]; i++)
		len = key_once(keys, len, o->expose[i]);
	if (rc == 0)
		rc = container_record_set_strv(&r->config.exposed_ports, keys, len);
	free(keys);
	free(flags);
	return rc;
}

json_t *container_record_new(const struct container_opts *o, const char *id, const char *name,
			     const char *image_ref, const char *image_id, json_t *image_config,
			     struct mr_err *err)
{
	json_t *ic = json_object_get(image_config, "config"), *ep, *cmd;
	char created[64], image[128], nm[300];
	entry_and_cmd(o, ic, &ep, &cmd);

	/* Path and Args: the process to run, Entrypoint + Cmd */
	size_t n;
	const char **argv = strings_of(ep, cmd, &n);
	if (!argv || n == 0) {
		free(argv);
		json_decref(ep);
		json_decref(cmd);
		/* (a non-string can't get here: image/ checks the config's types at load) */
		mr_fail(err, 0,
			"No command specified: image '%s' has no Entrypoint or Cmd; give a "
			"command after the image name",
			image_ref ? image_ref : o->image);
		return NULL;
	}

	/* the typed part of the record: record_json.c lays the tree out */
	struct container_record r = {0};
	now_rfc3339(created, sizeof(created));
	snprintf(image, sizeof(image), "%s%s",
		 image_id && strncmp(image_id, "sha256:", 7) != 0 ? "sha256:" : "",
		 image_id ? image_id : "");
	snprintf(nm, sizeof(nm), "/%s", name && name[0] == '/' ? name + 1 : name ? name : "");
	container_record_set_str(&r.id, id);
	container_record_set_str(&r.created, created);
	container_record_set_str(&r.path, argv[0]);
	int rc = container_record_set_strv(&r.args, argv + 1, n - 1);
	free(argv);
	container_record_set_state(&r, CONTAINER_CREATED);
	container_record_set_str(&r.state.error, "");
	container_record_set_str(&r.state.started_at, ZERO_TIME);
	container_record_set_str(&r.state.finished_at, ZERO_TIME);
	container_record_set_str(&r.image, image);
	container_record_set_str(&r.name, nm);
	container_record_set_str(&r.mr.detach_keys,
				 o->detach_keys ? o->detach_keys : "ctrl-p,ctrl-q");
	container_record_set_str(&r.mr.step, "");
	container_record_set_str(&r.mr.image_ref, image_ref ? image_ref : o->image);
	/* HostConfig's keys of the flags (an --ulimit or --device that does not parse fails
	 * here, before anything is written) */
	if (container_record_host(&r, o, err) < 0) {
		json_decref(ep);
		json_decref(cmd);
		container_record_free(&r);
		return NULL;
	}

	/* create's flags the record keeps for later: --security-opt's no-new-privileges and
	 * seccomp ("unconfined", or a profile: its JSON text, read when the flag was parsed),
	 * which the bundle reads at each start; --platform, --pull never */
	r.mr.no_new_privileges = o->no_new_privs;
	container_record_set_str(&r.mr.seccomp, o->seccomp_profile);
	container_record_set_str(&r.mr.platform, o->platform);
	r.mr.pull_never = o->pull_never;

	/* HostConfig's other keys: --log-* (logopts.c), --dns* and --add-host (dns_flags.c),
	 * -p, --tmpfs PATH[:OPTIONS] */
	if (log_config_record(o, &r) < 0 || container_dnsflags_record(&r, o) < 0 ||
	    ports_record(o, ic, &r) < 0)
		rc = -1;
	for (size_t i = 0; o->tmpfs && o->tmpfs[i]; i++) {
		const char *t = o->tmpfs[i], *colon = strchr(t, ':');
		char path[4096];
		snprintf(path, sizeof(path), "%.*s", (int)(colon ? colon - t : (long)strlen(t)), t);
		if (container_kvs_add(&r.host.tmpfs, path, colon ? colon + 1 : "") < 0)
			rc = -1;
	}

	if (config_record(o, id, ic, ep, cmd, &r) < 0 ||
	    health_merge(o, json_object_get(ic, "Healthcheck"), &r.config.healthcheck) < 0)
		rc = -1;
	json_decref(ep);
	json_decref(cmd);
	bool short_of_memory = rc < 0 || !r.id || !r.created || !r.path || !r.name || !r.image ||
			       !r.mr.detach_keys || !r.mr.image_ref ||
			       (o->seccomp_profile && !r.mr.seccomp) ||
			       (o->platform && !r.mr.platform);
	json_t *rec = container_record_json_new(&r);
	container_record_free(&r);
	if (short_of_memory) {
		json_decref(rec);
		mr_fail(err, ENOMEM, "container record");
		return NULL;
	}
	return rec;
}
