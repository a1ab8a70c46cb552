/*
 * minirun/volume/mounts.c - docker's -v and --mount flags: parse them into struct
 * volume_mount (with docker's messages), make what they need, and turn them into OCI
 * config.json mounts.
 *
 *	-v data:/srv            volume "data" (created on first use)
 *	-v /srv                 an anonymous volume (random name, pruned by `volume prune`)
 *	-v /host/dir:/srv:ro    a bind mount; -v creates a missing /host/dir, --mount refuses
 *	--mount type=tmpfs,target=/run,tmpfs-size=64m,tmpfs-mode=1770
 *
 * See: volume.h, https://docs.docker.com/engine/storage/bind-mounts/#options-for---mount,
 * the runtime-spec's config.md#mounts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/file.h"
#include "minirun/volume/volume.h"

static const char *const type_names[] = {[VOLUME_MOUNT_BIND] = "bind",
					 [VOLUME_MOUNT_VOLUME] = "volume",
					 [VOLUME_MOUNT_TMPFS] = "tmpfs"};

static const char *const propagations[] = {"rprivate", "private", "rshared",
					   "shared",   "rslave",  "slave"};

static int is_propagation(const char *s)
{
	for (size_t i = 0; i < sizeof(propagations) / sizeof(*propagations); i++)
		if (!strcmp(s, propagations[i]))
			return 1;
	return 0;
}

/* The checks every mount shares: an absolute target that is not "/". */
static int check_target(const struct volume_mount *m, const char *spec, int from_v,
			struct mr_err *err)
{
	const char *t = type_names[m->type];
	if (!m->target[0])
		return mr_fail(err, 0,
			       "invalid mount config for type \"%s\": field Target must "
			       "not be empty",
			       t);
	if (m->target[0] != '/')
		return mr_fail(err, 0,
			       "%s%s%sinvalid mount config for type \"%s\": invalid mount path: "
			       "'%s' mount path must be absolute",
			       from_v ? "invalid volume specification: '" : "", from_v ? spec : "",
			       from_v ? "': " : "", t, m->target);
	if (!strcmp(m->target, "/"))
		return mr_fail(err, 0,
			       "invalid mount config for type \"%s\": invalid "
			       "specification: destination can't be '/'",
			       t);
	return 0;
}

int volume_parse_v(const char *spec, struct volume_mount *out, struct mr_err *err)
{
	char buf[3 * PATH_MAX], *part[4] = {0};
	int n = 0;
	memset(out, 0, sizeof(*out));
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf) || !*spec)
		return mr_fail(err, 0, "invalid volume specification: '%s'", spec);
	for (char *s = buf; n < 4; n++) {
		part[n] = s;
		if (!(s = strchr(s, ':')))
			break;
		*s++ = '\0';
	}
	if (n >= 3 || (n >= 1 && (!*part[0] || !*part[1])))
		return mr_fail(err, 0, "invalid volume specification: '%s'", spec);
	const char *src = n ? part[0] : "", *dst = n ? part[1] : part[0];
	char *mode = n == 2 ? part[2] : NULL;
	out->type = src[0] == '/' ? VOLUME_MOUNT_BIND : VOLUME_MOUNT_VOLUME;
	out->create_source = out->type == VOLUME_MOUNT_BIND;
	out->from_v = 1;
	if (mode) { /* ro|rw, z|Z, nocopy, a propagation; comma-separated */
		char *save = NULL;
		for (char *o = strtok_r(mode, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
			if (!strcmp(o, "ro"))
				out->readonly = 1;
			else if (!strcmp(o, "rw"))
				out->readonly = 0;
			else if (!strcmp(o, "nocopy") && out->type == VOLUME_MOUNT_VOLUME)
				out->nocopy = 1;
			else if (is_propagation(o) && out->type == VOLUME_MOUNT_BIND)
				snprintf(out->propagation, sizeof(out->propagation), "%s", o);
			else if (strcmp(o, "z") && strcmp(o, "Z")) /* SELinux labels: no-ops */
				return mr_fail(err, 0, "invalid mode: %s", strrchr(spec, ':') + 1);
		}
	}
	if (out->type == VOLUME_MOUNT_VOLUME && *src && volume_check_name(src, err) < 0)
		return -1;
	snprintf(out->source, sizeof(out->source), "%s", src);
	snprintf(out->target, sizeof(out->target), "%s", dst);
	return check_target(out, spec, 1, err);
}

/* "true", "1", "" (bare key) -> 1; "false", "0" -> 0; else -1. */
static int parse_bool(const char *v)
{
	if (!v || !strcmp(v, "true") || !strcmp(v, "1"))
		return 1;
	return !strcmp(v, "false") || !strcmp(v, "0") ? 0 : -1;
}

/* "64m" -> 67108864 (suffixes b k m g, powers of 1024). -1 on anything else. */
static int parse_size(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	const char *suf = "bkmg", *p;
	if (errno || end == s || s[0] == '-')
		return -1;
	if (*end) {
		if (end[1] || !(p = strchr(suf, end[0] | 0x20)))
			return -1;
		for (long i = p - suf; i > 0; i--)
			v *= 1024;
	}
	*out = v;
	return 0;
}

int volume_parse_mount(const char *spec, struct volume_mount *out, struct mr_err *err)
{
	char buf[3 * PATH_MAX], *save = NULL;
	int have_type = 0;
	memset(out, 0, sizeof(*out));
	out->type = VOLUME_MOUNT_VOLUME; /* docker's default type */
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return mr_fail(err, 0,
			       "invalid argument \"%.40s...\" for \"--mount\" flag: too "
			       "long",
			       spec);
	for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *v = strchr(kv, '=');
		if (v)
			*v++ = '\0';
		int b;
		if (!strcmp(kv, "type") && v) {
			size_t t = 0;
			while (t < 3 && strcmp(v, type_names[t]))
				t++;
			if (t == 3)
				return mr_fail(err, 0,
					       "invalid mount config for type \"%s\": mount type "
					       "unknown",
					       v);
			out->type = (enum volume_mount_type)t;
			have_type = 1;
		} else if ((!strcmp(kv, "source") || !strcmp(kv, "src")) && v)
			snprintf(out->source, sizeof(out->source), "%s", v);
		else if ((!strcmp(kv, "target") || !strcmp(kv, "destination") ||
			  !strcmp(kv, "dst")) &&
			 v)
			snprintf(out->target, sizeof(out->target), "%s", v);
		else if ((!strcmp(kv, "readonly") || !strcmp(kv, "ro")) && (b = parse_bool(v)) >= 0)
			out->readonly = b;
		else if (!strcmp(kv, "volume-nocopy") && (b = parse_bool(v)) >= 0)
			out->nocopy = b;
		else if (!strcmp(kv, "bind-propagation") && v && is_propagation(v))
			snprintf(out->propagation, sizeof(out->propagation), "%s", v);
		else if (!strcmp(kv, "tmpfs-size") && v && parse_size(v, &out->tmpfs_size) == 0)
			;
		else if (!strcmp(kv, "tmpfs-mode") && v && strtoul(v, NULL, 8) <= 07777 &&
			 v[strspn(v, "01234567")] == '\0' && *v)
			out->tmpfs_mode = (unsigned)strtoul(v, NULL, 8);
		else
			return mr_fail(err, 0,
				       "invalid argument \"%s\" for \"--mount\" flag: "
				       "unexpected key or value '%s%s%s'",
				       spec, kv, v ? "=" : "", v ? v : "");
	}
	(void)have_type;
	const char *t = type_names[out->type];
	if (out->type == VOLUME_MOUNT_TMPFS && out->source[0])
		return mr_fail(err, 0,
			       "invalid mount config for type \"tmpfs\": field Source must "
			       "not be specified");
	if (out->type != VOLUME_MOUNT_TMPFS && (out->tmpfs_size || out->tmpfs_mode))
		return mr_fail(err, 0,
			       "invalid mount config for type \"%s\": tmpfs options are "
			       "for type=tmpfs",
			       t);
	if (out->type == VOLUME_MOUNT_BIND) {
		struct stat st;
		if (!out->source[0])
			return mr_fail(err, 0,
				       "invalid mount config for type \"bind\": field "
				       "Source must not be empty");
		if (out->source[0] != '/')
			return mr_fail(err, 0,
				       "invalid mount config for type \"bind\": invalid "
				       "mount path: '%s' bind source path must be absolute",
				       out->source);
		if (stat(out->source, &st) < 0)
			return mr_fail(err, 0,
				       "invalid mount config for type \"bind\": bind "
				       "source path does not exist: %s",
				       out->source);
	}
	if (out->type == VOLUME_MOUNT_VOLUME && out->source[0] &&
	    volume_check_name(out->source, err) < 0)
		return -1;
	return check_target(out, spec, 0, err);
}

/* device_of - M's volume's Options (volume create --opt type=,device=,o=) into m->fs_*:
 * the local driver mounts that device, not _data. docker mounts it once on the host while
 * containers use it; minirun has no daemon to unmount it after the last one, so each
 * container's runtime mounts it in the container's own mount namespace (gone with it). A
 * tmpfs volume is therefore one tmpfs per container, not one shared by them all. */
static int device_of(const char *root, struct volume_mount *m, struct mr_err *err)
{
	m->fs_type[0] = m->fs_device[0] = m->fs_opts[0] = '\0';
	json_t *rec = volume_inspect(root, m->source, err);
	if (!rec)
		return -1;
	json_t *o = json_object_get(rec, "Options");
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *device = json_string_value(json_object_get(o, "device"));
	const char *opts = json_string_value(json_object_get(o, "o"));
	if (type && device) {
		snprintf(m->fs_type, sizeof(m->fs_type), "%s", type);
		snprintf(m->fs_device, sizeof(m->fs_device), "%s", device);
		snprintf(m->fs_opts, sizeof(m->fs_opts), "%s", opts ? opts : "");
	}
	json_decref(rec);
	return 0;
}

int volume_resolve(const char *root, struct volume_mount *m, const char *container_id,
		   struct mr_err *err)
{
	char name[VOLUME_NAME_MAX + 1];
	switch (m->type) {
	case VOLUME_MOUNT_TMPFS: m->host_path[0] = '\0'; return 0;
	case VOLUME_MOUNT_BIND: {
		/* docker makes a *missing* source a directory; one that exists is bound as it
		 * is, a file included (-v /etc/hostname:/x): mr_mkdir_p would refuse a file */
		struct stat st;
		if (m->create_source && stat(m->source, &st) < 0 &&
		    mr_mkdir_p(m->source, 0755, err) < 0)
			return -1;
		snprintf(m->host_path, sizeof(m->host_path), "%s", m->source);
		return 0;
	}
	case VOLUME_MOUNT_VOLUME:
		/* an anonymous volume is born in use by its container: a kill before
		 * volume_use must not leave one that the container's rm -v can't find */
		if (volume_create(root, m->source[0] ? m->source : NULL, NULL, 0, !m->source[0],
				  m->source[0] ? NULL : container_id, name, err) < 0 ||
		    volume_use(root, name, container_id, err) < 0)
			return -1;
		snprintf(m->source, sizeof(m->source), "%s", name);
		snprintf(m->host_path, sizeof(m->host_path), "%s/volumes/%s/_data", root, name);
		return device_of(root, m, err);
	}
	return mr_fail(err, 0, "unknown mount type %d", (int)m->type);
}

json_t *volume_oci_mount(const struct volume_mount *m)
{
	json_t *opts = json_array();
	char buf[64];
	if (m->type == VOLUME_MOUNT_VOLUME && m->fs_type[0]) {
		/* the local driver's device: its o= options as they are (mount(8)'s -o) */
		for (const char *o = m->fs_opts; *o;) {
			size_t n = strcspn(o, ",");
			if (n)
				json_array_append_new(opts, json_stringn(o, n));
			o += n + (o[n] == ',');
		}
		json_array_append_new(opts, json_string(m->readonly ? "ro" : "rw"));
		return json_pack("{s:s, s:s, s:s, s:o}", "destination", m->target, "type",
				 m->fs_type, "source", m->fs_device, "options", opts);
	}
	if (m->type == VOLUME_MOUNT_TMPFS) {
		json_array_append_new(opts, json_string("nosuid"));
		json_array_append_new(opts, json_string("nodev"));
		json_array_append_new(opts, json_string("noexec"));
		snprintf(buf, sizeof(buf), "mode=%o", m->tmpfs_mode ? m->tmpfs_mode : 01777);
		json_array_append_new(opts, json_string(buf));
		if (m->tmpfs_size) {
			snprintf(buf, sizeof(buf), "size=%llu", m->tmpfs_size);
			json_array_append_new(opts, json_string(buf));
		}
	} else {
		json_array_append_new(opts, json_string("rbind"));
		json_array_append_new(opts,
				      json_string(m->propagation[0] ? m->propagation : "rprivate"));
	}
	json_array_append_new(opts, json_string(m->readonly ? "ro" : "rw"));
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", m->target, "type",
			 m->type == VOLUME_MOUNT_TMPFS ? "tmpfs" : "bind", "source",
			 m->type == VOLUME_MOUNT_TMPFS ? "tmpfs" : m->host_path, "options", opts);
}
