/*
 * minirun/containers/containers.h - docker's containers without a daemon: records, the
 * run/create flags, the per-container monitor, stdio.
 *
 * A container is a directory, ROOT/containers/ID (ROOT: --root, else $MINIRUN_ROOT, else
 * /var/lib/minirun; ID: 64 hex), that any later `minirun` process can pick up: nothing is
 * kept only in memory, and no daemon answers questions. README.md in this directory has the
 * layout of that directory and the order in which `run` makes things (and `rm -f` undoes
 * them, even after a `kill -9` at any step).
 *
 *   record     container.json, shaped like `docker inspect` prints it (store.c), read and
 *              changed as struct container_record (record_json.c, record_json_host.c: the
 *              one place that knows its keys)
 *   flags      `run`/`create` argv -> struct container_opts (opts.c: the syntax; opts_set.c:
 *              the flags), pure
 *   config     record + image -> the OCI config.json handed to the runtime, with docker's
 *              defaults: the layer below, minirun/bundle/bundle.h (which also holds
 *              struct container_opts, the run options it is made from)
 *   monitor    one small process per running container: the parent (subreaper) of its init,
 *              owner of its stdio and log, which records the exit code and applies --restart
 *              and --rm (monitor.c)
 *   io         the monitor's stdio loop, the attach socket, the client side of `run`,
 *              `start -a`, `attach`, and the log: its drivers and rotation (io.c, attach.c,
 *              logs.c; logdriver.h: logopts.c, logwrite.c, logread.c)
 *
 * Errors: library functions return -1 (or NULL) and fill struct mr_err with docker's wording
 * ("No such container: x"); the commands print "minirun: MSG" and return docker's status:
 * 125 when minirun itself fails, else the container's.
 *
 * See: README.md here; minirun/bundle/bundle.h (the OCI config); minirun/oci/runtime.h (the
 *      OCI lifecycle underneath);
 *      https://docs.docker.com/reference/cli/docker/container/run/
 */
#ifndef MR_CONTAINERS_H
#define MR_CONTAINERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/cmd.h"
#include "lib/err.h"
#include "minirun/bundle/bundle.h" /* struct container_opts, the OCI config */
#include "minirun/network/network.h"
#include "minirun/volume/volume.h"

#define CONTAINER_ID_LEN   64  /* hex digits; "short" IDs are the first 12 */
#define CONTAINER_NAME_MAX 255 /* a name is a file name: containers/.names/NAME */

/* ---- the commands ------------------------------------------------------------------------ */

/* The verbs, one table per file group so that each can grow on its own; minirun/main.c
 * dispatches all three. Each ends with a {NULL} entry.
 *   container_commands       run create start stop kill restart rm pause unpause wait (commands.c)
 *   container_io_commands    logs exec attach (io_commands.c)
 *   container_info_commands  ps inspect top stats port diff cp commit rename update export
 *                            container (info_commands.c; `container prune`: prune.c)
 */
extern const struct mr_command container_commands[];
extern const struct mr_command container_io_commands[];
extern const struct mr_command container_info_commands[];

/* The store root: set from --root by the dispatcher (NULL: $MINIRUN_ROOT, else
 * /var/lib/minirun). containers_root() returns the one in effect. */
extern const char *containers_root_opt;
const char *containers_root(void);
/* The run root of the store ROOT (root.c): the files of one start, on a tmpfs where the
 * machine has one. $MINIRUN_RUNROOT (--runroot sets it), else /run/minirun for the store
 * /var/lib/minirun, else ROOT/run. Into buf. */
char *containers_run_root(const char *root, char *buf, size_t len);
/* RUN/containers/ID: the run files of the container ID of ROOT, into buf */
char *containers_run_dir(const char *root, const char *id, char *buf, size_t len);
/* RUN/records/ID: the directory of an --rm container (ROOT/containers/ID links to it) */
char *containers_record_dir(const char *root, const char *id, char *buf, size_t len);

/* ---- run / create flags (opts.c, opts_set.c) ---------------------------------------------- */

/*
 * container_opts_parse - parse `VERB [OPTIONS] IMAGE [COMMAND] [ARG...]` (argv[0] = VERB,
 * "run" or "create") with docker's flags and rules: options stop at the first non-option
 * (the image), "--opt=value" and "--opt value" both work, short flags combine ("-it").
 * -1 with docker's message on a bad value ("invalid argument \"x\" for \"-m, --memory\"
 * flag: ...", "invalid restart policy ...") before anything exists. `--help` sets *help
 * (`-h` is --hostname, as in docker).
 */
int container_opts_parse(int argc, char **argv, struct container_opts *o, bool *help,
			 struct mr_err *err);
void container_opts_free(struct container_opts *o);
/* docker's units: "512m", "1g", "100k", "1048576" -> bytes (1024-based as docker's
 * RAMInBytes); -1 with err on a bad size */
long long container_parse_bytes(const char *s, struct mr_err *err);
/* the option table printed by `run --help` / `create --help` */
void container_opts_usage(const char *verb, FILE *out);
/* container_resources_host_check - what only this host can say of the cgroup flags, before
 * anything is made (opts_resources.c): --cpuset-cpus/--cpuset-mems online here, a blkio
 * weight file for --blkio-weight, each --device-*-bps/iops path a block device, an
 * --oom-score-adj this process may set. -1 with docker's words. Where docker's daemon drops a
 * flag with a warning (--memory-swappiness, --oom-kill-disable without a v1 memory
 * hierarchy) the same warning goes to stderr and the flag is cleared in O. */
int container_resources_host_check(struct container_opts *o, struct mr_err *err);
/* --cidfile (cidfile.c), as docker's CLI: container_cidfile_open refuses a PATH that exists
 * ("container ID file found, ...") and creates it empty, before the container is made: the
 * fd, or -1 with err. container_cidfile_close writes ID (NULL: the create failed, and the
 * file is removed again) and closes FD; -1 with err when the write fails. */
int container_cidfile_open(const char *path, struct mr_err *err);
int container_cidfile_close(int fd, const char *path, const char *id, struct mr_err *err);

/* ---- the record, typed (record_json.c) ---------------------------------------------------- */

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
 * their order, and the parts not typed here, such as Minirun's OciMounts and IdMap and
 * HostConfig's keys for what minirun does not do (KernelMemory, Links ...), pass through
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
		/* what the bundle reads at each start (bundle/config.c) and create's flags:
		 * NoNewPrivileges (--security-opt no-new-privileges), Seccomp ("unconfined", or
		 * the text of --security-opt seccomp=FILE's profile, compact JSON; NULL: no key,
		 * docker's default profile), Platform (--platform; NULL: none), PullNever (--pull
		 * never). A false one is written only where the record has its key (a new one
		 * has both) */
		bool no_new_privileges;
		char *seccomp, *platform;
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
/* container_kvs_add - append KEY=VALUE to L (present from then on); -1 on ENOMEM */
int container_kvs_add(struct container_kvs *l, const char *key, const char *value);
void container_kvs_free(struct container_kvs *l);
/* container_record_add_health - append a probe's result to R's State.Health.Log, the oldest
 * dropped past CONTAINER_HEALTH_LOG_MAX; -1 on ENOMEM */
int container_record_add_health(struct container_record *r,
				const struct container_health_result *h);
/* the value of label KEY, or NULL */
const char *container_label(const struct container_record *r, const char *key);
/* set the state and docker's booleans that go with it (Running, Paused, Restarting, Dead) */
void container_record_set_state(struct container_record *r, enum container_state s);
/* replace the string *DST with a copy of SRC (NULL allowed) */
void container_record_set_str(char **dst, const char *src);

/* ---- the store (store.c) ----------------------------------------------------------------- */

/* One container, opened: r is its record, typed; rec is the same record as container.json's
 * tree (docker's inspect shape, see README.md), for the parts r does not type (passed
 * through, printed by inspect, read by the OCI config). container_open/reload fill both,
 * container_save writes r into rec and rec to the file. */
struct container {
	char id[CONTAINER_ID_LEN + 1];
	char dir[4096]; /* ROOT/containers/ID */
	const char *root;
	struct container_record r;
	json_t *rec;
	int lockfd;  /* ROOT/containers/ID/lock, flock()ed exclusively while >= 0 */
	bool in_run; /* DIR is a link to RUN/records/ID: an --rm container's (store.c) */
	bool swept;  /* this process has swept dead writers' temp files from DIR (store.c) */
	bool fresh;  /* made by container_create in this process, not started since: no
		      * start (nor a killed monitor) has left anything to clean up */
	char generated[128]; /* the name container_new made up (no NAME given), else "" */
};

/*
 * container_new - make a fresh ID and claim NAME (NULL: generate one) atomically
 * (ROOT/containers/.names/NAME, O_EXCL), create ROOT/containers/ID and take its lock.
 * IN_RUN (an --rm container's): the directory is RUN/records/ID, ROOT/containers/ID a
 * link to it (c->in_run; store.c says why).
 * "Conflict. The container name \"/x\" is already in use by container \"ID\". You have to
 * remove (or rename) that container to be able to reuse that name." when taken.
 * c->rec is NULL until the caller sets it (container_record_new), loads c->r from it
 * (container_record_from_json) and saves.
 */
int container_new(const char *root, const char *name, bool in_run, struct container *c,
		  struct mr_err *err);
/* container_claim_read - the ID the name claim NAME holds, into id: 0; -1 (errno ENOENT)
 * when there is no such claim */
int container_claim_read(const char *root, const char *name, char id[CONTAINER_ID_LEN + 1]);
/* container_claimed_by - the name ("/NAME") whose claim holds ID, "" when none; malloc()ed,
 * NULL when out of memory */
char *container_claimed_by(const char *root, const char *id);
/* container_open - find REF (a name, with or without '/', a full ID or a unique ID prefix)
 * and load its record; LOCK: take its lock first (for a change). "No such container: REF"
 * (errnum ENOENT); an ambiguous prefix: "multiple IDs found with provided prefix: REF". */
int container_open(const char *root, const char *ref, bool lock, struct container *c,
		   struct mr_err *err);
/* container_save - write c->r into c->rec, and c->rec to the file atomically (the lock must
 * be held) */
int container_save(struct container *c, struct mr_err *err);
/* container_reload - re-read c->rec and c->r (after taking the lock, or to see the monitor's
 * news); pointers into the old c->r go stale */
int container_reload(struct container *c, struct mr_err *err);
void container_close(struct container *c);
/* container_ids - every container's ID, newest first (by Created); NULL-terminated, the
 * caller frees with container_ids_free */
char **container_ids(const char *root, struct mr_err *err);
void container_ids_free(char **ids);
/* the path of FILE of the container, into buf: in its directory, or for the files of one
 * start (monitor.pid, monitor.err, bundle/, merged/, attach.sock, hostname, resolv.conf,
 * net-helper.pid, exit-code, exec-console-*.sock, upper/) in its run directory (root.c);
 * diff/ and work/ in RUN/upper/ when container_upper_in_run says so */
char *container_path(const struct container *c, const char *file, char *buf, size_t len);
/* container_upper_in_run - C's writable layer is on a tmpfs in its run directory (an --rm
 * container's: bundle_upper_tmpfs): C lives in the run root (c->in_run), or its record (of
 * a minirun before that) says RUN/containers/ID/upper/diff. create decides, once
 * (lifecycle.c). */
bool container_upper_in_run(const struct container *c);

/* ---- the record (record.c); the OCI config made from it: minirun/bundle/bundle.h ---------- */

/*
 * container_record_new - the record of a new container: docker inspect's shape (Id, Created,
 * Path, Args, State {Status "created", ...}, Image, Name "/NAME", RestartCount, HostConfig,
 * Config, NetworkSettings, Mounts, GraphDriver), the image's config (IMAGE_CONFIG: the
 * OCI image config object, "config" member inside) merged as docker does: Env = image's then
 * -e (later wins), Entrypoint/Cmd (--entrypoint clears Cmd unless one is given), WorkingDir,
 * User, ExposedPorts, StopSignal, Labels. NAME without a '/'. New reference.
 */
json_t *container_record_new(const struct container_opts *o, const char *id, const char *name,
			     const char *image_ref, const char *image_id, json_t *image_config,
			     struct mr_err *err);
/* container_record_host - the HostConfig of a new container, R's host, from the flags O (as
 * container_record_new fills it): every key docker's create sets from a flag, with docker's
 * defaults where none was given (IpcMode "private", ShmSize 64 MiB, CapAdd [] ...). -1 with
 * err for an --ulimit or --device that does not parse (opts.c checked them), or on ENOMEM. */
int container_record_host(struct container_record *r, const struct container_opts *o,
			  struct mr_err *err);

/* ---- events (events.c) ----------------------------------------------------------------- */

/* container_event - append C's event ACTION ("start", "die", ...) to the store's journal
 * (minirun/events/events.h) with docker's attributes (labels, image, name), then the KEY,
 * VALUE pairs given: container_event(c, "die", "exitCode", "3"). Never fails the caller. */
#define container_event(c, action, ...)                                                            \
	container_event_list(c, action, ##__VA_ARGS__, (const char *)NULL)
void container_event_list(const struct container *c, const char *action, ...)
	__attribute__((sentinel));
/* the text of the number V for an attribute, in a buffer that lives as long as the call's
 * block: container_event(c, "kill", "signal", CONTAINER_EVENT_NUM(sig)) */
#define CONTAINER_EVENT_NUM(v) container_event_num((char[24]){0}, (long long)(v))
const char *container_event_num(char *buf, long long v);
/* container_exec_events - an exec's first two events, exec_create and exec_start, whose
 * action names CMD as docker does ("exec_create: sh -c date"), under a new random execID
 * (into EXEC_ID, 64 hex digits, for the exec_die the caller logs) */
void container_exec_events(const struct container *c, char *const *cmd,
			   char exec_id[CONTAINER_ID_LEN + 1]);
/* container_volume_events - docker's volume mount (MOUNT) or unmount event for each named
 * volume C mounts, as a start and an exit of C make them */
void container_volume_events(const struct container *c, bool mount);
/* container_mode_net_event - for a container of --network none or host, the network event
 * ACTION ("connect", "disconnect") docker logs for its predefined network of that name */
void container_mode_net_event(const struct container *c, const char *action);

/* ---- lifecycle (lifecycle.c, monitor.c; the rootfs: minirun/bundle/rootfs.c) ------------- */

/* container_create - everything `create` does: resolve the image, claim the name, write the
 * record and the `image` file (the image store's in-use mark), make the upper/work dirs,
 * resolve the volumes. On failure nothing is left. The ID goes to c->id; c stays open. */
int container_create(const char *root, const struct container_opts *o, struct container *c,
		     struct mr_err *err);
/*
 * container_start - start a created or exited container: spawn its monitor, which mounts
 * the rootfs, writes the bundle, creates the OCI container, connects the networks and
 * publishes the ports, then starts the process. With ATTACH the monitor waits for one
 * client on the attach socket before starting the process (so no output is lost); the
 * caller then calls container_attach. Returns once the container is running (or has
 * failed to start: err says why, with errnum ENOENT / EACCES for 127 / 126). C is read
 * again then (the monitor saved it as running), but for a container just made by
 * container_create: its callers (run, build's RUN, compose) only attach or close it, so it
 * keeps the created record it had, and a run saves a record's read.
 */
int container_start(struct container *c, bool attach, struct mr_err *err);
/* container_stop - the stop signal, then SIGKILL after TIMEOUT seconds (-1: the record's
 * StopTimeout, else 10); returns when the monitor has recorded the exit. */
int container_stop(struct container *c, int timeout, struct mr_err *err);
/* container_remove - `rm` (FORCE: kill a running one; VOLUMES: also its anonymous volumes):
 * undo every step `run` may have made, each one safe to repeat and to find half-made. */
int container_remove(struct container *c, bool force, bool volumes, struct mr_err *err);
/* container_wait_exit - block until the container is not running; its exit code to *code */
int container_wait_exit(struct container *c, int *code, struct mr_err *err);
/* the container's state now, checked against the processes (a record saying running with
 * its monitor gone reads as its init does, through the OCI state: running/paused while it
 * runs, else exited); CONTAINER_DEAD: no record yet, or one that can't be read
 * (c->r.mr.broken says why). container_state_name gives docker's word. */
enum container_state container_status(struct container *c);
/* true when the record says running but nobody saw the exit (its monitor was killed):
 * the exit code is lost; CONTAINER_EXIT_LOST stands in (docker's code for a container whose
 * daemon died with it), with CONTAINER_LOST_ERROR as State.Error */
bool container_exit_lost(struct container *c);
#define CONTAINER_EXIT_LOST  255
#define CONTAINER_LOST_ERROR "its monitor was killed: the exit code is unknown"
/* for a lost exit (container_exit_lost): the code its monitor wrote to exit-code before the
 * record's save failed (a full disk), else CONTAINER_EXIT_LOST; *error gets the State.Error
 * to show with it ("" or CONTAINER_LOST_ERROR) */
int container_exit_noted(struct container *c, const char **error);
/* the OCI runtime's state root for the containers of ROOT (RUN/oci: root.c) */
char *container_oci_root(const char *root, char *buf, size_t len);
/* container_oom_killed - the OOM killer killed a process of C's cgroup (read before the
 * cgroup goes: v2 memory.events, v1 memory.oom_control); stats.c */
bool container_oom_killed(const struct container *c);
/* the host pid of the container's init, 0 when it is not running */
pid_t container_pid(struct container *c);

/* ---- --pid/--ipc/--uts container:X (nsjoin.c) -------------------------------------------- */

/* the /proc/PID/ns paths of the containers joined, for one start */
struct container_nsjoin {
	char pid[64], ipc[64], uts[64], shm[4400];
};
/* container_ns_targets_check - at create: each container:X of O's --pid/--ipc/--uts names a
 * container ("No such container: X"), for --ipc a shareable one; RUNNING (run): each runs
 * ("container ID is not running"). -1 with docker's words. */
int container_ns_targets_check(const char *root, const struct container_opts *o, bool running,
			       struct mr_err *err);
/* container_ns_joins - at each start of C: the namespaces of the running containers its
 * record's PidMode/IpcMode/UTSMode name, into P (pidns, ipcns, utsns, shm: strings in J).
 * -1 with docker's words when one is not running. */
int container_ns_joins(struct container *c, struct container_paths *p, struct container_nsjoin *j,
		       struct mr_err *err);

/* ---- --userns=auto (userns.c) and minirun.conf (conf.c) ------------------------------------ */

/* container_userns_setup - at create: O's --userns, else minirun.conf's userns-remap; for
 * auto, a free range of the userns-user's subordinate ids taken under the store's lock
 * (ROOT/userns/ID), recorded as Minirun.IdMap {HostUID, HostGID, Size}, the upper and work
 * dirs chowned to it, the record saved. -1 with err naming the file to fill when no range. */
int container_userns_setup(struct container *c, const struct container_opts *o, struct mr_err *err);
/* container_userns_volumes - at create, after the volumes: each volume C alone uses, its
 * data chowned into C's range (owner u -> HostUID + u); -1 with err */
int container_userns_volumes(struct container *c, struct mr_err *err);
/* container_userns_release - at rm: the range of ID is free again (safe to repeat) */
void container_userns_release(const char *root, const char *id);
/* container_userns_rootfs - the record's Minirun.IdMap into FS (map_uid, map_gid, map_size) */
void container_userns_rootfs(const struct container *c, struct bundle_rootfs *fs);
/* minirun_conf_get - KEY's value in minirun.conf (read once), else its default; -1 with
 * "FILE:LINE: ..." for a file that says something wrong. minirun_conf_path: which file. */
int minirun_conf_get(const char *key, const char **value, struct mr_err *err);
const char *minirun_conf_path(void);

/* ---- a container's networks and volumes (net.c, vol.c) ------------------------------------ */

/*
 * container_volumes_up - at create: volume_resolve() each -v/--mount of O for container C,
 * record them in the record (Mounts, HostConfig.Binds/Mounts) and their OCI mounts in
 * Minirun.OciMounts (which container_oci_config appends, with the --tmpfs ones), plus an
 * anonymous volume for each path of ICFG's (the image's config, as create resolved it)
 * config.Volumes that no -v/--mount/--tmpfs covers; a new or empty volume is populated
 * from the image (unless nocopy). All or nothing: on failure every volume it registered is
 * released.
 */
int container_volumes_up(struct container *c, const struct container_opts *o, json_t *icfg,
			 struct mr_err *err);
/* container_volumes_from_check - at create, before anything is made: each --volumes-from
 * of O names a container of ROOT ("No such container: X") with a valid mode ("invalid mode:
 * x"). -1 with docker's words. (volfrom.c) */
int container_volumes_from_check(const char *root, const struct container_opts *o,
				 struct mr_err *err);
/* container_volumes_from - the mounts new container C gets from O's --volumes-from: each
 * named container's volumes and bind mounts (not its tmpfs ones), read-only per the flag
 * or the mount, a later flag winning at a destination. A new array of *N (the caller frees;
 * NULL when none), or -1 with err. Not resolved: container_volumes_up does that. */
int container_volumes_from(const struct container *c, const struct container_opts *o,
			   struct volume_mount **out, size_t *n, struct mr_err *err);
/* container_volumes_down - at rm: volume_release() each volume; ANONYMOUS (rm -v): then
 * remove its anonymous volumes. Safe to repeat, and on a half-made record. */
int container_volumes_down(struct container *c, bool anonymous, struct mr_err *err);
/*
 * container_net_up - after the OCI container exists (its init, PID, waits for start):
 * connect it to its networks (HostConfig.NetworkMode "bridge" or a user network, with the
 * name and Aliases; none/host/container:ID have nothing to connect), publish its
 * PortBindings (and, with PublishAllPorts, every ExposedPorts entry on a free port), and
 * fill NetworkSettings (Networks, Ports) in c->r (the caller saves). All or nothing.
 */
int container_net_up(struct container *c, pid_t pid, struct mr_err *err);
/* container_net_down - at exit/stop/rm: unpublish and disconnect every network the record
 * names, whether or not the connect finished (a kill -9 half-way), and clear NetworkSettings'
 * addresses. Safe to repeat; works after the network namespace is gone. */
int container_net_down(struct container *c, struct mr_err *err);
/* container_net_mode - the network C's record asks for (HostConfig.NetworkMode):
 * NETWORK_DEFAULT ("bridge") when unset, empty or docker's "default", else the mode as it
 * is ("none", "host", "container:ID", a user network's name) */
const char *container_net_mode(const struct container *c);
/* container_net_mode_connects - whether MODE names a network to connect to: false for
 * none, host and container:X (a new empty namespace, the host's, or another container's) */
bool container_net_mode_connects(const char *mode);
/* container_net_listed - whether a network may list C: its NetworkMode names one, or a
 * recorded endpoint does. False for none/host/container:X (every connect is refused), so
 * their starts and exits need not read the network store. */
bool container_net_listed(const struct container *c);
/* container_net_prepare - at create (container_volumes_up calls it first): the network O
 * names must exist ("network x not found"); its endpoint (Aliases, NetworkID) is recorded in
 * NetworkSettings.Networks, as docker's create does. Nothing to undo. */
int container_net_prepare(struct container *c, const struct container_opts *o, struct mr_err *err);
/* container_net_connect / _disconnect - docker's `network connect [--alias A] NET CONTAINER`
 * and `network disconnect NET CONTAINER` (minirun/network's verbs call them when given a
 * container): record or forget the endpoint (every start connects the recorded ones), and
 * connect or disconnect a running container now. Take REF's lock. */
int container_net_connect(const char *root, const char *ref, const char *net,
			  const char *const *aliases, size_t naliases, struct mr_err *err);
int container_net_disconnect(const char *root, const char *ref, const char *net,
			     struct mr_err *err);
/* the two above, for `minirun network connect|disconnect` (network.h network_containers) */
extern const struct network_container_ops container_network_ops;

/* ---- stdio: the attach socket and the log (io.c, attach.c, logs.c) ------------------------ */

/* The monitor's side of the container's stdio. */
struct container_io {
	bool tty, stdin_open;
	int console_fd;   /* tty: the socketpair end given to ctr_create (console_fd) */
	int child_fds[3]; /* no tty: the container's stdin/stdout/stderr, to dup2 before
			     ctr_create (stdin is /dev/null without -i) */
	int priv[8];      /* the io loop's own fds: pipes' other ends, listen socket, log */
	void *impl;       /* the loop's state */
};
struct log_writer; /* logdriver.h */
/* io_prepare - make the container's stdio (pipes or a pty via console_fd) and the listening
 * attach socket SOCK; the output goes to LOG too (taken over: io_finish closes it, also on
 * failure). */
int io_prepare(struct container_io *io, bool tty, bool stdin_open, struct log_writer *log,
	       const char *sock, struct mr_err *err);
/* io_wait_client - block until one client has attached (run/start -a), at most TIMEOUT_MS */
int io_wait_client(struct container_io *io, int timeout_ms, struct mr_err *err);
/* io_after_create - close the container's ends in the monitor once ctr_create has them */
void io_after_create(struct container_io *io);
/* io_run - the loop: copy output to the log and to attached clients, input from a client to
 * the container, accept and drop clients, resize the pty; returns when PID has exited and
 * its output is drained, with its wait status in *status. */
int io_run(struct container_io *io, pid_t pid, int *status, struct mr_err *err);
/* io_finish - tell attached clients the container's exit code, close everything */
void io_finish(struct container_io *io, int exit_code);
/*
 * container_attach - the client: connect to SOCK, hand over this process's stdin (with -i),
 * stdout and stderr, put a terminal into raw mode (TTY), forward window sizes and, without a
 * tty, signals (kill(PID, sig) through the OCI runtime); the detach keys end the attachment
 * but not the container. *exit_code gets the container's exit code, or -1 when detached.
 */
int container_attach(struct container *c, bool with_stdin, bool tty, const char *detach_keys,
		     int *exit_code, struct mr_err *err);

/* ---- housekeeping (prune.c) --------------------------------------------------------------- */

struct mr_prune_filter; /* lib/prune_filter.h */
/* container_prune - remove every stopped container (created, exited, dead) that passes F;
 * unless QUIET, "Deleted Containers:" and their IDs on stdout. The bytes their upper dirs
 * held are added to *RECLAIMED. -1 (after printing why) when one could not be removed. */
int container_prune(const struct mr_prune_filter *f, bool quiet, unsigned long long *reclaimed);

/* ---- for tests: dying at a named step ---------------------------------------------------- */

/* container_step - if $MINIRUN_TEST_DIE_AT equals STEP, SIGKILL this process right here
 * (the test of "kill -9 at each step of run, then rm -f leaves nothing"); under -v, narrate */
void container_step(const char *step);
/* the last step this process reached ("" before the first): the monitor's last words */
extern const char *container_step_last;

#endif
