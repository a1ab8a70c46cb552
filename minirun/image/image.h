/*
 * minirun/image/image.h - the image store, image references, and the image commands.
 *
 * What a Docker engine calls its "image service", in the open:
 *
 *   ROOT/images/                  an OCI image layout (image-spec "image-layout.md")
 *       oci-layout                {"imageLayoutVersion": "1.0.0"}
 *       index.json                one entry per image; the name is the annotation
 *                                 org.opencontainers.image.ref.name
 * ("docker.io/library/busybox:latest") blobs/sha256/HEX          manifests, configs and layer tars,
 * named by their sha256 .lock  .gc.lock  .tmp/    the locks, and temp files renamed into place when
 * complete ROOT/layers/sha256/HEX/       each layer unpacked once, named by its diffID (the sha256
 * of the uncompressed tar): ready to be an overlayfs lowerdir
 *
 * Content addressing is the whole trick: a blob's name is the sha256 of its bytes, so a blob
 * is checked on every read, two images share what they have in common, and a pull skips
 * what is already here. The image ID is the digest of its config, as Docker shows it.
 *
 * ROOT is --root, else $MINIRUN_ROOT, else /var/lib/minirun.
 *
 * Errors: library functions return -1 and fill struct mr_err (lib/err.h). The commands
 * (cmd_*) print one docker-like line ("minirun: ...") and return the exit status.
 *
 * See: https://github.com/opencontainers/image-spec (image-layout, manifest, config),
 *      https://github.com/opencontainers/distribution-spec (pull), docs/HACKING.md
 */
#ifndef MR_IMAGE_H
#define MR_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "lib/cmd.h"
#include "lib/err.h"

/* ---- the commands ------------------------------------------------------------------------ */

/* The verbs (lib/cmd.h's rows): images import load save tag rmi history image pull; ends
 * with a {NULL} entry */
extern const struct mr_command image_commands[];

int cmd_images(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_tag(int argc, char **argv);
int cmd_rmi(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_image(int argc,
	      char **argv); /* image ls|inspect|prune|rm|tag|history|pull|push|load|save|import */
int cmd_pull(int argc, char **argv);
int cmd_push(int argc, char **argv);   /* push.c */
int cmd_login(int argc, char **argv);  /* login.c */
int cmd_logout(int argc, char **argv); /* login.c */
int cmd_search(int argc, char **argv);

/* The store root the commands use: set by the dispatcher from --root (NULL: $MINIRUN_ROOT,
 * else /var/lib/minirun). image_root() returns the one in effect. */
extern const char *image_root_opt;
const char *image_root(void);

/* ---- references: [host[:port]/]repo[:tag][@sha256:hex] ----------------------------------- */

#define IMAGE_DIGEST_LEN 71 /* "sha256:" + 64 hex */

struct image_ref {
	char domain[256];                  /* "docker.io", "127.0.0.1:5000" */
	char path[256];                    /* "library/busybox" */
	char tag[129];                     /* "latest"; "" when only a digest was given */
	char digest[IMAGE_DIGEST_LEN + 1]; /* "sha256:..." or "" */
};

/* ref_parse - parse S with docker's rules and defaults (docker.io, library/, :latest when
 * neither a tag nor a digest is given). -1 with "invalid reference format ..." on bad input. */
int ref_parse(const char *s, struct image_ref *ref, struct mr_err *err);
/* the name stored in index.json: "docker.io/library/busybox:latest" or "...@sha256:..." */
void ref_canonical(const struct image_ref *ref, char *buf, size_t len);
/* the repository as docker shows it: "busybox", "foo/bar", "127.0.0.1:5000/x" */
void ref_familiar_repo(const struct image_ref *ref, char *buf, size_t len);
/* familiar form of a canonical name: "busybox:latest" */
void ref_familiar_name(const char *canonical, char *buf, size_t len);
/* the host to talk to: docker.io -> registry-1.docker.io */
const char *ref_registry_host(const struct image_ref *ref);
/* image_platform - SPEC "os/arch[/variant]" (NULL: this machine's, e.g. linux/amd64) split
 * into its parts, with GOARCH names as image configs use them */
int image_platform(const char *spec, char os[32], char arch[32], char variant[32],
		   struct mr_err *err);
/* 1 if D is "sha256:" followed by exactly 64 lowercase hex digits */
int digest_valid(const char *d);

/* ---- the store ---------------------------------------------------------------------------- */

struct store {
	char root[4096]; /* ROOT */
	char dir[4096];  /* ROOT/images, the OCI layout */
	int lockfd;      /* .lock: held exclusively around each read-modify-write of index.json */
	int gcfd;        /* .gc.lock: shared while adding, exclusive while deleting blobs */
};

/* store_open - create the layout under ROOT if missing and open its lock files. */
int store_open(struct store *st, const char *root, struct mr_err *err);
void store_close(struct store *st);

enum { STORE_INDEX = 1, STORE_ADDING, STORE_DELETING };
/* store_lock - STORE_INDEX: exclusive index lock; STORE_ADDING: shared gc lock (blobs being
 * added must not be pruned); STORE_DELETING: exclusive gc lock. Blocks until granted. */
int store_lock(const struct store *st, int which, struct mr_err *err);
void store_unlock(const struct store *st, int which);

/* blobs */
void store_blob_path(const struct store *st, const char *digest, char *buf, size_t len);
int store_has_blob(const struct store *st, const char *digest);
/* store_read_blob - read a (small) blob and check its sha256; *out is the caller's to free */
int store_read_blob(const struct store *st, const char *digest, char **out, size_t *len,
		    struct mr_err *err);
/* store_check_blob - hash the blob file and compare with its name */
int store_check_blob(const struct store *st, const char *digest, struct mr_err *err);
/* store_put_blob - write DATA as a blob (atomically); its digest goes to DIGEST */
int store_put_blob(const struct store *st, const void *data, size_t len,
		   char digest[IMAGE_DIGEST_LEN + 1], struct mr_err *err);

/* A blob being written: bytes go to a temp file while sha256 is computed on the way. */
struct blob_writer {
	int fd;
	char tmp[4096];
	void *md; /* EVP_MD_CTX */
	uint64_t size;
};
int blob_writer_open(const struct store *st, struct blob_writer *w, struct mr_err *err);
int blob_writer_write(struct blob_writer *w, const void *buf, size_t n, struct mr_err *err);
/* blob_writer_commit - finish: compare with EXPECT (may be NULL) and rename into blobs/;
 * the digest goes to DIGEST (may be NULL). On a mismatch nothing is stored. */
int blob_writer_commit(const struct store *st, struct blob_writer *w, const char *expect,
		       char *digest, struct mr_err *err);
void blob_writer_abort(struct blob_writer *w);
/* a temp path in .tmp/ (same filesystem as blobs/ and layers/, so rename works) */
int store_tmp_path(const struct store *st, const char *what, char *buf, size_t len,
		   struct mr_err *err);
/* sha256 of a memory buffer, as "sha256:hex" */
void digest_of(const void *data, size_t len, char digest[IMAGE_DIGEST_LEN + 1]);

/* index.json, the list of images. load: a new reference the caller json_decref()s. */
json_t *store_index_load(const struct store *st, struct mr_err *err);
int store_index_save(const struct store *st, json_t *index, struct mr_err *err);

/* ---- images in the store ------------------------------------------------------------------ */

#define IMAGE_ANN_NAME       "org.opencontainers.image.ref.name"
#define IMAGE_ANN_REPODIGEST "io.minirun.image.repo-digest"

struct image {
	char manifest_digest[IMAGE_DIGEST_LEN + 1];
	char id[IMAGE_DIGEST_LEN + 1]; /* config digest = image ID */
	json_t *manifest;
	json_t *config;
};
void image_free(struct image *img);

/* image_load - read and verify the manifest MANIFEST_DIGEST and its config. */
int image_load(const struct store *st, const char *manifest_digest, struct image *img,
	       struct mr_err *err);
/* image_config_check - CONFIG (an image's config, as image_load read it) checked for type
 * and shape, field by field (config_check.c): -1 with one line naming IMAGE (as the user
 * named it), the field and what is wrong ("image 'x': config.Env must be an array of
 * strings, not a string"). */
int image_config_check(json_t *config, const char *image, struct mr_err *err);
/* image_resolve - find NAME (a reference, a full or short image ID, or name@digest) and load
 * it. Error "No such image: NAME" (errnum ENOENT) if absent. */
int image_resolve(const struct store *st, const char *name, struct image *img, struct mr_err *err);
/* image_resolve_tagged - image_resolve, but "No such image" names a reference without a tag
 * with its ":latest" (docker's `tag` and `history` say "No such image: web:latest"; its
 * `rmi` and `inspect` say "web", as image_resolve) */
int image_resolve_tagged(const struct store *st, const char *name, struct image *img,
			 struct mr_err *err);

/* image_add - record MANIFEST_DIGEST (already stored) under NAME (canonical, or NULL for an
 * untagged image). A name that pointed elsewhere moves here; the image it left behind stays
 * as <none> if nothing else names it (docker's message goes to *moved_from). Takes the index
 * lock. REPO_DIGEST may be NULL. */
int image_add(const struct store *st, const char *name, const char *manifest_digest,
	      const char *repo_digest, char moved_from[IMAGE_DIGEST_LEN + 1], struct mr_err *err);

/* image_create - store a manifest over the config CONFIG_DIGEST and LAYERS (descriptors of
 * blobs already stored), unpack the layers and name the image NAME (may be NULL); its digest
 * goes to MANIFEST_DIGEST, a displaced image's to MOVED (may be NULL). The caller holds
 * STORE_ADDING. */
int image_create(const struct store *st, const char *config_digest, size_t config_size,
		 json_t *layers, const char *name, char manifest_digest[IMAGE_DIGEST_LEN + 1],
		 char moved[IMAGE_DIGEST_LEN + 1], struct mr_err *err);
/* the OCI media type of a layer with COMPRESSION ("none", "gzip", "zstd"), NULL if none */
const char *layer_media_type(const char *compression);

/* image_unpack - unpack every layer of IMG not yet under ROOT/layers (verifying each diffID
 * against the config's rootfs.diff_ids). */
int image_unpack(const struct store *st, const struct image *img, struct mr_err *err);
/* image_unpack_layer - the same for layer I: 1 if unpacked now, 0 if it already was */
int image_unpack_layer(const struct store *st, const struct image *img, size_t i,
		       struct mr_err *err);
/* the unpacked directory of layer DIFFID */
void store_layer_path(const struct store *st, const char *diffid, char *buf, size_t len);

/* image_lowerdirs - for the runtime: the unpacked layers of NAME, top-most first (overlay's
 * lowerdir order), as a NULL-terminated array the caller frees with image_lowerdirs_free.
 * The image ID goes to ID (may be NULL). Unpacks layers missing on disk. */
int image_lowerdirs(const struct store *st, const char *name, char ***dirs,
		    char id[IMAGE_DIGEST_LEN + 1], struct mr_err *err);
/* image_layer_dirs - the same for IMG, resolved already (run records them: the monitor then
 * mounts the overlay without opening the store). */
int image_layer_dirs(const struct store *st, const struct image *img, char ***dirs,
		     struct mr_err *err);
void image_lowerdirs_free(char **dirs);

/* image_apply_change - apply one Dockerfile-style instruction ("CMD [\"sh\"]", "ENV K=V",
 * "WORKDIR /x", "EXPOSE 80", "VOLUME /data", "HEALTHCHECK --interval=5s CMD true", ...) to CFG, an
 * image config's "config" object (import -c, commit -c). -1 with a message naming the instruction
 * when it is unknown or malformed. */
int image_apply_change(json_t *cfg, const char *change, struct mr_err *err);

/* ---- in use: what the containers tell the store ------------------------------------------- */

/* image_in_use - 1 if a container uses image ID (its name goes to WHO), 0 if not.
 * By default a container is "a directory ROOT/containers/NAME holding a file `image`
 * whose content is the image ID" (the contract with the containers code); a runtime with
 * its own records sets image_in_use_hook instead. */
int image_in_use(const struct store *st, const char *id, char *who, size_t wholen);
extern int (*image_in_use_hook)(const struct store *st, const char *id, char *who, size_t wholen);

/* store_gc - delete blobs no image references and unpacked layers no image uses; the count
 * of bytes freed goes to *freed (may be NULL). Takes the gc lock exclusively. */
int store_gc(const struct store *st, uint64_t *freed, struct mr_err *err);

/* ---- formats docker uses on the terminal ---------------------------------------------------- */

/* "4.26MB" (decimal units, 3 significant digits, as docker's units.HumanSize) */
void fmt_size(uint64_t bytes, char *buf, size_t len);
/* "2 hours ago" from an RFC 3339 time ("About a minute ago", "N/A" if unparsable) */
void fmt_since(const char *rfc3339, char *buf, size_t len);
/* seconds since the epoch from an RFC 3339 time, -1 if unparsable */
long long parse_rfc3339(const char *s);
/* now, RFC 3339 in UTC with nanoseconds as Go prints it */
void fmt_now(char *buf, size_t len);

/* a table printed as docker's tabwriter does: columns as wide as their widest cell + 3 */
struct table {
	size_t ncols, n, cap;
	char **cells;
};
void table_init(struct table *t, size_t ncols);
void table_add(struct table *t, ...); /* NCOLS strings (NULL prints as "") */
void table_print(struct table *t);    /* prints, then frees the cells */

/* ---- helpers shared by the command files ------------------------------------------------- */

int image_inspect(int argc, char **argv); /* image inspect NAME... */
int image_prune(int argc, char **argv);   /* image prune [-a] [-f] */
/* open the store at image_root(), printing the error; returns 0, or 1 (the exit status) */
int image_open_store(struct store *st);
/* the size docker shows: unpacked bytes of each layer where known, else the blob sizes */
uint64_t image_size(const struct store *st, const struct image *img);

/* print "minirun: MSG" on stderr and return 1 (docker's status for a failed image verb) */
int image_error(const struct mr_err *err);
int image_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* print "minirun: MSG\nSee 'minirun VERB --help'." and return 125, as docker does */
int image_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* archives and the registry */
enum { ARCHIVE_DOCKER = 1, ARCHIVE_OCI };
int archive_load(const struct store *st, const char *file, struct mr_err *err);
int archive_save(const struct store *st, const char *file, int format, char **names, int n,
		 struct mr_err *err);

/* pull REF into the store; PLATFORM "os/arch[/variant]" or NULL for this machine's */
struct pull_opts {
	const char *platform;
	int insecure; /* 1: plain http, no TLS verification; -1: verify even loopback */
	int quiet;    /* print nothing */
	FILE *out;    /* where docker's lines go (NULL: stdout); run/create give stderr */
};
/* image_pull - pull REF, saying what it does on o->out as docker pull does ("1: Pulling
 * from test/bb", a line per layer, then "Digest: sha256:..." and "Status: Downloaded newer
 * image for NAME" or "Status: Image is up to date for NAME"), unless o->quiet. Returns 1 if
 * something was downloaded or renamed, 0 if the image was already here under that name
 * ("Image is up to date"), -1 with err on failure (nothing kept, no Digest/Status line). */
int image_pull(const struct store *st, const char *ref, const struct pull_opts *o,
	       struct mr_err *err);

/* push NAME:TAG from the store to its registry */
struct push_opts {
	int insecure; /* as pull_opts' */
	int all_tags; /* every tag the store has of NAME's repository (NAME has no tag) */
	int quiet;    /* print nothing */
	FILE *out;    /* where docker's lines go (NULL: stdout) */
};
/* image_push - push NAME's blobs (those the registry lacks) and manifest, saying what it
 * does as docker push does ("The push refers to repository [HOST/REPO]", a line per layer,
 * "TAG: digest: sha256:... size: N"), unless o->quiet; the name then has that digest among
 * its RepoDigests. -1 with err ("An image does not exist locally with the tag: REPO"). */
int image_push(const struct store *st, const char *name, const struct push_opts *o,
	       struct mr_err *err);

/* progress: one line (a bar when OUT is a terminal) per layer, on OUT */
struct progress;
struct progress *progress_new(int nlines, int quiet, FILE *out);
void progress_line(struct progress *p, int i, const char *id, const char *status);
void progress_bytes(struct progress *p, int i, uint64_t done, uint64_t total);
void progress_free(struct progress *p);

#endif
