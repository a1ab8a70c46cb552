/*
 * minirun/image/events.c - an image's events as docker's daemon logs them (LogImageEvent):
 * the actor is the image ID, or for pull and push the reference pulled or pushed; the
 * attributes are the image's labels and its name.
 *
 *	tag      sha256:ID  (name=busybox:2)        tag, import -c ... NAME, build -t, commit
 *	untag    sha256:ID  (name=sha256:ID)        rmi of one of several names; docker names
 *	delete   sha256:ID  (name=sha256:ID)        the ID, not the name, in both
 *	import load save    sha256:ID  (name=sha256:ID)
 *	pull push           busybox:latest  (name=busybox)
 *
 * See: minirun/events/events.h; https://docs.docker.com/reference/cli/docker/system/events/
 */
#include "minirun/events/events.h"
#include "minirun/image/image.h"

#include <stdlib.h>
#include <string.h>

void image_event(const struct store *st, const char *action, const char *id, const char *name,
		 json_t *config)
{
	json_t *labels = json_object_get(json_object_get(config, "config"), "Labels");
	size_t n = 0, max = json_object_size(labels) + 1;
	struct events_attr *a = calloc(max, sizeof(*a));
	const char *k;
	json_t *v;
	if (!a)
		return;
	json_object_foreach(labels, k, v)
	{
		if (json_is_string(v) && n + 1 < max)
			a[n++] = (struct events_attr){k, json_string_value(v)};
	}
	a[n++] = (struct events_attr){"name", name ? name : id}; /* over a label "name" */
	for (size_t i = 0; i + 1 < n; i++)
		if (!strcmp(a[i].key, "name"))
			a[i].value = NULL;
	events_emitv(st->root, "image", action, id, a, n);
	free(a);
}
