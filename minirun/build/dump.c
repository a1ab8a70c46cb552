/*
 * minirun/build/dump.c - the parse, printed in BuildKit's parser notation (`--print-parse`).
 *
 * One line per instruction: `(`, the keyword lower-cased, the flags as one bracketed list
 * when there are any, ONBUILD's instruction in its own parentheses, then every argument
 * as a Go string literal, `)`:
 *
 *	FROM busybox AS base                     (from "busybox" "AS" "base")
 *	ENV GOPATH /go                           (env "GOPATH" "/go" "")
 *	ENV A=1 B="x y"                          (env "A" "1" "=" "B" "\"x y\"" "=")
 *	COPY --chown=1:1 ["a b", "/c"]           (copy ["--chown=1:1"] "a b" "/c")
 *	ONBUILD RUN make                         (onbuild (run "make"))
 *	HEALTHCHECK --retries=3 CMD curl -f x    (healthcheck ["--retries=3"] "CMD" "curl -f x")
 *	FOO bar                                  (foo "")    (the parser keeps no arguments)
 *
 * A teaching aid (what did the parser make of my line?) and the hook the unit tests use:
 * the same notation as BuildKit's own parser tests, so their cases read the same here.
 *
 * See: dockerfile.h; Go's strconv.Quote for the string literals.
 */
#include "minirun/build/dockerfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minirun/build/buf.h"

/* decode one UTF-8 character at S; returns its length, 0 when the bytes are not valid */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4   ? 4
		   : s[0] >= 0xe0 && s[0] <= 0xef ? 3
		   : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
						  : 0;
	if (!n)
		return 0;
	uint32_t c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0; /* overlong, out of range, or a surrogate */
	*cp = c;
	return n;
}

/* Go's unicode.IsPrint for a character above ASCII, for the ones a Dockerfile may hold:
 * spaces other than ' ', C1 controls and format characters are escaped. */
static int printable(uint32_t c)
{
	if (c <= 0xa0 || c == 0xad || c == 0x1680 || (c >= 0x2000 && c <= 0x200f) ||
	    (c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f) || c == 0x3000 ||
	    c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) || c == 0xfffe || c == 0xffff ||
	    (c >= 0xe000 && c <= 0xf8ff))
		return 0;
	return 1;
}

static void quote_into(struct sb *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char tmp[16];
	sb_putc(b, '"');
	while (*s) {
		uint32_t c;
		size_t n = utf8_decode(s, &c);
		if (n == 0) { /* a byte that is not UTF-8 */
			snprintf(tmp, sizeof(tmp), "\\x%02x", *s++);
			sb_puts(b, tmp);
			continue;
		}
		if (c == '"' || c == '\\') {
			sb_putc(b, '\\');
			sb_putc(b, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			sb_putc(b, (char)c);
		} else if (c >= 0x80 && printable(c)) {
			sb_putn(b, (const char *)s, n);
		} else {
			static const char esc[] = "\aa\bb\ff\nn\rr\tt\vv";
			const char *e = c < 0x20 ? memchr(esc, (int)c, sizeof(esc) - 1) : NULL;
			if (e && (e - esc) % 2 == 0)
				snprintf(tmp, sizeof(tmp), "\\%c", e[1]);
			else if (c < 0x80)
				snprintf(tmp, sizeof(tmp), "\\x%02x", (unsigned)c);
			else if (c < 0x10000)
				snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)c);
			else
				snprintf(tmp, sizeof(tmp), "\\U%08x", (unsigned)c);
			sb_puts(b, tmp);
		}
		s += n;
	}
	sb_putc(b, '"');
}

char *df_go_quote(const char *s)
{
	struct sb b = {0};
	quote_into(&b, s);
	return sb_take(&b);
}

static void dump_into(struct sb *b, const struct df_instr *in)
{
	for (const char *k = in->keyword; *k; k++)
		sb_putc(b, (char)tolower((unsigned char)*k));
	if (in->nflags) {
		sb_puts(b, " [");
		for (size_t i = 0; i < in->nflags; i++) {
			if (i)
				sb_putc(b, ' ');
			quote_into(b, in->flags[i]);
		}
		sb_putc(b, ']');
	}
	if (in->sub) {
		sb_puts(b, " (");
		dump_into(b, in->sub);
		sb_putc(b, ')');
	}
	if (in->kind == DF_UNKNOWN)
		sb_puts(b, " \"\""); /* BuildKit keeps one empty argument for what it ignores */
	for (size_t i = 0; i < in->nargs; i++) {
		sb_putc(b, ' ');
		quote_into(b, in->args[i]);
	}
}

char *df_dump_instr(const struct df_instr *in)
{
	struct sb b = {0};
	dump_into(&b, in);
	return sb_take(&b);
}

int dockerfile_dump(const struct dockerfile *df, FILE *out)
{
	for (size_t i = 0; i < df->n; i++) {
		char *line = df_dump_instr(&df->instrs[i]);
		if (!line) {
			errno = ENOMEM;
			return -1;
		}
		int rc = fprintf(out, "(%s)\n", line);
		free(line);
		if (rc < 0)
			return -1;
	}
	return fflush(out) == 0 ? 0 : -1;
}
