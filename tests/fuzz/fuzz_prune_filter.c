/*
 * tests/fuzz/fuzz_prune_filter.c - fuzz the prune filters' parser (lib/prune_filter.c):
 * the --filter values of container, network, image, volume and system prune.
 *
 * The input is one --filter value as a user types it: "until=24h", "until=2026-12-06T10:00:00Z",
 * "label=env=test", "label!=keep". mr_prune_filter_add accepts it or refuses it.
 *
 * Oracles:
 *  - a refusal says why (a non-empty message), and -2 only for a value with no '=';
 *  - an accepted label=SPEC matches an object holding exactly that label, and label!=SPEC
 *    does not; no label filter matches an object the filter's key is missing from;
 *  - an accepted until= keeps an object made now (created >= the cut) unless the cut lies
 *    in the future, and an object of unknown age is always kept by it.
 *
 * Seeds: tests/fuzz/seeds/prune_filter/. See: lib/prune_filter.h; tests/fuzz/README.md.
 */
#include "lib/prune_filter.h"
#include "tests/fuzz/fuzz.h"

#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct mr_prune_filter f = {0};
	char why[256] = "";
	int r = mr_prune_filter_add(&f, s, why, sizeof(why));
	if (r < 0) {
		if (!why[0])
			fuzz_oracle("'%s' refused without a message", s);
		if ((r == -2) != (strchr(s, '=') == NULL))
			fuzz_oracle("'%s' refused with %d", s, r);
		fuzz_refused(why);
		free(s);
		return 0;
	}
	if (f.nlabels == 1 && strlen(f.labels[0]) < 500) { /* the key fits the buffers */
		const char *spec = f.labels[0], *eq = strchr(spec, '=');
		char key[512];
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - spec) : (int)strlen(spec), spec);
		json_t *have = json_pack("{s:s}", key, eq ? eq + 1 : "");
		if (have && mr_prune_filter_match(&f, -1, have) == f.negate[0])
			fuzz_oracle("'%s' does not tell an object labelled %s=%s right", s, key,
				    eq ? eq + 1 : "");
		json_decref(have);
		json_t *none = json_object();
		if (mr_prune_filter_match(&f, -1, none) != f.negate[0])
			fuzz_oracle("'%s' matches an object without the label", s);
		json_decref(none);
	}
	if (f.until) {
		long long now = (long long)time(NULL);
		if (!mr_prune_filter_match(&f, -1, NULL))
			fuzz_oracle("'%s' prunes an object of unknown age", s);
		if (f.until <= now && mr_prune_filter_match(&f, now, NULL))
			fuzz_oracle("'%s' prunes an object made now (cut %lld)", s, f.until);
	}
	free(s);
	return 0;
}
