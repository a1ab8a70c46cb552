/*
 * minirun/oci/oci.h - `minirun oci VERB`: the runc-compatible command line (see oci.c).
 *
 * One file per verb (oci_create.c, oci_start.c, ...), each a small main() over the
 * container library (runtime.h), sharing the global options and error printing here.
 */
#ifndef MR_OCI_H
#define MR_OCI_H

#include <stdbool.h>

#include "lib/err.h"
#include "minirun/oci/runtime.h" /* oci_main, MINIRUN_VERSION */

struct oci_global {
	const char *root; /* --root: where state directories live */
	const char *log;  /* --log FILE: errors (and -debug narration) also go there */
	bool log_json;    /* --log-format json */
	char **argv;      /* the whole command line, for the sealed re-exec */
};

/* oci_fail - print "minirun-oci: MSG" on stderr (and into --log), return the exit code 1. */
int oci_fail(const struct oci_global *g, const struct mr_err *err);
/* oci_flag_other - the last branch of a verb's getopt loop, for C that is none of its
 * flags: an unknown flag or a missing value is one line (exit 2); -h prints USAGE on
 * stdout (0); anything else USAGE on stderr (2). Returns the exit code. */
int oci_flag_other(const struct oci_global *g, int c, char **argv, const char *usage);
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

#endif
