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

/* the image S runs: `image:`, else (a service with only `build`) PROJECT-SERVICE (wait.c) */
const char *compose_service_image(struct compose_project *p, const struct compose_service *s);

/* S's image built from its `build` section and tagged compose_service_image (wait.c) */
int compose_build_service(struct compose_project *p, const struct compose_service *s,
			  struct mr_err *err);

/* what a waiter wants of a container: healthy (a service_healthy dependency), or running
 * and healthy if it has a check (up --wait) */
enum compose_want { COMPOSE_WANT_HEALTHY, COMPOSE_WANT_RUNNING_OR_HEALTHY };

/* Wait until container NAME is as WANT says; docker compose's message, after PREFIX, when
 * it never will be (unhealthy, exited, no check) (wait.c) */
int compose_wait_container(const char *name, enum compose_want want, const char *prefix,
			   struct mr_err *err);

/* The run flags of S's resource, OOM, block-IO, DNS and label_file keys, appended to the
 * argv *V of *N words (strings in A) (resources.c). */
void compose_resource_args(struct compose_arena *a, const struct compose_service *s, char ***v,
			   size_t *n);
/* Warn on stderr about each key of S that no run flag stands for (resources.c). */
void compose_warn_unapplied(const struct compose_service *s);
#endif
