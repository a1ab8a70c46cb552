/*
 * minirun/bundle/env.c - a process environment ("K=V" strings, a JSON array) with an
 * index of its keys, so that N variables are set in O(N).
 *
 * A container's environment is built twice: at `create`, the image's Env merged with
 * --env-file and -e (record.c), and at each start, docker's PATH/HOSTNAME/TERM/HOME around
 * the record's Env (config.c). Both replace an entry of the same key in place, or append.
 * Looking the key up by walking the array made each merge O(N^2): 100,000 variables from
 * an --env-file took over a minute (issue 13, finding 7). Here the keys live in a hash
 * table (a JSON object: key -> position in the array), and bench/env.sh shows the cost per
 * variable staying flat.
 *
 * See: docker's ReplaceOrAppendEnvValues (container/env.go); environ(7).
 */
#include "minirun/bundle/bundle.h"

#include <string.h>

/* the length of the key of "K=V" (the whole string when it has no '=') */
static size_t key_len(const char *kv)
{
	return strcspn(kv, "=");
}

void container_env_init(struct container_env *e, json_t *list)
{
	size_t i;
	json_t *v;
	e->list = list;
	e->index = json_object();
	json_array_foreach(list, i, v)
	{
		const char *kv = json_string_value(v);
		/* the first entry of a key is the one a later one replaces, as before */
		if (kv && !json_object_getn(e->index, kv, key_len(kv)))
			json_object_setn_new_nocheck(e->index, kv, key_len(kv),
						     json_integer((json_int_t)i));
	}
}

void container_env_done(struct container_env *e)
{
	json_decref(e->index);
	e->index = NULL;
}

void container_env_set(struct container_env *e, const char *kv, bool replace)
{
	size_t klen = key_len(kv);
	json_t *at = json_object_getn(e->index, kv, klen);
	if (at) {
		if (replace)
			json_array_set_new(e->list, (size_t)json_integer_value(at),
					   json_string(kv));
		return;
	}
	json_object_setn_new_nocheck(e->index, kv, klen,
				     json_integer((json_int_t)json_array_size(e->list)));
	json_array_append_new(e->list, json_string(kv));
}

bool container_env_has(const struct container_env *e, const char *key)
{
	return json_object_getn(e->index, key, key_len(key)) != NULL;
}
