/*
 * minirun/events/events.c - writing the event journal: one event, one line, one write.
 *
 * An event is docker's events.Message, built with jansson in the key order docker's JSON
 * has (the legacy status/id/from first, for container and image events as docker 20.10
 * still sends them; then Type, Action, Actor, scope, time, timeNano), its attributes sorted
 * by key. The line is appended with a single write(2) to a file opened O_APPEND: the kernel
 * moves the offset to the end and copies the line under the inode's lock, so a line from
 * another process lands before or after it, never inside. A line is kept under
 * EVENTS_LINE_MAX (PIPE_BUF) by dropping its longest attributes (a label of kilobytes),
 * which no event needs to be understood.
 *
 * Rotation happens after a write that took the file past the limit: under an flock of the
 * file written, and only when its name still names it (another writer may have rotated it
 * since), the file is renamed to events.log.1, replacing the one before. The next writer
 * creates events.log anew. A writer that opened the file just before the rename appends
 * its line to events.log.1, which readers read too.
 *
 * See: events.h; write(2) ("If the file was open(2)ed with O_APPEND, the file offset is
 *      first set to the end of the file before writing ... as an atomic step"); flock(2).
 * Try: MINIRUN_EVENTS_MAX_SIZE=500 minirun run --rm busybox true; ls ROOT/events.log*
 */
#include "minirun/events/events.h"

#include "lib/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *events_path(const char *root, int generation, char *buf, size_t len)
{
	snprintf(buf, len, generation ? "%s/" EVENTS_FILE ".1" : "%s/" EVENTS_FILE, root);
	return buf;
}

long long events_max_size(void)
{
	const char *env = getenv("MINIRUN_EVENTS_MAX_SIZE");
	char *end;
	long long v = env && *env ? strtoll(env, &end, 10) : 0;
	return env && *env && *end == '\0' && v > 0 ? v : EVENTS_MAX_SIZE;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct events_attr *)a)->key, ((const struct events_attr *)b)->key);
}

/* the line of one event, newline-terminated (the caller frees it); NULL when out of memory
 * or a string is no UTF-8 */
static char *render(const char *type, const char *action, const char *id,
		    const struct events_attr *attrs, size_t n, const struct timespec *ts)
{
	json_auto_t *ev = json_object(), *actor = json_object(), *at = json_object();
	const char *from = NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_string(attrs[i].value);
		if (v) /* a value that is no UTF-8 is left out, not the event */
			json_object_set_new(at, attrs[i].key, v);
		if (!strcmp(attrs[i].key, "image"))
			from = attrs[i].value;
	}
	bool container = !strcmp(type, "container");
	if (container || !strcmp(type, "image")) {
		/* docker's deprecated fields, still in every event it sends through API 1.41 */
		json_object_set_new(ev, "status", json_string(action));
		json_object_set_new(ev, "id", json_string(id));
		if (container && from)
			json_object_set_new(ev, "from", json_string(from));
	}
	json_object_set_new(ev, "Type", json_string(type));
	json_object_set_new(ev, "Action", json_string(action));
	json_object_set_new(actor, "ID", json_string(id));
	json_object_set(actor, "Attributes", at);
	json_object_set(ev, "Actor", actor);
	json_object_set_new(ev, "scope", json_string("local"));
	json_object_set_new(ev, "time", json_integer((json_int_t)ts->tv_sec));
	json_object_set_new(ev, "timeNano",
			    json_integer((json_int_t)ts->tv_sec * 1000000000 + ts->tv_nsec));
	if (!ev || !actor || !at || !json_object_get(ev, "Action") || !json_object_get(actor, "ID"))
		return NULL;
	char *text = json_dumps(ev, JSON_COMPACT);
	size_t len = text ? strlen(text) : 0;
	char *line = text ? realloc(text, len + 2) : NULL;
	if (!line) {
		free(text);
		return NULL;
	}
	memcpy(line + len, "\n", 2);
	return line;
}

/* rename the journal FD (whose stat is ST) at PATH to ROOT's events.log.1, if PATH still
 * names it: under the file's flock, so that of two writers past the limit one rotates */
static void rotate(const char *root, int fd, const struct stat *st, const char *path)
{
	char old[4200];
	struct stat now;
	if (flock(fd, LOCK_EX) < 0)
		return;
	if (stat(path, &now) == 0 && now.st_ino == st->st_ino && now.st_dev == st->st_dev) {
		if (rename(path, events_path(root, 1, old, sizeof(old))) == 0)
			mr_say("events: rotated %s (%lld bytes) to %s", path,
			       (long long)st->st_size, old);
		else
			mr_say("events: rotate %s: %s", path, strerror(errno));
	}
	flock(fd, LOCK_UN);
}

/* append LINE (LEN bytes, one line) to ROOT's journal, then rotate it if it is past the
 * limit; failures are said with -v only */
static void append(const char *root, const char *line, size_t len)
{
	char path[4200];
	events_path(root, 0, path, sizeof(path));
	_cleanup_close_ int fd =
		open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		mr_say("events: open %s: %s (the event is lost)", path, strerror(errno));
		return;
	}
	ssize_t w = write(fd, line, len); /* one write: the line lands whole (see above) */
	if (w != (ssize_t)len) {
		mr_say("events: write %s: %s (the event is lost)", path,
		       w < 0 ? strerror(errno) : "short write");
		if (w > 0) /* what a full disk cut: end the line, so the next one stands alone */
			(void)!write(fd, "\n", 1);
		return;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size >= events_max_size())
		rotate(root, fd, &st, path);
}

void events_emitv(const char *root, const char *type, const char *action, const char *id,
		  const struct events_attr *attrs, size_t n)
{
	if (!root || !type || !action || !id)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* the attributes given a value, sorted; the longest dropped until the line fits */
	_cleanup_free_ struct events_attr *v = calloc(n + 1, sizeof(*v));
	size_t m = 0;
	for (size_t i = 0; v && i < n; i++)
		if (attrs[i].key && attrs[i].value)
			v[m++] = attrs[i];
	if (!v)
		return;
	qsort(v, m, sizeof(*v), by_key);
	for (;;) {
		_cleanup_free_ char *line = render(type, action, id, v, m, &ts);
		if (!line) {
			mr_say("events: %s %s %s: no event made (out of memory?)", type, action,
			       id);
			return;
		}
		size_t len = strlen(line);
		if (len < EVENTS_LINE_MAX || m == 0) {
			if (len < EVENTS_LINE_MAX)
				append(root, line, len);
			else
				mr_say("events: %s %s: too long an event, left out", type, action);
			return;
		}
		size_t longest = 0;
		for (size_t i = 1; i < m; i++)
			if (strlen(v[i].value) > strlen(v[longest].value))
				longest = i;
		mr_say("events: attribute %s left out of %s %s: too long", v[longest].key, type,
		       action);
		memmove(v + longest, v + longest + 1, (m - longest - 1) * sizeof(*v));
		m--;
	}
}

void events_emit_list(const char *root, const char *type, const char *action, const char *id, ...)
{
	struct events_attr attrs[32];
	size_t n = 0;
	va_list ap;
	va_start(ap, id);
	for (const char *k;
	     n < sizeof(attrs) / sizeof(attrs[0]) && (k = va_arg(ap, const char *));) {
		attrs[n].key = k;
		attrs[n++].value = va_arg(ap, const char *);
	}
	va_end(ap);
	events_emitv(root, type, action, id, attrs, n);
}
