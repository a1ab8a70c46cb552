/*
 * minirun/bundle/bundle.h - image config + run options -> an OCI bundle: the config.json
 * that the OCI runtime (minirun/oci/runtime.h) is handed, with docker's defaults. The one
 * header of minirun/bundle/ that the front end includes (README.md here tells the story:
 * how does `docker run` become config.json).
 *
 *   run options   struct container_opts: what `run`/`create` were asked for (the front end's
 *                 containers/opts.c parses argv into it; it is the bundle's input)
 *   config.c      the container's record (image config merged with the options, docker's
 *                 inspect shape) -> config.json: process, capabilities, mounts, masked
 *                 paths, namespaces, resources, devices
 *   seccomp_default.c  docker's default seccomp profile, and --security-opt seccomp=FILE
 *   user.c        -u / USER and --group-add, looked up in the rootfs's /etc/passwd, group
 *   hostflags.c   the flags that hand a container some of the host: --ulimit, --device,
 *                 --group-add, --shm-size
 *
 * Each of those flags lives in three places, as in docker: opts_set.c checks its syntax, the
 * record keeps it in docker's HostConfig key (Ulimits, Devices, GroupAdd, ShmSize), and
 * config.c turns the record into the OCI config (process.rlimits, linux.devices plus a cgroup
 * allow rule, process.user.additionalGids, the size= of /dev/shm). What a flag can only learn
 * from the host (does the device exist? can this process raise that hard limit?) is checked
 * once before the container is created, so a refusal leaves nothing behind.
 *
 * See: README.md here; runtime-spec config.md, config-linux.md;
 *      https://docs.docker.com/reference/cli/docker/container/run/
 */
#ifndef MR_BUNDLE_H
#define MR_BUNDLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/network/network.h" /* struct network_port: -p */
#include "minirun/volume/volume.h"   /* struct volume_mount: -v, --mount */

/* ---- the run options -------------------------------------------------------------------- */

enum container_restart { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS, RESTART_UNLESS_STOPPED };

/* What `run`/`create` were asked for. Pointers point into argv or into memory the struct
 * owns (container_opts_free). Zero/NULL means "not given": the image's value, then docker's
 * default, applies. */
struct container_opts {
	const char *image; /* the IMAGE argument, as given */
	char **cmd;        /* the COMMAND [ARG...] after it; NULL: the image's Cmd */
	const char *name;  /* --name; NULL: a generated "adjective_surname" */
	bool interactive, tty, detach, rm, init, read_only, privileged, publish_all;
	bool no_new_privs; /* --security-opt no-new-privileges[:true] */
	char **env;        /* -e and --env-file entries in order ("K=V"; "K" alone was
			      resolved from the caller's environment, or dropped) */
	char **labels;     /* -l/--label K=V */
	char **expose;     /* --expose, one "PORT/PROTO" per port (ranges expanded) */
	const char *workdir, *user, *hostname;
	const char *entrypoint; /* --entrypoint; "" clears the image's */
	/* the whole exec-form entrypoint, which --entrypoint (one word) can't spell: compose's
	 * `entrypoint` list; NULL-terminated, not owned, over entrypoint when set */
	char *const *entrypoint_exec;
	long long memory;             /* -m bytes; 0 unset */
	long long memory_reservation; /* --memory-reservation bytes (a soft limit); 0 unset */
	long long memory_swap;        /* --memory-swap bytes (memory+swap); 0 unset, -1 unlimited */
	double cpus;                  /* --cpus; 0 unset */
	long long pids_limit;         /* --pids-limit; 0 unset, -1 unlimited */
	char **tmpfs;                 /* --tmpfs PATH[:OPTS] */
	char **cap_add, **cap_drop;   /* names as given ("NET_ADMIN", "CAP_NET_ADMIN", "ALL") */
	char **security_opt;          /* as given, for the record */
	char *seccomp_profile;        /* --security-opt seccomp=unconfined|FILE; NULL default */
	enum container_restart restart;
	int restart_max;            /* on-failure:N; 0 = no limit */
	const char *network;        /* --network none|host|bridge|NAME|container:ID; NULL bridge */
	char **network_aliases;     /* --network-alias */
	const char *ip;             /* --ip: the address to lease on --network (user networks) */
	const char *mac_address;    /* --mac-address as given (checked); NULL: docker's 02:42+IP */
	struct network_port *ports; /* -p, parsed with network_parse_port */
	size_t nports;
	struct volume_mount *mounts; /* -v and --mount, parsed with volume_parse_* */
	size_t nmounts;
	char **volumes_from;     /* --volumes-from CONTAINER[:MODE], as given (volfrom.c) */
	const char *stop_signal; /* --stop-signal; NULL: the image's StopSignal, else SIGTERM */
	int stop_timeout;        /* --stop-timeout seconds; -1 unset (docker's 10) */
	const char *detach_keys; /* --detach-keys; NULL: "ctrl-p,ctrl-q" */
	const char *platform;
	bool pull_never;    /* --pull never */
	bool pull_always;   /* --pull always (default "missing": pull only what is not here) */
	char **group_add;   /* --group-add NAME|GID, resolved in the container's /etc/group */
	long long shm_size; /* --shm-size bytes; 0: docker's 64m */
	char **ulimits;     /* --ulimit NAME=SOFT[:HARD], as given (checked: hostflags.c) */
	char **devices;     /* --device HOST[:CONTAINER[:PERMS]], as given (checked) */
	/* --dns, --dns-search, --dns-option, --add-host NAME:IP|host-gateway, checked
	 * (containers/dns_flags.c) */
	char **dns, **dns_search, **dns_options, **extra_hosts;
	/* --health-*: the check (containers/health.c merges it with the image's HEALTHCHECK);
	 * durations in nanoseconds, 0 (and retries 0) unset */
	const char *health_cmd;
	/* the exec form of the check (Test ["CMD", ...]), which no flag gives: compose's
	 * `healthcheck.test` list; NULL-terminated, not owned, over health_cmd when set */
	char *const *health_exec;
	long long health_interval, health_timeout, health_start_period, health_start_interval;
	int health_retries;
	bool no_healthcheck;
	/* namespaces and confinement (containers/opts_ns.c; the bundle: nsmodes.c) */
	char **sysctls;              /* --sysctl NAME=VALUE, as given (namespaced ones only) */
	const char *pid_mode;        /* --pid host|container:X; NULL: a new one */
	const char *ipc_mode;        /* --ipc private|shareable|none|host|container:X; NULL */
	const char *uts_mode;        /* --uts host|container:X; NULL: a new one */
	const char *cgroupns_mode;   /* --cgroupns host|private; NULL: private */
	const char *userns_mode;     /* --userns host|auto; NULL: the store's default */
	bool systempaths_unconfined; /* --security-opt systempaths=unconfined */
	const char *apparmor;        /* --security-opt apparmor=PROFILE (only unconfined here) */
	/* the cgroup's CPU, memory and block IO knobs and the OOM score (containers/
	 * opts_resources.c parses them, record.c records them, resources.c maps them); 0/NULL/false
	 * unset */
	long long cpu_shares;              /* --cpu-shares (-c): v1 cpu.shares units */
	long long cpu_period, cpu_quota;   /* --cpu-period, --cpu-quota: microseconds */
	const char *cpuset_cpus;           /* --cpuset-cpus "0-1,3" */
	const char *cpuset_mems;           /* --cpuset-mems "0" */
	bool swappiness_set;               /* --memory-swappiness given (docker's -1: not) */
	int swappiness;                    /* 0..100 */
	bool oom_kill_disable;             /* --oom-kill-disable */
	int oom_score_adj;                 /* --oom-score-adj -1000..1000 */
	int blkio_weight;                  /* --blkio-weight 10..1000 */
	char **blkio_rbps, **blkio_wbps;   /* --device-read-bps, --device-write-bps: "PATH:BYTES" */
	char **blkio_riops, **blkio_wiops; /* --device-read-iops, --device-write-iops: "PATH:N" */
	const char *cidfile;               /* --cidfile: the ID is written there after create */
	/* --log-driver (NULL: json-file) and --log-opt K=V, as given (checked, read and
	 * recorded: containers/logopts.c) */
	const char *log_driver;
	char **log_opts;
};

/* ---- the record -> config.json (config.c, seccomp_default.c) --------------------------- */

/* Paths the OCI config refers to. */
struct container_paths {
	const char *rootfs;      /* the merged overlay */
	const char *hosts;       /* bind-mounted on /etc/hosts (NULL: none, --network host) */
	const char *hostname;    /* on /etc/hostname */
	const char *resolv_conf; /* on /etc/resolv.conf */
	const char *netns;       /* join this network namespace (host: NULL and no new one) */
	const char *init;        /* --init: the host path of the init binary to bind-mount */
	const char *cgroups_path;
	/* --pid/--ipc/--uts container:X: the namespaces of X's init to join (/proc/PID/ns/..),
	 * and X's /dev/shm for --ipc container:X; NULL: per the mode (nsmodes.c) */
	const char *pidns, *ipcns, *utsns, *shm;
};
/*
 * container_oci_config - the config.json (runtime-spec 1.x) for the record REC: process
 * (args from Path/Args, env, cwd, user resolved against the rootfs's /etc/passwd and
 * /etc/group, terminal), docker's default capabilities +--cap-add -cap-drop, masked and
 * read-only paths, mounts (/proc, /dev tmpfs, /dev/pts, /dev/shm, /dev/mqueue, /sys ro,
 * /sys/fs/cgroup ro, the hosts files, -v/--mount/--tmpfs), devices, namespaces per
 * --network, resources (-m, --memory-swap, --cpus, --pids-limit), the default seccomp
 * profile (an allow-list; container_seccomp_default) unless unconfined, readonly root for
 * --read-only, noNewPrivileges, hostname. New reference.
 */
json_t *container_oci_config(json_t *rec, const struct container_paths *p, struct mr_err *err);
/* bundle_devices_default - linux.resources.devices of a container without --privileged
 * or --device: every device denied, the runtime adding its defaults. New reference. */
json_t *bundle_devices_default(void);
/* bundle_net_sysctl - the linux.sysctl a container of network mode MODE (its resolved
 * NetworkMode) gets by default: docker's (unprivileged ports and ping, IPv6 off); --sysctl
 * adds to it (nsmodes.c). NULL for host and container:X, which have no namespace of their
 * own. New reference. */
json_t *bundle_net_sysctl(const char *mode);
/* the paths every container but a --privileged one gets masked / read-only (config.c's
 * lists), for inspect's HostConfig.MaskedPaths and ReadonlyPaths. New references. */
json_t *bundle_masked_paths(void);
json_t *bundle_readonly_paths(void);
/* docker's default seccomp profile as an OCI "seccomp" object, for a process with the
 * capability bitmask CAPS (bit N = capability N: some syscalls are allowed only with theirs) */
json_t *container_seccomp_default(unsigned long long caps);
/* container_seccomp_default_ahead - build that profile for CAPS now, for the next
 * container_seccomp_default(CAPS) of this process to take (a process that has time to
 * spare before it knows its container: the early monitor) */
void container_seccomp_default_ahead(unsigned long long caps);
/* container_oci_config_ahead - what container_oci_config can build before it knows the
 * container: the default seccomp profile, for the default capabilities */
void container_oci_config_ahead(void);
/* container_seccomp_profile - a profile given with --security-opt seccomp=FILE (docker's
 * format: archMap, includes/excludes by capability and architecture; or plain OCI) as the
 * OCI "seccomp" object for a process with capabilities CAPS. New reference, NULL with err. */
json_t *container_seccomp_profile(json_t *profile, unsigned long long caps, struct mr_err *err);

/* ---- namespaces, --sysctl, systempaths (nsmodes.c) ------------------------------------- */

/* bundle_ns_config - the record REC's modes applied to CFG, config.c's config: namespaces
 * left out (host) or joined (container:X, through P's pidns/ipcns/utsns), /dev/shm per
 * IpcMode, no hostname without a new uts namespace, Sysctls into linux.sysctl, no masked or
 * read-only paths when the record's lists are [], a user namespace for Minirun.IdMap.
 * -1 with err when a container:X path is not known. */
int bundle_ns_config(json_t *rec, json_t *cfg, const struct container_paths *p, struct mr_err *err);

/* ---- the root filesystem and the files beside config.json (rootfs.c) ------------------- */

/* A container's rootfs, as the front end read it from the record. DIR is the container's
 * directory (ROOT/containers/ID): diff/ (the overlay's upper), work/, merged/ (the mount
 * point, config.json's root.path), hostname, resolv.conf, hosts. */
struct bundle_rootfs {
	const char *store;   /* ROOT: the image store whose layers LOWERS must be */
	const char *dir;     /* ROOT/containers/ID: diff/, work/, hosts */
	const char *run;     /* its run directory (a tmpfs): merged/, hostname, resolv.conf */
	const char *id;      /* the container's ID (messages; the default hostname) */
	const char *image;   /* the image ID ("sha256:..."), asked of the store when
				     LOWERS is NULL or no longer the store's */
	char *const *lowers; /* the image's layer dirs recorded at create, top first */
	bool volatile_upper; /* --rm: the upper is deleted at exit, so overlay need not sync it */
	bool upper_in_run;   /* diff/ and work/ in RUN/upper, a tmpfs (bundle_upper_tmpfs) */
	/* --userns=auto: the layers are mounted idmapped, host 0.. -> MAP_UID.., MAP_GID.. for
	 * MAP_SIZE ids (idmap.c); MAP_SIZE 0: as they are */
	uid_t map_uid;
	gid_t map_gid;
	unsigned long map_size;
};
/* bundle_rootfs_mount - mount the overlay (B's image layers + diff/) on merged/; rootless:
 * with userxattr, or fuse-overlayfs */
int bundle_rootfs_mount(const struct bundle_rootfs *b, struct mr_err *err);
/* bundle_rootfs_mounted - whether RUN/merged is a kernel overlay already: one `run`'s client
 * mounted while its monitor was starting (containers/monitor_spawn.c), or one a killed
 * monitor left. The start then uses it, rather than stack a second one on it. */
bool bundle_rootfs_mounted(const char *run);
/* bundle_rootfs_umount - unmount RUN/merged if mounted (every stacked mount); safe to repeat */
int bundle_rootfs_umount(const char *run, struct mr_err *err);
/* bundle_upper_tmpfs - a tmpfs of its own on RUN/upper (unless one is there already) with
 * diff/ and work/ in it: an --rm container's writable layer, which dies with it anyway, kept
 * off the store's disk (rootfs.c says why and what limits it); -1 with err */
int bundle_upper_tmpfs(const char *run, struct mr_err *err);
/* bundle_upper_umount - unmount RUN/upper if mounted: the writable layer is gone (rm only:
 * a start after a killed monitor keeps it, as it keeps a disk upper); safe to repeat */
void bundle_upper_umount(const char *run);
/* bundle_files - write hostname (HOSTNAME, else the short ID) and with HOST_NETWORK
 * resolv.conf (a copy of the host's; otherwise the caller writes it, by docker's rules for
 * the container's network) beside merged/ (hosts, the caller writes too); make WORKDIR
 * (absolute, may be NULL) inside the mounted rootfs, as docker does */
int bundle_files(const struct bundle_rootfs *b, const char *hostname, bool host_network,
		 const char *workdir, struct mr_err *err);
/* bundle_idmap_lowers - each of the N layer dirs DIRS mounted idmapped (on-disk 0.. reads as
 * UID.., GID.. for SIZE ids) at RUN/idmap/I, DIRS[I] replaced by that path; -1 with err,
 * naming the step the kernel refused (nothing left). bundle_idmap_release - detach them and
 * remove RUN/idmap (once overlay is mounted: it holds its own references). idmap.c. */
int bundle_idmap_lowers(char **dirs, size_t n, const char *run, uid_t uid, gid_t gid,
			unsigned long size, struct mr_err *err);
void bundle_idmap_release(const char *run, size_t n);
/* bundle_idmap_sweep - what a monitor killed between the two left under RUN/idmap: unmounted
 * and removed (bundle_rootfs_umount calls it; safe to repeat) */
void bundle_idmap_sweep(const char *run);
/* bundle_dir_remove - remove DIR, never crossing into a mount; -1 with err when something
 * is still mounted there */
int bundle_dir_remove(const char *dir, struct mr_err *err);

/* ---- capabilities, users, --init: what the config is made of (config.c, user.c) -------- */

/* Is NAME ("CAP_NET_ADMIN", upper case, with CAP_) a capability this libcap knows? */
bool container_cap_known(const char *name);
/* docker's 14 default capabilities as a bitmask (bit N = capability N) */
unsigned long long container_caps_default(void);
/*
 * container_caps - the capability set of a container, as docker computes it: PRIVILEGED:
 * ALL; else --cap-add ALL: ALL minus CAP_DROP; --cap-drop ALL: only CAP_ADD; otherwise the
 * defaults minus CAP_DROP plus CAP_ADD. Names as opts_set.c (set_cap) normalised them ("CAP_X",
 * "ALL"). ALL is the mask "every capability" stands for (the caller's bounding set: a container
 * can't be given what its runtime doesn't hold). -1 with "unknown capability: \"X\"".
 */
int container_caps(bool privileged, json_t *cap_add, json_t *cap_drop, unsigned long long all,
		   unsigned long long *out, struct mr_err *err);

/* A user resolved inside a container's rootfs, as docker's -u / USER resolves it. */
struct container_user {
	uid_t uid;
	gid_t gid;
	gid_t gids[64]; /* additionalGids: the primary gid, the groups listing the user */
	size_t ngids;
	char home[256]; /* from /etc/passwd; "/" when there is no entry */
};
/*
 * container_resolve_user - SPEC ("", "name", "uid", "uid:gid", "name:group", ...) against
 * ROOTFS/etc/passwd and ROOTFS/etc/group, read with every path component resolved inside
 * ROOTFS (the image is untrusted: a symlink etc/passwd -> /etc/shadow stays inside).
 * -1 with docker's "unable to find user x: no matching entries in passwd file".
 */
int container_resolve_user(const char *rootfs, const char *spec, struct container_user *u,
			   struct mr_err *err);

/* Where --init's binary is mounted in the container, and prepended to its command. */
#define CONTAINER_INIT_DEST "/dev/init"
/* container_init_path - the host path of minirun-init: next to /proc/self/exe, then in
 * containers/init/ beside it (the build tree), then the install dir; $MINIRUN_INIT first
 * when set (a test or a packager points it elsewhere). NULL if none is found. */
const char *container_init_path(void);

/*
 * container_group_add - --group-add (HostConfig.GroupAdd, NAMES) into U's additionalGids,
 * after the groups that list the user, as docker does: each a group name looked up in
 * ROOTFS/etc/group (read in-root, as container_resolve_user does), else a number taken as it
 * is; one already in U is not added twice. -1 with docker's "Unable to find group x: no
 * matching entries in group file" when it is neither.
 */
int container_group_add(const char *rootfs, json_t *names, struct container_user *u,
			struct mr_err *err);

/* ---- --ulimit, --device, --group-add, --shm-size (hostflags.c) -------------------------- */

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

/* container_resources_oci - those HostConfig keys of HC into linux.resources R (cpu shares,
 * quota, period, cpus, mems; memory swappiness, disableOOMKiller; blockIO weight and the
 * throttle lists, each device's major:minor read from its node now, as docker does at each
 * start) and process.oomScoreAdj into PROC. -1 with err when a throttled path is no longer
 * a block device. */
int container_resources_oci(json_t *hc, json_t *r, json_t *proc, struct mr_err *err);

/* container_rlimits_oci - HostConfig.Ulimits as OCI process.rlimits (a new array; -1, docker's
 * unlimited, is written as -1: see hostflags.c). NULL with err on a bad record. */
json_t *container_rlimits_oci(json_t *ulimits, struct mr_err *err);

/* container_devices_oci - HostConfig.Devices: each node (a directory: every node under it)
 * appended to DEVICES (linux.devices: path, type, major, minor, fileMode, uid, gid, taken from
 * the host node now) and its allow rule to RULES (linux.resources.devices, with the
 * CgroupPermissions). -1 with err when a host path is no longer a device. */
int container_devices_oci(json_t *hc_devices, json_t *devices, json_t *rules, struct mr_err *err);

/* An environment (LIST, a JSON array of "K=V") with its keys indexed: env.c here.
 * (record.c in containers/ merges an image's Env with the flags through it too.) Setting N
 * variables costs O(N), not O(N^2). */
struct container_env {
	json_t *list;  /* borrowed: the caller owns it */
	json_t *index; /* key -> position in LIST */
};
/* index LIST's keys (of a key given twice, the first entry is the one set replaces) */
void container_env_init(struct container_env *e, json_t *list);
void container_env_done(struct container_env *e);
/* KV ("K=V") replaces the entry of key K in place when REPLACE, else leaves it; appended
 * when K has none */
void container_env_set(struct container_env *e, const char *kv, bool replace);
/* has the environment an entry for the key of KEY ("K" or "K=V")? */
bool container_env_has(const struct container_env *e, const char *key);

#endif
