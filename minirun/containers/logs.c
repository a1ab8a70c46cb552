/*
 * minirun/containers/logs.c - `minirun logs`: a container's log, as its logging driver
 * kept it (logdriver.h: json-file, local, none).
 *
 *   minirun logs [-f] [-t] [--tail N|all] [--since TIME] [--until TIME] CONTAINER
 *
 * The entries come out in the order the container wrote them, across the rotated files
 * (logread.c reads ctr.log.2, ctr.log.1, ctr.log as one stream), stdout's to our stdout and
 * stderr's to our stderr; -t puts each entry's time first. --since and --until take docker's
 * time forms: RFC 3339 ("2026-12-06T14:00:00Z", a fraction and an offset allowed), a date,
 * Unix seconds ("1765029600.5"), or a duration before now ("10m", "1h30m").
 *
 * -f follows the log as the monitor appends to it and rotates it, across the restarts of a
 * --restart policy (the same log, the monitor alive in between), until the container has
 * exited for good or is removed, --until has passed, or the user interrupts.
 *
 * With --log-driver none there is nothing to read: docker's "configured logging driver
 * does not support reading", exit 1 as docker's CLI.
 *
 * See: https://docs.docker.com/engine/logging/drivers/json-file/,
 *      https://docs.docker.com/reference/cli/docker/container/logs/
 */
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/containers/containers.h"
#include "minirun/containers/io_args.h"
#include "minirun/containers/io_proto.h"
#include "minirun/containers/logdriver.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

struct logs_opts {
	bool follow, timestamps;
	long long tail;      /* -1: all */
	double since, until; /* 0: unset */
	double now;          /* when logs started: --since 10m is before it */
};

/* Print entry E if it passes O's times. Entries go out in the order the log holds them,
 * each flushed before the next. Not docker's: its `logs` copies the two streams through
 * separate goroutines, so a stderr line can come out before earlier stdout lines. Kept
 * apart on purpose (issue 22, "not to copy"): the order the container wrote in is the one
 * worth showing. */
static void print_entry(const struct log_entry *e, const struct logs_opts *o)
{
	if ((o->since && e->when < o->since) || (o->until && e->when > o->until))
		return;
	FILE *out = e->is_err ? stderr : stdout;
	if (o->timestamps)
		fprintf(out, "%s ", e->time);
	fwrite(e->text, 1, e->len, out);
	fflush(out);
}

enum { OPT_SINCE = IO_OPT_OWN, OPT_UNTIL, OPT_DETAILS };

static const struct io_flag logs_flags[] = {
	{"details", 0, no_argument, OPT_DETAILS, NULL,
	 "Show extra details provided to logs (the json-file here has none)"},
	{"follow", 'f', no_argument, 'f', NULL,
	 "Follow log output (across restarts and rotations, until the container stops)"},
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
	struct log_config lc;
	log_config_read(&c.r, &lc);
	if (lc.driver == LOG_NONE) {
		/* docker's daemon's words; its CLI exits 1 for them */
		fprintf(stderr, "minirun: configured logging driver does not support reading\n");
		container_close(&c);
		return 1;
	}
	char path[4400];
	struct log_reader *r =
		log_reader_open(log_file_path(&c, path, sizeof(path)), &lc, o.tail, o.follow, &err);
	if (!r) {
		container_close(&c);
		return mr_err_report(&err, MR_EXIT_RUNTIME);
	}
	for (;;) {
		/* the status before the read: a container running then may have written more
		 * since, and gets one more round after it stops (or is removed: our fds still
		 * read the log) */
		bool running = o.follow && still_following(&c);
		struct log_entry e;
		int k;
		while ((k = log_reader_next(r, &e)) == 1)
			print_entry(&e, &o);
		if (!running || k < 0)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		if (o.until && (double)ts.tv_sec > o.until)
			break; /* docker's -f --until: nothing later is wanted */
		struct timespec nap = {0, 100 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	log_reader_close(r);
	container_close(&c);
	return 0;
}
