/*
 * minirun/build/build.h - `minirun build`: an image from a Dockerfile and a context.
 *
 * The folder's pieces, each with its own header:
 *
 *   dockerfile.h    the parser: a Dockerfile's instructions as written (a typed AST)
 *   shlex.h         the shell lexer: quotes, escapes, $VAR and ${VAR...} substitution
 *   dockerignore.h  the .dockerignore matcher: which context files are left out
 *
 * This header is the command the dispatcher (minirun/main.c) runs, and the builder behind
 * it (builder.c: the instructions in order, the cache; steps.c: RUN and COPY's layers).
 *
 * See: https://docs.docker.com/reference/cli/docker/buildx/build/
 */
#ifndef MR_BUILD_BUILD_H
#define MR_BUILD_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/cmd.h"
#include "lib/err.h"
#include "minirun/image/image.h"

/* `minirun build ...`: ARGV[0] is "build"; returns the exit status. FULL: minirun's argv. */
int build_main(int argc, char **argv, char **full);

/* `minirun builder du|prune` (cache.c): the build cache's records, their sizes, removal */
extern const struct mr_command builder_commands[];
/* builder_cache_usage - the build cache's totals for `system df` (cache.c): its records,
 * those an image in the store shares (ACTIVE: removing them frees nothing), their bytes,
 * and the bytes the others hold (reclaimable). -1 with err. */
struct builder_usage {
	size_t count, active;
	uint64_t size, reclaimable;
	/* optional: called for each live record (df -v's rows): its ID, the step that made it,
	 * its bytes, when it was last used, whether an image shares it */
	void (*each)(void *ctx, const char *id, const char *desc, uint64_t size, long long used,
		     bool shared);
	void *ctx;
};
int builder_cache_usage(struct builder_usage *u, struct mr_err *err);

/* --progress: BuildKit's plain lines, or its redrawing tty view (auto: tty when stderr is
 * a terminal and TERM is not "dumb") */
enum build_progress { BUILD_PROGRESS_AUTO, BUILD_PROGRESS_PLAIN, BUILD_PROGRESS_TTY };
/* build_progress_tty - does P draw the tty view here? */
bool build_progress_tty(enum build_progress p);

/* What `minirun build` was asked for. */
struct build_opts {
	const char *context;    /* the context directory */
	const char *dockerfile; /* the Dockerfile's path (CONTEXT/Dockerfile by default) */
	char **tags;            /* -t NAME[:TAG] */
	size_t ntags;
	char **build_args; /* --build-arg K=V, or K (its value from our environment) */
	size_t nbuild_args;
	char **labels; /* --label K=V: on the image, over the Dockerfile's LABELs */
	size_t nlabels;
	const char *network; /* RUN's network: "none" (NULL) or "host" */
	const char *target;  /* --target STAGE: build that stage (and what it needs) */
	const char *output;  /* --output type=local,dest=DIR|type=tar,dest=F: no image */
	bool no_cache, quiet;
	bool pull; /* --pull: pull every base image again, even when the store has it */
	enum build_progress progress;
};

/*
 * build_output_spec - --output SPEC split into TYPE ("local" or "tar") and DEST: "type=local,
 * dest=DIR", "type=tar,dest=FILE" (FILE "-": stdout), or buildx's shorthands "DIR" and "-"
 * (a tar on stdout). -1 with err naming SPEC and what to give.
 */
int build_output_spec(const char *spec, char type[16], char dest[4096], struct mr_err *err);

/*
 * build_platform_check - 0 if SPEC ("os/arch[/variant]") is this machine's platform, the
 * only one minirun builds for (no emulation); else -1 with err naming SPEC and the host's.
 */
int build_platform_check(const char *spec, struct mr_err *err);

/*
 * build_image - build O's Dockerfile in O's context into the image store (image_root()),
 * naming it with each -t; its ID ("sha256:...") to ID ("" with --output, which writes the
 * filesystem out instead). Progress on stderr (BuildKit's plain
 * form, or its tty view: O->progress) unless O->quiet. Returns 0, or -1 with err: a parse error as "FILE:LINE: what", a
 * failed RUN as docker says it ("process \"/bin/sh -c false\" did not complete
 * successfully: exit code: 1").
 */
int build_image(const struct build_opts *o, char id[IMAGE_DIGEST_LEN + 1], struct mr_err *err);

#endif
