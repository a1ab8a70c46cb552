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
#include <string.h>
#include <time.h>

const char *health_status_name(enum health_status s)
{
	static const char *const names[] = {"starting", "healthy", "unhealthy"};
	return names[s];
}

/* ---- which check, with which timing --------------------------------------------------------- */

/* KEY of the merged check: the flag's value when given, else the image's */
static void merge_ns(json_t *hc, const char *key, long long flag, json_t *image_hc)
{
	long long v = flag ? flag : json_integer_value(json_object_get(image_hc, key));
	if (v)
		json_object_set_new(hc, key, json_integer(v));
}

json_t *health_merge(const struct container_opts *o, json_t *image_hc)
{
	if (!json_is_object(image_hc))
		image_hc = NULL;
	if (o->no_healthcheck)
		return json_pack("{s:[s]}", "Test", "NONE");
	bool flags = o->health_cmd || o->health_exec || o->health_interval || o->health_timeout ||
		     o->health_start_period || o->health_start_interval || o->health_retries;
	if (!flags && !image_hc)
		return NULL;
	/* rebuilt in docker's key order (Test, Interval, ..., Retries), whatever the image's */
	json_t *hc = json_object();
	json_t *test = o->health_cmd ? json_pack("[s,s]", "CMD-SHELL", o->health_cmd)
				     : json_deep_copy(json_object_get(image_hc, "Test"));
	if (o->health_exec) {
		json_decref(test);
		test = json_pack("[s]", "CMD");
		for (char *const *w = o->health_exec; *w; w++)
			json_array_append_new(test, json_string(*w));
	}
	if (json_array_size(test))
		json_object_set_new(hc, "Test", test);
	else
		json_decref(test);
	merge_ns(hc, "Interval", o->health_interval, image_hc);
	merge_ns(hc, "Timeout", o->health_timeout, image_hc);
	merge_ns(hc, "StartPeriod", o->health_start_period, image_hc);
	merge_ns(hc, "StartInterval", o->health_start_interval, image_hc);
	merge_ns(hc, "Retries", o->health_retries, image_hc);
	return hc;
}

json_t *health_probe_args(json_t *config)
{
	json_t *test = json_object_get(json_object_get(config, "Healthcheck"), "Test");
	const char *kind = json_string_value(json_array_get(test, 0));
	if (!kind)
		return NULL;
	json_t *args = json_array();
	if (!strcmp(kind, "CMD")) {
		for (size_t i = 1; i < json_array_size(test); i++)
			json_array_append(args, json_array_get(test, i));
	} else if (!strcmp(kind, "CMD-SHELL") && json_is_string(json_array_get(test, 1))) {
		json_t *shell = json_object_get(config, "Shell");
		if (json_array_size(shell))
			json_array_extend(args, shell);
		else {
			json_array_append_new(args, json_string("/bin/sh"));
			json_array_append_new(args, json_string("-c"));
		}
		json_array_append(args, json_array_get(test, 1));
	}
	if (!json_array_size(args) || !json_is_string(json_array_get(args, 0))) {
		json_decref(args);
		return NULL; /* NONE, an empty CMD, or a kind docker does not know */
	}
	return args;
}

static long long or_default(json_t *hc, const char *key, long long dflt)
{
	long long v = json_integer_value(json_object_get(hc, key));
	return v > 0 ? v : dflt;
}

struct health_config health_config_of(json_t *hc)
{
	return (struct health_config){
		.interval = or_default(hc, "Interval", HEALTH_DEFAULT_INTERVAL),
		.timeout = or_default(hc, "Timeout", HEALTH_DEFAULT_TIMEOUT),
		.start_period = or_default(hc, "StartPeriod", HEALTH_DEFAULT_START_PERIOD),
		.start_interval = or_default(hc, "StartInterval", HEALTH_DEFAULT_START_INTERVAL),
		.retries = (int)or_default(hc, "Retries", HEALTH_DEFAULT_RETRIES),
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

void health_record_start(struct container_record *r, json_t *rec)
{
	json_t *args = health_probe_args(json_object_get(rec, "Config"));
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

enum health_status health_record_result(struct container_record *r, json_t *rec, const char *start,
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
	struct health_config cfg =
		health_config_of(json_object_get(json_object_get(rec, "Config"), "Healthcheck"));
	s = health_next(s, exit_code, in_start_period, cfg.retries);
	r->state.health = to_record(s.status);
	r->state.failing_streak = s.failing_streak;
	return s.status;
}
