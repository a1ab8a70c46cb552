/*
 * minirun/build/layers.c - the instructions that make a layer, RUN and COPY/ADD, and the
 * cache in front of them.
 *
 * Each first computes its cache key: the key of the step before (a chain that starts at
 * the base image's ID) and what this step does, as it will do it:
 *
 *   RUN    the command (SHELL + the line, or the exec form), the Env, WorkingDir and User
 *          it runs with, its network, and the build args in scope (every ARG declared
 *          before it is in its environment, so a new --build-arg value misses from the
 *          first RUN after the ARG on, as docker documents)
 *   COPY   the instruction, and the copied tree as a layer with every mtime 0: names,
 *          types, modes, owners, contents, link targets (a `touch` is no change)
 *
 * A key the cache knows (ROOT/build/cache/KEY.json: the layer's descriptor and diffID),
 * whose blob is still in the store, gives its layer back ("#N CACHED"); otherwise the step
 * runs (steps.c) and its layer is recorded under the key.
 *
 * See: https://docs.docker.com/build/cache/invalidation/ ; builder.h, steps.c
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/sha256.h"
#include "minirun/build/buf.h"
#include "minirun/build/builder.h"
#include "minirun/build/dockerfile.h"
#include "minirun/build/shlex.h"
#include "minirun/containers/containers.h"

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
	int shown = (int)strcspn(what, "\n");
	mr_say("cache key %.19s... of: %.*s", b->key, shown > 70 ? 70 : shown, what);
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
	utimensat(AT_FDCWD, path, NULL, 0); /* last used: `builder du` and `prune --filter` */
	return 1;
}

/* record the layer DESC (DIFFID) of the step BY under the current key */
static void cache_put(struct builder *b, json_t *desc, const char *diffid, const char *by)
{
	char path[PATH_MAX], dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/build/cache", b->st.root) >= (int)sizeof(dir) ||
	    cache_path(b, path, sizeof(path)) < 0)
		return;
	json_t *e =
		json_pack("{s:O, s:s, s:s}", "layer", desc, "diff_id", diffid, "description", by);
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
	bld_history(b, by, false);
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
	if (!cache_get(b, &e, &diffid)) {
		mr_say("cache: no layer for %.19s...%s", b->key,
		       b->o->no_cache ? " (--no-cache)" : "");
		return 0;
	}
	mr_say("cache: %.19s... has layer %.19s...", b->key, diffid);
	add_layer(b, json_object_get(e, "layer"), diffid, by);
	json_decref(e);
	bld_say(b, "#%d CACHED\n\n", b->vertex);
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
	double t0 = bld_now();
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
				fprintf(b->out, "#%d %.3f %s\n", b->vertex, bld_now() - t0, line);
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

/* is WORD a heredoc opener: [N]<<[-]NAME, nothing else? */
static bool heredoc_word(const char *word)
{
	word += strspn(word, "0123456789");
	return !strncmp(word, "<<", 2) && word[2 + (word[2] == '-')] && !strchr(word + 2, ' ');
}

/*
 * heredoc_script - the shell script of a RUN with heredocs, as BuildKit makes it: RUN <<EOF
 * alone runs the body itself; otherwise the line, then each body and its delimiter, so
 * that the shell reads the heredocs as it would in a script ("cat <<EOF > /file").
 */
static char *heredoc_script(const struct df_instr *in)
{
	const char *line = in->nargs ? in->args[0] : "";
	if (in->nheredocs == 1 && heredoc_word(line))
		return df_heredoc_text(&in->heredocs[0]);
	struct sb s = {0};
	sb_puts(&s, line);
	sb_putc(&s, '\n');
	for (size_t i = 0; i < in->nheredocs; i++) {
		sb_puts(&s, in->heredocs[i].content);
		sb_puts(&s, in->heredocs[i].name);
		sb_putc(&s, '\n');
	}
	return sb_take(&s);
}

int bld_run(struct builder *b, const struct df_instr *in)
{
	if (df_flag(in, "mount") || df_flag(in, "security") || df_flag(in, "network"))
		return mr_fail(b->err, 0,
			       "RUN --mount, --network and --security are not written "
			       "yet");
	json_t *cmd = bld_command(b, in);
	if (in->nheredocs && !in->json) { /* the heredocs become part of the shell's script */
		char *script = heredoc_script(in);
		if (!script) {
			json_decref(cmd);
			return mr_fail(b->err, ENOMEM, "RUN");
		}
		json_array_set_new(cmd, json_array_size(cmd) - 1, json_string(script));
		free(script);
	}
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
	/* the predefined proxy ARGs reach RUN without an ARG line, and stay out of the history
	 * (and the cache key) as BuildKit keeps them out */
	for (i = 0; i < b->o->nbuild_args; i++) {
		const char *a = b->o->build_args[i];
		size_t len = strcspn(a, "=");
		if (bld_proxy_arg(a, len) && a[len] == '=')
			strv_push(&env, strdup(a));
	}
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
	json_t *seen =
		json_pack("{s:O?, s:O?, s:O?, s:O, s:s}", "Env", json_object_get(bld_cfg(b), "Env"),
			  "WorkingDir", json_object_get(bld_cfg(b), "WorkingDir"), "User",
			  json_object_get(bld_cfg(b), "User"), "Cmd", cmd, "Network",
			  b->o->network ?: "none");
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
	bld_say(b, "#%d [%s%d/%d] %s\n", ++b->vertex, b->label, ++b->step, b->nsteps, in->original);
	double t0 = bld_now();
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
		bld_say(b, "#%d ERROR: %s\n", b->vertex, b->err->msg);
	}
	if (rc == 0) {
		json_t *desc = layer_desc(&r.ld);
		cache_put(b, desc, r.ld.diffid, sb_str(&by));
		add_layer(b, desc, r.ld.diffid, sb_str(&by));
		json_decref(desc);
		bld_say(b, "#%d DONE %.1fs\n\n", b->vertex, bld_now() - t0);
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

/*
 * state_lowers - the layer dirs of the image so far, top-most first. Read straight from its
 * diffIDs when every layer is unpacked already (a cached build: no image to store), else
 * through an image stored for the state (a layer just made is unpacked by that).
 */
static int state_lowers(struct builder *b, char ***lowers)
{
	json_t *ids = json_object_get(json_object_get(b->s.config, "rootfs"), "diff_ids");
	size_t n = json_array_size(ids);
	char **v = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; v && i < n; i++) {
		char dir[PATH_MAX];
		const char *id = json_string_value(json_array_get(ids, n - 1 - i));
		store_layer_path(&b->st, id ? id : "sha256:", dir, sizeof(dir));
		if (!id || access(dir, F_OK) < 0 || !(v[i] = strdup(dir))) {
			image_lowerdirs_free(v);
			v = NULL;
		}
	}
	if (v) {
		*lowers = v;
		return 0;
	}
	if (step_store_state(&b->st, &b->s, b->err) < 0)
		return -1;
	return image_lowerdirs(&b->st, b->s.image, lowers, NULL, b->err);
}

/* lstat PATH (absolute) in the image: in the top-most layer that has it */
static int image_lstat(char *const *lowers, const char *path, struct stat *sb)
{
	for (char *const *l = lowers; l && *l; l++) {
		char p[PATH_MAX];
		if (snprintf(p, sizeof(p), "%s%s", *l, path) >= (int)sizeof(p))
			return -1;
		if (lstat(p, sb) == 0)
			return S_ISCHR(sb->st_mode) && sb->st_rdev == 0 ? -1 : 0; /* a whiteout */
	}
	return -1;
}

/*
 * resolve_dest - DEST (absolute, clean) with the symlinks of its directories resolved in
 * the image, as a copy into the image would follow them: with /bin -> usr/bin (Debian),
 * COPY x /bin/ writes /usr/bin/x, rather than a /bin directory hiding the link. Every
 * component followed by a / is resolved. Resolved in place; at most 40 links.
 */
static void resolve_dest(char *const *lowers, char *dest, size_t size)
{
	for (int links = 0; links < 40;) {
		bool again = false;
		for (char *s = dest + 1; *s; s++) {
			if (*s != '/')
				continue;
			*s = '\0';
			struct stat sb;
			char target[PATH_MAX], path[PATH_MAX];
			ssize_t n = -1;
			if (image_lstat(lowers, dest, &sb) == 0 && S_ISLNK(sb.st_mode)) {
				for (char *const *l = lowers; l && *l && n < 0; l++) {
					if (snprintf(path, sizeof(path), "%s%s", *l, dest) <
					    (int)sizeof(path))
						n = readlink(path, target, sizeof(target) - 1);
				}
			}
			*s = '/';
			if (n <= 0)
				continue;
			target[n] = '\0';
			/* the link's target, relative to its directory unless absolute */
			char *slash = s;
			while (slash > dest && slash[-1] != '/')
				slash--;
			char rest[PATH_MAX];
			snprintf(rest, sizeof(rest), "%s", s);
			*slash = '\0';
			if (snprintf(path, sizeof(path), "%s%s%s", target[0] == '/' ? "" : dest,
				     target, rest) >= (int)sizeof(path))
				return;
			ignore_clean_path(path);
			snprintf(dest, size, "%s", path);
			links++;
			again = true;
			break;
		}
		if (!again)
			return;
	}
}

/* is DEST a directory in the image (the top-most layer that has it says)? */
static bool dest_is_image_dir(char *const *lowers, const char *dest)
{
	for (char *const *l = lowers; *dest && l && *l; l++) {
		char p[PATH_MAX];
		struct stat sb;
		if (snprintf(p, sizeof(p), "%s%s", *l, dest) >= (int)sizeof(p))
			return false;
		if (lstat(p, &sb) == 0)
			return S_ISDIR(sb.st_mode);
	}
	return false;
}

/*
 * add_downloads - ADD's URL sources, each downloaded into a temp file of the store (the
 * file name from the URL's path, the mtime from Last-Modified); with --checksum, each
 * download's sha256 must be the one given. A calloc'd array of URLS->n, or NULL with
 * b->err naming the URL (and nothing left behind).
 */
static struct copy_url *add_downloads(struct builder *b, const struct strv *urls,
				      const char *checksum)
{
	struct copy_url *got = calloc(urls->n, sizeof(*got));
	if (!got) {
		mr_fail(b->err, ENOMEM, "ADD");
		return NULL;
	}
	if (checksum && (strncmp(checksum, "sha256:", 7) || !digest_valid(checksum))) {
		mr_fail(b->err, 0,
			"invalid checksum digest format: %s (want sha256:<64 hex digits>)",
			checksum);
		free(got);
		return NULL;
	}
	for (size_t i = 0; i < urls->n; i++) {
		struct url_fetch f = {0}; /* fetch_url fills it (the analyzer sees one file) */
		struct copy_url *u = &got[i];
		int rc = store_tmp_path(&b->st, "add-url", u->path, sizeof(u->path), b->err);
		_cleanup_close_ int fd =
			rc < 0 ? -1 : open(u->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (rc == 0 && fd < 0)
			rc = mr_fail(b->err, errno, "create '%s'", u->path);
		if (rc == 0)
			rc = fetch_url(urls->v[i], fd, &f, b->err);
		if (rc == 0 && checksum && strcmp(checksum, f.digest))
			rc = mr_fail(b->err, 0,
				     "ADD %s: checksum mismatch: --checksum=%s, the download is %s",
				     urls->v[i], checksum, f.digest);
		if (rc < 0) {
			bld_say(b, "#%d ERROR: %s\n", b->vertex, b->err->msg);
			for (size_t k = 0; k <= i; k++)
				if (got[k].path[0])
					unlink(got[k].path);
			free(got);
			return NULL;
		}
		u->mtime = f.mtime;
		fetch_url_filename(urls->v[i], u->name, sizeof(u->name));
	}
	return got;
}

/* --chown=USER[:GROUP]: numbers, or names in the image's /etc/passwd and /etc/group */
static int resolve_chown(struct builder *b, const char *spec, char *const *lowers, long *uid,
			 long *gid)
{
	*uid = *gid = 0;
	if (!spec)
		return 0;
	char *exp = bld_expand(b, spec);
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
	if (rc == 0) { /* a name alone: its primary group from /etc/passwd, as BuildKit does */
		*uid = u.uid;
		*gid = u.gid;
		/* an ID alone is the group's ID too, whatever /etc/passwd says (BuildKit's
		 * readUser, and the reference: "a UID without GID will use the same numeric
		 * UID as the GID") */
		if (exp[strspn(exp, "0123456789")] == '\0')
			*gid = u.uid;
	}
	free(exp);
	return rc;
}

int bld_copy(struct builder *b, const struct df_instr *in)
{
	const char *verb = in->kind == DF_ADD ? "ADD" : "COPY";
	const char *from = df_flag(in, "from");
	if (in->nargs < 2)
		return mr_fail(b->err, 0, "%s requires at least two arguments", verb);
	struct copy_req req = {
		.context = b->o->context, .ignore = &b->di, .chmod = -1, .add = in->kind == DF_ADD};
	struct strv srcs = {0}, hnames = {0}, htexts = {0}, urls = {0};
	struct copy_url *got = NULL;
	struct dockerignore exclude = {0};
	const char *checksum = in->kind == DF_ADD ? df_flag(in, "checksum") : NULL;
	const char *parents = df_flag(in, "parents");
	req.parents = parents && strcmp(parents, "false") != 0;
	for (size_t i = 0; i < in->nflags; i++) /* every --exclude, in order */
		if (!strncmp(in->flags[i], "--exclude=", 10)) {
			char *pat = bld_expand(b, in->flags[i] + 10);
			int r = pat ? dockerignore_add(&exclude, pat, b->err) : -1;
			free(pat);
			if (r < 0) {
				dockerignore_free(&exclude);
				return -1;
			}
			req.exclude = &exclude;
		}
	char dest[PATH_MAX], layer[PATH_MAX] = "", staging[PATH_MAX], key[IMAGE_DIGEST_LEN + 1];
	struct layer_digests ld;
	int rc = -1;
	for (size_t i = 0, h = 0; i + 1 < in->nargs; i++) {
		if (h < in->nheredocs && heredoc_word(in->args[i])) {
			/* a file made of the heredoc's body, $V expanded unless quoted */
			const struct df_heredoc *hd = &in->heredocs[h++];
			char *text = df_heredoc_text(hd), *exp = NULL;
			if (text && hd->expand) {
				struct strv env = {0};
				bld_expansion_env(b, &env);
				struct shlex_list l = {env.v, env.n};
				struct shlex_env se = SHLEX_ENV_LIST(&l);
				if (shlex_word(text, b->df.escape, SHLEX_NO_QUOTES, &se, &exp,
					       b->err) < 0) {
					strv_free(&env);
					free(text);
					goto out;
				}
				strv_free(&env);
				free(text);
				text = exp;
			}
			strv_push(&hnames, strdup(hd->name));
			strv_push(&htexts, text);
			continue;
		}
		char *s = bld_expand(b, in->args[i]);
		if (!s)
			goto out;
		if (fetch_is_url(s) && in->kind == DF_COPY) {
			free(s);
			mr_fail(b->err, 0, "source can't be a URL for COPY");
			goto out;
		}
		if (fetch_is_url(s)) { /* downloaded once the step starts (below) */
			strv_push(&urls, s);
			continue;
		}
		if (in->kind == DF_ADD && strstr(s, "://")) {
			mr_fail(b->err, 0,
				"ADD %s: only http:// and https:// URLs are supported (git and "
				"other schemes are not written yet)",
				s);
			free(s);
			goto out;
		}
		if (checksum) {
			mr_fail(b->err, 0, "checksum can't be specified for non-HTTP(S) sources");
			free(s);
			goto out;
		}
		ignore_clean_path(s);
		if (s[0] == '/') /* sources are relative to the context, / or not */
			memmove(s, s + 1, strlen(s));
		if (!*s)
			strcpy(s, ".");
		strv_push(&srcs, s);
	}
	char *d = bld_expand(b, in->args[in->nargs - 1]);
	if (!d)
		goto out;
	size_t dl = strlen(d);
	/* a directory: written so (a/, ., a/.), or one already in the image (below) */
	req.dest_is_dir = (dl && d[dl - 1] == '/') || !strcmp(d, ".") || !strcmp(d, "") ||
			  (dl >= 2 && !strcmp(d + dl - 2, "/."));
	const char *wd = json_string_value(json_object_get(bld_cfg(b), "WorkingDir"));
	snprintf(dest, sizeof(dest), "%s%s%s", d[0] == '/' ? "" : (wd && *wd ? wd : "/"),
		 d[0] == '/' || (wd && wd[strlen(wd) - 1] == '/') ? "" : "/", d);
	free(d);
	ignore_clean_path(dest);
	if (!strcmp(dest, "/"))
		dest[0] = '\0', req.dest_is_dir = true; /* the staging dir's root */
	req.srcs = srcs.v;
	req.nsrcs = srcs.n;
	req.heredoc_names = hnames.v;
	req.heredoc_texts = htexts.v;
	req.nheredocs = hnames.n;
	if (srcs.n + hnames.n + urls.n > 1)
		req.dest_is_dir = true;
	if (srcs.oom || hnames.oom || htexts.oom || urls.oom) {
		mr_fail(b->err, ENOMEM, "%s", verb);
		goto out;
	}
	req.dest = dest;
	const char *chmod = df_flag(in, "chmod");
	if (chmod) {
		char *end;
		req.chmod = strtol(chmod, &end, 8);
		if (!*chmod || *end || req.chmod < 0 || req.chmod > 07777) {
			mr_fail(b->err, 0, "invalid chmod parameter: %s", chmod);
			goto out;
		}
	}
	if (state_lowers(b, &req.lowers) < 0)
		goto out;
	if (resolve_chown(b, df_flag(in, "chown"), req.lowers, &req.uid, &req.gid) < 0)
		goto out;
	if (from && !df_flag(in, "chown")) /* another image's files keep their owners */
		req.uid = req.gid = -1;
	if (dest[0]) { /* resolved as a directory too: COPY x /link/ with /link -> /real */
		strncat(dest, "/", sizeof(dest) - strlen(dest) - 1);
		resolve_dest(req.lowers, dest, sizeof(dest));
		ignore_clean_path(dest);
		if (!strcmp(dest, "/"))
			dest[0] = '\0';
	}
	if (dest_is_image_dir(req.lowers, dest)) /* COPY a /etc: into it, as cp does */
		req.dest_is_dir = true;
	if (from) { /* another stage's or image's files, not the context's */
		req.ignore = NULL;
		if (bld_from_lowers(b, from, &req.from_lowers) < 0)
			goto out;
	}
	bld_say(b, "#%d [%s%d/%d] %s\n", ++b->vertex, b->label, ++b->step, b->nsteps, in->original);
	double t0 = bld_now();
	if (urls.n && !(got = add_downloads(b, &urls, checksum)))
		goto out;
	req.urls = got;
	req.nurls = urls.n;
	if (step_copy(&b->st, &req, staging, sizeof(staging), key, b->err) < 0)
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
		rc = 0;
	} else if (step_copy_layer(&b->st, staging, layer, sizeof(layer), &ld, b->err) == 0 &&
		   step_put_layer(&b->st, layer, &ld, b->err) == 0) {
		json_t *desc = layer_desc(&ld);
		cache_put(b, desc, ld.diffid, sb_str(&by));
		add_layer(b, desc, ld.diffid, sb_str(&by));
		json_decref(desc);
		bld_say(b, "#%d DONE %.1fs\n\n", b->vertex, bld_now() - t0);
		rc = 0;
	}
	if (layer[0])
		unlink(layer);
	step_copy_end(staging);
	sb_free(&what);
	sb_free(&by);
out:
	for (size_t i = 0; got && i < urls.n; i++)
		unlink(got[i].path); /* a download the copy did not take */
	free(got);
	strv_free(&urls);
	if (req.lowers)
		image_lowerdirs_free(req.lowers);
	if (req.from_lowers)
		image_lowerdirs_free(req.from_lowers);
	strv_free(&srcs);
	strv_free(&hnames);
	strv_free(&htexts);
	dockerignore_free(&exclude);
	return rc;
}

int bld_workdir(struct builder *b, const char *path, const char *by)
{
	char dest[PATH_MAX], staging[PATH_MAX], layer[PATH_MAX] = "", key[IMAGE_DIGEST_LEN + 1];
	struct copy_req req = {.context = b->o->context, .chmod = -1, .mkdir = true};
	struct layer_digests ld;
	int rc = -1;
	if (!strcmp(path, "/") || snprintf(dest, sizeof(dest), "%s/", path) >= (int)sizeof(dest))
		return 0;
	if (state_lowers(b, &req.lowers) < 0)
		return -1;
	resolve_dest(req.lowers, dest, sizeof(dest));
	ignore_clean_path(dest);
	if (!strcmp(dest, "/") || dest_is_image_dir(req.lowers, dest)) {
		rc = 0;
		goto out;
	}
	const char *user = json_string_value(json_object_get(bld_cfg(b), "User"));
	if (user && *user && resolve_chown(b, user, req.lowers, &req.uid, &req.gid) < 0)
		goto out;
	req.dest = dest;
	mr_say("WORKDIR %s: made, owned by %ld:%ld, in a layer of its own", dest, req.uid, req.gid);
	if (step_copy(&b->st, &req, staging, sizeof(staging), key, b->err) < 0)
		goto out;
	struct sb what = {0};
	sb_puts(&what, by);
	sb_putc(&what, '\n');
	sb_puts(&what, key);
	next_key(b, sb_str(&what));
	sb_free(&what);
	FILE *out = b->out; /* no step of its own in the progress: no "CACHED" line either */
	b->out = NULL;
	int hit = try_cache(b, by);
	b->out = out;
	if (hit) {
		rc = 1;
	} else if (step_copy_layer(&b->st, staging, layer, sizeof(layer), &ld, b->err) == 0 &&
		   step_put_layer(&b->st, layer, &ld, b->err) == 0) {
		json_t *desc = layer_desc(&ld);
		cache_put(b, desc, ld.diffid, by);
		add_layer(b, desc, ld.diffid, by);
		json_decref(desc);
		rc = 1;
	}
	if (layer[0])
		unlink(layer);
	step_copy_end(staging);
out:
	image_lowerdirs_free(req.lowers);
	return rc;
}
