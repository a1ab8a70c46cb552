/*
 * lib/prune_filter.c - docker's prune filters: until= (a duration back from now, or a time)
 * and label= / label!=. See prune_filter.h.
 */
#include "lib/prune_filter.h"
#include "lib/cli.h"
#include "lib/duration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long long mr_prune_rfc3339(const char *s)
{
	struct tm tm = {0};
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p) {
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%Y-%m-%d", &tm);
		if (!p || *p)
			return -1;
		return (long long)timegm(&tm);
	}
	if (*p == '.') /* fractions of a second: dropped */
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	long long off = 0;
	if (*p == '+' || *p == '-') {
		int h, m;
		if (sscanf(p + 1, "%2d:%2d", &h, &m) != 2 || strlen(p) != 6)
			return -1;
		off = (h * 3600LL + m * 60LL) * (*p == '-' ? -1 : 1);
	} else if (*p == 'Z' && !p[1])
		off = 0;
	else if (*p)
		return -1;
	return (long long)timegm(&tm) - off;
}

/* docker's until: a Go duration back from now, a time, or seconds since the epoch */
static int parse_until(const char *v, long long *out)
{
	long long ns, t;
	char why[128], *end;
	if (mr_parse_duration(v, &ns, why, sizeof(why)) == 0) {
		*out = (long long)time(NULL) - ns / 1000000000LL;
		return 0;
	}
	if ((t = mr_prune_rfc3339(v)) >= 0) {
		*out = t;
		return 0;
	}
	t = strtoll(v, &end, 10);
	if (*v && (*end == 0 || *end == '.') && t >= 0) {
		*out = t;
		return 0;
	}
	return -1;
}

int mr_prune_filter_add(struct mr_prune_filter *f, const char *arg, char *why, size_t whylen)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		snprintf(why, whylen, "bad format of filter (expected name=value)");
		return -2;
	}
	size_t klen = (size_t)(eq - arg);
	bool neg = klen > 0 && arg[klen - 1] == '!';
	size_t key = neg ? klen - 1 : klen;
	if (key == 5 && !strncmp(arg, "until", 5) && !neg) {
		if (parse_until(eq + 1, &f->until) < 0) {
			snprintf(why, whylen, "failed to parse value as time or duration: \"%s\"",
				 eq + 1);
			return -1;
		}
		return 0;
	}
	if (key == 5 && !strncmp(arg, "label", 5)) {
		if (f->nlabels == MR_PRUNE_FILTER_MAX) {
			snprintf(why, whylen, "at most %d label filters", MR_PRUNE_FILTER_MAX);
			return -1;
		}
		f->negate[f->nlabels] = neg;
		f->labels[f->nlabels++] = eq + 1;
		return 0;
	}
	snprintf(why, whylen, "Invalid filter '%.*s'", (int)key, arg);
	return -1;
}

int mr_prune_filter_flag(struct mr_prune_filter *f, const char *arg, const char *verb)
{
	char why[256];
	int r = mr_prune_filter_add(f, arg, why, sizeof(why));
	if (r == -2) {
		fprintf(stderr,
			"minirun: invalid argument \"%s\" for \"--filter\" flag: %s\nSee 'minirun %s "
			"--help'.\n",
			arg, why, verb);
		return 125; /* docker's CLI refuses it: a usage error */
	}
	if (r < 0) {
		fprintf(stderr, "minirun: %s\n", why);
		return 1; /* docker's daemon refuses it */
	}
	return 0;
}

int mr_prune_args(int argc, char **argv, const char *verb, const char *what,
		  struct mr_prune_filter *f, bool *force)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
					     {"filter", required_argument, NULL, 'F'},
					     {NULL, 0, NULL, 0}};
	char help[640];
	snprintf(help, sizeof(help),
		 "Usage:  minirun %s [OPTIONS]\n\n%s\n\nOptions:\n"
		 "      --filter filter   Provide filter values (e.g. \"until=<timestamp>\",\n"
		 "                        \"label=K[=V]\", \"label!=K[=V]\")\n"
		 "  -f, --force           Do not prompt for confirmation\n",
		 verb, what);
	int ch, rc = 0;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, verb, "f", opts, help, &rc)) != -1)
		switch (ch) {
		case MR_OPT_DONE: return rc;
		case 'f': *force = true; break;
		case 'F':
			if ((rc = mr_prune_filter_flag(f, optarg, verb)) != 0)
				return rc;
			break;
		}
	return -1;
}

/* has LABELS the label SPEC ("K" or "K=V")? */
static bool has_label(json_t *labels, const char *spec)
{
	const char *eq = strchr(spec, '=');
	if (!eq)
		return json_object_get(labels, spec) != NULL;
	char key[512];
	snprintf(key, sizeof(key), "%.*s", (int)(eq - spec), spec);
	const char *have = json_string_value(json_object_get(labels, key));
	return have && !strcmp(have, eq + 1);
}

bool mr_prune_filter_match(const struct mr_prune_filter *f, long long created, json_t *labels)
{
	if (f->until && created >= 0 && created >= f->until)
		return false;
	for (size_t i = 0; i < f->nlabels; i++)
		if (has_label(labels, f->labels[i]) == f->negate[i])
			return false;
	return true;
}
