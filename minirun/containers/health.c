/*
 * minirun/containers/health.c - the pure half of docker's health checks: which check a
 * container has (the flags over the image's HEALTHCHECK), docker's defaults, the state
 * machine, and State.Health in the record. The checker process that runs the probes is
 * health_check.c.
 *
 * The state machine, as docker's daemon keeps it (daemon/health.go):
 *
 *	starting  --probe exits 0------------------------------------------>  healthy
 *	any       --probe fails, FailingStreak+1 reaches Retries---------->  unhealthy
 *	healthy / unhealthy  --probe exits 0-------------------------------->  healthy
 *
 * a failure while still "starting" within the start period does not count (the streak stays),
 * and every result, counted or not, goes to the Log (the last 5). A probe that outlives its
 * timeout is killed and recorded with exit code -1.
 *
 * See: health.h; https://docs.docker.com/reference/dockerfile/#healthcheck
 */
#include "minirun/containers/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *health_status_name(enum health_status s)
{
	static const char *const names[] = {"starting", "healthy", "unhealthy"};
	return names[s];
}

/* ---- which check, with which timing --------------------------------------------------------- */

/* a field of the merged check: the flag's value when given, else the image's KEY */
static long long merged(long long flag, json_t *image_hc, const char *key)
{
	return flag ? flag : json_integer_value(json_object_get(image_hc, key));
}

/* the Test of the merged check: the exec form (compose's list), else --health-cmd, else
 * the image's; a vector of pointers into those (NULL: none), its length to *N */
static const char **merged_test(const struct container_opts *o, json_t *image_hc, size_t *n)
{
	json_t *image = json_object_get(image_hc, "Test"), *v;
	size_t len = 2, i;
	for (char *const *w = o->health_exec; w && *w; w++)
		len++;
	const char **t = calloc(len + json_array_size(image), sizeof(*t));
	*n = 0;
	if (!t)
		return NULL;
	if (o->health_exec) {
		t[(*n)++] = "CMD";
		for (char *const *w = o->health_exec; *w; w++)
			t[(*n)++] = *w;
	} else if (o->health_cmd) {
		t[(*n)++] = "CMD-SHELL";
		t[(*n)++] = o->health_cmd;
	} else {
		json_array_foreach(image, i, v)
		{
			if (json_is_string(v))
				t[(*n)++] = json_string_value(v);
		}
	}
	return t;
}

int health_merge(const struct container_opts *o, json_t *image_hc, struct container_healthcheck *h)
{
	static const char *const none[] = {"NONE"};
	if (!json_is_object(image_hc))
		image_hc = NULL;
	h->present = false;
	if (o->no_healthcheck) {
		h->present = true;
		return container_record_set_strv(&h->test, none, 1);
	}
	bool flags = o->health_cmd || o->health_exec || o->health_interval || o->health_timeout ||
		     o->health_start_period || o->health_start_interval || o->health_retries;
	if (!flags && !image_hc)
		return 0;
	h->present = true;
	h->interval = merged(o->health_interval, image_hc, "Interval");
	h->timeout = merged(o->health_timeout, image_hc, "Timeout");
	h->start_period = merged(o->health_start_period, image_hc, "StartPeriod");
	h->start_interval = merged(o->health_start_interval, image_hc, "StartInterval");
	h->retries = merged(o->health_retries, image_hc, "Retries");
	size_t n;
	const char **test = merged_test(o, image_hc, &n);
	/* an empty Test is none (the record then has no key) */
	int rc = !test ? -1 : n ? container_record_set_strv(&h->test, test, n) : 0;
	free(test);
	return rc;
}

json_t *health_probe_args(const struct container_record *r)
{
	char *const *test = r->config.healthcheck.test, *const *shell = r->config.shell;
	const char *kind = test ? test[0] : NULL;
	if (!kind)
		return NULL;
	json_t *args = json_array();
	if (!strcmp(kind, "CMD")) {
		for (size_t i = 1; test[i]; i++)
			json_array_append_new(args, json_string(test[i]));
	} else if (!strcmp(kind, "CMD-SHELL") && test[1]) {
		for (size_t i = 0; shell && shell[i]; i++)
			json_array_append_new(args, json_string(shell[i]));
		if (!shell || !shell[0]) {
			json_array_append_new(args, json_string("/bin/sh"));
			json_array_append_new(args, json_string("-c"));
		}
		json_array_append_new(args, json_string(test[1]));
	}
	if (!json_array_size(args)) {
		json_decref(args);
		return NULL; /* NONE, an empty CMD, or a kind docker does not know */
	}
	return args;
}

static long long or_default(long long v, long long dflt)
{
	return v > 0 ? v : dflt;
}

struct health_config health_config_of(const struct container_healthcheck *h)
{
	static const struct container_healthcheck zero = {0};
	if (!h)
		h = &zero;
	return (struct health_config){
		.interval = or_default(h->interval, HEALTH_DEFAULT_INTERVAL),
		.timeout = or_default(h->timeout, HEALTH_DEFAULT_TIMEOUT),
		.start_period = or_default(h->start_period, HEALTH_DEFAULT_START_PERIOD),
		.start_interval = or_default(h->start_interval, HEALTH_DEFAULT_START_INTERVAL),
		.retries = (int)or_default(h->retries, HEALTH_DEFAULT_RETRIES),
	};
}

/* ---- the state machine ---------------------------------------------------------------------- */

struct health_state health_next(struct health_state prev, int exit_code, bool in_start_period,
				int retries)
{
	struct health_state s = prev;
	if (exit_code == 0) {
		s.status = HEALTH_HEALTHY;
		s.failing_streak = 0;
		return s;
	}
	if (prev.status == HEALTH_STARTING && in_start_period)
		return s; /* still starting: a failure does not count yet */
	s.failing_streak++;
	if (s.failing_streak >= retries)
		s.status = HEALTH_UNHEALTHY;
	return s;
}

long long health_wait_ns(const struct health_config *cfg, enum health_status status,
			 long long elapsed)
{
	if (elapsed < cfg->start_period && status == HEALTH_STARTING)
		return cfg->start_interval;
	return cfg->interval;
}

void health_output_add(struct health_output *out, const char *data, size_t n)
{
	size_t room = HEALTH_MAX_OUTPUT - out->len;
	size_t keep = n < room ? n : room;
	memcpy(out->buf + out->len, data, keep);
	out->len += keep;
	if (keep < n)
		out->truncated = true;
}

const char *health_output_text(struct health_output *out)
{
	size_t n = out->len;
	if (out->truncated)
		memcpy(out->buf + n, "...", 3), n += 3;
	out->buf[n] = '\0';
	return out->buf;
}

/* ---- State.Health --------------------------------------------------------------------------- */

char *health_now(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	/* Go's RFC3339Nano: the fraction without its trailing zeros ("05.1Z", "05Z") */
	int digits = 9;
	long frac = ts.tv_nsec;
	while (digits > 0 && frac % 10 == 0)
		frac /= 10, digits--;
	if (digits)
		snprintf(buf + n, len - n, ".%0*ldZ", digits, frac);
	else
		snprintf(buf + n, len - n, "Z");
	return buf;
}

/* enum health_status <-> the record's enum container_health (which has NONE first) */
static enum container_health to_record(enum health_status s)
{
	return (enum container_health)(s + 1);
}

static enum health_status from_record(enum container_health h)
{
	return h == CONTAINER_HEALTH_NONE ? HEALTH_STARTING : (enum health_status)(h - 1);
}

void health_record_start(struct container_record *r)
{
	json_t *args = health_probe_args(r);
	if (!args)
		return; /* no check: no State.Health, as docker */
	json_decref(args);
	r->state.health = CONTAINER_HEALTH_STARTING;
	r->state.failing_streak = 0;
}

void health_record_stop(struct container_record *r)
{
	if (r->state.health != CONTAINER_HEALTH_NONE)
		r->state.health = CONTAINER_HEALTH_UNHEALTHY;
}

const char *health_record_status(const struct container_record *r)
{
	return r->state.health == CONTAINER_HEALTH_NONE ? NULL
							: container_health_name(r->state.health);
}

enum health_status health_record_result(struct container_record *r, const char *start,
					const char *end, int exit_code, const char *output,
					bool in_start_period)
{
	struct container_health_result res = {(char *)start, (char *)end, exit_code,
					      (char *)output};
	/* out of memory: the result is not kept, the state machine still steps */
	(void)container_record_add_health(r, &res);
	struct health_state s = {
		.status = from_record(r->state.health),
		.failing_streak = r->state.failing_streak,
	};
	struct health_config cfg = health_config_of(&r->config.healthcheck);
	s = health_next(s, exit_code, in_start_period, cfg.retries);
	r->state.health = to_record(s.status);
	r->state.failing_streak = s.failing_streak;
	return s.status;
}
