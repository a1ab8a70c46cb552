/*
 * minirun/system/system.h - `minirun system df|prune|info` and `minirun info`, `minirun
 * version`: what docker's daemon answers about itself, read here from the store directly.
 *
 *   df      the space images, containers, volumes and the build cache take (df.c)
 *   prune   stopped containers, unused networks, dangling (-a: unused) images, the build
 *           cache, and with --volumes unused anonymous volumes, in one go (prune.c)
 *   info    counts, the storage and cgroup setup, the kernel, the root dir (info.c)
 *   version the client and the "server" (the store and the OCI runtime) versions (info.c)
 *   events  what happened to the containers, images, networks and volumes, from the journal
 *           every verb appends to (events.c; the journal: minirun/events/)
 *
 * There is no daemon: every number is read from ROOT (--root) and the machine when asked.
 *
 * See: https://docs.docker.com/reference/cli/docker/system/
 */
#ifndef MR_SYSTEM_H
#define MR_SYSTEM_H

#include <stdint.h>
#include <stddef.h>

#include "lib/cmd.h"

/* the verbs of `minirun system` (df events prune info), a table ending in {NULL} */
extern const struct mr_command system_commands[];
int system_cmd_info(int argc, char **argv);    /* info.c: `info`, `system info` */
int system_cmd_version(int argc, char **argv); /* info.c: `version` */
int system_cmd_df(int argc, char **argv);      /* df.c */
int system_cmd_prune(int argc, char **argv);   /* prune.c */
int system_cmd_events(int argc, char **argv);  /* events.c: `events`, `system events` */
/* the verb events' messages name: "events", or "system events" through the group */
extern const char *system_events_verb;

/* docker's units.HumanSize (decimal, 4 significant digits: "4.261MB", "0B"), into buf */
void system_human_size(uint64_t bytes, char *buf, size_t len);
/* docker's units.BytesSize (binary, 4 significant digits: "7.764GiB"), into buf */
void system_bytes_size(uint64_t bytes, char *buf, size_t len);

#endif
