/*
 * minirun/containers/containers.h - docker's containers without a daemon: records, the
 * run/create flags, the OCI config made from an image, the per-container monitor, stdio.
 *
 * A container is a directory, ROOT/containers/ID (ROOT: --root, else $MINIRUN_ROOT, else
 * /var/lib/minirun; ID: 64 hex), that any later `minirun` process can pick up: nothing is
 * kept only in memory, and no daemon answers questions. README.md in this directory has the
 * layout of that directory and the order in which `run` makes things (and `rm -f` undoes
 * them, even after a `kill -9` at any step).
 *
 *   record     container.json, shaped like `docker inspect` prints it (store.c)
 *   flags      `run`/`create` argv -> struct container_opts (opts.c: the syntax; opts_set.c:
 *              the flags), pure
 *   config     record + image -> the OCI config.json handed to the runtime (config.c),
 *              with docker's defaults: capabilities, masked paths, mounts, devices, seccomp
 *   monitor    one small process per running container: the parent (subreaper) of its init,
 *              owner of its stdio and log, which records the exit code and applies --restart
 *              and --rm (monitor.c)
 *   io         the monitor's stdio loop, the attach socket, the client side of `run`,
 *              `start -a`, `attach`, and the json-file log (io.c, attach.c, logs.c)
 *
 * Errors: library functions return -1 (or NULL) and fill struct mr_err with docker's wording
 * ("No such container: x"); the commands print "minirun: MSG" and return docker's status:
 * 125 when minirun itself fails, else the container's.
 *
 * See: README.md here; minirun/container.h (the OCI lifecycle underneath);
 *      https://docs.docker.com/reference/cli/docker/container/run/
 */
#ifndef MR_CONTAINERS_H
#define MR_CONTAINERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/network/network.h"
#include "minirun/volume/volume.h"

#define CONTAINER_ID_LEN           64 /* hex digits; "short" IDs are the first 12 */
#define CONTAINER_EXIT_MINIRUN     125
#define CONTAINER_EXIT_CANNOT_EXEC 126
#define CONTAINER_EXIT_NOT_FOUND   127

/* ---- the commands ------------------------------------------------------------------------ */

/* A front-end verb: FN gets argv with argv[0] = the verb's name, returns the exit status.
 * Same shape as image_command, network_command, volume_command. */
struct container_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help; /* one line for the top-level usage() */
};
/* The verbs, one table per file group so that each can grow on its own; minirun/main.c
 * dispatches all three. Each ends with a {NULL} entry.
 *   container_commands       run create start stop kill restart rm pause unpause wait (commands.c)
 *   container_io_commands    logs exec attach (io_commands.c)
 *   container_info_commands  ps inspect top stats port diff cp commit container (info_commands.c)
 */
extern const struct container_command container_commands[];
extern const struct container_command container_io_commands[];
extern const struct container_command container_info_commands[];

/* The store root: set from --root by the dispatcher (NULL: $MINIRUN_ROOT, else
 * /var/lib/minirun). containers_root() returns the one in effect. */
extern const char *containers_root_opt;
const char *containers_root(void);

/* ---- run / create flags (opts.c, opts_set.c) ---------------------------------------------- */

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
	const char *workdir, *user, *hostname;
	const char *entrypoint;     /* --entrypoint; "" clears the image's */
	long long memory;           /* -m bytes; 0 unset */
	long long memory_swap;      /* --memory-swap bytes (memory+swap); 0 unset, -1 unlimited */
	double cpus;                /* --cpus; 0 unset */
	long long pids_limit;       /* --pids-limit; 0 unset, -1 unlimited */
	char **tmpfs;               /* --tmpfs PATH[:OPTS] */
	char **cap_add, **cap_drop; /* names as given ("NET_ADMIN", "CAP_NET_ADMIN", "ALL") */
	char **security_opt;        /* as given, for the record */
	char *seccomp_profile;      /* --security-opt seccomp=unconfined|FILE; NULL default */
	enum container_restart restart;
	int restart_max;            /* on-failure:N; 0 = no limit */
	const char *network;        /* --network none|host|bridge|NAME|container:ID; NULL bridge */
	char **network_aliases;     /* --network-alias */
	struct network_port *ports; /* -p, parsed with network_parse_port */
	size_t nports;
	struct volume_mount *mounts; /* -v and --mount, parsed with volume_parse_* */
	size_t nmounts;
	const char *stop_signal; /* --stop-signal; NULL: the image's StopSignal, else SIGTERM */
	int stop_timeout;        /* --stop-timeout seconds; -1 unset (docker's 10) */
	const char *detach_keys; /* --detach-keys; NULL: "ctrl-p,ctrl-q" */
	const char *platform;
	bool pull_never;    /* --pull never */
	bool pull_always;   /* --pull always (default "missing": pull only what is not here) */
	char **group_add;   /* --group-add NAME|GID, resolved in the container's /etc/group */
	long long shm_size; /* --shm-size bytes; 0: docker's 64m */
	char **ulimits;     /* --ulimit NAME=SOFT[:HARD], as given (checked: hostflags.h) */
	char **devices;     /* --device HOST[:CONTAINER[:PERMS]], as given (checked) */
};

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

/* ---- the record (store.c) ---------------------------------------------------------------- */

/* One container, opened. rec is container.json (docker's inspect shape, see README.md). */
struct container {
	char id[CONTAINER_ID_LEN + 1];
	char dir[4096]; /* ROOT/containers/ID */
	const char *root;
	json_t *rec;
	int lockfd; /* ROOT/containers/ID/lock, flock()ed exclusively while >= 0 */
};

/*
 * container_new - make a fresh ID and claim NAME (NULL: generate one) atomically
 * (ROOT/containers/.names/NAME, O_EXCL), create ROOT/containers/ID and take its lock.
 * "Conflict. The container name \"/x\" is already in use by container \"ID\". You have to
 * remove (or rename) that container to be able to reuse that name." when taken.
 * c->rec is NULL until the caller sets it (container_record_new) and saves.
 */
int container_new(const char *root, const char *name, struct container *c, struct mr_err *err);
/* container_open - find REF (a name, with or without '/', a full ID or a unique ID prefix)
 * and load its record; LOCK: take its lock first (for a change). "No such container: REF"
 * (errnum ENOENT); an ambiguous prefix: "multiple IDs found with provided prefix: REF". */
int container_open(const char *root, const char *ref, bool lock, struct container *c,
		   struct mr_err *err);
/* container_save - write c->rec atomically (the lock must be held) */
int container_save(struct container *c, struct mr_err *err);
/* container_reload - re-read c->rec (after taking the lock, or to see the monitor's news) */
int container_reload(struct container *c, struct mr_err *err);
void container_close(struct container *c);
/* container_ids - every container's ID, newest first (by Created); NULL-terminated, the
 * caller frees with container_ids_free */
char **container_ids(const char *root, struct mr_err *err);
void container_ids_free(char **ids);
/* the path of FILE in the container's directory, into buf */
char *container_path(const struct container *c, const char *file, char *buf, size_t len);

/* ---- record <-> OCI config (record.c, config.c, seccomp_default.c) ------------------------- */

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

/* Paths the OCI config refers to. */
struct container_paths {
	const char *rootfs;      /* the merged overlay */
	const char *hosts;       /* bind-mounted on /etc/hosts (NULL: none, --network host) */
	const char *hostname;    /* on /etc/hostname */
	const char *resolv_conf; /* on /etc/resolv.conf */
	const char *netns;       /* join this network namespace (host: NULL and no new one) */
	const char *init;        /* --init: the host path of the init binary to bind-mount */
	const char *cgroups_path;
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
/* docker's default seccomp profile as an OCI "seccomp" object, for a process with the
 * capability bitmask CAPS (bit N = capability N: some syscalls are allowed only with theirs) */
json_t *container_seccomp_default(unsigned long long caps);
/* container_seccomp_profile - a profile given with --security-opt seccomp=FILE (docker's
 * format: archMap, includes/excludes by capability and architecture; or plain OCI) as the
 * OCI "seccomp" object for a process with capabilities CAPS. New reference, NULL with err. */
json_t *container_seccomp_profile(json_t *profile, unsigned long long caps, struct mr_err *err);

/* ---- config.c and user.c: capabilities, users, --init (helpers the config is made of) ----- */

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
	gid_t gids[64]; /* additionalGids: the /etc/group entries that list the user */
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

/* ---- lifecycle (lifecycle.c, rootfs.c, monitor.c) ----------------------------------------- */

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
 * failed to start: err says why, with errnum ENOENT / EACCES for 127 / 126).
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
/* the container's state now: "created" "running" "paused" "restarting" "exited" "dead",
 * checked against the processes (a record saying running with its monitor gone is "exited") */
const char *container_status(struct container *c);
/* the OCI runtime's state root for the containers of ROOT (ROOT/oci) */
char *container_oci_root(const char *root, char *buf, size_t len);
/* the host pid of the container's init, 0 when it is not running */
pid_t container_pid(struct container *c);

/* ---- a container's networks and volumes (net.c, vol.c) ------------------------------------ */

/*
 * container_volumes_up - at create: volume_resolve() each -v/--mount of O for container C,
 * record them in the record (Mounts, HostConfig.Binds/Mounts) and their OCI mounts in
 * Minirun.OciMounts (which container_oci_config appends, with the --tmpfs ones), plus an
 * anonymous volume for each path of the image's config.Volumes that no -v/--mount/--tmpfs
 * covers; a new or empty volume is populated from the image (unless nocopy). All or
 * nothing: on failure every volume it registered is released.
 */
int container_volumes_up(struct container *c, const struct container_opts *o, struct mr_err *err);
/* container_volumes_down - at rm: volume_release() each volume; ANONYMOUS (rm -v): then
 * remove its anonymous volumes. Safe to repeat, and on a half-made record. */
int container_volumes_down(struct container *c, bool anonymous, struct mr_err *err);
/*
 * container_net_up - after the OCI container exists (its init, PID, waits for start):
 * connect it to its networks (HostConfig.NetworkMode "bridge" or a user network, with the
 * name and Aliases; none/host/container:ID have nothing to connect), publish its
 * PortBindings (and, with PublishAllPorts, every ExposedPorts entry on a free port), and
 * fill NetworkSettings (Networks, Ports) in c->rec (the caller saves). All or nothing.
 */
int container_net_up(struct container *c, pid_t pid, struct mr_err *err);
/* container_net_down - at exit/stop/rm: unpublish and disconnect every network the record
 * names, whether or not the connect finished (a kill -9 half-way), and clear NetworkSettings'
 * addresses. Safe to repeat; works after the network namespace is gone. */
int container_net_down(struct container *c, struct mr_err *err);
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
/* io_prepare - make the container's stdio (pipes or a pty via console_fd), the log file
 * LOG (json-file lines) and the listening attach socket SOCK. */
int io_prepare(struct container_io *io, bool tty, bool stdin_open, const char *log,
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
/* log_append - one json-file line {"log":TEXT,"stream":STREAM,"time":RFC3339Nano} */
int log_append(int fd, const char *stream, const char *text, size_t len);

/* ---- for tests: dying at a named step ---------------------------------------------------- */

/* container_step - if $MINIRUN_TEST_DIE_AT equals STEP, SIGKILL this process right here
 * (the test of "kill -9 at each step of run, then rm -f leaves nothing"); under -v, narrate */
void container_step(const char *step);

#endif
