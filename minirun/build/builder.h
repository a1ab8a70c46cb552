/*
 * minirun/build/builder.h - what builder.c (the instructions, in order) and steps.c (the
 * two that make layers: RUN and COPY) share; internal to minirun/build/.
 */
#ifndef MR_BUILD_BUILDER_H
#define MR_BUILD_BUILDER_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/err.h"
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

/* What COPY was asked for. */
struct copy_req {
	const char *context; /* the context directory */
	const struct dockerignore *ignore;
	char **srcs; /* relative to the context, expanded */
	size_t nsrcs;
	const char *dest; /* absolute, expanded (WORKDIR applied) */
	bool dest_is_dir; /* DEST ends with / (or there are several sources) */
	long uid, gid;    /* --chown, resolved; 0:0 by default */
	long chmod;       /* --chmod, or -1 */
	char **lowers;    /* the image's layer dirs, top-most first (parents' modes) */
};

/*
 * step_copy - the files REQ selects as a layer tar in the store's temp dir: the path to
 * LAYER, its digests (mtimes kept) to LD, and the diffID of the same tree with every mtime
 * 0 to KEY (the cache's view: names, types, modes, owners, contents, link targets). The
 * caller stores or drops the tar. -1 with err ("COPY failed: file not found in build
 * context or excluded by .dockerignore: stat x: ...", "... outside the build context").
 */
int step_copy(const struct store *st, const struct copy_req *req, char *layer, size_t layerlen,
	      struct layer_digests *ld, char key[IMAGE_DIGEST_LEN + 1], struct mr_err *err);

/* step_put_layer - move the layer tar at PATH into the store as a blob (digest checked). */
int step_put_layer(const struct store *st, const char *path, const struct layer_digests *ld,
		   struct mr_err *err);

#endif
