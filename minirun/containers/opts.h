/*
 * minirun/containers/opts.h - what the two halves of the run/create flags share (private to
 * opts.c and opts_set.c: other parts use container_opts_* from containers.h).
 *
 *   opts_set.c   the table: every flag, its help line, and the setter its value goes to
 *   opts_kvfile.c  the env-file format, read for --env-file and --label-file
 *   opts.c       the syntax: argv words -> (flag, value) as pflag reads them, `--help` from
 *                the table, the checks across flags, and container_opts_free
 *
 * See: opts.c, opts_set.c.
 */
#ifndef MR_CONTAINERS_OPTS_H
#define MR_CONTAINERS_OPTS_H

#include <stddef.h>

#include "lib/err.h"
#include "minirun/containers/containers.h"

struct opt;

/* A setter gets the value V of flag F (booleans get "true" when given bare) and returns 0,
 * or -1 with docker's message for a bad value in err. */
typedef int (*opt_set)(struct container_opts *o, const char *v, const struct opt *f,
		       struct mr_err *err);

/* One flag, as docker's `run --help` lists it. */
struct opt {
	char shortname;    /* 0: none */
	const char *name;  /* the long name, without "--" */
	const char *alias; /* another long name ("net" for "network"), or NULL */
	const char *meta;  /* the value's kind as docker's help shows it; NULL: a boolean */
	size_t off;        /* booleans and plain strings: the field they set */
	opt_set set;       /* everything else */
	const char *help;
};

/* opts_set.c: every flag, in `run --help` order (opts_count entries) */
extern const struct opt opts_table[];
extern const size_t opts_count;

/* The parse in progress: the flags, and what only the parse needs. --env-file's entries go
 * before every -e (docker reads the files first), so they are kept aside here and joined
 * into o.env at the end (opts.c). */
struct parse {
	struct container_opts o; /* first: a setter's O is the parse it belongs to */
	char **env_files;        /* the --env-file entries, in order */
	char **label_files;      /* the --label-file entries, in order (before every -l) */
};

/* opts.c: append a copy of S to the NULL-terminated list *V (allocated as it grows);
 * -1 with err on ENOMEM */
int opts_strv_add(char ***v, const char *s, struct mr_err *err);
/* opts_strv_take - append the N strings of ADD to *V in one step, taking over the strings
 * and freeing ADD (also on failure): linear, where N opts_strv_add calls, each walking *V
 * to its end, are quadratic (an --env-file of 100,000 lines) */
int opts_strv_take(char ***v, char **add, size_t n, struct mr_err *err);
/* opts.c: free such a list (NULL is fine) */
void opts_strv_free(char **v);

/* opts_kvfile.c: one entry of an env-format file, as opts_read_kv_file hands it over */
enum opts_kv_kind {
	OPTS_KV_VALUE, /* "KEY=VALUE" */
	OPTS_KV_BARE,  /* "KEY" alone: what it means is the flag's (env: the caller's value) */
};
/* The callback gets each entry's LINE (blanks before it and a CR after it gone; valid only
 * during the call) and its kind; ARG is opts_read_kv_file's. 0 goes on; -1 with err stops
 * the read, which then returns -1. */
typedef int (*opts_kv_line)(void *arg, const char *line, enum opts_kv_kind kind,
			    struct mr_err *err);
/* opts_read_kv_file - read PATH in docker's env-file format (opts_kvfile.c's header) and
 * hand each entry to FN in order. -1 with err: the file can't be read ("open PATH: no such
 * file or directory", docker's words), a key is empty or holds a blank (the message after
 * PREFIX, "" for none), or FN failed. Entries handed over before a failure stay the
 * caller's to drop. */
int opts_read_kv_file(const char *path, const char *prefix, opts_kv_line fn, void *arg,
		      struct mr_err *err);

/* opts_ns.c: --sysctl, --pid, --ipc, --uts, --cgroupns, --userns (setters for the table),
 * --security-opt systempaths= and apparmor= (1: handled, 0: not one of them, -1: bad), and
 * the checks across them (called by opts.c's check) */
int opts_set_sysctl(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err);
int opts_set_ns_mode(struct container_opts *o, const char *v, const struct opt *f,
		     struct mr_err *err);
int opts_ns_security_opt(struct container_opts *o, const char *v, struct mr_err *err);
int opts_ns_check(const struct container_opts *o, struct mr_err *err);
/* the namespace that owns the sysctl of KV ("net.ipv4.x=1"): "net", "ipc", "uts"; NULL for
 * one no namespace owns */
const char *opts_sysctl_ns(const char *kv);
/* opts_resources.c: the setters of the cgroup and OOM flags and of --label-file (rows of
 * opts_set.c's table), and docker's daemon's checks across them (called by opts.c's check) */
int opts_set_ll(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err);
int opts_set_oom_score_adj(struct container_opts *o, const char *v, const struct opt *f,
			   struct mr_err *err);
int opts_set_blkio_weight(struct container_opts *o, const char *v, const struct opt *f,
			  struct mr_err *err);
int opts_set_swappiness(struct container_opts *o, const char *v, const struct opt *f,
			struct mr_err *err);
int opts_set_cpuset(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err);
int opts_set_throttle(struct container_opts *o, const char *v, const struct opt *f,
		      struct mr_err *err);
int opts_set_label_file(struct container_opts *o, const char *v, const struct opt *f,
			struct mr_err *err);
int opts_resources_check(const struct container_opts *o, struct mr_err *err);

#endif
