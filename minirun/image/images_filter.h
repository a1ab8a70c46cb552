/*
 * minirun/image/images_filter.h - the --filter of `minirun images`, as docker's daemon reads
 * it (internal to minirun/image/).
 *
 *	dangling=true|false     only images with no name, or only those with one
 *	reference=PATTERN       a name matching PATTERN (a glob: `*` stops at `/`), tried on
 *	                        "repo:tag" and then on "repo" ("busy*", "library2/b?x:1.0")
 *	label=KEY  label=KEY=V  the image config's Labels has KEY (with value V)
 *	before=IMAGE            made before IMAGE was (its config's `created`)
 *	since=IMAGE             made after it
 *
 * Keys AND together; several reference= OR (docker's rules). Errors are docker's: a value
 * with no `=` is a flag error (exit 125), an unknown key "Invalid filter 'x'", a dangling
 * value not a boolean "Invalid filter 'dangling=[x]'", an unknown IMAGE "No such image".
 *
 * See: https://docs.docker.com/reference/cli/docker/image/ls/#filter
 */
#ifndef MR_IMAGE_IMAGES_FILTER_H
#define MR_IMAGE_IMAGES_FILTER_H

#include <jansson.h>
#include <stdbool.h>

#include "minirun/image/image.h"

#define IMAGES_FILTER_MAX 16

struct images_filter {
	int dangling;                        /* -1: not given; 0 or 1 */
	const char *refs[IMAGES_FILTER_MAX]; /* reference= patterns */
	size_t nrefs;
	const char *labels[IMAGES_FILTER_MAX]; /* "K" or "K=V" */
	size_t nlabels;
	const char *before, *since;        /* image names, as given */
	long long before_when, since_when; /* their created times, once resolved */
};

/* images_filter_add - one --filter ARG into F. 0; -2 when ARG has no `=` (WHY: docker's
 * flag error); -1 for an unknown key or a bad value (WHY: its daemon's words) */
int images_filter_add(struct images_filter *f, const char *arg, char *why, size_t whylen);

/* images_filter_resolve - look up before= and since= in ST; -1 with "No such image" */
int images_filter_resolve(const struct store *st, struct images_filter *f, struct mr_err *err);

/* images_filter_match - does a row pass? NAME: its familiar "repo:tag" (or "repo@digest"),
 * NULL for an image with no name; CONFIG: the image config; WHEN: its created time */
bool images_filter_match(const struct images_filter *f, const char *name, json_t *config,
			 long long when);

#endif
