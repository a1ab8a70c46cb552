/*
 * minirun/volume/volume.h - docker's named volumes and the -v / --mount flags.
 *
 * A volume is a directory the store owns, in docker's layout:
 *
 *	ROOT/volumes/.lock             flock(2)ed by every change
 *	ROOT/volumes/NAME/_data        what containers mount (the "Mountpoint")
 *	ROOT/volumes/NAME/volume.json  Name, Driver "local", CreatedAt, Labels, Options, Scope
 *	ROOT/volumes/NAME/users        the IDs of the containers using it, one per line
 *
 * (ROOT: --root, else $MINIRUN_ROOT, else /var/lib/minirun.) "In use" is the users file:
 * the container code calls volume_use() when it creates a container that mounts the
 * volume (volume_resolve() does it for it) and volume_release() when it removes that
 * container; `volume rm` refuses a volume whose users file names anyone (unless -f), and
 * `volume prune` skips it. A file rather than a callback because the answer must survive
 * the process that created the container: minirun has no daemon to ask.
 *
 * The flags: -v and --mount are parsed into struct volume_mount (pure functions, docker's
 * error messages), then volume_resolve() makes what the mount needs (a named volume on
 * first use, an anonymous one for `-v /path`, a missing host directory for -v's bind) and
 * volume_oci_mount() gives the runtime the OCI config.json "mounts" entry.
 *
 * Errors: functions return -1 (or NULL) and fill struct mr_err. See also:
 * https://docs.docker.com/engine/storage/volumes/, .../bind-mounts/, .../tmpfs/.
 */
#ifndef MR_VOLUME_H
#define MR_VOLUME_H

#include <limits.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/cmd.h"
#include "lib/err.h"

/* ---- the commands ------------------------------------------------------------------------ */

/* `minirun volume VERB ...` (lib/cmd.h's rows): create ls rm inspect prune; ends with {NULL} */
extern const struct mr_command volume_commands[];

/* The root the commands use (see network.h's twin): --root, $MINIRUN_ROOT, /var/lib/minirun */
extern const char *volume_root_opt;
const char *volume_root(void);

/* ---- the store (volume.c) ------------------------------------------------------------------ */

#define VOLUME_NAME_MAX   255
#define VOLUME_ANON_LABEL "com.docker.volume.anonymous"

/* docker's rule for a local volume name: [a-zA-Z0-9][a-zA-Z0-9_.-]+. 0, or -1 with err:
 * 'create x/y: "x/y" includes invalid characters for a local volume name, ...'. */
int volume_check_name(const char *name, struct mr_err *err);

/* Take the volumes lock (made if missing); returns the fd to close, or -1 with err. */
int volume_lock(const char *root, struct mr_err *err);

/* docker volume create: NAME (NULL: 64 random hex, and with anonymous != 0 the
 * com.docker.volume.anonymous label), LABELS "k=v" each, in use by USER (a container ID, or
 * NULL) from the moment it exists: all or nothing, even if killed. An existing volume is
 * fine (its labels stay, as docker; USER is not added: volume_use does that). The name goes
 * to name_out. Takes the lock. */
int volume_create(const char *root, const char *name, const char *const *labels, size_t nlabels,
		  int anonymous, const char *user, char name_out[VOLUME_NAME_MAX + 1],
		  struct mr_err *err);
/* volume_create with the local driver's options (OPTS "K=V" each, `volume create --opt`):
 * type, device and o, kept in the record's Options; a container that uses the volume
 * mounts DEVICE with filesystem TYPE and options O (mount(8)'s -t, source and -o) there
 * instead of binding _data. docker's words for a bad one: "invalid option key: \"x\"",
 * "missing required option: \"device\"". */
int volume_create_opts(const char *root, const char *name, const char *const *labels,
		       size_t nlabels, const char *const *opts, size_t nopts, int anonymous,
		       const char *user, char name_out[VOLUME_NAME_MAX + 1], struct mr_err *err);
/* docker volume rm: refused while the users file names a container ("remove x: volume is
 * in use - [ID, ...]") unless force. "get x: no such volume". Takes the lock. */
int volume_remove(const char *root, const char *name, int force, struct mr_err *err);
/* The record of NAME as inspect prints it (new object; caller decrefs), NULL with err. */
json_t *volume_inspect(const char *root, const char *name, struct mr_err *err);
/* Every record, by name (new array). */
json_t *volume_list(const char *root, struct mr_err *err);
/* docker volume prune: remove every unused volume, anonymous ones only unless all, that
 * passes F (--filter until=/label=, lib/prune_filter.h; NULL: no filter). The
 * removed names are appended to *removed (a new array; caller decrefs), their sizes added
 * to *bytes. Takes the lock. */
struct mr_prune_filter;
int volume_prune(const char *root, int all, const struct mr_prune_filter *f, json_t **removed,
		 unsigned long long *bytes, struct mr_err *err);

/* Record that container ID uses / no longer uses NAME (idempotent). Take the lock. */
int volume_use(const char *root, const char *name, const char *id, struct mr_err *err);
int volume_release(const char *root, const char *name, const char *id, struct mr_err *err);
/* The users of NAME, a new array of strings (empty when none). */
json_t *volume_users(const char *root, const char *name, struct mr_err *err);

/* ---- populate (populate.c) ------------------------------------------------------------------ */

/* docker's populate: when NAME's _data is empty, copy the contents of the directory SRCFD
 * (opened by the caller inside the image's root; SHOWN names it in messages, "/data") into
 * it, owners, modes, times and symlinks kept, and give _data SRCFD's owner and mode. A
 * volume that holds anything is left alone (0). Takes the lock. -1 with err. */
/* volume_dir_empty - 1 if the directory DFD holds nothing (docker populates only an empty
 * volume), 0 if it holds something or can't be read. */
int volume_dir_empty(int dfd);
int volume_populate(const char *root, const char *name, int srcfd, const char *shown,
		    struct mr_err *err);

/* ---- -v and --mount (mounts.c) -------------------------------------------------------------- */

enum volume_mount_type { VOLUME_MOUNT_BIND, VOLUME_MOUNT_VOLUME, VOLUME_MOUNT_TMPFS };

struct volume_mount {
	enum volume_mount_type type;
	char source[PATH_MAX]; /* host path (bind), volume name ("" = anonymous), "" (tmpfs) */
	char target[PATH_MAX]; /* absolute path inside the container */
	int readonly;
	int create_source;             /* -v's bind: make a missing host directory (docker does) */
	int nocopy;                    /* volume-nocopy / -v ...:nocopy */
	char propagation[16];          /* "" or rprivate, private, rshared, shared, rslave, slave */
	unsigned long long tmpfs_size; /* bytes, 0 = the kernel's default (half of RAM) */
	unsigned tmpfs_mode;           /* 0 = 01777 */
	char host_path[PATH_MAX];      /* filled by volume_resolve: what gets bind-mounted */
	int from_v;                    /* parsed from -v (docker records it in HostConfig.Binds;
					  --mount's go to HostConfig.Mounts) */
	/* filled by volume_resolve from a volume's Options (volume create --opt): what the
	 * container mounts instead of binding host_path; fs_type "" for a plain volume */
	char fs_type[32];
	char fs_device[PATH_MAX];
	char fs_opts[1024];
};

/* Parse -v SRC:DST[:OPTS] or -v DST (an anonymous volume). Pure. -1 with docker's words:
 * 'invalid volume specification: 'x:y': invalid mount config for type "volume": invalid mount
 * path: 'y' mount path must be absolute', 'invalid mode: xyz', the volume-name message. */
int volume_parse_v(const char *spec, struct volume_mount *out, struct mr_err *err);
/* Parse --mount type=bind|volume|tmpfs,source=..,target=..,readonly,... Pure except that
 * a bind's source must exist ("bind source path does not exist: /x"). */
int volume_parse_mount(const char *spec, struct volume_mount *out, struct mr_err *err);
/* Make what M needs and fill m->host_path: a volume (named: created on first use; "":
 * an anonymous one, whose name is written back into m->source) registered as used by
 * CONTAINER_ID; a bind's missing host directory when create_source. Tmpfs: nothing. */
int volume_resolve(const char *root, struct volume_mount *m, const char *container_id,
		   struct mr_err *err);
/* M as an OCI config.json "mounts" entry ({destination, type, source, options}). */
json_t *volume_oci_mount(const struct volume_mount *m);

#endif
