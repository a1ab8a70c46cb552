/*
 * tests/fuzz/fuzz.h - what the libFuzzer targets of tests/fuzz/ share.
 *
 * A target is one file, fuzz_NAME.c, defining LLVMFuzzerTestOneInput (and, if it needs a
 * once-per-process setup, LLVMFuzzerInitialize). Besides "did not crash" (ASan, UBSan and
 * LeakSanitizer watch every run), each checks an oracle: a property the parser's output
 * must have. A broken oracle calls fuzz_oracle(), which prints "oracle: WHAT" and aborts,
 * so libFuzzer saves the input as a crash like any other.
 *
 * See: tests/fuzz/README.md; https://llvm.org/docs/LibFuzzer.html
 */
#ifndef MR_TESTS_FUZZ_H
#define MR_TESTS_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The input as a NUL-terminated string (malloc'ed; an embedded NUL ends it early). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Report a broken oracle and abort (libFuzzer saves the input). */
static inline __attribute__((noreturn, format(printf, 1, 2))) void fuzz_oracle(const char *fmt, ...)
{
	va_list ap;
	fputs("oracle: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* With FUZZ_VERBOSE set in the environment, say why an input was refused (to check that
 * a seed gets past the parser: FUZZ_VERBOSE=1 build/fuzz/tests/fuzz/fuzz_NAME SEED). */
static inline void fuzz_refused(const char *msg)
{
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "refused: %s\n", msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
