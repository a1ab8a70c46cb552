/*
 * minirun/containers/hostflags.h - the run flags that hand a container some of the host:
 * --ulimit, --device, --group-add, --shm-size (hostflags.c).
 *
 * Each flag lives in three places, as in docker: opts_set.c checks its syntax, the record keeps
 * it in docker's HostConfig key (Ulimits, Devices, GroupAdd, ShmSize), and config.c turns
 * the record into the OCI config (process.rlimits, linux.devices plus a cgroup allow rule,
 * process.user.additionalGids, the size= of /dev/shm). What a flag can only learn from the
 * host (does the device exist? can this process raise that hard limit?) is checked once
 * before the container is created, so a refusal leaves nothing behind.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/run/ (--ulimit, --device);
 *      runtime-spec config.md "POSIX process rlimits", config-linux.md "Devices".
 */
#ifndef MR_CONTAINERS_HOSTFLAGS_H
#define MR_CONTAINERS_HOSTFLAGS_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/err.h"
#include "minirun/containers/containers.h"

/* One --ulimit NAME=SOFT[:HARD]: docker's name ("nofile"), -1 = unlimited. */
struct container_ulimit {
	char name[16];
	int resource;    /* RLIMIT_NOFILE ... */
	const char *oci; /* "RLIMIT_NOFILE", the OCI type */
	long long soft, hard;
};
/* container_ulimit_parse - SPEC as docker's go-units ParseUlimit reads it (HARD defaults to
 * SOFT); -1 with docker's reason ("invalid ulimit type: x") in err */
int container_ulimit_parse(const char *spec, struct container_ulimit *u, struct mr_err *err);

/* One --device HOST[:CONTAINER[:PERMS]] (PERMS a subset of "rwm", default "rwm"). */
struct container_device {
	char host[4096], ctr[4096];
	char perms[4];
};
/* container_device_parse - SPEC's syntax, as docker's CLI checks it ("bad format for path",
 * "invalid device mode"); the host path is looked at later (container_hostflags_check) */
int container_device_parse(const char *spec, struct container_device *d, struct mr_err *err);

/* container_hostflags_check - what only this host can tell, before anything is created: each
 * --device names a device node (or a directory of them), and no --ulimit hard limit is above
 * this process's own when it lacks CAP_SYS_RESOURCE (the runtime could not set it). -1 with
 * one line naming the flag. */
int container_hostflags_check(const struct container_opts *o, struct mr_err *err);

/* container_hostflags_record - put O's flags in the record's HostConfig: GroupAdd, ShmSize,
 * Ulimits [{Name, Soft, Hard}], Devices [{PathOnHost, PathInContainer, CgroupPermissions}] */
int container_hostflags_record(json_t *rec, const struct container_opts *o, struct mr_err *err);

/* container_rlimits_oci - HostConfig.Ulimits as OCI process.rlimits (a new array; -1, docker's
 * unlimited, is written as -1: see hostflags.c). NULL with err on a bad record. */
json_t *container_rlimits_oci(json_t *ulimits, struct mr_err *err);

/* container_devices_oci - HostConfig.Devices: each node (a directory: every node under it)
 * appended to DEVICES (linux.devices: path, type, major, minor, fileMode, uid, gid, taken from
 * the host node now) and its allow rule to RULES (linux.resources.devices, with the
 * CgroupPermissions). -1 with err when a host path is no longer a device. */
int container_devices_oci(json_t *hc_devices, json_t *devices, json_t *rules, struct mr_err *err);

#endif
