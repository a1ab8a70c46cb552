/*
 * minirun/oci/spec_process.c - config.json's "process": args, env, cwd, user, terminal,
 * capabilities, rlimits, noNewPrivileges, oomScoreAdj, LSM labels.
 *
 * A file of its own because `exec --process FILE` reads a process object alone. Names
 * become numbers through tables (rlimit names, libcap's capability names); a name neither
 * knows is refused, with where it is.
 *
 * See: runtime-spec config.md "Process"; getrlimit(2); capabilities(7), cap_from_name(3).
 */
#include "minirun/oci/spec_impl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <unistd.h>

/* ---- process --------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int resource;
} rlimit_table[] = {
	{"RLIMIT_AS", RLIMIT_AS},
	{"RLIMIT_CORE", RLIMIT_CORE},
	{"RLIMIT_CPU", RLIMIT_CPU},
	{"RLIMIT_DATA", RLIMIT_DATA},
	{"RLIMIT_FSIZE", RLIMIT_FSIZE},
	{"RLIMIT_LOCKS", RLIMIT_LOCKS},
	{"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
	{"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
	{"RLIMIT_NICE", RLIMIT_NICE},
	{"RLIMIT_NOFILE", RLIMIT_NOFILE},
	{"RLIMIT_NPROC", RLIMIT_NPROC},
	{"RLIMIT_RSS", RLIMIT_RSS},
	{"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
	{"RLIMIT_RTTIME", RLIMIT_RTTIME},
	{"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
	{"RLIMIT_STACK", RLIMIT_STACK},
};

int spec_cap_from_name(const char *name)
{
	cap_value_t v;
	if (strncasecmp(name, "CAP_", 4) != 0 || cap_from_name(name, &v) != 0)
		return -1;
	return v;
}

static int parse_caps(struct pctx *c, json_t *o, struct spec_process *p)
{
	json_t *caps;
	if (get_obj(c, o, "process", "capabilities", &caps) < 0)
		return -1;
	if (!caps)
		return 0;
	p->has_caps = true;
	for (int s = 0; s < SPEC_NCAPSETS; s++) {
		char path[64];
		char **names = NULL;
		snprintf(path, sizeof(path), "process.capabilities");
		if (get_strv(c, caps, path, spec_capset_names[s], &names) < 0)
			return -1;
		for (size_t i = 0; names && names[i]; i++) {
			int cap = spec_cap_from_name(names[i]);
			if (cap < 0) {
				char q[128];
				snprintf(q, sizeof(q), "process.capabilities.%s[%zu]",
					 spec_capset_names[s], i);
				const char *name =
					names[i]; /* points into the JSON: outlives names */
				free(names);
				return bad(c, q, "names an unknown capability '%s'", name);
			}
			/* a capability this kernel does not have is skipped, as runc does */
			if (cap <= CAP_LAST_CAP && cap < 64 && cap < (int)cap_max_bits())
				p->caps[s] |= 1ULL << cap;
		}
		free(names);
	}
	return 0;
}

static int parse_rlimits(struct pctx *c, json_t *o, struct spec_process *p)
{
	json_t *a, *v;
	size_t i;
	if (get_arr(c, o, "process", "rlimits", &a) < 0)
		return -1;
	json_array_foreach(a, i, v)
	{
		char path[64];
		const char *type = NULL;
		long long soft = 0, hard = 0;
		size_t k;
		snprintf(path, sizeof(path), "process.rlimits[%zu]", i);
		if (!json_is_object(v))
			return bad(c, path, "must be an object");
		/* -1 is unlimited (RLIM_INFINITY): the spec's 2^64-1 is beyond what jansson
		 * reads as an integer (signed 64 bits), so minirun's own configs say -1 */
		if (get_str(c, v, path, "type", true, &type) < 0 ||
		    get_int(c, v, path, "soft", -1, LLONG_MAX, &soft, NULL) < 0 ||
		    get_int(c, v, path, "hard", -1, LLONG_MAX, &hard, NULL) < 0)
			return -1;
		rlim_t rs = soft == -1 ? RLIM_INFINITY : (rlim_t)soft;
		rlim_t rh = hard == -1 ? RLIM_INFINITY : (rlim_t)hard;
		for (k = 0; k < sizeof(rlimit_table) / sizeof(rlimit_table[0]); k++)
			if (strcmp(rlimit_table[k].name, type) == 0)
				break;
		if (k == sizeof(rlimit_table) / sizeof(rlimit_table[0]))
			return bad(c, path, "names an unknown rlimit type '%s'", type);
		if (p->nrlimits == SPEC_MAX_RLIM)
			return bad(c, path, "is one rlimit too many");
		if (rs > rh)
			return bad(c, path, "has soft %lld above hard %lld", soft, hard);
		p->rlimits[p->nrlimits++] = (struct spec_rlimit){rlimit_table[k].resource,
								 rlimit_table[k].name, rs, rh};
	}
	return 0;
}

static int parse_user(struct pctx *c, json_t *o, struct spec_process *p)
{
	json_t *u, *a, *v;
	long long x = 0;
	bool has;
	size_t i;
	if (get_obj(c, o, "process", "user", &u) < 0)
		return -1;
	if (!u)
		return 0;
	if (get_int(c, u, "process.user", "uid", 0, UINT32_MAX - 1, &x, NULL) < 0)
		return -1;
	p->uid = (uid_t)x;
	x = 0;
	if (get_int(c, u, "process.user", "gid", 0, UINT32_MAX - 1, &x, NULL) < 0)
		return -1;
	p->gid = (gid_t)x;
	if (get_int(c, u, "process.user", "umask", 0, 0777, &x, &has) < 0)
		return -1;
	p->umask = has ? (int)x : -1;
	if (get_arr(c, u, "process.user", "additionalGids", &a) < 0)
		return -1;
	if (!a)
		return 0;
	p->gids = calloc(json_array_size(a) + 1, sizeof(gid_t));
	if (!p->gids)
		return mr_fail(c->err, ENOMEM, "additionalGids");
	json_array_foreach(a, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) >= UINT32_MAX) {
			char q[64];
			snprintf(q, sizeof(q), "process.user.additionalGids[%zu]", i);
			return bad(c, q, "must be a group id (an integer)");
		}
		p->gids[p->ngids++] = (gid_t)json_integer_value(v);
	}
	return 0;
}

int spec_parse_process(json_t *o, const char *text, const char *name, struct spec_process *p,
		       struct mr_err *err)
{
	struct pctx c = {text, name, err};
	json_t *cs;
	long long x;
	bool has;

	memset(p, 0, sizeof(*p));
	p->umask = -1;
	if (!json_is_object(o))
		return bad(&c, "process", "must be an object");
	if (get_bool(&c, o, "process", "terminal", &p->terminal) < 0 ||
	    get_obj(&c, o, "process", "consoleSize", &cs) < 0)
		return -1;
	if (cs) {
		x = 0;
		if (get_int(&c, cs, "process.consoleSize", "height", 0, 65535, &x, NULL) < 0)
			return -1;
		p->rows = (unsigned short)x;
		x = 0;
		if (get_int(&c, cs, "process.consoleSize", "width", 0, 65535, &x, NULL) < 0)
			return -1;
		p->cols = (unsigned short)x;
	}
	if (get_strv(&c, o, "process", "args", &p->args) < 0)
		return -1;
	if (!p->args || !p->args[0])
		return bad(&c, json_object_get(o, "args") ? "process.args" : "process", "%s",
			   json_object_get(o, "args") ? "must be a non-empty array of strings"
						      : "needs \"args\" (the command to run)");
	if (get_strv(&c, o, "process", "env", &p->env) < 0 ||
	    get_str(&c, o, "process", "cwd", true, &p->cwd) < 0)
		return -1;
	if (p->cwd[0] != '/')
		return bad(&c, "process.cwd", "must be an absolute path, not '%s'", p->cwd);
	if (parse_user(&c, o, p) < 0 || parse_caps(&c, o, p) < 0 || parse_rlimits(&c, o, p) < 0 ||
	    get_bool(&c, o, "process", "noNewPrivileges", &p->no_new_privs) < 0 ||
	    get_int(&c, o, "process", "oomScoreAdj", -1000, 1000, &x, &has) < 0 ||
	    get_str(&c, o, "process", "apparmorProfile", false, &p->apparmor) < 0 ||
	    get_str(&c, o, "process", "selinuxLabel", false, &p->selinux) < 0)
		return -1;
	p->has_oom_score_adj = has;
	p->oom_score_adj = has ? (int)x : 0;
	return 0;
}

void spec_process_free(struct spec_process *p)
{
	free(p->args);
	free(p->env);
	free(p->gids);
	p->args = p->env = NULL;
	p->gids = NULL;
}
