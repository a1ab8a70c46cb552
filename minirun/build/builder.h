/*
 * minirun/build/builder.h - what builder.c (the instructions, in order) and steps.c (the
 * two that make layers: RUN and COPY) share; internal to minirun/build/.
 */
#ifndef MR_BUILD_BUILDER_H
#define MR_BUILD_BUILDER_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/err.h"
#include "minirun/build/build.h"
#include "minirun/build/buf.h"
#include "minirun/build/dockerfile.h"
#include "minirun/build/dockerignore.h"
#include "minirun/image/image.h"
#include "unionfs/layer.h"

/* The image being built, between two instructions. */
struct bstate {
	json_t *config; /* the whole image config: architecture, os, config, rootfs, history */
	json_t *layers; /* the manifest's layer descriptors */
	char image[IMAGE_DIGEST_LEN + 1]; /* the image ID this state is stored as, "" if not */
	json_t *made; /* the manifests step_store_state added to the index (to drop at the end) */
};

/*
 * step_store_state - store ST's state as an image (untagged) if it is not one yet, so a
 * container can be made from it; its ID goes to s->image, its manifest to s->made.
 */
int step_store_state(const struct store *st, struct bstate *s, struct mr_err *err);

/*
 * step_run - RUN ARGV (the full command: shell and all) in a container made from s->image
 * with ENV ("K=V", NULL-terminated; the build args RUN sees), the config's WorkingDir and
 * User, network NETWORK. Its output goes to this process's stdout and stderr. On exit 0 the
 * container's changes are stored as a layer blob (ld); *code gets the command's exit code.
 * The container is removed whatever happens.
 */
int step_run(const struct store *st, const struct bstate *s, char *const *argv, char *const *env,
	     const char *network, int *code, struct layer_digests *ld, struct mr_err *err);

/* A stage: FROM ... up to the next FROM. */
struct stage {
	size_t from, end; /* its instructions, [from, end) of the file's */
	char name[128];   /* AS NAME, lower-cased; "" when it has none */
	bool needed;      /* the target needs it (FROM it, COPY --from it) */
	bool done;
	struct bstate s; /* its image, once done */
	char key[IMAGE_DIGEST_LEN + 1];
};

/* One build: the options, the parsed file, the store, the state, the progress. */
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
	struct stage *stages;
	size_t nstages, cur; /* cur: the stage being built */
	char label[140];     /* "build " in "[build 2/3]" when there are stages, else "" */
	json_t *made;        /* every image step_store_state made (the bstates point here) */
	bool cmd_set;        /* this stage has a CMD (ENTRYPOINT then keeps it) */
	struct mr_err *err;
};

/* ---- builder.c: what every instruction uses ----------------------------------------------- */

double bld_now(void);
/* say - a progress line on b->out (nothing with -q) */
void bld_say(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* is NAME[0..LEN) one of the predefined proxy ARGs (HTTP_PROXY, no_proxy, ...)? */
bool bld_proxy_arg(const char *name, size_t len);
/* the value --build-arg gives NAME, or NULL */
const char *bld_build_arg(struct builder *b, const char *name);
/* the variables expansion sees, "K=V": the ARGs, then the Env (an ENV wins over an ARG) */
void bld_expansion_env(struct builder *b, struct strv *env);
/* WORD with the Dockerfile's variable substitution (the ARGs, then the Env); malloc'd, or
 * NULL with b->err */
char *bld_expand(struct builder *b, const char *word);
/* the image config's "config" object (made when missing) */
json_t *bld_cfg(struct builder *b);
/* history - a history entry (BuildKit's comment; EMPTY: "empty_layer"); the state is no
 * longer the image stored for it */
void bld_history(struct builder *b, const char *created_by, bool empty);
/* COPY --from=REF: the layer dirs (top-most first) of the stage REF (a name or an index,
 * of a stage before this one), else of the image REF in the store */
int bld_from_lowers(struct builder *b, const char *ref, char ***lowers);

/* ---- from.c: the images a build starts from ------------------------------------------------ */

/* bld_resolve_base - the base image NAME in the store (NAME@DIGEST: by manifest digest, repo
 * digest, or image ID); 0 with IMG, -1 with ERR (may be NULL; errnum ENOENT if absent) */
int bld_resolve_base(struct builder *b, const char *name, struct image *img, struct mr_err *err);
/* bld_pull_base - NAME (of the instruction WHAT: "FROM", "COPY --from") pulled when the
 * store lacks it, or with --pull; 0 for names no registry has (scratch, an image ID) */
int bld_pull_base(struct builder *b, const char *name, const char *what);

/* ---- config.c: the instructions that make no layer ----------------------------------------- */

/* set K=V in the config's Env, replacing K's old value in its place */
void bld_env_set(struct builder *b, const char *k, const char *v);
/* the command of CMD/ENTRYPOINT/RUN: the exec form as is, the shell form as SHELL + it */
json_t *bld_command(struct builder *b, const struct df_instr *in);
/* ["a" "b"]: a command as BuildKit's history writes it (Go's %q of a list) */
void bld_go_list(struct sb *out, json_t *a);
/* ARG NAME[=DEFAULT]...: each with a value (--build-arg's, else the default) into INTO */
int bld_arg(struct builder *b, const struct df_instr *in, struct strv *into);
/* ENV LABEL WORKDIR USER CMD ENTRYPOINT SHELL EXPOSE VOLUME STOPSIGNAL HEALTHCHECK ONBUILD
 * MAINTAINER ARG; "unknown instruction: X" for anything else */
int bld_meta(struct builder *b, const struct df_instr *in);

/* ---- layers.c: the instructions that make a layer, and the cache ---------------------------- */

int bld_run(struct builder *b, const struct df_instr *in);
int bld_copy(struct builder *b, const struct df_instr *in); /* and ADD */
/* WORKDIR PATH's directory, made as BuildKit does (missing parents too, 0755, owned by the
 * stage's USER) in a layer with the history entry BY: 1; 0 when PATH is there already (no
 * layer, no history entry); -1 with b->err */
int bld_workdir(struct builder *b, const char *path, const char *by);

/* bld_export_image - the last step: the config and a manifest in the store, named by each
 * -t; ID gets the image's ID (export.c) */
int bld_export_image(struct builder *b, char id[IMAGE_DIGEST_LEN + 1]);
/* bld_export_files - the last step with --output: the image's files to a directory or a
 * tar (dest=-: stdout), no image stored (export.c) */
int bld_export_files(struct builder *b);

/* step_is_archive - does FD hold a tar, plain or gzip/bzip2/xz/zstd compressed? */
bool step_is_archive(int fd);
/* step_stdin_context - `build -`: stdin as the context (a tar) or as the Dockerfile alone,
 * in a temp dir of the store whose path goes to DIR (step_copy_end removes it) */
int step_stdin_context(const struct store *st, char *dir, size_t len, struct mr_err *err);

/* step_sweep - remove what builds that were killed left (their builder process is gone):
 * their RUN containers, and their images from the index; best effort, narrated under -v */
void step_sweep(const struct store *st);
/* step_drop_unnamed - drop from the index the unnamed images DIGESTS (a JSON array) lists */
void step_drop_unnamed(const struct store *st, json_t *digests);
/* step_running_done - this build ended: forget the list of the images it made */
void step_running_done(const struct store *st);

/* What COPY was asked for. */
struct copy_req {
	const char *context; /* the context directory */
	const struct dockerignore *ignore;
	char **srcs; /* relative to the context, expanded */
	size_t nsrcs;
	const char *dest;     /* absolute, expanded (WORKDIR applied) */
	bool dest_is_dir;     /* DEST ends with / (or there are several sources) */
	long uid, gid;        /* --chown, resolved; 0:0 by default, -1 the source's (--from) */
	long chmod;           /* --chmod, or -1 */
	char **lowers;        /* the image's layer dirs, top-most first (parents' modes) */
	char **from_lowers;   /* COPY --from: the layer dirs of the sources' image, else NULL */
	char **heredoc_names; /* COPY <<NAME: files made of these texts (nheredocs of them) */
	char **heredoc_texts;
	size_t nheredocs;
	bool add;                           /* ADD: a local tar is unpacked, not copied */
	const struct dockerignore *exclude; /* --exclude patterns, on paths below each source */
	bool parents;                       /* --parents: each source's path is kept under DEST */
	const struct copy_url *urls;        /* ADD URL: the downloads (nurls of them) */
	size_t nurls;
	bool mkdir; /* WORKDIR: DEST made a directory (owner uid:gid) */
};

/* An ADD source that was a URL, downloaded (fetch.c) into a temp file of the store. */
struct copy_url {
	char path[PATH_MAX]; /* the download; step_copy moves it into the staging dir */
	char name[256];      /* its name under DEST when DEST is a directory */
	long long mtime;     /* Last-Modified, seconds since the epoch; -1: not sent */
};

/* ---- fetch.c: ADD's http(s) sources ------------------------------------------------------- */

/* What a download brought. */
struct url_fetch {
	long status;                       /* the last response's HTTP status */
	char reason[128];                  /* its reason phrase ("Not Found"), "" if none */
	long long mtime;                   /* Last-Modified, seconds since the epoch; -1: none */
	char digest[IMAGE_DIGEST_LEN + 1]; /* sha256 of the body */
	uint64_t size;
};

/*
 * fetch_url - GET URL (redirects followed), its body written to FD, what came back in F.
 * -1 with err naming the URL: no answer ("GET URL: Couldn't connect to server"), or a
 * status that is not 2xx/3xx ("GET URL: invalid response status 404 Not Found").
 */
int fetch_url(const char *url, int fd, struct url_fetch *f, struct mr_err *err);
/* is S an http:// or https:// URL (ADD downloads those)? */
bool fetch_is_url(const char *s);
/* the file name ADD gives URL's download in a directory: its path's last element, else
 * "__unnamed__" (BuildKit's) */
void fetch_url_filename(const char *url, char *buf, size_t len);

/*
 * step_copy - the files REQ selects, copied to their destination under a staging dir in
 * the store's temp dir (its path to STAGING), and the cache's view of them to KEY: a
 * sha256 over that tree's names, types, modes, owners, contents and link targets (no
 * mtimes). -1 with err ("COPY failed: file not found in build context or excluded by
 * .dockerignore: stat x: ...", "... outside the build context"), nothing left.
 * On a cache miss step_copy_layer then makes the layer tar (mtimes kept) at LAYER, with
 * its digests in LD; step_copy_end removes the staging dir in every case.
 */
int step_copy(const struct store *st, const struct copy_req *req, char *staging, size_t len,
	      char key[IMAGE_DIGEST_LEN + 1], struct mr_err *err);
int step_copy_layer(const struct store *st, const char *staging, char *layer, size_t len,
		    struct layer_digests *ld, struct mr_err *err);
void step_copy_end(const char *staging);

/* step_put_layer - move the layer tar at PATH into the store as a blob (digest checked). */
int step_put_layer(const struct store *st, const char *path, const struct layer_digests *ld,
		   struct mr_err *err);

#endif
