/*
 * minirun/image/store.c - the OCI image layout on disk: blobs, index.json, locks.
 *
 * Three rules keep the store consistent with several minirun commands running at once and
 * any of them killed at any moment:
 *
 *   1. Nothing appears half-written. A blob is written to .tmp/, hashed on the way, and
 *      renamed to blobs/sha256/HEX only when its sha256 matches; index.json is replaced by
 *      rename too (lib/file.h mr_write_file_atomic). A killed command leaves only .tmp/
 *      litter, which the next store_gc removes.
 *   2. index.json changes under an exclusive flock(2) on .lock, held from the read to the
 *      rename (a read-modify-write), so two imports can't lose each other's entry.
 *   3. Blobs are deleted only under an exclusive flock on .gc.lock; commands that add
 *      blobs hold it shared, so a prune can't delete a layer a pull just downloaded but
 *      has not yet named in index.json.
 *
 * Every read of a blob hashes it again: a blob whose bytes changed on disk is refused.
 *
 * See: image-spec image-layout.md, flock(2), rename(2)
 */
#include "minirun/image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/sha256.h"

const char *image_root_opt;

const char *image_root(void)
{
	const char *env = getenv("MINIRUN_ROOT");
	if (image_root_opt && *image_root_opt)
		return image_root_opt;
	return env && *env ? env : "/var/lib/minirun";
}

static void hex_digest(const unsigned char *md, char digest[IMAGE_DIGEST_LEN + 1])
{
	strcpy(digest, "sha256:");
	for (int i = 0; i < 32; i++)
		sprintf(digest + 7 + 2 * i, "%02x", md[i]);
}

/* Blobs in memory are manifests, configs and indexes, a few KiB: lib/sha256 hashes them
 * without OpenSSL's start-up cost (sha256.h). Streams (layers) use OpenSSL: hash_fd. */
void digest_of(const void *data, size_t len, char digest[IMAGE_DIGEST_LEN + 1])
{
	unsigned char md[32];
	mr_sha256(data, len, md);
	hex_digest(md, digest);
}

static int open_lock(const char *dir, const char *name, struct mr_err *err)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return mr_fail(err, errno, "open lock '%s'", path);
	return fd;
}

int store_open(struct store *st, const char *root, struct mr_err *err)
{
	char path[4200];
	memset(st, 0, sizeof(*st));
	st->lockfd = st->gcfd = -1;
	if (snprintf(st->root, sizeof(st->root), "%s", root) >= (int)sizeof(st->root) ||
	    snprintf(st->dir, sizeof(st->dir), "%s/images", root) >= (int)sizeof(st->dir))
		return mr_fail(err, ENAMETOOLONG, "store root '%s'", root);

	snprintf(path, sizeof(path), "%s/blobs/sha256", st->dir);
	if (mr_mkdir_p(path, 0700, err) < 0) {
		if (errno == EACCES || errno == EROFS)
			mr_prefix(err,
				  "the image store needs root, or --root DIR (MINIRUN_ROOT) for "
				  "one of your own: ");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/.tmp", st->dir);
	if (mr_mkdir_p(path, 0700, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/layers/sha256", st->root);
	if (mr_mkdir_p(path, 0700, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/layers/sizes", st->root);
	if (mr_mkdir_p(path, 0700, err) < 0)
		return -1;
	if ((st->lockfd = open_lock(st->dir, ".lock", err)) < 0 ||
	    (st->gcfd = open_lock(st->dir, ".gc.lock", err)) < 0) {
		store_close(st);
		return -1;
	}

	/* the two files that make a directory an OCI layout, made once under the lock */
	static const struct {
		const char *name, *text;
	} files[] = {
		{"oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}\n"},
		{"index.json", "{\"schemaVersion\":2,\"manifests\":[]}\n"},
	};
	if (store_lock(st, STORE_INDEX, err) < 0) {
		store_close(st);
		return -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", st->dir, files[i].name);
		if (access(path, F_OK) == 0)
			continue;
		if (mr_write_file_atomic(path, files[i].text, strlen(files[i].text), 0644, err) <
		    0) {
			store_unlock(st, STORE_INDEX);
			store_close(st);
			return -1;
		}
	}
	store_unlock(st, STORE_INDEX);
	return 0;
}

void store_close(struct store *st)
{
	if (st->lockfd >= 0)
		close(st->lockfd);
	if (st->gcfd >= 0)
		close(st->gcfd);
	st->lockfd = st->gcfd = -1;
}

int store_lock(const struct store *st, int which, struct mr_err *err)
{
	int fd = which == STORE_INDEX ? st->lockfd : st->gcfd;
	int op = which == STORE_ADDING ? LOCK_SH : LOCK_EX;
	while (flock(fd, op) < 0)
		if (errno != EINTR)
			return mr_fail(err, errno, "lock the image store '%s'", st->dir);
	return 0;
}

void store_unlock(const struct store *st, int which)
{
	flock(which == STORE_INDEX ? st->lockfd : st->gcfd, LOCK_UN);
}

/* ---- blobs ------------------------------------------------------------------------------ */

void store_blob_path(const struct store *st, const char *digest, char *buf, size_t len)
{
	/* digest_valid() was checked by whoever took DIGEST from outside */
	snprintf(buf, len, "%s/blobs/sha256/%s", st->dir, digest + 7);
}

int store_has_blob(const struct store *st, const char *digest)
{
	char path[4400];
	if (!digest_valid(digest))
		return 0;
	store_blob_path(st, digest, path, sizeof(path));
	return access(path, F_OK) == 0;
}

/* hash the file FD from its start; the digest goes to DIGEST, its size to *size */
static int hash_fd(int fd, char digest[IMAGE_DIGEST_LEN + 1], uint64_t *size)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char buf[1 << 16], out[32];
	ssize_t n;
	*size = 0;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(md, buf, n);
		*size += n;
	}
	EVP_DigestFinal_ex(md, out, NULL);
	EVP_MD_CTX_free(md);
	if (n < 0)
		return -1;
	hex_digest(out, digest);
	return 0;
}

int store_check_blob(const struct store *st, const char *digest, struct mr_err *err)
{
	char path[4400], got[IMAGE_DIGEST_LEN + 1];
	uint64_t size;
	if (!digest_valid(digest))
		return mr_fail(err, 0, "invalid digest '%s'", digest);
	store_blob_path(st, digest, path, sizeof(path));
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "blob %s", digest);
	if (hash_fd(fd, got, &size) < 0)
		return mr_fail(err, errno, "read blob '%s'", path);
	if (strcmp(got, digest) != 0)
		return mr_fail(err, 0,
			       "blob %s is corrupt: its content hashes to %s; remove the image "
			       "and pull or load it again",
			       digest, got);
	return 0;
}

int store_read_blob(const struct store *st, const char *digest, char **out, size_t *len,
		    struct mr_err *err)
{
	char path[4400], got[IMAGE_DIGEST_LEN + 1];
	char *data = NULL;
	size_t n = 0;
	if (!digest_valid(digest))
		return mr_fail(err, 0, "invalid digest '%s'", digest);
	store_blob_path(st, digest, path, sizeof(path));
	if (mr_read_file(path, &data, &n, err) < 0)
		return -1;
	digest_of(data, n, got);
	if (strcmp(got, digest) != 0) {
		free(data);
		return mr_fail(err, 0,
			       "blob %s is corrupt: its content hashes to %s; remove the image "
			       "and pull or load it again",
			       digest, got);
	}
	*out = data;
	if (len)
		*len = n;
	return 0;
}

int store_tmp_path(const struct store *st, const char *what, char *buf, size_t len,
		   struct mr_err *err)
{
	static unsigned seq;
	if (snprintf(buf, len, "%s/.tmp/%s.%d.%u", st->dir, what, (int)getpid(), seq++) >= (int)len)
		return mr_fail(err, ENAMETOOLONG, "temp path in '%s'", st->dir);
	return 0;
}

int blob_writer_open(const struct store *st, struct blob_writer *w, struct mr_err *err)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (store_tmp_path(st, "blob", w->tmp, sizeof(w->tmp), err) < 0)
		return -1;
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (w->fd < 0)
		return mr_fail(err, errno, "create '%s'", w->tmp);
	w->md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(w->md, EVP_sha256(), NULL);
	return 0;
}

int blob_writer_write(struct blob_writer *w, const void *buf, size_t n, struct mr_err *err)
{
	const char *p = buf;
	EVP_DigestUpdate(w->md, buf, n);
	w->size += n;
	while (n > 0) {
		ssize_t k = write(w->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return mr_fail(err, errno, "write '%s'", w->tmp);
		p += k;
		n -= k;
	}
	return 0;
}

void blob_writer_abort(struct blob_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp[0])
		unlink(w->tmp);
	if (w->md)
		EVP_MD_CTX_free(w->md);
	w->fd = -1;
	w->tmp[0] = 0;
	w->md = NULL;
}

int blob_writer_commit(const struct store *st, struct blob_writer *w, const char *expect,
		       char *digest, struct mr_err *err)
{
	unsigned char md[32];
	char got[IMAGE_DIGEST_LEN + 1], path[4400];
	EVP_DigestFinal_ex(w->md, md, NULL);
	hex_digest(md, got);
	if (expect && strcmp(got, expect) != 0) {
		blob_writer_abort(w);
		return mr_fail(err, 0,
			       "digest mismatch: expected %s, the %llu bytes received hash to %s",
			       expect, (unsigned long long)w->size, got);
	}
	/* why fsync before rename: after a crash the name must never point at lost bytes */
	if (fsync(w->fd) < 0) {
		mr_fail(err, errno, "fsync '%s'", w->tmp);
		blob_writer_abort(w);
		return -1;
	}
	store_blob_path(st, got, path, sizeof(path));
	if (rename(w->tmp, path) < 0) {
		mr_fail(err, errno, "rename '%s' to '%s'", w->tmp, path);
		blob_writer_abort(w);
		return -1;
	}
	w->tmp[0] = 0;
	blob_writer_abort(w);
	if (digest)
		strcpy(digest, got);
	return 0;
}

int store_put_blob(const struct store *st, const void *data, size_t len,
		   char digest[IMAGE_DIGEST_LEN + 1], struct mr_err *err)
{
	struct blob_writer w;
	digest_of(data, len, digest);
	if (store_has_blob(st, digest))
		return 0;
	if (blob_writer_open(st, &w, err) < 0)
		return -1;
	if (blob_writer_write(&w, data, len, err) < 0) {
		blob_writer_abort(&w);
		return -1;
	}
	return blob_writer_commit(st, &w, digest, NULL, err);
}

/* ---- index.json --------------------------------------------------------------------------- */

json_t *store_index_load(const struct store *st, struct mr_err *err)
{
	char path[4200];
	json_error_t je;
	snprintf(path, sizeof(path), "%s/index.json", st->dir);
	json_t *idx = mr_json_load_file(path, 0, &je);
	if (!idx) {
		mr_fail(err, 0, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_array(json_object_get(idx, "manifests"))) {
		json_decref(idx);
		mr_fail(err, 0, "%s: 'manifests' must be an array", path);
		return NULL;
	}
	return idx;
}

int store_index_save(const struct store *st, json_t *index, struct mr_err *err)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/index.json", st->dir);
	_cleanup_free_ char *text = json_dumps(index, JSON_INDENT(2));
	if (!text)
		return mr_fail(err, ENOMEM, "encode index.json");
	size_t n = strlen(text);
	text[n] = '\n';
	return mr_write_file_atomic(path, text, n + 1, 0644, err);
}
