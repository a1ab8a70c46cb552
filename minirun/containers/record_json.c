/*
 * minirun/containers/record_json.c - struct container_record <-> container.json: with
 * record_json_config.c, record_json_host.c, record_json_host_write.c and record_json_net.c,
 * the one place that knows the record's JSON keys.
 *
 * container.json keeps the shape `docker inspect` prints (README.md here), so that inspect
 * can print it as it is and a record written by any earlier minirun still loads. The front
 * end decides by typed fields (containers.h): this file reads them out of the tree after a
 * load and writes them back into the same tree before a save. It writes in place, so that
 * a key keeps its position (jansson keeps insertion order) and the parts the struct does not
 * type pass through untouched:
 *
 *   typed here                         passed through (the tree, c->rec)
 *   Id Name Created Path Args Image    Driver Platform GraphDriver.Name
 *   ResolvConfPath HostnamePath
 *     HostsPath LogPath RestartCount
 *   State (Health: Status, Streak,     HostConfig: the keys of what minirun does not
 *     Log)                               do (Links, Isolation, KernelMemory ...: docker's
 *   Config: Hostname Domainname User     values, written with a new record only)
 *     Attach* Tty OpenStdin StdinOnce  Minirun.Seccomp's profile (the bundle's)
 *     Env Cmd Image WorkingDir
 *     Entrypoint MacAddress Labels
 *     StopSignal StopTimeout Volumes
 *     Healthcheck Shell ExposedPorts
 *   HostConfig: every key a flag sets (struct container_host: Binds ... Mounts), in
 *     record_json_host.c (reading) and record_json_host_write.c (writing, docker's order)
 *   Minirun: Step Broken ImageRef DetachKeys StopRequested MonitorPid LowerDirs
 *     IdMap OciMounts NoNewPrivileges Seccomp Platform PullNever
 *   Mounts (each: Type Name Source Destination Driver Mode RW Propagation)
 *   GraphDriver.Data: UpperDir WorkDir MergedDir LowerDir
 *   NetworkSettings.Ports ("80/tcp": null, or [{HostIp HostPort}])
 *   NetworkSettings.Networks (NAME: an endpoint in one of docker's three shapes, enum
 *     container_endpoint_kind), IPAddress Gateway IPPrefixLen MacAddress SandboxKey
 *
 * Reading is forgiving (a missing key is docker's zero value: an older record loads);
 * writing adds an optional key only when it has a value (StopTimeout, StopSignal,
 * MonitorPid, StopRequested, NoNewPrivileges, State.Health, Tmpfs, Dns ...), so a record
 * nobody changed is written back as it was read.
 *
 * Config (and its Healthcheck) is record_json_config.c's; HostConfig is record_json_host.c's
 * (reading) and record_json_host_write.c's (writing); NetworkSettings is record_json_net.c's;
 * the helpers they share with this file are in record_json.h. The bundle reads HostConfig from the tree at each start
 * (bundle/config.c), as written here.
 *
 * See: containers.h (the struct); record_fields.c (its handling, no JSON); README.md here
 *      (the record's layout);
 *      https://docs.docker.com/reference/api/engine/ (ContainerInspectResponse)
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/record_json.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the words -------------------------------------------------------------------------- */

static const char *const state_names[] = {
	[CONTAINER_CREATED] = "created",   [CONTAINER_RUNNING] = "running",
	[CONTAINER_PAUSED] = "paused",     [CONTAINER_RESTARTING] = "restarting",
	[CONTAINER_REMOVING] = "removing", [CONTAINER_EXITED] = "exited",
	[CONTAINER_DEAD] = "dead",
};

const char *container_state_name(enum container_state s)
{
	return (size_t)s < NELEMS(state_names) ? state_names[s] : "dead";
}

int container_state_parse(const char *word)
{
	for (size_t i = 0; word && i < NELEMS(state_names); i++)
		if (!strcmp(word, state_names[i]))
			return (int)i;
	return -1;
}

bool container_state_live(enum container_state s)
{
	return s == CONTAINER_RUNNING || s == CONTAINER_PAUSED || s == CONTAINER_RESTARTING;
}

static const char *const health_names[] = {
	[CONTAINER_HEALTH_NONE] = "",
	[CONTAINER_HEALTH_STARTING] = "starting",
	[CONTAINER_HEALTH_HEALTHY] = "healthy",
	[CONTAINER_HEALTH_UNHEALTHY] = "unhealthy",
};

const char *container_health_name(enum container_health h)
{
	return (size_t)h < NELEMS(health_names) ? health_names[h] : "";
}

static enum container_health health_parse(const char *word)
{
	for (size_t i = 1; word && i < NELEMS(health_names); i++)
		if (!strcmp(word, health_names[i]))
			return (enum container_health)i;
	return word ? CONTAINER_HEALTH_STARTING : CONTAINER_HEALTH_NONE;
}

/* ---- small helpers ---------------------------------------------------------------------- */

char *rj_dup_str(json_t *v)
{
	const char *s = json_string_value(v);
	return s ? strdup(s) : NULL;
}

/* a JSON array of strings -> a NULL-terminated vector (non-strings skipped); NULL when V is
 * not an array */
char **rj_dup_strv(json_t *v)
{
	if (!json_is_array(v))
		return NULL;
	char **out = calloc(json_array_size(v) + 1, sizeof(*out));
	size_t i, n = 0;
	json_t *s;
	json_array_foreach(v, i, s)
	{
		if (out && json_is_string(s))
			out[n++] = strdup(json_string_value(s));
	}
	return out;
}

json_t *rj_strv_json(char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *rj_get(json_t *o, const char *key)
{
	return json_object_get(o, key);
}

/* ---- from JSON -------------------------------------------------------------------------- */

/* State.Health.Log into R; -1 on ENOMEM */
static int health_log_from_json(json_t *log, struct container_record *r)
{
	size_t i;
	json_t *e;
	json_array_foreach(log, i, e)
	{
		struct container_health_result h = {
			.start = (char *)json_string_value(rj_get(e, "Start")),
			.end = (char *)json_string_value(rj_get(e, "End")),
			.exit_code = (int)json_integer_value(rj_get(e, "ExitCode")),
			.output = (char *)json_string_value(rj_get(e, "Output")),
		};
		if (container_record_add_health(r, &h) < 0)
			return -1;
	}
	return 0;
}

/* Minirun.Seccomp V into R: "unconfined" as it is; a profile only noted
 * (has_seccomp_profile): its object stays in the tree, where the bundle reads it, and
 * put_seccomp leaves it there (a profile can be tens of kB: no text made of it at each load,
 * no parse at each save); anything else (a hand edit) means the default profile to the
 * bundle, as no key does: NULL, and left in the tree as it is. -1 on ENOMEM */
static int seccomp_from_json(json_t *v, struct container_record *r)
{
	const char *s = json_string_value(v);
	bool unconfined = s && strcmp(s, "unconfined") == 0;
	if (unconfined)
		r->mr.seccomp = strdup(s);
	r->mr.has_seccomp_profile = json_is_object(v);
	return unconfined && !r->mr.seccomp ? -1 : 0;
}

int container_record_add_oci_mount(struct container_record *r, json_t *m)
{
	struct container_oci_mount *v =
		realloc(r->mr.oci_mounts, (r->mr.noci_mounts + 1) * sizeof(*v));
	if (!v)
		return -1;
	r->mr.oci_mounts = v;
	r->mr.has_oci_mounts = true;
	struct container_oci_mount *o = &v[r->mr.noci_mounts++];
	json_t *options = rj_get(m, "options");
	*o = (struct container_oci_mount){
		.destination = rj_dup_str(rj_get(m, "destination")),
		.type = rj_dup_str(rj_get(m, "type")),
		.source = rj_dup_str(rj_get(m, "source")),
		.options = rj_dup_strv(options),
	};
	bool short_of_memory = (json_is_string(rj_get(m, "destination")) && !o->destination) ||
			       (json_is_string(rj_get(m, "type")) && !o->type) ||
			       (json_is_string(rj_get(m, "source")) && !o->source) ||
			       (json_is_array(options) && !o->options);
	return short_of_memory ? -1 : 0;
}

/* Minirun.OciMounts V (an array: else none) into R; -1 on ENOMEM */
static int oci_mounts_from_json(json_t *v, struct container_record *r)
{
	size_t i;
	json_t *m;
	r->mr.has_oci_mounts = json_is_array(v);
	json_array_foreach(v, i, m)
	{
		if (json_is_object(m) && container_record_add_oci_mount(r, m) < 0)
			return -1;
	}
	return 0;
}

int container_record_from_json(json_t *rec, struct container_record *r, struct mr_err *err)
{
	json_t *st = rj_get(rec, "State"), *cfg = rj_get(rec, "Config"),
	       *hc = rj_get(rec, "HostConfig");
	json_t *mr = rj_get(rec, "Minirun"), *v;
	size_t i;

	container_record_free(r);
	r->id = rj_dup_str(rj_get(rec, "Id"));
	r->name = rj_dup_str(rj_get(rec, "Name"));
	r->created = rj_dup_str(rj_get(rec, "Created"));
	r->path = rj_dup_str(rj_get(rec, "Path"));
	r->args = rj_dup_strv(rj_get(rec, "Args"));
	r->image = rj_dup_str(rj_get(rec, "Image"));
	r->resolv_conf_path = rj_dup_str(rj_get(rec, "ResolvConfPath"));
	r->hostname_path = rj_dup_str(rj_get(rec, "HostnamePath"));
	r->hosts_path = rj_dup_str(rj_get(rec, "HostsPath"));
	r->log_path = rj_dup_str(rj_get(rec, "LogPath"));
	r->restart_count = (long)json_integer_value(rj_get(rec, "RestartCount"));

	/* no State.Status: a half-made container (killed before its record), or a broken
	 * record: "dead" */
	int s = container_state_parse(json_string_value(rj_get(st, "Status")));
	r->state.present = json_is_object(st);
	r->state.status = s < 0 ? CONTAINER_DEAD : (enum container_state)s;
	r->state.oom_killed = json_is_true(rj_get(st, "OOMKilled"));
	r->state.dead = json_is_true(rj_get(st, "Dead"));
	r->state.pid = (pid_t)json_integer_value(rj_get(st, "Pid"));
	r->state.exit_code = (int)json_integer_value(rj_get(st, "ExitCode"));
	r->state.error = rj_dup_str(rj_get(st, "Error"));
	r->state.started_at = rj_dup_str(rj_get(st, "StartedAt"));
	r->state.finished_at = rj_dup_str(rj_get(st, "FinishedAt"));
	json_t *h = rj_get(st, "Health");
	r->state.health = json_is_object(h) ? health_parse(json_string_value(rj_get(h, "Status")))
					    : CONTAINER_HEALTH_NONE;
	r->state.failing_streak = (int)json_integer_value(rj_get(h, "FailingStreak"));
	if (health_log_from_json(rj_get(h, "Log"), r) < 0) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}

	if (rj_config_from_json(cfg, r) < 0) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}

	if (rj_host_from_json(hc, r) < 0) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}

	r->mr.step = rj_dup_str(rj_get(mr, "Step"));
	r->mr.broken = rj_dup_str(rj_get(mr, "Broken"));
	r->mr.image_ref = rj_dup_str(rj_get(mr, "ImageRef"));
	r->mr.detach_keys = rj_dup_str(rj_get(mr, "DetachKeys"));
	r->mr.stop_requested = json_is_true(rj_get(mr, "StopRequested"));
	r->mr.monitor_pid = (pid_t)json_integer_value(rj_get(mr, "MonitorPid"));
	r->mr.lower_dirs = rj_dup_strv(rj_get(mr, "LowerDirs"));
	if (oci_mounts_from_json(rj_get(mr, "OciMounts"), r) < 0) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}
	json_t *map = rj_get(mr, "IdMap");
	r->mr.id_map.present = json_is_object(map);
	r->mr.id_map.host_uid = (unsigned long)json_integer_value(rj_get(map, "HostUID"));
	r->mr.id_map.host_gid = (unsigned long)json_integer_value(rj_get(map, "HostGID"));
	r->mr.id_map.size = (unsigned long)json_integer_value(rj_get(map, "Size"));
	r->mr.no_new_privileges = json_is_true(rj_get(mr, "NoNewPrivileges"));
	if (seccomp_from_json(rj_get(mr, "Seccomp"), r) < 0) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}
	r->mr.platform = rj_dup_str(rj_get(mr, "Platform"));
	r->mr.pull_never = json_is_true(rj_get(mr, "PullNever"));
	json_t *graph = rj_get(rj_get(rec, "GraphDriver"), "Data");
	r->upper_dir = rj_dup_str(rj_get(graph, "UpperDir"));
	r->work_dir = rj_dup_str(rj_get(graph, "WorkDir"));
	r->merged_dir = rj_dup_str(rj_get(graph, "MergedDir"));
	r->lower_dir = rj_dup_str(rj_get(graph, "LowerDir"));

	json_t *ports = rj_get(rj_get(rec, "NetworkSettings"), "Ports");
	r->has_ports = json_is_object(ports);
	if (rj_ports_from_json(ports, r, false) < 0) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}

	if (rj_networks_from_json(rj_get(rec, "NetworkSettings"), r) < 0) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}

	json_t *mounts = rj_get(rec, "Mounts");
	r->has_mounts = json_is_array(mounts);
	json_array_foreach(mounts, i, v)
	{
		struct container_mount m = {
			.type = (char *)json_string_value(rj_get(v, "Type")),
			.name = (char *)json_string_value(rj_get(v, "Name")),
			.source = (char *)json_string_value(rj_get(v, "Source")),
			.destination = (char *)json_string_value(rj_get(v, "Destination")),
			.driver = (char *)json_string_value(rj_get(v, "Driver")),
			.mode = (char *)json_string_value(rj_get(v, "Mode")),
			.rw = json_is_true(rj_get(v, "RW")),
			.propagation = (char *)json_string_value(rj_get(v, "Propagation")),
		};
		if (container_record_add_mount(r, &m) < 0) {
			container_record_free(r);
			return mr_fail(err, ENOMEM, "container record");
		}
	}

	/* strdup's failures: the fields are all optional, so check the ones that were there */
	bool short_of_memory = (json_is_string(rj_get(rec, "Id")) && !r->id) ||
			       (json_is_string(rj_get(rec, "Name")) && !r->name) ||
			       (json_is_array(rj_get(rec, "Args")) && !r->args);
	if (short_of_memory) {
		container_record_free(r);
		return mr_fail(err, ENOMEM, "container record");
	}
	return 0;
}

/* ---- to JSON ---------------------------------------------------------------------------- */

/* set KEY of O to the string S; NULL leaves the key as it is (absent stays absent) */
void rj_put_str(json_t *o, const char *key, const char *s)
{
	if (s)
		json_object_set_new(o, key, json_string(s));
}

/* the object KEY of O, made (empty, at the end) when missing and MAKE */
json_t *rj_obj(json_t *o, const char *key, bool make)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_object(v) && make) {
		v = json_object();
		json_object_set_new(o, key, v);
	}
	return json_is_object(v) ? v : NULL;
}

static json_t *health_log_json(const struct container_record *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->state.nhealth_log; i++) {
		const struct container_health_result *h = &r->state.health_log[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s}", "Start", h->start, "End",
						   h->end, "ExitCode", h->exit_code, "Output",
						   h->output));
	}
	return a;
}

static void state_to_json(const struct container_record *r, json_t *rec)
{
	/* a record without a State (half-made, broken) gets one only when given a state
	 * (container_record_set_state) */
	json_t *st = rj_obj(rec, "State", r->state.present);
	if (!st)
		return;
	enum container_state s = r->state.status;
	rj_put_str(st, "Status", container_state_name(s));
	json_object_set_new(st, "Running",
			    json_boolean(s == CONTAINER_RUNNING || s == CONTAINER_PAUSED));
	json_object_set_new(st, "Paused", json_boolean(s == CONTAINER_PAUSED));
	json_object_set_new(st, "Restarting", json_boolean(s == CONTAINER_RESTARTING));
	/* a State made here (a broken record's, for inspect) has no OOMKilled, ExitCode */
	if (json_object_get(st, "OOMKilled") || r->state.oom_killed)
		json_object_set_new(st, "OOMKilled", json_boolean(r->state.oom_killed));
	json_object_set_new(st, "Dead", json_boolean(r->state.dead));
	json_object_set_new(st, "Pid", json_integer(r->state.pid));
	if (json_object_get(st, "ExitCode") || r->state.exit_code)
		json_object_set_new(st, "ExitCode", json_integer(r->state.exit_code));
	rj_put_str(st, "Error", r->state.error);
	rj_put_str(st, "StartedAt", r->state.started_at);
	rj_put_str(st, "FinishedAt", r->state.finished_at);
	if (r->state.health == CONTAINER_HEALTH_NONE)
		return; /* no check: no State.Health, as docker */
	json_t *h = json_object_get(st, "Health");
	if (!json_is_object(h)) {
		h = json_pack("{s:s, s:i, s:[]}", "Status", "starting", "FailingStreak", 0, "Log");
		json_object_set_new(st, "Health", h);
	}
	rj_put_str(h, "Status", container_health_name(r->state.health));
	json_object_set_new(h, "FailingStreak", json_integer(r->state.failing_streak));
	json_object_set_new(h, "Log", health_log_json(r));
}

static void config_to_json(const struct container_record *r, json_t *rec)
{
	json_t *cfg = rj_obj(rec, "Config", false);
	if (cfg)
		rj_config_to_json(r, cfg);
}

static void host_to_json(const struct container_record *r, json_t *rec)
{
	json_t *hc = rj_obj(rec, "HostConfig", false);
	if (hc)
		rj_host_to_json(r, hc);
}

/* Minirun.Seccomp of MR set from the text S: "unconfined", else the profile's object. Left
 * as it is when S is NULL (none, or the profile the record has: has_seccomp_profile), or
 * does not parse (as none can but on ENOMEM: opts_set.c made it from a parsed object) */
static void put_seccomp(json_t *mr, const char *s)
{
	json_t *v = NULL;
	if (s)
		v = strcmp(s, "unconfined") == 0 ? json_string(s) : json_loads(s, 0, NULL);
	if (v)
		json_object_set_new(mr, "Seccomp", v);
}

/* set KEY of O to the boolean B where O has KEY or B is true */
static void put_flag(json_t *o, const char *key, bool b)
{
	if (b || json_object_get(o, key))
		json_object_set_new(o, key, json_boolean(b));
}

/* set KEY of O to the number V where O has KEY or V is not 0 */
static void put_uint(json_t *o, const char *key, unsigned long v)
{
	if (v || json_object_get(o, key))
		json_object_set_new(o, key, json_integer((json_int_t)v));
}

/* Minirun.OciMounts of R: each entry's keys in volume_oci_mount's order */
static json_t *oci_mounts_json(const struct container_record *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->mr.noci_mounts; i++) {
		const struct container_oci_mount *m = &r->mr.oci_mounts[i];
		json_t *e = json_object();
		rj_put_str(e, "destination", m->destination);
		rj_put_str(e, "type", m->type);
		rj_put_str(e, "source", m->source);
		if (m->options)
			json_object_set_new(e, "options", rj_strv_json(m->options));
		json_array_append_new(a, e);
	}
	return a;
}

/* Minirun.IdMap of MR, in place (HostUID HostGID Size, as userns.c first wrote it) */
static void id_map_to_json(const struct container_record *r, json_t *mr)
{
	json_t *map = rj_obj(mr, "IdMap", r->mr.id_map.present);
	if (!map || !r->mr.id_map.present)
		return;
	put_uint(map, "HostUID", r->mr.id_map.host_uid);
	put_uint(map, "HostGID", r->mr.id_map.host_gid);
	put_uint(map, "Size", r->mr.id_map.size);
}

static void minirun_to_json(const struct container_record *r, json_t *rec)
{
	bool any = r->mr.step || r->mr.broken || r->mr.image_ref || r->mr.detach_keys ||
		   r->mr.stop_requested || r->mr.monitor_pid || r->mr.lower_dirs ||
		   r->mr.no_new_privileges || r->mr.seccomp || r->mr.has_seccomp_profile ||
		   r->mr.platform || r->mr.pull_never || r->mr.id_map.present ||
		   r->mr.has_oci_mounts;
	json_t *mr = rj_obj(rec, "Minirun", any);
	if (!mr)
		return;
	rj_put_str(mr, "DetachKeys", r->mr.detach_keys);
	rj_put_str(mr, "Step", r->mr.step);
	put_flag(mr, "NoNewPrivileges", r->mr.no_new_privileges);
	rj_put_str(mr, "ImageRef", r->mr.image_ref);
	put_seccomp(mr, r->mr.seccomp);
	rj_put_str(mr, "Platform", r->mr.platform);
	put_flag(mr, "PullNever", r->mr.pull_never);
	rj_put_str(mr, "Broken", r->mr.broken);
	if (r->mr.lower_dirs)
		json_object_set_new(mr, "LowerDirs", rj_strv_json(r->mr.lower_dirs));
	id_map_to_json(r, mr);
	if (r->mr.has_oci_mounts)
		json_object_set_new(mr, "OciMounts", oci_mounts_json(r));
	if (r->mr.monitor_pid)
		json_object_set_new(mr, "MonitorPid", json_integer(r->mr.monitor_pid));
	/* present only while asked: a later start must not see an old stop */
	if (r->mr.stop_requested)
		json_object_set_new(mr, "StopRequested", json_true());
	else
		json_object_del(mr, "StopRequested");
}

/* GraphDriver.Data, in docker's order (a new record's Data is {}: container_record_json_new);
 * GraphDriver.Name is the new record's */
static void graph_to_json(const struct container_record *r, json_t *rec)
{
	bool any = r->upper_dir || r->work_dir || r->merged_dir || r->lower_dir;
	json_t *graph = rj_obj(rec, "GraphDriver", any);
	json_t *data = graph ? rj_obj(graph, "Data", any) : NULL;
	if (!data)
		return;
	rj_put_str(data, "UpperDir", r->upper_dir);
	rj_put_str(data, "WorkDir", r->work_dir);
	rj_put_str(data, "MergedDir", r->merged_dir);
	rj_put_str(data, "LowerDir", r->lower_dir);
}

/* Mounts, in docker's key order (Name and Driver for volumes only) */
static void mounts_to_json(const struct container_record *r, json_t *rec)
{
	if (!r->has_mounts && !r->nmounts)
		return;
	json_t *a = json_array();
	for (size_t i = 0; i < r->nmounts; i++) {
		const struct container_mount *m = &r->mounts[i];
		json_t *e = json_object();
		rj_put_str(e, "Type", m->type);
		rj_put_str(e, "Name", m->name);
		rj_put_str(e, "Source", m->source);
		rj_put_str(e, "Destination", m->destination);
		rj_put_str(e, "Driver", m->driver);
		rj_put_str(e, "Mode", m->mode);
		json_object_set_new(e, "RW", json_boolean(m->rw));
		rj_put_str(e, "Propagation", m->propagation);
		json_array_append_new(a, e);
	}
	json_object_set_new(rec, "Mounts", a);
}

void container_record_to_json(const struct container_record *r, json_t *rec)
{
	if (!json_is_object(rec))
		return;
	rj_put_str(rec, "Id", r->id);
	rj_put_str(rec, "Created", r->created);
	rj_put_str(rec, "Path", r->path);
	if (r->args)
		json_object_set_new(rec, "Args", rj_strv_json(r->args));
	state_to_json(r, rec);
	rj_put_str(rec, "Image", r->image);
	rj_put_str(rec, "ResolvConfPath", r->resolv_conf_path);
	rj_put_str(rec, "HostnamePath", r->hostname_path);
	rj_put_str(rec, "HostsPath", r->hosts_path);
	rj_put_str(rec, "LogPath", r->log_path);
	rj_put_str(rec, "Name", r->name);
	if (json_object_get(rec, "RestartCount") || r->restart_count)
		json_object_set_new(rec, "RestartCount", json_integer(r->restart_count));
	host_to_json(r, rec);
	config_to_json(r, rec);
	rj_networks_to_json(r, rec);
	rj_net_ports_to_json(r, rec);
	mounts_to_json(r, rec);
	graph_to_json(r, rec);
	minirun_to_json(r, rec);
}

/* ---- a new record ----------------------------------------------------------------------- */

json_t *container_record_json_new(const struct container_record *r)
{
	json_t *rec = json_object(), *mr = json_object();
	const char *zero = "0001-01-01T00:00:00Z"; /* docker's "never" (Go's zero time) */
	enum container_state s = r->state.status;
	rj_put_str(rec, "Id", r->id);
	rj_put_str(rec, "Created", r->created);
	rj_put_str(rec, "Path", r->path);
	json_object_set_new(rec, "Args", rj_strv_json(r->args));
	json_object_set_new(rec, "State",
			    json_pack("{s:s, s:b, s:b, s:b, s:b, s:b, s:i, s:i, s:s, s:s, s:s}",
				      "Status", container_state_name(s), "Running",
				      s == CONTAINER_RUNNING || s == CONTAINER_PAUSED, "Paused",
				      s == CONTAINER_PAUSED, "Restarting",
				      s == CONTAINER_RESTARTING, "OOMKilled", r->state.oom_killed,
				      "Dead", r->state.dead, "Pid", (int)r->state.pid, "ExitCode",
				      r->state.exit_code, "Error", r->state.error ?: "",
				      "StartedAt", r->state.started_at ?: zero, "FinishedAt",
				      r->state.finished_at ?: zero));
	rj_put_str(rec, "Image", r->image);
	/* the files of a start: "" until create fills them, once the directory exists
	 * (lifecycle.c) */
	json_object_set_new(rec, "ResolvConfPath", json_string(r->resolv_conf_path ?: ""));
	json_object_set_new(rec, "HostnamePath", json_string(r->hostname_path ?: ""));
	json_object_set_new(rec, "HostsPath", json_string(r->hosts_path ?: ""));
	json_object_set_new(rec, "LogPath", json_string(r->log_path ?: ""));
	rj_put_str(rec, "Name", r->name);
	json_object_set_new(rec, "RestartCount", json_integer(r->restart_count));
	json_object_set_new(rec, "Driver", json_string("overlay2"));
	json_object_set_new(rec, "Platform", json_string("linux"));
	/* no SELinux labels, no AppArmor profile (seccomp and capabilities only); ExecIDs:
	 * minirun keeps no IDs of running execs, so null, docker's word for none running */
	json_object_set_new(rec, "MountLabel", json_string(""));
	json_object_set_new(rec, "ProcessLabel", json_string(""));
	json_object_set_new(rec, "AppArmorProfile", json_string(""));
	json_object_set_new(rec, "ExecIDs", json_null());
	json_object_set_new(rec, "HostConfig", rj_host_json_new(r));
	json_object_set_new(rec, "Config", rj_config_json_new(r));
	json_object_set_new(rec, "NetworkSettings", json_pack("{s:{}, s:{}}", "Networks", "Ports"));
	json_object_set_new(rec, "Mounts", json_array());
	json_object_set_new(rec, "GraphDriver",
			    json_pack("{s:s, s:{}}", "Name", "overlay2", "Data"));
	/* Minirun, in the order of the minirun before it was typed: NoNewPrivileges and
	 * PullNever always, Seccomp and Platform when set */
	rj_put_str(mr, "DetachKeys", r->mr.detach_keys);
	rj_put_str(mr, "Step", r->mr.step);
	json_object_set_new(mr, "NoNewPrivileges", json_boolean(r->mr.no_new_privileges));
	rj_put_str(mr, "ImageRef", r->mr.image_ref);
	put_seccomp(mr, r->mr.seccomp);
	rj_put_str(mr, "Platform", r->mr.platform);
	json_object_set_new(mr, "PullNever", json_boolean(r->mr.pull_never));
	json_object_set_new(rec, "Minirun", mr);
	return rec;
}
