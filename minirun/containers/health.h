/*
 * minirun/containers/health.h - docker's health checks: the HEALTHCHECK of an image or the
 * --health-* flags of run, run on schedule by the container's monitor, with docker's state
 * machine (starting -> healthy / unhealthy) kept in the record's State.Health.
 *
 *   health.c        the pure part: the merge of flags and image into Config.Healthcheck,
 *                   docker's defaults, the state machine, the probe's output buffer, and
 *                   State.Health in the record
 *   health_check.c  the checker: a process of the monitor's that sleeps, runs the probe as
 *                   an exec in the container (ctr_exec, as `minirun exec`), kills it at the
 *                   timeout, and records each result
 *
 * See: https://docs.docker.com/reference/dockerfile/#healthcheck ;
 *      https://docs.docker.com/reference/cli/docker/container/run/ (--health-*)
 */
#ifndef MR_CONTAINERS_HEALTH_H
#define MR_CONTAINERS_HEALTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/err.h"
#include "minirun/bundle/bundle.h"
#include "minirun/containers/containers.h"

/* docker's defaults, applied where Config.Healthcheck leaves a value 0 */
#define HEALTH_DEFAULT_INTERVAL       30000000000LL /* 30s */
#define HEALTH_DEFAULT_TIMEOUT        30000000000LL /* 30s */
#define HEALTH_DEFAULT_START_PERIOD   0LL
#define HEALTH_DEFAULT_START_INTERVAL 5000000000LL /* 5s */
#define HEALTH_DEFAULT_RETRIES        3
#define HEALTH_MAX_LOG                CONTAINER_HEALTH_LOG_MAX /* results kept in the Log */
#define HEALTH_MAX_OUTPUT             4096 /* bytes of a probe's output kept, then "..." */

/* One container's check, with the defaults applied (durations in nanoseconds). */
struct health_config {
	long long interval, timeout, start_period, start_interval;
	int retries;
};

enum health_status { HEALTH_STARTING, HEALTH_HEALTHY, HEALTH_UNHEALTHY };

/* What the state machine keeps between two probes. */
struct health_state {
	enum health_status status;
	int failing_streak;
};

/* "starting", "healthy", "unhealthy" */
const char *health_status_name(enum health_status s);

/*
 * health_merge - Config.Healthcheck for a new container into H, as docker's daemon merges
 * it: the flags of O (--health-cmd gives Test ["CMD-SHELL", CMD]; --no-healthcheck Test
 * ["NONE"]) over the image's Healthcheck IMAGE_HC (image config JSON, may be NULL), each
 * field the flag's when given (non-zero), else the image's. Zero fields stay 0 (the record
 * leaves them out, as docker's JSON omits them); h->present false when neither has one.
 * -1 on ENOMEM (H half-filled: the caller frees the record it is in).
 */
int health_merge(const struct container_opts *o, json_t *image_hc, struct container_healthcheck *h);

/*
 * health_probe_args - the probe to run for R's Config.Healthcheck: Test ["CMD", a, b] ->
 * [a, b]; ["CMD-SHELL", s] -> R's Config.Shell (else /bin/sh -c) with s: the OCI process's
 * args. NULL when the container has no check (no Healthcheck, an empty Test, ["NONE"], or a
 * Test kind docker does not know). New reference.
 */
json_t *health_probe_args(const struct container_record *r);

/* health_config_of - the timing of the check H (NULL: none), docker's defaults applied */
struct health_config health_config_of(const struct container_healthcheck *h);

/*
 * health_next - docker's state machine: the state after a probe that ended with EXIT_CODE
 * (0 healthy; anything else, -1 for a timeout, a failure). A success makes the container
 * healthy and ends the streak. A failure adds to the streak, which at RETRIES makes it
 * unhealthy; but while the container is still starting and IN_START_PERIOD (the probe began
 * within the start period), a failure does not count.
 */
struct health_state health_next(struct health_state prev, int exit_code, bool in_start_period,
				int retries);

/* health_wait_ns - how long to wait before the next probe: the start interval while the
 * container is starting within its start period (ELAPSED ns since it started), else the
 * interval */
long long health_wait_ns(const struct health_config *cfg, enum health_status status,
			 long long elapsed);

/* A probe's output, as docker keeps it: the first HEALTH_MAX_OUTPUT bytes of stdout and
 * stderr together, then "..." when more came. */
struct health_output {
	char buf[HEALTH_MAX_OUTPUT + 4];
	size_t len;
	bool truncated;
};
void health_output_add(struct health_output *out, const char *data, size_t n);
/* the text to record (NUL-terminated in out->buf) */
const char *health_output_text(struct health_output *out);

/* ---- State.Health in the record ----------------------------------------------------------- */

/* The record's State.Health and the check (Config.Healthcheck) are the typed record's (R). */
/* health_record_start - at each start of a container with a check: State.Health's Status
 * "starting" and FailingStreak 0; the Log of an earlier run stays (docker's). */
void health_record_start(struct container_record *r);
/* health_record_stop - the check has stopped with the container: docker then says
 * "unhealthy" (for compatibility, its daemon says), the Log stays */
void health_record_stop(struct container_record *r);
/*
 * health_record_result - add one probe's result to State.Health: its Start and End
 * (RFC 3339), EXIT_CODE and OUTPUT to the Log (the last HEALTH_MAX_LOG kept), then the state
 * machine's step (health_next). Returns the new status.
 */
enum health_status health_record_result(struct container_record *r, const char *start,
					const char *end, int exit_code, const char *output,
					bool in_start_period);
/* health_record_status - State.Health.Status of R, or NULL when it has none */
const char *health_record_status(const struct container_record *r);
/* "2026-12-06T07:34:04.12345678Z": now, as docker writes a result's times (Go's RFC3339Nano) */
char *health_now(char *buf, size_t len);

/* ---- the checker (health_check.c) --------------------------------------------------------- */

struct container;

/* The monitor's handle on its checker. */
struct health_checker {
	pid_t pid; /* 0: none (the container has no check) */
	int pidfd;
};

/*
 * health_checker_start - when the record of C has a check, fork the checker: a child of
 * the monitor that runs the probe on schedule until health_checker_stop, in the OCI root
 * OCI. Nothing (no process, no timer) for a container without a check. Returns 0 (h->pid 0
 * when there is nothing to check), or -1 with err.
 */
int health_checker_start(struct container *c, const char *oci, struct health_checker *h,
			 struct mr_err *err);
/*
 * health_checker_stop - end the checker (SIGTERM: it kills a running probe and exits; SIGKILL
 * after a few seconds) and reap it. Safe when none was started.
 */
void health_checker_stop(struct health_checker *h);

#endif
