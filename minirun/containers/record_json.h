/*
 * minirun/containers/record_json.h - what record_json.c and record_json_host.c share: the
 * small JSON helpers and the HostConfig parts (private to the two files; the record's own
 * interface is containers.h).
 */
#ifndef MR_CONTAINERS_RECORD_JSON_H
#define MR_CONTAINERS_RECORD_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "minirun/containers/containers.h"

/* record_json.c: a string's copy (NULL when V is none); a string array's (NULL-terminated;
 * NULL when V is no array); a vector as a JSON array; O's member KEY; KEY of O set to S
 * (NULL: left as it is) */
char *rj_dup_str(json_t *v);
char **rj_dup_strv(json_t *v);
json_t *rj_strv_json(char *const *v);
json_t *rj_get(json_t *o, const char *key);
void rj_put_str(json_t *o, const char *key, const char *s);

/* record_json_host.c */
/* the ports object O into R: NetworkSettings.Ports, or (BINDINGS) HostConfig.PortBindings;
 * -1 on ENOMEM */
int rj_ports_from_json(json_t *o, struct container_record *r, bool bindings);
/* ports V[0..N) in that shape: "80/tcp": null (exposed only) or [{HostIp, HostPort}] */
json_t *rj_ports_json(const struct container_port *v, size_t n);
/* HostConfig HC's lists, maps and limits into R; -1 on ENOMEM */
int rj_host_lists_from_json(json_t *hc, struct container_record *r);
/* R's PortBindings, LogConfig, Dns lists and Tmpfs into HC, in place */
void rj_host_lists_to_json(const struct container_record *r, json_t *hc);
/* R's limits into HC (a changed one only: create's HostConfig has them from the flags) */
void rj_limits_to_json(const struct container_limits *l, json_t *hc);

#endif
