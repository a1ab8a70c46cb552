/*
 * minirun/compose/images.c - the compose verbs about the services' images: `pull`, `push`,
 * `images`, and what `down --rmi` removes. Each is the image verb of the front end over
 * the images the services name:
 *
 *	minirun compose pull [SERVICE...]    = minirun pull IMAGE, for each service with `image:`
 *	minirun compose push [SERVICE...]    = minirun push IMAGE, for each service with `image:`
 *	minirun compose images [SERVICE...]  the image of each of the project's containers
 *	minirun compose down --rmi local     also remove the images built with no `image:`
 *	                        --rmi all    ... and every image a service uses
 *
 * A service's image is `image:`, else (a service with only `build`) PROJECT-SERVICE, as
 * up names what it builds.
 *
 * See: https://docs.docker.com/reference/cli/docker/compose/pull/, .../push/, .../images/
 */
#include "minirun/compose/labels.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minirun/containers/containers.h"
#include "minirun/image/image.h"

/* the image S runs: `image:`, else PROJECT-SERVICE (up.c names built images so) */
static const char *image_of(struct compose_project *p, const struct compose_service *s)
{
	return s->image ? s->image : compose_printf(&p->arena, "%s-%s", p->name, s->name);
}

/* is S among SERVICES (all when N is 0) */
static int chosen(const struct compose_service *s, char **services, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(services[i], s->name))
			return 1;
	return !n;
}

/* pull or push (VERB, the image verb FN) the images of the services named in ARGV (all
 * without); a service with only `build` has nothing to pull, and a pushed image needs a
 * name: both are skipped, as docker compose does */
static int each_image(struct compose_project *p, int argc, char **argv, const char *verb,
		      int (*fn)(int, char **))
{
	for (int i = 1; i < argc; i++)
		if (!compose_service_find(p, argv[i])) {
			fprintf(stderr, "minirun: no such service: %s\n", argv[i]);
			return 1;
		}
	int rc = 0;
	for (size_t i = 0; i < p->nservices; i++) {
		const struct compose_service *s = &p->services[i];
		if (!s->image || !chosen(s, argv + 1, (size_t)(argc - 1)))
			continue;
		fprintf(stderr, " %s %s %s\n", s->name, verb, s->image);
		if (mr_verbose)
			fprintf(stderr, "=> minirun %s %s\n", verb, s->image);
		char *v[] = {(char *)verb, (char *)s->image, NULL};
		optind = 1;
		fflush(NULL);
		if (fn(2, v) != 0) {
			fprintf(stderr, "minirun: service \"%s\": %s %s failed\n", s->name, verb,
				s->image);
			rc = 1;
		}
	}
	return rc;
}

int compose_pull_images(struct compose_project *p, int argc, char **argv)
{
	return each_image(p, argc, argv, "pull", cmd_pull);
}

int compose_push_images(struct compose_project *p, int argc, char **argv)
{
	return each_image(p, argc, argv, "push", cmd_push);
}

int compose_images(struct compose_project *p, int argc, char **argv)
{
	int quiet = 0, first = 1;
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "-q") && strcmp(argv[first], "--quiet")) {
			fprintf(stderr,
				"minirun: unknown flag: %s\nSee 'minirun compose images "
				"--help'.\n",
				argv[first]);
			return MR_EXIT_RUNTIME;
		}
		quiet = 1;
	}
	struct compose_strv names;
	struct mr_err err = {0};
	if (compose_containers(p, (const char *const *)argv + first, (size_t)(argc - first), &names,
			       &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	struct store st;
	if (store_open(&st, image_root(), &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	if (!quiet)
		printf("%-30s %-30s %-10s %-14s %s\n", "CONTAINER", "REPOSITORY", "TAG", "IMAGE ID",
		       "SIZE");
	for (size_t i = 0; i < names.n; i++) {
		struct container c;
		struct image img;
		struct mr_err e = {0};
		if (container_open(containers_root(), names.v[i], false, &c, &e) < 0)
			continue;
		const char *ref = json_string_value(
			json_object_get(json_object_get(c.rec, "Config"), "Image"));
		char *name = compose_strdup(&p->arena, ref ? ref : "");
		container_close(&c);
		if (image_resolve(&st, name, &img, &e) < 0) {
			if (!quiet)
				printf("%-30s %-30s %-10s %-14s %s\n", names.v[i], name, "", "",
				       "(not in the store)");
			continue;
		}
		/* REPOSITORY and TAG as written (busybox, latest), docker compose's */
		char *tag = strrchr(name, ':');
		if (tag && strchr(tag, '/'))
			tag = NULL;
		if (tag)
			*tag++ = '\0';
		char size[32];
		fmt_size(image_size(&st, &img), size, sizeof(size));
		const char *id = strchr(img.id, ':') ? strchr(img.id, ':') + 1 : img.id;
		if (quiet)
			printf("%s\n", img.id);
		else
			printf("%-30s %-30s %-10s %-14.12s %s\n", names.v[i], name,
			       tag ? tag : "latest", id, size);
		image_free(&img);
	}
	store_close(&st);
	return 0;
}

int compose_remove_images(struct compose_project *p, int all)
{
	int rc = 0;
	for (size_t i = 0; i < p->nservices; i++) {
		const struct compose_service *s = &p->services[i];
		/* local: only the images up built and named itself (no `image:`) */
		if (!all && s->image)
			continue;
		const char *name = image_of(p, s);
		int seen = 0;
		for (size_t k = 0; k < i; k++) /* one image used by several services: once */
			seen |= !strcmp(image_of(p, &p->services[k]), name) &&
				(all || !p->services[k].image);
		struct store st;
		struct image img;
		struct mr_err e = {0};
		if (seen || store_open(&st, image_root(), &e) < 0)
			continue;
		int there = image_resolve(&st, name, &img, &e) == 0;
		if (there)
			image_free(&img);
		store_close(&st);
		if (!there)
			continue; /* never pulled or built: nothing to remove, as docker */
		char *v[] = {"rmi", (char *)name, NULL};
		int out = dup(1);
		FILE *null = fopen("/dev/null", "w");
		fflush(stdout);
		if (null) /* rmi lists what it untagged and deleted: up's lines say it here */
			dup2(fileno(null), 1);
		optind = 1;
		int r = cmd_rmi(2, v);
		fflush(stdout);
		if (out >= 0) {
			dup2(out, 1);
			close(out);
		}
		if (null)
			fclose(null);
		if (r == 0) {
			fprintf(stderr, " Image %s  Removed\n", name);
		} else {
			fprintf(stderr, "minirun: WARN: image %s not removed\n", name);
			rc = -1;
		}
	}
	return rc;
}
