/*
 * minirun/containers/record_json.h - what record_json.c, record_json_config.c,
 * record_json_host.c, record_json_host_write.c and record_json_net.c share: the small JSON helpers, the Config
 * and the HostConfig parts (private to these files; the record's own interface is
 * containers.h).
 */
#ifndef MR_CONTAINERS_RECORD_JSON_H
#define MR_CONTAINERS_RECORD_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "minirun/containers/containers.h"

/* record_json.c: a string's copy (NULL when V is none); a string array's (NULL-terminated;
 * NULL when V is no array); a vector as a JSON array; O's member KEY; KEY of O set to S
 * (NULL: left as it is); the object KEY of O (made, empty, at the end, when missing and
 * MAKE; NULL when O has none and not MAKE) */
char *rj_dup_str(json_t *v);
char **rj_dup_strv(json_t *v);
json_t *rj_strv_json(char *const *v);
json_t *rj_get(json_t *o, const char *key);
void rj_put_str(json_t *o, const char *key, const char *s);
json_t *rj_obj(json_t *o, const char *key, bool make);

/* record_json_config.c */
/* Config CFG into R (R->config); -1 on ENOMEM */
int rj_config_from_json(json_t *cfg, struct container_record *r);
/* R's Config into CFG, in place: a key CFG has keeps its place */
void rj_config_to_json(const struct container_record *r, json_t *cfg);
/* Config of a new record: docker 20.10's keys in its order (api/types/container Config),
 * the optional ones (MacAddress, StopSignal, StopTimeout, Healthcheck, Shell) only when R
 * has them, as docker's omitempty */
json_t *rj_config_json_new(const struct container_record *r);

/* record_json_host.c */
/* RestartPolicy.Name's words, by enum container_restart; the throttle lists' keys, by enum
 * container_throttle_kind */
extern const char *const rj_restart_names[];
extern const char *const rj_throttle_keys[CONTAINER_THROTTLES];
/* the ports object O into R: NetworkSettings.Ports, or (BINDINGS) HostConfig.PortBindings;
 * -1 on ENOMEM */
int rj_ports_from_json(json_t *o, struct container_record *r, bool bindings);
/* HostConfig HC (NULL: none, docker's zero values) into R's host; -1 on ENOMEM */
int rj_host_from_json(json_t *hc, struct container_record *r);

/* record_json_host_write.c */
/* ports V[0..N) in that shape: "80/tcp": null (exposed only) or [{HostIp, HostPort}] */
json_t *rj_ports_json(const struct container_port *v, size_t n);
/* R's host into HostConfig HC, in place */
void rj_host_to_json(const struct container_record *r, json_t *hc);
/* a new record's HostConfig: R's host, every key of docker's in its order */
json_t *rj_host_json_new(const struct container_record *r);

/* record_json_net.c */
/* NetworkSettings NS (Ports aside) into R; -1 on ENOMEM */
int rj_networks_from_json(json_t *ns, struct container_record *r);
/* R's NetworkSettings but Ports into the record REC, in place */
void rj_networks_to_json(const struct container_record *r, json_t *rec);
/* R's NetworkSettings.Ports into the record REC */
void rj_net_ports_to_json(const struct container_record *r, json_t *rec);

#endif
