/*
 * minirun/containers/logs.c - the json-file log (ROOT/containers/ID/ctr.log) and `logs`.
 *
 * The log is docker's json-file format: one JSON object per line of output (the monitor
 * splits what it reads after each newline; a piece without one, as a prompt, is an object
 * of its own), with a tty's output all on "stdout":
 *
 *	{"log":"hi\n","stream":"stdout","time":"2026-11-27T21:15:02.123456789Z"}
 *
 * The monitor appends with O_APPEND and one write(2) per object, so a reader never sees
 * half an object unless the disk is full. Bytes that are not UTF-8 become U+FFFD, as
 * docker's encoder does.
 *
 *   minirun logs [-f] [-t] [--tail N|all] [--since TIME] CONTAINER
 *
 * -f follows the log as the monitor appends to it, across the restarts of a --restart
 * policy (the same ctr.log, the monitor alive in between), until the container has exited
 * for good or is removed, or the user interrupts.
 *
 * See: https://docs.docker.com/engine/logging/drivers/json-file/,
 *      https://docs.docker.com/reference/cli/docker/container/logs/
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_args.h"
#include "minirun/containers/io_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The length of the valid UTF-8 sequence at S (of N bytes), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned min;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	unsigned cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and past U+10FFFF are not UTF-8 either */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* Append TEXT as the inside of a JSON string to OUT (room for 6 bytes per input byte). */
static size_t json_escape(char *out, const char *text, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	/* JSON's two-character escapes; other control characters become \u00XX */
	static const char *const escapes[] = {
		['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
	};
	const unsigned char *s = (const unsigned char *)text;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned char ch = s[i];
		const char *esc = ch < sizeof(escapes) / sizeof(escapes[0]) ? escapes[ch] : NULL;
		if (esc) {
			memcpy(out + o, esc, 2), o += 2, i++;
		} else if (ch < 0x20 || ch == 0x7f) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[ch >> 4], out[o + 5] = hex[ch & 15];
			o += 6, i++;
		} else {
			size_t l = utf8_len(s + i, len - i);
			if (l == 0) {
				memcpy(out + o, "\\ufffd", 6), o += 6, i++;
			} else {
				memcpy(out + o, s + i, l), o += l, i += l;
			}
		}
	}
	return o;
}

int log_append(int fd, const char *stream, const char *text, size_t len)
{
	if (fd < 0)
		return 0;
	struct timespec ts;
	struct tm tm;
	char when[64];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t w = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + w, sizeof(when) - w, ".%09ldZ", ts.tv_nsec);

	_cleanup_free_ char *line = malloc(len * 6 + strlen(stream) + sizeof(when) + 64);
	if (!line)
		return -1;
	size_t o = (size_t)sprintf(line, "{\"log\":\"");
	o += json_escape(line + o, text, len);
	o += (size_t)sprintf(line + o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream, when);
	/* one write: O_APPEND puts the whole object at the end, whoever else appends */
	return write(fd, line, o) == (ssize_t)o ? 0 : -1;
}

/* ---- reading: `minirun logs` ------------------------------------------------------------- */

/*
 * log_parse_time - a time as docker's --since takes it: RFC 3339 ("2026-11-27T21:15:02Z",
 * with an optional fraction and a Z or ±hh:mm offset), a date ("2026-11-27"), Unix seconds
 * ("1700000000.5"), or a duration before NOW ("10m", "1h30m", "45s"). Seconds since the
 * epoch to *out; -1 when S is none of these.
 */
int log_parse_time(const char *s, double now, double *out)
{
	struct tm tm = {0};
	int n = 0;
	char *end;
	double v = strtod(s, &end);
	if (end != s && *end == '\0' && strchr(s, '-') == NULL) {
		*out = v; /* Unix seconds */
		return 0;
	}
	/* a duration: a sequence of NUMBER UNIT */
	static const struct {
		char unit;
		double secs;
	} units[] = {{'h', 3600}, {'m', 60}, {'s', 1}};
	double d = 0;
	const char *p = s;
	while (*p) {
		double x = strtod(p, &end);
		if (end == p)
			break;
		size_t i = 0;
		while (i < sizeof(units) / sizeof(units[0]) && units[i].unit != *end)
			i++;
		if (i == sizeof(units) / sizeof(units[0]))
			break;
		d += x * units[i].secs;
		p = end + 1;
	}
	if (p != s && *p == '\0') {
		*out = now - d;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3)
		return -1;
	tm.tm_year -= 1900, tm.tm_mon -= 1;
	const char *rest = s + n;
	double frac = 0, off = 0;
	if (*rest == 'T' || *rest == ' ') {
		int m = 0;
		if (sscanf(rest + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &m) != 3)
			return -1;
		rest += 1 + m;
		if (*rest == '.') {
			frac = strtod(rest, &end);
			rest = end;
		}
		int oh, om;
		if (*rest == 'Z') {
			rest++;
		} else if ((*rest == '+' || *rest == '-') &&
			   sscanf(rest + 1, "%2d:%2d", &oh, &om) == 2) {
			off = (*rest == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
			rest += 6;
		}
	}
	if (*rest)
		return -1;
	*out = (double)timegm(&tm) + frac - off;
	return 0;
}

/* One object of the log, parsed. The strings point into doc. */
struct log_entry {
	json_t *doc;
	const char *log, *stream, *time;
	size_t len;
};

static int entry_parse(const char *line, struct log_entry *e)
{
	e->doc = json_loads(line, JSON_ALLOW_NUL, NULL);
	json_t *l = json_object_get(e->doc, "log");
	e->stream = json_string_value(json_object_get(e->doc, "stream"));
	e->time = json_string_value(json_object_get(e->doc, "time"));
	if (!json_is_string(l) || !e->stream || !e->time) {
		json_decref(e->doc);
		return -1;
	}
	e->log = json_string_value(l);
	e->len = json_string_length(l);
	return 0;
}

struct logs_opts {
	bool follow, timestamps;
	long long tail;      /* -1: all */
	double since, until; /* 0: unset */
	double now;          /* when logs started: --since 10m is before it */
};

/* Print the complete lines of BUF[0..len) that pass O; returns the bytes consumed (a last
 * line without its newline is left for the next read, the monitor is still writing it). */
static size_t print_lines(const char *buf, size_t len, const struct logs_opts *o)
{
	size_t off = 0;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		if (!nl)
			break;
		_cleanup_free_ char *line = strndup(buf + off, (size_t)(nl - (buf + off)));
		off = (size_t)(nl - buf) + 1;
		struct log_entry e;
		double t;
		if (!line || entry_parse(line, &e) < 0)
			continue; /* not one of ours: skip it, as docker skips a torn line */
		if ((!o->since && !o->until) || log_parse_time(e.time, 0, &t) < 0 ||
		    ((!o->since || t >= o->since) && (!o->until || t <= o->until))) {
			/* Entries go out in the order the log holds them, each flushed before the
			 * next. Not docker's: its `logs` copies the two streams through separate
			 * goroutines, so a stderr line can come out before earlier stdout lines.
			 * Kept apart on purpose (issue 22, "not to copy"): the order the
			 * container wrote in is the one worth showing. */
			FILE *out = strcmp(e.stream, "stderr") == 0 ? stderr : stdout;
			if (o->timestamps)
				fprintf(out, "%s ", e.time);
			fwrite(e.log, 1, e.len, out);
			fflush(out);
		}
		json_decref(e.doc);
	}
	return off;
}

/* Where the last N lines of BUF start. */
static size_t tail_start(const char *buf, size_t len, long long n)
{
	if (n < 0)
		return 0;
	if (n == 0)
		return len;
	size_t i = len;
	if (i > 0 && buf[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (buf[i - 1] == '\n' && --n == 0)
			return i;
		i--;
	}
	return 0;
}

enum { OPT_SINCE = IO_OPT_OWN, OPT_UNTIL, OPT_DETAILS };

static const struct io_flag logs_flags[] = {
	{"details", 0, no_argument, OPT_DETAILS, NULL,
	 "Show extra details provided to logs (the json-file here has none)"},
	{"follow", 'f', no_argument, 'f', NULL,
	 "Follow log output (across restarts, until the container stops)"},
	{"since", 0, required_argument, OPT_SINCE, "string",
	 "Show logs since timestamp (e.g. \"2026-11-27T21:00:00Z\")\nor relative (e.g. "
	 "\"42m\" for 42 minutes)"},
	{"tail", 'n', required_argument, 'n', "string",
	 "Number of lines to show from the end of the logs\n(default \"all\")"},
	{"timestamps", 't', no_argument, 't', NULL, "Show timestamps"},
	{"until", 0, required_argument, OPT_UNTIL, "string",
	 "Show logs before a timestamp or relative time"},
	{NULL, 0, 0, 0, NULL, NULL},
};

/* logs' options into the struct logs_opts CTX; 0, or -1 after a message */
static int logs_flag(void *ctx, int val, const char *arg)
{
	struct logs_opts *o = ctx;
	switch (val) {
	case 'f': o->follow = true; return 0;
	case 't': o->timestamps = true; return 0;
	case OPT_DETAILS: return 0; /* docker's extra attributes: the json-file has none here */
	case 'n':
		if (strcmp(arg, "all") != 0 && mr_parse_ll(arg, -1, LLONG_MAX, &o->tail) < 0) {
			fprintf(stderr,
				"minirun: invalid value \"%s\" for --tail: a number of lines or "
				"\"all\"\n",
				arg);
			return -1;
		}
		return 0;
	case OPT_SINCE:
	case OPT_UNTIL:
		if (log_parse_time(arg, o->now, val == OPT_SINCE ? &o->since : &o->until) < 0) {
			fprintf(stderr,
				"minirun: invalid value \"%s\" for --%s: give a time "
				"(2026-11-27T21:00:00Z, 1700000000) or a duration (10m)\n",
				arg, val == OPT_SINCE ? "since" : "until");
			return -1;
		}
		return 0;
	}
	return -1;
}

/*
 * still_following - does `logs -f` go on reading C's log? While the container runs, is
 * paused, or waits between two runs of its restart policy ("restarting": its monitor lives
 * through the back-off, and appends the next run's output to the same ctr.log). Not once it
 * has exited for good (no restart left, `stop`, its monitor gone) or was removed. The
 * record is read again each time: the monitor rewrites it at each change.
 */
static bool still_following(struct container *c)
{
	struct mr_err err = {0};
	if (container_reload(c, &err) < 0)
		return false; /* removed */
	return container_state_live(container_status(c));
}

int cmd_logs(int argc, char **argv)
{
	struct logs_opts o = {.tail = -1};
	const struct io_verb verb = {
		.name = "logs",
		.synopsis = "[OPTIONS] CONTAINER",
		.about = "Fetch the logs of a container",
		.min_operands = 1,
		.max_operands = 1,
		.flags = logs_flags,
		.own = logs_flag,
		.ctx = &o,
	};
	struct io_args a;
	struct mr_err err = {0};
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	o.now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	int rc;
	if (!io_parse_args(&verb, argc, argv, &a, &rc))
		return rc;
	struct container c = {.lockfd = -1};
	if (container_open(containers_root(), a.operands[0], false, &c, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		/* docker's CLI: 1 for a container its daemon does not know */
		return err.kind == MR_E_NOT_FOUND ? 1 : MR_EXIT_RUNTIME;
	}
	char path[4096];
	container_path(&c, "ctr.log", path, sizeof(path));
	_cleanup_close_ int fd = -1;
	size_t len = 0, cap = 65536, skip = 0;
	_cleanup_free_ char *buf = malloc(cap);
	if (!buf) {
		container_close(&c);
		return MR_EXIT_RUNTIME;
	}
	for (bool first = true;; first = false) {
		/* the status before the read: a container running then may have written more
		 * since, and gets one more round after it stops (or is removed: our fd still
		 * reads the log) */
		bool running = o.follow && still_following(&c);
		if (fd < 0) /* no log yet: a container that never started has printed nothing */
			fd = open(path, O_RDONLY | O_CLOEXEC);
		for (ssize_t n = 1; fd >= 0 && n > 0; len += n > 0 ? (size_t)n : 0) {
			if (cap - len < 4096) {
				char *nb = realloc(buf, cap * 2);
				if (!nb)
					break;
				buf = nb, cap *= 2;
			}
			n = read(fd, buf + len, cap - len);
		}
		if (first)
			skip = tail_start(buf, len, o.tail);
		size_t used = skip + print_lines(buf + skip, len - skip, &o);
		memmove(buf, buf + used, len - used);
		len -= used, skip = 0;
		if (!running)
			break;
		struct timespec nap = {0, 100 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	container_close(&c);
	return 0;
}
