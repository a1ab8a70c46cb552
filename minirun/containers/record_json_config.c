/*
 * minirun/containers/record_json_config.c - the record's Config <-> the typed record:
 * Hostname Domainname User Attach* Tty OpenStdin StdinOnce Env Cmd Image WorkingDir
 * Entrypoint MacAddress Labels StopSignal StopTimeout Shell ExposedPorts Volumes, and Healthcheck
 * (Test, its durations and Retries); and a new record's Config in docker's key order.
 * record_json.c's rules hold here too: read forgivingly (a missing key is docker's zero
 * value), written in place, a key an older record lacks left out unless it gets a value.
 *
 * See: record_json.c (the rest of the record, and the rules); record_json.h;
 *      https://docs.docker.com/reference/api/engine/ (ContainerConfig, HealthConfig)
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/record_json.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- from JSON -------------------------------------------------------------------------- */

/* the durations and Retries of Config.Healthcheck, in docker's key order */
static const struct {
	const char *key;
	size_t at; /* offsetof(struct container_healthcheck, ...) */
} healthcheck_keys[] = {
	{"Interval", offsetof(struct container_healthcheck, interval)},
	{"Timeout", offsetof(struct container_healthcheck, timeout)},
	{"StartPeriod", offsetof(struct container_healthcheck, start_period)},
	{"StartInterval", offsetof(struct container_healthcheck, start_interval)},
	{"Retries", offsetof(struct container_healthcheck, retries)},
};

static long long *healthcheck_field(struct container_healthcheck *h, size_t i)
{
	return (long long *)((char *)h + healthcheck_keys[i].at);
}

/* Config.Healthcheck HC into H; -1 on ENOMEM */
static int healthcheck_from_json(json_t *hc, struct container_healthcheck *h)
{
	h->present = json_is_object(hc);
	for (size_t i = 0; h->present && i < NELEMS(healthcheck_keys); i++)
		*healthcheck_field(h, i) = json_integer_value(rj_get(hc, healthcheck_keys[i].key));
	h->test = rj_dup_strv(rj_get(hc, "Test"));
	return json_is_array(rj_get(hc, "Test")) && !h->test ? -1 : 0;
}

/* the keys of the object O (ExposedPorts, Volumes) as a NULL-terminated vector; NULL when O
 * is no object, or on ENOMEM */
static char **object_keys(json_t *o)
{
	if (!json_is_object(o))
		return NULL;
	char **v = calloc(json_object_size(o) + 1, sizeof(*v));
	const char *k;
	json_t *x;
	size_t n = 0;
	json_object_foreach(o, k, x)
	{
		if (v && !(v[n++] = strdup(k))) {
			for (size_t i = 0; i + 1 < n; i++)
				free(v[i]);
			free(v);
			v = NULL;
		}
	}
	return v;
}

/* Config CFG into R (R->config); -1 on ENOMEM */
int rj_config_from_json(json_t *cfg, struct container_record *r)
{
	json_t *v;
	const char *k;

	r->config.hostname = rj_dup_str(rj_get(cfg, "Hostname"));
	r->config.domainname = rj_dup_str(rj_get(cfg, "Domainname"));
	r->config.user = rj_dup_str(rj_get(cfg, "User"));
	r->config.attach_stdin = json_is_true(rj_get(cfg, "AttachStdin"));
	r->config.attach_stdout = json_is_true(rj_get(cfg, "AttachStdout"));
	r->config.attach_stderr = json_is_true(rj_get(cfg, "AttachStderr"));
	r->config.stdin_once = json_is_true(rj_get(cfg, "StdinOnce"));
	r->config.env = rj_dup_strv(rj_get(cfg, "Env"));
	r->config.cmd = rj_dup_strv(rj_get(cfg, "Cmd"));
	r->config.entrypoint = rj_dup_strv(rj_get(cfg, "Entrypoint"));
	r->config.shell = rj_dup_strv(rj_get(cfg, "Shell"));
	if (healthcheck_from_json(rj_get(cfg, "Healthcheck"), &r->config.healthcheck) < 0)
		return -1;
	r->config.image = rj_dup_str(rj_get(cfg, "Image"));
	r->config.working_dir = rj_dup_str(rj_get(cfg, "WorkingDir"));
	r->config.stop_signal = rj_dup_str(rj_get(cfg, "StopSignal"));
	r->config.mac_address = rj_dup_str(rj_get(cfg, "MacAddress"));
	v = rj_get(cfg, "StopTimeout");
	r->config.stop_timeout = json_is_integer(v) ? (int)json_integer_value(v) : -1;
	r->config.tty = json_is_true(rj_get(cfg, "Tty"));
	r->config.open_stdin = json_is_true(rj_get(cfg, "OpenStdin"));
	json_t *exposed = rj_get(cfg, "ExposedPorts"), *volumes = rj_get(cfg, "Volumes");
	r->config.exposed_ports = object_keys(exposed);
	r->config.volumes = object_keys(volumes);
	json_t *labels = rj_get(cfg, "Labels");
	if (json_object_size(labels)) {
		r->config.labels = calloc(json_object_size(labels), sizeof(*r->config.labels));
		json_object_foreach(labels, k, v)
		{
			if (!r->config.labels || !json_is_string(v))
				continue;
			struct container_label *l = &r->config.labels[r->config.nlabels++];
			l->key = strdup(k);
			l->value = strdup(json_string_value(v));
		}
	}

	/* strdup's failures: the fields are all optional, so check the ones that were there */
	bool short_of_memory =
		(json_is_array(rj_get(cfg, "Env")) && !r->config.env) ||
		(json_is_array(rj_get(cfg, "Cmd")) && !r->config.cmd) ||
		(json_is_array(rj_get(cfg, "Entrypoint")) && !r->config.entrypoint) ||
		(json_is_array(rj_get(cfg, "Shell")) && !r->config.shell) ||
		(json_object_size(labels) && !r->config.labels) ||
		(json_is_object(exposed) && !r->config.exposed_ports) ||
		(json_is_object(volumes) && !r->config.volumes);
	return short_of_memory ? -1 : 0;
}

/* ---- to JSON ---------------------------------------------------------------------------- */

/* Config.ExposedPorts or Volumes (KEY) of the keys V: each key's value {}, as docker's; V
 * NULL: the key left as it is */
static void keys_to_json(json_t *cfg, const char *key, char *const *v)
{
	if (!v)
		return;
	json_t *o = json_object();
	for (size_t i = 0; v[i]; i++)
		json_object_set_new(o, v[i], json_object());
	json_object_set_new(cfg, key, o);
}

/* KEY of O set to the boolean B when O has the key or B is true (an older record without
 * the key keeps none) */
static void put_bool(json_t *o, const char *key, bool b)
{
	if (b || json_object_get(o, key))
		json_object_set_new(o, key, json_boolean(b));
}

/* KEY of O set to the vector V as an array; NULL: JSON null when O has the key (else no
 * key, as an older record had none) */
static void put_strv(json_t *o, const char *key, char *const *v)
{
	if (v)
		json_object_set_new(o, key, rj_strv_json(v));
	else if (json_object_get(o, key))
		json_object_set_new(o, key, json_null());
}

/* H into CFG's Healthcheck, in place: Test, then each duration that is set or was there */
static void healthcheck_to_json(const struct container_record *r, json_t *cfg)
{
	struct container_healthcheck h = r->config.healthcheck;
	json_t *hc = rj_obj(cfg, "Healthcheck", h.present);
	if (!hc)
		return;
	if (h.test)
		json_object_set_new(hc, "Test", rj_strv_json(h.test));
	for (size_t i = 0; i < NELEMS(healthcheck_keys); i++) {
		long long v = *healthcheck_field(&h, i);
		if (v || rj_get(hc, healthcheck_keys[i].key))
			json_object_set_new(hc, healthcheck_keys[i].key, json_integer(v));
	}
}

/* R's Config into CFG, in place: a key CFG has keeps its place */
void rj_config_to_json(const struct container_record *r, json_t *cfg)
{
	rj_put_str(cfg, "Hostname", r->config.hostname);
	rj_put_str(cfg, "Domainname", r->config.domainname);
	rj_put_str(cfg, "User", r->config.user);
	put_bool(cfg, "AttachStdin", r->config.attach_stdin);
	put_bool(cfg, "AttachStdout", r->config.attach_stdout);
	put_bool(cfg, "AttachStderr", r->config.attach_stderr);
	put_bool(cfg, "StdinOnce", r->config.stdin_once);
	put_strv(cfg, "Env", r->config.env);
	put_strv(cfg, "Cmd", r->config.cmd);
	put_strv(cfg, "Entrypoint", r->config.entrypoint);
	healthcheck_to_json(r, cfg);
	put_strv(cfg, "Shell", r->config.shell);
	rj_put_str(cfg, "Image", r->config.image);
	rj_put_str(cfg, "WorkingDir", r->config.working_dir);
	rj_put_str(cfg, "StopSignal", r->config.stop_signal);
	rj_put_str(cfg, "MacAddress", r->config.mac_address);
	if (r->config.stop_timeout >= 0)
		json_object_set_new(cfg, "StopTimeout", json_integer(r->config.stop_timeout));
	json_object_set_new(cfg, "Tty", json_boolean(r->config.tty));
	json_object_set_new(cfg, "OpenStdin", json_boolean(r->config.open_stdin));
	keys_to_json(cfg, "ExposedPorts", r->config.exposed_ports);
	if (json_object_get(cfg, "Labels") || r->config.nlabels)
		json_object_set_new(cfg, "Labels", container_labels_json(r));
	/* not in a new record: vol.c's first anonymous volume adds it, at the end */
	keys_to_json(cfg, "Volumes", r->config.volumes);
}

json_t *container_labels_json(const struct container_record *r)
{
	json_t *labels = json_object();
	for (size_t i = 0; i < r->config.nlabels; i++)
		json_object_set_new(labels, r->config.labels[i].key,
				    json_string(r->config.labels[i].value));
	return labels;
}

/* Config of a new record: docker 20.10's keys in its order (api/types/container Config),
 * the optional ones (MacAddress, StopSignal, StopTimeout, Healthcheck, Shell) only when R
 * has them, as docker's omitempty */
json_t *rj_config_json_new(const struct container_record *r)
{
	static const char *const keys[] = {
		"Hostname",     "Domainname",   "User",       "AttachStdin", "AttachStdout",
		"AttachStderr", "ExposedPorts", "Tty",        "OpenStdin",   "StdinOnce",
		"Env",          "Cmd",          "Image",      "WorkingDir",  "Entrypoint",
		"MacAddress",   "Labels",       "StopSignal", "StopTimeout"};
	json_t *cfg = json_object();
	/* the places, null until rj_config_to_json writes them */
	for (size_t i = 0; i < NELEMS(keys); i++)
		json_object_set_new(cfg, keys[i], json_null());
	if (!r->config.mac_address)
		json_object_del(cfg, "MacAddress");
	if (!r->config.stop_signal)
		json_object_del(cfg, "StopSignal");
	if (r->config.healthcheck.present)
		json_object_set_new(cfg, "Healthcheck", json_null());
	if (r->config.shell)
		json_object_set_new(cfg, "Shell", json_null());
	rj_config_to_json(r, cfg); /* StopTimeout: when set, else none */
	if (r->config.stop_timeout < 0)
		json_object_del(cfg, "StopTimeout");
	return cfg;
}
