/*
 * minirun/image/config_check.c - an image's config checked for type and shape before it is
 * used: every field of image-spec's config.md (and the ones docker adds) that the code reads.
 *
 * The config is the image's: whoever built the image chose it. Read with json_string_value
 * and friends, a field of the wrong type silently reads as absent (`"Env": "x"` ran with
 * docker's default environment, `"User": 123` as root), and one of the right type but the
 * wrong shape went on to fail far from here (`"WorkingDir": "app"` crashed the monitor, issue
 * 13). Docker's Go types refuse a wrong type when the config is decoded; this file does the
 * same, and the shapes its code relies on, with one line naming the image, the field and
 * what is wrong:
 *
 *   minirun: image 'evil:1': config.Env[2] "FOO" is not KEY=VALUE
 *
 * null is accepted wherever Go accepts it (any field: it reads as absent). Fields this file
 * does not know are left alone, as the spec asks ("implementations MUST ignore unknown
 * properties"). Checked at `load` and `pull` (the image is not stored) and at `create`/`run`
 * (an image stored some other way: nothing is made).
 *
 * See: image-spec config.md; docker's api/types/container.Config and image.Image.
 */
#include "minirun/image/image.h"
#include "lib/printable.h"
#include "lib/sig.h"
#include "minirun/oci/runtime.h" /* oci_mount_dest_check */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what a field must be */
enum kind {
	K_STRING,
	K_BOOL,
	K_INT,
	K_OBJECT,  /* an object of any content */
	K_STRINGS, /* an array of strings */
	K_DIGESTS, /* an array of "sha256:HEX" (rootfs.diff_ids) */
	K_HISTORY, /* an array of history objects */
	K_ROOTFS,  /* {"type": "layers", "diff_ids": [...]} */
	K_CONFIG,  /* the "config" object: its own table below */
	K_ENV,     /* an array of "KEY=VALUE" */
	K_PORTS,   /* an object whose keys are "PORT[/tcp|udp|sctp]", values objects */
	K_VOLUMES, /* an object whose keys are mount destinations, values objects */
	K_LABELS,  /* an object of strings */
	K_WORKDIR, /* a path (a relative one is taken from /: record.c) */
	K_SIGNAL,  /* a signal name or number */
	K_HEALTH,  /* docker's Healthcheck object */
};

struct field {
	const char *key;
	enum kind kind;
};

/* the top level: image-spec's fields, then docker's */
static const struct field top_fields[] = {
	{"created", K_STRING},          {"author", K_STRING},
	{"architecture", K_STRING},     {"os", K_STRING},
	{"os.version", K_STRING},       {"os.features", K_STRINGS},
	{"variant", K_STRING},          {"config", K_CONFIG},
	{"rootfs", K_ROOTFS},           {"history", K_HISTORY},
	{"docker_version", K_STRING},   {"container", K_STRING},
	{"container_config", K_OBJECT}, {"comment", K_STRING},
	{"parent", K_STRING},
};

/* "config": image-spec's fields, then the ones docker writes (its container.Config) */
static const struct field config_fields[] = {
	{"User", K_STRING},
	{"ExposedPorts", K_PORTS},
	{"Env", K_ENV},
	{"Entrypoint", K_STRINGS},
	{"Cmd", K_STRINGS},
	{"Volumes", K_VOLUMES},
	{"WorkingDir", K_WORKDIR},
	{"Labels", K_LABELS},
	{"StopSignal", K_SIGNAL},
	{"ArgsEscaped", K_BOOL},
	{"Memory", K_INT},
	{"MemorySwap", K_INT},
	{"CpuShares", K_INT},
	{"Healthcheck", K_HEALTH},
	{"OnBuild", K_STRINGS},
	{"Shell", K_STRINGS},
	{"Hostname", K_STRING},
	{"Domainname", K_STRING},
	{"Image", K_STRING},
	{"AttachStdin", K_BOOL},
	{"AttachStdout", K_BOOL},
	{"AttachStderr", K_BOOL},
	{"Tty", K_BOOL},
	{"OpenStdin", K_BOOL},
	{"StdinOnce", K_BOOL},
	{"NetworkDisabled", K_BOOL},
	{"StopTimeout", K_INT},
};

/* Healthcheck's fields (durations in nanoseconds) */
static const struct field health_fields[] = {
	{"Test", K_STRINGS},    {"Interval", K_INT},      {"Timeout", K_INT},
	{"StartPeriod", K_INT}, {"StartInterval", K_INT}, {"Retries", K_INT},
};

/* history entries */
static const struct field history_fields[] = {
	{"created", K_STRING}, {"created_by", K_STRING}, {"author", K_STRING},
	{"comment", K_STRING}, {"empty_layer", K_BOOL},
};

struct check {
	const char *image; /* as the user named it */
	struct mr_err *err;
};

/* "a string", "an object" ... for the message */
static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* fail - "image 'IMAGE': WHERE WHAT" */
static int fail(const struct check *c, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(const struct check *c, const char *where, const char *fmt, ...)
{
	char what[600], name[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return mr_fail(c->err, 0, "image '%s': %s %s", mr_printable(c->image, name, sizeof(name)),
		       where, what);
}

/* the wrong type: "WHERE must be WANT, not a string" */
static int wrong_type(const struct check *c, const char *where, const char *want, const json_t *v)
{
	return fail(c, where, "must be %s, not %s", want, type_name(v));
}

/* a string of the config, escaped for a message (the config is the image's) */
static const char *shown(const char *s, char *buf, size_t size)
{
	return mr_printable(s, buf, size);
}

static int check_fields(const struct check *c, const char *where, json_t *obj,
			const struct field *fields, size_t n);

/* An array of strings; each one passed to EACH (may be NULL) as well. */
static int check_strings(const struct check *c, const char *where, json_t *v,
			 int (*each)(const struct check *c, const char *where, const char *s))
{
	size_t i;
	json_t *e;
	if (!json_is_array(v))
		return wrong_type(c, where, "an array of strings", v);
	json_array_foreach(v, i, e)
	{
		char at[300];
		snprintf(at, sizeof(at), "%.250s[%zu]", where, i);
		if (!json_is_string(e))
			return wrong_type(c, at, "a string", e);
		if (each && each(c, at, json_string_value(e)) < 0)
			return -1;
	}
	return 0;
}

/* Env: "KEY=VALUE" with a key (docker's own merge cuts each entry at its '=') */
static int env_entry(const struct check *c, const char *where, const char *s)
{
	char b[300];
	const char *eq = strchr(s, '=');
	if (!eq || eq == s)
		return fail(c, where, "\"%s\" is not KEY=VALUE", shown(s, b, sizeof(b)));
	return 0;
}

static int digest_entry(const struct check *c, const char *where, const char *s)
{
	char b[300];
	if (!digest_valid(s))
		return fail(c, where, "\"%s\" is not a sha256 digest", shown(s, b, sizeof(b)));
	return 0;
}

/* ExposedPorts' keys: docker's nat.Port, "80", "80/tcp", "53/udp", "5000/sctp" */
static int port_key(const struct check *c, const char *where, const char *key)
{
	char b[300];
	const char *slash = strchr(key, '/');
	char *end;
	long port = strtol(key, &end, 10);
	bool proto_ok = !slash || !strcmp(slash + 1, "tcp") || !strcmp(slash + 1, "udp") ||
			!strcmp(slash + 1, "sctp");
	if (end == key || (*end && end != slash) || port < 1 || port > 65535 || !proto_ok ||
	    key[0] == '+' || key[0] == '-' || key[0] == ' ')
		return fail(c, where, "key \"%s\" is not PORT[/tcp|udp|sctp]",
			    shown(key, b, sizeof(b)));
	return 0;
}

/* Volumes' keys: absolute paths where a mount may go (oci_mount_dest_check) */
static int volume_key(const struct check *c, const char *where, const char *key)
{
	char b[300];
	struct mr_err e = {0};
	if (key[0] != '/')
		return fail(c, where, "key \"%s\" is not an absolute path",
			    shown(key, b, sizeof(b)));
	if (oci_mount_dest_check(key, "volume", OCI_MOUNT_RULES_FRONT_END, &e) < 0)
		return fail(c, where, "key: %s", e.msg);
	return 0;
}

/* An object whose keys pass KEY and whose values are objects (VALUES_OBJECTS) or strings. */
static int check_map(const struct check *c, const char *where, json_t *v,
		     int (*key)(const struct check *c, const char *where, const char *k),
		     bool values_objects)
{
	const char *k;
	json_t *e;
	if (!json_is_object(v))
		return wrong_type(c, where, "an object", v);
	json_object_foreach(v, k, e)
	{
		char at[300], b[200];
		snprintf(at, sizeof(at), "%.90s[\"%s\"]", where, shown(k, b, sizeof(b)));
		if (key && key(c, where, k) < 0)
			return -1;
		if (values_objects ? !json_is_object(e) && !json_is_null(e) : !json_is_string(e))
			return wrong_type(c, at, values_objects ? "an object" : "a string", e);
	}
	return 0;
}

static int check_history(const struct check *c, const char *where, json_t *v)
{
	size_t i;
	json_t *e;
	if (!json_is_array(v))
		return wrong_type(c, where, "an array", v);
	json_array_foreach(v, i, e)
	{
		char at[300];
		snprintf(at, sizeof(at), "%.250s[%zu]", where, i);
		if (check_fields(c, at, e, history_fields,
				 sizeof(history_fields) / sizeof(history_fields[0])) < 0)
			return -1;
	}
	return 0;
}

/* One field V at WHERE ("config.Env") against KIND. null is always fine. */
static int check_one(const struct check *c, const char *where, json_t *v, enum kind kind)
{
	char b[300];
	if (json_is_null(v))
		return 0;
	switch (kind) {
	case K_STRING: return json_is_string(v) ? 0 : wrong_type(c, where, "a string", v);
	case K_BOOL: return json_is_boolean(v) ? 0 : wrong_type(c, where, "true or false", v);
	case K_INT: return json_is_integer(v) ? 0 : wrong_type(c, where, "an integer", v);
	case K_OBJECT: return json_is_object(v) ? 0 : wrong_type(c, where, "an object", v);
	case K_STRINGS: return check_strings(c, where, v, NULL);
	case K_DIGESTS: return check_strings(c, where, v, digest_entry);
	case K_ENV: return check_strings(c, where, v, env_entry);
	case K_HISTORY: return check_history(c, where, v);
	case K_PORTS: return check_map(c, where, v, port_key, true);
	case K_VOLUMES: return check_map(c, where, v, volume_key, true);
	case K_LABELS: return check_map(c, where, v, NULL, false);
	case K_ROOTFS: {
		static const struct field f[] = {{"type", K_STRING}, {"diff_ids", K_DIGESTS}};
		return check_fields(c, where, v, f, 2);
	}
	case K_CONFIG:
		return check_fields(c, where, v, config_fields,
				    sizeof(config_fields) / sizeof(config_fields[0]));
	case K_HEALTH:
		return check_fields(c, where, v, health_fields,
				    sizeof(health_fields) / sizeof(health_fields[0]));
	case K_WORKDIR:
		if (!json_is_string(v))
			return wrong_type(c, where, "a string", v);
		if (json_string_length(v) >= PATH_MAX - 1)
			return fail(c, where, "is longer than %d bytes", PATH_MAX - 2);
		return 0;
	case K_SIGNAL:
		if (!json_is_string(v))
			return wrong_type(c, where, "a string", v);
		if (*json_string_value(v) && mr_sig_parse(json_string_value(v)) < 0)
			return fail(c, where, "\"%s\" is not a signal",
				    shown(json_string_value(v), b, sizeof(b)));
		return 0;
	}
	return 0;
}

/* Every known field of OBJ (which must be an object) at WHERE. */
static int check_fields(const struct check *c, const char *where, json_t *obj,
			const struct field *fields, size_t n)
{
	if (!json_is_object(obj))
		return wrong_type(c, where, "an object", obj);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(obj, fields[i].key);
		char at[300];
		if (!v)
			continue;
		snprintf(at, sizeof(at), "%.250s%s%s", where, *where ? "." : "", fields[i].key);
		if (check_one(c, at, v, fields[i].kind) < 0)
			return -1;
	}
	return 0;
}

int image_config_check(json_t *config, const char *image, struct mr_err *err)
{
	struct check c = {image, err};
	if (!json_is_object(config))
		return fail(&c, "the config", "must be a JSON object, not %s",
			    config ? type_name(config) : "something else");
	return check_fields(&c, "", config, top_fields, sizeof(top_fields) / sizeof(top_fields[0]));
}
