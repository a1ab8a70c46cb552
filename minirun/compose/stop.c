/*
 * minirun/compose/stop.c - stopping a project's containers: `compose stop`, `compose down`,
 * and a foreground `up` that was interrupted or aborted, all by compose_stop.
 *
 * Order, as docker compose keeps it: a container is stopped only after every container
 * that depends on it, so a dependency outlives its dependents (the reverse of `up`). Within
 * that order the containers go at once: the services are sorted into dependency levels
 * (level 0: no dependency; level N: a dependency at level N-1 at most), the levels are
 * stopped from the highest down, and every container of one level is stopped by a process
 * of its own at the same time. A service that ignores its stop signal so costs its stop
 * timeout once per level, not once per container:
 *
 *	api-1, api-2, api-3 (level 1, ignore SIGTERM)   SIGTERM to the three at once ...
 *	                                                 ... SIGKILL to the three after -t 2
 *	db-1 (level 0)                                   then SIGTERM to db-1
 *
 * Each container says " Container NAME  Stopping" / "Stopped" (and "Removing" / "Removed"
 * for down) on stderr, one write a line, so the lines of a level interleave whole.
 *
 * See: https://docs.docker.com/reference/cli/docker/compose/stop/,
 *      https://docs.docker.com/reference/cli/docker/compose/down/
 */
#include "minirun/compose/labels.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minirun/containers/containers.h"

/* one container to stop: its name and the level it goes in */
struct target {
	char name[256];
	size_t level;
};

/* The dependency level of each service of P (indexes into p->services), from ORDER (a
 * dependency before its dependents): 0 without dependencies, else one more than its
 * highest dependency's; caller frees. */
static size_t *levels_of(const struct compose_project *p, const size_t *order)
{
	size_t *level = calloc(p->nservices + 1, sizeof(*level));
	for (size_t k = 0; level && k < p->nservices; k++) {
		const struct compose_service *s = &p->services[order[k]];
		for (size_t d = 0; d < s->depends_on.n; d++) {
			const struct compose_service *dep =
				compose_service_find(p, s->depends_on.v[d].service);
			if (dep && level[dep - p->services] + 1 > level[order[k]])
				level[order[k]] = level[dep - p->services] + 1;
		}
	}
	return level;
}

/* one container's stop (and removal), in a process of its own; the exit status is 0 or 1 */
static int stop_one(const char *name, const struct compose_stop_opts *so)
{
	struct container c;
	struct mr_err err = {0};
	if (container_open(containers_root(), name, true, &c, &err) < 0)
		return err.kind == MR_E_NOT_FOUND ? 0
						  : (fprintf(stderr, "minirun: %s\n", err.msg), 1);
	enum container_state st = container_status(&c);
	int was_running = st != CONTAINER_EXITED && st != CONTAINER_CREATED && st != CONTAINER_DEAD;
	if (was_running)
		fprintf(stderr, " Container %s  Stopping\n", name);
	int rc = container_stop(&c, so->timeout, &err);
	if (rc == 0 && was_running)
		fprintf(stderr, " Container %s  Stopped\n", name);
	if (rc == 0 && so->remove) {
		fprintf(stderr, " Container %s  Removing\n", name);
		rc = container_remove(&c, false, so->volumes, &err);
		if (rc == 0)
			fprintf(stderr, " Container %s  Removed\n", name);
	}
	if (rc < 0)
		fprintf(stderr, "minirun: %s\n", err.msg);
	container_close(&c);
	return rc < 0;
}

/* The containers compose_stop acts on, with their levels, into *OUT (*N of them); orphans
 * are at level TOP (first), or said and left when SO does not take them. */
static int targets(struct compose_project *p, const char *const *services, size_t nservices,
		   const struct compose_stop_opts *so, struct target **out, size_t *n, size_t *top,
		   struct mr_err *err)
{
	char **ids = compose_project_ids(p->name, err);
	if (!ids)
		return -1;
	size_t *order = compose_dependency_order(p);
	size_t *level = order ? levels_of(p, order) : NULL;
	if (!order || !level) {
		free(order);
		container_ids_free(ids);
		return mr_fail(err, ENOMEM, "compose");
	}
	*top = 0;
	for (size_t i = 0; i < p->nservices; i++)
		if (level[i] + 1 > *top)
			*top = level[i] + 1;
	*n = 0;
	for (size_t i = 0; ids[i]; i++) {
		struct container c;
		struct mr_err e = {0};
		if (container_open(containers_root(), ids[i], false, &c, &e) < 0)
			continue;
		const char *svc = label_of(&c.r, L_SERVICE);
		const char *rn = c.r.name;
		const struct compose_service *s = svc ? compose_service_find(p, svc) : NULL;
		int wanted = !nservices;
		for (size_t k = 0; svc && k < nservices; k++)
			wanted |= !strcmp(svc, services[k]);
		struct target t = {.level = s ? level[s - p->services] : *top};
		snprintf(t.name, sizeof(t.name), "%s", rn ? rn + (rn[0] == '/') : ids[i]);
		container_close(&c);
		if (!s && !nservices && !so->orphans) {
			if (so->remove) /* down without --remove-orphans */
				fprintf(stderr,
					"Found orphan container (%s) for this project; remove it "
					"with --remove-orphans\n",
					t.name);
			continue;
		}
		if (wanted)
			*(struct target *)compose_push(&p->arena, out, n, sizeof(t)) = t;
	}
	free(level);
	free(order);
	container_ids_free(ids);
	return 0;
}

int compose_stop(struct compose_project *p, const char *const *services, size_t nservices,
		 const struct compose_stop_opts *so, struct mr_err *err)
{
	struct target *t = NULL;
	size_t n = 0, top = 0;
	if (targets(p, services, nservices, so, &t, &n, &top, err) < 0)
		return -1;
	pid_t *kids = compose_alloc(&p->arena, (n + 1) * sizeof(pid_t));
	int failed = 0;
	for (size_t lv = top + 1; lv-- > 0;) {
		fflush(NULL); /* nothing buffered twice by the children */
		for (size_t i = 0; i < n; i++) {
			if (t[i].level != lv)
				continue;
			if (mr_verbose) /* what each child does, as the command a reader could type */
				fprintf(stderr, "=> minirun stop%s %s%s%s   (level %zu, at once)\n",
					so->timeout >= 0
						? compose_printf(&p->arena, " -t %d", so->timeout)
						: "",
					t[i].name, so->remove ? " && minirun rm " : "",
					so->remove ? t[i].name : "", lv);
			kids[i] = fork();
			if (kids[i] == 0)
				_exit(stop_one(t[i].name, so));
			if (kids[i] < 0)
				failed = 1;
		}
		for (size_t i = 0; i < n; i++) {
			int status = 0;
			if (t[i].level != lv || kids[i] <= 0)
				continue;
			while (waitpid(kids[i], &status, 0) < 0 && errno == EINTR)
				;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				failed = 1;
		}
	}
	if (failed)
		return mr_fail(err, 0, "some containers were not %s",
			       so->remove ? "removed" : "stopped");
	return 0;
}
