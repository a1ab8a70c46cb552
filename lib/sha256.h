/*
 * lib/sha256.h - SHA-256 of a buffer in memory, written out from FIPS 180-4.
 *
 * Why a second SHA-256 when minirun has OpenSSL's: the image store hashes every blob it
 * reads again (minirun/image/store.c), and on `minirun run` those are the manifest and the
 * config, a few hundred bytes each. OpenSSL spends about a millisecond loading and
 * initializing itself before its first digest; this takes microseconds for such sizes.
 * Layers (megabytes, streamed) still go through OpenSSL, whose SHA-NI code is several
 * times faster per byte. tests/unit/test_sha256.c checks both agree.
 *
 * See: FIPS 180-4 "Secure Hash Standard", sections 4.1.2, 4.2.2, 5.1.1, 5.3.3, 6.2.
 */
#ifndef LIB_SHA256_H
#define LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* mr_sha256 - the 32-byte digest of DATA (LEN bytes) into OUT */
void mr_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
