/*
 * minirun/oci/cgstep_res.h - inside the cgroup step: what cgstep.c and cgstep_res.c share.
 *
 * cgstep_res.c reads linux.resources into cgroups/' terms; cgstep.c, the only other user,
 * hands the result to cgroups/. The rest of minirun includes cgstep.h, never this.
 *
 * See: cgstep.h; cgroups/cgroup.h; runtime-spec config-linux.md "Control groups".
 */
#ifndef MR_CGSTEP_RES_H
#define MR_CGSTEP_RES_H

#include <jansson.h>
#include <stddef.h>

#include "cgroups/cgroup.h"
#include "lib/err.h"
#include "minirun/oci/spec.h"

/* cgstep_host - the host's cgroup setup, detected once per process (cgstep.c); NULL when
 * detection failed (cgroups/ then says why, itself). */
const struct cg_system *cgstep_host(void);

/* cgstep_resources - linux.resources (R) -> RES. S (may be NULL) gives error positions in
 * config.json. -1 with err naming the field when one is bad. */
int cgstep_resources(const struct spec *s, json_t *r, struct cg_resources *res, struct mr_err *err);

/* cgstep_device_rules - the device policy: the nodes of S's linux.devices (rwm; S may be
 * NULL), then the rules A (a linux.resources.devices array, or NULL), then the defaults
 * every container gets, into *RULES (malloc'd, the caller frees) and *N. POS (S or NULL)
 * gives error positions: A comes from S's config.json, or from update's own file. */
int cgstep_device_rules(const struct spec *s, const struct spec *pos, json_t *a,
			struct cg_device_rule **rules, size_t *n, struct mr_err *err);

#endif
