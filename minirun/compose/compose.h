/*
 * minirun/compose/compose.h - the Compose Specification as typed C structs, and how a
 * project is loaded into them: `minirun compose`.
 *
 * A compose project is read in the order docker compose reads it:
 *
 *	1. discovery   compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml in
 *	               the working directory or a parent, plus its *.override.* twin; or
 *	               every -f FILE (or $COMPOSE_FILE), in order        (project.c)
 *	2. variables   the shell's environment over --env-file (or the project's .env),
 *	               read with docker compose's dotenv rules           (interp.c)
 *	3. each file   YAML (libfyaml: anchors, aliases, `<<` merge keys) -> the typed model,
 *	               every scalar interpolated first ($V, ${V:-d} ...), every key checked
 *	               against the specification (an unknown key or a wrong type names the
 *	               key path and FILE:LINE); then its `extends`        (load.c, service.c)
 *	4. merge       the files in order, by the specification's merge rules: maps merge,
 *	               ports/volumes/environment/labels merge by key, command/entrypoint/
 *	               healthcheck.test are replaced, `!reset` and `!override` (merge.c)
 *	5. project     the name (-p, $COMPOSE_PROJECT_NAME, `name:`, the directory, normalized
 *	               as docker does), active profiles, the default network   (project.c)
 *
 * The YAML tree lives only inside step 3: everything after it, and every user of this
 * header, sees structs. `minirun compose config` prints the model back (emit.c), which is
 * the teaching view of what merge and interpolation produced.
 *
 * Memory: every string and array of a project belongs to the project's arena
 * (struct compose_arena) and goes with compose_project_free(); nothing is freed alone.
 * Errors: functions return -1 (or NULL) and fill struct mr_err.
 *
 * See: https://docs.docker.com/reference/compose-file/ (the specification),
 *      https://docs.docker.com/reference/compose-file/merge/,
 *      https://docs.docker.com/reference/compose-file/interpolation/,
 *      https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/
 */
#ifndef MR_COMPOSE_H
#define MR_COMPOSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "lib/err.h"

/* ---- memory: one arena per project ------------------------------------------------------ */

struct compose_arena {
	struct compose_block *blocks; /* every allocation, freed together */
};
void *compose_alloc(struct compose_arena *a, size_t n); /* zeroed; aborts on OOM */
char *compose_strdup(struct compose_arena *a, const char *s);
char *compose_strndup(struct compose_arena *a, const char *s, size_t n);
char *compose_printf(struct compose_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Grow ARRAY of *N elements of SIZE by one zeroed element; returns the new element. */
void *compose_push(struct compose_arena *a, void *array_ptr, size_t *n, size_t size);
void compose_arena_free(struct compose_arena *a);

/* ---- the value types --------------------------------------------------------------------- */

struct compose_strv { /* a list of strings (command, cap_add, dns, profiles ...) */
	char **v;
	size_t n;
};

struct compose_kv { /* environment, labels, build.args, sysctls, extra_hosts */
	char *key;
	char *value; /* NULL: "KEY" without a value (environment: taken from the shell) */
};
struct compose_kvs {
	struct compose_kv *v;
	size_t n;
};

/* ports: short ("8080:80/udp", "127.0.0.1:8000-8001:80-81") and long syntax */
struct compose_port {
	char *name;
	char *host_ip;
	unsigned target;    /* container port */
	char *published;    /* host port or range as written ("8080", "8000-8001"); NULL: any */
	char *protocol;     /* "tcp" | "udp" */
	char *mode;         /* "ingress" | "host" */
	char *app_protocol; /* NULL unless set */
};
struct compose_ports {
	struct compose_port *v;
	size_t n;
};

/* volumes of a service: short ("data:/srv:ro", "./src:/app", "/anon") and long syntax */
enum compose_mount_type { COMPOSE_MOUNT_VOLUME, COMPOSE_MOUNT_BIND, COMPOSE_MOUNT_TMPFS };
struct compose_mount {
	enum compose_mount_type type;
	char *source; /* volume key, absolute host path (bind), NULL (anonymous, tmpfs) */
	char *target;
	int read_only;
	int create_host_path; /* bind: make a missing source (the short syntax's way) */
	char *propagation;    /* bind */
	int nocopy;           /* volume */
	long long tmpfs_size; /* tmpfs, bytes; 0: unset */
};
struct compose_mounts {
	struct compose_mount *v;
	size_t n;
};

/* depends_on: the list form means condition service_started, restart false, required true */
enum compose_condition {
	COMPOSE_STARTED,
	COMPOSE_HEALTHY,
	COMPOSE_COMPLETED,
};
struct compose_dep {
	char *service;
	enum compose_condition condition;
	int restart;
	int required;
};
struct compose_deps {
	struct compose_dep *v;
	size_t n;
};

/* networks of a service: a list of names, or a map of name -> {aliases, ipv4_address} */
struct compose_svc_net {
	char *name; /* the network's key in the top-level networks */
	struct compose_strv aliases;
	char *ipv4_address;
	int has_config; /* written as a map entry with a body (else `name: null`) */
};
struct compose_svc_nets {
	struct compose_svc_net *v;
	size_t n;
};

/* healthcheck; durations kept as written ("30s", "1m30s") */
struct compose_health {
	struct compose_strv test; /* ["CMD", ...], ["CMD-SHELL", "..."], ["NONE"] */
	char *interval, *timeout, *start_period, *start_interval;
	long long retries; /* -1: unset */
	int disable;
};

/* logging: run's --log-driver and --log-opt (checked by the containers' front end) */
struct compose_logging {
	char *driver;
	struct compose_kvs options;
};

struct compose_build {
	char *context; /* absolute, relative paths resolved against the project directory */
	char *dockerfile;
	char *target;
	struct compose_kvs args;
};

struct compose_resources {
	char *cpus;       /* as written ("0.5") */
	long long memory; /* bytes; 0: unset */
	long long pids;   /* 0: unset */
};
struct compose_deploy {
	long long replicas; /* -1: unset */
	struct compose_resources limits, reservations;
};

/* blkio_config: a weight, and per device a weight or a rate (path: the device node) */
struct compose_blkio_dev {
	char *path;
	long long value; /* weight_device: the weight; the others: bytes or IO per second */
};
struct compose_blkio_devs {
	struct compose_blkio_dev *v;
	size_t n;
};
struct compose_blkio {
	long long weight; /* 0: unset */
	struct compose_blkio_devs weight_device, device_read_bps, device_write_bps,
		device_read_iops, device_write_iops;
};

struct compose_ulimit {
	char *name;
	long long soft, hard;
};
struct compose_ulimits {
	struct compose_ulimit *v;
	size_t n;
};

/* env_file: "a.env", or {path: a.env, required: false} (a missing one is then skipped) */
struct compose_env_file {
	char *path; /* absolute */
	int required;
};
struct compose_env_files {
	struct compose_env_file *v;
	size_t n;
};

struct compose_extends {
	char *service;
	char *file; /* NULL: the same file */
};

/* ---- a service ----------------------------------------------------------------------------
 * Which keys a file set is the bitmask `set` (bit = the key's row in service.c's table,
 * enum compose_svc_key), so that a merge knows "unset" from "empty"; `reset` and `override`
 * are the keys tagged !reset / !override in the file the service came from. There are more
 * keys than 64: the mask is 128 bits wide (a GNU C type; SVC_BIT and SVC_HAS spell it).
 */
typedef unsigned __int128 compose_keyset;
#define SVC_BIT(key)    ((compose_keyset)1 << (key))
#define SVC_HAS(s, key) (((s)->set & SVC_BIT(key)) != 0)
enum compose_svc_key {
	SVC_BLKIO_CONFIG,
	SVC_BUILD,
	SVC_CAP_ADD,
	SVC_CAP_DROP,
	SVC_CGROUP,
	SVC_COMMAND,
	SVC_CONTAINER_NAME,
	SVC_CPU_COUNT,
	SVC_CPU_PERCENT,
	SVC_CPU_PERIOD,
	SVC_CPU_QUOTA,
	SVC_CPU_SHARES,
	SVC_CPUS,
	SVC_CPUSET,
	SVC_DEPENDS_ON,
	SVC_DEPLOY,
	SVC_DNS,
	SVC_DNS_OPT,
	SVC_DNS_SEARCH,
	SVC_DOMAINNAME,
	SVC_ENTRYPOINT,
	SVC_ENV_FILE,
	SVC_ENVIRONMENT,
	SVC_EXPOSE,
	SVC_EXTENDS,
	SVC_EXTRA_HOSTS,
	SVC_HEALTHCHECK,
	SVC_HOSTNAME,
	SVC_IMAGE,
	SVC_INIT,
	SVC_IPC,
	SVC_LABEL_FILE,
	SVC_LABELS,
	SVC_LINKS,
	SVC_LOGGING,
	SVC_MAC_ADDRESS,
	SVC_MEM_LIMIT,
	SVC_MEM_RESERVATION,
	SVC_MEM_SWAPPINESS,
	SVC_MEMSWAP_LIMIT,
	SVC_NETWORK_MODE,
	SVC_NETWORKS,
	SVC_OOM_KILL_DISABLE,
	SVC_OOM_SCORE_ADJ,
	SVC_PID,
	SVC_PIDS_LIMIT,
	SVC_PLATFORM,
	SVC_PORTS,
	SVC_PRIVILEGED,
	SVC_PROFILES,
	SVC_PULL_POLICY,
	SVC_READ_ONLY,
	SVC_RESTART,
	SVC_SECURITY_OPT,
	SVC_SHM_SIZE,
	SVC_STDIN_OPEN,
	SVC_STOP_GRACE_PERIOD,
	SVC_STOP_SIGNAL,
	SVC_STORAGE_OPT,
	SVC_SYSCTLS,
	SVC_TMPFS,
	SVC_TTY,
	SVC_ULIMITS,
	SVC_USER,
	SVC_USERNS_MODE,
	SVC_UTS,
	SVC_VOLUMES,
	SVC_VOLUMES_FROM,
	SVC_WORKING_DIR,
	SVC_NKEYS
};

struct compose_service {
	char *name;
	compose_keyset set, reset, override;
	const char *file; /* where it was defined (the last file that named it) */
	int line;

	struct compose_build build;
	struct compose_strv cap_add, cap_drop, command, dns, dns_opt, dns_search, entrypoint,
		expose, label_file, links, profiles, security_opt, tmpfs, volumes_from;
	char *container_name, *cpus, *cpuset, *domainname, *hostname, *image, *mac_address,
		*network_mode, *platform, *pull_policy, *restart, *stop_grace_period, *stop_signal,
		*user, *working_dir;
	/* pid, ipc, uts, userns_mode, cgroup: run's --pid --ipc --uts --userns --cgroupns */
	char *pid, *ipc, *uts, *userns_mode, *cgroup;
	struct compose_deps depends_on;
	struct compose_deploy deploy;
	struct compose_env_files env_file; /* read into environment by the load, then empty */
	struct compose_kvs environment, extra_hosts, labels, storage_opt, sysctls;
	struct compose_health healthcheck;
	struct compose_logging logging;
	int init, oom_kill_disable, privileged, read_only, stdin_open, tty;
	long long mem_limit, pids_limit, shm_size;
	/* run's --memory-reservation, --memory-swap (-1: unlimited), --memory-swappiness,
	 * --oom-score-adj, -c, --cpu-period, --cpu-quota: 0 unset, but for swappiness and
	 * oom_score_adj, where 0 is a value and `set` tells; cpu_count and cpu_percent are
	 * Windows' and only warned about */
	long long mem_reservation, memswap_limit, mem_swappiness, oom_score_adj, cpu_shares,
		cpu_period, cpu_quota, cpu_count, cpu_percent;
	struct compose_blkio blkio_config;
	struct compose_svc_nets networks;
	struct compose_ports ports;
	struct compose_ulimits ulimits;
	struct compose_mounts volumes;
	struct compose_extends extends;
};

/* ---- top-level networks and volumes ------------------------------------------------------ */

struct compose_network {
	char *key;  /* the name the file uses */
	char *name; /* the real one: PROJECT_KEY unless external or `name:` */
	char *driver;
	int external, internal, name_set;
	struct compose_kvs labels;
};

struct compose_volume {
	char *key;
	char *name; /* PROJECT_KEY unless external or `name:` */
	char *driver;
	int external, name_set;
	struct compose_kvs labels;
};

struct compose_project {
	struct compose_arena arena;
	char *name;
	char *workdir; /* the project directory: the first file's, or --project-directory */
	struct compose_strv files; /* the files read, in order */
	struct compose_service *services;
	size_t nservices;
	struct compose_network *networks;
	size_t nnetworks;
	struct compose_volume *volumes;
	size_t nvolumes;
	struct compose_strv profiles; /* the active ones */
	struct compose_strv all_profiles;
	/* the variables interpolation used: the shell's over the env files' */
	struct compose_kvs env;
	/* what docker compose would warn about (unset variables), for the command to print */
	struct compose_strv warnings;
};

/* ---- variables: interpolation and .env (interp.c) ----------------------------------------- */

/* How a variable is looked up: returns its value (NULL when unset). */
typedef const char *(*compose_lookup_fn)(const char *name, void *data);

/*
 * compose_interpolate - expand $V, ${V}, ${V:-d}, ${V-d}, ${V:?msg}, ${V?msg}, ${V:+r},
 * ${V+r} (defaults and replacements nest), and $$ (a literal $) in IN. Returns the new
 * string in arena A, or NULL with err ("WHERE: required variable V is missing a value:
 * msg", "WHERE: invalid interpolation format for "${"..."); WHERE names the place (a
 * file:line and key path) for the message.
 */
char *compose_interpolate(struct compose_arena *a, const char *in, compose_lookup_fn lookup,
			  void *data, const char *where, struct mr_err *err);

/* The same, and WARNINGS (may be NULL) gets docker compose's warning for each variable used
 * without a default and unset ("The "V" variable is not set. Defaulting to a blank
 * string. (WHERE)"), once per variable. */
char *compose_interpolate_warn(struct compose_arena *a, const char *in, compose_lookup_fn lookup,
			       void *data, const char *where, struct compose_strv *warnings,
			       struct mr_err *err);

/*
 * compose_dotenv_parse - read TEXT (the contents of FILE, for messages) with docker
 * compose's dotenv rules and append its variables to OUT (a later one replaces an earlier
 * one): `KEY=VALUE` or `export KEY=VALUE`; `#` comments (an unquoted value's ` #...` tail
 * too); 'single quotes' literal; "double quotes" with \n \t \" \\ escapes; either quote may
 * span lines; ${VAR} expanded in unquoted and double-quoted values from the variables
 * before it and then LOOKUP; a bare `KEY` takes LOOKUP's value (skipped when unset).
 * Returns 0, or -1 with err "FILE:LINE: ...".
 */
int compose_dotenv_parse(struct compose_arena *a, const char *text, const char *file,
			 compose_lookup_fn lookup, void *data, struct compose_kvs *out,
			 struct mr_err *err);

/* kv helpers: the value of KEY in KVS (NULL if absent), and set-or-replace. */
struct compose_kv *compose_kv_find(const struct compose_kvs *kvs, const char *key);
void compose_kv_set(struct compose_arena *a, struct compose_kvs *kvs, const char *key,
		    const char *value);

/* ---- loading a project (project.c) ------------------------------------------------------- */

struct compose_options {
	const char *const *files; /* -f, in order; NULL/0: $COMPOSE_FILE or discovery */
	size_t nfiles;
	const char *project_name;      /* -p */
	const char *project_directory; /* --project-directory */
	const char *const *env_files;  /* --env-file, in order */
	size_t nenv_files;
	const char *const *profiles; /* --profile */
	size_t nprofiles;
	const char *const *services; /* named on the command line: only they and their deps */
	size_t nservices;
	const char *cwd; /* NULL: getcwd */
	/* the shell's environment (NULL: environ), "K=V" each, ending with NULL */
	char *const *environ;
};

/* Load the project the options name; returns a project to free, or NULL with err. */
struct compose_project *compose_load(const struct compose_options *opt, struct mr_err *err);
void compose_project_free(struct compose_project *p);

/* Find the default compose file in DIR or a parent: 0 and path in OUT, -1 with err. */
int compose_find_file(const char *dir, char *out, size_t outsz, struct mr_err *err);

/*
 * compose_normalize_name - docker compose's project name rule for a directory name:
 * lower case, only [a-z0-9_-] kept, no leading '_' or '-'. Writes into OUT (at least
 * strlen(in)+1 bytes).
 */
void compose_normalize_name(const char *in, char *out);
/* A name given by -p, $COMPOSE_PROJECT_NAME or `name:` must already be normal: 0 or -1. */
int compose_check_name(const char *name, const char *from, struct mr_err *err);

struct compose_service *compose_service_find(const struct compose_project *p, const char *name);

/* ---- the parts each file goes through (load.c, service.c, merge.c) ----------------------- */

/* What a file is parsed with: its name for messages, the directory relative paths are
 * resolved against, the variables for interpolation. */
struct compose_ctx {
	struct compose_arena *a;
	const char *file;
	const char *dir;
	compose_lookup_fn lookup;
	void *data;
	struct compose_strv *warnings; /* NULL, or where unset variables are noted */
};

/* A parsed file: the parts of the model one file can hold (before the merge). */
struct compose_file {
	char *name;
	int name_set;
	struct compose_service *services;
	size_t nservices;
	struct compose_network *networks;
	size_t nnetworks;
	struct compose_volume *volumes;
	size_t nvolumes;
	struct compose_strv include; /* include: files, resolved against the file's dir */
};

/* Parse FILE (path) into OUT; 0, or -1 with err naming FILE:LINE and the key path. */
int compose_parse_file(const struct compose_ctx *ctx, struct compose_file *out, struct mr_err *err);
/* Parse TEXT as if it were the file ctx->file (unit tests, stdin). */
int compose_parse_text(const struct compose_ctx *ctx, const char *text, struct compose_file *out,
		       struct mr_err *err);

/* Merge OVER into BASE by the specification's rules (both from files already parsed). */
void compose_merge_file(struct compose_arena *a, struct compose_file *base,
			const struct compose_file *over);
void compose_merge_service(struct compose_arena *a, struct compose_service *base,
			   const struct compose_service *over);

/* Resolve every service's `extends` in F (parsing other files with CTX's variables). */
int compose_resolve_extends(const struct compose_ctx *ctx, struct compose_file *f,
			    struct mr_err *err);

/* ---- printing the model (emit.c) ---------------------------------------------------------- */

/* The project as docker compose v2's `config` shows it (a new object; caller decrefs). */
json_t *compose_to_json(const struct compose_project *p);
/* Double every $ in J's strings, as docker compose's `config` does, so that what it prints
 * is a compose file that interpolates back to the same model. */
void compose_escape_dollars(json_t *j);
/* Print J as YAML (block style, strings quoted where YAML would read another type). */
void compose_print_yaml(FILE *out, const json_t *j);

/* ---- running a project (up.c) ----------------------------------------------------------- */

/* when up remakes an existing container: on a changed config hash (the default), always
 * (--force-recreate), never (--no-recreate) */
enum compose_recreate { COMPOSE_RECREATE_CHANGED, COMPOSE_RECREATE_FORCE, COMPOSE_RECREATE_NEVER };
struct compose_up_opts {
	enum compose_recreate recreate;
	struct compose_kvs scale;    /* --scale SERVICE=N: N containers instead of replicas */
	int remove_orphans;          /* containers of services no longer defined: removed, else
				     warned about (only when P holds every service) */
	int all_services;            /* P was loaded without naming services */
	int build;                   /* --build: build the images of services with `build` first */
	int no_build;                /* --no-build: never build (a missing image is an error) */
	int wait;                    /* --wait: return once every container is running, and
				     healthy where it has a check (an unhealthy one fails) */
	int no_deps;                 /* --no-deps: only the SERVICES named, not what they need */
	const char *const *services; /* the services named on the command line */
	size_t nservices;
};
/* compose up -d: the images of services with `build` built (when missing, or with BUILD),
 * networks and volumes made when missing, then each service's containers in dependency
 * order (unchanged ones kept, changed ones or ones over another image recreated as
 * RECREATE says, those numbered above the scale removed), each after its service_healthy
 * dependencies are healthy and its service_completed_successfully ones exited 0; 0 or -1
 * with err ("dependency failed to start: container NAME is unhealthy"). Keys it does not
 * apply yet (expose ...) are warned about. */
int compose_up(struct compose_project *p, const struct compose_up_opts *uo, struct mr_err *err);
/* what a foreground up does when an attached container exits: nothing (up returns once
 * all have), stop them all (--abort-on-container-exit), or stop them all on a non-zero
 * exit (--abort-on-container-failure) */
enum compose_on_exit { COMPOSE_EXIT_IGNORE, COMPOSE_EXIT_ABORT, COMPOSE_EXIT_ABORT_FAILURE };
struct compose_attach_opts {
	const char *const *services; /* named on up's command line (0: every one) */
	size_t nservices;
	const char *const *attach; /* --attach: only these services' output (0: see above) */
	size_t nattach;
	const char *const *no_attach; /* --no-attach: not these */
	size_t nno_attach;
	enum compose_on_exit on_exit;
	const char *exit_code_from; /* --exit-code-from SERVICE: up's status is its exit code */
	int timeout;                /* -t: the stop timeout on Ctrl-C or abort; -1 each's own */
	struct timespec since;      /* when up began: the output shown starts there */
	int colour;                 /* each container's prefix in a colour of its own */
};
/* compose up without -d, after compose_up: "Attaching to ...", each attached container's
 * output behind "NAME | " as it comes, "NAME exited with code N" as each exits; a first
 * SIGINT/SIGTERM stops them (compose_stop), a second kills them; returns the exit status
 * for up once every attached container has exited: 130 when interrupted, the code
 * --abort-on-container-exit or --exit-code-from chose, else 0 (attach.c). */
int compose_attach(struct compose_project *p, const struct compose_attach_opts *ao);
/* compose build: the image of each service of P with `build`, named `image:` or else
 * PROJECT-SERVICE, built by minirun build; 0 or -1 with err. */
int compose_build(struct compose_project *p, struct mr_err *err);
/* compose down: the project's containers stopped (TIMEOUT seconds, -1 default) and removed
 * in reverse order (orphans too with REMOVE_ORPHANS), its networks, with VOLUMES its
 * volumes and the containers' anonymous ones. */
int compose_down(struct compose_project *p, int timeout, int volumes, int remove_orphans,
		 struct mr_err *err);
/* what compose_stop does to each container, and to which */
struct compose_stop_opts {
	int timeout; /* seconds before SIGKILL; -1: each container's own (stop_grace_period) */
	int remove;  /* down: each container removed once stopped */
	int volumes; /* with remove: its anonymous volumes too */
	int orphans; /* the containers of services P no longer has: taken too (first) */
};
/* compose stop / down / an interrupted up: the containers of SERVICES (all when NSERVICES
 * is 0) stopped, dependents first: one dependency level at a time, every container of a
 * level at once (a process each), so a container ignoring its stop signal costs its
 * timeout once per level. " Container NAME  Stopping/Stopped" on stderr. 0, or -1 with err
 * when one failed (each said on stderr; the others are still done). (stop.c) */
int compose_stop(struct compose_project *p, const char *const *services, size_t nservices,
		 const struct compose_stop_opts *so, struct mr_err *err);
/* compose ps: the project's containers (ALL: stopped ones too) as a table, their IDs
 * (QUIET), their services (SERVICES), or with JSON one object a line as docker compose's
 * --format json. */
int compose_ps(struct compose_project *p, int all, int quiet, int services, int json, FILE *out,
	       struct mr_err *err);

/* compose run: a one-off container of SERVICE (PROJECT-SERVICE-run-HEX, labelled oneoff
 * True) in the foreground, its dependencies started first unless NO_DEPS. Returns the
 * container's exit status as `run` does, or -1 with err before anything ran. P must have
 * been loaded with SERVICE named (so it holds SERVICE and its dependencies only). */
struct compose_run_opts {
	int rm, tty, no_deps;
	char *const *cmd; /* NULL: the service's command */
	size_t ncmd;
	const char *const *env; /* -e K=V */
	size_t nenv;
};
int compose_run(struct compose_project *p, const char *service, const struct compose_run_opts *ro,
		struct mr_err *err);

/* compose ls: the projects the store's containers belong to (by their labels), with the
 * count of running and other containers and the files `up` read; ALL: also projects with
 * no running container; QUIET: the names only. Needs no compose file. */
int compose_ls(int all, int quiet, FILE *out, struct mr_err *err);

/* The names of the project's containers (of SERVICES only, when NSERVICES), from the store
 * by their labels, in dependency order then by number; 0, or -1 with err. */
int compose_containers(struct compose_project *p, const char *const *services, size_t nservices,
		       struct compose_strv *names, struct mr_err *err);

/* ---- verbs over the project's containers (verbs.c) ---------------------------------------- */

/* start stop restart kill pause unpause rm top: the container verb of that name over the
 * containers of the services named in ARGV (all without), its options passed on. */
int compose_passthrough(struct compose_project *p, int argc, char **argv);
/* exec [-T] [-d] [-e K=V] [-u U] [-w D] [--index N] SERVICE CMD...: `exec -it` (-i with -T)
 * in the service's container N (1) */
int compose_exec(struct compose_project *p, int argc, char **argv);
/* port [--index N] [--protocol P] SERVICE PRIVATE_PORT: where that port is published */
int compose_port(struct compose_project *p, int argc, char **argv);
/* logs [-f] [-t] [--tail N] [--no-color] [SERVICE...]: each container's log at once,
 * each line behind "NAME | " (coloured on a terminal) */
int compose_logs(struct compose_project *p, int argc, char **argv);
/* `logs OPTS NAME` run in a child, its output copied to stdout a line at a time behind
 * PREFIX (one write a line, so that the lines of several containers interleave whole);
 * returns that child's exit status. For a process of its own (logs, foreground up). */
int compose_log_relay(char **opts, size_t nopts, const char *name, const char *prefix);
/* "NAME | " padded to WIDTH, in the Ith colour when COLOUR (a terminal), in A */
char *compose_log_prefix(struct compose_arena *a, const char *name, size_t i, size_t width,
			 int colour);

/* ---- the services' images (images.c) ------------------------------------------------------ */

/* pull [SERVICE...], push [SERVICE...]: the image verb over each service's `image:` */
int compose_pull_images(struct compose_project *p, int argc, char **argv);
int compose_push_images(struct compose_project *p, int argc, char **argv);
/* images [-q] [SERVICE...]: the image of each of the project's containers */
int compose_images(struct compose_project *p, int argc, char **argv);
/* down --rmi: the images up built (no `image:`), or with ALL every service's; 0, or -1
 * when one could not go (said on stderr) */
int compose_remove_images(struct compose_project *p, int all);

/* ---- the commands (commands.c) ------------------------------------------------------------ */

/* `minirun compose [OPTIONS] COMMAND ...`; argv[0] = "compose". Returns the exit status. */
int compose_main(int argc, char **argv);

#endif
