/*
 * minirun/containers/update_res.h - the cgroup flags `update` shares with `run`
 * (update_res.c; private to update.c).
 */
#ifndef MR_CONTAINERS_UPDATE_RES_H
#define MR_CONTAINERS_UPDATE_RES_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/err.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h" /* struct container_limits */

/* update_res_flag - the value V of run's flag NAME ("cpu-shares") into O, by its row of
 * opts_set.c's table (run's words for a bad value); -1 with err */
int update_res_flag(struct container_opts *o, const char *name, const char *v, struct mr_err *err);
/* was any of them given? */
bool update_res_any(const struct container_opts *o);
/* update_res_check - run's checks of those values (ranges, CPUs online, the blkio weight
 * file), with CPUS (--cpus of the same update, <= 0: none); -1 with docker's words */
int update_res_check(const struct container_opts *o, double cpus, struct mr_err *err);
/* update_res_conflicts - the record's limits L against the update: --cpus and the CFS pair
 * never both (docker's UpdateContainer); -1 with docker's words */
int update_res_conflicts(const struct container_limits *l, const struct container_opts *o,
			 double cpus, struct mr_err *err);
/* update_res_apply - what O gives into L, and into RES (linux.resources for ctr_update) */
void update_res_apply(struct container_limits *l, const struct container_opts *o, json_t *res);

#endif
