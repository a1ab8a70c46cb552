/*
 * minirun/containers/volfrom.c - --volumes-from CONTAINER[:ro|:rw]: a new container mounts
 * what another one mounts, at the same destinations.
 *
 *	minirun run -d --name data -v /srv -v store:/store busybox sleep 1d
 *	minirun run --rm --volumes-from data:ro busybox ls /srv /store
 *
 * What is shared is the other container's Mounts, as its record lists them: its named and
 * anonymous volumes (its image's VOLUMEs too) and its bind mounts; not its tmpfs mounts,
 * which hold nothing another container could see (docker 20.10 instead fails on a
 * source's --mount type=tmpfs, looking it up as a volume: a bug not copied). Each keeps
 * its own mode unless the flag says `:ro` (then all are read-only; `:rw` makes no
 * read-only mount writable, as docker). A later --volumes-from wins at a destination an
 * earlier one gave; the new container's own -v/--mount/--tmpfs wins over both, and they
 * win over the image's VOLUMEs (vol.c's all_mounts puts them in that order).
 *
 * Nothing is copied: the new container registers as a user of each volume (volume_resolve
 * adds it to the volume's users file), so `volume rm` refuses a volume while either
 * container exists, and removing the first container leaves the volume to the second.
 * The image's files are not copied into a shared volume either (docker's CopyData false).
 *
 * See: vol.c, containers.h; https://docs.docker.com/reference/cli/docker/container/run/
 *      ("--volumes-from").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/containers/containers.h"

/*
 * parse_spec - "NAME[:MODE]" into NAME (of LEN bytes) and *RO (1: `ro` given). MODE is a
 * list of docker's mount modes a shared mount may take: one of ro/rw, and the SELinux
 * labels z/Z, which minirun accepts and ignores (no SELinux here). Anything else, a
 * propagation mode too, is "invalid mode" (docker 20.10's words). -1 with docker's words.
 */
static int parse_spec(const char *spec, char *name, size_t len, int *ro, struct mr_err *err)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	*ro = 0;
	if (!*spec)
		return mr_failk(err, MR_E_INVALID, 0,
				"volumes-from specification cannot be an empty string");
	snprintf(name, len, "%.*s", (int)n, spec);
	if (!colon || !colon[1])
		return 0;
	char mode[256];
	snprintf(mode, sizeof(mode), "%s", colon + 1);
	int rw_seen = 0, label_seen = 0, ok = 1;
	for (char *save = NULL, *t = strtok_r(mode, ",", &save); t && ok;
	     t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "ro") || !strcmp(t, "rw")) {
			ok = !rw_seen++;
			*ro |= t[1] == 'o';
		} else
			ok = (!strcmp(t, "z") || !strcmp(t, "Z")) && !label_seen++;
	}
	if (!ok)
		return mr_failk(err, MR_E_INVALID, 0, "invalid mode: %s", colon + 1);
	return 0;
}

int container_volumes_from_check(const char *root, const struct container_opts *o,
				 struct mr_err *err)
{
	for (char **s = o->volumes_from; s && *s; s++) {
		char name[256];
		int ro;
		struct container x;
		if (parse_spec(*s, name, sizeof(name), &ro, err) < 0)
			return -1;
		if (container_open(root, name, false, &x, err) < 0) {
			/* docker's daemon calls it a bad parameter, not a missing object: its
			 * `create` exits 1, and no image pull is tried */
			if (err->kind == MR_E_NOT_FOUND)
				err->kind = MR_E_INVALID;
			return -1;
		}
		container_close(&x);
	}
	return 0;
}

/* the mount entry E of another container's record as a mount of the new one (read-only
 * when RO or when E is), into M; 0, or -1 for a type not shared (tmpfs) */
static int mount_of(const struct container_mount *e, int ro, struct volume_mount *m)
{
	memset(m, 0, sizeof(*m));
	if (!e->type || !e->destination || !e->source)
		return -1;
	if (!strcmp(e->type, "volume") && e->name)
		m->type = VOLUME_MOUNT_VOLUME;
	else if (!strcmp(e->type, "bind"))
		m->type = VOLUME_MOUNT_BIND;
	else
		return -1;
	snprintf(m->source, sizeof(m->source), "%s",
		 m->type == VOLUME_MOUNT_VOLUME ? e->name : e->source);
	snprintf(m->target, sizeof(m->target), "%s", e->destination);
	m->readonly = ro || !e->rw;
	m->nocopy = 1; /* shared, not new: the image's files are not copied in */
	if (m->type == VOLUME_MOUNT_BIND && e->propagation)
		snprintf(m->propagation, sizeof(m->propagation), "%s", e->propagation);
	return 0;
}

int container_volumes_from(const struct container *c, const struct container_opts *o,
			   struct volume_mount **out, size_t *n, struct mr_err *err)
{
	*out = NULL;
	*n = 0;
	for (char **s = o->volumes_from; s && *s; s++) {
		char name[256];
		int ro;
		struct container x;
		if (parse_spec(*s, name, sizeof(name), &ro, err) < 0 ||
		    container_open(c->root, name, false, &x, err) < 0)
			goto fail;
		if (!strcmp(x.id, c->id)) { /* --name x --volumes-from x, raced past the check */
			container_close(&x);
			mr_failk(err, MR_E_INVALID, 0, "No such container: %s", name);
			goto fail;
		}
		struct volume_mount *grown = realloc(*out, (*n + x.r.nmounts + 1) * sizeof(**out));
		if (!grown) {
			container_close(&x);
			mr_fail(err, ENOMEM, "--volumes-from %s", *s);
			goto fail;
		}
		*out = grown;
		for (size_t i = 0; i < x.r.nmounts; i++) {
			struct volume_mount m;
			if (mount_of(&x.r.mounts[i], ro, &m) < 0)
				continue;
			size_t k = 0; /* a later --volumes-from wins at the same destination */
			while (k < *n && strcmp((*out)[k].target, m.target) != 0)
				k++;
			(*out)[k] = m;
			if (k == *n)
				(*n)++;
		}
		container_close(&x);
	}
	return 0;
fail:
	free(*out);
	*out = NULL;
	*n = 0;
	return -1;
}
