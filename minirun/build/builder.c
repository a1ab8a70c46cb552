/*
 * minirun/build/builder.c - `minirun build`: a Dockerfile's instructions, one after the
 * other, turning a base image into a new one.
 *
 * The image being built is a config (Env, Cmd, WorkingDir, ... and the history) and a
 * list of layers. Each instruction changes one or the other:
 *
 *   FROM                    the base: its config and layers are the start (from the store)
 *   ENV LABEL WORKDIR USER  the config only: a history entry marked "empty_layer", as
 *   CMD ENTRYPOINT SHELL    BuildKit marks them, and no layer
 *   EXPOSE VOLUME ARG ...
 *   RUN                     a container of the image so far runs the command; what it
 *                           changed is a new layer (steps.c)
 *   COPY ADD                files of the context, copied to their place: a new layer
 *
 * Before RUN and COPY do anything, their cache key is computed: the key of the step
 * before, plus what the step does, as it will do it (RUN: the command, the Env, WorkingDir
 * and User it runs with, the build args it sees; COPY: the destination, the flags and the
 * copied tree without mtimes). A key the cache (ROOT/build/cache/KEY) knows, whose layer
 * is still in the store, is reused ("CACHED"); the first miss does the work, and every
 * key after it is new too, since each includes the one before.
 *
 * The progress is BuildKit's plain output on stderr: "#N [2/5] RUN ...", the command's
 * output under it ("#N 0.131 hello"), then "#N DONE 0.4s" or "#N CACHED".
 *
 * Written so far: one stage (the last FROM's image must be in the store), and the
 * instructions above; not yet: multi-stage builds, COPY --from, ADD's URLs and archives,
 * RUN --mount, heredoc bodies, pulling the base.
 *
 * See: https://docs.docker.com/reference/dockerfile/ ,
 *      https://docs.docker.com/build/cache/invalidation/ ; build.h, steps.c
 */
#include "minirun/build/build.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/sha256.h"
#include "minirun/build/buf.h"
#include "minirun/build/builder.h"
#include "minirun/build/dockerfile.h"
#include "minirun/build/shlex.h"
#include "minirun/containers/containers.h"

struct builder {
	const struct build_opts *o;
	struct store st;
	struct dockerfile df;
	struct dockerignore di;
	struct bstate s;
	struct strv args; /* the stage's ARGs that have a value, "K=V" */
	struct strv used; /* --build-arg names some ARG declared */
	char key[IMAGE_DIGEST_LEN + 1];
	int step, nsteps, vertex;
	FILE *out; /* the progress (stderr), NULL with -q */
	struct mr_err *err;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void say(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct builder *b, const char *fmt, ...)
{
	if (!b->out)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(b->out, fmt, ap);
	va_end(ap);
	fflush(b->out);
}

/* ---- the environment instructions see ---------------------------------------------------- */

/* the value --build-arg gives NAME, or NULL ("--build-arg K" takes K from our environment) */
static const char *build_arg(struct builder *b, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < b->o->nbuild_args; i++) {
		const char *a = b->o->build_args[i];
		if (strncmp(a, name, len) == 0 && (a[len] == '=' || a[len] == '\0'))
			return a[len] == '=' ? a + len + 1 : getenv(name);
	}
	return NULL;
}

/* the variables expansion sees: the ARGs, then the Env (an ENV wins over an ARG) */
static void expansion_env(struct builder *b, struct strv *env)
{
	for (size_t i = 0; i < b->args.n; i++)
		strv_push(env, strdup(b->args.v[i]));
	size_t i;
	json_t *e;
	json_t *list = json_object_get(json_object_get(b->s.config, "config"), "Env");
	json_array_foreach(list, i, e)
	{
		strv_push(env, strdup(json_string_value(e) ?: ""));
	}
}

/* expand WORD as the Dockerfile's variable substitution does, into a malloc'd string */
static char *expand(struct builder *b, const char *word)
{
	struct strv env = {0};
	expansion_env(b, &env);
	struct shlex_list l = {env.v, env.n};
	struct shlex_env se = SHLEX_ENV_LIST(&l);
	char *out = NULL;
	if (shlex_word(word, b->df.escape, 0, &se, &out, b->err) < 0)
		out = NULL;
	strv_free(&env);
	return out;
}

/* ---- the config ------------------------------------------------------------------------- */

static json_t *cfg(struct builder *b)
{
	json_t *c = json_object_get(b->s.config, "config");
	if (!json_is_object(c))
		json_object_set_new(b->s.config, "config", c = json_object());
	return c;
}

static void history(struct builder *b, const char *created_by, bool empty)
{
	char now[64];
	fmt_now(now, sizeof(now));
	json_t *h = json_object_get(b->s.config, "history");
	if (!json_is_array(h))
		json_object_set_new(b->s.config, "history", h = json_array());
	json_t *e = json_pack("{s:s, s:s, s:s}", "created", now, "created_by", created_by,
			      "comment", "buildkit.dockerfile.v0");
	if (empty)
		json_object_set_new(e, "empty_layer", json_true());
	json_array_append_new(h, e);
	b->s.image[0] = '\0'; /* the state is no longer the stored image */
}

/* set K=V in the config's Env (replacing K's old value, keeping its place) */
static void env_set(struct builder *b, const char *k, const char *v)
{
	json_t *env = json_object_get(cfg(b), "Env");
	if (!json_is_array(env))
		json_object_set_new(cfg(b), "Env", env = json_array());
	char *kv = NULL;
	if (asprintf(&kv, "%s=%s", k, v) < 0)
		return;
	size_t i, len = strlen(k);
	json_t *e;
	json_array_foreach(env, i, e)
	{
		const char *s = json_string_value(e) ?: "";
		if (strncmp(s, k, len) == 0 && s[len] == '=') {
			json_array_set_new(env, i, json_string(kv));
			free(kv);
			return;
		}
	}
	json_array_append_new(env, json_string(kv));
	free(kv);
}

/* the command of CMD/ENTRYPOINT/RUN: the exec form as is, the shell form as SHELL + it */
static json_t *command(struct builder *b, const struct df_instr *in)
{
	json_t *a = json_array();
	if (in->json) {
		for (size_t i = 0; i < in->nargs; i++)
			json_array_append_new(a, json_string(in->args[i]));
		return a;
	}
	json_t *shell = json_object_get(cfg(b), "Shell");
	if (json_is_array(shell) && json_array_size(shell))
		json_array_extend(a, shell);
	else
		json_array_extend(a, shell = json_pack("[s,s]", "/bin/sh", "-c")),
			json_decref(shell);
	json_array_append_new(a, json_string(in->nargs ? in->args[0] : ""));
	return a;
}

/* ["a" "b"]: how BuildKit's history writes a command (Go's %q of a list) */
static void go_list(struct sb *out, json_t *a)
{
	size_t i;
	json_t *v;
	sb_putc(out, '[');
	json_array_foreach(a, i, v)
	{
		char *q = df_go_quote(json_string_value(v) ?: "");
		if (i)
			sb_putc(out, ' ');
		sb_puts(out, q ? q : "\"\"");
		free(q);
	}
	sb_putc(out, ']');
}

/* ---- flags ------------------------------------------------------------------------------- */

/* the value of --NAME in IN's flags ("" for a bare --NAME), NULL when absent */
static const char *flag(const struct df_instr *in, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < in->nflags; i++) {
		const char *f = in->flags[i] + 2;
		if (strncmp(f, name, len) == 0 && (f[len] == '=' || f[len] == '\0'))
			return f[len] == '=' ? f + len + 1 : "";
	}
	return NULL;
}

/* refuse a flag the instruction does not have, in docker's words */
static int check_flags(struct builder *b, const struct df_instr *in)
{
	static const struct {
		enum df_kind kind;
		const char *flags;
	} allowed[] = {
		{DF_FROM, " platform "},
		{DF_RUN, " mount network security "},
		{DF_COPY, " from chown chmod link parents exclude "},
		{DF_ADD, " chown chmod link checksum keep-git-dir exclude "},
		{DF_HEALTHCHECK, " interval timeout start-period start-interval retries "},
	};
	for (size_t i = 0; i < in->nflags; i++) {
		char name[64];
		snprintf(name, sizeof(name), " %.*s ", (int)strcspn(in->flags[i] + 2, "="),
			 in->flags[i] + 2);
		bool ok = false;
		for (size_t k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
			ok |= allowed[k].kind == in->kind && strstr(allowed[k].flags, name);
		if (!ok)
			return mr_fail(b->err, 0, "unknown flag: %.*s", (int)strlen(name) - 2,
				       name + 1);
	}
	return 0;
}

/* ---- the cache ---------------------------------------------------------------------------- */

/* the next key: sha256 of the key before and WHAT this step does */
static void next_key(struct builder *b, const char *what)
{
	struct sb in = {0};
	uint8_t d[32];
	sb_puts(&in, b->key);
	sb_putc(&in, '\n');
	sb_puts(&in, what);
	mr_sha256(sb_str(&in), in.len, d);
	sb_free(&in);
	strcpy(b->key, "sha256:");
	for (int i = 0; i < 32; i++)
		sprintf(b->key + 7 + 2 * i, "%02x", d[i]);
}

static int cache_path(struct builder *b, char *buf, size_t len)
{
	return snprintf(buf, len, "%s/build/cache/%s.json", b->st.root, b->key + 7) < (int)len ? 0
											       : -1;
}

/* a layer the cache has for the current key, still in the store: 1 (in *layer), else 0 */
static int cache_get(struct builder *b, json_t **layer, const char **diffid)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	if (b->o->no_cache)
		return 0;
	if (cache_path(b, path, sizeof(path)) < 0 || mr_read_file(path, &text, NULL, NULL) < 0)
		return 0;
	json_t *e = json_loads(text, 0, NULL);
	json_t *desc = json_object_get(e, "layer");
	const char *digest = json_string_value(json_object_get(desc, "digest"));
	*diffid = json_string_value(json_object_get(e, "diff_id"));
	if (!digest || !*diffid || !store_has_blob(&b->st, digest)) {
		json_decref(e);
		return 0;
	}
	*layer = e;
	return 1;
}

static void cache_put(struct builder *b, json_t *desc, const char *diffid)
{
	char path[PATH_MAX], dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/build/cache", b->st.root) >= (int)sizeof(dir) ||
	    cache_path(b, path, sizeof(path)) < 0)
		return;
	json_t *e = json_pack("{s:O, s:s}", "layer", desc, "diff_id", diffid);
	_cleanup_free_ char *text = json_dumps(e, JSON_COMPACT);
	json_decref(e);
	if (text && mr_mkdir_p(dir, 0700, NULL) == 0)
		mr_write_file_atomic(path, text, strlen(text), 0600, NULL);
}

/* add the layer (descriptor DESC, DIFFID) to the image, with its history entry */
static void add_layer(struct builder *b, json_t *desc, const char *diffid, const char *by)
{
	json_array_append(b->s.layers, desc);
	json_t *rootfs = json_object_get(b->s.config, "rootfs");
	if (!json_is_object(rootfs))
		json_object_set_new(b->s.config, "rootfs",
				    rootfs =
					    json_pack("{s:s, s:[]}", "type", "layers", "diff_ids"));
	json_array_append_new(json_object_get(rootfs, "diff_ids"), json_string(diffid));
	history(b, by, false);
}

static json_t *layer_desc(const struct layer_digests *ld)
{
	return json_pack("{s:s, s:s, s:I}", "mediaType", layer_media_type("none"), "digest",
			 ld->digest, "size", (json_int_t)ld->size);
}

/* a cache hit for the current key: take its layer, say CACHED; 1 if hit */
static int try_cache(struct builder *b, const char *by)
{
	json_t *e = NULL;
	const char *diffid = NULL;
	if (!cache_get(b, &e, &diffid))
		return 0;
	add_layer(b, json_object_get(e, "layer"), diffid, by);
	json_decref(e);
	say(b, "#%d CACHED\n\n", b->vertex);
	return 1;
}

/* ---- RUN ---------------------------------------------------------------------------------- */

/*
 * with_prefix - run FN with our stdout and stderr going through a child that prints each
 * line as BuildKit does under its step: "#N 0.131 the line" (nothing with -q).
 */
static int with_prefix(struct builder *b, int (*fn)(struct builder *, void *), void *arg)
{
	int p[2];
	fflush(stdout);
	fflush(stderr);
	if (pipe2(p, O_CLOEXEC) < 0)
		return mr_fail(b->err, errno, "pipe");
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return mr_fail(b->err, errno, "fork");
	}
	if (pid == 0) {
		close(p[1]);
		FILE *in = fdopen(p[0], "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		while (in && (n = getline(&line, &cap, in)) > 0) {
			if (line[n - 1] == '\n')
				line[n - 1] = '\0';
			if (b->out)
				fprintf(b->out, "#%d %.3f %s\n", b->vertex, now_s() - t0, line);
		}
		_exit(0);
	}
	close(p[0]);
	int saved1 = dup(1), saved2 = dup(2);
	dup2(p[1], 1);
	dup2(p[1], 2);
	close(p[1]);
	int rc = fn(b, arg);
	fflush(stdout);
	fflush(stderr);
	dup2(saved1, 1);
	dup2(saved2, 2);
	close(saved1);
	close(saved2);
	waitpid(pid, NULL, 0);
	return rc;
}

struct run_arg {
	char **argv, **env;
	int code;
	struct layer_digests ld;
};

static int run_fn(struct builder *b, void *arg)
{
	struct run_arg *r = arg;
	return step_run(&b->st, &b->s, r->argv, r->env, b->o->network ?: "none", &r->code, &r->ld,
			b->err);
}

static int do_run(struct builder *b, const struct df_instr *in)
{
	if (flag(in, "mount") || flag(in, "security") || flag(in, "network"))
		return mr_fail(b->err, 0,
			       "RUN --mount, --network and --security are not written "
			       "yet");
	json_t *cmd = command(b, in);
	struct strv argv = {0}, env = {0};
	struct sb what = {0}, by = {0};
	size_t i;
	json_t *v;
	int rc = -1;
	json_array_foreach(cmd, i, v)
	{
		strv_push(&argv, strdup(json_string_value(v)));
	}
	for (i = 0; i < b->args.n; i++)
		strv_push(&env, strdup(b->args.v[i]));
	/* the history and the progress show the command as BuildKit does */
	sb_puts(&by, "RUN ");
	if (b->args.n) {
		char n[32];
		snprintf(n, sizeof(n), "|%zu ", b->args.n);
		sb_puts(&by, n);
		for (i = 0; i < b->args.n; i++) {
			sb_puts(&by, b->args.v[i]);
			sb_putc(&by, ' ');
		}
	}
	for (i = 0; i < argv.n; i++) {
		sb_puts(&by, i ? " " : "");
		sb_puts(&by, argv.v[i]);
	}
	sb_puts(&by, " # buildkit");
	/* the key: the command, and what it runs with */
	json_t *seen = json_pack(
		"{s:O?, s:O?, s:O?, s:O, s:s}", "Env", json_object_get(cfg(b), "Env"), "WorkingDir",
		json_object_get(cfg(b), "WorkingDir"), "User", json_object_get(cfg(b), "User"),
		"Cmd", cmd, "Network", b->o->network ?: "none");
	char *seen_text = json_dumps(seen, JSON_COMPACT | JSON_SORT_KEYS);
	sb_puts(&what, "RUN ");
	sb_puts(&what, seen_text ? seen_text : "");
	for (i = 0; i < b->args.n; i++) {
		sb_putc(&what, '\n');
		sb_puts(&what, b->args.v[i]);
	}
	free(seen_text);
	json_decref(seen);
	next_key(b, sb_str(&what));
	say(b, "#%d [%d/%d] %s\n", ++b->vertex, ++b->step, b->nsteps, in->original);
	double t0 = now_s();
	if (try_cache(b, sb_str(&by))) {
		rc = 0;
		goto out;
	}
	if (argv.oom || env.oom || step_store_state(&b->st, &b->s, b->err) < 0)
		goto out;
	struct run_arg r = {.argv = argv.v, .env = env.v ? env.v : (char *[]){NULL}};
	rc = with_prefix(b, run_fn, &r);
	if (rc == 0 && r.code != 0) {
		struct sb shown = {0};
		for (i = 0; i < argv.n; i++) {
			sb_puts(&shown, i ? " " : "");
			sb_puts(&shown, argv.v[i]);
		}
		rc = mr_fail(b->err, 0,
			     "process \"%s\" did not complete successfully: exit code: %d",
			     sb_str(&shown), r.code);
		sb_free(&shown);
		say(b, "#%d ERROR: %s\n", b->vertex, b->err->msg);
	}
	if (rc == 0) {
		json_t *desc = layer_desc(&r.ld);
		cache_put(b, desc, r.ld.diffid);
		add_layer(b, desc, r.ld.diffid, sb_str(&by));
		json_decref(desc);
		say(b, "#%d DONE %.1fs\n\n", b->vertex, now_s() - t0);
	}
out:
	json_decref(cmd);
	strv_free(&argv);
	strv_free(&env);
	sb_free(&what);
	sb_free(&by);
	return rc;
}

/* ---- COPY, ADD ----------------------------------------------------------------------------- */

/* --chown=USER[:GROUP]: numbers, or names in the image's /etc/passwd and /etc/group */
static int resolve_chown(struct builder *b, const char *spec, char *const *lowers, long *uid,
			 long *gid)
{
	*uid = *gid = 0;
	if (!spec)
		return 0;
	char *exp = expand(b, spec);
	if (!exp)
		return -1;
	struct container_user u;
	int rc = -1;
	for (char *const *l = lowers; l && *l; l++) {
		char p[PATH_MAX];
		snprintf(p, sizeof(p), "%s/etc/passwd", *l);
		if (access(p, F_OK) == 0 || !l[1]) {
			rc = container_resolve_user(*l, exp, &u, b->err);
			break;
		}
	}
	if (rc == 0) {
		*uid = u.uid;
		*gid = u.gid;
		if (!strchr(exp, ':')) /* USER alone: docker's COPY gives its own gid, too */
			*gid = u.gid;
	}
	free(exp);
	return rc;
}

static int do_copy(struct builder *b, const struct df_instr *in)
{
	const char *verb = in->kind == DF_ADD ? "ADD" : "COPY";
	if (flag(in, "from") || flag(in, "parents") || flag(in, "exclude"))
		return mr_fail(b->err, 0, "%s --from, --parents and --exclude are not written yet",
			       verb);
	if (in->nheredocs)
		return mr_fail(b->err, 0, "%s with a heredoc is not written yet", verb);
	if (in->nargs < 2)
		return mr_fail(b->err, 0, "%s requires at least two arguments", verb);
	struct copy_req req = {.context = b->o->context, .ignore = &b->di, .chmod = -1};
	struct strv srcs = {0};
	char dest[PATH_MAX], layer[PATH_MAX], key[IMAGE_DIGEST_LEN + 1];
	struct layer_digests ld;
	int rc = -1;
	for (size_t i = 0; i + 1 < in->nargs; i++) {
		char *s = expand(b, in->args[i]);
		if (!s)
			goto out;
		if (in->kind == DF_ADD && strstr(s, "://")) {
			free(s);
			mr_fail(b->err, 0, "ADD of a URL is not written yet");
			goto out;
		}
		ignore_clean_path(s);
		if (s[0] == '/') /* sources are relative to the context, / or not */
			memmove(s, s + 1, strlen(s));
		if (!*s)
			strcpy(s, ".");
		strv_push(&srcs, s);
	}
	char *d = expand(b, in->args[in->nargs - 1]);
	if (!d)
		goto out;
	size_t dl = strlen(d);
	req.dest_is_dir = dl && d[dl - 1] == '/';
	const char *wd = json_string_value(json_object_get(cfg(b), "WorkingDir"));
	snprintf(dest, sizeof(dest), "%s%s%s", d[0] == '/' ? "" : (wd && *wd ? wd : "/"),
		 d[0] == '/' || (wd && wd[strlen(wd) - 1] == '/') ? "" : "/", d);
	free(d);
	ignore_clean_path(dest);
	if (!strcmp(dest, "/"))
		dest[0] = '\0', req.dest_is_dir = true; /* the staging dir's root */
	req.srcs = srcs.v;
	req.nsrcs = srcs.n;
	req.dest = dest;
	const char *chmod = flag(in, "chmod");
	if (chmod) {
		char *end;
		req.chmod = strtol(chmod, &end, 8);
		if (!*chmod || *end || req.chmod < 0 || req.chmod > 07777) {
			mr_fail(b->err, 0, "invalid chmod parameter: %s", chmod);
			goto out;
		}
	}
	if (step_store_state(&b->st, &b->s, b->err) < 0 ||
	    image_lowerdirs(&b->st, b->s.image, &req.lowers, NULL, b->err) < 0)
		goto out;
	if (resolve_chown(b, flag(in, "chown"), req.lowers, &req.uid, &req.gid) < 0)
		goto out;
	say(b, "#%d [%d/%d] %s\n", ++b->vertex, ++b->step, b->nsteps, in->original);
	double t0 = now_s();
	if (step_copy(&b->st, &req, layer, sizeof(layer), &ld, key, b->err) < 0)
		goto out;
	struct sb what = {0}, by = {0};
	sb_puts(&by, verb);
	for (size_t i = 0; i < in->nflags; i++) {
		sb_putc(&by, ' ');
		sb_puts(&by, in->flags[i]);
	}
	for (size_t i = 0; i < in->nargs; i++) {
		sb_putc(&by, ' ');
		sb_puts(&by, in->args[i]);
	}
	sb_puts(&by, " # buildkit");
	sb_puts(&what, sb_str(&by));
	sb_putc(&what, '\n');
	sb_puts(&what, key);
	next_key(b, sb_str(&what));
	if (try_cache(b, sb_str(&by))) {
		unlink(layer);
		rc = 0;
	} else if (step_put_layer(&b->st, layer, &ld, b->err) == 0) {
		unlink(layer);
		json_t *desc = layer_desc(&ld);
		cache_put(b, desc, ld.diffid);
		add_layer(b, desc, ld.diffid, sb_str(&by));
		json_decref(desc);
		say(b, "#%d DONE %.1fs\n\n", b->vertex, now_s() - t0);
		rc = 0;
	} else {
		unlink(layer);
	}
	sb_free(&what);
	sb_free(&by);
out:
	if (req.lowers)
		image_lowerdirs_free(req.lowers);
	strv_free(&srcs);
	return rc;
}

/* ---- the metadata instructions --------------------------------------------------------------- */

/* a Go duration ("1m30s", "500ms") in nanoseconds, -1 if it is not one */
static long long duration(const char *s)
{
	static const struct {
		const char *unit;
		long long ns;
	} units[] = {{"ns", 1},           {"us", 1000},         {"ms", 1000000},
		     {"s", 1000000000LL}, {"m", 60000000000LL}, {"h", 3600000000000LL}};
	long long total = 0;
	if (!*s)
		return -1;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s)
			return -1;
		size_t k, n = 0;
		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
			n = strlen(units[k].unit);
			if (!strncmp(end, units[k].unit, n) &&
			    !(n == 1 && units[k].unit[0] == 'm' && end[1] == 's'))
				break;
		}
		if (k == sizeof(units) / sizeof(units[0]))
			return -1;
		total += (long long)(v * units[k].ns);
		s = end + n;
	}
	return total;
}

static int do_healthcheck(struct builder *b, const struct df_instr *in)
{
	if (!in->nargs)
		return mr_fail(b->err, 0, "HEALTHCHECK requires an argument");
	json_t *hc = json_object();
	if (!strcasecmp(in->args[0], "NONE")) {
		json_object_set_new(hc, "Test", json_pack("[s]", "NONE"));
	} else if (!strcasecmp(in->args[0], "CMD")) {
		json_t *t = json_array();
		json_array_append_new(t, json_string(in->json ? "CMD" : "CMD-SHELL"));
		for (size_t i = 1; i < in->nargs; i++)
			json_array_append_new(t, json_string(in->args[i]));
		json_object_set_new(hc, "Test", t);
		static const char *const keys[][2] = {{"interval", "Interval"},
						      {"timeout", "Timeout"},
						      {"start-period", "StartPeriod"},
						      {"start-interval", "StartInterval"}};
		for (size_t k = 0; k < 4; k++) {
			const char *v = flag(in, keys[k][0]);
			if (!v)
				continue;
			long long ns = duration(v);
			if (ns < 0) {
				json_decref(hc);
				return mr_fail(b->err, 0, "time: invalid duration \"%s\"", v);
			}
			json_object_set_new(hc, keys[k][1], json_integer(ns));
		}
		const char *r = flag(in, "retries");
		if (r)
			json_object_set_new(hc, "Retries", json_integer(atoi(r)));
	} else {
		json_decref(hc);
		return mr_fail(b->err, 0, "Unknown type \"%s\" in HEALTHCHECK (try CMD)",
			       in->args[0]);
	}
	json_object_set_new(cfg(b), "Healthcheck", hc);
	return 0;
}

/* ARG NAME[=DEFAULT]...: the value a --build-arg gives, else the default */
static int do_arg(struct builder *b, const struct df_instr *in, struct strv *into)
{
	for (size_t i = 0; i < in->nargs; i++) {
		char *name = strdup(in->args[i]), *eq = name ? strchr(name, '=') : NULL;
		char *def = NULL;
		if (!name)
			return mr_fail(b->err, ENOMEM, "ARG");
		if (eq) {
			*eq = '\0';
			def = expand(b, eq + 1);
			if (!def) {
				free(name);
				return -1;
			}
		}
		const char *v = build_arg(b, name);
		if (v)
			strv_push(&b->used, strdup(name));
		if (v || def) {
			char *kv = NULL;
			if (asprintf(&kv, "%s=%s", name, v ? v : def) >= 0)
				strv_push(into, kv);
		}
		free(def);
		free(name);
	}
	return 0;
}

/* the instructions that change the config only */
static int do_meta(struct builder *b, const struct df_instr *in)
{
	struct sb by = {0};
	json_t *c = cfg(b);
	int rc = 0;
	sb_puts(&by, df_kind_name(in->kind));
	switch (in->kind) {
	case DF_ENV:
	case DF_LABEL:
		for (size_t i = 0; i + 3 <= in->nargs; i += 3) { /* key, value, separator */
			char *k = expand(b, in->args[i]),
			     *v = k ? expand(b, in->args[i + 1]) : NULL;
			if (!k || !v) {
				free(k);
				rc = -1;
				break;
			}
			if (in->kind == DF_ENV) {
				env_set(b, k, v);
			} else {
				json_t *l = json_object_get(c, "Labels");
				if (!json_is_object(l))
					json_object_set_new(c, "Labels", l = json_object());
				json_object_set_new(l, k, json_string(v));
			}
			sb_putc(&by, ' ');
			sb_puts(&by, k);
			sb_putc(&by, '=');
			sb_puts(&by, v);
			free(k);
			free(v);
		}
		break;
	case DF_WORKDIR: {
		char *d = in->nargs ? expand(b, in->args[0]) : NULL;
		if (!d) {
			rc = in->nargs
				     ? -1
				     : mr_fail(b->err, 0, "WORKDIR requires exactly one argument");
			break;
		}
		char path[PATH_MAX];
		const char *wd = json_string_value(json_object_get(c, "WorkingDir"));
		snprintf(path, sizeof(path), "%s/%s", d[0] == '/' ? "" : (wd && *wd ? wd : ""), d);
		ignore_clean_path(path);
		json_object_set_new(c, "WorkingDir", json_string(path));
		sb_putc(&by, ' ');
		sb_puts(&by, path);
		free(d);
		break;
	}
	case DF_USER:
	case DF_STOPSIGNAL: {
		char *v = in->nargs ? expand(b, in->args[0]) : NULL;
		if (!v) {
			rc = in->nargs ? -1
				       : mr_fail(b->err, 0, "%s requires exactly one argument",
						 df_kind_name(in->kind));
			break;
		}
		json_object_set_new(c, in->kind == DF_USER ? "User" : "StopSignal", json_string(v));
		sb_putc(&by, ' ');
		sb_puts(&by, v);
		free(v);
		break;
	}
	case DF_CMD:
	case DF_ENTRYPOINT: {
		json_t *cmd = command(b, in);
		sb_putc(&by, ' ');
		go_list(&by, cmd);
		json_object_set_new(c, in->kind == DF_CMD ? "Cmd" : "Entrypoint", cmd);
		if (in->kind == DF_ENTRYPOINT) /* a new ENTRYPOINT resets the image's CMD */
			json_object_del(c, "Cmd");
		break;
	}
	case DF_SHELL:
		if (!in->json)
			return mr_fail(b->err, 0,
				       "SHELL requires the arguments to be in JSON form");
		json_object_set_new(c, "Shell", command(b, in));
		sb_putc(&by, ' ');
		go_list(&by, json_object_get(c, "Shell"));
		break;
	case DF_EXPOSE:
	case DF_VOLUME:
		for (size_t i = 0; i < in->nargs; i++) {
			char *v = expand(b, in->args[i]);
			if (!v) {
				rc = -1;
				break;
			}
			const char *key = in->kind == DF_EXPOSE ? "ExposedPorts" : "Volumes";
			json_t *m = json_object_get(c, key);
			if (!json_is_object(m))
				json_object_set_new(c, key, m = json_object());
			char port[300];
			snprintf(port, sizeof(port), "%s%s", v,
				 in->kind == DF_EXPOSE && !strchr(v, '/') ? "/tcp" : "");
			json_object_set_new(m, port, json_object());
			sb_putc(&by, ' ');
			sb_puts(&by, port);
			free(v);
		}
		break;
	case DF_HEALTHCHECK:
		rc = do_healthcheck(b, in);
		sb_putc(&by, ' ');
		sb_puts(&by, in->original + strlen(in->keyword) + 1);
		break;
	case DF_ONBUILD: {
		json_t *ob = json_object_get(c, "OnBuild");
		if (!json_is_array(ob))
			json_object_set_new(c, "OnBuild", ob = json_array());
		const char *rest = in->original + strlen(in->keyword);
		rest += strspn(rest, " \t");
		json_array_append_new(ob, json_string(rest));
		sb_putc(&by, ' ');
		sb_puts(&by, rest);
		break;
	}
	case DF_MAINTAINER:
		json_object_set_new(b->s.config, "author",
				    json_string(in->nargs ? in->args[0] : ""));
		sb_putc(&by, ' ');
		sb_puts(&by, in->nargs ? in->args[0] : "");
		break;
	case DF_ARG:
		rc = do_arg(b, in, &b->args);
		for (size_t i = 0; rc == 0 && i < in->nargs; i++) {
			sb_putc(&by, ' ');
			sb_puts(&by, in->args[i]);
		}
		break;
	default: rc = mr_fail(b->err, 0, "unknown instruction: %s", in->keyword);
	}
	if (rc == 0)
		history(b, sb_str(&by), true);
	sb_free(&by);
	return rc;
}

/* ---- the whole build ------------------------------------------------------------------------ */

/* FROM IMAGE [AS NAME]: the base's config and layers are the start */
static int do_from(struct builder *b, const struct df_instr *in, struct strv *global)
{
	if (flag(in, "platform"))
		return mr_fail(b->err, 0, "FROM --platform is not written yet");
	if (in->nargs != 1 && !(in->nargs == 3 && !strcasecmp(in->args[1], "AS")))
		return mr_fail(b->err, 0, "FROM requires either one or three arguments");
	struct shlex_list l = {global->v, global->n};
	struct shlex_env se = SHLEX_ENV_LIST(&l);
	_cleanup_free_ char *name = NULL;
	if (shlex_word(in->args[0], b->df.escape, 0, &se, &name, b->err) < 0)
		return -1;
	struct image img;
	say(b, "#%d [%d/%d] FROM %s\n", ++b->vertex, ++b->step, b->nsteps, name);
	if (image_resolve(&b->st, name, &img, b->err) < 0) {
		if (b->err->errnum == ENOENT)
			mr_prefix(b->err, "FROM %s: ", name);
		return -1;
	}
	b->s.config = json_deep_copy(img.config);
	b->s.layers = json_deep_copy(json_object_get(img.manifest, "layers"));
	snprintf(b->s.image, sizeof(b->s.image), "%s", img.id);
	snprintf(b->key, sizeof(b->key), "%s", img.id);
	image_free(&img);
	if (!b->s.config || !b->s.layers)
		return mr_fail(b->err, ENOMEM, "FROM %s", name);
	json_object_del(b->s.config, "created");
	/* as BuildKit does: an image without a PATH gets the default one */
	json_t *env = json_object_get(cfg(b), "Env");
	size_t i;
	json_t *e;
	bool path = false;
	json_array_foreach(env, i, e)
	{
		path |= !strncmp(json_string_value(e) ?: "", "PATH=", 5);
	}
	if (!path)
		env_set(b, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	say(b, "#%d DONE 0.0s\n\n", b->vertex);
	return 0;
}

/* the last steps: the config and a manifest in the store, named by each -t */
static int export(struct builder *b, char id[IMAGE_DIGEST_LEN + 1])
{
	char now[64], manifest[IMAGE_DIGEST_LEN + 1], canon[600];
	double t0 = now_s();
	fmt_now(now, sizeof(now));
	json_object_set_new(b->s.config, "created", json_string(now));
	b->s.image[0] = '\0';
	say(b, "#%d exporting to image\n", ++b->vertex);
	_cleanup_free_ char *text = json_dumps(b->s.config, JSON_COMPACT);
	if (!text)
		return mr_fail(b->err, ENOMEM, "the image config");
	const char *first = NULL;
	struct image_ref ref;
	for (size_t i = 0; i < b->o->ntags; i++)
		if (ref_parse(b->o->tags[i], &ref, b->err) < 0)
			return -1;
	if (b->o->ntags) {
		ref_parse(b->o->tags[0], &ref, NULL);
		ref_canonical(&ref, canon, sizeof(canon));
		first = canon;
	}
	if (store_put_blob(&b->st, text, strlen(text), id, b->err) < 0 ||
	    image_create(&b->st, id, strlen(text), b->s.layers, first, manifest, NULL, b->err) < 0)
		return -1;
	say(b, "#%d writing image %s done\n", b->vertex, id);
	for (size_t i = 0; i < b->o->ntags; i++) {
		ref_parse(b->o->tags[i], &ref, NULL);
		ref_canonical(&ref, canon, sizeof(canon));
		if (i && image_add(&b->st, canon, manifest, NULL, NULL, b->err) < 0)
			return -1;
		say(b, "#%d naming to %s done\n", b->vertex, canon);
	}
	say(b, "#%d DONE %.1fs\n", b->vertex, now_s() - t0);
	return 0;
}

static int build(struct builder *b, char id[IMAGE_DIGEST_LEN + 1])
{
	struct strv global = {0};
	size_t froms = 0, first = b->df.n;
	for (size_t i = 0; i < b->df.n; i++)
		if (b->df.instrs[i].kind == DF_FROM && froms++ == 0)
			first = i;
	if (froms > 1)
		return mr_fail(b->err, 0, "multi-stage builds (%zu FROM lines) are not written yet",
			       froms);
	for (size_t i = first; i < b->df.n; i++) {
		enum df_kind k = b->df.instrs[i].kind;
		b->nsteps += k == DF_FROM || k == DF_RUN || k == DF_COPY || k == DF_ADD;
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < b->df.n; i++) {
		const struct df_instr *in = &b->df.instrs[i];
		if (i < first && in->kind != DF_ARG) {
			rc = mr_fail(b->err, 0, "no build stage in current context");
		} else if (check_flags(b, in) < 0) {
			rc = -1;
		} else if (i < first) { /* an ARG before FROM: for the FROM lines only */
			rc = do_arg(b, in, &global);
		} else if (in->kind == DF_FROM) {
			rc = do_from(b, in, &global);
		} else if (in->kind == DF_RUN) {
			rc = do_run(b, in);
		} else if (in->kind == DF_COPY || in->kind == DF_ADD) {
			rc = do_copy(b, in);
		} else if (in->kind == DF_ARG) {
			/* ARG NAME without a value takes the value given before FROM */
			for (size_t a = 0; a < in->nargs; a++) {
				struct shlex_list l = {global.v, global.n};
				const char *g = strchr(in->args[a], '=')
							? NULL
							: shlex_list_get(&l, in->args[a]);
				if (g && !build_arg(b, in->args[a])) {
					char *kv = NULL;
					if (asprintf(&kv, "%s=%s", in->args[a], g) >= 0)
						strv_push(&b->args, kv);
				}
			}
			rc = do_meta(b, in);
		} else {
			rc = do_meta(b, in);
		}
		if (rc < 0 && in->kind != DF_RUN)
			mr_prefix(b->err, "%s:%d: ", b->o->dockerfile, in->start_line);
	}
	strv_free(&global);
	if (rc == 0 && first == b->df.n)
		rc = mr_fail(b->err, 0, "%s: no FROM instruction", b->o->dockerfile);
	if (rc == 0)
		rc = export(b, id);
	return rc;
}

/*
 * drop_intermediates - the images RUN needed (a container is made from an image in the
 * store) leave the index: they are not images anyone asked for. Their layers stay, the
 * cache's and the final image's; a gc (image prune) takes those no image uses.
 */
static void drop_intermediates(struct builder *b)
{
	if (!json_array_size(b->s.made) || store_lock(&b->st, STORE_INDEX, NULL) < 0)
		return;
	json_t *idx = store_index_load(&b->st, NULL);
	json_t *ms = json_object_get(idx, "manifests");
	for (size_t i = json_array_size(ms); i-- > 0;) {
		json_t *e = json_array_get(ms, i), *ann = json_object_get(e, "annotations");
		const char *d = json_string_value(json_object_get(e, "digest"));
		if (json_object_get(ann, IMAGE_ANN_NAME) || !d)
			continue;
		size_t k;
		json_t *m;
		bool ours = false;
		json_array_foreach(b->s.made, k, m)
		{
			ours |= !strcmp(json_string_value(m), d);
		}
		if (ours)
			json_array_remove(ms, i);
	}
	if (idx)
		store_index_save(&b->st, idx, NULL);
	json_decref(idx);
	store_unlock(&b->st, STORE_INDEX);
}

int build_image(const struct build_opts *o, char id[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	struct builder b = {.o = o, .err = err, .out = o->quiet ? NULL : stderr};
	int rc = -1;
	say(&b, "#%d [internal] load build definition from %s\n", ++b.vertex, o->dockerfile);
	if (dockerfile_parse_file(o->dockerfile, &b.df, err) < 0)
		return -1;
	say(&b, "#%d DONE 0.0s\n\n", b.vertex);
	say(&b, "#%d [internal] load .dockerignore\n", ++b.vertex);
	if (dockerignore_load(o->context, &b.di, err) < 0)
		goto out_df;
	say(&b, "#%d DONE 0.0s\n\n", b.vertex);
	if (store_open(&b.st, image_root(), err) < 0)
		goto out_di;
	/* adding: no gc may take the blobs of a layer before an image names it */
	b.s.made = json_array();
	if (store_lock(&b.st, STORE_ADDING, err) == 0) {
		rc = build(&b, id);
		drop_intermediates(&b);
		store_unlock(&b.st, STORE_ADDING);
	}
	json_decref(b.s.made);
	for (size_t i = 0; rc == 0 && i < o->nbuild_args; i++) {
		size_t len = strcspn(o->build_args[i], "=");
		bool used = false;
		for (size_t k = 0; k < b.used.n; k++)
			used |= strlen(b.used.v[k]) == len &&
				!strncmp(b.used.v[k], o->build_args[i], len);
		if (!used)
			fprintf(stderr,
				"[Warning] One or more build-args [%.*s] were not consumed\n",
				(int)len, o->build_args[i]);
	}
	store_close(&b.st);
	json_decref(b.s.config);
	json_decref(b.s.layers);
	strv_free(&b.args);
	strv_free(&b.used);
out_di:
	dockerignore_free(&b.di);
out_df:
	dockerfile_free(&b.df);
	return rc;
}
