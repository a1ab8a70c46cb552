/*
 * unionfs/layer_digest.c - a layer's two names: its digest and its diffID.
 *
 * An image manifest names each layer blob by the sha256 of its bytes as stored (usually
 * gzip-compressed): the digest. The image config lists the same layers by the sha256 of
 * the *uncompressed* tar: the diffID, which stays the same however the blob is compressed.
 * Both are computed here in one read of the blob: a libarchive read callback hashes the
 * bytes as they come from the file, and libarchive's "raw" format hands back the
 * decompressed stream, which is hashed too.
 *
 * See: https://github.com/opencontainers/image-spec/blob/main/config.md#layer-diffid
 *      EVP_DigestInit(3), archive_read_support_format_raw(3)
 *
 *   unionfs/digest LAYER.tar.gz      prints "sha256:... sha256:... SIZE COMPRESSION"
 */
#include "unionfs/layer.h"
#include "unionfs/layer_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"

#define BLOCK (128 * 1024)

struct hashing_reader {
	int fd;
	EVP_MD_CTX *blob; /* sha256 of the bytes as stored */
	unsigned long long size;
	char buf[BLOCK];
};

/* libarchive read callback: the next block of the file, hashed on the way through */
static la_ssize_t hashing_read(struct archive *a, void *data, const void **out)
{
	struct hashing_reader *r = data;
	ssize_t n;
	do
		n = read(r->fd, r->buf, sizeof(r->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read");
		return -1;
	}
	EVP_DigestUpdate(r->blob, r->buf, (size_t)n);
	r->size += (unsigned long long)n;
	*out = r->buf;
	return n;
}

void layer_hex_digest(EVP_MD_CTX *ctx, char out[LAYER_DIGEST_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	strcpy(out, "sha256:");
	for (unsigned int i = 0; i < len; i++)
		sprintf(out + 7 + 2 * i, "%02x", md[i]);
}

/* the compression filters a layer may use: libarchive detects which from the content.
 * (Not archive_read_support_filter_all: that also runs external programs for lrzip, lzop...) */
void layer_archive_filters(struct archive *a)
{
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
}

const char *layer_compression_name(struct archive *a)
{
	/* filter 0 is the outermost one that libarchive found; "none" when there is none */
	switch (archive_filter_count(a) > 1 ? archive_filter_code(a, 0) : ARCHIVE_FILTER_NONE) {
	case ARCHIVE_FILTER_GZIP: return "gzip";
	case ARCHIVE_FILTER_ZSTD: return "zstd";
	case ARCHIVE_FILTER_BZIP2: return "bzip2";
	case ARCHIVE_FILTER_XZ: return "xz";
	default: return "none";
	}
}

int layer_digest(const char *path, struct layer_digests *out, struct mr_err *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "layer '%s'", path);

	struct hashing_reader *r = calloc(1, sizeof(*r));
	EVP_MD_CTX *diff = EVP_MD_CTX_new();
	struct archive *a = archive_read_new();
	int rc = -1;
	if (!r || !diff || !a || !(r->blob = EVP_MD_CTX_new())) {
		mr_fail(err, ENOMEM, "layer '%s'", path);
		goto out;
	}
	r->fd = fd;
	EVP_DigestInit_ex(r->blob, EVP_sha256(), NULL);
	EVP_DigestInit_ex(diff, EVP_sha256(), NULL);

	/* "raw": no archive format, just the (decompressed) stream as one entry */
	layer_archive_filters(a);
	archive_read_support_format_raw(a);
	struct archive_entry *e;
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		/* an empty blob: no stream at all, both digests are sha256("") */
	} else if (archive_read_open(a, r, NULL, hashing_read, NULL) != ARCHIVE_OK ||
		   archive_read_next_header(a, &e) < ARCHIVE_WARN) {
		mr_fail(err, 0, "layer '%s': %s", path, archive_error_string(a));
		goto out;
	} else {
		const void *buf;
		size_t size;
		la_int64_t off;
		int s;
		while ((s = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK)
			EVP_DigestUpdate(diff, buf, size);
		if (s != ARCHIVE_EOF) {
			mr_fail(err, 0, "layer '%s': %s", path, archive_error_string(a));
			goto out;
		}
	}
	/* bytes libarchive did not need (padding after the compressed stream) are still
	 * part of the blob */
	const void *rest;
	while (hashing_read(a, r, &rest) > 0)
		;
	if (out) {
		out->compression = layer_compression_name(a);
		out->size = r->size;
		layer_hex_digest(r->blob, out->digest);
		layer_hex_digest(diff, out->diffid);
	}
	rc = 0;
out:
	if (a)
		archive_read_free(a);
	EVP_MD_CTX_free(diff);
	if (r)
		EVP_MD_CTX_free(r->blob);
	free(r);
	return rc;
}
