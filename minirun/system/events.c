/*
 * minirun/system/events.c - `minirun events` (= `system events`): what happened to the
 * store's containers, images, networks and volumes, as `docker events` tells it.
 *
 * Docker's daemon keeps its events in memory and streams them; minirun reads the journal
 * every verb appends to (minirun/events/: ROOT/events.log and its rotated events.log.1).
 * Without --since or --until it shows the events from now on and waits for more, until
 * interrupted (inotify on the store tells it when the journal grows); with --since it first
 * shows the kept events from then; with --until it stops at that time (at once, when the
 * time is past). The times take docker's forms (lib/timestamp.h): RFC 3339, dates, Unix
 * seconds, or durations back from now ("10m").
 *
 *	minirun events --since 10m --until 0s --filter container=web
 *	minirun events --filter type=image --format '{{.Action}} {{.Actor.Attributes.name}}'
 *	minirun events --format '{{json .}}'        (a line as the journal keeps it)
 *
 * Filters, docker's rules: the values of one key are alternatives, different keys must all
 * hold. type= and scope= match exactly; event= an action (health_status, exec_create and
 * exec_start also as the prefix of "health_status: healthy"); container=, network= and
 * volume= the actor's ID (or a prefix of it) or its name; image= an image event's image
 * (ID or name, with or without its tag) or a container event's image; label=KEY or
 * label=KEY=VALUE an attribute of the actor (a container's labels are among them).
 *
 * The text form is docker's: "TIME TYPE ACTION ID (KEY=VALUE, ...)", TIME in RFC 3339 with
 * nanoseconds in the local zone, the attributes sorted by key.
 *
 * See: minirun/events/events.h (the journal); lib/timestamp.h (--since, --until);
 *      https://docs.docker.com/reference/cli/docker/system/events/
 * Try: minirun events &  minirun run --rm busybox true;  kill %1
 */
#include "minirun/system/system.h"

#include "lib/cleanup.h"
#include "lib/cli.h"
#include "lib/file.h"
#include "lib/template.h"
#include "lib/timestamp.h"
#include "minirun/containers/containers.h"
#include "minirun/events/events.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS            1000000000LL
#define FILTER_VALUES 32

/* docker's filter keys for events, and the ones minirun's actors can match */
static const char *const filter_keys[] = {"container", "event",   "image",  "label",  "network",
					  "scope",     "type",    "volume", "daemon", "plugin",
					  "node",      "service", "secret", "config", NULL};
/* docker's event types: those minirun never writes are accepted, and match nothing */
static const char *const event_types[] = {"container", "image",  "network", "volume",
					  "daemon",    "plugin", "node",    "service",
					  "secret",    "config", "builder", NULL};

struct filter {
	const char *key;
	const char *values[FILTER_VALUES];
	size_t n;
};

struct events_opts {
	struct filter filters[sizeof(filter_keys) / sizeof(filter_keys[0])];
	long long since, until; /* ns since the epoch; -1: not given */
	const char *format;
	bool raw_json; /* --format json or {{json .}}: the journal's line itself */
	struct mr_tmpl *tmpl;
};

static const char help[] =
	"Usage:  minirun events [OPTIONS]\n\n"
	"Get real time events from the store (the journal every minirun command writes)\n\n"
	"Options:\n"
	"  -f, --filter filter   Filter output based on conditions provided\n"
	"                        (type=, event=, container=, image=, network=, volume=,\n"
	"                        label=KEY[=VALUE], scope=local)\n"
	"      --format string   Format output using a custom template:\n"
	"                        'json':             Print in JSON format\n"
	"                        'TEMPLATE':         Print output using the given Go template\n"
	"      --since string    Show all events created since timestamp\n"
	"      --until string    Stream events until this timestamp\n";

/* the values of filter KEY, NULL when none was given */
static const struct filter *filter_of(const struct events_opts *o, const char *key)
{
	for (size_t i = 0; filter_keys[i]; i++)
		if (!strcmp(filter_keys[i], key))
			return o->filters[i].n ? &o->filters[i] : NULL;
	return NULL;
}

/* docker's ExactMatch: no values, or one equal to S */
static bool exact(const struct filter *f, const char *s)
{
	if (!f)
		return true;
	for (size_t i = 0; s && i < f->n; i++)
		if (!strcmp(f->values[i], s))
			return true;
	return false;
}

/* docker's FuzzyMatch: ExactMatch, or a value that S starts with */
static bool fuzzy(const struct filter *f, const char *s)
{
	if (exact(f, s))
		return true;
	for (size_t i = 0; s && i < f->n; i++)
		if (!strncmp(s, f->values[i], strlen(f->values[i])))
			return true;
	return false;
}

/* a reference without its tag or digest: "busybox:1" -> "busybox" (docker's stripTag) */
static void strip_tag(const char *ref, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ref ? ref : "");
	char *at = strchr(buf, '@'), *slash = strrchr(buf, '/');
	if (at)
		*at = '\0';
	char *colon = strrchr(slash ? slash : buf, ':');
	if (colon)
		*colon = '\0';
}

static bool include(const struct events_opts *o, json_t *ev)
{
	const char *type = json_string_value(json_object_get(ev, "Type"));
	const char *action = json_string_value(json_object_get(ev, "Action"));
	json_t *actor = json_object_get(ev, "Actor");
	json_t *attrs = json_object_get(actor, "Attributes");
	const char *id = json_string_value(json_object_get(actor, "ID"));
	const char *name = json_string_value(json_object_get(attrs, "name"));
	const struct filter *f = filter_of(o, "event");
	bool prefixed = false; /* docker #25798: these match "health_status: healthy" too */
	for (size_t i = 0; f && i < f->n; i++)
		prefixed |= !strcmp(f->values[i], "health_status") ||
			    !strcmp(f->values[i], "exec_create") ||
			    !strcmp(f->values[i], "exec_start");
	if (!(prefixed ? fuzzy(f, action) : exact(f, action)))
		return false;
	if (!exact(filter_of(o, "type"), type) ||
	    !exact(filter_of(o, "scope"), json_string_value(json_object_get(ev, "scope"))))
		return false;
	static const char *const by_name[] = {"container", "network", "volume", "daemon", "plugin",
					      "node",      "service", "secret", "config", NULL};
	for (size_t i = 0; by_name[i]; i++) {
		const struct filter *n = filter_of(o, by_name[i]);
		if (n && !fuzzy(n, id) && !fuzzy(n, name))
			return false;
	}
	if ((f = filter_of(o, "image"))) {
		/* an image event's image is its actor and name; a container event's its image */
		const char *img = json_string_value(
			json_object_get(attrs, type && !strcmp(type, "image") ? "name" : "image"));
		char a[512], b[512];
		strip_tag(id, a, sizeof(a));
		strip_tag(img, b, sizeof(b));
		if (!exact(f, id) && !exact(f, img) && !exact(f, a) && !exact(f, b))
			return false;
	}
	/* label=KEY[=VALUE]: every one given must hold (docker's MatchKVList) */
	for (size_t i = 0; (f = filter_of(o, "label")) && i < f->n; i++) {
		const char *eq = strchr(f->values[i], '=');
		char key[256];
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - f->values[i]) : 255,
			 f->values[i]);
		const char *v = json_string_value(json_object_get(attrs, key));
		if (!v || (eq && strcmp(v, eq + 1)))
			return false;
	}
	return true;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* docker's text line: TIME TYPE ACTION ID (K=V, ...) */
static void print_text(json_t *ev, FILE *out)
{
	long long ns = json_integer_value(json_object_get(ev, "timeNano"));
	if (!ns)
		ns = json_integer_value(json_object_get(ev, "time")) * NS;
	time_t sec = (time_t)(ns / NS);
	struct tm tm;
	char when[64], zone[48] = "Z";
	localtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	if (tm.tm_gmtoff) /* Go's Z07:00 */
		snprintf(zone, sizeof(zone), "%c%02ld:%02ld", tm.tm_gmtoff < 0 ? '-' : '+',
			 labs(tm.tm_gmtoff) / 3600, labs(tm.tm_gmtoff) % 3600 / 60);
	json_t *actor = json_object_get(ev, "Actor");
	fprintf(out, "%s.%09lld%s %s %s %s", when, ns % NS, zone,
		json_string_value(json_object_get(ev, "Type")) ?: "",
		json_string_value(json_object_get(ev, "Action")) ?: "",
		json_string_value(json_object_get(actor, "ID")) ?: "");
	json_t *attrs = json_object_get(actor, "Attributes");
	const char *keys[256];
	size_t n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(attrs, k, v)
	{
		if (n < sizeof(keys) / sizeof(keys[0]))
			keys[n++] = k;
	}
	qsort(keys, n, sizeof(keys[0]), by_str);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s=%s", i ? ", " : " (", keys[i],
			json_string_value(json_object_get(attrs, keys[i])) ?: "");
	fprintf(out, n ? ")\n" : "\n");
}

/* the row a --format template sees: docker's events.Message by its Go field names (the
 * journal's line has its JSON names: status, id, from, scope, time, timeNano) */
static json_t *template_row(json_t *ev)
{
	json_t *actor = json_object_get(ev, "Actor");
	json_t *attrs = json_object_get(actor, "Attributes");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:O}, s:s, s:I, s:I}", "Status",
			 json_string_value(json_object_get(ev, "status")) ?: "", "ID",
			 json_string_value(json_object_get(ev, "id")) ?: "", "From",
			 json_string_value(json_object_get(ev, "from")) ?: "", "Type",
			 json_string_value(json_object_get(ev, "Type")) ?: "", "Action",
			 json_string_value(json_object_get(ev, "Action")) ?: "", "Actor", "ID",
			 json_string_value(json_object_get(actor, "ID")) ?: "", "Attributes",
			 attrs ? attrs : json_object(), "Scope",
			 json_string_value(json_object_get(ev, "scope")) ?: "", "Time",
			 json_integer_value(json_object_get(ev, "time")), "TimeNano",
			 json_integer_value(json_object_get(ev, "timeNano")));
}

static const struct mr_tmpl_opts tmpl_opts = {.missing = MR_TMPL_MISSING_GUESS,
					      .type_name = "*events.Message"};

/* print EV (the journal's LINE, parsed) as O says; -1 when the template failed */
static int print_event(const struct events_opts *o, json_t *ev, const char *line)
{
	if (o->raw_json) {
		printf("%s\n", line);
	} else if (o->tmpl) {
		struct mr_err err = {0};
		json_auto_t *row = template_row(ev);
		if (mr_tmpl_exec(o->tmpl, row, &tmpl_opts, stdout, &err) < 0) {
			fflush(stdout);
			fprintf(stderr, "minirun: %s\n", err.msg);
			return -1;
		}
		putchar('\n');
	} else {
		print_text(ev, stdout);
	}
	fflush(stdout); /* whoever reads us (a pipe, a file) sees each event as it comes */
	return 0;
}

/* add --filter ARG to O; 0, or the status to exit with after saying why */
static int add_filter(struct events_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		fprintf(stderr,
			"minirun: invalid argument \"%s\" for \"-f, --filter\" flag: bad format of "
			"filter (expected name=value)\nSee 'minirun events --help'.\n",
			arg);
		return MR_EXIT_RUNTIME;
	}
	size_t klen = (size_t)(eq - arg);
	for (size_t i = 0; filter_keys[i]; i++) {
		if (strlen(filter_keys[i]) != klen || strncmp(filter_keys[i], arg, klen))
			continue;
		struct filter *f = &o->filters[i];
		if (!strcmp(filter_keys[i], "type")) {
			size_t t = 0;
			while (event_types[t] && strcmp(event_types[t], eq + 1))
				t++;
			if (!event_types[t]) {
				fprintf(stderr,
					"minirun: Invalid filter 'type=%s': the types are container, "
					"image, network and volume (docker's daemon, plugin, node, "
					"service, secret, config and builder match nothing here)\n",
					eq + 1);
				return 1;
			}
		}
		if (f->n == FILTER_VALUES) {
			fprintf(stderr, "minirun: at most %d --filter %s=\n", FILTER_VALUES,
				filter_keys[i]);
			return MR_EXIT_RUNTIME;
		}
		f->key = filter_keys[i];
		f->values[f->n++] = eq + 1;
		return 0;
	}
	fprintf(stderr,
		"minirun: Invalid filter '%.*s': events filter by type, event, container, image, "
		"network, volume, label or scope\n",
		(int)klen, arg);
	return 1;
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * NS + ts.tv_nsec;
}

/* "system events" when reached through the group: its messages name the verb so typed */
const char *system_events_verb = "events";

/* parse the flags into O; -1: go on, else the status to exit with */
static int parse(int argc, char **argv, struct events_opts *o, long long now)
{
	static const struct option opts[] = {{"filter", required_argument, NULL, 'f'},
					     {"format", required_argument, NULL, 'F'},
					     {"since", required_argument, NULL, 'S'},
					     {"until", required_argument, NULL, 'U'},
					     {NULL, 0, NULL, 0}};
	const char *since = NULL, *until = NULL;
	int ch, rc = 0;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, system_events_verb, "f:", opts, help, &rc)) != -1)
		switch (ch) {
		case MR_OPT_DONE: return rc;
		case 'f':
			if ((rc = add_filter(o, optarg)) != 0)
				return rc;
			break;
		case 'F': o->format = optarg; break;
		case 'S': since = optarg; break;
		case 'U': until = optarg; break;
		}
	if (optind != argc)
		return mr_operand_error(system_events_verb, "'minirun %s' accepts no arguments",
					system_events_verb);
	char why[512];
	o->since = o->until = -1;
	if ((since && mr_parse_timestamp(since, now, &o->since, why, sizeof(why)) < 0) ||
	    (until && mr_parse_timestamp(until, now, &o->until, why, sizeof(why)) < 0)) {
		fprintf(stderr, "minirun: %s\n", why);
		return 1;
	}
	if (since && until && o->since > o->until) {
		fprintf(stderr,
			"minirun: `since` time (%lld) cannot be after `until` time (%lld)\n",
			o->since / NS, o->until / NS);
		return 1;
	}
	if (o->format && (!strcmp(o->format, "json") || !strcmp(o->format, "{{json .}}"))) {
		o->raw_json = true;
	} else if (o->format && *o->format) {
		/* parsed, then run over an empty event, as docker's CLI checks a template
		 * ("{{.Nope}}") before it reads any */
		struct mr_err err = {0};
		json_auto_t *empty = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:{}}, s:s, s:i, s:i}", "Status", "",
			"ID", "", "From", "", "Type", "", "Action", "", "Actor", "ID", "",
			"Attributes", "Scope", "", "Time", 0, "TimeNano", 0);
		o->tmpl = mr_tmpl_parse(o->format, &err);
		_cleanup_free_ char *out =
			o->tmpl ? mr_tmpl_render(o->tmpl, empty, &tmpl_opts, &err) : NULL;
		if (!out) {
			fprintf(stderr, "minirun: Error parsing format: %s\n", err.msg);
			return 64; /* docker's status for a template it can't use */
		}
	}
	return -1;
}

int system_cmd_events(int argc, char **argv)
{
	struct events_opts o = {0};
	long long now = now_ns();
	int rc = parse(argc, argv, &o, now);
	if (rc >= 0) {
		mr_tmpl_free(o.tmpl);
		return rc;
	}
	const char *root = containers_root();
	/* the kept events only when a time is given; following unless --until is past */
	bool history = o.since >= 0 || o.until >= 0;
	bool follow = o.until < 0 || o.until > now;
	struct mr_err err = {0};
	struct events_reader r;
	if (follow && mr_mkdir_p(root, 0700, &err) < 0) /* a store not made yet: watch it */
		return mr_err_report(&err, MR_EXIT_RUNTIME);
	if (events_reader_open(&r, root, history, follow, &err) < 0) {
		mr_tmpl_free(o.tmpl);
		return mr_err_report(&err, MR_EXIT_RUNTIME);
	}
	mr_say("events: reading %s%s", r.path, follow ? ", following" : "");
	rc = 0;
	for (;;) {
		/* Why the clock only decides when nothing is left to read: a journal of many
		 * events, on a slow machine, may take longer to read than --until leaves, and
		 * every kept event up to --until is shown, however long that takes. */
		int timeout = 0;
		long long left = o.until >= 0 ? o.until - now_ns() : 0;
		if (follow && o.until >= 0)
			timeout = left > 0 ? (int)((left + 999999) / 1000000) : 0;
		else if (follow)
			timeout = -1;
		char *line;
		int n = events_reader_next(&r, &line, timeout, &err);
		if (n < 0) {
			rc = mr_err_report(&err, MR_EXIT_RUNTIME);
			break;
		}
		if (n == 0) {
			if (!follow || (o.until >= 0 && now_ns() >= o.until))
				break;
			continue;
		}
		json_auto_t *ev = json_loads(line, 0, NULL);
		long long t = json_integer_value(json_object_get(ev, "timeNano"));
		if (!ev || (o.since >= 0 && t < o.since) || (o.until >= 0 && t > o.until) ||
		    !include(&o, ev))
			continue; /* a line a crash cut short, or one not asked for */
		if (print_event(&o, ev, line) < 0) {
			rc = 1;
			break;
		}
	}
	events_reader_close(&r);
	mr_tmpl_free(o.tmpl);
	return rc;
}
