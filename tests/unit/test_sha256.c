/*
 * tests/unit/test_sha256.c - lib/sha256.c against FIPS 180-4's examples and against
 * OpenSSL, at every length around the padding's block boundaries.
 */
#include "lib/sha256.h"
#include "tests/unit/unit.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex(const uint8_t md[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static const char *sha(const void *data, size_t len)
{
	static char out[65];
	uint8_t md[32];
	mr_sha256(data, len, md);
	hex(md, out);
	return out;
}

static void fips_examples(void)
{
	CU_ASSERT_STRING_EQUAL(sha("", 0),
			       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CU_ASSERT_STRING_EQUAL(sha("abc", 3),
			       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	CU_ASSERT_STRING_EQUAL(sha(two, strlen(two)),
			       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *million = malloc(1000000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(million);
	memset(million, 'a', 1000000);
	CU_ASSERT_STRING_EQUAL(sha(million, 1000000),
			       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void agrees_with_openssl(void)
{
	unsigned char buf[300], md[32];
	unsigned int n;
	char want[65];
	srand(5);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rand();
	/* every length up to 300: 0, 55/56 (one padding block or two), 64, 119/120, 128 ... */
	for (size_t len = 0; len <= sizeof(buf); len++) {
		EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL);
		hex(md, want);
		if (strcmp(sha(buf, len), want) != 0) {
			CU_FAIL("mr_sha256 differs from OpenSSL");
			fprintf(stderr, "length %zu: %s, OpenSSL %s\n", len, sha(buf, len), want);
			break;
		}
	}
}

static CU_TestInfo tests[] = {
	{"FIPS 180-4's examples (one block, two blocks, a million a's)", fips_examples},
	{"the same digest as OpenSSL for every length 0..300", agrees_with_openssl},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("lib sha256", tests)
