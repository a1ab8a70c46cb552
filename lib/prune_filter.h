/*
 * lib/prune_filter.h - the --filter of docker's prune verbs (container, network, image,
 * volume, system prune): `until=` and `label=` / `label!=`, parsed once, matched per object.
 *
 *	--filter until=24h                      created more than 24 hours ago (a Go duration)
 *	--filter until=2026-12-06T10:00:00Z     created before that time (RFC 3339, or a date, or
 *	                                        seconds since the epoch)
 *	--filter label=env  label=env=test      has the label (with that value)
 *	--filter label!=keep  label!=env=prod   has not
 *
 * Several filters must all hold (docker ANDs different keys; two label= both hold too).
 *
 * See: https://docs.docker.com/reference/cli/docker/container/prune/#filter
 */
#ifndef MR_PRUNE_FILTER_H
#define MR_PRUNE_FILTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define MR_PRUNE_FILTER_MAX 16

struct mr_prune_filter {
	long long until; /* seconds since the epoch; an object made at or after it stays; 0: none */
	const char *labels[MR_PRUNE_FILTER_MAX]; /* "K" or "K=V", as given */
	bool negate[MR_PRUNE_FILTER_MAX];        /* label!= */
	size_t nlabels;
};

/*
 * mr_prune_filter_add - add the --filter value ARG (until=..., label=..., label!=...) to F.
 * -2 with docker's words in WHY when ARG is no KEY=VALUE ("bad format of filter (expected
 * name=value)": docker's CLI refuses it), -1 on a key or value its daemon refuses ("Invalid
 * filter 'x'", "failed to parse value as time or duration: \"x\"").
 */
int mr_prune_filter_add(struct mr_prune_filter *f, const char *arg, char *why, size_t whylen);
/* mr_prune_filter_flag - the same for the --filter of `minirun VERB`, refused on stderr in
 * docker's words: 0, or the status to exit with (125 for -2, 1 for -1) */
int mr_prune_filter_flag(struct mr_prune_filter *f, const char *arg, const char *verb);
/* mr_prune_args - a prune verb's flags, as docker's: -f/--force into *FORCE, each --filter
 * into F, --help (its usage names VERB and says WHAT it removes). -1: go on (optind at the
 * first operand); else the exit status to return (0 after --help) */
int mr_prune_args(int argc, char **argv, const char *verb, const char *what,
		  struct mr_prune_filter *f, bool *force);
/* mr_prune_filter_match - does an object CREATED (seconds since the epoch; <0: unknown,
 * which `until` keeps) with LABELS (a JSON object of strings, or NULL) pass every filter? */
bool mr_prune_filter_match(const struct mr_prune_filter *f, long long created, json_t *labels);
/* mr_prune_rfc3339 - seconds since the epoch of an RFC 3339 time ("2026-12-06T10:00:00.5Z",
 * "+01:00" offsets), -1 if it is not one */
long long mr_prune_rfc3339(const char *s);

#endif
