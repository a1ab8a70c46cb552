/*
 * minirun/containers/vol.c - a container's volumes and bind mounts: made and registered at
 * create, written into the record as docker's inspect shows them, released at rm.
 *
 *	-v data:/srv            named volume, created on first use, kept after rm
 *	-v /srv                 anonymous volume (a 64-hex name), removed by `rm -v`
 *	-v /host/dir:/srv:ro    bind mount (a missing /host/dir is created, as docker does)
 *	--mount type=bind|volume|tmpfs,source=..,target=..,readonly
 *
 * The parsing is minirun/volume's (volume_parse_v / volume_parse_mount, at flag time); the
 * store is too (volume_resolve makes a volume and adds the container to its `users` file,
 * volume_release takes it out). What this file adds is the record:
 *
 *	Mounts              [{Type, Name, Source, Destination, Driver, Mode, RW, Propagation}]
 *	HostConfig.Binds    the -v ones, "data:/srv:ro" (docker keeps the flag's text)
 *	HostConfig.Mounts   the --mount ones, [{Type, Source, Target, ReadOnly}]
 *	Config.Volumes      the anonymous ones' targets, {"/srv": {}}
 *	Minirun.OciMounts   each one's config.json "mounts" entry (volume_oci_mount), which
 *	                    container_oci_config appends to docker's default mounts
 *
 * Undoing: the users files are the truth, not the record. A create killed between
 * volume_resolve and the record's save leaves a users file naming a container whose record
 * lists no volume; container_volumes_down therefore releases every volume whose users file
 * names the container, as well as every volume the record lists.
 *
 * See: containers.h, minirun/volume/README.md ("The contract for the container code"),
 *      https://docs.docker.com/engine/storage/volumes/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "minirun/containers/containers.h"

static const char *const type_names[] = {[VOLUME_MOUNT_BIND] = "bind",
					 [VOLUME_MOUNT_VOLUME] = "volume",
					 [VOLUME_MOUNT_TMPFS] = "tmpfs"};

/* member KEY of O, made (an empty object or array, as TYPE says) when missing or not one */
static json_t *jmember(json_t *o, const char *key, json_type type)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_typeof(v) != type) {
		v = type == JSON_ARRAY ? json_array() : json_object();
		json_object_set_new(o, key, v);
	}
	return v;
}

/* Does the store hold volume NAME already? ("" - an anonymous one to be made - does not.) */
static int volume_exists(const char *root, const char *name)
{
	char path[4200];
	if (!*name)
		return 0;
	snprintf(path, sizeof(path), "%s/volumes/%s/volume.json", root, name);
	return access(path, F_OK) == 0;
}

/* Undo volume_resolve of M for container ID: release it, and remove it when this create
 * made it (MADE). Errors are not reported: this runs while another error is on its way. */
static void unresolve(const char *root, const struct volume_mount *m, int made, const char *id)
{
	if (m->type != VOLUME_MOUNT_VOLUME || !m->source[0])
		return;
	volume_release(root, m->source, id, NULL);
	if (made)
		volume_remove(root, m->source, 0, NULL);
}

/* Record one resolved mount M in REC: Mounts, Binds or HostConfig.Mounts, Config.Volumes,
 * Minirun.OciMounts. */
static void record_mount(json_t *rec, const struct volume_mount *m, int anonymous)
{
	json_t *host = jmember(rec, "HostConfig", JSON_OBJECT);
	json_t *mounts = jmember(rec, "Mounts", JSON_ARRAY);
	json_t *mr = jmember(rec, "Minirun", JSON_OBJECT);
	/* in docker's order: Type, Name, Source, Destination, Driver, Mode, RW, Propagation
	 * (Name and Driver for volumes only) */
	int vol = m->type == VOLUME_MOUNT_VOLUME;
	json_t *entry = json_pack("{s:s}", "Type", type_names[m->type]);
	if (vol)
		json_object_set_new(entry, "Name", json_string(m->source));
	json_object_set_new(entry, "Source", json_string(m->host_path));
	json_object_set_new(entry, "Destination", json_string(m->target));
	if (vol)
		json_object_set_new(entry, "Driver", json_string("local"));
	json_object_set_new(entry, "Mode",
			    json_string(m->readonly        ? "ro"
					: m->from_v && vol ? "z"
							   : ""));
	json_object_set_new(entry, "RW", json_boolean(!m->readonly));
	json_object_set_new(entry, "Propagation",
			    json_string(m->type == VOLUME_MOUNT_BIND
						? (m->propagation[0] ? m->propagation : "rprivate")
						: ""));
	json_array_append_new(mounts, entry);

	if (m->from_v && !anonymous) {
		char bind[3 * 4096];
		snprintf(bind, sizeof(bind), "%s:%s%s", m->source, m->target,
			 m->readonly ? ":ro" : "");
		json_array_append_new(jmember(host, "Binds", JSON_ARRAY), json_string(bind));
	} else if (!m->from_v) {
		json_t *spec = json_pack("{s:s, s:s, s:s}", "Type", type_names[m->type], "Source",
					 m->type == VOLUME_MOUNT_TMPFS ? "" : m->source, "Target",
					 m->target);
		if (m->readonly)
			json_object_set_new(spec, "ReadOnly", json_true());
		json_array_append_new(jmember(host, "Mounts", JSON_ARRAY), spec);
	}
	if (anonymous)
		json_object_set_new(
			jmember(jmember(rec, "Config", JSON_OBJECT), "Volumes", JSON_OBJECT),
			m->target, json_object());
	json_array_append_new(jmember(mr, "OciMounts", JSON_ARRAY), volume_oci_mount(m));
}

int container_volumes_up(struct container *c, const struct container_opts *o, struct mr_err *err)
{
	/* the network first: an unknown network must fail before any volume is made */
	if (container_net_prepare(c, o, err) < 0)
		return -1;
	if (!o->nmounts)
		return 0;
	struct volume_mount *m = calloc(o->nmounts, sizeof(*m));
	int *made = calloc(o->nmounts, sizeof(*made));
	size_t done = 0;
	if (!m || !made) {
		free(m);
		free(made);
		return mr_fail(err, ENOMEM, "volumes");
	}
	for (; done < o->nmounts; done++) {
		m[done] = o->mounts[done]; /* resolve writes an anonymous volume's name back */
		made[done] = m[done].type == VOLUME_MOUNT_VOLUME &&
			     !volume_exists(c->root, m[done].source);
		mr_say("%s %s -> %s", type_names[m[done].type],
		       m[done].source[0] ? m[done].source : "(anonymous)", m[done].target);
		if (volume_resolve(c->root, &m[done], c->id, err) < 0)
			break;
	}
	if (done < o->nmounts) { /* all or nothing */
		int saved = errno;
		while (done--)
			unresolve(c->root, &m[done], made[done], c->id);
		free(m);
		free(made);
		errno = saved;
		return -1;
	}
	for (size_t i = 0; i < o->nmounts; i++)
		record_mount(c->rec, &m[i],
			     m[i].type == VOLUME_MOUNT_VOLUME && !o->mounts[i].source[0]);
	free(m);
	free(made);
	return 0;
}

/* Add NAME to the array NAMES unless it is there. */
static void add_name(json_t *names, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(names, i, v)
	{
		if (!strcmp(json_string_value(v), name))
			return;
	}
	json_array_append_new(names, json_string(name));
}

/* The volumes C uses: those its record lists and those whose users file names it. */
static json_t *volumes_of(struct container *c)
{
	json_t *names = json_array(), *v, *all;
	size_t i, j;
	json_array_foreach(json_object_get(c->rec, "Mounts"), i, v)
	{
		const char *name = json_string_value(json_object_get(v, "Name"));
		if (name && !strcmp(json_string_value(json_object_get(v, "Type")) ?: "", "volume"))
			add_name(names, name);
	}
	all = volume_list(c->root, NULL);
	json_array_foreach(all, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "Name"));
		json_t *users = volume_users(c->root, name, NULL), *u;
		json_array_foreach(users, j, u)
		{
			if (!strcmp(json_string_value(u), c->id))
				add_name(names, name);
		}
		json_decref(users);
	}
	json_decref(all);
	return names;
}

int container_volumes_down(struct container *c, bool anonymous, struct mr_err *err)
{
	char dir[4200];
	int r = 0;
	size_t i;
	json_t *v;
	snprintf(dir, sizeof(dir), "%s/volumes", c->root);
	if (access(dir, F_OK) < 0) /* no volume was ever made in this store */
		return 0;
	json_t *names = volumes_of(c);
	json_array_foreach(names, i, v)
	{
		const char *name = json_string_value(v);
		struct mr_err e = {0};
		json_t *vrec = volume_inspect(c->root, name, NULL);
		if (!vrec) /* removed already (a repeat, or `volume rm -f`) */
			continue;
		int anon =
			json_object_get(json_object_get(vrec, "Labels"), VOLUME_ANON_LABEL) != NULL;
		json_decref(vrec);
		mr_say("release volume %s%s", name, anon && anonymous ? " and remove it" : "");
		if (volume_release(c->root, name, c->id, &e) < 0) {
			if (r == 0)
				*err = e;
			r = -1;
			continue;
		}
		/* docker's rm -v: an anonymous volume another container still uses stays
		 * (volume_remove refuses it: "volume is in use") */
		if (anon && anonymous)
			volume_remove(c->root, name, 0, NULL);
	}
	json_decref(names);
	return r;
}
