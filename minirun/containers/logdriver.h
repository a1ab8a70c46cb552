/*
 * minirun/containers/logdriver.h - the logging drivers: where a container's output is kept,
 * in which format, and how it is rotated (private to the containers folder).
 *
 *   logopts.c   --log-driver / --log-opt: the setters, the checks (docker's words), the
 *               record's HostConfig.LogConfig {Type, Config} and reading it back
 *   logwrite.c  the monitor's side: one entry per write(2), json-file or local, and the
 *               rotation (ctr.log -> ctr.log.1 -> ... -> removed past max-file)
 *   logread.c   `logs`' side: the rotated files as one stream, oldest first, followed
 *               across a rotation
 *
 * The three drivers, as `docker run --log-driver` names them:
 *
 *   json-file  docker's default: ROOT/containers/ID/ctr.log, a JSON object a line
 *              {"log":"hi\n","stream":"stdout","time":"2026-12-06T14:00:00.123456789Z"};
 *              no rotation unless max-size is given (docker's default too)
 *   local      minirun's own compact binary form, ctr-local.log (docker's local driver
 *              frames protobuf; this frames the bytes themselves, see logwrite.c);
 *              rotated by default at 20m with 5 files, docker's defaults for local
 *   none       nothing is kept: `logs` says "configured logging driver does not support
 *              reading"; an attached client still gets the output
 *
 * See: https://docs.docker.com/engine/logging/configure/,
 *      https://docs.docker.com/engine/logging/drivers/json-file/,
 *      https://docs.docker.com/engine/logging/drivers/local/
 */
#ifndef MR_CONTAINERS_LOGDRIVER_H
#define MR_CONTAINERS_LOGDRIVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/bundle/bundle.h"

struct container_record; /* containers.h */

enum log_driver { LOG_JSON_FILE, LOG_LOCAL, LOG_NONE };

/* One container's logging, as the monitor and `logs` use it. */
struct log_config {
	enum log_driver driver;
	long long max_size; /* bytes a file may hold before the next entry starts a new one;
			       -1: no rotation */
	int max_file;       /* files kept, the current one included (>= 1) */
};

/* ---- logopts.c ---------------------------------------------------------------------------- */

struct opt;
/* the setters of --log-driver and --log-opt K=V (opts_set.c's table rows point here) */
int log_set_driver(struct container_opts *o, const char *v, const struct opt *f,
		   struct mr_err *err);
int log_set_opt(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err);
/* log_check_opts - the driver and its options together, as docker's daemon checks them at
 * create: "logger: no log driver named 'x' is registered", "unknown log opt 'k' for
 * json-file log driver", "max-size must be a positive number" ... (no --log-driver: the
 * options as minirun.conf's log-driver takes them). -1 with err. */
int log_check_opts(const struct container_opts *o, struct mr_err *err);
/* log_config_parse - the same, and what they mean into LC (tests/fuzz/fuzz_logopts.c checks
 * it against what log_config_read makes of the record) */
int log_config_parse(const struct container_opts *o, struct log_config *lc, struct mr_err *err);
/* log_config_record - R's LogConfig for O (host.log_type, host.log_opts: the driver and its
 * options as given, keys sorted as docker's map), with minirun.conf's defaults merged in as
 * docker's daemon merges daemon.json's (logopts.c's header). -1 on ENOMEM. */
int log_config_record(const struct container_opts *o, struct container_record *r);
/* log_conf_check - minirun.conf's log-driver and log-opts, checked as a container's own
 * would be; at every create, before anything is made (a bad default stops every create,
 * as docker's daemon refuses to start with one). -1 with "FILE: log-opts: ..." in err. */
int log_conf_check(struct mr_err *err);
/* log_config_read - the struct from R's LogConfig (a record without one: json-file without
 * rotation, what every container had before the flags existed) */
void log_config_read(const struct container_record *r, struct log_config *lc);
/* the log's file name in the container's directory ("ctr.log", "ctr-local.log"); NULL for
 * none */
const char *log_file_name(enum log_driver d);

/* ---- logwrite.c --------------------------------------------------------------------------- */

struct log_writer;
struct container;
/* log_file_path - the container C's current log file (its record says which driver) into
 * BUF; "" for none. In its directory, but for an --rm container's (c->in_run: store.c)
 * ROOT/containers/.logs/ID-NAME: a log may grow without bound, and the run root is memory */
char *log_file_path(const struct container *c, char *buf, size_t len);
/* container_log_drop - remove the log files of the --rm container ID of ROOT (all of
 * ROOT/containers/.logs/ID-*); its rm's last step */
void container_log_drop(const char *root, const char *id);
/* log_inspect_path - docker's LogPath: the json-file's path, "" for local and none (docker
 * keeps local's files out of its API: their format is its own and may change; so is
 * minirun's) */
char *log_inspect_path(const struct container *c, char *buf, size_t len);
/* log_writer_for - the writer of C's log, as its record's LogConfig says (the monitor's,
 * at each start); NULL with err */
struct log_writer *log_writer_for(const struct container *c, struct mr_err *err);
/* log_writer_open - open (append to) the log PATH as LC says; NULL with err. For none, a
 * writer that keeps nothing (PATH is not opened). */
struct log_writer *log_writer_open(const char *path, const struct log_config *lc,
				   struct mr_err *err);
/* log_writer_append - the output TEXT[0..len), read now from STREAM (stdout, or stderr when
 * IS_ERR), as entries: one per line, split after each newline (a trailing piece without one
 * is an entry of its own, as docker's "partial" messages), all stamped with this moment.
 * Rotates before an entry that would take the file past max-size. -1 when a write failed
 * (the disk is full: those entries are lost, as docker loses them). */
int log_writer_append(struct log_writer *w, bool is_err, const char *text, size_t len);
void log_writer_close(struct log_writer *w);
/* log_json_escape - TEXT as the inside of a JSON string into OUT (room: 6 bytes an input
 * byte); bytes that are not UTF-8 become \ufffd, as docker's encoder writes them */
size_t log_json_escape(char *out, const char *text, size_t len);

/* the local format's frame: a 4-byte big-endian length L of what follows up to the trailer
 * (LOG_LOCAL_HEAD + the bytes), the time in nanoseconds (8 bytes, big-endian), the stream
 * (1: stdout, 2: stderr), the bytes, and L again (so a reader can walk back from the end) */
#define LOG_LOCAL_HEAD 9

/* ---- logread.c ---------------------------------------------------------------------------- */

/* One entry as read back: text points into the reader's buffer until the next call. */
struct log_entry {
	bool is_err;
	const char *text;
	size_t len;
	double when;   /* seconds since the epoch (--since, --until) */
	char time[40]; /* RFC 3339 with nanoseconds, as docker prints it with -t */
};

struct log_reader;
/* log_reader_open - the log PATH (PATH.1 ... older: log_file_path) as LC says,
 * opened at once, read oldest first; TAIL >= 0: start at the last TAIL entries (found
 * walking back from the end, so a long log is not read whole). FOLLOW: read on as the
 * monitor writes and rotates; else stop where the log ended when opened. NULL with err. */
struct log_reader *log_reader_open(const char *path, const struct log_config *lc, long long tail,
				   bool follow, struct mr_err *err);
/* log_reader_next - the next entry into E: 1; 0 at the end of what is written so far (when
 * following, call again later: a rotation meanwhile is crossed, the files rotated past
 * read in order); -1 on a read error */
int log_reader_next(struct log_reader *r, struct log_entry *e);
void log_reader_close(struct log_reader *r);

#endif
