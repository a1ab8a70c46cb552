/*
 * unionfs/layer_int.h - helpers shared by the layer_*.c files of unionfs/ (not a public API:
 * minirun and the tiny programs use unionfs/layer.h).
 *
 *   pathset   a set of relative paths: "was this path created by the layer being applied?"
 *   undo      the journal that makes applying onto an existing tree all-or-nothing
 *   tree      removing a directory tree without following symlinks
 *   digests   sha256 hex formatting and the compression filters a layer may use
 */
#ifndef MR_UNIONFS_LAYER_INT_H
#define MR_UNIONFS_LAYER_INT_H

#include <archive.h>
#include <openssl/evp.h>
#include <stddef.h>

#include "lib/err.h"
#include "unionfs/layer.h"

/* ---- pathset: an open-addressing hash set of strings (owned copies) ---- */
struct pathset {
	char **slot;
	size_t cap, n;
};
int pathset_add(struct pathset *s, const char *path); /* 0, or -1 (ENOMEM) */
int pathset_has(const struct pathset *s, const char *path);
void pathset_free(struct pathset *s);

/* ---- tree removal: unlink DIRFD/NAME, a whole directory tree if it is one, never
 * following a symlink. 0 (also when NAME does not exist), or -1 with errno set. ---- */
int layer_remove_tree(int dirfd, const char *name);

/* ---- undo journal (layer_undo.c) ----
 * Records, in order, what an apply does to a tree that existed before it, so that a
 * failure can put everything back: paths it created (removed on rollback), entries it
 * replaced or removed (moved into an undo directory inside the root, moved back on
 * rollback), directories whose metadata it changed (mode/owner/times/xattrs saved
 * before the first change, restored on rollback). The rollback runs in reverse order, so
 * each step finds the tree as it was right after the step it undoes. */
#define LAYER_UNDO_PREFIX ".unionfs-undo-"
struct layer_undo;
int undo_begin(int rootfd, struct layer_undo **out, struct mr_err *err);
const char *undo_dirname(const struct layer_undo *u); /* ".unionfs-undo-XXXXXX" */
int undo_created(struct layer_undo *u, const char *rel);
/* move ROOT/REL (found as PARENTFD/BASE) into the undo directory */
int undo_displace(struct layer_undo *u, int parentfd, const char *base, const char *rel);
/* save the metadata of directory ROOT/REL (once per path; later calls do nothing) */
int undo_save_meta(struct layer_undo *u, int rootfd, const char *rel);
/* put the tree back as it was; best effort, returns -1 if a step failed */
int undo_rollback(struct layer_undo *u, int rootfd);
/* keep the changes: remove the undo directory */
int undo_commit(struct layer_undo *u, int rootfd);
void undo_free(struct layer_undo *u);

/* ---- secure resolution (layer_undo.c): open directory REL beneath ROOTFD, refusing
 * symlinks, "..", and mount crossings on the way; O_PATH fd, or -1 with errno
 * (ELOOP/ENOTDIR for a symlink or non-directory on the way, EXDEV, ENOENT). ---- */
int layer_open_beneath(int rootfd, const char *rel, int flags);

/* ---- digests and filters (layer_digest.c) ---- */
void layer_hex_digest(EVP_MD_CTX *ctx, char out[LAYER_DIGEST_SIZE]);
void layer_archive_filters(struct archive *a);
const char *layer_compression_name(struct archive *a);

#endif
