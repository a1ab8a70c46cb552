/*
 * minirun/oci.h - `minirun oci VERB`: the runc-compatible command line (see oci.c).
 *
 * One file per verb (oci_create.c, oci_start.c, ...), each a small main() over the
 * container library (container.h), sharing the global options and error printing here.
 */
#ifndef MR_OCI_H
#define MR_OCI_H

#include <stdbool.h>

#include "lib/err.h"

struct oci_global {
	const char *root; /* --root: where state directories live */
	const char *log;  /* --log FILE: errors (and -debug narration) also go there */
	bool log_json;    /* --log-format json */
	char **argv;      /* the whole command line, for the sealed re-exec */
};

/* oci_fail - print "minirun-oci: MSG" on stderr (and into --log), return the exit code 1. */
int oci_fail(const struct oci_global *g, const struct mr_err *err);
/* oci_failx - the same for a message without an error object (bad flags: exit 2). */
int oci_failx(const struct oci_global *g, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* oci_need_id - argv[optind] must be the only remaining argument (an ID). */
const char *oci_need_id(const struct oci_global *g, int argc, char **argv, int optind,
			const char *verb);

/* The verbs: each takes argv with argv[0] = the verb's name, returns the exit status. */
int oci_spec(struct oci_global *g, int argc, char **argv);
int oci_create(struct oci_global *g, int argc, char **argv);
int oci_run(struct oci_global *g, int argc, char **argv);
int oci_start(struct oci_global *g, int argc, char **argv);
int oci_state(struct oci_global *g, int argc, char **argv);
int oci_kill(struct oci_global *g, int argc, char **argv);
int oci_delete(struct oci_global *g, int argc, char **argv);
int oci_exec(struct oci_global *g, int argc, char **argv);
int oci_ps(struct oci_global *g, int argc, char **argv);
int oci_list(struct oci_global *g, int argc, char **argv);
int oci_pause(struct oci_global *g, int argc, char **argv);
int oci_resume(struct oci_global *g, int argc, char **argv);
int oci_update(struct oci_global *g, int argc, char **argv);
int oci_features(struct oci_global *g, int argc, char **argv);

/* oci_main - `minirun oci [GLOBAL OPTIONS] VERB ...` (also the whole of `minirun-oci`). */
int oci_main(int argc, char **argv, char **full_argv);

/* Whose rules a mount destination is checked against: runc's (the OCI runtime), or the
 * front end's, which keeps /sys and /dev for the mounts it makes itself. */
enum oci_mount_rules { OCI_MOUNT_RULES_RUNC, OCI_MOUNT_RULES_FRONT_END };
/* oci_mount_dest_check - may a mount of TYPE ("bind", "tmpfs", "proc", ...) go on DEST (a
 * path inside the container, cleaned lexically first)? As runc: over /proc only a proc, below
 * /proc only the files lxcfs emulates (/proc/meminfo ...); with the front end's RULES also
 * nothing over /sys or /dev themselves. 0, or -1 with runc's words naming DEST. (mounts.c) */
int oci_mount_dest_check(const char *dest, const char *type, enum oci_mount_rules rules,
			 struct mr_err *err);

/* Signal names: "KILL", "SIGKILL" or "9" -> 9; -1 for an unknown one. */
int sig_parse(const char *s);

#define MINIRUN_VERSION      "0.1.0"
#define MINIRUN_SPEC_VERSION "1.0.2"

#endif
