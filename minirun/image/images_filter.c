/*
 * minirun/image/images_filter.c - `minirun images --filter`: which rows docker's daemon
 * would list (images_filter.h says what each key means).
 *
 * reference= is Go's path.Match over the familiar name, which fnmatch(3) with FNM_PATHNAME
 * is: `*` and `?` never match a `/`, so "*box*" finds busybox but not library2/box. docker
 * tries the whole "repo:tag" first, then the repository alone, so "busy*" finds
 * busybox:latest.
 *
 * See: images_filter.h; moby's daemon/images/images.go (the filters it accepts);
 *      https://pkg.go.dev/path#Match
 */
#include "minirun/image/images_filter.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/prune_filter.h" /* mr_prune_rfc3339 */

int images_filter_add(struct images_filter *f, const char *arg, char *why, size_t whylen)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		snprintf(why, whylen,
			 "invalid argument \"%s\" for \"-f, --filter\" flag: bad format of filter "
			 "(expected name=value)",
			 arg);
		return -2;
	}
	size_t klen = (size_t)(eq - arg);
	const char *v = eq + 1;
#define KEY(k) (klen == strlen(k) && !strncmp(arg, k, klen))
	if (KEY("dangling")) {
		if (!strcasecmp(v, "true") || !strcmp(v, "1"))
			f->dangling = 1;
		else if (!strcasecmp(v, "false") || !strcmp(v, "0"))
			f->dangling = 0;
		else {
			snprintf(why, whylen, "Invalid filter 'dangling=[%s]'", v);
			return -1;
		}
	} else if (KEY("reference") || KEY("label")) {
		bool ref = KEY("reference");
		size_t *n = ref ? &f->nrefs : &f->nlabels;
		if (*n == IMAGES_FILTER_MAX) {
			snprintf(why, whylen, "too many %s filters (at most %d)",
				 ref ? "reference" : "label", IMAGES_FILTER_MAX);
			return -1;
		}
		(ref ? f->refs : f->labels)[(*n)++] = v;
	} else if (KEY("before")) {
		f->before = v;
	} else if (KEY("since")) {
		f->since = v;
	} else {
		snprintf(why, whylen, "Invalid filter '%.*s'", (int)klen, arg);
		return -1;
	}
#undef KEY
	return 0;
}

/* the created time of image NAME in ST, as seconds since the epoch */
static int created_of(const struct store *st, const char *name, long long *when, struct mr_err *err)
{
	struct image img;
	if (image_resolve(st, name, &img, err) < 0)
		return -1;
	const char *c = json_string_value(json_object_get(img.config, "created"));
	*when = c ? mr_prune_rfc3339(c) : -1;
	image_free(&img);
	return 0;
}

int images_filter_resolve(const struct store *st, struct images_filter *f, struct mr_err *err)
{
	if (f->before && created_of(st, f->before, &f->before_when, err) < 0)
		return -1;
	if (f->since && created_of(st, f->since, &f->since_when, err) < 0)
		return -1;
	return 0;
}

/* does NAME ("repo:tag") match PATTERN, whole or by its repository alone? */
static bool reference_matches(const char *pattern, const char *name)
{
	if (fnmatch(pattern, name, FNM_PATHNAME) == 0)
		return true;
	char repo[800];
	size_t n = strcspn(name, "@");
	const char *colon = strrchr(name, ':');
	if (colon && !strchr(colon, '/') && (size_t)(colon - name) < n)
		n = (size_t)(colon - name); /* the tag's colon, not a registry's port */
	snprintf(repo, sizeof(repo), "%.*s", (int)n, name);
	return fnmatch(pattern, repo, FNM_PATHNAME) == 0;
}

/* does the config's Labels hold WANT ("K" or "K=V")? */
static bool has_label(json_t *config, const char *want)
{
	json_t *labels = json_object_get(json_object_get(config, "config"), "Labels");
	const char *eq = strchr(want, '=');
	char key[512];
	snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - want) : (int)strlen(want), want);
	json_t *v = json_object_get(labels, key);
	return v && (!eq || (json_is_string(v) && !strcmp(json_string_value(v), eq + 1)));
}

bool images_filter_match(const struct images_filter *f, const char *name, json_t *config,
			 long long when)
{
	if (f->dangling >= 0 && f->dangling != !name)
		return false;
	if (f->nrefs) {
		bool any = false;
		for (size_t i = 0; name && i < f->nrefs && !any; i++)
			any = reference_matches(f->refs[i], name);
		if (!any)
			return false;
	}
	for (size_t i = 0; i < f->nlabels; i++)
		if (!has_label(config, f->labels[i]))
			return false;
	if (f->before && !(when >= 0 && when < f->before_when))
		return false;
	if (f->since && !(when >= 0 && when > f->since_when))
		return false;
	return true;
}
