/*
 * tests/unit/host_config.h - the HostConfig a new record gets for a set of flags, for the
 * unit tests of the flags that land there (hostflags, opts, resources).
 */
#ifndef MR_TEST_HOST_CONFIG_H
#define MR_TEST_HOST_CONFIG_H

#include "minirun/containers/containers.h"

/* the HostConfig a new record gets for the flags O (container_record_host, laid out by
 * the record store as create writes it): a new reference, NULL with err */
static inline json_t *host_config_of(const struct container_opts *o, struct mr_err *err)
{
	struct container_record r = {0};
	json_t *hc = NULL;
	if (container_record_host(&r, o, err) == 0) {
		json_t *rec = container_record_json_new(&r);
		hc = json_incref(json_object_get(rec, "HostConfig"));
		json_decref(rec);
	}
	container_record_free(&r);
	return hc;
}

#endif
