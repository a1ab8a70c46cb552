/*
 * minirun/compose/wait.c - what `compose up` and `compose run` do before a container is
 * made or after: a service's image built from its `build` section, and the wait for a
 * container to be healthy (a `depends_on` condition service_healthy, `up --wait`).
 *
 * The wait reads the container's record every 100 ms: the health checker its monitor
 * runs writes State.Health there (minirun/containers/health_check.c); there is no daemon
 * to ask. Its messages are docker compose's ("dependency failed to start: container NAME
 * is unhealthy").
 *
 * See: up.c; https://docs.docker.com/compose/how-tos/startup-order/
 */
#include "minirun/compose/labels.h"

#include <stdio.h>
#include <time.h>

#include "minirun/build/build.h"

/* the image S runs: `image:`, else (a service with only `build`) PROJECT-SERVICE */
const char *compose_service_image(struct compose_project *p, const struct compose_service *s)
{
	return s->image ? s->image : compose_printf(&p->arena, "%s-%s", p->name, s->name);
}

/* S's image built from its `build` section (docker compose's context, dockerfile relative
 * to the context, args, target), tagged with compose_service_image */
int compose_build_service(struct compose_project *p, const struct compose_service *s,
			  struct mr_err *err)
{
	struct compose_arena *a = &p->arena;
	const struct compose_build *b = &s->build;
	char *tag = (char *)compose_service_image(p, s);
	char **args = compose_alloc(a, (b->args.n + 1) * sizeof(char *));
	for (size_t i = 0; i < b->args.n; i++) /* K alone: its value from our environment */
		args[i] = b->args.v[i].value
				  ? compose_printf(a, "%s=%s", b->args.v[i].key, b->args.v[i].value)
				  : b->args.v[i].key;
	struct build_opts bo = {
		.context = b->context,
		.dockerfile = compose_printf(
			a, "%s%s%s", b->dockerfile && b->dockerfile[0] == '/' ? "" : b->context,
			b->dockerfile && b->dockerfile[0] == '/' ? "" : "/",
			b->dockerfile ? b->dockerfile : "Dockerfile"),
		.tags = &tag,
		.ntags = 1,
		.build_args = args,
		.nbuild_args = b->args.n,
		.target = b->target,
	};
	fprintf(stderr, " Service %s  Building\n", s->name);
	char id[IMAGE_DIGEST_LEN + 1];
	if (build_image(&bo, id, err) < 0) {
		mr_prefix(err, "service \"%s\" failed to build: ", s->name);
		return -1;
	}
	fprintf(stderr, " Service %s  Built\n", s->name);
	return 0;
}

int compose_build(struct compose_project *p, struct mr_err *err)
{
	for (size_t i = 0; i < p->nservices; i++) {
		const struct compose_service *s = &p->services[i];
		if (SVC_HAS(s, SVC_BUILD) && compose_build_service(p, s, err) < 0)
			return -1;
	}
	return 0;
}

/* Wait until container NAME is as WANT says, reading its record every 100 ms (its monitor's
 * checker writes State.Health there). Docker compose's messages when it never will be:
 * it turned unhealthy, it exited, it has no check; PREFIX goes before them. */
int compose_wait_container(const char *name, enum compose_want want, const char *prefix,
			   struct mr_err *err)
{
	for (int said = 0;; said = 1) {
		struct container c;
		if (container_open(containers_root(), name, false, &c, err) < 0)
			return -1;
		/* what is needed of the record, read before it is let go */
		enum container_health hs = c.r.state.health;
		int has_check = hs != CONTAINER_HEALTH_NONE,
		    unhealthy = hs == CONTAINER_HEALTH_UNHEALTHY,
		    healthy = hs == CONTAINER_HEALTH_HEALTHY;
		enum container_state status = container_status(&c);
		int running = status == CONTAINER_RUNNING,
		    exited = status == CONTAINER_EXITED || status == CONTAINER_DEAD;
		int code = c.r.state.exit_code;
		container_close(&c);
		if (unhealthy)
			return mr_fail(err, 0, "%scontainer %s is unhealthy", prefix, name);
		if (exited)
			return mr_fail(err, 0, "%scontainer %s exited (%d)", prefix, name, code);
		if (want == COMPOSE_WANT_HEALTHY && !has_check)
			return mr_fail(err, 0, "%scontainer %s has no healthcheck configured",
				       prefix, name);
		if (healthy) {
			fprintf(stderr, " Container %s  Healthy\n", name);
			return 0;
		}
		if (!has_check && running)
			return 0;
		if (!said)
			fprintf(stderr, " Container %s  Waiting\n", name);
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}
