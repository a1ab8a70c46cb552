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
 *              changed as struct container_record (record.h; record_json.c,
 *              record_json_host.c: the one place that knows its keys)
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
#include "minirun/bundle/bundle.h"     /* struct container_opts, the OCI config */
#include "minirun/containers/record.h" /* struct container_record */
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

/* An --rm container's link ROOT/containers/ID, kept in a pool (rmlink.c):
 * rmlink_make - LINK (ROOT/containers/ID) made to lead to REC (RUN/records/ID) through a
 *   slot RUN/slots/K, the link taken from ROOT/containers/.spare when the pool has one;
 * rmlink_id - the ID the link (or a name claim linked to it) at PATH leads to: 0; -1 with
 *   errno ESTALE when its slot is gone (its run root was lost);
 * rmlink_drop - the link at PATH (ROOT/containers/ID, or its trash entry) of the container
 *   ID, which is gone: back into the pool and its slot freed, else unlinked. */
int rmlink_make(const char *root, const char *rec, const char *link, struct mr_err *err);
int rmlink_id(const char *path, char id[CONTAINER_ID_LEN + 1]);
void rmlink_drop(const char *root, const char *id, const char *path);

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
	bool lo_up;  /* this start's network namespace came with its lo up (the monitor's
		      * begin_netns): container_net_up need not bring it up */
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
/* container_is_id - S is a full container ID: 64 lowercase hex digits and nothing more */
bool container_is_id(const char *s);
/* container_claim_read - the ID the name claim NAME holds, into id: 0; -1 (errno ENOENT)
 * when there is no such claim, ESTALE when it is an --rm container's left behind (its run
 * root lost, or no longer its container's link: store.c) */
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
