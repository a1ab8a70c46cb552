/*
 * minirun/compose/project.c - a compose project: which files, which variables, which name,
 * which services; the steps 1, 2 and 5 of compose.h, around load.c's and merge.c's 3 and 4.
 *
 *	files      -f FILE..., else $COMPOSE_FILE (':'-separated), else the first of
 *	           compose.yaml compose.yml docker-compose.yaml docker-compose.yml found in
 *	           the working directory or a parent, with its override twin beside it
 *	variables  the shell's environment wins over --env-file FILE... (later files over
 *	           earlier ones), which replace the project directory's .env
 *	name       -p, else $COMPOSE_PROJECT_NAME, else `name:`, else the project
 *	           directory's name, normalized (lower case, [a-z0-9_-], no leading - or _)
 *	profiles   --profile..., else $COMPOSE_PROFILES (comma-separated); a service with
 *	           profiles is kept only when one of them is active (or "*" is); services
 *	           named on the command line keep only them and what they depend on,
 *	           whatever their profiles
 *
 * Then what docker compose adds before it shows a model: env_file read into environment
 * (environment wins), a bare environment KEY given the variable's value, the `default`
 * network for services that name none, real names for networks and volumes
 * (PROJECT_KEY), and the references checked: an undefined network, volume or dependency,
 * and a cycle of depends_on, are errors.
 *
 * See: https://docs.docker.com/compose/how-tos/project-name/,
 *      https://docs.docker.com/compose/how-tos/environment-variables/envvars-precedence/,
 *      https://docs.docker.com/compose/how-tos/profiles/
 */
#include "minirun/compose/parse.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/file.h"

extern char **environ;

static const char *const default_files[] = {"compose.yaml", "compose.yml", "docker-compose.yaml",
					    "docker-compose.yml"};
static const char *const override_files[] = {"compose.override.yaml", "compose.override.yml",
					     "docker-compose.override.yaml",
					     "docker-compose.override.yml"};

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int compose_find_file(const char *dir, char *out, size_t outsz, struct mr_err *err)
{
	char d[PATH_MAX];
	snprintf(d, sizeof(d), "%s", dir);
	for (;;) {
		for (size_t i = 0; i < 4; i++) {
			snprintf(out, outsz, "%s/%s", strcmp(d, "/") ? d : "", default_files[i]);
			if (exists(out))
				return 0;
		}
		char *slash = strrchr(d, '/');
		if (!slash || !strcmp(d, "/"))
			break;
		if (slash == d)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	return mr_fail(err, ENOENT,
		       "no configuration file provided: not found (looked for compose.yaml, "
		       "compose.yml, docker-compose.yaml, docker-compose.yml in %s and its "
		       "parents; name one with -f)",
		       dir);
}

void compose_normalize_name(const char *in, char *out)
{
	char *o = out;
	for (const char *p = in; *p; p++) {
		char c = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
			if (o > out || (c != '_' && c != '-'))
				*o++ = c;
	}
	*o = '\0';
}

int compose_check_name(const char *name, const char *from, struct mr_err *err)
{
	char norm[256];
	if (strlen(name) >= sizeof(norm))
		return mr_fail(err, 0, "project name from %s is too long", from);
	compose_normalize_name(name, norm);
	if (!*name || strcmp(norm, name))
		return mr_fail(err, 0,
			       "invalid project name \"%s\" (from %s): it must contain only "
			       "lowercase letters, digits, dashes and underscores, and start with "
			       "a letter or digit",
			       name, from);
	return 0;
}

struct compose_service *compose_service_find(const struct compose_project *p, const char *name)
{
	for (size_t i = 0; i < p->nservices; i++)
		if (!strcmp(p->services[i].name, name))
			return &p->services[i];
	return NULL;
}

static const char *env_lookup(const char *name, void *data)
{
	const struct compose_kv *kv = compose_kv_find(data, name);
	return kv ? kv->value : NULL;
}

/* TEXT of FILE appended to ENV (the dotenv rules); a missing file is ENOENT */
static int read_env_file(struct compose_arena *a, const char *file, compose_lookup_fn lookup,
			 void *data, struct compose_kvs *env, struct mr_err *err)
{
	char *text = NULL;
	size_t len;
	if (mr_read_file(file, &text, &len, err) < 0)
		return -1;
	int rc = compose_dotenv_parse(a, text, file, lookup, data, env, err);
	free(text);
	return rc;
}

static char *dirname_of(struct compose_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return compose_strdup(a, ".");
	return slash == path ? compose_strdup(a, "/")
			     : compose_strndup(a, path, (size_t)(slash - path));
}

static char *absolute(struct compose_arena *a, const char *cwd, const char *path)
{
	return path[0] == '/' ? compose_strdup(a, path) : compose_printf(a, "%s/%s", cwd, path);
}

static void add_file(struct compose_project *p, char *file)
{
	*(char **)compose_push(&p->arena, &p->files.v, &p->files.n, sizeof(char *)) = file;
}

/* step 1: the files, absolute, in merge order */
static int find_files(struct compose_project *p, const struct compose_options *opt, const char *cwd,
		      struct mr_err *err)
{
	struct compose_arena *a = &p->arena;
	for (size_t i = 0; i < opt->nfiles; i++) /* "-": the standard input */
		add_file(p, strcmp(opt->files[i], "-") ? absolute(a, cwd, opt->files[i])
						       : compose_strdup(a, "-"));
	if (p->files.n)
		return 0;
	const struct compose_kv *cf = compose_kv_find(&p->env, "COMPOSE_FILE");
	if (cf && cf->value && *cf->value) {
		const struct compose_kv *sep = compose_kv_find(&p->env, "COMPOSE_PATH_SEPARATOR");
		char *list = compose_strdup(a, cf->value), *save = NULL;
		for (char *f = strtok_r(list, sep && sep->value ? sep->value : ":", &save); f;
		     f = strtok_r(NULL, sep && sep->value ? sep->value : ":", &save))
			add_file(p,
				 absolute(a, opt->project_directory ? opt->project_directory : cwd,
					  f));
		return 0;
	}
	char found[PATH_MAX];
	if (compose_find_file(opt->project_directory ? opt->project_directory : cwd, found,
			      sizeof(found), err) < 0)
		return -1;
	add_file(p, compose_strdup(a, found));
	char *dir = dirname_of(a, found);
	for (size_t i = 0; i < 4; i++) {
		char *o = compose_printf(a, "%s/%s", dir, override_files[i]);
		if (exists(o)) {
			add_file(p, o);
			break;
		}
	}
	return 0;
}

/* step 2: the shell's variables, then (with FILES) the env files under them */
static int load_env(struct compose_project *p, const struct compose_options *opt, const char *cwd,
		    int with_files, struct mr_err *err)
{
	struct compose_arena *a = &p->arena;
	struct compose_kvs shell = {0}, files = {0};
	for (char *const *e = opt->environ ? opt->environ : environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		if (eq)
			compose_kv_set(a, &shell, compose_strndup(a, *e, (size_t)(eq - *e)),
				       eq + 1);
	}
	if (with_files && opt->nenv_files) {
		for (size_t i = 0; i < opt->nenv_files; i++) {
			char *f = absolute(a, cwd, opt->env_files[i]);
			mr_say("variables from %s (--env-file)", f);
			if (read_env_file(a, f, env_lookup, &shell, &files, err) < 0)
				return -1;
		}
	} else if (with_files) {
		char *f = compose_printf(a, "%s/.env", p->workdir);
		if (exists(f))
			mr_say("variables from %s (the project's .env)", f);
		if (exists(f) && read_env_file(a, f, env_lookup, &shell, &files, err) < 0)
			return -1;
	}
	p->env = files;
	for (size_t i = 0; i < shell.n; i++) /* the shell wins */
		compose_kv_set(a, &p->env, shell.v[i].key, shell.v[i].value);
	return 0;
}

/* ---- step 5 ------------------------------------------------------------------------------ */

static int strv_has(const struct compose_strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return 1;
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* the services' order in a model: by name, as docker compose prints them */
static int cmp_service(const void *x, const void *y)
{
	return strcmp(((const struct compose_service *)x)->name,
		      ((const struct compose_service *)y)->name);
}
static int cmp_network(const void *x, const void *y)
{
	return strcmp(((const struct compose_network *)x)->key,
		      ((const struct compose_network *)y)->key);
}
static int cmp_volume(const void *x, const void *y)
{
	return strcmp(((const struct compose_volume *)x)->key,
		      ((const struct compose_volume *)y)->key);
}

/* mark S and what it depends on as named (a named service starts whatever its profile) */
static void enable(struct compose_file *f, struct compose_service *s, unsigned char *on)
{
	size_t i = (size_t)(s - f->services);
	if (on[i])
		return;
	on[i] = 1;
	for (size_t d = 0; d < s->depends_on.n; d++)
		for (size_t k = 0; k < f->nservices; k++)
			if (!strcmp(f->services[k].name, s->depends_on.v[d].service))
				enable(f, &f->services[k], on);
}

static int apply_profiles(struct compose_project *p, struct compose_file *f,
			  const struct compose_options *opt, struct mr_err *err)
{
	struct compose_arena *a = &p->arena;
	for (size_t i = 0; i < opt->nprofiles; i++)
		*(char **)compose_push(a, &p->profiles.v, &p->profiles.n, sizeof(char *)) =
			compose_strdup(a, opt->profiles[i]);
	const struct compose_kv *cp = compose_kv_find(&p->env, "COMPOSE_PROFILES");
	if (!opt->nprofiles && cp && cp->value) {
		char *list = compose_strdup(a, cp->value), *save = NULL;
		for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save))
			*(char **)compose_push(a, &p->profiles.v, &p->profiles.n, sizeof(char *)) =
				s;
	}
	unsigned char *on = compose_alloc(a, f->nservices + 1);
	for (size_t i = 0; i < opt->nservices; i++) {
		size_t k = 0;
		while (k < f->nservices && strcmp(f->services[k].name, opt->services[i]))
			k++;
		if (k == f->nservices)
			return mr_fail(err, 0, "no such service: %s", opt->services[i]);
		enable(f, &f->services[k], on);
	}
	for (size_t i = 0; i < f->nservices; i++) {
		struct compose_service *s = &f->services[i];
		for (size_t k = 0; k < s->profiles.n; k++)
			if (!strv_has(&p->all_profiles, s->profiles.v[k]))
				*(char **)compose_push(a, &p->all_profiles.v, &p->all_profiles.n,
						       sizeof(char *)) = s->profiles.v[k];
		if (opt->nservices) /* named services: those and their dependencies only */
			continue;
		if (!s->profiles.n || strv_has(&p->profiles, "*"))
			on[i] = 1;
		for (size_t k = 0; k < s->profiles.n; k++)
			if (strv_has(&p->profiles, s->profiles.v[k]))
				on[i] = 1;
	}
	if (p->all_profiles.n) /* may be NULL: qsort of NULL is undefined even for 0 */
		qsort(p->all_profiles.v, p->all_profiles.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < f->nservices; i++)
		if (on[i])
			*(struct compose_service *)compose_push(a, &p->services, &p->nservices,
								sizeof(*p->services)) =
				f->services[i];
	/* a dependency its profile leaves out is refused, as docker compose does */
	for (size_t i = 0; i < f->nservices; i++) {
		const struct compose_service *s = &f->services[i];
		for (size_t d = 0; on[i] && d < s->depends_on.n; d++)
			for (size_t k = 0; k < f->nservices; k++)
				if (!on[k] && s->depends_on.v[d].required &&
				    !strcmp(f->services[k].name, s->depends_on.v[d].service))
					return mr_fail(err, 0,
						       "service \"%s\" is required by \"%s\" but "
						       "is disabled; enable it with --profile %s",
						       f->services[k].name, s->name,
						       f->services[k].profiles.v[0]);
	}
	return 0;
}

static int fail_svc(const struct compose_service *s, struct mr_err *err, const char *fmt,
		    const char *what)
{
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, what);
	return mr_fail(err, 0, "%s:%d: service \"%s\" %s", s->file, s->line, s->name, msg);
}

/* a cycle of depends_on from S: 0, or -1 naming it */
static int check_cycle(const struct compose_project *p, const struct compose_service *s,
		       unsigned char *state, struct mr_err *err)
{
	size_t i = (size_t)(s - p->services);
	if (state[i] == 2)
		return 0;
	if (state[i] == 1)
		return mr_fail(err, 0,
			       "dependency cycle detected: service \"%s\" depends on "
			       "itself through depends_on",
			       s->name);
	state[i] = 1;
	for (size_t d = 0; d < s->depends_on.n; d++) {
		const struct compose_service *dep =
			compose_service_find(p, s->depends_on.v[d].service);
		if (dep && check_cycle(p, dep, state, err) < 0)
			return -1;
	}
	state[i] = 2;
	return 0;
}

static int finish_service(struct compose_project *p, struct compose_service *s, struct mr_err *err)
{
	struct compose_arena *a = &p->arena;
	/* env_file under environment */
	struct compose_kvs env = {0};
	for (size_t i = 0; i < s->env_file.n; i++) {
		const char *f = s->env_file.v[i].path;
		if (!s->env_file.v[i].required && !exists(f))
			continue;
		if (read_env_file(a, f, env_lookup, &p->env, &env, err) < 0) {
			mr_prefix(err, "%s:%d: services.%s.env_file: ", s->file, s->line, s->name);
			return -1;
		}
	}
	for (size_t i = 0; i < s->environment.n; i++) {
		struct compose_kv *kv = &s->environment.v[i];
		const char *v = kv->value ? kv->value : env_lookup(kv->key, &p->env);
		compose_kv_set(a, &env, kv->key, v);
	}
	if (s->env_file.n || s->environment.n)
		s->set |= SVC_BIT(SVC_ENVIRONMENT);
	s->environment = env;
	s->env_file = (struct compose_env_files){0};
	s->set &= ~SVC_BIT(SVC_ENV_FILE);

	if (!s->networks.n && !s->network_mode) {
		struct compose_svc_net *n =
			compose_push(a, &s->networks.v, &s->networks.n, sizeof(*n));
		n->name = "default";
	}
	for (size_t i = 0; i < s->networks.n; i++) {
		const char *name = s->networks.v[i].name;
		size_t k = 0;
		while (k < p->nnetworks && strcmp(p->networks[k].key, name))
			k++;
		if (k == p->nnetworks && strcmp(name, "default"))
			return fail_svc(s, err, "refers to undefined network %s", name);
		if (k == p->nnetworks)
			((struct compose_network *)compose_push(a, &p->networks, &p->nnetworks,
								sizeof(*p->networks)))
				->key = "default";
	}
	for (size_t i = 0; i < s->volumes.n; i++) {
		const struct compose_mount *m = &s->volumes.v[i];
		if (m->type != COMPOSE_MOUNT_VOLUME || !m->source)
			continue;
		size_t k = 0;
		while (k < p->nvolumes && strcmp(p->volumes[k].key, m->source))
			k++;
		if (k == p->nvolumes)
			return fail_svc(s, err, "refers to undefined volume %s", m->source);
	}
	/* volumes_from a service (service:NAME, or the older bare NAME; container:NAME is no
	 * service): it must exist, and is a dependency (created first, as compose does) */
	for (size_t i = 0; i < s->volumes_from.n; i++) {
		const char *v = s->volumes_from.v[i];
		if (!strncmp(v, "container:", 10))
			continue;
		v += strncmp(v, "service:", 8) ? 0 : 8;
		char *name = compose_printf(a, "%.*s", (int)strcspn(v, ":"), v);
		if (!compose_service_find(p, name))
			return fail_svc(s, err, "has volumes_from an undefined service: %s", name);
		size_t d = 0;
		while (d < s->depends_on.n && strcmp(s->depends_on.v[d].service, name))
			d++;
		if (d == s->depends_on.n)
			*(struct compose_dep *)compose_push(a, &s->depends_on.v, &s->depends_on.n,
							    sizeof(struct compose_dep)) =
				(struct compose_dep){.service = name,
						     .condition = COMPOSE_STARTED,
						     .required = 1};
	}
	for (size_t i = 0; i < s->depends_on.n; i++) {
		const struct compose_dep *d = &s->depends_on.v[i];
		if (!compose_service_find(p, d->service) && d->required)
			return fail_svc(s, err, "depends on undefined service \"%s\"", d->service);
	}
	if (!s->image && !(s->set & SVC_BIT(SVC_BUILD)))
		return fail_svc(s, err, "has neither an image nor a build context %s",
				"specified; give it one");
	return 0;
}

static int finish(struct compose_project *p, struct mr_err *err)
{
	struct compose_arena *a = &p->arena;
	for (size_t i = 0; i < p->nservices; i++)
		if (finish_service(p, &p->services[i], err) < 0)
			return -1;
	unsigned char *state = compose_alloc(a, p->nservices + 1);
	for (size_t i = 0; i < p->nservices; i++)
		if (check_cycle(p, &p->services[i], state, err) < 0)
			return -1;
	for (size_t i = 0; i < p->nnetworks; i++) {
		struct compose_network *n = &p->networks[i];
		if (!n->name_set || !n->name)
			n->name =
				n->external ? n->key : compose_printf(a, "%s_%s", p->name, n->key);
	}
	for (size_t i = 0; i < p->nvolumes; i++) {
		struct compose_volume *v = &p->volumes[i];
		if (!v->name_set || !v->name)
			v->name =
				v->external ? v->key : compose_printf(a, "%s_%s", p->name, v->key);
	}
	/* an empty list may be NULL, and qsort of NULL is undefined even for 0 items */
	if (p->nservices)
		qsort(p->services, p->nservices, sizeof(*p->services), cmp_service);
	if (p->nnetworks)
		qsort(p->networks, p->nnetworks, sizeof(*p->networks), cmp_network);
	if (p->nvolumes)
		qsort(p->volumes, p->nvolumes, sizeof(*p->volumes), cmp_volume);
	return 0;
}

/* include: each file a project of its own (paths relative to it), added to F; a name
 * both define is a conflict, as docker compose makes it */
static int load_includes(struct compose_project *p, const struct compose_ctx *ctx,
			 struct compose_file *f, int depth, struct mr_err *err)
{
	struct compose_strv inc = f->include;
	f->include = (struct compose_strv){0};
	for (size_t i = 0; i < inc.n; i++) {
		if (depth > 8)
			return mr_fail(err, 0, "include: too deep (a cycle?) at %s", inc.v[i]);
		struct compose_ctx ictx = *ctx;
		ictx.file = inc.v[i];
		ictx.dir = dirname_of(&p->arena, inc.v[i]);
		struct compose_file in;
		if (compose_parse_file(&ictx, &in, err) < 0 ||
		    compose_resolve_extends(&ictx, &in, err) < 0 ||
		    load_includes(p, &ictx, &in, depth + 1, err) < 0)
			return -1;
		for (size_t k = 0; k < in.nservices; k++)
			for (size_t j = 0; j < f->nservices; j++)
				if (!strcmp(in.services[k].name, f->services[j].name))
					return mr_fail(err, 0,
						       "services.%s conflicts with imported "
						       "resource from %s",
						       in.services[k].name, inc.v[i]);
		in.name_set = 0;
		compose_merge_file(&p->arena, f, &in);
	}
	return 0;
}

/* a file of the project, or the standard input for "-" */
static int parse_one(struct compose_project *p, const struct compose_ctx *ctx,
		     struct compose_file *f, struct mr_err *err)
{
	if (strcmp(ctx->file, "-"))
		return compose_parse_file(ctx, f, err);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	while (mem && (n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		fwrite(buf, 1, n, mem);
	if (!mem || fclose(mem) != 0) {
		free(text);
		return mr_fail(err, errno, "read the compose file from the standard input");
	}
	char *copy = compose_strdup(&p->arena, text);
	free(text);
	return compose_parse_text(ctx, copy, f, err);
}

struct compose_project *compose_load(const struct compose_options *opt, struct mr_err *err)
{
	struct compose_project *p = calloc(1, sizeof(*p));
	if (!p) {
		mr_fail(err, ENOMEM, "load compose project");
		return NULL;
	}
	struct compose_arena *a = &p->arena;
	char cwdbuf[PATH_MAX];
	const char *cwd = opt->cwd;
	if (!cwd && !(cwd = getcwd(cwdbuf, sizeof(cwdbuf)))) {
		mr_fail(err, errno, "getcwd");
		goto fail;
	}
	/* the shell's COMPOSE_FILE may name the files; .env is read once they are known */
	if (load_env(p, opt, cwd, 0, err) < 0 || find_files(p, opt, cwd, err) < 0)
		goto fail;
	p->workdir = opt->project_directory        ? absolute(a, cwd, opt->project_directory)
		     : !strcmp(p->files.v[0], "-") ? compose_strdup(a, cwd)
						   : dirname_of(a, p->files.v[0]);
	if (load_env(p, opt, cwd, 1, err) < 0)
		goto fail;
	struct compose_file merged = {0};
	for (size_t i = 0; i < p->files.n; i++) {
		struct compose_ctx ctx = {a,          p->files.v[i], p->workdir,
					  env_lookup, &p->env,       &p->warnings};
		struct compose_file f;
		mr_say("%s %s", i ? "merge" : "read", p->files.v[i]);
		if (parse_one(p, &ctx, &f, err) < 0 || compose_resolve_extends(&ctx, &f, err) < 0 ||
		    load_includes(p, &ctx, &f, 0, err) < 0)
			goto fail;
		compose_merge_file(a, &merged, &f);
	}
	const struct compose_kv *envname = compose_kv_find(&p->env, "COMPOSE_PROJECT_NAME");
	if (opt->project_name) {
		if (compose_check_name(opt->project_name, "-p", err) < 0)
			goto fail;
		p->name = compose_strdup(a, opt->project_name);
	} else if (envname && envname->value && *envname->value) {
		if (compose_check_name(envname->value, "COMPOSE_PROJECT_NAME", err) < 0)
			goto fail;
		p->name = envname->value;
	} else if (merged.name) {
		if (compose_check_name(merged.name, "the top-level name:", err) < 0)
			goto fail;
		p->name = merged.name;
	} else {
		const char *base = strrchr(p->workdir, '/');
		base = base ? base + 1 : p->workdir;
		p->name = compose_alloc(a, strlen(base) + 1);
		compose_normalize_name(base, p->name);
		if (!*p->name) {
			mr_fail(err, 0,
				"the project directory's name \"%s\" gives no project name; "
				"give one with -p or name:",
				base);
			goto fail;
		}
	}
	mr_say("project %s in %s", p->name, p->workdir);
	p->networks = merged.networks;
	p->nnetworks = merged.nnetworks;
	p->volumes = merged.volumes;
	p->nvolumes = merged.nvolumes;
	if (apply_profiles(p, &merged, opt, err) < 0 || finish(p, err) < 0)
		goto fail;
	return p;
fail:
	compose_project_free(p);
	return NULL;
}

void compose_project_free(struct compose_project *p)
{
	if (!p)
		return;
	compose_arena_free(&p->arena);
	free(p);
}
