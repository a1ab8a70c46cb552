/*
 * minirun/oci/spec.h - an OCI bundle's config.json, parsed and checked into C structures.
 *
 * spec_load() reads BUNDLE/config.json with jansson and turns every field an engine sends
 * into the structures below, refusing by name what it can't honour. Every error carries
 * the file position of the offending value ("config.json:14:9: process.args must be a
 * non-empty array of strings"), so a user finds the line at once. Strings point into the
 * parsed JSON document, which the spec owns: spec_free() releases everything.
 *
 * See: https://github.com/opencontainers/runtime-spec/blob/main/config.md,
 *      config-linux.md; jansson's json_load_file (error.line, error.column).
 */
#ifndef MR_SPEC_H
#define MR_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "lib/err.h"

#define SPEC_MAX_NS   8
#define SPEC_MAX_RLIM 16
#define SPEC_NCAPSETS 5

enum spec_capset { CAPS_BOUNDING, CAPS_EFFECTIVE, CAPS_INHERITABLE, CAPS_PERMITTED, CAPS_AMBIENT };
extern const char *const spec_capset_names[SPEC_NCAPSETS]; /* "bounding", ... */

struct spec_rlimit {
	int resource;     /* RLIMIT_NOFILE */
	const char *name; /* "RLIMIT_NOFILE", for error messages */
	rlim_t soft, hard;
};

struct spec_process {
	bool terminal;
	unsigned short cols, rows; /* consoleSize; 0 when absent */
	uid_t uid;
	gid_t gid;
	gid_t *gids; /* additionalGids */
	size_t ngids;
	int umask;          /* -1 when absent */
	char **args, **env; /* NULL-terminated, owned */
	const char *cwd;
	uint64_t caps[SPEC_NCAPSETS]; /* bit N = capability N */
	bool has_caps;
	struct spec_rlimit rlimits[SPEC_MAX_RLIM];
	size_t nrlimits;
	bool no_new_privs;
	bool has_oom_score_adj;
	int oom_score_adj;
	const char *apparmor, *selinux;
};

struct spec_mount {
	const char *dest, *type, *source;
	unsigned long flags;       /* MS_* to set (MS_RDONLY, MS_NOSUID, ...) */
	unsigned long propagation; /* MS_PRIVATE, MS_SHARED ..., 0 for none */
	bool bind, rec;            /* "bind"/"rbind" */
	bool ro;                   /* ro asked for (a bind needs a remount for it) */
	char *data;                /* the options mount(2) passes on as data ("mode=755"), owned */
};

struct spec_ns {
	int flag;         /* CLONE_NEW* */
	const char *path; /* join this namespace; NULL for a new one */
};

struct spec_device {
	const char *path;
	char type; /* 'c', 'b', 'p' ('u' is taken as 'c') */
	long major, minor;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

struct spec_hook {
	const char *path;
	char **args, **env; /* owned; args NULL means { path, NULL } */
	int timeout;        /* seconds, 0 for none */
};

enum spec_hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_NKINDS
};
extern const char *const spec_hook_names[HOOK_NKINDS]; /* "prestart", "createRuntime", ... */

struct spec_hooks {
	struct spec_hook *list;
	size_t n;
};

struct spec {
	json_t *doc;  /* the whole document; every const char * points into it */
	char *text;   /* the text it was parsed from, owned (for error positions) */
	char *name;   /* "config.json" as errors call it, owned */
	char *bundle; /* absolute bundle directory, owned */
	char *rootfs; /* absolute root.path, owned */
	bool root_ro;
	const char *oci_version;
	struct spec_process proc;
	const char *hostname, *domainname;
	struct spec_mount *mounts;
	size_t nmounts;
	struct spec_ns ns[SPEC_MAX_NS];
	size_t nns;
	int ns_new;              /* CLONE_NEW* flags of the namespaces to create */
	char *uid_map, *gid_map; /* uid_map file syntax, owned; NULL when absent */
	struct spec_device *devices;
	size_t ndevices;
	const char *cgroups_path;
	json_t *resources; /* linux.resources, borrowed from doc; handed to cgroups/ */
	json_t *sysctl;    /* object name -> string value */
	const char **masked, **readonly;
	size_t nmasked, nreadonly;
	unsigned long rootfs_propagation; /* MS_PRIVATE by default */
	json_t *seccomp;                  /* linux.seccomp, compiled by seccomp.c */
	json_t *time_offsets;             /* linux.timeOffsets */
	long personality;                 /* -1 for none */
	const char *mount_label;
	struct spec_hooks hooks[HOOK_NKINDS];
	json_t *annotations;
};

/*
 * spec_load - read and check BUNDLE/config.json (BUNDLE may be relative).
 * Returns a new spec the caller frees with spec_free, or NULL with err filled:
 * "config.json:LINE:COL: WHAT". A missing or non-directory bundle, and a missing rootfs,
 * are reported here too.
 */
struct spec *spec_load(const char *bundle, struct mr_err *err);

/*
 * spec_load_tree - spec_load, but with CONFIG (not NULL) taken as BUNDLE/config.json's
 * content instead of reading the file back: the front end hands the tree it built and just
 * wrote there. TEXT (may be NULL) is that tree's JSON as written, only to give errors their
 * line and column. The spec takes its own reference on CONFIG and points into it (strings,
 * linux.resources, linux.seccomp): the caller may drop its reference at once, but must not
 * change the tree while the spec lives. TEXT is copied.
 */
struct spec *spec_load_tree(const char *bundle, json_t *config, const char *text,
			    struct mr_err *err);

/* spec_parse_text - the same checks over a config held in memory (for unit tests and the
 * front end, which builds its config in memory); NAME is used in error messages.
 * spec_parse_tree - the same over a parsed tree, with spec_load_tree's ownership rules;
 * spec_parse_text is spec_parse_tree over json_loads(TEXT). */
struct spec *spec_parse_text(const char *text, const char *name, const char *bundle,
			     struct mr_err *err);
struct spec *spec_parse_tree(json_t *config, const char *text, const char *name, const char *bundle,
			     struct mr_err *err);

/* spec_parse_process - parse one "process" object (config.json's, or exec --process's)
 * into p. Strings point into OBJ, which must outlive p. */
int spec_parse_process(json_t *obj, const char *text, const char *name, struct spec_process *p,
		       struct mr_err *err);
void spec_process_free(struct spec_process *p);

void spec_free(struct spec *s);

/* The namespace entry for FLAG, or NULL when the config doesn't list that type. */
const struct spec_ns *spec_ns(const struct spec *s, int flag);

/* spec_locate - the 1-based line and column of the value at PATH (dotted, with [N] for
 * array elements: "linux.mounts[2].destination") in the JSON TEXT; 0/0 if not found.
 * jansson keeps no positions after parsing, so errors about a value's type or content
 * find it again in the text with this small scanner. */
void spec_locate(const char *text, const char *path, int *line, int *col);

/* spec_default_json - the default config.json `spec` writes, as runc's: a busybox-able
 * "sh" process with the usual mounts, namespaces, masked paths and the default capability
 * set; ROOTLESS maps the caller's ids and drops the namespaces a user can't make. */
json_t *spec_default_json(bool rootless);

/* spec_bad - fail with "NAME:LINE:COL: PATH WHAT", locating PATH in the spec's text.
 * Returns -1 (for `return spec_bad(...)`). Used by the parts that check fields later
 * (seccomp.c, the cgroup step). */
int spec_bad(const struct spec *s, struct mr_err *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* spec_prefix - put "NAME:LINE:COL: PATH: " in front of the error ERR holds, for a field
 * that failed when applied (mounts.c); "NAME: PATH: " when the spec has no text to locate
 * PATH in (a config given as a tree) */
void spec_prefix(const struct spec *s, struct mr_err *err, const char *path);

/* Capability names: cap number <-> "CAP_SYS_ADMIN" (libcap). -1 for an unknown name. */
int spec_cap_from_name(const char *name);

#endif
