/*
 * minirun/build/from.c - the images a build starts from: FROM's (and COPY --from's) image
 * found in the store, or pulled from its registry first, and the one platform minirun
 * builds for.
 *
 *   FROM 127.0.0.1:5000/base:1          not in the store: pulled, as `minirun pull` does
 *   FROM base@sha256:4f3a...            in the store by manifest digest, repo digest or
 *                                       image ID (an imported image has no repo digest)
 *   FROM --platform=$BUILDPLATFORM x    this machine's platform: RUN runs natively
 *
 * The pulls happen before any stage is built (builder.c's pull_bases), each under
 * BuildKit's vertex "[internal] load metadata for NAME"; --pull pulls every base again.
 *
 * See: https://docs.docker.com/reference/dockerfile/#from ; builder.h; minirun/image/pull.c
 */
#include "minirun/build/builder.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int build_platform_check(const char *spec, struct mr_err *err)
{
	char os[32], arch[32], variant[32], hos[32], harch[32], hvariant[32];
	if (image_platform(NULL, hos, harch, hvariant, err) < 0)
		return -1;
	if (strchr(spec, ','))
		return mr_fail(err, 0,
			       "%s: one platform only (a multi-platform build needs emulation, "
			       "which minirun does not do)",
			       spec);
	if (image_platform(spec, os, arch, variant, NULL) < 0)
		return mr_fail(err, 0, "%s: expected OS/ARCH[/VARIANT], e.g. %s/%s", spec, hos,
			       harch);
	if (strcmp(os, hos) || strcmp(arch, harch) || (variant[0] && strcmp(variant, hvariant)))
		return mr_fail(
			err, 0,
			"%s: this machine builds for %s/%s%s%s only (RUN runs natively here, "
			"without emulation)",
			spec, hos, harch, hvariant[0] ? "/" : "", hvariant);
	return 0;
}

/*
 * bld_resolve_base - the base image NAME in the store: by its name, or NAME@DIGEST by the
 * manifest digest (or the repo digest a pull recorded), else - an imported or loaded image
 * has no repo digest - by DIGEST as the image ID (the config's digest). 0 with IMG, -1
 * with ERR (errnum ENOENT when it is not there).
 */
int bld_resolve_base(struct builder *b, const char *name, struct image *img, struct mr_err *err)
{
	struct image_ref ref;
	if (image_resolve(&b->st, name, img, err) == 0)
		return 0;
	if (err && err->errnum != ENOENT)
		return -1;
	if (ref_parse(name, &ref, NULL) < 0 || !ref.digest[0])
		return -1;
	if (image_resolve(&b->st, ref.digest, img, NULL) == 0)
		return 0;
	return mr_failk(err, MR_E_NOT_FOUND, ENOENT,
			"no image in the store has the manifest digest, repo digest or image ID "
			"%s",
			ref.digest);
}

/*
 * bld_pull_base - the image NAME of a stage's WHAT ("FROM", "COPY --from"), before any
 * stage is built: pulled from its registry as
 * `minirun pull` does when the store lacks it, or always with --pull (but a NAME@DIGEST
 * already here: that content cannot have changed). BuildKit's line for it is
 * "[internal] load metadata for NAME". The caller holds no store lock (a failed pull
 * collects its garbage, which needs the store to itself).
 */
int bld_pull_base(struct builder *b, const char *name, const char *what)
{
	struct image_ref ref;
	struct image img;
	char canon[600];
	if (!strcasecmp(name, "scratch") || !strncmp(name, "sha256:", 7) ||
	    ref_parse(name, &ref, NULL) < 0)
		return 0; /* no registry's: do_from resolves it or says what is wrong */
	bool have = bld_resolve_base(b, name, &img, NULL) == 0;
	if (have)
		image_free(&img);
	if (have && (!b->o->pull || ref.digest[0]))
		return 0;
	ref_canonical(&ref, canon, sizeof(canon));
	bld_say(b, "#%d [internal] load metadata for %s\n", ++b->vertex, canon);
	double t0 = bld_now();
	struct pull_opts po = {.quiet = 1};
	mr_say("%s %s: %s, pulled as `minirun pull` would", what, name,
	       have ? "--pull" : "not in the store");
	if (image_pull(&b->st, name, &po, b->err) < 0) {
		bld_say(b, "#%d ERROR: %s\n", b->vertex, b->err->msg);
		if (ref.digest[0])
			mr_prefix(b->err,
				  "%s %s: no image in the store has the manifest digest, repo "
				  "digest or image ID %s, and the pull failed: ",
				  what, name, ref.digest);
		else
			mr_prefix(b->err, "%s %s: %s: ", what, name,
				  have ? "--pull" : "not in the store, and the pull failed");
		return -1;
	}
	if (bld_resolve_base(b, name, &img, NULL) == 0) {
		bld_say(b, "#%d resolve %s done\n", b->vertex, img.manifest_digest);
		image_free(&img);
	}
	bld_say(b, "#%d DONE %.1fs\n\n", b->vertex, bld_now() - t0);
	return 0;
}
