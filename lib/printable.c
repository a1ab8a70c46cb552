/*
 * lib/printable.c - untrusted names escaped for one line of a message (see printable.h).
 *
 * See: utf-8(7) (which byte sequences are well-formed), console_codes(4).
 */
#include "lib/printable.h"

#include <stdio.h>
#include <string.h>

/* the length of the well-formed UTF-8 sequence at S (at most N bytes), 0 if it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are not) */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp <= 0x9f) /* the C1 controls: a terminal obeys some of them */
		return 0;
	return len;
}

/* the escaped form of the character at U[I] (of LEN bytes) into PIECE; its length in the
 * input goes to *TAKE */
static size_t escape_one(const unsigned char *u, size_t i, size_t len, char piece[8], size_t *take)
{
	unsigned char c = u[i];
	*take = 1;
	if (c == '\\')
		return (size_t)snprintf(piece, 8, "\\\\");
	if (c == '\n' || c == '\r' || c == '\t')
		return (size_t)snprintf(piece, 8, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
	if (c >= 0x20 && c < 0x7f) {
		piece[0] = (char)c;
		return 1;
	}
	size_t n = c >= 0x80 ? utf8_len(u + i, len - i) : 0;
	if (n) {
		memcpy(piece, u + i, n);
		*take = n;
		return n;
	}
	return (size_t)snprintf(piece, 8, "\\x%02x", c);
}

const char *mr_printable_n(const char *s, size_t len, char *buf, size_t size)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	char piece[8];
	size_t o = 0, i, take, total = 0;
	if (!s)
		len = 0;
	for (i = 0; i < len; i += take)
		total += escape_one(u, i, len, piece, &take);
	/* cut: keep room for "..." and the NUL, and stop before the piece that would not fit */
	size_t room = total + 1 <= size ? size - 1 : size - 4;
	for (i = 0; i < len; i += take) {
		size_t plen = escape_one(u, i, len, piece, &take);
		if (o + plen > room)
			break;
		memcpy(buf + o, piece, plen);
		o += plen;
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

const char *mr_printable(const char *s, char *buf, size_t size)
{
	return mr_printable_n(s, s ? strlen(s) : 0, buf, size);
}
