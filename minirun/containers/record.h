/*
 * minirun/containers/record.h - a container's record, typed: struct container_record and
 * the small calls over it (its state, health, labels, strings).
 *
 * container.json keeps docker's inspect shape on disk (README.md here); in memory the front
 * end reads and sets the fields below, and only the record store converts between the two
 * (record_json.c, record_json_config.c, record_json_host.c, record_json_host_write.c:
 * record_json.h). Apart from containers.h, which includes it, for its size: the record is a
 * concern of its own, and the biggest.
 *
 * See: README.md here ("The record: container.json"); containers.h (struct container, which holds one).
 */
#ifndef MR_CONTAINERS_RECORD_H
#define MR_CONTAINERS_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/bundle/bundle.h"

/* docker's State.Status words, in docker's order */
enum container_state {
	CONTAINER_CREATED,
	CONTAINER_RUNNING,
	CONTAINER_PAUSED,
	CONTAINER_RESTARTING,
	CONTAINER_REMOVING,
	CONTAINER_EXITED,
	CONTAINER_DEAD,
};
/* "created" "running" ...; container_state_parse: -1 for a word docker does not have */
const char *container_state_name(enum container_state s);
int container_state_parse(const char *word);
/* running, paused or restarting: by the record, a monitor (or an orphan init) is alive */
bool container_state_live(enum container_state s);

/* State.Health.Status: CONTAINER_HEALTH_NONE when the record has no State.Health */
enum container_health {
	CONTAINER_HEALTH_NONE,
	CONTAINER_HEALTH_STARTING,
	CONTAINER_HEALTH_HEALTHY,
	CONTAINER_HEALTH_UNHEALTHY,
};
const char *container_health_name(enum container_health h); /* "" for NONE */

/* a key and its value: a label, a log option, a tmpfs mount's options */
struct container_label {
	char *key, *value;
};
/* a JSON object of strings, in its order: Labels-like maps (LogConfig.Config, Tmpfs) */
struct container_kvs {
	struct container_label *kv;
	size_t n;
	bool present; /* the record has the object (even {}); false: the key is absent */
};

/* HostConfig's Dns DnsSearch DnsOptions ExtraHosts: NULL-terminated vectors; NULL is JSON
 * null (or no key), an empty vector [] */
struct container_dns {
	char **servers, **search, **options;
	char **extra_hosts; /* "NAME:IP", IP may be "host-gateway" */
};

/* HostConfig's cgroup limits (the bundle reads them from the tree at each start; `update`
 * changes the first ones): 0 is docker's "not set" for each */
struct container_limits {
	long long memory, memory_swap; /* Memory, MemorySwap: bytes; swap -1: unlimited */
	long long nano_cpus;           /* NanoCpus: --cpus x 1e9 */
	long long pids_limit;          /* PidsLimit: 0: none (null); -1: --pids-limit -1 or 0 */
	/* CpuShares CpuPeriod CpuQuota BlkioWeight */
	long long cpu_shares, cpu_period, cpu_quota, blkio_weight;
	char *cpuset_cpus, *cpuset_mems; /* CpusetCpus CpusetMems: "" or "0-1"; NULL: no key */
	long long memory_reservation;    /* MemoryReservation: bytes (--memory-reservation) */
	int memory_swappiness;           /* MemorySwappiness 0..100; -1: null (or no key) */
	bool oom_kill_disable;           /* OomKillDisable */
	int oom_score_adj; /* OomScoreAdj -1000..1000 (a process knob, not a cgroup's) */
};

/* the four throttle lists of HostConfig, in docker's order: BlkioDeviceReadBps,
 * BlkioDeviceWriteBps, BlkioDeviceReadIOps, BlkioDeviceWriteIOps (--device-read-bps ...) */
enum container_throttle_kind {
	CONTAINER_READ_BPS,
	CONTAINER_WRITE_BPS,
	CONTAINER_READ_IOPS,
	CONTAINER_WRITE_IOPS,
	CONTAINER_THROTTLES,
};
/* one entry of a throttle list: [{Path, Rate}]; the device's major:minor is read from PATH
 * at each start (bundle/resources.c) */
struct container_throttle {
	char *path;
	long long rate; /* bytes or operations per second */
};
struct container_throttles {
	struct container_throttle *v;
	size_t n;
	bool present; /* the record has a list (even []); false: null, or no key */
};
/* one entry of HostConfig.Ulimits (--ulimit NAME=SOFT[:HARD]): {Name, Hard, Soft} */
struct container_host_ulimit {
	char *name;           /* docker's name: "nofile" */
	long long hard, soft; /* -1: unlimited */
};
/* one entry of HostConfig.Devices (--device HOST[:CONTAINER[:PERMS]]): {PathOnHost,
 * PathInContainer, CgroupPermissions} */
struct container_host_device {
	char *path_on_host, *path_in_container, *cgroup_permissions; /* "rwm" or a subset */
};
/* one entry of HostConfig.Mounts: a --mount (or a -v of a tmpfs) as docker's mount.Mount,
 * {Type, Source, Target, ReadOnly (only when true)}; vol.c records them */
struct container_mount_spec {
	char *type;   /* "bind", "volume", "tmpfs" */
	char *source; /* a volume's name, a host path; "" for a tmpfs or an anonymous volume */
	char *target; /* the path in the container */
	bool read_only;
};

/* one entry of Minirun.OciMounts: a -v/--mount/image VOLUME's config.json "mounts" entry,
 * as vol.c made it (volume_oci_mount), which the bundle adds at each start (bundle/config.c) */
struct container_oci_mount {
	char *destination, *type, *source;
	char **options; /* NULL-terminated; NULL: no key */
};

/* one probe's result in State.Health.Log */
struct container_health_result {
	char *start, *end; /* RFC 3339 */
	int exit_code;     /* -1: killed at its timeout */
	char *output;
};
#define CONTAINER_HEALTH_LOG_MAX 5 /* results kept, as docker */

/* one entry of NetworkSettings.Ports: the container's port and where it is published */
struct container_port_binding {
	char *host_ip, *host_port; /* "0.0.0.0", "8080" */
};
struct container_port {
	char *key;      /* "80/tcp" */
	bool published; /* false: exposed only (JSON null) */
	struct container_port_binding *bindings;
	size_t nbindings;
};

/* Which of docker's endpoint shapes an entry of NetworkSettings.Networks has: the keys it
 * holds and their order (record_json.c writes each in its own order, as docker does) */
enum container_endpoint_kind {
	/* recorded by create or `network connect`, not yet connected: IPAMConfig Aliases
	 * NetworkID IPAddress Gateway IPPrefixLen MacAddress */
	CONTAINER_ENDPOINT_ASKED,
	/* filled by a connect (kept, addresses emptied, after the exit): IPAMConfig Links
	 * Aliases MacAddress NetworkID Gateway IPAddress IPPrefixLen IPv6Gateway
	 * GlobalIPv6Address GlobalIPv6PrefixLen DriverOpts DNSNames */
	CONTAINER_ENDPOINT_CONNECTED,
	/* --network none or host, shown by name: Aliases NetworkID IPAddress Gateway
	 * IPPrefixLen MacAddress */
	CONTAINER_ENDPOINT_MODE,
};

/* one entry of NetworkSettings.Networks: the container's endpoint on a network. Strings
 * NULL: the key is absent (an older record's) and stays so; "" and 0 while not running */
struct container_network {
	char *name; /* the key: the network's name */
	enum container_endpoint_kind kind;
	char *ipam_ipv4;  /* IPAMConfig.IPv4Address: --ip, asked for; NULL: IPAMConfig null */
	char **aliases;   /* Aliases (--network-alias), NULL-terminated; NULL: none (null) */
	char *network_id; /* NetworkID */
	char *ip_address; /* IPAddress */
	char *gateway;    /* Gateway */
	int ip_prefix_len;
	char *mac_address; /* MacAddress */
	char **dns_names;  /* DNSNames (CONNECTED only): NULL-terminated; NULL: null */
};

/* NetworkSettings' own keys besides Networks and Ports: the default bridge's address, which
 * docker still prints at the top level, and the network namespace's path */
struct container_net_settings {
	/* the record has NetworkSettings (a half-made or broken one has not), or will have once
	 * saved: an endpoint or a port added (record_fields.c) */
	bool present;
	bool has_networks; /* the record has NetworkSettings.Networks (even {}) */
	bool has_address; /* IPPrefixLen is there (with IPAddress Gateway MacAddress: a bridge's) */
	char *ip_address, *gateway, *mac_address;
	int ip_prefix_len;
	char *sandbox_key; /* SandboxKey, "/proc/PID/ns/net"; NULL: no key */
};

/* one entry of Mounts, docker's MountPoint */
struct container_mount {
	char *type;        /* "bind", "volume", "tmpfs" */
	char *name;        /* a volume's name; NULL for the others (no Name key) */
	char *source;      /* the host path */
	char *destination; /* the path in the container */
	char *driver;      /* "local" for a volume; NULL for the others */
	char *mode;        /* "", "ro", "z" */
	bool rw;
	char *propagation; /* a bind's ("rprivate"), else "" */
};

/*
 * struct container_record - container.json as the front end reads and changes it: every
 * field a command decides by (state, names, IDs, pids, exit codes, health, restart policy,
 * labels ...) typed, in docker's inspect names. record_json.c (and record_json_host.c) is
 * the one place that knows the JSON keys: container_record_from_json fills this from the
 * tree, container_record_to_json writes it back into the same tree (in place: the keys keep
 * their order, and the parts not typed here, such as HostConfig's keys for what minirun
 * does not do (KernelMemory, Links ...) and a Minirun.Seccomp profile, pass through
 * unchanged). Strings are owned; NULL when the record has no such key. A record written by
 * an older minirun loads (missing keys read as docker's zero values and are not added back
 * unless set).
 */
/* Config.Healthcheck (--health-* over the image's HEALTHCHECK: health.c), as docker's
 * durations in ns; 0: the record has none (health.h's defaults apply) */
struct container_healthcheck {
	bool present; /* the record has a Healthcheck */
	char **test;  /* ["CMD", ARG...], ["CMD-SHELL", S], ["NONE"]; NULL: no Test */
	long long interval, timeout, start_period, start_interval, retries;
};

struct container_record {
	char *id;      /* Id */
	char *name;    /* Name, with docker's leading '/' */
	char *created; /* Created, RFC 3339 */
	char *path;    /* Path: the program */
	char **args;   /* Args, NULL-terminated */
	char *image;   /* Image: "sha256:..." */
	/* ResolvConfPath HostnamePath HostsPath LogPath: the files of a start, as docker's
	 * inspect shows them ("" until create fills them, once the directory exists:
	 * lifecycle.c; LogPath "" for the local and none drivers) */
	char *resolv_conf_path, *hostname_path, *hosts_path, *log_path;
	long restart_count; /* RestartCount: the monitor's restarts under --restart */
	struct {
		bool present; /* the record has a State (a half-made or broken one has none) */
		enum container_state status;
		bool oom_killed, dead;
		pid_t pid;
		int exit_code;
		char *error, *started_at, *finished_at;
		enum container_health health;
		int failing_streak;
		/* State.Health.Log, oldest first (at most CONTAINER_HEALTH_LOG_MAX) */
		struct container_health_result *health_log;
		size_t nhealth_log;
	} state;
	struct {
		char *hostname, *domainname, *user, *image, *working_dir;
		bool attach_stdin, attach_stdout, attach_stderr, stdin_once;
		/* Env ("K=V"), Cmd, Entrypoint: NULL-terminated; NULL: JSON null (none) */
		char **env, **cmd, **entrypoint;
		char **shell; /* Shell: a HEALTHCHECK's CMD-SHELL runs in it; NULL: none */
		struct container_healthcheck healthcheck;
		char *stop_signal; /* NULL: none (SIGTERM) */
		char *mac_address; /* --mac-address as given; NULL: none */
		int stop_timeout;  /* -1: none (10 s) */
		bool tty, open_stdin;
		struct container_label *labels;
		size_t nlabels;
		/* ExposedPorts' keys ("80/tcp"), the image's then -p's and --expose's;
		 * NULL-terminated, NULL: no key */
		char **exposed_ports;
		/* Volumes' keys: the paths of the anonymous volumes vol.c made (the image's
		 * VOLUMEs, a -v of a path alone), each {}; NULL-terminated, NULL: no key */
		char **volumes;
	} config;
	/* HostConfig: every key of docker's a flag sets (record_json_host_write.c lays them out) */
	struct container_host {
		char *network_mode; /* "bridge", "none", "host", "container:ID", a network */
		char *pid_mode, *ipc_mode, *uts_mode; /* "", "host", "container:ID" ... */
		long long shm_size;                   /* bytes; 0: no key (64 MiB) */
		enum container_restart restart;
		int restart_max;
		bool auto_remove, init, privileged, readonly_rootfs, publish_all;
		char *log_type; /* LogConfig.Type ("json-file"); NULL: no LogConfig */
		struct container_kvs log_opts; /* LogConfig.Config, keys sorted (a Go map) */
		struct container_dns dns;      /* Dns DnsSearch DnsOptions ExtraHosts */
		struct container_kvs tmpfs;    /* Tmpfs: path -> options ("" or "size=64m") */
		/* PortBindings (-p): the container's port and the host's ones asked for
		 * ("HostIp" "", "HostPort" "" for any), in the record's order */
		struct container_port *port_bindings;
		size_t nport_bindings;
		bool has_port_bindings; /* the record has PortBindings (even {}) */
		struct container_limits limits;
		/* Binds: vol.c's "SOURCE:TARGET[:ro]" of each -v (a named volume or a host path);
		 * NULL: null (no key in an older record) */
		char **binds;
		/* HostConfig.Mounts (vol.c: each --mount, each -v of a tmpfs); absent until one */
		struct container_mount_spec *mount_specs;
		size_t nmount_specs;
		bool has_mount_specs;       /* the record has HostConfig.Mounts (even []) */
		char *container_id_file;    /* ContainerIDFile: --cidfile's path, "" */
		char **volumes_from;        /* VolumesFrom: as given; NULL: null */
		char **cap_add, **cap_drop; /* CapAdd, CapDrop: as given ([] for none) */
		char **security_opt;        /* SecurityOpt: as given ([] for none) */
		char **group_add;           /* GroupAdd: --group-add's names or gids; NULL: null */
		char *cgroupns_mode;        /* CgroupnsMode: "private", "host" */
		char *userns_mode;          /* UsernsMode: "" or --userns's "host", "auto" */
		/* Ulimits ([] for none: has_ulimits), the last --ulimit of a name only */
		struct container_host_ulimit *ulimits;
		size_t nulimits;
		bool has_ulimits;
		/* Devices ([] for none: has_devices) */
		struct container_host_device *devices;
		size_t ndevices;
		bool has_devices;
		/* BlkioDeviceReadBps ... BlkioDeviceWriteIOps (enum container_throttle_kind) */
		struct container_throttles throttles[CONTAINER_THROTTLES];
		/* MaskedPaths, ReadonlyPaths: what the bundle masks and makes read-only (its
		 * lists; [] with systempaths=unconfined); NULL: null (--privileged) */
		char **masked_paths, **readonly_paths;
		struct container_kvs sysctls; /* Sysctls: name -> value; docker's omitempty */
	} host;
	struct {                   /* "Minirun": what docker's inspect has no key for */
		char *step;        /* the last step of run the monitor recorded */
		char *broken;      /* why the record could not be read (never saved) */
		char *image_ref;   /* the image as given to run */
		char *detach_keys; /* "ctrl-p,ctrl-q" */
		bool stop_requested;
		pid_t monitor_pid;
		char **lower_dirs; /* the image's layer dirs, top first; NULL: ask the store */
		/* IdMap {HostUID, HostGID, Size}: --userns=auto's range (userns.c), the host's
		 * ids of the container's 0.. (the bundle maps them: bundle/nsmodes.c) */
		struct {
			bool present; /* the record has an IdMap (an object) */
			unsigned long host_uid, host_gid, size;
		} id_map;
		/* OciMounts, in the order vol.c recorded them (absent until one) */
		struct container_oci_mount *oci_mounts;
		size_t noci_mounts;
		bool has_oci_mounts; /* the record has OciMounts (even []) */
		/* what the bundle reads at each start (bundle/config.c) and create's flags:
		 * NoNewPrivileges (--security-opt no-new-privileges), Seccomp ("unconfined", or
		 * the text of --security-opt seccomp=FILE's profile, compact JSON, as create
		 * sets it: written as the profile's object; NULL: no key, docker's default
		 * profile, or the profile the record has already: has_seccomp_profile),
		 * Platform (--platform; NULL: none), PullNever (--pull never). A false one is
		 * written only where the record has its key (a new one has both) */
		bool no_new_privileges;
		char *seccomp, *platform;
		/* the record's Seccomp is a profile (an object): it stays in the tree as it is,
		 * neither turned into text at each load nor parsed again at each save (only
		 * the bundle reads it, there) */
		bool has_seccomp_profile;
		bool pull_never;
	} mr;
	/* GraphDriver.Data: UpperDir WorkDir (the writable layer's), MergedDir, LowerDir
	 * (the image's layer dirs joined by ':', as docker's inspect shows them); create sets
	 * them (lifecycle.c), NULL: no key */
	char *upper_dir, *work_dir, *merged_dir, *lower_dir;
	struct container_mount *mounts; /* Mounts, in the record's order */
	size_t nmounts;
	bool has_mounts; /* the record has Mounts (a broken or half-made one has not) */
	struct container_port *ports; /* NetworkSettings.Ports, in the record's order */
	size_t nports;
	bool has_ports; /* the record has NetworkSettings.Ports */
	/* NetworkSettings.Networks, in the record's order (net.c changes them) */
	struct container_network *networks;
	size_t nnetworks;
	struct container_net_settings net; /* the rest of NetworkSettings */
};

/* container_record_from_json - fill R from the tree REC (borrowed); -1 with err on ENOMEM */
int container_record_from_json(json_t *rec, struct container_record *r, struct mr_err *err);
/* container_record_to_json - write R's fields into the tree REC, in place */
void container_record_to_json(const struct container_record *r, json_t *rec);
/* container_record_json_new - the tree of a new record (container_record_new's): docker
 * inspect's top-level keys in its order, R's typed fields (Id, Created, Path, Args, State,
 * Image, Name, RestartCount, HostConfig with every key of docker 20.10's in its order,
 * Config, Minirun's DetachKeys Step NoNewPrivileges ImageRef Seccomp Platform PullNever) */
json_t *container_record_json_new(const struct container_record *r);
void container_record_free(struct container_record *r);
/* container_record_add_mount - append a copy of M to R's mounts; -1 on ENOMEM */
int container_record_add_mount(struct container_record *r, const struct container_mount *m);
/* container_record_add_port - KEY ("80/tcp") in R's ports: exposed only when HOST_IP is
 * NULL, else published on HOST_IP:HOST_PORT (a binding added to the entry KEY has); -1 on
 * ENOMEM. container_record_clear_ports: none (docker's {} for a container not running). */
int container_record_add_port(struct container_record *r, const char *key, const char *host_ip,
			      const char *host_port);
void container_record_clear_ports(struct container_record *r);
/* container_record_add_binding - KEY published on HOST_IP:HOST_PORT in R's PortBindings (a
 * binding added to the entry KEY has); -1 on ENOMEM */
int container_record_add_binding(struct container_record *r, const char *key, const char *host_ip,
				 const char *host_port);
/* the entry KEY of R's PortBindings, or NULL */
const struct container_port *container_record_binding(const struct container_record *r,
						      const char *key);
/* the entry KEY ("80/tcp") of R's ports, or NULL */
const struct container_port *container_record_port(const struct container_record *r,
						   const char *key);
/* the endpoint of R on network NAME, or NULL */
const struct container_network *container_record_network(const struct container_record *r,
							 const char *name);
/* container_record_endpoint - R's endpoint on network NAME to change: the one there, else
 * (MAKE) a new one of KIND at the end, its strings "" and no aliases; NULL when there is
 * none and not MAKE, or on ENOMEM. Pointers into r->networks go stale when one is added. */
struct container_network *container_record_endpoint(struct container_record *r, const char *name,
						    bool make, enum container_endpoint_kind kind);
/* container_record_drop_network - forget R's endpoint on NAME (none there: nothing) */
void container_record_drop_network(struct container_record *r, const char *name);
/* container_record_set_strv - replace the vector *DST with a copy of SRC[0..N) (SRC NULL:
 * NULL, JSON null; N 0: an empty one, []); -1 on ENOMEM (*DST is NULL then) */
int container_record_set_strv(char ***dst, const char *const *src, size_t n);
/* container_record_strv_add - a copy of S appended to the vector *V (NULL: an empty one);
 * -1 on ENOMEM, *V still whole */
int container_record_strv_add(char ***v, const char *s);
/* container_record_add_ulimit, _add_device, _add_throttle, _add_mount_spec - append a copy
 * of one entry to R's HostConfig.Ulimits, Devices, throttle list KIND, Mounts (each present
 * from then on); -1 on ENOMEM */
int container_record_add_ulimit(struct container_record *r, const char *name, long long hard,
				long long soft);
int container_record_add_device(struct container_record *r, const char *on_host,
				const char *in_container, const char *perms);
int container_record_add_throttle(struct container_record *r, enum container_throttle_kind kind,
				  const char *path, long long rate);
int container_record_add_mount_spec(struct container_record *r,
				    const struct container_mount_spec *m);
/* container_record_add_oci_mount - append the config.json "mounts" entry M (an OCI mount
 * object: destination, type, source, options; volume_oci_mount's) to R's Minirun.OciMounts
 * (present from then on); -1 on ENOMEM (record_json.c) */
int container_record_add_oci_mount(struct container_record *r, json_t *m);
/* container_record_add_volume - PATH added to R's Config.Volumes (once); -1 on ENOMEM */
int container_record_add_volume(struct container_record *r, const char *path);
/* container_kvs_add - append KEY=VALUE to L (present from then on); -1 on ENOMEM */
int container_kvs_add(struct container_kvs *l, const char *key, const char *value);
void container_kvs_free(struct container_kvs *l);
/* container_record_add_health - append a probe's result to R's State.Health.Log, the oldest
 * dropped past CONTAINER_HEALTH_LOG_MAX; -1 on ENOMEM */
int container_record_add_health(struct container_record *r,
				const struct container_health_result *h);
/* the value of label KEY, or NULL */
const char *container_label(const struct container_record *r, const char *key);
/* container_labels_json - R's Config.Labels as a JSON object, in their order: what the
 * label filters and templates take (lib/prune_filter.h, mr_tmpl_label_methods), and commit's
 * image config. New reference (record_json_config.c). */
json_t *container_labels_json(const struct container_record *r);
/* set the state and docker's booleans that go with it (Running, Paused, Restarting, Dead) */
void container_record_set_state(struct container_record *r, enum container_state s);
/* replace the string *DST with a copy of SRC (NULL allowed) */
void container_record_set_str(char **dst, const char *src);

#endif
