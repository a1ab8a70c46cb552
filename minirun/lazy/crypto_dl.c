/*
 * minirun/lazy/crypto_dl.c - OpenSSL's libcrypto, opened on the first call into it (lazylib.h
 * says why), without reading openssl.cnf.
 *
 * minirun uses libcrypto for sha256 (content addressing: every blob read from the image
 * store is hashed again) and one base64 decode (registry credentials). OpenSSL reads and
 * parses its configuration file on the first digest unless told not to; nothing in it
 * changes what sha256 computes, so the library is initialized with
 * OPENSSL_INIT_NO_LOAD_CONFIG right after it is opened. Only minirun/minirun links this
 * file; unionfs/'s programs link -lcrypto.
 *
 * See: OPENSSL_init_crypto(3), EVP_DigestInit(3), EVP_EncodeInit(3); lazylib.h.
 */
#include "minirun/lazy/lazylib.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

static void no_config(struct mr_lazylib *lib)
{
	__typeof__(&OPENSSL_init_crypto) init =
		(__typeof__(&OPENSSL_init_crypto))mr_lazy_sym(lib, "OPENSSL_init_crypto");
	init(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
}

static struct mr_lazylib crypto = {MR_LIB_CRYPTO, no_config, NULL};

/* clang-format off */
MR_LAZY(crypto, const EVP_MD *, EVP_sha256, (void), ())
MR_LAZY(crypto, EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())
MR_LAZY_VOID(crypto, EVP_MD_CTX_free, (EVP_MD_CTX *ctx), (ctx))
MR_LAZY(crypto, int, EVP_DigestInit_ex, (EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl),
	(ctx, type, impl))
MR_LAZY(crypto, int, EVP_DigestUpdate, (EVP_MD_CTX *ctx, const void *d, size_t cnt),
	(ctx, d, cnt))
MR_LAZY(crypto, int, EVP_DigestFinal_ex, (EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s),
	(ctx, md, s))
MR_LAZY(crypto, int, EVP_Digest, (const void *data, size_t count, unsigned char *md,
	unsigned int *size, const EVP_MD *type, ENGINE *impl), (data, count, md, size, type, impl))
MR_LAZY(crypto, int, EVP_DecodeBlock, (unsigned char *t, const unsigned char *f, int n), (t, f, n))
/* clang-format on */
