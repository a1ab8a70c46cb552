/*
 * minirun/containers/events.c - a container's events as docker's daemon logs them: the
 * actor is the container's ID, and its attributes are the container's labels, its image
 * (as it was given to run: Config.Image) and its name, plus what the action adds (exitCode
 * on die, signal on kill, oldName on rename, execID on exec_*).
 *
 *	create start attach kill oom die stop restart pause unpause rename commit destroy
 *	exec_create: CMD  exec_start: CMD  exec_die  health_status: healthy|unhealthy
 *
 * Who writes each one, since minirun has no daemon: the verb that did it (create, kill,
 * pause, rename, rm, exec ...), and for what happens while nobody waits, the container's
 * monitor (start, oom, and die with the exit code; a --rm container's destroy) and its health
 * checker (health_status). The journal is minirun/events/.
 *
 * See: minirun/events/events.h; https://docs.docker.com/reference/cli/docker/system/events/
 * Try: minirun events --filter container=web --since 10m --until 0s
 */
#include "lib/sha256.h"
#include "minirun/containers/containers.h"
#include "minirun/events/events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void container_event_list(const struct container *c, const char *action, ...)
{
	const struct container_record *r = &c->r;
	size_t n = 0, max = r->config.nlabels + 2 + 8;
	struct events_attr *a = calloc(max, sizeof(*a));
	if (!a)
		return;
	/* the labels first: the image, the name and the action's own win over a label of the
	 * same key, as in docker's map */
	for (size_t i = 0; i < r->config.nlabels; i++)
		a[n++] = (struct events_attr){r->config.labels[i].key, r->config.labels[i].value};
	const char *name = r->name ? r->name + (r->name[0] == '/') : NULL;
	a[n++] = (struct events_attr){"image", r->config.image};
	a[n++] = (struct events_attr){"name", name};
	va_list ap;
	va_start(ap, action);
	for (const char *k; n < max && (k = va_arg(ap, const char *));) {
		a[n].key = k;
		a[n++].value = va_arg(ap, const char *);
	}
	va_end(ap);
	/* a later pair of the same key replaces an earlier one: the earlier one is dropped */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (a[i].key && a[j].key && !strcmp(a[i].key, a[j].key))
				a[i].value = NULL;
	events_emitv(c->root, "container", action, c->id, a, n);
	free(a);
}

const char *container_event_num(char *buf, long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}

void container_exec_events(const struct container *c, char *const *cmd,
			   char exec_id[CONTAINER_ID_LEN + 1])
{
	unsigned char rnd[CONTAINER_ID_LEN / 2];
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return;
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(exec_id + 2 * i, 3, "%02x", rnd[i]);
	/* docker's action: "exec_create: " ENTRYPOINT " " ARGS joined by spaces (a command
	 * without arguments keeps the space: "exec_create: true ") */
	size_t len = 32;
	for (char *const *p = cmd; p && *p; p++)
		len += strlen(*p) + 1;
	char *create = malloc(len), *start = malloc(len);
	if (create && start && cmd && cmd[0]) {
		size_t o = (size_t)snprintf(create, len, "exec_create: %s ", cmd[0]);
		for (char *const *p = cmd + 1; *p; p++)
			o += (size_t)snprintf(create + o, len - o, "%s%s", p == cmd + 1 ? "" : " ",
					      *p);
		snprintf(start, len, "exec_start: %s", create + strlen("exec_create: "));
		container_event(c, create, "execID", exec_id);
		container_event(c, start, "execID", exec_id);
	}
	free(create);
	free(start);
}

void container_volume_events(const struct container *c, bool mount)
{
	for (size_t i = 0; i < c->r.nmounts; i++) {
		const struct container_mount *m = &c->r.mounts[i];
		if (!m->type || strcmp(m->type, "volume") || !m->name)
			continue;
		if (mount)
			events_emit(c->root, "volume", "mount", m->name, "container", c->id,
				    "destination", m->destination, "driver",
				    m->driver ? m->driver : "local", "propagation",
				    m->propagation ? m->propagation : "", "read/write",
				    m->rw ? "true" : "false");
		else
			events_emit(c->root, "volume", "unmount", m->name, "container", c->id,
				    "driver", m->driver ? m->driver : "local");
	}
}

void container_mode_net_event(const struct container *c, const char *action)
{
	/* docker's predefined none and host networks are networks there, and a container
	 * joins and leaves them like any other; here they are modes (network/commands.c gives
	 * them their IDs: the SHA-256 of the name) */
	const char *mode = c->r.host.network_mode;
	if (!mode || (strcmp(mode, "none") && strcmp(mode, "host")))
		return;
	uint8_t d[32];
	char id[65];
	mr_sha256(mode, strlen(mode), d);
	for (int i = 0; i < 32; i++)
		snprintf(id + 2 * i, 3, "%02x", d[i]);
	events_emit(c->root, "network", action, id, "container", c->id, "name", mode, "type",
		    strcmp(mode, "none") ? "host" : "null");
}
