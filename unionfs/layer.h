/*
 * unionfs/layer.h - OCI image layers: apply a layer tar to a directory, turn an overlay
 * upper directory back into a layer tar, and compute a layer's digest and diffID.
 *
 * An OCI layer is a tar (plain, gzip or zstd) of the files a layer adds or changes, plus
 * whiteout entries for what it removes: "dir/.wh.NAME" removes NAME from the layers below,
 * "dir/.wh..wh..opq" hides everything the layers below have in dir (an opaque directory).
 * overlayfs spells the same two facts differently: a whiteout is a character device 0/0
 * named NAME, an opaque directory has the xattr trusted.overlay.opaque = "y".
 *
 *	struct layer_apply_opts o = {.mode = LAYER_OVERLAY};
 *	if (layer_apply("blobs/sha256/ab12...", "layers/ab12...", &o, NULL, &err) < 0)
 *		mr_die_err(&err);   // "layer 'blobs/...': entry '../etc/passwd': path climbs out ..."
 *
 * Applying is secure against hostile tars: no entry can write outside the target directory
 * (no "..", no absolute path, no path through a symlink, no hard link to outside, no
 * trusted.overlay.* xattrs smuggled in), and a failed apply leaves the target as it was.
 *
 * See: https://github.com/opencontainers/image-spec/blob/main/layer.md,
 *      Documentation/filesystems/overlayfs.rst, openat2(2), libarchive(3)
 */
#ifndef MR_UNIONFS_LAYER_H
#define MR_UNIONFS_LAYER_H

#include <stddef.h>

#include "lib/err.h"

/* ---- whiteout names and paths (pure functions) ---------------------------------------- */

#define LAYER_WH_PREFIX        ".wh."         /* "dir/.wh.NAME" removes dir/NAME */
#define LAYER_WH_OPAQUE        ".wh..wh..opq" /* "dir/.wh..wh..opq" makes dir opaque */
#define LAYER_OVL_OPAQUE_XATTR "trusted.overlay.opaque"
#define LAYER_OVL_XATTR_PREFIX "trusted.overlay." /* never taken from, nor put in, a tar */
/* the same, for an overlay mounted with `userxattr` (in a user namespace: rootless) */
#define LAYER_OVL_USER_OPAQUE_XATTR "user.overlay.opaque"
#define LAYER_OVL_USER_XATTR_PREFIX "user.overlay."

enum layer_wh_kind {
	LAYER_WH_NONE = 0, /* an ordinary name */
	LAYER_WH_FILE,     /* ".wh.NAME": NAME is removed */
	LAYER_WH_OPQ,      /* ".wh..wh..opq": the directory is opaque */
	LAYER_WH_BAD,      /* ".wh." prefix with an unusable NAME ("", ".", "..", ".wh..wh.*") */
};

/*
 * layer_whiteout_kind - classify the last component BASE of a tar path; for LAYER_WH_FILE
 * *target (may be NULL) points into BASE at the name being removed.
 */
enum layer_wh_kind layer_whiteout_kind(const char *base, const char **target);

/* layer_whiteout_name - "NAME" -> ".wh.NAME" in buf. Returns 0, or -1 (ENAMETOOLONG). */
int layer_whiteout_name(const char *name, char *buf, size_t size);

/*
 * layer_clean_path - the canonical relative form of a tar entry's path:
 * "./a//b/./c/" -> "a/b/c"; "." and "./" -> "" (the target directory itself).
 * Refuses (returns -1 with err filled, errno EINVAL) an absolute path, any ".." component,
 * an embedded NUL/empty input, and a result longer than size-1 (ENAMETOOLONG).
 */
int layer_clean_path(const char *in, char *out, size_t size, struct mr_err *err);

/* ---- applying a layer ----------------------------------------------------------------- */

enum layer_mode {
	LAYER_PLAIN = 0, /* whiteouts remove files: the target is a flattened root filesystem */
	LAYER_OVERLAY,   /* whiteouts become overlay whiteouts / opaque xattrs: the target is
			    one layer's directory, for use as an overlay lowerdir */
};

struct layer_apply_opts {
	enum layer_mode mode;
	int no_owners;   /* do not chown (an unprivileged caller): files stay the caller's */
	int user_xattrs; /* LAYER_OVERLAY: opaque dirs as user.overlay.opaque, for an overlay
			    mounted with `userxattr` (rootless); else trusted.overlay.opaque */
};

struct layer_stats {
	unsigned long entries, files, dirs, links, whiteouts, opaques;
	unsigned long long bytes; /* file content written */
};

/*
 * layer_apply - apply the layer tar at PATH ("-" for stdin) to directory DIR.
 * Compression (none, gzip, zstd, also bzip2/xz) is detected from the content.
 * Owners, modes, xattrs, device nodes, fifos, hard links and timestamps are preserved.
 *
 * If DIR does not exist, the layer is extracted into a temporary directory beside it that
 * is renamed to DIR only when the whole layer applied (how an image store makes a layer
 * directory appear complete or not at all). LAYER_OVERLAY requires this (a fresh DIR).
 * If DIR exists (LAYER_PLAIN onto a tree), everything the apply replaces or removes is
 * first moved aside into an undo directory inside DIR, and on failure the apply is rolled
 * back, so DIR is left as it was; on success the undo directory is removed.
 *
 * Returns 0 and fills *stats (may be NULL), or -1 with err naming the layer, the entry and
 * what is wrong ("layer 'x.tar': entry 'a/../../b': path climbs out with '..'").
 */
int layer_apply(const char *path, const char *dir, const struct layer_apply_opts *opts,
		struct layer_stats *stats, struct mr_err *err);

/* layer_apply_fd - the same, reading the layer from FD (not closed); NAME names it in errors. */
int layer_apply_fd(int fd, const char *name, const char *dir, const struct layer_apply_opts *opts,
		   struct layer_stats *stats, struct mr_err *err);

/* ---- digests -------------------------------------------------------------------------- */

#define LAYER_DIGEST_SIZE 72 /* "sha256:" + 64 hex digits + NUL */

struct layer_digests {
	char digest[LAYER_DIGEST_SIZE]; /* sha256 of the blob as stored (maybe compressed) */
	char diffid[LAYER_DIGEST_SIZE]; /* sha256 of the uncompressed tar stream */
	unsigned long long size;        /* bytes in the blob as stored */
	const char *compression;        /* "none", "gzip", "zstd", ... (static string) */
};

/*
 * layer_digest - compute the digest (blob) and diffID (uncompressed tar) of the layer at
 * PATH in one read. Returns 0, or -1 with err filled (unreadable file, corrupt stream).
 */
int layer_digest(const char *path, struct layer_digests *out, struct mr_err *err);

/* ---- diffing an upper directory ------------------------------------------------------- */

enum layer_compression { LAYER_COMP_NONE = 0, LAYER_COMP_GZIP, LAYER_COMP_ZSTD };

struct layer_diff_opts {
	long long mtime;                    /* >= 0: every entry gets this mtime (seconds), for
					       reproducible digests; < 0: keep the files' own */
	enum layer_compression compression; /* of the written tar */
	/* owners as a user namespace sees them: a uid in [shift_uid, shift_uid + shift_size) is
	 * written less shift_uid (a gid likewise with shift_gid), others as they are. An upper
	 * dir of a container whose root is host uid H (--userns=auto) holds H for root's files;
	 * its layer must say 0. shift_size 0: no shift. */
	unsigned long shift_uid, shift_gid, shift_size;
};

/*
 * layer_diff - write the overlay upper directory UPPER as an OCI layer tar at OUT:
 * entries in byte order of their path (a directory before its contents), overlay
 * whiteouts as ".wh.NAME", an opaque directory followed by its ".wh..wh..opq", hard links
 * as tar hard links, owners as numbers only, xattrs except trusted.overlay.*. The same tree
 * and options give the same bytes. OUT is written to a temp file and renamed into place.
 * Refuses an upper that uses overlay features a tar cannot carry (redirect_dir, metacopy).
 * Fills *digests (may be NULL). Returns 0, or -1 with err filled (and no OUT written).
 */
int layer_diff(const char *upper, const char *out, const struct layer_diff_opts *opts,
	       struct layer_digests *digests, struct mr_err *err);

#endif
