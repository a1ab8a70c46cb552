/*
 * minirun/compose/labels.h - what compose's files for running a project share (not a
 * public header): the labels docker compose puts on what it makes, by which the store
 * alone tells which containers, networks and volumes are a project's.
 */
#ifndef MR_COMPOSE_LABELS_H
#define MR_COMPOSE_LABELS_H

#include <jansson.h>

#include "minirun/compose/compose.h"
#include "minirun/containers/containers.h"

#define L_PROJECT "com.docker.compose.project"
#define L_SERVICE "com.docker.compose.service"
#define L_NUMBER  "com.docker.compose.container-number"
#define L_ONEOFF  "com.docker.compose.oneoff"
#define L_HASH    "com.docker.compose.config-hash"
#define L_WORKDIR "com.docker.compose.project.working_dir"
#define L_VOLUME  "com.docker.compose.volume"
#define L_NETWORK "com.docker.compose.network"
#define L_FILES   "com.docker.compose.project.config_files"

/* a label of a container record (Config.Labels), NULL when absent */
static inline const char *label_of(const struct container_record *r, const char *key)
{
	return container_label(r, key);
}

/* The services of P in dependency order (a dependency before its dependents), as indexes
 * into p->services; caller frees; NULL on ENOMEM (store.c). */
size_t *compose_dependency_order(const struct compose_project *p);

/* The IDs of the containers labelled with PROJECT's name (a NULL-ended array to free with
 * container_ids_free), or NULL with err (store.c). */
char **compose_project_ids(const char *project, struct mr_err *err);

/* Stop and remove SERVICE's containers numbered above KEEP (up --scale down) (store.c). */
int compose_scale_down(struct compose_project *p, const char *service, long long keep,
		       struct mr_err *err);

/* The project's containers whose service is not in P: warned about, or (REMOVE) stopped and
 * removed (store.c). */
int compose_orphans(struct compose_project *p, int remove, struct mr_err *err);

#endif
