/*
 * minirun/events/events.h - the event journal: what happened to the containers, images,
 * networks and volumes of a store, one line an event, read back by `minirun events`.
 *
 * Docker's daemon keeps its events in memory and streams them to `docker events`. minirun
 * has no daemon: each verb, and each container's monitor, appends its own events to a file
 * in the store, and `minirun events` reads the file (and waits on it with inotify for more).
 *
 *   ROOT/events.log     the journal: one JSON object a line, docker's event object as
 *                       `docker events --format '{{json .}}'` prints it:
 *     {"status":"die","id":"ID","from":"busybox","Type":"container","Action":"die",
 *      "Actor":{"ID":"ID","Attributes":{"exitCode":"3","image":"busybox","name":"web"}},
 *      "scope":"local","time":1796564127,"timeNano":1796564127348827060}
 *   ROOT/events.log.1   the journal before the last rotation
 *
 * Concurrent writers: each event is one write(2) of one whole line, under EVENTS_LINE_MAX
 * bytes, to a file opened O_APPEND, so that the kernel places every line at the end as a
 * whole and two processes' lines never interleave. Rotation: a writer that finds the file
 * past its size limit (MINIRUN_EVENTS_MAX_SIZE bytes, default EVENTS_MAX_SIZE; the variable
 * is for tests, which rotate at a few hundred bytes) renames it to events.log.1 under an
 * flock, after checking that the name still holds the file it wrote to (two writers never
 * rotate twice). Readers read events.log.1, then events.log.
 *
 * Emitting never fails the verb that emits: a store that refuses the write loses the
 * event, said with -v. It costs an open, a write and a close: no fsync (an event is a
 * note about what happened, not what made it happen).
 *
 * Why here, low in the layers: containers/, image/, network/ and volume/ all emit, and
 * none of them sits below all the others (docs/HACKING.md "minirun's layers").
 *
 * See: README.md here; https://docs.docker.com/reference/cli/docker/system/events/;
 *      write(2) on O_APPEND; inotify(7).
 * Try: minirun run --rm busybox true; minirun events --since 1m --until 0s
 */
#ifndef MR_EVENTS_H
#define MR_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"

#define EVENTS_FILE     "events.log"
#define EVENTS_LINE_MAX 4096      /* PIPE_BUF: the longest line one write appends */
#define EVENTS_MAX_SIZE (1 << 20) /* rotated past 1 MiB: two files, ~6000 events */

/* one entry of Actor.Attributes */
struct events_attr {
	const char *key, *value;
};

/*
 * events_emit - append one event to ROOT's journal: TYPE ("container", "image", "network",
 * "volume"), ACTION ("start", "die", "health_status: healthy"), the actor's ID (a container
 * or network ID, an image ID or reference, a volume name), then its attributes as KEY,
 * VALUE pairs (a NULL value: the pair is left out; the macro ends the list). Attributes
 * are written sorted by key, as docker's JSON prints them. Never fails; a failure is said
 * with -v.
 *
 *	events_emit(root, "network", "create", id, "name", name, "type", "bridge");
 */
#define events_emit(root, type, action, id, ...)                                                   \
	events_emit_list(root, type, action, id, ##__VA_ARGS__, (const char *)NULL)
void events_emit_list(const char *root, const char *type, const char *action, const char *id, ...)
	__attribute__((sentinel));
/* events_emitv - the same with the attributes as an array of N (NULL values skipped) */
void events_emitv(const char *root, const char *type, const char *action, const char *id,
		  const struct events_attr *attrs, size_t n);

/* events_path - ROOT/events.log (GENERATION 0) or ROOT/events.log.1 (1), into BUF */
char *events_path(const char *root, int generation, char *buf, size_t len);
/* events_max_size - the rotation size: $MINIRUN_EVENTS_MAX_SIZE, else EVENTS_MAX_SIZE */
long long events_max_size(void);

/*
 * The reader: the lines of the journal in order, the rotated file first; then, following,
 * the lines appended from then on, across rotations.
 *
 *	struct events_reader r;
 *	events_reader_open(&r, root, true, &err);       (true: from the first line kept)
 *	while ((n = events_reader_next(&r, &line, ms)) > 0) ... line ...
 *	events_reader_close(&r);
 */
struct events_reader {
	char path[4200];
	int fd;      /* the journal being read; -1 until there is one */
	ino_t ino;   /* its inode: a rotation gives the name a new one */
	int inotify; /* on ROOT: the journal written, created, renamed; -1: not following */
	char *buf;   /* read and not yet handed out: lines and a partial one */
	size_t len, cap, at;
	int old_fd; /* events.log.1, read first (when from the start); -1 after */
};

/* events_reader_open - open ROOT's journal for reading: FROM_START, every line kept (the
 * rotated file's first); else only the lines appended after this call. FOLLOW: watch ROOT
 * for more (events_reader_next's TIMEOUT_MS). 0, or -1 with ERR (ROOT can't be watched). */
int events_reader_open(struct events_reader *r, const char *root, bool from_start, bool follow,
		       struct mr_err *err);
/*
 * events_reader_next - the next whole line (without its newline, NUL-terminated, owned by R
 * until the next call) into *LINE: 1. At the end of what is written: waits up to
 * TIMEOUT_MS (0: not at all; -1: forever) for more, then 0. -1 with ERR on a read error.
 */
int events_reader_next(struct events_reader *r, char **line, int timeout_ms, struct mr_err *err);
void events_reader_close(struct events_reader *r);

#endif
