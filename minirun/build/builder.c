/*
 * minirun/build/builder.c - `minirun build`: a Dockerfile's instructions, one after the
 * other, turning a base image into a new one.
 *
 * The image being built is a config (Env, Cmd, WorkingDir, ... and the history) and a
 * list of layers. Each instruction changes one or the other:
 *
 *   FROM                    the base: its config and layers are the start (here)
 *   ENV LABEL WORKDIR USER  the config only: a history entry marked "empty_layer", as
 *   CMD ENTRYPOINT SHELL    BuildKit marks them, and no layer (config.c); but a WORKDIR
 *   EXPOSE VOLUME ARG ...   whose directory is missing makes it, in a layer (layers.c)
 *   RUN                     a container of the image so far runs the command; what it
 *                           changed is a new layer (layers.c, steps.c)
 *   COPY ADD                files of the context, copied to their place: a new layer
 *
 * RUN and COPY go through the cache first (layers.c): a step whose key - the key before
 * it and what it does - is known reuses its layer ("CACHED"). At the end the config and a
 * manifest are stored and named by each -t (export.c), and the images RUN needed leave the
 * index.
 *
 * ARG scoping, as documented: an ARG before the first FROM is seen by FROM lines only; in
 * the stage, `ARG NAME` without a value takes that earlier value; a --build-arg no ARG
 * declares is warned about.
 *
 * The progress is BuildKit's plain output on stderr: "#N [2/5] RUN ...", the command's
 * output under it ("#N 0.131 hello"), then "#N DONE 0.4s" or "#N CACHED". On a terminal
 * those lines go to a view process that redraws them as BuildKit's tty view (ttyview.h).
 *
 * Stages: each FROM starts one; the target (the last, or --target's) and the stages it
 * needs (FROM STAGE, COPY --from=STAGE) are built in the file's order, the others not at
 * all. A base image's ONBUILD triggers run right after its FROM. Heredocs: RUN's become
 * part of its shell script, COPY's are files (layers.c).
 * ADD unpacks local tars and downloads URLs (copy.c, fetch.c). A base the store lacks
 * is pulled before any stage is built (pull_base). Not written yet: RUN --mount.
 *
 * See: https://docs.docker.com/reference/dockerfile/ ; build.h, builder.h
 */
#include "minirun/build/build.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/sha256.h"
#include "minirun/build/buf.h"
#include "minirun/build/builder.h"
#include "minirun/build/dockerfile.h"
#include "minirun/build/shlex.h"
#include "minirun/build/ttyview.h"

double bld_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void bld_say(struct builder *b, const char *fmt, ...)
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
const char *bld_build_arg(struct builder *b, const char *name)
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
void bld_expansion_env(struct builder *b, struct strv *env)
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
char *bld_expand(struct builder *b, const char *word)
{
	struct strv env = {0};
	bld_expansion_env(b, &env);
	struct shlex_list l = {env.v, env.n};
	struct shlex_env se = SHLEX_ENV_LIST(&l);
	char *out = NULL;
	if (shlex_word(word, b->df.escape, 0, &se, &out, b->err) < 0)
		out = NULL;
	strv_free(&env);
	return out;
}

/* ---- the config ------------------------------------------------------------------------- */

json_t *bld_cfg(struct builder *b)
{
	json_t *c = json_object_get(b->s.config, "config");
	if (!json_is_object(c))
		json_object_set_new(b->s.config, "config", c = json_object());
	return c;
}

void bld_history(struct builder *b, const char *created_by, bool empty)
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

/* ---- flags ------------------------------------------------------------------------------- */

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

bool bld_proxy_arg(const char *name, size_t len)
{
	static const char *const proxies[] = {
		"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
		"ftp_proxy",  "NO_PROXY",   "no_proxy",    "ALL_PROXY",   "all_proxy"};
	for (size_t i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++)
		if (strlen(proxies[i]) == len && !strncmp(proxies[i], name, len))
			return true;
	return false;
}

/* ---- stages --------------------------------------------------------------------------------- */

/* the stage REF names among the first BEFORE stages: its AS name (any case) or its index */
static int find_stage(struct builder *b, const char *ref, size_t before)
{
	char *end;
	long n = strtol(ref, &end, 10);
	if (*ref && !*end)
		return n >= 0 && (size_t)n < before ? (int)n : -1;
	for (size_t i = 0; i < before; i++)
		if (b->stages[i].name[0] && !strcasecmp(b->stages[i].name, ref))
			return (int)i;
	return -1;
}

/* expand a FROM or --from reference with the ARGs before the first FROM */
static char *expand_global(struct builder *b, const char *word, struct strv *global)
{
	struct shlex_list l = {global->v, global->n};
	struct shlex_env se = SHLEX_ENV_LIST(&l);
	char *out = NULL;
	return shlex_word(word, b->df.escape, 0, &se, &out, b->err) < 0 ? NULL : out;
}

/* mark stage I and the stages it needs (FROM stage, COPY --from=stage) as needed */
static void mark_needed(struct builder *b, size_t i, struct strv *global)
{
	struct stage *st = &b->stages[i];
	if (st->needed)
		return;
	st->needed = true;
	for (size_t k = st->from; k < st->end; k++) {
		const struct df_instr *in = &b->df.instrs[k];
		const char *ref = in->kind == DF_FROM && in->nargs            ? in->args[0]
				  : in->kind == DF_COPY || in->kind == DF_ADD ? df_flag(in, "from")
									      : NULL;
		char *name = ref ? expand_global(b, ref, global) : NULL;
		int j = name ? find_stage(b, name, i) : -1;
		free(name);
		if (j >= 0)
			mark_needed(b, (size_t)j, global);
	}
}

int bld_from_lowers(struct builder *b, const char *ref, char ***lowers)
{
	_cleanup_free_ char *name = bld_expand(b, ref);
	if (!name)
		return -1;
	int j = find_stage(b, name, b->cur);
	if (j < 0) {
		if (image_lowerdirs(&b->st, name, lowers, NULL, b->err) < 0) {
			mr_prefix(b->err, "--from=%s: ", name);
			return -1;
		}
		return 0;
	}
	struct bstate *s = &b->stages[j].s;
	if (step_store_state(&b->st, s, b->err) < 0)
		return -1;
	return image_lowerdirs(&b->st, s->image, lowers, NULL, b->err);
}

/*
 * pull_bases - bld_pull_base for each image the stages up to TARGET that it needs name: FROM
 * IMAGE, and COPY --from=IMAGE written without variables (one with a stage's ARG in it is
 * only known when the stage runs: bld_from_lowers then finds it in the store or says so).
 */
static int pull_bases(struct builder *b, size_t target, struct strv *global)
{
	for (size_t i = 0; i <= target; i++) {
		const struct stage *st = &b->stages[i];
		for (size_t k = st->from; st->needed && k < st->end; k++) {
			const struct df_instr *in = &b->df.instrs[k];
			const char *ref = NULL;
			if (in->kind == DF_FROM && in->nargs)
				ref = in->args[0];
			else if (in->kind == DF_COPY || in->kind == DF_ADD)
				ref = df_flag(in, "from");
			if (!ref || (in->kind != DF_FROM && strchr(ref, '$')))
				continue;
			char *name = expand_global(b, ref, global);
			/* a stage's name or number is no image (a wrong one: bld_from_lowers says) */
			bool stage = name && (find_stage(b, name, i) >= 0 ||
					      name[strspn(name, "0123456789")] == '\0');
			int rc = !name   ? -1
				 : stage ? 0
					 : bld_pull_base(b, name,
							 in->kind == DF_FROM  ? "FROM"
							 : in->kind == DF_ADD ? "ADD --from"
									      : "COPY --from");
			free(name);
			if (rc < 0) {
				mr_prefix(b->err, "%s:%d: ", b->o->dockerfile, in->start_line);
				return -1;
			}
		}
	}
	return 0;
}

/* FROM IMAGE|STAGE [AS NAME]: the base's config and layers are the start */
static int do_from(struct builder *b, const struct df_instr *in, struct strv *global)
{
	if (df_flag(in, "platform")) { /* $BUILDPLATFORM, $TARGETPLATFORM or the same by name */
		_cleanup_free_ char *p = expand_global(b, df_flag(in, "platform"), global);
		if (!p || build_platform_check(p, b->err) < 0) {
			if (p)
				mr_prefix(b->err, "FROM --platform=%s: ", p);
			return -1;
		}
	}
	if (in->nargs != 1 && !(in->nargs == 3 && !strcasecmp(in->args[1], "AS")))
		return mr_fail(b->err, 0, "FROM requires either one or three arguments");
	_cleanup_free_ char *name = expand_global(b, in->args[0], global);
	if (!name)
		return -1;
	bld_say(b, "#%d [%s%d/%d] FROM %s\n", ++b->vertex, b->label, ++b->step, b->nsteps, name);
	int j = find_stage(b, name, b->cur);
	if (j < 0 && !strcasecmp(name, "scratch")) {
		/* the empty image: no layer, a config with nothing in it but the platform (a
		 * stage that only COPYs a static program in; a RUN there finds no shell, as in
		 * docker) */
		char os[32], arch[32], variant[32];
		if (image_platform(NULL, os, arch, variant, b->err) < 0)
			return -1;
		b->s.config = json_pack("{s:s, s:s, s:{}, s:{s:s, s:[]}, s:[]}", "architecture",
					arch, "os", os, "config", "rootfs", "type", "layers",
					"diff_ids", "history");
		if (b->s.config && variant[0])
			json_object_set_new(b->s.config, "variant", json_string(variant));
		b->s.layers = json_array();
		b->s.image[0] = '\0';
		snprintf(b->key, sizeof(b->key), "scratch");
	} else if (j >= 0) { /* an earlier stage: where it ended */
		struct stage *from = &b->stages[j];
		b->s.config = json_deep_copy(from->s.config);
		b->s.layers = json_deep_copy(from->s.layers);
		snprintf(b->s.image, sizeof(b->s.image), "%s", from->s.image);
		snprintf(b->key, sizeof(b->key), "%s", from->key);
	} else {
		struct image img;
		if (bld_resolve_base(b, name, &img, b->err) < 0) {
			if (b->err->errnum == ENOENT)
				mr_prefix(b->err, "FROM %s: ", name);
			return -1;
		}
		b->s.config = json_deep_copy(img.config);
		b->s.layers = json_deep_copy(json_object_get(img.manifest, "layers"));
		snprintf(b->s.image, sizeof(b->s.image), "%s", img.id);
		snprintf(b->key, sizeof(b->key), "%s", img.id);
		image_free(&img);
	}
	if (!b->s.config || !b->s.layers)
		return mr_fail(b->err, ENOMEM, "FROM %s", name);
	json_object_del(b->s.config, "created");
	/* as BuildKit does: an image without a PATH gets the default one */
	json_t *env = json_object_get(bld_cfg(b), "Env");
	size_t i;
	json_t *e;
	bool path = false;
	json_array_foreach(env, i, e)
	{
		path |= !strncmp(json_string_value(e) ?: "", "PATH=", 5);
	}
	if (!path)
		bld_env_set(b, "PATH",
			    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	bld_say(b, "#%d DONE 0.0s\n\n", b->vertex);
	return 0;
}

/*
 * onbuild_triggers - the base image's ONBUILD instructions, run right after FROM as if
 * they were written there (docker's rule), then dropped: the new image has its own.
 */
static int onbuild_triggers(struct builder *b)
{
	json_t *ob = json_incref(json_object_get(bld_cfg(b), "OnBuild"));
	size_t i;
	json_t *t;
	int rc = 0;
	json_object_del(bld_cfg(b), "OnBuild");
	json_array_foreach(ob, i, t)
	{
		const char *line = json_string_value(t);
		struct dockerfile df;
		if (rc < 0 || !line)
			continue;
		if (dockerfile_parse(line, strlen(line), "ONBUILD", &df, b->err) < 0) {
			rc = -1;
			continue;
		}
		const struct df_instr *in = &df.instrs[0];
		if (in->kind == DF_ONBUILD || in->kind == DF_FROM || in->kind == DF_MAINTAINER)
			rc = mr_fail(b->err, 0, "%s isn't allowed as an ONBUILD trigger",
				     df_kind_name(in->kind));
		else if (check_flags(b, in) < 0)
			rc = -1;
		else if (in->kind == DF_RUN)
			rc = bld_run(b, in);
		else if (in->kind == DF_COPY || in->kind == DF_ADD)
			rc = bld_copy(b, in);
		else
			rc = bld_meta(b, in);
		if (rc < 0)
			mr_prefix(b->err, "ONBUILD %s: ", line);
		dockerfile_free(&df);
	}
	json_decref(ob);
	return rc;
}

/* build stage I: its instructions in order; its image stays in b->stages[I] */
static int build_stage(struct builder *b, size_t i, struct strv *global)
{
	struct stage *st = &b->stages[i];
	int rc = 0;
	b->cur = i;
	b->step = b->nsteps = 0;
	b->cmd_set = false;
	strv_free(&b->args); /* ARGs are per stage */
	b->s = (struct bstate){.made = b->made};
	b->label[0] = '\0'; /* "[2/3]" alone, "[build 2/3]" when there are stages */
	if (b->nstages > 1 && st->name[0])
		snprintf(b->label, sizeof(b->label), "%s ", st->name);
	else if (b->nstages > 1)
		snprintf(b->label, sizeof(b->label), "stage-%zu ", i);
	for (size_t k = st->from; k < st->end; k++) {
		enum df_kind kind = b->df.instrs[k].kind;
		b->nsteps += kind == DF_FROM || kind == DF_RUN || kind == DF_COPY || kind == DF_ADD;
	}
	for (size_t k = st->from; rc == 0 && k < st->end; k++) {
		const struct df_instr *in = &b->df.instrs[k];
		if (check_flags(b, in) < 0) {
			rc = -1;
		} else if (in->kind == DF_FROM) {
			rc = do_from(b, in, global);
			if (rc == 0)
				rc = onbuild_triggers(b);
		} else if (in->kind == DF_RUN) {
			rc = bld_run(b, in);
		} else if (in->kind == DF_COPY || in->kind == DF_ADD) {
			rc = bld_copy(b, in);
		} else if (in->kind == DF_ARG) {
			/* ARG NAME without a value takes the value given before FROM */
			for (size_t a = 0; a < in->nargs; a++) {
				struct shlex_list l = {global->v, global->n};
				const char *g = strchr(in->args[a], '=')
							? NULL
							: shlex_list_get(&l, in->args[a]);
				if (g && !bld_build_arg(b, in->args[a])) {
					char *kv = NULL;
					if (asprintf(&kv, "%s=%s", in->args[a], g) >= 0)
						strv_push(&b->args, kv);
				}
			}
			rc = bld_meta(b, in);
		} else {
			rc = bld_meta(b, in);
		}
		if (rc < 0 && in->kind != DF_RUN)
			mr_prefix(b->err, "%s:%d: ", b->o->dockerfile, in->start_line);
	}
	st->s = b->s; /* the stage's result: the builder's state moves there */
	snprintf(st->key, sizeof(st->key), "%s", b->key);
	b->s = (struct bstate){.made = b->made};
	st->done = rc == 0;
	return rc;
}

/*
 * build - the ARGs before the first FROM, the stages the target needs (the last stage, or
 * --target's) in the file's order, then the target's image exported
 */
static int build(struct builder *b, char id[IMAGE_DIGEST_LEN + 1])
{
	struct strv global = {0};
	size_t first = b->df.n;
	int rc = 0;
	for (size_t i = 0; i < b->df.n; i++)
		if (b->df.instrs[i].kind == DF_FROM) {
			struct stage *v = realloc(b->stages, (b->nstages + 1) * sizeof(*v));
			if (!v)
				return mr_fail(b->err, ENOMEM, "stages");
			b->stages = v;
			struct stage *st = &v[b->nstages];
			memset(st, 0, sizeof(*st));
			st->from = i;
			const struct df_instr *in = &b->df.instrs[i];
			if (in->nargs == 3)
				for (size_t c = 0; c < sizeof(st->name) - 1 && in->args[2][c]; c++)
					st->name[c] = (char)tolower((unsigned char)in->args[2][c]);
			if (b->nstages)
				v[b->nstages - 1].end = i;
			if (first == b->df.n)
				first = i;
			b->nstages++;
		}
	if (!b->nstages)
		return mr_fail(b->err, 0, "%s: no FROM instruction", b->o->dockerfile);
	b->stages[b->nstages - 1].end = b->df.n;
	/* BuildKit's automatic platform ARGs, in the global scope: a stage sees one only when
	 * it declares it (ARG TARGETARCH) */
	char os[32], arch[32], variant[32];
	if (image_platform(NULL, os, arch, variant, b->err) < 0)
		return -1;
	for (int w = 0; w < 2; w++) {
		const char *who = w ? "BUILD" : "TARGET";
		char *kv = NULL;
		if (asprintf(&kv, "%sPLATFORM=%s/%s%s%s", who, os, arch, variant[0] ? "/" : "",
			     variant) >= 0)
			strv_push(&global, kv);
		if (asprintf(&kv, "%sOS=%s", who, os) >= 0)
			strv_push(&global, kv);
		if (asprintf(&kv, "%sARCH=%s", who, arch) >= 0)
			strv_push(&global, kv);
		if (asprintf(&kv, "%sVARIANT=%s", who, variant) >= 0)
			strv_push(&global, kv);
	}
	for (size_t i = 0; rc == 0 && i < first; i++) { /* ARGs before FROM: FROM's only */
		const struct df_instr *in = &b->df.instrs[i];
		if (in->kind != DF_ARG)
			rc = mr_fail(b->err, 0, "no build stage in current context");
		else
			rc = bld_arg(b, in, &global);
		if (rc < 0)
			mr_prefix(b->err, "%s:%d: ", b->o->dockerfile, in->start_line);
	}
	size_t target = b->nstages - 1;
	if (rc == 0 && b->o->target) {
		/* by its name only, as docker has it */
		int t = isdigit((unsigned char)b->o->target[0])
				? -1
				: find_stage(b, b->o->target, b->nstages);
		if (t < 0)
			rc = mr_fail(b->err, 0, "target stage \"%s\" could not be found",
				     b->o->target);
		else
			target = (size_t)t;
	}
	if (rc == 0)
		mark_needed(b, target, &global);
	/* the bases the stages need, pulled first if missing: without the build's store lock,
	 * as nothing of this build is in the store yet */
	store_unlock(&b->st, STORE_ADDING);
	if (rc == 0)
		rc = pull_bases(b, target, &global);
	if (store_lock(&b->st, STORE_ADDING, rc < 0 ? NULL : b->err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i <= target; i++)
		if (b->stages[i].needed) /* a stage the target does not need is not built */
			rc = build_stage(b, i, &global);
	strv_free(&global);
	if (rc == 0) {
		b->s = b->stages[target].s;
		b->stages[target].s = (struct bstate){0};
		for (size_t i = 0; i < b->o->nlabels; i++) { /* --label, over any LABEL */
			const char *kv = b->o->labels[i], *eq = strchr(kv, '=');
			json_t *l = json_object_get(bld_cfg(b), "Labels");
			if (!json_is_object(l))
				json_object_set_new(bld_cfg(b), "Labels", l = json_object());
			char *k = strndup(kv, eq ? (size_t)(eq - kv) : strlen(kv));
			if (k)
				json_object_set_new(l, k, json_string(eq ? eq + 1 : ""));
			free(k);
		}
		rc = b->o->output ? bld_export_files(b) : bld_export_image(b, id);
		if (b->o->output)
			id[0] = '\0';
	}
	return rc;
}

int build_image(const struct build_opts *o, char id[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	struct build_opts so = *o; /* with the context on stdin: where it was put */
	struct builder b = {.o = &so, .err = err, .out = o->quiet ? NULL : stderr};
	char ctx[PATH_MAX] = "", df[PATH_MAX * 2];
	int rc = -1;
	pid_t view = -1;
	if (store_open(&b.st, image_root(), err) < 0)
		return -1;
	/* --progress tty (auto: when stderr, where the progress goes, is a terminal): a view
	 * process redraws the steps from the plain lines (ttyview.h); plain when it fails */
	if (b.out && build_progress_tty(o->progress) && ttyview_start(2, &b.out, &view) < 0)
		b.out = stderr;
	if (!strcmp(o->context, "-")) {
		if (o->dockerfile && !strcmp(o->dockerfile, "-")) {
			store_close(&b.st);
			return mr_fail(err, 0,
				       "the context and the Dockerfile cannot both be "
				       "read from stdin");
		}
		bld_say(&b, "#%d [internal] load the build context from stdin\n", ++b.vertex);
		if (step_stdin_context(&b.st, ctx, sizeof(ctx), err) < 0) {
			store_close(&b.st);
			return -1;
		}
		/* -f names a file of that context */
		snprintf(df, sizeof(df), "%s/%s", ctx,
			 o->dockerfile ? o->dockerfile : "Dockerfile");
		so.context = ctx;
		so.dockerfile = df;
		bld_say(&b, "#%d DONE 0.0s\n\n", b.vertex);
	}
	bld_say(&b, "#%d [internal] load build definition from %s\n", ++b.vertex, so.dockerfile);
	if (dockerfile_parse_file(so.dockerfile, &b.df, err) < 0)
		goto out_store;
	bld_say(&b, "#%d DONE 0.0s\n\n", b.vertex);
	bld_say(&b, "#%d [internal] load .dockerignore\n", ++b.vertex);
	if (dockerignore_load(so.context, &b.di, err) < 0)
		goto out_df;
	bld_say(&b, "#%d DONE 0.0s\n\n", b.vertex);
	/* adding: no gc may take the blobs of a layer before an image names it */
	b.made = json_array();
	step_sweep(&b.st);
	if (store_lock(&b.st, STORE_ADDING, err) == 0) {
		rc = build(&b, id);
		/* the images RUN needed leave the index: no one asked for them; their layers
		 * stay, the cache's and the image's, until a gc finds them unused */
		step_drop_unnamed(&b.st, b.made);
		step_running_done(&b.st);
		store_unlock(&b.st, STORE_ADDING);
	}
	if (view > 0) { /* the final state drawn, before anything else is said */
		ttyview_end(b.out, view);
		view = -1;
	}
	json_decref(b.made);
	for (size_t i = 0; i < b.nstages; i++) {
		json_decref(b.stages[i].s.config);
		json_decref(b.stages[i].s.layers);
	}
	free(b.stages);
	for (size_t i = 0; rc == 0 && i < o->nbuild_args; i++) {
		size_t len = strcspn(o->build_args[i], "=");
		bool used = false;
		for (size_t k = 0; k < b.used.n; k++)
			used |= strlen(b.used.v[k]) == len &&
				!strncmp(b.used.v[k], o->build_args[i], len);
		if (!used && !bld_proxy_arg(o->build_args[i], len))
			fprintf(stderr,
				"[Warning] One or more build-args [%.*s] were not consumed\n",
				(int)len, o->build_args[i]);
	}
	json_decref(b.s.config);
	json_decref(b.s.layers);
	strv_free(&b.args);
	strv_free(&b.used);
	dockerignore_free(&b.di);
out_df:
	dockerfile_free(&b.df);
out_store:
	if (view > 0)
		ttyview_end(b.out, view);
	step_copy_end(ctx);
	store_close(&b.st);
	return rc;
}

bool build_progress_tty(enum build_progress p)
{
	const char *term = getenv("TERM");
	return p == BUILD_PROGRESS_TTY ||
	       (p == BUILD_PROGRESS_AUTO && isatty(2) && !(term && !strcmp(term, "dumb")));
}
