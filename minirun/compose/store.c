/*
 * minirun/compose/store.c - what the store holds of a project, found by the labels `up`
 * put on it (labels.h): its containers in dependency order, `ps`, `ls`, `down`. There is no
 * state file of compose's own, so a `down` after a killed `up` finds everything the same way.
 *
 * See: https://docs.docker.com/reference/cli/docker/compose/down/
 */
#include "minirun/compose/labels.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/containers/containers.h"
#include "minirun/compose/netns.h"
#include "minirun/network/network.h"
#include "minirun/volume/volume.h"

/* ---- the order ------------------------------------------------------------------------ */

/* The services of P in dependency order (a dependency before its dependents; the load has
 * refused cycles), as indexes into p->services; caller frees. */
size_t *compose_dependency_order(const struct compose_project *p)
{
	size_t *order = calloc(p->nservices + 1, sizeof(*order)), n = 0;
	unsigned char *done = calloc(p->nservices + 1, 1);
	if (!order || !done) {
		free(order);
		free(done);
		return NULL;
	}
	while (n < p->nservices) {
		size_t before = n;
		for (size_t i = 0; i < p->nservices; i++) {
			const struct compose_service *s = &p->services[i];
			int ready = !done[i];
			for (size_t d = 0; ready && d < s->depends_on.n; d++) {
				const struct compose_service *dep =
					compose_service_find(p, s->depends_on.v[d].service);
				ready = !dep || done[dep - p->services];
			}
			if (ready) {
				done[i] = 1;
				order[n++] = i;
			}
		}
		if (n == before)
			break; /* cannot happen after the load's cycle check */
	}
	free(done);
	return order;
}

/* ---- what the store holds of a project ------------------------------------------------------ */

/* The containers labelled with PROJECT's name: their IDs (a NULL-ended array to free with
 * container_ids_free), or NULL with err. */
char **compose_project_ids(const char *project, struct mr_err *err)
{
	char **ids = container_ids(containers_root(), err);
	if (!ids)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; ids[i]; i++) {
		struct container c;
		struct mr_err e = {0};
		int mine = 0;
		if (container_open(containers_root(), ids[i], false, &c, &e) == 0) {
			const char *lp = label_of(&c.r, L_PROJECT);
			mine = lp && !strcmp(lp, project);
			container_close(&c);
		}
		if (mine)
			ids[k++] = ids[i];
		else
			free(ids[i]);
	}
	ids[k] = NULL;
	return ids;
}

/* order key of a container: its service's place in dependency order, then its number */
struct ranked {
	size_t rank;
	long number;
	char *name;
};

static int cmp_ranked(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->number < b->number ? -1 : a->number > b->number;
}

int compose_containers(struct compose_project *p, const char *const *services, size_t nservices,
		       struct compose_strv *names, struct mr_err *err)
{
	memset(names, 0, sizeof(*names));
	char **ids = compose_project_ids(p->name, err);
	size_t *order = ids ? compose_dependency_order(p) : NULL;
	if (!ids || !order) {
		container_ids_free(ids);
		return ids ? mr_fail(err, ENOMEM, "compose") : -1;
	}
	struct ranked *r = NULL;
	size_t n = 0;
	for (size_t i = 0; ids[i]; i++) {
		struct container c;
		struct mr_err e = {0};
		if (container_open(containers_root(), ids[i], false, &c, &e) < 0)
			continue;
		const char *svc = label_of(&c.r, L_SERVICE), *num = label_of(&c.r, L_NUMBER);
		const char *nm = c.r.name;
		int wanted = !nservices;
		for (size_t k = 0; svc && k < nservices; k++)
			wanted |= !strcmp(svc, services[k]);
		if (wanted && nm) {
			struct ranked *e2 = compose_push(&p->arena, &r, &n, sizeof(*r));
			e2->rank = p->nservices; /* an orphan: last */
			for (size_t k = 0; svc && k < p->nservices; k++)
				if (!strcmp(p->services[order[k]].name, svc))
					e2->rank = k;
			e2->number = num ? strtol(num, NULL, 10) : 0;
			e2->name = compose_strdup(&p->arena, nm + (nm[0] == '/'));
		}
		container_close(&c);
	}
	free(order);
	container_ids_free(ids);
	if (n)
		qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < n; i++)
		*(char **)compose_push(&p->arena, &names->v, &names->n, sizeof(char *)) = r[i].name;
	return 0;
}

int compose_ls(int all, int quiet, FILE *out, struct mr_err *err)
{
	struct compose_arena a = {0};
	struct project {
		char *name, *files, *status;
		size_t running, other;
	} *ps = NULL;
	size_t n = 0;
	char **ids = container_ids(containers_root(), err);
	if (!ids)
		return -1;
	for (size_t i = 0; ids[i]; i++) {
		struct container c;
		struct mr_err e = {0};
		if (container_open(containers_root(), ids[i], false, &c, &e) < 0)
			continue;
		const char *name = label_of(&c.r, L_PROJECT), *files = label_of(&c.r, L_FILES);
		if (name) {
			size_t k = 0;
			while (k < n && strcmp(ps[k].name, name))
				k++;
			if (k == n) {
				struct project *np = compose_push(&a, &ps, &n, sizeof(*ps));
				np->name = compose_strdup(&a, name);
				np->files = compose_strdup(&a, files ? files : "");
			}
			if (container_status(&c) == CONTAINER_RUNNING)
				ps[k].running++;
			else
				ps[k].other++;
		}
		container_close(&c);
	}
	container_ids_free(ids);
	if (!quiet)
		fprintf(out, "%-20s %-24s %s\n", "NAME", "STATUS", "CONFIG FILES");
	for (size_t k = 0; k < n; k++) {
		if (!all && !ps[k].running)
			continue;
		char status[64] = "";
		if (ps[k].running)
			snprintf(status, sizeof(status), "running(%zu)", ps[k].running);
		if (ps[k].other)
			snprintf(status + strlen(status), sizeof(status) - strlen(status),
				 "%sexited(%zu)", ps[k].running ? ", " : "", ps[k].other);
		if (quiet)
			fprintf(out, "%s\n", ps[k].name);
		else
			fprintf(out, "%-20s %-24s %s\n", ps[k].name, status, ps[k].files);
	}
	compose_arena_free(&a);
	return 0;
}

int compose_scale_down(struct compose_project *p, const char *service, long long keep,
		       struct mr_err *err)
{
	char **ids = compose_project_ids(p->name, err);
	if (!ids)
		return -1;
	int rc = 0;
	for (size_t i = 0; ids[i]; i++) {
		struct container c;
		struct mr_err e = {0};
		if (container_open(containers_root(), ids[i], true, &c, &e) < 0)
			continue;
		const char *svc = label_of(&c.r, L_SERVICE), *num = label_of(&c.r, L_NUMBER),
			   *oneoff = label_of(&c.r, L_ONEOFF);
		if (svc && !strcmp(svc, service) && num && strtoll(num, NULL, 10) > keep &&
		    !(oneoff && !strcmp(oneoff, "True"))) {
			char nm[256];
			const char *rn = c.r.name;
			snprintf(nm, sizeof(nm), "%s", rn ? rn + (rn[0] == '/') : ids[i]);
			if (container_stop(&c, -1, err) < 0 ||
			    container_remove(&c, false, false, err) < 0)
				rc = -1;
			else
				fprintf(stderr, " Container %s  Removed\n", nm);
		}
		container_close(&c);
	}
	container_ids_free(ids);
	return rc;
}

int compose_orphans(struct compose_project *p, int remove, struct mr_err *err)
{
	char **ids = compose_project_ids(p->name, err);
	if (!ids)
		return -1;
	int rc = 0;
	for (size_t i = 0; ids[i]; i++) {
		struct container c;
		struct mr_err e = {0};
		if (container_open(containers_root(), ids[i], true, &c, &e) < 0)
			continue;
		const char *svc = label_of(&c.r, L_SERVICE);
		char nm[256];
		const char *rn = c.r.name;
		snprintf(nm, sizeof(nm), "%s", rn ? rn + (rn[0] == '/') : ids[i]);
		if (!svc || !compose_service_find(p, svc)) {
			if (!remove)
				fprintf(stderr,
					"minirun: WARN: Found orphan container (%s) for this "
					"project. If you removed or renamed this service in your "
					"compose file, run this command with --remove-orphans to "
					"clean it up.\n",
					nm);
			else if (container_stop(&c, -1, err) < 0 ||
				 container_remove(&c, false, false, err) < 0)
				rc = -1;
			else
				fprintf(stderr, " Container %s  Removed\n", nm);
		}
		container_close(&c);
	}
	container_ids_free(ids);
	return rc;
}

int compose_down(struct compose_project *p, int timeout, int volumes, int remove_orphans,
		 struct mr_err *err)
{
	/* dependents first, a level at once (stop.c), then the networks and volumes */
	struct compose_stop_opts so = {
		.timeout = timeout, .remove = 1, .volumes = volumes, .orphans = remove_orphans};
	if (compose_stop(p, NULL, 0, &so, err) < 0)
		return mr_fail(err, 0, "down: some containers were not removed");
	for (size_t i = 0; i < p->nnetworks; i++) {
		const struct compose_network *n = &p->networks[i];
		struct mr_err e = {0};
		json_t *rec = n->external ? NULL : network_load(network_root(), n->name, &e);
		if (!rec)
			continue;
		json_decref(rec);
		/* still used (by an orphan, or a container of another project): said, and
		 * down goes on with the rest, as docker compose does */
		if (compose_network_remove(network_root(), n->name, &e) < 0)
			fprintf(stderr, "minirun: WARN: network %s not removed: %s\n", n->name,
				e.msg);
		else
			fprintf(stderr, " Network %s  Removed\n", n->name);
	}
	for (size_t i = 0; volumes && i < p->nvolumes; i++) {
		const struct compose_volume *v = &p->volumes[i];
		struct mr_err e = {0};
		if (v->external || volume_remove(volume_root(), v->name, 0, &e) < 0)
			continue; /* not there (never made), or external: docker leaves both */
		fprintf(stderr, " Volume %s  Removed\n", v->name);
	}
	return 0;
}

/* one container as a line of `compose ps --format json`: docker compose's keys */
static void ps_json(struct container *c, const char *project, FILE *out)
{
	json_t *state = json_object_get(c->rec, "State"), *cfg = json_object_get(c->rec, "Config");
	const char *nm = json_string_value(json_object_get(c->rec, "Name"));
	const char *hs =
		json_string_value(json_object_get(json_object_get(state, "Health"), "Status"));
	const char *svc = label_of(&c->r, L_SERVICE);
	json_t *cmd = json_object_get(cfg, "Cmd");
	char *command = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&command, &len);
	for (size_t i = 0; m && i < json_array_size(cmd); i++)
		fprintf(m, "%s%s", i ? " " : "", json_string_value(json_array_get(cmd, i)));
	if (m)
		fclose(m);
	json_t *j = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:I, s:s?}", "ID", c->id,
			      "Name", nm ? nm + (nm[0] == '/') : c->id, "Image",
			      json_string_value(json_object_get(cfg, "Image")), "Command",
			      command ? command : "", "Project", project, "Service", svc ? svc : "",
			      "State", container_state_name(container_status(c)), "Health",
			      hs ? hs : "", "ExitCode",
			      json_integer_value(json_object_get(state, "ExitCode")), "CreatedAt",
			      json_string_value(json_object_get(c->rec, "Created")));
	free(command);
	if (j) {
		json_object_set(j, "Labels", json_object_get(cfg, "Labels"));
		json_dumpf(j, out, JSON_COMPACT);
		fputc('\n', out);
		json_decref(j);
	}
}

int compose_ps(struct compose_project *p, int all, int quiet, int services, int json, FILE *out,
	       struct mr_err *err)
{
	char **ids = compose_project_ids(p->name, err);
	if (!ids)
		return -1;
	if (!quiet && !services && !json)
		fprintf(out, "%-30s %-20s %-12s %s\n", "NAME", "IMAGE", "SERVICE", "STATUS");
	for (size_t i = 0; ids[i]; i++) {
		struct container c;
		struct mr_err e = {0};
		if (container_open(containers_root(), ids[i], false, &c, &e) < 0)
			continue;
		enum container_state status = container_status(&c);
		if (all || status == CONTAINER_RUNNING) {
			const char *nm = c.r.name;
			const char *img = c.r.config.image;
			const char *svc = label_of(&c.r, L_SERVICE);
			if (quiet)
				fprintf(out, "%s\n", c.id);
			else if (json)
				ps_json(&c, p->name, out);
			else if (services)
				fprintf(out, "%s\n", svc ? svc : "");
			else
				fprintf(out, "%-30s %-20s %-12s %s\n",
					nm ? (nm[0] == '/' ? nm + 1 : nm) : c.id, img ? img : "",
					svc ? svc : "", container_state_name(status));
		}
		container_close(&c);
	}
	container_ids_free(ids);
	return 0;
}
